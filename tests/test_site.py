"""peel site: a static site of the whole ledger that works from a folder, offline, in a browser,
on a phone as on a desktop.

The browser tests drive Debian's Chromium headless against the pages on disk (``file://``) and
read back the DOM it rendered; they skip only when no Chromium is installed. The pages carry no
script (their policy forbids one): measurements come from a separate test page that frames them.
Screenshots go to ``PEEL_SCREENSHOTS`` when set, else to pytest's temporary folder.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import struct
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import DATA, run_peel
from test_report import HOSTILE, Element, parse_html, remote_assets

WM = "west-midlands"
FORCES_IN_REGISTRY = 43 + 44  # police forces and fire and rescue services
SECTORS = ("police", "fire")
LISTS = ("engage", "on-record", "no-record")
"""The front page's lists, once for each sector: ``police-engage``, ..., ``fire-no-record``."""
PHONE, DESKTOP = 390, 1280


def build(peel, ledger: Path, out: Path, *args: str) -> Path:
    result = peel("--data-dir", str(ledger), "site", str(out), *args)
    assert result.exit_code == 0, result.stderr
    return out


def page(path: Path) -> Element:
    return parse_html(path.read_text(encoding="utf-8"))


def rows_of(index: Element, section: str) -> list[Element]:
    return index.one("section", id=section).one("tbody").all("tr")


def listed_rows(index: Element) -> list[Element]:
    """Every row of the front page's lists, each sector's in turn (a list with no one in it has
    no table)."""
    sections = (f"{sector}-{listed}" for sector in SECTORS for listed in LISTS)
    return [
        row
        for section in sections
        for row in (rows_of(index, section) if index.one("section", id=section).all("tbody") else [])
    ]


def row_of(index: Element, slug: str) -> list[str]:
    for row in listed_rows(index):
        if any(a.attrs.get("href") == f"forces/{slug}.html" for a in row.all("a")):
            return [td.text for td in row.all("td")]
    raise AssertionError(f"no row for {slug}")


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


# -- the front page ----------------------------------------------------------------------------


def test_the_index_leads_with_engage_then_the_forces_on_record_then_the_rest_folded(peel, ledger, tmp_path):
    """Each sector a part of its own, the police forces first, each leading with its Engage list."""
    site = build(peel, ledger, tmp_path / "site", "--as-of", "2024-08-01")
    index = page(site / "index.html")
    sections = [s.attrs.get("id") for s in index.one("main").all("section")]
    assert sections == [
        name
        for sector in SECTORS
        for name in (
            f"sector-{sector}",
            *(f"{sector}-{part}" for part in ("engage", "on-record", "timeline", "no-record")),
        )
    ]
    engage = [r.all("td")[0].text for r in rows_of(index, "police-engage")]
    assert "West Midlands Police" in engage
    on_record = [r.all("td")[0].text for r in rows_of(index, "police-on-record")]
    assert "West Midlands Police" not in on_record and "Wiltshire Police" in on_record
    assert [r.all("td")[0].text for r in rows_of(index, "fire-engage")] == [
        "Buckinghamshire Fire and Rescue Service",
        "Gloucestershire Fire and Rescue Service",
    ]  # London Fire Brigade had returned to Scan in March 2024
    for sector in SECTORS:
        rest = index.one("section", id=f"{sector}-no-record")
        assert rest.one("details").attrs.get("open") is None, "the forces with no history are folded away"
    assert len(listed_rows(index)) == FORCES_IN_REGISTRY
    assert len(list((site / "forces").glob("*.html"))) == FORCES_IN_REGISTRY


def test_the_headline_count_says_the_day_it_rests_on(peel, ledger, tmp_path):
    site = build(peel, ledger, tmp_path / "site", "--as-of", "2024-08-01")
    index = page(site / "index.html")
    for sector, counted in (("police", "4 of 43 forces"), ("fire", "2 of 44 services")):
        facts = index.one("section", id=f"sector-{sector}").all("dl", cls="facts")[0]
        headline = dict(zip([dt.text for dt in facts.all("dt")], [dd.text for dd in facts.all("dd")], strict=True))
        assert headline["In Engage on 2024-08-01"] == counted, sector


def test_days_in_phase_and_open_counts_as_of_a_day(peel, ledger, tmp_path):
    site = build(peel, ledger, tmp_path / "site", "--as-of", "2024-08-01")
    assert row_of(page(site / "index.html"), WM) == [
        "West Midlands Police",
        "Engage",
        "2023-11-22",
        "253 days",
        "1",
        "5",
        "5",
        "2026-01-16",
    ]


def test_a_row_beyond_its_record_says_its_figures_hold_when_the_record_ends(peel, ledger, tmp_path):
    site = build(peel, ledger, tmp_path / "site")  # today 2026-11-26
    cells = row_of(page(site / "index.html"), WM)
    assert cells[3] == "at least 533 days, to 2026-03-05"
    assert cells[7] == (
        "2026-01-16: counts hold on that day; phase known to 2026-03-05 (the national search of phase changes)"
    )


def test_uncertain_causes_are_marked_on_the_index(peel, ledger, tmp_path):
    site = build(peel, ledger, tmp_path / "site")
    index = page(site / "index.html")
    (glos,) = [r for r in rows_of(index, "police-on-record") if r.all("td")[0].text == "Gloucestershire Constabulary"]
    assert glos.all("td")[4].one("span", cls="uncertain").text == "0 to 1 (1 possibly closed)"


def test_a_force_with_no_file_is_in_the_folded_list_and_has_a_page_saying_so(peel, ledger, tmp_path):
    site = build(peel, ledger, tmp_path / "site")
    assert row_of(page(site / "index.html"), "kent") == ["Kent Police", "Scan (default)"]
    assert "No recorded history" in [h.text for h in page(site / "forces" / "kent.html").all("h2")]


def test_a_force_page_is_its_html_report_with_its_own_timeline_and_a_way_back(peel, ledger, tmp_path):
    site = build(peel, ledger, tmp_path / "site")
    wm = page(site / "forces" / f"{WM}.html")
    assert wm.one("nav").one("a").attrs["href"] == "../index.html"
    assert "Cause of concern coc-investigations" in wm.one("section", id="causes").text
    assert wm.one("section", id="phases").one("figure", cls="chart").all("span", cls="engage")


def test_sources_are_shown_by_title_with_their_addresses(peel, ledger, tmp_path):
    site = build(peel, ledger, tmp_path / "site")
    wm = page(site / "forces" / f"{WM}.html")
    (cited,) = wm.one("section", id="phases").all("tr")[2].all("td")[5].all("a")[:1]
    assert cited.text == "West Midlands Police: return to default phase of monitoring"
    assert "return-letter-2024-09" not in [a.text for a in wm.all("a")]
    listed = {
        tr.all("td")[0].text: tr.all("td")[3].text for tr in wm.one("section", id="sources").one("tbody").all("tr")
    }
    assert listed["West Midlands Police: return to default phase of monitoring"] == cited.attrs["href"]


def test_a_move_recorded_with_override_is_marked_on_the_index(peel, ledger, tmp_path):
    from test_report import OVERRIDDEN

    (ledger / "forces" / "kent.yaml").write_text(OVERRIDDEN, encoding="utf-8")
    site = build(peel, ledger, tmp_path / "site", "--as-of", "2022-05-01")
    since = row_of(page(site / "index.html"), "kent")[2]
    assert since == "2022-03-01, recorded overriding peel's assessment"


def test_links_are_relative_and_every_one_inside_the_site_leads_to_a_page(peel, crafted, tmp_path):
    site = build(peel, crafted, tmp_path / "site")
    for path in site.rglob("*.html"):
        html_page = page(path)
        assert remote_assets(html_page) == [], path
        for link in html_page.all("a"):
            href = link.attrs["href"] or ""
            parts = urlsplit(href)
            if parts.scheme in ("http", "https"):
                continue  # a source document: a link the reader may follow, not an asset
            assert not parts.scheme and not href.startswith("/"), f"{path}: {href}"
            assert (path.parent / parts.path).resolve().is_file(), f"{path}: broken link {href}"


def test_the_national_timeline_draws_engage_periods_against_the_years(peel, crafted, tmp_path):
    site = build(peel, crafted, tmp_path / "site", "--as-of", "2024-08-01")
    chart = page(site / "index.html").one("section", id="police-timeline").one("figure", cls="chart")
    assert {y.text for y in chart.all("span", cls="chart-year")} >= {"2019", "2020", "2023", "2024"}
    bars = [bar for row in chart.all("div", cls="chart-row") for bar in row.all("span", cls="bar")]
    titles = {bar.attrs["title"] for bar in bars}
    assert "West Midlands Police: Engage from 2023-11-22 still in Engage on 2024-08-01" in titles
    norfolk = [
        bar
        for bar in bars
        if bar.attrs["title"] == "Norfolk Constabulary: Engage from 2019 still in Engage on 2024-08-01 "
        "(start date known only to the year)"
    ]
    assert [bar.classes for bar in norfolk] == [{"bar", "engage", "uncertain"}, {"bar", "engage"}]
    left = [float(re.search(r"left:([\d.]+)%", bar.attrs["style"])[1]) for bar in norfolk]
    assert left[0] < left[1]
    labels = [row.one("div", cls="chart-label").text for row in chart.all("div", cls="chart-row")[1:]]
    assert "Kent Police" not in labels, "a force never in Engage has no row"


def test_the_timeline_shows_where_each_record_ends(peel, ledger, tmp_path):
    site = build(peel, ledger, tmp_path / "site")  # today 2026-11-26, after every record's end
    for sector, known_to in (("police", "2026-03-05"), ("fire", "2026-02-17")):
        chart = page(site / "index.html").one("section", id=f"{sector}-timeline")
        tails = [
            bar.attrs["title"]
            for row in chart.all("div", cls="chart-row")
            for bar in row.all("span", cls="after-record")
        ]
        assert f"after {known_to}, where what peel knows of its phase ends: not known to peel" in tails, sector


def test_a_force_still_in_engage_when_its_phase_is_last_known_has_a_tail_and_says_so(peel, ledger, tmp_path):
    """Issue 18: Lincolnshire, still in Engage when the record ends, was drawn like a force that
    had left: its bar stopped dead. It fades out after the last day its phase is known, and the
    words beside its name say so without hovering."""
    site = build(peel, ledger, tmp_path / "site")
    chart = page(site / "index.html").one("section", id="police-timeline")
    rows = {row.one("div", cls="chart-label").children[0].text: row for row in chart.all("div", cls="chart-row")[1:]}
    lincolnshire, west_midlands = rows["Lincolnshire Police"], rows["West Midlands Police"]
    assert lincolnshire.one("span", cls="chart-note").text == "still in Engage on 2026-03-05: not known after"
    (tail,) = lincolnshire.all("span", cls="engage-tail")
    assert tail.attrs["title"] == "Lincolnshire Police: still in Engage on 2026-03-05: not known after"
    assert not west_midlands.all("span", cls="engage-tail") and not west_midlands.all("span", cls="chart-note")
    assert west_midlands.all("span", cls="after-record"), "a force that left Engage: the time after is not known"
    keys = [key.text for key in chart.all("span", cls="key")]
    assert "in Engage when last known: not known after" in keys


def test_the_site_is_built_in_one_pass_over_the_forces_not_one_per_page(peel, ledger, tmp_path, monkeypatch):
    """Issue 14: precedents were recomputed over all forces for every page."""
    import peelcli.assess

    for i in range(60):
        (ledger / "forces" / f"extra-force-{i}.yaml").write_text(
            f"slug: extra-force-{i}\nname: Extra Force {i}\n", encoding="utf-8"
        )
    calls: list[tuple[str, bool]] = []
    real = peelcli.assess.returns

    def counted(force):
        found = real(force)
        calls.append((force.slug, bool(found)))
        return found

    monkeypatch.setattr(peelcli.assess, "returns", counted)
    build(peel, ledger, tmp_path / "site")
    pages = FORCES_IN_REGISTRY + 60
    returned = len({slug for slug, found in calls if found})
    assert len(calls) <= pages + pages * returned, "returns to Scan are looked up only among forces that have one"


def test_an_invalid_force_file_writes_nothing_and_leaves_the_folder_as_it_was(peel, ledger, tmp_path):
    """Issue 18: with a broken Lincolnshire file, peel site wrote 40 pages whose index said "No
    force is in Engage". A site publishes the whole ledger or nothing."""
    site = build(peel, ledger, tmp_path / "site")
    before = {path: path.read_bytes() for path in site.rglob("*") if path.is_file()}
    (ledger / "forces" / "lincolnshire.yaml").write_text("slug: lincolnshire\nname: [\n", encoding="utf-8")
    result = peel("--data-dir", str(ledger), "site", str(site))
    assert result.exit_code == 1
    assert "lincolnshire.yaml:" in result.stderr
    assert "nothing was written" in result.stderr
    assert {path: path.read_bytes() for path in site.rglob("*") if path.is_file()} == before
    fresh = tmp_path / "fresh"
    assert peel("--data-dir", str(ledger), "site", str(fresh)).exit_code == 1
    assert not fresh.exists()


# -- the folder --------------------------------------------------------------------------------


def refused(peel, ledger: Path, out: Path, *, env: dict | None = None) -> str:
    result = peel("--data-dir", str(ledger), "site", str(out), env=env)
    assert result.exit_code == 1, result.stdout
    assert len(result.stderr.splitlines()) == 1, result.stderr
    return result.stderr


def test_a_file_as_outdir_is_refused(peel, ledger, tmp_path):
    occupied = tmp_path / "site"
    occupied.write_text("not a folder", encoding="utf-8")
    assert "exists and is not a folder" in refused(peel, ledger, occupied)
    assert occupied.read_text(encoding="utf-8") == "not a folder"


def test_a_folder_holding_other_files_is_refused_and_left_alone(peel, ledger, tmp_path):
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "index.html").write_text("my own page", encoding="utf-8")
    assert "holds no site peel wrote (no .peel-site file)" in refused(peel, ledger, folder)
    assert [p.name for p in folder.iterdir()] == ["index.html"]
    assert (folder / "index.html").read_text(encoding="utf-8") == "my own page"


def test_the_root_the_home_folder_and_the_ledger_are_refused(peel, ledger, tmp_path):
    assert "is the root of the file system" in refused(peel, ledger, Path("/"))
    home = tmp_path / "home"
    home.mkdir()
    assert "is your home folder" in refused(peel, ledger, home, env={"HOME": str(home)})
    assert "holds or is inside the ledger" in refused(peel, ledger, ledger)
    assert "holds or is inside the ledger" in refused(peel, ledger, ledger / "site")
    assert "holds or is inside the ledger" in refused(peel, ledger, ledger.parent)
    assert not (ledger / "site").exists()


def test_a_rebuild_replaces_the_site_and_removes_pages_no_longer_made(peel, ledger, tmp_path):
    extra = ledger / "forces" / "test-force.yaml"
    extra.write_text("slug: test-force\nname: Test Force\n", encoding="utf-8")
    site = build(peel, ledger, tmp_path / "site")
    assert (site / "forces" / "test-force.html").is_file()
    manifest = (site / ".peel-site").read_text(encoding="utf-8").splitlines()
    assert "forces/test-force.html" in manifest and "index.html" in manifest
    extra.unlink()
    result = peel("--data-dir", str(ledger), "site", str(site))
    assert result.exit_code == 0, result.stderr
    assert "removed 1 no longer made" in result.stdout
    assert not (site / "forces" / "test-force.html").exists()
    assert "forces/test-force.html" not in (site / ".peel-site").read_text(encoding="utf-8")
    assert sorted(p.name for p in site.iterdir()) == [".peel-site", "forces", "index.html"]


def test_a_file_added_to_a_built_site_makes_a_rebuild_refuse(peel, ledger, tmp_path):
    site = build(peel, ledger, tmp_path / "site")
    (site / "forces" / "notes.txt").write_text("mine", encoding="utf-8")
    assert "forces/notes.txt: error: was not written by peel site" in refused(peel, ledger, site)
    assert (site / "forces" / "notes.txt").read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize("planted", ["index.html", "forces/kent.html", ".peel-site"])
def test_a_symbolic_link_planted_in_the_site_is_refused_and_its_target_untouched(peel, ledger, tmp_path, planted):
    """Issue 14: ``index.html -> ~/file`` made peel write through the link into the user's file."""
    site = build(peel, ledger, tmp_path / "site")
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    (site / planted).unlink()
    (site / planted).symlink_to(victim)
    message = refused(peel, ledger, site)
    assert "symbolic link" in message or "holds no site peel wrote" in message
    assert victim.read_text(encoding="utf-8") == "precious"


def test_a_linked_forces_folder_is_refused(peel, ledger, tmp_path):
    site = build(peel, ledger, tmp_path / "site")
    elsewhere = tmp_path / "elsewhere"
    shutil.move(site / "forces", elsewhere)
    (site / "forces").symlink_to(elsewhere, target_is_directory=True)
    assert "forces: error: is a symbolic link" in refused(peel, ledger, site)


def test_a_manifest_listing_other_files_is_refused(peel, ledger, tmp_path):
    site = build(peel, ledger, tmp_path / "site")
    (site / ".peel-site").write_text("index.html\n../../home/user/.bashrc\n", encoding="utf-8")
    assert "lists files peel site does not write" in refused(peel, ledger, site)


# -- in a browser ------------------------------------------------------------------------------


def chromium_binary() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else None


def run_chromium(profile: Path, target: Path, *args: str) -> str:
    """Headless Chromium on a local page with a throwaway profile and no network; its stdout."""
    binary = chromium_binary()
    if binary is None:
        pytest.skip("no Chromium found (install Debian's: apt-get install chromium): browser tests need one")
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
        "--hide-scrollbars",
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


@pytest.fixture
def browser(tmp_path):
    return lambda target, *args: run_chromium(tmp_path / "chromium-profile", target, *args)


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


MEASURE = """<!DOCTYPE html>
<html><body><pre id="measured">not measured</pre>
<script>
// Runs in this test page only: each page of the site is framed at the width under test, its
// folded parts opened, then measured: how wide it lays out, and the smallest text drawn
// (scaled SVG text at the size it is drawn).
window.addEventListener("load", () => {
  const found = {};
  for (const frame of document.querySelectorAll("iframe")) {
    const doc = frame.contentDocument, win = frame.contentWindow, root = doc.documentElement;
    const shown = root.scrollHeight;  // as a visitor first sees it, folded parts folded
    doc.querySelectorAll("details").forEach((details) => { details.open = true; });
    let smallest = Infinity, where = "";
    const walker = doc.createTreeWalker(doc.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode, element = node.parentElement;
      if (!node.textContent.trim() || !element.getClientRects().length) continue;
      let size = parseFloat(win.getComputedStyle(element).fontSize);
      if (element instanceof win.SVGElement) {
        const m = element.getScreenCTM();
        size *= Math.sqrt(Math.abs(m.a * m.d - m.b * m.c));
      }
      if (size < smallest) { smallest = size; where = node.textContent.trim().slice(0, 40); }
    }
    found[frame.dataset.page] = {
      viewport: win.innerWidth, scrollWidth: root.scrollWidth, clientWidth: root.clientWidth,
      height: shown, smallest: smallest, where: where,
    };
  }
  document.getElementById("measured").textContent = JSON.stringify(found);
});
</script>
{frames}
</body></html>
"""


@pytest.fixture(scope="module")
def shipped_site(tmp_path_factory) -> Path:
    """The site of the shipped ledger, built once for the browser measurements."""
    ledger = tmp_path_factory.mktemp("ledger") / "data"
    shutil.copytree(DATA, ledger)
    out = tmp_path_factory.mktemp("site") / "site"
    result = run_peel("--data-dir", str(ledger), "site", str(out))
    assert result.exit_code == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def measured(shipped_site, tmp_path_factory):
    """Width and smallest text of the index and every force page, at a phone's and a desktop's
    width: every page framed at both widths on one test page, in one Chromium run."""
    folder = tmp_path_factory.mktemp("measure")
    pages = ["index.html", *sorted(f"forces/{p.name}" for p in (shipped_site / "forces").glob("*.html"))]
    frames = "\n".join(
        f'<iframe data-page="{width} {name}" src="{(shipped_site / name).as_uri()}" '
        f'style="display:block;border:0;width:{width}px;height:600px"></iframe>'
        for width in (PHONE, DESKTOP)
        for name in pages
    )
    harness = folder / "measure.html"
    harness.write_text(MEASURE.replace("{frames}", frames), encoding="utf-8")
    dom = run_chromium(
        folder / "profile",
        harness,
        "--allow-file-access-from-files",
        "--virtual-time-budget=30000",
        f"--window-size={DESKTOP + 40},800",
        "--dump-dom",
    )
    text = re.search(r'<pre id="measured">(.*?)</pre>', dom, re.S)
    assert text is not None and text[1] != "not measured", "the measuring page did not run"
    found: dict[int, dict] = {PHONE: {}, DESKTOP: {}}
    for key, measures in json.loads(html.unescape(text[1])).items():
        width, name = key.split(" ", 1)
        found[int(width)][name] = measures
    assert set(found[PHONE]) == set(found[DESKTOP]) == set(pages)
    return found


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_no_page_scrolls_sideways(measured, width):
    """Issue 12: at 390 px the index was 992 px wide; tables and timelines now fit their box."""
    wide = {name: m["scrollWidth"] for name, m in measured[width].items() if m["scrollWidth"] > m["clientWidth"]}
    assert {m["viewport"] for m in measured[width].values()} == {width}
    assert wide == {}


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_no_text_is_drawn_smaller_than_11_px(measured, width):
    """Issue 12: the national timeline shrank until force names were about 4 px high."""
    small = {name: (m["smallest"], m["where"]) for name, m in measured[width].items() if m["smallest"] < 11}
    assert small == {}


SLICE, GAP = 1500, 8
MOST_HEIGHT = 16_000  # of a page at a desktop's width in its screenshot


def contact_sheet(site: Path, rows: list[list[tuple[str, int, int]]], width: int, cut: int) -> tuple[str, int, int]:
    """A test page of ``rows`` of slices ``width`` px wide and ``cut`` px high, each slice a
    page of the site (name, its height, how far down the slice starts): the page, and its size."""

    def framed(name: str, height: int, top: int) -> str:
        return (
            f'<div style="display:inline-block;vertical-align:top;overflow:hidden;width:{width}px;'
            f'height:{cut}px;margin-right:{GAP}px"><iframe src="{(site / name).as_uri()}" '
            f'style="border:0;width:{width}px;height:{height}px;margin-top:-{top}px"></iframe></div>'
        )

    body = "".join(
        f'<div style="height:{cut}px;margin-bottom:{GAP}px">{"".join(framed(*piece) for piece in row)}</div>'
        for row in rows
    )
    page = f'<!DOCTYPE html><body style="margin:0;white-space:nowrap;background:#999">{body}</body>'
    return page, max(len(row) for row in rows) * (width + GAP), len(rows) * (cut + GAP)


def test_screenshots_at_a_phones_and_a_desktops_width(shipped_site, measured, tmp_path):
    """Screenshots of the whole index and of a force page for a person to look at, into
    PEEL_SCREENSHOTS when set, else pytest's temporary folder, one image per width: at a
    desktop's, the two pages whole side by side; at a phone's, a row per page, the long narrow
    page cut into 1500 px slices laid side by side."""
    folder = Path(os.environ.get("PEEL_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    names = ("index.html", f"forces/{WM}.html")
    desktop = [(name, min(measured[DESKTOP][name]["height"], MOST_HEIGHT)) for name in names]
    phone = [(name, measured[PHONE][name]["height"]) for name in names]
    sheets = {
        DESKTOP: ([[(name, height, 0) for name, height in desktop]], max(height for _, height in desktop)),
        PHONE: ([[(name, height, top) for top in range(0, height, SLICE)] for name, height in phone], SLICE),
    }
    for width, (rows, cut) in sheets.items():
        page, sheet_width, sheet_height = contact_sheet(shipped_site, rows, width, cut)
        harness = tmp_path / f"sheet-{width}.html"
        harness.write_text(page, encoding="utf-8")
        shot = folder / f"index-and-{WM}-{width}.png"
        run_chromium(
            tmp_path / "profile",
            harness,
            "--allow-file-access-from-files",
            f"--screenshot={shot}",
            f"--window-size={sheet_width},{sheet_height}",
        )
        assert png_size(shot) == (sheet_width, sheet_height)
        assert shot.stat().st_size > 20_000 * len(names), f"{shot} looks blank"
    print(f"screenshots in {folder}")


def test_chromium_renders_the_index_with_all_forces_and_the_timeline(peel, crafted, tmp_path, browser):
    site = build(peel, crafted, tmp_path / "site")
    dom = parse_html(browser(site / "index.html", "--dump-dom"))
    assert len(listed_rows(dom)) == FORCES_IN_REGISTRY
    chart = dom.one("section", id="police-timeline").one("figure", cls="chart")
    assert len(chart.all("span", cls="engage")) >= 2
    assert chart.all("span", cls="chart-year")
    # the hostile force name is text in the table, never an element
    assert dom.all("img") == [] and dom.all("script") == []
    assert "<img src=x onerror=alert(2)>Kent" in [td.text for td in dom.all("td")]


def test_chromium_renders_a_force_page_with_its_causes_and_hostile_text_as_text(peel, crafted, tmp_path, browser):
    site = build(peel, crafted, tmp_path / "site")
    dom = parse_html(browser(site / "forces" / f"{WM}.html", "--dump-dom"))
    causes = [h.text for h in dom.one("section", id="causes").all("h3")]
    assert len(causes) == 4 and causes[-1].startswith("Cause of concern coc-investigations")
    assert dom.all("script") == []
    assert HOSTILE in [td.text for td in dom.all("td")]


def test_a_force_pages_precedents_are_its_reports_entries_into_engage_included(peel, ledger, tmp_path):
    """The site once drew precedents only from forces that had returned to Scan, so a force in
    Scan missed the entries of forces still in Engage (Lincolnshire) that ``peel report`` shows."""
    site = build(peel, ledger, tmp_path / "site")
    on_site = page(site / "forces" / f"{WM}.html").one("section", id="assessment").text
    report = peel("--data-dir", str(ledger), "report", WM, "--format", "html")
    assert report.exit_code == 0, report.stderr
    reported = parse_html(report.stdout).one("section", id="assessment").text
    assert "Lincolnshire Police" in reported
    assert on_site == reported
