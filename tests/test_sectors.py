"""Fire and rescue services are bodies of the ledger as police forces are: one format, one
registry, every command, with the sector said wherever both are counted.

The fixture ledger ``fixtures/sectors`` holds two police forces and two fire and rescue services
with files (Buckinghamshire Fire and Rescue Service's Engage episode of 2023 to 2025, and
Hertfordshire's accelerated cause of 2024), and a registry of a few of each.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import FIXTURES, scaled_examples
from test_properties import DAY, file_bytes, force_files, ok

SECTORS = FIXTURES / "sectors"


@pytest.fixture
def both(tmp_path: Path) -> Path:
    """A private copy of the fixture ledger of both sectors, for commands that write."""
    target = tmp_path / "ledger"
    shutil.copytree(SECTORS, target)
    return target


def at(ledger: Path) -> tuple[str, str]:
    return ("--data-dir", str(ledger))


# -- naming a service ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "named",
    [
        "buckinghamshire",  # no police force has that name: the county's service
        "buckinghamshire-fire",
        "Buckinghamshire Fire and Rescue Service",
        "buckinghamshire fire & rescue service",
        "Buckinghamshire FRS",  # HMICFRS's own short form
        "Buckinghamshire Fire",
        "Bucks Fire",
        "BFRS",
    ],
)
def test_a_service_is_found_by_every_name_a_user_naturally_gives_it(peel, named):
    result = peel(*at(SECTORS), "status", named, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["force"] == "buckinghamshire-fire"


def test_a_countys_name_is_its_police_force_and_a_refusal_names_its_service_too(peel):
    police = peel(*at(SECTORS), "status", "gloucestershire", "--format", "json")
    assert json.loads(police.stdout)["name"] == "Gloucestershire Constabulary"
    service = peel(*at(SECTORS), "status", "Gloucestershire FRS")
    assert service.exit_code == 1
    assert service.stderr == (
        "error: Gloucestershire Fire and Rescue Service (gloucestershire-fire) has no file in this ledger: it is in "
        "Scan by default with nothing on record; start one with: peel add-force gloucestershire-fire; "
        "Gloucestershire Constabulary is gloucestershire\n"
    )


def test_a_police_force_without_a_file_names_the_countys_service_where_the_user_may_have_meant_it(peel):
    result = peel(*at(SECTORS), "status", "kent")
    assert result.exit_code == 1
    assert result.stderr.endswith("start one with: peel add-force kent; Kent Fire and Rescue Service is kent-fire\n")


def test_an_unknown_name_is_refused_as_neither_force_nor_service_with_the_nearest_of_both(peel):
    result = peel(*at(SECTORS), "status", "hertfordshir")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: unknown force or service 'hertfordshir': did you mean hertfordshire")
    assert "hertfordshire-fire" in result.stderr


@pytest.fixture
def police_alone(ledger: Path) -> Path:
    """A copy of the shipped ledger with its police forces alone: no service's file, and a
    registry of the forces, the sources they cite and the police search."""
    import yaml

    for path in (ledger / "forces").glob("*-fire.yaml"):
        path.unlink()
    registry = yaml.safe_load((ledger / "registry.yaml").read_text(encoding="utf-8"))
    registry.pop("sectors")
    registry["forces"] = [entry for entry in registry["forces"] if entry.get("sector", "police") == "police"]
    cited = {source for entry in registry["forces"] for source in entry.get("sources", [])}
    registry["sources"] = [source for source in registry["sources"] if source["id"] in cited]
    (ledger / "registry.yaml").write_text(yaml.safe_dump(registry, allow_unicode=True), encoding="utf-8")
    return ledger


def test_a_ledger_of_police_forces_alone_still_speaks_of_forces(peel, police_alone):
    assert peel(*at(police_alone), "validate").exit_code == 0
    result = peel(*at(police_alone), "status", "kentt")
    assert result.stderr == "error: unknown force 'kentt': did you mean kent, gwent?\n"
    national = peel(*at(police_alone), "status", env={"COLUMNS": "120"}).stdout
    assert national.startswith("Police forces of England and Wales: HMICFRS monitoring\n")
    assert "fire and rescue" not in national.lower() and "Sector" not in national


def test_the_shipped_ledger_of_both_sectors_speaks_of_forces_and_services(peel, ledger):
    result = peel(*at(ledger), "status", "kentt")
    assert result.stderr == "error: unknown force or service 'kentt': did you mean kent, gwent, kent-fire?\n"


# -- starting a service's file -----------------------------------------------------------------------


def test_add_force_starts_a_services_file_in_the_fire_sector_with_its_registry_name(peel, both):
    result = peel(*at(both), "add-force", "kent-fire")
    assert result.exit_code == 0, result.stderr
    text = (both / "forces" / "kent-fire.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[1:] == ["slug: kent-fire", "name: Kent Fire and Rescue Service", "sector: fire"]
    assert peel(*at(both), "validate").exit_code == 0
    shown = json.loads(peel(*at(both), "status", "kent fire and rescue service", "--format", "json").stdout)
    assert (shown["force"], shown["phase"]) == ("kent-fire", "scan")


def test_add_force_of_a_police_slug_writes_the_file_it_always_wrote(peel, both):
    assert peel(*at(both), "add-force", "kent").exit_code == 0
    text = (both / "forces" / "kent.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[1:] == ["slug: kent", "name: Kent Police"]


def test_a_service_unknown_to_the_registry_needs_its_name(peel, both):
    result = peel(*at(both), "add-force", "avon-fire")
    assert result.exit_code == 1
    assert "avon-fire is not in the registry of forces and services: give its official name with --name" in (
        result.stderr
    )


# -- ingest: a service's letters, into the service's file --------------------------------------------

LETTERS = FIXTURES / "letters"
BUCKS_LETTERS = [
    (
        "2023-11-22-buckinghamshire-fire-move-into-engage.txt",
        "https://example.org/test-letters/buckinghamshire-fire-move-into-engage",  # invented: no such letter found
        "move-into-engage",
    ),
    (
        "2024-11-08-buckinghamshire-fire-progress.txt",
        "https://hmicfrs.justiceinspectorates.gov.uk/publication-html/buckinghamshire-frs-causes-of-concern-progress-letter-november-2024/",
        "cause-closed",
    ),
    (
        "2025-03-07-buckinghamshire-fire-return-to-scan.txt",
        "https://hmicfrs.justiceinspectorates.gov.uk/publication-html/buckinghamshire-frs-return-to-default-phase-of-monitoring/",
        "return-to-scan",
    ),
]


def test_a_services_letters_are_ingested_into_its_file_in_a_ledger_of_ones_own(peel, tmp_path):
    """Into Engage, a cause closed at a revisit, back to Scan: read from the letters alone into a
    file that held only the service's causes, and then peel tells the episode as for a force."""
    own = tmp_path / "own"
    shutil.copytree(LETTERS / "fire-ledger", own)
    for name, url, kind in BUCKS_LETTERS:
        shown = json.loads(peel(*at(own), "ingest", str(LETTERS / name), "--url", url, "--format", "json").stdout)
        assert (shown["force"], shown["letter"]["kind"]) == ("buckinghamshire-fire", kind)
        applied = peel(*at(own), "ingest", str(LETTERS / name), "--url", url, "--apply")
        assert applied.exit_code == 0, applied.stderr
    assert peel(*at(own), "validate").exit_code == 0
    status = json.loads(peel(*at(own), "status", "Buckinghamshire", "--as-of", "2025-03-06", "--format", "json").stdout)
    assert (status["phase"], status["phase_since"]) == ("engage", "2023-11-22")
    assert status["decided_by"] == "Andy Cooke, His Majesty’s Chief Inspector of Fire & Rescue Services"
    assert [c["status"] for c in status["causes_of_concern"]] == ["closed", "open", "open"]
    history = json.loads(peel(*at(own), "history", "buckinghamshire", "--format", "json").stdout)
    moves = [(e["date"], e["subject"], e["sources"]) for e in history["events"] if e["kind"] == "phase-change"]
    assert moves == [
        ("2023-11-22", "engage", ["engage-decision-2023-11"]),
        ("2025-03-07", "scan", ["return-letter-2025-03"]),
    ]
    assert (
        json.loads(peel(*at(own), "assess", "bucks fire", "--as-of", "2025-03-07", "-f", "json").stdout)["verdict"]
        == "justified"
    )


def test_a_letter_on_a_countys_service_goes_to_the_service_not_the_countys_force():
    from peelcli.ingest.letter import parse_letter
    from peelcli.ingest.proposal import identify_force

    text = (LETTERS / "2025-03-07-buckinghamshire-fire-return-to-scan.txt").read_text(encoding="utf-8")
    text = text.replace("Buckinghamshire", "Gloucestershire")
    names = {
        "gloucestershire": ["Gloucestershire Constabulary"],
        "gloucestershire-fire": ["Gloucestershire Fire and Rescue Service", "GFRS"],
    }
    assert identify_force(parse_letter(text.encode(), "letter.txt"), names) == "gloucestershire-fire"
    police = text.replace("Gloucestershire Fire and Rescue Service", "Gloucestershire Constabulary")
    police = police.replace("Chief Fire Officer", "Chief Constable")
    assert identify_force(parse_letter(police.encode(), "letter.txt"), names) == "gloucestershire"


# -- export: every row says its sector; --sector chooses -------------------------------------------


def export_rows(peel, ledger: Path, *options: str) -> list[dict]:
    import csv
    import io

    result = peel(*at(ledger), "export", "--format", "csv", "--out", "-", *options)
    assert result.exit_code == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_every_csv_row_says_its_sector_and_sector_chooses_which(peel):
    rows = export_rows(peel, SECTORS)
    assert {(r["force"], r["sector"]) for r in rows} >= {("gloucestershire", "police"), ("kent-fire", "fire")}
    assert all(r["sector"] == ("fire" if r["force"].endswith("-fire") else "police") for r in rows)
    order = [r["sector"] for r in rows]
    assert order == sorted(order, key=["police", "fire"].index), "the police forces, then the services"
    fire = export_rows(peel, SECTORS, "--sector", "fire")
    police = export_rows(peel, SECTORS, "--sector", "police")
    assert {r["sector"] for r in fire} == {"fire"} and {r["sector"] for r in police} == {"police"}
    assert len(fire) + len(police) == len(rows)


def test_a_services_unfiled_phase_rests_on_the_fire_search_a_forces_on_the_police_search(peel):
    rows = {r["force"]: r for r in export_rows(peel, SECTORS)}
    assert (rows["kent-fire"]["phase_known_to"], rows["kent-fire"]["phase_basis"]) == ("2026-02-17", "national-search")
    assert rows["kent"]["phase_known_to"] == "2026-03-05"


def test_json_and_sqlite_carry_the_sector_of_every_force_service_and_row(peel, tmp_path):
    import sqlite3

    shown = json.loads(peel(*at(SECTORS), "export", "-f", "json", "--out", "-").stdout)
    assert [(s["sector"], s["record_checked_to"], s["count"]) for s in shown["sectors"]] == [
        ("police", "2026-03-05", 7),
        ("fire", "2026-02-17", 6),
    ]
    assert {f["force"]: f["sector"] for f in shown["forces"]}["london-fire"] == "fire"
    out = tmp_path / "ledger.db"
    written = peel(*at(SECTORS), "export", "-f", "sqlite", "--out", str(out))
    assert written.stdout.startswith("wrote 7 forces (2 with a file) and 6 services (2 with a file) to "), (
        "never summed"
    )
    database = sqlite3.connect(out)
    tables = [name for (name,) in database.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for table in tables:
        slugs = "slug" if table == "forces" else "force"
        by_slug = f"CASE WHEN {slugs} LIKE '%-fire' THEN 'fire' ELSE 'police' END"
        wrong = database.execute(f"SELECT count(*) FROM {table} WHERE sector != {by_slug}").fetchone()[0]
        assert wrong == 0, table
    causes = dict(database.execute("SELECT sector, count(*) FROM causes_of_concern GROUP BY sector"))
    assert causes == {"fire": 4, "police": 9}


# -- diff: each sector counted apart ------------------------------------------------------------------


def test_diff_counts_each_sector_apart_and_says_how_far_each_was_searched(peel):
    found = json.loads(peel(*at(SECTORS), "diff", "--since", "2024-06-01", "--format", "json").stdout)
    by_sector = {s["sector"]: s for s in found["sectors"]}
    assert by_sector["fire"]["counts"] == {"phase-change": 1, "cause-raised": 1, "cause-closed": 3,
                                           "recommendation-closed": 2}  # fmt: skip
    assert by_sector["police"]["phase_changes_searched_to"] == "2026-03-05"
    assert by_sector["fire"]["phase_changes_searched_to"] == "2026-02-17"
    assert all(c["sector"] == ("fire" if c["force"].endswith("-fire") else "police") for c in found["changes"])
    table = peel(*at(SECTORS), "diff", "--since", "2024-06-01").stdout
    assert "Changes: fire and rescue services 1 phase change; 1 cause of concern raised" in " ".join(table.split())
    assert table.index("Phase changes: police forces") < table.index("Phase changes: fire and rescue services")


def test_diff_of_one_sector_is_that_sectors_alone_with_the_line_saying_which(peel):
    fire = peel(*at(SECTORS), "diff", "--since", "2024-06-01", "--sector", "fire", "--format", "markdown").stdout
    assert "- **Sector:** fire and rescue services" in fire
    assert "west-midlands" not in fire and "| Service | Date | Change | Decided by |" in fire
    police = json.loads(peel(*at(SECTORS), "diff", "--since", "2024-06-01", "--sector", "police", "-f", "json").stdout)
    assert {c["sector"] for c in police["changes"]} == {"police"}
    both = json.loads(peel(*at(SECTORS), "diff", "--since", "2024-06-01", "-f", "json").stdout)
    assert sum(both["counts"].values()) == sum(s for p in both["sectors"] for s in p["counts"].values())


# -- every editing command works on a service as on a force ---------------------------------------


def test_every_editing_command_works_on_a_service_named_as_a_user_names_it(peel, both):
    """Hertfordshire Fire and Rescue Service, named "Hertfordshire FRS" throughout: its officers and
    authority, sources, recommendations, areas, inspections, figures, doubts and their settling,
    closures and a move, each written into the service's file and never into the county's force."""
    herts = "Hertfordshire FRS"
    letter = "https://example.org/test-letters/hertfordshire-fire-revisit"
    steps = [
        ["add-officer", herts, "--name", "Alex Woodman", "--role", "Chief Fire Officer", "--noted-on", "2024-10-24",
         "--source", "press-2024-10-24"],
        ["add-body", herts, "--name", "A Councillor", "--role", "Executive Member, Hertfordshire County Council",
         "--kind", "fire-authority", "--noted-on", "2024-10-24", "--source", "press-2024-10-24"],
        ["add-source", herts, "--id", "revisit-2025-01", "--kind", "revisit-letter", "--title", "A revisit letter",
         "--url", letter, "--sent", "2025-01-20", "--to", "Alex Woodman; Chief Fire Officer"],
        ["add-meeting", herts, "--held", "2025-01-15", "--recorded-in", "revisit-2025-01"],
        ["edit-source", herts, "revisit-2025-01", "--title", "Hertfordshire FRS: cause of concern revisit letter"],
        ["add-concern", herts, "--id", "coc-test", "--title", "A test cause", "--raised", "2025-01-20",
         "--source", "revisit-2025-01"],
        ["add-rec", herts, "coc-test", "--id", "rec-test", "--text", "do the test", "--deadline", "Within 28 days",
         "--source", "revisit-2025-01"],
        ["add-afi", herts, "--id", "afi-test", "--text", "an area", "--raised", "2025-01-20",
         "--source", "revisit-2025-01"],
        ["add-inspection", herts, "--id", "revisit-jan", "--title", "Revisit", "--fieldwork-from", "2025-01-13",
         "--source", "revisit-2025-01"],
        ["add-metric", herts, "--name", "home fire safety visits", "--period-end", "2024-12-31", "--value", "10",
         "--unit", "visits", "--source", "revisit-2025-01"],
        ["add-uncertainty", herts, "--id", "doubt-test", "--about", "the test cause", "--note", "not read",
         "--subject", "coc-test", "--source", "revisit-2025-01"],
        ["resolve-uncertainty", herts, "doubt-test", "--on", "2025-01-20", "--evidence", "read",
         "--source", "revisit-2025-01"],
        ["cite", herts, "coc-prevention-2024", "--source", "revisit-2025-01"],
        ["close-rec", herts, "rec-test", "--on", "2025-01-20", "--evidence", "done", "--source", "revisit-2025-01"],
        ["close-concern", herts, "coc-test", "--on", "2025-01-20", "--evidence", "done",
         "--source", "revisit-2025-01"],
        ["close-afi", herts, "afi-test", "--on", "2025-01-20", "--evidence", "done", "--source", "revisit-2025-01"],
        ["move", herts, "engage", "--on", "2025-01-20", "--source", "revisit-2025-01",
         "--notes", "a test of the command: no such move happened"],
        ["checked", herts, "--to", "2025-03-01", "--note", "the test letters"],
    ]  # fmt: skip
    police_file = (both / "forces" / "gloucestershire.yaml").read_bytes()
    for step in steps:
        result = peel(*at(both), *step)
        assert result.exit_code == 0, (step[0], result.stderr)
    text = (both / "forces" / "hertfordshire-fire.yaml").read_text(encoding="utf-8")
    for written in ("role: Chief Fire Officer", "kind: fire-authority", "id: coc-test", "phase: engage",
                    "kind: ppog-meeting", "record_checked_to: 2025-03-01"):  # fmt: skip
        assert written in text, written
    assert (both / "forces" / "gloucestershire.yaml").read_bytes() == police_file
    assert peel(*at(both), "validate").exit_code == 0
    shown = json.loads(peel(*at(both), "status", herts, "--format", "json").stdout)
    assert (shown["phase"], shown["policing_body"]["kind"]) == ("engage", "fire-authority")


def test_a_police_and_crime_commissioner_over_a_service_is_refused_naming_what_a_service_answers_to(peel, both):
    before = (both / "forces" / "hertfordshire-fire.yaml").read_bytes()
    result = peel(*at(both), "add-body", "hertfordshire-fire", "--name", "A Commissioner", "--role", "PCC",
                  "--kind", "pcc", "--noted-on", "2024-10-24", "--source", "press-2024-10-24")  # fmt: skip
    assert result.exit_code == 1
    assert "kind 'pcc' is a police and crime commissioner, who does not oversee fire and rescue services" in (
        result.stderr
    )
    assert (both / "forces" / "hertfordshire-fire.yaml").read_bytes() == before


def test_a_services_move_into_engage_on_an_accelerated_cause_alone_is_arguable(peel):
    """The fire policy does not count an accelerated cause alone as grounds, and peel assess says
    why: Hertfordshire's, of October 2024, did not take it into Engage."""
    found = json.loads(peel(*at(SECTORS), "assess", "hertfordshire-fire", "--as-of", "2024-11-30", "-f", "json").stdout)
    assert (found["verdict"], found["policy"]) == ("arguable", "peel default policy, for fire and rescue services")
    accelerated = next(r for r in found["reasons"] if r["rule"] == "accelerated-cause")
    assert accelerated["met"] is False and "does not count accelerated causes" in accelerated["detail"]


def test_report_and_history_of_a_service_speak_of_the_service(peel):
    report = peel(*at(SECTORS), "report", "buckinghamshire", "--as-of", "2025-03-07").stdout
    assert report.startswith("# Buckinghamshire Fire and Rescue Service: HMICFRS monitoring\n")
    assert "- **Service:** Buckinghamshire Fire and Rescue Service (buckinghamshire-fire)" in report
    assert "Every service is in Scan" in report and "Precedents: returns to Scan of other services" in report
    html = peel(*at(SECTORS), "report", "buckinghamshire", "--format", "html").stdout
    assert "<title>Buckinghamshire Fire and Rescue Service: HMICFRS monitoring</title>" in html
    status = peel(*at(SECTORS), "status", "buckinghamshire").stdout
    assert "Governing body" in status and "Policing body" not in status
    history = json.loads(peel(*at(SECTORS), "history", "bucks fire", "--format", "json").stdout)
    assert history["phase_changes_searched_to"] == "2026-02-17", "the fire sector's own national search"


# -- the property: each sector counted apart is that sector counted alone --------------------------


def mixed_ledger(root: Path, files: list, searches: dict[str, str | None]) -> Path:
    """A ledger of generated files of both sectors, with a registry naming a force and a service of
    two counties, and how far each sector's national search reached (``None``: not said)."""
    import yaml

    forces = root / "forces"
    forces.mkdir(parents=True, exist_ok=True)
    for old in forces.iterdir():
        old.unlink()
    for data, drawn in files:
        (forces / f"{drawn.slug}.yaml").write_bytes(data)
    entries = [
        {"slug": "kent", "name": "Kent Police"},
        {"slug": "west-midlands", "name": "West Midlands Police"},
        {"slug": "kent-fire", "name": "Kent Fire and Rescue Service", "sector": "fire"},
        {"slug": "west-midlands-fire", "name": "West Midlands Fire Service", "sector": "fire"},
    ]
    registry: dict = {"forces": entries}
    sectors = {s: {"record_checked_to": day, "record_checked_note": "searched by the test"}
               for s, day in searches.items() if day}  # fmt: skip
    if sectors:
        registry["sectors"] = sectors
    (root / "registry.yaml").write_text(yaml.safe_dump(registry), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("sectors")


def _without_sector(row: dict) -> dict:
    return {key: value for key, value in row.items() if key != "sector"}


@scaled_examples(8)
@given(data=st.data())
def test_every_national_output_counts_each_sector_as_that_sector_counted_alone(workspace, data):
    """For a generated ledger mixing forces and services, on any day: status, export and diff give
    each sector, counted beside the other, exactly what that sector gives counted alone, and
    every row of both is a row of one of them."""
    slugs = data.draw(st.sampled_from([["west-midlands", "kent-fire"], ["kent", "kent-fire", "west-midlands-fire"]]))
    files = []
    for slug in slugs:
        tree, drawn = data.draw(force_files(slug))
        files.append((file_bytes(tree, plain_dates=False, crlf=False, bom=False), drawn))
    searches = {s: data.draw(st.sampled_from([None, "2025-08-08", "2020"])) for s in ("police", "fire")}
    root = mixed_ledger(workspace / "data", files, searches)
    events = sorted({d for _, drawn in files for d in drawn.events} | {DAY})
    day = data.draw(st.sampled_from(events)).isoformat()

    both = json.loads(ok("status", "--as-of", day, "-f", "json", root=root))
    assert [part["sector"] for part in both["sectors"]] == ["police", "fire"]
    for part in both["sectors"]:
        alone = json.loads(ok("status", "--as-of", day, "--sector", part["sector"], "-f", "json", root=root))
        assert part == alone["sectors"][0]
        assert part["in_engage"] == alone["in_engage"] and part["forces_with_a_file"] == alone["forces_with_a_file"]
        assert [r for r in both["forces"] if r["sector"] == part["sector"]] == alone["forces"]
    assert len(both["forces"]) == 4

    rows = {}
    for sector in ("all", "police", "fire"):
        rows[sector] = ok("export", "-f", "csv", "-o", "-", "--sector", sector, root=root).splitlines()
    assert rows["all"][1:] == rows["police"][1:] + rows["fire"][1:]

    since = ("diff", "--since", day, "-f", "json")
    together = json.loads(ok(*since, root=root))
    for part in together["sectors"]:
        alone = json.loads(ok(*since, "--sector", part["sector"], root=root))
        assert part["counts"] == alone["counts"]
        assert [c for c in together["changes"] if c["sector"] == part["sector"]] == alone["changes"]
    summed: dict[str, int] = {}
    for part in together["sectors"]:
        for kind, n in part["counts"].items():
            summed[kind] = summed.get(kind, 0) + n
    assert summed == together["counts"]


# -- national views: each sector apart, each with its own headline ---------------------------------


def test_status_shows_each_sector_in_a_part_of_its_own_never_summed(peel):
    text = peel(*at(SECTORS), "status", "--as-of", "2024-06-01", env={"COLUMNS": "120"}).stdout
    assert text.splitlines()[0] == (
        "Police forces of England and Wales and fire and rescue services of England: HMICFRS monitoring"
    )
    police, fire = (
        text.index("\nPolice forces of England and Wales\n"),
        text.index("\nFire and rescue services of England\n"),
    )
    assert police < fire
    assert "In Engage  1 of 7 forces" in text[police:fire] and "In Engage  1 of 6 services" in text[fire:]
    assert "buckinghamshire-fire" in text[fire:] and "buckinghamshire-fire" not in text[:fire]
    assert "Service " in text[fire:] and "4 services have no file" in text[fire:]
    assert "of 13" not in text, "never a count of both sectors summed"


def test_status_of_one_sector_is_that_sector_as_a_ledger_of_it_alone_shows_it(peel, tmp_path):
    fire = peel(*at(SECTORS), "status", "--as-of", "2024-06-01", "--sector", "fire").stdout
    assert fire.startswith("Fire and rescue services of England: HMICFRS monitoring\n")
    assert "west-midlands " not in fire and "In Engage  1 of 6 services" in fire
    import yaml

    alone = tmp_path / "fire"
    shutil.copytree(SECTORS, alone)
    for police in ("gloucestershire", "west-midlands"):
        (alone / "forces" / f"{police}.yaml").unlink()
    registry = yaml.safe_load((alone / "registry.yaml").read_text(encoding="utf-8"))
    registry["forces"] = [entry for entry in registry["forces"] if entry.get("sector") == "fire"]
    (alone / "registry.yaml").write_text(yaml.safe_dump(registry, allow_unicode=True), encoding="utf-8")
    assert peel(*at(alone), "validate").exit_code == 0
    assert peel(*at(alone), "status", "--as-of", "2024-06-01").stdout == fire


def test_status_json_says_each_sectors_headline_apart_and_every_rows_sector(peel):
    found = json.loads(peel(*at(SECTORS), "status", "--as-of", "2024-06-01", "-f", "json").stdout)
    assert "in_engage" not in found, "a headline of both would be a sum"
    heads = {
        s["sector"]: (s["in_engage"]["count"], s["in_engage"]["of"], s["record_checked_to"]) for s in found["sectors"]
    }
    assert heads == {"police": (1, 7, "2026-03-05"), "fire": (1, 6, "2026-02-17")}
    assert {r["force"]: r["sector"] for r in found["forces"]}["london-fire"] == "fire"
    one = json.loads(peel(*at(SECTORS), "status", "--sector", "police", "-f", "json").stdout)
    assert (one["sector"], one["in_engage"]["of"]) == ("police", 7), "one sector keeps the keys it had"


def test_site_front_page_shows_both_sectors_each_with_its_headline_and_timeline(peel, tmp_path):
    import re

    out = tmp_path / "site"
    written = peel(*at(SECTORS), "site", str(out), "--as-of", "2024-06-01")
    assert written.exit_code == 0, written.stderr
    index = (out / "index.html").read_text(encoding="utf-8")
    headings = re.findall(r"<h2[^>]*>(.*?)</h2>", index)
    assert headings[:2] == ["Police forces of England and Wales", "Fire and rescue services of England"] or (
        "Police forces of England and Wales" in headings and "Fire and rescue services of England" in headings
    )
    assert "Periods in Engage by force" in index and "Periods in Engage by service" in index
    assert "1 of 7 forces" in index and "1 of 6 services" in index
    assert len(set(re.findall(r' id="([^"]+)"', index))) == len(re.findall(r' id="([^"]+)"', index)), "ids unique"
    page = (out / "forces" / "buckinghamshire-fire.html").read_text(encoding="utf-8")
    assert "<title>Buckinghamshire Fire and Rescue Service: HMICFRS monitoring</title>" in page
    nothing = (out / "forces" / "kent-fire.html").read_text(encoding="utf-8")
    assert "no file for this service" in nothing
    police = tmp_path / "police"
    assert peel(*at(SECTORS), "site", str(police), "--sector", "police").exit_code == 0
    assert not (police / "forces" / "kent-fire.html").exists()


def test_chronology_and_due_count_each_sector_apart(peel):
    chronology = json.loads(peel(*at(SECTORS), "chronology", "-f", "json").stdout)
    assert {e["sector"] for e in chronology["events"] if e["force"] == "buckinghamshire-fire"} == {"fire"}
    assert [s["sector"] for s in chronology["sectors"]] == ["police", "fire"]
    assert [s["phase_changes_searched_to"] for s in chronology["sectors"]] == ["2026-03-05", "2026-02-17"]
    text = peel(*at(SECTORS), "chronology").stdout
    assert text.index("Police forces of England and Wales") < text.index("Fire and rescue services of England")
    due = json.loads(peel(*at(SECTORS), "due", "--as-of", "2024-06-01", "-f", "json").stdout)
    assert [s["sector"] for s in due["sectors"]] == ["police", "fire"]
    assert {r["sector"] for r in due["recommendations"] if r["force"] == "buckinghamshire-fire"} == {"fire"}
    alone = json.loads(peel(*at(SECTORS), "due", "--as-of", "2024-06-01", "--sector", "fire", "-f", "json").stdout)
    assert alone["figures"] == due["sectors"][1]["figures"]


# -- the test: Buckinghamshire's Engage episode, as a user asks for it --------------------------


def test_buckinghamshires_engage_episode_with_its_dates_decider_and_sources(peel):
    during = peel(*at(SECTORS), "status", "buckinghamshire", "--as-of", "2025-03-06").stdout
    assert "Engage since 2023-11-22 (470 days)" in during
    after = json.loads(peel(*at(SECTORS), "status", "buckinghamshire", "--as-of", "2025-03-07", "-f", "json").stdout)
    assert (after["phase"], after["phase_since"]) == ("scan", "2025-03-07")
    assert (
        after["decided_by"]
        == "Sir Andy Cooke, His Majesty’s Chief Inspector of Constabulary and Fire & Rescue Services"
    )
    (returned,) = [e for e in after["latest_events"] if e["kind"] == "phase-change"]
    assert returned["sources"] == ["return-letter-2025-03", "release-2025-03"]
    report = peel(*at(SECTORS), "report", "buckinghamshire", "--as-of", "2025-03-07").stdout
    assert "| Engage | 2023-11-22 | 2025-03-07 | 471 days | not recorded |" in report


def test_the_day_before_its_return_a_return_is_arguable_and_on_the_day_justified_as_hmicfrs_decided(peel):
    """The two causes closed at the return are dated from the January revisit to the letter: the
    day before the letter, peel cannot say they were closed, nor open."""
    before = json.loads(peel(*at(SECTORS), "assess", "buckinghamshire", "--as-of", "2025-03-06", "-f", "json").stdout)
    assert (before["proposed_phase"], before["verdict"]) == ("scan", "arguable")
    complete = next(r for r in before["reasons"] if r["rule"] == "record-complete")
    assert "coc-protection-2023 to 2025/2025-03-07" in complete["detail"]
    on = json.loads(peel(*at(SECTORS), "assess", "Bucks Fire", "--as-of", "2025-03-07", "-f", "json").stdout)
    assert (on["verdict"], on["judged"]["decided_on"]) == ("justified", "2025-03-07")
