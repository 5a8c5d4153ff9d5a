"""Reader and writer agree: whatever text a command writes reads back identically."""

from __future__ import annotations

import difflib
from datetime import date

import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from conftest import FIXTURES
from peelcli.dates import PartialDate
from peelcli.edits import add_area, close_recommendation
from peelcli.reader import read_force
from peelcli.textedit import scalar
from peelcli.yamlsource import parse

TRICKY = [
    "no",
    "No",
    "NO",
    "on",
    "off",
    "yes",
    "y",
    "n",
    "true",
    "null",
    "Null",
    "~",
    "",
    "1.10",
    "012",
    "0x1F",
    "1_000",
    "1:30",
    ".inf",
    "-.nan",
    "2024-09",
    "2024-09-18",
    "2024",
    "#",
    "# not a comment",
    "a # b",
    ": ",
    "a: b",
    "key:",
    "- item",
    "[x]",
    "{x: y}",
    "&anchor",
    "*alias",
    "!tag",
    "|",
    ">",
    "%YAML",
    "@at",
    "`tick",
    " leading",
    "trailing ",
    "  both  ",
    "it's",
    'say "hi"',
    "back\\slash",
    "line\nbreak",
    "tab\there",
    "\r\n",
    "Zoë Brontë",
    "Pörtschach – “quotes” — ’",
    "日本語",
    "emoji 🚓",
    "\u2028",
    "\ufeff",
    "\x00",
    "\x7f",
    "\x85",
    "a  b",
    "=",
    "<<",
    "?",
    "? x",
    "-",
    "---",
    "...",
    "1e3",
    "1E3",
    "1e+3",
    "0o17",
    "0x1F",
    "0b101",
    "+1",
    "1.",
    ".5",
    "12e",
    "Infinity",
    ".NaN",
    "2024-09-18",
    "2024-9-8",
]
text = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)


YAML12 = YAML(typ="safe", pure=True)  # the core schema of YAML 1.2, as editors' YAML extensions read it


def read_12(text: str):
    return YAML12.load(text)


@given(st.one_of(st.sampled_from(TRICKY), text))
@example("no")
@example("1e3")
@example("0o17")
def test_a_written_scalar_reads_back_as_the_same_text_in_yaml_1_1_and_1_2(value):
    written = scalar(value)
    assert "\n" not in written
    for document, expected in ((f"k: {written}\n", {"k": value}), (f"k: [{written}, x]\n", {"k": [value, "x"]})):
        assert yaml.safe_load(document) == expected
        assert read_12(document) == expected
        assert parse(document, "t").value == expected


BASE = (FIXTURES / "valid" / "test-constabulary.yaml").read_bytes()
TODAY = date(2026, 11, 26)


def _reading(data: bytes):
    reading = read_force(data, "test-constabulary.yaml", slug="test-constabulary", today=TODAY)
    assert reading.ok, [str(p) for p in reading.problems]
    return reading


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.sampled_from(TRICKY), text).filter(lambda t: t.strip()))
def test_text_recorded_by_a_command_reads_back_identically(value):
    reading = _reading(BASE)
    edit = add_area(
        reading.force,
        reading.document,
        area_id="afi-1",
        text=value,
        raised=PartialDate.parse("2024-01"),  # the letter of 10 January 2024 may report it
        sources=["letter"],
        today=TODAY,
    )
    after = _reading(edit.text.encode("utf-8"))
    assert after.force.areas_for_improvement[0].text == value
    assert read_12(edit.text)["areas_for_improvement"][0]["text"] == value
    diff = difflib.ndiff(BASE.decode().splitlines(), edit.text.splitlines())
    assert not [line for line in diff if line.startswith(("- ", "? "))]  # lines were added; none changed


@settings(max_examples=100, deadline=None)
@given(st.one_of(st.sampled_from(TRICKY), text).filter(lambda t: t.strip()))
def test_evidence_recorded_on_a_closure_reads_back_identically(value):
    reading = _reading(BASE)
    edit = close_recommendation(
        reading.force,
        reading.document,
        "rec-1",
        on=PartialDate.parse("2024-01-10"),  # the day of the letter it cites
        evidence=value,
        sources=["letter"],
        today=TODAY,
    )
    closure = _reading(edit.text.encode("utf-8")).force.causes_of_concern[0].recommendations[0].closure
    assert closure.evidence == value
    assert read_12(edit.text)["causes_of_concern"][0]["recommendations"][0]["closure"]["evidence"] == value


@given(st.one_of(st.sampled_from(TRICKY), text.filter(lambda t: t)))
def test_the_fast_plain_scalar_check_agrees_with_pyyaml(value):
    from peelcli.yamlsource import _RESOLVER, plain_kind

    expected = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)).removeprefix("tag:yaml.org,2002:")
    assert plain_kind(value) == expected
