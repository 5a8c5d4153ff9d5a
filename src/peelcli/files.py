"""Reading and writing files: the one place peel touches the file system for its own files.

Every file peel reads goes through :func:`read_bytes` (plain files only, never past the size
limit); every file it writes (force files, exports, reports, the site) through
:func:`replacing` (atomic: a reader sees the old file or the whole new one), to a place
:func:`check_output_path` allows; and a folder two peel processes must not write at once (the
ledger's forces, a site) is held with :func:`folder_lock`.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from .problems import PeelError, Problem, usage_error

PACKAGE = Path(__file__).resolve().parent
"""The installed package: nothing inside it is ever written (a reinstall would replace it, and
a report written over its ``policy.yaml`` would break every later ``peel assess``)."""

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


def shipped_ledger() -> Path | None:
    """The ledger shipped with peel: inside the installed package, else (run from a checkout)
    the repository's ``data/``; ``None`` when there is neither."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "data", here.parents[1] / "data"):
        if (candidate / "forces").is_dir():
            return candidate
    return None


def inside_package(path: Path) -> bool:
    """``path`` lies inside the installed package (links followed)."""
    try:
        return path.resolve().is_relative_to(PACKAGE)
    except (OSError, RuntimeError):
        return False


def check_output_path(path: Path, ledger_root: Path, *, folder: bool = False) -> None:
    """Refuse an output where the user cannot have meant it; every output path goes through
    here (``report --out``, ``export --out``, ``site OUTDIR`` with ``folder=True``), links
    followed. Never inside the ledger folder (a report must never replace a force file) nor
    inside peel's installed package (its ``policy.yaml``); a file never over something that is
    not a plain file (a pipe, a device, a folder, a socket: replacing it with a regular file
    would break whatever uses it); a folder never the root, the home folder, one holding the
    ledger or the package, nor something that is not a folder."""
    name = display_path(path)
    if not str(path).strip():
        raise usage_error("an empty path names no file: give a file or folder name")
    try:
        target = path.resolve()
        ledger = ledger_root.resolve()
    except (OSError, RuntimeError):
        raise PeelError(Problem("cannot follow its symbolic links (a loop?): give another name").at(name)) from None
    if folder:
        _check_special_folder(target, name)
    if folder and (target.is_relative_to(ledger) or ledger.is_relative_to(target)):
        raise PeelError(
            Problem(f"holds or is inside the ledger ({display_path(ledger_root)}): write the site somewhere else").at(
                name
            )
        )
    if target.is_relative_to(ledger):
        raise PeelError(
            Problem(
                f"is inside the ledger folder {display_path(ledger_root)}: peel writes no report or export there; "
                "give a file name outside it"
            ).at(name)
        )
    for place, what in _protected():
        if target.is_relative_to(place):
            raise PeelError(
                Problem(f"is inside {what}: write the {'site' if folder else 'file'} somewhere else").at(name)
            )
        if folder and place.is_relative_to(target):
            raise PeelError(Problem(f"holds {what}: write the site somewhere else").at(name))
    if folder:
        _check_output_folder(path, name)
        return
    try:
        info = path.stat()
    except OSError:
        return  # nothing there yet (or unreachable: the write itself says why)
    if not stat.S_ISREG(info.st_mode):
        raise PeelError(Problem(f"is {_kind(info.st_mode)}: peel replaces only plain files; give a file name").at(name))


def _protected() -> Iterator[tuple[Path, str]]:
    """Where no output goes besides the ledger in use: the ledger shipped with peel (read when no
    other is named) and the installed package (a reinstall replaces it; peel reads its files)."""
    shipped = shipped_ledger()
    if shipped is not None:
        yield shipped.resolve(), f"the ledger shipped with peel ({display_path(shipped)})"
    yield PACKAGE, f"peel's installed package ({display_path(PACKAGE)})"


def _check_special_folder(target: Path, name: str) -> None:
    if target == Path(target.anchor):
        raise PeelError(Problem("is the root of the file system: give the site a folder of its own").at(name))
    with contextlib.suppress(RuntimeError, KeyError, OSError):
        if target == Path.home().resolve():
            raise PeelError(Problem("is your home folder: give the site a folder of its own").at(name))


def _check_output_folder(path: Path, name: str) -> None:
    try:
        info = path.stat()
    except OSError:
        return
    if not stat.S_ISDIR(info.st_mode):
        raise PeelError(Problem("exists and is not a folder: refusing to write a site there").at(name))


class WriteError(PeelError):
    """A file could not be written; it was left as it was. ``name`` and ``reason`` let a caller
    that wrote other files first (a site, a new ledger) say what the whole command did."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(Problem(f"cannot write: {reason}; nothing was changed").at(name))
        self.name, self.reason = name, reason


TEMPORARY = re.compile(r"\.(?P<of>.+)\.[0-9a-f]{8}\.tmp")
"""The name of :func:`replacing`'s temporary file for the file named ``of``: only peel's own."""

_WRITTEN: list[str] = []
"""Every file this process has written (renamed into place), in order."""


def writes_so_far() -> int:
    """A mark for :func:`files_written_since`."""
    return len(_WRITTEN)


def files_written_since(mark: int) -> int:
    """How many files this process has written since ``mark``. A command whose summary then
    cannot be printed has still done its work, and must not report a failure."""
    return len(set(_WRITTEN[mark:]))


def temporary_of(name: str) -> str | None:
    """The name of the file a temporary file of :func:`replacing` was for, or ``None`` when
    ``name`` is no such temporary (one a killed peel may have left behind)."""
    found = TEMPORARY.fullmatch(name)
    return found["of"] if found else None


def _new_temporary(folder: Path, name: str) -> Path:
    """A new, empty temporary file for ``name`` in ``folder``, made by this process alone."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    while True:
        temp = folder / f".{name}.{secrets.token_hex(4)}.tmp"
        try:
            os.close(os.open(temp, flags, 0o600))
            return temp
        except FileExistsError:
            continue


@contextlib.contextmanager
def replacing(path: Path, *, exclusive: bool = False, follow_links: bool = True) -> Iterator[Path]:
    """A temporary file beside ``path`` for the caller to fill; when the block ends without
    error it is fsynced, given the old file's mode and renamed over ``path`` (the target of a
    symbolic link; with ``follow_links=False`` the link itself, so that a link planted in an
    output folder leads nowhere), then the folder is fsynced. A crash leaves the old file or the
    new one, never a torn one, and at most a temporary file :func:`temporary_of` recognises; a
    failure leaves no temporary file. ``exclusive`` refuses to replace a file. Every file peel
    writes (force files, exports, reports, the site) goes through here."""
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
        temp = _new_temporary(folder, target.name)
    except OSError as exc:
        raise WriteError(name, _os_reason(exc)) from None
    try:
        yield temp
        with open(temp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        if exclusive:
            os.link(temp, target)
            os.unlink(temp)
        else:
            os.replace(temp, target)
        _WRITTEN.append(str(target))
        _fsync_dir(folder)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise WriteError(name, _os_reason(exc)) from None
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
    if exc.errno == errno.EFBIG:
        return "the file would be larger than this process may write (a file-size limit: see ulimit -f)"
    if exc.errno == errno.EDQUOT:
        return "your disk quota is used up"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "the folder is read-only or not yours to write"
    return exc.strerror or str(exc)


def write_text(path: Path, text: str, *, follow_links: bool = True) -> None:
    """Write text as UTF-8, atomically."""
    write_pieces(path, (text,), follow_links=follow_links)


def write_pieces(path: Path, pieces: Iterable[str], *, follow_links: bool = True) -> None:
    """Write text made in pieces as UTF-8, atomically, each piece let go once written: a page
    whose pieces are made as they are asked for is never held whole. A piece that fails to be
    made leaves the old file, as any failure does."""
    with replacing(path, follow_links=follow_links) as temp, open(temp, "wb") as handle:
        for piece in pieces:
            handle.write(piece.encode("utf-8"))


# -- locks ----------------------------------------------------------------------------------

ENV_LOCK_TIMEOUT = "PEEL_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT = 30.0


def lock_timeout(environ: dict | None = None) -> float:
    """How long a peel process waits for another's lock: ``PEEL_LOCK_TIMEOUT`` seconds, default 30."""
    environ = os.environ if environ is None else environ
    text = environ.get(ENV_LOCK_TIMEOUT)
    if text is None or not text.strip():
        return DEFAULT_LOCK_TIMEOUT
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 86_400:  # also refuses nan and inf
        raise usage_error(f"{ENV_LOCK_TIMEOUT}={text!r}: give a number of seconds from 0 to 86400")
    return seconds


def _try_lock(fd: int, folder_name: str, where: str) -> bool:
    """Whether the lock was taken; a file system that cannot lock (some network shares) is a
    located refusal, not a crash."""
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError as exc:
        raise PeelError(Problem(f"cannot lock {folder_name}: {exc.strerror or exc}").at(where)) from None
    return True


@contextlib.contextmanager
def folder_lock(folder: Path, *, lock: str, info: Path, folder_name: str) -> Iterator[None]:
    """An exclusive lock (``flock``) on ``folder`` itself, so that peel processes writing into
    it queue instead of overwriting each other's work; the kernel drops it when the holder
    dies, however it dies. While it is held, ``info`` names the holder (pid and command) for a
    process that has to wait: that one says once whom it waits for, and gives up after
    ``PEEL_LOCK_TIMEOUT`` seconds with nothing written. ``lock`` names the lock in messages
    ("the ledger lock"), ``folder_name`` the folder ("the forces folder")."""
    import fcntl

    timeout = lock_timeout()
    where = display_path(folder)
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise PeelError(Problem(f"cannot lock {folder_name}: {exc.strerror or exc}").at(where)) from None
    try:
        if not _try_lock(fd, folder_name, where):
            holder = _lock_holder(info)
            sys.stderr.write(f"waiting for {lock} held by {holder} (up to {timeout:g} s)\n")
            give_up, pause = time.monotonic() + timeout, 0.01
            while not _try_lock(fd, folder_name, where):
                if time.monotonic() >= give_up:
                    raise PeelError(
                        Problem(
                            f"gave up after {timeout:g} s waiting for {lock} held by {holder}: nothing "
                            f"was written; try again when it has finished, or set {ENV_LOCK_TIMEOUT} to wait longer"
                        ).at(where)
                    )
                time.sleep(pause)
                pause = min(pause * 2, 0.2)
        _write_lock_info(info)
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                os.unlink(info)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _write_lock_info(path: Path) -> None:
    """Who holds the lock, for a process that has to wait: best effort (a read-only ledger
    still gets its dry runs), never through a planted link."""
    import shlex

    command = " ".join(["peel", *(shlex.quote(arg) for arg in sys.argv[1:])])
    with contextlib.suppress(OSError):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
        with os.fdopen(fd, "w", encoding="utf-8", errors="replace") as handle:
            handle.write(f"{os.getpid()}\n{command[:500]}\n")


def _lock_holder(path: Path) -> str:
    """``process PID (peel close-rec ...)`` from the lock-info file, when it names a live
    process; else ``another process``. Its text is shown made printable and short."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as handle:
            pid_text, _, command = handle.read(1024).decode("utf-8", "replace").partition("\n")
        pid = int(pid_text) if pid_text.isascii() and pid_text.isdigit() else 0
        if pid <= 0:
            return "another process"
        os.kill(pid, 0)
    except ProcessLookupError:
        return "another process"
    except PermissionError:
        pass  # alive, another user's
    except (OSError, ValueError):
        return "another process"
    shown = "".join(ch if ch.isprintable() else "?" for ch in command.strip())
    shown = shown if len(shown) <= 100 else shown[:99] + "…"
    return f"process {pid} ({shown})" if shown else f"process {pid}"


def check_replaceable(path: Path, ours, *, what: str, limit: int = 65_536) -> None:
    """Refuse to replace a file that is there, not empty, and not ``what`` (``a CSV export peel
    wrote``): ``ours`` tells from the file's first ``limit`` bytes whether peel wrote it. Peel
    replaces its own outputs; anything else (a database, someone's notes) needs ``--force``, which
    skips this check. Call after :func:`check_output_path`, which refuses what is not a plain file."""
    name = display_path(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return
    except OSError as exc:
        raise PeelError(Problem(f"cannot read what is there: {exc.strerror or exc}").at(name)) from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return  # check_output_path has said why, or the write will
        head = handle.read(limit)
    if head and not ours(head):  # an empty file holds nothing to lose
        raise PeelError(
            Problem(
                f"already exists and is not {what}: peel replaces only the files it wrote; give another name, or "
                "add --force to replace it"
            ).at(name)
        )
