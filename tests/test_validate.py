"""peel validate: every problem in every file, located, and the right exit code.

Each file in fixtures/invalid/ starts with ``# expect: LINE:COL: SEVERITY: MESSAGE``: the exact
problem it must produce.
"""

import json
from pathlib import Path

import pytest

from conftest import DATA, FIXTURES
from peelcli.files import display_path

INVALID = sorted((FIXTURES / "invalid").glob("*.yaml"))
VALID = sorted((FIXTURES / "valid").glob("*.yaml"))


def expectations(path: Path) -> list[str]:
    return [
        line.removeprefix("# expect: ")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("# expect: ")
    ]


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_each_invalid_file_gives_its_stated_problem(peel, path):
    expected = expectations(path)
    assert expected, f"{path.name} states no expectation"
    result = peel("validate", str(path))
    assert result.exit_code == 1
    found = [line.split(":", 1)[1] for line in result.lines if line.startswith(display_path(path) + ":")]
    assert found == expected


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_files_pass_with_only_their_stated_warnings(peel, path):
    result = peel("validate", str(path))
    assert result.exit_code == 0, result.stdout
    assert "0 errors" in result.stdout
    found = [line.split(":", 1)[1] for line in result.lines if line.startswith(display_path(path) + ":")]
    assert found == expectations(path)


def test_the_shipped_ledger_is_valid(peel):
    result = peel("validate", str(DATA))
    assert result.exit_code == 0, result.stdout
    assert "0 errors" in result.lines[-1]


def test_every_problem_in_every_file_is_reported(peel):
    paths = [str(p) for p in INVALID]
    result = peel("validate", *paths)
    assert result.exit_code == 1
    reported_files = {line.split(":", 1)[0] for line in result.lines[:-1]}
    assert reported_files == {display_path(p) for p in INVALID}
    assert result.lines[-1].startswith(f"{len(paths)} files checked")


def test_several_problems_in_one_file_are_all_reported(peel, tmp_path):
    broken = tmp_path / "many-problems.yaml"
    broken.write_text(
        "slug: many-problems\n"
        "name: Test Police\n"
        "phase_changes:\n"
        "  - phase: engage\n"
        "    decided_on: 2024-02-30\n"
        "    sources: [nowhere]\n"
        "causes_of_concern:\n"
        "  - id: c1\n"
        "    title: no\n"
        "    raised_on: 2023-01\n"
        "    sources: [letter]\n"
        "    recommendations_not_on_record: {note: not found}\n"
        "  - id: c2\n"
        "    title: Second\n"
        "    raised_on: 2023-01\n"
        "    sources: [missing]\n"
        "sources:\n"
        "  - {id: letter, kind: return-letter, title: A letter, url: 'https://example.org/x'}\n",
        encoding="utf-8",
    )
    result = peel("validate", str(broken), "--format", "json")
    problems = json.loads(result.stdout)["problems"]
    located = {(p["line"], p["severity"]) for p in problems}
    assert (5, "error") in located  # impossible day, although the entry is dropped for it
    assert (9, "error") in located  # ambiguous 'no'
    assert (13, "error") in located  # c2 has no recommendations
    assert (16, "error") in located  # dangling source id
    assert result.exit_code == 1


def test_json_output_is_a_documented_shape(peel):
    path = FIXTURES / "invalid" / "unknown-key.yaml"
    result = peel("validate", str(path), "--format", "json")
    report = json.loads(result.stdout)
    assert report["valid"] is False
    assert report["errors"] == 1 and report["files"] == 1
    assert report["problems"] == [
        {
            "file": display_path(path),
            "line": 12,
            "column": 5,
            "severity": "error",
            "message": "unknown key 'titel': did you mean 'title'?",
        }
    ]


def test_github_format_prints_annotations(peel):
    path = FIXTURES / "invalid" / "duplicate-key.yaml"
    result = peel("validate", str(path), "--format", "github")
    assert result.lines[0] == (
        f"::error file={display_path(path)},line=13,col=5::duplicate key 'title' (first at line 12): remove one of them"
    )


def test_github_format_is_chosen_on_github_actions(peel):
    path = FIXTURES / "invalid" / "bad-date.yaml"
    result = peel("validate", str(path), env={"GITHUB_ACTIONS": "true"})
    assert result.lines[0].startswith(f"::error file={display_path(path)},line=13,col=16::")


def test_warnings_do_not_fail_validation(peel, tmp_path):
    path = tmp_path / "gaps.yaml"
    path.write_text(
        "slug: gaps\nname: Gap Police\nrecord_checked_to: 2024-01-01\nrecord_checked_note: a test\n"
        "causes_of_concern:\n  - id: c1\n    title: Calls\n"
        "    raised_on: 2023\n    sources: [s]\n    recommendations_not_on_record:\n      note: not found\n"
        "sources:\n  - {id: s, kind: web-page, title: Page, url: 'https://example.org'}\n",
        encoding="utf-8",
    )
    result = peel("validate", str(path))
    assert result.exit_code == 0
    warning = "warning: recommendation texts of 'c1' are not on record: not found"
    assert result.lines[0] == f"{display_path(path)}:10:5: {warning}"


def test_a_missing_path_is_a_usage_error(peel, tmp_path):
    result = peel("validate", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2
    assert "no such file or folder" in result.stderr


def test_an_unknown_format_is_a_usage_error(peel):
    assert peel("validate", "--format", "xml").exit_code == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "1:1: error: a force file is a mapping of keys (slug, name, phase_changes, ...), not an empty file"),
        (b"slug: x\nname: \xff\xfe\n", "2:7: error: byte 0xff is not UTF-8: save the file as UTF-8"),
        (b"\xff\xfes\x00l\x00", "1:1: error: file is UTF-16 or UTF-32: save it as UTF-8"),
        (b"slug: a\x00b\n", "1:8: error: control character U+0000 is not allowed in a force file"),
        (b"a: &x [1]\nb: *x\n", "2:1: error: aliases (*name) are not allowed in a force file: write the value out"),
        (b"? [a, b]\n: c\n", "1:3: error: a key must be plain text, not a list or mapping"),
        (b"yes: 1\n", "1:1: error: key 'yes' is read by YAML as a boolean: use a text key"),
        (b"<<: {a: 1}\n", "1:1: error: merge keys (<<) are not allowed in a force file: write the keys out"),
    ],
)
def test_hostile_bytes_get_a_located_error(peel, tmp_path, content, message):
    path = tmp_path / "hostile.yaml"
    path.write_bytes(content)
    result = peel("validate", str(path))
    assert result.exit_code == 1
    assert f"{display_path(path)}:{message}" in result.stdout


def test_a_byte_order_mark_and_crlf_line_endings_are_fine(peel, tmp_path):
    source = (FIXTURES / "valid" / "test-constabulary.yaml").read_bytes()
    path = tmp_path / "test-constabulary.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + source.replace(b"\n", b"\r\n"))
    assert peel("validate", str(path)).exit_code == 0


def test_the_same_file_validates_identically_through_python_m(tmp_path):
    import subprocess
    import sys

    path = FIXTURES / "invalid" / "bad-date.yaml"
    done = subprocess.run(
        [sys.executable, "-m", "peelcli", "validate", str(path)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 1
    assert "month 13 does not exist" in done.stdout
