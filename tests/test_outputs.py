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

from conftest import DATA
from peelcli import files

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
        f"{target}: error: is inside peel's installed package ({installed}), which a reinstall replaces and whose "
        f"files peel reads: write the {'site' if output == 'site' else 'file'} somewhere else"
    ]
    assert snapshot(tmp_path) == before


def test_a_site_is_not_written_into_a_folder_holding_the_installed_package(peel, installed, own_ledger):
    result = peel("--data-dir", str(own_ledger), "site", str(installed.parent))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{installed.parent}: error: holds peel's installed package ({installed}): write the site somewhere else"
    ]
    assert sorted(p.name for p in installed.parent.iterdir()) == ["peelcli"]
