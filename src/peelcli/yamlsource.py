"""YAML text to plain values, strictly, with every node's place in the file kept for messages.

PyYAML's C parser composes the node tree; we construct values ourselves instead of using its
constructor, because YAML 1.1 silently turns ``no`` into ``False``, ``1.10`` into ``1.1`` and
``012`` into ``10``. Here a plain scalar becomes a value only when every YAML reader agrees on it
(``true``, ``42``, ``5.5``, ``null``); anything else a reader might take for a non-string becomes an
:class:`Ambiguous` marker that no field accepts, so the user is told to quote it or fix it.
Aliases, merge keys, explicit tags other than the standard ones a plain value can carry
(``!!str 2024``), duplicate keys, non-text keys and lone carriage-return line endings are
refused with a location.

YAML also takes U+0085, U+2028 and U+2029 for line breaks; editors, ``git diff`` and peel's own
splice editor do not. Outside quoted text such a character could hide a key inside what everyone
reads as a comment, or end a value where nobody sees a line end, so it is refused with its
place; inside quoted text it is allowed, and line numbers in messages count only ``\\n`` line
ends, as editors do.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import yaml

from .files import check_size
from .problems import Path, PeelError, Problem

MAX_DEPTH = 40
MAX_PROBLEMS = 200  # per file: past this, a count, so a hostile file cannot flood the output
MAX_DIGITS = 40
"""The most digits a plain number may have: no figure in a monitoring record comes near it, and
a longer one (Python refuses to convert past 4,300) is a slip or an attack."""

_TAG = "tag:yaml.org,2002:"
_STR, _MAP, _SEQ = _TAG + "str", _TAG + "map", _TAG + "seq"
_PLAIN = "tag:peel,2026:plain"  # an untagged plain scalar, to be resolved by the builder
# Plain words YAML 1.1 reads as booleans or null: every other plain scalar that starts with a
# letter is text, which lets the builder skip PyYAML's regular expressions for most scalars.
_WORDS = frozenset(
    [
        "y",
        "Y",
        "yes",
        "Yes",
        "YES",
        "n",
        "N",
        "no",
        "No",
        "NO",
        "true",
        "True",
        "TRUE",
        "false",
        "False",
        "FALSE",
        "on",
        "On",
        "ON",
        "off",
        "Off",
        "OFF",
        "null",
        "Null",
        "NULL",
    ]
)
_RESOLVER = yaml.resolver.Resolver()


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The C parser and composer, with plain scalars resolved as cheaply as can be told: PyYAML's
    resolver runs a Python regular expression on every scalar, and the builder needs that for
    only a few. A word that is no boolean or null, and all quoted and block text, is text
    (``_STR``); any other plain scalar is left to the builder (``_PLAIN``)."""

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode:
            if not implicit[0] or (value[:1].isalpha() and value not in _WORDS):
                return _STR
            return _PLAIN
        return _SEQ if kind is yaml.SequenceNode else _MAP


def plain_kind(text: str) -> str:
    """What YAML 1.1 reads a plain scalar as: str, bool, int, float, null, timestamp, ..."""
    if text[:1].isalpha() and text not in _WORDS:
        return "str"
    if _PLAIN_DATE.fullmatch(text):
        return "timestamp"
    return _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)).removeprefix(_TAG)


_PLAIN_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_PLAIN_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\.[0-9]+")
_PLAIN_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TRUE, _FALSE = {"true", "True", "TRUE"}, {"false", "False", "FALSE"}
_NULL = {"", "~", "null", "Null", "NULL"}
_LONE_CR = re.compile(r"\r(?!\n)")
_YAML_BREAKS = re.compile("[\x85\u2028\u2029]")
_BREAK_NAMES = {"\x85": "next line", "\u2028": "line separator", "\u2029": "paragraph separator"}

_CONTROL = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ASCII_ALLOWED = bytes(b for b in range(256) if b in b"\t\n\r" or 0x20 <= b <= 0x7E or b >= 0x80)
"""Every byte but the ASCII control characters (and DEL) that :data:`_CONTROL` refuses."""


def _find_control(text: str) -> re.Match | None:
    """The first character :data:`_CONTROL` refuses, if any. Most files hold none, and the
    regular expression takes longer over a whole file than its UTF-8 bytes take to tell: no ASCII
    control, no byte 0xC2 (which starts U+0080 to U+00BF, the C1 controls among them) and no 0xEF
    (which starts U+F000 to U+FFFF, U+FFFE and U+FFFF among them) means no such character."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, which only text not decoded from a file holds
        return _CONTROL.search(text)
    if data.translate(None, _ASCII_ALLOWED) or b"\xc2" in data or b"\xef" in data:
        return _CONTROL.search(text)
    return None


def _has_odd_breaks(text: str) -> bool:
    """Whether the text holds a line break YAML reads and editors do not (three substring
    searches, far quicker than one regular expression over the text)."""
    return "\x85" in text or "\u2028" in text or "\u2029" in text


_READS_AS = {
    "bool": "a boolean",
    "int": "a number",
    "float": "a number",
    "null": "null (no value)",
    "timestamp": "a timestamp",
    "value": "a special value",
    "merge": "a merge key",
}


class Ambiguous:
    """A plain scalar that YAML readers disagree on (``no``, ``012``, ``1:30``, ``.inf``)."""

    __slots__ = ("reads_as", "text")

    def __init__(self, text: str, reads_as: str):
        self.text = text
        self.reads_as = reads_as

    def __repr__(self) -> str:
        return f"Ambiguous({self.text!r}, {self.reads_as!r})"


class Refused:
    """Stands in for a value already reported as refused (an alias, a tag), so that no second
    message is given for the same spot."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "Refused()"


REFUSED = Refused()
_DROPPED: Any = object()
"""A document's node tree, let go (see :meth:`YamlDocument.drop_nodes`)."""


class YamlDocument:
    """A parsed file: its plain value, its text layout and, for locating paths and for the
    editor, its node tree. The tree is what a file costs most to keep, and only a problem or an
    edit needs it: a reading that is kept drops it (:meth:`drop_nodes`), and it is composed again
    from the text when next asked for."""

    __slots__ = ("_root", "bom", "name", "odd_breaks", "problems", "text", "value")

    def __init__(self, name: str, text: str, root: yaml.Node | None, value: Any = None, bom: bool = False):
        self.name, self.text, self._root, self.value, self.bom = name, text, root, value, bom
        self.problems: list[Problem] = []
        self.odd_breaks = _has_odd_breaks(text)

    @property
    def root(self) -> yaml.Node | None:
        if self._root is _DROPPED:
            self._root = yaml.compose(self.text, Loader=_Loader)  # it composed once: it composes again
        return self._root

    def drop_nodes(self) -> None:
        """Let the node tree go; :attr:`root` composes it again from the text if asked for."""
        self._root = _DROPPED

    def place(self, mark) -> tuple[int, int]:
        """A parser mark as (line, column), 1-based, with lines ended by ``\\n`` only."""
        if not self.odd_breaks:
            return mark.line + 1, mark.column + 1
        return position(self.text, mark.index)

    @property
    def newline(self) -> str:
        return "\r\n" if "\r\n" in self.text else "\n"

    def node_at(self, path: Path) -> tuple[yaml.Node | None, yaml.Node | None]:
        """The (key node, value node) at ``path``, or the deepest ancestor that exists."""
        key_node, node = None, self.root
        for step in path:
            if isinstance(node, yaml.MappingNode) and isinstance(step, str):
                for k, v in node.value:
                    if isinstance(k, yaml.ScalarNode) and k.value == step:
                        key_node, node = k, v
                        break
                else:
                    return key_node, node
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
                if not 0 <= step < len(node.value):
                    return key_node, node
                key_node, node = None, node.value[step]
            else:
                return key_node, node
        return key_node, node

    def locate(self, problem: Problem, *, key: bool = False) -> Problem:
        """Give a path-only problem its line and column (1-based) in this file."""
        if problem.line is not None:
            return problem if problem.file else problem.at(self.name, problem.line, problem.column)
        key_node, node = self.node_at(problem.path)
        # A problem with a list or mapping is shown at its key; one with a value, at the value.
        on_key = key or node is None or not isinstance(node, yaml.ScalarNode)
        target = key_node if on_key and key_node is not None else node
        if target is None:
            return problem.at(self.name, 1, 1)
        return problem.at(self.name, *self.place(target.start_mark))


def position(text: str, index: int) -> tuple[int, int]:
    """(line, column), 1-based, of ``text[index]``, counting ``\\n`` line ends as editors do."""
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def decode(data: bytes, name: str) -> tuple[str, bool]:
    """UTF-8 (with or without a byte-order mark) to text, or a located refusal."""
    check_size(len(data), name)
    bom = data.startswith(b"\xef\xbb\xbf")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or data[:4] in (b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00"):
        raise PeelError(Problem("file is UTF-16 or UTF-32: save it as UTF-8").at(name, 1, 1))
    try:
        return data[3:].decode("utf-8") if bom else data.decode("utf-8"), bom
    except UnicodeDecodeError as exc:
        offset = exc.start + (3 if bom else 0)
        line = data.count(b"\n", 0, offset) + 1
        line_start = max(data.rfind(b"\n", 0, offset) + 1, 3 if bom and line == 1 else 0)
        column = len(data[line_start:offset].decode("utf-8", "replace")) + 1
        raise PeelError(
            Problem(f"byte 0x{data[offset]:02x} is not UTF-8: save the file as UTF-8").at(name, line, column)
        ) from None


def parse(text: str, name: str, bom: bool = False) -> YamlDocument:
    """Compose and construct one YAML document; syntax errors raise, structural ones collect."""
    control = _find_control(text)
    if control:
        offset = control.start()
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        raise PeelError(
            Problem(f"control character U+{ord(control.group()):04X} is not allowed in a force file").at(
                name, line, column
            )
        )
    lone_cr = _LONE_CR.search(text)
    if lone_cr:
        offset = lone_cr.start()
        line = text.count("\n", 0, offset) + len(_LONE_CR.findall(text, 0, offset)) + 1
        raise PeelError(
            Problem(
                "line ends in a lone carriage return (old Mac style): save the file with LF or CRLF line endings"
            ).at(name, line, offset - max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset)))
        )
    if _has_odd_breaks(text):
        _refuse_hidden_breaks(text, name)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        raise PeelError(_syntax_problem(exc, name, text)) from None
    except yaml.YAMLError as exc:
        raise PeelError(Problem(f"not valid YAML: {exc}").at(name, 1, 1)) from None
    except RecursionError:
        raise PeelError(Problem("nesting is too deep for a force file").at(name, 1, 1)) from None
    document = YamlDocument(name=name, text=text, root=root, value=None, bom=bom)
    if root is not None:
        builder = _Builder(document, aliases="*" in text)
        document.value = builder.build(root, 0)
        if builder.unreported:
            document.problems.append(
                Problem(f"... and {builder.unreported} more problems like these: fix those above first").at(name)
            )
    return document


def _refuse_hidden_breaks(text: str, name: str) -> None:
    """Refuse U+0085, U+2028 or U+2029 anywhere but inside quoted text (see the module's note)."""
    quoted: list[tuple[int, int]] = []
    scanned_to = len(text)
    try:
        for token in yaml.scan(text, Loader=_Loader):
            if isinstance(token, yaml.ScalarToken) and token.style in ("'", '"'):
                quoted.append((token.start_mark.index, token.end_mark.index))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        scanned_to = mark.index if mark is not None else 0
    for match in _YAML_BREAKS.finditer(text, 0, scanned_to):
        offset = match.start()
        if not any(start < offset < end for start, end in quoted):
            char = match.group()
            raise PeelError(
                Problem(
                    f"U+{ord(char):04X} ({_BREAK_NAMES[char]}) outside quoted text: YAML reads it as a line break "
                    "where editors and git diff show none; delete it, or write the text in double quotes with "
                    f"the character as \\u{ord(char):04x}"
                ).at(name, *position(text, offset))
            )


def _syntax_problem(exc: yaml.MarkedYAMLError, name: str, text: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    problem = (exc.problem or "not valid YAML").strip()
    if "tab" in problem or "'\\t'" in problem:
        problem = "tab character: indent with spaces, YAML does not allow tabs here"
    elif "mapping values are not allowed" in problem:
        problem += " (is there an unquoted ': ' inside a value? quote the value)"
    elif "found another document" in problem:
        problem = "a force file holds one YAML document: remove this '---' and what follows, or merge it"
    elif "exceeded maximum nesting depth" in problem:
        problem = "nesting is too deep for a force file"
    elif exc.context and exc.context_mark is not None and exc.context_mark is not mark:
        problem += f" ({exc.context} that starts at line {position(text, exc.context_mark.index)[0]})"
    line, column = position(text, mark.index) if mark else (1, 1)
    last_line = text.count("\n") + (0 if text.endswith("\n") else 1)
    line = max(1, min(line, max(last_line, 1)))
    return Problem(f"YAML syntax: {problem}").at(name, line, column)


class _Builder:
    """Node tree to plain values; records problems in the document instead of stopping.

    Marks are read only for a problem's message: a valid file pays for no location. Text (a
    scalar the loader resolved to ``_STR``: words, quoted and block text) is taken as it is, in
    the loop over its mapping or list, which is where nearly all of a force file's nodes are."""

    def __init__(self, document: YamlDocument, *, aliases: bool = True):
        self.document = document
        self.seen: set[int] = set()
        self.aliases = aliases  # without a '*' in the text there is no alias to look for
        self.unreported = 0

    def fail(self, node: yaml.Node, message: str) -> None:
        if len(self.document.problems) >= MAX_PROBLEMS:
            self.unreported += 1
            return
        place = self.document.place(node.start_mark)
        self.document.problems.append(Problem(message).at(self.document.name, *place))

    def build(self, node: yaml.Node, depth: int, where: yaml.Node | None = None) -> Any:
        """``where`` is the key (or list) holding the node: an alias is reported there, since
        the node's own mark is where it was first written."""
        if self.aliases:
            if id(node) in self.seen:
                self.fail(where or node, "aliases (*name) are not allowed in a force file: write the value out")
                return REFUSED
            self.seen.add(id(node))
        if depth > MAX_DEPTH:
            self.fail(node, f"nesting deeper than {MAX_DEPTH} levels is not allowed in a force file")
            return REFUSED
        if type(node) is _SCALAR:
            return node.value if node.tag == _STR else self.scalar(node)
        if node.tag not in (_MAP, _SEQ):
            self.fail(node, f"tag {_short_tag(node.tag)} is not allowed in a force file")
            return REFUSED
        if type(node) is _SEQUENCE:
            return self.sequence(node, depth + 1)
        return self.mapping(node, depth + 1)

    def sequence(self, node: yaml.SequenceNode, depth: int) -> list[Any]:
        if self.aliases or depth > MAX_DEPTH:
            return [self.build(item, depth, node) for item in node.value]
        build = self.build
        return [
            item.value if item.tag == _STR and type(item) is _SCALAR else build(item, depth, node)
            for item in node.value
        ]

    def mapping(self, node: yaml.MappingNode, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        text_values = not self.aliases and depth <= MAX_DEPTH
        for key_node, value_node in node.value:
            if key_node.tag == _STR and type(key_node) is _SCALAR:
                key = key_node.value
            else:
                key = self.key(key_node)
                if key is None:
                    continue
            if key in result:
                self.duplicate(node, key_node, key)
            elif text_values and value_node.tag == _STR and type(value_node) is _SCALAR:
                result[key] = value_node.value
            else:
                result[key] = self.build(value_node, depth, key_node)
        return result

    def duplicate(self, node: yaml.MappingNode, key_node: yaml.Node, key: str) -> None:
        first = next(k for k, _ in node.value if _text_key(k) == key)
        line = self.document.place(first.start_mark)[0]
        self.fail(key_node, f"duplicate key {key!r} (first at line {line}): remove one of them")

    def key(self, node: yaml.Node) -> str | None:
        """A key that is not plain text, refused with its reason; or the text."""
        if type(node) is not _SCALAR:
            self.fail(node, "a key must be plain text, not a list or mapping")
            return None
        kind = _key_kind(node)
        if kind == "merge":
            self.fail(node, "merge keys (<<) are not allowed in a force file: write the keys out")
            return None
        if kind != "str":
            if kind not in _READS_AS:
                self.fail(node, f"tag {_short_tag(node.tag)} is not allowed in a force file")
            else:
                self.fail(node, f"key {node.value!r} is read by YAML as {_READS_AS[kind]}: use a text key")
            return None
        return node.value

    def scalar(self, node: yaml.ScalarNode) -> Any:
        tag, text = node.tag, node.value
        if tag == _PLAIN:
            kind = plain_kind(text)
        elif node.style not in (None, ""):
            if tag != _STR:
                self.fail(node, f"tag {_short_tag(tag)} is not allowed in a force file")
                return REFUSED
            return text
        else:
            kind = tag.removeprefix(_TAG)
        if kind == "str":
            return text
        if kind in ("int", "float") and sum(ch.isdigit() for ch in text) > MAX_DIGITS:
            self.fail(
                node,
                f"number too long: {sum(ch.isdigit() for ch in text)} digits, where peel reads at most "
                f"{MAX_DIGITS}: check it, or quote it if it is text",
            )
            return REFUSED
        if kind == "bool":
            if text in _TRUE:
                return True
            if text in _FALSE:
                return False
        elif kind == "int":
            if _PLAIN_INT.fullmatch(text):
                return int(text)
        elif kind == "float":
            if _PLAIN_DECIMAL.fullmatch(text):
                return Decimal(text)
        elif kind == "null":
            if text in _NULL:
                return None
        elif kind == "timestamp":
            if _PLAIN_DATE.fullmatch(text):
                return text
        else:
            self.fail(node, f"tag {_short_tag(tag)} is not allowed in a force file")
            return REFUSED
        return Ambiguous(text, _READS_AS.get(kind, "something other than text"))


_SCALAR, _SEQUENCE = yaml.ScalarNode, yaml.SequenceNode


def _key_kind(node: yaml.ScalarNode) -> str:
    """What YAML reads a key scalar as (``str`` when it is text)."""
    return plain_kind(node.value) if node.tag == _PLAIN else node.tag.removeprefix(_TAG)


def _text_key(node: yaml.Node) -> str | None:
    """The key a mapping's key node stands for, or ``None`` when it is refused."""
    return node.value if type(node) is _SCALAR and _key_kind(node) == "str" else None


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_TAG) if tag.startswith(_TAG) else tag
