"""The editing commands of a letter's facts: what each records, what each refuses, and what it
tells the user to do next (issue 11)."""

from __future__ import annotations

import difflib
import json
from datetime import date
from pathlib import Path

import pytest

from conftest import DATA, TODAY
from peelcli.edits import normal_url

WM = "west-midlands"
UNDATED = "peel-news-2023-12"
"""West Midlands' release whose date is not on record: peel cannot tell it came before a later fact."""
RETURN_LETTER = (
    "https://hmicfrs.justiceinspectorates.gov.uk/publication-html/"
    "west-midlands-police-return-to-default-phase-of-monitoring-sept-24/"
)


@pytest.fixture
def run(peel, ledger):
    """peel against a private copy of the shipped ledger."""

    def invoke(*args: str):
        return peel("--data-dir", str(ledger), *args)

    return invoke


@pytest.fixture
def wm_file(ledger: Path) -> Path:
    return ledger / "forces" / f"{WM}.yaml"


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """(lines removed, lines added)."""
    diff = list(difflib.ndiff(before.splitlines(keepends=True), after.splitlines(keepends=True)))
    return [d[2:] for d in diff if d.startswith("- ")], [d[2:] for d in diff if d.startswith("+ ")]


def ok(result):
    assert result.exit_code == 0, result.stderr
    return result


def refused(result, message: str, code: int = 1):
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert message in result.stderr, result.stderr
    return result


# -- how far the record was checked (issue 9) -------------------------------------------------


def test_a_fact_past_how_far_the_record_was_checked_is_refused_naming_peel_checked(run, wm_file):
    before = wm_file.read_bytes()
    result = run("close-rec", WM, "rec-inv-outcomes", "--on", "2026-03-04", "--evidence", "x")
    refused(result, "west-midlands's record was checked only to 2026-01-16 (record_checked_to)")
    assert 'say so first with: peel checked west-midlands --to 2026-03-04 --note "what was searched"' in result.stderr
    assert wm_file.read_bytes() == before


def test_checked_moves_the_record_forward_in_place_then_the_later_fact_is_recorded(run, wm_file):
    before = wm_file.read_text()
    note = "HMICFRS pages on West Midlands Police searched to the end of March 2026"
    ok(run("checked", WM, "--to", "2026-03-31", "--note", note))
    removed, added = changed_lines(before, wm_file.read_text())
    assert added == ["record_checked_to: 2026-03-31\n", f"record_checked_note: {note}\n"]
    assert removed[0] == "record_checked_to: 2026-01-16\n"
    assert removed[1].startswith("record_checked_note: >-")
    ok(run("close-rec", WM, "rec-inv-outcomes", "--on", "2026-03-04", "--evidence", "x"))


def test_checked_refuses_a_day_before_a_fact_the_file_records_or_after_today(run):
    refused(run("checked", WM, "--to", "2024-09-01", "--note", "x"), "is before a fact the file records")
    refused(run("checked", WM, "--to", "2027-01", "--note", "x"), "in the future")


def test_a_new_force_says_nothing_of_its_record_until_peel_checked_says_it(run, ledger):
    ok(run("add-force", "kent"))
    assert "record_checked" not in (ledger / "forces" / "kent.yaml").read_text()
    warning = run("validate", str(ledger / "forces" / "kent.yaml")).stdout
    assert "say so with peel checked kent --to DATE --note TEXT" in warning
    ok(run("checked", "kent", "--to", "2024-12", "--note", "HMICFRS pages on Kent Police"))
    assert (
        (ledger / "forces" / "kent.yaml")
        .read_text()
        .endswith("name: Kent Police\nrecord_checked_to: 2024-12\nrecord_checked_note: HMICFRS pages on Kent Police\n")
    )
    assert "0 warnings" in run("validate", str(ledger / "forces" / "kent.yaml")).stdout


# -- dates and names on the command line -------------------------------------------------------


@pytest.mark.parametrize(
    ("partial", "day"), [("2024-09", "2024-09-30"), ("2024", "2024-12-31"), ("2024-07/2024-09-17", "2024-09-17")]
)
def test_as_of_a_month_a_year_or_a_span_is_its_last_day(run, partial, day):
    assert ok(run("status", WM, "--as-of", partial, "--format", "json")).stdout == (
        ok(run("status", WM, "--as-of", day, "--format", "json")).stdout
    )


@pytest.mark.parametrize(("command", "partial", "day"), [("history", "2024-07", "2024-07-01")])
def test_since_a_month_is_its_first_day(run, command, partial, day):
    got = json.loads(ok(run(command, WM, "--since", partial, "--format", "json")).stdout)
    assert got == json.loads(ok(run(command, WM, "--since", day, "--format", "json")).stdout)
    assert got["since"] == day


def test_diff_since_a_month_is_from_its_first_day(run):
    assert ok(run("diff", "--since", "2024-09", "--format", "json")).stdout == (
        ok(run("diff", "--since", "2024-09-01", "--format", "json")).stdout
    )


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Devon and Cornwall Police", "devon-and-cornwall"),
        ("devon & cornwall police", "devon-and-cornwall"),
        ("Met", "metropolitan"),
        ("GMP", "greater-manchester"),
        ("Metropolitan Police Service", "metropolitan"),
        ("WEST MIDLANDS POLICE", WM),
    ],
)
def test_a_force_is_named_by_slug_name_or_short_name(run, name, slug):
    assert json.loads(ok(run("status", name, "--format", "json")).stdout)["force"] == slug
    cite = ok(run("cite", name, "phase:1", "--source", "https://example.org/x", "--dry-run"))
    assert "+++ b/" in cite.stdout and f"/{slug}.yaml" in cite.stdout


@pytest.mark.parametrize(
    ("given", "normal"),
    [
        ("HTTPS://Example.ORG:443/a/b/#frag", "https://example.org/a/b"),
        ("http://example.org:80/a?x=1#y", "http://example.org/a?x=1"),
        ("https://example.org:8443/", "https://example.org:8443"),
        ("https://example.org/A/", "https://example.org/A"),
    ],
)
def test_urls_are_compared_with_scheme_and_host_lower_cased_and_default_port_slash_and_fragment_dropped(given, normal):
    assert normal_url(given) == normal


def test_a_url_given_as_source_finds_the_source_it_normalises_to(run, wm_file):
    written = RETURN_LETTER.replace("https://hmicfrs", "HTTPS://HMICFRS").rstrip("/") + "#top"
    result = ok(run("cite", WM, "coc-marac", "--source", written))
    assert result.stderr == ""
    assert "sources: [return-letter-2024-09, revisit-letter-2024-07, peel-report-2023-12, " not in wm_file.read_text()
    assert "coc-marac already cites" in result.stdout


def test_a_new_url_becomes_a_web_page_source_and_the_warning_names_the_fix(run, wm_file):
    url = "https://example.org/news/west-midlands-2024?page=2#top"
    result = ok(run("cite", WM, "coc-marac", "--source", url))
    assert result.stderr == (
        f"warning: added source 'west-midlands-2024' for {url}: give it its kind and title with: "
        "peel edit-source west-midlands west-midlands-2024 --kind KIND --title TEXT\n"
    )
    ok(run("edit-source", WM, "west-midlands-2024", "--kind", "news-release", "--title", "A news release"))
    text = wm_file.read_text()
    assert "added by peel from a URL" not in text
    assert "  - id: west-midlands-2024\n    kind: news-release\n    title: A news release\n" in text


def test_a_fact_without_a_source_warns_naming_peel_cite(run):
    result = ok(run("add-afi", WM, "--id", "afi-data", "--text", "Data quality", "--raised", "2024-09"))
    assert result.stderr == (
        "warning: no --source given: area for improvement afi-data cites no document; add one when you have it: "
        "peel cite west-midlands afi-data --source SRC\n"
    )
    closing = ok(run("close-afi", WM, "afi-data", "--on", "2024-09-18", "--evidence", "x", "--reason", "why"))
    assert "peel cite west-midlands afi-data/closure --source SRC" in closing.stderr
    ok(run("cite", WM, "afi-data/closure", "--source", "return-letter-2024-09"))
    assert "cites no source" not in run("validate").stdout.split("west-midlands.yaml", 1)[-1].split("\n")[0]


# -- sources and meetings ----------------------------------------------------------------------


def test_add_source_records_people_roles_and_the_meeting_it_records_in_one_edit(run, wm_file):
    before = wm_file.read_text()
    result = ok(
        run(
            "add-source",
            WM,
            "--id",
            "letter-2024-09-17",
            "--kind",
            "revisit-letter",
            "--title",
            "A letter",
            "--url",
            "https://example.org/letter",
            "--sent",
            "2024-09-17",
            "--from",
            "Lee Freeman KPM; His Majesty's Inspector of Constabulary; HMI of Fire & Rescue Services",
            "--to",
            "Craig Guildford",
            "--cc",
            "Simon Foster; Police and Crime Commissioner",
            "--meeting",
            "2024-09",
            "--notes",
            "no",
        )
    )
    assert result.stdout.endswith("and the meeting it records, ppog-2024-09 (held 2024-09)\n")
    removed, added = changed_lines(before, wm_file.read_text())
    assert removed == []
    assert added == [
        "  - id: letter-2024-09-17\n",
        "    kind: revisit-letter\n",
        "    title: A letter\n",
        '    url: "https://example.org/letter"\n',
        "    sent_on: 2024-09-17\n",
        "    from:\n",
        "      - name: Lee Freeman KPM\n",
        "        role: His Majesty's Inspector of Constabulary; HMI of Fire & Rescue Services\n",
        "    to:\n",
        "      - name: Craig Guildford\n",
        "    cc:\n",
        "      - name: Simon Foster\n",
        "        role: Police and Crime Commissioner\n",
        '    notes: "no"\n',
        "  - id: ppog-2024-09\n",
        "    kind: ppog-meeting\n",
        "    title: Policing Performance Oversight Group\n",
        "    held_on: 2024-09\n",
        "    recorded_in: [letter-2024-09-17]\n",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--id", "s9", "--kind", "web-page", "--title", "T"], "needs --url, or --recorded-in"),
        (
            [
                "--id",
                "s9",
                "--kind",
                "web-page",
                "--title",
                "T",
                "--url",
                "HTTPS://HMICFRS.justiceinspectorates.gov.uk" + RETURN_LETTER.split(".uk", 1)[1].rstrip("/"),
            ],
            "is already source 'return-letter-2024-09'",
        ),
        (
            [
                "--id",
                "s9",
                "--kind",
                "web-page",
                "--title",
                "T",
                "--url",
                "https://example.org/s9",
                "--meeting",
                "2024-09-17",
            ],
            "a meeting held on 2024-09-17 is already source 'ppog-2024-09-17': say this document records it with: "
            "peel cite west-midlands ppog-2024-09-17 --source s9",
        ),
        (["--id", "s9", "--kind", "web-page", "--title", "T", "--recorded-in", "nope"], "no source with id 'nope'"),
        (
            ["--id", "s9", "--kind", "web-page", "--title", "T", "--url", "https://x.org", "--from", " ; HMI"],
            'give a name, as "NAME; ROLE"',
        ),
    ],
)
def test_add_source_refusals(run, wm_file, args, message):
    before = wm_file.read_bytes()
    result = run("add-source", WM, *args)
    assert result.exit_code in (1, 2)
    assert message in result.stderr, result.stderr
    assert wm_file.read_bytes() == before


def test_add_meeting_defaults_its_id_and_title_and_may_be_recorded_at_a_new_address(run, wm_file):
    result = ok(run("add-meeting", WM, "--held", "2024-07-16", "--recorded-in", "https://example.org/minutes"))
    assert result.stdout.startswith("west-midlands: added source ppog-2024-07-16 (ppog-meeting)")
    assert "added source 'minutes'" in result.stderr
    text = wm_file.read_text()
    assert "  - id: ppog-2024-07-16\n    kind: ppog-meeting\n    title: Policing Performance Oversight Group\n" in text
    assert "    recorded_in: [minutes]\n    held_on: 2024-07-16\n" in text


def test_edit_source_replaces_values_in_place_and_keeps_every_other_byte(run, wm_file):
    before = wm_file.read_text()
    ok(run("edit-source", WM, "scan-news-2024-09", "--title", "no", "--published", "2024-09", "--notes", "A note"))
    removed, added = changed_lines(before, wm_file.read_text())
    assert removed == [
        "    title: West Midlands Police removed from enhanced monitoring\n",
        "    published_on: 2024-09-18\n",
    ]
    assert added == ['    title: "no"\n', "    published_on: 2024-09\n", "    notes: A note\n"]


def test_edit_source_replaces_a_folded_block_in_place(run, wm_file):
    before = wm_file.read_text()
    ok(run("edit-source", WM, "peel-report-2023-12", "--notes", "Shorter."))
    removed, added = changed_lines(before, wm_file.read_text())
    assert added == ["    notes: Shorter.\n"]
    assert removed[0] == "    notes: >-\n" and len(removed) == 3


@pytest.mark.parametrize(
    ("args", "message", "code"),
    [
        (["nope", "--title", "T"], "no source with id 'nope'", 1),
        (["scan-news-2024-09"], "nothing to change", 1),
        (["scan-news-2024-09", "--kind", "letter"], "--kind 'letter' is not one of", 2),
        (["scan-news-2024-09", "--url", RETURN_LETTER], "is already source 'return-letter-2024-09'", 1),
        (["scan-news-2024-09", "--sent", "2027"], "--sent 2027 is in the future", 1),
    ],
)
def test_edit_source_refusals(run, wm_file, args, message, code):
    before = wm_file.read_bytes()
    refused(run("edit-source", WM, *args), message, code)
    assert wm_file.read_bytes() == before


# -- citing ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "line"),
    [
        ("coc-investigations", "    sources: [return-letter-2024-09, revisit-letter-2024-07, peel-report-2023-12, p"),
        ("rec-inv-skills/closure", "          sources: [return-letter-2024-09, peel-news-2023-12]"),
        ("phase:2", "    sources: [return-letter-2024-09, scan-news-2024-09, peel-news-2023-12]"),
        ("ppog-2024-09-17", "    recorded_in: [return-letter-2024-09, peel-news-2023-12]"),
        ("metric:1", "    sources: [return-letter-2024-09, peel-news-2023-12]"),
        ("phase:1:date:1", "        sources: [return-letter-2024-09, peel-news-2023-12]"),
        (
            "officer:1",
            "    sources: [revisit-letter-2024-07, return-letter-2024-09, brumdaily-2026-01, "
            "policeprofessional-2026-01-16, europesays-2026-01, ukpol-2026-01-14, peel-news-2023-12]",
        ),
    ],
)
def test_cite_adds_a_source_to_the_named_record(run, wm_file, target, line):
    before = wm_file.read_text()
    ok(run("cite", WM, target, "--source", UNDATED))
    removed, added = changed_lines(before, wm_file.read_text())
    assert len(removed) == len(added) == 1
    assert added[0].startswith(line)


@pytest.mark.parametrize(("target", "fact"), [("rec-inv-skills/closure", "the closure"), ("phase:2", "the phase")])
def test_cite_refuses_a_source_dated_before_the_fact(run, wm_file, target, fact):
    before = wm_file.read_bytes()
    result = refused(run("cite", WM, target, "--source", "bbc-2024-07-23"), "error: source 'bbc-2024-07-23' was")
    assert f"published on 2024-07-23, before {fact}" in result.stderr
    assert wm_file.read_bytes() == before


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("coc-marak", "no record with id 'coc-marak' in west-midlands: did you mean coc-marac"),
        ("phase:9", "no record with id 'phase:9'"),
        ("coc-marac/sources", "after '/' give closure, resolution or recommendations_not_on_record"),
        ("rec-inv-outcomes/closure", "rec-inv-outcomes has no closure to cite sources for"),
    ],
)
def test_cite_refuses_what_it_cannot_name(run, target, message):
    refused(run("cite", WM, target, "--source", "bbc-2024-07-23"), message)


def test_citing_what_is_already_cited_changes_nothing(run, wm_file):
    before = wm_file.read_bytes()
    result = ok(run("cite", WM, "coc-marac", "--source", "return-letter-2024-09"))
    assert "coc-marac already cites" in result.stdout
    assert wm_file.read_bytes() == before


# -- causes, recommendations, people, figures, doubts ------------------------------------------


def test_add_rec_backfills_a_closed_recommendation_of_a_closed_cause(run, wm_file):
    refused(
        run("add-rec", WM, "coc-marac", "--id", "rec-marac-1", "--text", "x"),
        "cause of concern 'coc-marac' closed on 2024-05/2024-07-23 while recommendation rec-marac-1 is open: add "
        "the recommendation closed, with --closed-on DATE and --evidence TEXT",
    )
    refused(
        run(
            "add-rec",
            WM,
            "coc-marac",
            "--id",
            "rec-marac-1",
            "--text",
            "x",
            "--closed-on",
            "2024-08",
            "--evidence",
            "y",
        ),
        "recommendation rec-marac-1 closed on 2024-08, after its cause of concern 'coc-marac' closed "
        "(2024-05/2024-07-23)",
    )
    refused(
        run(
            "add-rec",
            WM,
            "coc-marac",
            "--id",
            "rec-marac-1",
            "--text",
            "x",
            "--closed-on",
            "2023-08",
            "--evidence",
            "y",
        ),
        "closed on 2023-08, before the cause of concern was raised (2023-09)",
    )
    result = ok(
        run(
            "add-rec",
            WM,
            "coc-marac",
            "--id",
            "rec-marac-1",
            "--text",
            "make MARACs work",
            "--closed-on",
            "2024-06",
            "--evidence",
            "The revisit found sustained improvement",
            "--closure-source",
            "revisit-letter-2024-07",
            "--notes",
            "From the revisit letter.",
        )
    )
    assert result.stdout.startswith("west-midlands: added recommendation rec-marac-1 to coc-marac, closed on 2024-06")
    assert (
        "    recommendations:\n      - id: rec-marac-1\n        text: make MARACs work\n"
        "        notes: From the revisit letter.\n        closure:\n"
        "          closed_on: 2024-06\n          evidence: The revisit found sustained improvement\n"
        "          sources: [revisit-letter-2024-07]\n"
    ) in wm_file.read_text(), "the closure last, where close-rec puts it"


def test_add_concern_can_say_its_recommendations_are_not_on_record(run, wm_file):
    ok(
        run(
            "add-concern",
            WM,
            "--id",
            "coc-new",
            "--title",
            "New",
            "--raised",
            "2024-09",
            "--published",
            "2024-09-18",
            "--source",
            "return-letter-2024-09",
            "--recommendations-not-on-record",
            "not in the letter",
            "--recommendations-count",
            "3",
            "--notes",
            "n",
        )
    )
    assert (
        "    published_on: 2024-09-18\n    sources: [return-letter-2024-09]\n    recommendations_not_on_record:\n"
        '      note: not in the letter\n      count: 3\n    notes: "n"\n'
    ) in wm_file.read_text()
    ok(
        run(
            "add-concern",
            WM,
            "--id",
            "aoc-new",
            "--title",
            "An area",
            "--raised",
            "2024-09",
            "--kind",
            "area-of-concern",
            "--source",
            "return-letter-2024-09",
        )
    )
    assert (
        "  - id: aoc-new\n    kind: area-of-concern\n    title: An area\n    raised_on: 2024-09\n"
        in wm_file.read_text()
    )
    refused(
        run("add-concern", WM, "--id", "c3", "--title", "T", "--raised", "2024", "--recommendations-count", "2"),
        "--recommendations-count needs --recommendations-not-on-record",
    )
    refused(
        run("add-concern", WM, "--id", "c3", "--title", "T", "--raised", "2024", "--kind", "worry"),
        "--kind 'worry' is not one of: cause-of-concern, area-of-concern",
        2,
    )


def test_officers_bodies_metrics_and_inspections(run, wm_file):
    ok(
        run(
            "add-officer",
            WM,
            "--name",
            "A. Deputy",
            "--role",
            "Deputy Chief Constable",
            "--from",
            "2023-01",
            "--to",
            "2024-06",
            "--source",
            "revisit-letter-2024-07",
        )
    )
    refused(run("add-officer", WM, "--name", "B", "--role", "R"), "say when B was in post: --from, or --noted-on")
    refused(
        run("add-officer", WM, "--name", "B", "--role", "R", "--from", "2024", "--to", "2023"),
        "--to 2023 is before --from 2024",
    )
    ok(
        run(
            "add-body",
            WM,
            "--name",
            "Mayor X",
            "--role",
            "Mayor",
            "--kind",
            "mayor",
            "--noted-on",
            "2024-09-18",
            "--notes",
            "n",
            "--source",
            "return-letter-2024-09",
        )
    )
    refused(
        run("add-body", WM, "--name", "Y", "--role", "R", "--kind", "sheriff", "--noted-on", "2024"),
        "--kind 'sheriff' is not one of: pcc, pfcc, mayor",
        2,
    )
    ok(
        run(
            "add-metric",
            WM,
            "--name",
            "rate",
            "--period-end",
            "2024-06-30",
            "--value",
            "5.50",
            "--unit",
            "percent",
            "--source",
            "return-letter-2024-09",
        )
    )
    for bad in ("1e3", "1,000", "05", ".5", "five"):
        refused(
            run("add-metric", WM, "--name", "rate", "--period-end", "2024", "--value", bad, "--unit", "x"),
            "is not a plain number",
            2,
        )
    ok(
        run(
            "add-inspection",
            WM,
            "--id",
            "insp-2024-10",
            "--title",
            "Revisit",
            "--fieldwork-from",
            "2024-09",
            "--fieldwork-to",
            "2024-09-17",
            "--source",
            "return-letter-2024-09",
        )
    )
    text = wm_file.read_text()
    assert "  - name: A. Deputy\n    role: Deputy Chief Constable\n    from: 2023-01\n    to: 2024-06\n" in text
    assert '    kind: mayor\n    noted_on: 2024-09-18\n    notes: "n"\n' in text
    assert "    value: 5.50\n    unit: percent\n" in text
    assert (
        "  - id: insp-2024-10\n    title: Revisit\n    fieldwork_from: 2024-09\n    fieldwork_to: 2024-09-17\n" in text
    )


def test_uncertainties_are_added_named_and_resolved(run, wm_file):
    ok(
        run(
            "add-uncertainty",
            WM,
            "--id",
            "unc-new",
            "--about",
            "when rec-inv-outcomes closes",
            "--note",
            "not known",
            "--subject",
            "rec-inv-outcomes",
            "--subject",
            "coc-investigations",
        )
    )
    refused(
        run("add-uncertainty", WM, "--about", "a", "--note", "b", "--subject", "rec-nope"),
        "no cause, recommendation or area with id 'rec-nope'",
    )
    status = json.loads(ok(run("status", WM, "--format", "json", "--as-of", "2024-09-18")).stdout)
    (added,) = [u for u in status["uncertainties"] if u["id"] == "unc-new"]
    assert (added["subjects"], added["resolved_on"]) == (["rec-inv-outcomes", "coc-investigations"], None)
    ok(
        run(
            "resolve-uncertainty",
            WM,
            "unc-new",
            "--on",
            "2024-09-18",
            "--evidence",
            "the letter says",
            "--source",
            "return-letter-2024-09",
        )
    )
    assert (
        "    subjects: [rec-inv-outcomes, coc-investigations]\n    resolution:\n      resolved_on: 2024-09-18\n"
        "      evidence: the letter says\n      sources: [return-letter-2024-09]\n"
    ) in wm_file.read_text()
    refused(
        run("resolve-uncertainty", WM, "unc-new", "--on", "2024-09-18", "--evidence", "x"),
        "uncertainty 'unc-new' is already resolved on 2024-09-18",
    )
    refused(
        run("resolve-uncertainty", WM, "unc-wm-recomendations", "--on", "2024-09-18", "--evidence", "x"),
        "did you mean unc-wm-recommendations",
    )


def test_a_doubt_that_arises_later_is_added_with_the_day_it_begins(run, wm_file):
    """add-uncertainty --from: its subjects are as the record shows them before that day, in doubt from it."""
    before = wm_file.read_text()
    added = ok(
        run(
            "add-uncertainty",
            WM,
            "--id",
            "unc-later",
            "--about",
            "rec-inv-outcomes after the letter",
            "--note",
            "no later letter was found",
            "--from",
            "2024-10",
            "--subject",
            "rec-inv-outcomes",
        )
    )
    assert added.stdout.strip().endswith(
        "added uncertainty unc-later about rec-inv-outcomes after the letter from 2024-10"
    )
    assert (
        "    note: no later letter was found\n    from: 2024-10\n    subjects: [rec-inv-outcomes]\n"
        in wm_file.read_text()
    )
    old, new = changed_lines(before, wm_file.read_text())
    assert (old, len(new)) == ([], 5), "the doubt is added and nothing else is touched"
    for day, shown in (("2024-09-30", False), ("2024-10-01", True)):
        status = json.loads(ok(run("status", WM, "--format", "json", "--as-of", day)).stdout)
        (doubt,) = [u for u in status["uncertainties"] if u["id"] == "unc-later"]
        assert (doubt["from"], doubt["begun"], doubt["in_doubt"]) == ("2024-10", shown, shown)
        markdown = ok(run("status", WM, "--format", "markdown", "--as-of", day)).stdout
        assert ("rec-inv-outcomes after the letter (from 2024-10): no later letter" in markdown) is shown
    refused(
        run("resolve-uncertainty", WM, "unc-later", "--on", "2024-09-30", "--evidence", "a letter"),
        "uncertainty 'unc-later' is in doubt from 2024-10: it cannot be settled on 2024-09-30, no later than it begins",
    )


@pytest.mark.parametrize(
    ("start", "code", "message"),
    [
        ("2024-13", 2, "'2024-13': month 13 does not exist"),
        ("2099-01", 1, "--from 2099-01 is in the future"),
        ("2026-02", 1, "west-midlands's record was checked only to 2026-01-16 (record_checked_to)"),
    ],
)
def test_a_doubt_cannot_begin_on_a_day_that_is_no_date_in_the_future_or_past_the_record(
    run, wm_file, start, code, message
):
    before = wm_file.read_bytes()
    refused(run("add-uncertainty", WM, "--about", "a", "--note", "b", "--from", start), message, code)
    assert wm_file.read_bytes() == before


def test_close_rec_and_close_afi_record_a_reason(run, wm_file):
    ok(
        run(
            "close-rec",
            WM,
            "rec-inv-outcomes",
            "--on",
            "2024-09-18",
            "--evidence",
            "e",
            "--reason",
            "r",
            "--source",
            "return-letter-2024-09",
        )
    )
    assert "          evidence: e\n          reason: r\n          sources: [return-letter-2024-09]\n" in (
        wm_file.read_text()
    )


# -- phase changes -----------------------------------------------------------------------------


def test_move_records_every_field_of_a_phase_change(run, wm_file):
    wm_file.write_text(wm_file.read_text().replace("record_checked_to: 2026-01-16", f"record_checked_to: {TODAY}"))
    result = ok(
        run(
            "move",
            WM,
            "engage",
            "--on",
            "2025-01",
            "--published",
            "2025-02-03",
            "--decided-by",
            "HMCI",
            "--reason",
            "r",
            "--notes",
            "n",
            "--source",
            UNDATED,
            "--other-date",
            "2025-02-03; the news release; says so; scan-news-2024-09 bbc-2024-07-23",
            "--other-date",
            "2025-01-30",
            "--missing-from-record",
            "which causes were open",
        )
    )
    assert result.stdout == (
        "west-midlands: moved into Engage on 2025-01 (not judged by peel assess: the record does not show all of it)\n"
    )
    assert (
        "  - phase: engage\n    decided_on: 2025-01\n    published_on: 2025-02-03\n    decided_by: HMCI\n"
        "    reason: r\n    other_reported_dates:\n      - date: 2025-02-03\n"
        "        note: the news release; says so\n        sources: [scan-news-2024-09, bbc-2024-07-23]\n"
        '      - date: 2025-01-30\n    missing_from_record: which causes were open\n    notes: "n"\n'
        "    sources: [peel-news-2023-12]\n"
    ) in wm_file.read_text()


def test_a_move_may_be_dated_to_a_month(run, wm_file):
    wm_file.write_text(wm_file.read_text().replace("record_checked_to: 2026-01-16", f"record_checked_to: {TODAY}"))
    # a cause raised since the return is what a move into Engage can rest on
    ok(
        run(
            "add-concern",
            WM,
            "--id",
            "coc-new",
            "--title",
            "New",
            "--raised",
            "2025-05",
            "--source",
            UNDATED,
        )
    )
    result = ok(run("move", WM, "engage", "--on", "2025-06", "--source", UNDATED))
    assert result.stdout == "west-midlands: moved into Engage on 2025-06 (peel assess: arguable)\n"
    assert "    decided_on: 2025-06\n" in wm_file.read_text()
    refused(
        run("move", WM, "scan", "--on", "2025-06", "--source", UNDATED),
        "peel assess cannot judge a move on 2025-06: the last phase change (2025-06) may not have happened by "
        "2025-06-30, the last day the move could be",
    )
    missing = ["--missing-from-record", "the day of either move"]
    same_month = ok(run("move", WM, "scan", "--on", "2025-06", "--source", UNDATED, *missing))
    assert same_month.stderr == (
        "warning: 2025-06 cannot be told apart from the last phase change (2025-06): record a more exact date if "
        "the record has one\n"
    )
    refused(
        run("move", WM, "engage", "--on", "2025-05", "--source", UNDATED),
        "2025-05 is not after the last phase change (2025-06)",
    )


# -- several edits as one (peel ingest --apply) ------------------------------------------------


def test_several_editing_commands_apply_as_one_transaction(ledger, wm_file):
    from peelcli.cli import edit_step
    from peelcli.ledger import Ledger

    book, today = Ledger(ledger), date.fromisoformat(TODAY)
    proposal = [
        ["peel", "checked", WM, "--to", "2026-05-31", "--note", "the letter of May 2026"],
        [
            "add-source",
            WM,
            "--id",
            "letter-2026-05",
            "--kind",
            "revisit-letter",
            "--title",
            "Revisit",
            "--url",
            "https://example.org/r",
            "--sent",
            "2026-05-20",
            "--meeting",
            "2026-05-19",
        ],
        ["close-rec", WM, "rec-inv-outcomes", "--on", "2026-05-20", "--evidence", "e", "--source", "letter-2026-05"],
    ]
    steps = [edit_step(argv, book, today) for argv in proposal]
    before = wm_file.read_bytes()
    outcome = book.edit_all(WM, [(s.change, s.request) for s in steps], today=today, dry_run=True)
    assert wm_file.read_bytes() == before
    assert outcome.diff.count("\n+") == 2 + 2 + 11 + 4 - 2  # checked replaces its two lines
    outcome = book.edit_all(WM, [(s.change, s.request) for s in steps], today=today)
    assert outcome.edit.summary.splitlines()[2].startswith("west-midlands: closed recommendation rec-inv-outcomes")
    assert "ppog-2026-05-19" in wm_file.read_text()


def test_one_refused_step_refuses_the_transaction_and_writes_nothing(ledger, wm_file):
    from peelcli.cli import edit_step
    from peelcli.ledger import Ledger
    from peelcli.problems import PeelError

    book, today = Ledger(ledger), date.fromisoformat(TODAY)
    steps = [
        edit_step(["cite", WM, "coc-marac", "--source", "bbc-2024-07-23"], book, today),
        edit_step(["close-rec", WM, "rec-inv-outcomes", "--on", "2026-05-20", "--evidence", "e"], book, today),
    ]
    before = wm_file.read_bytes()
    with pytest.raises(PeelError, match="change 2 of 2: west-midlands's record was checked only to 2026-01-16"):
        book.edit_all(WM, [(s.change, s.request) for s in steps], today=today)
    assert wm_file.read_bytes() == before


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["status", WM], "'status' is not an editing command"),
        (["close-rec", WM], "peel close-rec: Missing argument"),
        (["close-rec", WM, "rec-1", "--evidence", "x", "--on", "2024-02-30"], "--on: '2024-02-30'"),
    ],
)
def test_edit_step_refuses_what_is_not_an_editing_command_line(argv, message):
    from peelcli.cli import edit_step
    from peelcli.ledger import Ledger
    from peelcli.problems import PeelError

    with pytest.raises(PeelError, match=message) as caught:
        edit_step(argv, Ledger(DATA), date.fromisoformat(TODAY))
    assert caught.value.exit_code == 2
