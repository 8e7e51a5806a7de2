"""The monitoring matrix and the monthly report at scale (issue targets: matrix under 5 s and a PDF report under
20 s over 1,000,000 incidents).

Builds (once, then reuses) a SQLite database of N verified incidents in ``var/bench-matrix-N``, written straight
into the storage tables in bulk (the importer's own speed is measured by ``import_interchange.py``): the demo's
border routes, places, perpetrators and violence types, ten years of dates (2% to the year only, 10% to the
month), one incident in twenty told by a second organisation, a fifth without an identified perpetrator. Then
times ``storage.matrix.build_matrix`` for a quarter and for a whole year, and ``bordermonitor report monthly``
as PDF and as JSON.

    python benchmarks/matrix.py --count 1000000
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
YEARS = 10
FIRST_DAY = dt.date(2015, 1, 1)


def _build(count: int) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from bordermonitor.demo.borders import ROUTES
    from bordermonitor.storage.models import (
        Incident,
        Organisation,
        Report,
        ReportExpeller,
        ReportNationality,
        ReportPerpetrator,
        ReportViolence,
        Stakeholder,
    )

    rng = random.Random(11)
    now = timezone.now()
    orgs = []
    for code in ("nnk", "rigardu", "bvmn", "mmp"):
        org, _ = Organisation.objects.get_or_create(
            code=code, defaults={"name": code, "shares_with_network": True}
        )
        orgs.append(org.id)
    codes = sorted(
        {a for route in ROUTES for a in route.authorities} | {r.extra[0] for r in ROUTES if r.extra}
    )
    Stakeholder.objects.bulk_create(
        [Stakeholder(code=c, kind="authority") for c in codes], ignore_conflicts=True
    )
    stakeholder = dict(Stakeholder.objects.values_list("code", "id"))
    weights = [route.weight for route in ROUTES]
    days = YEARS * 365
    batch = 20_000
    report_id = Report.objects.count()
    started = time.perf_counter()
    for first in range(0, count, batch):
        incidents, reports, violence, expellers, perpetrators, nationalities = [], [], [], [], [], []
        size = min(batch, count - first)
        with transaction.atomic():
            made = Incident.objects.bulk_create(
                [
                    Incident(ref=f"b-{first + i}", organisation_id=orgs[0], created_at=now, updated_at=now)
                    for i in range(size)
                ]
            )
            if connection.vendor == "sqlite" and made[0].pk is None:
                raise SystemExit("bulk_create did not return ids")
            for incident in made:
                route = rng.choices(ROUTES, weights)[0]
                place = rng.choice(route.places)
                day = FIRST_DAY + dt.timedelta(days=rng.randrange(days))
                precision = rng.choices(("day", "month", "year"), (88, 10, 2))[0]
                if precision == "month":
                    day = day.replace(day=1)
                elif precision == "year":
                    day = day.replace(month=1, day=1)
                group = rng.choice((None, rng.randint(1, 40)))
                sources = 2 if rng.random() < 0.05 else 1
                codes_here = [c for c, p in route.violence.items() if rng.random() < p] or ["no_violence"]
                identified = rng.random() > 0.2
                for s in range(sources):
                    report_id += 1
                    incidents.append(incident.pk)
                    reports.append(
                        Report(
                            id=report_id,
                            organisation_id=orgs[s],
                            ref=f"r-{report_id}",
                            kind="testimony",
                            status=rng.choice(("verified", "approved_for_publication")),
                            incident_id=incident.pk,
                            date_start=day,
                            date_precision=precision,
                            lat=place.lat + rng.uniform(-0.02, 0.02) if rng.random() > 0.1 else None,
                            lon=place.lon + rng.uniform(-0.02, 0.02),
                            place=place.town,
                            country=place.country,
                            group_size=group,
                            minors_involved=rng.choice((True, False, None)),
                            women=rng.choice((0, 1, 2, None)),
                            medical_injuries=rng.choice((True, False, None)),
                            medical_documented=rng.random() < 0.1,
                            created_at=now,
                            updated_at=now,
                        )
                    )
                    violence += [
                        ReportViolence(report_id=report_id, position=i, code=c)
                        for i, c in enumerate(codes_here)
                    ]
                    expellers += [
                        ReportExpeller(report_id=report_id, position=i, country=c)
                        for i, c in enumerate(route.expelled_by)
                    ]
                    nationalities.append(
                        ReportNationality(
                            report_id=report_id, position=0, country=rng.choice(route.nationalities)[0]
                        )
                    )
                    if identified:
                        perpetrators += [
                            ReportPerpetrator(report_id=report_id, position=i, authority_id=stakeholder[a])
                            for i, a in enumerate(route.authorities)
                        ]
            Report.objects.bulk_create(reports, batch_size=5000)
            for model, rows in ((ReportViolence, violence), (ReportExpeller, expellers),
                                (ReportPerpetrator, perpetrators), (ReportNationality, nationalities)):  # fmt: skip
                model.objects.bulk_create(rows, batch_size=5000)
        done = first + size
        if done % 100_000 == 0 or done == count:
            print(f"  {done:,} incidents written ({time.perf_counter() - started:.0f} s)", flush=True)


def _setup(count: int) -> Path:
    data_dir = ROOT / "var" / f"bench-matrix-{count}"
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["BORDERMONITOR_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bordermonitor.web.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django_scopes import scopes_disabled

    from bordermonitor.storage.audit import acting_as
    from bordermonitor.storage.models import Incident

    call_command("migrate", verbosity=0)
    with scopes_disabled(), acting_as("bench"):
        have = Incident.objects.count()
        if have < count:
            print(f"writing {count - have:,} incidents into {data_dir}")
            _build(count - have)
    return data_dir


def _timed(label: str, runs: int, action: Callable[[], object]) -> None:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    print(f"{label}: median {statistics.median(times):.2f} s, best {min(times):.2f} s ({runs} runs)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    data_dir = _setup(args.count)
    from django_scopes import scopes_disabled

    from bordermonitor.storage.matrix import build_matrix
    from bordermonitor.storage.models import Incident, Report

    with scopes_disabled():
        print(f"{Incident.objects.count():,} incidents, {Report.objects.count():,} reports")
        period = dt.date(2024, 6, 1)
        quarter = build_matrix(period=period, months=3)
        print(f"a quarter: {quarter.incidents:,} incidents in {len(quarter.situations)} situations")
        _timed(
            "matrix, 3 months (+ 12 months of history)",
            args.runs,
            lambda: build_matrix(period=period, months=3),
        )
        _timed("matrix, 12 months", args.runs, lambda: build_matrix(period=period, months=12))
    command = [str(Path(sys.executable).parent / "bordermonitor"), "report", "monthly", "--month", "2024-06"]
    env = {**os.environ, "BORDERMONITOR_DATA_DIR": str(data_dir)}
    for fmt in ("json", "pdf"):
        out = data_dir / f"report-2024-06.{fmt}"
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            subprocess.run([*command, "--format", fmt, "--out", str(out)], check=True, env=env)  # noqa: S603
            times.append(time.perf_counter() - started)
        print(f"report monthly --format {fmt}: median {statistics.median(times):.2f} s, best {min(times):.2f} s "
              f"(whole command, {out.stat().st_size / 1024:.0f} KiB)")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
