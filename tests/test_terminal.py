"""The terminal: tables that fit any width from 60 columns, text made safe, colour only when wanted."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.cells import cell_len as rich_cell_len
from rich.cells import get_character_cell_size as rich_char_len

from conftest import DATA, TODAY, assert_golden
from peelcli import __version__
from peelcli.ledger import Ledger
from peelcli.output.document import Document, Link, Part, Table, Tag, cell_text, section
from peelcli.output.terminal import document_lines, printable, terminal_width

WIDTHS = (60, 80, 120)
COMMANDS = {
    "status-west-midlands": ["status", "west-midlands"],
    "status-west-midlands-2024-08-01": ["status", "west-midlands", "--as-of", "2024-08-01"],
    "status-all": ["status", "--sector", "police"],
    "due-west-midlands": ["due", "west-midlands"],
    "due-all": ["due", "--sector", "police"],
    "chronology-since-2024": ["chronology", "--since", "2024", "--sector", "police"],
    "assess-west-midlands-2024-09-18": ["assess", "west-midlands", "--as-of", "2024-09-18"],
    "history-west-midlands": ["history", "west-midlands"],
    "diff-since-2024-09-01": ["diff", "--since", "2024-09-01", "--sector", "police"],
}


def run_at(peel, width: int | str, *args: str):
    return peel("--data-dir", str(DATA), *args, env={"COLUMNS": str(width)})


def text_of(lines) -> list[str]:
    return ["".join(span.text for span in line) for line in lines]


def words_of(document: Document) -> list[str]:
    """Every word of a document's text, as the data gives it."""
    texts = [document.title, *document.notes, document.footer]
    texts += [text for label, value in document.facts for text in (label, cell_text(value))]

    def part(p: Part) -> None:
        texts.extend([p.title, *p.paragraphs, *p.notes, p.quote or ""])
        texts.extend(text for label, value in p.facts for text in (label, cell_text(value)))
        if p.table is not None:
            texts.extend(p.table.columns if p.table.rows else [p.table.empty])
            texts.extend(cell_text(cell) for row in p.table.rows for cell in row)
        for sub in p.parts:
            part(sub)

    for p in document.parts:
        part(p)
    return [word for text in texts for word in text.split()]


def assert_fits(lines: list[str], width: int, document: Document | None = None) -> None:
    too_wide = [line for line in lines if cell_len(line) > width]
    assert not too_wide, f"wider than {width}: {too_wide[:3]}"
    if document is not None:
        missing = Counter(words_of(document)) - Counter(word for line in lines for word in line.split())
        assert not missing, f"split or lost at {width} columns: {list(missing)[:5]}"


# -- every reporting command at 60, 80 and 120 columns ----------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", COMMANDS)
def test_reporting_commands_at_60_80_and_120_columns(peel, name, width):
    result = run_at(peel, width, *COMMANDS[name])
    assert result.exit_code == 0, result.stderr
    assert_fits(result.lines, width)
    assert_golden(f"terminal/{name}.{width}.txt", result.stdout)


def views():
    """The view each reporting command draws, built as the commands build them."""
    from peelcli.assess import assess
    from peelcli.chronology import Chronology
    from peelcli.diff import since
    from peelcli.due import ForceDeadlines, NationalDeadlines, next_days
    from peelcli.history import History
    from peelcli.policy import read_policy
    from peelcli.status import ForceStatus, LedgerStatus, national
    from peelcli.timeline import standing

    today = date.fromisoformat(TODAY)
    ledger = Ledger(DATA)
    forces = ledger.load_all(today=today)
    wm = ledger.load("west-midlands", today=today)
    return {
        "status": ForceStatus(standing(wm, today)),
        "status-all": LedgerStatus(national(ledger, today, today=today)[0]),
        "status-every-force": LedgerStatus(national(ledger, date(2024, 1, 1), today=today)[0], every=True),
        "due": ForceDeadlines(standing(wm, date(2024, 6, 1)), next_days(date(2024, 6, 1))),
        "due-all": NationalDeadlines(national(ledger, today, today=today, full=True)[0], next_days(today, 3650)),
        "chronology": Chronology(national(ledger, today, today=today, full=True)[0]),
        "assess": assess(wm, date(2024, 9, 18), read_policy(None), forces),
        "history": History(ledger.load("nottinghamshire", today=today), None),
        "diff": since(forces, date(2023, 1, 1)),
    }


def test_no_line_is_wider_than_the_terminal_and_no_word_is_split_at_any_width_from_60():
    for name, view in views().items():
        document = view.document()
        for width in range(60, 201, 7):
            assert_fits(text_of(document_lines(document, width)), width, document), name


def test_the_overdue_column_is_never_dropped(peel):
    """Every column is shown, as a column or below its row: its footnote always has something to explain."""
    for width in WIDTHS:
        result = run_at(peel, width, "status", "--as-of", "2024-01-01")
        assert "Overdue" in result.stdout and "Record to" in result.stdout, width


def test_a_narrow_terminal_moves_running_text_below_its_row_rather_than_squeezing_it(peel):
    lines = run_at(peel, 60, "status", "west-midlands").lines
    assert "    Title        Effective investigations and satisfactory" in lines
    assert not any(re.search(r"investigatio$|Recommendatio$", line) for line in lines)


@pytest.mark.parametrize("columns", ["0", "-3", "wide", "", "5", "99999999999999999999"])
def test_a_nonsense_width_is_read_as_80(peel, columns):
    expected = run_at(peel, 80, "status", "west-midlands").stdout
    assert expected
    assert run_at(peel, columns, "status", "west-midlands").stdout == expected


def test_the_width_comes_from_columns_else_80_for_a_pipe():
    class Pipe:
        def isatty(self) -> bool:
            return False

    assert terminal_width({"COLUMNS": "132"}, Pipe()) == 132
    assert terminal_width({}, Pipe()) == 80


# -- generated tables -------------------------------------------------------------------------

WORD = st.text(st.sampled_from("abcdefghijKLMNOP0123456789.,;:'\"()/-_&@éßŁ漢字한글"), min_size=1, max_size=30)
"""Words of letters, digits, punctuation and characters two cells wide."""
TEXT = st.lists(WORD, max_size=8).map(" ".join)
CELL = st.one_of(TEXT, TEXT.map(lambda t: Tag(t, "uncertain")), TEXT.map(lambda t: (Link(t, "https://e.org"),)))


@st.composite
def tables(draw) -> Table:
    names = draw(st.lists(WORD, min_size=1, max_size=9, unique=True))
    rows = draw(st.lists(st.lists(CELL, min_size=len(names), max_size=len(names)), min_size=1, max_size=4))
    wrap = frozenset(draw(st.sets(st.sampled_from(names))))
    numeric = frozenset(draw(st.sets(st.sampled_from(names)))) - wrap
    return Table(names, rows, "None.", numeric, wrap)


@settings(max_examples=100, deadline=None)
@given(table=tables(), width=st.integers(60, 200), title=TEXT, facts=st.lists(st.tuples(WORD, TEXT), max_size=4))
def test_any_table_at_any_width_fits_and_keeps_every_word_whole(table, width, title, facts):
    document = Document(title or "T", facts, [Part("Part", table=table)], ["a note " + title])
    assert_fits(text_of(document_lines(document, width)), width, document)


@settings(max_examples=100, deadline=None)
@given(word=st.text(st.sampled_from("abc/.:-é漢"), min_size=61, max_size=400), width=st.integers(60, 200))
def test_a_word_wider_than_the_terminal_is_broken_only_at_the_width(word, width):
    """The last resort (a long address): broken at the width, every character kept, in order."""
    document = Document("T", parts=[section("S", ["ID", "Address"], [["x", word]], wrap=frozenset({"Address"}))])
    lines = text_of(document_lines(document, width))
    assert_fits(lines, width)
    assert word in "".join(line.strip().removeprefix("Address").strip() for line in lines)


def measured_work(document: Document, width: int, monkeypatch) -> int:
    """How many characters the layout measures, over all its measurements: the work it does."""
    import peelcli.output.terminal as terminal

    counted = [0]

    def cell_len(text: str) -> int:
        counted[0] += len(text)
        return rich_cell_len(text)

    def char_len(ch: str) -> int:
        counted[0] += 1
        return rich_char_len(ch)

    with monkeypatch.context() as patch:
        patch.setattr(terminal, "cell_len", cell_len)
        patch.setattr(terminal, "_char_len", char_len)
        terminal._long_len.cache_clear()
        document_lines(document, width)
        terminal._long_len.cache_clear()
    return counted[0]


def long_text(length: int) -> str:
    """Words, one word wider than any terminal, characters two cells wide and control characters."""
    part = length // 4
    return "word " * (part // 5) + "x" * part + "漢" * part + "\x1b" * part


@pytest.mark.parametrize("where", ["title", "fact", "running text in a table", "a table's first column"])
def test_the_layout_does_work_in_proportion_to_the_length_of_the_text(where, monkeypatch):
    """Issue 19: a 1,000,000-character title took 78 s in peel status: every cut of a word wider
    than the terminal measured the rest of it again. Ten times the text, at most twelve times the
    characters measured (counted, not timed: bench/run.py times it; a quadratic cut measures a
    hundred times as much)."""

    def document(text: str) -> Document:
        row = {"running text in a table": ["afi-1", text, "2024-01-01"], "a table's first column": [text, "s", "2024"]}
        table = Table(
            ["ID", "Text", "Raised"], [row.get(where, ["afi-1", "short", "2024-01-01"])], wrap=frozenset({"Text"})
        )
        facts = [("Phase", text if where == "fact" else "Scan")]
        return Document(text if where == "title" else "T", facts, [Part("P", table=table)])

    work = [measured_work(document(long_text(n)), 80, monkeypatch) for n in (4_000, 40_000)]
    assert work[1] <= 12 * work[0], work


# -- text made safe ---------------------------------------------------------------------------

HOSTILE = st.lists(
    st.one_of(
        st.characters(codec="utf-8"),
        st.characters(),
        st.sampled_from(
            ["\x1b", "\x1b]0;pwned\x07", "\x1b[2J", "\x9b", "\r", "\t", "\n", "\x7f", "\x00", "\u2028", "\x85"]
        ),
        st.sampled_from([chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x61C)]),
        st.sampled_from(["=cmd()", "+1", "-1", "@SUM(A1)", "https://e.org/", " "]),
    ),
    max_size=30,
).map("".join)
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]")


@settings(max_examples=300, deadline=None)
@given(text=HOSTILE)
def test_printable_text_holds_no_control_or_bidirectional_character(text):
    shown = printable(text)
    assert not UNSAFE.search(shown)
    assert printable(shown) == shown
    if not UNSAFE.search(text):
        assert shown == text


@settings(max_examples=150, deadline=None)
@given(text=HOSTILE, width=st.integers(60, 120))
def test_a_document_of_hostile_text_reaches_the_terminal_inert(text, width):
    document = Document(
        text,
        [(text, Tag(text, "phase-engage"))],
        [section(text, [text or "c", "Detail"], [[text, text]], wrap=frozenset({"Detail"}), notes=[text])],
        [text],
    )
    lines = text_of(document_lines(document, width))
    assert not any(UNSAFE.search(line) for line in lines)
    assert all(cell_len(line) <= width for line in lines)


def test_an_address_with_a_right_to_left_override_shows_it(peel, ledger):
    wm = ledger / "forces" / "west-midlands.yaml"
    text = wm.read_text(encoding="utf-8")
    wm.write_text(text.replace("title: Effective investigations", "title: https://e.org/\u202egnp.exe", 1), "utf-8")
    result = peel("--data-dir", str(ledger), "status", "west-midlands")
    assert "https://e.org/<U+202E>gnp.exe" in result.stdout
    assert "\u202e" not in result.stdout


def test_a_file_name_with_escape_sequences_is_shown_inert_in_a_problem(peel, ledger, tmp_path):
    hostile = tmp_path / "\x1b]0;pwned\x07\x1b[2J\u202e"
    result = peel("--data-dir", str(hostile), "status")
    assert result.exit_code == 2
    assert "<U+001B>]0;pwned<U+0007><U+001B>[2J<U+202E>: no ledger there" in result.stderr
    (ledger / "forces" / f"{hostile.name}.yaml").write_text("slug: [", encoding="utf-8")
    every = peel("--data-dir", str(ledger), "status")  # a file whose name is no slug: skipped, with a warning
    named = peel("--data-dir", str(ledger), "status", hostile.name)  # a name that is no force: refused
    assert (every.exit_code, named.exit_code) == (0, 1)
    assert "<U+001B>]0;pwned" in every.stderr
    for result in (every, named):
        assert not UNSAFE.search(result.stderr.replace("\n", ""))


def test_what_an_edit_says_is_shown_inert(peel, tmp_path):
    hostile = tmp_path / "\x1b[2J\u202eledger"
    (hostile / "forces").mkdir(parents=True)
    result = peel("--data-dir", str(hostile), "add-force", "kent")
    assert result.exit_code == 0, result.stderr
    assert "<U+001B>[2J<U+202E>ledger" in result.stdout
    assert not UNSAFE.search(result.stdout.replace("\n", ""))


# -- colour -----------------------------------------------------------------------------------


def test_no_color_turns_off_every_escape_even_on_a_terminal(peel):
    styled = run_at(peel, 100, "status", "metropolitan", "--as-of", "2024-01-01")
    assert "\x1b" not in styled.stdout
    forced = peel(
        "--data-dir",
        str(DATA),
        "status",
        "metropolitan",
        env={"FORCE_COLOR": "1", "NO_COLOR": None, "TERM": "xterm-256color"},
    )
    assert "\x1b[1m" in forced.stdout, "a terminal that wants styles gets them"
    plain = peel(
        "--data-dir",
        str(DATA),
        "status",
        "metropolitan",
        env={"FORCE_COLOR": "1", "NO_COLOR": "1", "TERM": "xterm-256color"},
    )
    assert "\x1b" not in plain.stdout


def test_a_verdict_is_never_green():
    from peelcli.output.terminal import tag_style

    for verdict in ("justified", "arguable", "not-justified"):
        assert "green" not in tag_style(f"verdict-{verdict}")
    assert tag_style("phase-engage") != tag_style("phase-scan")


# -- the command line -------------------------------------------------------------------------


def test_version_prints_and_exits_zero(peel):
    for args in (["--version"], ["--version", "status"], ["--data-dir", "no-such-folder", "--version"]):
        result = peel(*args)
        assert (result.exit_code, result.stdout) == (0, f"peel {__version__}\n"), args
