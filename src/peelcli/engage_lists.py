"""HMICFRS's own lists of who is in Engage: "Police forces in Engage", "Police forces previously in
Engage" and the fire and rescue services' equivalents, read from a saved page or its address.

What the stored copies of these pages show (their HTML tags are not known): each entry is a
force's or service's name, then a date label and its value ("Entered Engage" / "2019"; "Moved
out of Engage" / "September 2023"), then "Reasons" and a list; the "previously" page puts the
exit before the entry. HMICFRS gives years or months there, not days, and the page itself carries
no date unless it says when it was updated. Entries are found by that text structure, never by
fixed markup, as the letter reader finds a letter's information block: headings and paragraphs,
a definition list, a table or a page saved as text read the same. Only what a reader of the page
sees is read (the letter reader's rules, :func:`peelcli.ingest.letter.html_paragraphs`), and its
bidirectional controls are shown as ``<U+XXXX>`` wherever its text goes.

The only I/O is :func:`read_engage_list`; :func:`parse_engage_list` is pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .dates import PartialDate
from .ingest.letter import MONTHS
from .problems import PeelError, Problem
from .schema.names import name_key

MAX_PAGE_BYTES = 5 * 1024 * 1024
"""A list page is well under 1 MB; anything past this is not one."""
IN_ENGAGE = "in-engage"
PREVIOUSLY = "previously-in-engage"
LISTINGS = {IN_ENGAGE: "in Engage", PREVIOUSLY: "previously in Engage"}

_ENTERED = re.compile(
    r"^(?:date\s+)?(?:entered|moved\s+into|placed\s+in|put\s+into|went\s+into|into)\s+engage\b(?P<colon>\s*:)?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_LEFT = re.compile(
    r"^(?:date\s+)?(?:moved\s+out\s+of|left|exited|removed\s+from|came\s+out\s+of|out\s+of)\s+engage\b"
    r"(?P<colon>\s*:)?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_UPDATED = re.compile(
    r"^(?:this\s+)?(?:page\s+)?(?:was\s+)?(?:last\s+)?(?:updated|modified|reviewed)(?:\s+on)?(?P<colon>\s*:)?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_MARKERS = re.compile(
    r"^(?:reasons?(?:\s+for\b.*)?|related\s+reports?|read\s+the\s+report|back\s+to\s+top)\s*:?$", re.I
)
_TITLE = re.compile(r"^(?P<who>.{1,80}?)\s+(?P<when>(?:previously|formerly|currently|now)\s+)?in\s+engage$", re.I)
_YEAR = re.compile(r"(?:in\s+)?(?P<year>(?:19|20)\d\d)")
_MONTH_YEAR = re.compile(r"(?:in\s+)?(?P<month>[A-Za-z]{3,9})\.?,?\s+(?P<year>(?:19|20)\d\d)")
_ISO = re.compile(r"\d{4}-\d{2}(?:-\d{2})?")
_MONTHS = {
    **{name: i for i, name in enumerate(MONTHS, 1)},
    **{name[:3]: i for i, name in enumerate(MONTHS, 1)},
    "sept": 9,
}


@dataclass(frozen=True)
class PageDate:
    """A date as the page writes it, and the days it can be (``None``: no date peel can read)."""

    text: str
    on: PartialDate | None


@dataclass(frozen=True)
class EngageEntry:
    """One force or service on a list: its name as the page writes it and the dates it gives
    (``None`` where the page gives no such label)."""

    name: str
    entered: PageDate | None = None
    left: PageDate | None = None

    @property
    def dates(self) -> tuple[PartialDate, ...]:
        return tuple(d.on for d in (self.entered, self.left) if d is not None and d.on is not None)


@dataclass(frozen=True)
class EngageList:
    """A list page as read: which list it is, whom it covers and what it lists."""

    name: str
    """The page as messages name it: its path or the address given."""
    url: str | None
    title: str | None
    listing: str
    """:data:`IN_ENGAGE` or :data:`PREVIOUSLY`."""
    sector: str | None
    """``police`` or ``fire`` when the page's title says whom it lists, else ``None``."""
    updated: PageDate | None
    """When the page says it was last updated, if it says so."""
    entries: tuple[EngageEntry, ...]

    @property
    def latest_shown(self) -> PartialDate | None:
        """The latest date the page shows anywhere: it was written no earlier."""
        dates = [d for entry in self.entries for d in entry.dates]
        if self.updated is not None and self.updated.on is not None:
            dates.append(self.updated.on)
        return max(dates, key=lambda d: d.latest) if dates else None


def page_date(text: str) -> PartialDate | None:
    """A date as the list pages write it: a year ("2019"), a month ("September 2023", "Sept
    2023"), a day ("14 October 2022") or ISO; ``None`` for anything else. Never a day invented."""
    from .ingest.letter import DATE_TEXT, full_date

    flat = " ".join(text.split()).rstrip(".")
    found = _YEAR.fullmatch(flat)
    if found:
        return PartialDate.parse(found["year"])
    found = _MONTH_YEAR.fullmatch(flat)
    if found and found["month"].lower() in _MONTHS:
        return PartialDate.month(int(found["year"]), _MONTHS[found["month"].lower()])
    if re.fullmatch(r"(?:on\s+)?" + DATE_TEXT, flat, re.IGNORECASE):
        return full_date(flat)[0]
    if _ISO.fullmatch(flat):
        try:
            return PartialDate.parse(flat)
        except ValueError:
            return None
    return None


def read_engage_list(given: str, *, known: frozenset[str] = frozenset()) -> EngageList:
    """The list page at a path or an ``https://`` address (fetched only when given one)."""
    from .fetch import read_copy

    copy = read_copy(given, max_bytes=MAX_PAGE_BYTES, accept="text/html, text/plain;q=0.9", what="page")
    html = "html" in copy.content_type.lower() or given.lower().endswith((".html", ".htm")) or None
    return parse_engage_list(copy.body, given, url=copy.url, html=html, known=known)


def parse_engage_list(
    data: bytes, name: str, *, url: str | None = None, html: bool | None = None, known: frozenset[str] = frozenset()
) -> EngageList:
    """Read a list page's bytes (HTML or text). ``known``: names (as :func:`name_key` keys) of
    forces and services the ledger knows, which settle whether a short line is a name."""
    from .ingest.letter import decode, html_paragraphs, is_markup, text_paragraphs

    text = decode(data, name, "list page")
    if html is None or not html:
        html = bool(html) or is_markup(text)
    from .output.terminal import printable

    paragraphs = html_paragraphs(text, name, address=url)[0] if html else text_paragraphs(text)
    # A page's text is untrusted: its bidirectional controls are shown, never passed on to reorder a line.
    units = [(printable(line), p.bullet) for p in paragraphs for line in p.lines]
    return _Reader(units, name, known).read(url)


@dataclass
class _Draft:
    name: str
    first: int
    entered: PageDate | None = None
    left: PageDate | None = None

    def entry(self) -> EngageEntry:
        return EngageEntry(self.name, self.entered, self.left)


class _Reader:
    def __init__(self, units: list[tuple[str, bool]], name: str, known: frozenset[str]):
        self.units, self.name, self.known = units, name, known

    def refuse(self, message: str) -> PeelError:
        return PeelError(Problem(message).at(self.name))

    def read(self, url: str | None) -> EngageList:
        drafts: list[_Draft] = []
        consumed: set[int] = set()
        for i, (line, _bullet) in enumerate(self.units):
            if i in consumed:
                continue
            label = _date_label(line)
            if label is None:
                continue
            kind, rest, colon = label
            if rest and page_date(rest) is None and not colon:
                continue  # prose that begins with the words, not a label
            value = rest
            if not rest and i + 1 < len(self.units) and _date_label(self.units[i + 1][0]) is None:
                value = self.units[i + 1][0]
                consumed.add(i + 1)
                if _MARKERS.match(value):
                    raise self.refuse(
                        f"{line!r} is followed by {value!r}, not a date: peel cannot read this page's layout (it "
                        "reads each entry as a name, then 'Entered Engage' and its date); save the page as text "
                        "and check it reads that way"
                    )
            open_draft = drafts[-1] if drafts else None
            starts = open_draft is None or getattr(open_draft, kind) is not None or self._known_name(i - 1)
            if starts:
                if i == 0 or not self._name_like(i - 1) or (i - 1) in consumed:
                    shown = line if len(line) <= 60 else line[:59] + "…"
                    raise self.refuse(
                        f"{shown!r} is not preceded by the name of a force or service: peel cannot tell whose "
                        "date it is (expected each entry as a name, then its 'Entered Engage' or 'Moved out of "
                        "Engage' date)"
                    )
                drafts.append(_Draft(self.units[i - 1][0], i - 1))
            setattr(drafts[-1], kind, PageDate(value, page_date(value) if value else None))
        first = drafts[0].first if drafts else len(self.units)
        title = self.title(first)
        if title is None and not drafts:
            raise self.refuse(
                "holds no list of who is in Engage: expected HMICFRS's 'in Engage' or 'previously in Engage' page "
                "(a force's or service's name, then 'Entered Engage' and a year, for each)"
            )
        when = (_TITLE.match(title)["when"] or "").strip().lower() if title is not None else ""
        previously = when in ("previously", "formerly") or any(d.left is not None for d in drafts)
        listing = PREVIOUSLY if previously else IN_ENGAGE
        return EngageList(
            name=self.name,
            url=url,
            title=title,
            listing=listing,
            sector=_sector(title),
            updated=self.updated(),
            entries=tuple(d.entry() for d in drafts),
        )

    def _name_like(self, i: int) -> bool:
        """A line that can be a force's or service's name: not a list item, a label or a
        sentence; a few words, with no closing punctuation."""
        line, bullet = self.units[i]
        if self._known_name(i):
            return True
        words = line.split()
        return (
            not bullet
            and 0 < len(words) <= 12
            and len(line) <= 100
            and line[-1] not in ".:;,!?"
            and any(ch.isalpha() for ch in line)
            and _date_label(line) is None
            and not _MARKERS.match(line)
            and not _UPDATED.match(line)
            and not _TITLE.match(line)
        )

    def _known_name(self, i: int) -> bool:
        return i >= 0 and not self.units[i][1] and name_key(self.units[i][0]) in self.known

    def title(self, before: int) -> str | None:
        """The page's title: the last line before the first entry that reads "<whom> in
        Engage" (a sidebar or breadcrumb may name the other list earlier)."""
        found = None
        for line, _ in self.units[:before]:
            if _TITLE.match(line):
                found = line
        if found is None:
            found = next((line for line, _ in self.units if _TITLE.match(line)), None)
        return found

    def updated(self) -> PageDate | None:
        """When the page says it was last updated ("Last updated: 6 March 2024")."""
        for i, (line, _) in enumerate(self.units):
            found = _UPDATED.match(line)
            if found is None:
                continue
            rest = found["rest"].strip()
            if not rest and i + 1 < len(self.units):
                rest = self.units[i + 1][0]
            on = page_date(rest)
            if on is not None:
                return PageDate(rest, on)
        return None


def _date_label(line: str) -> tuple[str, str, bool] | None:
    for kind, pattern in (("entered", _ENTERED), ("left", _LEFT)):
        found = pattern.match(line.strip())
        if found:
            return kind, found["rest"].strip(), bool(found["colon"])
    return None


def _sector(title: str | None) -> str | None:
    """Whom a page lists, by its title's own words ("Police forces", "Fire and rescue services")."""
    if title is None:
        return None
    words = title.lower()
    if re.search(r"\bfire\b", words):
        return "fire"
    if re.search(r"\bpolice\b|\bforces\b", words):
        return "police"
    return None
