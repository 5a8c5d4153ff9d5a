"""Fuzzing: whatever bytes sit in a force file, ``validate``, ``status`` and ``assess`` end in
exit 0, or in exit 1 with at least one located ``file:line:col: error:`` line; never in a Python
exception, never in exit 70.

Four sources of input:

* the real ``west-midlands.yaml`` with line, key, value and byte mutations;
* the real file's parsed tree with entries deleted, duplicated, swapped or replaced (this gets
  past the type checks into the rules, the timeline and the assessment);
* generated YAML documents shaped like force files, dumped with ``yaml.safe_dump``;
* raw text built from YAML's punctuation.

Mutated files, generated documents and raw text run through the three commands in-process
(CliRunner), end to end: exit codes, located messages, and the three agreeing on each file. The
tree mutations are about what lies past the reader, so they call the core as the commands do,
once per example: the reader (its problems printed as ``validate`` prints them), then, for a
file it accepts, ``status``'s standing and ``assess``'s assessment, each rendered in the drawn
format; the policy and the precedent force are read once per module.

``PEEL_FUZZ_SCALE=N`` runs N times as many examples: ``.ci/run`` runs these tests again with
N=4 after the suite (the counts here keep the suite under a minute on two cores).
"""

from __future__ import annotations

import contextlib
import copy
import functools
import io
import json
import math
import re
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given
from hypothesis import strategies as st

from conftest import DATA, REPO, TODAY, run_peel, scaled_examples
from peelcli.assess import assess
from peelcli.output import emit
from peelcli.policy import read_policy
from peelcli.problems import Problem
from peelcli.reader import locate, read_force
from peelcli.status import ForceStatus
from peelcli.timeline import standing
from peelcli.yamlsource import _CONTROL, _YAML_BREAKS, Ambiguous, _find_control, _has_odd_breaks

SLUG = "west-midlands"
ORIGINAL = (DATA / "forces" / f"{SLUG}.yaml").read_bytes()
LINES = ORIGINAL.splitlines(keepends=True)
TREE = yaml.safe_load(ORIGINAL)
LOCATED = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<column>\d+): error: ", re.MULTILINE)
# Every line break a YAML reader knows (the reader's line numbers count these).
YAML_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def fuzz_settings(examples: int):
    return scaled_examples(examples, HealthCheck.filter_too_much)


def _schema_keys() -> list[str]:
    keys: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("properties"), dict):
                keys.update(node["properties"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads((REPO / "schema" / "force.schema.json").read_text(encoding="utf-8")))
    return sorted(keys)


KEYS = _schema_keys()
IDS = sorted(set(re.findall(r"(?m)^\s*-?\s*id: ([\w.-]+)$", ORIGINAL.decode())))
WORDS = [
    "engage",
    "scan",
    "Engage",
    "revisit-letter",
    "return-letter",
    "news-release",
    "ppog-meeting",
    "phase-decision-letter",
    "inspection-report",
    "web-page",
    "pcc",
    "percent",
    "Within six months",
    "Within three months",
    "By 31 March 2025",
    "immediately",
    "https://example.org/x",
    "http://",
    "west-midlands",
    "West Midlands Police",
    "2024",
    "2024-09",
    "2024-09-18",
    "2024-02-30",
    "2024-13",
    "2027-01-01",
    "1999",
    "0000-01-01",
    "",
    " ",
    "no",
    "yes",
    "~",
    "null",
    "012",
    "1:30",
    ".inf",
    *IDS,
]
# What a value might be replaced with, as YAML text.
WRONG_VALUES = [
    "",
    "[]",
    "{}",
    "[[]]",
    "{a: {b: c}}",
    "42",
    "-1",
    "0",
    "4.5",
    "1e400",
    "true",
    "no",
    "null",
    "~",
    ".nan",
    "-.inf",
    "0x1F",
    "012",
    "1_000",
    "12:30:00",
    "2024-09-18T10:00:00Z",
    "2024-02-30",
    "2024-00",
    "9999-12-31",
    "0001-01-01",
    '""',
    "''",
    "'  '",
    "[a, b]",
    "[return-letter-2024-09, return-letter-2024-09]",
    "!!python/object:os.system echo",
    "!!python/object/apply:os.system [echo]",
    "!!binary aGVsbG8=",
    "!!set {a, b}",
    "!!omap [a: 1]",
    "!custom x",
    "!!str 2024-09-18",
    "!!int 3",
    "&anchor value",
    "*anchor",
    "|",
    ">-",
    "|\n  block\n",
    "- item",
    "? complex",
    "@reserved",
    "`tick",
    "%",
    "a: b: c",
    "'unterminated",
    '"unterminated',
    '"\\x00\\t\\ud800"',
    '"\\u0000"',
    "é🚓\u2028",
    "x" * 300,
    *WORDS,
]
SPECIAL_BYTES = [
    b"\xff",
    b"\xfe",
    b"\x80",
    b"\xc3",
    b"\xc0\xaf",
    b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
    b"\x00",
    b"\t",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\r",
    b"\r\n",
    b"\n",
    b"\x85",
    "\u0085".encode(),
    "\u2028".encode(),
    "\u2029".encode(),
    "\ufffe".encode(),
    b"\x1b",
    b"\x7f",
    b"\x0c",
    b"\x0b",
    b": ",
    b"- ",
    b"#",
    b"&a ",
    b"*a",
    b"!!python/object:os.system ",
    b"!!binary ",
    b"<<: ",
    b"---\n",
    b"...\n",
    b"%YAML 1.1\n",
    b"%TAG ! tag:example.com,2000:\n",
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b"'",
    b'"',
    b"|",
    b">",
    b"? ",
    b"@",
    b"`",
    b"%",
    b"\\",
    "é".encode(),
    "🚓".encode(),
    b"  ",
    b"    ",
]
KEY_LINE = re.compile(rb"^( *)(- )?([^\s:#'\"][^:#]*?):(?: |\r?\n|$)")


# -- running the commands -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def fuzz_ledger(tmp_path_factory) -> Path:
    """A ledger holding the file to fuzz, the registry, and an untouched second force (a
    precedent for ``assess``)."""
    root = tmp_path_factory.mktemp("fuzz") / "data"
    (root / "forces").mkdir(parents=True)
    shutil.copy(DATA / "registry.yaml", root / "registry.yaml")
    precedent = ORIGINAL.replace(b"slug: west-midlands\n", b"slug: precedent-force\n")
    (root / "forces" / "precedent-force.yaml").write_bytes(precedent)
    (root / "forces" / f"{SLUG}.yaml").write_bytes(ORIGINAL)
    result = run_peel("validate", str(root))
    assert result.exit_code == 0, result.stdout
    return root


def line_count(data: bytes) -> int:
    """An upper bound for a line number in a message about ``data``."""
    text = data.decode("utf-8", "replace")
    return max(len(YAML_BREAK.findall(text)), data.count(b"\n")) + 1


def check_run(command: str, run, data: bytes) -> None:
    output = run.stdout + run.stderr
    where = f"peel {command} exited {run.exit_code}\n--- stdout\n{run.stdout}\n--- stderr\n{run.stderr}"
    assert run.exception is None, f"peel {command} raised {run.exception!r}\n{where}"
    assert run.exit_code in (0, 1), where
    assert "Traceback" not in output, where
    assert "internal error" not in output, where
    if run.exit_code == 1:
        check_located(output, data, where)


def check_located(output: str, data: bytes, where: str) -> None:
    """A refusal names at least one place, and every place is in the fuzzed file."""
    located = list(LOCATED.finditer(output))
    assert located, f"no located error line\n{where}"
    bound = line_count(data)
    for match in located:
        line, column = int(match["line"]), int(match["column"])
        assert match["file"].endswith(f"{SLUG}.yaml"), f"error located in another file\n{where}"
        assert 1 <= line <= bound, f"line {line} is past the end of the file ({bound} lines)\n{where}"
        assert column >= 1, where


def run_all(ledger: Path, data: bytes, as_of: date | None = None, fmt: str = "table") -> dict:
    """Write ``data`` as the fuzzed force file and run validate, status and assess on it."""
    path = ledger / "forces" / f"{SLUG}.yaml"
    path.write_bytes(data)
    when = ["--as-of", as_of.isoformat()] if as_of else []
    runs = {
        "validate": run_peel("--data-dir", str(ledger), "validate"),
        "status": run_peel("--data-dir", str(ledger), "status", SLUG, *when, "--format", fmt),
        "assess": run_peel("--data-dir", str(ledger), "assess", SLUG, *when, "--format", fmt),
    }
    for command, run in runs.items():
        check_run(command, run, data)
    # The one reader: a file validate passes is one status and assess accept, and the reverse.
    verdicts = {command: run.exit_code for command, run in runs.items()}
    assert len(set(verdicts.values())) == 1, f"commands disagree on the same file: {verdicts}"
    return runs


# What the core needs besides the fuzzed file, read once: the policy ``assess`` reads, and the
# precedent force ``assess`` gets with every force of the ledger.
POLICY = read_policy()
PRECEDENT = read_force(
    ORIGINAL.replace(b"slug: west-midlands\n", b"slug: precedent-force\n"),
    "precedent-force.yaml",
    slug="precedent-force",
    today=date.fromisoformat(TODAY),
).force


def run_core(data: bytes, as_of: date | None = None, fmt: str = "table") -> None:
    """What validate, status and assess do with ``data``, past parsing their options and
    finding files: the reader once; its problems printed as ``validate`` prints them, which must
    be located in the file when there are errors; for a file it accepts, the standing and the
    assessment, built and printed in ``fmt`` (JSON as the commands write it)."""
    today = date.fromisoformat(TODAY)
    day = as_of or today
    reading = read_force(data, f"forces/{SLUG}.yaml", slug=SLUG, today=today)
    output = "".join(f"{problem}\n" for problem in reading.problems)
    where = f"the reader found\n{output}"
    if not reading.ok:
        assert reading.errors, where
        check_located(output, data, where)
        return
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        found = standing(reading.force, day)
        judged = assess(reading.force, day, POLICY, (PRECEDENT, reading.force))
        for view in (ForceStatus(found), judged):
            emit(view, fmt)
    assert printed.getvalue().strip()


AS_OF = st.none() | st.dates(date(2015, 1, 1), date.fromisoformat(TODAY))
FORMATS = st.sampled_from(["table", "json", "markdown"])


# -- mutating the real file as lines and bytes --------------------------------------------------


def _key_lines(lines: list[bytes]) -> list[int]:
    return [i for i, line in enumerate(lines) if KEY_LINE.match(line)]


def _block_end(lines: list[bytes], i: int) -> int:
    """The index just past the key at line ``i`` and the lines indented under it."""
    match = KEY_LINE.match(lines[i])
    column = len(match.group(1)) + (2 if match.group(2) else 0)
    end = i + 1
    while end < len(lines):
        stripped = lines[end].strip()
        if stripped and len(lines[end]) - len(lines[end].lstrip(b" ")) <= column:
            break
        end += 1
    return end


def _pick(items: list, fraction: float):
    return items[min(int(fraction * len(items)), len(items) - 1)]


def mutate_lines(lines: list[bytes], op: tuple) -> list[bytes]:
    lines = list(lines)
    kind, where = op[0], op[1]
    if not lines:
        return lines
    i = min(int(where * len(lines)), len(lines) - 1)
    if kind == "delete-line":
        del lines[i]
    elif kind == "duplicate-line":
        lines.insert(i, lines[i])
    elif kind == "swap-lines":
        j = min(int(op[2] * len(lines)), len(lines) - 1)
        lines[i], lines[j] = lines[j], lines[i]
    else:
        keys = _key_lines(lines)
        if not keys:
            return lines
        k = _pick(keys, where)
        end = _block_end(lines, k)
        match = KEY_LINE.match(lines[k])
        if kind == "delete-key":
            del lines[k:end]
        elif kind == "duplicate-key":
            lines[end:end] = lines[k:end]
        elif kind == "rename-key":
            lines[k] = lines[k][: match.start(3)] + op[2].encode("utf-8", "surrogatepass") + lines[k][match.end(3) :]
        elif kind == "wrong-type":
            newline = b"\r\n" if lines[k].endswith(b"\r\n") else b"\n"
            value = op[2].encode("utf-8", "surrogatepass")
            head = lines[k][: match.end(3) + 1]
            lines[k] = head + (b" " + value if value else b"") + newline
            if op[3]:  # drop what was indented under the key too
                del lines[k + 1 : end]
    return lines


def mutate_bytes(data: bytes, op: tuple) -> bytes:
    kind, where = op[0], op[1]
    i = min(int(where * (len(data) + 1)), len(data))
    if kind == "insert":
        return data[:i] + op[2] + data[i:]
    if kind == "replace":
        return data[:i] + op[2] + data[i + len(op[2]) :]
    if kind == "truncate":
        return data[:i]
    if kind == "crlf":
        return data.replace(b"\n", b"\r\n")
    if kind == "bom":
        return b"\xef\xbb\xbf" + data
    raise AssertionError(kind)


FRACTION = st.floats(0, 1, exclude_max=True)
NEW_KEY = st.sampled_from([*KEYS, "", "Slug", "slug ", "<<", "?", "-", "true", "0", "~", "id.", "ID"]) | st.text(
    min_size=1, max_size=12
)
NEW_VALUE = st.sampled_from(WRONG_VALUES) | st.text(max_size=40)
BLOB = st.sampled_from(SPECIAL_BYTES) | st.binary(min_size=1, max_size=8)
LINE_OP = st.one_of(
    st.tuples(st.sampled_from(["delete-line", "duplicate-line", "delete-key", "duplicate-key"]), FRACTION),
    st.tuples(st.just("swap-lines"), FRACTION, FRACTION),
    st.tuples(st.just("rename-key"), FRACTION, NEW_KEY),
    st.tuples(st.just("wrong-type"), FRACTION, NEW_VALUE, st.booleans()),
)
BYTE_OP = st.one_of(
    st.tuples(st.sampled_from(["insert", "replace"]), FRACTION, BLOB),
    st.tuples(st.just("truncate"), FRACTION),
    st.tuples(st.sampled_from(["crlf", "bom"]), st.just(0.0)),
)


@fuzz_settings(200)
@given(line_ops=st.lists(LINE_OP, max_size=4), byte_ops=st.lists(BYTE_OP, max_size=3), as_of=AS_OF, fmt=FORMATS)
@example(line_ops=[], byte_ops=[], as_of=None, fmt="table")
@example(line_ops=[], byte_ops=[("crlf", 0.0), ("bom", 0.0)], as_of=None, fmt="json")
@example(line_ops=[("wrong-type", 0.0, "[]", True)], byte_ops=[], as_of=None, fmt="table")
@example(line_ops=[], byte_ops=[("insert", 0.5, b"\xff")], as_of=None, fmt="table")
@example(line_ops=[], byte_ops=[("insert", 0.5, b"\x00")], as_of=None, fmt="table")
@example(line_ops=[], byte_ops=[("insert", 0.5, b"\t")], as_of=None, fmt="table")
@example(line_ops=[], byte_ops=[("truncate", 0.37)], as_of=None, fmt="table")
def test_a_mutated_real_file_is_checked_or_refused_with_a_location(fuzz_ledger, line_ops, byte_ops, as_of, fmt):
    lines = LINES
    for op in line_ops:
        lines = mutate_lines(lines, op)
    data = b"".join(lines)
    for op in byte_ops:
        data = mutate_bytes(data, op)
    runs = run_all(fuzz_ledger, data, as_of, fmt)
    if not line_ops and not byte_ops:
        assert runs["validate"].exit_code == 0


# -- mutating the real file's tree --------------------------------------------------------------


def _paths(node, prefix=(), found: list | None = None) -> list[tuple]:
    """Every path into ``node``, the node itself first, in document order."""
    found = [] if found is None else found
    found.append(prefix)
    if isinstance(node, dict):
        for key, value in node.items():
            _paths(value, (*prefix, key), found)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            _paths(value, (*prefix, i), found)
    return found


def _copy(node):
    """A deep copy of a tree of dicts, lists and immutable scalars, as ``yaml.safe_load`` gives
    (``copy.deepcopy`` does the same, four times slower)."""
    if isinstance(node, dict):
        return {key: _copy(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_copy(value) for value in node]
    return node


TREE_PATHS = _paths(TREE)[1:]  # the paths of the unchanged tree, for each example's first change


def _parent(tree, path):
    node = tree
    for step in path[:-1]:
        node = node[step]
    return node


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(),
    st.dates(date(1, 1, 1), date(9999, 12, 31)),
    st.dates(date(2015, 1, 1), date(2030, 12, 31)),
    st.text(max_size=30),
    st.sampled_from(WORDS),
)
TREES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.sampled_from(KEYS) | st.text(), children),
    max_leaves=20,
)
DATES = st.one_of(
    st.dates(date(2015, 1, 1), date(2030, 12, 31)),
    st.builds(lambda y, m: f"{y}-{m:02d}", st.integers(2015, 2030), st.integers(0, 13)),
    st.builds(str, st.integers(2000, 2030)),
)


@functools.lru_cache(maxsize=65536)
def _resolved(kind, value, implicit) -> str:
    return yaml.resolver.Resolver().resolve(kind, value, implicit)


class _Resolving:
    """A safe dumper's tag resolution, remembered: it depends only on the scalar (there are no
    path resolvers), and the trees repeat the real file's values in every example."""

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode:
            return _resolved(kind, value, implicit)
        return super().resolve(kind, value, implicit)


class _NoAliases(_Resolving):
    """Repeated objects written out again; strings, mappings and lists represented as PyYAML's
    safe representer does, without its bookkeeping for aliases (a third of its time)."""

    def ignore_aliases(self, data) -> bool:
        return True

    def represent_data(self, data):
        kind = type(data)
        if kind is str:
            return yaml.ScalarNode("tag:yaml.org,2002:str", data)
        if kind is dict:
            items = list(data.items())
            if self.sort_keys:
                with contextlib.suppress(TypeError):
                    items = sorted(items)
            pairs = [(self.represent_data(key), self.represent_data(value)) for key, value in items]
            style = self._flow_style([node for pair in pairs for node in pair])
            return yaml.MappingNode("tag:yaml.org,2002:map", pairs, flow_style=style)
        if kind is list:
            nodes = [self.represent_data(item) for item in data]
            return yaml.SequenceNode("tag:yaml.org,2002:seq", nodes, flow_style=self._flow_style(nodes))
        return super().represent_data(data)

    def _flow_style(self, nodes) -> bool:
        if self.default_flow_style is not None:
            return self.default_flow_style
        return all(isinstance(node, yaml.ScalarNode) and not node.style for node in nodes)


class _Aliases(_Resolving, yaml.SafeDumper):
    pass


class _PythonNoAliases(_NoAliases, yaml.SafeDumper):
    pass


_FastAliases = type("_FastAliases", (_Resolving, getattr(yaml, "CSafeDumper", yaml.SafeDumper)), {})
_FastNoAliases = type("_FastNoAliases", (_NoAliases, getattr(yaml, "CSafeDumper", yaml.SafeDumper)), {})


def dump(tree, draw, *, aliases: bool = False) -> bytes:
    """``tree`` as YAML; repeated objects are written out again unless ``aliases``. Written by
    libyaml's emitter where there is one (ten times as fast as PyYAML's own, which took two thirds
    of these tests' time); PyYAML's emitter where libyaml refuses a value. The emitters differ
    only in how they quote odd keys and characters: either text is a file to check."""
    options = {
        "allow_unicode": draw(st.booleans()),
        "default_flow_style": draw(st.sampled_from([False, None, True])),
        "sort_keys": draw(st.booleans()),
        "width": draw(st.sampled_from([80, 30, 10**6])),
    }
    python_dumper = _Aliases if aliases else _PythonNoAliases
    fast_dumper = _FastAliases if aliases else _FastNoAliases
    try:
        text = yaml.dump(tree, Dumper=fast_dumper, **options)
    except (yaml.YAMLError, UnicodeError, ValueError, TypeError):
        text = yaml.dump(tree, Dumper=python_dumper, **options)
    return text.encode("utf-8", "surrogatepass")


@fuzz_settings(200)
@given(data=st.data(), as_of=AS_OF, fmt=FORMATS)
def test_a_real_tree_with_entries_changed_is_checked_or_refused(data, as_of, fmt):
    tree = _copy(TREE)
    for n in range(data.draw(st.integers(1, 4), label="changes")):
        paths = TREE_PATHS if n == 0 else _paths(tree)[1:]
        if not paths:
            break
        path = data.draw(st.sampled_from(paths), label="path")
        parent, step = _parent(tree, path), path[-1]
        kind = data.draw(
            st.sampled_from(["delete", "duplicate", "swap", "date", "word", "value", "tree"]), label="change"
        )
        if kind == "delete":
            del parent[step]
        elif kind == "duplicate" and isinstance(parent, list):
            parent.insert(step, copy.deepcopy(parent[step]))
        elif kind == "swap" and isinstance(parent, list):
            other = data.draw(st.integers(0, len(parent) - 1), label="other")
            parent[step], parent[other] = parent[other], parent[step]
        elif kind == "date":
            parent[step] = data.draw(DATES, label="date")
        elif kind == "word":
            parent[step] = data.draw(st.sampled_from(WORDS), label="word")
        elif kind == "value":
            parent[step] = data.draw(SCALARS, label="value")
        else:
            parent[step] = data.draw(TREES, label="tree")
    run_core(dump(tree, data.draw), as_of, fmt)


DATE_KEYS = {
    "decided_on",
    "published_on",
    "raised_on",
    "closed_on",
    "sent_on",
    "held_on",
    "noted_on",
    "fieldwork_from",
    "fieldwork_to",
    "period_end",
    "due",
    "date",
}
DEADLINES = ["Within six months", "Within three months", "Within 28 days", "By 31 March 2025", "immediately", "soon"]


def _renamed_ids(node, suffix: str):
    if isinstance(node, dict):
        return {
            k: (f"{v}{suffix}" if k == "id" and isinstance(v, str) else _renamed_ids(v, suffix))
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_renamed_ids(v, suffix) for v in node]
    return node


@fuzz_settings(200)
@given(data=st.data(), as_of=AS_OF, fmt=FORMATS)
def test_a_real_tree_with_well_typed_changes_is_checked_or_refused(data, as_of, fmt):
    """Changes that keep every value's type (dates, phases, citations, entries added, dropped
    and reordered), so that most files pass the type checks and reach the rules, the timeline
    and the assessment."""
    tree = _copy(TREE)
    for n in range(data.draw(st.integers(1, 5), label="changes")):
        paths = TREE_PATHS if n == 0 else _paths(tree)[1:]
        kind = data.draw(
            st.sampled_from(["date", "phase", "cite", "deadline", "drop", "swap", "copy", "closure"]), label="change"
        )
        if kind == "date":
            candidates = [p for p in paths if p[-1] in DATE_KEYS]
        elif kind == "phase":
            candidates = [p for p in paths if p[-1] == "phase"]
        elif kind == "cite":
            candidates = [p for p in paths if isinstance(p[-1], int) and len(p) > 1 and p[-2] == "sources"]
        elif kind == "deadline":
            candidates = [p for p in paths if p[-1] == "deadline"]
        elif kind == "closure":
            candidates = [
                p for p in paths if isinstance(p[-1], int) and p[-2] in ("recommendations", "causes_of_concern")
            ]
        else:
            candidates = [p for p in paths if isinstance(p[-1], int) or p[-1] not in ("slug", "name")]
        if not candidates:
            continue
        path = data.draw(st.sampled_from(candidates), label="path")
        parent, step = _parent(tree, path), path[-1]
        if kind == "date":
            parent[step] = data.draw(DATES, label="date")
        elif kind == "phase":
            parent[step] = data.draw(st.sampled_from(["engage", "scan"]), label="phase")
        elif kind == "cite":
            parent[step] = data.draw(st.sampled_from(IDS), label="id")
        elif kind == "deadline":
            parent[step] = data.draw(st.sampled_from(DEADLINES), label="deadline")
        elif kind == "drop":
            del parent[step]
        elif kind == "swap" and isinstance(parent, list):
            other = data.draw(st.integers(0, len(parent) - 1), label="other")
            parent[step], parent[other] = parent[other], parent[step]
        elif kind == "copy" and isinstance(parent, list):
            parent.insert(step + 1, _renamed_ids(parent[step], f"-copy{n}"))
        elif kind == "closure" and isinstance(parent[step], dict):
            if "closure" in parent[step]:
                del parent[step]["closure"]
            else:
                parent[step]["closure"] = {
                    "closed_on": data.draw(DATES, label="closed on"),
                    "evidence": "closed by the fuzzer",
                    "sources": [data.draw(st.sampled_from(IDS), label="id")],
                }
    run_core(dump(tree, data.draw), as_of, fmt)


# -- generated documents and raw text -----------------------------------------------------------


# An entry's values: scalars, or small trees where a scalar belongs. (Trees of up to 20 leaves
# under each of up to 18 entries made drawing a document cost twice as much as checking it.)
ENTRY_VALUES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.sampled_from(KEYS) | st.text(), children),
    max_leaves=5,
)
FORCE_LIKE = st.fixed_dictionaries(
    {"slug": st.just(SLUG) | SCALARS, "name": st.just("West Midlands Police") | SCALARS},
    optional={
        key: st.lists(st.dictionaries(st.sampled_from(KEYS), ENTRY_VALUES, max_size=6), max_size=3) | TREES
        for key in ("phase_changes", "causes_of_concern", "areas_for_improvement", "sources", "inspections", "metrics")
    },
)


@fuzz_settings(150)
@given(doc=FORCE_LIKE | TREES, data=st.data(), as_of=AS_OF)
def test_a_generated_document_is_checked_or_refused(fuzz_ledger, doc, data, as_of):
    run_all(fuzz_ledger, dump(doc, data.draw, aliases=data.draw(st.booleans(), label="aliases")), as_of)


YAML_TOKENS = st.sampled_from(
    [
        "slug: west-midlands\n",
        "name: West Midlands Police\n",
        *(f"{key}:" for key in KEYS),
        ": ",
        "- ",
        "\n",
        "\r\n",
        "  ",
        "\t",
        "[",
        "]",
        "{",
        "}",
        ", ",
        "#",
        "&a ",
        "*a",
        "!!python/object:os.system ",
        "!x ",
        "<<",
        "? ",
        "|\n",
        ">-\n",
        "'",
        '"',
        "---\n",
        "...\n",
        "%YAML 1.1\n",
        "\ufeff",
        "\x85",
        "\u2028",
        *WORDS,
    ]
)
RAW_TEXT = st.lists(YAML_TOKENS | st.text(max_size=5), max_size=40).map("".join) | st.text()


@fuzz_settings(150)
@given(text=RAW_TEXT)
@example(text="[" * 10_000)
@example(text="{a: " * 5_000)
@example(text="".join("  " * i + f"k{i}:\n" for i in range(200)))
@example(text="a: &a [x]\nb: [*a, *a, *a]\n")
@example(text="\ufeffslug: west-midlands\nname: x\n")
def test_raw_text_is_checked_or_refused(fuzz_ledger, text):
    run_all(fuzz_ledger, text.encode("utf-8", "surrogatepass"))


# -- the reading validate makes and the reading every other command keeps ------------------------


class _Oracle(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """PyYAML's own safe loader, with dates left as their text, as peel reads them (PyYAML
    raises on a date such as 2024-02-30, which peel reports in its own words)."""


_Oracle.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


def _as_yaml_reads(value):
    """A value as PyYAML's own loader gives it, for comparing peel's values with: peel reads a
    number with a decimal point as a decimal."""
    if isinstance(value, dict):
        return {key: _as_yaml_reads(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_yaml_reads(item) for item in value]
    if isinstance(value, float):
        return Decimal(repr(value)) if math.isfinite(value) else value
    return value


def _read_alike(peel_value, yaml_value) -> bool:
    """peel read what PyYAML reads; a value peel refused as ambiguous stands for any value."""
    if isinstance(peel_value, Ambiguous):
        return True
    if isinstance(peel_value, dict):
        return (
            isinstance(yaml_value, dict)
            and list(peel_value) == list(yaml_value)
            and all(_read_alike(peel_value[key], yaml_value[key]) for key in peel_value)
        )
    if isinstance(peel_value, list):
        return (
            isinstance(yaml_value, list)
            and len(peel_value) == len(yaml_value)
            and all(_read_alike(a, b) for a, b in zip(peel_value, yaml_value, strict=True))
        )
    if isinstance(peel_value, Decimal) and isinstance(yaml_value, Decimal):
        return peel_value == yaml_value
    return type(peel_value) is type(yaml_value) and peel_value == yaml_value


def check_readings_agree(data: bytes) -> None:
    """``validate`` reads a file once and locates its problems in the node tree it has in hand;
    every other command keeps its reading without the tree, which is composed again from the text
    when a place is asked for. Both find the same problems at the same places, and the same
    force; every path in the file is found at the same place in the tree composed again; and where
    the YAML itself is sound, the values are those PyYAML's own loader reads."""
    today = date.fromisoformat(TODAY)
    name = f"forces/{SLUG}.yaml"
    once = read_force(data, name, slug=SLUG, today=today, keep=False)
    kept = read_force(data, name, slug=SLUG, today=today)
    assert [str(p) for p in once.problems] == [str(p) for p in kept.problems]
    assert once.ok == kept.ok
    assert once.force == kept.force
    if once.document is None:
        return
    assert once.document.text == kept.document.text
    assert repr(once.document.value) == repr(kept.document.value)
    for path in _paths(once.document.value):
        for on_key in (False, True):
            problem = Problem("here", path=(*path, "<key>") if on_key else path)
            assert locate(once.document, problem) == locate(kept.document, problem), path
    if not once.document.problems and "*" not in once.document.text:
        assert _read_alike(once.document.value, _as_yaml_reads(yaml.load(once.document.text, Loader=_Oracle)))


@st.composite
def force_files(draw) -> bytes:
    """Bytes a force file might hold: the real file mutated, a generated document, raw text."""
    source = draw(st.sampled_from(["mutated", "generated", "raw"]))
    if source == "mutated":
        lines = LINES
        for op in draw(st.lists(LINE_OP, max_size=4)):
            lines = mutate_lines(lines, op)
        data = b"".join(lines)
        for op in draw(st.lists(BYTE_OP, max_size=3)):
            data = mutate_bytes(data, op)
        return data
    if source == "generated":
        return dump(draw(FORCE_LIKE | TREES), draw, aliases=draw(st.booleans()))
    return draw(RAW_TEXT).encode("utf-8", "surrogatepass")


@fuzz_settings(300)
@given(data=force_files())
@example(data=ORIGINAL)
@example(data=b"a: &a [x]\nb: [*a, *a]\n")
@example(data=b"slug: west-midlands\nslug: x\nname: 'no'\nno: 1\n'yes': 2\nyes: 3\n")
@example(data=b"slug: west-midlands\n" + b"- " * 50 + b"x\n")
def test_the_reading_validate_makes_is_the_reading_every_command_keeps(data):
    check_readings_agree(data)


CHARACTERS = st.text(
    st.characters(exclude_categories=())
    | st.sampled_from(
        ["\x00", "\x1b", "\x7f", "\x85", "\x9f", "\xa0", "\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff"]
    ),
    max_size=30,
)


@fuzz_settings(500)
@given(text=CHARACTERS)
def test_the_quick_scans_find_what_the_patterns_find(text):
    """The reader looks for refused characters and odd line breaks in a file's bytes and with
    substring searches, far quicker than its regular expressions: they must find the same."""
    found = _find_control(text)
    expected = _CONTROL.search(text)
    assert (found and found.start()) == (expected and expected.start())
    assert _has_odd_breaks(text) == bool(_YAML_BREAKS.search(text))
