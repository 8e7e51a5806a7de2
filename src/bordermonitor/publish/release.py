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
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django_scopes import scopes_disabled

from bordermonitor.core.anonymise import PublicationPolicy
from bordermonitor.publish import build as building
from bordermonitor.publish import collect
from bordermonitor.publish.archive import ArchiveWriter, read_rows
from bordermonitor.publish.build import Build
from bordermonitor.publish.formats import CsvWriter, datapackage, file_digest, geojson_feature, write_json
from bordermonitor.publish.notes import release_notes
from bordermonitor.publish.problems import Problem, PublicationRefused
from bordermonitor.publish.rows import Licence
from bordermonitor.publish.scan import scan_release
from bordermonitor.publish.schema import FORMAT_VERSION, RESOURCES, resource
from bordermonitor.publish.switch import (
    KEEP,
    Release,
    check_out,
    current_release,
    new_version,
    prune,
    releases_root,
    switch,
)
from bordermonitor.storage.audit import append, event_rows
from bordermonitor.storage.evidence import write_public_copy
from bordermonitor.storage.publication import withdraw_stale_approvals

__all__ = ["KEEP", "Plan", "Problem", "PublicationRefused", "Release", "current_release", "plan", "publish"]


@dataclass(frozen=True, slots=True)
class Plan:
    counts: dict[str, int]
    withheld: dict[str, int]
    problems: tuple[Problem, ...]


def plan(*, policy: PublicationPolicy, licence: Licence | None = None) -> Plan:
    """What a publication would contain now, and what would refuse it (nothing is written)."""
    build = building.build(policy, licence or default_licence(), None, lambda _: None)
    building.aggregates(build, policy.threshold)
    withheld = {**collect.withheld_reports(), **build.withheld}
    return Plan(dict(build.counts), withheld, tuple(build.problems))


def default_licence() -> Licence:
    from django.conf import settings

    return Licence(
        getattr(settings, "BORDERMONITOR_PUBLISH_LICENCE", "CC-BY-4.0"),
        getattr(settings, "BORDERMONITOR_PUBLISH_ATTRIBUTION", "bordermonitor network"),
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
    check_out(out)
    root = releases_root(out)
    root.mkdir(parents=True, exist_ok=True)
    version = new_version(root)
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
            build = building.build(policy, licence, writer, say, parallel=True)
            aggregates = building.aggregates(build, policy.threshold)
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
        problems = scan_release(partial)
        if problems:
            raise PublicationRefused(problems)
        final = root / version
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    switch(out, final)
    prune(root, keep=final)
    append(
        event_rows(
            "publish", "release", [(0, version, None)], details={"counts": dict(build.counts), "actor": actor}
        )
    )
    say(f"release {version} is now served from {out}")
    return Release(final, version, published_at, dict(build.counts), withheld)


def _write_files(directory: Path, build: Build) -> None:
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
        for sha, path in build.files:  # decrypted and checked whole first (an integrity failure stops here)
            if not (directory / path).exists():
                write_public_copy(sha, directory / path)
