"""A ledger of one's own: ``peel init``, and the ledger shipped with peel left untouched."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import DATA, REPO, TODAY
from peelcli import files, new_ledger

SCHEMA_LINE = "# yaml-language-server: $schema=../schema/force.schema.json"


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` by its path and a hash of its bytes."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def empty(tmp_path, monkeypatch) -> Path:
    """An empty working folder: no ./data, no $PEEL_DATA_DIR (the test environment unsets it)."""
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def test_init_add_force_and_validate_work_in_a_fresh_folder(peel, empty):
    shipped = fingerprint(DATA)
    started = peel("init", "mine")
    assert started.exit_code == 0, started.stderr
    assert started.stdout.splitlines() == [
        "wrote mine/forces/",
        "wrote mine/registry.yaml",
        "wrote mine/schema/force.schema.json",
        "next: cd mine && peel add-force SLUG (from elsewhere: peel --data-dir mine ..., or PEEL_DATA_DIR=mine)",
    ]
    os.chdir(empty / "mine")
    added = peel("add-force", "kent")
    assert added.exit_code == 0, added.stderr
    assert added.stdout == "kent: created forces/kent.yaml\n"
    kent = (empty / "mine" / "forces" / "kent.yaml").read_text(encoding="utf-8")
    assert kent.splitlines()[:3] == [SCHEMA_LINE, "slug: kent", "name: Kent Police"]
    assert (empty / "mine" / "forces" / "../schema/force.schema.json").is_file()
    checked = peel("validate")
    assert checked.exit_code == 0, checked.stdout
    assert "0 errors" in checked.stdout
    national = json.loads(peel("status", "--format", "json").stdout)
    assert len(national["forces"]) == 43 + 44  # the shipped registry's police forces and fire and rescue services
    assert fingerprint(DATA) == shipped, "the ledger shipped with peel is byte-identical"


def test_the_schema_of_a_new_ledger_is_the_one_peel_prints(peel, empty):
    assert peel("init", "mine").exit_code == 0
    schema = (empty / "mine" / "schema" / "force.schema.json").read_text(encoding="utf-8")
    assert schema == peel("schema").stdout
    assert not json.loads(schema)["$id"].startswith("http"), "a name, not an address nobody can fetch"


def test_an_edit_with_no_ledger_named_is_refused_and_says_how_to_start_one(peel, empty):
    shipped = fingerprint(DATA)
    result = peel("add-force", "kent")
    assert result.exit_code == 1
    assert "is the ledger shipped with peel: peel does not edit it" in result.stderr
    assert "peel init DIR" in result.stderr
    closing = peel("close-rec", "west-midlands", "rec-inv-outcomes", "--evidence", "done")
    assert closing.exit_code == 1
    assert "peel init DIR" in closing.stderr
    assert fingerprint(DATA) == shipped
    assert list(empty.iterdir()) == []


def test_reading_the_shipped_ledger_from_anywhere_still_works(peel, empty):
    result = peel("status", "west-midlands")
    assert result.exit_code == 0
    assert result.stdout.startswith("West Midlands Police (west-midlands)")


def test_a_force_without_a_file_in_the_shipped_ledger_is_told_to_start_a_ledger_of_its_own(peel, empty):
    """``peel add-force kent`` is refused in the shipped ledger, so that is not what peel suggests
    there (issue 20); in a ledger of one's own it is."""
    result = peel("status", "kent")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: Kent Police (kent) has no file in this ledger: it is in Scan by default with nothing on record. "
        "This is the ledger shipped with peel, which peel does not edit: to record Kent Police, start a ledger of "
        "your own with 'peel init DIR', then run 'peel add-force kent' in DIR; "
        "Kent Fire and Rescue Service is kent-fire\n"  # the county's service, where the user may have meant it
    )
    assert peel("init", "mine").exit_code == 0
    own = peel("--data-dir", "mine", "status", "kent")
    assert own.exit_code == 1
    assert own.stderr.endswith(
        "nothing on record; start one with: peel add-force kent; Kent Fire and Rescue Service is kent-fire\n"
    )
    assert peel("--data-dir", "mine", "add-force", "kent").exit_code == 0


def test_a_ledger_without_its_own_registry_uses_the_shipped_one(peel, tmp_path):
    (tmp_path / "forces").mkdir()
    data = ("--data-dir", str(tmp_path))
    added = peel(*data, "add-force", "kent")
    assert added.exit_code == 0, added.stderr
    assert "name: Kent Police\n" in (tmp_path / "forces" / "kent.yaml").read_text(encoding="utf-8")
    assert "schema/force.schema.json, which editors read to check it as you type)" in added.stdout
    national = " ".join(peel(*data, "status").stdout.split())
    assert "1 of 43 forces have a file" in national and "0 of 43 forces on the record" in national
    assert "0 of 44 services have a file" in national, "the shipped registry's services, counted apart"


def test_a_ledger_without_a_schema_gets_one_beside_it_so_the_first_line_travels(peel, tmp_path):
    (tmp_path / "forces").mkdir()
    assert peel("--data-dir", str(tmp_path), "add-force", "kent").exit_code == 0
    first = (tmp_path / "forces" / "kent.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == SCHEMA_LINE
    assert (tmp_path / "schema" / "force.schema.json").is_file()


def test_a_repositorys_data_folder_points_at_the_repositorys_schema(peel, ledger):
    """``data/`` beside ``schema/``, as in peel's own repository: no copy, the path climbs one folder."""
    (ledger.parent / "schema").mkdir()
    (ledger.parent / "schema" / "force.schema.json").write_text("{}", encoding="utf-8")
    assert peel("--data-dir", str(ledger), "add-force", "kent").exit_code == 0
    first = (ledger / "forces" / "kent.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../schema/force.schema.json"
    assert not (ledger / "schema").exists()


def test_init_on_a_ledger_keeps_its_files_and_brings_the_schema_up_to_date(peel, empty):
    assert peel("init", "mine").exit_code == 0
    mine = empty / "mine"
    (mine / "registry.yaml").write_text("forces: []\n", encoding="utf-8")
    (mine / "schema" / "force.schema.json").write_text("{}", encoding="utf-8")
    again = peel("init", "mine")
    assert again.exit_code == 0
    assert "kept mine/registry.yaml (already there)" in again.stdout
    assert (mine / "registry.yaml").read_text(encoding="utf-8") == "forces: []\n"
    assert (mine / "schema" / "force.schema.json").read_text(encoding="utf-8") == peel("schema").stdout


def test_init_into_a_file_is_refused(peel, tmp_path):
    (tmp_path / "taken").write_text("x", encoding="utf-8")
    result = peel("init", str(tmp_path / "taken"))
    assert result.exit_code == 1
    assert (
        result.stderr == f"{tmp_path / 'taken'}: error: is a file, not a folder: peel init makes a ledger in a folder\n"
    )


def without_searches(registry: str) -> str:
    """The shipped registry's text less its own top-level keys saying how far its record was
    searched (each key's line and the indented lines under it)."""
    kept, skipping = [], False
    for line in registry.splitlines(keepends=True):
        if not line[:1].isspace():
            skipping = line.startswith(("record_checked_to:", "record_checked_note:", "sectors:"))
        if not skipping:
            kept.append(line)
    return "".join(kept)


def test_the_copied_registry_leaves_out_how_far_the_shipped_record_was_searched(tmp_path, monkeypatch):
    shipped = tmp_path / "shipped"
    (shipped / "forces").mkdir(parents=True)
    registry = without_searches((DATA / "registry.yaml").read_text(encoding="utf-8"))
    assert "record_checked_to" not in registry and "sectors:" not in registry
    searched = "record_checked_to: 2025-06-30\nrecord_checked_note: HMICFRS's monitoring pages\n"
    (shipped / "registry.yaml").write_text(searched + registry, encoding="utf-8")
    monkeypatch.setattr(new_ledger, "packaged_data_dir", lambda: shipped)
    assert new_ledger.registry_text() == registry


def test_the_copied_registry_leaves_out_how_far_each_sectors_shipped_record_was_searched(tmp_path, monkeypatch):
    shipped = tmp_path / "shipped"
    (shipped / "forces").mkdir(parents=True)
    registry = without_searches((DATA / "registry.yaml").read_text(encoding="utf-8"))  # its services kept
    searched = "sectors:\n  fire:\n    record_checked_to: 2026-02-17\n    record_checked_note: fire pages\n"
    (shipped / "registry.yaml").write_text(searched + registry, encoding="utf-8")
    monkeypatch.setattr(new_ledger, "packaged_data_dir", lambda: shipped)
    copied = new_ledger.registry_text()
    assert "sectors:" not in copied and "2026-02-17" not in copied
    assert "  - slug: kent-fire\n" in copied and "    sector: fire\n" in copied


def test_nothing_inside_the_installed_package_is_edited_even_when_named(peel, tmp_path, monkeypatch):
    package = tmp_path / "site-packages" / "peelcli"
    (package / "data" / "forces").mkdir(parents=True)
    monkeypatch.setattr(files, "PACKAGE", package.resolve())
    result = peel("--data-dir", str(package / "data"), "add-force", "kent")
    assert result.exit_code == 1
    assert "is the ledger shipped with peel" in result.stderr
    assert list((package / "data" / "forces").iterdir()) == []
    started = peel("init", str(package / "mine"))
    assert started.exit_code == 1
    assert "inside peel's installed package" in started.stderr


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """peel's wheel, built once for the tests of the package as pip installs it."""
    folder = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(folder), str(REPO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    (found,) = folder.glob("peelcli-*.whl")
    return found


def test_the_wheel_carries_the_ledger_the_policy_and_the_schema(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "peelcli/data/forces/west-midlands.yaml" in names
    assert "peelcli/data/registry.yaml" in names
    assert "peelcli/policy.yaml" in names
    assert "peelcli/schema/force.schema.json" in names
    assert "peelcli/schema/compiled.json" in names


def test_after_installing_peel_a_fresh_folder_gets_a_ledger_of_its_own_and_the_installed_one_is_unchanged(
    tmp_path, wheel
):
    """The whole story with the package as pip installs it: no repository anywhere in sight."""
    site = tmp_path / "site"
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--target", str(site), str(wheel)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert installed.returncode == 0, installed.stderr[-2000:]
    shipped = fingerprint(site / "peelcli")
    work = tmp_path / "work"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site), "PEEL_TODAY": TODAY, "NO_COLOR": "1"}
    env.pop("PEEL_DATA_DIR", None)

    def peel(*args: str, cwd: Path = work) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "peelcli", *args], capture_output=True, text=True, env=env, cwd=cwd, check=False
        )

    refused = peel("add-force", "kent")
    assert refused.returncode == 1
    assert "peel init DIR" in refused.stderr
    assert peel("init", "mine").returncode == 0
    assert peel("add-force", "kent", cwd=work / "mine").returncode == 0
    checked = peel("validate", cwd=work / "mine")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    first = (work / "mine" / "forces" / "kent.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == SCHEMA_LINE
    assert fingerprint(site / "peelcli") == shipped, "the installed package's ledger is byte-identical"
