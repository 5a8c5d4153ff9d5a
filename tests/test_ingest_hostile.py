"""peel ingest refuses what is not a letter, or not the letter it was asked about: one clear line
naming the file, never a traceback, never a write. And a property: for generated hostile text and
HTML, reading never raises anything but PeelError, and whatever it extracts is text of the input."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peelcli.ingest.letter import MAX_TAGS, parse_letter, read_letter
from peelcli.ingest.proposal import propose
from peelcli.ingest.statements import find_statements
from peelcli.problems import PeelError

LETTERS = Path(__file__).parent / "fixtures" / "letters"
FIXTURE_LEDGER = LETTERS / "ledger"
WM_TEXT = (LETTERS / "2024-09-18-west-midlands-return-to-scan.txt").read_bytes()


def refused(path_or_url: str, **options) -> PeelError:
    with pytest.raises(PeelError) as caught:
        read_letter(path_or_url, **options)
    error = caught.value
    assert len(error.problems) == 1
    problem = error.problems[0]
    assert problem.file == path_or_url
    assert "\n" not in str(problem)
    return error


def test_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"  \n\n")
    assert "is empty" in str(refused(str(path)))


def test_binary_file(tmp_path):
    path = tmp_path / "letter.pdf"
    path.write_bytes(b"%PDF-1.7\n\x00\x01\x02\xff\xfe binary")
    assert "binary" in str(refused(str(path)))


def test_not_utf8(tmp_path):
    path = tmp_path / "letter.txt"
    path.write_bytes(WM_TEXT.decode("utf-8").replace("’", "'").encode("utf-8").replace(b"Sent on", b"Sent \xa3on"))
    assert "is not UTF-8 text (byte 0xa3" in str(refused(str(path)))


def test_terminal_escapes_are_refused(tmp_path):
    path = tmp_path / "letter.txt"
    path.write_bytes(WM_TEXT.replace(b"Background", b"\x1b]0;owned\x07Background"))
    assert "control character" in str(refused(str(path)))


def test_enormous_file_is_refused_by_size_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)

    def never(*args, **kwargs):
        raise AssertionError("the letter was opened for reading")

    monkeypatch.setattr(Path, "open", never)
    assert "is 50.0 MB; a letter is at most 5 MB" in str(refused(str(path)))


def test_a_folder_is_not_a_letter(tmp_path):
    assert "not a plain file" in str(refused(str(tmp_path)))


def test_missing_file(tmp_path):
    assert "cannot read" in str(refused(str(tmp_path / "nope.txt")))


def test_text_that_is_not_a_letter(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Some notes about West Midlands Police.\n\nThey returned to Scan.\n", encoding="utf-8")
    assert "no letter information block" in str(refused(str(path)))


def test_information_block_with_no_date(tmp_path):
    path = tmp_path / "letter.txt"
    path.write_bytes(WM_TEXT.replace(b"Sent on\n18 September 2024", b"Sent on\nsoon"))
    assert "Sent on date 'soon' is not a date" in str(refused(str(path)))


def test_markup_heavy_html_is_refused_before_parsing(tmp_path):
    path = tmp_path / "page.html"
    path.write_text("<div>" * (MAX_TAGS + 1), encoding="utf-8")
    assert f"more than {MAX_TAGS} tags" in str(refused(str(path)))


HOSTILE_HTML = """<!DOCTYPE html><html><head><script>alert("head")</script></head><body>
<script>document.write("<p>I have decided to return Kent Police to our default phase of monitoring.</p>")</script>
<h1>West Midlands Police: return to default phase of monitoring</h1>
<h2>Letter information</h2>
<dl><dt>From</dt><dd>Lee Freeman KPM<br>His Majesty’s Inspector of Constabulary</dd>
<dt>To</dt><dd>Craig Guildford<br>Chief Constable<br>West Midlands Police</dd>
<dt>Sent on</dt><dd>18 September 2024</dd></dl>
<p onclick="steal()">Thank you for the presentation at the PPOG on Tuesday 17 September.<script>evil()</script></p>
<iframe src="https://example.invalid/"></iframe><img src="https://example.invalid/x.png" onerror="evil()">
<p>The force has returned to Scan, our default phase of monitoring, with immediate effect.</p>
<style>p { color: red }</style>
</body></html>"""


def test_html_scripts_are_ignored_and_never_shown(tmp_path, peel):
    path = tmp_path / "letter.html"
    path.write_text(HOSTILE_HTML, encoding="utf-8")
    letter = read_letter(str(path))
    text = " ".join(p.text for p in letter.body)
    for unread in ("alert", "Kent", "evil", "steal", "closed all five", "color", "<"):
        assert unread not in text
    root = shutil.copytree(FIXTURE_LEDGER, tmp_path / "data")
    result = peel("ingest", str(path), env={"PEEL_DATA_DIR": str(root), "PEEL_TODAY": "2024-09-16"})
    assert result.exit_code == 0, result.stderr
    assert "<script" not in result.stdout and "evil" not in result.stdout and "Kent" not in result.stdout
    assert "peel move west-midlands scan --on 2024-09-18" in result.stdout
    assert "--meeting 2024-09-17" in result.stdout


def test_a_letter_about_another_force_than_force_says(tmp_path, peel):
    root = shutil.copytree(FIXTURE_LEDGER, tmp_path / "data")
    before = {p.name: p.read_bytes() for p in (root / "forces").iterdir()}
    letter = str(LETTERS / "2024-09-18-west-midlands-return-to-scan.txt")
    for force in ("wiltshire", "Kent Police"):
        result = peel("ingest", letter, "--force", force, "--apply", env={"PEEL_DATA_DIR": str(root)})
        assert result.exit_code == 1
        assert result.stdout == ""
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith(
            f"{letter}: error: is about West Midlands Police (west-midlands)"
        )
        assert "Wiltshire Police (wiltshire)" in lines[0] or "Kent Police (kent)" in lines[0]
    assert {p.name: p.read_bytes() for p in (root / "forces").iterdir()} == before


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.txt", b""),
        ("binary.bin", bytes(range(256)) * 4),
        ("latin1.txt", "Sent on 18 septembre 2024 \xe9".encode("latin-1")),
        ("notes.txt", b"hello world\n"),
        ("script.html", b"<script>while(1){}</script>"),
    ],
)
def test_refusals_from_the_command_line(tmp_path, peel, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    result = peel("ingest", str(path))
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{path}: error: ")


# -- addresses -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address", ["http://hmicfrs.example/letter", "ftp://x/y", "file:///etc/passwd", "javascript://x"]
)
def test_only_https_addresses(address):
    fetched = []
    error = refused(address, fetch=fetched.append)
    assert "only https:// addresses are fetched" in str(error)
    assert fetched == []


def test_an_https_address_is_fetched_only_through_the_given_fetcher():
    url = "https://hmicfrs.justiceinspectorates.gov.uk/publication-html/west-midlands-police-return-to-default-phase-of-monitoring-sept-24/"
    letter = read_letter(url, fetch=lambda address: WM_TEXT)
    assert letter.url == url and letter.name == url
    assert letter.title == "West Midlands Police: return to default phase of monitoring"


# -- the property ---------------------------------------------------------------------------------

PIECES = [
    "Letter information",
    "From",
    "To",
    "Cc",
    "Sent on",
    "Sent on: 18 September 2024",
    "18 September 2024",
    "Tuesday 17 September",
    "Published on: 31 February 2024",
    "West Midlands Police",
    "Lee Freeman KPM",
    "His Majesty’s Inspector of Constabulary",
    "  • make sure it does things;",
    "The force should make sure it does things",
    "We will close this recommendation.",
    "On 17 September 2024, we closed three of these five recommendations.",
    "Andy Cooke, has decided to return West Midlands Police to our default phase of monitoring.",
    "I have decided to",
    "Back to publication",
    "",
    "\u00a0",
    "<p>",
    "</dd>",
    "<script>",
]
TAGS = [
    "p",
    "div",
    "dl",
    "dt",
    "dd",
    "li",
    "ul",
    "h1",
    "h2",
    "br",
    "script",
    "style",
    "nav",
    "span",
    "b",
    "table",
    "td",
]


def _hay(source: str) -> str:
    return " ".join(html.unescape(source).replace("\u00a0", " ").split())


def _extracted(letter) -> list[str]:
    found = [letter.title, letter.sent_text]
    for person in (*letter.from_, *letter.to, *letter.cc):
        found.append(person.name)
        found += re.split(r"; |, ", person.role or "")
    for paragraph in letter.body:
        found += paragraph.lines
    return [f for f in found if f]


def _check(source: str, *, as_html: bool) -> None:
    try:
        letter = parse_letter(source.encode("utf-8", "surrogatepass"), "hostile", html=as_html or None)
    except PeelError as error:
        assert all(p.file == "hostile" for p in error.problems)
        return
    hay = _hay(source)
    for text in _extracted(letter):
        if as_html:  # markup splits words the parser joins: each word is the input's
            assert all(word in hay for word in text.split()), text
        else:
            assert text in hay, text
    try:
        statements = find_statements(letter)
        propose(letter, "west-midlands", None)
    except PeelError:
        return
    for verdict in statements.verdicts:
        for quote in verdict.quotes:
            assert all(word in hay for word in quote.split())


text_letters = st.one_of(
    st.text(max_size=400),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=30)), max_size=40).map("\n".join),
)


@st.composite
def html_letters(draw):
    parts = []
    for _ in range(draw(st.integers(0, 40))):
        choice = draw(st.integers(0, 3))
        if choice == 0:
            parts.append(f"<{draw(st.sampled_from(TAGS))}>")
        elif choice == 1:
            parts.append(f"</{draw(st.sampled_from(TAGS))}>")
        elif choice == 2:
            parts.append(draw(st.sampled_from(PIECES)))
        else:
            parts.append(draw(st.text(max_size=20)))
    return "<html><body>" + "".join(parts)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text_letters)
def test_reading_hostile_text(source):
    _check(source, as_html=False)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(html_letters())
def test_reading_hostile_html(source):
    _check(source, as_html=True)


WM_LINES = WM_TEXT.decode("utf-8").split("\n")


@st.composite
def mutated_letters(draw):
    """The West Midlands letter with lines dropped and hostile lines put in: most still read as
    a letter, so the property reaches the statements and the proposal."""
    lines = list(WM_LINES)
    for _ in range(draw(st.integers(0, 6))):
        del lines[draw(st.integers(0, len(lines) - 1))]
    for _ in range(draw(st.integers(0, 12))):
        piece = draw(st.one_of(st.sampled_from(PIECES), st.text(max_size=40)))
        lines.insert(draw(st.integers(0, len(lines))), piece)
    return "\n".join(lines)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_letters(), st.booleans())
def test_mutated_letters(source, as_html):
    if as_html:
        source = "<html><body>" + "".join(f"<p>{html.escape(line)}</p>" for line in source.split("\n"))
    _check(source, as_html=as_html)


def test_the_mutations_reach_the_proposal():
    """Most mutated letters still read: the property above is not only about refusals."""
    from hypothesis import find

    find(mutated_letters(), lambda source: len(source) > 1000 and _reads(source), settings=settings(max_examples=50))


def _reads(source: str) -> bool:
    try:
        parse_letter(source.encode("utf-8", "surrogatepass"), "hostile")
    except PeelError:
        return False
    return True


# -- what a message says ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "message"),
    [
        ("Tuesday 18 September 2024", "its Sent on date 'Tuesday 18 September 2024' names Tuesday, but 18 September "
         "2024 was a Wednesday"),
        ("31 September 2024", "its Sent on date '31 September 2024' is not a day: September 2024 has 30 days"),
        ("18 September", "its Sent on date '18 September' gives no year"),
        ("soon", "its Sent on date 'soon' is not a date such as 18 September 2024"),
    ],
)  # fmt: skip
def test_a_bad_sent_date_says_what_is_wrong(tmp_path, sent, message):
    path = tmp_path / "letter.txt"
    path.write_bytes(WM_TEXT.replace(b"Sent on\n18 September 2024", b"Sent on\n" + sent.encode()))
    assert str(refused(str(path))) == f"{path}: error: {message}"


def test_a_published_date_with_the_wrong_weekday_is_unknown_not_recorded():
    text = WM_TEXT.replace(b"Published on: 18 September 2024", b"Published on: Monday 18 September 2024")
    letter = parse_letter(text, "letter.txt")
    assert letter.published_on is None
    proposal = propose(letter, "west-midlands", None)
    assert "--published" not in proposal.changes[1].argv
    assert (
        "when the letter was published: its date 'Monday 18 September 2024' names Monday, but 18 September 2024 "
        "was a Wednesday" in proposal.unknown
    )


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://reader:secret@hmicfrs.example/letter", "it holds a user name or password"),
        ("https://hmicfrs.example/the letter", "it holds a space at character 28"),
        ("http://hmicfrs.example/letter", "it starts with http:, not https://"),
        ("https://hmicfrs.example:70000/letter", "it has a port '70000' that is not a port number"),
    ],
)
def test_ingest_url_says_what_is_wrong(tmp_path, peel, url, message):
    root = shutil.copytree(FIXTURE_LEDGER, tmp_path / "data")
    letter = str(LETTERS / "2024-09-18-west-midlands-return-to-scan.txt")
    result = peel("ingest", letter, "--url", url, "--apply", env={"PEEL_DATA_DIR": str(root)})
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: --url {url!r} is not the letter's https:// address: {message}")
    assert result.stdout == ""


def test_a_canonical_link_with_credentials_is_not_used(tmp_path):
    source = (LETTERS / "2024-09-18-west-midlands-return-to-scan.html").read_text(encoding="utf-8")
    source = source.replace('href="https://hmicfrs.', 'href="https://reader:secret@hmicfrs.', 1)
    path = tmp_path / "letter.html"
    path.write_text(source, encoding="utf-8")
    letter = read_letter(str(path))
    assert letter.url is None
    proposal = propose(letter, "west-midlands", None)
    assert "--url" not in proposal.changes[1].argv
    doubt = next(u for u in proposal.unknown if u.startswith("the letter's address: its canonical link"))
    assert "secret" not in doubt and "https://…@hmicfrs." in doubt and "holds a user name or password" in doubt


def test_bidirectional_controls_never_reach_the_terminal_raw(tmp_path, peel):
    root = shutil.copytree(FIXTURE_LEDGER, tmp_path / "data")
    path = tmp_path / "letter.txt"
    path.write_bytes(
        WM_TEXT.replace(
            b"We will close this recommendation.", "We will close this recommendation.\u202e".encode(), 1
        ).replace(b"Craig Guildford", "Craig \u2066Guildford".encode())
    )
    result = peel("ingest", str(path), env={"PEEL_DATA_DIR": str(root), "PEEL_TODAY": "2024-09-16"})
    assert result.exit_code == 0, result.stderr
    assert "\u202e" not in result.stdout and "\u2066" not in result.stdout
    assert "<U+202E>" in result.stdout and "Craig <U+2066>Guildford" in result.stdout


def test_markup_nested_too_deep_is_refused_saying_so(tmp_path):
    path = tmp_path / "deep.html"
    path.write_text("<html><body>" + "<div>" * 1200 + "x" + "</div>" * 1200, encoding="utf-8")
    assert "nests its elements too deep for a letter page" in str(refused(str(path)))
