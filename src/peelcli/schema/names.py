"""Names and text patterns of the file format: light enough for the command line to import.

The models use them to say what a value may be; messages use them to explain a refusal, so the
two never disagree.
"""

import re

SOURCE_KINDS: tuple[str, ...] = (
    "inspection-report",
    "accelerated-cause-of-concern",
    "revisit-letter",
    "phase-decision-letter",
    "return-letter",
    "news-release",
    "ppog-meeting",
    "web-page",
    "press-report",
)
PHASES: tuple[str, ...] = ("scan", "engage")
CONCERN_KINDS: tuple[str, ...] = ("cause-of-concern", "area-of-concern")
SECTORS: tuple[str, ...] = ("police", "fire")
"""The two sectors HMICFRS monitors with Scan and Engage: the police forces of England and Wales
and the fire and rescue services of England. One format serves both; ``sector`` says which."""
POLICING_BODY_KINDS: tuple[str, ...] = ("pcc", "pfcc", "mayor", "fire-authority")
BODY_KINDS_BY_SECTOR: dict[str, tuple[str, ...]] = {
    "police": ("pcc", "pfcc", "mayor"),
    "fire": ("fire-authority", "pfcc", "mayor"),
}
"""Which bodies may oversee a force or a service: a police and crime commissioner oversees police
only, a fire and rescue authority fire only; a PFCC or a mayor may oversee both."""
FIRE_SLUG_SUFFIX = "-fire"
"""Every fire and rescue service's slug ends so (``buckinghamshire-fire``) and no police force's
does, so a county's force and service never share a slug."""

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
URL_PATTERN = r"^https?://[^\s/$.?#@\\][^\s/?#@\\]*(?:[/?#]\S*)?$"
"""The form a web address takes, for editors' JSON Schema: peel's own check
(:func:`peelcli.schema.scalars.address_fault`) also says what is wrong with one."""
NOT_BLANK = r"\S"

ID_RULE = "use letters, digits, '.', '_' or '-' (at most 64), starting with a letter or digit"
SLUG_RULE = "lower-case words joined by '-', like west-midlands"
BODY_WORDS = {"police": ("force", "forces"), "fire": ("service", "services")}
"""What one body of a sector is called, and several: "force" for police, "service" for fire."""
SECTOR_TITLES = {"police": "police forces", "fire": "fire and rescue services"}
SECTOR_NAMES = {"police": "Police forces of England and Wales", "fire": "Fire and rescue services of England"}
"""Each sector as a national view's title names it."""


def chosen_sectors(choice: str) -> tuple[str, ...]:
    """``--sector``'s choice as the sectors it counts: ``all`` is both, police first."""
    return SECTORS if choice == "all" else (choice,)


def sector_of_slug(slug: str) -> str:
    """The sector a slug's form says: ``fire`` for ``<area>-fire``, else ``police``."""
    return "fire" if slug.endswith(FIRE_SLUG_SUFFIX) else "police"


def name_key(name: str) -> str:
    """A force's or service's name as compared: any case, "&" read as "and", "FRS" as "fire and
    rescue service", "the", punctuation and spacing ignored ("The Metropolitan Police Service",
    "Devon & Cornwall Police", "Gloucestershire FRS"). Resolving a FORCE and checking the
    registry's names are unique use this one key."""
    words = re.sub(r"[^a-z0-9]+", " ", name.lower().replace("&", " and ")).split()
    return " ".join(_SPELLED.get(word, word) for word in words if word != "the")


_SPELLED = {"frs": "fire and rescue service"}
"""Abbreviations HMICFRS itself writes for part of a name ("Gloucestershire FRS")."""
