"""A site build killed at any moment never stops the next one, and two builds into one folder
never interleave.

Issue 19: a ``peel site`` killed mid-write left its temporary file in the site's folder, and
every later build refused the folder ("was not written by peel site"); two builds at once could
fail the same way. Now a build locks its folder and clears away what a killed build left there.

Builds are forked from one helper that imported peel once (tests/forkpeel.py), so the kills land
on the build itself. Each killed build's folder is then built again, and must end up exactly
as a build into a new folder makes it: the same files, byte for byte, and nothing else.
``PEEL_CRASH_SEED`` replays a run; ``PEEL_CRASH_KILLS`` changes how many kills (a quarter of it:
``.ci/run`` gives 480, so 120 here; 16 without it).
"""

from __future__ import annotations

import fcntl
import os
import random
import shutil
import signal
import statistics
from pathlib import Path

import pytest

from conftest import DATA, ENV
from forkpeel import ForkedPeel

KILLS = int(os.environ["PEEL_CRASH_KILLS"]) // 4 if os.environ.get("PEEL_CRASH_KILLS") else 16
PEEL_ENV = {k: v for k, v in ENV.items() if v is not None}
REGISTRY = "".join(
    f"  - slug: {slug}\n    name: {name}\n"
    for slug, name in (("west-midlands", "West Midlands Police"), ("cleveland", "Cleveland Police"), ("kent", "Kent"))
)


def small_ledger(root: Path) -> Path:
    """Two force files and a registry of three forces: a site of four pages, quick to build."""
    (root / "forces").mkdir(parents=True)
    for slug in ("west-midlands", "cleveland"):
        shutil.copy(DATA / "forces" / f"{slug}.yaml", root / "forces")
    (root / "registry.yaml").write_text(f"forces:\n{REGISTRY}", encoding="utf-8")
    return root


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by its relative path, with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def forked():
    with ForkedPeel(PEEL_ENV) as helper:
        yield helper


@pytest.fixture
def site_ledger(tmp_path: Path, forked) -> dict[str, str]:
    root = small_ledger(tmp_path / "data")
    env = {"PEEL_DATA_DIR": str(root)}
    forked.warm_up([["site", str(tmp_path / "warm-up")]], env=env)
    return env


def test_a_build_killed_at_any_moment_is_followed_by_a_build_that_succeeds(tmp_path, forked, site_ledger):
    seed = int(os.environ.get("PEEL_CRASH_SEED") or random.SystemRandom().randrange(2**32))
    rng = random.Random(seed)
    durations = []
    for n in range(3):
        done = forked.run(["site", str(tmp_path / f"reference-{n}")], env=site_ledger)
        assert done.returncode == 0, done.stderr
        durations.append(done.seconds)
    reference = tree(tmp_path / "reference-0")
    assert sorted(reference) == [
        ".peel-site",
        "forces/cleveland.html",
        "forces/kent.html",
        "forces/west-midlands.html",
        "index.html",
    ]
    duration = statistics.median(durations)

    killed, outcomes = [], {"killed": 0, "finished": 0, "left temporary files": 0, "left a lock note": 0}
    for n in range(KILLS):
        outdir = tmp_path / f"site-{n}"
        if n % 2:  # half the kills hit a rebuild over a complete site, half a first build
            shutil.copytree(tmp_path / "reference-0", outdir)
        delay = rng.uniform(0.0, 1.1) * duration
        done = forked.run(["site", str(outdir)], env=site_ledger, kill_after=delay)
        where = f"seed {seed}, kill {n} after {delay * 1000:.1f} ms of {duration * 1000:.1f} ms"
        assert done.returncode in (0, -signal.SIGKILL), f"{where}: exit {done.returncode}\n{done.stderr}"
        outcomes["finished" if done.returncode == 0 else "killed"] += 1
        if outdir.exists():
            names = [p.name for p in outdir.rglob("*")]
            outcomes["left temporary files"] += any(name.endswith(".tmp") for name in names)
            outcomes["left a lock note"] += ".peel-site-lock" in names
        killed.append((outdir, where))

    rebuilt = forked.run_together([["site", str(outdir)] for outdir, _ in killed], env=site_ledger)
    for (outdir, where), done in zip(killed, rebuilt, strict=True):
        assert done.returncode == 0, f"{where}: the next build failed:\n{done.stderr}"
        assert tree(outdir) == reference, f"{where}: the rebuilt site differs from a new one"
    print(f"seed {seed}, {KILLS} kills over {duration * 1000:.1f} ms builds: {outcomes}")
    assert outcomes["killed"] >= KILLS // 4, f"too few kills landed: {outcomes}"


def test_builds_into_one_folder_at_once_queue_and_leave_one_whole_site(tmp_path, forked, site_ledger):
    outdir = tmp_path / "site"
    reference = tmp_path / "reference"
    assert forked.run(["site", str(reference)], env=site_ledger).returncode == 0
    for _ in range(3):
        together = forked.run_together([["site", str(outdir)]] * 4, env=site_ledger)
        assert [done.returncode for done in together] == [0] * 4, [done.stderr for done in together]
        assert tree(outdir) == tree(reference)


def test_a_build_behind_a_held_lock_says_whom_it_waits_for_and_gives_up_with_nothing_written(
    tmp_path, forked, site_ledger
):
    outdir = tmp_path / "site"
    assert forked.run(["site", str(outdir)], env=site_ledger).returncode == 0
    before = tree(outdir)
    (outdir / ".peel-site-lock").write_text(f"{os.getpid()}\npeel site {outdir}\n", encoding="utf-8")
    holder = os.open(outdir, os.O_RDONLY)
    try:
        fcntl.flock(holder, fcntl.LOCK_EX)
        done = forked.run(["site", str(outdir)], env={**site_ledger, "PEEL_LOCK_TIMEOUT": "0.3"})
    finally:
        os.close(holder)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"waiting for the site's lock held by process {os.getpid()} (peel site {outdir}) (up to 0.3 s)",
        f"{outdir}: error: gave up after 0.3 s waiting for the site's lock held by process {os.getpid()} "
        f"(peel site {outdir}): nothing was written; try again when it has finished, or set PEEL_LOCK_TIMEOUT to "
        "wait longer",
    ]
    assert tree(outdir) == {**before, ".peel-site-lock": f"{os.getpid()}\npeel site {outdir}\n".encode()}
    # The holder is gone: the next build takes the lock, and clears the stale note away.
    assert forked.run(["site", str(outdir)], env=site_ledger).returncode == 0
    assert tree(outdir) == before


@pytest.mark.parametrize(
    "leftover", [".index.html.0a1b2c3d.tmp", "..peel-site.0a1b2c3d.tmp", "forces/.kent.html.0a1b2c3d.tmp"]
)
def test_a_temporary_file_a_killed_build_left_is_cleared_by_the_next(peel, tmp_path, leftover):
    root = small_ledger(tmp_path / "data")
    outdir = tmp_path / "site"
    for built_before in (False, True):
        shutil.rmtree(outdir, ignore_errors=True)
        if built_before:
            assert peel("--data-dir", str(root), "site", str(outdir)).exit_code == 0
        (outdir / leftover).parent.mkdir(parents=True, exist_ok=True)
        (outdir / leftover).write_text("<html>half a page", encoding="utf-8")
        result = peel("--data-dir", str(root), "site", str(outdir))
        assert result.exit_code == 0, result.stderr
        assert not (outdir / leftover).exists()


@pytest.mark.parametrize(
    "stranger",
    [
        ".notes.txt.0a1b2c3d.tmp",
        ".index.html.0a1b2c3.tmp",
        ".index.html.0a1b2c3d.tmp/",
        "forces/..peel-site.0a1b2c3d.tmp",
    ],
)
def test_a_file_only_named_like_a_temporary_file_is_still_refused(peel, tmp_path, stranger):
    """Only what peel's own writer names its temporary files, for a page of the site where that page
    belongs (or the manifest), is cleared: anything else stays, and the folder is refused."""
    root = small_ledger(tmp_path / "data")
    outdir = tmp_path / "site"
    assert peel("--data-dir", str(root), "site", str(outdir)).exit_code == 0
    path = outdir / stranger.rstrip("/")
    if stranger.endswith("/"):
        path.mkdir()
    else:
        path.write_text("mine", encoding="utf-8")
    result = peel("--data-dir", str(root), "site", str(outdir))
    assert result.exit_code == 1
    assert "was not written by peel site" in result.stderr
    assert path.exists()
