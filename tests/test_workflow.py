"""The weekly watch as a GitHub Actions workflow (``.github/workflows/watch.yml``): it parses, runs
on a schedule and by hand, calls only peel commands and options that exist, pins every action it
uses to a release, and opens its pull request with the report the watch wrote."""

from __future__ import annotations

import re
import shlex

import pytest
import typer
import yaml

from conftest import REPO
from peelcli.cli import build_app

WORKFLOWS = REPO / ".github" / "workflows"
WATCH = WORKFLOWS / "watch.yml"
COMMAND = typer.main.get_command(build_app())


def workflow(path=WATCH) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def steps(document: dict) -> list[dict]:
    return [step for job in document["jobs"].values() for step in job["steps"]]


def peel_calls(script: str) -> list[list[str]]:
    """Every ``peel ...`` command line of a step's script, as words (redirections dropped)."""
    calls = []
    for line in script.splitlines():
        line = line.split(" #", 1)[0].strip()
        if not re.match(r"^peel\b", line):
            continue
        words = shlex.split(line.split(">", 1)[0])
        calls.append(words)
    return calls


def test_the_watch_runs_weekly_and_by_hand():
    document = workflow()
    triggers = document[True]  # YAML 1.1 reads the key "on" as true
    (schedule,) = triggers["schedule"]
    minute, hour, day, month, weekday = schedule["cron"].split()
    assert minute.isdigit() and hour.isdigit()
    assert (day, month) == ("*", "*") and weekday.isdigit()
    assert "workflow_dispatch" in triggers


def test_it_may_write_the_branch_and_open_the_pull_request_and_nothing_else():
    assert workflow()["permissions"] == {"contents": "write", "pull-requests": "write"}


@pytest.mark.parametrize("path", sorted(WORKFLOWS.glob("*.yml")), ids=lambda p: p.name)
def test_every_peel_command_and_option_a_workflow_calls_exists(path):
    calls = [call for step in steps(workflow(path)) for call in peel_calls(step.get("run", ""))]
    assert calls, f"{path.name} calls no peel command"
    global_options = {opt for param in COMMAND.params for opt in param.opts}
    for call in calls:
        name = call[1]
        assert name in COMMAND.commands, f"peel {name} is no command"
        options = {opt for param in COMMAND.commands[name].params for opt in (*param.opts, *param.secondary_opts)}
        for word in call[2:]:
            if word.startswith("-"):
                assert word.split("=", 1)[0] in options | global_options, f"peel {name} has no option {word}"


def test_the_watch_records_what_it_finds_then_validates_then_opens_a_pull_request_with_its_report():
    order = []
    report = None
    for step in steps(workflow()):
        for call in peel_calls(step.get("run", "")):
            order.append(call[1])
            if call[1] == "watch":
                assert "--ingest" in call and call[call.index("--format") + 1] == "markdown"
                report = re.search(r">\s*(\S+)", step["run"])[1].strip('"')
        if "create-pull-request" in step.get("uses", ""):
            order.append("pull-request")
            assert step["with"]["body-path"].replace("${{ runner.temp }}", "$RUNNER_TEMP") == report
            assert step["with"]["add-paths"] == "data/"
    assert order == ["watch", "validate", "pull-request"]


def test_every_action_the_watch_uses_is_pinned_to_a_release():
    for step in steps(workflow()):
        if "uses" in step:
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@(?:v\d+\.\d+\.\d+|[0-9a-f]{40})", step["uses"]), step["uses"]


def test_the_watch_puts_no_input_straight_into_a_script():
    """An input or variable reaches a script through the environment, never spliced into its text
    (where a crafted value would run as shell)."""
    for step in steps(workflow()):
        assert "${{" not in step.get("run", ""), step.get("name")
