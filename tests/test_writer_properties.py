"""Reader and writer agree: whatever text a command writes reads back identically."""

from __future__ import annotations

from datetime import date

import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

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
]
text = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)


@given(st.one_of(st.sampled_from(TRICKY), text))
@example("no")
def test_a_written_scalar_reads_back_as_the_same_text(value):
    written = scalar(value)
    assert "\n" not in written
    assert yaml.safe_load(f"k: {written}\n") == {"k": value}
    assert parse(f"k: {written}\n", "t").value == {"k": value}
    assert parse(f"k: [{written}, x]\n", "t").value == {"k": [value, "x"]}


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
        raised=PartialDate.parse("2024-02"),
        sources=["letter"],
        today=TODAY,
    )
    after = _reading(edit.text.encode("utf-8"))
    assert after.force.areas_for_improvement[0].text == value
    assert edit.text.startswith(BASE.decode())  # appended; nothing before it moved


@settings(max_examples=100, deadline=None)
@given(st.one_of(st.sampled_from(TRICKY), text).filter(lambda t: t.strip()))
def test_evidence_recorded_on_a_closure_reads_back_identically(value):
    reading = _reading(BASE)
    edit = close_recommendation(
        reading.force,
        reading.document,
        "rec-1",
        on=PartialDate.parse("2024-03-01"),
        evidence=value,
        sources=["letter"],
        today=TODAY,
    )
    closure = _reading(edit.text.encode("utf-8")).force.causes_of_concern[0].recommendations[0].closure
    assert closure.evidence == value


@given(st.one_of(st.sampled_from(TRICKY), text.filter(lambda t: t)))
def test_the_fast_plain_scalar_check_agrees_with_pyyaml(value):
    from peelcli.yamlsource import _RESOLVER, plain_kind

    expected = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)).removeprefix("tag:yaml.org,2002:")
    assert plain_kind(value) == expected
