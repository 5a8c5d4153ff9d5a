"""Hostile files and arguments: each is refused with a clear, located message (exit 1), quickly
and in bounded memory, and nothing is written where it should not be.

Parsing attacks run in a peel process of their own with its address space capped
(``RLIMIT_AS``) and a timeout, so that a blow-up fails the test instead of the machine. The
processes are forked from one helper that imported peel once (tests/forkpeel.py): each is a real
process running ``peel ARGS``, without the 0.3 s of a fresh interpreter's start-up.
"""

from __future__ import annotations

import builtins
import errno
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA, ENV
from forkpeel import Done, ForkedPeel
from peelcli import files

WM = "west-midlands"
ORIGINAL = (DATA / "forces" / f"{WM}.yaml").read_bytes()
MEMORY_CAP = 1 << 30  # 1 GiB of address space for a peel process
LOCATED = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<column>\d+): error: (?P<message>.*)$", re.MULTILINE)
CLOSE = ("close-rec", WM, "rec-inv-outcomes", "--on", "2024-09-18", "--evidence", "Done", "--source")
CLOSE_ARGS = (*CLOSE, "return-letter-2024-09")


@pytest.fixture(scope="module")
def peel_process():
    """Run ``peel ARGS`` in its own process with 1 GiB of address space and a timeout; the
    result and the seconds it took."""
    env = {k: v for k, v in ENV.items() if v is not None}
    with ForkedPeel(env) as forked:
        forked.warm_up([["validate", str(DATA / "forces" / f"{WM}.yaml")]])

        def run(*args: str, timeout: float = 60, cwd: Path | None = None) -> tuple[Done, float]:
            done = forked.run(list(args), env={"PEEL_DATA_DIR": None}, cwd=cwd, timeout=timeout, memory_cap=MEMORY_CAP)
            return done, done.seconds

        yield run


def assert_refused_with_location(done: Done, path: Path, message: str) -> re.Match:
    output = done.stdout + done.stderr
    assert done.returncode == 1, f"exit {done.returncode}\n{output[-3000:]}"
    assert "Traceback" not in output and "internal error" not in output, output[-3000:]
    located = [m for m in LOCATED.finditer(output) if m["file"].endswith(path.name)]
    assert located, f"no located error line\n{output[-3000:]}"
    matching = [m for m in located if message in m["message"]]
    assert matching, f"no located error saying {message!r}\n{output[-3000:]}"
    return matching[0]


def snapshot(root: Path) -> dict[str, tuple]:
    """Every file, folder and link under ``root`` (dot-files too), with its content."""
    found = {}
    for path in sorted(root.rglob("*")):
        key = str(path.relative_to(root))
        if path.is_symlink():
            found[key] = ("link", os.readlink(path))
        elif path.is_dir():
            found[key] = ("dir",)
        else:
            found[key] = ("file", path.read_bytes(), path.stat().st_mode)
    return found


@pytest.fixture
def one_force(tmp_path: Path) -> Path:
    """A ledger with West Midlands only: ``<tmp>/data``."""
    root = tmp_path / "data"
    (root / "forces").mkdir(parents=True)
    (root / "forces" / f"{WM}.yaml").write_bytes(ORIGINAL)
    return root


def force_file(root: Path, data: bytes) -> Path:
    path = root / "forces" / f"{WM}.yaml"
    path.write_bytes(data)
    return path


# -- alias bombs, size, depth -------------------------------------------------------------------


def billion_laughs(levels: int, fan_out: int) -> bytes:
    lines = ["slug: west-midlands", "name: West Midlands Police", 'a0: &a0 ["lol"]']
    for n in range(1, levels):
        lines.append(f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * fan_out) + "]")
    lines.append(f"notes: *a{levels - 1}")
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize(("levels", "fan_out"), [(10, 9), (40, 10), (200, 20)])
def test_an_alias_bomb_is_refused_quickly_in_bounded_memory(one_force, levels, fan_out, peel_process):
    path = force_file(one_force, billion_laughs(levels, fan_out))
    done, seconds = peel_process("validate", str(path), timeout=60)
    match = assert_refused_with_location(done, path, "aliases (*name) are not allowed in a force file")
    assert int(match["line"]) == 4, "the first alias is on line 4"
    assert seconds < 10, f"took {seconds:.1f} s"


def test_an_alias_bomb_in_a_mapping_is_refused_by_status_too(one_force, peel_process):
    lines = ["slug: west-midlands", "name: West Midlands Police", "x0: &x0 {k: v}"]
    lines += [f"x{n}: &x{n} {{" + ", ".join(f"k{i}: *x{n - 1}" for i in range(10)) + "}" for n in range(1, 30)]
    force_file(one_force, ("\n".join(lines) + "\n").encode())
    done, seconds = peel_process("--data-dir", str(one_force), "status", WM, timeout=60)
    assert_refused_with_location(done, one_force / "forces" / f"{WM}.yaml", "aliases (*name) are not allowed")
    assert seconds < 10, f"took {seconds:.1f} s"


def test_a_flood_of_aliases_is_refused_in_bounded_memory(one_force, peel_process):
    # 500,000 aliases of one anchor in 2 MB: one message each, but no expansion.
    text = "slug: west-midlands\nname: West Midlands Police\na: &a [x]\nnotes: [" + "*a, " * 500_000 + "]\n"
    path = force_file(one_force, text.encode())
    done, seconds = peel_process("validate", str(path), timeout=120)
    assert_refused_with_location(done, path, "aliases (*name) are not allowed")
    assert seconds < 60, f"took {seconds:.1f} s"


def test_a_50_mb_file_is_refused_with_a_clear_message_without_reading_it(one_force, peel, peel_process):
    block = ORIGINAL + b"\n# " + b"x" * 1000 + b"\n"
    path = force_file(one_force, block * (50 * 1024 * 1024 // len(block) + 1))
    assert path.stat().st_size >= 50 * 1024 * 1024
    done, seconds = peel_process("validate", str(path), timeout=60)
    assert done.returncode == 1, done.stdout + done.stderr
    assert re.search(
        rf"^\S*{WM}\.yaml: error: file is 50\.\d MB; peel reads files of at most 5 MB: is this really a ledger file\?$",
        done.stdout,
        re.MULTILINE,
    ), done.stdout
    assert seconds < 10
    before = path.stat()
    for args in (("status", WM), ("assess", WM), CLOSE_ARGS):
        result = peel("--data-dir", str(one_force), *args)
        assert result.exit_code == 1, (args, result.stdout, result.stderr)
        assert "peel reads files of at most 5 MB" in result.stderr
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("[" * 10_000, 1),
        ("{a: " * 10_000, 1),
        ("slug: west-midlands\nname: x\nnotes: " + "[" * 10_000 + "]" * 10_000 + "\n", 3),
        ("slug: west-midlands\nname: x\nnotes:\n" + "".join(" " * i + "- \n" for i in range(1, 2000)), None),
    ],
    ids=["brackets", "braces", "brackets-closed", "block-lists"],
)
def test_deep_nesting_is_refused_with_a_location(one_force, text, line, peel_process):
    path = force_file(one_force, text.encode())
    done, seconds = peel_process("validate", str(path), timeout=60)
    match = assert_refused_with_location(done, path, "nesting")
    assert "too deep" in match["message"] or "deeper than" in match["message"]
    if line is not None:
        assert int(match["line"]) == line
    assert seconds < 10


# -- encodings, line endings, tabs --------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "where", "message"),
    [
        (ORIGINAL.replace(b"name: West Midlands", b"name: \xffWest Midlands"), "8:7", "byte 0xff is not UTF-8"),
        (ORIGINAL.replace(b"name: West Midlands", b"name: W\xe9st Midlands"), "8:8", "byte 0xe9 is not UTF-8"),
        (ORIGINAL.replace(b"slug: west-midlands", b"slug: west-midlands\xc3"), "7:20", "byte 0xc3 is not UTF-8"),
        (ORIGINAL.replace(b"# West Midlands", b"# West \xed\xa0\x80Midlands"), "3:8", "byte 0xed is not UTF-8"),
        (ORIGINAL.decode().encode("utf-16"), "1:1", "file is UTF-16 or UTF-32: save it as UTF-8"),
        (ORIGINAL.replace(b"name: West", b"name: We\x00st"), "8:9", "control character U+0000 is not allowed"),
        (ORIGINAL.replace(b"name: West", b"name: We\x1bst"), "8:9", "control character U+001B is not allowed"),
    ],
    ids=["0xff", "latin-1", "truncated-sequence", "surrogate", "utf-16", "nul", "escape"],
)
def test_bytes_that_are_not_utf_8_text_are_refused_at_their_place(one_force, peel, data, where, message):
    path = force_file(one_force, data)
    result = peel("validate", str(path))
    assert result.exit_code == 1
    assert f"{path}:{where}: error: {message}" in result.stdout, result.stdout
    status = peel("--data-dir", str(one_force), "status", WM)
    assert status.exit_code == 1
    assert f"{path}:{where}: error: {message}" in status.stderr, status.stderr


def insertion(before: bytes, after: bytes) -> list[bytes]:
    """The lines ``after`` inserts at one place in ``before``; fails if any byte of ``before``
    changed or moved."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    assert head + tail == len(old), f"original lines changed from line {head + 1}: {old[head : len(old) - tail]!r}"
    return new[head : len(new) - tail]


@pytest.mark.parametrize(("bom", "newline"), [(b"", b"\r\n"), (b"\xef\xbb\xbf", b"\n"), (b"\xef\xbb\xbf", b"\r\n")])
def test_crlf_and_a_byte_order_mark_are_kept_byte_for_byte_by_an_edit(one_force, peel, bom, newline):
    before = bom + ORIGINAL.replace(b"\n", newline)
    path = force_file(one_force, before)
    assert peel("validate", str(path)).exit_code == 0
    result = peel("--data-dir", str(one_force), *CLOSE_ARGS)
    assert result.exit_code == 0, result.stderr
    after = path.read_bytes()
    assert after.startswith(bom) and not after[len(bom) :].startswith(b"\xef\xbb\xbf")
    added = insertion(before, after)
    assert added, "nothing was inserted"
    assert all(line.endswith(newline) for line in added), added
    assert b"\n" not in after.replace(newline, b"") and b"\r" not in after.replace(newline, b"")
    assert b"".join(added).decode().strip().startswith("closure:")
    assert peel("validate", str(path)).exit_code == 0


def test_a_file_with_cr_line_endings_is_refused_by_validate_or_edited(one_force, peel):
    path = force_file(one_force, ORIGINAL.replace(b"\n", b"\r"))
    if peel("validate", str(path)).exit_code == 1:
        return
    result = peel("--data-dir", str(one_force), *CLOSE_ARGS)
    assert result.exit_code == 0, result.stderr
    assert peel("validate", str(path)).exit_code == 0


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        (b"\nname: West", b"\n\tname: West", 8),
        (b"    title: PEEL inspection 2023", b"\ttitle: PEEL inspection 2023", 56),
        (b"  - id: peel-2023", b"\t- id: peel-2023", 55),
    ],
)
def test_tab_indentation_is_refused_with_a_location(one_force, peel, old, new, line):
    assert old in ORIGINAL
    path = force_file(one_force, ORIGINAL.replace(old, new, 1))
    result = peel("validate", str(path))
    assert result.exit_code == 1
    located = [m for m in LOCATED.finditer(result.stdout) if m["file"] == str(path)]
    assert located, result.stdout
    assert int(located[0]["line"]) == line, result.stdout
    assert "tab" in result.stdout.lower(), result.stdout
    edit = peel("--data-dir", str(one_force), *CLOSE_ARGS)
    assert edit.exit_code == 1
    assert "already invalid" in edit.stderr
    assert path.read_bytes() == ORIGINAL.replace(old, new, 1)


def test_a_tab_inside_a_quoted_value_is_text(one_force, peel):
    path = force_file(one_force, ORIGINAL.replace(b"name: West Midlands Police", b'name: "West\tMidlands Police"'))
    result = peel("validate", str(path))
    assert result.exit_code in (0, 1)
    assert result.exit_code == 0 or LOCATED.search(result.stdout), result.stdout


# -- tags ---------------------------------------------------------------------------------------


TAGS = [
    "!!python/object:os.system echo",
    '!!python/object/apply:os.system ["touch {canary}"]',
    "!!python/object/new:os.system [x]",
    "!!python/name:os.system",
    "!!python/module:os",
    "!<tag:yaml.org,2002:python/object/apply:os.system> ['touch {canary}']",
    "!!binary aGVsbG8=",
    "!!set {a: null}",
    "!!omap [a: 1]",
    "!!pairs [a: 1]",
    "!custom x",
    '!!null ""',
    "!!float '1.5'",
]


@pytest.mark.parametrize("value", TAGS)
def test_python_and_other_tags_are_refused_with_a_location(one_force, tmp_path, value, peel_process):
    canary = tmp_path / "pwned"
    value = value.replace("{canary}", str(canary))
    text = ORIGINAL.decode().replace("name: West Midlands Police", f"name: West Midlands Police\nnotes: {value}", 1)
    path = force_file(one_force, text.encode())
    done, _ = peel_process("validate", str(path))
    match = assert_refused_with_location(done, path, "is not allowed in a force file")
    assert (match["line"], match["column"]) == ("9", "8")
    assert "tag !" in match["message"]
    done, _ = peel_process("--data-dir", str(one_force), *CLOSE_ARGS)
    assert done.returncode == 1
    assert path.read_text() == text
    assert not canary.exists()


def test_a_tag_declared_with_a_tag_directive_is_refused(one_force, peel_process):
    text = (
        "%TAG !e! tag:yaml.org,2002:python/\n---\nslug: west-midlands\nname: x\nnotes: !e!object/apply:os.system [x]\n"
    )
    path = force_file(one_force, text.encode())
    done, _ = peel_process("validate", str(path))
    match = assert_refused_with_location(done, path, "tag !!python/object/apply:os.system is not allowed")
    assert (match["line"], match["column"]) == ("5", "8")


def test_a_tagged_key_is_refused_with_a_location(one_force, peel_process):
    path = force_file(one_force, b"slug: west-midlands\nname: x\n!!python/name:os.system : x\n")
    done, _ = peel_process("validate", str(path))
    match = assert_refused_with_location(done, path, "")
    assert (match["line"], match["column"]) == ("3", "1")


def test_a_tag_on_the_whole_document_is_refused_once_in_plain_words(one_force, peel):
    path = force_file(one_force, b"!!python/object:peelcli.schema.records.ForceFile\nslug: west-midlands\nname: x\n")
    result = peel("validate", str(path))
    assert result.exit_code == 1
    assert f"{path}:1:1: error: tag !!python/object:peelcli.schema.records.ForceFile is not allowed" in result.stdout
    assert "Refused()" not in result.stdout, result.stdout


# -- force names that are paths -----------------------------------------------------------------


HOSTILE_SLUGS = ["../x", "/etc/passwd", "a/b", "a\x00b", "", ".", "..", "../victim", "../../victim", "victim/../.."]


@pytest.fixture
def surrounded(tmp_path: Path) -> Path:
    """A ledger at ``<tmp>/data`` with a valid force file ``victim.yaml`` (slug ``victim``, with a
    recommendation rec-inv-outcomes) just outside its forces folder and just outside the ledger."""
    root = tmp_path / "data"
    (root / "forces").mkdir(parents=True)
    (root / "forces" / f"{WM}.yaml").write_bytes(ORIGINAL)
    victim = ORIGINAL.replace(b"slug: west-midlands", b"slug: victim")
    (root / "victim.yaml").write_bytes(victim)
    (tmp_path / "victim.yaml").write_bytes(victim)
    return root


@pytest.mark.parametrize("slug", [*HOSTILE_SLUGS, "ABSOLUTE"])
def test_a_force_name_that_is_a_path_is_refused_and_nothing_is_written(surrounded, peel, slug):
    tmp = surrounded.parent
    slug = str(tmp / "victim") if slug == "ABSOLUTE" else slug
    before = snapshot(tmp)
    status = peel("--data-dir", str(surrounded), "status", slug)
    assert status.exit_code == 1, status.stdout
    assert "unknown force" in status.stderr or "not a force slug" in status.stderr, status.stderr
    for args in (
        ("close-rec", slug, "rec-inv-outcomes", "--on", "2025-01-01", "--evidence", "x"),
        ("close-concern", slug, "coc-investigations", "--evidence", "x", "--reason", "y"),
        ("add-afi", slug, "--id", "afi-new", "--text", "x", "--raised", "2024-01"),
        ("add-force", slug, "--name", "Victim Police"),
    ):
        result = peel("--data-dir", str(surrounded), *args)
        assert result.exit_code == 1, (args, result.stdout, result.stderr)
        assert "unknown force" in result.stderr or "not a force slug" in result.stderr, result.stderr
    assert snapshot(tmp) == before


# -- symbolic links -----------------------------------------------------------------------------


def test_a_force_file_linked_to_a_file_outside_the_ledger_is_not_written(one_force, peel, tmp_path):
    outside = tmp_path / "elsewhere" / f"{WM}.yaml"
    outside.parent.mkdir()
    outside.write_bytes(ORIGINAL)
    link = one_force / "forces" / f"{WM}.yaml"
    link.unlink()
    link.symlink_to(outside)
    before = snapshot(tmp_path)
    for args in (
        CLOSE_ARGS,
        ("add-afi", WM, "--id", "afi-new", "--text", "x", "--raised", "2024-01"),
        ("add-source", WM, "--id", "s-new", "--kind", "web-page", "--title", "t", "--url", "https://example.org/n"),
    ):
        result = peel("--data-dir", str(one_force), *args)
        assert result.exit_code == 1, (args, result.stdout, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert lines == [
            f"{link}: error: is a symbolic link to a file outside the ledger's forces folder: refusing to write"
        ]
    assert snapshot(tmp_path) == before
    assert link.is_symlink()


def test_a_dangling_link_is_not_replaced_by_add_force(one_force, peel, tmp_path):
    target = tmp_path / "elsewhere" / "kent.yaml"
    target.parent.mkdir()
    (one_force / "forces" / "kent.yaml").symlink_to(target)
    before = snapshot(tmp_path)
    result = peel("--data-dir", str(one_force), "add-force", "kent", "--name", "Kent Police")
    assert result.exit_code == 1
    assert "already exists" in result.stderr
    assert snapshot(tmp_path) == before
    assert not target.exists()


def test_a_force_file_linked_to_a_device_is_refused(one_force, peel_process):
    (one_force / "forces" / "zero.yaml").symlink_to("/dev/zero")
    done, seconds = peel_process("--data-dir", str(one_force), "validate", timeout=60)
    assert done.returncode == 1, done.stdout[-2000:] + done.stderr[-2000:]
    assert "zero.yaml" in done.stdout
    assert seconds < 10


def test_a_fifo_in_the_forces_folder_does_not_hang_validate(one_force, peel_process):
    os.mkfifo(one_force / "forces" / "pipe.yaml")
    done, _ = peel_process("--data-dir", str(one_force), "validate", timeout=5)
    assert not done.timed_out, "peel validate hung on a FIFO"
    assert done.returncode == 1
    assert "pipe.yaml" in done.stdout


def test_a_file_full_of_dangling_citations_is_checked_quickly(one_force, peel_process):
    n = 5_000
    recs = "".join(
        f"      - id: rec-{i}\n        text: r{i}\n        deadline: Within six months\n        sources: [srx-{i}]\n"
        for i in range(n)
    )
    sources = "".join(
        f"  - id: src-{i}\n    kind: web-page\n    title: t{i}\n    url: https://example.org/{i}\n" for i in range(n)
    )
    text = (
        "slug: west-midlands\nname: West Midlands Police\ncauses_of_concern:\n  - id: coc\n    title: x\n"
        f"    raised_on: 2024-01\n    sources: [src-1]\n    recommendations:\n{recs}sources:\n{sources}"
    )
    path = force_file(one_force, text.encode())
    # A guard against a blow-up (quadratic in the entries would take minutes), not a timing:
    # bench/run.py holds the budgets, on a quiet machine.
    done, _ = peel_process("validate", str(path), timeout=60)
    assert not done.timed_out, "peel validate did not finish in 60 s on a 1 MB file"
    assert_refused_with_location(done, path, "no source with id 'srx-0'")


# -- disk full and read-only during a write -----------------------------------------------------


class _FullDisk:
    """A file open for writing whose write stores half, then fails as a full disk does."""

    def __init__(self, handle):
        self.handle = handle

    def write(self, data):
        self.handle.write(data[: len(data) // 2])
        self.handle.flush()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name):
        return getattr(self.handle, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.handle.close()
        return False


def _raise(code: int):
    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    return fail


def _full_disk(monkeypatch):
    """Writes to peel's temporary files (``.<name>.*.tmp``, or a bare descriptor) fail with
    ENOSPC, however the writer opens them (``open``, ``Path.write_bytes``, ``os.fdopen``)."""
    real = io.open

    def open_(file, mode="r", *args, **kwargs):
        handle = real(file, mode, *args, **kwargs)
        temporary = isinstance(file, int) or str(file).endswith(".tmp")
        return _FullDisk(handle) if temporary and ("w" in mode or "a" in mode) else handle

    monkeypatch.setattr(io, "open", open_)
    monkeypatch.setattr(builtins, "open", open_)


FULL = "the disk is full"
READ_ONLY = "the folder is read-only or not yours to write"
FAILURES = {
    "mkstemp-erofs": (lambda mp: mp.setattr(files, "_new_temporary", _raise(errno.EROFS)), READ_ONLY),
    "mkstemp-enospc": (lambda mp: mp.setattr(files, "_new_temporary", _raise(errno.ENOSPC)), FULL),
    "write-enospc": (_full_disk, FULL),
    "fsync-enospc": (lambda mp: mp.setattr(os, "fsync", _raise(errno.ENOSPC)), FULL),
    "chmod-eperm": (lambda mp: mp.setattr(os, "chmod", _raise(errno.EPERM)), READ_ONLY),
    "replace-erofs": (lambda mp: mp.setattr(os, "replace", _raise(errno.EROFS)), READ_ONLY),
}


@pytest.mark.parametrize("failure", list(FAILURES))
def test_a_failed_write_says_so_in_one_line_and_leaves_the_file_and_no_temporary_file(
    one_force, peel, monkeypatch, failure
):
    path = one_force / "forces" / f"{WM}.yaml"
    before = snapshot(one_force)
    patch, reason = FAILURES[failure]
    with monkeypatch.context() as mp:
        patch(mp)
        result = peel("--data-dir", str(one_force), *CLOSE_ARGS)
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert result.stderr.splitlines() == [f"{path}: error: cannot write: {reason}; nothing was changed"]
    assert result.stdout == ""
    assert snapshot(one_force) == before
    assert sorted(p.name for p in path.parent.iterdir()) == [f"{WM}.yaml"]


@pytest.mark.parametrize("failure", ["mkstemp-erofs", "write-enospc", "fsync-enospc"])
def test_a_failed_write_of_a_new_force_file_leaves_nothing(one_force, peel, monkeypatch, failure):
    before = snapshot(one_force)
    patch, reason = FAILURES[failure]
    with monkeypatch.context() as mp:
        patch(mp)
        result = peel("--data-dir", str(one_force), "add-force", "kent", "--name", "Kent Police")
    assert result.exit_code == 1, (result.stdout, result.stderr)
    kent = one_force / "forces" / "kent.yaml"
    assert result.stderr.splitlines() == [f"{kent}: error: cannot write: {reason}; nothing was changed"]
    assert snapshot(one_force) == before


def test_after_a_failed_write_the_same_edit_succeeds(one_force, peel, monkeypatch):
    with monkeypatch.context() as mp:
        mp.setattr(os, "fsync", _raise(errno.ENOSPC))
        assert peel("--data-dir", str(one_force), *CLOSE_ARGS).exit_code == 1
    result = peel("--data-dir", str(one_force), *CLOSE_ARGS)
    assert result.exit_code == 0, result.stderr
    assert peel("--data-dir", str(one_force), "validate").exit_code == 0


# -- writes go only where the user meant --------------------------------------------------------


@pytest.mark.parametrize("target", ["forces/west-midlands.yaml", "forces/new.md", "registry.yaml", "notes.md"])
def test_a_report_or_export_inside_the_ledger_is_refused_and_nothing_is_written(one_force, peel, tmp_path, target):
    (one_force / "registry.yaml").write_bytes((DATA / "registry.yaml").read_bytes())
    (tmp_path / "elsewhere").symlink_to(one_force / "forces")  # a way into the ledger from outside
    before = snapshot(tmp_path)
    for out in (one_force / target, tmp_path / "elsewhere" / "via-link.md"):
        for args in (("report", WM, "--out", str(out)), ("export", "-f", "csv", "-o", str(out))):
            result = peel("--data-dir", str(one_force), *args)
            assert result.exit_code == 1, (args, result.stdout)
            assert result.stderr.splitlines() == [
                f"{out}: error: is inside the ledger folder {one_force}: peel writes no report or export there; "
                "give a file name outside it"
            ]
    assert snapshot(tmp_path) == before


def test_a_report_is_not_written_over_a_pipe_a_device_or_a_folder(one_force, peel, tmp_path):
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    (tmp_path / "folder.md").mkdir()
    (tmp_path / "link-to-pipe.md").symlink_to(fifo)
    cases = {
        fifo: "a named pipe (FIFO)",
        tmp_path / "link-to-pipe.md": "a named pipe (FIFO)",
        Path("/dev/null"): "a device",
        tmp_path / "folder.md": "a folder",
    }
    for out, kind in cases.items():
        for args in (("report", WM, "--out", str(out)), ("export", "-f", "json", "-o", str(out))):
            result = peel("--data-dir", str(one_force), *args)
            assert result.exit_code == 1, (args, result.stdout)
            assert result.stderr.splitlines() == [
                f"{out}: error: is {kind}: peel replaces only plain files; give a file name"
            ]
    assert fifo.is_fifo() and (tmp_path / "link-to-pipe.md").is_symlink()
    assert Path("/dev/null").is_char_device()


def test_a_report_may_replace_a_plain_file_outside_the_ledger_when_told_to(one_force, peel, tmp_path):
    out = tmp_path / "board.md"
    out.write_text("old")
    refused = peel("--data-dir", str(one_force), "report", WM, "--out", str(out))
    assert refused.exit_code == 1
    assert out.read_text(encoding="utf-8") == "old"
    result = peel("--data-dir", str(one_force), "report", WM, "--out", str(out), "--force")
    assert result.exit_code == 0, result.stderr
    assert out.read_text(encoding="utf-8").startswith("# ")


SECRET = b"TOPSECRET: hunter2\nprivate: [key, material]\n"


@pytest.mark.parametrize("name", ["kent.yaml", f"{WM}.yaml", "registry.yaml"])
def test_a_ledger_file_linked_out_of_the_ledger_is_refused_unread(one_force, peel, tmp_path, name):
    """Not one byte of the target reaches a message: the link is refused before anything is opened."""
    secret = tmp_path / "secret.yaml"
    secret.write_bytes(SECRET)
    link = one_force / ("registry.yaml" if name == "registry.yaml" else f"forces/{name}")
    link.unlink(missing_ok=True)
    link.symlink_to(secret)
    folder = one_force if name == "registry.yaml" else one_force / "forces"
    message = (
        f"{link}: error: is a symbolic link that leads out of {folder}: peel does not read it; "
        "put the file itself in the ledger"
    )
    runs = [("validate",), ("status",)]
    if name != "registry.yaml":  # the registry is read by the commands that list every force
        runs += [("status", name.removesuffix(".yaml")), ("export", "-f", "json", "-o", str(tmp_path / "x.json"))]
    for args in runs:
        result = peel("--data-dir", str(one_force), *args)
        assert result.exit_code == 1, (args, result.stdout, result.stderr)
        output = result.stdout + result.stderr
        assert message in output.splitlines(), (args, output)
        for word in (b"TOPSECRET", b"hunter2", b"private", b"material"):
            assert word.decode() not in output, (args, output)


def test_a_link_inside_the_forces_folder_is_read(one_force, peel):
    forces = one_force / "forces"
    (forces / f"{WM}.yaml").rename(forces / "real.yaml")
    (forces / f"{WM}.yaml").symlink_to("real.yaml")
    (forces / "real.yaml").rename(forces / ".real")
    (forces / f"{WM}.yaml").unlink()
    (forces / f"{WM}.yaml").symlink_to(".real")
    result = peel("--data-dir", str(one_force), "status", WM)
    assert result.exit_code == 0, result.stderr


# -- failing loudly, and only where something is wrong ------------------------------------------


def _unlistable(monkeypatch, folder: Path) -> None:
    """Listing ``folder`` fails as a ``chmod 000`` folder does for anyone but root."""
    real = os.scandir

    def scandir(path="."):
        if Path(path) == folder:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


def test_an_unreadable_forces_folder_is_refused_by_every_command_and_never_called_valid(one_force, peel, monkeypatch):
    forces = one_force / "forces"
    _unlistable(monkeypatch, forces)
    message = f"{forces}: error: cannot read this folder: Permission denied"
    for args in (
        ("validate",),
        ("status",),
        ("status", WM),
        ("export", "-f", "json", "-o", str(one_force.parent / "x.json")),
        ("site", str(one_force.parent / "site")),
        ("diff", "--since", "2024-01-01"),
        CLOSE_ARGS,
    ):
        result = peel("--data-dir", str(one_force), *args)
        assert result.exit_code == 1, (args, result.stdout, result.stderr)
        assert message in (result.stdout + result.stderr).splitlines(), (args, result.stdout, result.stderr)
        assert "(valid)" not in result.stdout


@pytest.mark.parametrize("kind", ["folder", "fifo", "dangling link"])
def test_a_registry_that_is_not_a_plain_file_is_reported_by_validate_and_refused_by_status(one_force, peel, kind):
    registry = one_force / "registry.yaml"
    if kind == "folder":
        registry.mkdir()
    elif kind == "fifo":
        os.mkfifo(registry)
    else:
        registry.symlink_to("gone.yaml")
    validate = peel("--data-dir", str(one_force), "validate")
    assert validate.exit_code == 1, validate.stdout
    assert f"{registry}: error: " in validate.stdout, validate.stdout
    status = peel("--data-dir", str(one_force), "status")
    assert status.exit_code == 1
    assert f"{registry}: error: " in status.stderr


STRAYS = ["west-midlands.orig.yaml", "Kent.yaml", "x y.yaml"]


def test_a_file_with_a_bad_name_is_reported_and_skipped_never_fatal(one_force, peel, tmp_path):
    for stray in STRAYS:
        (one_force / "forces" / stray).write_bytes(ORIGINAL)
    validate = peel("--data-dir", str(one_force), "validate")
    assert validate.exit_code == 1
    for stray in STRAYS:
        assert f"{one_force / 'forces' / stray}:7:7: error: file name {stray!r} is not <slug>.yaml" in validate.stdout
    assert "rename it west-midlands.yaml" in validate.stdout
    for args in (("status",), ("site", str(tmp_path / "site"))):
        result = peel("--data-dir", str(one_force), *args)
        assert result.exit_code == 0, (args, result.stdout, result.stderr)
        warnings = result.stderr.splitlines()
        assert [line.split(": warning: ")[0] for line in warnings] == sorted(
            str(one_force / "forces" / s) for s in STRAYS
        )
        assert all("peel skips it" in line for line in warnings)
    status = peel("--data-dir", str(one_force), "status", "--format", "json")
    rows = json.loads(status.stdout)["forces"]
    assert [row["force"] for row in rows if row["on_record"]] == [WM]
    assert peel("--data-dir", str(one_force), "status", WM).exit_code == 0


# -- the edit lock ------------------------------------------------------------------------------


@pytest.fixture
def lock_held(one_force):
    """The ledger's lock held by another holder (this process, through its own descriptor),
    with the lock-info file a peel process writes."""
    import fcntl

    fd = os.open(one_force / "forces", os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    (one_force / ".peel-lock").write_text(f"{os.getpid()}\npeel close-rec west-midlands rec-1 \x1b[31m--evidence x\n")
    yield one_force
    os.close(fd)


def test_an_edit_behind_a_held_lock_says_whom_it_waits_for_and_gives_up_with_nothing_written(lock_held, peel):
    before = snapshot(lock_held / "forces")
    result = peel("--data-dir", str(lock_held), *CLOSE_ARGS, env={"PEEL_LOCK_TIMEOUT": "0.3"})
    assert result.exit_code == 1, result.stdout
    holder = f"process {os.getpid()} (peel close-rec west-midlands rec-1 ?[31m--evidence x)"
    assert result.stderr.splitlines() == [
        f"waiting for the ledger lock held by {holder} (up to 0.3 s)",
        f"{lock_held / 'forces'}: error: gave up after 0.3 s waiting for the ledger lock held by {holder}: nothing "
        "was written; try again when it has finished, or set PEEL_LOCK_TIMEOUT to wait longer",
    ]
    assert snapshot(lock_held / "forces") == before


def test_a_stale_lock_note_names_no_one(lock_held, peel):
    (lock_held / ".peel-lock").write_text("999999999\npeel close-rec gone\n")
    result = peel("--data-dir", str(lock_held), *CLOSE_ARGS, env={"PEEL_LOCK_TIMEOUT": "0"})
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "waiting for the ledger lock held by another process (up to 0 s)"


@pytest.mark.parametrize("value", ["soon", "-1", "nan", "inf", "1e9"])
def test_a_lock_timeout_that_is_not_a_number_of_seconds_is_a_usage_error(one_force, peel, value):
    result = peel("--data-dir", str(one_force), *CLOSE_ARGS, env={"PEEL_LOCK_TIMEOUT": value})
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"error: PEEL_LOCK_TIMEOUT={value!r}: give a number of seconds from 0 to 86400"
    ]


def test_an_edit_leaves_no_lock_note_behind(one_force, peel):
    assert peel("--data-dir", str(one_force), *CLOSE_ARGS).exit_code == 0
    assert not (one_force / ".peel-lock").exists()


# -- a closed stdout ----------------------------------------------------------------------------


def _many_warnings(root: Path, count: int) -> None:
    body = ORIGINAL.split(b"\nslug: ", 1)[1].split(b"\n", 1)[1]
    for n in range(count):
        (root / "forces" / f"force-{n}.yaml").write_bytes(b"slug: force-%d\n" % n + body)


@pytest.mark.parametrize(("broken", "code"), [(False, 0), (True, 1)])
def test_validate_into_a_reader_that_stops_early_exits_by_what_it_found(one_force, broken, code):
    """``peel validate | head -c 10``: a closed stdout is no failure of the ledger."""
    _many_warnings(one_force, 150)  # far more output than a pipe holds
    if broken:
        (one_force / "forces" / "zz-broken.yaml").write_bytes(b"slug: [\n")
    env = {**os.environ, **{k: v for k, v in ENV.items() if v is not None}}
    process = subprocess.Popen(
        [sys.executable, "-m", "peelcli", "--data-dir", str(one_force), "validate"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert len(process.stdout.read(10)) == 10
    process.stdout.close()
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == code, stderr.decode()
    assert stderr == b""


# -- the issue's examples -----------------------------------------------------------------------


def test_a_deadline_past_the_date_range_is_refused_where_it_is_written(one_force, peel):
    before = snapshot(one_force)
    add = peel(
        "--data-dir",
        str(one_force),
        "add-rec",
        WM,
        "coc-investigations",
        "--id",
        "rec-far",
        "--text",
        "Do it",
        "--deadline",
        "Within 9999 years",
    )
    assert add.exit_code == 1
    assert "falls after 2999" in add.stderr
    assert snapshot(one_force) == before
    path = force_file(one_force, ORIGINAL.replace(b"deadline: Within six months", b"deadline: Within 9999 years", 1))
    validate = peel("--data-dir", str(one_force), "validate")
    assert validate.exit_code == 1
    (match,) = [m for m in LOCATED.finditer(validate.stdout) if "falls after 2999" in m["message"]]
    assert path.read_bytes().splitlines()[int(match["line"]) - 1].strip() == b"deadline: Within 9999 years"
    for args in (("status",), ("status", WM)):
        assert peel("--data-dir", str(one_force), *args).exit_code == 1


def test_a_number_of_4301_digits_is_refused_with_its_place(one_force, peel):
    path = force_file(one_force, ORIGINAL.replace(b"\nname: ", b"\nx: " + b"1" * 4301 + b"\nname: ", 1))
    validate = peel("--data-dir", str(one_force), "validate")
    assert validate.exit_code == 1
    assert f"{path}:8:4: error: number too long: 4301 digits, where peel reads at most 40" in validate.stdout
    assert peel("--data-dir", str(one_force), "status", WM).exit_code == 1


@pytest.mark.parametrize("text", ["٢٠٢٤-٠١", "２０２４", "2024-0١"])
def test_a_date_in_digits_other_than_0_to_9_is_refused(one_force, peel, text):
    add = peel("--data-dir", str(one_force), "add-afi", WM, "--id", "afi-x", "--text", "x", "--raised", text)
    assert add.exit_code == 2
    assert "digits 0-9" in add.stderr
    force_file(one_force, ORIGINAL.replace(b"raised_on: 2023-09\n", f"raised_on: {text}\n".encode(), 1))
    validate = peel("--data-dir", str(one_force), "validate")
    assert validate.exit_code == 1
    assert "write it with the digits 0-9" in validate.stdout


def test_an_edit_on_a_forces_folder_it_cannot_open_is_refused_with_its_place(one_force, peel, monkeypatch):
    real = os.open

    def refuse(path, flags, *args, **kwargs):
        if Path(path) == one_force / "forces":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    result = peel("--data-dir", str(one_force), "add-force", "kent", "--name", "Kent Police")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{one_force / 'forces'}: error: cannot lock the forces folder: Permission denied"
    ]
    assert not (one_force / "forces" / "kent.yaml").exists()


@pytest.mark.parametrize("inside", ["", "forces", "pages"])
def test_a_site_inside_the_ledger_is_refused_and_nothing_is_written(one_force, peel, inside):
    before = snapshot(one_force)
    outdir = one_force / inside if inside else one_force
    result = peel("--data-dir", str(one_force), "site", str(outdir))
    assert result.exit_code == 1, result.stdout
    assert result.stderr.splitlines() == [
        f"{outdir}: error: holds or is inside the ledger ({one_force}): write the site somewhere else"
    ]
    assert snapshot(one_force) == before
