"""Where outputs go and what they may replace: ``report --out``, ``export --out`` and ``site
OUTDIR`` all pass one check (:func:`peelcli.files.check_output_path`).

Issue 19: ``report --out`` and ``export --out`` could overwrite files inside the installed
package (its ``policy.yaml``), breaking every later ``peel assess``; editing commands already
refused that.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from conftest import DATA, REPO
from peelcli import files, new_ledger

WM = "west-midlands"
OUTPUTS = {
    "report markdown": ("report", WM, "--out"),
    "report html": ("report", WM, "-f", "html", "--out"),
    "export csv": ("export", "-f", "csv", "--out"),
    "export json": ("export", "-f", "json", "--out"),
    "export sqlite": ("export", "-f", "sqlite", "--out"),
    "site": ("site",),
}


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "folder"
        for p in sorted(folder.rglob("*"))
    }


@pytest.fixture
def installed(tmp_path: Path, monkeypatch) -> Path:
    """A stand-in for peel's installed package, holding its policy, taken for the real one."""
    package = tmp_path / "site-packages" / "peelcli"
    package.mkdir(parents=True)
    (package / "policy.yaml").write_bytes((Path(files.__file__).parent / "policy.yaml").read_bytes())
    (package / "data").mkdir()
    monkeypatch.setattr(files, "PACKAGE", package.resolve())
    return package


@pytest.fixture
def own_ledger(tmp_path: Path) -> Path:
    root = tmp_path / "mine"
    (root / "forces").mkdir(parents=True)
    (root / "forces" / f"{WM}.yaml").write_bytes((DATA / "forces" / f"{WM}.yaml").read_bytes())
    return root


@pytest.mark.parametrize("output", list(OUTPUTS))
@pytest.mark.parametrize("where", ["policy.yaml", "new-file", "data/new-file", "link/policy.yaml", "link/new-file"])
def test_no_output_lands_inside_the_installed_package(peel, installed, own_ledger, tmp_path, output, where):
    (tmp_path / "link").symlink_to(installed)  # a way into the package from outside it
    target = (tmp_path if where.startswith("link/") else installed) / where
    before = snapshot(tmp_path)
    result = peel("--data-dir", str(own_ledger), *OUTPUTS[output], str(target))
    assert result.exit_code == 1, result.stdout
    assert result.stderr.splitlines() == [
        f"{target}: error: is inside peel's installed package ({installed}): write the "
        f"{'site' if output == 'site' else 'file'} somewhere else"
    ]
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("output", list(OUTPUTS))
def test_no_output_lands_inside_the_ledger_shipped_with_peel(peel, own_ledger, tmp_path, monkeypatch, output):
    shipped = tmp_path / "shipped"
    (shipped / "forces").mkdir(parents=True)
    monkeypatch.setattr(files, "shipped_ledger", lambda: shipped)
    target = shipped / "forces" / "new"
    result = peel("--data-dir", str(own_ledger), *OUTPUTS[output], str(target))
    assert result.exit_code == 1, result.stdout
    assert result.stderr.splitlines() == [
        f"{target}: error: is inside the ledger shipped with peel ({shipped}): write the "
        f"{'site' if output == 'site' else 'file'} somewhere else"
    ]
    assert list((shipped / "forces").iterdir()) == []


def test_a_file_system_that_cannot_lock_is_a_located_refusal(peel, own_ledger, tmp_path, monkeypatch):
    import errno
    import fcntl

    def no_locks(fd, operation):
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(fcntl, "flock", no_locks)
    site = peel("--data-dir", str(own_ledger), "site", str(tmp_path / "site"))
    assert site.stderr == f"{tmp_path / 'site'}: error: cannot lock the site's folder: No locks available\n"
    edit = peel("--data-dir", str(own_ledger), "add-force", "kent")
    assert edit.stderr == f"{own_ledger / 'forces'}: error: cannot lock the forces folder: No locks available\n"
    assert (site.exit_code, edit.exit_code) == (1, 1)


def test_a_site_is_not_written_into_a_folder_holding_the_installed_package(peel, installed, own_ledger):
    result = peel("--data-dir", str(own_ledger), "site", str(installed.parent))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{installed.parent}: error: holds peel's installed package ({installed}): write the site somewhere else"
    ]
    assert sorted(p.name for p in installed.parent.iterdir()) == ["peelcli"]


# -- what an export or a report replaces --------------------------------------------------------

FORMATS = {"csv": "csv", "json": "json", "sqlite": "db", "markdown": "md", "html": "html"}


def write_output(peel, ledger: Path, fmt: str, out: Path, *extra: str):
    if fmt in ("markdown", "html"):
        return peel("--data-dir", str(ledger), "report", WM, "-f", fmt, "--out", str(out), *extra)
    return peel("--data-dir", str(ledger), "export", "-f", fmt, "--out", str(out), *extra)


def other_database(path: Path) -> None:
    import sqlite3

    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE mine (note TEXT)")
        db.execute("INSERT INTO mine VALUES ('precious')")
    db.close()


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("there", ["notes", "another database", "another format", "own"])
def test_an_output_replaces_only_what_peel_wrote_in_that_format_unless_forced(peel, own_ledger, tmp_path, fmt, there):
    out = tmp_path / f"out.{FORMATS[fmt]}"
    if there == "notes":
        out.write_text("my notes\n", encoding="utf-8")
    elif there == "another database":
        other_database(out)
    elif there == "another format":
        other = "json" if fmt != "json" else "csv"
        assert write_output(peel, own_ledger, other, out).exit_code == 0
    else:
        assert write_output(peel, own_ledger, fmt, out, "--as-of", "2020-01-01").exit_code == 0
    before = out.read_bytes()
    result = write_output(peel, own_ledger, fmt, out)
    if there == "own":
        assert result.exit_code == 0, result.stderr
        assert out.read_bytes() != before
        return
    assert result.exit_code == 1, result.stdout
    what = {
        "csv": "a CSV export",
        "json": "a JSON export",
        "sqlite": "a SQLite database",
        "markdown": "a Markdown report",
    }
    assert result.stderr.splitlines() == [
        f"{out}: error: already exists and is not {what.get(fmt, 'an HTML report')} peel wrote: peel replaces only the "
        "files it wrote; give another name, or add --force to replace it"
    ]
    assert out.read_bytes() == before
    forced = write_output(peel, own_ledger, fmt, out, "--force")
    assert forced.exit_code == 0, forced.stderr
    assert write_output(peel, own_ledger, fmt, out).exit_code == 0  # now peel's own: replaced without --force


def test_an_empty_file_is_replaced_without_force(peel, own_ledger, tmp_path):
    out = tmp_path / "out.db"
    out.touch()
    assert write_output(peel, own_ledger, "sqlite", out).exit_code == 0


def hot_journal(database: Path, suffix: str) -> bytes:
    """A journal SQLite would read into ``database``: that of a transaction on another database,
    caught while it was open (``-journal``), or a write-ahead log not yet checkpointed (``-wal``)."""
    import sqlite3

    source = database.parent.parent / "elsewhere.db"
    other_database(source)
    db = sqlite3.connect(source, isolation_level=None)
    if suffix == "-wal":
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA wal_autocheckpoint = 0")
        db.execute("INSERT INTO mine VALUES ('in the log')")
    else:
        db.execute("BEGIN")
        db.execute("INSERT INTO mine VALUES ('half done')")
        db.execute("DELETE FROM mine WHERE note = 'precious'")
        db.execute("CREATE TABLE more (x)")
    journal = source.with_name(source.name + suffix).read_bytes()
    db.close()
    return journal


@pytest.mark.parametrize("suffix", ["-journal", "-wal", "-shm"])
@pytest.mark.parametrize("exported_before", [True, False])
def test_a_database_with_a_journal_beside_it_is_not_replaced(peel, own_ledger, tmp_path, suffix, exported_before):
    """Issue 19: the export over ``w.db`` with a stale ``w.db-journal`` beside it reported success, and the
    next open of the database replayed the old journal: the export was gone."""
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "w.db"
    if exported_before:
        assert write_output(peel, own_ledger, "sqlite", out).exit_code == 0
    journal = out.with_name(out.name + suffix)
    journal.write_bytes(hot_journal(out, "-wal" if suffix == "-shm" else suffix) if suffix != "-shm" else b"\0" * 32768)
    before = {p.name: p.read_bytes() for p in out.parent.iterdir()}
    result = write_output(peel, own_ledger, "sqlite", out, "--force")
    assert result.exit_code == 1, result.stdout
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"{out}: error: {journal} is beside it: SQLite would apply that ")
    assert line.endswith(
        "to the new database the next time it is opened, and the export would be lost. Close any program using "
        "the database (or let it finish), or, if none is, remove the file, then export again"
    )
    assert {p.name: p.read_bytes() for p in out.parent.iterdir()} == before
    journal.unlink()
    assert write_output(peel, own_ledger, "sqlite", out, "--force").exit_code == 0


def test_a_sqlite_export_is_marked_as_peels_and_leaves_nothing_beside_it(peel, own_ledger, tmp_path):
    import sqlite3

    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "w.db"
    for _ in range(2):
        assert write_output(peel, own_ledger, "sqlite", out).exit_code == 0
        assert sorted(p.name for p in out.parent.iterdir()) == ["w.db"]
    db = sqlite3.connect(f"file:{out}?mode=ro", uri=True)
    try:
        assert db.execute("PRAGMA application_id").fetchone() == (0x5045454C,)
        assert db.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert db.execute("SELECT count(*) FROM forces").fetchone()[0] > 0
    finally:
        db.close()
    assert sorted(p.name for p in out.parent.iterdir()) == ["w.db"]


# -- messages that say what is actually wrong ---------------------------------------------------


@pytest.fixture(scope="module")
def forked():
    from conftest import ENV
    from forkpeel import ForkedPeel

    with ForkedPeel({k: v for k, v in ENV.items() if v is not None}) as helper:
        yield helper


LIMIT = "the file would be larger than this process may write (a file-size limit: see ulimit -f)"


def small_site_ledger(root: Path) -> Path:
    """Two force files and a registry of three: an index of about 12 kB and pages of 6 to 50 kB."""
    from test_site_crash import small_ledger

    return small_ledger(root)


def test_a_site_build_stopped_by_a_file_size_limit_says_how_far_it_got(forked, tmp_path):
    """Issue 19: a build that failed under a file-size limit said "nothing was changed" after writing
    five pages."""
    ledger = small_site_ledger(tmp_path / "data")
    site = tmp_path / "site"
    done = forked.run(["--data-dir", str(ledger), "site", str(site)], file_size_cap=20_000)
    assert done.returncode == 1, done.stderr
    (line,) = done.stderr.splitlines()
    assert line == (
        f"{site / 'forces' / 'cleveland.html'}: error: cannot write: {LIMIT}; 1 of 4 pages were written before it, "
        f"so {site} holds an incomplete site: run peel site again once that is put right"
    )
    assert "nothing was changed" not in done.stderr
    assert (site / "index.html").is_file() and not (site / "forces" / "cleveland.html").exists()
    again = forked.run(["--data-dir", str(ledger), "site", str(site)])
    assert again.returncode == 0, again.stderr


def test_a_new_ledger_stopped_by_a_file_size_limit_says_what_it_made(forked, tmp_path):
    mine = tmp_path / "mine"
    registry = len(new_ledger.registry_text().encode("utf-8"))
    schema = (REPO / "schema" / "force.schema.json").stat().st_size
    assert registry < schema, "the cap must let the registry through and stop the schema"
    done = forked.run(["init", str(mine)], file_size_cap=(registry + schema) // 2)
    assert done.returncode == 1, done.stderr
    assert done.stderr.splitlines() == [
        f"{mine / 'schema' / 'force.schema.json'}: error: cannot write: {LIMIT}",
        f"error: {mine / 'forces'}, {mine / 'registry.yaml'} made before this, so {mine} is not yet a whole ledger: "
        "run peel init again once that is put right",
    ]
    again = forked.run(["init", str(mine)])
    assert again.returncode == 0, again.stderr


@pytest.mark.parametrize("fmt", ["csv", "json", "sqlite"])
def test_an_export_stopped_by_a_file_size_limit_leaves_the_old_file_and_says_so(forked, own_ledger, tmp_path, fmt):
    out = tmp_path / f"ledger.{fmt}"
    assert forked.run(["--data-dir", str(own_ledger), "export", "-f", fmt, "--out", str(out)]).returncode == 0
    before = out.read_bytes()
    done = forked.run(
        ["--data-dir", str(own_ledger), "export", "-f", fmt, "--out", str(out), "--as-of", "2024-01-01"],
        file_size_cap=2_000,
    )
    assert done.returncode == 1, done.stderr
    reason = (
        "cannot build the SQLite database: disk I/O error (the disk refused a write: is it full, or is a file-size "
        "limit reached?)"
        if fmt == "sqlite"
        else f"cannot write: {LIMIT}"
    )
    assert done.stderr == f"{out}: error: {reason}; nothing was changed\n"
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["mine", out.name])


EMPTY_NAMES = {
    "init ''": ("init", ""),
    "site ''": ("site", ""),
    "report --out ''": ("report", WM, "--out", ""),
    "export --out ''": ("export", "-f", "csv", "--out", ""),
    "validate ''": ("validate", ""),
    "assess --policy ''": ("assess", WM, "--policy", ""),
    "move --policy ''": ("move", WM, "scan", "--source", "x", "--policy", ""),
    "--data-dir ''": ("--data-dir", "", "status"),
    "init ' '": ("init", " "),
}


@pytest.mark.parametrize("args", list(EMPTY_NAMES.values()), ids=list(EMPTY_NAMES))
def test_an_empty_name_is_a_usage_error_never_the_working_folder(peel, own_ledger, tmp_path, monkeypatch, args):
    """Issue 19: ``peel init ''`` silently made the working folder a ledger (``Path('')`` is ``.``)."""
    monkeypatch.chdir(tmp_path)
    data = () if args[0] == "--data-dir" else ("--data-dir", str(own_ledger))
    before = snapshot(tmp_path)
    result = peel(*data, *args)
    assert result.exit_code == 2, result.stdout
    assert "an empty name names no file or folder: give one (. for the working folder)" in result.stderr
    assert snapshot(tmp_path) == before


def test_a_journal_beside_the_database_a_link_leads_to_is_refused_too(peel, own_ledger, tmp_path):
    (tmp_path / "real").mkdir()
    database = tmp_path / "real" / "w.db"
    assert write_output(peel, own_ledger, "sqlite", database).exit_code == 0
    (database.parent / "w.db-journal").write_bytes(hot_journal(database, "-journal"))
    link = tmp_path / "link.db"
    link.symlink_to(database)
    before = database.read_bytes()
    result = write_output(peel, own_ledger, "sqlite", link)
    assert result.exit_code == 1
    assert f"{database}-journal is beside it" in result.stderr
    assert database.read_bytes() == before
