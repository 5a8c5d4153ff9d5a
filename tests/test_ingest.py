"""peel ingest: the West Midlands letter against the ledger of 16 September 2024 and of today,
and the test letters of tests/fixtures/letters against their fixture ledgers."""

from __future__ import annotations

import functools
import json
from datetime import date
from pathlib import Path

import pytest

from conftest import DATA
from peelcli.ingest.letter import read_letter
from peelcli.ingest.proposal import SEP, ingest, proposal_json, proposal_text
from peelcli.ingest.statements import find_statements, sentences
from peelcli.ledger import Ledger, read_force_file
from peelcli.problems import PeelError

LETTERS = Path(__file__).parent / "fixtures" / "letters"
FIXTURE_LEDGER = LETTERS / "ledger"
WM_LETTER = LETTERS / "2024-09-18-west-midlands-return-to-scan.txt"  # a copy of shared/sources/
WM_HTML = LETTERS / "2024-09-18-west-midlands-return-to-scan.html"
TODAY = date(2026, 11, 26)
WM_URL = "https://hmicfrs.justiceinspectorates.gov.uk/publication-html/west-midlands-police-return-to-default-phase-of-monitoring-sept-24/"
FIRE = "His Majesty’s Inspector of Fire & Rescue Services"
SKILLS = "make sure staff and officers have sufficient skills and capabilities to carry out high-quality investigations"
COUNT = "On 17 September 2024, we closed three of these five recommendations."
CLOSE = "We will close this recommendation."
DECISION = (
    "I am pleased to let you know that His Majesty’s Chief Inspector of Constabulary and Fire & Rescue Services, "
    "Andy Cooke, has decided to return West Midlands Police to our default phase of monitoring, which is known as Scan."
)
MEETING = (
    "Thank you for the thorough presentation and discussion at the Policing Performance Oversight Group on "
    "Tuesday 17 September."
)


@functools.lru_cache(maxsize=8)
def names_and_files(root: Path, today: date = TODAY):
    ledger = Ledger(root)
    names = {slug: [name] for slug, name in ledger.registry().names.items()}
    files: dict = dict.fromkeys(names)
    for force in ledger.load_all(today=today):
        names.setdefault(force.slug, []).append(force.name)
        files[force.slug] = force
    return names, files


def propose_for(letter_path: Path, root: Path, **options):
    names, files = names_and_files(root)
    return ingest(read_letter(str(letter_path)), names, files, **options)


def body_text(path: Path) -> str:
    """The letter's text as the reader sees it, for checking that quotes are the letter's own."""
    letter = read_letter(str(path))
    return " ".join([letter.title, *(p.text for p in letter.body)])


def expected_wm(url: str | None) -> list[list[str]]:
    source = [
        "peel",
        "add-source",
        "west-midlands",
        "--id",
        "return-letter-2024-09",
        "--kind",
        "return-letter",
        "--title",
        "West Midlands Police: return to default phase of monitoring",
    ]
    source += ["--url", url] if url else []
    source += [
        "--sent", "2024-09-18", "--published", "2024-09-18",
        "--from", "Lee Freeman KPM; His Majesty’s Inspector of Constabulary; " + FIRE,
        "--to", "Craig Guildford; Chief Constable, West Midlands Police",
        "--cc", "Simon Foster; Police, Fire and Crime Commissioner",
        "--meeting", "2024-09-17",
    ]  # fmt: skip
    return [source] + [
        ["peel", "close-rec", "west-midlands", rec, "--on", "2024-09-17"]
        for rec in ("rec-inv-skills", "rec-inv-timely", "rec-inv-plans")
    ]


@pytest.mark.parametrize("path", [WM_LETTER, WM_HTML], ids=["text", "html"])
def test_west_midlands_as_of_16_september_2024(path):
    proposal = propose_for(path, FIXTURE_LEDGER)
    assert proposal.force == "west-midlands"
    assert proposal.kind == "return-to-scan"
    argvs = [list(c.argv) for c in proposal.changes]
    assert len(argvs) == 5
    url = WM_URL if path.suffix == ".html" else None
    expected = expected_wm(url)
    assert argvs[0] == expected[0]
    for got, want, heading in zip(
        argvs[1:4], expected[1:], ("sufficient skills", "proportionate, thorough", "investigation plans"), strict=True
    ):
        assert got[:6] == want
        assert got[6:] == ["--evidence", got[7], "--source", "return-letter-2024-09"]
        assert got[7].startswith(COUNT + SEP) and got[7].endswith(SEP + CLOSE) and heading in got[7]
    move = argvs[4]
    assert move[:6] == ["peel", "move", "west-midlands", "scan", "--on", "2024-09-18"]
    assert move[move.index("--decided-by") + 1] == (
        "Andy Cooke, His Majesty’s Chief Inspector of Constabulary and Fire & Rescue Services"
    )
    assert move[move.index("--source") + 1] == "return-letter-2024-09"
    assert "supported by the fact we have been able to close three recommendations" in move[move.index("--reason") + 1]
    assert "does not date the decision itself" in move[move.index("--notes") + 1]
    # each change quotes the letter's own words
    text = body_text(path)
    for change in proposal.changes:
        assert change.quotes
        assert change.evidence == SEP.join(change.quotes)
        for quote in change.quotes:
            assert quote in text or quote == "Sent on 18 September 2024", quote
    assert proposal.changes[0].quotes[-1] == MEETING
    assert proposal.changes[1].quotes == (
        COUNT,
        f"The force should {SKILLS}",
        CLOSE,
    )
    assert DECISION in proposal.changes[4].quotes
    assert (
        "The force has returned to Scan, our default phase of monitoring, with immediate effect."
        in proposal.changes[4].quotes
    )
    unknown = " ".join(proposal.unknown)
    assert "date of the decision itself" in unknown
    assert ("--url" in unknown) == (url is None)


def test_west_midlands_already_recorded_proposes_nothing():
    proposal = propose_for(WM_LETTER, DATA)
    assert proposal.changes == ()
    assert "nothing to record" in proposal_text(proposal)


def test_json_shape():
    data = proposal_json(propose_for(WM_LETTER, FIXTURE_LEDGER))
    assert set(data) == {"letter", "force", "changes", "unknown"}
    assert set(data["letter"]) == {"title", "sent_on", "from", "to", "cc", "kind"}
    assert data["letter"]["sent_on"] == "2024-09-18"
    assert data["letter"]["kind"] == "return-to-scan"
    assert data["letter"]["to"] == [{"name": "Craig Guildford", "role": "Chief Constable, West Midlands Police"}]
    assert data["force"] == "west-midlands"
    assert all(set(c) == {"command", "evidence"} and c["command"][0] == "peel" for c in data["changes"])
    assert isinstance(data["unknown"], list)
    json.dumps(data)


def test_text_output_is_shell_commands_after_their_evidence():
    import shlex

    text = proposal_text(propose_for(WM_LETTER, FIXTURE_LEDGER))
    commands = [line for line in text.splitlines() if line.startswith("peel ")]
    assert len(commands) == 5
    assert shlex.split(commands[1])[:4] == ["peel", "close-rec", "west-midlands", "rec-inv-skills"]
    lines = text.splitlines()
    assert lines[lines.index(commands[0]) - 1] == f"# \u201c{MEETING}\u201d"


def test_command_line(peel):
    env = {"PEEL_DATA_DIR": str(FIXTURE_LEDGER), "PEEL_TODAY": "2024-09-16"}
    result = peel("ingest", str(WM_LETTER), "--format", "json", env=env)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [c["command"][1] for c in data["changes"]] == ["add-source", "close-rec", "close-rec", "close-rec", "move"]
    result = peel("ingest", str(WM_LETTER), env={"PEEL_DATA_DIR": str(DATA)})
    assert result.exit_code == 0
    assert "nothing to record" in result.stdout
    assert not [line for line in result.stdout.splitlines() if line.startswith("peel ")]


def fixture_copy(tmp_path: Path) -> Path:
    import shutil

    root = tmp_path / "data"
    shutil.copytree(FIXTURE_LEDGER, root)
    return root


def test_apply_without_the_letters_address_is_refused_and_writes_nothing(peel, tmp_path):
    root = fixture_copy(tmp_path)
    before = (root / "forces" / "west-midlands.yaml").read_bytes()
    result = peel("--data-dir", str(root), "ingest", str(WM_LETTER), "--apply")
    assert result.exit_code == 1
    assert result.stderr == "error: the letter's address is not known (a text file carries none): give it with --url\n"
    assert "peel close-rec west-midlands rec-inv-skills" in result.stdout
    assert (root / "forces" / "west-midlands.yaml").read_bytes() == before


def test_apply_past_where_the_record_was_searched_is_refused_naming_peel_checked(peel, tmp_path):
    root = fixture_copy(tmp_path)
    before = (root / "forces" / "west-midlands.yaml").read_bytes()
    result = peel("--data-dir", str(root), "ingest", str(WM_LETTER), "--url", WM_URL, "--apply")
    assert result.exit_code == 1
    assert "change 1 of 5: west-midlands's record was checked only to 2024-09-16" in result.stderr
    assert "peel checked west-midlands --to 2024-09-18" in result.stderr
    assert "peel checked west-midlands --to 2024-09-18" in result.stdout  # listed as unknown with the proposal
    assert (root / "forces" / "west-midlands.yaml").read_bytes() == before


def test_apply_records_the_letter_in_one_edit_and_then_it_is_on_record(peel, tmp_path):
    root = fixture_copy(tmp_path)
    data = ("--data-dir", str(root))
    searched = ("checked", "west-midlands", "--to", "2024-09-18", "--note", "searched to the return letter")
    assert peel(*data, *searched).exit_code == 0
    shown = peel(*data, "ingest", str(WM_LETTER), "--url", WM_URL)
    assert shown.exit_code == 0
    assert "+          closed_on: 2024-09-17\n" in shown.stdout  # the diff follows the commands
    assert (root / "forces" / "west-midlands.yaml").read_text(encoding="utf-8").count("closed_on: 2024-09-17") == 0
    applied = peel(*data, "ingest", str(WM_LETTER), "--url", WM_URL, "--apply")
    assert applied.exit_code == 0, applied.stderr
    assert applied.stderr.endswith("recorded 5 changes in " + str(root / "forces" / "west-midlands.yaml") + "\n")
    assert peel("validate", str(root)).exit_code == 0
    status = json.loads(peel(*data, "status", "west-midlands", "--as-of", "2024-09-18", "--format", "json").stdout)
    assert (status["phase"], status["phase_since"]) == ("scan", "2024-09-18")
    assert status["decided_by"].startswith("Andy Cooke")
    closed = {r["id"]: r["closed_on"] for c in status["causes_of_concern"] for r in c["recommendations"]}
    assert [closed[r] for r in ("rec-inv-skills", "rec-inv-timely", "rec-inv-plans")] == ["2024-09-17"] * 3
    assert (closed["rec-inv-outcomes"], closed["rec-inv-outcomes-use"]) == (None, None)
    again = peel(*data, "ingest", str(WM_LETTER), "--url", WM_URL)
    assert "nothing to record" in again.stdout


def test_url_option_goes_with_the_new_source():
    names, files = names_and_files(FIXTURE_LEDGER)
    letter = read_letter(str(WM_LETTER), url=WM_URL)
    proposal = ingest(letter, names, files)
    assert list(proposal.changes[0].argv) == expected_wm(WM_URL)[0]
    assert not any("--url" in item for item in proposal.unknown)


# -- the test letters -----------------------------------------------------------------------------


def argvs(proposal):
    return [list(c.argv) for c in proposal.changes]


def test_move_into_engage_with_an_annex_of_causes():
    path = LETTERS / "2024-12-06-lincolnshire-move-into-engage.html"
    proposal = propose_for(path, FIXTURE_LEDGER)
    assert (proposal.force, proposal.kind) == ("lincolnshire", "move-into-engage")
    changes = argvs(proposal)
    assert [c[1] for c in changes] == ["add-source", "move"]
    source = changes[0]
    assert source[3:7] == ["--id", "engage-decision-2024-12", "--kind", "phase-decision-letter"]
    assert (
        "https://hmicfrs.justiceinspectorates.gov.uk/publication-html/lincolnshire-police-moved-into-enhanced-monitoring/"
        in source
    )
    assert "--meeting" not in source  # the PPOG of 22 January 2025 is an invitation, not a meeting held
    move = changes[1]
    assert move[:8] == ["peel", "move", "lincolnshire", "engage", "--on", "2024-12-06", "--published", "2024-12-06"]
    assert move[move.index("--decided-by") + 1] == "Andy Cooke, HM Chief Inspector (HMCI)"
    unknown = " ".join(proposal.unknown)
    assert unknown.count("a cause of concern that is not in the ledger") == 2
    assert unknown.count("a recommendation that is not in the ledger") == 3
    assert "date of the decision itself" in unknown
    assert "return" not in " ".join(" ".join(c) for c in changes)  # the script's text is never read


def test_revisit_letter_closing_causes():
    path = LETTERS / "2025-04-04-nottinghamshire-revisit.txt"
    proposal = propose_for(path, FIXTURE_LEDGER)
    assert (proposal.force, proposal.kind) == ("nottinghamshire", "revisit")
    changes = argvs(proposal)
    assert [c[1:6] for c in changes] == [
        ["add-source", "nottinghamshire", "--id", "revisit-letter-2025-04", "--kind"],
        ["close-rec", "nottinghamshire", "rec-inv-manage", "--on", "2025-04-04"],
        ["close-concern", "nottinghamshire", "coc-leadership", "--on", "2025-04-02"],
        ["close-concern", "nottinghamshire", "coc-neighbourhood", "--on", "2025-04-04"],
    ]
    assert "--cc" not in changes[0]
    assert proposal.changes[2].quotes == (
        "Leadership and force management",
        "On 2 April 2025, we closed this cause of concern.",
    )
    unknown = " ".join(proposal.unknown)
    assert "when rec-inv-manage was closed" in unknown and "when coc-neighbourhood was closed" in unknown
    assert "coc-investigations" not in " ".join(" ".join(c) for c in changes)  # "before we can close" keeps it open


def test_closure_of_a_cause_letter():
    path = LETTERS / "2024-09-26-devon-and-cornwall-cause-closed.html"
    proposal = propose_for(path, FIXTURE_LEDGER)
    assert (proposal.force, proposal.kind) == ("devon-and-cornwall", "cause-closed")
    changes = argvs(proposal)
    assert len(changes) == 2
    assert changes[0][changes[0].index("--meeting") + 1] == "2024-09-24"
    assert changes[0][changes[0].index("--published") + 1] == "2024-09-27"
    assert (
        changes[0][changes[0].index("--from") + 1] == "Andy Cooke QPM DL; His Majesty’s Chief Inspector of Constabulary"
    )
    assert changes[1][:6] == ["peel", "close-concern", "devon-and-cornwall", "coc-responding", "--on", "2024-09-26"]
    assert proposal.changes[1].quotes == (
        "I am pleased to let you know that I will be closing the force’s cause of concern regarding responding "
        "to the public.",
    )
    assert any("when coc-responding was closed" in u for u in proposal.unknown)


def test_return_with_everything_closed():
    path = LETTERS / "2024-05-21-wiltshire-return-to-scan.txt"
    proposal = propose_for(path, FIXTURE_LEDGER)
    assert (proposal.force, proposal.kind) == ("wiltshire", "return-to-scan")
    changes = argvs(proposal)
    assert [c[1:6] for c in changes] == [
        ["add-source", "wiltshire", "--id", "return-letter-2024-05", "--kind"],
        ["close-rec", "wiltshire", "rec-plans-workforce", "--on", "2024-05-14"],
        ["close-concern", "wiltshire", "coc-strategic-plans", "--on", "2024-05-21"],
        ["move", "wiltshire", "scan", "--on", "2024-05-21"],
    ]
    assert "--meeting" not in changes[0]  # "last week": no date, not guessed
    move = changes[3]
    assert move[move.index("--decided-by") + 1].startswith(
        "Andy Cooke QPM DL, His Majesty’s Chief Inspector of Constabulary"
    )
    unknown = " ".join(proposal.unknown)
    assert "“last week”" in unknown
    text = body_text(path)
    for change in proposal.changes[1:]:
        assert all(q in text for q in change.quotes)


@pytest.mark.parametrize(
    ("letter", "slug"),
    [
        ("2024-12-06-lincolnshire-move-into-engage.html", "lincolnshire"),
        ("2025-04-04-nottinghamshire-revisit.txt", "nottinghamshire"),
        ("2024-09-26-devon-and-cornwall-cause-closed.html", "devon-and-cornwall"),
        ("2024-05-21-wiltshire-return-to-scan.txt", "wiltshire"),
    ],
)
def test_fixture_ledgers_are_valid_force_files(letter, slug):
    reading = read_force_file(FIXTURE_LEDGER / "forces" / f"{slug}.yaml", today=TODAY)
    assert reading.ok, reading.errors
    assert reading.force.record_checked_to is not None and reading.force.record_checked_note


def test_a_force_without_a_file_gets_add_force_first(tmp_path):
    import shutil

    root = tmp_path / "data"
    shutil.copytree(FIXTURE_LEDGER, root)
    (root / "forces" / "lincolnshire.yaml").unlink()
    proposal = propose_for(LETTERS / "2024-12-06-lincolnshire-move-into-engage.html", root)
    assert list(proposal.changes[0].argv) == ["peel", "add-force", "lincolnshire"]


def test_applying_to_a_force_without_a_file_creates_it_with_the_changes(peel, tmp_path):
    root = fixture_copy(tmp_path)
    path = root / "forces" / "devon-and-cornwall.yaml"
    path.unlink()
    letter = LETTERS / "2024-09-26-devon-and-cornwall-cause-closed.html"
    result = peel("--data-dir", str(root), "ingest", str(letter), "--apply")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.endswith(f"recorded 2 changes in {path}\n")
    text = path.read_text(encoding="utf-8")
    assert "kind: ppog-meeting" in text and "held_on: 2024-09-24" in text
    assert peel("validate", str(path)).exit_code == 0


def test_a_move_into_engage_with_no_cause_on_record_is_refused_whole_and_leaves_no_file(peel, tmp_path):
    root = fixture_copy(tmp_path)
    path = root / "forces" / "lincolnshire.yaml"
    path.unlink()
    letter = LETTERS / "2024-12-06-lincolnshire-move-into-engage.html"
    result = peel("--data-dir", str(root), "ingest", str(letter), "--apply")
    assert result.exit_code == 1
    assert "change 2 of 2: peel assess calls a move into Engage on 2024-12-06 not justified" in result.stderr
    assert "add it with peel add-concern" in result.stdout  # the causes the letter states, listed as unknown
    assert not path.exists()


# -- phrasings ------------------------------------------------------------------------------------


def letter_with(
    body: str,
    *,
    sent: str = "21 May 2025",
    sender: str = "Roy Wilsher OBE QFSM\nHis Majesty’s Inspector of Constabulary",
):
    from peelcli.ingest.letter import parse_letter

    text = (
        f"Nottinghamshire Police: return to default phase of monitoring\n\nLetter information\n\nFrom\n{sender}\n\n"
        f"To\nSteve Cooper\nTemporary Chief Constable\nNottinghamshire Police\n\nSent on\n{sent}\n\n{body}\n"
    )
    return parse_letter(text.encode(), "letter.txt")


@pytest.mark.parametrize(
    ("sentence", "decider"),
    [
        (
            "His Majesty’s Chief Inspector of Constabulary and Fire & Rescue Services, Sir Andy Cooke, has decided to "
            "return Nottinghamshire Police to our default phase of monitoring, which is known as Scan.",
            "Sir Andy Cooke, His Majesty’s Chief Inspector of Constabulary and Fire & Rescue Services",
        ),
        (
            "His Majesty’s Chief Inspector (HMCI) of Constabulary and Fire & Rescue Services, Andy Cooke, has decided "
            "to return Staffordshire Police to our default level of monitoring, which is known as ‘scan’.",
            "Andy Cooke, His Majesty’s Chief Inspector (HMCI) of Constabulary and Fire & Rescue Services",
        ),
        (
            "I am pleased to let you know that I have decided to return Wiltshire Police to our default level of "
            "monitoring, known as ‘scan’.",
            "Roy Wilsher OBE QFSM, His Majesty’s Inspector of Constabulary",
        ),
        ("Andy Cooke has decided to remove the force from Engage because it has made improvements.", "Andy Cooke"),
    ],
)
def test_who_decided(sentence, decider):
    decision = find_statements(letter_with(sentence)).decision
    assert decision is not None and decision.phase == "scan"
    assert decision.decider == decider
    assert decision.quotes == (sentence,)


@pytest.mark.parametrize(
    ("sentence", "held"),
    [
        (
            "Thank you for the presentation at the Policing Performance Oversight Group (PPOG) on Wednesday 21 May.",
            "2025-05-21",
        ),
        ("Thank you for the presentation at the PPOG on Tuesday 21 May.", None),  # 21 May 2025 is a Wednesday
        ("Thank you for the presentation at the PPOG on 21 May.", None),  # no year and no weekday to check
        ("Thank you for the presentation at the PPOG last week.", None),
        ("Thank you for the presentation at the PPOG on Wednesday 22 May 2024.", "2024-05-22"),
        ("Thank you for the presentation at the PPOG on Friday 20 December.", "2024-12-20"),  # the year before
    ],
)
def test_meeting_dates_are_never_guessed(sentence, held):
    meetings = find_statements(letter_with(sentence)).meetings
    assert len(meetings) == 1
    assert (str(meetings[0].held_on) if meetings[0].held_on else None) == held
    assert meetings[0].quote == sentence


def test_future_meetings_and_negated_closures_are_not_statements():
    statements = find_statements(
        letter_with(
            "The next meeting of the PPOG will be held on 22 January 2026.\n\n"
            "Investigations\n\nThe force needs to do more before we can close this cause of concern.\n\n"
            "We will not close this recommendation yet."
        )
    )
    assert statements.meetings == ()
    assert all(not v.closed for v in statements.verdicts)


def test_sentences_keep_the_letters_words():
    text = "On 17 September 2024, we closed three. The force’s plan (PPOG) worked! “Quoted” text."
    assert sentences(text) == [
        "On 17 September 2024, we closed three.",
        "The force’s plan (PPOG) worked!",
        "“Quoted” text.",
    ]


def test_ambiguous_or_unmatched_recommendations_are_unknown():
    from peelcli.ingest.matching import match_recommendation
    from peelcli.schema.records import validate

    rec = {"id": "r1", "text": "make sure it reviews all crimes"}
    recs = [
        validate(
            "ForceFile",
            {
                "slug": "x",
                "name": "X",
                "causes_of_concern": [
                    {"id": "c", "title": "C", "raised_on": "2024", "recommendations": [rec, {**rec, "id": "r2"}]}
                ],
            },
        )
        .causes_of_concern[0]
        .recommendations
    ]
    assert match_recommendation("The force should make sure it reviews all crimes", recs[0]).why_not.endswith(
        "may be r1 or r2: peel is not sure, so chose none"
    )
    assert match_recommendation("The force should buy a helicopter", recs[0]).record is None
    assert match_recommendation("The force should make sure it reviews all crimes", recs[0][:1]).record.id == "r1"


# -- one proposal per fact ------------------------------------------------------------------------

SKILLS_BLOCK = f"The force should {SKILLS}\n\nWe found that the force has set clear aims.\n\n"


def repeated_heading_letter(tmp_path: Path, verdict: str) -> Path:
    """The West Midlands letter with the skills recommendation's heading repeated near its end,
    followed by ``verdict``."""
    text = WM_LETTER.read_text(encoding="utf-8")
    text = text.replace(
        "Progress against the cause of concern\n",
        SKILLS_BLOCK + verdict + "\n\nProgress against the cause of concern\n",
    )
    path = tmp_path / "letter.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_repeated_heading_gets_one_close_rec_and_applies(peel, tmp_path):
    letter = repeated_heading_letter(tmp_path, CLOSE)
    proposal = propose_for(letter, FIXTURE_LEDGER)
    closes = [c.argv[3] for c in proposal.changes if c.argv[1] == "close-rec"]
    assert closes == ["rec-inv-skills", "rec-inv-timely", "rec-inv-plans"]
    root = fixture_copy(tmp_path)
    data = ("--data-dir", str(root))
    assert peel(*data, "checked", "west-midlands", "--to", "2024-09-18", "--note", "searched").exit_code == 0
    applied = peel(*data, "ingest", str(letter), "--url", WM_URL, "--apply")
    assert applied.exit_code == 0, applied.stderr
    assert "recorded 5 changes" in applied.stderr


def test_a_heading_repeated_with_another_verdict_proposes_nothing_for_it():
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        letter = repeated_heading_letter(Path(folder), "This recommendation will remain open.")
        proposal = propose_for(letter, FIXTURE_LEDGER)
    closes = [c.argv[3] for c in proposal.changes if c.argv[1] == "close-rec"]
    assert closes == ["rec-inv-timely", "rec-inv-plans"]
    assert any(u.startswith("the letter both closes rec-inv-skills and says it stays open") for u in proposal.unknown)


# -- which source the letter is ------------------------------------------------------------------

REPORT_URL = "https://hmicfrs.justiceinspectorates.gov.uk/peel-reports/west-midlands-2023-25/"
REVISIT_URL = (
    "https://hmicfrs.justiceinspectorates.gov.uk/publication-html/"
    "west-midlands-police-peel-causes-of-concern-revisit-letter-july-2024/"
)
DECISION_URL = (
    "https://hmicfrs.justiceinspectorates.gov.uk/publication-html/west-midlands-police-enhanced-monitoring-decision/"
)


@pytest.mark.parametrize(
    ("url", "why"),
    [
        (
            REPORT_URL,
            "is source peel-report-2023 of west-midlands, an inspection report (“PEEL 2023–25 West Midlands Police”, "
            "published 2023-12-22); this letter (“West Midlands Police: return to default phase of monitoring”, sent "
            "2024-09-18) is another document: peel-report-2023 is an inspection report, not a letter; "
            "peel-report-2023 was published 2023-12-22, the letter 2024-09-18. It is not filed under peel-report-2023",
        ),
        (REVISIT_URL, "is another document: revisit-letter-2024-07 was sent 2024-07-23, the letter 2024-09-18"),
        (DECISION_URL, "may be another document: nothing but the address says they are one"),
    ],
)
def test_a_letter_at_another_documents_address_is_refused_and_nothing_written(peel, tmp_path, url, why):
    root = fixture_copy(tmp_path)
    data = ("--data-dir", str(root))
    assert peel(*data, "checked", "west-midlands", "--to", "2024-09-18", "--note", "searched").exit_code == 0
    before = (root / "forces" / "west-midlands.yaml").read_bytes()
    result = peel(*data, "ingest", str(WM_LETTER), "--url", url, "--apply")
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{WM_LETTER}: error: its address (--url: {url}) ")
    assert why in lines[0]
    assert "give the letter's own address with --url" in lines[0]
    assert (root / "forces" / "west-midlands.yaml").read_bytes() == before


def test_a_canonical_link_to_another_document_is_refused(tmp_path):
    html = WM_HTML.read_text(encoding="utf-8").replace(WM_URL, REPORT_URL)
    path = tmp_path / "letter.html"
    path.write_text(html, encoding="utf-8")
    names, files = names_and_files(FIXTURE_LEDGER)
    with pytest.raises(PeelError, match=r"its address \(its canonical link: .*\) is source peel-report-2023"):
        ingest(read_letter(str(path)), names, files)


def test_a_source_made_from_the_bare_address_is_the_letter_and_gets_its_kind_title_and_dates(peel, tmp_path):
    root = fixture_copy(tmp_path)
    data = ("--data-dir", str(root))
    assert peel(*data, "checked", "west-midlands", "--to", "2024-09-18", "--note", "searched").exit_code == 0
    cited = peel(*data, "cite", "west-midlands", "peel-2023", "--source", WM_URL)
    assert cited.exit_code == 0, cited.stderr
    shown = peel(*data, "ingest", str(WM_LETTER), "--url", WM_URL, "--format", "json")
    assert shown.exit_code == 0, shown.stderr
    commands = [c["command"] for c in json.loads(shown.stdout)["changes"]]
    source_id = commands[0][3]
    assert commands[0][:4] == ["peel", "edit-source", "west-midlands", source_id]
    assert commands[0][4:] == [
        "--kind", "return-letter", "--title", "West Midlands Police: return to default phase of monitoring",
        "--sent", "2024-09-18", "--published", "2024-09-18",
    ]  # fmt: skip
    assert all(c[c.index("--source") + 1] == source_id for c in commands if "--source" in c)
    applied = peel(*data, "ingest", str(WM_LETTER), "--url", WM_URL, "--apply")
    assert applied.exit_code == 0, applied.stderr
    assert peel("validate", str(root)).exit_code == 0


def test_the_same_letter_at_another_address_is_filed_under_it_and_the_difference_noted(tmp_path):
    root = fixture_copy(tmp_path)
    path = root / "forces" / "west-midlands.yaml"
    text = path.read_text(encoding="utf-8").replace("record_checked_to: 2024-09-16", "record_checked_to: 2024-09-18")
    text += (
        "  - id: return-letter-2024-09\n    kind: return-letter\n"
        '    title: "West Midlands Police: return to default phase of monitoring"\n'
        "    url: https://www.justiceinspectorates.gov.uk/hmicfrs/old-address/\n    sent_on: 2024-09-18\n"
    )
    path.write_text(text, encoding="utf-8")
    names, files = names_and_files(root)
    proposal = ingest(read_letter(str(WM_LETTER), url=WM_URL), names, files)
    assert "add-source" not in [c.argv[1] for c in proposal.changes]
    assert all(
        c.argv[c.argv.index("--source") + 1] == "return-letter-2024-09"
        for c in proposal.changes
        if "--source" in c.argv
    )
    assert any(
        u.startswith("the letter's address: return-letter-2024-09 records it at https://www.") for u in proposal.unknown
    )


# -- a letter to a fire and rescue service reads the same ----------------------------------------

FIRE_LETTER = """Avon Fire and Rescue Service: return to default phase of monitoring

Published on: 3 March 2025

Letter information

From
Roy Wilsher OBE QFSM
His Majesty’s Inspector of Constabulary and of Fire & Rescue Services

To
Simon Shilton
Chief Fire Officer
Avon Fire and Rescue Service

Cc
Brenda Massey
Chair, Avon Fire Authority

Sent on
Monday 3 March 2025

[TEST LETTER written for peel's tests; not a real HMICFRS document.]

I am pleased to let you know that His Majesty’s Chief Inspector of Fire & Rescue Services, Andy Cooke, has decided \
to return Avon Fire and Rescue Service to our default phase of monitoring.

Protection

We have closed this cause of concern.
"""


def test_a_letter_to_a_chief_fire_officer_reads_as_one_to_a_chief_constable():
    from peelcli.ingest.letter import parse_letter

    letter = parse_letter(FIRE_LETTER.encode(), "fire.txt")
    assert [p.option() for p in letter.from_] == [
        "Roy Wilsher OBE QFSM; His Majesty’s Inspector of Constabulary and of Fire & Rescue Services"
    ]
    assert [p.option() for p in letter.to] == ["Simon Shilton; Chief Fire Officer, Avon Fire and Rescue Service"]
    assert [p.option() for p in letter.cc] == ["Brenda Massey; Chair, Avon Fire Authority"]
    statements = find_statements(letter)
    assert statements.decision.phase == "scan"
    assert statements.decision.decider == "Andy Cooke, His Majesty’s Chief Inspector of Fire & Rescue Services"
    assert [(v.what, v.closed, v.subject) for v in statements.verdicts] == [("cause", True, "Protection")]
    names = {"avon-fire": ["Avon Fire and Rescue Service"], "avon-and-somerset": ["Avon and Somerset Police"]}
    proposal = ingest(letter, names, {"avon-fire": None, "avon-and-somerset": None})
    assert proposal.force == "avon-fire"
    assert [c.argv[1] for c in proposal.changes] == ["add-force", "add-source"]
    assert "the letter returns the service to Scan but the ledger has no move into Engage" in proposal.unknown
