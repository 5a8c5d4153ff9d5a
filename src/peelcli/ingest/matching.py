"""Which record of the ledger a letter's words name: a recommendation by its text, a cause of
concern by its id, title or text.

A letter names a cause in many ways: its full text ("The force doesn’t manage the risk posed to
the public by registered sex offenders effectively."), a heading, or a topic ("the cause of
concern regarding responding to the public"); the ledger may hold the cause with a short title
and no text ("Sex offenders"). Both sides are compared as their words, after what only rewords a
cause (case, punctuation, articles, "The force needs to" / "doesn’t", "make sure that") is set
aside. A match is *sure* (one record, and nothing else comes close), *maybe* (the records it may
be: peel proposes nothing for it and says which), or *none*: only then is the text new to the
ledger.

Everything here is pure.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..schema.records import CauseOfConcern, Recommendation
from .statements import plain

MATCH = 0.85
"""Similarity (0 to 1) of the reworded texts from which a letter's text is taken to be a record's."""
MARGIN = 0.05
"""A second candidate this close to the best makes the match ambiguous: reported, not chosen."""
TOPIC = 0.75
"""Share of a topic's words ("responding to the public") a cause's title and text must hold."""
LIKE = 0.6
"""Similarity from which a text may be a record's: reported as such, never proposed as new."""
SHARE = 0.5
"""Share of a title's (or topic's) words the other side holds from which it may be that record."""
SHORT_TOPIC = 8
"""A topic has at most this many words; a longer text must match as a whole."""

_ARTICLES = frozenset({"a", "an", "the"})
_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "to",
        "and",
        "or",
        "in",
        "on",
        "for",
        "with",
        "by",
        "its",
        "it",
        "that",
        "this",
        "these",
        "our",
        "their",
        "from",
        "at",
        "as",
        "is",
        "are",
        "be",
        "was",
        "were",
        "which",
        "who",
        "has",
        "have",
        "been",
        "any",
        "all",
    ]
)
_GENERIC = frozenset(
    [
        "force",
        "police",
        "constabulary",
        "service",
        "brigade",
        "cause",
        "concern",
        "need",
        "make",
        "sure",
        "effective",
        "effectively",
        "ensure",
        "improve",
        "improvement",
        "should",
        "must",
        "doe",
        "doesn't",
        "don't",
        "isn't",
        "aren't",
        "hasn't",
        "not",
    ]
)
"""Words every cause of a force may hold: they never tell one cause from another."""
_SUBJECT = (
    r"(?:the force|it|they|[a-z&' -]{2,60}? (?:police|constabulary|police service|fire and rescue service|"
    r"fire (?:&|and) rescue service|service|brigade|authority))"
)
_LEAD = re.compile(
    r"^(?:(?:within [a-z ]+|by \d{1,2} [a-z]+ \d{4}|immediately)[, ]+)?"
    + _SUBJECT
    + r"\s+(?:should|must|needs? to|has to|does ?n[o']t|do ?n[o']t|is not|isn't|was not|wasn't|has not|hasn't|"
    r"is failing to|was failing to|fails to|failed to|has failed to|did not|didn't)\s+"
    r"(?:immediately[, ]+)?"
)
_MAKE_SURE = re.compile(r"^(?:make sure|ensure)(?: that)?\s+")
_ID_WORDS = frozenset({"coc", "aoc", "afi", "rec", "cause", "concern"})


def reworded(text: str) -> str:
    """A cause's or recommendation's words as compared: plain quotes, one case, no punctuation,
    no articles, and without the lead that only rewords it ("The force needs to", "doesn’t",
    "West Midlands Police should", "make sure that")."""
    text = plain(text).replace("'s ", " ")
    text = re.sub(r"[^\w&' -]+", " ", text)
    text = " ".join(text.split())
    text = _LEAD.sub("", text)
    text = _MAKE_SURE.sub("", text)
    return " ".join(w for w in re.findall(r"[\w&]+(?:'[a-z]+)?", text) if w not in _ARTICLES)


def similarity(a: str, b: str) -> float:
    """How alike two texts are once reworded (1.0: the same words in the same order)."""
    left, right = reworded(a), reworded(b)
    if not left or not right:
        return 0.0
    return difflib.SequenceMatcher(None, left, right, autojunk=False).ratio()


def _stem(word: str) -> str:
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words(text: str) -> list[str]:
    """The words that tell one cause from another: stemmed, without stop words and the words
    every cause may hold ("force", "make sure", "effectively")."""
    found = re.findall(r"[a-z0-9]+(?:'[a-z]+)?", plain(text))
    return [s for s in (_stem(w) for w in found) if s not in _STOP and s not in _GENERIC and len(s) > 1]


def _same_word(a: str, b: str) -> bool:
    """Two stemmed words are one when equal, or when they share their first six letters
    (manage / management, record / recording)."""
    return a == b or (len(a) >= 6 and len(b) >= 6 and a[:6] == b[:6])


def share(wanted: Sequence[str], have: Sequence[str]) -> float:
    """Share of ``wanted``'s words found among ``have``'s."""
    if not wanted:
        return 0.0
    return sum(1 for w in wanted if any(_same_word(w, h) for h in have)) / len(wanted)


def containment(topic: str, text: str) -> float:
    """Share of a topic's words found in a text."""
    return share(words(topic), words(text))


@dataclass(frozen=True)
class Match:
    """What a letter's text names in the ledger: ``record`` when sure; else ``maybe``, the
    records it may be (best first), with ``why_not`` saying so; else neither (new to the ledger)."""

    record: object | None = None
    maybe: tuple = ()
    why_not: str | None = None

    @property
    def new(self) -> bool:
        """The text matches nothing on record: the one case in which adding it may be proposed."""
        return self.record is None and not self.maybe


def _named(what: str, text: str) -> str:
    return f"the letter's {what} \u201c{text}\u201d"


def _ids(records: Sequence) -> str:
    names = [f"{r.id} (\u201c{r.title}\u201d)" if getattr(r, "title", None) else r.id for r in records]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _maybe(records: Sequence, what: str, text: str) -> Match:
    records = tuple(records)
    return Match(None, records, f"{_named(what, text)} may be {_ids(records)}: peel is not sure, so chose none")


def match_recommendation(text: str, recs: Sequence[Recommendation]) -> Match:
    """The recommendation whose text the letter's text is, reworded."""
    scored = sorted(((similarity(text, r.text), r) for r in recs), key=lambda item: -item[0])
    if not scored or scored[0][0] < LIKE:
        return Match(why_not=f"{_named('recommendation', text)} matches none in the ledger")
    best, record = scored[0]
    close = [r for s, r in scored if s >= best - MARGIN and s >= LIKE]
    if best >= MATCH and len(close) == 1:
        return Match(record)
    return _maybe(close if best >= MATCH else [r for s, r in scored if s >= LIKE][:3], "recommendation", text)


@dataclass(frozen=True)
class _CauseScore:
    cause: CauseOfConcern
    alike: float  # similarity to the cause's title or text, reworded
    named: float  # share of the cause's title (or id) words the letter's text holds
    topic: float  # share of a short text's words the cause's title and text hold
    by_id: bool  # the letter's text gives the cause's id


def _id_words(cause_id: str) -> list[str]:
    return [w for w in words(cause_id.replace("-", " ").replace("_", " ")) if w not in _ID_WORDS and not w.isdigit()]


def _score(text: str, cause: CauseOfConcern) -> _CauseScore:
    alike = max(similarity(text, cause.title), similarity(text, cause.text or ""))
    have = words(text)
    named = max(share(words(cause.title), have), share(_id_words(cause.id), have))
    short = 0 < len(have) <= SHORT_TOPIC
    topic = share(have, words(f"{cause.title} {cause.text or ''} {cause.id}")) if short else 0.0
    by_id = re.search(rf"(?<![\w-]){re.escape(cause.id.lower())}(?![\w-])", text.lower()) is not None
    return _CauseScore(cause, alike, named, topic, by_id)


def match_cause(text: str, causes: Sequence[CauseOfConcern]) -> Match:
    """The cause of concern the letter's text names: by its id, its text or title reworded, its
    title's words (a ledger cause with a short title and no text: "Sex offenders"), or a topic's
    words ("responding to the public"). Sure only when one cause stands out; a cause that could
    be several, or only may be one, is ``maybe``: never new."""
    what = "cause of concern"
    scores = [_score(text, c) for c in causes]
    by_id = [s.cause for s in scores if s.by_id]
    if len(by_id) == 1:
        return Match(by_id[0])
    ranked = sorted(scores, key=lambda s: -s.alike)
    strong = [s for s in ranked if s.alike >= MATCH]
    if strong:
        close = [s.cause for s in strong if s.alike >= strong[0].alike - MARGIN]
        return Match(close[0]) if len(close) == 1 else _maybe(close, what, text)
    # By words: a title all of whose words the text holds, or a topic all but a few of whose
    # words the cause holds. Sure when one cause does and its own text (if any) does not
    # contradict the letter's; a cause with a text unlike the letter's only may be it.
    worded = [s for s in scores if s.named == 1.0 or s.topic >= TOPIC]
    if len(worded) == 1:
        found = worded[0]
        contradicted = bool(found.cause.text) and found.topic < TOPIC and found.alike < LIKE
        return _maybe([found.cause], what, text) if contradicted else Match(found.cause)
    if worded:
        order = sorted(worded, key=lambda s: -(s.named + s.topic + s.alike))
        return _maybe([s.cause for s in order], what, text)
    weak = [s for s in scores if s.alike >= LIKE or s.named >= SHARE or s.topic >= SHARE]
    if weak:
        order = sorted(weak, key=lambda s: -(s.named + s.topic + s.alike))[:3]
        return _maybe([s.cause for s in order], what, text)
    return Match(why_not=f"{_named(what, text)} matches none in the ledger")
