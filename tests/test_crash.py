"""Crash safety: a ``close-rec`` process killed (SIGKILL) at any moment leaves the force file
either exactly as it was or exactly as the finished command writes it, always valid.

One run to completion gives the new version and the command's duration; then 200 fresh
ledgers each get a ``python -m peelcli close-rec`` killed after a random delay, half spread
over the whole run and half over its last quarter (where the write happens). A killed process
may leave a ``.<name>.*.tmp`` file behind; ``peel validate`` and ``peel status`` must ignore
it, and the next edit must go through (the lock dies with the process).

``PEEL_CRASH_SEED`` replays a run; ``PEEL_CRASH_KILLS`` changes how many kills.
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
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from conftest import DATA, ENV, TODAY, run_peel
from peelcli.ledger import read_force_file

WM = "west-midlands"
ORIGINAL = (DATA / "forces" / f"{WM}.yaml").read_bytes()
KILLS = int(os.environ.get("PEEL_CRASH_KILLS", "200"))
WORKERS = max(1, min(4, os.cpu_count() or 1))
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


def new_ledger(root: Path) -> Path:
    (root / "forces").mkdir(parents=True)
    shutil.copy(DATA / "registry.yaml", root / "registry.yaml")
    path = root / "forces" / f"{WM}.yaml"
    path.write_bytes(ORIGINAL)
    return path


def start(root: Path) -> subprocess.Popen:
    env = {**os.environ, **{k: v for k, v in ENV.items() if v is not None}, "PEEL_DATA_DIR": str(root)}
    return subprocess.Popen(
        [sys.executable, "-m", "peelcli", *COMMAND],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


@dataclass
class Kill:
    root: Path
    delay: float
    returncode: int
    stderr: bytes


def kill_after(root: Path, delay: float) -> Kill:
    new_ledger(root)
    process = start(root)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)  # a no-op when the process has already exited
    _, stderr = process.communicate(timeout=60)
    return Kill(root, delay, process.returncode, stderr)


def test_a_killed_close_rec_leaves_the_old_file_or_the_new_one(tmp_path):
    seed = int(os.environ.get("PEEL_CRASH_SEED") or random.SystemRandom().randrange(2**32))
    rng = random.Random(seed)
    today = date.fromisoformat(TODAY)

    # The new version, and how long a run takes (median of three).
    durations = []
    for n in range(3):
        path = new_ledger(tmp_path / f"reference-{n}")
        began = time.perf_counter()
        process = start(path.parents[1])
        _, stderr = process.communicate(timeout=60)
        durations.append(time.perf_counter() - began)
        assert process.returncode == 0, stderr.decode()
        new = path.read_bytes()
    assert new != ORIGINAL
    assert read_force_file(path, today=today).ok
    duration = statistics.median(durations)

    delays = [rng.uniform(0, 1.1 * duration) for _ in range(KILLS // 2)]
    delays += [rng.uniform(0.75 * duration, 1.05 * duration) for _ in range(KILLS - len(delays))]
    rng.shuffle(delays)
    with ThreadPoolExecutor(WORKERS) as pool:
        kills = list(pool.map(kill_after, [tmp_path / f"kill-{n}" for n in range(len(delays))], delays))

    outcomes = {"killed, old": 0, "killed, new": 0, "finished": 0, "temporary file left": 0}
    for kill in kills:
        where = f"seed {seed}, delay {kill.delay:.3f} s of {duration:.3f} s, exit {kill.returncode}"
        path = kill.root / "forces" / f"{WM}.yaml"
        data = path.read_bytes()
        assert data in (ORIGINAL, new), f"the file is neither the old nor the new version ({where})"
        reading = read_force_file(path, today=today)
        assert reading.ok, f"{where}: {[str(p) for p in reading.problems]}"
        if kill.returncode == 0:
            assert data == new, where
            outcomes["finished"] += 1
        else:
            assert kill.returncode == -signal.SIGKILL, f"{where}: {kill.stderr.decode()}"
            outcomes["killed, new" if data == new else "killed, old"] += 1
        others = sorted(p.name for p in path.parent.iterdir() if p.name != path.name)
        assert all(LEFTOVER.match(name) for name in others), f"unexpected files {others} ({where})"
        outcomes["temporary file left"] += bool(others)
        # Leftover temporary files are not force files: the ledger still checks out.
        validate = run_peel("--data-dir", str(kill.root), "validate")
        assert validate.exit_code == 0, f"{where}\n{validate.stdout}"
        assert run_peel("--data-dir", str(kill.root), "status").exit_code == 0, where

    summary = f"seed {seed}, {len(kills)} kills over {duration:.3f} s runs: {outcomes}"
    print(summary)
    assert outcomes["killed, old"] + outcomes["killed, new"] >= len(kills) // 4, f"too few kills landed: {summary}"

    # A killed edit holds no lock: the same edit goes through afterwards and gives the new file.
    for kill in [k for k in kills if k.returncode != 0][:5]:
        path = kill.root / "forces" / f"{WM}.yaml"
        if path.read_bytes() == ORIGINAL:
            result = run_peel("--data-dir", str(kill.root), *COMMAND)
            assert result.exit_code == 0, result.stderr
            assert path.read_bytes() == new
