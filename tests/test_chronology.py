"""peel chronology: every phase change and cause of concern of every force, in date order, in
every format; where each record ends is said, so silence after it never reads as nothing."""

from __future__ import annotations

import json

import pytest

from conftest import DATA


def chronology(peel, *args: str, root=DATA, width: int = 120):
    result = peel("--data-dir", str(root), "chronology", *args, env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.stderr
    return result


def as_json(peel, *args: str, root=DATA) -> dict:
    return json.loads(chronology(peel, *args, "-f", "json", root=root).stdout)


def in_date_order(events: list[dict]) -> bool:
    starts = [e["date"].split("/")[0] for e in events]
    return starts == sorted(starts, key=lambda d: (d + "-01-01")[:10])


def test_every_phase_change_and_cause_of_concern_in_date_order(peel):
    """The police forces' events, then the fire and rescue services', each sector in date order."""
    found = as_json(peel)
    order = [e["sector"] for e in found["events"]]
    assert order == sorted(order, key=["police", "fire"].index)
    events = [e for e in found["events"] if e["sector"] == "police"]
    services = [e for e in found["events"] if e["sector"] == "fire"]
    assert in_date_order(events) and in_date_order(services)
    assert {e["kind"] for e in events} == {"phase-change", "cause-raised", "cause-closed"}
    moves = [(e["force"], e["date"], e["subject"]) for e in events if e["kind"] == "phase-change"]
    assert ("lincolnshire", "2024-12-06", "engage") in moves
    assert [m for m in moves if m[0] == "west-midlands"] == [
        ("west-midlands", "2023-11-22", "engage"),
        ("west-midlands", "2024-09-18", "scan"),
    ]
    forces = {e["force"] for e in events}
    assert len(forces) == 10 and "kent" not in forces
    assert len({e["force"] for e in services}) == 16 and all(e["force"].endswith("-fire") for e in services)
    assert ("buckinghamshire-fire", "2025-03-07", "scan") in [
        (e["force"], e["date"], e["subject"]) for e in services if e["kind"] == "phase-change"
    ]
    no_file = [slug for slug in found["no_file"] if not slug.endswith("-fire")]
    assert (len(no_file), len(found["no_file"]) - len(no_file)) == (33, 44 - 16)
    searched = {part["sector"]: part["phase_changes_searched_to"] for part in found["sectors"]}
    assert searched == {"police": "2026-03-05", "fire": "2026-02-17"}
    wm = [e for e in events if e["force"] == "west-midlands" and e["kind"] == "cause-raised"]
    assert {e["subject"] for e in wm} == {"coc-marac", "coc-sex-offenders", "coc-online-abuse", "coc-investigations"}
    assert all(e["name"] == "West Midlands Police" for e in wm)


def test_the_same_events_in_the_table_and_markdown(peel):
    rows = [line.split()[:5] for line in chronology(peel).stdout.splitlines()]
    assert ["2024-12-06", "lincolnshire", "Moved", "into", "Engage"] in rows
    markdown = chronology(peel, "-f", "markdown").stdout
    assert "| 2024-12-06 | lincolnshire | Moved into Engage" in markdown
    assert markdown.index("| 2023-11-22 | west-midlands |") < markdown.index("| 2024-12-06 | lincolnshire |")
    assert "| greater-manchester | 2023-12-04 |" in markdown


def test_since_keeps_what_is_on_or_after_the_day_and_says_which_records_end_before_it(peel):
    found = as_json(peel, "--since", "2025-06")
    assert [(e["force"], e["date"], e["kind"]) for e in found["events"] if e["sector"] == "police"] == [
        ("devon-and-cornwall", "2025-07-30", "phase-change")
    ]
    assert [(e["force"], e["date"], e["kind"]) for e in found["events"] if e["sector"] == "fire"] == [
        ("gloucestershire-fire", "2021-03/2025-08-12", "cause-closed"),  # a span that may reach the day
        ("gloucestershire-fire", "2021-03/2025-08-12", "cause-closed"),
        ("gloucestershire-fire", "2025-03-08/2025-08-12", "cause-closed"),
        ("gloucestershire-fire", "2025-03-08/2025-08-12", "phase-change"),
    ]
    reaches = {r["force"]: r["reaches_since"] for r in found["records"]}
    assert (reaches["greater-manchester"], reaches["cleveland"], reaches["west-midlands"]) == (False, True, True)
    text = " ".join(chronology(peel, "--since", "2025-06").stdout.split())
    assert "greater-manchester 2023-12-04: ends before 2025-06-01, nothing later is known" in text


@pytest.mark.parametrize("fmt", ["table", "markdown", "json"])
def test_since_after_every_record_says_nothing_is_known_there_not_that_nothing_happened(peel, fmt):
    result = chronology(peel, "--since", "2026-04", "-f", fmt)
    if fmt == "json":
        found = json.loads(result.stdout)
        assert found["events"] == []
        assert [(p["sector"], p["since_beyond_every_record"], p["known_to"]) for p in found["sectors"]] == [
            ("police", True, "2026-03-05"),
            ("fire", True, "2026-02-17"),
        ]
        return
    text = " ".join(result.stdout.split())
    assert "none known: every record ends before 2026-04-01" in text
    assert "Nothing is known after 2026-03-05, where the last record ends" in text  # the police forces'
    assert "Nothing is known after 2026-02-17, where the last record ends" in text  # the services'
    assert "None." not in text and "none on record" not in text


def test_a_bad_since_is_a_usage_error(peel):
    result = peel("--data-dir", str(DATA), "chronology", "--since", "2024-13")
    assert result.exit_code == 2 and result.stderr.startswith("error: --since:")


def test_a_force_whose_file_is_invalid_is_named_and_the_rest_shown(peel, ledger):
    (ledger / "forces" / "lincolnshire.yaml").write_text("slug: lincolnshire\nname: [\n", encoding="utf-8")
    result = peel("--data-dir", str(ledger), "chronology", env={"COLUMNS": "120"})
    assert result.exit_code == 1 and "lincolnshire.yaml:" in result.stderr
    assert "lincolnshire: not shown; peel validate says why" in " ".join(result.stdout.split())
    assert "west-midlands" in result.stdout
