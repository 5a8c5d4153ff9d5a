"""``peel ingest`` end to end, for the command line: read the letter, find the force in the
ledger, propose, and render. The command in :mod:`peelcli.cli` only parses options and prints
what this returns.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import NamedTuple

from ..ledger import name_key
from ..problems import PeelError
from ..schema.scalars import address_fault
from .letter import read_letter, shorten
from .proposal import Proposal, ingest, proposal_json, proposal_text


def force_names(ledger, *, today: date, strict: bool = False) -> tuple[dict[str, list[str]], dict]:
    """Slug to every name the force goes by (registry and file), and slug to its file (``None``
    for a force of the registry with no file yet). ``strict``: an invalid force file is refused,
    not left out (a comparison that quietly left out a force would mislead)."""
    registry = ledger.registry()
    names: dict[str, list[str]] = {slug: [name] for slug, name in registry.names.items()}
    for other, slug in registry.known_as.items():
        names[slug].append(other)
    files: dict = {slug: None for slug in names}
    for force in ledger.load_all(today=today, strict=strict):
        names.setdefault(force.slug, [])
        names[force.slug] += [force.name, *force.former_names]
        files[force.slug] = force
    return names, files


def resolve_force(given: str, names: dict[str, list[str]]) -> str:
    """``--force`` as a slug, or a name (any case, "&" or "and")."""
    if given in names:
        return given
    wanted = name_key(given)
    for slug, variants in names.items():
        if wanted in (name_key(v) for v in variants) or wanted == slug.replace("-", " "):
            return slug
    raise PeelError(
        f"--force {given!r} is not a force or service peel knows: give its slug (west-midlands, "
        "buckinghamshire-fire) or name"
    )


def read_proposal(
    ledger,
    given: str,
    *,
    today: date,
    force: str | None = None,
    url: str | None = None,
    fetch: Callable[[str], bytes] | None = None,
) -> Proposal:
    """Read the letter ``given`` (a file or an https:// address) and propose what it states
    that ``ledger`` does not yet record."""
    names, files = force_names(ledger, today=today)
    wanted = resolve_force(force, names) if force is not None else None
    if url is not None:
        fault = address_fault(url, schemes=("https",))
        if fault is not None:
            raise PeelError(f"--url {shorten(url, 200)!r} is not the letter's https:// address: it {fault}")
    return ingest(read_letter(given, fetch=fetch, url=url), names, files, force=wanted)


class IngestView(NamedTuple):
    """The view of ``peel ingest``: the proposal as JSON, or as the commands that record it
    followed by the diff they make (``diff``: ``None`` when it could not be worked out)."""

    proposal: Proposal
    diff: str | None = None

    def json(self) -> dict:
        return proposal_json(self.proposal)

    def text(self) -> str:
        text = proposal_text(self.proposal)
        return text + "\n" + self.diff if self.diff else text
