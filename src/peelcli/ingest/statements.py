"""What a letter states, found sentence by sentence in its body, each with the words that say it.

The phrasings are HMICFRS's own, from the letters quoted in the public record:

- a phase decision: "His Majesty’s Chief Inspector of Constabulary and Fire & Rescue Services,
  Andy Cooke, has decided to return West Midlands Police to our default phase of monitoring",
  "I have decided to return Wiltshire Police to our default level of monitoring, known as
  ‘scan’", "HM Chief Inspector (HMCI) Andy Cooke has decided to place Lincolnshire Police into
  our enhanced monitoring process, Engage", "The force has returned to Scan, our default phase
  of monitoring, with immediate effect", with its reasons ("This decision is supported by ...")
  and, for a move into Engage, when it is published ("We also intend to publish our decision
  ... at 10am on Friday 6 December 2024");
- a move in the past: "On 24 November 2023, we moved West Midlands Police to the Engage phase";
- a meeting held: "Thank you for the thorough presentation and discussion at the Policing
  Performance Oversight Group (PPOG) on Tuesday 24 September" ("last week": a meeting with no
  date); an invitation to a future meeting is not a meeting held;
- recommendations closed or left open, under the recommendation's heading ("We will close this
  recommendation.", "This recommendation will remain open"), with the letter's dated count
  ("On 17 September 2024, we closed three of these five recommendations.");
- causes of concern closed or left open: under the cause's heading ("We have closed this cause
  of concern."), by topic ("I will be closing the force’s cause of concern regarding responding
  to the public", "In December 2023, we closed the cause of concern regarding the management of
  sexual offenders"), all at once ("we have been able to close the force’s remaining causes of
  concern"), or by number only ("We closed these three causes of concern");
- the causes and recommendations a letter lists ("we identified the following four causes of
  concern:", "Within six months, West Midlands Police should:") and the full text of causes it
  issues (an annex: a heading, the cause's text, then its recommendations).

Nothing here looks at the ledger: :mod:`peelcli.ingest.proposal` does the matching.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..dates import PartialDate
from .letter import DATE_TEXT, Letter, Paragraph, date_in_sentence, month_in

_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "both": 2,
}


@dataclass(frozen=True)
class Decision:
    """The phase decision the letter announces."""

    phase: str
    quotes: tuple[str, ...]
    decider: str | None = None
    decider_unclear: str | None = None
    decided_on: PartialDate | None = None
    published_on: PartialDate | None = None
    immediate: bool = False
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class PastMove:
    phase: str
    on: PartialDate | None
    quote: str


@dataclass(frozen=True)
class Meeting:
    held_on: PartialDate | None
    quote: str
    unclear: str | None = None


@dataclass(frozen=True)
class Verdict:
    """A recommendation or cause of concern the letter closes, or says stays open.

    ``subject`` identifies it (a heading, a topic, a listed text); ``None`` when the letter does
    not say which: then ``count`` says how many, or ``all_remaining`` that every open one is."""

    what: str  # "recommendation" | "cause"
    closed: bool
    quotes: tuple[str, ...]
    subject: str | None = None
    on: PartialDate | None = None
    count: int | None = None
    all_remaining: bool = False


@dataclass(frozen=True)
class ClosedCount:
    """ "On 17 September 2024, we closed three of these five recommendations." """

    what: str
    count: int | None
    on: PartialDate | None
    quote: str


@dataclass(frozen=True)
class Listed:
    """A cause or recommendation text the letter lists or states in full."""

    what: str  # "recommendation" | "cause"
    text: str
    quote: str
    heading: str | None = None
    deadline: str | None = None
    cause: str | None = None  # for a recommendation: the text or heading of its cause


@dataclass(frozen=True)
class Statements:
    decision: Decision | None = None
    past_moves: tuple[PastMove, ...] = ()
    meetings: tuple[Meeting, ...] = ()
    verdicts: tuple[Verdict, ...] = ()
    counts: tuple[ClosedCount, ...] = ()
    listed: tuple[Listed, ...] = ()
    accelerated: bool = False
    unclear: tuple[str, ...] = field(default_factory=tuple)


# -- sentences ----------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[A-Z0-9‘“\"(])")


def sentences(text: str) -> list[str]:
    """The sentences of a paragraph, as written."""
    return [s for s in (part.strip() for part in _SENTENCE_END.split(text)) if s]


def plain(text: str) -> str:
    """For matching only: straight quotes, one space, lower case."""
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.split()).lower()


def is_heading(paragraph: Paragraph) -> bool:
    text = paragraph.text
    return (
        not paragraph.bullet
        and len(paragraph.lines) == 1
        and 0 < len(text) <= 300
        and not text.rstrip().endswith((".", ":", ";", "!", "?", ","))
        and not text[0].islower()
    )


_GENERIC_HEADING = re.compile(
    r"^(?:background|conclusions?|summary|introduction|next steps|annex\b.*|appendix\b.*|our findings|findings|"
    r"progress against .*|recommendations?|causes? of concern|areas? for improvement|letter information|"
    r"what we found|revisit findings|our revisit|the revisit|scan|engage|monitoring)$",
    re.IGNORECASE,
)
_REC_HEADING = re.compile(r"^(?:the force|[A-Z][\w&’' -]{2,60}?) (?:should|must)\b", re.IGNORECASE)


# -- phrase patterns ----------------------------------------------------------------------------

_DATE_RE = re.compile(DATE_TEXT, re.IGNORECASE)
_DECIDED = re.compile(r"\b(?:has|have)\s+(?:now\s+|today\s+)?decided\s+to\s+", re.IGNORECASE)
_TO_SCAN = re.compile(
    r"^(?:return|remove)\b.*\b(?:default (?:phase|level) of monitoring|routine monitoring|scan\b|"
    r"from (?:our )?(?:enhanced (?:level of )?monitoring|engage))",
    re.IGNORECASE,
)
_TO_ENGAGE = re.compile(r"^(?:place|move|escalate|put)\b.*\b(?:into|to|under)\b.*\b(?:enhanced|engage)", re.IGNORECASE)
_RETURNED = re.compile(r"\b(?:has|is) (?:now )?(?:returned|been returned|moved back) to (?:scan|our default)", re.I)
_MOVED_IN_TODAY = re.compile(r"\bhas today (?:been )?moved\b.*\b(?:into|to)\b.*\b(?:enhanced|engage)", re.I)
_IMMEDIATE = re.compile(r"\bwith immediate effect\b", re.IGNORECASE)
_REASON = re.compile(r"^this decision (?:is|was) (?:further |also )?(?:supported|based|informed)\b", re.I)
_PUBLISH = re.compile(r"\bpublish (?:our|the|this) decision\b", re.IGNORECASE)
_PAST_MOVE = re.compile(
    r"\b(?:we (?:moved|placed|escalated)|(?:was|were|has been) moved|we decided to (?:place|move))\b"
    r"(?P<what>.*?)\b(?:into|to)\b(?:[^.]*?)\b(?P<phase>engage|enhanced)\b",
    re.IGNORECASE,
)
_DATE_LEAD = re.compile(r"^(?:on|in|since)\s+(?P<when>[^,]+),", re.IGNORECASE)
_SERVICES = r"Fire (?:&|and) Rescue Services"
_ROLE = re.compile(
    r"(?:(?:His|Her) Majesty[’']s|HM) Chief Inspector(?: \(HMCI\))?"
    rf"(?: of (?:Constabulary(?: and (?:of )?{_SERVICES})?|{_SERVICES}))?(?: \(HMCI\))?"
    rf"(?: of Constabulary and (?:of )?{_SERVICES})?|\bHMCI\b",
)
_NAME = re.compile(
    r"(?:(?:Sir|Dame|Mr|Mrs|Ms|Dr)\.? )?[A-Z][a-z’'-]+(?: [A-Z]\.?)?(?: [A-Z][a-z’'-]+)+(?: (?:[A-Z]{2,5}))*"
)
_PPOG = re.compile(r"\b(?:Policing Performance Oversight Group|PPOG)\b")
_FUTURE = re.compile(
    r"\b(?:will be held|will meet|will take place|invite you|next meeting|due to meet|is scheduled|"
    r"are scheduled|will attend|will present)\b",
    re.IGNORECASE,
)
_RELATIVE = re.compile(
    r"\b(?:last week|earlier this week|this week|yesterday|recently|last month|earlier this month|today)\b",
    re.IGNORECASE,
)
_NEGATION = re.compile(r"\b(?:before|until|not|cannot|can't|unable|yet to|once|when|if)\b", re.IGNORECASE)

_THIS = r"this\s+(?P<what>recommendation|cause of concern|area of concern|accelerated cause of concern)"
_CLOSE_THIS = re.compile(
    r"\b(?:we|i)(?:\s+(?:will|shall|have|can|am|are|have now|have therefore|will therefore|have decided to|"
    r"am pleased to|are pleased to|have been able to|am able to|are able to|am now able to|are now able to))?"
    r"(?:\s+(?:now|therefore|also|be|able\s+to))*\s+(?:close|closed|closing|discharge|discharged|discharging)\s+"
    + _THIS,
    re.IGNORECASE,
)
_THIS_CLOSED = re.compile(
    _THIS + r"\s+(?:is|has been|was|is now|has now been|will be|can now be|can be)\s+"
    r"(?:now\s+)?(?:closed|discharged)\b",
    re.IGNORECASE,
)
_THIS_OPEN = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        _THIS
        + r"\s+(?:will\s+|shall\s+|is\s+to\s+)?(?:remain|remains|stay|stays|is still|will stay|must remain)\s+open\b",
        r"\bbefore (?:we|i) (?:can|could|will) close " + _THIS,
        r"\b(?:we|i) (?:will|shall|can|have) not (?:yet )?(?:close|closed) " + _THIS,
    )
)
_CLOSE_TOPIC = re.compile(
    r"\b(?:close|closed|closing|discharge|discharged|discharging)\s+"
    r"(?:the\s+force[’']s\s+|the\s+|our\s+|its\s+|their\s+)?(?:accelerated\s+)?"
    r"(?P<kind>cause|causes|area|areas)\s+of\s+concern\s+"
    r"(?:regarding|relating to|related to|about|on|in respect of|concerning|for|in relation to|around)\s+"
    r"(?P<topic>[^.;:]+)",
    re.IGNORECASE,
)
_CLOSE_COUNT = re.compile(
    r"\b(?:close|closed|closing|discharged?)\s+(?:these|those|the|all|all of the|all of these|both)?\s*"
    r"(?P<n>one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|both|\d{1,2})?\s*"
    r"(?:of\s+(?:these|the|our|its)\s+)?(?:remaining\s+)?(?:accelerated\s+)?causes\s+of\s+concern\b",
    re.IGNORECASE,
)
_CLOSE_REMAINING = re.compile(
    r"\b(?:close|closed|closing|discharged?)\s+(?:all\s+(?:of\s+)?)?(?:the\s+force[’']s\s+|the\s+|its\s+|all\s+)?"
    r"(?:remaining|outstanding|other)\s+(?:accelerated\s+)?causes?\s+of\s+concern\b(?!\s+(?:regarding|relating|on\b))",
    re.IGNORECASE,
)
_CLOSE_LIST = re.compile(
    r"\b(?:close|closed|closing|discharged?)\s+(?:the|all|all of the)?\s*causes\s+of\s+concern\b.*:$", re.I
)
_COUNT_RECS = re.compile(
    r"\b(?:we|i)\s+(?:have\s+)?closed\s+(?P<n>all(?:\s+of)?|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"eleven|twelve|both|\d{1,2})(?:\s+of)?\s+(?:these|the|its|our|their)?\s*"
    r"(?:(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2})\s+)?recommendations?\b",
    re.IGNORECASE,
)
_ACCELERATED = re.compile(r"\baccelerated\b", re.IGNORECASE)
_CAUSE_TEXT = re.compile(
    r"^(?:the force|[A-Z][\w&’' -]{2,60}? (?:Police|Constabulary|Service))\s+"
    r"(?:needs to|doesn[’']t|does not|is not|isn[’']t|is failing|has failed|must|hasn[’']t|has not|fails)\b",
    re.IGNORECASE,
)
_DEADLINE = re.compile(
    r"^(?P<deadline>(?:within|by|the force should immediately)\b[^,:]*)(?:,|:|\s+(?=the force|[A-Z]))", re.I
)


# -- finding ------------------------------------------------------------------------------------


def find_statements(letter: Letter) -> Statements:
    """Every statement the letter's body makes that the ledger can record."""
    found = _Finder(letter)
    found.run()
    return found.result()


class _Finder:
    def __init__(self, letter: Letter):
        self.letter = letter
        self.decision_quotes: list[str] = []
        self.decision: dict = {}
        self.reasons: list[str] = []
        self.past_moves: list[PastMove] = []
        self.meetings: list[Meeting] = []
        self.verdicts: list[Verdict] = []
        self.counts: list[ClosedCount] = []
        self.listed: list[Listed] = []
        self.unclear: list[str] = []
        self.accelerated = False

    def result(self) -> Statements:
        decision = None
        if self.decision:
            decision = Decision(
                quotes=tuple(dict.fromkeys(self.decision_quotes)), reasons=tuple(self.reasons), **self.decision
            )
        return Statements(
            decision=decision,
            past_moves=tuple(self.past_moves),
            meetings=tuple(self.meetings),
            verdicts=tuple(self.verdicts),
            counts=tuple(self.counts),
            listed=tuple(self.listed),
            accelerated=self.accelerated,
            unclear=tuple(dict.fromkeys(self.unclear)),
        )

    def run(self) -> None:
        body = self.letter.body
        heading: str | None = None  # the heading of the section being read
        cause_heading: str | None = None  # the last heading that names a cause
        list_intro: str | None = None  # the paragraph that introduced the bullets being read
        deadline: str | None = None
        cause_text: str | None = None  # a cause's full text stated under its heading
        for index, paragraph in enumerate(body):
            text = paragraph.text
            if paragraph.bullet:
                if list_intro is not None:
                    self.listed_item(text, list_intro, heading, cause_heading, cause_text, deadline)
                continue
            list_intro = None
            if is_heading(paragraph) and index + 1 < len(body):
                if text == self.letter.title:
                    continue
                heading = text
                if not _GENERIC_HEADING.match(plain(text)) and not _REC_HEADING.match(text):
                    cause_heading, cause_text, deadline = text, None, None
                continue
            parts = sentences(text)
            for sentence in parts:
                self.sentence(sentence, heading, cause_heading, body, index)
            if text.rstrip().endswith(":"):
                list_intro = text
                match = _DEADLINE.match(parts[-1] if parts else text)
                if match and re.search(r"\bshould\b", text, re.IGNORECASE):
                    deadline = match["deadline"].strip()
            elif _CAUSE_TEXT.match(text) and cause_heading is not None and cause_text is None:
                cause_text = text
                self.listed.append(Listed("cause", text, text, heading=cause_heading))

    # -- one list item ------------------------------------------------------------------------

    def listed_item(self, text, intro, heading, cause_heading, cause_text, deadline) -> None:
        lowered = plain(intro)
        if re.search(r"\bcauses? of concern\b", lowered) and not re.search(r"\brecommendation", lowered):
            if _CLOSE_LIST.search(intro) and not _NEGATION.search(intro.split("close")[0]):
                self.verdicts.append(Verdict("cause", True, (intro, text), subject=text, on=self._lead_date(intro)))
            else:
                self.listed.append(Listed("cause", text, text))
        elif re.search(r"\b(?:should|must|recommendations?|recommended)\b", lowered):
            cause = cause_text or cause_heading
            self.listed.append(Listed("recommendation", text, text, heading=heading, deadline=deadline, cause=cause))

    # -- one sentence -------------------------------------------------------------------------

    def sentence(self, sentence: str, heading, cause_heading, body, index) -> None:
        if _ACCELERATED.search(sentence) and re.search(r"\bcauses? of concern\b", sentence, re.I):
            self.accelerated = True
        self.phase(sentence)
        self.meeting(sentence)
        self.rec_or_cause(sentence, heading, cause_heading)

    def phase(self, sentence: str) -> None:
        decided = _DECIDED.search(sentence)
        if decided:
            rest = sentence[decided.end() :]
            phase = "scan" if _TO_SCAN.match(rest) else "engage" if _TO_ENGAGE.match(rest) else None
            if phase is not None and not self.decision:
                subject = sentence[: decided.start()]
                decider, unclear = self.decider(subject)
                on = self._lead_date(sentence)
                self.decision = {"phase": phase, "decider": decider, "decider_unclear": unclear, "decided_on": on}
                self.decision_quotes.append(sentence)
                return
        if _MOVED_IN_TODAY.search(sentence) and not self.decision:
            self.decision = {"phase": "engage", "decided_on": self.letter.sent_on, "decider_unclear": None}
            self.decision_quotes.append(sentence)
            return
        if _RETURNED.search(sentence) and not _PAST_LEAD.match(sentence):
            if not self.decision:
                self.decision = {"phase": "scan", "decider_unclear": "the letter does not say who decided"}
            if self.decision.get("phase") == "scan":
                self.decision_quotes.append(sentence)
                if _IMMEDIATE.search(sentence):
                    self.decision["immediate"] = True
            return
        if _REASON.match(sentence):
            self.reasons.append(sentence)
            return
        if _PUBLISH.search(sentence):
            match = _DATE_RE.search(sentence)
            if match:
                on, why = date_in_sentence(match, self.letter.sent_on)
                if on is not None:
                    self.decision.setdefault("published_on", on)
                    self.decision_quotes.append(sentence)
                else:
                    self.unclear.append(f"when the decision is published: {why} (\u201c{sentence}\u201d)")
            return
        past = _PAST_MOVE.search(sentence)
        if past and not _FUTURE.search(sentence):
            self.past_moves.append(
                PastMove("engage", self._lead_date(sentence) or _date_after(sentence, past), sentence)
            )

    def decider(self, subject: str) -> tuple[str | None, str | None]:
        """Who decided, in the letter's words: "Andy Cooke, His Majesty’s Chief Inspector ..."."""
        subject = subject.strip().rstrip(",")
        # drop a leading clause: "I am pleased to let you know that ...", "after careful consideration, ..."
        for lead in (r"^.*\bthat\s+", r"^.*\bconsideration,\s*", r"^.*\bweek,\s*"):
            trimmed = re.sub(lead, "", subject)
            if trimmed != subject and trimmed:
                subject = trimmed
        if re.fullmatch(r"(?:I|I have|I)", subject.strip()):
            writer = self.letter.from_[0] if self.letter.from_ else None
            if writer is None:
                return None, "who decided: the letter says “I” and names no writer"
            return (f"{writer.name}, {writer.role}" if writer.role else writer.name), None
        if re.fullmatch(r"(?:we|We)", subject.strip()):
            return None, "who decided: the letter says “we”"
        role = _ROLE.search(subject)
        if role:
            after = subject[role.end() :].strip(" ,")
            before = subject[: role.start()].strip(" ,")
            name = after if _NAME.fullmatch(after or "") else before if _NAME.fullmatch(before or "") else None
            if name:
                return f"{name}, {role.group()}", None
            return role.group(), f"who decided: the letter names the role ({role.group()}) but no name"
        if _NAME.fullmatch(subject):
            return subject, None
        return None, f"who decided: \u201c{subject}\u201d is not a name peel can read"

    def meeting(self, sentence: str) -> None:
        if not _PPOG.search(sentence) or _FUTURE.search(sentence):
            return
        match = _DATE_RE.search(sentence)
        if match:
            on, why = date_in_sentence(match, self.letter.sent_on)
            if on is not None and on.latest > self.letter.sent_on.latest:
                on, why = None, f"{match.group()!r} is after the letter was sent"
            self.meetings.append(Meeting(on, sentence, None if on else why))
            return
        relative = _RELATIVE.search(sentence)
        why = f"it says only \u201c{relative.group()}\u201d" if relative else "it gives no date"
        self.meetings.append(Meeting(None, sentence, why))

    def rec_or_cause(self, sentence: str, heading, cause_heading) -> None:
        for pattern, closed in (*((p, False) for p in _THIS_OPEN), (_CLOSE_THIS, True), (_THIS_CLOSED, True)):
            match = pattern.search(sentence)
            if match is None:
                continue
            if closed and _NEGATION.search(sentence[: match.start()]):
                continue
            what = "recommendation" if (match["what"] or "").lower() == "recommendation" else "cause"
            subject = heading if what == "recommendation" else cause_heading
            quotes = (subject, sentence) if subject else (sentence,)
            self.verdicts.append(
                Verdict(what, closed, quotes, subject=subject, on=self._lead_date(sentence) if closed else None)
            )
            return
        for match in _CLOSE_TOPIC.finditer(sentence):
            if _NEGATION.search(sentence[: match.start()]):
                continue
            topic = re.sub(r"\s+(?:as|because|after|following|since|which|and we|but)\b.*$", "", match["topic"]).strip()
            plural = match["kind"].lower().endswith("s")
            self.verdicts.append(
                Verdict(
                    "cause", True, (sentence,), subject=topic, on=self._lead_date(sentence), count=2 if plural else 1
                )
            )
            return
        if _CLOSE_LIST.search(sentence):
            return  # the list items that follow are the causes closed
        remaining = _CLOSE_REMAINING.search(sentence)
        if remaining and not _NEGATION.search(sentence[: remaining.start()]):
            self.verdicts.append(Verdict("cause", True, (sentence,), on=self._lead_date(sentence), all_remaining=True))
            return
        count = _CLOSE_COUNT.search(sentence)
        if count and not _NEGATION.search(sentence[: count.start()]):
            number = _number(count["n"])
            self.verdicts.append(Verdict("cause", True, (sentence,), on=self._lead_date(sentence), count=number))
            return
        recs = _COUNT_RECS.search(sentence)
        if recs and not _NEGATION.search(sentence[: recs.start()]):
            self.counts.append(ClosedCount("recommendation", _number(recs["n"]), self._lead_date(sentence), sentence))

    def _lead_date(self, sentence: str) -> PartialDate | None:
        """The date a sentence opens with: "On 17 September 2024, ...", "In December 2023, ..."."""
        lead = _DATE_LEAD.match(sentence)
        if lead is None:
            return None
        when = lead["when"]
        match = _DATE_RE.search(when)
        if match:
            on, why = date_in_sentence(match, self.letter.sent_on)
            if on is None:
                self.unclear.append(f"a date: {why} (\u201c{sentence}\u201d)")
            return on
        return month_in(when)


_PAST_LEAD = re.compile(r"^(?:on|in)\s+[^,]+,\s+", re.IGNORECASE)


def _date_after(sentence: str, match: re.Match) -> PartialDate | None:
    """ "was moved into Engage on 14 October 2022": a full date after the phrase."""
    tail = sentence[match.end() :]
    found = re.match(r"\s*(?:phase\s+)?(?:on|in)\s+(?P<when>.+)", tail)
    if not found:
        return None
    date = _DATE_RE.match(found["when"])
    if date and date["year"]:
        from .letter import parse_full_date

        return parse_full_date(date.group())
    return month_in(found["when"][:20])


def _number(word: str | None) -> int | None:
    if not word:
        return None
    word = word.lower()
    if word.isdigit():
        return int(word)
    return _NUMBERS.get(word)
