"""Edit a YAML file's text in place, touching only the lines that change.

A round-trip YAML library re-emits the whole file and normalises what it does not model
(indentation of lists, line wrapping, spacing in flow lists). Here the parser's marks say where
each node starts and ends, and an edit is a :class:`Splice` of new text at those places, so
every other byte (comments, quoting, blank lines, key order, line endings) stays as it was.
New values are written in the style of their neighbours: the indentation of the mapping they
join, the file's own dash offset for lists, its own line ending.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Union

import yaml

from .dates import PartialDate
from .problems import Path, PeelError
from .yamlsource import YamlDocument

# A value to write: text, a date, a flag, a list of them, or a mapping (pairs, in order).
Value = Union[str, PartialDate, bool, int, Decimal, list, "Entries"]
Entries = list[tuple[str, Value]]

_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._'()/&+;!%@$*=~-]*")  # no '?': it ends a plain scalar in a flow list
_NOT_PLAIN = re.compile(r"(?i)(y|n|yes|no|on|off|true|false|null|~)")
# What a YAML 1.2 reader (the core schema: the editor extension docs/file-format.md recommends) takes a
# plain scalar for other than text; YAML 1.1's own list is PyYAML's resolver.
_YAML12_NOT_TEXT = re.compile(
    r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
_RESOLVER = yaml.resolver.Resolver()
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0"}


def scalar(text: str) -> str:
    """``text`` as a YAML scalar that every YAML reader (1.1 and 1.2) reads back as this exact text.

    Plain when that is unambiguous (letters, digits, spaces and a little punctuation, and not a
    word or number some reader takes for a boolean, null or number: ``no``, ``1e3``, ``0o17``);
    double-quoted with escapes otherwise.
    """
    if (
        _PLAIN.fullmatch(text)
        and not text.endswith(" ")
        and "  " not in text
        and not _NOT_PLAIN.fullmatch(text)
        and not _YAML12_NOT_TEXT.fullmatch(text)
        and _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == "tag:yaml.org,2002:str"
    ):
        return text
    return '"' + "".join(_escape(ch) for ch in text) + '"'


def _escape(ch: str) -> str:
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    code = ord(ch)
    if code < 0x20 or 0x7F <= code <= 0x9F or code in (0x2028, 0x2029, 0xFEFF) or 0xD800 <= code <= 0xDFFF:
        return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
    if code in (0xFFFE, 0xFFFF):
        return f"\\u{code:04x}"
    return ch


def value_text(value: Value) -> str:
    """A value that fits on the line after its key: scalars and flow lists of scalars."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, PartialDate):
        return str(value)
    if isinstance(value, str):
        return scalar(value)
    if isinstance(value, list) and all(not isinstance(v, (list, tuple)) for v in value):
        return "[" + ", ".join(value_text(v) for v in value) + "]"
    raise TypeError(f"not an inline value: {value!r}")


def _is_mapping(value: Value) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, tuple) for v in value)


def _is_inline(value: Value) -> bool:
    return not _is_mapping(value) and not (isinstance(value, list) and any(_is_mapping(v) for v in value))


def block_lines(entries: Entries, indent: int, dash: int) -> list[str]:
    """``key: value`` lines at ``indent``; nested mappings one level (2 spaces) deeper, lists of
    mappings with the file's dash offset ``dash``."""
    pad = " " * indent
    lines: list[str] = []
    for key, value in entries:
        lines += _key_lines(key, value, pad, indent, dash)
    return lines


def _key_lines(key: str, value: Value, pad: str, indent: int, dash: int) -> list[str]:
    if _is_mapping(value):
        return [f"{pad}{key}:", *block_lines(value, indent + 2, dash)]
    if isinstance(value, list) and value and all(_is_mapping(v) for v in value):
        lines = [f"{pad}{key}:"]
        for item in value:
            lines += item_lines(item, indent + dash, dash)
        return lines
    return [f"{pad}{key}: {value_text(value)}"]


def item_lines(entries: Entries, dash_column: int, dash: int) -> list[str]:
    """A list item holding a mapping: ``- first: ...`` then the other keys under ``first``."""
    lines = block_lines(entries, dash_column + 2, dash)
    first = lines[0]
    return [" " * dash_column + "- " + first[dash_column + 2 :], *lines[1:]]


def flow_text(value: Value) -> str:
    if _is_mapping(value):
        return "{" + ", ".join(f"{k}: {flow_text(v)}" for k, v in value) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow_text(v) for v in value) + "]"
    return value_text(value)


@dataclass(frozen=True)
class Splice:
    """Replace ``text[start:end]`` with ``new``."""

    start: int
    end: int
    new: str


def apply(text: str, splices: list[Splice]) -> str:
    """Apply splices made against the same original text, last first, so indices hold; two
    insertions at one place keep the order in which they were made. Removals that overlap (two
    neighbours in a flow mapping, each taking a separator with it) are one removal."""
    splices = _merged(splices)
    ordered = sorted(enumerate(splices), key=lambda pair: (pair[1].start, pair[1].end, pair[0]), reverse=True)
    for _, splice in ordered:
        text = text[: splice.start] + splice.new + text[splice.end :]
    return text


def _merged(splices: list[Splice]) -> list[Splice]:
    """Overlapping removals as their union; any other overlap is a fault in the edit, refused."""
    removals = sorted((s for s in splices if not s.new and s.start < s.end), key=lambda s: s.start)
    kept = [s for s in splices if s.new or s.start == s.end]
    merged: list[Splice] = []
    for removal in removals:
        if merged and removal.start < merged[-1].end:
            merged[-1] = Splice(merged[-1].start, max(merged[-1].end, removal.end), "")
        else:
            merged.append(removal)
    spans = sorted((s.start, s.end) for s in [*kept, *merged] if s.start < s.end)
    points = [s.start for s in kept if s.start == s.end]
    if any(later[0] < earlier[1] for earlier, later in itertools.pairwise(spans)) or any(
        start < point < end for point in points for start, end in spans
    ):
        raise PeelError("internal: two changes of one edit overlap")
    return kept + merged


_NULLS = ("", "~", "null", "Null", "NULL")


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.style in (None, "") and node.value in _NULLS


class Editor:
    """Splices against one parsed document.

    Places come from the parser's marks (character indices), never from counting lines, so a
    file's odd but valid YAML (flow collections with a trailing comma, explicit ``? key``
    entries, ``key: null``, comments anywhere, CRLF) is edited where the parser says the value
    is. Line breaks other than ``\\n`` cannot mislead it: the reader refuses them outside quoted
    text (:mod:`peelcli.yamlsource`).
    """

    def __init__(self, document: YamlDocument):
        self.document = document
        self.text = document.text
        self.nl = document.newline
        self.dash = _dash_offset(document.root)

    # -- finding places -----------------------------------------------------------------------

    def node(self, path: Path) -> yaml.Node:
        node = _path_of(self.document, path)
        if node is None:
            raise PeelError(f"internal: no node at {path}")
        return node

    def has(self, path: Path) -> bool:
        return _path_of(self.document, path) is not None

    def _entry(self, mapping: yaml.MappingNode, key: str) -> tuple[yaml.Node, yaml.Node] | None:
        return next((pair for pair in mapping.value if _key_is(pair[0], key)), None)

    def _end(self, node: yaml.Node) -> int:
        """Index just past the last character that belongs to ``node``'s value (a block scalar's
        trailing blank lines excepted, unless it keeps them)."""
        while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and not node.flow_style and node.value:
            last = node.value[-1]
            node = last[1] if isinstance(node, yaml.MappingNode) else last
        end = node.end_mark.index
        if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
            header = self.text[node.start_mark.index : self.text.find("\n", node.start_mark.index)]
            if "+" not in header.split("#")[0]:
                end = node.start_mark.index + len(self.text[node.start_mark.index : end].rstrip(" \r\n"))
        return end

    def _after_line(self, index: int) -> tuple[int, str]:
        """Where a new line can start after ``index``: just past the end of its line (an
        index already at a line start is used as it is). Also the text to put before the new
        lines: a line break when the file ends without one."""
        if index == 0 or self.text[index - 1] == "\n":
            return index, ""
        newline = self.text.find("\n", index)
        if newline == -1:
            return len(self.text), self.nl
        return newline + 1, ""

    def _lines(self, lines: list[str]) -> str:
        return "".join(line + self.nl for line in lines)

    def _implicit(self, key: yaml.Node) -> bool:
        """The key starts its own line's content (``key: ...`` or ``- key: ...``), not ``? key``."""
        start = key.start_mark.index
        line_start = self.text.rfind("\n", 0, start) + 1
        return not self.text[line_start:start].replace("-", " ").strip()

    def _spaced(self, nodes: list[yaml.Node]) -> bool:
        """Whether entries are set apart by blank lines (a file's sections, often): new ones are too."""
        for node in nodes[1:]:
            line_start = self.text.rfind("\n", 0, node.start_mark.index) + 1
            before = self.text.rfind("\n", 0, max(line_start - 1, 0)) + 1
            if line_start and not self.text[before : line_start - 1].strip():
                return True
        return False

    def _block_insert(self, index: int, lines: list[str], spaced: bool) -> Splice:
        """New lines on the line after ``index``, after a blank line when ``spaced``."""
        start, prefix = self._after_line(index)
        return Splice(start, start, prefix + (self.nl if spaced else "") + self._lines(lines))

    # -- edits --------------------------------------------------------------------------------

    def add_keys(self, path: Path, entries: Entries, after: tuple[str, ...] = ()) -> Splice:
        """Add keys to the mapping at ``path``: after the last of the keys ``after`` it holds,
        else at its end."""
        mapping = self.node(path)
        if not isinstance(mapping, yaml.MappingNode):
            raise PeelError(f"internal: {path} is not a mapping")
        if mapping.flow_style or not mapping.value:
            body = ", ".join(f"{k}: {flow_text(v)}" for k, v in entries)
            if not mapping.value:
                close = mapping.end_mark.index - 1
                return Splice(close, close, body)
            end = mapping.value[-1][1].end_mark.index
            return Splice(end, end, ", " + body)
        lines = block_lines(entries, mapping.start_mark.column, self.dash)
        before = [pair for pair in mapping.value if any(_key_is(pair[0], key) for key in after)]
        if before:
            last = before[-1]
            following = mapping.value[mapping.value.index(last) + 1 :]
            spaced = bool(following) and self._spaced([last[0], following[0][0]])
            return self._block_insert(self._end(last[1]), lines, spaced)
        spaced = path == () and self._spaced([k for k, _ in mapping.value])
        return self._block_insert(self._end(mapping), lines, spaced)

    def put(self, path: Path, key: str, value: Value, after: tuple[str, ...] = ()) -> Splice:
        """Give ``key`` of the mapping at ``path`` this value: added when absent, written over
        an empty (``null``) or scalar value in place, every other byte kept."""
        mapping = self.node(path)
        entry = self._entry(mapping, key) if isinstance(mapping, yaml.MappingNode) else None
        if entry is None:
            return self.add_keys(path, [(key, value)], after)
        key_node, node = entry
        if isinstance(node, yaml.ScalarNode) and _is_inline(value):
            start, end = node.start_mark.index, node.end_mark.index
            if _is_null(node) and start == end:
                return Splice(start, end, " " + value_text(value))
            if node.style in ("|", ">"):
                end = self._end(node)
            return Splice(start, end, restyled(node, self.text[start:end], value))
        if isinstance(node, yaml.SequenceNode) and node.flow_style and _is_inline(value):
            return Splice(node.start_mark.index, node.end_mark.index, value_text(value))
        if (
            isinstance(node, yaml.SequenceNode)
            and node.value
            and isinstance(value, list)
            and value
            and _is_inline(value)
        ):
            return self._block_list(node, value)
        if not _is_null(node):
            raise PeelError(f"internal: {(*path, key)} holds a list or mapping: not replaced")
        return self._fill(mapping, key_node, node, value)

    def _block_list(self, sequence: yaml.SequenceNode, values: list) -> Splice:
        """A block list of scalars given new items, one a line, at its own dash column."""
        column = sequence.start_mark.column
        start = self.text.rfind("\n", 0, sequence.start_mark.index) + 1
        end, _ = self._after_line(self._end(sequence))
        lines = [" " * column + "- " + value_text(v) for v in values]
        return Splice(start, end, self._lines(lines))

    def replace_scalar(self, path: Path, value: str) -> Splice:
        """Write over the text at ``path`` (a value or an item of a list), in its own quoting
        style where that holds the new text."""
        node = self.node(path)
        if not isinstance(node, yaml.ScalarNode):
            raise PeelError(f"internal: {path} is not a scalar")
        start = node.start_mark.index
        end = self._end(node) if node.style in ("|", ">") else node.end_mark.index
        return Splice(start, end, restyled(node, self.text[start:end], value))

    def _fill(self, mapping: yaml.MappingNode, key_node: yaml.Node, node: yaml.Node, value: Value) -> Splice:
        """Write a mapping or list where ``key: null`` (or ``key:``) stands."""
        start, end, gap = node.start_mark.index, node.end_mark.index, ""
        if start == end:  # nothing after the key: write the value just past its ':'
            colon = self._colon(key_node, start)
            if colon is None:  # a lone ``? key``: give it its ':' line
                question = self.text.rfind("?", 0, key_node.start_mark.index)
                column = question - (self.text.rfind("\n", 0, question) + 1)
                at = key_node.end_mark.index
                return Splice(at, at, f"{self.nl}{' ' * column}: {flow_text(value)}")
            start = end = colon + 1
            gap = " "
        if mapping.flow_style or not self._implicit(key_node):
            return Splice(start, end, gap + flow_text(value))
        column = key_node.start_mark.column
        lines = block_lines(value, column + 2, self.dash) if _is_mapping(value) else self._items(value, column)
        return Splice(start, end, self.nl + self._lines(lines).removesuffix(self.nl))

    def _colon(self, key_node: yaml.Node, limit: int) -> int | None:
        """The index of the ':' that follows a key, outside comments, before ``limit``."""
        index = key_node.end_mark.index
        while index < limit:
            char = self.text[index]
            if char == ":":
                return index
            if char == "#":
                index = self.text.find("\n", index)
                if index == -1:
                    return None
            index += 1
        return None

    def append_item(self, parent: Path, key: str, item: Value, after: tuple[str, ...] = ()) -> Splice:
        return self.append_items(parent, key, [item], after)[0]

    def append_items(self, parent: Path, key: str, items: list[Value], after: tuple[str, ...] = ()) -> list[Splice]:
        """Append items to the list under ``key`` of the mapping at ``parent``; create the list
        (after the last of the keys ``after`` present, else at the end of that mapping) when the
        key is absent or empty."""
        if not items:
            return []
        mapping = self.node(parent)
        entry = self._entry(mapping, key) if isinstance(mapping, yaml.MappingNode) else None
        if entry is None:
            return [self.add_keys(parent, [(key, list(items))], after)]
        key_node, sequence = entry
        if _is_null(sequence):
            return [self._fill(mapping, key_node, sequence, list(items))]
        if not isinstance(sequence, yaml.SequenceNode):
            raise PeelError(f"internal: {(*parent, key)} is not a list")
        if sequence.flow_style:
            if sequence.value:
                end = sequence.value[-1].end_mark.index
                return [Splice(end, end, ", " + ", ".join(flow_text(item) for item in items))]
            if not mapping.flow_style and self._implicit(key_node):
                # ``key: []``: put a block list there.
                lines = self._items(items, key_node.start_mark.column)
                start, end = sequence.start_mark.index, sequence.end_mark.index
                while start > 0 and self.text[start - 1] == " ":
                    start -= 1
                return [Splice(start, end, self.nl + self._lines(lines).removesuffix(self.nl))]
            close = sequence.end_mark.index - 1
            return [Splice(close, close, ", ".join(flow_text(item) for item in items))]
        dash_column = sequence.start_mark.column
        lines = self._items(items, dash_column - self.dash)
        return [self._block_insert(self._end(sequence), lines, self._spaced(sequence.value))]

    def _items(self, items: list[Value], key_column: int) -> list[str]:
        dash_column = key_column + self.dash
        lines: list[str] = []
        for item in items:
            if _is_mapping(item):
                lines += item_lines(item, dash_column, self.dash)
            else:
                lines.append(" " * dash_column + "- " + value_text(item))
        return lines

    def remove_key(self, path: Path) -> Splice | None:
        """Remove a key and its value when they own whole lines; ``None`` when they do not."""
        parent = _path_of(self.document, path[:-1])
        if not isinstance(parent, yaml.MappingNode) or parent.flow_style:
            return None
        entry = self._entry(parent, path[-1])
        if entry is None:
            return None
        key_node, value = entry
        start = self.text.rfind("\n", 0, key_node.start_mark.index) + 1
        if self.text[start : key_node.start_mark.index].strip() not in ("", "?"):
            return None  # something else (a '- ' or another key) shares the key's line
        last = value if value.end_mark.index > key_node.end_mark.index else key_node
        end, _ = self._after_line(self._end(last))
        return Splice(start, end, "")

    def remove(self, path: Path) -> Splice | None:
        """Remove the key (with its value) or the list item at ``path``, in block or flow style;
        ``None`` where that cannot be done without touching what surrounds it (the only entry of
        a flow collection, the only item of a list: remove the key holding it instead).

        A blank line that set the entry apart goes with it, so that adding the entry back where
        the commands add it gives the text as it was."""
        parent = _path_of(self.document, path[:-1])
        step = path[-1]
        if isinstance(parent, yaml.MappingNode) and isinstance(step, str):
            index = next((i for i, (k, _) in enumerate(parent.value) if _key_is(k, step)), None)
            if index is None:
                return None
            starts = [self._entry_start(k) for k, _ in parent.value]
            ends = [self._end(v) if v.end_mark.index > k.end_mark.index else k.end_mark.index for k, v in parent.value]
        elif isinstance(parent, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(parent.value):
            index = step
            starts = [n.start_mark.index for n in parent.value]
            ends = [self._end(n) for n in parent.value]
        else:
            return None
        if parent.flow_style:
            if len(starts) == 1:
                return None
            if index < len(starts) - 1:
                return Splice(starts[index], starts[index + 1], "")
            return Splice(ends[index - 1], ends[index], "")
        line_start = self.text.rfind("\n", 0, starts[index]) + 1
        lead = self.text[line_start : starts[index]]
        if isinstance(parent, yaml.SequenceNode):
            if len(starts) == 1 or not re.fullmatch(r" *- *", lead):
                return None
        elif lead.strip(" "):
            if re.fullmatch(r" *- *", lead) and index + 1 < len(starts):
                # ``- key: ...`` with more keys below: the next key moves up to the dash.
                return Splice(starts[index], self._line_content(starts[index + 1]), "")
            return None
        end, _ = self._after_line(ends[index])
        return self._tidy(line_start, end, first=index == 0)

    def _entry_start(self, key: yaml.Node) -> int:
        """Where a mapping entry starts: its key, or the '?' of an explicit key."""
        before = self.text[: key.start_mark.index].rstrip(" ")
        return len(before) - 1 if before.endswith("?") else key.start_mark.index

    def _line_content(self, index: int) -> int:
        """The first character that is not a space on ``index``'s line."""
        line_start = self.text.rfind("\n", 0, index) + 1
        return line_start + len(self.text[line_start:]) - len(self.text[line_start:].lstrip(" "))

    def _tidy(self, start: int, end: int, *, first: bool) -> Splice:
        """Remove whole lines ``start:end``, and the blank line that set them apart: the one
        before, else (for a first entry) the one after."""
        previous = self.text.rfind("\n", 0, max(start - 1, 0)) + 1
        if start > 0 and not self.text[previous:start].strip():
            return Splice(previous, end, "")
        following = self.text.find("\n", end)
        if first and following != -1 and not self.text[end:following].strip():
            return Splice(start, following + 1, "")
        return Splice(start, end, "")


def _single_quotable(text: str) -> bool:
    """Text a single-quoted scalar holds as it is (one needs no escape but a doubled quote)."""
    return all(ch in '\\"' or _escape(ch) == ch for ch in text)


def restyled(node: yaml.ScalarNode, written: str, value: Value) -> str:
    """``value`` written where ``node`` was (``written``: its text in the file). Text the file
    writes as peel would (:func:`scalar`) is written as peel writes it; text in a style someone
    chose (a single-quoted title, a double-quoted word peel would leave plain) keeps that style
    where it holds the new text; so a correction and its reverse give the file back, unless the
    file's style cannot hold the new text or nothing tells the chosen style from peel's."""
    if not isinstance(value, str):
        return value_text(value)
    if written != scalar(node.value):
        if node.style == "'" and _single_quotable(value):
            return "'" + value.replace("'", "''") + "'"
        if node.style == '"':
            return '"' + "".join(_escape(ch) for ch in value) + '"'
    return scalar(value)


def _key_is(node: yaml.Node, key: str) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.value == key


def _path_of(document: YamlDocument, path: Path) -> yaml.Node | None:
    """The node at exactly ``path``, or ``None`` when some step is missing."""
    node = document.root
    for step in path:
        if isinstance(node, yaml.MappingNode) and isinstance(step, str):
            node = next((v for k, v in node.value if _key_is(k, step)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
            node = node.value[step]
        else:
            return None
        if node is None:
            return None
    return node


def _dash_offset(root: yaml.Node | None) -> int:
    """How far this file indents a list's '-' from its key (commonly 2, sometimes 0)."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(value, yaml.SequenceNode) and not value.flow_style and value.value:
                    return max(value.start_mark.column - key.start_mark.column, 0)
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return 2
