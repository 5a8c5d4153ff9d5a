"""``peel reconcile``: HMICFRS's own lists of who is in Engage set beside the ledger.

Neither side can be trusted alone: HMICFRS's list pages are not always kept up to date (a stored
"in Engage" page still lists a force returned to Scan years before), and the ledger knows nothing
after its record ends. So every difference says which side is newer where that can be told (the
ledger's dated letters against the page's own date, or the dates the page shows) and what to do.

Pure: :class:`~peelcli.engage_lists.EngageList` pages and the ledger's force files in, a
:class:`Reconciliation` view out (JSON, or a document for the table, Markdown and HTML writers).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from .dates import PartialDate
from .engage_lists import IN_ENGAGE, LISTINGS, PREVIOUSLY, EngageEntry, EngageList
from .output.document import Document, Tag, section
from .output.wording import plural
from .schema.names import name_key
from .schema.records import ForceFile, PhaseChange
from .timeline import standing

KINDS = {
    "not-on-record": "listed in Engage; not in Engage in the ledger",
    "still-listed": "listed in Engage; returned to Scan in the ledger",
    "not-listed": "in Engage in the ledger; not listed",
    "left-per-page": "listed as out of Engage; still in Engage in the ledger",
    "episode-not-on-record": "an Engage episode the ledger does not have",
    "episode-not-listed": "an Engage episode the page does not list",
    "entry-date": "entry dates disagree",
    "exit-date": "exit dates disagree",
    "unknown-name": "a name the ledger does not know",
}
"""Every kind of difference, as the table words it."""
NEWER_WORDS = {"ledger": "the ledger", "page": "HMICFRS's page", "unknown": "cannot be told", "none": "—"}


@dataclass(frozen=True)
class Difference:
    kind: str
    name: str
    """The force or service as the page names it, else as the ledger does."""
    slug: str | None
    page: str
    page_says: str
    ledger_says: str
    newer: str
    """``ledger``, ``page``, ``unknown``, or ``none`` where age is not the question (two dates of one move)."""
    newer_why: str
    action: str


@dataclass(frozen=True)
class Agreement:
    name: str
    slug: str
    page: str
    page_says: str
    ledger_says: str


@dataclass(frozen=True)
class Episode:
    """A stretch in Engage on record: the move in, and the move out when there is one."""

    entered: PhaseChange
    left: PhaseChange | None


class Evidence(NamedTuple):
    """The ledger's latest dated word on a force, as a difference weighs it."""

    on: PartialDate
    words: str


def episodes(force: ForceFile) -> list[Episode]:
    found: list[Episode] = []
    for change in force.phase_changes:
        if change.phase == "engage":
            found.append(Episode(change, None))
        elif found and found[-1].left is None:
            found[-1] = Episode(found[-1].entered, change)
    return found


def _dates_of(change: PhaseChange) -> list[PartialDate]:
    """Every date the ledger gives a move: decided, published, and what other sources report."""
    return [change.decided_on, *([change.published_on] if change.published_on else [])] + [
        other.date for other in change.other_reported_dates
    ]


def _overlap(a: PartialDate, b: PartialDate) -> bool:
    return not (a.latest < b.earliest or b.latest < a.earliest)


def same_move(page: PartialDate | None, change: PhaseChange) -> bool:
    """The page's date may be the move's: an unreadable page date is never a disagreement, and a
    year or month disagrees only when none of the days the ledger gives the move can lie in it."""
    return page is None or any(_overlap(page, d) for d in _dates_of(change))


def latest_source(force: ForceFile) -> Evidence | None:
    """The force's latest dated source (sent, published or held), in words."""
    dated = [
        (on, source) for source in force.sources for on in (source.sent_on, source.published_on, source.held_on) if on
    ]
    if not dated:
        return None
    on, source = max(dated, key=lambda pair: (pair[0].latest, pair[0].earliest))
    return Evidence(on, f"{quoted(source.title)}, {on}")


def record(slug: str) -> str:
    """The command that records a letter the user has found, as a difference suggests it."""
    return f"peel ingest LETTER --force {slug}"


def quoted(text: str) -> str:
    return f"\u201c{text}\u201d"


class Ledger(NamedTuple):
    """What the comparison needs of the ledger: its force files, the registry's names and how far
    the national search of phase changes reaches."""

    names: dict[str, list[str]]
    """Slug to every name the force or service goes by (registry and file)."""
    files: dict[str, ForceFile | None]
    national: PartialDate | None


def sector_of(force: ForceFile) -> str:
    """A force file's sector: the file's own, where the format gives one, else police."""
    return getattr(force, "sector", None) or "police"


def reconcile(pages: list[EngageList], ledger: Ledger, today: date) -> Reconciliation:
    return _Reconciler(pages, ledger, today).run()


class _Reconciler:
    def __init__(self, pages: list[EngageList], ledger: Ledger, today: date):
        self.pages, self.ledger, self.today = pages, ledger, today
        self.differences: list[Difference] = []
        self.agreements: list[Agreement] = []
        self.notes: list[str] = []
        self.by_key: dict[str, set[str]] = {}
        for slug, variants in ledger.names.items():
            for key in {name_key(v) for v in variants} | {slug.replace("-", " ")}:
                if key:
                    self.by_key.setdefault(key, set()).add(slug)
        self.listed_exits: set[tuple[str, int]] = set()
        """(slug, episode index) of ledger episodes a "previously" page lists as ended."""

    def run(self) -> Reconciliation:
        previous = [p for p in self.pages if p.listing == PREVIOUSLY]
        current = [p for p in self.pages if p.listing == IN_ENGAGE]
        for page in previous:
            self.previous_page(page)
        for page in current:
            self.current_page(page)
        for page in self.pages:
            if page.updated is None:
                self.notes.append(f"{page.name} does not say when it was last updated.")
            for entry in page.entries:
                for label, given in (("Entered Engage", entry.entered), ("Moved out of Engage", entry.left)):
                    if given is not None and given.on is None:
                        self.notes.append(
                            f"{page.name} gives {entry.name}'s {label!r} as {given.text!r}, which is not a year, "
                            "month or day: that date was not compared."
                        )
        if not current:
            self.notes.append("No 'in Engage' page was given: who is in Engage now was not compared.")
        if not previous:
            self.notes.append("No 'previously in Engage' page was given: past episodes were not compared.")
        return Reconciliation(
            self.today, tuple(self.pages), tuple(self.differences), tuple(self.agreements), tuple(self.notes)
        )

    # -- the ledger -------------------------------------------------------------------------------

    def slug_of(self, page: EngageList, entry: EngageEntry) -> str | None:
        slugs = self.by_key.get(name_key(entry.name), set())
        if len(slugs) == 1:
            return next(iter(slugs))
        if slugs:
            found = f"that name is {', '.join(sorted(slugs))}"
            fix = "give each of them a name of its own in the registry (data/registry.yaml)"
        else:
            found = "no force or service of that name"
            fix = (
                "add it to the registry (data/registry.yaml) if peel should know it, or give the ledger the name "
                "HMICFRS uses as another name it goes by"
            )
        listed = f"lists {entry.name} {LISTINGS[page.listing]}"
        self.add("unknown-name", entry.name, None, page, listed, found, "none", "", fix)
        return None

    def force(self, slug: str) -> ForceFile | None:
        return self.ledger.files.get(slug)

    def name(self, slug: str) -> str:
        return (self.ledger.names.get(slug) or [slug])[0]

    def evidence(self, slug: str) -> Evidence | None:
        force = self.force(slug)
        if force is not None:
            return latest_source(force)
        if self.ledger.national is not None:
            return Evidence(
                self.ledger.national, f"the national search of moves into and out of Engage, to {self.ledger.national}"
            )
        return None

    def now(self, slug: str) -> str:
        """The force's phase today as the ledger has it, and where its record ends."""
        force = self.force(slug)
        if force is None:
            reach = f"reached {self.ledger.national}" if self.ledger.national else "states no day it reached"
            return f"in Scan by default: it has no file, so no move into Engage on record (the national search {reach})"
        found = standing(force, self.today, national=self.ledger.national)
        if found.since is None:
            words = "in Scan: no move into Engage on record"
        elif found.phase == "engage":
            words = f"in Engage since {found.since.decided_on}"
        else:
            words = f"returned to Scan on {found.since.decided_on}"
        if found.phase_open_ended:
            words += f"; its phase is known to {found.phase_on.isoformat()}, where its record ends"
        return words

    # -- weighing ----------------------------------------------------------------------------------

    def weigh(self, page: EngageList, slug: str) -> tuple[str, str]:
        """Which side is newer about a force: the page's own date (or, when it gives none, the
        latest date it shows) against the ledger's latest dated source for it."""
        ledger = self.evidence(slug)
        if ledger is None:
            return "page", "the ledger holds nothing dated about it"
        updated = page.updated.on if page.updated is not None else None
        if updated is not None:
            own, latest = page.updated.text, f"the ledger's latest source for it ({ledger.words})"
            if ledger.on.latest < updated.earliest:
                return "page", f"the page says it was updated {own}, after {latest}"
            if updated.latest < ledger.on.earliest:
                return "ledger", f"{latest} is later than the page's own date ({own})"
            return "unknown", f"the page's own date ({own}) and {latest} cannot be told apart"
        shown = page.latest_shown
        if shown is not None and ledger.on.latest < shown.earliest:
            return "page", (
                f"the page cannot be older than {shown}, the latest date it shows, which is after the ledger's "
                f"latest source for it ({ledger.words})"
            )
        return "unknown", (
            f"the page shows no date of its own, and nothing on it is later than the ledger's latest source for it "
            f"({ledger.words})"
        )

    def add(self, kind, name, slug, page, page_says, ledger_says, newer, why, action) -> None:
        self.differences.append(Difference(kind, name, slug, page.name, page_says, ledger_says, newer, why, action))

    def agree(self, slug: str, page: EngageList, page_says: str) -> None:
        self.agreements.append(Agreement(self.name(slug), slug, page.name, page_says, self.now(slug)))

    # -- the "in Engage" page ----------------------------------------------------------------------

    def current_page(self, page: EngageList) -> None:
        listed: set[str] = set()
        for entry in page.entries:
            slug = self.slug_of(page, entry)
            if slug is None:
                continue
            listed.add(slug)
            self.listed_in_engage(page, entry, slug)
        for slug, force in sorted(self.ledger.files.items()):
            if force is None or slug in listed or not self.covers(page, force):
                continue
            runs = episodes(force)
            found = standing(force, self.today, national=self.ledger.national)
            if found.phase != "engage" or not runs:
                continue
            if (slug, len(runs) - 1) in self.listed_exits:
                continue  # a "previously" page lists its end: that difference says it
            since = runs[-1].entered
            newer, why = self.weigh(page, slug)
            if newer == "ledger" and page.updated is not None and page.updated.on.latest < since.decided_on.earliest:
                why = f"the page's own date ({page.updated.text}) is before the move into Engage ({since.decided_on})"
            action = {
                "ledger": "nothing: the page is out of date",
                "page": f"find HMICFRS's letter returning it to Scan and record it: {record(slug)}",
            }.get(
                newer,
                f"check whether it has left Engage; if so, record its return letter: {record(slug)}",
            )
            self.add("not-listed", self.name(slug), slug, page, "does not list it", self.now(slug), newer, why, action)

    def covers(self, page: EngageList, force: ForceFile) -> bool:
        """Whether the page is the list a force belongs on: a page for police forces does not
        list fire and rescue services. A page that does not say whom it lists covers all."""
        return page.sector is None or page.sector == sector_of(force)

    def listed_in_engage(self, page: EngageList, entry: EngageEntry, slug: str) -> None:
        entered = entry.entered.on if entry.entered is not None else None
        says = f"in Engage since {entry.entered.text}" if entry.entered is not None else "in Engage (no date given)"
        force = self.force(slug)
        runs = episodes(force) if force is not None else []
        found = standing(force, self.today, national=self.ledger.national) if force is not None else None
        if found is not None and found.phase == "engage" and runs and runs[-1].left is None:
            move = runs[-1].entered
            if same_move(entered, move):
                self.agree(slug, page, says)
            else:
                self.dates_differ("entry-date", page, slug, says, f"moved into Engage on {move.decided_on}", move)
            return
        matched = next(
            (run for run in reversed(runs) if run.left is not None and same_move(entered, run.entered)), None
        )
        if matched is not None and entered is not None:
            self.still_listed(page, entry, slug, says, matched)
            return
        newer, why = self.weigh(page, slug)
        last = found.since.decided_on if found is not None and found.since is not None else None
        if newer == "unknown" and entered is not None and last is not None and last.latest < entered.earliest:
            newer = "page"
            why = f"the page's move into Engage ({entry.entered.text}) is after the ledger's last phase change ({last})"
        action = (
            f"find HMICFRS's letter moving it into Engage{' (' + entry.entered.text + ')' if entry.entered else ''} "
            f"and record it: {record(slug)}"
        )
        if newer == "ledger":
            action = (
                "check the ledger's phase changes for it against their sources; if they stand, the page is out of date"
            )
        self.add("not-on-record", self.name(slug), slug, page, says, self.now(slug), newer, why, action)

    def still_listed(self, page: EngageList, entry: EngageEntry, slug: str, says: str, run: Episode) -> None:
        """The page lists a force in Engage since a move the ledger records it returning from."""
        back = run.left
        source = self.source_words(slug, back)
        updated = page.updated.on if page.updated is not None else None
        if updated is not None and back.decided_on.latest < updated.earliest:
            newer = "page"
            why = (
                f"the page says it was updated {page.updated.text}, after the return to Scan the ledger records "
                f"({back.decided_on}{source}), yet still lists it as in Engage since {entry.entered.text}"
            )
            action = (
                f"check the ledger's return to Scan against its source{source}: if it stands, the page is out of date "
                f"and there is nothing to do; if it re-entered Engage, record that letter: {record(slug)}"
            )
        elif entry.entered.on.latest < back.decided_on.earliest:
            newer = "ledger"
            why = (
                f"the ledger's return to Scan on {back.decided_on}{source} is later than anything the page shows about "
                f"it (in Engage since {entry.entered.text})"
            )
            if updated is not None:
                why += f", and than the page's own date ({page.updated.text})"
            action = "nothing: the page is out of date"
        else:
            newer = "unknown"
            why = (
                f"the page's entry ({entry.entered.text}) and the ledger's return ({back.decided_on}) cannot be "
                "told apart"
            )
            action = f"check whether it re-entered Engage after {back.decided_on}; if so: {record(slug)}"
        self.add(
            "still-listed",
            self.name(slug),
            slug,
            page,
            says,
            f"returned to Scan on {back.decided_on}",
            newer,
            why,
            action,
        )

    def source_words(self, slug: str, change: PhaseChange) -> str:
        force = self.force(slug)
        titles = {s.id: s.title for s in force.sources} if force is not None else {}
        cited = [titles[s] for s in change.sources if s in titles]
        return f", {quoted(cited[0])}" if cited else ""

    def dates_differ(
        self, kind: str, page: EngageList, slug: str, says: str, ledger_says: str, move: PhaseChange
    ) -> None:
        source = self.source_words(slug, move)
        self.add(
            kind,
            self.name(slug),
            slug,
            page,
            says,
            ledger_says,
            "none",
            "not a question of age: the two sides date the same move differently",
            f"check the ledger's date against its source{source} (the page gives only a year or month); correct the "
            "ledger if its source says otherwise",
        )

    # -- the "previously in Engage" page -----------------------------------------------------------

    def previous_page(self, page: EngageList) -> None:
        matched: set[tuple[str, int]] = set()
        for entry in page.entries:
            slug = self.slug_of(page, entry)
            if slug is None:
                continue
            self.listed_previously(page, entry, slug, matched)
        for slug, force in sorted(self.ledger.files.items()):
            if force is None or not self.covers(page, force):
                continue
            for index, run in enumerate(episodes(force)):
                if run.left is None or (slug, index) in matched:
                    continue
                newer, why = self.weigh(page, slug)
                updated = page.updated.on if page.updated is not None else None
                if updated is not None and updated.latest < run.left.decided_on.earliest:
                    newer = "ledger"
                    back = run.left.decided_on
                    why = f"the page's own date ({page.updated.text}) is before the return to Scan ({back})"
                action = {
                    "ledger": "nothing: the page is out of date",
                }.get(newer, "check the episode's letters in the ledger; HMICFRS's page leaves it out")
                self.add(
                    "episode-not-listed",
                    self.name(slug),
                    slug,
                    page,
                    "does not list it",
                    f"in Engage from {run.entered.decided_on} to {run.left.decided_on}",
                    newer,
                    why,
                    action,
                )

    def listed_previously(self, page: EngageList, entry: EngageEntry, slug: str, matched: set) -> None:
        entered = entry.entered.on if entry.entered is not None else None
        left = entry.left.on if entry.left is not None else None
        says = "in Engage from {} to {}".format(
            entry.entered.text if entry.entered else "(no date given)",
            entry.left.text if entry.left else "(no date given)",
        )
        force = self.force(slug)
        runs = list(enumerate(episodes(force))) if force is not None else []
        free = [(i, run) for i, run in runs if (slug, i) not in matched]
        by_entry = [(i, run) for i, run in free if entered is not None and same_move(entered, run.entered)]
        by_exit = [
            (i, run) for i, run in free if left is not None and run.left is not None and same_move(left, run.left)
        ]
        pick = (by_entry or by_exit or [None])[0]
        if pick is None:
            newer, why = self.weigh(page, slug)
            self.add(
                "episode-not-on-record",
                self.name(slug),
                slug,
                page,
                says,
                self.now(slug),
                newer,
                why,
                f"find HMICFRS's letters for that episode and record them: {record(slug)}",
            )
            return
        index, run = pick
        matched.add((slug, index))
        if run.left is None:
            self.listed_exits.add((slug, index))
            newer, why = self.weigh(page, slug)
            ledger = self.evidence(slug)
            if left is not None and newer == "unknown" and ledger is not None and ledger.on.latest < left.earliest:
                newer = "page"
                why = f"the page's move out of Engage ({entry.left.text}) is after the ledger's latest source for it "
                why += f"({ledger.words})"
            action = (
                f"find HMICFRS's letter returning it to Scan{' (' + entry.left.text + ')' if entry.left else ''} and "
                f"record it: {record(slug)}"
            )
            self.add("left-per-page", self.name(slug), slug, page, says, self.now(slug), newer, why, action)
            return
        ledger_says = f"in Engage from {run.entered.decided_on} to {run.left.decided_on}"
        if not same_move(entered, run.entered):
            self.dates_differ("entry-date", page, slug, says, ledger_says, run.entered)
        elif not same_move(left, run.left):
            self.dates_differ("exit-date", page, slug, says, ledger_says, run.left)
        else:
            self.agreements.append(Agreement(self.name(slug), slug, page.name, says, ledger_says))


# -- the view -------------------------------------------------------------------------------------


class Reconciliation(NamedTuple):
    """The view of ``peel reconcile``."""

    compared_on: date
    pages: tuple[EngageList, ...]
    differences: tuple[Difference, ...]
    agreements: tuple[Agreement, ...]
    notes: tuple[str, ...]

    @property
    def agree(self) -> bool:
        return not self.differences

    def json(self) -> dict[str, Any]:
        return {
            "compared_on": self.compared_on.isoformat(),
            "agree": self.agree,
            "pages": [_page_json(page) for page in self.pages],
            "differences": [
                {
                    "kind": d.kind,
                    "name": d.name,
                    "slug": d.slug,
                    "page": d.page,
                    "page_says": d.page_says,
                    "ledger_says": d.ledger_says,
                    "newer": d.newer,
                    "newer_why": d.newer_why,
                    "action": d.action,
                }
                for d in self.differences
            ],
            "agreements": [
                {"name": a.name, "slug": a.slug, "page": a.page, "page_says": a.page_says, "ledger_says": a.ledger_says}
                for a in self.agreements
            ],
            "notes": list(self.notes),
        }

    def document(self) -> Document:
        headline = (
            "HMICFRS's pages and the ledger agree"
            if self.agree
            else f"{plural(len(self.differences), 'difference')} between HMICFRS's pages and the ledger"
        )
        differences = section(
            "Differences",
            ["Force or service", "Difference", "HMICFRS's page", "The ledger", "Newer", "Why", "What to do"],
            [
                (
                    d.name,
                    KINDS[d.kind],
                    d.page_says,
                    d.ledger_says,
                    Tag(NEWER_WORDS[d.newer], f"newer-{d.newer}"),
                    d.newer_why or "—",
                    d.action,
                )
                for d in self.differences
            ],
            empty="None: every entry on the pages matches the ledger.",
            wrap=frozenset({"HMICFRS's page", "The ledger", "Why", "What to do"}),
        )
        agreements = section(
            "Agreements",
            ["Force or service", "HMICFRS's page", "The ledger"],
            [(a.name, a.page_says, a.ledger_says) for a in self.agreements],
            wrap=frozenset({"HMICFRS's page", "The ledger"}),
        )._replace(collapsed=True)
        pages = section(
            "Pages read",
            ["Page", "Lists", "Whom", "Updated (as it says)", "Entries"],
            [
                (
                    page.name,
                    LISTINGS[page.listing],
                    {"police": "police forces", "fire": "fire and rescue services"}.get(page.sector, "not said"),
                    page.updated.text if page.updated is not None else "not said",
                    str(len(page.entries)),
                )
                for page in self.pages
            ],
            numeric=frozenset({"Entries"}),
            wrap=frozenset({"Page"}),
        )
        return Document(
            title="HMICFRS's Engage lists beside the ledger",
            facts=(("Compared on", self.compared_on.isoformat()), ("Outcome", headline)),
            parts=(differences, agreements, pages),
            notes=(
                *self.notes,
                "HMICFRS's pages give years and months, not days: a date disagrees only when none of the days the "
                "ledger gives the move can lie in it.",
            ),
        )


def _page_json(page: EngageList) -> dict[str, Any]:
    def when(given):
        return None if given is None else {"text": given.text, "date": None if given.on is None else str(given.on)}

    return {
        "page": page.name,
        "url": page.url,
        "title": page.title,
        "lists": page.listing,
        "sector": page.sector,
        "updated": when(page.updated),
        "entries": [{"name": e.name, "entered": when(e.entered), "left": when(e.left)} for e in page.entries],
    }
