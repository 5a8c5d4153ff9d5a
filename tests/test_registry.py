"""The registry (peelcli.registry): every name a force answers to names one force only, and how
far the record was searched follows the one rule force files follow."""

from __future__ import annotations

from datetime import date

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from conftest import DATA, TODAY, scaled_examples
from peelcli.registry import read_registry
from peelcli.rules import check_force
from peelcli.schema.names import name_key
from records_kit import build

DAY = date.fromisoformat(TODAY)


def registry_bytes(*forces: dict, **top) -> bytes:
    return yaml.safe_dump({**top, "forces": list(forces)}, sort_keys=False, allow_unicode=True).encode("utf-8")


def force(slug: str, name: str, *, aka=(), former=()) -> dict:
    found = {"slug": slug, "name": name}
    if former:
        found["former_names"] = list(former)
    if aka:
        found["also_known_as"] = list(aka)
    return found


def errors(data: bytes, today: date = DAY) -> list[str]:
    return [p.message for p in read_registry(data, "registry.yaml", today=today)[1] if p.is_error]


KENT = force("kent", "Kent Police")


@pytest.mark.parametrize(
    ("other", "collides"),
    [
        (force("surrey", "Surrey Police", aka=["Kent Police"]), "the other name 'Kent Police' of surrey and the name"),
        (force("surrey", "Surrey Police", aka=["KENT  police"]), "the other name 'KENT  police' of surrey"),
        (force("surrey", "Surrey Police", aka=["The Kent Police."]), "the other name 'The Kent Police.' of surrey"),
        (force("surrey", "Surrey Police", aka=["kent"]), "the other name 'kent' of surrey and the slug 'kent' of kent"),
        (force("surrey", "Kent Police"), "the name 'Kent Police' of surrey and the name 'Kent Police' of kent"),
        (force("surrey", "Surrey Police", former=["Kent Police"]), "the former name 'Kent Police' of surrey"),
        (force("surrey", "Surrey Police", aka=["Kent Constabulary", "Surrey"]), None),
        (force("surrey", "Surrey Police", aka=["Surrey Police", "surrey", "SURREY POLICE"]), None),
    ],
)
def test_a_name_or_alias_of_one_force_that_is_another_forces_is_an_error_naming_both(other, collides):
    found = errors(registry_bytes(KENT, other))
    if collides is None:
        assert found == []
    else:
        (message,) = found
        assert message.startswith(collides)
        assert "must be unique across the registry" in message


def test_a_collision_is_located_at_the_later_name_and_points_at_the_earlier(peel, ledger):
    registry = ledger / "registry.yaml"
    text = registry.read_text(encoding="utf-8")
    text = text.replace("  - slug: surrey\n    name: Surrey Police\n", "  - slug: surrey\n    name: Surrey Police\n"
                        "    also_known_as: [Kent Police]\n")  # fmt: skip
    registry.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    result = peel("validate", str(ledger))
    assert result.exit_code == 1
    (problem,) = [line for line in result.lines if "registry.yaml" in line]
    _, line, column, message = problem.split(":", 3)
    assert lines[int(line) - 1][int(column) - 1 :].startswith("Kent Police]")
    kent_name = lines.index("    name: Kent Police") + 1
    assert message.endswith(f"(see line {kent_name})")
    # an edit naming the force by that name is refused, never sent to the wrong force
    edit = peel("--data-dir", str(ledger), "checked", "Kent Police", "--to", "2025-01-01", "--note", "searched")
    assert edit.exit_code == 1
    assert "must be unique across the registry" in edit.stderr


def test_the_shipped_registry_has_no_name_twice():
    assert errors((DATA / "registry.yaml").read_bytes()) == []


NAMES = st.sampled_from(["Kent Police", "kent", "Surrey", "Surrey & Sussex", "surrey and sussex", "The Met", "met"])


@scaled_examples(100)
@given(st.lists(st.tuples(st.lists(NAMES, max_size=3), st.lists(NAMES, max_size=2)), min_size=1, max_size=4))
def test_the_registry_is_refused_exactly_when_two_forces_answer_to_one_name(entries):
    """Whatever the names, the registry validates only when each name, compared as a FORCE
    argument is, belongs to one force: then every name resolves to its own force."""
    forces = [
        force(f"force-{i}", f"Force {i} Police", aka=aka, former=former) for i, (aka, former) in enumerate(entries)
    ]
    owners: dict[str, set[str]] = {}
    for found in forces:
        for text in (found["slug"], found["name"], *found.get("also_known_as", ()), *found.get("former_names", ())):
            owners.setdefault(name_key(text), set()).add(found["slug"])
    shared = any(len(slugs) > 1 for slugs in owners.values())
    assert bool(errors(registry_bytes(*forces))) == shared


# -- how far the record was searched: one rule for the registry and force files --------------


@pytest.mark.parametrize(
    ("checked", "refused"),
    [("2026-11-25", False), ("2026-11-26", False), ("2026-11", False), ("2026", False), ("2026-11-27", True),
     ("2027-01", True), ("2026-11-27/2027-01-15", True), ("2026-11-20/2026-12-10", False)],
)  # fmt: skip
def test_record_checked_to_may_not_lie_after_today_in_the_registry_or_a_force_file(checked, refused):
    note = {"record_checked_note": "HMICFRS's pages, searched"}
    in_registry = errors(registry_bytes(KENT, record_checked_to=checked, **note))
    in_file = [p.message for p in check_force(build(record_checked_to=checked), slug=None, today=DAY) if p.is_error]
    expected = (
        [f"record_checked_to {checked} is after today ({TODAY}): a record cannot have been searched to a day that "
         "has not come; give the last day that was searched"]
        if refused
        else []
    )  # fmt: skip
    assert in_registry == in_file == expected


def test_record_checked_to_needs_a_note_in_the_registry_as_in_a_force_file():
    expected = ["record_checked_to needs record_checked_note: say what was searched"]
    assert errors(registry_bytes(KENT, record_checked_to="2025-01-01")) == expected
    in_file = check_force(build(record_checked_note=None), slug=None, today=DAY)
    assert [p.message for p in in_file if p.is_error] == expected


# -- sectors: police forces and fire and rescue services in one registry -----------------------

BUCKS_FIRE = {**force("buckinghamshire-fire", "Buckinghamshire Fire and Rescue Service"), "sector": "fire"}


def test_a_registry_lists_forces_and_services_each_with_its_sector():
    data = registry_bytes(KENT, BUCKS_FIRE)
    assert errors(data) == []
    assert [e.sector for e in read_registry(data, "registry.yaml", today=DAY)[0].forces] == ["police", "fire"]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({**force("buckinghamshire", "Buckinghamshire Fire and Rescue Service"), "sector": "fire"},
         "slug 'buckinghamshire' is in the fire sector but does not end in '-fire'"),
        (force("kent-fire", "Kent Fire and Rescue Service"),
         "slug 'kent-fire' ends in '-fire', which only a fire and rescue service's slug does, but the sector is "
         "police"),
    ],
)  # fmt: skip
def test_a_slug_not_of_its_sectors_form_is_refused_so_a_force_and_a_service_never_share_one(entry, message):
    (found,) = errors(registry_bytes(KENT, entry))
    assert found.startswith(message)


def test_a_service_and_a_force_answering_to_one_name_are_refused_like_two_forces():
    service = {**BUCKS_FIRE, "also_known_as": ["Kent Police"]}
    (found,) = errors(registry_bytes(KENT, service))
    assert found.startswith("the other name 'Kent Police' of buckinghamshire-fire and the name 'Kent Police' of kent")


def test_frs_is_read_as_fire_and_rescue_service_so_hmicfrs_short_form_is_the_same_name():
    assert name_key("Gloucestershire FRS") == name_key("Gloucestershire Fire & Rescue Service")
    (found,) = errors(registry_bytes(BUCKS_FIRE, {**force("x-fire", "X"), "sector": "fire",
                                                  "also_known_as": ["Buckinghamshire FRS"]}))  # fmt: skip
    assert "are the same name to peel" in found


def test_a_sector_may_have_its_own_national_search_kept_to_the_one_rule(tmp_path):
    from peelcli.registry import load_registry

    fire = {"record_checked_to": "2026-02-17", "record_checked_note": "fire searched"}
    data = registry_bytes(KENT, BUCKS_FIRE, record_checked_to="2026-03-05", record_checked_note="police searched",
                          sectors={"fire": fire})  # fmt: skip
    assert errors(data) == []
    path = tmp_path / "registry.yaml"
    path.write_bytes(data)
    registry = load_registry(path)
    assert str(registry.checked_to("fire")) == "2026-02-17"
    assert str(registry.checked_to("police")) == "2026-03-05"
    assert registry.checked_note("fire") == "fire searched"
    assert registry.sector_of("buckinghamshire-fire") == "fire" and registry.sector_of("kent") == "police"
    late = registry_bytes(KENT, sectors={"fire": {**fire, "record_checked_to": "2026-11-27"}})
    (problem,) = [p for p in read_registry(late, "registry.yaml", today=DAY)[1] if p.is_error]
    assert problem.message.startswith("record_checked_to 2026-11-27 is after today")
    lines = late.decode().splitlines()
    assert lines[problem.line - 1].strip() == "record_checked_to: '2026-11-27'"
    assert lines[problem.line - 2].strip() == "fire:"


def test_a_registry_of_police_forces_alone_says_nothing_of_how_far_the_services_were_searched(tmp_path):
    from peelcli.registry import load_registry

    path = tmp_path / "registry.yaml"
    path.write_bytes(registry_bytes(KENT, record_checked_to="2026-03-05", record_checked_note="police searched"))
    registry = load_registry(path)
    assert str(registry.checked_to("police")) == "2026-03-05"
    assert registry.checked_to("fire") is None and registry.checked_note("fire") is None
    path.write_bytes(registry_bytes(KENT, BUCKS_FIRE, record_checked_to="2026-03-05", record_checked_note="both"))
    assert str(load_registry(path).checked_to("fire")) == "2026-03-05", "the registry's search covers what it lists"
