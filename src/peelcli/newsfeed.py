"""HMICFRS's news feed, read from a saved copy or its address: the items (title, address, when
published, text, the links in it) that ``peel watch`` looks through for monitoring publications.

HMICFRS's site runs on WordPress, which publishes RSS 2.0 feeds; the addresses of HMICFRS's own
feeds are not verified. Feeds are read with feedparser (any RSS or Atom feed reads the same), and
always from bytes peel fetched itself (:mod:`peelcli.fetch`) or read from a file: feedparser can
fetch an address, or open a file named by its input, itself, and is never given the chance (it is
handed a stream). Its HTML sanitiser cleans the items' HTML; what peel keeps is plain text.

Feed text is untrusted: control and bidirectional characters in it are shown as ``<U+XXXX>``
wherever it goes (:func:`peelcli.output.terminal.printable`), and an address is kept only when it
passes the one rule for web addresses (:func:`peelcli.schema.scalars.address_fault`).

The only I/O is :func:`read_feed`; :func:`parse_feed` is pure.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urljoin, urlsplit

from .problems import PeelError, Problem
from .schema.scalars import address_fault

MAX_FEED_BYTES = 5 * 1024 * 1024
"""A feed of a few dozen items is well under 1 MB."""
MAX_ITEMS = 1000
"""More items than this are not one site's feed: the rest are not read."""
MAX_TEXT = 20_000
"""Characters of an item's text that are read: a release is a few thousand."""


@dataclass(frozen=True)
class FeedItem:
    title: str
    link: str | None
    """The item's address, when it is one peel may follow."""
    link_fault: str | None
    """Why the item's address is not kept, in words that follow "it"."""
    published: datetime | None
    """When the feed says it was published (UTC)."""
    text: str
    """Its description and content, as plain text."""
    links: tuple[tuple[str, str], ...] = ()
    """(address, link text) of every link in its description and content."""
    guid: str | None = None

    @property
    def published_on(self) -> date | None:
        """The day HMICFRS's pages would print: the UK's date, not GMT's."""
        return None if self.published is None else uk_day(self.published)


@dataclass(frozen=True)
class Feed:
    name: str
    """The feed as messages name it: its path or the address given."""
    url: str | None
    title: str | None
    items: tuple[FeedItem, ...]
    malformed: str | None = None
    """What was wrong with the feed's XML, when it had to be read loosely."""

    @property
    def span(self) -> tuple[date, date] | None:
        """The first and last days its items were published on."""
        days = [item.published_on for item in self.items if item.published_on is not None]
        return (min(days), max(days)) if days else None


def uk_day(moment: datetime) -> date:
    """The day in the United Kingdom at ``moment``: British Summer Time runs from 01:00 GMT on
    the last Sunday of March to 01:00 GMT on the last Sunday of October."""
    utc = moment.astimezone(UTC) if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    year = utc.year
    starts = datetime(year, 3, _last_sunday(year, 3), 1, tzinfo=UTC)
    ends = datetime(year, 10, _last_sunday(year, 10), 1, tzinfo=UTC)
    return (utc + timedelta(hours=1)).date() if starts <= utc < ends else utc.date()


def _last_sunday(year: int, month: int) -> int:
    last = calendar.monthrange(year, month)[1]
    return last - (date(year, month, last).weekday() + 1) % 7


def read_feed(given: str) -> Feed:
    """The feed at a path or an ``https://`` address (fetched only when given one)."""
    from .fetch import read_copy

    accept = "application/rss+xml, application/atom+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8"
    copy = read_copy(given, max_bytes=MAX_FEED_BYTES, accept=accept, what="feed")
    return parse_feed(copy.body, given, url=copy.url, content_type=copy.content_type)


def parse_feed(data: bytes, name: str, *, url: str | None = None, content_type: str = "") -> Feed:
    """A feed's bytes as a :class:`Feed`, or a refusal naming it."""
    import io

    import feedparser

    if not data.strip():
        raise PeelError(Problem("is empty: expected an RSS or Atom feed").at(name))
    headers = {"content-type": content_type} if content_type else {}
    try:
        parsed = feedparser.parse(io.BytesIO(data), response_headers=headers, sanitize_html=True)
    except Exception as exc:  # feedparser is lenient; anything it still raises is a feed it cannot read
        raise PeelError(Problem(f"cannot be read as a feed ({type(exc).__name__})").at(name)) from None
    if not parsed.get("version") and not parsed.get("entries"):
        announced = announced_feeds(data, url)
        hint = (
            f"; the page names its feeds: {', '.join(announced)}"
            if announced
            else ": give HMICFRS's news feed (its address, or the feed saved as a file)"
        )
        raise PeelError(Problem(f"is not an RSS or Atom feed{hint}").at(name))
    malformed = None
    if parsed.get("bozo"):
        malformed = _said(parsed.get("bozo_exception") or "malformed")
    items = tuple(_item(entry, url) for entry in parsed.get("entries", [])[:MAX_ITEMS])
    title = _plain(parsed.get("feed", {}).get("title") or "") or None
    return Feed(name, url, title, items, malformed)


def announced_feeds(data: bytes, base: str | None) -> list[str]:
    """The feeds a web page names in its head (``<link rel="alternate" type="application/rss+xml">``,
    as WordPress writes them): where to find the feed when given the page instead."""
    from bs4 import BeautifulSoup

    try:
        soup = BeautifulSoup(data[:MAX_FEED_BYTES].decode("utf-8", "replace"), "html5lib")
    except Exception:  # markup Beautiful Soup rejects outright names no feed
        return []
    found = []
    for link in soup.find_all("link", href=True):
        kind = str(link.get("type") or "").lower()
        if "alternate" in [str(r).lower() for r in link.get("rel") or []] and kind.endswith(("rss+xml", "atom+xml")):
            address, _ = _address(str(link["href"]).strip(), base)
            if address is not None:
                found.append(address)
    return list(dict.fromkeys(found))[:10]


def _item(entry, feed_url: str | None) -> FeedItem:
    title = _plain(entry.get("title") or "") or "(no title)"
    raw_link = (entry.get("link") or "").strip()
    link, fault = _address(raw_link, feed_url)
    pieces = [entry.get("summary") or ""] + [part.get("value") or "" for part in entry.get("content") or []]
    text, links = _text_and_links(pieces, link or feed_url)
    guid = entry.get("id")
    return FeedItem(
        title=title,
        link=link,
        link_fault=None if raw_link == "" else fault,
        published=_moment(entry),
        text=text,
        links=links,
        guid=_plain(guid) if isinstance(guid, str) else None,
    )


def _address(raw: str, base: str | None) -> tuple[str | None, str | None]:
    """An address from the feed, made absolute against ``base``, kept only when it is one."""
    if not raw:
        return None, "is missing"
    absolute = urljoin(base, raw) if base else raw
    fault = address_fault(absolute, schemes=("https", "http"))
    return (absolute, None) if fault is None else (None, fault)


def _moment(entry) -> datetime | None:
    """When the item was published (or, failing that, updated), in UTC."""
    for key in ("published_parsed", "updated_parsed"):
        parsed = entry.get(key)
        if parsed:
            try:
                return datetime(*parsed[:6], tzinfo=UTC)
            except (TypeError, ValueError, OverflowError):
                return None
    return None


def _text_and_links(pieces: list[str], base: str | None) -> tuple[str, tuple[tuple[str, str], ...]]:
    """Plain text of the item's HTML, and its links made absolute (those that are addresses)."""
    from bs4 import BeautifulSoup

    texts: list[str] = []
    links: list[tuple[str, str]] = []
    for piece in pieces:
        if not piece.strip():
            continue
        try:
            soup = BeautifulSoup(piece, "html5lib")
        except Exception:  # markup Beautiful Soup rejects outright: keep nothing of it
            continue
        for anchor in soup.find_all("a", href=True):
            address, _ = _address(str(anchor["href"]).strip(), base)
            if address is not None:
                links.append((address, _plain(anchor.get_text(" "))))
        texts.append(soup.get_text(" "))
    return _plain(" ".join(texts)[:MAX_TEXT]), tuple(dict.fromkeys(links))


def page_links(data: bytes, base: str) -> tuple[tuple[str, str], ...]:
    """(address, link text) of every link on a page (a news release), made absolute."""
    text = data.decode("utf-8", "replace")
    return _text_and_links([text], base)[1]


def _plain(text: str) -> str:
    """Feed text as peel keeps it: one line, its control and bidirectional characters shown."""
    from .output.terminal import printable

    return printable(" ".join(str(text).split()))


def _said(exc: object) -> str:
    text = _plain(str(exc))
    return text if len(text) <= 200 else text[:199] + "…"


def same_site(address: str, other: str | None) -> bool:
    """Two addresses on one host (what a feed item may link to as its own letter)."""
    return other is not None and (urlsplit(address).hostname or "") == (urlsplit(other).hostname or "")
