"""JSON as peel writes it: indented, UTF-8, every Decimal written as the exact number it is, and
every character no medium shows as it is (:mod:`.controls`) as a ``\\uXXXX`` escape, so the
text is exact and safe on a terminal alike."""

from __future__ import annotations

import json
import re
import secrets
from decimal import Decimal
from typing import Any

from .controls import UNSAFE_IN_LINES


def json_text(value: Any) -> str:
    """JSON with every Decimal written as the exact number it is: ``json`` refuses Decimals, and
    a float could round a published figure. Read it back with ``parse_float=Decimal``.

    ``json`` escapes control characters but not DEL, the C1 controls, bidirectional controls,
    line and paragraph separators or unpaired surrogates: those are escaped here, inside the
    strings that are the only place they can be (the structure is ASCII, its one control the
    line break that indents it)."""
    text = None
    while text is None:
        text = _dumped(value, secrets.token_hex(8))
    return UNSAFE_IN_LINES.sub(lambda m: f"\\u{ord(m[0]):04x}", text) + "\n"


def _dumped(value: Any, token: str) -> str | None:
    """``value`` as JSON, each Decimal standing in as a string holding ``token`` until it is
    written as its number; ``None`` when the ledger's own text happens to hold such a string
    (it would be counted twice), for the caller to draw another token."""
    numbers: list[str] = []

    def number(obj: object) -> str:
        if isinstance(obj, Decimal):
            numbers.append(format(obj, "f"))
            return f"{token}:{len(numbers) - 1}"
        raise TypeError(f"{type(obj).__name__} is not JSON")

    text = json.dumps(value, indent=2, ensure_ascii=False, default=number)
    if not numbers:
        return text
    mark = re.compile(f'"{token}:(\\d+)"')
    if len(mark.findall(text)) != len(numbers):
        return None
    return mark.sub(lambda m: numbers[int(m[1])], text)


def text_or_none(value: object) -> str | None:
    """A value as its text for JSON (a date as written), or null."""
    return None if value is None else str(value)
