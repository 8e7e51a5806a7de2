"""Publication time at scale (issue target: 1,000,000 incidents published in under 5 minutes).

Builds (once, then reuses) a database of N synthetic reports in ``var/bench-publish-N``, makes every one
publishable — consented, approved for publication, its public version approved, its organisation sharing —
and times ``bordermonitor.publish.release.publish`` end to end: reading, anonymising, checking, writing the
SQLite archive (with its full-text index), the CSV and GeoJSON files and the data package, and the final scan
of every file for names and addresses.

    python benchmarks/publish.py --count 1000000
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _setup(count: int) -> Path:
    data_dir = ROOT / "var" / f"bench-publish-{count}"
    fresh = not (data_dir / "bordermonitor.sqlite3").exists()
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["BORDERMONITOR_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bordermonitor.web.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import F
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from bordermonitor.demo.synthetic import synthetic_reports
    from bordermonitor.evidence.store import FileStore
    from bordermonitor.importers import jsonl
    from bordermonitor.storage.accounts import add_organisation
    from bordermonitor.storage.audit import acting_as
    from bordermonitor.storage.imports import run_import_file
    from bordermonitor.storage.models import Organisation, Report

    call_command("migrate", verbosity=0)
    with scopes_disabled(), acting_as("bench"):
        if fresh or Report.objects.count() < count:
            source = data_dir / "reports.jsonl"
            with source.open("w", encoding="utf-8") as handle:
                for record in synthetic_reports(count=count, seed=5):
                    record["evidence"] = []
                    handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            started = time.perf_counter()
            run_import_file(jsonl.__name__, source, store=FileStore(data_dir / "evidence"), batch_size=1000)
            print(f"imported {count:,} reports in {time.perf_counter() - started:.0f} s")
            source.unlink()
            started = time.perf_counter()
            Report.objects.update(
                status="approved_for_publication",
                consent_publish=True,
                public_title=F("title"),
                public_narrative=F("narrative_text"),
                public_approved_at=timezone.now(),
            )
            for code in Organisation.objects.values_list("code", flat=True):
                add_organisation(code=code, name=code, shares_with_network=True)
            print(f"made every report publishable in {time.perf_counter() - started:.0f} s")
    return data_dir


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    args = parser.parse_args()
    data_dir = _setup(args.count)
    from django.conf import settings

    from bordermonitor.publish.release import publish

    marks: list[tuple[float, str]] = []
    started = time.perf_counter()
    release = publish(
        out=data_dir / "public" / "current",
        policy=settings.BORDERMONITOR_PUBLICATION_POLICY,
        actor="bench",
        progress=lambda line: marks.append((time.perf_counter() - started, line)),
    )
    total = time.perf_counter() - started
    previous = 0.0
    for at, line in marks:
        if not line[0].isdigit():
            print(f"{at - previous:7.1f} s  then: {line}")
            previous = at
    incidents = release.counts["incidents"]
    size = sum(p.stat().st_size for p in release.directory.rglob("*") if p.is_file())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"published {incidents:,} incidents ({release.counts['reports']:,} reports) in {total:.1f} s "
        f"= {incidents / total:,.0f} incidents/s; release {size / 1e6:,.0f} MB; peak memory {peak:,.0f} MB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
