"""The command line: parse options, call the core, hand its view to the output layer.

Nothing else lives here: commands live by kind in :mod:`.reporting`, :mod:`.editing` and
:mod:`.ingest`, and share what :mod:`.shell` holds. Heavy imports (pydantic-core, Rich) happen
inside the commands that need them, and only the command being run is built (:func:`main`), so
``peel --help`` and a single command cost little more than importing Typer.
"""

from __future__ import annotations

import contextlib
import gc
import os
import shlex
import sys

import typer

from ..problems import EXIT_INTERNAL
from . import editing, hmicfrs, ingest, reporting  # noqa: F401 - importing a command module registers its commands
from .editing import edit_step
from .shell import COMMANDS, build_app

__all__ = ["app_for", "build_app", "completing", "edit_step", "invoked_command", "main"]


_GLOBAL_WITH_VALUE = ("--data-dir",)


def invoked_command(argv: list[str]) -> str | None:
    """The command an argument list runs, when it names one peel has; else ``None`` (help, a
    typo), for which every command is listed by name and help."""
    skip = False
    for i, arg in enumerate(argv):
        if skip:
            skip = False
        elif arg in _GLOBAL_WITH_VALUE:
            skip = True
        elif arg == "--":  # what follows is positional: its first word is the command
            following = argv[i + 1 : i + 2]
            return following[0] if following and following[0] in COMMANDS else None
        elif not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None


def completing(environ=None) -> list[str] | None:
    """When a shell asks for completions, the words typed before the one being completed (so
    only the command they name is built, as for a run); else ``None``."""
    environ = os.environ if environ is None else environ
    if not any(key.endswith("_COMPLETE") for key in environ):
        return None
    if "COMP_WORDS" in environ:  # bash: the words and the index of the one being completed
        words = _split(environ["COMP_WORDS"])
        try:
            return words[1 : int(environ.get("COMP_CWORD", ""))]
        except ValueError:
            return words[1:]
    typed = environ.get("_TYPER_COMPLETE_ARGS", "")  # zsh, fish, PowerShell: the line up to the cursor
    words = _split(typed)[1:]
    return words if typed.endswith(" ") else words[:-1]


def _split(line: str) -> list[str]:
    """The words of a command line as the shell reads them; the word being typed may be in a
    quote not yet closed."""
    for closing in ("", '"', "'"):
        try:
            return shlex.split(line + closing)
        except ValueError:
            continue
    return line.split()


def app_for(argv: list[str]) -> typer.Typer:
    words = completing()
    name = invoked_command(argv if words is None else words)
    return build_app([name]) if name else build_app(listing=True)


COLLECT_EVERY = (50_000, 20, 20)
"""The garbage collector's thresholds for a run (Python's default: 700, 10, 10; the test suite's
are these too). A run is short, makes few reference cycles and many objects: YAML nodes and
values by the thousand a file, and, for a whole-ledger command, every force, kept to the end. At
the default, the collector's passes over all that took about two fifths of ``peel status`` over
1,000 files and a sixth of ``peel validate``; at these, under a tenth of a second (mypy raises
its thresholds for the same reason)."""


def main() -> None:
    """Entry point: no input, however broken, ends in a Python traceback; and no standard
    output or error, however broken, ends in exit 70 (see :mod:`peelcli.output.streams`)."""
    gc.set_threshold(*COLLECT_EVERY)
    try:
        app_for(sys.argv[1:])(prog_name="peel")
    except KeyboardInterrupt:
        _say("interrupted\n")
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("PEEL_DEBUG"):
            raise
        _say(
            f"peel: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in peel, not in your ledger: please report it (PEEL_DEBUG=1 shows details).\n"
        )
        sys.exit(EXIT_INTERNAL)


def _say(text: str) -> None:
    """A last word on standard error, which may itself be closed or full."""
    from ..output.controls import visible_lines

    with contextlib.suppress(Exception):
        sys.stderr.write(visible_lines(text))
        sys.stderr.flush()
