"""``peel assess``'s policy: the thresholds it judges a change of phase by, read from a file.

The shipped ``policy.yaml`` names and explains each threshold; ``--policy FILE`` replaces it with
a file of the same shape. A policy is checked like a force file: its types by the compiled
schema, its ranges here, every problem located; ``peel validate`` checks policy files too.
"""

from __future__ import annotations

from pathlib import Path

from .files import display_path, read_bytes
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
    """Range rules the types cannot say, as problems at paths in the policy file."""
    problems = []
    for key in SHARES:
        if not 0 <= getattr(policy.return_to_scan, key).value <= 1:
            problems.append(Problem("a share must be between 0 and 1", path=("return_to_scan", key, "value")))
    for key, (least, most, rule) in COUNTS.items():
        value = getattr(policy.move_to_engage, key).value
        if value != int(value) or value < least or (most is not None and value > most):
            problems.append(Problem(rule, path=("move_to_engage", key, "value")))
    return problems


def check_policy(data: bytes, name: str) -> tuple[object | None, list[Problem]]:
    """Read and check a policy file: the policy (``None`` when it has errors) and every located
    problem."""
    from .reader import locate, read_record

    policy, document, problems = read_record(data, name, "Policy")
    if policy is not None:
        problems += [locate(document, problem) for problem in policy_problems(policy)]
    if policy is None or any(p.is_error for p in problems):
        return None, problems
    return policy, problems


def read_policy(path: Path | None = None):
    """The policy shipped with peel, or ``--policy FILE``; a broken one is refused with its
    located problems."""
    path = path or DEFAULT_POLICY
    if not path.is_file():
        raise usage_error(f"--policy {path}: no such file")
    policy, problems = check_policy(read_bytes(path), display_path(path))
    if policy is None:
        raise PeelError([p for p in problems if p.is_error])
    return policy
