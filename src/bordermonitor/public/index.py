"""An in-memory index of one release's incidents, built once per release from ``archive.sqlite``.

The public pages and API filter, count and cluster up to millions of incidents on every request. Doing that
in SQLite would cost a scan per request; here each field is a numpy array (one value per incident) or, for
the fields a facet counts, *postings*: for each value, the positions of the incidents that have it, in
ascending order, and the same set as packed bits. A filter is an AND of bit sets (dates and places: one
vectorised comparison, then packed); counting every facet value under a filter is an AND and a population
count per value. Both take milliseconds at a million incidents. The incidents' text stays in SQLite (rows are fetched by ``rowid`` for the page being shown).

Positions follow ``rowid`` order, which the archive guarantees is chronological (unknown dates first), so
"newest first" is simply the reverse of position order.

The index is read from the incidents table itself (list columns through ``json_each``), never from derived
tables, so a filter can only ever agree with the row a page shows. It is built with ``group_concat`` so
that SQLite, not Python, walks the million rows.
"""

from __future__ import annotations

import datetime as dt
import math
import sqlite3
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from bordermonitor.public import bits

__all__ = [
    "FIELDS",
    "MULTI_VALUED",
    "UNKNOWN_FIRST_DAY",
    "UNKNOWN_LAST_DAY",
    "IncidentIndex",
    "Postings",
    "build_index",
    "day_range",
]

UNKNOWN_FIRST_DAY = -1  # never >= a date_from: an unknown date matches no date filter
UNKNOWN_LAST_DAY = np.iinfo(np.int32).max  # never <= a date_to
MULTI_VALUED = ("expelled_by", "violence", "nationality")
FIELDS = ("kind", "country", "year", "minors_involved", *MULTI_VALUED)
_LIST_COLUMNS = {"expelled_by": "expelled_by", "violence": "violence", "nationality": "nationalities"}
_MAX_LAT = 85.05112878  # where the web-mercator square ends


@dataclass(frozen=True, slots=True)
class Postings:
    """The incidents that have each value of one field.

    ``values`` are sorted, the unknown value (``None``, single-valued fields only) first; the positions of
    ``values[k]`` are ``positions[starts[k]:starts[k + 1]]``, ascending, and ``bits[k]`` is the same set as
    packed bits (:mod:`bordermonitor.public.bits`)."""

    values: tuple[str | None, ...]
    positions: np.ndarray
    starts: np.ndarray
    bits: np.ndarray  # uint64, one row of words per value

    def of(self, value: str | None) -> np.ndarray:
        """Positions that have ``value`` (empty when no incident has it)."""
        try:
            k = self.values.index(value)
        except ValueError:
            return self.positions[:0]
        return self.positions[self.starts[k] : self.starts[k + 1]]

    def mask(self, value: str | None) -> np.ndarray:
        """The incidents that have ``value``, as packed bits."""
        try:
            return self.bits[self.values.index(value)]
        except ValueError:
            return np.zeros(self.bits.shape[1], dtype=np.uint64)

    def counts(self, mask: np.ndarray | None) -> dict[str | None, int]:
        """Incidents per value among those selected by ``mask`` (packed bits; all when None); values counted
        zero are left out."""
        if mask is None:
            sizes = np.diff(self.starts)
        else:
            sizes = np.bitwise_count(self.bits & mask).sum(axis=1, dtype=np.int64)
        return {v: int(n) for v, n in zip(self.values, sizes, strict=True) if n}

    @property
    def known(self) -> tuple[str, ...]:
        return tuple(v for v in self.values if v is not None)


@dataclass(frozen=True, slots=True)
class IncidentIndex:
    """One release's incidents as arrays, position ``i`` being the ``i``-th incident in date order."""

    size: int
    rowids: np.ndarray  # int64: the archive's rowid of each position
    ids: tuple[str, ...]  # public identifier of each position
    first_day: np.ndarray  # int32 proleptic ordinal of the first day the published date covers
    last_day: np.ndarray  # int32 ordinal of its last day (a month-precision date covers the whole month)
    lat: np.ndarray  # float64, NaN when unknown
    lon: np.ndarray
    x: np.ndarray  # web-mercator position in [0, 1] (west to east), NaN when unknown
    y: np.ndarray  # web-mercator position in [0, 1] (north to south), NaN when unknown
    group_size: np.ndarray  # int64, -1 when unknown
    located: np.ndarray  # packed bits: the incidents with a place
    by_lon: np.ndarray  # int32 positions of the incidents with a place, west to east (for map boxes)
    lon_sorted: np.ndarray  # their longitudes, in that order
    fields: Mapping[str, Postings]

    def positions_of_rowids(self, rowids: np.ndarray) -> np.ndarray:
        """Positions of archive rowids (rowids not in the index are dropped), ascending."""
        return _positions(self.rowids, rowids)


def day_range(text: str | None) -> tuple[int, int] | None:
    """First and last day (proleptic ordinals) of a published date: YYYY-MM-DD, YYYY-MM or YYYY."""
    if not text:
        return None
    try:
        parts = [int(p) for p in text.split("-")]
        if len(parts) == 3:
            day = dt.date(*parts).toordinal()
            return day, day
        if len(parts) == 2:
            year, month = parts
            first = dt.date(year, month, 1)
            following = dt.date(year + month // 12, month % 12 + 1, 1)
            return first.toordinal(), following.toordinal() - 1
        if len(parts) == 1:
            return dt.date(parts[0], 1, 1).toordinal(), dt.date(parts[0], 12, 31).toordinal()
    except ValueError:
        return None
    return None


def _positions(known: np.ndarray, rowids: np.ndarray) -> np.ndarray:
    if rowids.size > 1 and not bool(np.all(rowids[1:] > rowids[:-1])):  # FTS5 gives them ascending already
        rowids = np.unique(rowids)
    size = len(known)
    if size and known[-1] - known[0] == size - 1:  # the usual rowids 1..N
        found = rowids - known[0]
        return found[(found >= 0) & (found < size)]
    found = np.searchsorted(known, rowids)
    inside = found < size
    inside[inside] &= known[found[inside]] == rowids[inside]
    return found[inside]


def _ints(text: str | None) -> np.ndarray:
    if not text:
        return np.zeros(0, dtype=np.int64)
    return np.fromstring(text, dtype=np.int64, sep=",")


def _grouped(db: sqlite3.Connection, sql: str) -> Iterator[tuple[object, np.ndarray]]:
    """(value, rowids) for each row of ``SELECT value, group_concat(rowid) … GROUP BY value``."""
    for value, rowids in db.execute(sql):
        yield value, _ints(rowids)


def _postings(groups: Mapping[str | None, np.ndarray], size: int) -> Postings:
    values = sorted(groups, key=lambda v: (v is not None, v or ""))
    chunks = [np.sort(groups[v]).astype(np.int32) for v in values]
    sizes = np.array([len(c) for c in chunks], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    positions = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int32)
    packed = np.zeros((len(values), bits.words(size)), dtype=np.uint64)
    for k, chunk in enumerate(chunks):
        packed[k] = bits.from_positions(chunk, size)
    return Postings(values=tuple(values), positions=positions, starts=starts, bits=packed)


def _text_value(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _boolean_value(value: object) -> str | None:
    return None if value is None else ("true" if value else "false")


def build_index(db: sqlite3.Connection) -> IncidentIndex:
    """Read the whole index from an open archive (a few seconds at a million incidents)."""
    rows = db.execute("SELECT rowid, id, lat, lon, group_size FROM incidents ORDER BY rowid").fetchall()
    size = len(rows)
    rowids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=size)
    ids = tuple(str(r[1]) for r in rows)
    lat = np.fromiter((math.nan if r[2] is None else r[2] for r in rows), dtype=np.float64, count=size)
    lon = np.fromiter((math.nan if r[3] is None else r[3] for r in rows), dtype=np.float64, count=size)
    group_size = np.fromiter((-1 if r[4] is None else r[4] for r in rows), dtype=np.int64, count=size)
    del rows
    placed = ~(np.isnan(lat) | np.isnan(lon)) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    lat[~placed] = math.nan
    lon[~placed] = math.nan
    x = (lon + 180.0) / 360.0
    clipped = np.radians(np.clip(lat, -_MAX_LAT, _MAX_LAT))
    y = (1.0 - np.log(np.tan(clipped) + 1.0 / np.cos(clipped)) / math.pi) / 2.0

    by_lon = np.flatnonzero(placed)
    by_lon = by_lon[np.argsort(lon[by_lon], kind="stable")].astype(np.int32)

    def positions(found: np.ndarray) -> np.ndarray:
        return _positions(rowids, found)

    first_day = np.full(size, UNKNOWN_FIRST_DAY, dtype=np.int32)
    last_day = np.full(size, UNKNOWN_LAST_DAY, dtype=np.int32)
    for date, found in _grouped(db, "SELECT date, group_concat(rowid) FROM incidents GROUP BY date"):
        days = day_range(date if isinstance(date, str) else None)
        if days is not None:
            where = positions(found)
            first_day[where], last_day[where] = days

    fields: dict[str, Postings] = {}
    for name, convert in (
        ("kind", _text_value),
        ("country", _text_value),
        ("year", _text_value),
        ("minors_involved", _boolean_value),
    ):
        groups: dict[str | None, np.ndarray] = {}
        sql = f'SELECT "{name}", group_concat(rowid) FROM incidents GROUP BY 1'  # noqa: S608 - constant names
        for value, found in _grouped(db, sql):
            key = convert(value)
            groups[key] = np.concatenate([groups.get(key, found[:0]), positions(found)])
        fields[name] = _postings(groups, size)
    for name, column in _LIST_COLUMNS.items():
        sql = (
            f"SELECT j.value, group_concat(DISTINCT i.rowid) FROM incidents i, json_each(i.{column}) j "  # noqa: S608 - constant names
            f"WHERE i.{column} IS NOT NULL AND j.type = 'text' GROUP BY j.value"
        )
        fields[name] = _postings({str(value): positions(found) for value, found in _grouped(db, sql)}, size)
    return IncidentIndex(
        size=size,
        rowids=rowids,
        ids=ids,
        first_day=first_day,
        last_day=last_day,
        lat=lat,
        lon=lon,
        x=x,
        y=y,
        group_size=group_size,
        located=bits.from_bool(placed),
        by_lon=by_lon,
        lon_sorted=lon[by_lon],
        fields=MappingProxyType(fields),
    )
