"""National views by sector: police forces and fire and rescue services, each counted apart.

A national view (``peel status`` without FORCE, the site's front page) is computed for one sector
at a time; :class:`BySector` shows the sectors a run counts side by side, each with its own
headline, so that no figure of one sector is ever summed with the other's unsaid. Pure: views
in, a JSON value or a :class:`~peelcli.output.document.Document` out.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from .output.document import Cell, Document, Part, Tag
from .output.wording import of_sector
from .schema.names import SECTOR_NAMES, SECTOR_TITLES


def sectors_words(sectors: tuple[str, ...]) -> str:
    """ "police forces"; "police forces and fire and rescue services, each counted apart"."""
    words = " and ".join(SECTOR_TITLES[sector] for sector in sectors)
    return words + (", each counted apart" if len(sectors) > 1 else "")


def monitoring_title(sectors: tuple[str, ...]) -> str:
    """The title of a national view: "Police forces of England and Wales: HMICFRS monitoring"."""
    return joined_names(sectors) + ": HMICFRS monitoring"


class BySector(NamedTuple):
    """The view of a national command over one or more sectors: ``parts`` holds each sector's own
    view (with ``json()`` and ``document()``), in the order of ``sectors``. In the JSON, ``rows``
    are the keys whose lists are listed once for every sector, each entry with its sector, and
    ``shared`` those every sector's view gives alike (the day asked about)."""

    sectors: tuple[str, ...]
    parts: tuple[Any, ...]
    rows: tuple[str, ...] = ("forces",)
    shared: tuple[str, ...] = ("as_of",)

    def json(self) -> dict[str, Any]:
        return by_sector_json(self.sectors, [part.json() for part in self.parts], self.rows, self.shared)

    def document(self) -> Document:
        return by_sector_document(self.sectors, [part.document() for part in self.parts])


def by_sector_json(
    sectors: tuple[str, ...],
    shown: list[dict[str, Any]],
    rows: tuple[str, ...] = ("forces",),
    shared: tuple[str, ...] = ("as_of",),
) -> dict[str, Any]:
    """Each sector's JSON under ``sectors``, its ``rows`` listed once at the top (an entry that is
    an object gets its sector). A view of one sector keeps its own keys at the top level too, as
    before there were sectors; a view of several keeps only the ``shared`` ones there, since any
    other figure there would be a sum of both."""
    parts = [
        {"sector": sector, **{key: value for key, value in found.items() if key not in (*rows, *shared)}}
        for sector, found in zip(sectors, shown, strict=True)
    ]
    listed = {
        key: [
            {**row, "sector": sector} if isinstance(row, dict) else row
            for sector, found in zip(sectors, shown, strict=True)
            for row in found.get(key) or []
        ]
        for key in rows
    }
    if len(shown) == 1:
        return {**shown[0], "sector": sectors[0], "sectors": parts, **listed}
    return {**{key: shown[0][key] for key in shared if key in shown[0]}, "sectors": parts, **listed}


def by_sector_document(sectors: tuple[str, ...], documents: list[Document]) -> Document:
    """One sector's document as it is, with a line saying which sector it counts where its title
    does not say it ("Police forces of England and Wales: ..."); several side by
    side, each a part titled with its sector, holding its own headline facts, sections and notes
    (their anchors prefixed with the sector, so each stays unique). Facts every sector's document
    opens with alike (the as-of day) are said once."""
    documents = [said_of(document, sector) for sector, document in zip(sectors, documents, strict=True)]
    if len(documents) == 1:
        document = documents[0]
        if SECTOR_NAMES[sectors[0]] in document.title:
            return document  # its title says which sector it counts
        facts = list(document.facts)
        facts.insert(1 if facts else 0, ("Sector", sectors_words(sectors)))
        return document._replace(facts=facts)
    shared = [fact for fact in documents[0].facts if all(fact in d.facts for d in documents[1:])]
    parts = []
    for sector, document in zip(sectors, documents, strict=True):
        inner = [part._replace(anchor=f"{sector}-{part.anchor}") if part.anchor else part for part in document.parts]
        if inner and document.notes:
            inner[-1] = inner[-1]._replace(notes=[*inner[-1].notes, *document.notes])
        parts.append(
            Part(
                SECTOR_NAMES[sector],
                f"sector-{sector}",
                facts=[fact for fact in document.facts if fact not in shared],
                parts=inner,
                notes=[] if inner else list(document.notes),
            )
        )
    facts = [*shared, ("Sectors", sectors_words(sectors))]
    footer = next((d.footer for d in documents if d.footer), "")
    title = documents[0].title.replace(SECTOR_NAMES[sectors[0]], joined_names(sectors), 1)
    return Document(title, facts, parts, (), footer)


def joined_names(sectors: tuple[str, ...]) -> str:
    """ "Police forces of England and Wales and fire and rescue services of England"."""
    names = [SECTOR_NAMES[sector] for sector in sectors]
    return " and ".join([names[0], *(name[0].lower() + name[1:] for name in names[1:])])


def said_of(document: Document, sector: str) -> Document:
    """A national view's document of one sector in that sector's words: peel's own text (titles,
    facts, headings, notes) says "service" where a police view says "force"; what comes from the
    record (a table's rows, a quotation, a chart) is left as it is."""
    if sector == "police":
        return document

    def cell(value: Cell) -> Cell:
        if isinstance(value, Tag):
            return Tag(of_sector(value.text, sector), value.kind)
        return of_sector(value, sector) if isinstance(value, str) else value

    def facts(pairs) -> list:
        return [(of_sector(label, sector), cell(value)) for label, value in pairs]

    def part(found: Part) -> Part:
        table = found.table
        if table is not None:
            table = table._replace(
                columns=[of_sector(column, sector) for column in table.columns],
                empty=of_sector(table.empty, sector),
                numeric=frozenset(of_sector(c, sector) for c in table.numeric),
                wrap=frozenset(of_sector(c, sector) for c in table.wrap),
            )
        return found._replace(
            title=of_sector(found.title, sector),
            facts=facts(found.facts),
            paragraphs=[of_sector(text, sector) for text in found.paragraphs],
            table=table,
            parts=[part(inner) for inner in found.parts],
            notes=[of_sector(text, sector) for text in found.notes],
        )

    return document._replace(
        title=of_sector(document.title, sector),
        facts=facts(document.facts),
        parts=[part(found) for found in document.parts],
        notes=[of_sector(text, sector) for text in document.notes],
        footer=of_sector(document.footer, sector),
    )
