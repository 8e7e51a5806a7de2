"""Import speed of interchange records: generate N synthetic records, import them into an empty database,
print records per second. `make bench` runs it with 100,000 records on SQLite (set DATABASE_URL for PostgreSQL).

    python benchmarks/import_interchange.py --count 100000
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=1000)
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="bordermonitor-bench-"))
    os.environ["BORDERMONITOR_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bordermonitor.web.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django_scopes import scopes_disabled

    from bordermonitor.demo.synthetic import synthetic_reports
    from bordermonitor.evidence.store import FileStore
    from bordermonitor.importers import jsonl
    from bordermonitor.storage.audit import acting_as
    from bordermonitor.storage.imports import run_import_file
    from bordermonitor.storage.statistics import network_stats

    call_command("migrate", verbosity=0)
    source = data_dir / "bench.jsonl"
    started = time.perf_counter()
    with source.open("w", encoding="utf-8") as handle:
        for record in synthetic_reports(count=args.count, seed=args.seed):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    generated = time.perf_counter() - started

    with scopes_disabled(), acting_as("bench"):
        started = time.perf_counter()
        summary = run_import_file(
            jsonl.__name__, source, store=FileStore(data_dir / "evidence"), batch_size=args.batch
        )
        imported = time.perf_counter() - started
        started = time.perf_counter()
        figures = network_stats()
        stats_time = time.perf_counter() - started

    rate = summary.imported / imported
    print(f"database: {connection.vendor}")
    print(f"records: {summary.imported} imported, {summary.flagged} flagged, {summary.rejected} rejected")
    print(f"generated {args.count} records in {generated:.1f} s ({source.stat().st_size / 1e6:.0f} MB)")
    print(f"imported in {imported:.1f} s: {rate:,.0f} records/s")
    print(f"stats over {figures['incidents']} incidents in {stats_time:.2f} s")
    return 0 if summary.rejected == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
