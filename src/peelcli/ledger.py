"""Where the ledger lives and every read and write of its files.

This is the only module that touches the file system for the ledger: finding the data folder,
listing and reading force files, and writing them atomically under a lock. Everything it reads
goes through :func:`peelcli.reader.read_force`, the one reader.
"""

from __future__ import annotations

import contextlib
import difflib
import errno
import os
import re
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import NamedTuple

from .problems import PeelError, Problem, usage_error

FORCES = "forces"
REGISTRY = "registry.yaml"
ENV_DATA_DIR = "PEEL_DATA_DIR"
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def find_data_dir(option: str | None, environ: dict | None = None, cwd: Path | None = None) -> Path:
    """``--data-dir``, else ``$PEEL_DATA_DIR``, else ``./data`` holding ``forces/``, else the
    ledger shipped inside the package."""
    environ = os.environ if environ is None else environ
    cwd = Path.cwd() if cwd is None else cwd
    chosen = option or environ.get(ENV_DATA_DIR)
    if chosen:
        path = Path(chosen)
        if not (path / FORCES).is_dir():
            where = "--data-dir" if option else ENV_DATA_DIR
            raise usage_error(f"{where} {chosen}: no ledger there (expected a folder holding {FORCES}/)")
        return path
    if (cwd / "data" / FORCES).is_dir():
        return cwd / "data"
    return packaged_data_dir()


def packaged_data_dir() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here / "data", here.parents[1] / "data"):
        if (candidate / FORCES).is_dir():
            return candidate
    raise usage_error("no ledger found: pass --data-dir or set PEEL_DATA_DIR")


def display_path(path: Path) -> str:
    """A path as a user would type it: relative to the working folder when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if relative.startswith("..") else relative


def check_slug(slug: str) -> str:
    if not isinstance(slug, str) or not _SLUG.fullmatch(slug) or len(slug) > 64:
        shown = slug.replace("\x00", "\\0") if isinstance(slug, str) else repr(slug)
        raise PeelError(f"{shown!r} is not a force slug: use lower-case words joined by '-', like west-midlands")
    return slug


def read_bytes(path: Path, name: str | None = None) -> bytes:
    """A file's bytes, refusing what is not a plain file (a device, a pipe: reading those could
    block or never end) and never reading more than the size limit allows. ``name`` is the path
    as messages show it."""
    import stat

    from .yamlsource import MAX_BYTES, check_size

    name = name or display_path(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise PeelError(
                Problem("is not a plain file (a folder, device or pipe): a force file is a plain file").at(name)
            )
        check_size(info.st_size, name)
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
        check_size(len(data), name)
        return data
    except OSError as exc:
        raise PeelError(Problem(f"cannot read: {exc.strerror or exc}").at(name)) from None


def read_force_file(path: Path, *, today: date):
    """Read and check one force file; the slug it must carry is its file name."""
    from .reader import ForceReading, read_force

    slug = path.name[: -len(".yaml")] if path.name.endswith(".yaml") else None
    name = display_path(path)
    try:
        data = read_bytes(path, name)
    except PeelError as exc:
        return ForceReading(name, None, None, exc.problems)
    return read_force(data, name, slug=slug, today=today)


def read_registry_problems(path: Path) -> list[Problem]:
    from .registry import read_registry

    try:
        data = read_bytes(path)
    except PeelError as exc:
        return exc.problems
    return read_registry(data, display_path(path))[1]


DEFAULT_POLICY = Path(__file__).with_name("policy.yaml")


def read_policy(path: Path | None = None):
    """``peel assess``'s policy: the one shipped with peel, or ``--policy FILE``; a broken
    policy is refused with located problems."""
    from .reader import locate, read_record

    path = path or DEFAULT_POLICY
    if not path.is_file():
        raise usage_error(f"--policy {path}: no such file")
    name = display_path(path)
    policy, document, problems = read_record(read_bytes(path), name, "Policy")
    if policy is not None:
        shares = ("causes_closed_share", "remaining_recommendations_closed_share")
        for key in shares:
            if not 0 <= getattr(policy.return_to_scan, key).value <= 1:
                where = ("return_to_scan", key, "value")
                problems.append(locate(document, Problem("a share must be between 0 and 1", path=where)))
        for key in ("several_open_causes", "accelerated_is_serious", "overdue_days"):
            value = getattr(policy.move_to_engage, key).value
            if value < 0 or value != int(value):
                where = ("move_to_engage", key, "value")
                problems.append(locate(document, Problem("must be a whole number, 0 or more", path=where)))
    if policy is None or any(p.is_error for p in problems):
        raise PeelError([p for p in problems if p.is_error])
    return policy


class Ledger:
    """A ledger folder: ``forces/<slug>.yaml`` and, optionally, ``registry.yaml``."""

    __slots__ = ("root",)

    def __init__(self, root: Path):
        self.root = root

    @property
    def forces_dir(self) -> Path:
        return self.root / FORCES

    def slugs(self) -> list[str]:
        """Slugs of the force files present (``<slug>.yaml``), sorted."""
        return sorted(
            p.name[: -len(".yaml")]
            for p in self.forces_dir.iterdir()
            if p.name.endswith(".yaml") and not p.name.startswith(".") and p.is_file()
        )

    def path_of(self, slug: str) -> Path:
        return self.forces_dir / f"{check_slug(slug)}.yaml"

    def read(self, path: Path, *, today: date):
        return read_force_file(path, today=today)

    def load(self, force: str, *, today: date):
        """The force a user named, validated; refused with its errors when the file is invalid.

        Every command that reads a force goes through here."""
        reading = self.read(self.path_of(self.resolve(force)), today=today)
        if not reading.ok:
            raise PeelError([*reading.errors, Problem("fix the errors above (peel validate shows them all)")])
        return reading.force

    def registry(self) -> dict[str, str]:
        """Slug to official name for every territorial force (``data/registry.yaml``)."""
        from .registry import load_registry

        return load_registry(self.root / REGISTRY)

    def resolve(self, force: str) -> str:
        """A user's FORCE argument (slug or name, any case) to a slug with a file, or a refusal
        that suggests the nearest."""
        slugs = self.slugs()
        if force in slugs:
            return force
        registry = self.registry()
        wanted = force.strip().lower()
        by_name = {name.lower(): slug for slug, name in registry.items()}
        slugified = re.sub(r"[^a-z0-9]+", "-", wanted).strip("-")
        for candidate in (by_name.get(wanted), slugified if slugified in slugs else None):
            if candidate in slugs:
                return candidate
        if slugified in registry or by_name.get(wanted) in registry:
            slug = slugified if slugified in registry else by_name[wanted]
            raise PeelError(
                f"{registry[slug]} ({slug}) has no file in this ledger: it is in Scan by default "
                f"with nothing on record; start one with: peel add-force {slug}"
            )
        if any(ch in force for ch in "/\\\0") or force.startswith("."):
            check_slug(force)  # a path, not a name: say so rather than guess
        choices = sorted(set(slugs) | set(registry))
        near = difflib.get_close_matches(slugified or wanted, choices, n=3, cutoff=0.5)

        hint = f": did you mean {', '.join(near)}?" if near else ": run 'peel status' to list forces"
        raise PeelError(f"unknown force {force!r}{hint}")

    def files(self) -> Iterator[Path]:
        for slug in self.slugs():
            yield self.forces_dir / f"{slug}.yaml"

    # -- writing --------------------------------------------------------------------------

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """An exclusive lock on the forces folder around read-modify-write, so that concurrent
        peel processes queue instead of overwriting each other's edits."""
        import fcntl

        fd = os.open(self.forces_dir, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    def edit(self, force: str, change, *, today: date, dry_run: bool = False) -> EditOutcome:
        """Read-modify-write one force file under the ledger lock.

        ``change(force, document)`` returns an :class:`~peelcli.edits.Edit`. The file must be
        valid before, and the result is checked with the same reader as ``peel validate``:
        an edit that would leave errors is refused and nothing is written.
        """
        from .reader import read_force

        slug = self.resolve(force)
        path = self.path_of(slug)
        name = display_path(path)
        self.check_writable(path)
        with self.locked():
            before = read_bytes(path)
            reading = read_force(before, name, slug=slug, today=today)
            if not reading.ok:
                raise PeelError(
                    [
                        *reading.errors,
                        Problem(f"{name} is already invalid: fix it first (peel validate shows every problem)"),
                    ]
                )
            edit = change(reading.force, reading.document)
            after = (b"\xef\xbb\xbf" if reading.document.bom else b"") + edit.text.encode("utf-8")
            result = read_force(after, name, slug=slug, today=today)
            if not result.ok:
                raise PeelError([*result.errors, Problem("the edit would leave the file invalid: nothing was written")])
            if not dry_run and after != before:
                self.write_atomic(path, after)
        return EditOutcome(edit, name, _diff(before, after, name))

    def create(self, slug: str, text: str, *, today: date, dry_run: bool = False) -> EditOutcome:
        """Write a new force file, refusing to replace one that exists."""
        from .edits import Edit
        from .reader import read_force

        path = self.path_of(slug)
        name = display_path(path)
        data = text.encode("utf-8")
        result = read_force(data, name, slug=slug, today=today)
        if not result.ok:
            raise PeelError(result.errors)
        with self.locked():
            if path.exists() or path.is_symlink():
                raise PeelError(f"{name} already exists: refusing to overwrite it")
            if not dry_run:
                self.write_atomic(path, data, exclusive=True)
        return EditOutcome(Edit(text, f"{slug}: created {name}"), name, _diff(b"", data, name))

    def schema_reference(self) -> str:
        """The force-file JSON Schema as a path relative to the forces folder: the repository's
        copy beside the ledger when there is one, else the copy installed with peel."""
        here = Path(__file__).resolve().parent
        for candidate in (
            self.root / ".." / "schema",
            self.root / "schema",
            here / "schema",
            here.parents[1] / "schema",
        ):
            schema = candidate / "force.schema.json"
            if schema.is_file():
                return Path(os.path.relpath(schema.resolve(), self.forces_dir.resolve())).as_posix()
        return "force.schema.json"

    def load_all(self, *, today: date, strict: bool = False) -> tuple:
        """Every valid force file. Invalid ones are left out (peel validate reports them), or,
        when ``strict``, refused with every problem: an export or a comparison that quietly left
        out a force would mislead whoever reads it."""
        forces, problems = [], []
        for path in self.files():
            reading = self.read(path, today=today)
            if reading.ok:
                forces.append(reading.force)
            else:
                problems += reading.errors
        if strict and problems:
            raise PeelError([*problems, Problem("fix the errors above (peel validate shows them all)")])
        return tuple(forces)

    def check_writable(self, path: Path) -> None:
        """Refuse to write through a symbolic link or to a file outside the ledger."""
        if path.resolve().parent != self.forces_dir.resolve():
            why = "a symbolic link to a file" if path.is_symlink() else "a file"
            raise PeelError(
                Problem(f"is {why} outside the ledger's forces folder: refusing to write").at(display_path(path))
            )

    def write_atomic(self, path: Path, data: bytes, *, exclusive: bool = False) -> None:
        write_file(path, data, exclusive=exclusive)


class EditOutcome(NamedTuple):
    edit: object
    path: str
    diff: str


def _diff(before: bytes, after: bytes, name: str) -> str:
    import difflib

    old = before.decode("utf-8", "replace").splitlines(keepends=True)
    new = after.decode("utf-8", "replace").splitlines(keepends=True)
    return "".join(difflib.unified_diff(old, new, f"a/{name}", f"b/{name}"))


@contextlib.contextmanager
def replacing(path: Path, *, exclusive: bool = False) -> Iterator[Path]:
    """A temporary file beside ``path`` for the caller to fill; when the block ends without
    error it is fsynced, given the old file's mode and renamed over ``path`` (the target of a
    symbolic link), then the folder is fsynced. A crash leaves the old file or the new one, never
    a torn one; a failure leaves no temporary file. ``exclusive`` refuses to replace a file.
    Every file peel writes (force files, exports, reports, the site) goes through here."""
    name = display_path(path)
    target = path.resolve() if path.is_symlink() else path
    if target.is_dir():
        raise PeelError(Problem("is a folder: give a file name").at(name))
    folder = target.parent
    if not folder.is_dir():
        raise PeelError(Problem(f"cannot write: there is no folder {display_path(folder)}").at(name))
    if exclusive and target.exists():
        raise PeelError(Problem("already exists: refusing to overwrite it").at(name))
    try:
        mode = target.stat().st_mode & 0o7777 if target.is_file() else 0o666 & ~_umask()
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        os.close(fd)
    except OSError as exc:
        raise PeelError(Problem(f"cannot write: {_os_reason(exc)}; nothing was changed").at(name)) from None
    try:
        yield Path(temp)
        with open(temp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        if exclusive:
            os.link(temp, target)
            os.unlink(temp)
        else:
            os.replace(temp, target)
        _fsync_dir(folder)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise PeelError(Problem(f"cannot write: {_os_reason(exc)}; nothing was changed").at(name)) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def write_file(path: Path, data: bytes, *, exclusive: bool = False) -> None:
    with replacing(path, exclusive=exclusive) as temp:
        temp.write_bytes(data)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _os_reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "the folder is read-only or not yours to write"
    return exc.strerror or str(exc)
