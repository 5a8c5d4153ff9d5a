"""JSON as peel writes it: indented, UTF-8, and every Decimal written as the exact number it is."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any


def json_text(value: Any) -> str:
    """JSON with every Decimal written as the exact number it is: ``json`` refuses Decimals, and
    a float could round a published figure. Read it back with ``parse_float=Decimal``."""
    numbers: list[str] = []

    def number(obj: object) -> str:
        if isinstance(obj, Decimal):
            numbers.append(format(obj, "f"))
            return f"\x00{len(numbers) - 1}\x00"
        raise TypeError(f"{type(obj).__name__} is not JSON")

    # Ledger text cannot hold control characters, so the NUL-delimited marks are only ours.
    text = json.dumps(value, indent=2, ensure_ascii=False, default=number)
    if numbers:
        text = re.sub(r'"\\u0000(\d+)\\u0000"', lambda m: numbers[int(m[1])], text)
    return text + "\n"


def text_or_none(value: object) -> str | None:
    """A value as its text for JSON (a date as written), or null."""
    return None if value is None else str(value)
