"""peel site: a static site of the whole ledger that works from a folder, offline, in a browser.

The browser tests drive Debian's Chromium headless against the pages on disk (``file://``) and
read back the DOM it rendered; they skip only when no Chromium is installed.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from test_report import HOSTILE, Element, parse_html, remote_assets

WM = "west-midlands"
FORCES_IN_REGISTRY = 43


def build(peel, ledger: Path, out: Path, *args: str) -> Path:
    result = peel("--data-dir", str(ledger), "site", str(out), *args)
    assert result.exit_code == 0, result.stderr
    return out


def page(path: Path) -> Element:
    return parse_html(path.read_text(encoding="utf-8"))


def force_rows(index: Element) -> list[Element]:
    return index.one("section", id="forces").one("tbody").all("tr")


def edit(peel, ledger: Path, *args: str) -> None:
    result = peel("--data-dir", str(ledger), *args)
    assert result.exit_code == 0, result.stderr


@pytest.fixture
def crafted(peel, ledger: Path) -> Path:
    """A private ledger holding hostile texts and a move into Engage dated only to a year."""
    edit(peel, ledger, "add-rec", WM, "coc-investigations", "--id", "rec-hostile", "--text", HOSTILE)
    (ledger / "forces" / "kent.yaml").unlink(missing_ok=True)
    edit(peel, ledger, "add-force", "kent", "--name", "<img src=x onerror=alert(2)>Kent")
    (ledger / "forces" / "norfolk.yaml").write_text(
        "slug: norfolk\nname: Norfolk Constabulary\nphase_changes:\n"
        "  - phase: engage\n    decided_on: 2019\n    sources: [page]\n"
        "sources:\n  - id: page\n    kind: web-page\n    title: A page\n    url: https://example.org/norfolk\n",
        encoding="utf-8",
    )
    return ledger


# -- the pages ---------------------------------------------------------------------------------


def test_the_index_lists_all_43_forces_with_a_page_each(peel, ledger, tmp_path):
    site = build(peel, ledger, tmp_path / "site")
    rows = force_rows(page(site / "index.html"))
    assert len(rows) == FORCES_IN_REGISTRY
    assert len(list((site / "forces").glob("*.html"))) == FORCES_IN_REGISTRY
    (wm,) = [r for r in rows if r.all("a") and r.one("a").attrs["href"] == f"forces/{WM}.html"]
    cells = [td.text for td in wm.all("td")]
    assert cells[:2] == ["West Midlands Police", "Scan"]
    assert cells[2] == "2024-09-18"


def test_a_force_with_no_file_shows_scan_and_no_recorded_history(peel, ledger, tmp_path):
    (ledger / "forces" / "kent.yaml").unlink(missing_ok=True)
    site = build(peel, ledger, tmp_path / "site")
    (kent,) = [r for r in force_rows(page(site / "index.html")) if r.one("a").attrs["href"] == "forces/kent.html"]
    assert [td.text for td in kent.all("td")][:3] == ["Kent Police", "Scan", "no recorded history"]
    assert "No recorded history" in [h.text for h in page(site / "forces" / "kent.html").all("h2")]


def test_days_in_phase_and_open_counts_as_of_a_day(peel, ledger, tmp_path):
    site = build(peel, ledger, tmp_path / "site", "--as-of", "2024-08-01")
    (wm,) = [r for r in force_rows(page(site / "index.html")) if r.one("a").attrs["href"] == f"forces/{WM}.html"]
    assert [td.text for td in wm.all("td")] == [
        "West Midlands Police",
        "Engage",
        "2023-11-22",
        "253 days",
        "1",
        "5",
        "5",
    ]


def test_a_force_page_is_its_html_report_with_a_way_back(peel, ledger, tmp_path):
    site = build(peel, ledger, tmp_path / "site")
    wm = page(site / "forces" / f"{WM}.html")
    assert wm.one("nav").one("a").attrs["href"] == "../index.html"
    assert "Cause of concern coc-investigations" in wm.one("section", id="causes").text


def test_links_are_relative_and_every_one_inside_the_site_leads_to_a_page(peel, crafted, tmp_path):
    site = build(peel, crafted, tmp_path / "site")
    for path in site.rglob("*.html"):
        html = page(path)
        assert remote_assets(html) == [], path
        for link in html.all("a"):
            href = link.attrs["href"] or ""
            parts = urlsplit(href)
            if parts.scheme in ("http", "https"):
                continue  # a source document: a link the reader may follow, not an asset
            assert not parts.scheme and not href.startswith("/"), f"{path}: {href}"
            assert (path.parent / parts.path).resolve().is_file(), f"{path}: broken link {href}"


def test_the_national_timeline_draws_engage_periods_against_the_years(peel, crafted, tmp_path):
    site = build(peel, crafted, tmp_path / "site", "--as-of", "2024-08-01")
    svg = page(site / "index.html").one("section", id="timeline").one("svg")
    assert {t.text for t in svg.all("text", cls="year-label")} >= {"2019", "2020", "2023", "2024"}
    periods = {p.one("title").text: p for p in svg.all("g", cls="period")}
    assert "West Midlands Police: Engage from 2023-11-22 still in Engage on 2024-08-01" in periods
    norfolk = periods[
        "Norfolk Constabulary: Engage from 2019 still in Engage on 2024-08-01 (start date known only to the year)"
    ]
    uncertain, solid = norfolk.all("rect")
    assert uncertain.classes == {"engage", "uncertain"} and solid.classes == {"engage"}
    assert float(uncertain.attrs["x"]) < float(solid.attrs["x"])


def test_a_file_as_outdir_is_refused(peel, ledger, tmp_path):
    occupied = tmp_path / "site"
    occupied.write_text("not a folder", encoding="utf-8")
    result = peel("--data-dir", str(ledger), "site", str(occupied))
    assert result.exit_code == 1
    assert "exists and is not a folder" in result.stderr
    assert occupied.read_text(encoding="utf-8") == "not a folder"


def test_an_invalid_force_file_is_marked_and_reported(peel, ledger, tmp_path):
    (ledger / "forces" / "kent.yaml").write_text("slug: kent\nname: [\n", encoding="utf-8")
    result = peel("--data-dir", str(ledger), "site", str(tmp_path / "site"))
    assert result.exit_code == 1
    assert "kent.yaml" in result.stderr
    rows = force_rows(page(tmp_path / "site" / "index.html"))
    (kent,) = [r for r in rows if r.all("td")[0].text == "Kent Police"]
    assert kent.all("td")[1].text == "invalid file"


# -- in a browser ------------------------------------------------------------------------------


def chromium_binary() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else None


@pytest.fixture
def browser(tmp_path):
    """Run headless Chromium on a local page with a throwaway profile; returns its stdout."""
    binary = chromium_binary()
    if binary is None:
        pytest.skip("no Chromium found (install Debian's: apt-get install chromium): browser tests need one")
    profile = tmp_path / "chromium-profile"

    def run(target: Path, *args: str) -> str:
        command = [
            binary,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            f"--user-data-dir={profile}",
            *args,
            target.resolve().as_uri(),
        ]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
        except subprocess.TimeoutExpired:
            pytest.fail(f"Chromium did not finish: {' '.join(command)}")
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    return run


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def test_chromium_renders_the_index_with_all_forces_and_the_timeline(peel, crafted, tmp_path, browser):
    site = build(peel, crafted, tmp_path / "site")
    dom = parse_html(browser(site / "index.html", "--dump-dom"))
    assert len(force_rows(dom)) == FORCES_IN_REGISTRY
    svg = dom.one("section", id="timeline").one("svg")
    assert len(svg.all("rect", cls="engage")) >= 2
    assert svg.all("line", cls="year")
    # the hostile force name is text in the table and the timeline, never an element
    assert dom.all("img") == [] and dom.all("script") == []
    assert "<img src=x onerror=alert(2)>Kent" in [td.text for td in dom.all("td")]


def test_chromium_renders_a_force_page_with_its_causes_and_hostile_text_as_text(peel, crafted, tmp_path, browser):
    site = build(peel, crafted, tmp_path / "site")
    dom = parse_html(browser(site / "forces" / f"{WM}.html", "--dump-dom"))
    causes = [h.text for h in dom.one("section", id="causes").all("h3")]
    assert len(causes) == 4 and causes[-1].startswith("Cause of concern coc-investigations")
    assert dom.all("script") == []
    assert HOSTILE in [td.text for td in dom.all("td")]


def test_chromium_takes_a_screenshot_of_the_index(peel, crafted, tmp_path, browser):
    site = build(peel, crafted, tmp_path / "site")
    shot = tmp_path / "index.png"
    browser(site / "index.html", f"--screenshot={shot}", "--window-size=1280,2000", "--hide-scrollbars")
    assert shot.is_file()
    assert png_size(shot) == (1280, 2000)
    assert shot.stat().st_size > 30_000, "the screenshot looks blank"
