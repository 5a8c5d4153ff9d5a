"""``peel watch``: the monitoring publications in HMICFRS's news feed after each force's record
ends, each with the ``peel ingest`` that records it, and ``--ingest`` to record them (issue 21).
Feeds are fixtures in WordPress's RSS 2.0 structure, or built here; https is a local server."""

from __future__ import annotations

import json
import re
import shlex
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from conftest import FIXTURES, scaled_examples
from local_https import answer
from peelcli.dates import PartialDate
from peelcli.newsfeed import FeedItem, parse_feed, uk_day
from peelcli.problems import PeelError
from peelcli.watch import Ledger, kind_of, watch

FEEDS = FIXTURES / "hmicfrs"
NEW = FEEDS / "feed-new-return-letter.xml"
OLDER = FEEDS / "feed-older-letters.xml"
LETTERS = FIXTURES / "letters"
FIXTURE_LETTER = (
    "https://hmicfrs.justiceinspectorates.gov.uk/publication-html/"
    "test-fixture-lincolnshire-police-return-to-default-phase-of-monitoring/"
)


def watched(peel, *args: str, env: dict | None = None) -> tuple[int, dict]:
    result = peel("watch", *args, "--format", "json", env=env)
    assert result.stderr == "", result.stderr
    return result.exit_code, json.loads(result.stdout)


# -- the cases ----------------------------------------------------------------------------


def test_a_return_to_scan_letter_after_the_record_end_is_proposed_for_ingest(peel):
    code, found = watched(peel, str(NEW))
    assert code == 1  # something for a person to record
    (new,) = [p for p in found["publications"] if p["status"] == "new"]
    assert (new["force"], new["kind"], new["published_on"]) == ("lincolnshire", "return-to-scan", "2026-11-10")
    assert new["command"] == f"peel ingest {FIXTURE_LETTER} --force lincolnshire"
    assert new["argv"] == ["peel", "ingest", FIXTURE_LETTER, "--force", "lincolnshire"]
    assert new["title"].startswith("[TEST FIXTURE]")
    assert "after its record ends" in new["why"]


def test_a_feed_of_older_letters_proposes_nothing_and_exits_0(peel):
    code, found = watched(peel, str(OLDER))
    assert code == 0
    assert found["new"] == 0
    assert {p["status"] for p in found["publications"]} <= {"older", "on-record"}
    assert all(p["command"] is None for p in found["publications"])
    assert len(found["publications"]) == 4  # the evaluation of PEEL inspections is no monitoring publication


def test_the_proposal_in_words(peel):
    result = peel("watch", str(NEW))
    assert result.exit_code == 1
    text = " ".join(result.stdout.split())
    assert "1 new monitoring publication" in text
    assert "2026-11-10 Lincolnshire Police return to Scan [TEST FIXTURE]" in text
    assert "--force lincolnshire" in text


@pytest.mark.parametrize("fmt", ["table", "markdown", "html", "json"])
def test_every_format(peel, fmt):
    assert peel("watch", str(NEW), "-f", fmt).exit_code == 1
    quiet = peel("watch", str(OLDER), "-f", fmt)
    assert quiet.exit_code == 0 and quiet.stdout.strip()


def test_a_release_and_the_letter_it_links_are_one_publication(peel):
    _, found = watched(peel, str(NEW))
    lincolnshire = [p for p in found["publications"] if p["force"] == "lincolnshire"]
    assert len(lincolnshire) == 1
    assert lincolnshire[0]["link"] == FIXTURE_LETTER


def test_the_same_feed_twice_reads_as_once(peel):
    _, once = watched(peel, str(NEW))
    _, twice = watched(peel, str(NEW), str(NEW))
    assert len(twice["publications"]) == len(once["publications"])


# -- which items are monitoring publications ------------------------------------------------------


def item(title: str, text: str = "", link: str | None = None, when: datetime | None = None, links=()) -> FeedItem:
    return FeedItem(title, link, None, when or datetime(2026, 6, 1, 10, tzinfo=UTC), text, tuple(links))


@pytest.mark.parametrize(
    ("title", "text", "kind"),
    [
        ("Nottinghamshire Police: return to default phase of monitoring", "", ("return-to-scan", "title")),
        (
            "Buckinghamshire Fire and Rescue Service: Return to default phase of monitoring",
            "",
            ("return-to-scan", "title"),
        ),
        ("Devon and Cornwall Police removed from enhanced monitoring", "", ("return-to-scan", "title")),
        ("Lincolnshire Police: move to enhanced phase of monitoring", "", ("move-into-engage", "title")),
        ("West Midlands Police moved into enhanced monitoring", "", ("move-into-engage", "title")),
        ("West Midlands Police: Enhanced monitoring decision", "", ("move-into-engage", "title")),
        ("London Fire Brigade moved into enhanced monitoring", "", ("move-into-engage", "title")),
        ("Staffordshire Police: PEEL causes of concern revisit letter", "", ("revisit", "title")),
        ("Greater Manchester Police: PEEL Cause of Concern revisit letter", "", ("revisit", "title")),
        ("Devon and Cornwall Police: closure of cause of concern letter", "", ("cause-closed", "title")),
        ("PEEL: Nottinghamshire causes of concern", "", ("cause-of-concern", "title")),
        ("Metropolitan Police – accelerated causes of concern", "", ("cause-of-concern", "title")),
        (
            "Serious concerns over Lincolnshire Police’s performance",
            "His Majesty’s Chief Inspector of Constabulary has today moved Lincolnshire Police into an enhanced level "
            "of monitoring.",
            ("move-into-engage", "text"),
        ),
        (
            "Cleveland: National child protection inspection",
            "We found two causes of concern.",
            ("cause-of-concern", "text"),
        ),
        ("State of Policing 2025", "The annual assessment.", None),
        ("Evaluation of PEEL inspections", "", None),
    ],
)
def test_kinds_of_monitoring_publication(title, text, kind):
    assert kind_of(item(title, text)) == kind


def test_the_address_alone_can_say_what_it_is():
    slugged = item(
        "Lincolnshire Police",
        link="https://h.example/publication-html/lincolnshire-police-moved-into-enhanced-monitoring/",
    )
    assert kind_of(slugged) == ("move-into-engage", "title")


LEDGER = Ledger(
    names={
        "kent": ["Kent Police"],
        "gloucestershire": ["Gloucestershire Constabulary"],
        "gloucestershire-fire": ["Gloucestershire Fire and Rescue Service"],
    },
    files={"kent": None, "gloucestershire": None, "gloucestershire-fire": None},
    national=PartialDate.parse("2026-03-05"),
)


def feed_of(*items: FeedItem):
    from peelcli.newsfeed import Feed

    return Feed("feed.xml", None, "t", tuple(items))


def test_a_move_into_engage_for_a_force_with_no_file_is_new_after_the_national_search():
    after = item(
        "Kent Police moved into enhanced monitoring", link="https://h.example/a", when=datetime(2026, 4, 1, tzinfo=UTC)
    )
    before = item(
        "Kent Police moved into enhanced monitoring", link="https://h.example/b", when=datetime(2026, 3, 1, tzinfo=UTC)
    )
    found = watch([feed_of(after, before)], LEDGER, date(2026, 11, 26))
    assert [(p.item.link, p.status) for p in found.publications] == [
        ("https://h.example/b", "older"),
        ("https://h.example/a", "new"),
    ]
    assert "the national search" in found.publications[0].why


def test_a_fire_service_is_told_from_the_police_force_of_its_county_by_its_full_name():
    fire = item(
        "Gloucestershire Fire and Rescue Service: return to default phase of monitoring", link="https://h.example/f"
    )
    (found,) = watch([feed_of(fire)], LEDGER, date(2026, 11, 26)).publications
    assert found.slug == "gloucestershire-fire"


def test_a_short_name_is_only_a_hint():
    short = item("PEEL: Gloucestershire causes of concern", link="https://h.example/s")
    (found,) = watch([feed_of(short)], LEDGER, date(2026, 11, 26)).publications
    assert (found.status, found.slug) == ("no-body", None)
    assert "its title names part of Gloucestershire Constabulary's name" in found.why


def test_an_undated_item_and_one_dated_after_today_are_left_for_a_person():
    undated = FeedItem("Kent Police moved into enhanced monitoring", "https://h.example/u", None, None, "")
    future = item(
        "Kent Police removed from enhanced monitoring",
        link="https://h.example/f",
        when=datetime(2027, 1, 1, tzinfo=UTC),
    )
    found = watch([feed_of(undated, future)], LEDGER, date(2026, 11, 26))
    assert {p.status for p in found.publications} == {"undated", "future"}
    assert [p.status for p in found.for_a_person] == ["undated"]


def test_the_letter_a_release_links_to_is_the_one_proposed():
    release = item(
        "Kent Police moved into enhanced monitoring",
        link="https://h.example/news/news-feed/kent/",
        links=[
            ("https://other.example/publication-html/x/", "A letter elsewhere"),
            ("https://h.example/publication-html/kent-letter/", "Get the letter"),
        ],
    )
    (found,) = watch([feed_of(release)], LEDGER, date(2026, 11, 26)).publications
    assert found.argv == ("peel", "ingest", "https://h.example/publication-html/kent-letter/", "--force", "kent")


def test_a_release_that_links_no_letter_says_what_to_do():
    release = item("Kent Police moved into enhanced monitoring", link="https://h.example/news/news-feed/kent/")
    (found,) = watch([feed_of(release)], LEDGER, date(2026, 11, 26)).publications
    assert found.argv is None
    assert found.proposal.startswith("its letter is not linked from the feed")


@pytest.mark.parametrize(
    ("moment", "day"),
    [
        (datetime(2025, 7, 29, 23, 30, tzinfo=UTC), date(2025, 7, 30)),  # 00:30 BST
        (datetime(2025, 12, 5, 23, 30, tzinfo=UTC), date(2025, 12, 5)),  # GMT
        (datetime(2025, 3, 30, 0, 59, tzinfo=UTC), date(2025, 3, 30)),  # before the clocks go forward
        (datetime(2025, 3, 29, 23, 30, tzinfo=UTC), date(2025, 3, 29)),
        (datetime(2025, 10, 26, 0, 30, tzinfo=UTC), date(2025, 10, 26)),  # 01:30 BST, the last hour of it
        (datetime(2025, 10, 25, 23, 30, tzinfo=UTC), date(2025, 10, 26)),
        (datetime(2025, 10, 26, 23, 30, tzinfo=UTC), date(2025, 10, 26)),  # GMT again
    ],
)
def test_a_publication_is_dated_as_the_uk_dates_it(moment, day):
    assert uk_day(moment) == day


# -- reading feeds --------------------------------------------------------------------------------

RSS = """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>"""


def rss(*items: str) -> bytes:
    return RSS.format(items="".join(items)).encode()


def rss_item(
    title: str, link: str = "https://h.example/publication-html/a/", when: str = "Mon, 01 Jun 2026 10:00:00 +0000"
) -> str:
    return f"<item><title>{title}</title><link>{link}</link><pubDate>{when}</pubDate></item>"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty: expected an RSS or Atom feed"),
        (b"<html><body><p>Not a feed</p></body></html>", "is not an RSS or Atom feed"),
        (b"just words", "is not an RSS or Atom feed"),
        (b"/etc/hostname", "is not an RSS or Atom feed"),  # a path is never opened: feedparser gets a stream
    ],
)
def test_what_is_not_a_feed_is_refused_naming_it(peel, tmp_path, data, message):
    path = tmp_path / "feed.xml"
    path.write_bytes(data)
    result = peel("watch", str(path))
    assert result.exit_code == 1 and result.stdout == ""
    assert (
        result.stderr
        == f"{path}: error: {message}"
        + ("" if "empty" in message else ": give HMICFRS's news feed (its address, or the feed saved as a file)")
        + "\n"
    )


def test_a_page_given_instead_of_its_feed_names_the_feeds_it_announces(peel, tmp_path):
    path = tmp_path / "page.html"
    path.write_bytes(
        b'<html><head><link rel="alternate" type="application/rss+xml" title="HMICFRS &raquo; Feed" '
        b'href="https://hmicfrs.example/feed/"><link rel="stylesheet" href="/s.css"></head><body>News</body></html>'
    )
    result = peel("watch", str(path))
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"{path}: error: is not an RSS or Atom feed; the page names its feeds: https://hmicfrs.example/feed/\n"
    )


def test_an_external_entity_is_never_read():
    data = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<rss version="2.0"><channel><title>t</title><item><title>A&x;B</title></item></channel></rss>'
    )
    feed = parse_feed(data, "f")
    assert "root" not in feed.items[0].title


def test_an_entity_bomb_is_read_in_bounded_time_and_size():
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)
    )
    data = (
        f'<?xml version="1.0"?><!DOCTYPE rss [{entities}]><rss version="2.0"><channel><item><title>&i;</title>'
        "</item></channel></rss>"
    )
    try:
        feed = parse_feed(data.encode(), "f")
    except PeelError:
        return
    assert all(len(i.title) < 10_000 for i in feed.items)


def test_a_link_that_is_no_address_is_not_kept():
    feed = parse_feed(rss(rss_item("Kent Police moved into enhanced monitoring", link="javascript:alert(1)")), "f")
    assert (feed.items[0].link, feed.items[0].link_fault) == (None, "starts with javascript:, not https:// or http://")


HOSTILE = st.lists(
    st.one_of(
        st.characters(blacklist_categories=("Cs",)),
        st.sampled_from(["&#27;[2J", "&#x202e;", "<script>alert(1)</script>", "&lt;b&gt;", "]]>", "|", "`", "\\"]),
    ),
    max_size=20,
).map("".join)


@scaled_examples(30)
@given(title=HOSTILE)
@example(title="Kent Police moved into enhanced monitoring &#27;]0;pwned&#7; &#x202e;gnp.exe")
def test_hostile_feed_text_reaches_every_format_inert(peel, tmp_path_factory, title):
    from xml.sax.saxutils import escape

    folder = tmp_path_factory.mktemp("feed")
    path = folder / "feed.xml"
    safe = escape(title).replace("&amp;#", "&#").replace("&amp;lt;", "&lt;").replace("&amp;gt;", "&gt;")
    path.write_bytes(rss(rss_item(f"Kent Police moved into enhanced monitoring {safe}")))
    unsafe = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
    for fmt in ("table", "markdown", "html", "json"):
        result = peel("watch", str(path), "-f", fmt)
        assert result.exit_code in (0, 1)
        if result.exit_code == 1 and not result.stdout:
            assert "is not an RSS or Atom feed" in result.stderr or "cannot be read" in result.stderr
            continue
        shown = result.stdout if fmt != "json" else json.dumps(json.loads(result.stdout), ensure_ascii=False)
        assert not unsafe.search(shown.replace("\n", "").replace("\t", ""))
        if fmt == "html":
            assert "<script>alert" not in shown


@scaled_examples(30)
@given(url=st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp", "Cf")), min_size=1, max_size=30))
def test_a_proposal_is_one_shell_word_per_argument_whatever_the_address(url):
    address = f"https://h.example/publication-html/{url}"
    found = watch(
        [feed_of(item("Kent Police moved into enhanced monitoring", link=address))], LEDGER, date(2026, 11, 26)
    )
    for publication in found.publications:
        if publication.argv:
            assert shlex.split(publication.proposal) == list(publication.argv)


# -- --ingest, over https -------------------------------------------------------------------------


@pytest.fixture
def server(https_server):
    return https_server


@pytest.fixture
def https_env(trusting_env, tmp_path):
    """peel trusting the local server, over a copy of the letters' fixture ledger (its West Midlands
    record is checked to 16 September 2024, before the letter of 18 September)."""
    root = shutil.copytree(LETTERS / "ledger", tmp_path / "data")
    return {**trusting_env, "PEEL_DATA_DIR": str(root), "PEEL_TODAY": "2025-04-02"}


WM_LETTER = (LETTERS / "2024-09-18-west-midlands-return-to-scan.html").read_bytes()


def serve_feed(server, *, letter_path: str = "/publication-html/west-midlands-return/", link: str | None = None) -> str:
    item_link = server.url(link or letter_path)
    body = rss(
        rss_item(
            "West Midlands Police: return to default phase of monitoring", item_link, "Wed, 18 Sep 2024 10:00:00 +0000"
        )
    )
    server.routes["/feed/"] = answer(body=body, headers={"Content-Type": "application/rss+xml; charset=UTF-8"})
    return server.url("/feed/")


def test_ingest_records_the_letter_and_says_how_far_the_record_was_searched(server, peel, https_env):
    feed = serve_feed(server)
    server.routes["/publication-html/west-midlands-return/"] = answer(
        body=WM_LETTER, headers={"Content-Type": "text/html; charset=utf-8"}
    )
    code, found = watched(peel, feed, "--ingest", env=https_env)
    assert code == 0, found
    (done,) = found["publications"]
    assert done["recorded"] is True
    assert done["outcome"].startswith("recorded 5 changes in")
    assert "its record's end moved from 2024-09-16 to 2024-09-18" in done["outcome"]
    assert done["record_end_moved_to"] == "2024-09-18"
    path = Path(https_env["PEEL_DATA_DIR"]) / "forces" / "west-midlands.yaml"
    text = path.read_text(encoding="utf-8")
    assert "record_checked_to: 2024-09-18" in text
    note = " ".join(text.split("record_checked_note:", 1)[1].split("\nchief_officers")[0].split())
    assert f"it read HMICFRS's feed {feed}" in note
    assert "nothing else was searched" in note
    assert "phase: scan" in text
    assert peel("--data-dir", https_env["PEEL_DATA_DIR"], "validate", env=https_env).exit_code == 0
    again = watched(peel, feed, "--ingest", env=https_env)
    assert again[0] == 0 and again[1]["publications"][0]["status"] == "on-record"


def test_the_report_of_an_ingest_tells_the_reviewer_what_was_not_searched(server, peel, https_env):
    feed = serve_feed(server)
    server.routes["/publication-html/west-midlands-return/"] = answer(
        body=WM_LETTER, headers={"Content-Type": "text/html; charset=utf-8"}
    )
    result = peel("watch", feed, "--ingest", "--format", "markdown", env=https_env)
    assert result.exit_code == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert "1 new monitoring publication; 1 recorded" in text
    assert "the end of West Midlands Police's record was moved forward" in text
    assert "record\\_checked\\_note says that only the feed was searched" in text


def test_ingest_follows_a_release_to_the_letter_it_links(server, peel, https_env):
    feed = serve_feed(server, link="/news/news-feed/west-midlands-police-removed-from-enhanced-monitoring/")
    release = (
        b'<html><body><main><p>Removed.</p><p><a href="/publication-html/wm/">Get the letter</a></p></main></html>'
    )
    server.routes["/news/news-feed/west-midlands-police-removed-from-enhanced-monitoring/"] = answer(
        body=release, headers={"Content-Type": "text/html"}
    )
    server.routes["/publication-html/wm/"] = answer(
        body=WM_LETTER, headers={"Content-Type": "text/html; charset=utf-8"}
    )
    code, found = watched(peel, feed, "--ingest", env=https_env)
    assert code == 0, found
    assert found["publications"][0]["recorded"] is True


def test_a_letter_that_cannot_be_fetched_is_left_for_a_person_and_nothing_is_written(server, peel, https_env):
    feed = serve_feed(server)  # no route for the letter: 404
    before = {p.name: p.read_bytes() for p in (Path(https_env["PEEL_DATA_DIR"]) / "forces").iterdir()}
    code, found = watched(peel, feed, "--ingest", env=https_env)
    assert code == 1
    (left,) = found["publications"]
    assert left["recorded"] is False and "the server answered 404" in left["outcome"]
    after = {p.name: p.read_bytes() for p in (Path(https_env["PEEL_DATA_DIR"]) / "forces").iterdir()}
    assert after == before


def test_ingest_refuses_the_ledger_shipped_with_peel_before_fetching_anything(
    server, peel, https_env, tmp_path, monkeypatch
):
    feed = serve_feed(server)
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")  # no ./data: the ledger is the one shipped with peel
    env = {**https_env, "PEEL_DATA_DIR": None, "PEEL_TODAY": "2026-11-26"}
    result = peel("watch", feed, "--ingest", env=env)
    assert result.exit_code == 1 and "the ledger shipped with peel" in result.stderr
    assert server.requests == []


def test_a_feed_over_http_is_refused(peel):
    result = peel("watch", "http://hmicfrs.justiceinspectorates.gov.uk/feed/")
    assert result.exit_code == 1 and "only https:// addresses are fetched" in result.stderr
