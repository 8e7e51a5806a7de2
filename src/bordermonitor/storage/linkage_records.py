"""What cross-checking reads of reports: ``core.linkage.LinkRecord``s built in bulk, and who may be paired.

Reports are read with one flat query (plain column values through the cursor, as ``storage.matrix`` does) and
their lists — expelling states, nationalities, violence codes, perpetrator authorities — with one query per list
by chunks of report ids. Border areas are assigned for all records at once (``BorderAreas.assign_many``). The
narrative, the longest column, is read only when asked for: a batch over the whole database blocks on records
without it and reads the texts of the pairs it scores. Narratives are sealed: ``rawsql.fetch`` opens them in
Python, with the record keys of a chunk read in one query.

Which pairs are considered (:class:`Pairing`): two reports of one organisation; or of two organisations when both
reports are seen by the network (the organisation shares with the network and the report's source consented).
Drafts and rejected reports are never paired.

One report's candidates are first checked by date and place without building their records
(:class:`BlockingColumns`: the few columns blocking reads, turned into arrays with numpy), since a report known
only to the month, or without a date, may be compared with thousands.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db.models import QuerySet

from bordermonitor.core.linkage import PLACE_RADIUS_KM, UNBOUNDED_WINDOW, LinkageError, LinkRecord, LinkTable
from bordermonitor.core.linkage_levels import chord
from bordermonitor.core.linkage_records import UNKNOWN_AREA
from bordermonitor.core.linkage_table import (
    DATASET,
    DAY_WINDOW,
    MONTH_WINDOW,
    YEAR_WINDOW,
    BitSets,
    unit_vector,
)
from bordermonitor.storage.matrix import areas
from bordermonitor.storage.models import (
    Organisation,
    Report,
    ReportExpeller,
    ReportNationality,
    ReportViolence,
)
from bordermonitor.storage.rawsql import CHUNK, children, fetch, perpetrator_codes, yes_no

__all__ = [
    "COLUMN",
    "NEVER_PAIRED",
    "BlockingColumns",
    "Pairing",
    "build",
    "link_record",
    "link_records",
    "link_records_of",
    "pairable",
    "pairing_of",
    "read_rows",
    "with_texts",
]

NEVER_PAIRED = ("draft", "rejected")
"""Statuses whose reports are never cross-checked: not yet submitted, or refused."""
_COLUMNS = (
    "id", "organisation_id", "ref", "kind", "incident_id", "date_start", "date_precision", "time", "lat",
    "lon", "country", "expelled_to", "group_size", "minors", "women", "men", "minors_involved",
    "officers_description", "status", "consent_share_with_network",
)  # fmt: skip
_TEXT_COLUMNS = ("id", "narrative_text", "narrative_language", "narrative_translation_en")
COLUMN = {name: k for k, name in enumerate(_COLUMNS)}
"""A column's place in a row of :func:`read_rows`."""


def pairable(reports: QuerySet[Report] | None = None) -> QuerySet[Report]:
    """The reports cross-checking reads: all but drafts and rejected ones (of ``reports`` when given)."""
    return (Report.objects.all() if reports is None else reports).exclude(status__in=NEVER_PAIRED)


@dataclass(frozen=True, slots=True)
class Pairing:
    """Which two reports may be paired, from each report's organisation and whether the network sees it."""

    organisation: dict[int, int]  # report id → organisation id
    network: dict[int, bool]  # report id → seen by the network
    auto_link: frozenset[int]  # organisations that let cross-checking link their reports without review

    def automatic(self, a: int, b: int) -> bool:
        return self.organisation[a] in self.auto_link and self.organisation[b] in self.auto_link


def _date(value: Any) -> dt.date | None:
    """A date column as the driver returns it (SQLite: text, PostgreSQL: a date)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _texts(ids: list[int]) -> dict[int, tuple[str | None, str | None]]:
    """``(text, language)`` of each report: the English translation when there is one, else the narrative."""
    out: dict[int, tuple[str | None, str | None]] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        for rid, text, language, english in fetch(Report.objects.filter(id__in=chunk), _TEXT_COLUMNS):
            out[rid] = (english, "en") if english else (text, language if text else None)
    return out


def _organisations() -> dict[int, tuple[str, bool, bool]]:
    return {
        pk: (code, shares, auto)
        for pk, code, shares, auto in Organisation.objects.values_list(
            "id", "code", "shares_with_network", "auto_link"
        )
    }


def read_rows(reports: QuerySet[Report]) -> list[tuple[Any, ...]]:
    """The columns linkage reads of each report of ``reports``, in id order, as plain values (no lists, no
    narrative): what :func:`build` turns into records."""
    return fetch(reports.order_by("id"), _COLUMNS)


_PLACE_LIMIT = chord(PLACE_RADIUS_KM) ** 2  # core.linkage_blocking's limit on the squared chord
_NEAR_LIMIT = 1e-12  # squared chords this close to the limit are recomputed as core computes them
_EPOCH = dt.date(1970, 1, 1).toordinal()


class BlockingColumns(LinkTable):
    """One report (row 0) and stored reports (rows 1…, from :func:`read_rows`) as the columns
    :func:`~bordermonitor.core.linkage.compatible` reads — dates, places — so that thousands of candidates are
    checked with numpy without building a record for each. ``compatible(columns, 0, k)`` answers as
    :func:`~bordermonitor.core.linkage.may_match` on the records would, but for the expelling states: the
    stored reports' chains are not read here (they count as unknown; check them on what passes).

    Only the pairs with row 0 are meaningful, and only the columns ``compatible`` reads are filled in: a place's
    area and country, and the organisation (row 0's is ``organisation``, its id), are coded as the same as row
    0's or another one, and an area is looked up only where it can decide (no coordinates on a side, two known
    countries that differ). Rows :func:`build` would refuse for their date (a month not on its first day, an
    unknown precision) are in :attr:`refused`: leave them out.
    """

    def __init__(self, record: LinkRecord, organisation: int, rows: Sequence[tuple[Any, ...]]) -> None:
        first = LinkTable([record])
        n = len(rows)
        self.records = [record]
        self.size = n + 1
        column = (
            dict(zip(_COLUMNS, zip(*rows, strict=True), strict=True)) if rows else dict.fromkeys(_COLUMNS, ())
        )
        self.ids = np.array(column["id"], dtype=np.int64)
        self.incident = np.array(column["incident_id"], dtype=np.int64)
        starts = column["date_start"]
        dated = np.array([start is not None for start in starts], dtype=bool)
        precisions = [
            p if start is not None else None
            for p, start in zip(column["date_precision"], starts, strict=True)
        ]
        lo = _ordinals(starts, dated)
        precision = np.where(dated, 1, 0).astype(np.int8)
        month = np.array([p == "month" for p in precisions], dtype=bool) & dated
        year = np.array([p == "year" for p in precisions], dtype=bool) & dated
        unknown = (
            np.array([p not in (None, "", "day", "month", "year") for p in precisions], dtype=bool) & dated
        )
        precision[month], precision[year] = 2, 3
        days = (lo - _EPOCH).astype("datetime64[D]")
        hi = lo.copy()
        month_ends = (days[month].astype("datetime64[M]") + 1).astype("datetime64[D]").astype(np.int64)
        hi[month] = month_ends + _EPOCH - 1
        year_ends = (days[year].astype("datetime64[Y]") + 1).astype("datetime64[D]").astype(np.int64)
        hi[year] = year_ends + _EPOCH - 1
        day_of_month = days - days.astype("datetime64[M]").astype("datetime64[D]")
        day_of_year = days - days.astype("datetime64[Y]").astype("datetime64[D]")
        self.refused = unknown | (month & (day_of_month != np.timedelta64(0, "D")))
        self.refused |= year & (day_of_year != np.timedelta64(0, "D"))
        window = np.select(
            [~dated, precision == 1, precision == 2],
            [UNBOUNDED_WINDOW, DAY_WINDOW, MONTH_WINDOW],
            YEAR_WINDOW,
        )
        self.lo = np.concatenate([first.lo, np.where(dated, lo, 0)])
        self.hi = np.concatenate([first.hi, np.where(dated, hi, 0)])
        self.precision = np.concatenate([first.precision, precision])
        self.window = np.concatenate([first.window, window.astype(np.int64)])

        places = list(zip(column["lat"], column["lon"], column["country"], strict=True))
        lat = np.array(
            [a if a is not None and b is not None else np.nan for a, b, _c in places], dtype=np.float64
        )
        lon = np.array(
            [b if a is not None and b is not None else np.nan for a, b, _c in places], dtype=np.float64
        )
        points = ~np.isnan(lat)
        phi, lam = np.radians(lat), np.radians(lon)
        x, y, z = np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)
        if first.has_point[0]:
            # numpy's sines may differ from math's in the last bit: where that could decide, use math's
            gap = (x - first.x[0]) ** 2 + (y - first.y[0]) ** 2 + (z - first.z[0]) ** 2
            for k in np.flatnonzero(np.abs(gap - _PLACE_LIMIT) <= _NEAR_LIMIT).tolist():
                x[k], y[k], z[k] = unit_vector(float(lat[k]), float(lon[k]))
        self.has_point = np.concatenate([first.has_point, points])
        self.x = np.concatenate([first.x, x])
        self.y = np.concatenate([first.y, y])
        self.z = np.concatenate([first.z, z])
        self.lat = np.concatenate([first.lat, lat])
        self.lon = np.concatenate([first.lon, lon])

        countries = column["country"]
        country = np.array([-1 if c is None else 0 if c == record.country else 1 for c in countries])
        area = np.full(n, -1, dtype=np.int64)
        if record.country is not None and record.area != UNKNOWN_AREA:
            # the area decides only without coordinates on a side, between two known countries that differ
            open_ = (country == 1) & (~points | (not first.has_point[0]))
            picked = np.flatnonzero(open_).tolist()
            codes = areas().assign_many([places[k] for k in picked])
            for k, code in zip(picked, codes, strict=True):
                area[k] = -1 if code == UNKNOWN_AREA else 0 if code == record.area else 1
        mine = -1 if record.area == UNKNOWN_AREA else 0
        self.area = np.concatenate([[mine], area]).astype(np.int64)
        self.country = np.concatenate([[-1 if record.country is None else 0], country]).astype(np.int64)
        self.has_place = self.has_point | (self.area >= 0) | (self.country >= 0)
        others = np.array([org != organisation for org in column["organisation_id"]], dtype=np.int64)
        self.organisation = np.concatenate([[0], others]).astype(np.int64)
        self.dataset = np.concatenate(
            [first.dataset, np.array([kind == DATASET for kind in column["kind"]], dtype=bool)]
        )
        self.chain = np.full(n + 1, -1, dtype=np.int64)
        self.states = BitSets(np.zeros((n + 1, 1), dtype=np.uint64))
        self.neighbours = np.full(n + 1, -1, dtype=np.int64)
        self._vectors = {}


def _ordinals(starts: Sequence[Any], dated: npt.NDArray[np.bool_]) -> npt.NDArray[np.int64]:
    """The day numbers (``date.toordinal()``) of stored dates (SQLite: text, PostgreSQL: dates); 0 without."""
    known = [start for start in starts if start is not None]
    out = np.zeros(len(starts), dtype=np.int64)
    if not known:
        return out
    if all(isinstance(start, str) and len(start) == 10 for start in known):
        out[dated] = np.array(known, dtype="datetime64[D]").astype(np.int64) + _EPOCH
    else:
        out[dated] = [_date(start).toordinal() for start in known]  # type: ignore[union-attr]
    return out


def with_texts(records: Sequence[LinkRecord]) -> list[LinkRecord]:
    """The records (built without their narratives) with their narratives read (the sealed texts opened)."""
    texts = _texts([r.report_id for r in records])
    out = []
    for record in records:
        narrative, language = texts.get(record.report_id, (None, None))
        out.append(dataclasses.replace(record, text=narrative, text_language=language))
    return out


def build(
    rows: Sequence[tuple[Any, ...]],
    *,
    lists: bool = True,
    text: bool = True,
    problems: list[str] | None = None,
    organisations: dict[int, tuple[str, bool, bool]] | None = None,
) -> list[LinkRecord]:
    """The records of ``rows`` (from :func:`read_rows`), with their lists and narratives read by id unless
    ``lists`` or ``text`` is false (a record without its lists is enough to rule out a date or a place)."""
    organisations = organisations or _organisations()
    ids = [row[0] for row in rows]
    empty: dict[int, list[Any]] = {}
    expelled = children(ReportExpeller, "country", ids) if lists else empty
    nationalities = children(ReportNationality, "country", ids) if lists else empty
    violence = children(ReportViolence, "code", ids) if lists else empty
    perpetrators = perpetrator_codes(ids) if lists else empty
    texts = _texts(ids) if text else {}
    area_codes = areas().assign_many([(row[8], row[9], row[10]) for row in rows])
    records = []
    for row, area in zip(rows, area_codes, strict=True):
        (
            rid, org, ref, kind, incident_id, start, precision, time, lat, lon, country, expelled_to, size,
            minors, women, men, minors_involved, officers, _status, _consent,
        ) = row  # fmt: skip
        narrative, language = texts.get(rid, (None, None))
        if lat is None or lon is None:
            lat = lon = None  # half a place is no place to compare
        try:
            record = LinkRecord(
                report_id=rid,
                organisation=organisations[org][0],
                ref=ref,
                kind=kind,
                incident_id=incident_id,
                date=_date(start),
                precision=(precision or "day") if start is not None else None,
                time=time,
                lat=lat,
                lon=lon,
                area=area,
                country=country,
                expelled_by=tuple(expelled.get(rid, ())),
                expelled_to=expelled_to,
                group_size=size,
                minors=minors,
                women=women,
                men=men,
                minors_involved=yes_no(minors_involved),
                nationalities=frozenset(nationalities.get(rid, ())),
                violence=frozenset(violence.get(rid, ())),
                perpetrators=frozenset(perpetrators.get(rid, ())),
                officers_description=officers,
                text=narrative,
                text_language=language,
            )
        except LinkageError as error:
            if problems is None:
                raise
            problems.append(str(error))
            continue
        records.append(record)
    return records


def pairing_of(rows: Sequence[tuple[Any, ...]], organisations: dict[int, tuple[str, bool, bool]]) -> Pairing:
    """Who of ``rows`` (from :func:`read_rows`) may be paired with whom."""
    return Pairing(
        organisation={row[0]: row[1] for row in rows},
        network={
            row[0]: bool(organisations[row[1]][1]) and yes_no(row[19]) is True and row[18] not in NEVER_PAIRED
            for row in rows
        },
        auto_link=frozenset(pk for pk, (_c, _s, auto) in organisations.items() if auto),
    )


def link_records(
    reports: QuerySet[Report],
    *,
    text: bool = True,
    pairing: bool = False,
    problems: list[str] | None = None,
) -> tuple[list[LinkRecord], Pairing | None]:
    """The :class:`LinkRecord` of every report of ``reports``, in id order, and (with ``pairing``) who may be
    paired with whom. Without ``text`` the records carry no narrative.

    A stored report that linkage cannot read raises :class:`~bordermonitor.core.linkage.LinkageError` naming
    the report and the field — or, given a ``problems`` list, is left out and its message added to it."""
    rows = read_rows(reports)
    organisations = _organisations()
    records = build(rows, text=text, problems=problems, organisations=organisations)
    return records, pairing_of(rows, organisations) if pairing else None


def link_records_of(
    ids: Iterable[int], *, text: bool = True, problems: list[str] | None = None
) -> tuple[list[LinkRecord], Pairing]:
    """:func:`link_records` of the reports ``ids`` (read by chunks of ids), in id order, with their pairing."""
    wanted = sorted(set(ids))
    records: list[LinkRecord] = []
    organisation: dict[int, int] = {}
    network: dict[int, bool] = {}
    auto_link: frozenset[int] = frozenset()
    for start in range(0, len(wanted), CHUNK):
        part, pairing = link_records(
            Report.objects.filter(id__in=wanted[start : start + CHUNK]),
            text=text,
            pairing=True,
            problems=problems,
        )
        assert pairing is not None  # noqa: S101 - asked for
        records += part
        organisation.update(pairing.organisation)
        network.update(pairing.network)
        auto_link = pairing.auto_link
    if not wanted:
        auto_link = frozenset(Organisation.objects.filter(auto_link=True).values_list("id", flat=True))
    return records, Pairing(organisation=organisation, network=network, auto_link=auto_link)


def link_record(report: Report) -> LinkRecord:
    """The :class:`LinkRecord` of one report."""
    records, _ = link_records(Report.objects.filter(pk=report.pk))
    if not records:
        raise LookupError(f"report {report.ref!r} is not stored")
    return records[0]
