"""Canary over the public site and its API (SECURITY goal 10, "done when"): identifiers planted in protected
fields and narratives of many reports — names in Latin and Arabic script (also in each report's known names),
phone numbers, e-mail addresses and passport numbers — never reach a byte the public site answers.

Reviewers approve the public versions as they are (narratives full of identifiers), the release is published
with the publisher's own ``publish`` and served by the public site in a process of its own; then every page
(every language), every API endpoint (every page of the list, every incident, every dimension) and every file
of the release is requested, and each response is searched as bytes and as a reader would decode it (HTML
entities, URL escapes, JSON ``\\u`` escapes). Examples accumulate in one database, so each release holds the
canaries of the examples before it too, and all of them are looked for.
"""

from __future__ import annotations

import copy
import html
import itertools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote_plus

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bordermonitor.core.anonymise import PublicationPolicy
from bordermonitor.evidence.store import FileStore
from bordermonitor.publish.release import publish
from bordermonitor.storage.accounts import add_organisation
from tests.public.conftest import Reply, Site, serving
from tests.publish.conftest import approve_public_versions
from tests.publish.test_canary import _record, planted
from tests.storage.helpers import save

LANGUAGES = ("en", "fr", "ar", "fa")
PAGES = ("", "map/", "search/", "downloads/", "about/")
# Words of the planted story that survive redaction: searches a visitor could make.
QUERIES = ("beaten", "police took", "passport", "friend*", '"was beaten"')
DIMENSIONS = ("expelled_by", "violence", "nationality")
ZOOMS = (2, 6, 12, 18)
_counter = itertools.count()


def _needles(canary: dict[str, str]) -> list[str]:
    """What must never be answered, lower-cased: each name part, the Arabic name, the e-mail, the passport,
    the phone as written, as its digits only and as the last eight of them (the number without a prefix)."""
    digits = "".join(ch for ch in canary["phone"] if ch.isdigit())
    parts = [*canary["name"].split(), canary["arabic"], canary["email"], canary["passport"], canary["phone"]]
    return [p.casefold() for p in parts] + [digits, digits[-8:]]


def _readings(reply: Reply) -> Iterator[str]:
    """A response as bytes (case-folded as ASCII) and as a reader decodes it, so an escaped leak is found."""
    yield reply.body.lower().decode("utf-8", "replace")
    text = reply.body.decode("utf-8", "replace")
    yield html.unescape(unquote_plus(text)).casefold()
    if reply.headers.get("content-type", "").startswith(("application/json", "application/geo+json")):
        yield json.dumps(json.loads(reply.body), ensure_ascii=False).casefold()


class Crawl:
    """Requests against one served release; every answer is kept to be searched for the canaries."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.replies: dict[str, Reply] = {}

    def get(self, path: str, *, status: int = 200) -> Reply:
        reply = self.site.get(path)
        assert reply.status == status, (path, reply.status, reply.body[:300])
        self.replies[path] = reply
        return reply

    def json(self, path: str) -> Any:
        return self.get(path).json()


def _crawl(site: Site) -> Crawl:
    crawl = Crawl(site)
    api = "/api/public/v1"
    manifest = crawl.json(f"{api}/release")
    incident_ids: list[str] = []
    page, pages = 1, 1
    while page <= pages:  # the whole list, three to a page
        body = crawl.json(f"{api}/incidents?limit=3&page={page}")
        pages = body["pages"]
        incident_ids += [item["id"] for item in body["items"]]
        page += 1
    assert len(incident_ids) == manifest["counts"]["incidents"]
    for incident_id in incident_ids:
        crawl.json(f"{api}/incidents/{quote(incident_id)}")
    facets = crawl.json(f"{api}/facets")
    crawl.json(f"{api}/incidents?sort=date&limit=100")
    for query in QUERIES:
        crawl.json(f"{api}/incidents?q={quote(query)}")
        crawl.json(f"{api}/facets?q={quote(query)}")
    for state in facets["expelled_by"]:
        crawl.json(f"{api}/incidents?expelled_by={state['value']}")
    for dimension in DIMENSIONS:
        crawl.json(f"{api}/aggregates?dimension={dimension}")
    for zoom in ZOOMS:
        crawl.json(f"{api}/clusters?zoom={zoom}")
        crawl.json(f"{api}/clusters?zoom={zoom}&bbox=10,40,25,50")
    crawl.json(f"{api}/openapi.json")
    crawl.get(f"{api}/docs")

    for language in LANGUAGES:
        for page_path in PAGES:
            crawl.get(f"/{language}/{page_path}")
        for query in QUERIES:
            crawl.get(f"/{language}/search/?q={quote(query)}")
            crawl.get(f"/{language}/map/?q={quote(query)}")
        crawl.get(f"/{language}/search/?sort=date")
        crawl.get(f"/{language}/search/?violence=beating&expelled_by=HR")
        for incident_id in incident_ids:
            crawl.get(f"/{language}/incidents/{quote(incident_id)}/")

    for name in [*manifest["files"], "release.json"]:
        crawl.get(f"/files/{name}")
    for licence in manifest.get("licences", []):
        if licence.get("path"):
            crawl.get(f"/files/{licence['path']}")
    return crawl


@pytest.fixture
def organisations(network: None) -> None:
    add_organisation(code="nnk", name="North", shares_with_network=True)
    add_organisation(code="rigardu", name="Rigardu", shares_with_network=False)


@pytest.fixture
def planted_before() -> list[dict[str, str]]:
    """The canaries of the running test's earlier examples: its database is not reset between them."""
    return []


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(planted(), min_size=3, max_size=6))
def test_no_planted_identifier_reaches_any_public_page_api_answer_or_file(
    organisations: None,
    store: FileStore,
    tmp_path: Path,
    planted_before: list[dict[str, str]],
    canaries: list[dict[str, str]],
) -> None:
    planted_before.extend(canaries)
    raws = [_record(f"site-canary-{next(_counter)}", c) for c in canaries]
    summary = save([copy.deepcopy(r) for r in raws], store)
    assert not summary.rejected, summary.rejections
    approve_public_versions()
    link = tmp_path / f"public-{next(_counter)}" / "current"
    release = publish(out=link, policy=PublicationPolicy(), actor="test")
    assert release.counts["with narrative"] >= len(planted_before)

    with serving(link) as site:
        crawl = _crawl(site)
        # A visitor searching for a planted name finds nothing: the full-text index never held it.
        for canary in canaries:
            for word in (canary["name"].split()[0], canary["arabic"], canary["passport"]):
                found = site.get(f"/api/public/v1/incidents?q={quote(word)}").json()
                assert found["count"] == 0, "a planted identifier is in the full-text index"

    assert len(crawl.replies) > 100
    needles = {needle for canary in planted_before for needle in _needles(canary)}
    for path, reply in crawl.replies.items():
        for reading in _readings(reply):
            for needle in needles:
                assert needle not in reading, f"{needle!r} is answered by {path}"
