"""``bordermonitor publish``: the open-data release, built in a new directory and switched on atomically.

``out`` is a symbolic link to the release being served, ``<out>.releases/<version>``. A new release is built
in ``<out>.releases/.<version>.partial``; only when it is complete and every check has passed is it renamed and
the link replaced in one step (``rename(2)``), so the public site never sees half a release and a failed or
refused publication leaves the previous release serving. The last :data:`KEEP` releases are kept.

A publication is refused — nothing is switched, the partial directory is removed — when any check fails, with
the list of records at fault: an identifier still in a published text, evidence chosen for publication without a
metadata-stripped public copy, a name known to any record or a staff member's name or address anywhere in the
files, or an aggregate cell that published totals would reveal.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import multiprocessing
import os
import shutil
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django_scopes import scopes_disabled

from bordermonitor.core.anonymise import PublicationPolicy, fold, leftover_identifiers
from bordermonitor.core.disclosure import protect, recoverable
from bordermonitor.publish import collect
from bordermonitor.publish.archive import ArchiveWriter, read_rows
from bordermonitor.publish.formats import CsvWriter, datapackage, file_digest, geojson_feature, write_json
from bordermonitor.publish.notes import release_notes
from bordermonitor.publish.rows import Built, Licence, ReportRow, build_many, incident_rows
from bordermonitor.publish.scan import find_names_in_release
from bordermonitor.publish.schema import FORMAT_VERSION, RESOURCES, resource
from bordermonitor.storage.audit import event_rows
from bordermonitor.storage.evidence import derivative_store
from bordermonitor.storage.models import AuditEvent, Report, User
from bordermonitor.storage.publication import withdraw_stale_approvals

__all__ = ["KEEP", "Plan", "Problem", "PublicationRefused", "Release", "current_release", "plan", "publish"]

KEEP = 5
DIMENSIONS = ("expelled_by", "violence", "nationality")


@dataclass(frozen=True, slots=True)
class Problem:
    organisation: str
    ref: str
    report_id: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"report '{self.organisation}/{self.ref}'" if self.ref else "release"
        return f"{where}, {self.field}: {self.message}"


class PublicationRefused(Exception):
    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__(f"publication refused: {len(self.problems)} problem(s)")


@dataclass(frozen=True, slots=True)
class Release:
    directory: Path
    version: str
    published_at: str
    counts: dict[str, int]
    withheld: dict[str, int]


@dataclass(frozen=True, slots=True)
class Plan:
    counts: dict[str, int]
    withheld: dict[str, int]
    problems: tuple[Problem, ...]


@dataclass(slots=True)
class _Build:
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


def _build(
    policy: PublicationPolicy,
    licence: Licence,
    writer: ArchiveWriter | None,
    progress: Callable[[str], None],
    *,
    parallel: bool = False,
) -> _Build:
    build = _Build()
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


def _aggregates(build: _Build, threshold: int) -> list[dict[str, Any]]:
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


def _identities() -> tuple[set[str], set[str], set[str]]:
    """Every name known to any record; every staff member's name; every staff member's e-mail address."""
    with scopes_disabled():
        known = {
            name
            for names in Report.objects.exclude(known_names=[]).values_list("known_names", flat=True)
            for name in names or ()
            if name
        }
    staff: set[str] = set()
    addresses: set[str] = set()
    for email, display in User.objects.values_list("email", "display_name"):
        addresses.add(email)
        if display and len(display) >= 3:
            staff.add(display)
    return known, staff, addresses


def _scan(directory: Path) -> list[Problem]:
    """The release searched for every identity: the last line of defence. A hit is reported against the
    published report that holds it — that is where a reviewer corrects the public version — without saying
    whose name it is (the name may be known only to another organisation's record)."""
    known, staff, addresses = _identities()
    hits = find_names_in_release(directory, names=known | staff, emails=addresses)
    staff_keys = {fold(name) for name in staff} | {a.casefold() for a in addresses}
    holders: dict[str, tuple[str, str, int | None]] = {}
    with scopes_disabled():
        wanted = {incident for _, _, incident in hits if incident}
        for public_id, organisation, ref, pk in (
            collect.publishable()
            .filter(incident__public_id__in=wanted)
            .order_by("id")
            .values_list("incident__public_id", "organisation__code", "ref", "id")
        ):
            holders.setdefault(public_id, (organisation, ref, pk))
    problems = []
    for where, hit, incident in hits:
        whose = "a staff member" if hit in staff_keys else "a record"
        holder = holders.get(incident or "", ("", "", None))
        problems.append(Problem(*holder, field=where, message=f"contains a name or address known to {whose}"))
    return list(dict.fromkeys(problems))


def plan(*, policy: PublicationPolicy, licence: Licence | None = None) -> Plan:
    """What a publication would contain now, and what would refuse it (nothing is written)."""
    build = _build(policy, licence or default_licence(), None, lambda _: None)
    _aggregates(build, policy.threshold)
    withheld = {**collect.withheld_reports(), **build.withheld}
    return Plan(dict(build.counts), withheld, tuple(build.problems))


def default_licence() -> Licence:
    from django.conf import settings

    return Licence(
        getattr(settings, "BORDERMONITOR_PUBLISH_LICENCE", "CC-BY-4.0"),
        getattr(settings, "BORDERMONITOR_PUBLISH_ATTRIBUTION", "bordermonitor network"),
    )


def _version(root: Path) -> str:
    """A UTC timestamp; a second release within the same second gets ``-02``, ``-03``… (names sort in time order)."""
    base = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    taken = [p.name.lstrip(".").split(".")[0] for p in root.iterdir() if p.name.lstrip(".").startswith(base)]
    if not taken:
        return base
    last = max(int(name[len(base) + 1 :] or 1) for name in taken)
    return f"{base}-{last + 1:02d}"


def _releases_root(out: Path) -> Path:
    return out.parent / f"{out.name}.releases"


def _check_out(out: Path) -> None:
    if out.is_symlink() or not out.exists():
        return
    if out.is_dir() and not any(out.iterdir()):
        out.rmdir()
        return
    raise ValueError(
        f"{out} exists and is not a release link made by 'bordermonitor publish'; choose another --out or move it"
    )


def publish(
    *,
    out: Path,
    policy: PublicationPolicy,
    actor: str = "cli",
    progress: Callable[[str], None] | None = None,
    licence: Licence | None = None,
    title: str = "Open archive of border violence",
) -> Release:
    """Build and switch on a new release at ``out``; raises :class:`PublicationRefused` with the problems."""
    say = progress or (lambda _: None)
    licence = licence or default_licence()
    out = Path(out).absolute()
    _check_out(out)
    root = _releases_root(out)
    root.mkdir(parents=True, exist_ok=True)
    version = _version(root)
    partial = root / f".{version}.partial"
    partial.mkdir()
    try:
        say("withdrawing approvals of public versions whose texts changed since")
        with scopes_disabled():
            withdraw_stale_approvals()
        say("giving open-data identifiers to incidents published for the first time")
        collect.assign_public_ids()
        say("reading publishable reports and anonymising them")
        writer = ArchiveWriter(partial / "archive.sqlite")
        try:
            build = _build(policy, licence, writer, say, parallel=True)
            aggregates = _aggregates(build, policy.threshold)
            writer.add("aggregates", aggregates)
            if build.problems:
                raise PublicationRefused(build.problems)
            published_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            withheld = {**collect.withheld_reports(), **build.withheld}
            writer.finish(
                metadata={"version": version, "published_at": published_at, "format": FORMAT_VERSION}
            )
        except BaseException:
            writer.close()
            raise
        say("writing CSV, GeoJSON and evidence files")
        _write_files(partial, build)
        digests = {
            p.relative_to(partial).as_posix(): file_digest(p)
            for p in sorted(partial.rglob("*"))
            if p.is_file()
        }
        licences = sorted(build.licences) or [(licence.spdx, licence.attribution)]
        write_json(
            partial / "datapackage.json",
            datapackage(
                partial,
                version=version,
                created=published_at,
                title=title,
                licences=licences,
                digests=digests,
            ),
        )
        digests["datapackage.json"] = file_digest(partial / "datapackage.json")
        meta = {
            "format": FORMAT_VERSION,
            "version": version,
            "published_at": published_at,
            "title": title,
            "counts": dict(build.counts),
            "policy": policy.describe(),
            "threshold": policy.threshold,
            "withheld": withheld,
            "licences": [{"name": spdx, "attribution": attribution} for spdx, attribution in licences],
            "files": {name: {"sha256": sha, "bytes": size} for name, (sha, size) in sorted(digests.items())},
        }
        (partial / "RELEASE.md").write_text(release_notes(meta), encoding="utf-8")
        meta["files"]["RELEASE.md"] = dict(
            zip(("sha256", "bytes"), file_digest(partial / "RELEASE.md"), strict=True)
        )
        write_json(partial / "release.json", meta)
        say("checking every file for names and addresses")
        problems = _scan(partial)
        if problems:
            raise PublicationRefused(problems)
        final = root / version
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    _switch(out, final)
    _prune(root, keep=final)
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(**row)
            for row in event_rows(
                "publish",
                "release",
                [(0, version, None)],
                details={"counts": dict(build.counts), "actor": actor},
            )
        ]
    )
    say(f"release {version} is now served from {out}")
    return Release(final, version, published_at, dict(build.counts), withheld)


def _write_files(directory: Path, build: _Build) -> None:
    archive = directory / "archive.sqlite"
    for item in RESOURCES:
        writer = CsvWriter(directory, item)
        try:
            writer.write(read_rows(archive, item))
        finally:
            writer.close()
    with (directory / "incidents.geojson").open("w", encoding="utf-8") as handle:
        handle.write('{"type":"FeatureCollection","features":[\n')
        first = True
        for row in read_rows(archive, resource("incidents")):
            feature = geojson_feature(row)
            if feature is None:
                continue
            handle.write(
                ("" if first else ",\n") + json.dumps(feature, ensure_ascii=False, separators=(",", ":"))
            )
            first = False
        handle.write("\n]}\n")
    if build.files:
        (directory / "evidence").mkdir()
        store = derivative_store()
        for sha, path in build.files:
            shutil.copyfile(store.path_for(sha), directory / path)


def _switch(out: Path, target: Path) -> None:
    link = out.parent / f".{out.name}.{os.getpid()}.link"
    if link.is_symlink():
        link.unlink()
    link.symlink_to(os.path.relpath(target, out.parent))
    os.replace(link, out)


def _prune(root: Path, *, keep: Path) -> None:
    done = sorted((p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")), reverse=True)
    for old in done[KEEP:]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)


def current_release(out: Path) -> Release | None:
    """The release ``out`` serves now, or None."""
    try:
        meta = json.loads((Path(out) / "release.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return Release(
        Path(out).resolve(), meta["version"], meta["published_at"], meta["counts"], meta["withheld"]
    )
