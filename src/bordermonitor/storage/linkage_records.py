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
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from bordermonitor.core.linkage import LinkageError, LinkRecord
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
    "NEVER_PAIRED",
    "Pairing",
    "build",
    "link_record",
    "link_records",
    "link_records_of",
    "pairable",
    "pairing_of",
    "read_rows",
]

NEVER_PAIRED = ("draft", "rejected")
"""Statuses whose reports are never cross-checked: not yet submitted, or refused."""
_COLUMNS = (
    "id", "organisation_id", "ref", "kind", "incident_id", "date_start", "date_precision", "time", "lat",
    "lon", "country", "expelled_to", "group_size", "minors", "women", "men", "minors_involved",
    "officers_description", "status", "consent_share_with_network",
)  # fmt: skip
_TEXT_COLUMNS = ("id", "narrative_text", "narrative_language", "narrative_translation_en")


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
