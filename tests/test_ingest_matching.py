"""Which cause of concern a letter names: a cause already on record, under however short a title,
is never proposed as new (issue 18), and one peel is unsure of is named, not chosen."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from hypothesis import assume, given
from hypothesis import strategies as st

from conftest import scaled_examples
from peelcli.ingest.matching import match_cause, match_recommendation, words
from peelcli.schema.records import validate

LETTERS = Path(__file__).parent / "fixtures" / "letters"
WM_LETTER = LETTERS / "2024-09-18-west-midlands-return-to-scan.txt"
SHARED_LETTER = Path(__file__).resolve().parents[1].parent / "shared" / "sources" / WM_LETTER.name

# The West Midlands causes as a ledger may hold them: a short title and no text.
SHORT_TITLES = {
    "coc-marac": "MARAC",
    "coc-sex-offenders": "Sex offenders",
    "coc-online-abuse": "Online abuse",
    "coc-investigations": "Investigations",
}


def short_title_ledger(tmp_path: Path) -> Path:
    """The fixture ledger of 16 September 2024 with West Midlands' causes cut to short titles."""
    root = shutil.copytree(LETTERS / "ledger", tmp_path / "data")
    path = root / "forces" / "west-midlands.yaml"
    text = path.read_text(encoding="utf-8")
    for cause_id, title in SHORT_TITLES.items():
        text, n = re.subn(rf"(  - id: {cause_id}\n)    title: .*\n    text: .*\n", rf"\g<1>    title: {title}\n", text)
        assert n == 1, cause_id
    path.write_text(text, encoding="utf-8")
    return root


def force_with(causes: list[dict]):
    return validate("ForceFile", {"slug": "x", "name": "X", "causes_of_concern": causes})


def cause(cause_id: str, title: str, text: str | None = None) -> dict:
    found = {"id": cause_id, "title": title, "raised_on": "2023"}
    return {**found, "text": text} if text else found


def test_the_west_midlands_letter_proposes_no_cause_the_ledger_holds_under_a_short_title(peel, tmp_path):
    root = short_title_ledger(tmp_path)
    letters = [WM_LETTER] + ([SHARED_LETTER] if SHARED_LETTER.exists() else [])
    for letter in letters:
        result = peel("ingest", str(letter), "--format", "json", env={"PEEL_DATA_DIR": str(root)})
        assert result.exit_code == 0, result.stderr
        data = json.loads(result.stdout)
        assert [c["command"][1] for c in data["changes"]] == [
            "add-source",
            "close-rec",
            "close-rec",
            "close-rec",
            "move",
        ]
        unknown = " ".join(data["unknown"])
        assert "add-concern" not in unknown
        assert "not in the ledger" not in unknown
        assert "matches none" not in unknown


def test_each_listed_cause_is_matched_to_its_short_title():
    force = force_with([cause(cause_id, title) for cause_id, title in SHORT_TITLES.items()])
    listed = {
        "coc-marac": "The force needs to make sure that its multi-agency risk assessment conferences (MARACs) work "
        "effectively to keep vulnerable people safe.",
        "coc-sex-offenders": "The force doesn’t manage the risk posed to the public by registered sex offenders "
        "effectively.",
        "coc-online-abuse": "The force doesn’t manage the risk posed by online child abuse offenders effectively.",
        "coc-investigations": "The force needs to make sure it carries out effective investigations which lead to "
        "satisfactory results for victims.",
    }
    for cause_id, text in listed.items():
        assert match_cause(text, force.causes_of_concern).record.id == cause_id


def test_a_cause_named_by_its_id_or_its_id_words():
    force = force_with([cause("coc-marac", "Risk conferences"), cause("coc-vetting", "Vetting")])
    causes = force.causes_of_concern
    assert match_cause("see coc-marac", causes).record.id == "coc-marac"
    assert match_cause("The force needs to make its MARAC work.", causes).record.id == "coc-marac"


def test_a_cause_that_may_be_one_of_several_is_named_and_not_chosen():
    force = force_with([cause("coc-a", "Crime recording"), cause("coc-b", "Crime investigation")])
    match = match_cause("The force needs to improve crime recording in its investigations.", force.causes_of_concern)
    assert match.record is None and not match.new
    assert {c.id for c in match.maybe} == {"coc-a", "coc-b"}
    assert "may be coc-a (“Crime recording”) or coc-b (“Crime investigation”)" in match.why_not or (
        "may be coc-b (“Crime investigation”) or coc-a (“Crime recording”)" in match.why_not
    )


def test_a_cause_whose_recorded_text_disagrees_is_only_maybe():
    """A title's words alone do not make a cause the letter's when the cause's own text says otherwise."""
    force = force_with(
        [cause("coc-inv", "Investigations", "The force needs to answer emergency calls within its target times.")]
    )
    text = "The force needs to improve how it allocates, supervises and carries out investigations for victims."
    match = match_cause(text, force.causes_of_concern)
    assert match.record is None and [c.id for c in match.maybe] == ["coc-inv"]


def test_a_new_cause_is_new():
    force = force_with([cause("coc-marac", "MARAC"), cause("coc-sex", "Sex offenders")])
    match = match_cause("The force needs to answer emergency calls within its target times.", force.causes_of_concern)
    assert match.new and "matches none in the ledger" in match.why_not


def test_a_topic_names_a_cause_by_its_words():
    force = force_with(
        [
            cause("coc-responding", "Responding to the public", "The force needs to improve the time it takes"),
            cause("coc-cdi", "Crime data integrity"),
        ]
    )
    assert match_cause("responding to the public", force.causes_of_concern).record.id == "coc-responding"


# -- the property -------------------------------------------------------------------------------

_VOCABULARY = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=4, max_size=11).filter(lambda w: words(w) == [w])
LEADS = (
    "The force needs to ",
    "The force doesn’t ",
    "The force does not ",
    "The force must ",
    "Kent Police should ",
    "",
)


@st.composite
def recorded_causes(draw):
    """A force's causes: short titles (one to four words), some with a text, all different."""
    count = draw(st.integers(1, 5))
    causes, titles = [], set()
    for n in range(count):
        title = " ".join(draw(st.lists(_VOCABULARY, min_size=1, max_size=4)))
        assume(title not in titles)
        titles.add(title)
        text = None
        if draw(st.booleans()):
            body = " ".join(draw(st.lists(_VOCABULARY, min_size=3, max_size=12)))
            text = draw(st.sampled_from(LEADS)) + body + "."
        causes.append(cause(f"coc-{n}", title.capitalize(), text))
    return causes


@st.composite
def reworded(draw, text: str) -> str:
    """``text`` as a letter might put it: another case, punctuation, lead and articles."""
    for lead in LEADS[:-1]:
        if text.startswith(lead):
            text = text[len(lead) :]
            break
    out = []
    for word in text.rstrip(".").split():
        if draw(st.integers(0, 4)) == 0:
            out.append(draw(st.sampled_from(("the", "a", "an", "The"))))
        out.append(word + draw(st.sampled_from(("", "", "", ",", ";", ":"))))
    text = " ".join(out)
    text = draw(st.sampled_from((str.lower, str.upper, str.capitalize, str.title, lambda t: t)))(text)
    opening, closing = draw(st.sampled_from((("", ""), ("“", "”"), ("(", ")"), ("‘", "’"), ("'", "'"))))
    lead = draw(st.sampled_from(LEADS))
    return lead + opening + text + closing + draw(st.sampled_from(("", ".", ";", " and", ", and")))


@scaled_examples(80)
@given(st.data())
def test_a_recorded_cause_reworded_is_never_new(data):
    causes = data.draw(recorded_causes())
    force = force_with(causes)
    chosen = data.draw(st.sampled_from(force.causes_of_concern))
    source = data.draw(st.sampled_from([t for t in (chosen.title, chosen.text) if t]))
    text = data.draw(reworded(source))
    match = match_cause(text, force.causes_of_concern)
    assert not match.new, (text, match.why_not)
    assert match.record is None or match.record.id == chosen.id or match.record.title == chosen.title


@scaled_examples(40)
@given(st.data())
def test_a_recorded_recommendation_reworded_is_never_new(data):
    texts = data.draw(
        st.lists(st.lists(_VOCABULARY, min_size=3, max_size=10).map(" ".join), min_size=1, max_size=5, unique=True)
    )
    recs = [{"id": f"rec-{n}", "text": text} for n, text in enumerate(texts)]
    force = force_with([{**cause("coc-x", "X"), "recommendations": recs}])
    recorded = force.causes_of_concern[0].recommendations
    chosen = data.draw(st.sampled_from(recorded))
    text = data.draw(reworded(chosen.text))
    assert not match_recommendation(text, recorded).new, text
