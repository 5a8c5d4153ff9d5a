"""peel report: one force's record as a board paper, in Markdown or self-contained HTML."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import assert_golden

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
    assert "| ~2024-06-22 | overdue 40 days |" in text
    assert "2024-09-17" not in text.split("## Chronology")[0], "a closure from after the as-of date leaked"


def test_metrics_appear_only_once_the_document_giving_them_was_out(peel, wm_only):
    before = report(peel, wm_only, WM, "--as-of", "2024-08-01")
    after = report(peel, wm_only, WM, "--as-of", "2024-09-18")
    assert "_No metric on record that was published by this date._" in before
    assert "| 2023-03-31 | 4.5 |" in after
    assert "| 2024-03-31 | 5.5 |" in after


def test_sources_are_links_defined_once(peel, wm_only):
    text = report(peel, wm_only, WM, "--as-of", "2024-09-18")
    assert "[return-letter-2024-09][]" in text
    definitions = [line for line in text.splitlines() if line.startswith("[return-letter-2024-09]: ")]
    assert definitions == [
        "[return-letter-2024-09]: https://hmicfrs.justiceinspectorates.gov.uk/publication-html/"
        "west-midlands-police-return-to-default-phase-of-monitoring-sept-24/"
    ]


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
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_an_unknown_force_is_refused_without_a_traceback(peel, wm_only):
    result = peel("--data-dir", str(wm_only), "report", "atlantis")
    assert result.exit_code == 1
    assert "unknown force 'atlantis'" in result.stderr


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
        "Areas for improvement",
        "Metrics over time",
        "Assessment: return to Scan?",
        "Chronology",
        "Sources",
    ]
    causes = [h.text for h in page.one("section", id="causes").all("h3")]
    assert causes[-1] == (
        "Cause of concern coc-investigations: Effective investigations and satisfactory results for victims"
    )
    assert page.one("section", id="assessment").one("span", cls="verdict-arguable").text == "arguable"
    assert page.one("header").one("span", cls="verdict-arguable").text == "Return to Scan: arguable"


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
    target.write_text("an older report", encoding="utf-8")
    result = peel("--data-dir", str(wm_only), "report", WM, "--format", "html", "--out", str(target))
    assert result.exit_code == 0, result.stderr
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
