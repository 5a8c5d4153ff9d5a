"""The 43 territorial police forces of England and Wales and the 44 fire and rescue services of
England, known by slug, official name and sector.

``data/registry.yaml`` lets ``peel status`` list every force and service, including those with no
file (Scan by default, with no recorded history), and gives ``peel add-force`` its official name.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import NamedTuple

from .dates import PartialDate
from .files import display_path, read_bytes
from .problems import PeelError, Problem
from .schema.names import name_key, sector_of_slug
from .schema.records import RegistryFile


class Registry(NamedTuple):
    """What a ledger knows of every force and service, file or not."""

    names: dict[str, str]
    """Slug to the force's or service's name as HMICFRS writes it."""
    known_as: dict[str, str]
    """Every other name a force or service goes by (former names, short names, other lists'
    labels), lower-cased, to its slug."""
    record_checked_to: PartialDate | None = None
    """How far the public record was searched for every force and service (unless ``searches``
    gives its sector its own): a change of phase after it is not known to peel."""
    record_checked_note: str | None = None
    sectors: dict[str, str] = {}  # noqa: RUF012 - never mutated
    """Slug to sector, for every entry."""
    searches: dict[str, tuple[PartialDate, str]] = {}  # noqa: RUF012 - never mutated
    """Sector to how far its own national search reached, and what was searched."""
    listed: frozenset[str] = frozenset({"police"})
    """The sectors the registry names a force or service of."""

    def sector_of(self, slug: str) -> str:
        """A slug's sector: its registry entry's, else what its form says (the two agree)."""
        return self.sectors.get(slug) or sector_of_slug(slug)

    def checked_to(self, sector: str) -> PartialDate | None:
        """How far the national search of phase changes reached for ``sector``: its own search,
        else the registry's, which speaks only for the sectors it lists (a registry of police
        forces alone says nothing of the fire and rescue services)."""
        own = self.searches.get(sector)
        if own:
            return own[0]
        return self.record_checked_to if self.lists(sector) else None

    def checked_note(self, sector: str) -> str | None:
        own = self.searches.get(sector)
        if own:
            return own[1]
        return self.record_checked_note if self.lists(sector) else None

    def lists(self, sector: str) -> bool:
        """The registry names at least one force or service of ``sector``."""
        return sector in self.listed


EMPTY = Registry({}, {})


def load_registry(path: Path) -> Registry:
    """The registry at ``path``; an empty one where there is none. Refuses a broken one."""
    if not path.exists() and not path.is_symlink():
        return EMPTY
    registry, problems = read_registry(read_bytes(path, within=path.parent), display_path(path))
    if registry is None or any(p.is_error for p in problems):
        raise PeelError(problems)
    known_as = {
        other.lower(): entry.slug for entry in registry.forces for other in (*entry.former_names, *entry.also_known_as)
    }
    searches = {}
    if registry.sectors is not None:
        for sector in ("police", "fire"):
            search = getattr(registry.sectors, sector)
            if search is not None:
                searches[sector] = (search.record_checked_to, search.record_checked_note)
    return Registry(
        {entry.slug: entry.name for entry in registry.forces},
        known_as,
        registry.record_checked_to,
        registry.record_checked_note,
        {entry.slug: entry.sector for entry in registry.forces},
        searches,
        frozenset(entry.sector for entry in registry.forces),
    )


def read_registry(data: bytes, name: str, *, today: date | None = None) -> tuple[RegistryFile | None, list[Problem]]:
    """Read and check a registry: slugs listed once and of their sector's form, citations that
    exist, every name and alias naming one force or service, and how far the record was searched
    (the rule force files keep)."""
    from .dates import today as default_today
    from .reader import locate, read_record
    from .rules import checked_to_problems, sector_problems

    registry, document, problems = read_record(data, name, "RegistryFile")
    if registry is None:
        if document is not None and not isinstance(document.value, dict):
            return None, [_not_a_registry(p, document.value) for p in problems]
        return None, problems
    known = {s.id for s in registry.sources}
    seen: set[str] = set()
    found: list[Problem] = []
    for i, entry in enumerate(registry.forces):
        if entry.slug in seen:
            found.append(Problem(f"slug {entry.slug!r} is listed twice", path=("forces", i, "slug")))
        seen.add(entry.slug)
        stated = "sector" in entry.__pydantic_fields_set__
        found += [p._replace(path=("forces", i, *p.path)) for p in sector_problems(entry.slug, entry.sector, stated)]
        for j, cited in enumerate(entry.sources):
            if cited not in known:
                found.append(Problem(f"no source with id {cited!r}", path=("forces", i, "sources", j)))
    found += name_collisions(registry)
    day = today or default_today()
    found += checked_to_problems(registry.record_checked_to, registry.record_checked_note, day)
    for sector in ("police", "fire"):
        search = getattr(registry.sectors, sector) if registry.sectors is not None else None
        if search is not None:
            found += [
                p._replace(path=("sectors", sector, *p.path))
                for p in checked_to_problems(search.record_checked_to, search.record_checked_note, day)
            ]
    located = problems + [locate(document, problem) for problem in found]
    return registry, sorted(located, key=lambda p: (p.line or 0, p.column or 0))


def names_of(entry) -> list[tuple[tuple, str, str]]:
    """Every name a registry entry answers to, as (path within the entry, what it is, the text):
    its slug, its name, its former names and the other names it is known by."""
    return [
        (("slug",), "the slug", entry.slug),
        (("name",), "the name", entry.name),
        *((("former_names", j), "the former name", other) for j, other in enumerate(entry.former_names)),
        *((("also_known_as", j), "the other name", other) for j, other in enumerate(entry.also_known_as)),
    ]


def name_collisions(registry: RegistryFile) -> list[Problem]:
    """A name or alias that, compared as a FORCE argument is (:func:`~peelcli.schema.names.name_key`),
    is also another force's or service's slug, name or alias, of either sector: peel could not tell
    which is meant, and an edit could go to the wrong one. Each collision is reported once, at the
    later entry."""
    first: dict[str, tuple[str, tuple, str, str]] = {}
    problems = []
    for i, entry in enumerate(registry.forces):
        for where, what, text in names_of(entry):
            key = name_key(text)
            earlier = first.get(key)
            if earlier is None:
                first[key] = (entry.slug, ("forces", i, *where), what, text)
                continue
            slug, path, other_what, other_text = earlier
            if slug == entry.slug:
                continue
            problems.append(
                Problem(
                    f"{what} {text!r} of {entry.slug} and {other_what} {other_text!r} of {slug} are the same "
                    "name to peel (compared in any case, '&' as 'and', without 'the' or punctuation): names "
                    "and other names must be unique across the registry, or a force given by that name could "
                    "be the wrong one; change or remove one of them",
                    path=("forces", i, *where),
                    see=path,
                )
            )
    return problems


def _not_a_registry(problem: Problem, value) -> Problem:
    """``expected a mapping of keys`` said as what a registry is."""
    if problem.message != "expected a mapping of keys":
        return problem
    found = "an empty file" if value is None else f"a {type(value).__name__}"
    return problem._replace(message=f"a registry is a mapping with forces (each with slug and name), not {found}")
