"""Standard output that cannot take what peel writes: closed, full, a pipe whose reader has gone,
an encoding that cannot hold the text. Every command, as a real process.

Issue 19: an edit was written, then standard output was full or closed and peel exited 70 ("a
bug in peel"); a retry said "already closed". Now (see :mod:`peelcli.output.streams`):

- a command that had written its files (an edit, ``init``, an export or report to a file, a
  site) exits 0 with a note on standard error: the work is done, only its summary is lost;
- any other exits 1: ``error: could not write to standard output: REASON``;
- a reader that has gone is no failure: exit 0 (``validate``: by what it found);
- an encoding that cannot hold a character gets the medium's own escape (JSON ``\\uXXXX``,
  HTML and Markdown ``&#x...;``, text ``<U+XXXX>``); a CSV export is refused rather than changed.

No command ever exits 70 or prints a traceback. The processes are forked from one helper that
imported peel once (tests/forkpeel.py), each with its standard output set up as the process
would have found it; a few more run the installed ``peel`` executable.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

import pytest

from conftest import DATA, ENV, run_peel
from forkpeel import STDOUTS, ForkedPeel

PEEL_ENV = {k: v for k, v in ENV.items() if v is not None}
B = "borsetshire"
LETTER = "engage-letter-2024-02"
REGISTRY = (
    "forces:\n"
    "  - slug: borsetshire\n    name: Borsetshire Constabulary\n"
    "  - slug: kent\n    name: Kent Police\n"
    "  - slug: felpersham\n    name: Felpersham Police\n"
)
BUILD = [
    ("add-force", B),
    (
        "add-source", B, "--id", LETTER, "--kind", "phase-decision-letter", "--title",
        "Borsetshire Constabulary’s move to enhanced monitoring", "--url", "https://example.org/borsetshire/engage",
        "--sent", "2024-02-01",
    ),
    (
        "add-source", B, "--id", "return", "--kind", "return-letter", "--title",
        "Borsetshire Constabulary’s return to Scan", "--url", "https://example.org/borsetshire/scan",
        "--sent", "2024-09-02",
    ),
    ("add-officer", B, "--name", "C. Constable", "--role", "Chief Constable", "--noted-on", "2024-02-01"),
    ("add-concern", B, "--id", "coc-calls", "--title", "Answering calls’", "--raised", "2023-10", "--source", LETTER),
    ("add-rec", B, "coc-calls", "--id", "rec-answer", "--text", "answer calls", "--deadline", "Within 3 months"),
    ("add-rec", B, "coc-calls", "--id", "rec-review", "--text", "review abandoned calls"),
    ("add-afi", B, "--id", "afi-data", "--text", "the force’s crime data", "--raised", "2023-10", "--source", LETTER),
    ("move", B, "engage", "--on", "2024-01", "--source", LETTER, "--decided-by", "HM Chief Inspector"),
    ("add-uncertainty", B, "--id", "unc-day", "--about", "the day of the move", "--note", "the month only"),
]  # fmt: skip
"""A made-up force (every name, date and address is an example) with something of every kind."""


class Case(NamedTuple):
    args: tuple[str, ...]  # {out} and {dir} stand for a fresh file and folder outside the ledger
    writes: bool  # the command writes files: its work is done even when its summary is lost


def case(*args: str, writes: bool = False) -> Case:
    return Case(args, writes)


EDITS = [
    case("close-rec", B, "rec-answer", "--on", "2024-09-01", "--evidence", "met"),
    case("close-concern", B, "coc-calls", "--on", "2024-09-01", "--evidence", "met", "--reason", "the letter says so"),
    case("close-afi", B, "afi-data", "--on", "2024-09-01", "--evidence", "met"),
    case("add-force", "kent"),
    case("add-source", B, "--id", "news", "--kind", "news-release", "--title", "News", "--url", "https://e.org/n"),
    case("add-meeting", B, "--held", "2024-03-01", "--recorded-in", LETTER),
    case("edit-source", B, LETTER, "--notes", "the letter"),
    case("cite", B, "rec-answer", "--source", LETTER),
    case("add-concern", B, "--id", "coc-two", "--title", "Two", "--raised", "2024-03"),
    case("add-rec", B, "coc-calls", "--id", "rec-three", "--text", "three"),
    case("add-afi", B, "--id", "afi-two", "--text", "two", "--raised", "2024-03-01"),
    case("add-officer", B, "--name", "D. Deputy", "--role", "Deputy Chief Constable", "--noted-on", "2024-03-01"),
    case("add-body", B, "--name", "P. Commissioner", "--role", "PCC", "--kind", "pcc", "--noted-on", "2024-03-01"),
    case("add-metric", B, "--name", "calls", "--period-end", "2024-08", "--value", "91.5", "--unit", "percent"),
    case("add-inspection", B, "--id", "revisit", "--title", "Revisit", "--fieldwork-from", "2024-08"),
    case("add-uncertainty", B, "--about", "a date", "--note", "a doubt"),
    case("resolve-uncertainty", B, "unc-day", "--on", "2024-09-01", "--evidence", "a later letter"),
    case("checked", B, "--to", "2024-09-30", "--note", "the example's letters"),
    case("move", B, "scan", "--on", "2024-09-02", "--source", "return", "--override", "--reason", "the letter says so"),
]
EDITS = [case(*edit.args, writes=True) for edit in EDITS]
EDITS += [case(*EDITS[n].args, "--dry-run") for n in (0, 4, 18)]  # a dry run writes nothing: its diff is its output

REPORTS = [
    case("status"),
    case("status", "-f", "json"),
    case("status", "-f", "markdown"),
    case("status", B),
    case("status", B, "-f", "json"),
    case("status", B, "-f", "markdown"),
    case("validate"),
    case("validate", "-f", "json"),
    case("validate", "-f", "github"),
    case("assess", B),
    case("assess", B, "-f", "json"),
    case("assess", B, "-f", "markdown"),
    case("history", B),
    case("history", B, "-f", "json"),
    case("history", B, "-f", "markdown"),
    case("diff", "--since", "2023-01-01"),
    case("diff", "--since", "2023-01-01", "-f", "json"),
    case("diff", "--since", "2023-01-01", "-f", "markdown"),
    case("report", B),
    case("report", B, "-f", "html"),
    case("export", "-f", "csv", "--out", "-"),
    case("export", "-f", "json", "--out", "-"),
    case("schema"),
    case("--help"),
    case("status", "--help"),
    case("--version"),
    case("report", B, "--out", "{out}", writes=True),
    case("export", "-f", "csv", "--out", "{out}", writes=True),
    case("export", "-f", "json", "--out", "{out}", writes=True),
    case("export", "-f", "sqlite", "--out", "{out}", writes=True),
    case("site", "{dir}", writes=True),
    case("init", "{dir}", writes=True),
]
CASES = REPORTS + EDITS
REASONS = {"closed": "it is closed", "full": "No space left on device"}


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """The made-up ledger, built once by peel's own editing commands."""
    root = tmp_path_factory.mktemp("streams") / "base"
    (root / "forces").mkdir(parents=True)
    (root / "registry.yaml").write_text(REGISTRY, encoding="utf-8")
    for args in BUILD:
        result = run_peel("--data-dir", str(root), *args)
        assert result.exit_code == 0, (args, result.stderr)
    return root


@pytest.fixture(scope="module")
def forked(base, tmp_path_factory):
    """The fork helper, with every module the commands import lazily imported once."""
    with ForkedPeel(PEEL_ENV) as helper:
        warm = tmp_path_factory.mktemp("warm-up")
        kinds = {c.args[0]: c for c in CASES if not c.args[0].startswith("-")}  # one command of each name
        helper.warm_up([place(base, warm / str(n), c.args).argv for n, c in enumerate(kinds.values())])
        yield helper


class Place(NamedTuple):
    folder: Path
    argv: list[str]


def place(base: Path, folder: Path, args: tuple[str, ...]) -> Place:
    """A copy of the base ledger in ``folder`` (``data/``), and the command's argv there; its
    output, when it writes one, is ``output``."""
    shutil.copytree(base, folder / "data", ignore=shutil.ignore_patterns("schema"))
    out = str(folder / "output")
    return Place(
        folder, ["--data-dir", str(folder / "data"), *(arg.replace("{out}", out).replace("{dir}", out) for arg in args)]
    )


def state(where: Place) -> dict[str, bytes]:
    """Every file under the place, by its path there: the ledger's, and the command's output."""
    return {str(p.relative_to(where.folder)): p.read_bytes() for p in sorted(where.folder.rglob("*")) if p.is_file()}


def test_every_command_ends_plainly_whatever_standard_output_does(base, forked, tmp_path):
    """A table: every command, with standard output closed, full, a pipe closed early, and ASCII."""
    shared = place(base, tmp_path / "shared", ())  # what only reads shares one ledger
    unchanged = state(shared)

    def place_for(mode: str, n: int, command: Case) -> Place:
        if command.writes or "--dry-run" in command.args:
            return place(base, tmp_path / f"{mode}-{n}", command.args)
        return Place(shared.folder, [*shared.argv, *command.args])

    places = {mode: [place_for(mode, n, c) for n, c in enumerate(CASES)] for mode in ("normal", *STDOUTS)}
    outcomes = {
        mode: forked.run_together([p.argv for p in places[mode]], stdout=None if mode == "normal" else mode)
        for mode in places
    }
    for n, command in enumerate(CASES):
        reference, normal_place = outcomes["normal"][n], places["normal"][n]
        assert reference.returncode == 0, (command.args, reference.stderr)
        written = state(normal_place)

        def same(text: str, where: Place) -> str:
            return text.replace(str(where.folder), "PLACE")

        for mode in STDOUTS:
            done, where = outcomes[mode][n], places[mode][n]
            said = f"peel {' '.join(command.args)} with standard output {mode}: exit {done.returncode}\n{done.stderr}"
            assert done.returncode in (0, 1), said
            assert "Traceback" not in done.stderr and "internal error" not in done.stderr, said
            if mode in REASONS:
                reason = REASONS[mode]
                if command.writes:
                    assert done.returncode == 0, said
                    assert f"but its summary could not be written to standard output: {reason}\n" in done.stderr, said
                else:
                    assert done.returncode == 1, said
                    assert done.stderr.endswith(f"error: could not write to standard output: {reason}\n"), said
            elif mode == "broken-pipe":
                assert done.returncode == 0, said
                assert same(done.stderr, where) == same(reference.stderr, normal_place), said
            elif command.args[:3] == ("export", "-f", "csv") and command.args[-1] == "-":
                assert done.returncode == 1, said  # CSV has no escape for what ASCII cannot hold: refused, not changed
                assert done.stderr.startswith("error: standard output takes ascii, which cannot hold"), said
            else:
                assert done.returncode == 0, said
                done.stdout.encode("ascii")  # what ASCII cannot hold is escaped, never raw
                if "json" in command.args and "--out" not in command.args:
                    shown, expected = same(done.stdout, where), same(reference.stdout, normal_place)
                    assert json.loads(shown, parse_float=Decimal) == json.loads(expected, parse_float=Decimal), said
            # The work is done (or, for a dry run or a report, nothing is written), whatever became of its output.
            if where.folder == shared.folder:
                continue
            after = state(where)
            assert after.keys() == written.keys(), said
            assert [name for name in written if after[name] != written[name] and not name.endswith(".db")] == [], said
    assert state(shared) == unchanged, "a command that only reads wrote into the ledger"


def test_what_ascii_cannot_hold_is_written_in_each_mediums_own_escape(base, forked):
    ledger = ["--data-dir", str(base)]
    table = forked.run([*ledger, "status", B], stdout="ascii").stdout
    assert "the force<U+2019>s crime data" in table
    assert "─" not in table
    assert max(len(line) for line in table.splitlines()) <= int(PEEL_ENV["COLUMNS"])  # laid out as shown
    history = forked.run([*ledger, "history", B], stdout="ascii").stdout
    assert "-" * 20 in history and "─" not in history  # the table's rule, drawn in what ASCII holds
    markdown = forked.run([*ledger, "status", B, "-f", "markdown"], stdout="ascii").stdout
    assert "the force&#x2019;s crime data" in markdown
    html = forked.run([*ledger, "report", B, "-f", "html"], stdout="ascii").stdout
    assert "the force&#x2019;s crime data" in html
    exported = forked.run([*ledger, "export", "-f", "json", "--out", "-"], stdout="ascii").stdout
    assert "the force\\u2019s crime data" in exported


def installed_peel() -> list[str]:
    script = Path(sys.executable).with_name("peel")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "peelcli"]


@pytest.mark.parametrize("mode", ["closed", "ascii"])
def test_the_installed_peel_records_an_edit_whatever_standard_output_does(base, tmp_path, mode):
    """The real entry point, as a shell starts it (``>&-``, ``PYTHONIOENCODING=ascii``): the two
    ways of failing the interpreter itself sets up, which the forked runs imitate."""
    where = place(base, tmp_path, EDITS[0].args)
    env = {**os.environ, **PEEL_ENV, "PYTHONIOENCODING": "ascii" if mode == "ascii" else "utf-8"}
    before = state(where)
    stdout = {"full": open("/dev/full", "wb"), "broken-pipe": subprocess.PIPE}.get(mode, subprocess.DEVNULL)  # noqa: SIM115
    process = subprocess.Popen(
        [*installed_peel(), *where.argv],
        stdout=stdout,
        stderr=subprocess.PIPE,
        env=env,
        preexec_fn=(lambda: os.close(1)) if mode == "closed" else None,
    )
    if mode == "broken-pipe":
        process.stdout.close()  # the reader goes before peel writes a word
    _, stderr = process.communicate(timeout=60)
    if mode == "full":
        stdout.close()
    said = f"{mode}: exit {process.returncode}\n{stderr.decode()}"
    assert process.returncode == 0, said
    assert state(where) != before, said
    if mode in REASONS:
        assert stderr.decode().splitlines()[-1] == (
            f"note: done (1 file written), but its summary could not be written to standard output: {REASONS[mode]}"
        ), said
    again = run_peel(*where.argv)
    assert again.exit_code == 1 and "already closed" in again.stderr  # the edit was made once, and stays made


def test_a_report_into_a_full_standard_output_exits_1_naming_the_reason(forked):
    done = forked.run(["--data-dir", str(DATA), "status"], stdout="full")
    assert done.returncode == 1
    assert done.stderr == "error: could not write to standard output: No space left on device\n"


def test_a_command_that_failed_keeps_its_exit_code_when_its_summary_is_lost(base, forked, tmp_path):
    """A site built beside an invalid force file exits 1 (peel validate says why); standard output
    failing too must not turn that into success."""
    where = place(base, tmp_path, ("site", "{dir}"))
    (where.folder / "data" / "forces" / "kent.yaml").write_text("slug: kent\nname: [not, text]\n", encoding="utf-8")
    done = forked.run(where.argv, stdout="full")
    assert done.returncode == 1, done.stderr
    assert "forces/kent.yaml" in done.stderr
