"""Shared test set-up: the CLI driven through Typer's CliRunner with a pinned day and width."""

from __future__ import annotations

import gc
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import typer
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner

from peelcli.cli import build_app

# The suite runs on every core, often beside other work: a wall-clock deadline on each example
# would fail a property test for the machine's load, not for peel. Example counts are unchanged.
settings.register_profile("peel", deadline=None)
settings.load_profile("peel")

FUZZ_SCALE = max(1, int(os.environ.get("PEEL_FUZZ_SCALE", "1")))
"""``PEEL_FUZZ_SCALE=N``: the fuzz and property tests run N times their examples (``.ci/run``: 4)."""


def scaled_examples(count: int, *also_suppressed: HealthCheck):
    """Settings for a fuzz or property test: ``count`` examples times ``PEEL_FUZZ_SCALE``, with
    the health checks that large generated files trip (they are slow and big by design)."""
    return settings(
        max_examples=count * FUZZ_SCALE,
        deadline=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.function_scoped_fixture,
            HealthCheck.large_base_example,
            *also_suppressed,
        ],
    )


# The suite makes many short-lived objects (YAML nodes, hypothesis' choices) and keeps few; the
# collector's full passes over everything imported are left to larger batches.
gc.freeze()
gc.set_threshold(50_000, 20, 20)

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
FIXTURES = Path(__file__).parent / "fixtures"
GOLDEN = Path(__file__).parent / "golden"
TODAY = "2026-11-26"
ENV = {
    "PEEL_TODAY": TODAY,
    "COLUMNS": "100",
    "LINES": "50",
    "NO_COLOR": "1",
    "TERM": "dumb",
    "GITHUB_ACTIONS": None,
    "PEEL_DATA_DIR": None,
}


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str
    exception: BaseException | None

    @property
    def lines(self) -> list[str]:
        return self.stdout.splitlines()


# The Click command Typer builds from every command, built once per test process as ``peel`` builds
# the command it runs once per run. ``CliRunner.invoke`` rebuilds it on every call, which costs more than most
# commands take (13 ms of the 25 ms a ``peel validate`` takes in-process).
COMMAND = typer.main.get_command(build_app())


def run_peel(*args: str, env: dict | None = None) -> Run:
    """``CliRunner.invoke`` (the same isolation, environment and exit-code rules), with the command
    built once."""
    runner = CliRunner()
    exception: BaseException | None = None
    with runner.isolation(env={**ENV, **(env or {})}) as (stdout, stderr, _):
        try:
            COMMAND.main(args=list(args), prog_name=runner.get_default_prog_name(COMMAND))
            exit_code = 0
        except SystemExit as exc:
            code = exc.code
            if code is not None and not isinstance(code, int):
                sys.stdout.write(f"{code}\n")
                code = 1
            exit_code = code or 0
        except Exception as exc:
            exception, exit_code = exc, 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            out, err = stdout.getvalue(), stderr.getvalue()
    return Run(exit_code, _text(out, runner.charset), _text(err, runner.charset), exception)


def _text(data: bytes, charset: str) -> str:
    return data.decode(charset, "replace").replace("\r\n", "\n")


@pytest.fixture
def peel():
    """Run peel in-process; fails the test on any Python exception (never a traceback)."""

    def invoke(*args: str, env: dict | None = None) -> Run:
        result = run_peel(*args, env=env)
        assert result.exception is None, f"peel raised {result.exception!r}"
        return result

    return invoke


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    """A private copy of the shipped ledger."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def assert_golden(name: str, text: str) -> None:
    """Compare with ``tests/golden/<name>``; PEEL_UPDATE_GOLDEN=1 rewrites it."""
    path = GOLDEN / name
    if os.environ.get("PEEL_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path}: run with PEEL_UPDATE_GOLDEN=1 and review it"
    assert text == path.read_text(encoding="utf-8"), f"output differs from {path}"


# -- a local https server, for commands that read an https:// address (never the network) ---------


@pytest.fixture(scope="session")
def https_ca():
    import trustme

    return trustme.CA()


@pytest.fixture(scope="session")
def https_running(https_ca):
    from local_https import LocalHttps

    with LocalHttps(https_ca) as started:
        yield started


@pytest.fixture
def https_server(https_running):
    """The session's local https server with no routes and no requests yet."""
    https_running.routes.clear()
    https_running.requests.clear()
    return https_running


@pytest.fixture
def trusting_env(https_ca, tmp_path) -> dict:
    """The environment of a peel that trusts the local server's certificate, with an ample deadline."""
    pem = tmp_path / "ca.pem"
    https_ca.cert_pem.write_to_path(str(pem))
    return {"SSL_CERT_FILE": str(pem), "PEEL_FETCH_DEADLINE": "30"}
