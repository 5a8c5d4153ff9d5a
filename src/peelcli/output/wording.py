"""How peel words counts, spans and phases in every human-facing output: one place, one way."""

from __future__ import annotations


def plural(n: int, noun: str, plural_noun: str | None = None) -> str:
    """``1 file``, ``2 files``, ``3 causes of concern`` (give ``plural_noun`` when adding an
    ``s`` to the noun is wrong)."""
    if n == 1:
        return f"{n:,} {noun}"
    return f"{n:,} {plural_noun or noun + 's'}"


def days_span(least: int, most: int) -> str:
    """A number of days, or the range when a date is known only to a month or a year."""
    least = max(least, 0)
    return plural(least, "day") if least == most else f"{least:,} to {most:,} days"


def phase_name(phase: str) -> str:
    return phase.capitalize()


def body_word(sector: str) -> str:
    """What one body of a sector is called in prose: "force" (police), "service" (fire)."""
    from ..schema.names import BODY_WORDS

    return BODY_WORDS[sector][0]


def overseer_label(sector: str) -> str:
    """The label of the body a chief officer answers to: a force's policing body (PCC, PFCC or
    mayor), a service's governing body (fire and rescue authority, PFCC or mayor)."""
    return "Policing body" if sector == "police" else "Governing body"


def bodies_words(counts: dict[str, int], filed: dict[str, int] | None = None) -> str:
    """How many of each sector, each said apart and never summed: "43 forces", "43 forces and 44
    services"; a sector with none is left out when the other has some. With ``filed``, how many
    of each have a file, said beside its own count: "43 forces (10 with a file) and 44 services
    (16 with a file)"."""
    from ..schema.names import BODY_WORDS

    def counted(sector: str, n: int) -> str:
        said = plural(n, *BODY_WORDS[sector])
        return said if filed is None else f"{said} ({filed.get(sector, 0):,} with a file)"

    shown = [counted(sector, n) for sector, n in counts.items() if n or len(counts) == 1]
    return " and ".join(shown) or counted(next(iter(counts), "police"), 0)


def of_sector(text: str, sector: str) -> str:
    """A sentence peel writes of police forces, said of ``sector``: for fire and rescue services
    "force" becomes "service" ("forces", "Force", "force's" alike). Only for peel's own words,
    never a name from the record."""
    import re

    if sector == "police":
        return text
    return re.sub(r"\b([Ff])orce(s?)\b", lambda m: ("S" if m[1] == "F" else "s") + "ervice" + m[2], text)
