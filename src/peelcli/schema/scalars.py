"""Validators for peel's own scalar types, shared by the pydantic models and the compiled schema.

Kept free of pydantic's heavy modules (only ``pydantic_core``), because the compiled schema
calls them on every run. :func:`address_fault` is also the one rule for a web address wherever
one enters the ledger or is fetched: a force file, an editing command's ``--url`` or ``--source``,
``peel ingest``'s letter, its ``--url`` and its canonical link, and :mod:`peelcli.fetch`.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from pydantic_core import PydanticCustomError

from ..dates import DateSyntaxError, PartialDate


def partial_date(value: object) -> PartialDate:
    """YYYY-MM-DD, YYYY-MM or YYYY (as text, or a plain year number) to a PartialDate."""
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise PydanticCustomError("date_type", "expected a date: YYYY-MM-DD, or YYYY-MM / YYYY when only that is known")
    try:
        return PartialDate.parse(value)
    except DateSyntaxError as exc:
        raise PydanticCustomError("date_syntax", str(exc)) from None


def number(value: object) -> Decimal:
    """A plain number (5.5, 12) as an exact Decimal; never a boolean or text."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    raise PydanticCustomError("number_type", "expected a number such as 5.5")


_SCHEME = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*):(?P<slashes>/*)")
_HOST_LABEL = re.compile(r"^[\w-]{1,63}$")
_PORT = re.compile(r"^[0-9]{1,5}$")
_SHOWN = 200
"""At most this many characters of an address are quoted in a message."""


def address_fault(url: str, *, schemes: tuple[str, ...] = ("http", "https")) -> str | None:
    """What is wrong with ``url`` as a web address, as words that follow "it" ("holds a space at
    character 9"), or ``None``. An address peel stores is published as a link, so it holds no credentials
    (``user:pw@``), no whitespace or control or invisible character, and a real host and port."""
    for index, char in enumerate(url):
        category = unicodedata.category(char)
        if char.isspace():
            what = {" ": "a space", "\t": "a tab", "\n": "a line break", "\r": "a carriage return"}.get(char)
            what = what or f"a space character (U+{ord(char):04X})"
            return f"holds {what} at character {index + 1}: an address has none (write a space as %20)"
        if category in ("Cc", "Cs"):
            return f"holds a control character (U+{ord(char):04X}) at character {index + 1}"
        if category == "Cf":
            return f"holds an invisible formatting character (U+{ord(char):04X}) at character {index + 1}"
    wanted = " or ".join(f"{s}://" for s in schemes)
    found = _SCHEME.match(url)
    if found is None:
        return f"must start with {wanted}"
    scheme = found["scheme"].lower()
    if scheme not in schemes:
        return f"starts with {found['scheme']}:, not {wanted}"
    if found["slashes"] != "//":
        return f"must start with {scheme}:// (two slashes after the colon)"
    authority = re.split(r"[/?#]", url[found.end() :], maxsplit=1)[0]
    if "\\" in authority:
        return "holds a backslash before its path: browsers read it as '/', so the host is not what it seems"
    if "@" in authority:
        return (
            "holds a user name or password (before '@'): peel never stores, publishes or sends credentials; "
            "give the address without them"
        )
    host, port = authority, None
    if authority.startswith("["):
        end = authority.find("]")
        host, rest = authority[: end + 1], authority[end + 1 :]
        if end < 0 or (rest and not rest.startswith(":")):
            return f"has a host {_shown(authority)} that is not a host name or address"
        port = rest[1:] if rest else None
        import ipaddress

        try:
            ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            return f"has a host {_shown(host)} that is not an IPv6 address"
    elif ":" in authority:
        host, _, port = authority.rpartition(":")
    if not host:
        return f"has no host after {scheme}://"
    if not host.startswith("["):
        labels = host.removesuffix(".").split(".")
        if (
            len(host) > 253
            or not all(_HOST_LABEL.match(label) for label in labels)
            or any(label.startswith("-") or label.endswith("-") for label in labels)
        ):
            return f"has a host {_shown(host)} that is not a host name"
    if port and (not _PORT.match(port) or not 1 <= int(port) <= 65535):
        return f"has a port {_shown(port)} that is not a port number (1 to 65535)"
    return None


def masked_address(url: str) -> str:
    """An address as a message quotes it: a user name or password before '@' shown as '…'."""
    return re.sub(r"^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@", r"\1…@", url)


def _shown(text: str) -> str:
    return repr(text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…")


def web_address(value: object) -> str:
    """An ``http://`` or ``https://`` address, refused with what is wrong with it."""
    if not isinstance(value, str):
        raise PydanticCustomError("url_type", "expected a web address such as https://example.org/page")
    fault = address_fault(value)
    if fault is not None:
        raise PydanticCustomError(
            "url_syntax", "{address} is not a web address: it {fault}", {"address": _shown(value), "fault": fault}
        )
    return value
