"""Many short peel processes, cheaply: one helper process imports peel once and ``fork()``s a
child for each command, instead of starting a fresh interpreter (0.3 to 0.5 s here) each time.

The helper is a separate, single-threaded process (``python tests/forkpeel.py``), not the test
process: pytest-xdist workers run threads, and forking a threaded process is unsafe. Each child
is a real process running peel's Click command (``peel ARGS``) with its own environment, its
stdout and stderr in files, optionally an address-space cap, a file-size cap (``ulimit -f``) or
a standard output that fails (closed, full, a broken pipe, ASCII only: :data:`STDOUTS`); the
helper can SIGKILL it after a delay or at a timeout and reports how it ended, as ``subprocess``
would (``-9`` for SIGKILL).

From a test::

    with ForkedPeel() as forked:
        done = forked.run(["validate"], env={"PEEL_DATA_DIR": str(root)}, kill_after=0.02)
        many = forked.run_together([[...], [...]], env=...)  # all forked before any is waited for

The protocol is one JSON request and one JSON answer per line on the helper's stdin and stdout.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

EXIT_CRASHED = 70  # what a child reports when peel raised (the entry point's internal-error code)


class Done(NamedTuple):
    returncode: int  # the exit code, or minus the signal that ended the process
    seconds: float  # from fork to exit
    stdout: str
    stderr: str
    timed_out: bool = False
    cpu: float = 0.0  # seconds of processor time the child used (user and system)


class ForkedPeel:
    """The helper process, started on entering the ``with`` block."""

    def __init__(self, env: dict[str, str] | None = None):
        self.env = env
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> ForkedPeel:
        self.process = subprocess.Popen(
            [sys.executable, __file__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, **(self.env or {})},
            text=True,
        )
        return self

    def __exit__(self, *exc) -> None:
        assert self.process is not None
        self.process.stdin.close()
        self.process.wait(timeout=60)

    def _ask(self, request: dict) -> list[Done]:
        assert self.process is not None
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, f"the fork helper died (exit {self.process.poll()})"
        return [Done(**answer) for answer in json.loads(line)]

    def run(
        self,
        args: list[str],
        *,
        env: dict[str, str | None] | None = None,
        cwd: Path | None = None,
        kill_after: float | None = None,
        timeout: float = 60,
        memory_cap: int | None = None,
        file_size_cap: int | None = None,
        stdout: str | None = None,
    ) -> Done:
        """``peel ARGS`` in a forked child; SIGKILLed after ``kill_after`` seconds if given.
        ``file_size_cap``: no file the child writes may grow past that many bytes (``ulimit -f``,
        with SIGXFSZ ignored, so a write past it fails with EFBIG). ``stdout`` makes standard
        output one that fails (:data:`STDOUTS`)."""
        return self.run_each(
            [list(args)],
            env=env,
            cwd=cwd,
            kill_after=kill_after,
            timeout=timeout,
            memory_cap=memory_cap,
            file_size_cap=file_size_cap,
            stdout=stdout,
        )[0]

    def run_each(self, commands: list[list[str]], *, env=None, cwd=None, timeout: float = 60, **options) -> list[Done]:
        """Each command in its own child, one after another, with :meth:`run`'s options."""
        request = {"commands": commands, "env": env or {}, "cwd": str(cwd) if cwd else None, "timeout": timeout}
        return self._ask({**request, **options, "one_at_a_time": True})

    def warm_up(self, commands: list[list[str]], *, env: dict[str, str | None] | None = None) -> None:
        """Run ``commands`` in the helper itself (not forked), output discarded, so that the
        modules they import lazily are imported and peel's caches filled before any child starts."""
        self._ask({"warm_up": True, "commands": commands, "env": env or {}})

    def run_together(
        self, commands: list[list[str]], *, env: dict[str, str | None] | None = None, **options
    ) -> list[Done]:
        """Each command in its own child, all forked before any is waited for (with :meth:`run`'s
        ``file_size_cap`` and ``stdout`` options)."""
        return self._ask({"commands": commands, "env": env or {}, "timeout": 120, **options})


# -- the helper process --------------------------------------------------------------------------


STDOUTS = ("closed", "full", "broken-pipe", "ascii")
"""Standard outputs that fail: closed before peel starts (``>&-``), the full device
(``>/dev/full``), a pipe whose reader has gone (``| true``), and one that takes ASCII only
(``PYTHONIOENCODING=ascii``)."""


def _failing_stdout(kind: str, out: int) -> None:
    """Make the child's standard output one of :data:`STDOUTS`, as the interpreter would have
    set it up had the process started that way."""
    import io

    if kind == "closed":
        os.close(1)
        sys.stdout = None
    elif kind == "full":
        os.dup2(os.open("/dev/full", os.O_WRONLY), 1)
    elif kind == "broken-pipe":
        reader, writer = os.pipe()
        os.close(reader)
        os.dup2(writer, 1)
    elif kind == "ascii":
        os.dup2(out, 1)
        sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="ascii", errors="strict")
    else:
        raise ValueError(kind)


def _child(command, args: list[str], request: dict, out: int, err: int) -> None:
    """In the forked child: become ``peel ARGS`` and exit with its code. Never returns."""
    code = EXIT_CRASHED
    try:
        # Standard input is the helper's request channel: the child gets nothing to read instead.
        nothing = os.open(os.devnull, os.O_RDONLY)
        os.dup2(nothing, 0)
        os.dup2(out, 1)
        os.dup2(err, 2)
        if request.get("stdout"):
            _failing_stdout(request["stdout"], out)
        if request.get("memory_cap"):
            import resource

            cap = request["memory_cap"]
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        if request.get("file_size_cap"):
            import resource
            import signal

            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            cap = request["file_size_cap"]
            resource.setrlimit(resource.RLIMIT_FSIZE, (cap, cap))
        if request.get("cwd"):
            os.chdir(request["cwd"])
        for key, value in request["env"].items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        try:
            command.main(args=args, prog_name="peel")
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        try:
            for stream in (sys.stdout, sys.stderr):
                if stream is not None:
                    stream.flush()
        except BaseException:
            code = EXIT_CRASHED  # what the interpreter's own last flush would have made of it
        finally:
            os._exit(code)


def _serve() -> None:
    import typer

    from peelcli.cli import build_app

    command = typer.main.get_command(build_app())
    channel = sys.stdout
    for line in sys.stdin:
        request = json.loads(line)
        if request.get("warm_up"):
            _in_helper(command, request)
            answers = []
        elif request.get("one_at_a_time"):
            answers = [done for args in request["commands"] for done in _run_children(command, request, [args])]
        else:
            answers = _run_children(command, request, request["commands"])
        channel.write(json.dumps(answers) + "\n")
        channel.flush()


def _run_children(command, request: dict, commands: list[list[str]]) -> list[dict]:
    """Fork a child for each command (all before any is waited for), and say how each ended."""
    import select
    import signal
    import tempfile

    started = []
    for args in commands:
        # Closed once the child is reaped and its output read, below.
        out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()  # noqa: SIM115
        sys.stdout.flush()
        sys.stderr.flush()
        began = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            _child(command, args, request, out.fileno(), err.fileno())
        started.append((pid, os.pidfd_open(pid), began, out, err))
    kill_after = request.get("kill_after")
    if kill_after is not None:
        for pid, _, began, _, _ in started:
            time.sleep(max(0.0, began + kill_after - time.perf_counter()))
            os.kill(pid, signal.SIGKILL)  # a no-op when the child has already exited
    answers = []
    for pid, pidfd, began, out, err in started:
        remaining = max(0.0, began + request.get("timeout", 60) - time.perf_counter())
        timed_out = not select.select([pidfd], [], [], remaining)[0]
        ended = time.perf_counter()
        if timed_out:
            os.kill(pid, signal.SIGKILL)
        _, status, usage = os.wait4(pid, 0)
        os.close(pidfd)
        returncode = os.waitstatus_to_exitcode(status)
        outputs = []
        for handle in (out, err):
            handle.seek(0)
            outputs.append(handle.read().decode("utf-8", "replace"))
            handle.close()
        answers.append(
            {
                "returncode": returncode,
                "seconds": ended - began,
                "stdout": outputs[0],
                "stderr": outputs[1],
                "timed_out": timed_out,
                "cpu": usage.ru_utime + usage.ru_stime,
            }
        )
    return answers


def _in_helper(command, request: dict) -> None:
    """Run the commands in the helper itself, output discarded: this imports what they import
    lazily and fills peel's caches, so that no child spends its time on that."""
    import contextlib
    import io

    saved = dict(os.environ)
    sink = io.StringIO()
    try:
        for key, value in request["env"].items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            for args in request["commands"]:
                with contextlib.suppress(SystemExit):
                    command.main(args=args, prog_name="peel")
    finally:
        os.environ.clear()
        os.environ.update(saved)


if __name__ == "__main__":
    _serve()
