"""``peel assess``'s policy: the thresholds it judges a change of phase by, read from a file.

The shipped ``policy.yaml`` names and explains each threshold; ``--policy FILE`` replaces it with
a file of the same shape. A policy is checked like a force file: its types by the compiled
schema, its ranges here, every problem located; ``peel validate`` checks policy files too.

One policy serves both sectors: its ``fire`` section quotes HMICFRS's wording for fire and rescue
services and sets any threshold that differs for them; :func:`for_sector` gives the rules a
force or service is judged by.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path
from typing import Any, NamedTuple

from .files import MAX_BYTES, display_path, read_bytes
from .problems import PeelError, Problem, usage_error

DEFAULT_POLICY = Path(__file__).with_name("policy.yaml")
SHARES = ("causes_closed_share", "remaining_recommendations_closed_share")
COUNTS = {
    # key: (least value, most value or None, what the rule says)
    "several_open_causes": (1, None, "must be a whole number, 1 or more (a move always needs an open cause)"),
    "accelerated_is_serious": (0, 1, "must be 0 (accelerated causes are not grounds) or 1 (they are)"),
    "overdue_days": (0, None, "must be a whole number of days, 0 or more"),
    "not_responding_needs_revisit": (
        0,
        1,
        "must be 1 (past-due recommendations show a force not responding only once a revisit after they fell due "
        "found none closed) or 0 (a due date passing with none closed on record is enough)",
    ),
}


def policy_problems(policy) -> list[Problem]:
    """Range rules the types cannot say, as problems at paths in the policy file, each naming the
    threshold and the value it has: the policy's own and those its fire section sets otherwise."""
    problems = _range_problems(policy, ())
    if policy.fire is not None:
        problems += _range_problems(policy.fire, ("fire",))
    return problems


def _range_problems(rules, at: tuple) -> list[Problem]:
    problems = []
    named = ".".join((*at, ""))
    for key in SHARES:
        threshold = getattr(rules.return_to_scan, key)
        if threshold is not None and not 0 <= threshold.value <= 1:
            problems.append(
                Problem(
                    f"{named}return_to_scan.{key} is {threshold.value}: a share must be between 0 and 1",
                    path=(*at, "return_to_scan", key, "value"),
                )
            )
    for key, (least, most, rule) in COUNTS.items():
        threshold = getattr(rules.move_to_engage, key)
        if threshold is None:
            continue
        value = threshold.value
        if value != int(value) or value < least or (most is not None and value > most):
            problems.append(
                Problem(f"{named}move_to_engage.{key} is {value}: {rule}", path=(*at, "move_to_engage", key, "value"))
            )
    return problems


class SectorRules(NamedTuple):
    """The rules a force or service is judged by: the policy's thresholds, with those its sector's
    section sets otherwise; ``wording`` is that section (HMICFRS's words for the sector)."""

    name: str
    description: str
    return_to_scan: Any
    move_to_engage: Any
    sector: str = "police"
    wording: Any = None


class _Thresholds:
    """One part of the policy (``return_to_scan`` or ``move_to_engage``) with a sector's own
    thresholds in place of the policy's."""

    def __init__(self, base, own) -> None:
        self._base, self._own = base, own
        self.explanation = own.explanation

    def __getattr__(self, key: str):
        own = getattr(self._own, key, None)
        return own if own is not None else getattr(self._base, key)


def for_sector(policy, sector: str):
    """The policy as it applies to ``sector``: for police, the policy itself; for fire, its
    thresholds with the fire section's in their place, named as such. A policy without a fire
    section judges a service as a force."""
    section = policy.fire if sector == "fire" else None
    if section is None:
        return policy
    return SectorRules(
        f"{policy.name}, for fire and rescue services",
        section.description,
        _Thresholds(policy.return_to_scan, section.return_to_scan),
        _Thresholds(policy.move_to_engage, section.move_to_engage),
        sector,
        section,
    )


def check_policy(data: bytes, name: str) -> tuple[object | None, list[Problem]]:
    """Read and check a policy file: the policy (``None`` when it has errors) and every located
    problem, said as what a policy is (not the reader's words for any YAML file)."""
    from .reader import locate, read_record

    policy, document, problems = read_record(data, name, "Policy")
    if policy is not None:
        problems += [locate(document, problem) for problem in policy_problems(policy)]
    elif document is not None:
        problems = [_as_policy_problem(problem, document.value) for problem in problems]
    if policy is None or any(p.is_error for p in problems):
        return None, problems
    return policy, problems


_MISSING = re.compile(r"missing required key '(?P<key>[a-z_]+)'")


def _as_policy_problem(problem: Problem, value) -> Problem:
    """A reader's problem said for a policy: an empty file or a list is no policy, and a missing
    key (a policy written for an older peel) is named with what peel's own policy sets it to."""
    if problem.message == "expected a mapping of keys":
        found = {type(None): "an empty file", str: "a line of text", list: "a list"}.get(type(value), "a value")
        return problem._replace(
            message=f"a policy is a mapping with the keys {KEY_LIST}, not {found}: start from a copy of peel's own, "
            f"{display_path(DEFAULT_POLICY)}"
        )
    missing = _MISSING.fullmatch(problem.message)
    if missing is None or missing["key"] not in _THRESHOLDS:
        return problem
    section, default = _THRESHOLDS[missing["key"]]
    return problem._replace(
        message=f"{problem.message} (a threshold of {section}): peel's own policy sets it to {default} and explains "
        f"it, in {display_path(DEFAULT_POLICY)}; copy it from there"
    )


KEY_LIST = "name, description, return_to_scan and move_to_engage"
_THRESHOLDS = {
    "causes_closed_share": ("return_to_scan", "0.5"),
    "remaining_recommendations_closed_share": ("return_to_scan", "0.5"),
    "several_open_causes": ("move_to_engage", "3"),
    "accelerated_is_serious": ("move_to_engage", "1"),
    "overdue_days": ("move_to_engage", "0"),
    "not_responding_needs_revisit": ("move_to_engage", "1"),
}


def read_policy(path: Path | None = None):
    """The policy shipped with peel, or ``--policy FILE``. What is wrong with a file given is said,
    located: no such file (a usage error), not a plain file (a folder, a device such as /dev/zero,
    a pipe), unreadable, too big, empty, not YAML, not a policy, or a threshold out of range."""
    path = path or DEFAULT_POLICY
    name = display_path(path)
    if not path.exists():
        dangling = " (a symbolic link to nothing)" if path.is_symlink() else ""
        raise usage_error(f"--policy {path}: no such file{dangling}")
    with contextlib.suppress(OSError):
        size = path.stat().st_size
        if path.is_file() and size > MAX_BYTES:
            raise PeelError(
                Problem(
                    f"--policy: the file is {size / 1_048_576:.1f} MB; a policy is a few kilobytes (peel reads at "
                    f"most {MAX_BYTES // 1_048_576} MB)"
                ).at(name)
            )
    try:
        data = read_bytes(path, name)
    except PeelError as exc:
        raise PeelError([p._replace(message=f"--policy: {p.message}") for p in exc.problems]) from None
    if not data.strip():
        raise PeelError(
            Problem(
                f"--policy: the file is empty: a policy is a mapping with the keys {KEY_LIST}; start from a copy "
                f"of peel's own, {display_path(DEFAULT_POLICY)}"
            ).at(name)
        )
    policy, problems = check_policy(data, name)
    if policy is None:
        raise PeelError([p for p in problems if p.is_error])
    return policy
