"""An unknown is never a zero (peelcli.figures, issue 18): every count peel prints is known, a
range, or unknown, and says which; a length of time whose end the record does not reach is "at
least", with what it rests on. On plain data, then as a property of generated force files."""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import DATA, scaled_examples
from peelcli import figures
from peelcli.dates import PartialDate
from peelcli.ledger import force_reading
from peelcli.timeline import standing
from records_kit import build, cause, change, closure, rec
from test_properties import DAY, EARLIEST, file_bytes, force_files, ok, write_ledger
from test_report import parse_html

NATIONAL = PartialDate.parse("2025-08-08")


def on(text: str) -> date:
    return date.fromisoformat(text)


def figures_of(force, day: str, national: PartialDate | None = None) -> figures.Figures:
    return figures.of(standing(force, on(day), national=national))


def not_on_record(count: int | None = None) -> dict:
    missing = {"note": "in an annex that is not readable", "sources": ["letter"]}
    return missing if count is None else {**missing, "count": count}


# -- counts over what the record holds ----------------------------------------------------------


def test_a_count_over_facts_the_record_fixes_is_exact():
    force = build(
        causes_of_concern=[cause("coc-1", "2024-01-10"), cause("coc-2", "2024-01-10", closed_on="2024-03-01")]
    )
    found = figures_of(force, "2024-06-30")
    assert (found.causes_open.kind, found.causes_open.value) == ("known", 1)
    assert figures.words(found.causes_open, "cause") == "1 cause"
    assert figures.cell(found.causes_open) == "1"
    assert found.recommendations_open.value == 1


def test_a_closure_dated_to_a_span_the_day_lies_in_makes_the_count_a_range():
    """West Midlands as of 2024-06-30: three causes closed some day from May to 23 July 2024."""
    force = build(
        causes_of_concern=[
            cause("coc-open", "2023-09", recommendations=[rec("r-1")]),
            *(cause(f"coc-{n}", "2023-09", closed_on="2024-05/2024-07-23") for n in range(3)),
        ]
    )
    found = figures_of(force, "2024-06-30").causes_open
    assert (found.kind, found.least, found.most, found.value) == ("range", 1, 4, None)
    assert figures.words(found) == "1 to 4 (3 possibly closed)"
    assert figures.cell(found) == "1-4"
    assert figures_of(force, "2024-07-23").causes_open.value == 1, "once the span is over the closures count"


def test_an_open_cause_an_uncertainty_names_may_be_closed():
    force = build(
        causes_of_concern=[cause("coc-1", "2024-01-10")],
        uncertainties=[{"about": "its state", "note": "not on record", "subjects": ["coc-1"]}],
    )
    found = figures_of(force, "2024-06-30")
    assert figures.words(found.causes_open) == "0 to 1 (1 possibly closed)"
    assert found.recommendations_open.value == 1, "a recommendation stays open until its own closure"


def test_a_closure_the_record_dates_surely_by_the_day_counts_even_where_an_uncertainty_names_it():
    """Most such doubts are about the day it closed; the doubt is shown beside the cause."""
    force = build(
        causes_of_concern=[cause("coc-1", "2023-01-10", closed_on="2023-02/2023-04")],
        uncertainties=[{"about": "the day it closed", "note": "not stated", "subjects": ["coc-1"]}],
    )
    assert figures_of(force, "2024-06-30").causes_open.value == 0


def test_a_cause_raised_on_a_date_that_may_not_have_come_may_count():
    force = build(causes_of_concern=[cause("coc-1", "2024-03/2024-12-06")])
    found = figures_of(force, "2024-06-30")
    assert figures.words(found.causes_open) == "0 to 1 (1 possibly raised)"
    assert figures.words(found.causes_total) == "0 to 1 (1 possibly raised)"


def test_recommendations_not_on_record_are_never_counted_as_zero():
    """Lincolnshire: five causes, none of whose recommendations is on record."""
    force = build(
        causes_of_concern=[
            cause(f"coc-{n}", "2024-12-06", recommendations=[], recommendations_not_on_record=not_on_record())
            for n in range(5)
        ]
    )
    found = figures_of(force, "2025-05-14")
    for figure in (found.recommendations_open, found.recommendations_overdue):
        assert (figure.kind, figure.value, figure.least, figure.most) == ("unknown", None, 0, None)
        assert figures.words(figure) == "not known (recommendations of 5 causes not on record)"
        assert figures.cell(figure) == "?"
    assert figures.recommendations_words(found.recommendations_open, found.recommendations_overdue) == (
        "recommendations not known, overdue not known (recommendations of 5 causes not on record)"
    )
    assert figures.figure_json(found.recommendations_open)["value"] is None


def test_recommendations_on_record_beside_some_that_are_not_give_at_least():
    force = build(
        causes_of_concern=[
            cause("coc-1", "2023-09", recommendations=[rec("r-1"), rec("r-2")]),
            cause("coc-2", "2023-09", recommendations=[], recommendations_not_on_record=not_on_record()),
        ]
    )
    found = figures_of(force, "2024-06-30").recommendations_open
    assert (found.kind, found.least, found.most) == ("at-least", 2, None)
    assert (
        figures.words(found, "recommendation") == "at least 2 recommendations (recommendations of coc-2 not on record)"
    )
    assert figures.cell(found) == "2+"


def test_a_count_of_recommendations_the_record_gives_bounds_those_not_listed():
    force = build(
        causes_of_concern=[
            cause(
                "coc-1",
                "2023-09",
                recommendations=[rec("r-1", closed_on="2024-01-10")],
                recommendations_not_on_record=not_on_record(4),
            )
        ]
    )
    cause_found = standing(force, on("2024-06-30")).causes[0]
    assert figures.words(figures.cause_recommendations_open(cause_found)) == (
        "0 to 3 (3 recommendations of coc-1 not on record)"
    )
    assert figures.words(figures.cause_recommendations_closed(cause_found)) == (
        "1 to 4 (3 recommendations of coc-1 not on record)"
    )
    assert figures.cause_recommendations_total(cause_found).value == 4


def test_recommendations_not_on_record_of_a_cause_surely_closed_are_not_counted_open():
    """Closing a cause with open recommendations needs a recorded reason: none listed, none open."""
    force = build(
        causes_of_concern=[
            cause(
                "coc-1",
                "2023-09",
                recommendations=[],
                recommendations_not_on_record=not_on_record(),
                closure=closure("2024-05-01"),
            )
        ]
    )
    found = figures_of(force, "2024-06-30")
    assert found.recommendations_open.value == 0
    assert found.recommendations_overdue.value == 0


def test_overdue_is_a_range_where_a_due_date_is_known_only_to_a_span_the_day_lies_in():
    force = build(
        causes_of_concern=[cause("coc-1", "2024-01-10", recommendations=[rec("r-1", deadline="By December 2024")])]
    )
    assert figures.words(figures_of(force, "2024-12-15").recommendations_overdue) == "0 to 1 (1 possibly overdue)"
    assert figures_of(force, "2025-01-01").recommendations_overdue.value == 1
    assert figures_of(force, "2024-11-30").recommendations_overdue.value == 0


def test_an_open_recommendation_with_no_due_date_on_record_may_be_overdue():
    force = build(causes_of_concern=[cause("coc-1", "2024-01-10", recommendations=[rec("r-1")])])
    assert figures.words(figures_of(force, "2024-06-30").recommendations_overdue) == (
        "0 to 1 (1 with no due date on record)"
    )


def test_overdue_over_recommendations_in_doubt_carries_the_doubt():
    """Greater Manchester: its two overdue recommendations rest on recommendations an uncertainty names."""
    force = build(
        causes_of_concern=[
            cause("coc-1", "2020-01-10", recommendations=[rec(f"r-{n}", deadline="By 31 March 2021") for n in (1, 2)])
        ],
        uncertainties=[{"about": "their state", "note": "not on record", "subjects": ["r-1", "r-2"]}],
    )
    found = figures_of(force, "2022-10-31")
    assert figures.words(found.recommendations_overdue) == "0 to 2 (2 possibly closed)"
    assert not found.recommendations_overdue.certain
    # open and overdue said side by side doubt the same two recommendations: two, not four
    both = figures.recommendations_words(found.recommendations_open, found.recommendations_overdue)
    assert both == "0 to 2 recommendations, 0 to 2 overdue (2 possibly closed)"


def test_figures_add_up_with_each_reason_once():
    one = figures.counted([("a", None), ("b", figures.POSSIBLY_CLOSED)])
    other = figures.counted([("c", figures.POSSIBLY_CLOSED)]) + figures.Figure.unknown(figures.NOT_ON_RECORD, ["coc-9"])
    both = figures.total([one, other])
    assert (both.least, both.most, both.kind) == (1, None, "at-least")
    assert figures.why_words(both) == "2 possibly closed; recommendations of coc-9 not on record"


# -- how long in the phase ----------------------------------------------------------------------


def force_returned_to_scan(record_checked_to: str = "2024-09-18"):
    return build(
        record_checked_to=record_checked_to,
        phase_changes=[change("engage", "2023-11-22"), change("scan", "2024-09-18")],
    )


def test_days_in_phase_within_the_record_are_exact():
    found = figures_of(force_returned_to_scan(), "2024-09-18", NATIONAL).days_in_phase
    assert (found.kind, found.value, found.basis) == ("known", 0, figures.FORCE_RECORD)
    assert figures.duration_words(found) == "0 days"


def test_a_phase_known_beyond_the_forces_record_rests_on_the_national_search():
    """West Midlands today: in Scan since 2024-09-18, its own record ending that day, the national
    search of phase changes reaching 2025-08-08. Never "0 days when the record ends"."""
    found = figures_of(force_returned_to_scan(), "2026-11-26", NATIONAL).days_in_phase
    assert (found.kind, found.value, found.least, found.to) == ("at-least", None, 324, on("2025-08-08"))
    assert figures.duration_words(found) == "at least 324 days, to 2025-08-08: the national search of phase changes"
    assert figures.duration_cell(found) == "324+"
    assert figures.duration_json(found)["most"] is None
    within = figures_of(force_returned_to_scan(), "2025-01-01", NATIONAL).days_in_phase
    assert (within.kind, within.value, within.basis) == ("known", 105, figures.NATIONAL_SEARCH)
    assert figures.duration_words(within) == "105 days; the phase rests on the national search of phase changes"


def test_without_a_national_search_a_phase_is_known_to_the_forces_record_end():
    found = figures_of(force_returned_to_scan("2024-10-01"), "2026-11-26").days_in_phase
    assert figures.duration_words(found) == "at least 13 days, to 2024-10-01, when the force's record ends"


def test_a_phase_change_dated_to_a_month_gives_a_range_of_days():
    force = build(phase_changes=[change("engage", "2022-06")])
    found = figures_of(force, "2022-12-31").days_in_phase
    assert (found.kind, found.least, found.most) == ("range", 184, 213)
    assert figures.duration_words(found) == "184 to 213 days"


# -- the property -------------------------------------------------------------------------------


def _date(text) -> PartialDate | None:
    return None if text is None else PartialDate.parse(str(text))


def _surely(on_: PartialDate | None, day: date) -> bool:
    return on_ is not None and on_.latest <= day


def _possibly(on_: PartialDate | None, day: date) -> bool:
    return on_ is not None and on_.earliest <= day


def expected(tree: dict, day: date) -> dict:
    """What the record supports on ``day``, worked out from the file as written, independently of
    peel: how many causes and recommendations are surely open, and whether any is in doubt (may
    or may not count) or not on record at all. A doubt counts from the first day it may have
    begun (its ``from``) until it is surely settled."""
    doubted = {
        subject
        for u in tree.get("uncertainties", [])
        if ("from" not in u or _possibly(_date(u["from"]), day))
        and not _surely(_date((u.get("resolution") or {}).get("resolved_on")), day)
        for subject in u.get("subjects", [])
    }
    found = {"causes": 0, "causes_doubt": False, "recs": 0, "recs_doubt": False, "recs_unbounded": False}
    for entry in tree.get("causes_of_concern", []):
        raised = _date(entry["raised_on"])
        if not _possibly(raised, day):
            continue
        closed = _date((entry.get("closure") or {}).get("closed_on"))
        open_ = not _surely(closed, day)
        surely_raised = _surely(raised, day)
        if open_:
            if surely_raised and not _possibly(closed, day) and entry["id"] not in doubted:
                found["causes"] += 1
            else:
                found["causes_doubt"] = True
        recs = entry.get("recommendations", [])
        for item in recs:
            rec_closed = _date((item.get("closure") or {}).get("closed_on"))
            if _surely(rec_closed, day):
                continue
            if surely_raised and not _possibly(rec_closed, day) and item["id"] not in doubted:
                found["recs"] += 1
            else:
                found["recs_doubt"] = True
        missing = entry.get("recommendations_not_on_record")
        if missing is not None and open_:
            if missing.get("count") is None:
                found["recs_unbounded"] = True
            elif missing["count"] > len(recs):
                found["recs_doubt"] = True
    return found


def read(tree: dict):
    reading = force_reading(file_bytes(tree, plain_dates=False, crlf=False, bom=False), Path("x.yaml"), today=DAY)
    assert reading.force is not None, reading.errors
    return reading.force


@scaled_examples(50)
@given(data=st.data())
def test_no_figure_states_a_count_or_a_length_the_record_does_not_support(data):
    tree, drawn = data.draw(force_files("west-midlands"))
    force = read(tree)
    days = sorted({*drawn.events, DAY, EARLIEST})
    day = data.draw(st.sampled_from(days) | st.dates(date(2010, 1, 1), DAY))
    national = data.draw(st.sampled_from([None, NATIONAL, PartialDate.parse("2019")]))
    found = figures.of(standing(force, day, national=national))
    truth = expected(tree, day)

    causes = found.causes_open
    if truth["causes_doubt"]:
        assert not causes.certain and causes.value is None, "a cause in doubt: the count must be a range"
    assert causes.least == truth["causes"]

    recs = found.recommendations_open
    if truth["recs_unbounded"]:
        assert recs.most is None and recs.value is None, "recommendations not on record: never an exact count"
        assert found.recommendations_overdue.value is None, "nor an exact overdue count"
        assert figures.number(recs) != "0"
    if truth["recs_doubt"]:
        assert recs.value is None
    assert recs.least == truth["recs"]
    for figure in (causes, recs, found.recommendations_overdue):
        if figure.value is None:
            assert figure.doubts and figures.why_words(figure), "what is not exact says why"
            assert not figures.words(figure).isdigit()

    duration = found.days_in_phase
    checked = force.record_checked_to
    if duration is not None and checked is not None:
        known_to = max(checked.latest, national.latest if national else checked.latest)
        if day > known_to:
            assert duration.kind == "at-least" and duration.value is None and duration.to == known_to
            assert figures.duration_words(duration).startswith("at least ")
        else:
            assert duration.to == day and duration.kind != "at-least"


# -- the property, in every output ------------------------------------------------------------------

EXACT_CAUSES = re.compile(r"^[\d,]+ of [\d,]+ causes of concern")
EXACT_RECOMMENDATIONS = re.compile(r"; [\d,]+ recommendations? \(")
NONE_OVERDUE = "No open recommendation is past its due date"


def open_fact(markdown: str) -> str:
    (line,) = [line for line in markdown.splitlines() if line.startswith("- **Open")]
    return line.split(":** ", 1)[1]


def check_open_fact(text: str, truth: dict, where: str) -> None:
    if truth["causes_doubt"]:
        assert not EXACT_CAUSES.match(text), f"{where}: an exact count of causes in doubt: {text}"
    if truth["recs_doubt"] or truth["recs_unbounded"]:
        assert not EXACT_RECOMMENDATIONS.search(text), f"{where}: an exact count of recommendations: {text}"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("figures")


@scaled_examples(12)
@given(data=st.data())
def test_no_output_states_a_count_a_length_or_a_none_the_record_does_not_support(workspace, data):
    """For a generated force file with facts left out or in doubt, on a day often inside a span or
    past the record's end: status (table, Markdown, JSON, and the national view), report (Markdown,
    HTML), the site, history, diff and every export state no count, length or "none" beyond what
    the record supports."""
    tree, drawn = data.draw(force_files("west-midlands"))
    national = data.draw(st.sampled_from([None, "2025-08-08", "2019"]))
    root = write_ledger(
        workspace / "data", [(file_bytes(tree, plain_dates=False, crlf=False, bom=False), drawn)], national
    )
    day = data.draw(st.sampled_from(sorted({*drawn.events, DAY})) | st.dates(date(2015, 1, 1), DAY))
    truth = expected(tree, day)
    when = ("--as-of", day.isoformat())
    checked = _date(tree.get("record_checked_to"))
    searched = _date(national)
    known_to = None if checked is None else max(checked.latest, searched.latest if searched else checked.latest)
    open_ended = known_to is not None and day > known_to and bool(tree.get("phase_changes"))

    status = json.loads(ok("status", "west-midlands", *when, "-f", "json", root=root))
    counts = status["counts"]
    if truth["causes_doubt"]:
        assert counts["causes_open"] is None
    if truth["recs_doubt"] or truth["recs_unbounded"]:
        assert counts["recommendations_open"] is None
    if truth["recs_unbounded"]:
        assert counts["recommendations_overdue"] is None
        assert status["figures"]["recommendations_open"]["most"] is None
    if open_ended and status["phase_since"] is not None:
        assert status["days_in_phase"] is None
        assert status["days_in_phase_figure"]["text"].startswith("at least ")

    markdown = ok("status", "west-midlands", *when, "-f", "markdown", root=root)
    check_open_fact(open_fact(markdown), truth, "status markdown")
    table = " ".join(ok("status", "west-midlands", *when, root=root).split())
    for text in (markdown, table):
        assert "when the record ends)" not in text.split("Decided by")[0], "a length at the record's end as a fact"
        if open_ended and status["phase_since"] is not None:
            assert re.search(r"since \S+ \(at least [\d,]+ days?, to ", text), text[:400]

    summary = {row["force"]: row for row in json.loads(ok("status", *when, "-f", "json", root=root))["forces"]}
    if truth["recs_unbounded"]:
        assert summary["west-midlands"]["recommendations_open"] is None
        assert summary["west-midlands"]["recommendations_overdue"] is None

    report = ok("report", "west-midlands", *when, root=root)
    check_open_fact(open_fact(report), truth, "report")
    html = ok("report", "west-midlands", *when, "-f", "html", root=root)
    if truth["recs_unbounded"]:
        assert NONE_OVERDUE not in report and NONE_OVERDUE not in html

    site = workspace / "site"
    ok("site", str(site), *when, root=root)
    for row in parse_html((site / "index.html").read_text(encoding="utf-8")).all("tr"):
        if any(a.attrs.get("href") == "forces/west-midlands.html" for a in row.all("a")):
            cells = [td.text for td in row.all("td")]
            if truth["causes_doubt"]:
                assert not cells[4].isdigit(), cells
            if truth["recs_unbounded"] or truth["recs_doubt"]:
                assert not cells[5].isdigit(), cells
            if open_ended and status["phase_since"] is not None:
                assert cells[3].startswith("at least "), cells
                assert f"phase known to {known_to.isoformat()}" in cells[7] or "so does its phase" in cells[7], cells
    page = (site / "forces" / "west-midlands.html").read_text(encoding="utf-8")
    if truth["recs_unbounded"]:
        assert NONE_OVERDUE not in page

    history = json.loads(ok("history", "west-midlands", "-f", "json", root=root))
    assert history["record_checked_to"] == (None if checked is None else str(checked))
    record_line = "checked to " + str(checked) if checked is not None else "is not stated"
    assert record_line in ok("history", "west-midlands", "-f", "markdown", root=root)

    if known_to is not None:
        after = (known_to + timedelta(days=1)).isoformat()
        diff = json.loads(ok("diff", "--since", after, "-f", "json", root=root))
        assert diff["since_beyond_every_record"] is True and diff["changes"] == []
        text = ok("diff", "--since", after, "-f", "markdown", root=root)
        assert "- **Changes:** none known: every record ends before" in text
        assert "_None._" not in text

    out = workspace / "out"
    out.mkdir(exist_ok=True)
    ok("export", "-f", "json", "-o", str(out / "ledger.json"), *when, root=root)
    (exported,) = [f for f in json.loads((out / "ledger.json").read_text(encoding="utf-8"))["forces"] if f["status"]]
    assert exported["status"]["counts"] == counts
    ok("export", "-f", "sqlite", "-o", str(out / "ledger.db"), *when, root=root)
    with sqlite3.connect(out / "ledger.db") as db:
        (row,) = db.execute(
            "SELECT causes_open, recommendations_open, recommendations_overdue, days_in_phase FROM forces "
            "WHERE slug = 'west-midlands'"
        )
        assert list(row[:3]) == [
            counts["causes_open"],
            counts["recommendations_open"],
            counts["recommendations_overdue"],
        ]
        assert row[3] == status["days_in_phase"]
        for (closed,) in db.execute(
            "SELECT recommendations_closed FROM causes_of_concern WHERE recommendations_not_on_record IS NOT NULL "
            "AND recommendations_total IS NULL"
        ):
            assert closed is None, "recommendations not on record: how many are closed is not known"
        kinds = {
            name: (kind, value)
            for name, kind, value in db.execute(
                "SELECT name, kind, value FROM figures WHERE force = 'west-midlands' AND subject IS NULL"
            )
        }
        assert kinds["recommendations_open"][1] == counts["recommendations_open"]
    ok("export", "-f", "csv", "-o", str(out / "ledger.csv"), *when, root=root)
    header = (out / "ledger.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert {"phase_known_to", "phase_basis"} <= set(header)


# -- the shipped ledger: the cases ------------------------------------------------------

LINCOLNSHIRE_RECS = "not known (recommendations of 5 causes not on record)"


def test_lincolnshire_has_no_zero_for_recommendations_that_are_not_on_record(peel, ledger, tmp_path):
    """Issue 18: status, report, site and the exports said 0 open and 0 overdue, SQLite 0 closed."""
    args = ("--data-dir", str(ledger))
    table = " ".join(peel(*args, "status", "lincolnshire", env={"COLUMNS": "240"}).stdout.split())
    assert "recommendations not known, overdue not known (recommendations of 5 causes not on record)" in table
    assert "0 recommendations" not in table and "(0 overdue)" not in table
    status = json.loads(peel(*args, "status", "lincolnshire", "-f", "json").stdout)
    assert (status["counts"]["recommendations_open"], status["counts"]["recommendations_overdue"]) == (None, None)
    assert status["figures"]["recommendations_open"]["text"] == LINCOLNSHIRE_RECS
    assert all(c["recommendations_closed"] is None for c in status["causes_of_concern"])
    report = peel(*args, "report", "lincolnshire").stdout
    assert NONE_OVERDUE not in report
    assert f"_No recommendation on record is past its due date; overdue: {LINCOLNSHIRE_RECS}._" in report
    site = tmp_path / "site"
    assert peel(*args, "site", str(site)).exit_code == 0
    index = parse_html((site / "index.html").read_text(encoding="utf-8"))
    (row,) = [r for r in index.one("section", id="police-engage").all("tr") if r.all("td")]
    assert [td.text for td in row.all("td")][5:7] == [LINCOLNSHIRE_RECS, LINCOLNSHIRE_RECS]
    assert NONE_OVERDUE not in (site / "forces" / "lincolnshire.html").read_text(encoding="utf-8")
    database = tmp_path / "ledger.db"
    assert peel(*args, "export", "-f", "sqlite", "-o", str(database)).exit_code == 0
    with sqlite3.connect(database) as db:
        assert list(
            db.execute("SELECT DISTINCT recommendations_closed FROM causes_of_concern WHERE force = 'lincolnshire'")
        ) == [(None,)]
        assert list(
            db.execute("SELECT recommendations_open, recommendations_overdue FROM forces WHERE slug = 'lincolnshire'")
        ) == [(None, None)]
        assert list(db.execute("SELECT kind, why FROM figures WHERE key = 'lincolnshire/recommendations_open'")) == [
            ("unknown", "recommendations of 5 causes not on record")
        ]


def test_no_output_says_zero_days_when_the_record_ends_for_a_phase_known_later(peel, ledger, tmp_path):
    """Issue 18: West Midlands, Cleveland and Staffordshire were "0 days when the record ends"."""
    args = ("--data-dir", str(ledger))
    outputs = [peel(*args, "status").stdout, peel(*args, "status", "-f", "markdown").stdout]
    for slug in ("west-midlands", "cleveland", "staffordshire", "greater-manchester", "lincolnshire"):
        outputs += [peel(*args, "status", slug).stdout, peel(*args, "report", slug).stdout]
    assert peel(*args, "site", str(tmp_path / "site")).exit_code == 0
    outputs += [page.read_text(encoding="utf-8") for page in (tmp_path / "site").rglob("*.html")]
    assert not [text for text in outputs if "when the record ends)" in " ".join(text.split()).split("Decided by")[0]]
    assert not [text for text in outputs if re.search(r"\b0 days when the record ends", text)]
    wm = " ".join(peel(*args, "status", "west-midlands").stdout.split())
    assert "Scan since 2024-09-18 (at least 533 days, to 2026-03-05: the national search of phase changes)" in wm


def test_with_a_force_file_invalid_no_national_figure_is_stated_as_known(peel, ledger, tmp_path):
    """Issue 18: with Lincolnshire's file broken, status said "In Engage 0 of 43"."""
    (ledger / "forces" / "lincolnshire.yaml").write_text("slug: lincolnshire\nname: [\n", encoding="utf-8")
    args = ("--data-dir", str(ledger))
    result = peel(*args, "status")
    assert result.exit_code == 1 and "lincolnshire.yaml:" in result.stderr
    police, fire = " ".join(result.stdout.split()).split("Fire and rescue services of England")
    assert "In Engage 0 to 1 of 43 forces (lincolnshire's file is invalid: its phase is unknown)" in police
    assert "On record 10 of 43 forces have a file (1 invalid: peel validate says why)" in police
    assert "In Engage 0 of 44 services on the record" in fire and "16 of 44 services have a file;" in fire
    found = json.loads(peel(*args, "status", "-f", "json").stdout)
    parts = {part["sector"]: part for part in found["sectors"]}
    assert parts["police"]["in_engage"]["count"] is None
    assert (parts["police"]["in_engage"]["figure"]["least"], parts["police"]["in_engage"]["figure"]["most"]) == (0, 1)
    assert (parts["police"]["forces_with_a_file"], parts["police"]["invalid_files"]) == (10, ["lincolnshire"])
    assert (parts["fire"]["in_engage"]["count"], parts["fire"]["forces_with_a_file"]) == (0, 16)
    for command in (("report", "west-midlands"), ("export", "-f", "json", "-o", str(tmp_path / "x.json"))):
        refused = peel(*args, *command)
        assert refused.exit_code == 1 and "lincolnshire.yaml:" in refused.stderr, command
    assert not (tmp_path / "x.json").exists()


@pytest.mark.parametrize("fmt", ["table", "markdown", "json"])
def test_diff_since_a_day_after_every_record_says_nothing_is_known_there(peel, fmt):
    """Issue 18: peel diff --since 2026-01 printed "Changes: none" when no record reached 2026; today no
    record reaches April 2026."""
    result = peel("--data-dir", str(DATA), "diff", "--since", "2026-04", "-f", fmt)
    assert result.exit_code == 0
    if fmt == "json":
        found = json.loads(result.stdout)
        assert (found["since_beyond_every_record"], found["known_to"]) == (True, "2026-03-05")
        ends = {r["force"]: (r["record_checked_to"], r["reaches_since"]) for r in found["records"]}
        assert ends["west-midlands"] == ("2026-01-16", False)
        return
    text = " ".join(result.stdout.split())
    assert "none known: every record ends before 2026-04-01" in text
    assert "Nothing is known after 2026-03-05, where the last record ends." in text
    assert not re.search(r"Changes:?(\*\*)? none(?! known)", text)
    assert "west-midlands 2026-01-16 ends before 2026-04-01: nothing is known after 2026-01-16" in text.replace(
        "|", ""
    ).replace("  ", " ")


@pytest.mark.parametrize("fmt", ["table", "markdown", "json"])
def test_history_says_where_the_record_ends_in_every_format(peel, fmt):
    result = peel("--data-dir", str(DATA), "history", "west-midlands", "--since", "2026-02", "-f", fmt)
    assert result.exit_code == 0
    if fmt == "json":
        found = json.loads(result.stdout)
        assert (found["record_checked_to"], found["since_beyond_record"], found["events"]) == ("2026-01-16", True, [])
        assert found["phase_changes_searched_to"] == "2026-03-05"
        return
    text = " ".join(result.stdout.split())
    assert "checked to 2026-01-16: nothing later is known to peel" in text
    assert "Nothing is known after 2026-01-16, where the record ends" in text
    assert "None." not in text
