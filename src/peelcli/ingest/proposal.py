"""Match what a letter states to a force's records and propose the ``peel`` commands that would
record what is not yet on record.

:func:`propose` is pure: a :class:`~peelcli.ingest.letter.Letter`, the registry's force names
and the force's file (``None`` when the force has none yet) in, a :class:`Proposal` out. Each
change carries the letter's own words that support it; whatever the letter leaves unclear goes
to ``unknown`` instead of being guessed.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

from ..dates import PartialDate
from ..edits import made_from_url, normal_url
from ..ledger import name_key
from ..output.wording import body_word
from ..schema.names import sector_of_slug
from ..schema.records import CauseOfConcern, ForceFile, Recommendation, Source
from .letter import Letter, Person
from .matching import match_cause, match_recommendation, similarity
from .statements import Statements, Verdict, find_statements, plain

KINDS = ("move-into-engage", "revisit", "cause-closed", "return-to-scan")
SOURCE_KIND = {
    "move-into-engage": "phase-decision-letter",
    "revisit": "revisit-letter",
    "cause-closed": "revisit-letter",
    "return-to-scan": "return-letter",
}
SOURCE_ID = {
    "move-into-engage": "engage-decision",
    "revisit": "revisit-letter",
    "cause-closed": "closure-letter",
    "return-to-scan": "return-letter",
}
MOVE_SLACK_DAYS = 7
"""A past move the letter dates within this many days of a recorded one is that move."""
SEP = " … "
"""Joins the letter's sentences quoted as one change's evidence."""


@dataclass(frozen=True)
class Change:
    argv: tuple[str, ...]
    quotes: tuple[str, ...]

    @property
    def evidence(self) -> str:
        return SEP.join(self.quotes)


@dataclass(frozen=True)
class Proposal:
    letter: Letter
    kind: str
    force: str
    changes: tuple[Change, ...]
    unknown: tuple[str, ...]


# -- which force, what kind ----------------------------------------------------------------------


_SUFFIX = re.compile(r"\s+(?:police service|police|constabulary|service)$")


def keyed_names(names: dict[str, list[str]]) -> list[tuple[str, str]]:
    """(slug, name as compared) for every name each force or service goes by."""
    return [(slug, name_key(n)) for slug, variants in names.items() for n in variants if name_key(n)]


def names_found(text: str, keyed: list[tuple[str, str]], *, short: bool = False) -> dict[str, int]:
    """How often ``text`` names each force or service, by whole words; ``short``: by its name
    less "Police", "Constabulary" or "Service" ("PEEL: Nottinghamshire causes of concern")."""
    hay = f" {name_key(text)} "
    counts: dict[str, int] = {}
    for slug, key in keyed:
        needle = _SUFFIX.sub("", key) if short else key
        if len(needle) >= 4:
            hits = hay.count(f" {needle} ")
            if hits:
                counts[slug] = counts.get(slug, 0) + hits
    return counts


def identify_force(letter: Letter, names: dict[str, list[str]]) -> str:
    """The slug of the force the letter is about, from its title, else its body and addressees.
    ``names`` maps each slug to the names it goes by (registry, file, former names)."""
    keyed = keyed_names(names)

    def found_in(text: str, *, short: bool = False) -> dict[str, int]:
        return names_found(text, keyed, short=short)

    title = found_in(letter.title)
    if len(title) == 1:
        return next(iter(title))
    if len(title) > 1:
        raise letter.refusal(
            f"its title names more than one force or service ({', '.join(sorted(title))}): which is it about?"
        )
    addressed = " ".join(f"{p.name} {p.role or ''}" for p in letter.to)
    for text, short in ((" ".join(p.text for p in letter.body) + " " + addressed, False), (letter.title, True)):
        counts = found_in(text, short=short)
        if counts:
            ranked = sorted(counts.items(), key=lambda item: -item[1])
            if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
                raise letter.refusal(
                    f"it names {ranked[0][0]} and {ranked[1][0]} as often: give the force or service with --force"
                )
            return ranked[0][0]
    raise letter.refusal("names no force or service that peel knows: give it with --force")


def letter_kind(letter: Letter, statements: Statements) -> str:
    title = plain(letter.title)
    if re.search(r"return to (?:the )?default|removed? from (?:enhanced|engage)|return to scan", title):
        return "return-to-scan"
    if re.search(r"enhanced (?:phase of )?monitoring|into engage|engage decision|move to enhanced", title):
        return "move-into-engage"
    if re.search(r"closure of (?:the )?cause|cause of concern closed|causes of concern closed", title):
        return "cause-closed"
    if "revisit" in title:
        return "revisit"
    decision = statements.decision
    if decision is not None:
        return "return-to-scan" if decision.phase == "scan" else "move-into-engage"
    if any(v.what == "cause" and v.closed for v in statements.verdicts):
        return "cause-closed"
    if statements.verdicts or statements.counts:
        return "revisit"
    raise letter.refusal(
        "states no phase decision, revisit finding or closure that peel can read: "
        "is it a move into Engage, revisit, closure or return-to-Scan letter?"
    )


# -- the proposal ---------------------------------------------------------------------------------


def ingest(
    letter: Letter, names: dict[str, list[str]], forces: dict[str, ForceFile | None], *, force: str | None = None
) -> Proposal:
    """Read a letter's statements and propose against the force's file. ``forces`` maps slugs
    to their files (``None``: the force has no file yet); ``force`` is ``--force``."""
    slug = identify_force(letter, names)
    if force is not None and force != slug:
        named = names.get(force, [force])[0]
        raise letter.refusal(
            f"is about {names.get(slug, [slug])[0]} ({slug}), not {named} ({force}) as --force says: nothing proposed"
        )
    return propose(letter, slug, forces.get(slug))


def propose(letter: Letter, slug: str, force: ForceFile | None) -> Proposal:
    statements = find_statements(letter)
    kind = letter_kind(letter, statements)
    return _Builder(letter, statements, kind, slug, force).build()


def _iso(day: PartialDate) -> str:
    return str(day)


def _q(text: str) -> str:
    return f"\u201c{text}\u201d"


class _Builder:
    def __init__(self, letter: Letter, statements: Statements, kind: str, slug: str, force: ForceFile | None):
        self.letter, self.statements, self.kind, self.slug = letter, statements, kind, slug
        self.force = force
        self.changes: list[Change] = []
        self.unknown: list[str] = [*letter.doubts, *statements.unclear]
        self.causes = list(force.causes_of_concern) if force else []
        self.recs = [r for c in self.causes for r in c.recommendations]
        self.closing_recs: set[str] = set()
        self.sent = letter.sent_on
        self.word = body_word(sector_of_slug(slug))
        """What the letter's subject is called in what peel says of it: "force" or "service"."""

    def build(self) -> Proposal:
        if self.force is None:
            self.changes.append(Change(("peel", "add-force", self.slug), (self.letter.title,)))
        self.source_id = self.source()
        self.recommendations()
        self.causes_closed()
        self.listed()
        self.decision()
        self.past_moves()
        self.record_end()
        return Proposal(self.letter, self.kind, self.slug, tuple(self.changes), tuple(dict.fromkeys(self.unknown)))

    def record_end(self) -> None:
        """A letter dated after how far the force's record was checked cannot be recorded until
        someone says how far they searched: that is a person's statement, never peel's guess."""
        checked = self.force.record_checked_to if self.force is not None else None
        sent = self.letter.sent_on
        if self.changes and checked is not None and sent is not None and checked.surely_before(sent):
            self.unknown.append(
                f"how far {self.slug}'s record was searched: it is checked to {checked}, before this letter "
                f"({sent}); once you have searched the record that far, say so first: peel checked {self.slug} "
                f'--to {sent} --note "what you searched"'
            )

    # -- the letter as a source --------------------------------------------------------------

    def existing_source(self, sources: list[Source]) -> Source | None:
        """The source that is this letter, when the file has it: at the letter's address, unless
        that source is another document (refused, saying why); else a letter of the same title
        sent the same day."""
        letter = self.letter
        if letter.url:
            for source in sources:
                if source.url and normal_url(source.url) == normal_url(letter.url):
                    different = self.another_document(source)
                    if different is None:
                        return source
                    raise letter.refusal(
                        f"its address ({letter.url_origin or '--url'}: {letter.url}) is source {source.id} of "
                        f"{self.slug}, {_described(source)}; this letter ({_q(letter.title)}, sent "
                        f"{letter.sent_on}) {different}. It is not filed under {source.id}: give the letter's own "
                        f"address with --url, or correct {source.id} (peel edit-source {self.slug} {source.id})"
                    )
        for source in sources:
            same_title = plain(source.title) == plain(letter.title)
            if same_title and source.kind in PAGE_KINDS and source.sent_on == letter.sent_on:
                if source.url and letter.url and normal_url(source.url) != normal_url(letter.url):
                    self.unknown.append(
                        f"the letter's address: {source.id} records it at {source.url}; this copy gives "
                        f"{letter.url} ({letter.url_origin}): check which is the letter's own"
                    )
                return source
        return None

    def another_document(self, source: Source) -> str | None:
        """Why the source at the letter's address cannot be taken for this letter, or ``None``
        when it is: an address alone is not enough. Against it: a kind that is no letter or page,
        dates that cannot be the letter's. For it: the same title (reworded), a date of the
        letter's, or a source peel made from the bare address."""
        letter, against = self.letter, []
        if source.kind not in PAGE_KINDS:
            against.append(f"{source.id} is {_kind_words(source.kind)}, not a letter")
        agreed = made_from_url(source) or similarity(source.title, letter.title) >= SAME_TITLE
        for label, theirs, ours in (
            ("sent", source.sent_on, letter.sent_on),
            ("published", source.published_on, letter.published_on),
        ):
            if theirs is not None and ours is not None:
                if _overlaps(theirs, ours):
                    agreed = True
                else:
                    against.append(f"{source.id} was {label} {theirs}, the letter {ours}")
        published = source.published_on
        if published is not None and letter.published_on is None and published.surely_before(letter.sent_on):
            against.append(f"{source.id} was published {published}, before the letter was sent")
        if against:
            return "is another document: " + "; ".join(against)
        if not agreed:
            return (
                "may be another document: nothing but the address says they are one (the titles differ and "
                f"{source.id} gives no date of the letter's)"
            )
        return None

    def source(self) -> str:
        letter, sources = self.letter, list(self.force.sources) if self.force else []
        existing = self.existing_source(sources)
        meetings = [m for m in self.statements.meetings if m.held_on is not None]
        for meeting in self.statements.meetings:
            if meeting.held_on is None:
                self.unknown.append(
                    "the date of the Policing Performance Oversight Group meeting the letter records: "
                    f"{meeting.unclear} "
                    f"({_q(meeting.quote)}); add it with peel add-meeting when the date is known"
                )
        held = {s.held_on for s in sources if s.kind == "ppog-meeting" and s.held_on is not None}
        new_meetings = list(dict.fromkeys(m.held_on for m in meetings if m.held_on not in held))
        quotes_of = {m.held_on: m.quote for m in meetings}
        if existing is not None:
            source_id = existing.id
            if made_from_url(existing):
                self.complete_source(existing)
            for day in new_meetings:
                argv = ("peel", "add-meeting", self.slug, "--held", _iso(day), "--recorded-in", source_id)
                self.changes.append(Change(argv, (quotes_of[day],)))
            return source_id
        taken = {s.id for s in sources} | _all_ids(self.force)
        wanted = f"{SOURCE_ID[self.kind]}-{str(self.sent)[:7]}"
        source_id, n = wanted, 2
        while source_id in taken:
            source_id, n = f"{wanted}-{n}", n + 1
        argv = ["peel", "add-source", self.slug, "--id", source_id, "--kind", SOURCE_KIND[self.kind]]
        argv += ["--title", letter.title]
        if letter.url:
            argv += ["--url", letter.url]
        else:
            self.unknown.append("the letter's address: give it with peel ingest --url URL (a text file carries none)")
        argv += ["--sent", _iso(self.sent)]
        if letter.published_on is not None:
            argv += ["--published", _iso(letter.published_on)]
        for option, people in (("--from", letter.from_), ("--to", letter.to), ("--cc", letter.cc)):
            for person in people:
                argv += [option, person.option()]
        quotes = [letter.title, f"Sent on {letter.sent_text}"]
        if new_meetings:
            argv += ["--meeting", _iso(new_meetings[0])]
            quotes.append(quotes_of[new_meetings[0]])
        self.changes.append(Change(tuple(argv), tuple(quotes)))
        for day in new_meetings[1:]:
            argv2 = ("peel", "add-meeting", self.slug, "--held", _iso(day), "--recorded-in", source_id)
            self.changes.append(Change(argv2, (quotes_of[day],)))
        return source_id

    def complete_source(self, source: Source) -> None:
        """A source peel made from the letter's bare URL gets the letter's kind, title and dates."""
        letter = self.letter
        argv = ["peel", "edit-source", self.slug, source.id, "--kind", SOURCE_KIND[self.kind], "--title", letter.title]
        argv += ["--sent", _iso(self.sent)]
        if letter.published_on is not None:
            argv += ["--published", _iso(letter.published_on)]
        self.changes.append(Change(tuple(argv), (letter.title, f"Sent on {letter.sent_text}")))

    # -- recommendations ----------------------------------------------------------------------

    def recommendations(self) -> None:
        counts = [c for c in self.statements.counts if c.what == "recommendation"]
        dated = [c for c in counts if c.on is not None]
        count = dated[0] if len(dated) == 1 else None
        if len({c.on for c in dated}) > 1:
            self.unknown.append(
                "the letter gives several dates for closing recommendations: each closure is dated "
                "by the letter's sent date unless its own sentence dates it"
            )
        said: dict[str, list[tuple[Verdict, Recommendation]]] = {}  # what the letter says of each, in order
        for verdict in (v for v in self.statements.verdicts if v.what == "recommendation"):
            if verdict.subject is None:
                self.unknown.append(f"which recommendation {_q(verdict.quotes[-1])} is about: it has no heading")
                continue
            match = match_recommendation(verdict.subject, self.recs)
            if match.record is None:
                self.unknown.append(f"{match.why_not}; the letter {_says(verdict)}")
                continue
            said.setdefault(match.record.id, []).append((verdict, match.record))
        closed_here: list[Recommendation] = []
        for verdicts in said.values():
            rec = verdicts[0][1]
            verdict = self._one_verdict(rec.id, [v for v, _ in verdicts])
            if verdict is None:
                continue
            if not verdict.closed:
                if rec.closure is not None:
                    self.unknown.append(
                        f"{rec.id} is closed in the ledger ({rec.closure.closed_on}) but the letter says it stays "
                        f"open: {_q(verdict.quotes[-1])}"
                    )
                continue
            closed_here.append(rec)
            on, quotes = verdict.on, list(verdict.quotes)
            if on is None and count is not None:
                on, quotes = count.on, [count.quote, *quotes]
            if rec.closure is not None:
                if on is not None and rec.closure.closed_on != on:
                    self.unknown.append(
                        f"{rec.id} is closed in the ledger on {rec.closure.closed_on}; the letter dates it {on}"
                    )
                continue
            if on is None:
                on = self.sent
                self.unknown.append(
                    f"when {rec.id} was closed: the letter does not date it; its sent date ({self.sent}) is proposed"
                )
            self.closing_recs.add(rec.id)
            quotes = tuple(dict.fromkeys(quotes))
            argv = (
                "peel",
                "close-rec",
                self.slug,
                rec.id,
                "--on",
                _iso(on),
                "--evidence",
                SEP.join(quotes),
                "--source",
                self.source_id,
            )
            self.changes.append(Change(argv, quotes))
        for c in counts:
            if c.count is not None and c.count != len(closed_here):
                self.unknown.append(
                    f"the letter says {c.count} recommendation(s) were closed ({_q(c.quote)}) but names "
                    f"{len(closed_here)} under their headings: which ones, check by hand"
                )

    def _one_verdict(self, rec_id: str, verdicts: list[Verdict]) -> Verdict | None:
        """One verdict for a recommendation the letter speaks of more than once (a heading
        repeated): the first, when they agree; none, with the reason, when they do not."""
        if len({v.closed for v in verdicts}) > 1:
            said = " and ".join(_q(v.quotes[-1]) for v in verdicts)
            self.unknown.append(f"the letter both closes {rec_id} and says it stays open ({said}): check by hand")
            return None
        dated = list(dict.fromkeys(v.on for v in verdicts if v.on is not None))
        if len(dated) > 1:
            days = " and ".join(str(day) for day in dated)
            self.unknown.append(f"the letter dates the closure of {rec_id} both {days}: check by hand")
            return None
        return next((v for v in verdicts if v.on is not None), verdicts[0])

    # -- causes of concern --------------------------------------------------------------------

    def causes_closed(self) -> None:
        proposed: set[str] = set()
        for verdict in (v for v in self.statements.verdicts if v.what == "cause"):
            if verdict.all_remaining:
                open_causes = [c for c in self.causes if c.closure is None]
                for cause in open_causes:
                    self.close_cause(cause, verdict, proposed)
                continue
            if verdict.subject is None:
                closed = sum(1 for c in self.causes if c.closure is not None)
                if verdict.count is None or closed < verdict.count:
                    self.unknown.append(
                        f"which causes of concern the letter closes in {_q(verdict.quotes[-1])}: it does not name them"
                    )
                continue
            subjects = [verdict.subject]
            match = match_cause(verdict.subject, self.causes)
            if match.record is None and (verdict.count or 1) > 1:
                subjects = [s for s in re.split(r",\s*(?:and\s+)?|\s+and\s+", verdict.subject) if s.strip()]
            for subject in subjects:
                match = match if len(subjects) == 1 else match_cause(subject, self.causes)
                if match.record is None:
                    self.unknown.append(f"{match.why_not}; the letter {_says(verdict)}")
                    continue
                cause = match.record
                if verdict.closed:
                    self.close_cause(cause, verdict, proposed)
                elif cause.closure is not None:
                    self.unknown.append(
                        f"{cause.id} is closed in the ledger ({cause.closure.closed_on}) but the letter says it stays "
                        f"open: {_q(verdict.quotes[-1])}"
                    )

    def close_cause(self, cause: CauseOfConcern, verdict: Verdict, proposed: set[str]) -> None:
        if cause.id in proposed:
            return
        proposed.add(cause.id)
        if cause.closure is not None:
            if verdict.on is not None and not _overlaps(cause.closure.closed_on, verdict.on):
                self.unknown.append(
                    f"{cause.id} is closed in the ledger on {cause.closure.closed_on}; the letter dates it {verdict.on}"
                )
            return
        still_open = [r.id for r in cause.recommendations if r.closure is None and r.id not in self.closing_recs]
        if still_open:
            self.unknown.append(
                f"the letter closes {cause.id} ({_q(verdict.quotes[-1])}) but its recommendations "
                f"{', '.join(still_open)} are open in the ledger and the letter does not close them: close them "
                "with peel close-rec, or record the cause's closure with peel close-concern --reason"
            )
            return
        on = verdict.on
        if on is None:
            on = self.sent
            self.unknown.append(
                f"when {cause.id} was closed: the letter does not date it; its sent date ({self.sent}) is proposed"
            )
        argv = (
            "peel",
            "close-concern",
            self.slug,
            cause.id,
            "--on",
            _iso(on),
            "--evidence",
            SEP.join(verdict.quotes),
            "--source",
            self.source_id,
        )
        self.changes.append(Change(argv, verdict.quotes))

    def listed(self) -> None:
        """Causes and recommendations the letter lists that the ledger does not hold. Adding one
        is proposed only when it matches nothing on record; one that may be a recorded one is
        named, and nothing is proposed for it."""
        for item in self.statements.listed:
            if item.what == "cause":
                match = match_cause(item.text, self.causes)
                if match.new:
                    self.unknown.append(
                        f"the letter states a cause of concern that is not in the ledger: {_q(item.text)}; "
                        "add it with peel add-concern (its id, title and the date it was raised are not guessed)"
                        + (
                            ", before the move: peel move checks a move into Engage against the open causes"
                            if self.kind == "move-into-engage"
                            else ""
                        )
                    )
                elif match.record is None:
                    self.unknown.append(f"{match.why_not}: check by hand which it is")
            else:
                match = match_recommendation(item.text, self.recs)
                if match.new:
                    self.unknown.append(
                        f"the letter states a recommendation that is not in the ledger: {_q(item.text)}; "
                        "add it with peel add-rec to its cause (its id is not guessed)"
                    )
                elif match.record is None:
                    self.unknown.append(f"{match.why_not}: check by hand which it is")

    # -- the phase decision -------------------------------------------------------------------

    def decision(self) -> None:
        decision = self.statements.decision
        if decision is None:
            if self.kind in ("move-into-engage", "return-to-scan"):
                self.unknown.append("the phase decision: the letter's title announces one but no sentence states it")
            return
        changes = list(self.force.phase_changes) if self.force else []
        current = changes[-1] if changes else None
        on = decision.decided_on or self.sent
        if current is not None and current.phase == decision.phase:
            dates = {current.decided_on, current.published_on, *(d.date for d in current.other_reported_dates)}
            if on in dates or self.sent in dates or decision.published_on in dates:
                return
            self.unknown.append(
                f"the ledger already has the {self.word} in {decision.phase} since {current.decided_on}; the letter "
                f"({_q(decision.quotes[0])}) is not recorded as a move: check by hand"
            )
            return
        if current is None and decision.phase == "scan":
            self.unknown.append(f"the letter returns the {self.word} to Scan but the ledger has no move into Engage")
            return
        argv = ["peel", "move", self.slug, decision.phase, "--on", _iso(on)]
        if decision.published_on is not None:
            argv += ["--published", _iso(decision.published_on)]
        if decision.decider:
            argv += ["--decided-by", decision.decider]
        if decision.decider_unclear:
            self.unknown.append(decision.decider_unclear)
        argv += ["--source", self.source_id]
        if decision.reasons:
            argv += ["--reason", " ".join(decision.reasons)]
        if decision.decided_on is None:
            effect = " \u201cwith immediate effect\u201d" if decision.immediate else ""
            what = (
                f"returns the {self.word} to Scan" if decision.phase == "scan" else f"moves the {self.word} into Engage"
            )
            argv += [
                "--notes",
                f"The letter of {self.sent.human()} {what}{effect}; it does not date the decision itself, so the "
                "letter's date is recorded.",
            ]
            self.unknown.append(
                f"the date of the decision itself: the letter does not give it; its sent date ({self.sent}) is proposed"
            )
        quotes = tuple(decision.quotes) + tuple(decision.reasons)
        self.changes.append(Change(tuple(argv), quotes))

    def past_moves(self) -> None:
        changes = list(self.force.phase_changes) if self.force else []
        for move in self.statements.past_moves:
            if move.on is None:
                continue
            recorded = False
            for change in changes:
                if change.phase != move.phase:
                    continue
                dates = [change.decided_on, change.published_on, *(d.date for d in change.other_reported_dates)]
                if any(d is not None and _near(d, move.on) for d in dates):
                    recorded = True
            if not recorded:
                self.unknown.append(
                    f"the letter says the {self.word} moved into Engage ({_q(move.quote)}) but the ledger has no such "
                    "move near that date: check the record and add it with peel move"
                )


PAGE_KINDS = frozenset({"revisit-letter", "phase-decision-letter", "return-letter", "web-page"})
"""Kinds of source a letter's page may be recorded as."""
SAME_TITLE = 0.8
"""Similarity of two titles (reworded) from which they are taken to be one document's."""


def _kind_words(kind: str) -> str:
    words = kind.replace("-", " ")
    return ("an " if words[0] in "aeiou" else "a ") + words


def _described(source: Source) -> str:
    dates = [f"{label} {day}" for label, day in (("sent", source.sent_on), ("published", source.published_on)) if day]
    return f"{_kind_words(source.kind)} ({_q(source.title)}{', ' + ', '.join(dates) if dates else ''})"


def _says(verdict: Verdict) -> str:
    return "closes it" if verdict.closed else "says it stays open"


def _near(a: PartialDate, b: PartialDate) -> bool:
    return (a.earliest - b.latest).days <= MOVE_SLACK_DAYS and (b.earliest - a.latest).days <= MOVE_SLACK_DAYS


def _overlaps(a: PartialDate, b: PartialDate) -> bool:
    return a.earliest <= b.latest and b.earliest <= a.latest


def _all_ids(force: ForceFile | None) -> set[str]:
    if force is None:
        return set()
    ids = {s.id for s in force.sources} | {i.id for i in force.inspections}
    ids |= {a.id for a in force.areas_for_improvement}
    for cause in force.causes_of_concern:
        ids.add(cause.id)
        ids |= {r.id for r in cause.recommendations}
    return ids


# -- output ---------------------------------------------------------------------------------------


def _people(people: tuple[Person, ...]) -> list[dict]:
    return [p.as_json() for p in people]


def proposal_json(proposal: Proposal) -> dict:
    """The issue's JSON shape."""
    letter = proposal.letter
    return {
        "letter": {
            "title": letter.title,
            "sent_on": str(letter.sent_on),
            "from": _people(letter.from_),
            "to": _people(letter.to),
            "cc": _people(letter.cc),
            "kind": proposal.kind,
        },
        "force": proposal.force,
        "changes": [{"command": list(c.argv), "evidence": c.evidence} for c in proposal.changes],
        "unknown": list(proposal.unknown),
    }


def proposal_text(proposal: Proposal) -> str:
    """The proposed changes as the commands that would record them, each after its evidence."""
    letter = proposal.letter
    out = [f"# {letter.title} ({proposal.kind}, sent {letter.sent_on}) -> {proposal.force}"]
    if not proposal.changes:
        out.append("# nothing to record: the ledger already holds everything this letter states")
    for change in proposal.changes:
        out.append("")
        for quote in change.quotes:
            out.append(f"# {_q(quote)}")
        out.append(shlex.join(change.argv))
    if proposal.unknown:
        out.append("")
        out.append("# unknown (not guessed):")
        out += [f"#  - {item}" for item in proposal.unknown]
    return "\n".join(out) + "\n"
