"""Shell completion completes force slugs and names from the ledger the command would read,
through the shells' own completion protocol, and never fails on a broken ledger."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import DATA, scaled_examples
from peelcli.cli import completing
from peelcli.cli.shell import _shell_word

FORCES_WITH_A_FILE = [
    "cleveland",
    "devon-and-cornwall",
    "gloucestershire",
    "greater-manchester",
    "lincolnshire",
    "metropolitan",
    "nottinghamshire",
    "staffordshire",
    "west-midlands",
    "wiltshire",
]
SERVICES_WITH_A_FILE = [
    "avon-fire",
    "buckinghamshire-fire",
    "cornwall-fire",
    "devon-and-somerset-fire",
    "gloucestershire-fire",
    "greater-manchester-fire",
    "hampshire-and-isle-of-wight-fire",
    "hertfordshire-fire",
    "lincolnshire-fire",
    "london-fire",
    "norfolk-fire",
    "north-yorkshire-fire",
    "northamptonshire-fire",
    "surrey-fire",
    "warwickshire-fire",
    "west-sussex-fire",
]
WITH_A_FILE = sorted(FORCES_WITH_A_FILE + SERVICES_WITH_A_FILE, key=lambda slug: f"{slug}.yaml")
"""A FORCE argument takes a police force or a fire and rescue service alike, so it completes to
both, in the order of the forces folder's files (``gloucestershire-fire.yaml`` before
``gloucestershire.yaml``); the shells sort what they show."""


def bash(peel, line: str, env: dict | None = None) -> list[str]:
    """What bash's completion gets for ``line`` (the word being completed is its last, or a new
    one after a trailing space)."""
    words = line.split()
    cword = len(words) if line.endswith(" ") else len(words) - 1
    result = peel(env={"_PEEL_COMPLETE": "complete_bash", "COMP_WORDS": line, "COMP_CWORD": str(cword), **(env or {})})
    assert (result.exit_code, result.stderr) == (0, "")
    return [line for line in result.lines if line]  # nothing to offer is one empty line


def zsh(peel, line: str) -> str:
    result = peel(env={"_PEEL_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": line})
    assert (result.exit_code, result.stderr) == (0, "")
    return result.stdout


def test_a_force_argument_completes_to_the_slugs_of_the_forces_with_a_file(peel):
    assert bash(peel, f"peel --data-dir {DATA} status ") == WITH_A_FILE
    assert bash(peel, f"peel --data-dir {DATA} status west") == ["west-midlands", "west-sussex-fire"]
    assert bash(peel, f"peel --data-dir {DATA} status west-m") == ["west-midlands"]
    assert bash(peel, f"peel --data-dir {DATA} history w") == [
        "warwickshire-fire",
        "west-midlands",
        "west-sussex-fire",
        "wiltshire",
    ]
    assert bash(peel, f"peel --data-dir {DATA} close-rec lin") == ["lincolnshire-fire", "lincolnshire"]  # editing too
    assert bash(peel, f"peel --data-dir {DATA} due g") == [
        "gloucestershire-fire",
        "gloucestershire",
        "greater-manchester-fire",
        "greater-manchester",
    ]
    assert bash(peel, f"peel --data-dir {DATA} status bu") == ["buckinghamshire-fire"]
    assert bash(peel, f"peel --data-dir {DATA} ingest letter.txt --force staf") == ["staffordshire"]


def test_from_a_capital_letter_it_completes_names_each_as_one_word_for_bash(peel):
    assert bash(peel, f"peel --data-dir {DATA} report West") == [
        "West\\ Midlands\\ Police",
        "West\\ Sussex\\ Fire\\ and\\ Rescue\\ Service",
    ]
    assert bash(peel, f"peel --data-dir {DATA} assess Dev") == [
        "Devon\\ and\\ Cornwall\\ Police",
        "Devon\\ \\&\\ Cornwall\\ Police",
        "Devon\\ and\\ Somerset\\ Fire\\ and\\ Rescue\\ Service",
    ]
    assert "Met" in bash(peel, f"peel --data-dir {DATA} status Met")


def test_zsh_shows_each_slug_with_its_name_and_each_name_with_its_slug(peel):
    assert '"west-midlands":"West Midlands Police"' in zsh(peel, f"peel --data-dir {DATA} status w")
    assert '"West Midlands Police":"west-midlands"' in zsh(peel, f"peel --data-dir {DATA} status West")


def test_it_reads_the_ledger_the_command_would_read(peel, ledger):
    (ledger / "forces" / "kent.yaml").write_text("slug: kent\n", encoding="utf-8")  # listed, not read
    assert "kent" in bash(peel, f"peel --data-dir {ledger} status k")
    assert bash(peel, "peel status k", env={"PEEL_DATA_DIR": str(ledger)}) == ["kent"]
    assert bash(peel, f"peel --data-dir {DATA} status k") == []


@pytest.mark.parametrize(
    "registry",
    ["forces: [\n", "forces: 7\n", "- just\n- a list\n", "", "forces:\n  - {slug: kent, name: [1, 2]}\n", "\x00"],
)
def test_a_broken_registry_still_completes_the_slugs_and_never_fails(peel, ledger, registry):
    (ledger / "registry.yaml").write_text(registry, encoding="utf-8")
    assert bash(peel, f"peel --data-dir {ledger} status ") == WITH_A_FILE
    assert bash(peel, f"peel --data-dir {ledger} status West") == []


def test_a_folder_that_is_no_ledger_completes_nothing_and_never_fails(peel, tmp_path):
    assert bash(peel, f"peel --data-dir {tmp_path / 'nowhere'} status ") == []
    assert bash(peel, f"peel --data-dir {tmp_path} status ") == []


def test_commands_and_options_still_complete(peel):
    assert bash(peel, "peel st") == ["status"]
    options = bash(peel, f"peel --data-dir {DATA} status --")
    assert {"--as-of", "--phase", "--all", "--format"} <= set(options)


def test_the_words_before_the_one_completed_name_the_command_to_build():
    assert completing({}) is None
    bash_env = {"_PEEL_COMPLETE": "complete_bash", "COMP_WORDS": "peel --data-dir d status we", "COMP_CWORD": "4"}
    assert completing(bash_env) == ["--data-dir", "d", "status"]
    zsh_env = {"_PEEL_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "peel status "}
    assert completing(zsh_env) == ["status"]
    assert completing({**zsh_env, "_TYPER_COMPLETE_ARGS": 'peel status "West Mid'}) == ["status"]


def test_the_installed_command_completes_through_its_entry_point(tmp_path):
    """Through ``peel`` itself, which builds only the command being completed."""
    env = {
        **os.environ,
        "_PEEL_COMPLETE": "complete_bash",
        "COMP_WORDS": f"peel --data-dir {DATA} assess west",
        "COMP_CWORD": "4",
    }
    env.pop("PEEL_DATA_DIR", None)
    done = subprocess.run(
        [sys.executable, "-c", "from peelcli.cli import main; main()"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "west-midlands\nwest-sussex-fire\n", "")


@scaled_examples(300)
@given(name=st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=40))
def test_a_name_given_to_bash_is_read_back_by_the_shell_as_exactly_that_one_word(name):
    """Whatever a registry names a force (quotes, $(...), backticks, spaces), bash inserts it as
    one inert word."""
    assert shlex.split(_shell_word(name)) == [name]
