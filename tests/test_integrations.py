"""peel where its users work: the pre-commit hook and the GitHub workflow."""

from __future__ import annotations

import re

import yaml

from conftest import DATA, REPO


def test_the_pre_commit_hook_validates_force_files(peel):
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "peel-validate"
    assert hook["entry"] == "peel validate"
    pattern = re.compile(hook["files"])
    assert pattern.search("data/forces/west-midlands.yaml")
    assert pattern.search("ledger/registry.yaml")
    assert not pattern.search("docs/notes.yaml")
    # pre-commit passes the changed files as arguments
    files = [str(DATA / "forces" / "west-midlands.yaml"), str(DATA / "registry.yaml")]
    assert peel(*hook["entry"].split()[1:], *files).exit_code == 0


def test_the_workflow_annotates_tests_and_summarises():
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "validate.yml").read_text())
    steps = workflow["jobs"]["ledger"]["steps"]
    commands = "\n".join(step.get("run", "") for step in steps)
    assert "peel validate --format github" in commands
    assert "python -m pytest" in commands
    assert 'peel status --format markdown >> "$GITHUB_STEP_SUMMARY"' in commands
    assert "pip install -e '.[test]'" in commands


def test_a_broken_registry_gets_located_errors(peel, ledger):
    registry = ledger / "registry.yaml"
    registry.write_text(registry.read_text().replace("  - slug: kent\n", "  - slug: Kent\n", 1))
    result = peel("validate", str(registry))
    assert result.exit_code == 1
    assert re.search(r"registry\.yaml:\d+:\d+: error: forces\[\d+\]\.slug: 'Kent' is not a valid slug", result.stdout)


def test_a_new_force_file_points_at_a_schema_that_exists(peel, ledger, tmp_path):
    assert peel("--data-dir", str(ledger), "add-force", "kent").exit_code == 0
    first = (ledger / "forces" / "kent.yaml").read_text().splitlines()[0]
    reference = first.removeprefix("# yaml-language-server: $schema=")
    assert (ledger / "forces" / reference).resolve().is_file()
