"""Web addresses: wherever one enters the ledger (a force file, an editing command's --url or
--source), an address with credentials, whitespace, a control character, or a malformed host or
port is refused with a message saying what is actually wrong with it (issue 19)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import scaled_examples
from peelcli.schema.scalars import address_fault

LEDGER = Path(__file__).parent / "fixtures" / "letters" / "ledger"

labels = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=12)
hosts = st.lists(labels, min_size=1, max_size=4).map(".".join)
paths = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-._~/%?=&#@:", max_size=30)


@st.composite
def addresses(draw) -> tuple[str, str, str]:
    """(scheme and host, port part, path part) of a good address."""
    port = draw(st.one_of(st.just(""), st.integers(1, 65535).map(lambda n: f":{n}")))
    path = draw(paths)
    return f"{draw(st.sampled_from(('https', 'http', 'HTTPS')))}://{draw(hosts)}", port, "/" + path


@scaled_examples(60)
@given(addresses())
def test_a_good_address_is_accepted(parts):
    assert address_fault("".join(parts)) is None


FAULTS = {
    "credentials": "holds a user name or password",
    "space": "holds a",
    "control": "holds a control character",
    "invisible": "holds an invisible formatting character",
    "port": "that is not a port number",
    "host": "that is not a host name",
    "scheme": "not http:// or https://",
}


@st.composite
def broken(draw) -> tuple[str, str]:
    """A good address broken in one way, and the words its message must hold."""
    (start, port, path), fault = draw(addresses()), draw(st.sampled_from(sorted(FAULTS)))
    scheme, host = start.split("://")
    if fault == "credentials":
        user = draw(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789:%._-", min_size=1, max_size=12))
        host = f"{user}@{host}"
    elif fault == "space":
        path += draw(st.sampled_from((" ", "\t", "\n", "\u00a0", "\u2003"))) + "x"
    elif fault == "control":
        path += draw(st.sampled_from(("\x00", "\x07", "\x1b", "\x7f", "\x9b")))
    elif fault == "invisible":
        path += draw(st.sampled_from(("\u202e", "\u200b", "\u2066", "\ufeff", "\u200e")))
    elif fault == "port":
        port = ":" + draw(st.one_of(st.integers(65536, 10**7).map(str), st.just("0"), st.just("80a"), st.just("-1")))
    elif fault == "host":
        host = draw(st.sampled_from(("-x.org", "x-.org", "a..b", "x!y.org", "%41.org", "x.org,y")))
    else:
        scheme = draw(st.sampled_from(("ftp", "file", "javascript", "data", "httpx")))
    return f"{scheme}://{host}{port}{path}", FAULTS[fault]


@scaled_examples(120)
@given(broken())
def test_a_broken_address_says_what_is_wrong(case):
    address, words = case
    fault = address_fault(address)
    assert fault is not None and words in fault, (address, fault)
    if "://" in address and not address.lower().startswith(("ftp", "file", "javascript", "data", "httpx")):
        assert "must start with" not in fault


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("https://a b/c", "holds a space at character 10"),
        ("example.org/x", "must start with http:// or https://"),
        ("https:/example.org/x", "must start with https:// (two slashes after the colon)"),
        ("https://user:pw@example.org/x", "holds a user name or password"),
        ("https://example.org\\@evil.org/", "holds a backslash before its path"),
        ("https://", "has no host after https://"),
        ("https://[zz]/", "has a host '[zz]' that is not an IPv6 address"),
        ("https://[::1]:8443/x", None),
        ("https://bücher.example/x", None),
        ("https://example.org/@someone", None),  # an @ in the path is no credential
    ],
)
def test_address_examples(address, message):
    fault = address_fault(address)
    assert fault == message if message is None else message in fault


@pytest.fixture
def ledger(tmp_path):
    return shutil.copytree(LEDGER, tmp_path / "data")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["add-source", "wiltshire", "--id", "s9", "--kind", "web-page", "--title", "T", "--url"],
            "--url 'https://reader:secret@example.org/x' is not a web address: it holds a user name or password",
        ),
        (
            ["edit-source", "wiltshire", "revisit-letter-2022-12", "--url"],
            "--url 'https://reader:secret@example.org/x' is not a web address: it holds a user name or password",
        ),
        (
            ["add-meeting", "wiltshire", "--held", "2023-01-01", "--url"],
            "--url 'https://reader:secret@example.org/x' is not a web address: it holds a user name or password",
        ),
        (
            ["add-rec", "wiltshire", "coc-strategic-plans", "--id", "r9", "--text", "T", "--source"],
            "source 'https://reader:secret@example.org/x' is not a web address: it holds a user name or password",
        ),
    ],
)
def test_editing_commands_refuse_credentials_before_editing(peel, ledger, args, message):
    before = {p.name: p.read_bytes() for p in (ledger / "forces").iterdir()}
    result = peel("--data-dir", str(ledger), *args, "https://reader:secret@example.org/x")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {message}")
    assert "secret" not in result.stdout
    assert {p.name: p.read_bytes() for p in (ledger / "forces").iterdir()} == before


def test_validate_refuses_credentials_in_a_file(peel, ledger):
    path = ledger / "forces" / "wiltshire.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("url: https://", "url: https://reader:secret@", 1), encoding="utf-8")
    result = peel("validate", str(path))
    assert result.exit_code == 1
    assert "is not a web address: it holds a user name or password" in result.stdout + result.stderr
