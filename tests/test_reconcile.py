"""``peel reconcile``: HMICFRS's "in Engage" and "previously in Engage" pages set beside the ledger
(issue 21). The pages are fixtures written by hand in the structure the stored copies show; the
ledger is the shipped one, or one written here for a single case."""

from __future__ import annotations

import contextlib
import json
import re
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from conftest import FIXTURES, scaled_examples
from peelcli.dates import PartialDate
from peelcli.engage_lists import IN_ENGAGE, PREVIOUSLY, page_date, parse_engage_list
from peelcli.problems import PeelError

PAGES = FIXTURES / "hmicfrs"
STALE = PAGES / "police-forces-in-engage-stale.html"
CURRENT = PAGES / "police-forces-in-engage.html"
PREVIOUS = PAGES / "police-forces-previously-in-engage.html"
FIRE = PAGES / "fire-and-rescue-services-previously-in-engage.txt"


def reconciled(peel, *args: str, data: Path | None = None, env: dict | None = None) -> tuple[int, dict]:
    result = peel(*(["--data-dir", str(data)] if data else []), "reconcile", *args, "--format", "json", env=env)
    assert result.stderr == ""
    return result.exit_code, json.loads(result.stdout)


# -- the cases ----------------------------------------------------------------------------


def test_a_stale_page_listing_cleveland_is_told_apart_from_the_ledger_which_is_newer(peel):
    code, found = reconciled(peel, str(STALE))
    assert code == 1
    (cleveland,) = [d for d in found["differences"] if d["slug"] == "cleveland"]
    assert cleveland["kind"] == "still-listed"
    assert cleveland["page_says"] == "in Engage since 2019"
    assert cleveland["ledger_says"] == "returned to Scan on 2023-09-20"
    assert cleveland["newer"] == "ledger"
    assert "later than anything the page shows about it" in cleveland["newer_why"]
    assert cleveland["action"] == "nothing: the page is out of date"


def test_the_stale_page_in_words(peel):
    result = peel("reconcile", str(STALE))
    assert result.exit_code == 1
    text = " ".join(result.stdout.split())
    assert "Cleveland Police listed in Engage; returned to Scan in the ledger the ledger" in text
    assert "The ledger returned to Scan on 2023-09-20" in text


def test_pages_matching_the_ledger_exit_0(peel):
    code, found = reconciled(peel, str(CURRENT), str(PREVIOUS))
    assert code == 0, found["differences"]
    assert found["agree"] is True
    assert {a["slug"] for a in found["agreements"]} == {
        "lincolnshire", "cleveland", "devon-and-cornwall", "gloucestershire", "greater-manchester",
        "metropolitan", "nottinghamshire", "staffordshire", "west-midlands", "wiltshire",
    }  # fmt: skip


@pytest.mark.parametrize("fmt", ["table", "markdown", "html", "json"])
def test_every_format_exits_1_when_they_differ_and_0_when_they_agree(peel, fmt):
    assert peel("reconcile", str(STALE), "-f", fmt).exit_code == 1
    agreed = peel("reconcile", str(CURRENT), "-f", fmt)
    assert agreed.exit_code == 0 and agreed.stdout.strip()


# -- reading the pages ----------------------------------------------------------------------------


def test_the_stale_page_reads_as_its_two_entries():
    page = parse_engage_list(STALE.read_bytes(), STALE.name)
    assert (page.title, page.listing, page.sector, page.updated) == (
        "Police forces in Engage",
        IN_ENGAGE,
        "police",
        None,
    )
    assert [(e.name, e.entered.text, e.left) for e in page.entries] == [
        ("Cleveland Police", "2019", None),
        ("Devon and Cornwall Police", "2022", None),
    ]


def test_a_previously_page_puts_the_exit_first_and_both_dates_are_read():
    page = parse_engage_list(PREVIOUS.read_bytes(), PREVIOUS.name)
    assert page.listing == PREVIOUSLY
    first = page.entries[0]
    assert (first.name, first.left.on, first.entered.on) == (
        "Cleveland Police",
        PartialDate.parse("2023-09"),
        PartialDate.parse("2019"),
    )
    assert len(page.entries) == 9


def test_a_page_saved_as_text_reads_as_the_page_does():
    page = parse_engage_list(FIRE.read_bytes(), FIRE.name)
    assert (page.listing, page.sector) == (PREVIOUSLY, "fire")
    assert [(e.name, str(e.entered.on), str(e.left.on)) for e in page.entries] == [
        ("London Fire Brigade", "2022-12", "2024-03")
    ]


def test_the_page_says_when_it_was_updated():
    page = parse_engage_list(CURRENT.read_bytes(), CURRENT.name)
    assert page.updated.on == PartialDate.parse("2026-03-05")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019", "2019"),
        ("September 2023", "2023-09"),
        ("Sept 2023", "2023-09"),
        ("14 October 2022", "2022-10-14"),
        ("Friday 14 October 2022", "2022-10-14"),
        ("in 2021.", "2021"),
        ("2023-09", "2023-09"),
        ("soon", None),
        ("31 February 2023", None),
        ("Thursday 14 October 2022", None),  # the weekday does not fit: not trusted
        ("Smarch 2023", None),
    ],
)
def test_dates_as_the_pages_write_them(text, expected):
    found = page_date(text)
    assert (str(found) if found else None) == expected


def page(body: str) -> bytes:
    return f"<!DOCTYPE html><html><head><title>t</title></head><body><main>{body}</main></body></html>".encode()


def test_label_and_value_on_one_line_and_a_table_read_the_same():
    inline = parse_engage_list(
        page("<h1>Police forces in Engage</h1><h2>Kent Police</h2><p>Entered Engage: 2021</p>"), "a"
    )
    table = parse_engage_list(
        page(
            "<h1>Police forces in Engage</h1><table><tr><th>Kent Police</th></tr>"
            "<tr><td>Entered Engage</td><td>2021</td></tr></table>"
        ),
        "b",
    )
    assert [(e.name, e.entered.text) for e in inline.entries] == [("Kent Police", "2021")]
    assert [(e.name, e.entered.text) for e in table.entries] == [("Kent Police", "2021")]


def test_an_entry_hidden_from_readers_is_not_read():
    hidden = page(
        "<h1>Police forces in Engage</h1><h2>Kent Police</h2><p>Entered Engage</p><p>2021</p>"
        '<div style="display: none"><h2>Essex Police</h2><p>Entered Engage</p><p>2020</p></div>'
    )
    assert [e.name for e in parse_engage_list(hidden, "a").entries] == ["Kent Police"]


def test_a_page_that_lists_no_one_is_an_empty_list_not_an_error():
    empty = parse_engage_list(page("<h1>Fire and rescue services in Engage</h1><p>There are none at present.</p>"), "a")
    assert (empty.entries, empty.sector) == ((), "fire")


def test_an_unreadable_date_is_kept_and_said_not_compared(peel, tmp_path):
    path = tmp_path / "page.html"
    path.write_bytes(
        page("<h1>Police forces in Engage</h1><h2>Lincolnshire Police</h2><p>Entered Engage</p><p>soon</p>")
    )
    code, found = reconciled(peel, str(path))
    assert code == 0
    assert any("'soon', which is not a year, month or day" in note for note in found["notes"])


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "is empty: expected an HMICFRS list page"),
        (b"\x00\x01binary", "is binary (it holds NUL bytes)"),
        (b"\xff\xfe not utf-8", "is not UTF-8 text"),
        (page("<h1>About us</h1><p>Nothing listed here.</p>"), "holds no list of who is in Engage"),
        (page("<h1>Police forces in Engage</h1><p>Entered Engage</p><p>2019</p>"), "is not preceded by the name"),
        (
            page(
                "<h1>Police forces in Engage</h1><table><tr><th>Force</th><th>Entered Engage</th><th>Reasons</th></tr>"
                "<tr><td>Kent Police</td><td>2021</td><td>Slow</td></tr></table>"
            ),
            "'Entered Engage' is followed by 'Reasons', not a date: peel cannot read this page's layout",
        ),
    ],
)
def test_a_page_that_is_not_a_list_is_refused_in_one_line_naming_it(peel, tmp_path, body, message):
    path = tmp_path / "page.html"
    path.write_bytes(body)
    result = peel("reconcile", str(path))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"{path}: error: ") and message in result.stderr
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("http://hmicfrs.justiceinspectorates.gov.uk/page", "only https:// addresses are fetched"),
        ("no-such-page.html", "cannot read"),
    ],
)
def test_an_address_peel_does_not_fetch_or_a_missing_file_is_refused(peel, given, message):
    result = peel("reconcile", given)
    assert result.exit_code == 1
    assert message in result.stderr and result.stderr.startswith(given)


def test_a_page_is_read_from_its_address(peel, https_server, trusting_env):
    from local_https import answer

    https_server.routes["/police-forces-in-engage/"] = answer(
        body=STALE.read_bytes(), headers={"Content-Type": "text/html; charset=UTF-8"}
    )
    address = https_server.url("/police-forces-in-engage/")
    code, found = reconciled(peel, address, env=trusting_env)
    assert code == 1
    assert (found["pages"][0]["page"], found["pages"][0]["url"]) == (address, address)
    assert {d["slug"] for d in found["differences"]} >= {"cleveland", "devon-and-cornwall"}


def test_no_page_is_a_usage_error(peel):
    assert peel("reconcile").exit_code == 2


# -- differences, on a ledger written for each case -----------------------------------------------


REGISTRY = """\
forces:
  - {slug: kent, name: Kent Police}
  - {slug: essex, name: Essex Police}
  - {slug: surrey, name: Surrey Police}
"""


def force_file(slug: str, name: str, changes: list[tuple[str, str]], *, checked: str = "2026-01-31") -> str:
    lines = [
        f"slug: {slug}",
        f"name: {name}",
        f"record_checked_to: {checked}",
        "record_checked_note: A test ledger, not the public record.",
        "phase_changes:",
    ]
    for phase, on in changes:
        lines += [f"  - phase: {phase}", f"    decided_on: {on}", "    sources: [letter]"]
    if not changes:
        lines[-1] = "phase_changes: []"
    last = changes[-1][1] if changes else checked
    lines += [
        "sources:",
        "  - id: letter",
        "    kind: phase-decision-letter",
        f'    title: "{name}: a letter"',
        f"    url: https://example.org/{slug}",
        f"    sent_on: {last}",
    ]
    return "\n".join(lines) + "\n"


@pytest.fixture
def small(tmp_path) -> Path:
    root = tmp_path / "ledger"
    (root / "forces").mkdir(parents=True)
    (root / "registry.yaml").write_text("record_checked_to: 2025-06-30\nrecord_checked_note: A test.\n" + REGISTRY)
    return root


def in_engage(entries: str, *, updated: str = "", previously: bool = False) -> bytes:
    title = "Police forces previously in Engage" if previously else "Police forces in Engage"
    return page(f"<h1>{title}</h1>{entries}" + (f"<p>Last updated: {updated}</p>" if updated else ""))


def run(peel, small, tmp_path, *pages: bytes) -> tuple[int, dict]:
    paths = []
    for i, data in enumerate(pages):
        path = tmp_path / f"page{i}.html"
        path.write_bytes(data)
        paths.append(str(path))
    return reconciled(peel, *paths, data=small)


def test_a_force_listed_that_the_ledger_has_no_move_for_is_to_be_ingested(peel, small, tmp_path):
    code, found = run(peel, small, tmp_path, in_engage("<h2>Kent Police</h2><p>Entered Engage</p><p>2026</p>"))
    (kent,) = found["differences"]
    assert (code, kent["kind"], kent["newer"]) == (1, "not-on-record", "page")
    assert "after the ledger's latest source for it" in kent["newer_why"]
    assert kent["action"].endswith("peel ingest LETTER --force kent")
    assert "it has no file" in kent["ledger_says"]


def test_a_force_in_engage_not_listed_on_a_newer_page_may_have_left(peel, small, tmp_path):
    (small / "forces" / "essex.yaml").write_text(force_file("essex", "Essex Police", [("engage", "2024-03-01")]))
    code, found = run(peel, small, tmp_path, in_engage("", updated="1 June 2025"))
    (essex,) = found["differences"]
    assert (code, essex["kind"], essex["newer"]) == (1, "not-listed", "page")
    assert "letter returning it to Scan" in essex["action"]
    older = run(peel, small, tmp_path, in_engage("", updated="1 January 2024"))[1]["differences"][0]
    assert (older["newer"], older["action"]) == ("ledger", "nothing: the page is out of date")
    assert "before the move into Engage (2024-03-01)" in older["newer_why"]
    undated = run(peel, small, tmp_path, in_engage(""))[1]["differences"][0]
    assert undated["newer"] == "unknown" and "the page shows no date of its own" in undated["newer_why"]


def test_entry_dates_disagree_only_when_surely_different(peel, small, tmp_path):
    (small / "forces" / "essex.yaml").write_text(force_file("essex", "Essex Police", [("engage", "2023-12")]))
    same = run(peel, small, tmp_path, in_engage("<h2>Essex Police</h2><p>Entered Engage</p><p>December 2023</p>"))
    assert same[0] == 0
    differ = run(peel, small, tmp_path, in_engage("<h2>Essex Police</h2><p>Entered Engage</p><p>2022</p>"))
    (essex,) = differ[1]["differences"]
    assert (essex["kind"], essex["newer"]) == ("entry-date", "none")
    assert "“Essex Police: a letter”" in essex["action"]


def test_a_page_updated_after_the_return_that_still_lists_the_force_is_newer_but_suspect(peel, small, tmp_path):
    changes = [("engage", "2021-05-01"), ("scan", "2023-02-01")]
    (small / "forces" / "surrey.yaml").write_text(force_file("surrey", "Surrey Police", changes))
    code, found = run(
        peel, small, tmp_path, in_engage("<h2>Surrey Police</h2><p>Entered Engage</p><p>2021</p>", updated="March 2024")
    )
    (surrey,) = found["differences"]
    assert (code, surrey["kind"], surrey["newer"]) == (1, "still-listed", "page")
    assert "yet still lists it" in surrey["newer_why"]
    assert "check the ledger's return to Scan against its source" in surrey["action"]


def test_a_previously_page_that_lists_an_exit_the_ledger_lacks_says_so_once(peel, small, tmp_path):
    (small / "forces" / "essex.yaml").write_text(
        force_file("essex", "Essex Police", [("engage", "2024-03-01")], checked="2024-06-30")
    )
    previously = in_engage(
        "<h2>Essex Police</h2><p>Moved out of Engage</p><p>May 2025</p><p>Entered Engage</p><p>2024</p>",
        previously=True,
    )
    code, found = run(peel, small, tmp_path, previously, in_engage(""))
    assert (code, [d["kind"] for d in found["differences"]]) == (1, ["left-per-page"])
    (essex,) = found["differences"]
    assert essex["newer"] == "page"
    assert (
        essex["action"]
        == "find HMICFRS's letter returning it to Scan (May 2025) and record it: peel ingest LETTER --force essex"
    )


def test_an_episode_the_previously_page_leaves_out_and_a_name_no_one_knows(peel, small, tmp_path):
    changes = [("engage", "2021-05-01"), ("scan", "2023-02-01")]
    (small / "forces" / "surrey.yaml").write_text(force_file("surrey", "Surrey Police", changes))
    previously = in_engage(
        "<h2>Atlantis Constabulary</h2><p>Moved out of Engage</p><p>May 2025</p>", previously=True, updated="2022"
    )
    code, found = run(peel, small, tmp_path, previously)
    kinds = {d["kind"]: d for d in found["differences"]}
    assert (code, set(kinds)) == (1, {"unknown-name", "episode-not-listed"})
    assert kinds["unknown-name"]["name"] == "Atlantis Constabulary"
    assert "add it to the registry" in kinds["unknown-name"]["action"]
    assert kinds["episode-not-listed"]["newer"] == "ledger"


def test_a_fire_page_does_not_ask_for_police_forces(peel, small, tmp_path):
    (small / "forces" / "essex.yaml").write_text(force_file("essex", "Essex Police", [("engage", "2024-03-01")]))
    fire = page("<h1>Fire and rescue services in Engage</h1><p>None at present.</p>")
    code, found = run(peel, small, tmp_path, fire)
    assert (code, found["differences"]) == (0, [])


def test_an_invalid_force_file_is_refused_not_left_out(peel, small, tmp_path):
    (small / "forces" / "essex.yaml").write_text("slug: essex\nname: [\n")
    path = tmp_path / "page.html"
    path.write_bytes(in_engage(""))
    result = peel("--data-dir", str(small), "reconcile", str(path))
    assert result.exit_code == 1 and "essex.yaml" in result.stderr


# -- hostile pages --------------------------------------------------------------------------------

NAMES = st.text(
    st.one_of(
        st.characters(blacklist_categories=("Cs", "Cc")),
        st.sampled_from("\u202e\u2066\u200f<>&*_[]|`#"),
    ),
    min_size=1,
    max_size=40,
).filter(
    lambda s: (
        s.split()
        and s.split()[-1][-1] not in ".:;,!?"
        and any(c.isalpha() for c in s)
        and len(s.split()) <= 12
        and "engage" not in s.lower()
    )
)
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@scaled_examples(25)
@given(name=NAMES)
@example(name="Evil \u202eecilop Police")
@example(name="<script>alert(1)</script> Police")
def test_a_hostile_name_on_a_page_reaches_every_format_inert(peel, tmp_path_factory, name):
    from html import escape

    folder = tmp_path_factory.mktemp("hostile")
    path = folder / "page.html"
    path.write_bytes(page(f"<h1>Police forces in Engage</h1><h2>{escape(name)}</h2><p>Entered Engage</p><p>2019</p>"))
    for fmt in ("table", "markdown", "html", "json"):
        result = peel("reconcile", str(path), "-f", fmt)
        assert result.exit_code == 1, result.stderr  # a name no one knows, read and reported
        shown = result.stdout if fmt != "json" else json.dumps(json.loads(result.stdout or "{}"), ensure_ascii=False)
        assert not UNSAFE.search(shown.replace("\n", "").replace("\t", ""))
        if fmt == "html":
            assert "<script" not in shown.lower().replace("&lt;script", "")


def test_a_page_bigger_than_peel_reads_is_refused_unread(peel, tmp_path):
    path = tmp_path / "page.html"
    with path.open("wb") as handle:
        handle.truncate(6 * 1024 * 1024)
    result = peel("reconcile", str(path))
    assert result.exit_code == 1 and "peel reads files of at most 5 MB" in result.stderr


@scaled_examples(60)
@given(data=st.binary(max_size=400) | st.text(max_size=200).map(str.encode))
@example(data=b"Entered Engage\n2019\n")
@example(data="Police forces in Engage\n\u202e\nEntered Engage: 2019".encode())
def test_any_bytes_are_read_or_refused_with_a_peel_error(data):
    with contextlib.suppress(PeelError):
        parse_engage_list(data, "x")
