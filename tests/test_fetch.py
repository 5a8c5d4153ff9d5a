"""peel's one https fetcher against a local https server (trustme certificates, never the
network): a hostile or slow server, a truncated body, a redirect to http or malformed headers
end in one refusal naming the address and why, within the deadline for the whole transfer
(issue 21)."""

from __future__ import annotations

import shutil
import ssl
from pathlib import Path

import pytest
import trustme

from local_https import answer, closed_port, raw, trickle
from peelcli.fetch import MAX_REDIRECTS, fetch
from peelcli.problems import PeelError

LETTERS = Path(__file__).parent / "fixtures" / "letters"
WM_TEXT = (LETTERS / "2024-09-18-west-midlands-return-to-scan.txt").read_bytes()
DEADLINE = 1.0
"""Seconds: every slow server below would take far longer than this to finish its answer."""
AMPLE = 30.0
"""Seconds for every other test: a deadline no answer of a local server comes near, however
loaded the machine, so only the slow servers meet one."""
SLOW = 0.1
"""Seconds between the bytes of a trickle: each read gets a byte well within the deadline, so
only a deadline on the whole transfer ends it."""


@pytest.fixture
def server(https_server):
    """The suite's local https server (conftest), with no routes and no requests yet."""
    return https_server


@pytest.fixture
def trusting(https_ca):
    context = ssl.create_default_context()
    https_ca.configure_trust(context)
    return context


def get(server, path, trusting, *, max_bytes=10_000, deadline=AMPLE):
    return fetch(server.url(path), max_bytes=max_bytes, deadline=deadline, context=trusting)


def refused(server, path, trusting, **options) -> str:
    with pytest.raises(PeelError) as caught:
        get(server, path, trusting, **options)
    problems = caught.value.problems
    assert len(problems) == 1
    assert problems[0].file == server.url(path)
    assert "\n" not in str(problems[0])
    return problems[0].message


def test_a_good_answer(server, trusting):
    server.routes["/letter"] = answer(body=WM_TEXT, headers={"Content-Type": "text/plain; charset=utf-8"})
    fetched = get(server, "/letter", trusting, max_bytes=len(WM_TEXT))
    assert fetched.body == WM_TEXT
    assert fetched.url == server.url("/letter")
    assert fetched.content_type == "text/plain; charset=utf-8"


def test_a_chunked_answer(server, trusting):
    server.routes["/chunked"] = raw(
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
    )
    assert get(server, "/chunked", trusting).body == b"hello world"


# -- slow -----------------------------------------------------------------------------------------


def test_a_byte_every_two_seconds(server, trusting):
    server.routes["/slow"] = trickle(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", 2.0)
    message = refused(server, "/slow", trusting, deadline=DEADLINE)
    assert message.startswith(f"no complete answer within {DEADLINE:g} s, the deadline for the whole transfer")
    assert "PEEL_FETCH_DEADLINE sets it" in message


def test_headers_trickled_within_each_read_still_meet_the_deadline(server, trusting):
    headers = b"HTTP/1.1 200 OK\r\n" + b"X-Padding: " + b"x" * 500 + b"\r\n\r\n"
    server.routes["/trickle"] = trickle(headers, SLOW)
    assert f"no complete answer within {DEADLINE:g} s" in refused(server, "/trickle", trusting, deadline=DEADLINE)


def test_a_body_trickled_within_each_read_still_meets_the_deadline(server, trusting):
    """The headers at once, then the body slowly."""
    body = b"x" * 500

    def route(tls, running):
        tls.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n")
        trickle(body, SLOW)(tls, running)

    server.routes["/trickle"] = route
    message = refused(server, "/trickle", trusting, deadline=2 * DEADLINE)  # time for the headers on a busy machine
    assert f"no complete answer within {2 * DEADLINE:g} s" in message and "bytes of the body had arrived" in message


def test_the_deadline_comes_from_the_environment(server, trusting, monkeypatch):
    server.routes["/slow"] = trickle(b"HTTP/1.1 200 OK\r\n\r\n" + b"x" * 100, SLOW)
    monkeypatch.setenv("PEEL_FETCH_DEADLINE", "0.3")
    assert "within 0.3 s" in refused(server, "/slow", trusting, deadline=None)


@pytest.mark.parametrize("value", ["abc", "0", "-1", "nan", "inf", "99999"])
def test_a_bad_deadline_in_the_environment_is_refused(server, trusting, monkeypatch, value):
    monkeypatch.setenv("PEEL_FETCH_DEADLINE", value)
    with pytest.raises(PeelError, match=r"PEEL_FETCH_DEADLINE=.* is not a number of seconds from 0 to 3600"):
        get(server, "/", trusting, deadline=None)
    assert server.requests == []


# -- too little, too much -------------------------------------------------------------------------


def test_a_body_shorter_than_its_content_length(server, trusting):
    server.routes["/short"] = raw(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + b"x" * 100)
    assert refused(server, "/short", trusting) == (
        "the answer was cut short: 100 of the 1,000 bytes its Content-Length announced arrived"
    )


def test_a_chunked_body_cut_off(server, trusting):
    server.routes["/short"] = raw(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel")
    assert refused(server, "/short", trusting).startswith("the answer was cut short")


def test_a_content_length_over_the_cap_is_refused_before_the_body(server, trusting):
    server.routes["/big"] = trickle(b"HTTP/1.1 200 OK\r\nContent-Length: 60000000\r\n\r\n" + b"x" * 10**6, 0)
    assert refused(server, "/big", trusting) == (
        "the answer is 57.2 MB (its Content-Length), more than the 10,000 bytes peel reads here"
    )


def test_a_body_over_the_cap_is_not_read_past_it(server, trusting):
    server.routes["/big"] = raw(b"HTTP/1.1 200 OK\r\n\r\n" + b"x" * 50_000)
    assert refused(server, "/big", trusting) == "the answer is more than 10,000 bytes, the most peel reads here"


# -- redirects ------------------------------------------------------------------------------------


def test_a_redirect_to_https_is_followed(server, trusting):
    server.routes["/old"] = answer("301 Moved Permanently", headers={"Location": "/new"})
    server.routes["/new"] = answer(body=b"moved here")
    fetched = get(server, "/old", trusting)
    assert (fetched.body, fetched.url) == (b"moved here", server.url("/new"))


def test_a_redirect_to_http_is_not_followed(server, trusting):
    server.routes["/old"] = answer("302 Found", headers={"Location": "http://127.0.0.1/letter"})
    assert (
        refused(server, "/old", trusting) == "redirected to 'http://127.0.0.1/letter', which is not https: not followed"
    )
    assert server.requests == ["/old"]


@pytest.mark.parametrize(
    ("location", "why"),
    [
        ("https://reader:secret@127.0.0.1/x", "it holds a user name or password"),
        ("https://127.0.0.1:99999/x", "it has a port '99999' that is not a port number"),
        ("ftp://127.0.0.1/x", "it starts with ftp:, not https://"),
        ("https://bad host/x", "it holds a space"),
    ],
)
def test_a_redirect_to_an_address_peel_would_refuse_is_not_followed(server, trusting, location, why):
    server.routes["/old"] = answer("307 Temporary Redirect", headers={"Location": location})
    message = refused(server, "/old", trusting)
    assert why in message and "not followed" in message and "secret" not in message


def test_redirects_are_followed_a_bounded_number_of_times(server, trusting):
    server.routes["/loop"] = answer("302 Found", headers={"Location": "/loop"})
    assert refused(server, "/loop", trusting) == f"redirected more than {MAX_REDIRECTS} times: not followed"
    assert server.requests == ["/loop"] * (MAX_REDIRECTS + 1)


def test_a_failure_after_a_redirect_names_both_addresses(server, trusting):
    server.routes["/old"] = answer("301 Moved Permanently", headers={"Location": "/gone"})
    message = refused(server, "/old", trusting)
    assert (
        message == f"the server answered 404 Not Found (at '{server.url('/gone')}', where the address given redirected)"
    )


# -- malformed answers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nthis line has no colon\r\n\r\nhello", "headers are malformed"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\nhello", "Content-Length 'abc' is not one number"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello", "is not one number"),
        (b"HTTP/1.1 200 OK\r\nX: " + b"y" * 70_000 + b"\r\n\r\n", "malformed (LineTooLong"),
        (b"HTTP/1.1 200 OK\r\n" + b"X: y\r\n" * 150 + b"\r\n", "malformed"),
        (b"SMTP ready\r\n\r\n", "malformed (BadStatusLine"),
        (b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n\x1f\x8b", "encoded as 'gzip', which peel did not ask for"),
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nhello", "Transfer-Encoding 'gzip' is not one peel reads"),
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n", "the answer was cut short"),
        (b"", "the server closed the connection without answering"),
        (b"HTTP/1.1 500 \x1b[31mBoom\x1b[0m\r\nContent-Length: 0\r\n\r\n", "the server answered 500 [31mBoom [0m"),
    ],
)
def test_a_malformed_answer_is_refused_saying_why(server, trusting, data, why):
    server.routes["/bad"] = raw(data)
    message = refused(server, "/bad", trusting)
    assert why in message
    assert "\x1b" not in message


def test_an_untrusted_certificate(server):
    other = ssl.create_default_context()
    trustme.CA().configure_trust(other)
    with pytest.raises(PeelError, match="its certificate is not trusted"):
        fetch(server.url("/"), max_bytes=100, deadline=AMPLE, context=other)


def test_nothing_listening():
    with pytest.raises(PeelError, match="cannot fetch: Connection refused"):
        fetch(f"https://127.0.0.1:{closed_port()}/x", max_bytes=100, deadline=AMPLE)


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("https://reader:secret@127.0.0.1:{port}/x", "it holds a user name or password"),
        ("https://127.0.0.1:{port}/x\x1b[2J", "it holds a control character (U+001B)"),
        ("https://127.0.0.1:{port}/a b", "it holds a space"),
        ("https://127.0.0.1:{port}/\u202ex", "it holds an invisible formatting character (U+202E)"),
        ("https://127.0.0.1:99999/x", "it has a port '99999' that is not a port number"),
        ("https://127.0..0.1:{port}/x", "that is not a host name"),
        ("http://127.0.0.1:{port}/x", "it starts with http:, not https://"),
    ],
)
def test_addresses_are_refused_before_anything_is_sent(server, trusting, address, why):
    address = address.format(port=server.server_address[1])
    with pytest.raises(PeelError) as caught:
        fetch(address, max_bytes=100, deadline=AMPLE, context=trusting)
    problem = caught.value.problems[0]
    assert problem.message.startswith("is not an address peel fetches: ") and why in problem.message
    assert "secret" not in str(problem)
    assert server.requests == []


# -- through peel ingest --------------------------------------------------------------------------


@pytest.fixture
def cli_env(trusting_env, tmp_path):
    """``peel ingest`` trusting the local server's certificates, over the fixture ledger."""
    root = shutil.copytree(LETTERS / "ledger", tmp_path / "data")
    return {**trusting_env, "PEEL_DATA_DIR": str(root), "PEEL_TODAY": "2024-09-16", "PEEL_FETCH_DEADLINE": str(AMPLE)}


def test_ingest_reads_a_letter_over_https(server, peel, cli_env):
    html = (LETTERS / "2024-09-18-west-midlands-return-to-scan.html").read_bytes()
    server.routes["/letter"] = answer(body=html, headers={"Content-Type": "text/html; charset=utf-8"})
    result = peel("ingest", server.url("/letter"), env=cli_env)
    assert result.exit_code == 0, result.stderr
    assert "peel move west-midlands scan --on 2024-09-18" in result.stdout


@pytest.mark.parametrize(
    ("route", "why"),
    [
        (trickle(b"HTTP/1.1 200 OK\r\n\r\n" + WM_TEXT, SLOW), f"no complete answer within {DEADLINE:g} s"),
        (raw(b"HTTP/1.1 200 OK\r\nContent-Length: 9000\r\n\r\n" + WM_TEXT[:100]), "the answer was cut short"),
        (answer("301 Moved", headers={"Location": "http://127.0.0.1/"}), "which is not https: not followed"),
        (raw(b"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n"), "the server's headers are malformed"),
    ],
)
def test_ingest_of_a_hostile_server_exits_1_with_one_line(server, peel, cli_env, route, why):
    server.routes["/letter"] = route
    slow = why.startswith("no complete answer")
    result = peel(
        "ingest",
        server.url("/letter"),
        "--apply",
        env={**cli_env, "PEEL_FETCH_DEADLINE": str(DEADLINE)} if slow else cli_env,
    )
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{server.url('/letter')}: error: ") and why in lines[0]


def test_ingest_of_an_address_with_credentials_is_refused_before_anything_is_sent(server, peel, cli_env):
    address = f"https://reader:secret@127.0.0.1:{server.server_address[1]}/letter"
    result = peel("ingest", address, env=cli_env)
    assert result.exit_code == 1
    assert result.stderr == (
        f"https://…@127.0.0.1:{server.server_address[1]}/letter: error: is not an address peel fetches: it holds a "
        "user name or password (before '@'): peel never stores, publishes or sends credentials; give the address "
        "without them\n"
    )
    assert server.requests == []
