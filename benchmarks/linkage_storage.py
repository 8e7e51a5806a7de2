"""Cross-checking stored reports at scale (issue target: one new report's candidates against 1,000,000 stored
reports in under 200 ms).

Builds (once, then reuses for the same N) a database of N reports of ``demo.duplicates`` (incidents from 2000
to 2025, as ``benchmarks/linkage.py``'s scale part), imported through the importer ``bordermonitor import
jsonl`` uses, every organisation sharing with the network; the generator's truth is kept beside it. Then:

(a) ``storage.linkage_scoring.candidates_for(report, minimum=DEFAULT_THRESHOLD)`` for ``--samples`` random
    reports, as a page asks for them: median, 95th percentile and slowest time, with the reports each one
    blocked (its neighbour count) and the candidates it returned;
(b) the whole cross-check, ``storage.linkage.crosscheck()`` across the network (scopes disabled, with
    ``--workers`` processes, as the command line runs it): its time and result lines, and the pairwise
    precision and recall of the stored proposals against the truth.

    python benchmarks/linkage_storage.py --count 1000000
    python benchmarks/linkage_storage.py --count 200000 --database postgresql://postgres@127.0.0.1:5432/bench
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SEED = 99
FIRST, LAST = dt.date(2000, 1, 1), dt.date(2025, 12, 31)


def _setup(count: int, database: str | None) -> Path:
    """The data directory (keys, evidence, the truth; the SQLite database unless ``database`` is PostgreSQL),
    with Django set up on the database."""
    postgres = database is not None and database.startswith("postgres")
    data_dir = ROOT / "var" / f"bench-linkage-{count}{'-postgresql' if postgres else ''}"
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["BORDERMONITOR_DATA_DIR"] = str(data_dir)
    if database is None:
        os.environ.pop("DATABASE_URL", None)
    elif postgres:
        _create_database(database)
        os.environ["DATABASE_URL"] = database
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(database).resolve()}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bordermonitor.web.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return data_dir


def _create_database(url: str) -> None:
    """The PostgreSQL database of ``url``, created when it does not exist."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _build(count: int, data_dir: Path) -> dict[tuple[str, str], int]:
    """The generated reports imported (when the database does not hold them yet) and the truth by
    (organisation, ref)."""
    from django_scopes import scopes_disabled

    from bordermonitor.demo.duplicates import duplicate_reports
    from bordermonitor.evidence.store import FileStore
    from bordermonitor.importers import jsonl
    from bordermonitor.storage.accounts import add_organisation
    from bordermonitor.storage.audit import acting_as
    from bordermonitor.storage.imports import run_import_file
    from bordermonitor.storage.models import Report

    truth_file = data_dir / "truth.json"
    with scopes_disabled():
        stored = Report.objects.count()
    if stored == count and truth_file.exists():
        print(f"reusing {stored:,} stored reports ({data_dir})")
        return {(org, ref): number for org, ref, number in json.loads(truth_file.read_text())}
    if stored:
        raise SystemExit(f"the database holds {stored:,} reports, not {count:,}: give another --database")
    started = time.perf_counter()
    data = duplicate_reports(count=count, seed=SEED, start=FIRST, end=LAST)
    source = data_dir / "reports.jsonl"
    with source.open("w", encoding="utf-8") as handle:
        for report in data.reports:
            handle.write(json.dumps(report, ensure_ascii=False) + "\n")
    organisations = sorted({report["organisation"] for report in data.reports})
    truth = data.truth_by_ref
    del data
    print(f"generated {count:,} reports in {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    told = [started]

    def progress(position: int) -> None:
        if time.perf_counter() - told[0] >= 60:
            told[0] = time.perf_counter()
            share = position / source.stat().st_size
            print(f"  {share:.0%} imported ({told[0] - started:.0f} s)", flush=True)

    with scopes_disabled(), acting_as("bench"):
        for code in organisations:
            add_organisation(code=code, name=code, shares_with_network=True)
        summary = run_import_file(
            jsonl.__name__, source, store=FileStore(data_dir / "evidence"), progress=progress
        )
    print(f"imported in {time.perf_counter() - started:.0f} s: " + "; ".join(summary.lines()[:3]))
    source.unlink()
    truth_file.write_text(json.dumps([[org, ref, number] for (org, ref), number in truth.items()]))
    return truth


def _ms(seconds: float) -> str:
    return f"{1000 * seconds:.0f} ms" if seconds >= 0.1 else f"{1000 * seconds:.1f} ms"


def one_report(samples: int) -> None:
    from django.db import connection
    from django_scopes import scopes_disabled

    from bordermonitor.core.linkage import DEFAULT_THRESHOLD
    from bordermonitor.storage.linkage_scoring import calibrated_scorer, candidates_for, pool_of
    from bordermonitor.storage.models import Report

    with scopes_disabled():
        ids = list(Report.objects.exclude(status__in=("draft", "rejected")).values_list("id", flat=True))
        chosen = random.Random(7).sample(ids, min(samples, len(ids)))
        scorer = calibrated_scorer()
        candidates_for(Report.objects.get(pk=chosen[0]), scorer=scorer, minimum=DEFAULT_THRESHOLD)  # warm
        rows = []
        for pk in chosen:
            report = Report.objects.get(pk=pk)
            started = time.perf_counter()
            found = candidates_for(report, scorer=scorer, minimum=DEFAULT_THRESHOLD)
            took = time.perf_counter() - started
            started = time.perf_counter()
            pool = pool_of(report)  # again, alone: the database and blocking part
            alone = time.perf_counter() - started
            rows.append((took, alone, pool.neighbours, len(found), report.date_precision, report.date_start))
    times = sorted(row[0] for row in rows)
    pooled = sorted(row[1] for row in rows)
    blocked = sorted(row[2] for row in rows)

    def p95(values: list[Any]) -> Any:
        return values[int(0.95 * (len(values) - 1))]

    print(
        f"(a) candidates_for(report, minimum={DEFAULT_THRESHOLD:g}), {len(rows)} random reports, {connection.vendor}:"
    )
    print(
        f"    median {_ms(statistics.median(times))}, 95th percentile {_ms(p95(times))}, slowest {_ms(times[-1])} "
        f"(finding and counting the reports it may match alone: median {_ms(statistics.median(pooled))}, "
        f"95th percentile {_ms(p95(pooled))}, slowest {_ms(pooled[-1])})"
    )
    print(
        f"    reports it may match: median {statistics.median(blocked):.0f}, 95th percentile {p95(blocked)}, "
        f"most {blocked[-1]}; candidates returned: {sum(row[3] for row in rows)} in all, "
        f"{sum(1 for row in rows if row[3])} reports with any"
    )
    for took, alone, neighbours, returned, precision, start in sorted(rows, reverse=True)[:5]:
        date = "no date" if start is None else f"{start} ({precision})"
        print(
            f"    slow: {_ms(took)} ({_ms(alone)} finding), {neighbours} it may match, {returned} returned, {date}"
        )


def batch(truth_by_ref: dict[tuple[str, str], int], workers: int) -> None:
    from django.db import connection
    from django_scopes import scopes_disabled

    from bordermonitor.core.linkage import evaluate
    from bordermonitor.demo.duplicates import considered_pairs
    from bordermonitor.storage.audit import acting_as
    from bordermonitor.storage.linkage import crosscheck
    from bordermonitor.storage.models import LinkCandidate, Report

    with scopes_disabled(), acting_as("bench"):
        # time a first run, not a rescoring: the proposals of an earlier run go (in chunks, as the batch does)
        stale = list(LinkCandidate.objects.filter(status="proposed").values_list("pk", flat=True))
        for start in range(0, len(stale), 500):
            LinkCandidate.objects.filter(pk__in=stale[start : start + 500]).delete()
        started = time.perf_counter()

        def progress(line: str) -> None:
            print(f"    {time.perf_counter() - started:6.0f} s  {line}", flush=True)

        result = crosscheck(progress=progress, workers=workers)
        took = time.perf_counter() - started
        rows = Report.objects.exclude(status__in=("draft", "rejected")).values_list(
            "id", "organisation__code", "ref", "consent_share_with_network"
        )
        truth = {pk: truth_by_ref[code, ref] for pk, code, ref, _share in rows}
        organisation = {pk: code for pk, code, _ref, _share in rows}
        shared = {pk for pk, _code, _ref, share in rows if share}
        proposed = list(LinkCandidate.objects.values_list("report_a_id", "report_b_id"))
    found = evaluate(proposed, truth)
    considered = considered_pairs(truth, organisation, shared)
    print(f"(b) crosscheck(workers={workers}), {connection.vendor}: {took:.0f} s")
    for line in result.lines():
        print(f"    {line}")

    def show(value: Any) -> str:
        return "unknown" if value is None else f"{value:.3f}"

    print(
        f"    stored proposals against the truth: precision {show(found['precision'])} "
        f"({found['true_positives']} of {found['proposed']} right); recall {show(found['recall'])} of all "
        f"{found['true_pairs']} true pairs of the reports read, "
        f"{show(len(considered & set(proposed)) / len(considered) if considered else None)} of the "
        f"{len(considered)} it may consider (one organisation's, or both shared)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000, help="generated reports in the database")
    parser.add_argument(
        "--database",
        help="a SQLite file or a postgresql:// URL (default: SQLite in var/bench-linkage-COUNT)",
    )
    parser.add_argument("--samples", type=int, default=300, help="reports whose candidates are timed")
    parser.add_argument(
        "--workers", type=int, default=2, help="processes of the batch (the CLI's default: 2)"
    )
    parser.add_argument("--no-batch", action="store_true", help="skip (b)")
    args = parser.parse_args()
    data_dir = _setup(args.count, args.database)
    truth = _build(args.count, data_dir)
    if args.samples:
        one_report(args.samples)
    if not args.no_batch:
        batch(truth, args.workers)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
