"""Server time and weight of the staff pages on a large database (issue targets: p95 under 150 ms for an intake
step save, under 300 ms for a filtered list page, at 100,000 reports).

Builds (once, then reuses) a database of N synthetic reports in ``var/bench-pages-N`` (SQLite by default; set
DATABASE_URL for PostgreSQL — the database is then rebuilt each run), signs in as a documenter and a reviewer
of ``nnk``, and times requests through the whole Django stack (middleware, scoping, templates) in-process,
without a network in between:

- the intake form's first load (``/reports/new/``) and its weight: HTML plus every script and style sheet it
  loads, raw and gzip-compressed (what WhiteNoise serves);
- each step's save (POST, valid data, answered by the next step as the HTMX request gets it);
- the reports list with typical filters (status, country, typology code, date range, full-text, minors,
  evidence, sorts), the record page, and the landing page with its figures computed and cached.

    python benchmarks/pages.py --count 100000
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "benchmark password 1"  # noqa: S105 - a throwaway account of the benchmark database
LIST_QUERIES = (
    "",
    "status=submitted",
    "country=HR",
    "violence=dog_attack",
    "date_from=2023-01-01&date_to=2023-06-30",
    "q=police",
    "q=الشرطة",
    "minors=yes&has_evidence=yes",
    "status=verified&country=BA&violence=beating&sort=-date",
    "sort=ref",
    "page=5",
)


def _percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return (
        f"median {statistics.median(ordered) * 1000:6.1f} ms   p95 {p95 * 1000:6.1f} ms   (n={len(ordered)})"
    )


def _setup(count: int) -> Path:
    postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    data_dir = ROOT / "var" / f"bench-pages-{count}{'-pg' if postgres else ''}"
    fresh = postgres or not (data_dir / "bordermonitor.sqlite3").exists()
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["BORDERMONITOR_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bordermonitor.web.settings")
    os.environ.setdefault("BORDERMONITOR_ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.core.management import call_command
    from django_scopes import scopes_disabled

    from bordermonitor.demo.synthetic import synthetic_reports
    from bordermonitor.evidence.store import FileStore
    from bordermonitor.importers import jsonl
    from bordermonitor.storage.accounts import add_organisation, add_user
    from bordermonitor.storage.audit import acting_as
    from bordermonitor.storage.imports import run_import_file
    from bordermonitor.storage.models import Report

    if postgres:
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    with scopes_disabled(), acting_as("bench"):
        if fresh or Report.objects.count() < count:
            source = data_dir / "reports.jsonl"
            with source.open("w", encoding="utf-8") as handle:
                for record in synthetic_reports(count=count, seed=3):
                    handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            started = time.perf_counter()
            run_import_file(jsonl.__name__, source, store=FileStore(data_dir / "evidence"), batch_size=1000)
            print(f"imported {count} reports in {time.perf_counter() - started:.0f} s")
            source.unlink()
        for code in ("nnk", "rigardu", "bvmn-demo"):
            add_organisation(code=code, name=code, shares_with_network=True)
        for role in ("documenter", "reviewer"):
            add_user(email=f"{role}@nnk.bench", organisation="nnk", role=role, password=PASSWORD)
        print(f"database: {Report.objects.count()} reports")
    return data_dir


def _weight(html: str) -> tuple[int, int, list[str]]:
    """Bytes of the page and of every local script and style sheet it loads: raw and gzip-compressed."""
    from django.contrib.staticfiles import finders

    raw, packed = len(html.encode()), len(gzip.compress(html.encode()))
    assets = sorted(set(re.findall(r'(?:src|href)="/static/([^"?#]+\.(?:js|css))"', html)))
    for asset in assets:
        path = finders.find(asset)
        content = Path(path).read_bytes() if path else b""
        raw += len(content)
        packed += len(gzip.compress(content))
    return raw, packed, assets


def _hidden_fields(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))


STEP_DATA = {
    "interview": {"kind": "testimony", "recorded_on": "2025-03-02", "language": "ar", "consent_publish": "yes",
                  "consent_share": "yes", "consent_legal": "unknown"},
    "when-where": {"date_year": "2025", "date_month": "2", "lat": "45.2", "lon": "15.8", "place": "Glinica",
                   "country": "BA", "incident_kind": "chain_pushback"},
    "group": {"group_size": "9", "minors": "2", "minors_involved": "yes", "nationalities": ["AF", "PK"]},
    "chain": {"expelled_by": ["SI", "HR", "BA", "", ""], "expelled_to": "BA"},
    "violence": {"violence": ["beating", "dog_attack", "theft_of_belongings"], "violence_detail_beating": "batons",
                 "violence_detail_dog_attack": "bitten", "violence_detail_theft_of_belongings": "phones"},
    "medical": {"injuries": "yes", "medical_documented": "yes"},
    "narrative": {"title": "Chain pushback", "narrative": "They were beaten and bitten by a dog."},
}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=20, help="repetitions of each measured request")
    args = parser.parse_args()
    _setup(args.count)
    from django.db import connection
    from django.test import Client

    documenter, reviewer = Client(), Client()
    assert documenter.login(username="documenter@nnk.bench", password=PASSWORD)
    assert reviewer.login(username="reviewer@nnk.bench", password=PASSWORD)
    print(f"database engine: {connection.vendor}")

    loads, saves = [], {slug: [] for slug in STEP_DATA}
    first = documenter.get("/reports/new/", follow=True)
    raw, packed, assets = _weight(first.content.decode())
    print(
        f"intake first load weight: {raw / 1024:.0f} KiB raw, {packed / 1024:.0f} KiB gzip ({len(assets)} files)"
    )
    for _ in range(args.rounds):
        started = time.perf_counter()
        page = documenter.get("/reports/new/", follow=True)
        loads.append(time.perf_counter() - started)
        html = page.content.decode()
        action = re.search(r'<form method="post" action="([^"]+)" class="intake-form"', html)
        assert action, "the intake form is on the page"
        url = action.group(1)
        for slug, data in STEP_DATA.items():
            body = {**_hidden_fields(html), **data}
            started = time.perf_counter()
            response = documenter.post(url, body, HTTP_HX_REQUEST="true")
            saves[slug].append(time.perf_counter() - started)
            assert response.status_code == 200, (slug, response.status_code)
            html = response.content.decode()
            assert "errorlist" not in html, (slug, re.findall(r'class="errorlist"[^>]*>(.*?)</ul>', html)[:3])
            action = re.search(r'<form method="post" action="([^"]+)" class="intake-form"', html)
            url = action.group(1) if action else url
    print(f"intake first load:   {_percentiles(loads)}")
    for slug, samples in saves.items():
        print(f"save step {slug:<11} {_percentiles(samples)}")
    print(f"all step saves:      {_percentiles([s for samples in saves.values() for s in samples])}")

    lists: list[float] = []
    for query in LIST_QUERIES:
        samples = []
        for _ in range(max(3, args.rounds // 4)):
            started = time.perf_counter()
            response = reviewer.get(f"/reports/?{query}")
            samples.append(time.perf_counter() - started)
            assert response.status_code == 200, (query, response.status_code)
        lists += samples
        print(f"list {query or '(no filter)':<58} {_percentiles(samples)}")
    print(f"all list pages:      {_percentiles(lists)}")

    from django_scopes import scopes_disabled

    from bordermonitor.storage.models import Report

    with scopes_disabled():
        ids = list(Report.objects.filter(organisation__code="nnk").values_list("id", flat=True)[:50])
    records = []
    for pk in ids[: args.rounds]:
        started = time.perf_counter()
        assert reviewer.get(f"/reports/{pk}/").status_code == 200
        records.append(time.perf_counter() - started)
    print(f"record page:         {_percentiles(records)}")

    from django.core.cache import cache

    cache.clear()
    started = time.perf_counter()
    assert reviewer.get("/").status_code == 200
    print(f"landing page, figures computed: {(time.perf_counter() - started) * 1000:.0f} ms")
    landing = []
    for _ in range(args.rounds):
        started = time.perf_counter()
        reviewer.get("/")
        landing.append(time.perf_counter() - started)
    print(f"landing page, figures cached: {_percentiles(landing)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
