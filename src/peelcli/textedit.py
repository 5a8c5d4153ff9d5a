"""Edit a YAML file's text in place, touching only the lines that change.

A round-trip YAML library re-emits the whole file and normalises what it does not model
(indentation of lists, line wrapping, spacing in flow lists). Here the parser's marks say where
each node starts and ends, and an edit is a :class:`Splice` of new text at those places, so
every other byte (comments, quoting, blank lines, key order, line endings) stays as it was.
New values are written in the style of their neighbours: the indentation of the mapping they
join, the file's own dash offset for lists, its own line ending.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Union

import yaml

from .dates import PartialDate
from .problems import Path, PeelError
from .yamlsource import YamlDocument

# A value to write: text, a date, a flag, a list of them, or a mapping (pairs, in order).
Value = Union[str, PartialDate, bool, int, list, "Entries"]
Entries = list[tuple[str, Value]]

_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._'()/&+;?!%@$*=~-]*")
_NOT_PLAIN = re.compile(r"(?i)(y|n|yes|no|on|off|true|false|null|~)")
_RESOLVER = yaml.resolver.Resolver()
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0"}


def scalar(text: str) -> str:
    """``text`` as a YAML scalar that every YAML reader reads back as this exact text.

    Plain when that is unambiguous (letters, digits, spaces and a little punctuation, and not a
    word some reader takes for a boolean, null or number); double-quoted with escapes otherwise.
    """
    if (
        _PLAIN.fullmatch(text)
        and not text.endswith(" ")
        and "  " not in text
        and not _NOT_PLAIN.fullmatch(text)
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
    if isinstance(value, PartialDate):
        return str(value)
    if isinstance(value, str):
        return scalar(value)
    if isinstance(value, list) and all(not isinstance(v, (list, tuple)) for v in value):
        return "[" + ", ".join(value_text(v) for v in value) + "]"
    raise TypeError(f"not an inline value: {value!r}")


def _is_mapping(value: Value) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, tuple) for v in value)


def block_lines(entries: Entries, indent: int, dash: int) -> list[str]:
    """``key: value`` lines at ``indent``; nested mappings one level (2 spaces) deeper, lists of
    mappings with the file's dash offset ``dash``."""
    pad = " " * indent
    lines: list[str] = []
    for key, value in entries:
        if _is_mapping(value):
            lines.append(f"{pad}{key}:")
            lines += block_lines(value, indent + 2, dash)
        elif isinstance(value, list) and value and all(_is_mapping(v) for v in value):
            lines.append(f"{pad}{key}:")
            for item in value:
                lines += item_lines(item, indent + dash, dash)
        else:
            lines.append(f"{pad}{key}: {value_text(value)}")
    return lines


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
    insertions at one place keep the order in which they were made."""
    ordered = sorted(enumerate(splices), key=lambda pair: (pair[1].start, pair[1].end, pair[0]), reverse=True)
    for _, splice in ordered:
        text = text[: splice.start] + splice.new + text[splice.end :]
    return text


class Editor:
    """Splices against one parsed document."""

    def __init__(self, document: YamlDocument):
        self.document = document
        self.text = document.text
        self.nl = document.newline
        self.dash = _dash_offset(document.root)

    # -- finding places -----------------------------------------------------------------------

    def node(self, path: Path) -> yaml.Node:
        _, node = self.document.node_at(path)
        if node is None or (path and _path_of(self.document, path) is None):
            raise PeelError(f"internal: no node at {path}")
        return node

    def has(self, path: Path) -> bool:
        return _path_of(self.document, path) is not None

    def _end(self, node: yaml.Node) -> int:
        """Index just past the last character that belongs to ``node``'s value."""
        while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and not node.flow_style and node.value:
            last = node.value[-1]
            node = last[1] if isinstance(node, yaml.MappingNode) else last
        return node.end_mark.index

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

    # -- edits --------------------------------------------------------------------------------

    def add_keys(self, path: Path, entries: Entries) -> Splice:
        """Add keys at the end of the mapping at ``path``."""
        mapping = self.node(path)
        if not isinstance(mapping, yaml.MappingNode):
            raise PeelError(f"internal: {path} is not a mapping")
        if mapping.flow_style or not mapping.value:
            close = mapping.end_mark.index - 1
            sep = ", " if mapping.value else ""
            body = ", ".join(f"{k}: {flow_text(v)}" for k, v in entries)
            return Splice(close, close, sep + body)
        indent = mapping.value[0][0].start_mark.column
        start, prefix = self._after_line(self._end(mapping))
        return Splice(start, start, prefix + self._lines(block_lines(entries, indent, self.dash)))

    def append_item(self, parent: Path, key: str, item: Value) -> Splice:
        return self.append_items(parent, key, [item])[0]

    def append_items(self, parent: Path, key: str, items: list[Value]) -> list[Splice]:
        """Append items to the list under ``key`` of the mapping at ``parent``; create the list
        (at the end of that mapping) when the key is absent or empty."""
        if not items:
            return []
        if not self.has((*parent, key)):
            mapping = self.node(parent)
            if mapping.flow_style or not mapping.value:
                return [self.add_keys(parent, [(key, list(items))])]
            indent = mapping.value[0][0].start_mark.column
            start, prefix = self._after_line(self._end(mapping))
            return [Splice(start, start, prefix + self._lines([f"{' ' * indent}{key}:", *self._items(items, indent)]))]
        key_node, sequence = self.document.node_at((*parent, key))
        empty = isinstance(sequence, yaml.ScalarNode) and sequence.value in ("", "~", "null")
        if empty or (isinstance(sequence, yaml.SequenceNode) and sequence.flow_style and not sequence.value):
            # ``key:`` or ``key: []``: put a block list there.
            start = key_node.end_mark.index + 1  # just past the colon
            end = max(sequence.end_mark.index, start)
            lines = self._items(items, key_node.start_mark.column)
            return [Splice(start, end, self.nl + self._lines(lines).removesuffix(self.nl))]
        if not isinstance(sequence, yaml.SequenceNode):
            raise PeelError(f"internal: {(*parent, key)} is not a list")
        if sequence.flow_style:
            close = sequence.end_mark.index - 1
            return [Splice(close, close, ", " + ", ".join(flow_text(item) for item in items))]
        dash_column = sequence.start_mark.column
        start, prefix = self._after_line(self._end(sequence))
        lines = self._items(items, dash_column - self.dash)
        return [Splice(start, start, prefix + self._lines(lines))]

    def _items(self, items: list[Value], key_column: int) -> list[str]:
        dash_column = key_column + self.dash
        lines: list[str] = []
        for item in items:
            if _is_mapping(item):
                lines += item_lines(item, dash_column, self.dash)
            else:
                lines.append(" " * dash_column + "- " + value_text(item))
        return lines

    def replace_value(self, path: Path, value: Value) -> Splice:
        """Replace the scalar value at ``path`` (its key stays, and so does every other byte)."""
        node = self.node(path)
        if not isinstance(node, yaml.ScalarNode):
            raise PeelError(f"internal: {path} is not a single value")
        return Splice(node.start_mark.index, node.end_mark.index, value_text(value))

    def remove_key(self, path: Path) -> Splice | None:
        """Remove a key and its value when they own whole lines; ``None`` when they do not."""
        key_node, value = self.document.node_at(path)
        if key_node is None or _path_of(self.document, path) is None:
            return None
        start = self.text.rfind("\n", 0, key_node.start_mark.index) + 1
        if self.text[start : key_node.start_mark.index].strip():
            return None  # something else (a '- ' or another key) shares the key's line
        end, _ = self._after_line(self._end(value))
        return Splice(start, end, "")


def _path_of(document: YamlDocument, path: Path) -> yaml.Node | None:
    """The node at exactly ``path``, or ``None`` when some step is missing."""
    node = document.root
    for step in path:
        if isinstance(node, yaml.MappingNode) and isinstance(step, str):
            node = next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == step), None)
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
