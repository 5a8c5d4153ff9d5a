"""The documentation cannot go stale: every command has its page made from its help, every example
and table peel can produce is what peel prints today (``python docs/gen.py`` writes them), the
site builds strictly, and the README stays a first screen that points to the rest."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys

import pytest
import typer

from conftest import ENV, REPO, TODAY
from peelcli.cli import build_app

README = (REPO / "README.md").read_text(encoding="utf-8")
COMMAND = typer.main.get_command(build_app())
PAGES = REPO / "docs" / "commands"


def _gen():
    spec = importlib.util.spec_from_file_location("docs_gen", REPO / "docs" / "gen.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gen = _gen()


def test_the_docs_examples_run_as_the_tests_do():
    """docs/gen.py runs every example with the environment of the suite (its own copy, as the
    docs build does not import the tests): pinned day, width, no colour. They must not drift."""
    assert (gen.TODAY, gen.ENV) == (TODAY, ENV)


def commands():
    return sorted(COMMAND.commands.items())


# -- every command has its page ---------------------------------------------------------------


@pytest.mark.parametrize(("name", "command"), commands(), ids=[n for n, _ in commands()])
def test_every_command_has_help_and_a_page_with_every_option(name, command):
    assert (command.help or "").strip(), f"peel {name} has no help text"
    page = (PAGES / f"{name}.md").read_text(encoding="utf-8")
    assert page.startswith(f"# peel {name}\n")
    for param in command.params:
        if param.name == "help":
            continue
        said = gen.help_of(name, param)
        assert said, f"peel {name} {param.opts[0]} has no help text"
        assert all(f"`{opt}" in page for opt in param.opts if param.param_type_name == "option"), param.opts
        assert gen._literal(said) in page, f"peel {name} {param.opts[0]}: its help"


def test_the_command_index_lists_every_command_and_the_global_options():
    index = (PAGES / "index.md").read_text(encoding="utf-8")
    for name, _ in commands():
        assert f"[peel {name}]({name}.md)" in index
    for param in COMMAND.params:
        if param.name != "help":
            assert any(f"`{opt}" in index for opt in param.opts), param.opts


def test_every_command_page_links_to_the_page_that_explains_it():
    explained = gen.explained_in()
    assert {name for name, _ in commands()} <= set(explained)


# -- nothing peel can say is typed by hand -----------------------------------------------------


def test_the_readme_and_every_page_show_what_peel_prints_today():
    """Examples, JSON shapes, the table of real decisions, the bench's table and the command pages
    are generated: run ``python docs/gen.py`` and review the diff when this fails."""
    assert gen.stale() == []


def test_every_example_runs_peel_and_every_page_has_some():
    """A ``console`` block is run; one that is not peel is refused (a shell example goes in ``sh``)."""
    with pytest.raises(gen.ExampleError, match="runs peel"):
        gen.page("```console\n$ rm -rf /\n```\n", "a page")
    for path in gen._pages():
        if path.parent == REPO / "docs" and path.name not in {"development.md", "robustness.md", "performance.md"}:
            assert "```console\n$ peel" in path.read_text(encoding="utf-8") or "<!-- gen:" in path.read_text(), path


def test_an_example_shows_its_output_and_a_drifted_one_is_rewritten():
    shown = gen.page("```console\n$ peel status --format xml 2>&1 | tail -n 1\nstale\n```\n", "a page")
    assert shown == "```console\n$ peel status --format xml 2>&1 | tail -n 1\n" + (
        "Error: unknown format 'xml': choose one of table, json, markdown\n```\n"
    )


def test_json_keys_are_peels_own():
    shown = gen.page("<!-- gen: json-keys validate --format json -->\n<!-- /gen -->\n", "a page")
    assert "\nvalid: true/false\n" in shown and "\nproblems: list" in shown


# -- the site builds -----------------------------------------------------------------------------


def test_the_documentation_site_builds_strictly(tmp_path):
    """``mkdocs build --strict``: every link and anchor resolves, every page is where the nav says."""
    if importlib.util.find_spec("mkdocs") is None or importlib.util.find_spec("material") is None:
        pytest.skip("MkDocs with the Material theme is not installed (pip install -e '.[docs]'; .ci/run does)")
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "site" / "commands" / "status" / "index.html").is_file()


# -- the README: a first screen --------------------------------------------------------------


def _prose(text: str) -> list[str]:
    without_code = re.sub(r"^```.*?^```$", "", text, flags=re.MULTILINE | re.DOTALL)
    return [line for line in without_code.splitlines() if line.strip() and not line.startswith("#")]


def test_the_readme_is_a_screen_and_a_half_of_prose_around_its_commands():
    assert len(_prose(README)) <= 45, len(_prose(README))


def test_the_readme_shows_what_peel_status_prints():
    example = README.split("```console\n", 1)[1].split("```", 1)[0]
    assert example.startswith("$ peel status west-midlands")
    assert "West Midlands Police (west-midlands)\nPhase" in example


def test_the_readmes_test_command_is_the_one_ci_runs():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    command = "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/python -m pytest"
    assert command in README
    assert command in ci


def test_the_readme_says_how_to_put_peel_on_the_path():
    assert "source .venv/bin/activate" in README and "pipx install ." in README


def test_the_readme_types_no_test_count_or_timing():
    assert not re.search(r"\b\d[\d,]* tests\b|\b\d+(\.\d+)? ?s\b|\d+ seconds", README)


def test_every_link_of_the_readme_leads_to_a_file():
    for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", README):
        if "://" not in target:
            assert (REPO / target).exists(), target


def test_the_readme_points_to_every_page_people_come_for():
    for page in ("national", "own-ledger", "board-paper", "analyse", "ci", "letters", "file-format", "policy"):
        assert f"(docs/{page}.md)" in README, page


# -- peel --help ---------------------------------------------------------------------------------


def test_help_is_plain_and_quick_to_print(peel):
    result = peel("--help")
    assert result.exit_code == 0
    for name, _ in commands():
        assert name in result.stdout


def test_peel_help_lists_every_command_with_its_help_without_building_them():
    """``peel --help`` builds no command (Typer's cost per parameter), yet lists them all."""
    from typer.testing import CliRunner

    from peelcli.cli import app_for

    app = app_for(["--help"])
    listed = typer.main.get_command(app)
    assert all(not command.params for command in listed.commands.values())
    shown = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"}).stdout
    for name, command in commands():
        first_words = " ".join(command.help.split()[:3])
        assert any(line.split()[:1] == [name] and first_words in line for line in shown.splitlines()), name


@pytest.mark.parametrize(
    ("argv", "built"),
    [
        (["status", "west-midlands"], "status"),
        (["--data-dir", "status", "assess"], "assess"),
        (["--", "status"], "status"),
        (["--help"], None),
        (["statsu"], None),
    ],
)
def test_a_run_builds_the_command_it_names(argv, built):
    from peelcli.cli import invoked_command

    assert invoked_command(argv) == built
