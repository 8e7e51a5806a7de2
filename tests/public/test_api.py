"""The public API as a client sees it, over HTTP from the served process: the same answers as a brute-force
reading of the release, one error shape, read-only, readable from any origin, cacheable."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bordermonitor.core.typology import violence_type
from bordermonitor.public.filters import Filters
from tests.public.brute import facet_counts, matches
from tests.public.conftest import Site
from tests.public.factory import CODES, NATIONALITIES, STATES, WORDS

API = "/api/public/v1"
params = st.fixed_dictionaries(
    {},
    optional={
        "expelled_by": st.sampled_from(STATES),
        "violence": st.sampled_from(CODES),
        "nationality": st.sampled_from(NATIONALITIES),
        "minors_involved": st.sampled_from(("true", "false")),
        "date_from": st.sampled_from(("2020-01", "2021-06-15", "2022-12")),
        "q": st.sampled_from(WORDS),
        "bbox": st.sampled_from(("10,40,25,48", "170,-20,-170,-10", "-180,-90,180,90")),
    },
)


def _filters(given: dict[str, str]) -> Filters:
    values: dict[str, Any] = dict(given)
    if "minors_involved" in values:
        values["minors_involved"] = values["minors_involved"] == "true"
    if "bbox" in values:
        values["bbox"] = tuple(float(n) for n in values["bbox"].split(","))
    return Filters(**values)


def _error(reply: Any, status: int, code: str) -> dict[str, Any]:
    assert reply.status == status, reply.text
    assert reply.headers["content-type"].startswith("application/json")
    body = reply.json()
    assert set(body) == {"error"} and body["error"]["code"] == code
    return dict(body["error"])


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(given=params)
def test_list_and_facets_agree_with_the_rows(
    given: dict[str, str], site: Site, rows: list[dict[str, Any]]
) -> None:
    expected = [r for r in rows if matches(r, _filters(given))]
    listing = site.get(f"{API}/incidents", params={**given, "limit": 100, "sort": "date"}).json()
    assert listing["count"] == len(expected)
    assert [i["id"] for i in listing["items"]] == [r["id"] for r in expected][:100]
    facets = site.get(f"{API}/facets", params=given).json()
    assert facets["count"] == len(expected)
    for name, counts in facet_counts(expected).items():
        assert {f["value"]: f["count"] for f in facets[name]} == {k: v for k, v in counts.items() if v}


def test_pages_walk_the_whole_list_newest_first(site: Site, rows: list[dict[str, Any]]) -> None:
    seen: list[str] = []
    url: str | None = f"{API}/incidents?limit=37&violence={CODES[0]}"
    while url:
        page = site.get(url.removeprefix(site.base)).json()
        assert len(page["items"]) <= 37
        seen.extend(item["id"] for item in page["items"])
        url = page["next"]
    expected = [r["id"] for r in rows if CODES[0] in (r["violence"] or ())]
    assert seen == expected[::-1]
    beyond = site.get(f"{API}/incidents", params={"page": 1000}).json()
    assert beyond["items"] == [] and beyond["count"] == len(rows)


def test_items_are_the_published_rows(site: Site, rows: list[dict[str, Any]]) -> None:
    page = site.get(f"{API}/incidents", params={"limit": 3}).json()
    assert page["items"] == rows[-3:][::-1]


def test_limit_above_100_is_refused(site: Site) -> None:
    error = _error(site.get(f"{API}/incidents", params={"limit": 101}), 400, "validation")
    assert error["fields"][0]["path"] == "limit"


@pytest.mark.parametrize(
    ("name", "value", "listed"),
    [
        ("violence", "hitting", "beating"),
        ("kind", "raid", "chain_pushback"),
        ("expelled_by", "Croatia", "HR"),
        ("nationality", "ZZ", "AF"),
        ("minors_involved", "maybe", "true"),
    ],
)
def test_an_unknown_filter_value_answers_400_listing_the_valid_ones(
    site: Site, name: str, value: str, listed: str
) -> None:
    for path in ("/incidents", "/facets", "/clusters"):
        error = _error(site.get(API + path, params={name: value}), 400, "validation")
        (field,) = error["fields"]
        assert field["path"] == name
        assert listed in field["valid"]
        assert value not in field["valid"]


def test_malformed_values_and_unknown_parameters_are_named(site: Site) -> None:
    error = _error(
        site.get(
            f"{API}/incidents", params={"date_from": "May 2021", "bbox": "1,2,3", "violance": "beating"}
        ),
        400,
        "validation",
    )
    paths = {f["path"]: f for f in error["fields"]}
    assert set(paths) == {"date_from", "bbox", "violance"}
    assert "violence" in paths["violance"]["valid"]


def test_bbox_across_the_180th_meridian(site: Site, rows: list[dict[str, Any]]) -> None:
    far = [r["id"] for r in rows if r["lon"] is not None and abs(r["lon"]) > 170]
    page = site.get(f"{API}/incidents", params={"bbox": "170,-20,-170,-10", "limit": 100}).json()
    assert far and sorted(i["id"] for i in page["items"]) == sorted(far)


def test_one_incident_with_its_violence_and_evidence(
    site: Site, rows: list[dict[str, Any]], evidence_incident: str, release_dir: Path
) -> None:
    body = site.get(f"{API}/incidents/{evidence_incident}").json()
    row = next(r for r in rows if r["id"] == evidence_incident)
    assert {k: body[k] for k in row} == row
    assert [v["code"] for v in body["violence_details"]] == list(row["violence"] or ())
    for item in body["violence_details"]:
        assert item["label"] == violence_type(item["code"]).label("en")
    assert {f["kind"] for f in body["evidence_files"]} == {"photo", "document"}
    for item in body["evidence_files"]:
        served = site.get(item["url"].removeprefix(site.base))
        assert served.status == 200
        assert hashlib.sha256(served.body).hexdigest() == item["sha256"]
        assert served.headers["content-type"] == item["media_type"]
    _error(site.get(f"{API}/incidents/BMX-missing"), 404, "not_found")


def test_aggregates_keep_suppressed_cells_null(site: Site) -> None:
    body = site.get(
        f"{API}/aggregates",
        params={"dimension": "expelled_by", "month_from": "2021-03", "month_to": "2021-03"},
    ).json()
    assert body["rows"] == [
        {"dimension": "expelled_by", "month": "2021-03", "value": "HR", "incidents": 12, "suppressed": False},
        {
            "dimension": "expelled_by",
            "month": "2021-03",
            "value": "SI",
            "incidents": None,
            "suppressed": True,
        },
    ]
    everything = site.get(f"{API}/aggregates", params={"dimension": "expelled_by"}).json()["rows"]
    assert sorted(r["month"] for r in everything) == ["*", "2021-03", "2021-03", "2021-04"]
    error = _error(site.get(f"{API}/aggregates", params={"dimension": "age"}), 400, "validation")
    assert error["fields"][0]["valid"] == ["expelled_by", "violence", "nationality"]


def test_clusters_count_the_matching_incidents_with_a_place(site: Site, rows: list[dict[str, Any]]) -> None:
    body = site.get(f"{API}/clusters", params={"zoom": 5, "violence": CODES[1]}).json()
    placed = [r for r in rows if CODES[1] in (r["violence"] or ()) and r["lat"] is not None]
    assert body["count"] == sum(c["count"] for c in body["clusters"]) == len(placed)
    singles = [c["id"] for c in body["clusters"] if c["count"] == 1]
    assert set(singles) <= {r["id"] for r in placed}


def test_release_is_release_json_unchanged(site: Site, release_dir: Path) -> None:
    assert site.get(f"{API}/release").json() == json.loads((release_dir / "release.json").read_text())


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_it_is_read_only(site: Site, method: str) -> None:
    reply = site.request(method, f"{API}/incidents")
    _error(reply, 405, "method_not_allowed")
    assert reply.headers["allow"] == "GET, HEAD, OPTIONS"


def test_cors_for_reading(site: Site) -> None:
    reply = site.get(f"{API}/facets", headers={"Origin": "https://example.org"})
    assert reply.headers["access-control-allow-origin"] == "*"
    preflight = site.request(
        "OPTIONS",
        f"{API}/incidents",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert preflight.status == 204
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "GET" in preflight.headers["access-control-allow-methods"]
    assert "if-none-match" in preflight.headers["access-control-allow-headers"].lower()
    assert "access-control-allow-credentials" not in reply.headers


def test_etag_and_304(site: Site) -> None:
    first = site.get(f"{API}/incidents", params={"kind": "pushback"})
    assert first.headers["cache-control"] == "public, max-age=300"
    etag = first.headers["etag"]
    again = site.get(f"{API}/incidents", params={"kind": "pushback"}, headers={"If-None-Match": etag})
    assert again.status == 304 and again.body == b"" and again.headers["etag"] == etag
    other = site.get(f"{API}/incidents", params={"kind": "death"}, headers={"If-None-Match": etag})
    assert other.status == 200 and other.headers["etag"] != etag
    assert (
        site.get(
            f"{API}/incidents", params={"kind": "pushback"}, headers={"If-None-Match": f"W/{etag}"}
        ).status
        == 304
    )
    head = site.request("HEAD", f"{API}/incidents?kind=pushback")
    assert head.status == 200 and head.body == b"" and head.headers["etag"] == etag


def test_the_description_and_its_page(site: Site) -> None:
    description = site.get(f"{API}/openapi.json").json()
    assert description["openapi"].startswith("3.")
    assert set(description["paths"]) == {
        f"{API}/{p}"
        for p in ("incidents", "incidents/{incident_id}", "facets", "aggregates", "clusters", "release")
    }
    returned = {
        ref.rsplit("/", 1)[1]
        for path in description["paths"].values()
        for operation in path.values()
        for response in operation["responses"].values()
        for media in response.get("content", {}).values()
        for ref in [media["schema"].get("$ref", "")]
        if ref
    }
    assert returned and all(name.endswith("Public") for name in returned)
    docs = site.get(f"{API}/docs")
    assert docs.status == 200 and b"swagger-ui" in docs.body
