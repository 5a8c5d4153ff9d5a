"""Property: an edit changes the record it names and no other, or is refused with a message.

Files are generated in the odd but valid YAML people write (flow collections with trailing
commas, explicit ``? key`` entries, ``key: null``, comments anywhere, folded text, CRLF line ends,
a byte-order mark, line separators inside quoted text), and so are edits. Every edit goes through
the ledger's own step (:func:`peelcli.ledger._step`): the edit function, then the reader and the
rules on the result, exactly as ``peel`` applies it.
"""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from peelcli import edits
from peelcli.dates import PartialDate
from peelcli.export import plain
from peelcli.ledger import _step
from peelcli.problems import PeelError
from peelcli.reader import read_force

TODAY = date(2026, 11, 26)
SLUG = "odd-force"
NAME = f"{SLUG}.yaml"

# -- generating files -------------------------------------------------------------------------

WORDS = ["calls", "crime", "victims", "it's", "a: b", "# hash", "no", "1e3", "Zoë", "[x]", "- dash", "50%"]
LINE_SEPARATORS = ["\u2028", "\u2029", "\x85"]


@st.composite
def texts(draw) -> str:
    """Words, some of which only quoting keeps as text, sometimes with a line separator (to be
    written inside quotes only)."""
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3))
    text = " ".join(words)
    if draw(st.booleans()) and draw(st.booleans()):
        cut = draw(st.integers(0, len(text)))
        text = text[:cut] + draw(st.sampled_from(LINE_SEPARATORS)) + "x" + text[cut:]
    return text.strip() or "x"


class Text(str):
    """Text to be written quoted or plain as the style allows."""


class Null:
    """An explicit null: ``key: null``, ``key: ~`` or ``key:``."""


@st.composite
def forces(draw) -> dict:
    """A valid force as plain values (mappings keep their key order)."""
    n_sources = draw(st.integers(1, 3))
    sources = [
        {"id": f"s{i}", "kind": "web-page", "title": Text(draw(texts())), "url": f"https://example.org/{i}"}
        for i in range(n_sources)
    ]
    ids = [s["id"] for s in sources]
    causes = []
    for c in range(draw(st.integers(1, 3))):
        cause = {"id": f"coc-{c}", "title": Text(draw(texts())), "raised_on": "2023-10"}
        cause["sources"] = draw(st.lists(st.sampled_from(ids), min_size=1, max_size=2, unique=True))
        recs = []
        for r in range(draw(st.integers(0, 3))):
            rec = {"id": f"rec-{c}-{r}", "text": Text(draw(texts()))}
            if draw(st.booleans()):
                rec["closure"] = Null
            elif draw(st.booleans()):
                rec["closure"] = {"closed_on": "2024-03", "evidence": Text(draw(texts())), "sources": [ids[0]]}
            if draw(st.booleans()):
                rec["notes"] = Text(draw(texts()))
            recs.append(rec)
        if recs:
            cause["recommendations"] = recs
        else:
            cause["recommendations_not_on_record"] = {"note": Text(draw(texts()))}
        if draw(st.booleans()):
            cause["closure"] = Null
        causes.append(cause)
    areas = [
        {"id": f"afi-{a}", "text": Text(draw(texts())), "raised_on": "2023-11", "sources": [ids[-1]]}
        | ({"closure": Null} if draw(st.booleans()) else {})
        for a in range(draw(st.integers(0, 2)))
    ]
    force = {"slug": SLUG, "name": "Odd Constabulary", "record_checked_to": "2026-11-26"}
    force["record_checked_note"] = Text("a generated file")
    force["causes_of_concern"] = causes
    if areas:
        force["areas_for_improvement"] = areas
    force["sources"] = sources
    return force


class Writer:
    """Writes plain values as YAML, choosing a style at every node."""

    def __init__(self, draw):
        self.draw = draw
        self.dash = draw(st.sampled_from([0, 2]))

    def choose(self, *options):
        return self.draw(st.sampled_from(options))

    def scalar(self, value, flow: bool) -> str:
        if value is Null:
            return self.choose("null", "~", "Null", "") if not flow else self.choose("null", "~")
        if isinstance(value, Text):
            return self.text(value, flow)
        return str(value) if not isinstance(value, str) or _plain_ok(value) else _double(value)

    def text(self, value: str, flow: bool) -> str:
        quoted = any(sep in value for sep in LINE_SEPARATORS) or not _plain_ok(value)
        style = self.choose("double", "single") if quoted else self.choose("plain", "double", "single")
        if style == "plain":
            return value
        if style == "single":
            return "'" + value.replace("'", "''") + "'"
        return _double(value, raw_separators=self.draw(st.booleans()))

    def inline(self, value) -> str:
        if isinstance(value, dict):
            comma = self.choose("", ", ", ",")
            body = ", ".join(f"{k}: {self.inline(v)}" for k, v in value.items())
            return "{" + body + (comma if value else "") + "}"
        if isinstance(value, list):
            comma = self.choose("", ", ")
            return "[" + ", ".join(self.inline(v) for v in value) + (comma if value else "") + "]"
        return self.scalar(value, flow=True)

    def entries(self, mapping: dict, indent: int) -> list[str]:
        pad = " " * indent
        lines: list[str] = []
        for key, value in mapping.items():
            if self.draw(st.integers(0, 5)) == 0:
                lines.append(f"{pad}# about {key}")
            explicit = self.draw(st.integers(0, 6)) == 0
            lead = f"{pad}? {key}\n{pad}:" if explicit else f"{pad}{key}:"
            block = isinstance(value, (dict, list)) and value and self.draw(st.booleans())
            if block and isinstance(value, dict):
                lines.append(lead)
                lines += self.entries(value, indent + 2)
            elif block:
                lines.append(lead)
                lines += self.items(value, indent + self.dash)
            else:
                inline = self.inline(value) if isinstance(value, (dict, list)) else self.scalar(value, flow=False)
                comment = "  # note" if self.draw(st.integers(0, 4)) == 0 else ""
                if value is Null and not inline:
                    comment = self.choose("", "  # none yet")
                    if explicit and self.draw(st.booleans()):
                        lead = f"{pad}? {key}"  # a lone explicit key: its value is null
                lines.append(f"{lead} {inline}{comment}".rstrip() if inline else f"{lead}{comment}")
        return lines

    def items(self, values: list, column: int) -> list[str]:
        lines: list[str] = []
        for value in values:
            if isinstance(value, dict) and self.draw(st.booleans()):
                inner = self.entries(value, column + 2)
                first = inner[0]
                lines.append(" " * column + "- " + first[column + 2 :])
                lines += inner[1:]
            else:
                item = self.inline(value) if isinstance(value, (dict, list)) else str(value)
                lines.append(" " * column + "- " + item)
        return lines


def _plain_ok(text: str) -> bool:
    from peelcli.textedit import scalar

    return scalar(text) == text


def _double(text: str, *, raw_separators: bool = False) -> str:
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch in LINE_SEPARATORS and not raw_separators:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


@st.composite
def files(draw) -> tuple[dict, bytes]:
    force = draw(forces())
    writer = Writer(draw)
    lines = ["# a generated force file", *writer.entries(force, 0)]
    if draw(st.booleans()):
        lines.append("# the end")
    text = "\n".join(lines) + ("\n" if draw(st.booleans()) else "")
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    data = text.encode("utf-8")
    return force, (b"\xef\xbb\xbf" + data if draw(st.booleans()) else data)


# -- generating edits -------------------------------------------------------------------------


@st.composite
def requests(draw, force: dict):
    """An edit of ``force``: (function, request, the record it names, a new record it adds)."""
    causes = force["causes_of_concern"]
    recs = [r for c in causes for r in c.get("recommendations", [])]
    areas = force.get("areas_for_improvement", [])
    sources = [s["id"] for s in force["sources"]]
    on = PartialDate.parse(draw(st.sampled_from(["2024-06", "2024-06-30", "2023-10/2024-06"])))
    evidence = draw(texts())
    cited = draw(st.lists(st.sampled_from([*sources, "https://example.org/new", "https://EXAMPLE.org/0/"]), max_size=2))
    choices = ["add-rec", "cite-cause", "edit-source", "add-afi"]
    choices += ["close-rec", "cite-rec"] if recs else []
    choices += ["close-afi"] if areas else []
    choices += ["close-concern"]
    op = draw(st.sampled_from(choices))
    if op == "close-rec":
        rec = draw(st.sampled_from(recs))["id"]
        request = {"rec_id": rec, "on": on, "evidence": evidence, "sources": cited}
        return edits.close_recommendation, request, rec, None
    if op == "close-concern":
        cause = draw(st.sampled_from(causes))["id"]
        request = {"concern_id": cause, "on": on, "evidence": evidence, "sources": cited, "reason": "regardless"}
        return edits.close_concern, request, cause, None
    if op == "close-afi":
        area = draw(st.sampled_from(areas))["id"]
        return edits.close_area, {"area_id": area, "on": on, "evidence": evidence, "sources": cited}, area, None
    if op == "add-rec":
        cause = draw(st.sampled_from(causes))["id"]
        request = {"concern_id": cause, "rec_id": "rec-new", "text": draw(texts()), "sources": cited}
        if draw(st.booleans()):
            request |= {"closed_on": on, "evidence": evidence}
        return edits.add_recommendation, request, cause, "rec-new"
    if op == "add-afi":
        request = {"area_id": "afi-new", "text": draw(texts()), "raised": on, "sources": cited}
        return edits.add_area, request, None, "afi-new"
    if op == "edit-source":
        source = draw(st.sampled_from(sources))
        request = {"source_id": source, "title": draw(texts()), "published": on if draw(st.booleans()) else None}
        return edits.edit_source, request, source, None
    target = draw(st.sampled_from(recs))["id"] if op == "cite-rec" else draw(st.sampled_from(causes))["id"]
    return edits.cite, {"target": target, "sources": cited or sources[:1]}, target, None


FEATURES = {
    "a trailing comma": lambda raw: b", }" in raw or b",}" in raw or b", ]" in raw,
    "an explicit key": lambda raw: b"? " in raw,
    "an explicit null": lambda raw: b": null" in raw or b": ~" in raw,
    "CRLF": lambda raw: b"\r\n" in raw,
    "a byte-order mark": lambda raw: raw.startswith(b"\xef\xbb\xbf"),
    "a raw line separator in quotes": lambda raw: any(s.encode() in raw for s in LINE_SEPARATORS),
}


def records(reading) -> dict[str, object]:
    """Every record with an id, as JSON, each without the records it holds (a cause without its
    recommendations), so a change shows in the one record it was made to."""
    force = reading.force
    found: dict[str, object] = {"force": {k: v for k, v in plain(force).items() if not isinstance(v, list)}}
    for cause in plain(force)["causes_of_concern"]:
        found[cause["id"]] = {k: v for k, v in cause.items() if k != "recommendations"}
        for rec in cause["recommendations"]:
            found[rec["id"]] = rec
    for key in ("areas_for_improvement", "sources", "inspections", "phase_changes", "uncertainties", "metrics"):
        for i, item in enumerate(plain(force)[key]):
            found[item.get("id") or f"{key}:{i}"] = item
    return found


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_an_edit_changes_the_record_it_names_and_no_other_or_is_refused(data):
    force, raw = data.draw(files())
    reading = read_force(raw, NAME, slug=SLUG, today=TODAY)
    assert reading.ok, (raw.decode("utf-8", "replace"), [str(p) for p in reading.problems])
    change, request, named, added = data.draw(requests(force))
    for feature, marker in FEATURES.items():
        if marker(raw):
            event(f"file has {feature}")
    try:
        edit, after, result = _step(reading, NAME, SLUG, change, request, TODAY, "")
    except PeelError as refusal:
        assert refusal.problems and all(p.message.strip() for p in refusal.problems)
        event(f"refused: {change.__name__}: {refusal.problems[-1].message[:40]}")
        return
    event(f"edited: {change.__name__}")
    before, now = records(reading), records(result)
    new_sources = {k for k in now if k not in before and k.startswith(("new", "0"))}
    assert set(now) == set(before) | ({added} if added else set()) | new_sources, (edit.text, request)
    changed = {key for key in before if before[key] != now[key]}
    allowed = {named} if named else set()
    assert changed <= allowed, (changed, named, edit.text)
    if named and change is not edits.cite:
        assert named in changed or added, (named, edit.text)
    assert after.startswith(b"\xef\xbb\xbf") == raw.startswith(b"\xef\xbb\xbf")
    if b"\r\n" in raw:
        assert b"\n" not in after.replace(b"\r\n", b"")
