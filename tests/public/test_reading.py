"""What a reader sees of the state of a page: the filters in force as chips that each remove one, numbers
grouped the same way in every language as the map script groups them, titles and accounts that keep their own
direction, licences linked to their texts, and map clusters whose box lists their incidents."""

from __future__ import annotations

import re
from html import escape, unescape
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from bordermonitor.core.countries import country_name
from bordermonitor.core.typology import violence_type
from bordermonitor.public.licences import LICENCES
from bordermonitor.publish.formats import LICENCES as PUBLISHED_LICENCES
from tests.public.conftest import Site
from tests.public.factory import CODES

# What CLDR writes between groups of three digits, in Latin digits (what Intl.NumberFormat(lang,
# {numberingSystem: "latn"}) writes in the map script).
GROUPING = {"en": ",", "fr": "\u202f", "ar": ",", "fa": ","}
CHIP = re.compile(r'<a class="chip" href="([^"]*)" data-filter="([^"]*)"[^>]*><span>(.*?)</span>', re.S)


def _chips(html: str) -> dict[str, tuple[dict[str, list[str]], str]]:
    """Each chip: its filter name -> (the query its link leaves, its words)."""
    return {
        name: (parse_qs(urlsplit(unescape(href)).query), unescape(label))
        for href, name, label in CHIP.findall(html)
    }


@pytest.mark.parametrize("language", ["en", "ar"])
def test_search_names_each_active_filter_with_a_link_that_removes_it(site: Site, language: str) -> None:
    code = CODES[0]
    html = site.get(f"/{language}/search/?q=police&expelled_by=HR&violence={code}&sort=date").text
    chips = _chips(html)
    assert set(chips) == {"q", "expelled_by", "violence"}
    left, words = chips["expelled_by"]
    assert left == {"q": ["police"], "violence": [code], "sort": ["date"]}  # the others stay, and the order
    assert country_name("HR", language) in words
    assert violence_type(code).label(language) in chips["violence"][1]
    assert "police" in chips["q"][1] and chips["q"][0] == {
        "expelled_by": ["HR"],
        "violence": [code],
        "sort": ["date"],
    }
    assert '<a class="chip-clear" href="?">' in html


def test_a_year_from_the_facets_is_one_chip(site: Site) -> None:
    chips = _chips(site.get("/en/search/?date_from=2021-01&date_to=2021-12").text)
    assert set(chips) == {"year"} and "2021" in chips["year"][1] and chips["year"][0] == {}
    chips = _chips(site.get("/fr/search/?date_from=2021-03").text)
    assert set(chips) == {"date_from"} and "2021-03" in chips["date_from"][1]


def test_the_map_names_its_filters_too_and_the_unfiltered_pages_none(site: Site) -> None:
    html = site.get("/fa/map/?kind=pushback&minors_involved=true").text
    chips = _chips(html)
    assert set(chips) == {"kind", "minors_involved"}
    assert chips["kind"][0] == {"minors_involved": ["true"]}
    assert 'class="active-filters"' not in site.get("/en/map/").text
    assert 'class="active-filters"' not in site.get("/en/search/").text


@pytest.mark.parametrize("language", GROUPING)
def test_numbers_are_grouped_in_every_language(site: Site, rows: list[dict[str, Any]], language: str) -> None:
    people = sum(r["group_size"] for r in rows if r["group_size"] is not None)
    assert people >= 1000
    grouped = f"{people:,}".replace(",", GROUPING[language])
    assert f'<span class="value">{grouped}</span>' in site.get(f"/{language}/").text
    about = site.get(f"/{language}/about/").text  # counts of release.json, through the same formatting
    assert re.search(r'<span class="n">\d+</span>', about)


def test_a_title_keeps_the_pages_side_and_an_account_its_own_direction(
    site: Site, rows: list[dict[str, Any]]
) -> None:
    row = next(r for r in rows if r["title"] and r["narrative"])
    html = site.get(f"/ar/incidents/{row['id']}/").text
    assert f"<h1><bdi>{escape(row['title'])}</bdi></h1>" in html
    assert re.search(r'<div lang="en" dir="auto"><p>', html)


def test_licences_link_to_their_texts(site: Site) -> None:
    html = site.get("/en/downloads/").text
    # release.json's entry names a file of the release; the incidents' licence, the licence's own page.
    assert (
        '<a href="/files/LICENCE-CC-BY-4.0.txt" rel="license" dir="ltr"><strong>CC-BY-4.0</strong></a>'
        in html
    )
    assert (
        f'<a href="{LICENCES["CC-BY-4.0"][1]}" rel="license" dir="ltr"><strong>CC-BY-4.0</strong></a>' in html
    )
    assert escape("IOM's Missing Migrants Project") in html


def test_the_sites_licence_links_are_the_publishers() -> None:
    assert dict(LICENCES) == PUBLISHED_LICENCES


def test_a_clusters_box_lists_at_least_its_incidents(site: Site) -> None:
    body = site.get("/api/public/v1/clusters", params={"zoom": 5, "kind": "pushback"}).json()
    groups = [c for c in body["clusters"] if c["count"] > 1]
    assert groups and all(c["size"] >= 16 and c["bbox"] for c in groups)
    for cluster in groups[:5]:
        box = ",".join(map(str, cluster["bbox"]))
        listed = site.get(
            "/api/public/v1/incidents", params={"kind": "pushback", "bbox": box, "limit": 1}
        ).json()
        assert listed["count"] >= cluster["count"]
