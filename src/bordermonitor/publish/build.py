"""Reading, anonymising and checking every incident to publish, and the monthly aggregates.

The rows go to the archive as they are built; what refuses a publication is gathered on the way.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
from collections import Counter, deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from bordermonitor.core.anonymise import PublicationPolicy, leftover_identifiers
from bordermonitor.core.disclosure import protect, recoverable
from bordermonitor.publish import collect
from bordermonitor.publish.archive import ArchiveWriter
from bordermonitor.publish.problems import Problem
from bordermonitor.publish.rows import Built, Licence, ReportRow, build_many, incident_rows

__all__ = ["DIMENSIONS", "Build", "aggregates", "build"]

DIMENSIONS = ("expelled_by", "violence", "nationality")


@dataclass(slots=True)
class Build:
    counts: Counter[str] = field(default_factory=Counter)
    withheld: Counter[str] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    cells: dict[str, Counter[tuple[str, str]]] = field(
        default_factory=lambda: {d: Counter() for d in DIMENSIONS}
    )
    licences: set[tuple[str, str]] = field(default_factory=set)  # (SPDX id, attribution) of every row
    files: list[tuple[str, str]] = field(default_factory=list)  # (store sha256, release path)


def _who(reports: Mapping[str, Any]) -> tuple[str, str, int | None]:
    organisation, ref, pk = reports["reports"][0]
    return organisation, ref, pk


def _check_row(
    row: Mapping[str, Any], names: tuple[str, ...], who: tuple[str, str, int | None]
) -> list[Problem]:
    """Authorities' names are published as the stakeholder register spells them, not redacted: refuse any that
    looks like a person's name known to the record or an identifier. (Titles, narratives, places and regions
    have just been redacted by the same detectors; redaction leaves nothing they would find.)"""
    problems = []
    for text in row.get("perpetrators") or ():
        for span in leftover_identifiers(text, known_names=names):
            problems.append(Problem(*who, field="perpetrators", message=f"contains a {span.kind}"))
    return problems


def build(
    policy: PublicationPolicy,
    licence: Licence,
    writer: ArchiveWriter | None,
    progress: Callable[[str], None],
    *,
    parallel: bool = False,
) -> Build:
    build = Build()
    for _public_id, reports, who, built in _anonymised(
        collect.reports_by_incident(network_licence=licence), policy, parallel=parallel
    ):
        row = built.incident
        names = tuple(dict.fromkeys(n for r in reports for n in r.known_names))
        build.problems.extend(_check_row(row, names, _who(who)))
        for item, report in ((item, r) for r in reports for item in r.evidence):
            if item["sha256"] is None:
                build.problems.append(
                    Problem(
                        *_who({"reports": [w for w in who["reports"] if w[2] == report.id]}),
                        field="evidence",
                        message="chosen for publication but has no metadata-stripped public copy",
                    )
                )
            else:
                build.files.append((item["sha256"], item["file"]))
        build.counts["incidents"] += 1
        build.counts["reports"] += len(reports)
        build.counts["evidence"] += len(built.evidence)
        build.counts["with narrative"] += row["narrative"] is not None
        build.counts["with coordinates"] += row["lat"] is not None
        build.withheld.update(built.withheld)
        build.licences.update((r.licence.spdx, r.licence.attribution) for r in reports)
        if row["month"]:
            for dimension, values in zip(
                DIMENSIONS, (row["expelled_by"], row["violence"], row["nationalities"]), strict=True
            ):
                for value in dict.fromkeys(values):
                    build.cells[dimension][(row["month"], value)] += 1
        else:
            build.withheld["incidents without a month, left out of the monthly aggregates"] += 1
        if writer is not None:
            writer.add("incidents", [row])
            writer.add("violence", built.violence)
            writer.add(
                "evidence",
                [
                    {k: e[k] for k in ("incident_id", "kind", "file", "media_type", "size", "sha256")}
                    for e in built.evidence
                    if e["sha256"]
                ],
            )
        if build.counts["incidents"] % 10000 == 0:
            progress(f"{build.counts['incidents']} incidents")
    return build


_PARALLEL_CHUNK = 1000  # incidents per task of the worker processes


def _anonymised(
    incidents: Iterator[tuple[str, tuple[ReportRow, ...], dict[str, Any]]],
    policy: PublicationPolicy,
    *,
    parallel: bool,
) -> Iterator[tuple[str, tuple[ReportRow, ...], dict[str, Any], Built]]:
    """Each incident with its release rows. Redaction is the costly part and needs no database, so a large
    publication hands it to one worker process per core, a thousand incidents at a time, in order. (The dry
    run of the Publish page never starts processes inside the web server.)"""
    first = list(itertools.islice(incidents, _PARALLEL_CHUNK))
    if not parallel or len(first) < _PARALLEL_CHUNK or (os.cpu_count() or 1) < 2:
        for public_id, reports, who in itertools.chain(first, incidents):
            yield public_id, reports, who, incident_rows(public_id, reports, policy=policy)
        return
    context = multiprocessing.get_context("spawn")  # the workers need no Django and get none
    in_flight: deque[tuple[list[Any], Any]] = deque()
    with context.Pool(os.cpu_count()) as pool:
        # the database is read here, in this thread only; the workers get plain report rows
        for chunk in _chunks(itertools.chain(first, incidents)):
            task = pool.apply_async(build_many, (policy, [(p, r) for p, r, _ in chunk]))
            in_flight.append((chunk, task))
            if len(in_flight) > 4:
                yield from _finished(*in_flight.popleft())
        while in_flight:
            yield from _finished(*in_flight.popleft())


def _finished(
    chunk: list[Any], task: Any
) -> Iterator[tuple[str, tuple[ReportRow, ...], dict[str, Any], Built]]:
    for (public_id, reports, who), rows in zip(chunk, task.get(), strict=True):
        yield public_id, reports, who, rows


def _chunks(items: Iterator[Any]) -> Iterator[list[Any]]:
    while chunk := list(itertools.islice(items, _PARALLEL_CHUNK)):
        yield chunk


def aggregates(build: Build, threshold: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for dimension in DIMENSIONS:
        table = protect(build.cells[dimension], threshold=threshold)
        if recoverable(table):
            build.problems.append(
                Problem(
                    "",
                    "",
                    None,
                    field=f"aggregates.{dimension}",
                    message="a suppressed cell could be recovered from published totals",
                )
            )
        for cell in sorted(table.cells, key=lambda c: (c.row == "*", c.row, c.column == "*", c.column)):
            rows.append(
                {
                    "dimension": dimension,
                    "month": cell.row,
                    "value": cell.column,
                    "incidents": None if cell.suppressed else cell.value,
                    "suppressed": cell.suppressed,
                }
            )
        build.counts[f"suppressed {dimension} cells"] = sum(c.suppressed for c in table.cells)
    return rows
