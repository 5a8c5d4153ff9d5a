"""No raw control character reaches a terminal from any command, in any format; data keeps the
exact text.

Issue 19: CSV to a terminal, and Markdown and HTML to a pipe, carried raw ESC and NUL from the
ledger; ``validate`` (text and github formats) printed a file name holding ESC raw in the
location. The property: a ledger whose every text is generated hostile text (escape sequences,
NUL, C1 controls, bidirectional controls, line separators, Markdown and HTML syntax, formula
starts), in a folder whose name is hostile, with a stray file whose name is hostile, through
every command and format:

- nothing on standard output or standard error holds a raw control character (but a line
  break or a tab), a bidirectional control or NUL, except a CSV export written to a pipe,
  which is data;
- what is data keeps the exact text: JSON everywhere (``\\uXXXX`` escapes), CSV to a file or a
  pipe (each cell as the ledger has it, with the apostrophe that keeps a formula inert);
- files peel writes for people (Markdown, HTML, a site) hold none either.

How each medium differs: to a terminal, a CSV export is text for a person (controls shown as
``<U+XXXX>``, rows ending in a bare line break); to a file or a pipe it is data, exact; JSON is
the same everywhere.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import strategies as st

from conftest import run_peel, scaled_examples
from peelcli.export import csv_cell
from peelcli.output import streams

B = "borsetshire"
X = "HOSTILEX"
"""Where a generated text goes: every text field of the made-up ledger holds this, whole."""
BUILD = [
    ("add-force", B, "--name", X),
    ("add-source", B, "--id", "letter", "--kind", "phase-decision-letter", "--title", X, "--url",
     "https://example.org/letter", "--sent", "2024-02-01", "--notes", X),
    ("add-officer", B, "--name", X, "--role", X, "--noted-on", "2024-02-01", "--source", "letter"),
    ("add-concern", B, "--id", "coc-1", "--title", X, "--raised", "2023-10", "--text", X, "--source", "letter"),
    ("add-rec", B, "coc-1", "--id", "rec-1", "--text", X, "--deadline", "Within three months", "--source", "letter"),
    ("add-afi", B, "--id", "afi-1", "--text", X, "--raised", "2023-10-01", "--source", "letter"),
    ("move", B, "engage", "--on", "2024-01", "--source", "letter", "--decided-by", X, "--reason", X),
    ("add-uncertainty", B, "--id", "unc-1", "--about", X, "--note", X, "--subject", "coc-1"),
    ("add-metric", B, "--name", X, "--period-end", "2024-08", "--value", "1", "--unit", X, "--source", "letter"),
    ("checked", B, "--to", "2024-09-30", "--note", X),
]  # fmt: skip
REGISTRY = f"forces:\n  - slug: {B}\n    name: {X}\n  - slug: kent\n    name: Kent Police\n"
"""One hostile name in the registry (two would be the same name to peel, which names must not be)."""

DANGEROUS = [
    *(chr(c) for c in range(0x20)),
    *(chr(c) for c in range(0x7F, 0xA0)),
    *(chr(c) for c in (0x61C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x2028, 0x2029)),
    "\x1b[31m",
    "\x1b]0;pwned\x07",
    "\x1b[2J",
    "\ufeff",
    "=cmd()",
    "+1",
    "@SUM(A1)",
    "<script>",
    "[x](javascript:alert(1))",
    "&lt;",
    "|",
    '"',
    "\\",
    "'",
    "😀",
    "漢",
]
TEXT = (
    st.lists(st.one_of(st.sampled_from(DANGEROUS), st.characters(exclude_categories=("Cs",))), min_size=1, max_size=40)
    .map("".join)
    .filter(lambda text: text.split())  # a blank text is refused by validate, rightly
)
"""Up to 40 characters, many of them dangerous."""
NAME = (
    st.lists(st.one_of(st.sampled_from(DANGEROUS), st.characters(exclude_categories=("Cs",))), min_size=1, max_size=12)
    .map("".join)
    .map(lambda name: name.replace("/", "_").replace("\x00", "_"))
    .filter(lambda name: name not in (".", "..") and len(name.encode()) < 100)
)
"""A file or folder name: anything a file system holds (no ``/``, no NUL)."""

FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
"""A raw control (but a tab or line break), a bidirectional control or a separator."""


def yaml_quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar, anything not plainly printable escaped."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch.isprintable() and not FORBIDDEN.match(ch) and ch != "\ufeff":
            out.append(ch)
        else:
            out.append(f"\\u{ord(ch):04x}" if ord(ch) < 0x10000 else f"\\U{ord(ch):08x}")
    return '"' + "".join(out) + '"'


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("safe-text") / "base"
    (root / "forces").mkdir(parents=True)
    (root / "registry.yaml").write_text(REGISTRY, encoding="utf-8")
    for args in BUILD:
        result = run_peel("--data-dir", str(root), *args)
        assert result.exit_code == 0, (args, result.stderr)
    return root


def hostile_ledger(base: Path, folder: Path, text: str, stray: str) -> Path:
    """A copy of the base ledger in ``folder``, every placeholder holding ``text``, and a stray
    file named ``stray``."""
    shutil.copytree(base, folder)
    for path in (folder / "forces" / f"{B}.yaml", folder / "registry.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace(X, yaml_quoted(text)), encoding="utf-8")
    (folder / "forces" / f"{stray}.yaml").write_text("slug: x\n", encoding="utf-8")
    return folder


def assert_inert(text: str, what: str) -> None:
    found = FORBIDDEN.search(text)
    if found:
        around = text[max(0, found.start() - 60) : found.start() + 20]
        raise AssertionError(f"{what}: raw U+{ord(found.group()):04X} at {found.start()}: {around!r}")


def records(exported: str) -> dict:
    return next(f["record"] for f in json.loads(exported, parse_float=Decimal)["forces"] if f["force"] == B)


def csv_row(exported: str) -> dict[str, str]:
    return next(row for row in csv.DictReader(io.StringIO(exported, newline="")) if row["recommendation"] == "rec-1")


@scaled_examples(5, HealthCheck.filter_too_much)
@given(text=TEXT, folder=NAME, stray=NAME, out=NAME)
def test_every_command_and_format_keeps_hostile_text_inert_or_exact(
    base, tmp_path_factory, monkeypatch, text, folder, stray, out
):
    work = tmp_path_factory.mktemp("hostile")
    ledger = hostile_ledger(base, work / folder, text, stray)
    outputs = work / "outputs"
    outputs.mkdir()
    data = ("--data-dir", str(ledger))

    def run(*args: str, terminal: bool = False):
        with monkeypatch.context() as patch:
            patch.setattr(streams, "stdout_is_terminal", lambda: terminal)
            result = run_peel(*data, *args)
        said = f"peel {' '.join(args)}"
        assert result.exception is None, f"{said} raised {result.exception!r}"
        assert result.exit_code in (0, 1, 2), f"{said}: exit {result.exit_code}\n{result.stderr}"
        assert_inert(result.stderr, f"{said}: standard error")
        return result

    shown = []
    for fmt in ("table", "json", "markdown"):
        for args in (("status",), ("status", B), ("assess", B), ("history", B), ("diff", "--since", "2020-01-01")):
            shown.append(run(*args, "-f", fmt))
            assert shown[-1].exit_code in (0, 1), shown[-1].stderr  # 1: the stray file
            if fmt == "json" and shown[-1].stdout:
                json.loads(shown[-1].stdout)
    for fmt in ("text", "json", "github"):
        shown.append(run("validate", "-f", fmt))
    for fmt in ("markdown", "html"):
        shown.append(run("report", B, "-f", fmt))
    shown.append(run("add-afi", B, "--id", "afi-new", "--text", text, "--raised", "2024-01-01", "--dry-run"))
    shown.append(run("ingest", str(work / f"{out}.txt")))
    for result in shown:
        assert_inert(result.stdout, "standard output")

    # An export refuses a ledger with a stray file: without it, to a pipe, to a terminal, to files.
    (ledger / "forces" / f"{stray}.yaml").unlink()
    piped = {fmt: run("export", "-f", fmt, "--out", "-") for fmt in ("csv", "json")}
    assert piped["json"].exit_code == 0, piped["json"].stderr
    assert_inert(piped["json"].stdout, "export -f json to a pipe")
    assert records(piped["json"].stdout)["areas_for_improvement"][0]["text"] == text
    # (the test's runner reads standard output with CRLF folded to LF; the file below is read exactly)
    assert csv_row(piped["csv"].stdout)["text"] == csv_cell(text).replace("\r\n", "\n")
    for fmt in ("csv", "json"):
        on_terminal = run("export", "-f", fmt, "--out", "-", terminal=True)
        assert on_terminal.exit_code == 0, on_terminal.stderr
        assert_inert(on_terminal.stdout, f"export -f {fmt} to a terminal")
    for fmt in ("csv", "json", "sqlite"):
        written = run("export", "-f", fmt, "--out", str(outputs / f"{out}.{fmt}"))
        assert written.exit_code == 0, written.stderr
        assert_inert(written.stdout, f"export -f {fmt} --out")
    assert csv_row((outputs / f"{out}.csv").read_bytes().decode("utf-8"))["text"] == csv_cell(
        text
    )  # no newline translation
    assert records((outputs / f"{out}.json").read_text(encoding="utf-8"))["areas_for_improvement"][0]["text"] == text
    for fmt in ("markdown", "html"):
        report = run("report", B, "-f", fmt, "--out", str(outputs / f"{out}.{fmt}"))
        assert report.exit_code == 0, report.stderr
        assert_inert((outputs / f"{out}.{fmt}").read_text(encoding="utf-8"), f"report -f {fmt} --out")
    site = run("site", str(outputs / f"site-{out}"))
    assert site.exit_code == 0, site.stderr
    for page in (outputs / f"site-{out}").rglob("*.html"):
        assert_inert(page.read_text(encoding="utf-8"), str(page))
    edit = run("add-afi", B, "--id", "afi-new", "--text", text, "--raised", "2024-01-01")
    assert edit.exit_code == 0, edit.stderr
    assert_inert(edit.stdout, "add-afi")


def test_a_csv_export_on_a_real_terminal_shows_controls_and_to_a_pipe_keeps_them(base, tmp_path):
    """The installed peel, its standard output a pseudo-terminal, then a pipe."""
    import os
    import pty
    import subprocess
    import sys

    ledger = hostile_ledger(base, tmp_path / "data", "red \x1b[31malert\u202e", "stray")
    (ledger / "forces" / "stray.yaml").unlink()
    script = Path(sys.executable).with_name("peel")
    command = [str(script)] if script.is_file() else [sys.executable, "-m", "peelcli"]
    command += ["--data-dir", str(ledger), "export", "-f", "csv", "--out", "-"]
    env = {**os.environ, "PEEL_TODAY": "2026-11-26"}
    main, child = pty.openpty()
    process = subprocess.Popen(command, stdout=child, stderr=subprocess.PIPE, env=env)
    os.close(child)
    shown = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        shown += chunk
    os.close(main)
    assert process.wait(timeout=60) == 0, process.stderr.read()
    text = shown.decode("utf-8")
    assert "red <U+001B>[31malert<U+202E>" in text
    assert_inert(text.replace("\r\n", "\n"), "CSV on a terminal")
    piped = subprocess.run(command, capture_output=True, env=env, check=True).stdout.decode("utf-8")
    assert "red \x1b[31malert\u202e" in piped
