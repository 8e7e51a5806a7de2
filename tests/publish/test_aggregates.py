"""The published monthly aggregates: no count below the threshold, and no suppressed count that published
totals reveal. The true counts are rebuilt from incidents.csv, so the test checks the file against the data."""

from __future__ import annotations

import csv
import random
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bordermonitor.core.disclosure import Cell, ProtectedTable, bounds
from tests.publish.conftest import report

STATES = ["HR", "SI", "HU", "GR"]
CODES = ["beating", "dog_attack", "theft_of_belongings", "forced_undressing", "pepper_spray"]
NATIONS = ["AF", "PK", "SY", "MA", "BD", "IQ"]
DIMENSIONS = {"expelled_by": "expelled_by", "violence": "violence", "nationality": "nationalities"}


def _world(seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    raws = []
    for n in range(70):
        raw = report(f"agg-{seed}-{n}")
        incident = raw["incident"]
        incident["date"] = f"2024-0{rng.randint(1, 4)}-{rng.randint(10, 28)}"
        incident["expelled_by"] = rng.sample(STATES, rng.choice([1, 1, 2]))
        incident["violence"] = [{"type": c} for c in rng.sample(CODES, rng.randint(1, 3))]
        incident["group"] = {
            "size": rng.randint(3, 20),
            "nationalities": rng.sample(NATIONS, rng.randint(1, 2)),
        }
        raws.append(raw)
    return raws


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_no_small_cell_is_published_and_no_suppressed_cell_can_be_recovered(
    world: Callable[[list[dict[str, Any]]], None], publish_to: Callable[..., Any], seed: int
) -> None:
    world(_world(seed))
    release = publish_to()
    threshold = 5
    incidents = _csv(release.directory / "incidents.csv")
    aggregates = _csv(release.directory / "aggregates.csv")
    assert aggregates, "the release has aggregates"
    for row in aggregates:
        if row["suppressed"] == "false":
            assert int(row["incidents"]) >= threshold, row
        else:
            assert row["incidents"] == "", row
    suppressed_somewhere = False
    for dimension, column in DIMENSIONS.items():
        truth: Counter[tuple[str, str]] = Counter()
        for incident in incidents:
            for value in set(incident[column].split("|")) - {""}:
                truth[(incident["month"], value)] += 1
        rows = {(r["month"], r["value"]): r for r in aggregates if r["dimension"] == dimension}
        months = {m for m, _ in truth}
        values = {v for _, v in truth}
        totals = {
            **{(m, "*"): sum(c for (mm, _), c in truth.items() if mm == m) for m in months},
            **{("*", v): sum(c for (_, vv), c in truth.items() if vv == v) for v in values},
            ("*", "*"): sum(truth.values()),
        }
        cells = []
        for key, value in {**truth, **totals}.items():
            published = rows[key]
            if published["suppressed"] == "false":
                assert int(published["incidents"]) == value, (dimension, key)
            cells.append(Cell(key[0], key[1], value, published["suppressed"] == "true", None))
        assert set(rows) == {c[:2] for c in [(c.row, c.column) for c in cells]}
        for key, (low, high) in bounds(ProtectedTable(tuple(cells), threshold)).items():
            suppressed_somewhere = True
            assert high is None or low < high, f"{dimension} {key} is determined by the published totals"
    assert suppressed_somewhere, "the data has small cells, so something must be suppressed"
