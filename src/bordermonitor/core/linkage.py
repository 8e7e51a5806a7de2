"""Record linkage for cross-checking: which reports describe the same incident (METHODOLOGY §1), explained.

The model is Fellegi and Sunter's: for each compared field (:data:`FIELDS`) a pair of reports falls into one
agreement level, and each level has two probabilities, ``m`` (of that level when both reports describe the
same incident) and ``u`` (when they do not). A level's weight is ``log2(m / u)``: positive when the level
speaks for the same incident, negative against it, 0 when a value is unknown on either side. The weights are
added to the log-odds of the prior (the share of compared pairs that are the same incident) and the sum is
turned into a probability, the score: ``score = 1 / (1 + 2^-log_odds)``. A pair at or above
:data:`DEFAULT_THRESHOLD` is proposed to reviewers as one incident; their decisions recalibrate the model
(:meth:`Scorer.fit`). Only pairs that pass blocking (:func:`may_match`) are compared.

The parts: :mod:`~bordermonitor.core.linkage_records` (the record and the explained comparison),
:mod:`~bordermonitor.core.linkage_levels` (fields and levels), :mod:`~bordermonitor.core.linkage_text`
(narrative similarity), :mod:`~bordermonitor.core.linkage_blocking` (which pairs are compared),
:mod:`~bordermonitor.core.linkage_model` and :mod:`~bordermonitor.core.linkage_fit` (the model and its
calibration), :mod:`~bordermonitor.core.linkage_batch` (evaluation, storage prefilters). This module is
the interface. See docs/crosscheck.md.
"""

from __future__ import annotations

import json
import multiprocessing
from collections.abc import Iterator, Sequence
from functools import cache
from importlib import resources

import numpy as np
import numpy.typing as npt

from bordermonitor.core.linkage_batch import candidate_box, candidate_dates, evaluate
from bordermonitor.core.linkage_blocking import (
    PLACE_RADIUS_KM,
    PairFilter,
    block_pair_arrays,
    compatible,
    may_match,
    neighbour_counts,
)
from bordermonitor.core.linkage_levels import FIELDS
from bordermonitor.core.linkage_model import PRIOR_CLASSES, Scorer, logit2, pair_neighbours, probability
from bordermonitor.core.linkage_records import Agreement, Comparison, LinkageError, LinkRecord
from bordermonitor.core.linkage_table import UNBOUNDED_WINDOW, LinkTable, window_days
from bordermonitor.core.linkage_text import TextModel

__all__ = [
    "DEFAULT_THRESHOLD",
    "FIELDS",
    "PLACE_RADIUS_KM",
    "PRIOR_CLASSES",
    "UNBOUNDED_WINDOW",
    "Agreement",
    "Comparison",
    "LinkRecord",
    "LinkTable",
    "LinkageError",
    "PairFilter",
    "Scorer",
    "TextModel",
    "block_pair_arrays",
    "block_pairs",
    "candidate_box",
    "candidate_dates",
    "compatible",
    "default_scorer",
    "evaluate",
    "may_match",
    "neighbour_counts",
    "pair_neighbours",
    "propose",
    "window_days",
]

DEFAULT_THRESHOLD = 0.5
"""Score at or above which a pair is proposed as one incident (chosen on the generator: docs/crosscheck.md)."""

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]


@cache
def default_scorer() -> Scorer:
    """The shipped model (``typology/linkage-model.json``), trained on :mod:`bordermonitor.demo.duplicates`."""
    text = resources.files("bordermonitor.typology").joinpath("linkage-model.json").read_text("utf-8")
    return Scorer.from_json(json.loads(text))


def block_pairs(records: Sequence[LinkRecord]) -> Iterator[tuple[int, int]]:
    """Every index pair ``(i, j)``, ``i < j``, of records that :func:`may_match` (never all pairs)."""
    for left, right in block_pair_arrays(LinkTable(records)):
        yield from zip(left.tolist(), right.tolist(), strict=True)


def propose(
    records: Sequence[LinkRecord] | LinkTable,
    *,
    scorer: Scorer | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    workers: int = 1,
    keep: PairFilter | None = None,
) -> Iterator[tuple[Ints, Ints, Floats]]:
    """The pairs that may match and score at or above ``threshold``, in chunks: rows ``i < j`` and scores;
    only among the pairs ``keep`` accepts when given (e.g. those two organisations may compare).

    The narrative is compared only for pairs it could carry over the threshold (or that are over it
    already): the other fields' weights are added first, and a pair that stays below the threshold even
    with the narrative's highest weight is dropped without computing it. The scores are exact. With
    ``workers`` above 1 the pairs are shared among that many processes (forked, so they read the table
    without copying it; POSIX only), each sending back its proposals as one chunk. Forking a process that
    runs other threads (a web server) is unsafe: there, keep one worker.

    The priors follow the density (:mod:`bordermonitor.core.linkage_model`): when the table's neighbour counts
    are not set, each record's is counted first over the same blocking (one more pass, shared the same way).
    """
    if not 0.0 < threshold < 1.0:
        raise LinkageError(f"threshold: {threshold!r} is not a score strictly between 0 and 1")
    if workers < 1:
        raise LinkageError(f"workers: {workers!r}; give 1 or more")
    scorer = scorer or default_scorer()
    table = records if isinstance(records, LinkTable) else LinkTable(records)
    table.text_vectors(scorer.text)  # once, before the workers are forked
    uncounted = bool((table.neighbours < 0).all())
    if workers == 1:
        if uncounted:
            table.neighbours = neighbour_counts(table, keep=keep)
        yield from _propose(table, scorer, threshold, keep, None)
        return
    # Threads would wait on the interpreter lock between numpy's many short steps: fork processes instead,
    # which see the table without copying it and send back only their counts and proposed pairs.
    global _SHARED
    _SHARED = (table, scorer, threshold, keep, workers)
    context = multiprocessing.get_context("fork")
    try:
        if uncounted:
            with context.Pool(workers) as pool:
                table.neighbours = np.sum(pool.map(_count, range(workers)), axis=0)
        with context.Pool(workers) as pool:  # forked again: the workers see the counts
            yield from pool.imap_unordered(_work, range(workers))
    finally:
        _SHARED = None


_SHARED: tuple[LinkTable, Scorer, float, PairFilter | None, int] | None = None


def _count(k: int) -> Ints:
    assert _SHARED is not None  # noqa: S101 - set by propose() before the fork
    table, _scorer, _threshold, keep, workers = _SHARED
    return neighbour_counts(table, keep=keep, part=(k, workers))


def _work(k: int) -> tuple[Ints, Ints, Floats]:
    assert _SHARED is not None  # noqa: S101 - set by propose() before the fork
    table, scorer, threshold, keep, workers = _SHARED
    found = list(_propose(table, scorer, threshold, keep, (k, workers)))
    if not found:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
    return (
        np.concatenate([f[0] for f in found]),
        np.concatenate([f[1] for f in found]),
        np.concatenate([f[2] for f in found]),
    )


def _propose(
    table: LinkTable,
    scorer: Scorer,
    threshold: float,
    keep: PairFilter | None,
    part: tuple[int, int] | None,
) -> Iterator[tuple[Ints, Ints, Floats]]:
    cut = logit2(threshold)
    best = scorer.narrative_range[1]
    for i, j in block_pair_arrays(table, part=part):
        if keep is not None:
            accepted = keep(i, j)
            i, j = i[accepted], j[accepted]
        total = scorer.log_odds(table, i, j, narrative=False)
        open_ = total + best >= cut - 1e-9
        i, j, total = i[open_], j[open_], total[open_]
        score = probability(total + scorer.narrative_weights(table, i, j))
        over = score >= threshold
        yield i[over], j[over], score[over]
