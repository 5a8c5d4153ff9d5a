"""The one way peel reports what is wrong: a located problem, and the error that carries them.

Rules produce problems that point at a *path* inside a force file (``("causes_of_concern", 0,
"closure", "closed_on")``); the reader turns the path into a line and column. Everything the
command line shows to a user on failure is a ``Problem`` printed as
``file:line:col: severity: message``.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

Severity = Literal["error", "warning"]
Path = tuple[str | int, ...]

EXIT_REFUSED = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70


class Problem(NamedTuple):
    message: str
    severity: Severity = "error"
    file: str | None = None
    line: int | None = None
    column: int | None = None
    path: Path = ()
    see: Path = ()

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def at(self, file: str | None, line: int | None = None, column: int | None = None) -> Problem:
        return self._replace(file=file, line=line, column=column)

    def location(self) -> str | None:
        if self.file is None:
            return None
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        where = self.location()
        prefix = f"{where}: " if where else ""
        return f"{prefix}{self.severity}: {self.message}"


def error(message: str, path: Path = (), see: Path = ()) -> Problem:
    return Problem(message, "error", path=path, see=see)


def warning(message: str, path: Path = ()) -> Problem:
    return Problem(message, "warning", path=path)


class PeelError(Exception):
    """A refusal: bad input, a wrong id, an edit that would break a file.

    ``exit_code`` is 1 for a refusal and 2 for a usage error, as every command documents.
    """

    def __init__(self, problems: Problem | str | list[Problem], exit_code: int = EXIT_REFUSED):
        if isinstance(problems, str):
            problems = Problem(problems)
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        self.exit_code = exit_code
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def usage_error(message: str) -> PeelError:
    return PeelError(Problem(message), exit_code=EXIT_USAGE)


def has_errors(problems: list[Problem]) -> bool:
    return any(p.is_error for p in problems)
