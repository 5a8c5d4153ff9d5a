"""Crash safety: a ``close-rec`` process killed (SIGKILL) at any moment leaves the force file
either exactly as it was or exactly as the finished command writes it, always valid.

One run to completion gives the new version and the command's duration; then 120 fresh
ledgers each get a ``close-rec`` process killed after a random delay, half spread over the whole
run and half over its last quarter (where the write happens). A killed process may leave a
``.<name>.*.tmp`` file behind; ``peel validate`` and ``peel status`` must ignore it, and the next
edit must go through (the lock dies with the process).

The processes are forked from one helper that imported peel once (tests/forkpeel.py): a
fork costs milliseconds where a fresh interpreter costs 0.3 s, so nearly all of each process's
life is the command itself (reading, checking, writing), and the kills land on it. A few more
runs and kills go through the installed ``peel`` executable, the real entry point.

``PEEL_CRASH_SEED`` replays a run; ``PEEL_CRASH_KILLS`` changes how many kills (``.ci/run``
runs this test again with 480).
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import NamedTuple

import pytest

from conftest import DATA, ENV, TODAY, run_peel
from forkpeel import ForkedPeel
from peelcli.ledger import read_force_file

WM = "west-midlands"
ORIGINAL = (DATA / "forces" / f"{WM}.yaml").read_bytes()
KILLS = int(os.environ.get("PEEL_CRASH_KILLS", "120"))
EXECUTABLE_KILLS = 6  # through the installed ``peel`` script, besides the forked ones
REMEASURE = 25  # forked kills between two runs to completion that time a run again
COMMAND = (
    "close-rec",
    WM,
    "rec-inv-outcomes",
    "--on",
    "2024-09-18",
    "--evidence",
    "Outcome rate up; checked at the revisit",
    "--source",
    "return-letter-2024-09",
)
LEFTOVER = re.compile(rf"^\.{re.escape(WM)}\.yaml\..+\.tmp$")
PEEL_ENV = {k: v for k, v in ENV.items() if v is not None}


def new_ledger(root: Path) -> Path:
    (root / "forces").mkdir(parents=True)
    shutil.copy(DATA / "registry.yaml", root / "registry.yaml")
    path = root / "forces" / f"{WM}.yaml"
    path.write_bytes(ORIGINAL)
    return path


def peel_executable() -> list[str]:
    """The ``peel`` script pip installed beside this Python, else ``python -m peelcli``."""
    script = Path(sys.executable).with_name("peel")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "peelcli"]


class Kill(NamedTuple):
    root: Path
    delay: float
    duration: float  # of a run to completion, by the same means
    how: str
    returncode: int
    stderr: str


def executable_run(root: Path, kill_after: float | None = None) -> tuple[int, float, str]:
    """``peel COMMAND`` as its own process; SIGKILLed after ``kill_after`` seconds if given."""
    env = {**os.environ, **PEEL_ENV, "PEEL_DATA_DIR": str(root)}
    began = time.perf_counter()
    process = subprocess.Popen(
        [*peel_executable(), *COMMAND], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    if kill_after is not None:
        time.sleep(kill_after)
        process.send_signal(signal.SIGKILL)  # a no-op when the process has already exited
    _, stderr = process.communicate(timeout=60)
    return process.returncode, time.perf_counter() - began, stderr.decode()


def spread(rng: random.Random, count: int) -> list[float]:
    """Kill delays as fractions of a run: half over the whole run, half over its last quarter."""
    fractions = [rng.uniform(0, 1.1) for _ in range(count // 2)]
    fractions += [rng.uniform(0.75, 1.05) for _ in range(count - len(fractions))]
    rng.shuffle(fractions)
    return fractions


@pytest.fixture(scope="module")
def forked():
    with ForkedPeel(PEEL_ENV) as helper:
        yield helper


def test_a_killed_close_rec_leaves_the_old_file_or_the_new_one(tmp_path, forked):
    seed = int(os.environ.get("PEEL_CRASH_SEED") or random.SystemRandom().randrange(2**32))
    rng = random.Random(seed)
    today = date.fromisoformat(TODAY)

    # The new version, and how long a run takes (median of the last three runs to completion,
    # forked and as an executable; forked runs are timed again every REMEASURE kills, as the load
    # on the machine changes).
    forked.warm_up([list(COMMAND)], env={"PEEL_DATA_DIR": str(new_ledger(tmp_path / "warm-up").parents[1])})
    runs = 0

    def forked_run_to_completion() -> bytes:
        nonlocal runs
        runs += 1
        path = new_ledger(tmp_path / f"reference-{runs}")
        done = forked.run(list(COMMAND), env={"PEEL_DATA_DIR": str(path.parents[1])})
        assert done.returncode == 0, done.stderr
        durations.append(done.seconds)
        return path.read_bytes()

    durations: list[float] = []
    new = forked_run_to_completion()
    assert new != ORIGINAL
    assert read_force_file(tmp_path / f"reference-{runs}" / "forces" / f"{WM}.yaml", today=today).ok
    for _ in range(2):
        assert forked_run_to_completion() == new
    executable_durations = []
    for n in range(3):
        path = new_ledger(tmp_path / f"executable-reference-{n}")
        returncode, seconds, stderr = executable_run(path.parents[1])
        assert returncode == 0, stderr
        assert path.read_bytes() == new, "the peel executable wrote something else than the forked command"
        executable_durations.append(seconds)
    executable_duration = statistics.median(executable_durations)

    kills = []
    for n, fraction in enumerate(spread(rng, KILLS)):
        if n and n % REMEASURE == 0:
            assert forked_run_to_completion() == new
        duration = statistics.median(durations[-3:])
        root = new_ledger(tmp_path / f"kill-{n}").parents[1]
        done = forked.run(list(COMMAND), env={"PEEL_DATA_DIR": str(root)}, kill_after=fraction * duration)
        kills.append(Kill(root, fraction * duration, duration, "forked", done.returncode, done.stderr))

    def kill_executable(n_delay: tuple[int, float]) -> Kill:
        n, delay = n_delay
        root = new_ledger(tmp_path / f"executable-kill-{n}").parents[1]
        returncode, _, stderr = executable_run(root, kill_after=delay)
        return Kill(root, delay, executable_duration, "executable", returncode, stderr)

    delays = [fraction * executable_duration for fraction in spread(rng, EXECUTABLE_KILLS)]
    with ThreadPoolExecutor(2) as pool:
        kills += pool.map(kill_executable, enumerate(delays))

    outcomes = {"killed, old": 0, "killed, new": 0, "finished": 0, "temporary file left": 0}
    valid: set[bytes] = set()  # the contents found (there are two), each read and checked once
    clean: set[bytes] = set()  # ledgers of one force file and no leftover, each checked once
    for kill in kills:
        where = (
            f"seed {seed}, {kill.how}, delay {kill.delay * 1000:.1f} ms of {kill.duration * 1000:.1f} ms, "
            f"exit {kill.returncode}"
        )
        path = kill.root / "forces" / f"{WM}.yaml"
        data = path.read_bytes()
        assert data in (ORIGINAL, new), f"the file is neither the old nor the new version ({where})"
        if data not in valid:
            reading = read_force_file(path, today=today)
            assert reading.ok, f"{where}: {[str(p) for p in reading.problems]}"
            valid.add(data)
        if kill.returncode == 0:
            assert data == new, where
            outcomes["finished"] += 1
        else:
            assert kill.returncode == -signal.SIGKILL, f"{where}: {kill.stderr}"
            outcomes["killed, new" if data == new else "killed, old"] += 1
        others = sorted(p.name for p in path.parent.iterdir() if p.name != path.name)
        assert all(LEFTOVER.match(name) for name in others), f"unexpected files {others} ({where})"
        outcomes["temporary file left"] += bool(others)
        # Leftover temporary files are not force files: the ledger still checks out. Ledgers
        # without a leftover are all alike (this registry, the old or the new file): each kind
        # is checked once.
        if others or data not in clean:
            validate = run_peel("--data-dir", str(kill.root), "validate")
            assert validate.exit_code == 0, f"{where}\n{validate.stdout}"
            assert run_peel("--data-dir", str(kill.root), "status").exit_code == 0, where
            if not others:
                clean.add(data)

    duration = statistics.median(durations)
    summary = (
        f"seed {seed}, {len(kills)} kills over {duration * 1000:.1f} ms forked runs "
        f"and {executable_duration * 1000:.0f} ms executable runs: {outcomes}"
    )
    print(summary)
    assert outcomes["killed, old"] + outcomes["killed, new"] >= len(kills) // 4, f"too few kills landed: {summary}"

    # A killed edit holds no lock: the same edit goes through afterwards and gives the new file.
    for kill in [k for k in kills if k.returncode != 0][:5]:
        path = kill.root / "forces" / f"{WM}.yaml"
        if path.read_bytes() == ORIGINAL:
            result = run_peel("--data-dir", str(kill.root), *COMMAND)
            assert result.exit_code == 0, result.stderr
            assert path.read_bytes() == new
