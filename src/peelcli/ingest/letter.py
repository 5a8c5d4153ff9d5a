"""Read an HMICFRS letter into a :class:`Letter`: its information block and its body.

HMICFRS publishes letters as ``publication-html`` pages. Saved as text, or read from the HTML,
a letter opens with its title, "Published on: DATE" and a "Letter information" block::

    From
    Lee Freeman KPM
    His Majesty’s Inspector of Constabulary
    To
    Craig Guildford
    Chief Constable
    West Midlands Police
    Cc
    ...
    Sent on
    18 September 2024

followed by the body. The reader finds the block and the body by their text, not by fixed
markup, so a page laid out with a definition list, headed paragraphs or a table reads the same.
HTML is parsed as browsers parse it (Beautiful Soup on html5lib), and only the text a reader of
the page sees is read (:mod:`.visibility`; a page whose styles leave that in doubt is refused);
scripts, navigation, headers, footers and forms are dropped unread, and nothing on the page is
run or fetched. The letter is addressed to whoever it is (a Chief Constable, a Chief Fire Officer,
a commissioner or authority copied in): nothing here is particular to police forces.

The only I/O here is reading the letter (:func:`read_letter`); :func:`parse_letter` is pure.
Every refusal is a :class:`~peelcli.problems.PeelError` naming the letter.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from ..dates import PartialDate
from ..problems import PeelError, Problem
from ..schema.scalars import address_fault, masked_address

MAX_LETTER_BYTES = 5 * 1024 * 1024
"""A saved letter page is well under 1 MB; anything past this is not a letter."""
MAX_TAGS = 20_000
"""Markup past this many tags is refused before parsing (a letter page has a few thousand)."""

MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DATE_TEXT = (
    r"(?:(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+)?"
    r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+"
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December)"
    r"(?:,?\s+(?P<year>(?:19|20)\d\d))?"
)
_DATE = re.compile(DATE_TEXT, re.IGNORECASE)
_MONTH_YEAR = re.compile(
    r"\b(?P<month>January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\s+(?P<year>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)

# Characters that never occur in a letter: C0 and C1 controls other than tab, newlines and
# form feed. Text holding them is binary, or an attempt to smuggle terminal escapes.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_MARKUP = re.compile(
    r"<(?:!doctype\s+html|html|head|body|script|style|div|p|article|main|section|dl|dt|dd|h[1-6]|ul|li|table|br)\b",
    re.IGNORECASE,
)
_TAG_START = re.compile(r"<[A-Za-z!/?]")
_BULLET = re.compile(r"^\s*(?:[•·▪◦‣●○■□–—*-]|\d{1,2}[.)])\s+")
_PUBLISHED = re.compile(r"^(?:date\s+)?published(?:\s+on)?\s*:?\s*(?P<date>.+)$", re.IGNORECASE)
_BACK = re.compile(r"^back to (?:the )?publication\b", re.IGNORECASE)

# Markers the HTML walker inserts; removed from the input first so a page cannot forge them.
_PARA, _ITEM, _LINE = "\ue000", "\ue001", "\ue002"


@dataclass(frozen=True)
class Person:
    name: str
    role: str | None = None

    def option(self) -> str:
        """The "NAME; ROLE" form the editing commands take."""
        return f"{self.name}; {self.role}" if self.role else self.name

    def as_json(self) -> dict:
        return {"name": self.name, "role": self.role}


@dataclass(frozen=True)
class Paragraph:
    """A block of the letter: a paragraph, heading or list item, as its lines."""

    lines: tuple[str, ...]
    bullet: bool = False

    @property
    def text(self) -> str:
        return " ".join(self.lines)


@dataclass(frozen=True)
class Letter:
    name: str
    """The letter as messages name it: its path or address."""
    title: str
    sent_on: PartialDate
    sent_text: str
    published_on: PartialDate | None
    from_: tuple[Person, ...]
    to: tuple[Person, ...]
    cc: tuple[Person, ...]
    body: tuple[Paragraph, ...]
    url: str | None = None
    url_origin: str | None = None
    """Where ``url`` came from: "--url", "its canonical link", "the address it was fetched from"."""
    doubts: tuple[str, ...] = ()
    """What the reader could not take from the letter, and why (a proposal lists them as unknown)."""

    def refusal(self, message: str) -> PeelError:
        return PeelError(Problem(message).at(self.name))


def refuse(name: str, message: str) -> PeelError:
    return PeelError(Problem(message).at(name))


# -- reading ------------------------------------------------------------------------------------


def read_letter(given: str, *, fetch: Callable[[str], bytes] | None = None, url: str | None = None) -> Letter:
    """The letter at a path or an ``https://`` address. Only ``https://`` addresses are
    fetched, and only because the user gave one; every other scheme is refused."""
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", given):
        if not given.lower().startswith("https://"):
            raise refuse(given, "only https:// addresses are fetched: save the page and give its file instead")
        data = (fetch or fetch_url)(given)
        if url is not None:
            return parse_letter(data, given, url=url)
        return parse_letter(data, given, url=given, url_origin="the address it was fetched from")
    path = Path(given)
    return parse_letter(read_file(path, given), given, url=url, html=path.suffix.lower() in (".html", ".htm"))


def read_file(path: Path, name: str) -> bytes:
    """A letter file's bytes, refused by size before it is read, and never more than the cap."""
    import stat

    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise refuse(name, "is not a plain file: give a letter saved as a text or HTML file")
        _check_size(info.st_size, name)
        with path.open("rb") as handle:
            data = handle.read(MAX_LETTER_BYTES + 1)
    except OSError as exc:
        raise refuse(name, f"cannot read: {exc.strerror or exc}") from None
    _check_size(len(data), name)
    return data


def fetch_url(url: str) -> bytes:
    """A letter's page over https, through peel's one fetcher (deadline, size cap, https-only
    redirects: :mod:`peelcli.fetch`)."""
    from ..fetch import fetch

    return fetch(url, max_bytes=MAX_LETTER_BYTES, accept="text/html, text/plain;q=0.9").body


def _check_size(size: int, name: str) -> None:
    if size > MAX_LETTER_BYTES:
        raise refuse(
            name,
            f"is {size / 1_048_576:.1f} MB; a letter is at most {MAX_LETTER_BYTES // 1_048_576} MB: "
            "is this really an HMICFRS letter?",
        )


# -- parsing ------------------------------------------------------------------------------------


def parse_letter(
    data: bytes, name: str, *, url: str | None = None, html: bool | None = None, url_origin: str = "--url"
) -> Letter:
    """Read a letter's bytes (text or HTML) into a :class:`Letter`, or refuse it. ``url`` is its
    address as the user gave it (``url_origin`` says how); an HTML letter without one may give its own."""
    text = decode(data, name)
    if html is None or not html:
        html = bool(html) or is_markup(text)
    doubts: list[str] = []
    if html:
        paragraphs, canonical = html_paragraphs(text, name, address=url)
        if url is None and canonical is not None:
            fault = address_fault(canonical, schemes=("https",))
            if fault is None:
                url, url_origin = canonical, "its canonical link"
            else:
                shown = shorten(masked_address(canonical))
                doubts.append(
                    f"the letter's address: its canonical link {shown!r} is not used: it {fault}; "
                    "give the address with --url"
                )
    else:
        paragraphs = text_paragraphs(text)
    letter = read_information(paragraphs, name, url=url, doubts=doubts)
    return replace(letter, url_origin=url_origin) if url else letter


def is_markup(text: str) -> bool:
    """Text that is an HTML page (it opens elements a page has), however it was saved or named."""
    return bool(_MARKUP.search(text))


def decode(data: bytes, name: str, what: str = "letter") -> str:
    """A saved page's text, refused when it is empty, binary, not UTF-8 or holds control
    characters. ``what`` names the page in refusals (a letter; HMICFRS's list pages read the same)."""
    _check_size(len(data), name)
    if not data.strip():
        raise refuse(name, f"is empty: expected an HMICFRS {what}")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data:
        raise refuse(name, f"is binary (it holds NUL bytes), not a {what} saved as text or HTML")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise refuse(
            name, f"is not UTF-8 text (byte {data[exc.start]:#04x} at offset {exc.start}): save the {what} as UTF-8"
        ) from None
    control = _CONTROL.search(text)
    if control:
        raise refuse(
            name,
            f"holds a control character ({ord(control.group()):#04x} at character {control.start()}): "
            f"not a {what} saved as text or HTML",
        )
    return text.replace(_PARA, "").replace(_ITEM, "").replace(_LINE, "")


def _clean(line: str) -> str:
    return " ".join(line.replace("\u00a0", " ").split())


def text_paragraphs(text: str) -> list[Paragraph]:
    """Paragraphs of a text letter: blocks between blank lines. Within a block, list items are
    their own paragraphs; other lines stay separate lines (the information block puts one item
    on each line; a body paragraph wrapped over several lines reads as one text)."""
    paragraphs: list[Paragraph] = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")):
        lines: list[str] = []
        for raw in block.split("\n"):
            line = _clean(raw)
            if not line:
                continue
            bullet = _BULLET.match(raw)
            if bullet and len(line) > len(bullet.group().strip()):
                if lines:
                    paragraphs.append(Paragraph(tuple(lines)))
                    lines = []
                paragraphs.append(Paragraph((_clean(raw[bullet.end() :]),), bullet=True))
            else:
                lines.append(line)
        if lines:
            paragraphs.append(Paragraph(tuple(lines)))
    return paragraphs


_DROP = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "canvas",
    "nav",
    "header",
    "footer",
    "form",
    "button",
    "select",
    "textarea",
    "input",
    "aside",
    "head",
    "title",
    "meta",
    "link",
)
_BLOCKS = frozenset(
    {
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "dl",
        "dt",
        "dd",
        "ul",
        "ol",
        "table",
        "tr",
        "td",
        "th",
        "thead",
        "tbody",
        "section",
        "article",
        "main",
        "blockquote",
        "pre",
        "figure",
        "figcaption",
        "address",
        "hr",
        "caption",
        "body",
        "html",
    }
)


def html_paragraphs(text: str, name: str, *, address: str | None = None) -> tuple[list[Paragraph], str | None]:
    """Paragraphs of an HTML page, by its block elements, of the text a reader of the page sees
    (:mod:`.visibility`), without what is not the letter (navigation, scripts, forms); and the
    page's own address when it gives one (``<link rel=canonical>``). ``address``: the letter's
    address as the user gave it, if any."""
    tags = sum(1 for _ in zip(_TAG_START.finditer(text), range(MAX_TAGS + 1), strict=False))
    if tags > MAX_TAGS:
        raise refuse(name, f"holds more than {MAX_TAGS} tags: too much markup for a letter page")
    try:
        from bs4 import BeautifulSoup, NavigableString, Tag
    except ImportError:  # pragma: no cover - a dependency of peel
        raise refuse(name, "reading HTML needs beautifulsoup4: pip install beautifulsoup4") from None
    from .visibility import UnsureError, unseen

    try:
        soup = BeautifulSoup(text, "html5lib")  # as browsers build the page, misnested markup and all
        canonical = None
        for link in soup.find_all("link", href=True):
            rel = [str(r).lower() for r in link.get("rel") or []]
            if "canonical" in rel:
                canonical = str(link["href"]).strip()
                break
        own_site = address or (
            canonical if canonical and address_fault(canonical, schemes=("https",)) is None else None
        )
        try:
            hidden = unseen(soup, own_site=own_site, unread=frozenset(_DROP))
        except UnsureError as why:
            raise refuse(name, f"peel cannot be sure what a reader of this page sees: {why}") from None
        for node in hidden:
            if isinstance(node, Tag):
                if node.name:
                    node.decompose()
            else:
                node.extract()
        # A decomposed element's name is "" (inside one already dropped); never ask bs4's
        # ``decomposed``, which searches the whole subtree for a child tag of that name.
        for tag in soup.find_all(_DROP):
            if tag.name:
                tag.decompose()
        pieces: list[str] = []
        open_tags: list = []  # the element being read and its ancestors, outermost first
        for node in soup.descendants:
            while open_tags and open_tags[-1] is not node.parent:
                _close(open_tags.pop(), pieces)
            if isinstance(node, Tag):
                open_tags.append(node)
                if node.name == "br":
                    pieces.append(_LINE)
                elif node.name == "li":
                    pieces.append(_PARA + _ITEM)
                elif node.name in _BLOCKS:
                    pieces.append(_PARA)
            elif type(node) is NavigableString:
                pieces.append(str(node))
        while open_tags:
            _close(open_tags.pop(), pieces)
    except PeelError:
        raise
    except RecursionError:
        raise refuse(name, "nests its elements too deep for a letter page (a letter page nests a few dozen)") from None
    except Exception as exc:  # Beautiful Soup rejects some markup outright
        raise refuse(name, f"cannot read the HTML: {type(exc).__name__}") from None
    paragraphs: list[Paragraph] = []
    bullet = False
    for chunk in "".join(pieces).split(_PARA):
        if chunk.strip() == _ITEM:
            bullet = True
            continue
        lines = tuple(line for line in (_clean(part.replace(_ITEM, "")) for part in chunk.split(_LINE)) if line)
        if lines:
            paragraphs.append(Paragraph(lines, bullet=bullet or chunk.lstrip().startswith(_ITEM)))
            bullet = False
    return paragraphs, canonical


def _close(tag, pieces: list[str]) -> None:
    if tag.name in _BLOCKS or tag.name == "li":
        pieces.append(_PARA)


# -- the information block ----------------------------------------------------------------------

_HEADINGS = {
    "from": "from",
    "to": "to",
    "cc": "cc",
    "copied to": "cc",
    "copy to": "cc",
    "sent on": "sent",
    "date sent": "sent",
    "sent": "sent",
}
_HEADING = re.compile(r"^(?P<head>from|to|cc|copied to|copy to|sent on|date sent|sent)\s*(?::\s*(?P<rest>.*))?$", re.I)
_ROLE_WORDS = re.compile(
    r"\b(?:Chief|Constable|Commissioner|Inspector|Mayor|Deputy|Officer|Police|Crime|Majesty|HM|HMI|HMCI|"
    r"Director|Secretary|Chair|Lead|Head|Assistant|Temporary|Acting|Commander|Superintendent|Fire|Rescue|"
    r"Constabulary|Service|Services|Office|Panel|Board|Group|of|for|and)\b"
)
_ORGANISATION = re.compile(r"(?:Police|Constabulary|Police Service|Service|Office|Authority)$")


def read_information(
    paragraphs: list[Paragraph], name: str, *, url: str | None = None, doubts: list[str] | None = None
) -> Letter:
    """Find the title, "Published on", the From/To/Cc/Sent on block and the body."""
    doubts = list(doubts or [])
    lines: list[tuple[int, str]] = [(i, line) for i, p in enumerate(paragraphs) for line in p.lines]
    start = next((k for k, (_, line) in enumerate(lines) if line.lower().rstrip(":") == "letter information"), None)
    search_from = start + 1 if start is not None else 0
    fields: dict[str, list[str]] = {}
    current: str | None = None
    first_heading: int | None = None
    sent_text: str | None = None
    end_paragraph: int | None = None
    for k in range(search_from, min(len(lines), search_from + 80)):
        i, line = lines[k]
        heading = _HEADING.match(line)
        if heading:  # "From", "From:" (as HMICFRS's fire letters of 2025 print it) or "From: Name"
            key = _HEADINGS[heading["head"].lower()]
            if key in fields:  # a second "To" is body text, not the block
                break
            if first_heading is None:
                first_heading = k
            fields[key] = []
            current = key
            rest = (heading["rest"] or "").strip()
            if rest:
                fields[key].append(rest)
                if key == "sent":
                    sent_text, end_paragraph = rest, i
                    break
            continue
        if current is None:
            if start is None:
                continue
            break
        fields[current].append(line)
        if current == "sent":
            sent_text, end_paragraph = line, i
            break
    if first_heading is None or "from" not in fields or "to" not in fields or sent_text is None:
        raise refuse(
            name,
            "has no letter information block (From, To, Sent on): is this an HMICFRS letter? "
            "Give the letter's page saved as text or HTML",
        )
    sent_on, why = full_date(sent_text)
    if sent_on is None:
        raise refuse(name, f"its Sent on date {shorten(sent_text)!r} {why}")
    before = [p for p in paragraphs[: lines[first_heading][0]] if p.text.lower().rstrip(":") != "letter information"]
    published_on = None
    title = None
    for k, paragraph in enumerate(before):
        found = _PUBLISHED.match(paragraph.text)
        if found:
            published_on, why = full_date(found["date"])
            if published_on is None:
                doubts.append(f"when the letter was published: its date {shorten(found['date'])!r} {why}")
            if title is None and k > 0:
                title = before[k - 1].text
    if title is None and before:
        title = before[0].text
    body: list[Paragraph] = []
    for paragraph in paragraphs[end_paragraph + 1 :]:
        if _BACK.match(paragraph.text):
            break
        body.append(paragraph)
    if title is None:
        title = body[0].text if body else None
    if not title:
        raise refuse(name, "has no title before its letter information block")
    if not body:
        raise refuse(name, "has a letter information block but no letter after it")
    return Letter(
        name=name,
        title=title,
        sent_on=sent_on,
        sent_text=sent_text,
        published_on=published_on,
        from_=people(fields.get("from", [])),
        to=people(fields.get("to", [])),
        cc=people(fields.get("cc", [])),
        body=tuple(body),
        url=url,
        doubts=tuple(doubts),
    )


def people(lines: list[str]) -> tuple[Person, ...]:
    """People of a From/To/Cc entry: a name line, then its role lines. A line with no role
    words after a role starts the next person. Roles join with "; ", and an organisation
    line ("West Midlands Police") joins the role before it with ", "."""
    found: list[tuple[str, list[str]]] = []
    for raw in lines:
        line = raw.strip().rstrip(",;")
        if not line:
            continue
        if not found or (found[-1][1] and not _ROLE_WORDS.search(line)):
            name, _, role = _split_inline(line)
            found.append((name, [role] if role else []))
        else:
            found[-1][1].append(line)
    result = []
    for name, roles in found:
        role = ""
        for part in roles:
            if role and _ORGANISATION.search(part) and not part.lower().startswith(("his ", "her ", "hm ")):
                role += f", {part}"
            elif role:
                role += f"; {part}"
            else:
                role = part
        result.append(Person(name, role or None))
    return tuple(result)


def _split_inline(line: str) -> tuple[str, str, str]:
    """ "Lee Freeman KPM, His Majesty’s Inspector of Constabulary" on one line."""
    for match in re.finditer(r",\s+", line):
        head, tail = line[: match.start()], line[match.end() :]
        if not _ROLE_WORDS.search(head) and _ROLE_WORDS.search(tail):
            return head, ",", tail
    return line, "", ""


# -- dates --------------------------------------------------------------------------------------


def full_date(text: str) -> tuple[PartialDate | None, str | None]:
    """A day written out in full ("18 September 2024", "Wednesday 18 September 2024"), or why
    it is none: words that follow the text quoted ("gives no year", "names Tuesday, but 18
    September 2024 was a Wednesday"). A weekday that does not fit the day is not trusted."""
    match = _DATE.search(text)
    if match is None:
        return None, "is not a date such as 18 September 2024"
    if not match["year"]:
        return None, "gives no year"
    return _day(match, int(match["year"]))


def parse_full_date(text: str) -> PartialDate | None:
    return full_date(text)[0]


def _day(match: re.Match, year: int) -> tuple[PartialDate | None, str | None]:
    import calendar

    month = MONTHS.index(match["month"].lower()) + 1
    month_name = MONTHS[month - 1].capitalize()
    try:
        day = date(year, month, int(match["day"]))
    except ValueError:
        days = calendar.monthrange(year, month)[1]
        return None, f"is not a day: {month_name} {year} has {days} days"
    if match["weekday"] and WEEKDAYS[day.weekday()] != match["weekday"].lower():
        real = WEEKDAYS[day.weekday()].capitalize()
        return None, f"names {match['weekday']}, but {day.day} {month_name} {year} was a {real}"
    return PartialDate.of(day), None


def date_in_sentence(match: re.Match, sent_on: PartialDate) -> tuple[PartialDate | None, str | None]:
    """A date matched by ``DATE_TEXT`` as the letter means it: with its year, or, without one,
    the latest such day on or before the letter was sent, kept only when its weekday is given and
    fits. Returns (date, why it is unknown)."""
    if match["year"]:
        found, why = _day(match, int(match["year"]))
        return (found, None) if found else (None, f"{match.group()!r} {why}")
    if not match["weekday"]:
        return None, f"{match.group()!r} gives no year and no weekday to check one against"
    sent = sent_on.latest
    year = sent.year
    month = MONTHS.index(match["month"].lower()) + 1
    if (month, int(match["day"])) > (sent.month, sent.day):
        year -= 1  # a day later in the year than the letter: the year before
    found, why = _day(match, year)
    if found is None:
        return None, f"{match.group()!r} {why} (the year the letter's date gives it)"
    return found, None


def month_in(text: str) -> PartialDate | None:
    match = _MONTH_YEAR.search(text)
    if match is None:
        return None
    return PartialDate.month(int(match["year"]), MONTHS.index(match["month"].lower()) + 1)


def shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
