"""Several peel processes editing one file at once: every edit lands."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ENV
from peelcli.ledger import read_force_file

COUNT = 20


def many_recommendations(path: Path, count: int) -> None:
    recs = "".join(
        f"      - id: rec-{n}\n        text: recommendation number {n}\n        deadline: Within six months\n"
        for n in range(1, count + 1)
    )
    path.write_text(
        "# A force with many open recommendations, for concurrency tests.\n"
        "slug: busy-force\nname: Busy Police\n"
        "causes_of_concern:\n  - id: coc-1\n    title: Everything\n    raised_on: 2024-01\n"
        f"    sources: [letter]\n    recommendations:\n{recs}"
        "sources:\n  - id: letter\n    kind: revisit-letter\n    title: A letter\n    url: https://example.org/l\n",
        encoding="utf-8",
    )


def peel_process(data: Path, *args: str) -> subprocess.Popen:
    # Twenty edits queue for one lock: on a loaded machine the last may wait past the default 30 s.
    env = {
        **os.environ,
        **{k: v for k, v in ENV.items() if v is not None},
        "PEEL_DATA_DIR": str(data),
        "PEEL_LOCK_TIMEOUT": "600",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "peelcli", *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_twenty_close_rec_processes_at_once_all_land(tmp_path):
    (tmp_path / "forces").mkdir()
    path = tmp_path / "forces" / "busy-force.yaml"
    many_recommendations(path, COUNT)
    processes = [
        peel_process(
            tmp_path,
            "close-rec",
            "busy-force",
            f"rec-{n}",
            "--on",
            "2025-01-01",
            "--evidence",
            f"closed by process {n}",
            "--source",
            "letter",
        )
        for n in range(1, COUNT + 1)
    ]
    outcomes = [(p.wait(timeout=120), p.stderr.read()) for p in processes]
    assert [code for code, _ in outcomes] == [0] * COUNT, outcomes
    reading = read_force_file(path, today=__import__("datetime").date(2026, 11, 26))
    assert reading.ok, [str(p) for p in reading.problems]
    closures = {r.id: r.closure for r in reading.force.causes_of_concern[0].recommendations}
    assert all(closure is not None for closure in closures.values())
    assert {c.evidence for c in closures.values()} == {f"closed by process {n}" for n in range(1, COUNT + 1)}
    assert path.read_text().startswith("# A force with many open recommendations")
    assert not [p.name for p in path.parent.iterdir() if p.name != "busy-force.yaml"]  # no temporary files left
