"""Reading and writing files: the one place peel touches the file system for its own files.

Every file peel reads goes through :func:`read_bytes` (plain files only, never past the size
limit) and every file it writes (force files, exports, reports, the site) through
:func:`replacing` (atomic: a reader sees the old file or the whole new one).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .problems import PeelError, Problem

MAX_BYTES = 5 * 1024 * 1024
"""The largest file peel reads: a force file is a few kilobytes; a hostile one may be anything."""


def display_path(path: Path) -> str:
    """A path as a user would type it: relative to the working folder when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if relative.startswith("..") else relative


def check_size(size: int, name: str) -> None:
    if size > MAX_BYTES:
        raise PeelError(
            Problem(
                f"file is {size / 1_048_576:.1f} MB; peel reads files of at most "
                f"{MAX_BYTES // 1_048_576} MB: is this really a ledger file?"
            ).at(name)
        )


def read_bytes(path: Path, name: str | None = None, *, within: Path | None = None) -> bytes:
    """A file's bytes, refusing what is not a plain file (a device, a pipe: reading those could
    block or never end) and never reading more than the size limit allows. ``name`` is the path
    as messages show it. With ``within`` (a ledger's folder), a symbolic link that leads out of
    that folder is refused before anything is opened: a ledger file linked to ``~/.ssh/id_rsa``
    must not have its text quoted back in an error message."""
    name = name or display_path(path)
    try:
        if within is not None:
            path = _confined(path, within, name)
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise PeelError(
                Problem(f"is {_kind(info.st_mode)}, not a plain file: peel reads plain files only").at(name)
            )
        check_size(info.st_size, name)
        # O_NONBLOCK: a file swapped for a pipe after the check above must not hang the read.
        flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
        if within is not None:
            flags |= getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(path, flags)
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise PeelError(Problem("is not a plain file: peel reads plain files only").at(name))
            data = handle.read(MAX_BYTES + 1)
        check_size(len(data), name)
        return data
    except OSError as exc:
        raise PeelError(Problem(f"cannot read: {exc.strerror or exc}").at(name)) from None


def _confined(path: Path, folder: Path, name: str) -> Path:
    """``path`` with its links followed, refused when that leads out of ``folder``."""
    if path.parent == folder and not path.is_symlink():
        return path  # an entry of the folder itself, and no link: the usual case, one lstat
    try:
        target = path.resolve()
        inside = target.is_relative_to(folder.resolve())
    except (OSError, RuntimeError):  # a loop of links
        inside = False
    if not inside:
        raise PeelError(
            Problem(
                f"is a symbolic link that leads out of {display_path(folder)}: peel does not read it; "
                "put the file itself in the ledger"
            ).at(name)
        )
    return target


def _kind(mode: int) -> str:
    """What a file that is not a plain one is, in words."""
    for test, kind in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return kind
    return "not a plain file"


def check_output_path(path: Path, ledger_root: Path, *, folder: bool = False) -> None:
    """Refuse an output (``report --out``, ``export --out``; with ``folder``, the folder ``site``
    fills) where the user cannot have meant it: inside the ledger folder (links followed: a
    report must never replace a force file), or, for a file, over something that is not a plain
    file (a pipe, a device, a folder, a socket: replacing it with a regular file would break
    whatever uses it)."""
    name = display_path(path)
    try:
        target = path.resolve()
        inside = target.is_relative_to(ledger_root.resolve())
    except (OSError, RuntimeError):
        raise PeelError(Problem("cannot follow its symbolic links (a loop?): give another name").at(name)) from None
    if inside:
        what = "site" if folder else "report or export"
        raise PeelError(
            Problem(
                f"is inside the ledger folder {display_path(ledger_root)}: peel writes no {what} there; "
                f"give a {'folder' if folder else 'file name'} outside it"
            ).at(name)
        )
    if folder:
        return  # what is there already is the site writer's to judge (a file: refused)
    try:
        info = path.stat()
    except OSError:
        return  # nothing there yet (or unreachable: the write itself says why)
    if not stat.S_ISREG(info.st_mode):
        raise PeelError(Problem(f"is {_kind(info.st_mode)}: peel replaces only plain files; give a file name").at(name))


@contextlib.contextmanager
def replacing(path: Path, *, exclusive: bool = False, follow_links: bool = True) -> Iterator[Path]:
    """A temporary file beside ``path`` for the caller to fill; when the block ends without
    error it is fsynced, given the old file's mode and renamed over ``path`` (the target of a
    symbolic link; with ``follow_links=False`` the link itself, so that a link planted in an
    output folder leads nowhere), then the folder is fsynced. A crash leaves the old file or the
    new one, never a torn one; a failure leaves no temporary file. ``exclusive`` refuses to
    replace a file. Every file peel writes (force files, exports, reports, the site) goes
    through here."""
    name = display_path(path)
    target = path.resolve() if follow_links and path.is_symlink() else path
    if target.is_dir() and not target.is_symlink():
        raise PeelError(Problem("is a folder: give a file name").at(name))
    folder = target.parent
    if not folder.is_dir():
        raise PeelError(Problem(f"cannot write: there is no folder {display_path(folder)}").at(name))
    if exclusive and (target.exists() or target.is_symlink()):
        raise PeelError(Problem("already exists: refusing to overwrite it").at(name))
    try:
        plain = target.is_file() and not target.is_symlink()
        mode = target.stat().st_mode & 0o7777 if plain else 0o666 & ~_umask()
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


def write_file(path: Path, data: bytes, *, exclusive: bool = False, follow_links: bool = True) -> None:
    with replacing(path, exclusive=exclusive, follow_links=follow_links) as temp:
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


def write_text(path: Path, text: str, *, follow_links: bool = True) -> None:
    """Write text as UTF-8, atomically."""
    write_file(path, text.encode("utf-8"), follow_links=follow_links)
