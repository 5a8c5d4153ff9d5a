"""Large ledgers are written as they are read: ``peel export -f json`` an entry at a time and
``peel site`` a page (and an index row) at a time, so memory stays flat in the number of files
(``bench/run.py --check`` measures it). Streaming changes no byte: the outputs of a fixed ledger
are held to digests of what peel wrote before it streamed, and the streamed pieces to the whole
texts they stand for, over generated hostile text.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import GOLDEN, assert_golden
from peelcli.export import json_pieces
from peelcli.files import write_pieces
from peelcli.ledger import find_ledger
from peelcli.output.document import Document, MadeRows, Part, Table, Tag
from peelcli.output.html import html_page, html_pieces
from peelcli.output.jsontext import json_text
from peelcli.policy import read_policy
from peelcli.problems import PeelError
from peelcli.site import Gathering, site_pages, write_site
from peelcli.status import national

SECTORS_LEDGER = Path(__file__).parent / "fixtures" / "sectors"


def digests(export: Path, site: Path) -> str:
    """One line per file written, ``sha256  name``: the export, then each page of the site."""
    files = [("export.json", export), *((str(p.relative_to(site)), p) for p in sorted(site.rglob("*.html")))]
    return "".join(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {name}\n" for name, path in files)


def test_streamed_export_and_site_are_byte_for_byte_what_peel_wrote_whole(peel, tmp_path):
    """The digests in the golden file were taken from peel before it streamed (the same ledger,
    the same day): a streamed export or page that differs by one byte fails here."""
    export, site = tmp_path / "export.json", tmp_path / "site"
    assert peel("--data-dir", str(SECTORS_LEDGER), "export", "-f", "json", "-o", str(export)).exit_code == 0
    assert peel("--data-dir", str(SECTORS_LEDGER), "site", str(site)).exit_code == 0
    assert_golden("streaming-sectors.sha256", digests(export, site))


def test_the_export_streamed_to_standard_output_is_the_file(peel, tmp_path):
    out = tmp_path / "export.json"
    assert peel("--data-dir", str(SECTORS_LEDGER), "export", "-f", "json", "-o", str(out)).exit_code == 0
    piped = peel("--data-dir", str(SECTORS_LEDGER), "export", "-f", "json")
    assert piped.exit_code == 0
    assert piped.stdout == out.read_text(encoding="utf-8")


def test_the_golden_digests_cover_every_page():
    names = [line.split("  ", 1)[1] for line in (GOLDEN / "streaming-sectors.sha256").read_text().splitlines()]
    assert names[0] == "export.json" and "index.html" in names
    assert sum(name.startswith("forces/") for name in names) == 13  # 7 forces and 6 services in the registry


# -- the pieces are the whole -------------------------------------------------------------------

hostile = st.text(st.characters(codec="utf-8"), max_size=30) | st.sampled_from(
    ["", "\u202e", "\u2028", "\x7f", "\x85", '"', "\\", "</script>", "\ud800"]
)
scalars = st.none() | st.booleans() | st.integers() | hostile | st.decimals(allow_nan=False, allow_infinity=False)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(hostile, inner, max_size=3),
    max_leaves=12,
)
entries = st.lists(st.dictionaries(hostile, values, max_size=4), max_size=4)
heads = st.dictionaries(hostile.filter(lambda key: key != "forces"), values, max_size=4)


@settings(max_examples=60, deadline=None)
@given(head=heads, forces=entries)
def test_json_pieces_join_to_the_whole_document(head, forces):
    """Each entry written on its own, two levels deep, is the text the whole document gives it."""
    whole = json_text({**head, "forces": forces})
    assert "".join(json_pieces(head, iter(forces))) == whole
    assert (
        json.loads(whole, parse_float=Decimal)["forces"]
        == json.loads("".join(json_pieces(head, forces)), parse_float=Decimal)["forces"]
    )


cells = hostile | st.builds(Tag, hostile, st.sampled_from(["uncertain", "phase-engage"]))


@settings(max_examples=60, deadline=None)
@given(
    items=st.lists(st.tuples(cells, cells), max_size=6),
    title=hostile,
    notes=st.lists(hostile, max_size=2),
    collapsed=st.booleans(),
)
def test_a_page_made_in_pieces_from_rows_made_as_read_is_the_page_made_whole(items, title, notes, collapsed):
    """A table whose rows are made as the page is written (the site's index) gives the page a
    table of the same rows held in a list gives."""

    def document(rows) -> Document:
        table = Table(["Force", "Phase"], rows)
        return Document(title, [("As of", "2026-11-26")], [Part(title, "a", table=table, collapsed=collapsed)], notes)

    made = document(MadeRows(items, list))
    held = document([list(item) for item in items])
    assert "".join(html_pieces(made, home="../index.html")) == html_page(held, home="../index.html")
    assert len(made.parts[0].table.rows) == len(items)


# -- what a page is made from is what the index summarised --------------------------------------


def test_a_file_changed_after_the_index_summarised_it_stops_the_site_and_says_so(tmp_path):
    """Each page is made from its file read again (so the whole ledger is never held): a file
    edited between the index and its page would give a page that contradicts the index, so the
    build stops there, names the file and says the site is incomplete; the page is not written."""

    root = tmp_path / "ledger"
    shutil.copytree(SECTORS_LEDGER, root)
    ledger, day = find_ledger(str(root)), date(2026, 11, 26)
    gathered = Gathering()
    nationals = tuple(
        national(ledger, day, today=day, sector=sector, visit=gathered.visit)[0] for sector in ("police", "fire")
    )
    pages = site_pages(nationals, read_policy(None), gathered, lambda slug: ledger.read(slug, today=day, keep=False))
    edited = root / "forces" / "west-midlands.yaml"
    edited.write_text(edited.read_text(encoding="utf-8") + "# edited while the site was built\n", encoding="utf-8")

    with pytest.raises(PeelError) as refused:
        write_site(tmp_path / "site", pages, ledger=root)
    said = [str(problem) for problem in refused.value.problems]
    assert any("west-midlands.yaml" in line and "changed while the site was being built" in line for line in said)
    assert any("incomplete site: run peel site again" in line for line in said)
    assert not (tmp_path / "site" / "forces" / "west-midlands.html").exists()
    assert (tmp_path / "site" / "index.html").exists()  # written before it, as the message says


def test_a_piece_that_fails_to_be_made_leaves_the_file_as_it_was(tmp_path):
    """``write_pieces`` replaces a file only once every piece is written: a page whose making
    fails half-way leaves the previous page and no temporary file."""

    page = tmp_path / "page.html"
    page.write_text("the previous page", encoding="utf-8")

    def pieces():
        yield "<!DOCTYPE html>\n"
        raise RuntimeError("a row could not be made")

    with pytest.raises(RuntimeError):
        write_pieces(page, pieces())
    assert page.read_text(encoding="utf-8") == "the previous page"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.html"]
