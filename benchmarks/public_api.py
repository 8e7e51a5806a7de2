"""Latency of the public API on a large release (issue targets: p95 under 50 ms for a filtered list and for facet
counts under concurrent load, under 150 ms for full text, at 1,000,000 incidents).

Builds (once, then reuses) a release of N synthetic incidents in ``var/bench-public-N`` directly with the
publisher's ``write_archive``: about 20 expelling states, the 27 typology codes, about 40 nationalities, dates
over 8 years at mixed precision, places around border crossings, narratives of 2–4 sentences in six languages
from the demo phrase tables (so full-text search sees realistic text). Then serves the public site with waitress
in a child process (as ``serve-public`` does; rate limit off) and drives it from another process with C
concurrent clients over loopback (keep-alive connections), printing p50/p95 per scenario. Query parameters are
drawn at random for every request, so caches rarely help.

    python benchmarks/public_api.py --count 100000
    python benchmarks/public_api.py                 # 1,000,000 incidents (builds for a few minutes, ~6 GB RAM)
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import multiprocessing
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

STATES = (
    ("HR", 30),
    ("GR", 14),
    ("BA", 10),
    ("SI", 8),
    ("HU", 8),
    ("RS", 6),
    ("IT", 5),
    ("AT", 4),
    ("BG", 4),
    ("MK", 3),
    ("TR", 3),
    ("AL", 2),
    ("ME", 2),
    ("RO", 2),
    ("FR", 2),
    ("ES", 1),
    ("PL", 1),
    ("LT", 1),
    ("LV", 1),
    ("CY", 1),
)
NATIONALITIES = (
    ("AF", 25),
    ("SY", 15),
    ("PK", 12),
    ("MA", 8),
    ("DZ", 6),
    ("IQ", 6),
    ("IR", 5),
    ("BD", 4),
    ("TN", 3),
    ("EG", 3),
    ("PS", 2),
    ("IN", 2),
    ("NP", 1),
    ("TR", 1),
    ("CU", 1),
    ("SO", 1),
    ("ER", 1),
    ("SD", 1),
    ("YE", 1),
    ("LY", 1),
    ("CI", 1),
    ("GN", 1),
    ("ML", 1),
    ("CM", 1),
    ("CD", 1),
    ("BI", 1),
    ("SN", 1),
    ("NG", 1),
    ("GH", 1),
    ("ET", 1),
    ("LB", 1),
    ("JO", 1),
    ("KW", 1),
    ("LK", 1),
    ("MM", 1),
    ("TJ", 1),
    ("UZ", 1),
    ("GE", 1),
    ("RU", 1),
    ("UA", 1),
)
KINDS = (
    ("pushback", 50),
    ("chain_pushback", 15),
    ("violence", 15),
    ("detention", 8),
    ("death", 4),
    ("disappearance", 3),
    ("other", 5),
)
HUBS = (
    (45.18, 15.81, "Velika Kladuša"),
    (44.81, 15.87, "Bihać"),
    (45.65, 13.78, "Trieste"),
    (41.71, 26.33, "Edirne"),
    (46.17, 20.08, "Horgoš"),
    (45.03, 19.07, "Šid"),
    (41.12, 22.50, "Gevgelija"),
    (41.90, 20.00, "Kukës"),
    (42.43, 19.26, "Podgorica"),
    (46.05, 14.51, "Ljubljana"),
    (47.07, 15.44, "Graz"),
    (43.79, 7.50, "Ventimiglia"),
    (36.30, 28.00, "Rhodes"),
    (39.10, 26.55, "Lesvos"),
    (37.75, 26.97, "Samos"),
    (35.17, 33.36, "Nicosia"),
    (53.13, 23.16, "Białystok"),
    (54.68, 25.28, "Vilnius"),
    (42.70, 23.32, "Sofia"),
    (45.75, 21.23, "Timișoara"),
    (35.89, -5.32, "Ceuta"),
    (35.29, -2.94, "Melilla"),
)
NARRATIVE_LANGUAGES = (("en", 40), ("ar", 20), ("fa", 15), ("ps", 10), ("ur", 10), ("fr", 5))
SEARCH_WORDS = (
    "police",
    "dog",
    "beat*",
    "phones",
    "river",
    "forest",
    "van",
    "border",
    "asylum",
    "الشرطة",
    "پلیس",
    "cold",
    "night",
    "money",
    "container",
    "baton*",
    "kicked",
    "camp",
    "boat",
    "shots",
)


def _weighted(pairs: tuple[tuple[str, int], ...]) -> list[str]:
    return [value for value, weight in pairs for _ in range(weight)]


def _rows(count: int, seed: int = 2026) -> list[dict[str, Any]]:
    from bordermonitor.core.countries import country_name
    from bordermonitor.core.typology import violence_types
    from bordermonitor.demo.phrases import CLOSINGS, LANGUAGES, OPENINGS, TITLE_DEFAULT, TITLES
    from bordermonitor.demo.violence_phrases import VIOLENCE_SENTENCES
    from bordermonitor.publish.schema import INCIDENTS

    rng = random.Random(seed)
    states, nationalities, kinds = _weighted(STATES), _weighted(NATIONALITIES), _weighted(KINDS)
    languages = _weighted(NARRATIVE_LANGUAGES)
    codes = [t.code for t in violence_types()]
    code_weights = [
        12 if c in ("beating", "theft_of_belongings", "collective_expulsion") else 3 for c in codes
    ]
    openings = [p for with_n, _without in OPENINGS.values() for p in with_n]
    start = dt.date(2018, 1, 1).toordinal()
    span = dt.date(2025, 12, 31).toordinal() - start
    empty = {column.name: None for column in INCIDENTS.columns}
    rows: list[dict[str, Any]] = []
    for n in range(count):
        day = dt.date.fromordinal(start + int(span * rng.random() ** 0.8))
        shape = rng.random()
        date = (
            None
            if shape < 0.02
            else str(day.year)
            if shape < 0.05
            else day.strftime("%Y-%m")
            if shape < 0.15
            else day.isoformat()
        )
        chain = []
        for _ in range(rng.choice((0, 1, 1, 1, 1, 1, 1, 2, 2, 3))):
            state = rng.choice(states)
            if state not in chain:
                chain.append(state)
        violence = sorted(set(rng.choices(codes, weights=code_weights, k=rng.choice((0, 1, 1, 2, 2, 3, 4)))))
        group = None if rng.random() < 0.1 else min(60, int(rng.expovariate(1 / 7)) + 1)
        minors = None if group is None or rng.random() < 0.3 else min(group, int(rng.expovariate(1.2)))
        language_index = LANGUAGES.index(rng.choice(languages))
        language = LANGUAGES[language_index]
        hub = rng.choice(HUBS)
        located = rng.random() > 0.08
        country = chain[0] if chain else rng.choice(states)
        left = rng.choice(("BA", "RS", "TR", "MK", "AL"))
        names = {
            "place": hub[2],
            "country": country_name(country, language),
            "left": country_name(left, language),
            "n": group or 12,
        }
        sentences = [rng.choice(openings)[language_index].format(**names)]
        for code in violence[:2]:
            if code in VIOLENCE_SENTENCES:
                sentences.append(rng.choice(VIOLENCE_SENTENCES[code])[language_index])
        sentences.append(rng.choice(CLOSINGS)[language_index].format(**names))
        row = dict(empty)
        row.update(
            id=f"BM-{n:07d}",
            title=rng.choice(TITLES.get(violence[0], TITLE_DEFAULT) if violence else TITLE_DEFAULT),
            narrative=" ".join(sentences[:4]),
            narrative_language=language,
            date=date,
            date_precision=None if date is None else {10: "day", 7: "month", 4: "year"}[len(date)],
            month=date[:7] if date and len(date) >= 7 else None,
            year=int(date[:4]) if date else None,
            country=country,
            place=hub[2] if located and (group or 3) > 2 else None,
            lat=round(hub[0] + rng.gauss(0, 0.3), 3) if located else None,
            lon=round(hub[1] + rng.gauss(0, 0.3), 3) if located else None,
            location_precision_m=1000 if located else None,
            kind=rng.choice(kinds),
            expelled_by=chain or None,
            expelled_to=left if chain else None,
            chain_pushback=len(chain) > 1 if chain else None,
            group_size=group,
            minors=minors,
            minors_involved=None if minors is None else minors > 0,
            nationalities=sorted({rng.choice(nationalities) for _ in range(rng.choice((1, 1, 1, 2, 3)))}),
            violence=violence or None,
            perpetrators=["border police"],
            sources=1,
            source_kinds=["testimony"],
            evidence=0,
            licence="CC-BY-4.0",
            attribution="bordermonitor network",
        )
        rows.append(row)
    rows.sort(key=lambda r: (r["date"] is not None, r["date"] or ""))
    return rows


def build(count: int) -> Path:
    directory = ROOT / "var" / f"bench-public-{count}" / "release"
    if (directory / "release.json").exists():
        return directory
    from bordermonitor.publish.archive import write_archive

    directory.mkdir(parents=True, exist_ok=True)
    (directory / "archive.sqlite").unlink(missing_ok=True)
    started = time.perf_counter()
    rows = _rows(count)
    print(f"generated {count:,} incidents in {time.perf_counter() - started:.0f} s", flush=True)
    started = time.perf_counter()
    write_archive(directory / "archive.sqlite", tables={"incidents": rows}, metadata={"version": "bench"})
    size = (directory / "archive.sqlite").stat().st_size
    print(f"wrote archive.sqlite ({size / 1e6:,.0f} MB) in {time.perf_counter() - started:.0f} s", flush=True)
    manifest = {
        "format": "1",
        "version": f"bench-{count}",
        "title": "benchmark",
        "counts": {"incidents": count},
        "files": {"archive.sqlite": {"sha256": "0" * 64, "bytes": size}},
    }
    (directory / "release.json").write_text(json.dumps(manifest))
    return directory


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _filters(rng: random.Random) -> dict[str, str]:
    """One to three filters, as people combine them."""
    choices: list[tuple[str, Any]] = [
        ("expelled_by", lambda: rng.choice(_weighted(STATES))),
        (
            "violence",
            lambda: rng.choice(
                (
                    "beating",
                    "theft_of_belongings",
                    "dog_attack",
                    "collective_expulsion",
                    "denial_of_asylum",
                    "water_abuse",
                )
            ),
        ),
        ("nationality", lambda: rng.choice(_weighted(NATIONALITIES))),
        ("kind", lambda: rng.choice(_weighted(KINDS))),
        ("minors_involved", lambda: rng.choice(("true", "false"))),
        ("date_from", lambda: f"{rng.randint(2018, 2025)}-{rng.randint(1, 12):02d}"),
    ]
    return {name: make() for name, make in rng.sample(choices, rng.randint(1, 3))}


def _view(rng: random.Random) -> dict[str, str]:
    """What a 1280 × 800 pixel map asks for at a random zoom around a random crossing."""
    zoom = rng.randint(4, 11)
    lat, lon, _name = rng.choice(HUBS)
    half_w = 1280 / 256 * 360 / 2**zoom / 2
    half_h = min(80.0, half_w * 800 / 1280)
    box = (max(-180, lon - half_w), max(-90, lat - half_h), min(180, lon + half_w), min(90, lat + half_h))
    return {"zoom": str(zoom), "bbox": ",".join(f"{n:.4f}" for n in box)}


def _scenarios(rng: random.Random, requests: int) -> dict[str, list[str]]:
    api = "/api/public/v1"
    return {
        "list, 1-3 filters": [f"{api}/incidents?{urlencode(_filters(rng))}" for _ in range(requests)],
        "list, no filter, deep page": [
            f"{api}/incidents?page={rng.randint(1, 2000)}&limit=50" for _ in range(requests)
        ],
        "facets, 1-3 filters": [f"{api}/facets?{urlencode(_filters(rng))}" for _ in range(requests)],
        "facets, no filter": [f"{api}/facets" for _ in range(requests)],
        "full text, 1-2 words": [
            f"{api}/incidents?{urlencode({'q': ' '.join(rng.sample(SEARCH_WORDS, rng.randint(1, 2)))})}"
            for _ in range(requests)
        ],
        "full text + filters": [
            f"{api}/incidents?{urlencode({'q': rng.choice(SEARCH_WORDS), **_filters(rng)})}"
            for _ in range(requests)
        ],
        "map clusters (pan, zoom)": [
            f"{api}/clusters?{urlencode({**_view(rng), **(_filters(rng) if rng.random() < 0.5 else {})})}"
            for _ in range(requests)
        ],
    }


def _drive(port: int, urls: list[str], clients: int, out: Any) -> None:
    """Run in a separate process: ``clients`` threads with keep-alive connections share the URLs."""
    local: dict[int, http.client.HTTPConnection] = {}
    import threading

    def one(url: str) -> tuple[float, int]:
        key = threading.get_ident()
        if key not in local:
            local[key] = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection = local[key]
        started = time.perf_counter()
        try:
            connection.request("GET", url)
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            connection.close()
            local[key] = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            status = 0
        return time.perf_counter() - started, status

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(one, urls))
    out.put({"results": results, "elapsed": time.perf_counter() - started})


def _measure(port: int, urls: list[str], clients: int) -> dict[str, Any]:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_drive, args=(port, urls, clients, queue))
    process.start()
    result = queue.get(timeout=1800)
    process.join()
    return dict(result)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=400, help="Requests per scenario.")
    args = parser.parse_args()
    directory = build(args.count)
    link = directory.parent / "current"
    if link.is_symlink():
        link.unlink()
    link.symlink_to(directory, target_is_directory=True)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        BORDERMONITOR_RELEASE_DIR=str(link), BORDERMONITOR_PUBLIC_RATE_LIMIT="0", PYTHONPATH=str(ROOT / "src")
    )
    log = open(directory.parent / "server.log", "w")
    started = time.perf_counter()
    server = subprocess.Popen(  # noqa: S603 - this interpreter, a fixed command
        [
            sys.executable,
            "-c",
            f"from bordermonitor.public.server import serve; serve(host='127.0.0.1', port={port})",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if server.poll() is not None:
                    raise SystemExit("the public site did not start: see server.log") from None
                time.sleep(0.2)
        rss = Path(f"/proc/{server.pid}/status").read_text().split("VmRSS:")[1].split("\n")[0].strip()
        print(
            f"site ready in {time.perf_counter() - started:.1f} s (index built), server memory {rss}",
            flush=True,
        )
        rng = random.Random(1)
        print(
            f"\n{args.count:,} incidents, {args.clients} concurrent clients, {args.requests} requests per scenario\n"
        )
        print(f"{'scenario':<28} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'req/s':>7}  errors")
        for name, urls in _scenarios(rng, args.requests).items():
            _measure(port, urls[: args.clients * 2], args.clients)  # warm the connections
            result = _measure(port, urls, args.clients)
            times = sorted(t for t, _ in result["results"])
            errors = sum(1 for _, status in result["results"] if status != 200)
            p95 = times[max(0, round(0.95 * len(times)) - 1)]
            print(
                f"{name:<28} {statistics.median(times) * 1000:8.1f} {p95 * 1000:8.1f} {times[-1] * 1000:8.1f} "
                f"{len(times) / result['elapsed']:7.0f}  {errors}",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


if __name__ == "__main__":
    main()
