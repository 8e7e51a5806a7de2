"""The public site in a real browser, as a visitor meets it: from a fresh data directory the real commands
(``init``, ``demo``, ``publish``, ``serve-public``), then the home page's figures, the map's clusters (never
overlapping, the map stopping at the zoom its outlines can show) and a filter that changes them, named above
the map, a full-text search refined by a facet and the facet removed again, an incident page, the downloads
with their SHA-256, the same map and incident in Arabic laid out right to left with numbers written as the
server writes them, and the home page on a phone. Screenshots are kept as test artefacts (``public-*.png``).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import time
import unicodedata
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.e2e.conftest import ARTEFACTS, cli, free_port

pytestmark = pytest.mark.e2e
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
MARKERS = ".leaflet-marker-icon.cluster"
OUTLINE_MAX_ZOOM = 7  # without a tile server the map stops where its 1:110m outlines still mean something
SUMMARY = "details.filter-box > summary"
CHEVRON = "(el) => getComputedStyle(el, '::before').transform"
# Round markers, as drawn: any two whose discs overlap (centres closer than their radii added).
OVERLAPS = """(els) => { const c = els.map(e => e.getBoundingClientRect()).filter(r => r.width > 0);
  const out = []; for (let i = 0; i < c.length; i++) for (let j = i + 1; j < c.length; j++) {
    const dx = (c[i].left + c[i].width / 2) - (c[j].left + c[j].width / 2);
    const dy = (c[i].top + c[i].height / 2) - (c[j].top + c[j].height / 2);
    if (Math.hypot(dx, dy) < (c[i].width + c[j].width) / 2 - 0.5) out.push([i, j]); }
  return out; }"""
# The text of an element's contents, not of its box: where a right-to-left line really starts and ends.
TEXT_BOX = """(el) => { const r = document.createRange(); r.selectNodeContents(el);
  const t = r.getBoundingClientRect(), b = el.getBoundingClientRect();
  return {left: t.left - b.left, right: b.right - t.right}; }"""


@dataclass
class Public:
    url: str
    release: Path  # the served release directory, to check the downloads against

    def api(self, path: str) -> Any:
        with urllib.request.urlopen(self.url + "/api/public/v1/" + path, timeout=10) as reply:  # noqa: S310 - our own local server
            return json.loads(reply.read())


def _serving_public(env: dict[str, str]) -> Iterator[str]:
    """``bordermonitor serve-public`` on a free port until the generator is closed."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "bordermonitor", "serve-public", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(url + "/api/public/v1/release", timeout=1)  # noqa: S310 - our own local server
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the public site did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def public(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Public]:
    """The demo network published and its open archive served, as `make demo` does, from nothing."""
    data = tmp_path_factory.mktemp("public-site")
    env = {**os.environ, "BORDERMONITOR_DATA_DIR": str(data), "DATABASE_URL": ""}
    for name in ("DJANGO_SETTINGS_MODULE", "BORDERMONITOR_RELEASE_DIR"):
        env.pop(name, None)
    cli(env, "init")
    cli(env, "demo", "--reports", "60")
    assert "published release" in cli(env, "publish")
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    for url in _serving_public(env):
        yield Public(url, (data / "public" / "current").resolve())


def _page(browser: object, *, language: str = "en", viewport: dict[str, int] = DESKTOP) -> Any:
    context = browser.new_context(viewport=viewport, locale=language)  # type: ignore[attr-defined]
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def _numbers(text: str) -> list[int]:
    """The numbers of a text in the reader's digits (Arabic-Indic too), group separators dropped."""
    found = re.findall(r"\d[\d,.\u066c\u066b\u00a0]*", text)
    return [int("".join(str(unicodedata.decimal(c)) for c in n if c.isdecimal())) for n in found]


def _settled_markers(page: Any) -> list[int]:
    """The counts of the clusters drawn once the map has framed the matches and stopped fetching; no two of
    them overlap."""
    page.wait_for_selector("[data-in-view]:not([hidden])")
    page.wait_for_selector(MARKERS)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(400)  # the map asks again 150 ms after it last moved
    page.wait_for_load_state("networkidle")
    assert page.locator(MARKERS).evaluate_all(OVERLAPS) == [], "two markers overlap"
    return [_numbers(t)[0] if t.strip() else 1 for t in page.locator(MARKERS).all_inner_texts()]


def _zoom(url: str) -> int:
    return int(parse_qs(urlsplit(url).query)["zoom"][0])


def _in_view(page: Any) -> int:
    return _numbers(page.inner_text("[data-in-view]"))[0]


def test_home_shows_the_headline_figures(public: Public, browser: object) -> None:
    page = _page(browser)
    page.goto(public.url + "/en/")
    manifest = public.api("release")
    figures = page.locator(".figures .figure")
    assert figures.count() >= 3
    assert _numbers(figures.nth(0).inner_text())[0] == manifest["counts"]["incidents"]
    assert page.locator("ol.incidents li.incident-card").count() > 0
    page.screenshot(path=str(ARTEFACTS / "public-home-en.png"), full_page=True)
    page.context.close()


def test_the_map_clusters_the_incidents_and_a_filter_changes_them(public: Public, browser: object) -> None:
    page = _page(browser)
    asked: list[str] = []  # the clusters the map asked for, in order
    page.on("request", lambda request: asked.append(request.url) if "/clusters?" in request.url else None)
    page.goto(public.url + "/en/map/")
    everything = _settled_markers(page)
    assert len(everything) > 1  # clustered: far fewer markers than incidents
    assert sum(everything) == _in_view(page)
    all_count = _numbers(page.inner_text("#map-count"))[0]
    assert all_count == public.api("release")["counts"]["incidents"]
    page.screenshot(path=str(ARTEFACTS / "public-map-en.png"))

    # The folded filter box says it opens: a chevron that turns, on a bar a finger can hit.
    summary = page.locator(SUMMARY)
    closed = summary.evaluate(CHEVRON)
    assert closed not in ("none", "") and summary.bounding_box()["height"] >= 44
    summary.click()
    page.wait_for_timeout(250)  # the chevron turns in 150 ms
    assert summary.evaluate(CHEVRON) != closed
    page.select_option("#f-expelled", "SI")
    page.click("details.filter-box button.primary")
    page.wait_for_url("**/en/map/?*expelled_by=SI*")
    slovenia = _settled_markers(page)
    matching = public.api("facets?expelled_by=SI")["count"]
    assert 0 < matching < all_count
    assert _numbers(page.inner_text("#map-count"))[0] == matching
    assert sum(slovenia) == _in_view(page) <= matching
    assert slovenia != everything
    chip = page.locator(".active-filters a.chip[data-filter='expelled_by']")  # the filter in force, named
    assert chip.is_visible() and "Slovenia" in chip.inner_text()
    assert chip.bounding_box()["y"] < page.locator(".map").bounding_box()["y"]
    page.screenshot(path=str(ARTEFACTS / "public-map-en-expelled-by-SI.png"))

    # A cluster opens onto its incidents: the map zooms in by two, never past what the outlines can show,
    # and asks for the clusters of that area.
    zoom = _zoom(asked[-1])
    assert zoom <= OUTLINE_MAX_ZOOM
    zoom_in = page.locator(".leaflet-control-zoom-in")
    if zoom < OUTLINE_MAX_ZOOM:
        with page.expect_request(lambda r: "/clusters?" in r.url and "bbox=" in r.url) as again:
            page.locator(MARKERS + ":not(.one)").first.dispatch_event("click")
        assert "expelled_by=SI" in again.value.url
        assert _zoom(again.value.url) == min(zoom + 2, OUTLINE_MAX_ZOOM)
        _settled_markers(page)
    for _ in range(OUTLINE_MAX_ZOOM):  # zoom in as far as the map goes
        if "leaflet-disabled" in (zoom_in.get_attribute("class") or ""):
            break
        with page.expect_request(lambda r: "/clusters?" in r.url and "bbox=" in r.url):
            zoom_in.click()
        _settled_markers(page)
    assert "leaflet-disabled" in (zoom_in.get_attribute("class") or "")
    assert _zoom(asked[-1]) == OUTLINE_MAX_ZOOM
    page.screenshot(path=str(ARTEFACTS / "public-map-en-zoomed.png"))

    # At the deepest zoom a cluster lists its incidents instead.
    group = page.locator(MARKERS + ":not(.one)").first
    held = _numbers(group.inner_text())[0]
    group.dispatch_event("click")
    page.wait_for_url("**/en/search/?*bbox=*")
    assert "expelled_by=SI" in page.url
    assert _numbers(page.inner_text("#results"))[0] >= held
    page.context.close()


def test_full_text_search_refined_by_a_facet(public: Public, browser: object) -> None:
    page = _page(browser)
    page.goto(public.url + "/en/search/")
    page.fill("#f-q", "police")
    page.click("details.filter-box button.primary")
    page.wait_for_url("**/en/search/?*q=police*")
    found = public.api("incidents?q=police&limit=1")["count"]
    assert 0 < found < public.api("release")["counts"]["incidents"]
    assert _numbers(page.inner_text("#results"))[0] == found
    titles = page.locator("ol.incidents a.title")
    assert titles.count() == min(found, 20)

    facet = page.locator("aside.facets section.facet", has=page.locator("h3", has_text="Expelled by"))
    entry = facet.locator("li a").first
    state_count = _numbers(entry.locator("xpath=..").inner_text())[-1]
    entry.click()
    page.wait_for_url("**expelled_by=*")
    assert "q=police" in page.url
    assert facet.locator("li.active").count() == 1
    assert _numbers(page.inner_text("#results"))[0] == state_count < found
    chips = page.locator(".active-filters a.chip")
    assert {chips.nth(n).get_attribute("data-filter") for n in range(chips.count())} == {"q", "expelled_by"}
    page.screenshot(path=str(ARTEFACTS / "public-search-en.png"), full_page=True)
    page.click(".active-filters a.chip[data-filter='expelled_by']")  # removes that filter, keeps the words
    page.wait_for_url(lambda url: "expelled_by" not in url)
    assert "q=police" in page.url and _numbers(page.inner_text("#results"))[0] == found
    page.context.close()


def _shown_incident(public: Public) -> dict[str, Any]:
    """An incident with a public title, coded violence and a place: what an incident page shows in full."""
    for item in public.api("incidents?limit=100")["items"]:
        if item["title"] and item["violence"] and item["lat"] is not None:
            return dict(item)
    raise AssertionError("the demo release has no incident with a title, violence and a place")


def _arabic_account(public: Public) -> dict[str, Any]:
    """An incident told in Arabic under a title in Latin letters: both directions on one page."""
    for number in range(1, 6):
        for item in public.api(f"incidents?limit=100&page={number}")["items"]:
            if (
                item["narrative_language"] == "ar"
                and item["narrative"]
                and re.match(r"[A-Za-z]", item["title"] or "")
            ):
                return dict(item)
    raise AssertionError("the demo release has no Arabic account with a title in Latin letters")


def _check_incident(page: Any, item: dict[str, Any]) -> list[str]:
    assert page.inner_text("h1") == item["title"]
    codes = page.locator(".violence-list .code").all_inner_texts()
    assert sorted(codes) == sorted(item["violence"])
    page.wait_for_selector(".map.small.leaflet-container.ready path.leaflet-interactive")  # the place, marked
    facts, value = page.locator("dl.facts").bounding_box(), page.locator("dl.facts dd").first.bounding_box()
    assert value["width"] >= facts["width"] / 2  # long labels wrap; the values keep room
    return [t.strip() for t in page.locator(".violence-list li > span:first-child").all_inner_texts()]


def test_an_incident_page_shows_title_coded_violence_and_map(public: Public, browser: object) -> None:
    item = _shown_incident(public)
    page = _page(browser)
    page.goto(f"{public.url}/en/incidents/{item['id']}/")
    labels = _check_incident(page, item)
    assert all(label and label not in item["violence"] for label in labels)  # names, not codes
    page.screenshot(path=str(ARTEFACTS / "public-incident-en.png"), full_page=True)

    # An Arabic account on an English page starts at the right edge of its card, with no gap there.
    told = _arabic_account(public)
    page.goto(f"{public.url}/en/incidents/{told['id']}/")
    account = page.locator(".narrative > div").bounding_box()
    heading = page.locator(".narrative > h2").bounding_box()
    assert abs(account["x"] + account["width"] - (heading["x"] + heading["width"])) < 2
    assert _aligned(page, ".narrative > div p")["right"] < 2
    page.context.close()


def test_downloads_list_every_file_with_its_sha256(public: Public, browser: object) -> None:
    page = _page(browser)
    page.goto(public.url + "/en/downloads/")
    files = {
        name: info
        for name, info in json.loads((public.release / "release.json").read_text())["files"].items()
        if not name.startswith("evidence/")
    }
    assert {"incidents.csv", "archive.sqlite", "RELEASE.md"} <= set(files)
    for name, info in files.items():
        row = page.locator("table.files tbody tr", has=page.locator(f"a[href='/files/{name}']"))
        digest = hashlib.sha256((public.release / name).read_bytes()).hexdigest()
        assert info["sha256"] == digest
        assert row.locator("code").inner_text() == digest
    href = page.get_attribute("table.files a[href='/files/incidents.csv']", "href")
    downloaded = page.request.get(public.url + str(href)).body()
    assert hashlib.sha256(downloaded).hexdigest() == files["incidents.csv"]["sha256"]
    page.screenshot(path=str(ARTEFACTS / "public-downloads-en.png"), full_page=True)
    page.context.close()


def _aligned(page: Any, selector: str) -> dict[str, float]:
    return dict(page.locator(selector).first.evaluate(TEXT_BOX))


def test_map_and_incident_in_arabic_read_right_to_left(public: Public, browser: object) -> None:
    english = _page(browser)
    english.goto(public.url + "/en/map/")
    english_brand = english.locator("a.brand").bounding_box()
    english_heading = _aligned(english, "main h1")
    english.context.close()

    page = _page(browser, language="ar")
    page.goto(public.url + "/ar/map/")
    assert page.get_attribute("html", "dir") == "rtl" and page.get_attribute("html", "lang") == "ar"
    markers = _settled_markers(page)
    assert len(markers) > 1 and sum(markers) == _in_view(page)
    assert re.search(r"[\u0600-\u06ff]", page.inner_text("main h1"))
    # The site's name starts the header on the right, headings start at the right edge of their box.
    brand = page.locator("a.brand").bounding_box()
    assert english_brand["x"] < DESKTOP["width"] / 2 < brand["x"]
    heading = _aligned(page, "main h1")
    assert english_heading["left"] < 2 < english_heading["right"]
    assert heading["right"] < 2 < heading["left"]
    # Counts above a thousand, grouped alike by the server (the page) and the browser (the map's script).
    grouped = r"\d{1,3}(?:,\d{3})+"
    assert re.search(grouped, page.inner_text("#map-count")) and re.search(
        grouped, page.inner_text("[data-in-view]")
    )
    page.screenshot(path=str(ARTEFACTS / "public-map-ar.png"))

    item = _arabic_account(public)  # a title in Latin letters keeps to the right, as the page's headings do
    page.goto(f"{public.url}/ar/incidents/{item['id']}/")
    title = _aligned(page, "main h1")
    assert title["right"] < 2 < title["left"]
    item = _shown_incident(public)
    page.goto(f"{public.url}/ar/incidents/{item['id']}/")
    assert page.get_attribute("html", "dir") == "rtl"
    labels = _check_incident(page, item)
    assert all(re.search(r"[\u0600-\u06ff]", label) for label in labels)  # violence named in Arabic
    facts = page.locator("dl.facts dt").first.bounding_box()
    card = page.locator("dl.facts").bounding_box()
    assert facts["x"] + facts["width"] > card["x"] + card["width"] - 2  # labels on the right of the facts
    page.screenshot(path=str(ARTEFACTS / "public-incident-ar.png"), full_page=True)
    page.context.close()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_home_page_fits_a_phone(public: Public, browser: object, language: str) -> None:
    page = _page(browser, language=language, viewport=PHONE)
    page.goto(f"{public.url}/{language}/")
    assert page.locator(".figures .figure").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scrolling
    page.screenshot(path=str(ARTEFACTS / f"public-home-{language}-phone.png"), full_page=True)

    # Filtered search on a phone: the folded filter box is a bar a finger can hit, the filters are named.
    page.goto(f"{public.url}/{language}/search/?expelled_by=HR&kind=pushback")
    assert page.locator(SUMMARY).bounding_box()["height"] >= 44
    assert page.locator(".active-filters a.chip").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(ARTEFACTS / f"public-search-{language}-phone.png"))
    page.context.close()
