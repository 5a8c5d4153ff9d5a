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
POLICING_BODY_KINDS: tuple[str, ...] = ("pcc", "pfcc", "mayor")

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
URL_PATTERN = r"^https?://[^\s/$.?#@\\][^\s/?#@\\]*(?:[/?#]\S*)?$"
"""The form a web address takes, for editors' JSON Schema: peel's own check
(:func:`peelcli.schema.scalars.address_fault`) also says what is wrong with one."""
NOT_BLANK = r"\S"

ID_RULE = "use letters, digits, '.', '_' or '-' (at most 64), starting with a letter or digit"
SLUG_RULE = "lower-case words joined by '-', like west-midlands"


def name_key(name: str) -> str:
    """A force's name as compared: any case, "&" read as "and", "the", punctuation and spacing
    ignored ("The Metropolitan Police Service", "Devon & Cornwall Police"). Resolving a FORCE and
    checking the registry's names are unique use this one key."""
    words = re.sub(r"[^a-z0-9]+", " ", name.lower().replace("&", " and ")).split()
    return " ".join(word for word in words if word != "the")
