"""peel report: one force's record as a board paper, in Markdown or self-contained HTML."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest
import typer
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from conftest import DATA, assert_golden
from peelcli.cli import build_app
from peelcli.output.controls import UNSAFE as UNSAFE_CHARACTER
from peelcli.output.controls import visible, visible_lines
from peelcli.output.document import Bar, Chart, ChartRow, Document, Link, Part, Table, Tag
from peelcli.output.html import html_page, safe_href
from peelcli.output.markdown import markdown, md_escape

WM = "west-midlands"
HOSTILE = "<script>alert(1)</script>"

# -- reading HTML back -------------------------------------------------------------------------

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None] = field(default_factory=dict)
    children: list[Element | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def all(self, tag: str | None = None, *, cls: str | None = None, id: str | None = None) -> list[Element]:
        """Every descendant element matching the tag, class and id given."""
        found = []
        for child in self.children:
            if isinstance(child, Element):
                if (
                    (tag is None or child.tag == tag)
                    and (cls is None or cls in child.classes)
                    and (id is None or child.attrs.get("id") == id)
                ):
                    found.append(child)
                found += child.all(tag, cls=cls, id=id)
        return found

    def one(self, tag: str | None = None, **query) -> Element:
        (found,) = self.all(tag, **query)
        return found

    @property
    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text for c in self.children)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs))
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Element(tag, dict(attrs)))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse_html(text: str) -> Element:
    """The page as a tree of elements, the way a browser would read its tags."""
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


def remote_assets(page: Element) -> list[str]:
    """Anything that would make a browser fetch from the network: scripts, stylesheets,
    images, frames, or any src/srcset/data, and remote url(...) in inline CSS."""
    found = []
    for element in page.all():
        if element.tag in {"script", "link", "img", "iframe", "object", "embed", "audio", "video", "source"}:
            found.append(f"<{element.tag}>")
        for name in ("src", "srcset", "data", "background", "poster"):
            if element.attrs.get(name):
                found.append(f"<{element.tag} {name}>")
        if element.tag in {"use", "image", "feimage"}:
            href = element.attrs.get("href") or element.attrs.get("xlink:href") or ""
            if not href.startswith("#"):
                found.append(f"<{element.tag} href={href}>")
    for style in page.all("style"):
        css = style.text.lower()
        if "url(http" in css or "@import" in css or "url('http" in css or 'url("http' in css:
            found.append("remote url() in <style>")
    return found


# -- fixtures ----------------------------------------------------------------------------------


@pytest.fixture
def wm_only(ledger: Path) -> Path:
    """A private ledger holding West Midlands alone, so other forces' files cannot move the golden."""
    for path in (ledger / "forces").glob("*.yaml"):
        if path.name != f"{WM}.yaml":
            path.unlink()
    return ledger


def report(peel, ledger: Path, *args: str) -> str:
    result = peel("--data-dir", str(ledger), "report", *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def html_report(peel, ledger: Path, *args: str) -> tuple[str, Element]:
    text = report(peel, ledger, WM, "--format", "html", *args)
    return text, parse_html(text)


# -- Markdown ----------------------------------------------------------------------------------


def test_markdown_report_for_west_midlands_on_the_day_it_returned_to_scan(peel, wm_only):
    assert_golden("report-west-midlands-2024-09-18.md", report(peel, wm_only, WM, "--as-of", "2024-09-18"))


def test_the_header_says_phase_since_when_who_decided_and_as_of(peel, wm_only):
    text = report(peel, wm_only, WM, "--as-of", "2024-09-18")
    assert "- **Phase:** Scan since 2024-09-18 (0 days)" in text
    assert "- **Decided by:** Andy Cooke, HM Chief Inspector of Constabulary and Fire & Rescue Services" in text
    assert "- **As of:** 2024-09-18" in text


def test_markdown_is_the_default_format(peel, wm_only):
    assert report(peel, wm_only, WM).startswith("# West Midlands Police: HMICFRS monitoring\n")


def test_before_the_recommendations_were_closed_the_report_shows_them_open_and_overdue(peel, wm_only):
    text = report(peel, wm_only, WM, "--as-of", "2024-08-01")
    assert "- **Phase:** Engage since 2023-11-22 (253 days)" in text
    assert "- **Open:** 1 of 4 causes of concern; 5 recommendations (5 overdue)" in text
    assert "| rec-inv-skills | make sure staff" in text
    assert "| ~2024-06-22 | overdue 40 days |" in text, "a derived due date's ~ cannot strike anything through"
    assert "2024-09-17" not in text.split("## Chronology")[0], "a closure from after the as-of date leaked"


def test_metrics_appear_only_once_the_document_giving_them_was_out(peel, wm_only):
    before = report(peel, wm_only, WM, "--as-of", "2024-08-01")
    after = report(peel, wm_only, WM, "--as-of", "2024-09-18")
    assert "_No metric on record that was published by this date._" in before
    assert "| 2023-03-31 | 4.5 |" in after
    assert "| 2024-03-31 | 5.5 |" in after


RETURN_LETTER = (
    "https://hmicfrs.justiceinspectorates.gov.uk/publication-html/"
    "west-midlands-police-return-to-default-phase-of-monitoring-sept-24/"
)


def test_sources_are_cited_by_title_and_their_addresses_defined_once(peel, wm_only):
    text = report(peel, wm_only, WM, "--as-of", "2024-09-18")
    (definition,) = [line for line in text.splitlines() if line.endswith(f": {RETURN_LETTER}")]
    label = definition.split("]")[0] + "]"
    assert re.fullmatch(r"\[\d+\]", label), "labels are numbers peel gives, never text from the ledger"
    assert f"[West Midlands Police: return to default phase of monitoring]{label}" in text
    assert "return-letter-2024-09]" not in text, "a source is cited by its title, not its id"
    assert (
        "| West Midlands Police: return to default phase of monitoring | return-letter | 2024-09-18 "
        f"| <{RETURN_LETTER}> | return-letter-2024-09 |"
    ) in text


def test_a_source_id_that_looks_like_a_label_cannot_take_another_sources_address(peel, wm_only):
    """Issue 14: a citation label could collide with a source id and point to the wrong address."""
    data = str(wm_only)
    for args in (
        ["add-source", WM, "--id", "1", "--kind", "web-page", "--title", "one", "--url", "https://example.org/one"],
        [
            "add-source",
            WM,
            "--id",
            "link-1",
            "--kind",
            "web-page",
            "--title",
            "link-1",
            "--url",
            "https://example.org/l",
        ],
        [
            "add-afi",
            WM,
            "--id",
            "x",
            "--text",
            "cites both",
            "--raised",
            "2024-01",
            "--source",
            "1",
            "--source",
            "link-1",
        ],
    ):
        result = peel("--data-dir", data, *args)
        assert result.exit_code == 0, result.stderr
    tokens = MD.parse(report(peel, wm_only, WM))
    links = {(text, href) for text, href in _links(tokens)}
    assert ("one", "https://example.org/one") in links and ("link-1", "https://example.org/l") in links
    assert all(href.startswith("https://") for _, href in links)


def test_precedents_are_other_forces_returns_to_scan(peel, wm_only):
    (wm_only / "forces" / "kent.yaml").write_text(
        "slug: kent\nname: Kent Police\nphase_changes:\n"
        "  - phase: engage\n    decided_on: 2021-03-01\n    sources: [letter]\n"
        "  - phase: scan\n    decided_on: 2022-03-01\n    sources: [letter]\n"
        "sources:\n  - id: letter\n    kind: return-letter\n    title: A letter\n"
        "    url: https://example.org/kent\n",
        encoding="utf-8",
    )
    text = report(peel, wm_only, WM, "--as-of", "2024-09-18")
    assert "| Kent Police | 2022-03-01 | 0 of 0 |" in text


def test_markdown_keeps_hostile_text_inert(peel, wm_only):
    added = peel(
        "--data-dir", str(wm_only), "add-afi", WM, "--id", "x", "--text", HOSTILE, "--raised", "2024-01",
        "--source", "return-letter-2024-09",
    )  # fmt: skip
    assert added.exit_code == 0, added.stderr
    text = report(peel, wm_only, WM)
    assert HOSTILE not in text
    assert "\\<script\\>alert(1)\\</script\\>" in text


def test_an_unknown_force_is_refused_without_a_traceback(peel, wm_only):
    result = peel("--data-dir", str(wm_only), "report", "atlantis")
    assert result.exit_code == 1
    assert "unknown force or service 'atlantis'" in result.stderr  # the shipped registry lists services too


def test_a_force_without_a_file_is_refused_with_the_way_to_start_one(peel, wm_only):
    result = peel("--data-dir", str(wm_only), "report", "kent")
    assert result.exit_code == 1
    assert "peel add-force kent" in result.stderr


def test_an_impossible_as_of_date_is_a_usage_error(peel, wm_only):
    result = peel("--data-dir", str(wm_only), "report", WM, "--as-of", "2024-09-31")
    assert result.exit_code == 2
    assert "--as-of" in result.stderr


# -- HTML --------------------------------------------------------------------------------------


def test_html_is_one_self_contained_file(peel, wm_only):
    text, page = html_report(peel, wm_only, "--as-of", "2024-09-18")
    assert text.startswith("<!DOCTYPE html>")
    assert remote_assets(page) == []
    assert page.all("script") == []
    assert len(page.all("style")) == 1
    (policy,) = [m for m in page.all("meta") if m.attrs.get("http-equiv") == "Content-Security-Policy"]
    assert "default-src 'none'" in (policy.attrs["content"] or "")
    assert "@media print" in page.one("style").text


def test_html_has_every_part_of_the_board_paper(peel, wm_only):
    _, page = html_report(peel, wm_only, "--as-of", "2024-09-18")
    titles = [h.text for h in page.all("h2")]
    assert titles == [
        "Phase timeline",
        "Causes of concern",
        "Overdue recommendations",
        "What falls due in the 30 days from 2024-09-18",
        "Areas for improvement",
        "Metrics over time",
        "Assessment: return to Scan?",
        "Uncertain in the record",
        "Chronology",
        "Sources",
    ]
    causes = [h.text for h in page.one("section", id="causes").all("h3")]
    assert causes[-1] == (
        "Cause of concern coc-investigations: Effective investigations and satisfactory results for victims"
    )
    sentence = "A return to Scan is arguable on the record"
    assert page.one("section", id="assessment").one("span", cls="verdict").text == sentence
    assert page.one("header").one("span", cls="verdict").text == sentence


def test_html_sources_are_links_to_the_published_documents(peel, wm_only):
    _, page = html_report(peel, wm_only, "--as-of", "2024-09-18")
    hrefs = {a.attrs["href"] for a in page.all("a")}
    assert (
        "https://hmicfrs.justiceinspectorates.gov.uk/publication-html/"
        "west-midlands-police-return-to-default-phase-of-monitoring-sept-24/"
    ) in hrefs
    assert all(href.startswith("https://") for href in hrefs)


def test_html_escapes_every_text_from_the_ledger(peel, wm_only):
    data = str(wm_only)
    hostile_url = 'https://example.org/?q="><script>alert(2)</script>'
    odd_title = '"><img src=x onerror=alert(3)>'
    for args in (
        ["add-afi", WM, "--id", "x", "--text", HOSTILE, "--raised", "2024-01", "--source", "return-letter-2024-09"],
        ["add-rec", WM, "coc-investigations", "--id", "rec-x", "--text", f"{HOSTILE} & more", "--deadline", "<b>!</b>"],
        ["add-source", WM, "--id", "odd", "--kind", "web-page", "--title", odd_title, "--url", hostile_url],
        ["add-afi", WM, "--id", "y", "--text", "cites the odd source", "--raised", "2024-01", "--source", "odd"],
    ):
        result = peel("--data-dir", data, *args)
        assert result.exit_code == 0, result.stderr
    text, page = html_report(peel, wm_only)
    assert page.all("script") == [] and page.all("img") == [] and page.all("b") == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    cells = [td.text for td in page.all("td")]
    assert HOSTILE in cells  # the area for improvement, shown as text
    assert HOSTILE + " & more" in cells  # the recommendation
    assert "<b>!</b>" in cells
    assert odd_title in cells
    assert hostile_url in {a.attrs["href"] for a in page.all("a")}


def test_out_writes_the_file_and_prints_only_where(peel, wm_only, tmp_path):
    target = tmp_path / "board" / "wm.html"
    target.parent.mkdir()
    assert (
        peel(
            "--data-dir", str(wm_only), "report", WM, "-f", "html", "--as-of", "2024-01-01", "-o", str(target)
        ).exit_code
        == 0
    )
    older = target.read_text(encoding="utf-8")
    result = peel("--data-dir", str(wm_only), "report", WM, "--format", "html", "--out", str(target))
    assert result.exit_code == 0, result.stderr
    assert target.read_text(encoding="utf-8") != older
    assert result.stdout == f"wrote {target}\n"
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in target.parent.iterdir()] == ["wm.html"], "a temporary file was left behind"


def test_out_into_a_folder_is_refused(peel, wm_only, tmp_path):
    result = peel("--data-dir", str(wm_only), "report", WM, "--out", str(tmp_path))
    assert result.exit_code == 1
    assert "is a folder" in result.stderr


def test_out_into_a_missing_folder_is_refused(peel, wm_only, tmp_path):
    result = peel("--data-dir", str(wm_only), "report", WM, "--out", str(tmp_path / "nowhere" / "wm.md"))
    assert result.exit_code == 1
    assert "cannot write" in result.stderr


# -- what the report says ----------------------------------------------------------------------

VERDICT_TOKENS = ("justified", "arguable", "not-justified")


@pytest.mark.parametrize(
    ("force", "as_of", "sentence"),
    [
        (WM, "2024-08-01", "A return to Scan is not justified on the record"),
        (WM, "2024-09-18", "A return to Scan is arguable on the record"),
        (
            "gloucestershire",
            "2026-11-26",
            "A move into Engage is not justified on the record as it stood on 2026-03-05, when it ends",
        ),
    ],
)
def test_the_verdict_is_said_in_words_and_no_raw_token_is_shown(peel, ledger, force, as_of, sentence):
    text = report(peel, ledger, force, "--as-of", as_of)
    assert f"- **Assessment:** {sentence}" in text
    assert f"- **Verdict:** {sentence}" in text
    page = parse_html(report(peel, ledger, force, "--as-of", as_of, "--format", "html"))
    tags = page.all("span", cls="tag")
    assert {t.text for t in page.all("span", cls="verdict")} == {sentence}
    assert not [t for t in tags if t.text in VERDICT_TOKENS or t.text.endswith(VERDICT_TOKENS)]
    assert "not-justified" not in text and "not-justified" not in page.text
    assert not [cls for t in tags for cls in t.classes if cls.startswith("verdict-")], "a verdict must not be coloured"


def test_the_gloucestershire_report_says_which_causes_are_uncertain(peel, ledger):
    text = report(peel, ledger, "gloucestershire")
    assert (
        "- **Uncertain:** the record leaves the state of coc-crime-recording, coc-vulnerability, "
        "coc-investigating-crime and coc-call-handling in doubt (see Uncertain in the record)"
    ) in text
    call_handling = text.split("### Cause of concern coc-call-handling")[1].split("###")[0]
    assert (
        "- **Status:** open when the record ends (2026-03-05); uncertain: see Uncertain in the record" in call_handling
    )
    planning = text.split("### Cause of concern coc-strategic-planning")[1].split("###")[0]
    assert "- **Status:** closed 2023-04\n" in planning, "a cause no uncertainty names is not marked"
    assert "| closed 2021-05-17/2023-04 (uncertain) |" in planning
    assert "## Uncertain in the record" in text
    page = parse_html(report(peel, ledger, "gloucestershire", "--format", "html"))
    section = page.one("section", id="cause-coc-call-handling")
    assert section.one("span", cls="uncertain").text.startswith("open when the record ends")
    assert page.one("section", id="uncertain").all("tr")


def test_beyond_the_record_figures_say_the_day_they_hold_on(peel, wm_only):
    text = report(peel, wm_only, WM)  # today 2026-11-26; the record is checked to 2026-01-16
    assert "- **Record:** checked to 2026-01-16, before 2026-11-26: nothing later is known to peel" in text
    # the cause open at the return is in doubt from the next day (unc-wm-open-cause): it may have closed since
    assert "- **Open on 2026-01-16, when the record ends:** 0 to 1 of 4 causes of concern (1 possibly closed)" in text
    assert "## Overdue recommendations on 2026-01-16, when the record ends" in text
    assert "| ~2024-06-22 | 573 days (uncertain) |" in text
    assert "_Overdue recommendations: 0 to 2 (2 possibly closed)._" in text
    assert (
        "| Scan | 2024-09-18 | not known after 2026-03-05 | at least 533 days, to 2026-03-05: the national search "
        "of phase changes |"
    ) in text, "the phase is known to the national search's end; the days are at least, never 0"
    assert "| open |" not in text, "open beyond the record must say it is open when the record ends"


def test_dates_known_only_to_a_month_keep_their_precision(peel, ledger):
    text = report(peel, ledger, "gloucestershire")
    assert "| Engage | 2021-12 | 2023-09-20 | 628 to 658 days |" in text


OVERRIDDEN = """slug: kent
name: Kent Police
record_checked_to: 2022-06-01
record_checked_note: a made-up force file for this test
phase_changes:
  - phase: engage
    decided_on: 2022-03-01
    reason: the force asked for support
    assessment_overridden: true
    sources: [letter]
sources:
  - id: letter
    kind: phase-decision-letter
    title: A letter to Kent
    url: https://example.org/kent
"""


def test_a_move_recorded_with_override_is_shown_wherever_the_move_is(peel, wm_only):
    (wm_only / "forces" / "kent.yaml").write_text(OVERRIDDEN, encoding="utf-8")
    text = report(peel, wm_only, "kent", "--as-of", "2022-05-01")
    said = "recorded overriding peel's assessment, which called it not justified"
    assert f"- **Move recorded:** {said}; reason given: the force asked for support" in text
    phases = text.split("## Phase timeline")[1].split("## ")[0]
    assert f"| not recorded; {said}; reason given: the force asked for support |" in phases
    assert f"| Moved into Engage; {said}; reason given: the force asked for support |" in text
    page = parse_html(report(peel, wm_only, "kent", "--as-of", "2022-05-01", "--format", "html"))
    assert page.one("header").one("span", cls="overridden").text.startswith(said)


def test_the_html_report_draws_the_forces_own_timeline(peel, ledger):
    page = parse_html(report(peel, ledger, "gloucestershire", "--format", "html"))
    chart = page.one("section", id="phases").one("figure", cls="chart")
    labels = [row.one("div", cls="chart-label").children[0] for row in chart.all("div", cls="chart-row")[1:]]
    assert labels[0] == "In Engage" and "Call handling" in labels
    engage = chart.all("div", cls="chart-row")[1]
    kinds = [bar.classes for bar in engage.all("span", cls="bar")]
    assert {"bar", "engage", "uncertain"} in kinds, "Engage from 2021-12: the month is hatched"
    assert {"after-record"} <= kinds[-1], "after the record's end: drawn as not known"
    assert engage.all("span", cls="bar")[1].attrs["title"] == (
        "Gloucestershire Constabulary: Engage from 2021-12 to 2023-09-20 (start date known only to the month)"
    )


# -- hostile text through the writers: a property of each medium -------------------------------

MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])
ACTIVE = list("\\`*_[]<>|~$#@&!()-+=.:;\"'/?{}^%0123456789 \t\n\r")
TRICKS = [
    "![p](https://tracker.example/p.png)",
    "[click](https://evil.example/)",
    "[1]: https://evil.example/",
    "<https://evil.example/>",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "&lt;b&gt; &#60;i&#62; &amp;",
    "1. a list",
    "- a list",
    "# a heading",
    "> a quote",
    "---",
    "```",
    "    code",
    "| a | b |",
    "**bold** _em_ ~~gone~~ `code` $x^2$",
    "[^1] [!NOTE] @someone #12",
    "a\\",
    "\\",
    '"><svg onload=alert(1)>',
    "~2024-06-22",
    "a ~b~ c",
    "~x ~~y~~",
    "~~~",
    'cut off at "mak[…]"',
    "[from 2021] [x](y) [x][1] [1] [ 2 ] ![x] [^1] [!NOTE]",
    "[x]: https://evil.example/",
]
hostile = st.one_of(
    st.sampled_from(TRICKS),
    st.text(
        st.one_of(st.sampled_from(ACTIVE), st.characters(exclude_categories=("Cs",), exclude_characters="\x00")),
        max_size=40,
    ),
).filter(lambda text: text.split())
URL = "https://example.org/source"


def document_with(text: str, url: str = URL) -> Document:
    """``text`` in every place a writer puts ledger text: titles, facts, quotes, paragraphs, table
    headers and cells, tags, link texts, notes, the footer and a timeline."""
    day = date(2024, 1, 1)
    chart = Chart(
        text,
        day,
        date(2025, 1, 1),
        [ChartRow(Link(text, url), [Bar(day, date(2024, 6, 1), "engage", text)]), ChartRow(text)],
        (day, text),
        [("engage", True, text)],
    )
    return Document(
        text,
        [(text, text), ("Phase", Tag(text, "phase-engage")), ("Source", Link(text, url))],
        [
            Part(
                text,
                "part",
                facts=[(text, (Link(text, url), Link(text)))],
                quote=text,
                paragraphs=[text],
                table=Table(
                    [text, "Sources"], [[text, (Link(text, url), Link(text))], [Tag(text, "uncertain"), Link(url, url)]]
                ),
                figure=chart,
                notes=[text],
                parts=[Part(text, paragraphs=[text], collapsed=True)],
            )
        ],
        [text],
        text,
    )


def _flat(tokens) -> list:
    out = []
    for token in tokens:
        out.append(token)
        out += _flat(token.children or [])
    return out


def _shape(tokens) -> tuple[list, list[str]]:
    """Token kinds with link targets, and the texts: consecutive text tokens joined."""
    kinds, texts = [], []
    for token in _flat(tokens):
        if token.type == "text":
            if kinds and kinds[-1] == "text":
                texts[-1] += token.content
                continue
            texts.append(token.content)
        kinds.append((token.type, token.attrs.get("href")) if token.type != "text" else "text")
    return kinds, texts


def _links(tokens) -> list[tuple[str, str]]:
    flat = _flat(tokens)
    return [(flat[i + 1].content, t.attrs["href"]) for i, t in enumerate(flat) if t.type == "link_open"]


@settings(max_examples=300, deadline=None)
@given(hostile)
@example("![p](https://tracker.example/p.png)")
def test_markdown_renders_any_ledger_text_as_the_same_text_and_nothing_else(text):
    """Whatever the text, the document parses to the same nodes as with a plain word in its place:
    no link, image, HTML, code or emphasis comes from the text, and each place shows it as written,
    its whitespace folded and any other control or bidirectional character shown as <U+XXXX>."""
    plain = "PLACEHOLDER"
    kinds, texts = _shape(MD.parse(markdown(document_with(text))))
    plain_kinds, plain_texts = _shape(MD.parse(markdown(document_with(plain))))
    assert kinds == plain_kinds
    folded = visible(" ".join(text.split()))
    assert texts == [t.replace(plain, folded) for t in plain_texts]


@settings(max_examples=300, deadline=None)
@given(hostile)
@example("~2024-06-22 and a~b~c ~~d")
def test_no_tilde_left_bare_can_close_strikethrough_or_start_a_fence(text):
    """GitHub strikes through between single tildes too, which markdown-it-py does not parse: a
    tilde is left bare only where it cannot close one (after a space, or first), never beside
    another tilde (a fence, or a double run)."""
    escaped = md_escape(text)
    for at, char in enumerate(escaped):
        if char == "~" and not _escaped(escaped, at):
            assert at == 0 or escaped[at - 1] == " ", escaped
            assert escaped[at + 1 : at + 2] != "~", escaped


def _escaped(text: str, at: int) -> bool:
    """Whether the character at ``at`` follows an odd run of backslashes."""
    run = len(text[:at]) - len(text[:at].rstrip("\\"))
    return run % 2 == 1


def test_text_not_at_risk_is_not_escaped():
    """A report is pasted into word processors, which show every backslash."""
    assert md_escape("due ~2024-06-22") == "due ~2024-06-22"
    assert md_escape('cut off at "mak[…]" [from 2021]') == 'cut off at "mak[…]" [from 2021]'
    assert md_escape("[x](https://evil.example/) [1] a~b") == "\\[x\\](https://evil.example/) \\[1\\] a\\~b"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_markdown_links_only_go_to_the_address_given(tail):
    url = URL + "/" + tail
    links = _links(MD.parse(markdown(document_with("title", url))))
    assert links and all(href.startswith(URL + "/") for _, href in links)
    assert {text for text, _ in links} <= {"title", links[-1][0]}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, tuple[str, ...]]] = []
        self.values: list[str] = []
        self.hrefs: list[str | None] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, tuple(name for name, _ in attrs)))
        self.values += [value or "" for _, value in attrs]
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href"))

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self.tags.append((f"/{tag}", ()))

    def handle_data(self, data):
        self.text.append(data)


def _read(page: str) -> _Tags:
    parser = _Tags()
    parser.feed(page)
    parser.close()
    return parser


@settings(max_examples=300, deadline=None)
@given(hostile)
@example('"><script>alert(1)</script>')
def test_html_renders_any_ledger_text_as_text_never_as_a_tag_or_an_attribute(text):
    plain = "PLACEHOLDER"
    read, reference = _read(html_page(document_with(text))), _read(html_page(document_with(plain)))
    assert read.tags == reference.tags
    shown = visible_lines(text)  # controls but tabs and line breaks (spaces to HTML) shown as <U+XXXX>
    assert read.values == [v.replace(plain, shown) for v in reference.values]
    assert "".join(read.text) == "".join(reference.text).replace(plain, shown)


UNSAFE = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:x",
    "//evil.example/",
    " //evil.example/",
    "\t//evil.example/",
    "\\\\evil.example/",
    "/\\evil.example/",
    "https:evil.example",
    "file:///etc/passwd",
]


@pytest.mark.parametrize("url", UNSAFE)
def test_no_address_that_leaves_for_another_host_or_runs_code_becomes_a_link(url):
    assert not safe_href(url)
    page = html_page(Document("t", [("Source", Link("the source", url))]))
    assert "href" not in page.split("<main>")[0].split("</h1>")[1]
    assert "](" not in markdown(Document("t", [("Source", Link("the source", url))]))


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.sampled_from(UNSAFE), st.text(max_size=30)))
def test_an_address_becomes_a_link_only_when_it_is_safe(url):
    read = _read(html_page(Document("t", [("Source", Link("the source", url))])))
    encoded = "".join(quote(ch, safe="", errors="surrogatepass") if UNSAFE_CHARACTER.match(ch) else ch for ch in url)
    assert read.hrefs == ([encoded] if safe_href(url) else [])  # its controls percent-encoded


def test_no_sentence_of_a_report_is_addressed_to_someone_running_peel(peel):
    """A board paper is read by people who never run peel: no command, option or JSON is named
    in any shipped force's or service's report (Markdown and HTML are the same document)."""
    commands = "|".join(sorted(typer.main.get_command(build_app()).commands, key=len, reverse=True))
    programmer = re.compile(rf"JSON|--[a-z]|\bpeel ({commands})\b")
    for path in sorted((DATA / "forces").glob("*.yaml")):
        text = report(peel, DATA, path.stem)
        assert not programmer.findall(text), (path.stem, programmer.findall(text))
