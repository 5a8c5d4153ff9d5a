"""Property: an edit changes the record it names and no other, or is refused with a message.

Files are generated in the odd but valid YAML people write (flow collections with trailing
commas, explicit ``? key`` entries, ``key: null``, comments anywhere, folded text, CRLF line ends,
a byte-order mark, line separators inside quoted text), and so are edits. Every edit goes through
the ledger's own step (:func:`peelcli.ledger._step`): the edit function, then the reader and the
rules on the result, exactly as ``peel`` applies it.
"""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from conftest import scaled_examples
from peelcli import corrections, edits
from peelcli.assess import NOT_JUSTIFIED
from peelcli.dates import PartialDate
from peelcli.export import plain
from peelcli.ledger import Ledger, _step
from peelcli.policy import read_policy
from peelcli.problems import PeelError
from peelcli.reader import read_force
from peelcli.schema.records import replaced

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


# -- corrections (issue 20) -------------------------------------------------------------------
#
# Two kinds of generated ledger: the odd hand-written files above, and files built the way a
# ledger of one's own is built, by peel's own commands from an empty force file. On either, any
# sequence of corrections leaves the file valid or is refused with the file byte-identical on
# disk. On a file built by peel, every correction followed by its reverse gives the file back
# byte for byte; on a hand-written one, so does a correction of a value or an id (the values
# peel can write back in the style someone chose; see ``_round_trips``).

POLICY = read_policy()
MONTH = PartialDate.parse


def _apply(data: bytes, change, request: dict):
    """One edit as ``peel`` applies it: (new bytes, reading), or the refusal raised."""
    reading = read_force(data, NAME, slug=SLUG, today=TODAY)
    assert reading.ok, [str(p) for p in reading.errors]
    _, after, result = _step(reading, NAME, SLUG, change, request, TODAY, "")
    return after, result


def _steps(data: bytes, steps: list) -> bytes:
    for change, request in steps:
        data, _ = _apply(data, change, request)
    return data


def _override_stale(force, i: int) -> bool:
    """The i-th move's assessment_overridden is one peel assess would no longer give on its day."""

    move = force.phase_changes[i]
    judged = edits.judge_move(
        replaced(force, phase_changes=force.phase_changes[:i]), move.decided_on, policy=POLICY, others=()
    )
    return judged.verdict != NOT_JUSTIFIED


@st.composite
def built_ledgers(draw) -> bytes:
    """A force file built by peel's commands, as a person records letters: sources, causes with
    recommendations (some closed), areas, phase changes, an officer and an uncertainty."""
    data = edits.new_force_text(SLUG, "Odd Constabulary", "../schema/force.schema.json").encode()
    kinds = ["web-page", "revisit-letter", "phase-decision-letter"]
    sources = [f"s{i}" for i in range(draw(st.integers(1, 3)))]
    steps: list = []
    for i, source in enumerate(sources):
        sent = draw(st.sampled_from([None, MONTH("2024-12-01")]))
        request = {"source_id": source, "kind": draw(st.sampled_from(kinds)), "title": draw(texts())}
        steps.append((edits.add_source, request | {"url": f"https://example.org/{i}", "sent": sent}))
    cited = st.lists(st.sampled_from(sources), min_size=1, max_size=2, unique=True)
    maybe_text = st.one_of(st.none(), texts())
    ids: list[str] = []
    for c in range(draw(st.integers(1, 2))):
        cause = f"coc-{c}"
        ids.append(cause)
        request = {"concern_id": cause, "title": draw(texts()), "raised": MONTH("2023-10"), "sources": draw(cited)}
        request |= {"text": draw(maybe_text), "notes": draw(maybe_text), "accelerated": draw(st.booleans())}
        request |= {"published": draw(st.sampled_from([None, MONTH("2023-11-02")]))}
        steps.append((edits.add_concern, request))
        open_recs = []
        for r in range(draw(st.integers(0, 3))):
            rec = f"rec-{c}-{r}"
            ids.append(rec)
            deadline = draw(st.sampled_from([None, "Within six months", "By 31 December 2024"]))
            due = draw(st.sampled_from([None, MONTH("2024-06-30")])) if deadline != "By 31 December 2024" else None
            request = {"concern_id": cause, "rec_id": rec, "text": draw(texts()), "deadline": deadline, "due": due}
            request |= {"sources": draw(st.lists(st.sampled_from(sources), max_size=2, unique=True))}
            request |= {"notes": draw(maybe_text)}
            if draw(st.integers(0, 3)) == 0:
                request |= {"closed_on": MONTH("2024-03"), "evidence": draw(texts()), "closure_sources": draw(cited)}
            steps.append((edits.add_recommendation, request))
            if "closed_on" not in request:
                open_recs.append(rec)
        for rec in open_recs:
            if draw(st.booleans()):
                request = {"rec_id": rec, "on": MONTH("2024-03"), "evidence": draw(texts()), "sources": draw(cited)}
                steps.append((edits.close_recommendation, request | {"reason": draw(maybe_text)}))
        if draw(st.booleans()):
            request = {"concern_id": cause, "on": MONTH("2024-04-02"), "evidence": draw(texts())}
            steps.append((edits.close_concern, request | {"sources": draw(cited), "reason": "closed regardless"}))
    for a in range(draw(st.integers(0, 2))):
        area = f"afi-{a}"
        ids.append(area)
        request = {"area_id": area, "text": draw(texts()), "raised": MONTH("2023-11"), "sources": draw(cited)}
        steps.append((edits.add_area, request | {"notes": draw(maybe_text)}))
        if draw(st.booleans()):
            request = {"area_id": area, "on": MONTH("2024-03"), "evidence": draw(texts()), "sources": draw(cited)}
            steps.append((edits.close_area, request))
    for n, (phase, on) in enumerate((("engage", "2024-01"), ("scan", "2024-06-01"))[: draw(st.integers(0, 2))]):
        request = {"phase": phase, "on": MONTH(on), "sources": draw(cited), "override": True, "reason": draw(texts())}
        request |= {"decided_by": draw(maybe_text), "notes": draw(maybe_text), "policy": POLICY, "others": ()}
        request |= {"published": MONTH("2024-06-02") if n else None}
        steps.append((edits.move_phase, request))
    if draw(st.booleans()):
        request = {"name": draw(texts()), "role": "Chief Constable", "noted_on": MONTH("2024-01"), "sources": []}
        steps.append((edits.add_officer, request))
    if draw(st.booleans()):  # a document nothing cites yet
        request = {"source_id": "s-later", "kind": "web-page", "title": draw(texts()), "url": "https://example.org/l"}
        steps.append((edits.add_source, request))
    if draw(st.booleans()):
        subjects = draw(st.lists(st.sampled_from(ids), max_size=2, unique=True))
        request = {"about": draw(texts()), "note": draw(texts()), "uncertainty_id": "unc-0", "subjects": subjects}
        steps.append((edits.add_uncertainty, request | {"sources": []}))
    return _steps(data, steps)


def _closure_reverse(close, key: str, item) -> tuple:
    """The command that records ``item``'s closure again, as it was."""
    closure = item.closure
    request = {key: item.id, "on": closure.closed_on, "evidence": closure.evidence, "sources": list(closure.sources)}
    return close, request | {"reason": closure.reason}


def _notes_back(change, key: str, item_id: str | None, notes: str | None) -> tuple:
    """The correction that gives a record its notes back (or none, as it had)."""
    request = {key: item_id} if key else {}
    return change, request | ({"notes": notes} if notes else {"unset": ["notes"]})


@st.composite
def corrections_with_reverses(draw, force) -> tuple[str, list, list]:
    """A correction of a ledger built by peel, and the corrections that reverse it:
    (what it is, its steps, the reverse's steps)."""
    causes = force.causes_of_concern
    recs = [(c, r) for c in causes for r in c.recommendations]
    areas = force.areas_for_improvement
    sources = [s.id for s in force.sources]
    other_text = texts()
    options = ["cause", "rename"] + (["rec"] if recs else []) + (["area"] if areas else [])
    options += ["move", "withdraw-move"] if force.phase_changes else []
    options += ["reopen"] if any(x.closure for x in [*causes, *areas, *(r for _, r in recs)]) else []
    options += ["remove-rec"] if recs else []
    options += ["remove-area"] if areas else []
    options += ["remove-source", "force"]
    kind = draw(st.sampled_from(options))

    def values(fields: dict) -> tuple[dict, dict]:
        """A new value for one of ``fields`` (request name: (record, attribute, strategy, the
        name --unset gives it)), and the request that puts the old one back."""
        name = draw(st.sampled_from(sorted(fields)))
        record, attribute, strategy, unset = fields[name]
        old = getattr(record, attribute)
        new = draw(strategy.filter(lambda v: v != old))
        if unset and old not in (None, [], False) and draw(st.integers(0, 3)) == 0:
            return {"unset": [unset]}, {name: old}  # remove the value, then give it back
        return {name: new}, ({name: old} if old not in (None, []) else {"unset": [unset]})

    def citing(record, attribute: str = "sources", unset: str = "sources") -> dict:
        """The sources field, where another choice of sources exists."""
        others = [[s] for s in sources] + [[a, b] for a in sources for b in sources if a < b]
        others = [c for c in others if c != list(getattr(record, attribute))]
        return (
            {attribute if attribute != "sources" else "sources": (record, attribute, st.sampled_from(others), unset)}
            if others
            else {}
        )

    dates = st.sampled_from([MONTH("2023-09"), MONTH("2023-10-15"), MONTH("2023-12")])
    if kind == "cause":
        cause = draw(st.sampled_from(causes))
        fields = {
            "title": (cause, "title", other_text, None),
            "text": (cause, "text", other_text, "text"),
            "raised": (cause, "raised_on", dates, None),
            "published": (cause, "published_on", st.just(MONTH("2023-12-01")), "published"),
            "notes": (cause, "notes", other_text, "notes"),
            **citing(cause),
        }
        change, back = values(fields)
        if "unset" not in change and "unset" not in back and draw(st.integers(0, 4)) == 0:
            change, back = {"accelerated": not cause.accelerated}, {"accelerated": cause.accelerated}
        key = {"concern_id": cause.id}
        return "edit-concern", [(corrections.edit_concern, key | change)], [(corrections.edit_concern, key | back)]
    if kind == "rec":
        _, rec = draw(st.sampled_from(recs))
        fields = {
            "text": (rec, "text", other_text, None),
            "notes": (rec, "notes", other_text, "notes"),
            "due": (rec, "due", st.just(MONTH("2024-07-31")), "due"),
            **citing(rec),
        }
        if rec.closure is not None:
            closure = rec.closure
            fields |= {
                "evidence": (closure, "evidence", other_text, None),
                "reason": (closure, "reason", other_text, "reason"),
                "closed_on": (closure, "closed_on", st.just(MONTH("2024-02-20")), None),
            }
            if len(sources) > 1:
                others = st.sampled_from([[s] for s in sources if [s] != closure.sources])
                fields["closure_sources"] = (closure, "sources", others, None)
        change, back = values(fields)
        key = {"rec_id": rec.id}
        return (
            "edit-rec",
            [(corrections.edit_recommendation, key | change)],
            [(corrections.edit_recommendation, key | back)],
        )
    if kind == "area":
        area = draw(st.sampled_from(areas))
        fields = {
            "text": (area, "text", other_text, None),
            "raised": (area, "raised_on", dates, None),
            "notes": (area, "notes", other_text, "notes"),
            **citing(area),
        }
        change, back = values(fields)
        key = {"area_id": area.id}
        return "edit-afi", [(corrections.edit_area, key | change)], [(corrections.edit_area, key | back)]
    if kind == "force":
        change, back = values(
            {"name": (force, "name", other_text, None), "notes": (force, "notes", other_text, "notes")}
        )
        return "edit-force", [(corrections.edit_force, change)], [(corrections.edit_force, back)]
    if kind == "move":
        n = draw(st.integers(1, len(force.phase_changes)))
        move = force.phase_changes[n - 1]
        fields = {
            "decided_by": (move, "decided_by", other_text, "decided-by"),
            "reason": (move, "reason", other_text, None if move.assessment_overridden else "reason"),
            "notes": (move, "notes", other_text, "notes"),
            "missing_from_record": (move, "missing_from_record", other_text, "missing-from-record"),
            "on": (move, "decided_on", st.just(MONTH("2023-12-15") if n == 1 else MONTH("2024-05")), None),
            **citing(move),
        }
        if move.assessment_overridden and _override_stale(force, n - 1):
            # recorded with --override before a later record (an uncertainty, a closure) made peel
            # assess call it arguable: a new date drops the flag, as edit-move says, and no
            # correction can set it back, so a correction that judges it again has no reverse
            del fields["on"], fields["missing_from_record"]
        change, back = values(fields)
        key = {"move": f"phase:{n}", "policy": POLICY, "others": ()}
        return (
            "edit-move",
            [(corrections.edit_move, key | change)],
            [(corrections.edit_move, key | back | {"override": True})],
        )
    if kind == "withdraw-move":
        n = len(force.phase_changes)
        move = force.phase_changes[-1]
        # a stale --override (see the move case) is not recorded again by peel move: no reverse
        assume(not (move.assessment_overridden and _override_stale(force, n - 1)))
        request = {"phase": move.phase, "on": move.decided_on, "sources": list(move.sources), "override": True}
        request |= {"reason": move.reason, "decided_by": move.decided_by, "published": move.published_on}
        request |= {"notes": move.notes, "missing_from_record": move.missing_from_record}
        request |= {"policy": POLICY, "others": ()}
        why = draw(other_text)
        return (
            "withdraw-move",
            [(corrections.withdraw_move, {"move": f"phase:{n}", "why": why})],
            [
                (edits.move_phase, request),
                _notes_back(corrections.edit_force, "", None, force.notes),
            ],
        )
    if kind == "reopen":
        closed = [("concern_id", c, "cause") for c in causes if c.closure]
        closed += [("rec_id", r, "rec") for _, r in recs if r.closure]
        closed += [("area_id", a, "area") for a in areas if a.closure]
        key, item, what = draw(st.sampled_from(closed))
        reopen, close, edit = {
            "cause": (corrections.reopen_concern, edits.close_concern, corrections.edit_concern),
            "rec": (corrections.reopen_recommendation, edits.close_recommendation, corrections.edit_recommendation),
            "area": (corrections.reopen_area, edits.close_area, corrections.edit_area),
        }[what]
        return (
            f"reopen-{what}",
            [(reopen, {key: item.id, "why": draw(other_text)})],
            [
                _closure_reverse(close, key, item),
                _notes_back(edit, key, item.id, item.notes),
            ],
        )
    if kind == "remove-rec":
        cause = draw(st.sampled_from([c for c in causes if c.recommendations]))
        rec = cause.recommendations[-1]
        request = {"concern_id": cause.id, "rec_id": rec.id, "text": rec.text, "deadline": rec.deadline}
        request |= {"due": rec.due, "sources": list(rec.sources), "notes": rec.notes}
        reverse = []
        if rec.closure is not None:
            request |= {"closed_on": rec.closure.closed_on, "evidence": rec.closure.evidence}
            request |= {"closure_sources": list(rec.closure.sources)}
            if rec.closure.reason:
                reverse = [(corrections.edit_recommendation, {"rec_id": rec.id, "reason": rec.closure.reason})]
        return (
            "remove-rec",
            [(corrections.remove, {"target": rec.id})],
            [
                (edits.add_recommendation, request),
                *reverse,
            ],
        )
    if kind == "remove-area":
        area = areas[-1]
        request = {"area_id": area.id, "text": area.text, "raised": area.raised_on, "sources": list(area.sources)}
        reverse = [(edits.add_area, request | {"notes": area.notes})]
        if area.closure is not None:
            reverse.append(_closure_reverse(edits.close_area, "area_id", area))
        return "remove-area", [(corrections.remove, {"target": area.id})], reverse
    if kind == "remove-source":
        source = force.sources[-1]
        request = {"source_id": source.id, "kind": source.kind, "title": source.title, "url": source.url}
        request |= {"sent": source.sent_on}
        return "remove-source", [(corrections.remove, {"target": source.id})], [(edits.add_source, request)]
    ids = sorted(edits.all_ids(force))
    old = draw(st.sampled_from(ids))
    new = draw(st.sampled_from(["renamed", "x.1", "No", "1e3", "A_b-c"]))
    return (
        "rename",
        [(corrections.rename, {"old_id": old, "new_id": new})],
        [(corrections.rename, {"old_id": new, "new_id": old})],
    )


@scaled_examples(40)
@given(st.data())
def test_every_correction_and_its_reverse_give_a_ledger_built_by_peel_back_byte_for_byte(data):
    """A ledger of one's own is built by peel's commands: on such a file, any correction that is
    not refused, followed by the corrections that reverse it, leaves the file as it was."""
    original = data.draw(built_ledgers())
    current = original
    for _ in range(data.draw(st.integers(1, 3))):
        force = read_force(current, NAME, slug=SLUG, today=TODAY).force
        what, steps, reverse = data.draw(corrections_with_reverses(force))
        try:
            corrected = _steps(current, steps)
        except PeelError as refusal:
            assert refusal.problems and all(p.message.strip() for p in refusal.problems)
            event(f"refused: {what}")
            continue
        assert corrected != current, what
        event(f"reversed: {what}")
        assert _steps(corrected, reverse) == current, (what, steps, reverse, corrected.decode())
    assert current == original


@st.composite
def any_ledger(draw) -> bytes:
    """A generated force file: hand-written in odd YAML, or built by peel's commands."""
    if draw(st.booleans()):
        return draw(files())[1]
    return draw(built_ledgers())


@st.composite
def any_corrections(draw, force) -> tuple:
    """Any correction of ``force``, many of which peel must refuse: ids that do not exist, dates
    that break the closure rules or the timeline, a source still cited, a value to remove that a
    record cannot be without."""
    causes = [c.id for c in force.causes_of_concern] + ["coc-missing"]
    recs = [r.id for c in force.causes_of_concern for r in c.recommendations] + ["rec-missing"]
    areas = [a.id for a in force.areas_for_improvement] + ["afi-missing"]
    ids = [*sorted(edits.all_ids(force)), "nothing"]
    sources = [s.id for s in force.sources] + ["https://example.org/0", "https://example.org/new"]
    dates = st.sampled_from([MONTH(d) for d in ("2023-01", "2023-10", "2024-02-29", "2024-05", "2026-12")])
    maybe = lambda strategy: st.one_of(st.none(), st.none(), strategy)  # noqa: E731
    cited = maybe(st.lists(st.sampled_from(sources), min_size=1, max_size=2))
    fields = st.sampled_from(["text", "notes", "sources", "due", "reason", "published", "title"])
    unsets = st.one_of(st.just([]), st.just([]), st.lists(fields, max_size=2))
    closure = {"closed_on": maybe(dates), "evidence": maybe(texts()), "reason": maybe(texts())}
    closure |= {"closure_sources": cited, "unset": unsets}
    kind = draw(st.sampled_from(["cause", "rec", "area", "reopen", "remove", "rename", "move", "withdraw", "force"]))
    if kind == "cause":
        request = {"concern_id": draw(st.sampled_from(causes)), "title": draw(maybe(texts()))}
        request |= {"raised": draw(maybe(dates)), "published": draw(maybe(dates)), "sources": draw(cited)}
        request |= {"accelerated": draw(maybe(st.booleans())), "kind": draw(maybe(st.just("area-of-concern")))}
        return corrections.edit_concern, request | {k: draw(v) for k, v in closure.items()}
    if kind == "rec":
        request = {"rec_id": draw(st.sampled_from(recs)), "text": draw(maybe(texts())), "sources": draw(cited)}
        deadlines = st.sampled_from(["Within six months", "By Decmber 2024", "By 31 December 2024"])
        request |= {"deadline": draw(maybe(deadlines)), "due": draw(maybe(dates)), "notes": draw(maybe(texts()))}
        return corrections.edit_recommendation, request | {k: draw(v) for k, v in closure.items()}
    if kind == "area":
        request = {"area_id": draw(st.sampled_from(areas)), "text": draw(maybe(texts())), "raised": draw(maybe(dates))}
        request |= {"sources": draw(cited), "notes": draw(maybe(texts()))}
        return corrections.edit_area, request | {k: draw(v) for k, v in closure.items()}
    if kind == "reopen":
        change, key, choices = draw(
            st.sampled_from(
                [
                    (corrections.reopen_concern, "concern_id", causes),
                    (corrections.reopen_recommendation, "rec_id", recs),
                    (corrections.reopen_area, "area_id", areas),
                ]
            )
        )
        return change, {key: draw(st.sampled_from(choices)), "why": draw(texts())}
    if kind == "remove":
        targets = st.sampled_from([*ids, "officer:1", "metric:1", "phase:1", "uncertainty:1", "phase:1:date:1"])
        return corrections.remove, {"target": draw(targets)}
    if kind == "rename":
        new = st.sampled_from(["renamed", "s0", "coc-0", "bad id", "-x", "No"])
        return corrections.rename, {"old_id": draw(st.sampled_from(ids)), "new_id": draw(new)}
    moves = st.sampled_from(["phase:1", "phase:2", "2024-01", "9"])
    if kind == "move":
        request = {"move": draw(moves), "on": draw(maybe(dates)), "reason": draw(maybe(texts()))}
        request |= {"unset": draw(st.lists(st.sampled_from(["reason", "sources", "notes", "decided-by"]), max_size=2))}
        return corrections.edit_move, request | {"override": draw(st.booleans()), "policy": POLICY, "others": ()}
    if kind == "withdraw":
        return corrections.withdraw_move, {"move": draw(moves), "why": draw(texts())}
    request = {"name": draw(maybe(texts())), "notes": draw(maybe(texts()))}
    return corrections.edit_force, request | {"unset": draw(st.lists(st.just("notes"), max_size=1))}


@scaled_examples(30)
@given(data=st.data())
def test_any_sequence_of_corrections_leaves_the_file_valid_or_is_refused_with_the_file_byte_identical(
    data, tmp_path_factory
):
    """Through the ledger itself (lock, checks, atomic write), on disk: a correction either
    leaves a file ``peel validate`` accepts, or is refused, with a message, and writes nothing."""
    folder = tmp_path_factory.mktemp("ledger")
    (folder / "forces").mkdir()
    path = folder / "forces" / NAME
    path.write_bytes(data.draw(any_ledger()))
    ledger = Ledger(folder)
    for _ in range(data.draw(st.integers(1, 4))):
        before = path.read_bytes()
        force = read_force(before, NAME, slug=SLUG, today=TODAY).force
        change, request = data.draw(any_corrections(force))
        try:
            ledger.edit(SLUG, change, today=TODAY, **request)
        except PeelError as refusal:
            assert refusal.exit_code in (1, 2) and all(p.message.strip() for p in refusal.problems)
            assert path.read_bytes() == before, change.__name__
            event(f"refused: {change.__name__}")
            continue
        after = read_force(path.read_bytes(), NAME, slug=SLUG, today=TODAY)
        assert after.ok, [str(p) for p in after.errors]
        event(f"corrected: {change.__name__}")


def _node_text(document, path) -> tuple[str, str | None]:
    """The text of the value at ``path`` as the file writes it, and its quoting style."""
    from peelcli.textedit import _path_of

    node = _path_of(document, path)
    return document.text[node.start_mark.index : node.end_mark.index], node.style


def _round_trips(written: str, style: str | None, old: str, new: str) -> bool:
    """Whether peel can write ``old`` back as it was written after ``new`` replaced it. Not when
    the file holds a raw line separator inside quotes (peel writes it escaped); nor when someone
    chose quotes peel would not (``"calls"``) and the new text cannot keep them, or needs the
    same quotes anyway (``"a: b"``), so that nothing in the file says they were chosen."""
    from peelcli.textedit import _single_quotable, scalar

    if any(sep in written for sep in LINE_SEPARATORS):
        return False
    if written == scalar(old):
        return True
    if style == "'":
        return _single_quotable(new)
    return not (style == '"' and scalar(new).startswith('"'))


@scaled_examples(40)
@given(st.data())
def test_a_correction_of_a_value_or_an_id_and_its_reverse_give_a_hand_written_file_back(data):
    """On the odd files people write, a corrected text or date and a renamed id, corrected back,
    give the file back byte for byte; where the old text was written in a way peel cannot write
    (a raw line separator inside quotes), the same records, and no other line changed."""
    _, raw = data.draw(files())
    reading = read_force(raw, NAME, slug=SLUG, today=TODAY)
    force = reading.force
    causes, areas = force.causes_of_concern, force.areas_for_improvement
    recs = [(i, j, r) for i, c in enumerate(causes) for j, r in enumerate(c.recommendations)]
    choices = [("cause", i) for i in range(len(causes))] + [("area", i) for i in range(len(areas))]
    choices += [("rec", (i, j)) for i, j, _ in recs] + [("rename", None), ("source", None)]
    what, where = data.draw(st.sampled_from(choices))
    new = data.draw(texts())
    if what == "cause":
        cause = causes[where]
        path, old = ("causes_of_concern", where, "title"), cause.title
        if data.draw(st.booleans()):
            path, old = ("causes_of_concern", where, "raised_on"), cause.raised_on
            new = MONTH("2023-09")
            step, back = ({"concern_id": cause.id, "raised": new}, {"concern_id": cause.id, "raised": old})
        else:
            step, back = ({"concern_id": cause.id, "title": new}, {"concern_id": cause.id, "title": old})
        change = corrections.edit_concern
    elif what == "area":
        area = areas[where]
        path, old = ("areas_for_improvement", where, "text"), area.text
        step, back, change = {"area_id": area.id, "text": new}, {"area_id": area.id, "text": old}, corrections.edit_area
    elif what == "rec":
        i, j = where
        rec = causes[i].recommendations[j]
        key = data.draw(st.sampled_from(["text", "notes"] if rec.notes else ["text"]))
        path, old = ("causes_of_concern", i, "recommendations", j, key), getattr(rec, key)
        step, back = {"rec_id": rec.id, key: new}, {"rec_id": rec.id, key: old}
        change = corrections.edit_recommendation
    elif what == "source":
        source = force.sources[0]
        path, old = ("sources", 0, "title"), source.title
        step, back, change = {"source_id": source.id, "title": new}, {"source_id": source.id, "title": old}, None
        change = edits.edit_source
    else:
        old = data.draw(st.sampled_from(sorted(edits.all_ids(force))))
        new = data.draw(st.sampled_from(["renamed", "x.1", "No", "1e3"]))
        path, change = None, corrections.rename
        step, back = {"old_id": old, "new_id": new}, {"old_id": new, "new_id": old}
    if new == old:
        return
    try:
        corrected, _ = _apply(raw, change, step)
    except PeelError as refusal:  # a title equal in all but its style, say
        event(f"refused: {what}: {refusal.problems[0].message[:30]}")
        return
    restored, result = _apply(corrected, change, back)
    if path is None or isinstance(old, PartialDate) or _round_trips(*_node_text(reading.document, path), old, new):
        event(f"byte for byte: {what}")
        assert restored == raw, (what, step)
    else:
        event(f"the same records: {what}")
        assert records(result) == records(reading)
        again, _ = _apply(_apply(restored, change, step)[0], change, back)
        assert again == restored, "once peel has written the value, the round trip is exact"
    for feature, marker in FEATURES.items():
        if marker(raw):
            event(f"file has {feature}")
