"""The 43 territorial forces of England and Wales, known by slug and official name.

``data/registry.yaml`` lets ``peel status`` list every force, including those with no file
(Scan by default, with no recorded history), and gives ``peel add-force`` its official name.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from .dates import PartialDate
from .files import display_path, read_bytes
from .problems import PeelError, Problem
from .schema.records import RegistryFile


class Registry(NamedTuple):
    """What a ledger knows of every force, file or not."""

    names: dict[str, str]
    """Slug to the force's name as HMICFRS writes it."""
    known_as: dict[str, str]
    """Every other name a force goes by (former names, short names, other lists' labels),
    lower-cased, to its slug."""
    record_checked_to: PartialDate | None = None
    """How far the public record was searched for every force: a change of phase after it is
    not known to peel."""
    record_checked_note: str | None = None


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
    return Registry(
        {entry.slug: entry.name for entry in registry.forces},
        known_as,
        registry.record_checked_to,
        registry.record_checked_note,
    )


def read_registry(data: bytes, name: str) -> tuple[RegistryFile | None, list[Problem]]:
    from .reader import locate, read_record

    registry, document, problems = read_record(data, name, "RegistryFile")
    if registry is None:
        return None, problems
    known = {s.id for s in registry.sources}
    seen: set[str] = set()
    for i, entry in enumerate(registry.forces):
        if entry.slug in seen:
            problems.append(
                locate(document, Problem(f"slug {entry.slug!r} is listed twice", path=("forces", i, "slug")))
            )
        seen.add(entry.slug)
        for j, cited in enumerate(entry.sources):
            if cited not in known:
                where = ("forces", i, "sources", j)
                problems.append(locate(document, Problem(f"no source with id {cited!r}", path=where)))
    return registry, problems
