"""``peel validate``: check files one at a time and hand each file's problems to a reporter.

Files are read, checked and forgotten in turn, so memory stays flat however large the ledger.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .ledger import FORCES, REGISTRY, display_path, read_force_file
from .problems import Problem, usage_error


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


def check_files(files: Iterable[Path], *, today: date) -> Iterator[tuple[str, list[Problem]]]:
    for path in files:
        if path.name == REGISTRY:
            from .ledger import read_registry_problems

            yield display_path(path), read_registry_problems(path)
        else:
            reading = read_force_file(path, today=today)
            yield reading.name, reading.problems


@dataclass
class Tally:
    files: int = 0
    errors: int = 0
    warnings: int = 0
    files_with_errors: int = 0

    def add(self, problems: list[Problem]) -> None:
        self.files += 1
        errors = sum(1 for p in problems if p.is_error)
        self.errors += errors
        self.warnings += len(problems) - errors
        self.files_with_errors += 1 if errors else 0

    def summary(self) -> str:
        from .render import plural

        verdict = "valid" if not self.errors else f"{plural(self.files_with_errors, 'file')} with errors"
        return (
            f"{plural(self.files, 'file')} checked: {plural(self.errors, 'error')}, "
            f"{plural(self.warnings, 'warning')} ({verdict})"
        )


def github_annotation(problem: Problem) -> str:
    """A GitHub Actions workflow command, escaped as the Actions toolkit escapes it."""

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


def problem_json(problem: Problem) -> dict:
    return {
        "file": problem.file,
        "line": problem.line,
        "column": problem.column,
        "severity": problem.severity,
        "message": problem.message,
    }


def run(files: list[Path], *, today: date, fmt: str, write) -> Tally:
    """Check ``files`` and report through ``write`` (a function taking a line of text)."""
    tally = Tally()
    collected: list[dict] = []
    for _name, problems in check_files(files, today=today):
        tally.add(problems)
        for problem in problems:
            if fmt == "json":
                collected.append(problem_json(problem))
            elif fmt == "github":
                write(github_annotation(problem))
            else:
                write(str(problem))
    if fmt == "json":
        write(
            json.dumps(
                {
                    "valid": tally.errors == 0,
                    "files": tally.files,
                    "errors": tally.errors,
                    "warnings": tally.warnings,
                    "problems": collected,
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        write(tally.summary())
    return tally
