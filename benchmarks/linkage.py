"""Cross-checking (record linkage) against generated duplicates with known truth, and at scale.

(a) the engine (``core.linkage``: blocking, the shipped model at ``DEFAULT_THRESHOLD``) on ``--count`` reports
    of ``demo.duplicates``: pairwise precision, recall, F1 and time;
(b) the same reports through Splink (DuckDB backend) with comparable comparisons and blocking rules, its
    m probabilities trained by expectation maximisation and its u probabilities by random sampling (it
    sees no labels), at match probability 0.5 and at the engine's threshold;
(c) ``--scale`` generated reports (default 1,000,000; incidents from 2000 to 2025): the batch (table,
    narrative vectors, blocking, scoring) with ``--workers`` processes, and the time to score one new
    report against its blocked candidates (the candidates are found here the way storage's prefilter and
    ``may_match`` find them; only the scoring is timed);
(d) ``--splink-scale`` of the same reports through Splink, blocked on border area and dates 3 days apart.

    python benchmarks/linkage.py --count 5000 --seeds 17 18 19
    python benchmarks/linkage.py --count 5000 --scale 0          # (a) and (b) only
    python benchmarks/linkage.py --write-model                   # retrain the shipped model, then exit
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from bordermonitor.core.linkage import (
    DEFAULT_THRESHOLD,
    LinkRecord,
    LinkTable,
    block_pair_arrays,
    compatible,
    default_scorer,
    evaluate,
    propose,
)
from bordermonitor.demo.duplicates import DuplicateSet, duplicate_reports, train_model

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "src" / "bordermonitor" / "typology" / "linkage-model.json"


def _figures(result: dict[str, Any]) -> str:
    def show(value: float | None) -> str:
        return "unknown" if value is None else f"{value:.3f}"

    return (
        f"precision {show(result['precision'])}  recall {show(result['recall'])}  F1 {show(result['f1'])}  "
        f"({result['true_positives']} of {result['proposed']} proposed pairs right, "
        f"{result['true_pairs']} true pairs)"
    )


def engine(data: DuplicateSet) -> dict[str, Any]:
    scorer = default_scorer()
    start = time.perf_counter()
    table = LinkTable(data.records)
    table.text_vectors(scorer.text)
    prepared = time.perf_counter()
    pairs = []
    for i, j, _ in propose(table, scorer=scorer):
        pairs += zip((i + 1).tolist(), (j + 1).tolist(), strict=True)
    done = time.perf_counter()
    blocked = sum(len(i) for i, _ in block_pair_arrays(table))
    result = evaluate(pairs, data.truth)
    print(f"(a) engine, threshold {DEFAULT_THRESHOLD}: {_figures(result)}")
    print(
        f"    {len(data.records)} reports, {blocked} blocked pairs; table and narrative vectors "
        f"{prepared - start:.2f} s, blocking and scoring {done - prepared:.2f} s"
    )
    return result


# ---------------------------------------------------------------------------------------------------- Splink


def _columns(records: list[LinkRecord], vectors: np.ndarray | None) -> dict[str, Any]:
    """The records as the columns Splink compares (a date as its first day, as stored); without ``vectors``,
    no narrative column."""
    columns = {
        "unique_id": [r.report_id for r in records],
        "day": [r.date.toordinal() if r.date else None for r in records],
        "month": [r.date.isoformat()[:7] if r.date else None for r in records],
        "minute": [int(r.time[:2]) * 60 + int(r.time[3:]) if r.time else None for r in records],
        "lat": [r.lat for r in records],
        "lon": [r.lon for r in records],
        "area": [None if r.area == "unknown" else r.area for r in records],
        "country": [r.country for r in records],
        "chain": [" ".join(r.expelled_by) or None for r in records],
        "expelled_to": [r.expelled_to for r in records],
        "group_size": [r.group_size for r in records],
        "minors": [None if r.minors_involved is None else str(r.minors_involved) for r in records],
        "women": [None if r.women is None else str(r.women > 0) for r in records],
        "nationalities": [sorted(r.nationalities) or None for r in records],
        "violence": [sorted(r.violence) or None for r in records],
        "perpetrators": [sorted(r.perpetrators) or None for r in records],
        "officers": [r.officers_description for r in records],
        "language": [r.text_language if r.text else None for r in records],
    }
    if vectors is not None:
        columns["vector"] = [v.tolist() if r.text else None for r, v in zip(records, vectors, strict=True)]
    return columns


def _settings() -> Any:
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    def banded(name: str, value: str, bands: list[tuple[str, str]], null: str) -> Any:
        levels = [{"sql_condition": null, "label_for_charts": "null", "is_null_level": True}]
        levels += [{"sql_condition": condition, "label_for_charts": label} for label, condition in bands]
        levels += [{"sql_condition": "ELSE", "label_for_charts": "else"}]
        return cl.CustomComparison(output_column_name=name, comparison_levels=levels)

    either_null = "{c}_l IS NULL OR {c}_r IS NULL"
    jaccard = "len(list_intersect({c}_l, {c}_r)) / len(list_distinct(list_concat({c}_l, {c}_r)))"
    relative = "abs(group_size_l - group_size_r) / greatest(group_size_l, group_size_r, 1)"
    cosine = "list_cosine_similarity(vector_l, vector_r)"
    apart = "least(abs(minute_l - minute_r), 1440 - abs(minute_l - minute_r))"
    comparisons = [
        banded(
            "day",
            "day",
            [
                ("same", "day_l = day_r"),
                ("1", "abs(day_l - day_r) <= 1"),
                ("3", "abs(day_l - day_r) <= 3"),
                ("7", "abs(day_l - day_r) <= 7"),
                ("31", "abs(day_l - day_r) <= 31"),
            ],
            either_null.format(c="day"),
        ),
        banded(
            "minute",
            "minute",
            [("30", f"{apart} <= 30"), ("120", f"{apart} <= 120"), ("360", f"{apart} <= 360")],
            either_null.format(c="minute"),
        ),
        cl.DistanceInKMAtThresholds("lat", "lon", [1, 3, 10, 25]),
        cl.ExactMatch("area"),
        cl.ExactMatch("chain"),
        cl.ExactMatch("expelled_to"),
        banded(
            "group_size",
            "group_size",
            [
                ("same", "group_size_l = group_size_r"),
                ("20%", f"{relative} <= 0.2"),
                ("40%", f"{relative} <= 0.4"),
            ],
            either_null.format(c="group_size"),
        ),
        cl.ExactMatch("minors"),
        cl.ExactMatch("women"),
        banded(
            "nationalities",
            "nationalities",
            [
                ("same", f"{jaccard.format(c='nationalities')} = 1"),
                ("overlap", f"{jaccard.format(c='nationalities')} > 0"),
            ],
            either_null.format(c="nationalities"),
        ),
        banded(
            "violence",
            "violence",
            [
                ("same", f"{jaccard.format(c='violence')} = 1"),
                ("most", f"{jaccard.format(c='violence')} >= 0.5"),
                ("some", f"{jaccard.format(c='violence')} > 0"),
            ],
            either_null.format(c="violence"),
        ),
        banded(
            "perpetrators",
            "perpetrators",
            [
                ("same", f"{jaccard.format(c='perpetrators')} = 1"),
                ("overlap", f"{jaccard.format(c='perpetrators')} > 0"),
            ],
            either_null.format(c="perpetrators"),
        ),
        cl.ExactMatch("officers"),
        banded(
            "vector",
            "vector",
            [("0.6", f"{cosine} >= 0.6"), ("0.4", f"{cosine} >= 0.4"), ("0.2", f"{cosine} >= 0.2")],
            "vector_l IS NULL OR vector_r IS NULL OR language_l <> language_r",
        ),
    ]
    rules = [
        "l.area = r.area AND abs(l.day - r.day) <= 7",
        block_on("country", "month"),
    ]
    return SettingsCreator(
        link_type="dedupe_only", comparisons=comparisons, blocking_rules_to_generate_predictions=rules
    )


def splink(data: DuplicateSet) -> dict[str, Any] | None:
    try:
        from splink import Linker, block_on
        from splink.backends.duckdb import DuckDBAPI
    except ImportError:
        print("(b) Splink is not installed (it is in the dev dependency group: uv sync)")
        return None
    vectors = LinkTable(data.records).text_vectors(default_scorer().text)
    start = time.perf_counter()
    api = DuckDBAPI()
    table = api.register(_columns(data.records, vectors))
    linker = Linker(table, _settings(), log_level="ERROR")
    linker.training.estimate_probability_two_random_records_match(
        ["l.area = r.area AND l.day = r.day AND l.group_size = r.group_size"], recall=0.3
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("area", "day"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("country", "group_size"))
    trained = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=0.01)
    rows = predictions.as_record_list()
    done = time.perf_counter()
    results = {}
    for threshold in sorted({0.5, DEFAULT_THRESHOLD}):
        pairs = [(r["unique_id_l"], r["unique_id_r"]) for r in rows if r["match_probability"] >= threshold]
        results[threshold] = evaluate(pairs, data.truth)
        print(f"(b) Splink, match probability {threshold}: {_figures(results[threshold])}")
    print(
        f"    training (u by sampling, two EM passes) {trained - start:.2f} s, blocking and scoring {done - trained:.2f} s"
    )
    return results[0.5]


# ------------------------------------------------------------------------------------------------------ scale


def scale(count: int, workers: int) -> None:
    started = time.perf_counter()
    data = duplicate_reports(
        count=count, seed=99, start=dt.date(2000, 1, 1), end=dt.date(2025, 12, 31), keep_reports=False
    )
    made = time.perf_counter()
    print(f"(c) {count} generated reports (2000-2025) made in {made - started:.0f} s (not part of the batch)")
    scorer = default_scorer()
    start = time.perf_counter()
    table = LinkTable(data.records)
    built = time.perf_counter()
    table.text_vectors(scorer.text)
    vectored = time.perf_counter()
    proposed = true = 0
    truth = np.array([data.truth[k + 1] for k in range(count)])
    for i, j, _ in propose(table, scorer=scorer, workers=workers):
        proposed += len(i)
        true += int((truth[i] == truth[j]).sum())
    done = time.perf_counter()
    sizes = np.bincount(truth)
    true_pairs = int((sizes * (sizes - 1) // 2).sum())
    blocked = 0
    block_start = time.perf_counter()
    for i, _ in block_pair_arrays(table):
        blocked += len(i)
    block_done = time.perf_counter()
    print(
        f"    batch with {workers} worker(s): table {built - start:.1f} s, narrative vectors {vectored - built:.1f} s, "
        f"counting, blocking and scoring {done - vectored:.1f} s: {done - start:.1f} s in all; "
        f"{proposed} pairs proposed ({true} right): precision {true / max(proposed, 1):.3f}, "
        f"recall {true / max(true_pairs, 1):.3f}"
    )
    print(
        f"    blocking alone: {blocked} pairs in {block_done - block_start:.1f} s ({blocked / count:.0f} per report)"
    )
    rng = np.random.default_rng(7)
    everyone = np.arange(count)
    times, sizes = [], []
    for k in rng.choice(count, size=50, replace=False):
        fits = compatible(table, np.full(count, k), everyone)
        fits[k] = False
        candidates = [data.records[c] for c in np.flatnonzero(fits)]
        begin = time.perf_counter()
        scorer.compare_many(data.records[k], candidates, record_neighbours=len(candidates))
        times.append(time.perf_counter() - begin)
        sizes.append(len(candidates))
    print(
        f"    one new report against its candidates (median {statistics.median(sizes):.0f}, at most {max(sizes)}): "
        f"median {1000 * statistics.median(times):.1f} ms, slowest {1000 * max(times):.1f} ms"
    )


def splink_scale(count: int) -> None:
    """(d) Splink on the reports of (c): the same comparisons as (b), blocking on border area and dates at most
    3 days apart (at this density the rules of (b) — a week apart, and the same country and month — make
    billions of pairs, more than this machine's memory holds), trained the same way, its time and figures
    beside the engine's. DuckDB may use 8 GB and spills the rest to a temporary directory."""
    try:
        import duckdb
        import pyarrow as pa
        from splink import Linker, block_on
        from splink.backends.duckdb import DuckDBAPI
    except ImportError:
        print("(d) Splink is not installed (it is in the dev dependency group: uv sync)")
        return
    data = duplicate_reports(
        count=count, seed=99, start=dt.date(2000, 1, 1), end=dt.date(2025, 12, 31), keep_reports=False
    )
    start = time.perf_counter()
    vectors = LinkTable(data.records).text_vectors(default_scorer().text)
    columns = _columns(data.records, None)  # the vectors go in as one Arrow array, not Python lists
    has_text = np.array([r.text is not None for r in data.records])
    offsets = np.zeros(count + 1, dtype=np.int32)
    offsets[1:] = np.cumsum(np.where(has_text, vectors.shape[1], 0))
    values = pa.array(vectors[has_text].ravel())
    columns["vector"] = pa.ListArray.from_arrays(pa.array(offsets), values, mask=pa.array(~has_text))
    table = pa.table({name: column for name, column in columns.items()})
    prepared = time.perf_counter()
    spill = tempfile.mkdtemp(prefix="splink-")  # DuckDB spills to disk beyond its memory limit
    api = DuckDBAPI(duckdb.connect(config={"memory_limit": "8GB", "temp_directory": spill}))
    settings = _settings()
    settings.blocking_rules_to_generate_predictions = ["l.area = r.area AND abs(l.day - r.day) <= 3"]
    linker = Linker(api.register(table), settings, log_level="ERROR")
    linker.training.estimate_probability_two_random_records_match(
        ["l.area = r.area AND l.day = r.day AND l.group_size = r.group_size"], recall=0.3
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("area", "day"))
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("country", "month", "group_size")
    )
    trained = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=DEFAULT_THRESHOLD)
    found = api._con.sql(
        f"SELECT unique_id_l, unique_id_r, match_probability FROM {predictions.physical_name}"  # noqa: S608 - Splink's own table name
    ).fetchnumpy()
    done = time.perf_counter()
    truth = np.array([0] + [data.truth[k + 1] for k in range(count)])
    left, right = found["unique_id_l"].astype(np.int64), found["unique_id_r"].astype(np.int64)
    sizes = np.bincount(truth[1:])
    true_pairs = int((sizes * (sizes - 1) // 2).sum())
    for threshold in sorted({0.5, DEFAULT_THRESHOLD}):
        chosen = found["match_probability"] >= threshold
        right_ = int((truth[left[chosen]] == truth[right[chosen]]).sum())
        print(
            f"(d) Splink on the {count} reports of (c), match probability {threshold}: {int(chosen.sum())} pairs "
            f"proposed ({right_} right): precision {right_ / max(int(chosen.sum()), 1):.3f}, recall "
            f"{right_ / max(true_pairs, 1):.3f}"
        )
    print(
        f"    columns and narrative vectors {prepared - start:.1f} s, training {trained - prepared:.1f} s, "
        f"blocking and scoring {done - trained:.1f} s: {done - start:.1f} s in all"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=5000, help="reports for (a) and (b)")
    parser.add_argument(
        "--seeds", type=int, nargs="+", default=[17, 18, 19], help="one generated set per seed"
    )
    parser.add_argument("--scale", type=int, default=1_000_000, help="reports for (c); 0 to skip")
    parser.add_argument("--workers", type=int, default=2, help="processes for the batch of (c)")
    parser.add_argument("--no-splink", action="store_true", help="skip (b) and (d)")
    parser.add_argument("--splink-scale", type=int, default=0, help="reports for (d); 0 to skip")
    parser.add_argument("--write-model", action="store_true", help="retrain the shipped model and exit")
    args = parser.parse_args()
    if args.write_model:
        scorer = train_model()
        MODEL.write_text(json.dumps(scorer.to_json(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {MODEL.relative_to(ROOT)}: {scorer.trained}")
        return
    found: dict[str, list[dict[str, Any]]] = {"engine": [], "Splink": []}
    for seed in args.seeds:
        print(f"-- {args.count} generated reports, seed {seed}")
        data = duplicate_reports(count=args.count, seed=seed)
        found["engine"].append(engine(data))
        if not args.no_splink:
            other = splink(data)
            if other is not None:
                found["Splink"].append(other)
    for name, results in found.items():
        if len(results) > 1:
            mean = {
                key: statistics.mean(r[key] or 0.0 for r in results) for key in ("precision", "recall", "f1")
            }
            print(
                f"mean of {len(results)} seeds, {name}: precision {mean['precision']:.3f}  recall "
                f"{mean['recall']:.3f}  F1 {mean['f1']:.3f}"
            )
    if args.scale:
        scale(args.scale, args.workers)
    if args.splink_scale and not args.no_splink:
        splink_scale(args.splink_scale)


if __name__ == "__main__":
    main()
