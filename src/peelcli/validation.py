"""``peel validate``: check files one at a time and hand each file's problems to a reporter.

Files are read, checked and forgotten in turn, so memory stays flat however large the ledger.
What a file is (a force file, the registry, a policy) is told by its name and content; each is
checked by its own reader. Reporters (``text``, ``json``, ``github``) are chosen by name: adding
an output means adding a reporter here, nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import ClassVar, NamedTuple

from .files import display_path, read_bytes
from .ledger import FORCES, REGISTRY, force_reading, yaml_files
from .output.jsontext import json_text
from .output.wording import plural
from .problems import PeelError, Problem, usage_error


class Target(NamedTuple):
    """A file to check, and the folder it was found in: a link out of that folder is refused
    unread (a file named on the command line is read wherever it leads)."""

    path: Path
    within: Path | None = None


def expand(paths: Iterable[Path]) -> list[Target | Problem]:
    """Files to check: a ledger folder means its force files and registry; any other folder
    its ``*.yaml`` files. A folder that cannot be listed is a problem to report (never an
    empty, valid ledger). A missing path is a usage error, raised before anything is checked."""
    targets: list[Target | Problem] = []
    for path in paths:
        if path.is_dir():
            ledger = (path / FORCES).is_dir()
            folder = path / FORCES if ledger else path
            try:
                targets += [Target(file, folder) for file in yaml_files(folder)]
            except PeelError as exc:
                targets += exc.problems
            registry = path / REGISTRY
            if ledger and (registry.exists() or registry.is_symlink()):
                targets.append(Target(registry, path))
        elif path.exists():
            targets.append(Target(path))
        else:
            raise usage_error(f"{path}: no such file or folder")
    return targets


def _is_policy(path: Path, data: bytes) -> bool:
    """A policy file names itself one (``policy.yaml``, ``strict-policy.yaml``) or starts with the
    keys only a policy has."""
    if path.stem.endswith("policy"):
        return True
    head = data[:4096]
    return b"\nreturn_to_scan:" in head or b"\nmove_to_engage:" in head or head.startswith(b"return_to_scan:")


def check_files(targets: Iterable[Target | Problem], *, today: date) -> Iterator[tuple[str, list[Problem]]]:
    """Each file's name and problems, in turn; each file is read once, and only its own reader
    (force file, registry, policy) parses it."""
    from .policy import check_policy
    from .registry import read_registry

    for target in targets:
        if isinstance(target, Problem):
            yield target.file or "", [target]
            continue
        path = target.path
        name = display_path(path)
        try:
            data = read_bytes(path, name, within=target.within)
        except PeelError as exc:
            yield name, exc.problems
            continue
        if path.name == REGISTRY:
            yield name, read_registry(data, name, today=today)[1]
        elif _is_policy(path, data):
            yield name, check_policy(data, name)[1]
        else:
            yield name, force_reading(data, path, today=today, name=name, keep=False).problems


class Tally:
    __slots__ = ("errors", "files", "files_with_errors", "warnings")

    def __init__(self) -> None:
        self.files = self.errors = self.warnings = self.files_with_errors = 0

    def add(self, problems: list[Problem]) -> None:
        self.files += 1
        errors = sum(1 for p in problems if p.is_error)
        self.errors += errors
        self.warnings += len(problems) - errors
        self.files_with_errors += 1 if errors else 0

    def summary(self) -> str:
        verdict = "valid" if not self.errors else f"{plural(self.files_with_errors, 'file')} with errors"
        return (
            f"{plural(self.files, 'file')} checked: {plural(self.errors, 'error')}, "
            f"{plural(self.warnings, 'warning')} ({verdict})"
        )


# -- reporters -----------------------------------------------------------------------------


class Reporter:
    """Told each file's problems as it is checked, then the tally; writes lines through ``write``."""

    name: ClassVar[str]

    def __init__(self, write: Callable[[str], None]) -> None:
        self.write = write

    def file(self, name: str, problems: list[Problem]) -> None:
        for problem in problems:
            self.write(self.line(problem))

    def line(self, problem: Problem) -> str:
        raise NotImplementedError

    def finish(self, tally: Tally) -> None:
        self.write(tally.summary())


class TextReporter(Reporter):
    """``file:line:col: severity: message``, one a line, then a summary."""

    name = "text"

    def line(self, problem: Problem) -> str:
        return str(problem)


class GithubReporter(Reporter):
    """GitHub Actions workflow commands, escaped as the Actions toolkit escapes them."""

    name = "github"

    def line(self, problem: Problem) -> str:
        def data(text: str) -> str:
            return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

        def prop(text: str) -> str:
            return data(text).replace(":", "%3A").replace(",", "%2C")

        props = [f"file={prop(problem.file or '')}"]
        if problem.line is not None:
            props.append(f"line={problem.line}")
        if problem.column is not None:
            props.append(f"col={problem.column}")
        return f"::{problem.severity} {','.join(props)}::{data(problem.message)}"


class JsonReporter(Reporter):
    """One JSON document at the end: ``{"valid", "files", "errors", "warnings", "problems"}``,
    written as every JSON peel writes (:func:`~.output.jsontext.json_text`: a file name's
    escape sequence stays exact text, never a raw control)."""

    name = "json"

    def __init__(self, write: Callable[[str], None]) -> None:
        super().__init__(write)
        self.problems: list[dict] = []

    def file(self, name: str, problems: list[Problem]) -> None:
        self.problems += [problem_json(problem) for problem in problems]

    def finish(self, tally: Tally) -> None:
        document = {
            "valid": tally.errors == 0,
            "files": tally.files,
            "errors": tally.errors,
            "warnings": tally.warnings,
            "problems": self.problems,
        }
        self.write(json_text(document).rstrip("\n"))


REPORTERS: dict[str, type[Reporter]] = {r.name: r for r in (TextReporter, JsonReporter, GithubReporter)}


def problem_json(problem: Problem) -> dict:
    return {
        "file": problem.file,
        "line": problem.line,
        "column": problem.column,
        "severity": problem.severity,
        "message": problem.message,
    }


def run(targets: list[Target | Problem], *, today: date, reporter: Reporter) -> Tally:
    """Check ``targets`` in turn, telling ``reporter`` each file's problems; the tally."""
    tally = Tally()
    for name, problems in check_files(targets, today=today):
        tally.add(problems)
        reporter.file(name, problems)
    reporter.finish(tally)
    return tally
