"""``peel watch``: the monitoring publications in HMICFRS's news feed that the ledger does not yet
hold, each with the ``peel ingest`` that would record it.

A publication is a monitoring one when its title, its address or its text speaks of a move into
enhanced monitoring (Engage), a return to the default phase (Scan), or a cause of concern (raised,
revisited or closed), for a police force or a fire and rescue service alike. It is new when it was
published after the day its force's or service's record was searched to (``record_checked_to``;
for one with no file, the registry's national search of moves into and out of Engage), and its
address is not a source on record. Older ones are proposed nothing.

Pure: :class:`~peelcli.newsfeed.Feed` feeds and the ledger in, a :class:`Watch` view out.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from .dates import PartialDate
from .newsfeed import Feed, FeedItem, same_site
from .output.document import Document, Link, Tag, section
from .output.wording import plural
from .schema.records import ForceFile

KINDS = {
    "return-to-scan": "return to Scan",
    "move-into-engage": "move into Engage",
    "cause-closed": "cause of concern closed",
    "revisit": "cause of concern revisit",
    "cause-of-concern": "cause of concern",
}
"""Every kind of monitoring publication, in the order a title is tried against them."""
_GAP = r"\b[^.]{0,80}?\b"
"""Words between a verb and its object ("moved Lincolnshire Police into ..."), within a sentence."""
_KIND_PATTERNS = {
    "return-to-scan": r"removed from (?:an |the )?enhanced (?:level |phase )?(?:of )?monitoring|"
    rf"remov(?:e|ed|es|ing){_GAP}from (?:an |the )?(?:enhanced (?:level |phase )?(?:of )?monitoring|engage)|"
    rf"return(?:ed|s|ing)?{_GAP}to (?:the |our |its )?default (?:phase|level|stage) of monitoring|"
    r"return(?:ed|s|ing)? to (?:the |our |its )?default (?:phase|level|stage) of monitoring|"
    r"(?:moved|came|taken) out of engage|return(?:ed|s)? to scan",
    "move-into-engage": rf"(?:move[ds]?|placed?|put|escalated){_GAP}(?:in)?to (?:an |the |our )?enhanced "
    r"(?:level |phase |stage )?(?:of )?monitoring|"
    r"(?:move[ds]?|placed?|put) (?:in)?to (?:an |the |our )?enhanced (?:level |phase |stage )?(?:of )?monitoring|"
    r"enhanced monitoring decision|(?:moved?|placed?|put|escalated) (?:in)?to (?:the )?engage",
    "cause-closed": r"closure of (?:the |a |its )?causes? of concern|"
    r"causes? of concern (?:has been |have been )?closed",
    "revisit": r"causes? of concern revisit|revisit letter",
    "cause-of-concern": r"causes? of concern",
}
_KINDS = {kind: re.compile(rf"\b(?:{pattern})\b") for kind, pattern in _KIND_PATTERNS.items()}

STATUSES = {
    "new": "new: after where its record ends",
    "older": "not after where its record ends",
    "on-record": "already a source on record",
    "no-body": "names no force or service the ledger knows",
    "two-bodies": "names more than one force or service",
    "undated": "undated",
    "future": "dated after today",
}


def plain(text: str) -> str:
    """Text as kinds are matched in it: lower case, one kind of apostrophe and dash, words only."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(re.sub(r"[-\u2010-\u2015_/]+", " ", text).split())


def kind_of(item: FeedItem) -> tuple[str, str] | None:
    """(kind, where it was found: ``title`` (or address) or ``text``), or ``None`` when the item is
    not a monitoring publication."""
    slug = urlsplit(item.link).path.rstrip("/").rsplit("/", 1)[-1] if item.link else ""
    for where, text in (("title", f"{item.title} | {slug}"), ("text", item.text)):
        hay = plain(text)
        for kind, pattern in _KINDS.items():
            if pattern.search(hay):
                return kind, where
    return None


def letter_of(item: FeedItem) -> str | None:
    """The letter an item is, or links to on its own site."""
    return letter_among(item.link, item.links)


def letter_among(page: str | None, links: tuple[tuple[str, str], ...]) -> str | None:
    """The letter a page (a feed item, a news release) is, or links to on its own site: an
    HMICFRS ``publication-html`` page, or a link whose words say it is the letter ("Get the letter")."""
    if page and "/publication-html/" in urlsplit(page).path:
        return page
    for address, _ in links:
        if same_site(address, page) and "/publication-html/" in urlsplit(address).path:
            return address
    for address, words in links:
        if same_site(address, page) and re.search(r"\bletter\b", words, re.I):
            return address
    return None


class Ledger(NamedTuple):
    """What the watch needs of the ledger: the names each force or service goes by, its file (or
    ``None``) and how far the national search of phase changes reaches."""

    names: dict[str, list[str]]
    files: dict[str, ForceFile | None]
    national: PartialDate | None


@dataclass(frozen=True)
class Publication:
    """A monitoring publication found in a feed, and what the ledger makes of it."""

    item: FeedItem
    feed: str
    kind: str
    found_in: str
    slug: str | None
    name: str | None
    """The force's or service's name as the registry writes it."""
    letter: str | None
    status: str
    record_end: PartialDate | None
    record_end_basis: str
    why: str
    outcome: str | None = None
    """After ``--ingest``: what was recorded, or why nothing was."""
    recorded: bool | None = None
    moved_to: PartialDate | None = None
    """After ``--ingest``: where its record's end was moved to record the letter, if it was."""

    @property
    def argv(self) -> tuple[str, ...] | None:
        """The ``peel ingest`` that would record it (``None`` when no letter is known)."""
        if self.status != "new" or self.slug is None or self.letter is None:
            return None
        return ("peel", "ingest", self.letter, "--force", self.slug)

    @property
    def proposal(self) -> str:
        """The command line, shell-quoted; or what a person must do first."""
        if self.argv is not None:
            return shlex.join(self.argv)
        if self.status != "new":
            return ""
        return "its letter is not linked from the feed: open the item and give the letter it links to: " + shlex.join(
            ("peel", "ingest", "LETTER", "--force", self.slug or "FORCE")
        )


def watch(feeds: list[Feed], ledger: Ledger, today: date) -> Watch:
    """Every monitoring publication in the feeds (each once), with what the ledger makes of it."""
    from .edits import normal_url
    from .ingest.proposal import keyed_names, names_found

    keyed = keyed_names(ledger.names)
    found: dict[str, Publication] = {}
    for feed in feeds:
        for item in feed.items:
            kind = kind_of(item)
            if kind is None:
                continue
            letter = letter_of(item)
            key = normal_url(letter or item.link or item.guid or f"{feed.name}#{item.title}")
            slugs = _bodies(item, keyed, names_found)
            hints = sorted(names_found(item.title, keyed, short=True)) if not slugs else []
            publication = _judge(item, feed.name, kind, letter, slugs, ledger, today, normal_url, hints)
            earlier = found.get(key)
            if earlier is None or (item.link == letter and earlier.item.link != letter):
                found[key] = publication  # the letter's own item before a release that links to it
    ordered = sorted(found.values(), key=lambda p: (p.item.published_on or date.max, p.item.title))
    return Watch(today, tuple(feeds), tuple(ordered))


def _bodies(item: FeedItem, keyed, names_found) -> list[str]:
    """The forces or services an item is about, by a name in full: in its title, else the one its
    text names most often. A short name ("Gloucestershire") is no more than a hint: it may be the
    county's police force or its fire and rescue service."""
    title = names_found(item.title, keyed)
    if title:
        return sorted(title)
    text = names_found(item.text, keyed)
    if text:
        most = max(text.values())
        return sorted(slug for slug, hits in text.items() if hits == most)
    return []


def record_end(slug: str, ledger: Ledger) -> tuple[PartialDate | None, str]:
    """How far the ledger's record of a force or service reaches, and on what that rests."""
    force = ledger.files.get(slug)
    if force is None:
        return ledger.national, "the national search of moves into and out of Engage (it has no file)"
    return force.record_checked_to, "its file's record_checked_to"


def _judge(item, feed, kind, letter, slugs, ledger: Ledger, today: date, normal_url, hints) -> Publication:
    day = item.published_on
    slug = slugs[0] if len(slugs) == 1 else None
    end, basis = record_end(slug, ledger) if slug is not None else (None, "")
    name = (ledger.names.get(slug) or [slug])[0] if slug is not None else None
    base = Publication(item, feed, kind[0], kind[1], slug, name, letter, "new", end, basis, "")
    if day is None:
        return replace(base, status="undated", why="the feed gives no date for it: whether it is new cannot be told")
    if day > today:
        return replace(base, status="future", why=f"the feed dates it {day}, after today ({today}): not trusted")
    if len(slugs) > 1:
        return replace(base, status="two-bodies", why=f"it names {', '.join(slugs)}: which it is about is unclear")
    if slug is None:
        maybe = ", ".join(ledger.names.get(h, [h])[0] for h in hints)
        hint = f" (its title names part of {maybe}'s name: give the letter with peel ingest --force)" if maybe else ""
        return replace(
            base,
            status="no-body",
            why=f"it names no force or service the ledger knows by its full name{hint}; if peel should know it, "
            "add it to the registry",
        )
    force = ledger.files.get(slug)
    addresses = {normal_url(a) for a in (letter, item.link) if a}
    if force is not None and any(s.url and normal_url(s.url) in addresses for s in force.sources):
        return replace(base, status="on-record", why="its address is a source in the ledger")
    if end is None:
        why = (
            "nothing is on record for it"
            if force is None
            else "its file does not say how far its record was searched, and its address is not on record"
        )
        return replace(base, why=why)
    if end.latest < day:
        return replace(base, why=f"published {day}, after its record ends ({end}: {basis})")
    if end.earliest <= day:
        return replace(base, why=f"published {day}, which may lie inside its record's end ({end}), and not on record")
    return replace(base, status="older", why=f"published {day}, before its record ends ({end}: {basis})")


def record_end_step(
    publication: Publication, letter, *, force: ForceFile | None, feed: Feed, today: date
) -> tuple[tuple[str, ...], PartialDate] | None:
    """The ``peel checked`` that must come before a letter dated after its force's record ends
    (``letter``: as :mod:`peelcli.ingest.letter` read it), and the day it moves the end to: the
    latest of the letter's days and the feed's; ``None`` when the record already reaches them."""
    if force is None or force.record_checked_to is None:
        return None
    days = [publication.item.published_on, letter.sent_on.latest]
    if letter.published_on is not None:
        days.append(letter.published_on.latest)
    to = PartialDate.of(max(day for day in days if day is not None))
    end = force.record_checked_to
    if to.earliest <= end.latest:
        return None
    note = checked_note(
        letter=letter.url or publication.letter or "", feed=feed, to=to, before=end,
        before_note=force.record_checked_note, today=today,
    )  # fmt: skip
    return ("peel", "checked", force.slug, "--to", str(to), "--note", note), to


def checked_note(
    *, letter: str, feed: Feed, to: PartialDate, before: PartialDate, before_note: str | None, today: date
) -> str:
    """What ``peel watch --ingest`` says it searched when it moves a record's end to record a
    letter: exactly the feed it read, the span of its items, and what it did not search."""
    span = feed.span
    where = feed.url or feed.name
    read = f"HMICFRS's feed {where} (its items were published from {span[0]} to {span[1]})" if span else where
    gap = ""
    if span is not None and (span[0] - before.latest).days > 1:
        gap = f"; HMICFRS's own publications after {before} and before {span[0]}, the feed's first item, were not read"
    note = (
        f"Moved to {to} by peel watch on {today.isoformat()}: it read {read} and found there the letter "
        f"{letter}. From {before}, how far this record was searched before, to {to}, nothing else "
        f"was searched: not the press, nor the pages of the force or service or of those who oversee it{gap}. "
        "A person should search them, and say so here, before relying on anything else in this record after "
        f"{before}."
    )
    return f"{note} Before: {before_note}" if before_note else note


# -- the view -------------------------------------------------------------------------------------


class Watch(NamedTuple):
    """The view of ``peel watch``."""

    read_on: date
    feeds: tuple[Feed, ...]
    publications: tuple[Publication, ...]
    ingesting: bool = False

    @property
    def new(self) -> tuple[Publication, ...]:
        return tuple(p for p in self.publications if p.status == "new")

    @property
    def for_a_person(self) -> tuple[Publication, ...]:
        """What a person must look at: new ones not recorded, and ones peel could not place."""
        unsure = ("undated", "no-body", "two-bodies")
        return tuple(p for p in self.publications if (p.status == "new" and not p.recorded) or p.status in unsure)

    def json(self) -> dict[str, Any]:
        return {
            "read_on": self.read_on.isoformat(),
            "feeds": [_feed_json(feed) for feed in self.feeds],
            "publications": [_publication_json(p) for p in self.publications],
            "new": len(self.new),
            "recorded": sum(1 for p in self.publications if p.recorded),
            "for_a_person": len(self.for_a_person),
        }

    def document(self) -> Document:
        new = self.new
        outcome = f"{plural(len(new), 'new monitoring publication')}" if new else "no new monitoring publication"
        if self.ingesting and new:
            outcome += f"; {sum(1 for p in new if p.recorded)} recorded"
        columns = ["Published", "Force or service", "Kind", "Title", "Record ends", "Proposed"]
        if self.ingesting:
            columns.append("Outcome")
        rows = []
        for p in new:
            row = [
                _day(p),
                _body(p),
                _kind_words(p),
                Link(p.item.title, p.letter or p.item.link),
                str(p.record_end) if p.record_end is not None else "not stated",
                p.proposal,
            ]
            if self.ingesting:
                row.append(Tag(p.outcome or "", "outcome-recorded" if p.recorded else "outcome-not-recorded"))
            rows.append(tuple(row))
        new_part = section(
            "New monitoring publications",
            columns,
            rows,
            empty="None: every monitoring publication in the feeds is older than where its record ends, or on record.",
            wrap=frozenset({"Title", "Proposed", "Outcome"}),
        )
        unsure = [p for p in self.publications if p.status not in ("new", "older", "on-record")]
        unsure_part = section(
            "Monitoring publications peel could not place",
            ["Published", "Kind", "Title", "Why"],
            [(_day(p), _kind_words(p), Link(p.item.title, p.item.link), p.why) for p in unsure],
            wrap=frozenset({"Title", "Why"}),
        )
        old = [p for p in self.publications if p.status in ("older", "on-record")]
        old_part = section(
            "Older or already on record",
            ["Published", "Force or service", "Kind", "Title", "Why"],
            [(_day(p), _body(p), _kind_words(p), Link(p.item.title, p.item.link), p.why) for p in old],
            wrap=frozenset({"Title", "Why"}),
        )._replace(collapsed=True)
        loose = any(feed.malformed for feed in self.feeds)
        feeds_part = section(
            "Feeds read",
            ["Feed", "Items", "Published from", "to", *(["Note"] if loose else [])],
            [
                (
                    Link(feed.name, feed.url) if feed.url else feed.name,
                    str(len(feed.items)),
                    str(feed.span[0]) if feed.span else "—",
                    str(feed.span[1]) if feed.span else "—",
                    *([f"read loosely: {feed.malformed}" if feed.malformed else ""] if loose else []),
                )
                for feed in self.feeds
            ],
            numeric=frozenset({"Items"}),
            wrap=frozenset({"Note"}),
        )
        parts = [new_part, *([unsure_part] if unsure else []), old_part, feeds_part]
        moved = [p for p in self.publications if p.moved_to is not None]
        review = (
            (
                f"To record {plural(len(moved), 'letter')}, the end of "
                f"{', '.join(sorted({p.name or p.slug or '' for p in moved}))}'s record was moved forward, and its "
                "record_checked_note says that only the feed was searched: before relying on it, search what that "
                "note names (the press, the pages of the force or service, HMICFRS's other publications) and say so "
                "in the note.",
            )
            if moved
            else ()
        )
        return Document(
            title="Monitoring publications in HMICFRS's feed",
            facts=(("Read on", self.read_on.isoformat()), ("Outcome", outcome)),
            parts=tuple(parts),
            notes=(
                *review,
                "A monitoring publication is one whose title, address or text speaks of a move into enhanced "
                "monitoring (Engage), a return to the default phase (Scan) or a cause of concern; one found only "
                "in its text may be a report that mentions them. It is new when published after its record ends "
                "(record_checked_to; for a force or service with no file, the registry's national search).",
                "Only the items a feed holds are seen: a feed holds a site's latest publications, not all of them.",
            ),
        )


def _day(p: Publication) -> str:
    return str(p.item.published_on) if p.item.published_on else "undated"


def _body(p: Publication) -> str:
    return p.name or "—"


def _kind_words(p: Publication) -> str:
    words = KINDS[p.kind]
    return words if p.found_in == "title" else f"{words} (in its text only)"


def _feed_json(feed: Feed) -> dict[str, Any]:
    span = feed.span
    return {
        "feed": feed.name,
        "url": feed.url,
        "title": feed.title,
        "items": len(feed.items),
        "published_from": str(span[0]) if span else None,
        "published_to": str(span[1]) if span else None,
        "malformed": feed.malformed,
    }


def _publication_json(p: Publication) -> dict[str, Any]:
    return {
        "title": p.item.title,
        "link": p.item.link,
        "letter": p.letter,
        "published_on": str(p.item.published_on) if p.item.published_on else None,
        "feed": p.feed,
        "kind": p.kind,
        "found_in": p.found_in,
        "force": p.slug,
        "name": p.name,
        "status": p.status,
        "record_end": str(p.record_end) if p.record_end is not None else None,
        "record_end_from": p.record_end_basis or None,
        "why": p.why,
        "argv": list(p.argv) if p.argv else None,
        "command": p.proposal or None,
        "outcome": p.outcome,
        "recorded": p.recorded,
        "record_end_moved_to": str(p.moved_to) if p.moved_to is not None else None,
    }
