"""``peel ingest`` end to end, for the command line: read the letter, find the force in the
ledger, propose, and render. The command in :mod:`peelcli.cli` only parses options and prints
what this returns.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from ..problems import PeelError, Problem
from .apply import apply_changes, diff_of
from .letter import read_letter
from .proposal import Proposal, ingest, name_key, proposal_json, proposal_text


@dataclass
class Outcome:
    stdout: str
    notes: list[str] = field(default_factory=list)
    """Lines for standard error: what could not be shown, and why."""
    proposal: Proposal | None = None
    refusal: PeelError | None = None
    """Raised by the command line after printing the proposal (``--apply`` not possible)."""


def force_names(ledger, *, today: date) -> tuple[dict[str, list[str]], dict]:
    """Slug to every name the force goes by (registry and file), and slug to its file (``None``
    for a force of the registry with no file yet)."""
    names: dict[str, list[str]] = {slug: [name] for slug, name in ledger.registry().names.items()}
    files: dict = {slug: None for slug in names}
    for force in ledger.load_all(today=today):
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
    raise PeelError(f"--force {given!r} is not a force peel knows: give its slug (west-midlands) or name")


def run_ingest(
    ledger,
    given: str,
    *,
    today: date,
    force: str | None = None,
    url: str | None = None,
    fmt: str = "text",
    apply: bool = False,
    fetch: Callable[[str], bytes] | None = None,
) -> Outcome:
    names, files = force_names(ledger, today=today)
    wanted = resolve_force(force, names) if force is not None else None
    if url is not None and not url.lower().startswith("https://"):
        raise PeelError(f"--url {url[:200]!r}: give the letter's https:// address")
    letter = read_letter(given, fetch=fetch, url=url)
    proposal = ingest(letter, names, files, force=wanted)
    if fmt == "json":
        stdout = json.dumps(proposal_json(proposal), ensure_ascii=False, indent=2) + "\n"
    else:
        stdout = proposal_text(proposal)
    outcome = Outcome(stdout, proposal=proposal)
    if not proposal.changes:
        return outcome
    if apply:
        try:
            outcome.stdout += apply_changes(ledger, proposal, today=today, dry_run=False)
        except NotImplementedError as exc:
            outcome.refusal = PeelError(
                [Problem(f"--apply: {exc}: nothing was written; record the changes with the commands above")]
            )
    elif fmt != "json":
        try:
            outcome.stdout += "\n" + diff_of(ledger, proposal, today=today)
        except NotImplementedError as exc:
            outcome.notes.append(f"note: no diff shown: {exc}")
    return outcome
