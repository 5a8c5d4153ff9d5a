"""The terminal: tables that fit any width from 60 columns, text made safe, colour only when wanted."""

from __future__ import annotations

from peelcli import __version__


def test_version_prints_and_exits_zero(peel):
    for args in (["--version"], ["--version", "status"], ["--data-dir", "no-such-folder", "--version"]):
        result = peel(*args)
        assert (result.exit_code, result.stdout) == (0, f"peel {__version__}\n"), args
