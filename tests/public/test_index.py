"""The in-memory index agrees with a brute-force reading of the rows it was built from: for any combination
of filters, the same incidents match, the facets count the same, pages cover the matches once each in date
order, and map clusters hold exactly the matching incidents that have a place in the box, their markers never
overlapping at the zoom asked for."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bordermonitor.public import bits, query
from bordermonitor.public.filters import Filters
from bordermonitor.public.release import Release
from tests.public.brute import facet_counts, matches, overlapping_markers
from tests.public.factory import CODES, KINDS, NATIONALITIES, STATES, WORDS

months = st.builds(lambda y, m: f"{y}-{m:02d}", st.integers(2018, 2024), st.integers(1, 12))
days = st.builds(
    lambda y, m, d: f"{y}-{m:02d}-{d:02d}", st.integers(2018, 2024), st.integers(1, 12), st.integers(1, 28)
)
boxes = st.tuples(st.floats(-180, 180), st.floats(-90, 90), st.floats(-180, 180), st.floats(-90, 90)).map(
    lambda b: (b[0], min(b[1], b[3]), b[2], max(b[1], b[3]))
)
filters = st.builds(
    Filters,
    date_from=st.none() | months | days,
    date_to=st.none() | months | days,
    expelled_by=st.none() | st.sampled_from(STATES),
    violence=st.none() | st.sampled_from(CODES),
    nationality=st.none() | st.sampled_from(NATIONALITIES),
    minors_involved=st.none() | st.booleans(),
    kind=st.none() | st.sampled_from(KINDS),
    country=st.none() | st.sampled_from(STATES),
    q=st.none() | st.lists(st.sampled_from(WORDS), min_size=1, max_size=2).map(" ".join),
    bbox=st.none() | boxes | st.just((170.0, -20.0, -170.0, -10.0)) | st.just((10.0, 40.0, 25.0, 48.0)),
)
CHECK = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _expected(rows: list[dict[str, Any]], f: Filters) -> list[str]:
    return [row["id"] for row in rows if matches(row, f)]


@CHECK
@given(f=filters)
def test_filters_select_what_a_brute_force_reading_selects(
    f: Filters, release: Release, rows: list[dict[str, Any]]
) -> None:
    mask = release.select(f)
    found = [release.index.ids[p] for p in query.positions(release.index, mask)]
    assert sorted(found) == sorted(_expected(rows, f))
    assert query.count(release.index, mask) == len(found)


@CHECK
@given(f=filters)
def test_facets_count_what_a_brute_force_reading_counts(
    f: Filters, release: Release, rows: list[dict[str, Any]]
) -> None:
    expected = facet_counts(row for row in rows if matches(row, f))
    got = query.facets(release.index, release.select(f))
    assert got == {name: {k: v for k, v in counts.items() if v} for name, counts in expected.items()}


@CHECK
@given(f=filters, size=st.integers(1, 40), newest_first=st.booleans())
def test_pages_cover_every_match_once_in_date_order(
    f: Filters, size: int, newest_first: bool, release: Release, rows: list[dict[str, Any]]
) -> None:
    mask = release.select(f)
    total = query.count(release.index, mask)
    seen: list[int] = []
    number = 1
    while True:
        chunk = query.page(release.index, mask, number=number, size=size, newest_first=newest_first)
        if not len(chunk):
            break
        assert len(chunk) <= size
        seen.extend(int(p) for p in chunk)
        number += 1
    assert len(seen) == total == len(set(seen))
    assert seen == sorted(seen, reverse=newest_first)
    order = {row["id"]: n for n, row in enumerate(rows)}  # the archive's rows are in date order
    ids = [release.index.ids[p] for p in seen]
    assert [order[i] for i in ids] == sorted((order[i] for i in ids), reverse=newest_first)


@CHECK
@given(f=filters, zoom=st.integers(0, 18), box=st.none() | boxes)
# Across the 180th meridian from a hair east of 0 round to 0: the whole world but a hairline, whose edges
# are one and the same point in world widths.
@example(f=Filters(), zoom=0, box=(2.4321665644328962e-132, 0.0, 0.0, 41.0))
def test_clusters_hold_exactly_the_matching_incidents_with_a_place(
    f: Filters,
    zoom: int,
    box: tuple[float, float, float, float] | None,
    release: Release,
    rows: list[dict[str, Any]],
) -> None:
    unboxed = dataclasses.replace(f, bbox=None)
    mask = release.select(unboxed)
    found, total = query.clusters(release.index, mask, zoom=zoom, bbox=box)
    assert query.clusters(release.index, mask, zoom=zoom, bbox=box, sparse_share=1) == (found, total)
    located = [r for r in rows if matches(r, unboxed) and r["lat"] is not None]
    if box is not None:
        located = [r for r in located if matches(r, Filters(bbox=box))]
    assert total == sum(c.count for c in found) == len(located)
    assert len(found) <= (query.MAX_CELLS_ACROSS + 1) ** 2
    by_id = {r["id"]: r for r in located}
    for cluster in found:
        assert cluster.count >= 1
        if cluster.count == 1:
            assert cluster.position is not None
            row = by_id[release.index.ids[cluster.position]]
            assert (cluster.lat, cluster.lon) == (row["lat"], row["lon"])
        else:
            assert cluster.position is None and cluster.bbox is not None
            assert sum(1 for r in located if matches(r, Filters(bbox=cluster.bbox))) >= cluster.count
    assert overlapping_markers(found, zoom=zoom, box=box) == []


def test_unfiltered_selection_is_everything_and_allocates_nothing(release: Release) -> None:
    assert release.select(Filters()) is None
    assert query.count(release.index, None) == release.index.size


def test_a_month_matches_a_range_that_contains_the_whole_month(
    release: Release, rows: list[dict[str, Any]]
) -> None:
    month_rows = [r for r in rows if r["date"] and len(r["date"]) == 7]
    month = month_rows[0]["date"]
    inside = release.select(Filters(date_from=month, date_to=month))
    ids = {release.index.ids[p] for p in query.positions(release.index, inside)}
    assert month_rows[0]["id"] in ids
    partial = release.select(Filters(date_from=f"{month}-02", date_to=f"{month}-28"))
    assert month_rows[0]["id"] not in {release.index.ids[p] for p in query.positions(release.index, partial)}


def test_summary_figures_come_from_the_rows(release: Release, rows: list[dict[str, Any]]) -> None:
    summary = release.summary
    assert summary.incidents == len(rows)
    assert summary.people == sum(r["group_size"] for r in rows if r["group_size"] is not None)
    assert summary.minors_involved == sum(1 for r in rows if r["minors_involved"] is True)
    assert summary.with_violence == sum(1 for r in rows if r["violence"])
    assert summary.located == sum(1 for r in rows if r["lat"] is not None)


def test_rows_come_back_decoded_in_the_order_asked(release: Release, rows: list[dict[str, Any]]) -> None:
    positions = np.array([5, 0, 17], dtype=np.int64)
    got = release.rows(positions)
    assert [g["id"] for g in got] == [rows[5]["id"], rows[0]["id"], rows[17]["id"]]
    assert got == [rows[5], rows[0], rows[17]]


def test_full_text_understands_phrases_and_prefixes(release: Release, rows: list[dict[str, Any]]) -> None:
    def ids(q: str) -> set[str]:
        return {release.index.ids[p] for p in query.positions(release.index, release.text_bits(q))}

    assert ids("polic*") == ids("police")
    assert ids('"police OR" NEAR(') <= ids("police")  # operators are only text
    phrase = {r["id"] for r in rows if any("police dogs" in (r[k] or "") for k in ("title", "narrative"))}
    assert phrase
    assert ids('"police dogs"') >= phrase


@settings(max_examples=200, deadline=None)
@given(
    size=st.integers(0, 700),
    data=st.data(),
    start=st.integers(0, 800),
    length=st.integers(0, 300),
    newest_first=st.booleans(),
)
def test_packed_bits_round_trip_and_page_like_a_sorted_list(
    size: int, data: st.DataObject, start: int, length: int, newest_first: bool
) -> None:
    chosen = sorted(data.draw(st.sets(st.integers(0, max(size - 1, 0)), max_size=size)) if size else set())
    packed = bits.from_positions(np.array(chosen, dtype=np.int64), size)
    assert packed.size == bits.words(size)
    assert list(bits.positions(packed)) == chosen
    assert bits.count(packed) == len(chosen)
    assert list(np.flatnonzero(bits.to_bool(packed, size))) == chosen
    ordered = chosen[::-1] if newest_first else chosen
    assert (
        list(bits.page(packed, start=start, size=length, newest_first=newest_first))
        == ordered[start : start + length]
    )
