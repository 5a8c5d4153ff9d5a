"""``peel validate``: check files one at a time and hand each file's problems to a reporter.

Files are read, checked and forgotten in turn, so memory stays flat however large the ledger.
What a file is (a force file, the registry, a policy) is told by its name and content; each is
checked by its own reader. Reporters (``text``, ``json``, ``github``) are chosen by name: adding
an output means adding a reporter here, nothing else.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import ClassVar

from .files import display_path, read_bytes
from .ledger import FORCES, REGISTRY, read_force_file
from .output.wording import plural
from .problems import PeelError, Problem, usage_error


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files to check: a ledger folder means its force files and registry; any other folder
    its ``*.yaml`` files. A missing path is a usage error, raised before anything is checked."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            if (path / FORCES).is_dir():
                files += sorted(p for p in (path / FORCES).glob("*.yaml") if not p.name.startswith("."))
                if (path / REGISTRY).is_file():
                    files.append(path / REGISTRY)
            else:
                files += sorted(p for p in path.glob("*.yaml") if not p.name.startswith("."))
        elif path.exists():
            files.append(path)
        else:
            raise usage_error(f"{path}: no such file or folder")
    return files


def _other_file_problems(path: Path, check: Callable[[bytes, str], tuple]) -> list[Problem]:
    name = display_path(path)
    try:
        data = read_bytes(path, name)
    except PeelError as exc:
        return exc.problems
    return check(data, name)[1]


def _is_policy(path: Path) -> bool:
    """A policy file names itself one (``policy.yaml``, ``strict-policy.yaml``) or starts with the
    keys only a policy has."""
    if path.stem.endswith("policy"):
        return True
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    return b"\nreturn_to_scan:" in head or b"\nmove_to_engage:" in head or head.startswith(b"return_to_scan:")


def check_files(files: Iterable[Path], *, today: date) -> Iterator[tuple[str, list[Problem]]]:
    from .policy import check_policy
    from .registry import read_registry

    for path in files:
        if path.name == REGISTRY:
            yield display_path(path), _other_file_problems(path, read_registry)
        elif path.is_file() and _is_policy(path):
            yield display_path(path), _other_file_problems(path, check_policy)
        else:
            reading = read_force_file(path, today=today)
            yield reading.name, reading.problems


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
    """One JSON document at the end: ``{"valid", "files", "errors", "warnings", "problems"}``."""

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
        self.write(json.dumps(document, indent=2, ensure_ascii=False))


REPORTERS: dict[str, type[Reporter]] = {r.name: r for r in (TextReporter, JsonReporter, GithubReporter)}


def problem_json(problem: Problem) -> dict:
    return {
        "file": problem.file,
        "line": problem.line,
        "column": problem.column,
        "severity": problem.severity,
        "message": problem.message,
    }


def run(files: list[Path], *, today: date, reporter: Reporter) -> Tally:
    """Check ``files`` in turn, telling ``reporter`` each file's problems; the tally."""
    tally = Tally()
    for name, problems in check_files(files, today=today):
        tally.add(problems)
        reporter.file(name, problems)
    reporter.finish(tally)
    return tally
