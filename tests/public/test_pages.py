"""Every public page renders in each language (Arabic and Farsi right-to-left) with a strict Content-Security-
Policy and nothing inline; coded values read in the reader's language; the release's files are served as
published and nothing else is."""

from __future__ import annotations

import hashlib
import json
import re
from html import escape
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from bordermonitor.core.countries import country_name
from bordermonitor.core.typology import violence_type
from tests.public.conftest import Site
from tests.public.factory import CODES

LANGUAGES = {"en": "ltr", "fr": "ltr", "ar": "rtl", "fa": "rtl"}
PAGES = ("", "map/", "search/", "downloads/", "about/")


def _page(site: Site, path: str, status: int = 200) -> str:
    reply = site.get(path)
    assert reply.status == status, (path, reply.status)
    assert reply.headers["content-type"].startswith("text/html")
    policy = reply.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "default-src 'none'" in policy and "unsafe-inline" not in policy
    assert reply.headers["x-content-type-options"] == "nosniff"
    assert reply.headers["referrer-policy"] == "no-referrer"
    assert "set-cookie" not in reply.headers
    html = reply.text
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    assert not re.search(r"<style|\sstyle=", html), "inline style"
    return html


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", PAGES)
def test_each_page_renders_in_each_language(site: Site, language: str, page: str) -> None:
    html = _page(site, f"/{language}/{page}")
    assert f'<html lang="{language}" dir="{LANGUAGES[language]}">' in html
    for other in LANGUAGES:  # the switcher links to this same page in every language
        assert f'href="/{other}/{page}"' in html


def test_the_root_sends_a_visitor_to_their_language(site: Site) -> None:
    reply = site.get("/", headers={"Accept-Language": "fa-IR,fa;q=0.9"})
    assert reply.status == 302 and reply.headers["location"] == "/fa/"


@pytest.mark.parametrize("language", ["en", "ar", "fa", "fr"])
def test_incident_page_names_violence_and_states_in_the_readers_language(
    site: Site, rows: list[dict[str, Any]], evidence_incident: str, language: str
) -> None:
    row = next(r for r in rows if r["id"] == evidence_incident)
    html = _page(site, f"/{language}/incidents/{evidence_incident}/")
    assert f'dir="{LANGUAGES[language]}"' in html
    for code in row["violence"] or ():
        assert escape(violence_type(code).label(language)) in html
    for state in row["expelled_by"] or ():
        assert escape(country_name(state, language)) in html
    assert html.count('<code dir="ltr">') >= 2  # the evidence files' SHA-256


def test_incident_page_shows_its_evidence_with_their_hashes(
    site: Site, evidence_incident: str, release_dir: Path
) -> None:
    html = _page(site, f"/en/incidents/{evidence_incident}/")
    for path in (release_dir / "evidence").iterdir():
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert digest in html
        assert f'href="/files/evidence/{path.name}"' in html
    assert '<img src="/files/evidence/' in html  # the photo is shown, the PDF linked


def test_an_unknown_incident_is_not_found(site: Site) -> None:
    assert site.get("/en/incidents/BMX-nothing/").status == 404


def test_home_shows_the_headline_figures_and_latest_incidents(site: Site, rows: list[dict[str, Any]]) -> None:
    html = _page(site, "/en/")
    assert f"{len(rows)}</span>" in html
    people = sum(r["group_size"] for r in rows if r["group_size"] is not None)
    assert f"{people:,}</span>" in html
    assert f"/en/incidents/{rows[-1]['id']}/" in html


def test_search_filters_pages_and_facets(site: Site, rows: list[dict[str, Any]]) -> None:
    code = CODES[0]
    expected = [r for r in rows if code in (r["violence"] or ())]
    html = _page(site, f"/en/search/?violence={code}")
    assert f"{len(expected)} incidents</h2>" in html
    assert expected[-1]["id"] in html and "page=2" in html
    assert f"/en/incidents/{expected[0]['id']}/" not in html  # the oldest is on the last page
    oldest = _page(site, f"/en/search/?violence={code}&sort=date")
    assert f"/en/incidents/{expected[0]['id']}/" in oldest
    assert 'aria-current="true"' in html  # the active facet value can be removed


def test_search_explains_an_unknown_filter_value(site: Site) -> None:
    html = _page(site, "/ar/search/?violence=hitting&date_from=soon", status=400)
    assert 'role="alert"' in html
    assert escape(violence_type("beating").label("ar")) in html
    assert "YYYY-MM" in html


def test_map_page_counts_and_points_at_the_clusters(site: Site, rows: list[dict[str, Any]]) -> None:
    html = _page(site, "/en/map/?kind=pushback")
    count = sum(1 for r in rows if r["kind"] == "pushback")
    assert f"{count} incidents match" in html
    assert 'data-clusters="/api/public/v1/clusters?kind=pushback"' in html
    assert "/static/public/map/countries-110m.geojson" in html


def test_downloads_list_every_file_with_its_hash_and_serve_it_unchanged(
    site: Site, release_dir: Path
) -> None:
    html = _page(site, "/en/downloads/")
    manifest = json.loads((release_dir / "release.json").read_text())
    assert escape("IOM's Missing Migrants Project") in html and "CC-BY-4.0" in html
    for name, info in manifest["files"].items():
        if name.startswith("evidence/"):
            continue
        assert info["sha256"] in html
        served = site.get(f"/files/{name}")
        assert served.status == 200
        assert hashlib.sha256(served.body).hexdigest() == info["sha256"]
        assert served.headers["content-security-policy"] == "default-src 'none'; sandbox"
    assert site.get("/files/release.json").json() == manifest


@pytest.mark.parametrize(
    "path",
    [
        "/files/archive.sqlite/../release.json",
        "/files/evidence/" + "0" * 64 + ".jpg",
        "/files/settings.py",
        "/files/%2e%2e/%2e%2e/etc/passwd",
    ],
)
def test_nothing_but_the_release_files_is_served(site: Site, path: str) -> None:
    assert site.get(path).status == 404


def test_about_shows_policy_and_what_was_withheld_as_counts(site: Site, release_dir: Path) -> None:
    manifest = json.loads((release_dir / "release.json").read_text())
    html = _page(site, "/en/about/")
    for sentence in manifest["policy"]:
        assert sentence in html
    for reason, count in manifest["withheld"].items():
        assert escape(reason) in html and f"{count}</span>" in html
    arabic = _page(site, "/ar/about/")
    with translation.override("ar"):
        reasons = [translation.gettext(reason) for reason in manifest["withheld"]]
    assert all(reason in arabic for reason in reasons)
    assert not any(
        reason in arabic for reason in manifest["withheld"]
    )  # the publisher's English is translated


def test_static_files_are_served_without_a_third_party(site: Site) -> None:
    for path in (
        "/static/public/public.css",
        "/static/public/map.js",
        "/static/leaflet/leaflet.js",
        "/static/public/map/countries-110m.geojson",
    ):
        assert site.get(path).status == 200, path
    script = site.get("/static/public/map.js").text
    assert "http://" not in script and "https://" not in script
