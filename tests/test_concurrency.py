"""Several peel processes editing one file at once: every edit lands.

The processes are forked at the same moment from one helper that imported peel once
(tests/forkpeel.py): they contend for the file from their first millisecond, where processes
started as fresh interpreters would reach it spread over their 0.3 s start-ups.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from conftest import ENV
from forkpeel import ForkedPeel
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


def close(n: int, *extra: str) -> list[str]:
    evidence = ["--evidence", f"closed by process {n}", "--source", "letter"]
    return ["close-rec", "busy-force", f"rec-{n}", "--on", "2025-01-01", *evidence, *extra]


def test_twenty_close_rec_processes_at_once_all_land(tmp_path):
    (tmp_path / "forces").mkdir()
    path = tmp_path / "forces" / "busy-force.yaml"
    many_recommendations(path, COUNT)
    # Twenty edits queue for one lock: on a loaded machine the last may wait past the default 30 s.
    env = {"PEEL_DATA_DIR": str(tmp_path), "PEEL_LOCK_TIMEOUT": "600"}
    with ForkedPeel({k: v for k, v in ENV.items() if v is not None}) as forked:
        forked.warm_up([close(1, "--dry-run")], env=env)
        processes = forked.run_together([close(n) for n in range(1, COUNT + 1)], env=env)
    outcomes = [(p.returncode, p.stderr) for p in processes]
    assert [code for code, _ in outcomes] == [0] * COUNT, outcomes
    reading = read_force_file(path, today=date(2026, 11, 26))
    assert reading.ok, [str(p) for p in reading.problems]
    closures = {r.id: r.closure for r in reading.force.causes_of_concern[0].recommendations}
    assert all(closure is not None for closure in closures.values())
    assert {c.evidence for c in closures.values()} == {f"closed by process {n}" for n in range(1, COUNT + 1)}
    assert path.read_text().startswith("# A force with many open recommendations")
    assert not [p.name for p in path.parent.iterdir() if p.name != "busy-force.yaml"]  # no temporary files left
