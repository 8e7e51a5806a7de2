"""The cross-check over the whole database (``bordermonitor crosscheck``): block, score, store the proposals for
review, and link without review where both organisations allow it."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from bordermonitor.core.linkage import (
    DEFAULT_THRESHOLD,
    Comparison,
    LinkRecord,
    LinkTable,
    PairFilter,
    Scorer,
    block_pair_arrays,
    propose,
)
from bordermonitor.storage.linkage_merge import decide
from bordermonitor.storage.linkage_records import Pairing, link_records, link_records_of, pairable
from bordermonitor.storage.linkage_scoring import blocked, calibrated
from bordermonitor.storage.models import LinkCandidate, Organisation

__all__ = ["CrosscheckResult", "ScoredPair", "crosscheck"]

_SINCE_DIRECT = 2000  # changed reports up to which --since looks up each one's candidates with SQL
_BATCH = 500  # candidates written per transaction


@dataclass(frozen=True, slots=True)
class ScoredPair:
    """A pair the batch considered: the two reports (``a`` has the lower id), the score and, when asked
    for, the explanation."""

    a: LinkRecord
    b: LinkRecord
    score: float
    comparison: Comparison | None

    def as_json(self) -> dict[str, Any]:
        agreements = self.comparison.as_json()["agreements"] if self.comparison else None
        return {
            "a": {"organisation": self.a.organisation, "ref": self.a.ref},
            "b": {"organisation": self.b.organisation, "ref": self.b.ref},
            "score": round(self.score, 4),
            "agreements": agreements,
        }


@dataclass(slots=True)
class CrosscheckResult:
    threshold: float
    model: str
    reports: int = 0
    pairs: int = 0
    proposed: int = 0
    new: int = 0
    updated: int = 0
    decided: int = 0
    withdrawn: int = 0
    linked: int = 0
    skipped: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            f"reports read: {self.reports}",
            f"pairs considered: {self.pairs}",
            f"proposed as one incident (score ≥ {self.threshold:g}): {self.proposed} "
            f"({self.new} new, {self.updated} updated, {self.decided} already decided)",
            f"proposals withdrawn: {self.withdrawn}",
            f"linked without review: {self.linked}",
            f"model: {self.model}",
        ]
        out += [f"skipped: {problem}" for problem in self.skipped]
        return out


def _since_ids(since: dt.datetime, problems: list[str]) -> tuple[set[int], set[int] | None]:
    """The reports changed since ``since``, and the reports to read with them (None: all of them)."""
    changed = set(pairable().filter(updated_at__gte=since).values_list("id", flat=True))
    if not changed or len(changed) > _SINCE_DIRECT:
        return changed, None if changed else set()
    records, pairing = link_records_of(changed, text=False, problems=problems)
    wanted = set(changed)
    sharing = Organisation.objects.filter(shares_with_network=True).values("id")
    for record in records:
        partners = Q(organisation_id=pairing.organisation[record.report_id])
        if pairing.network[record.report_id]:
            partners |= Q(organisation_id__in=sharing, consent_share_with_network=True)
        wanted.update(blocked(record, pairable().filter(partners)).values_list("id", flat=True))
    return changed, wanted


def _arrays(records: Sequence[LinkRecord], pairing: Pairing) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    ids = [r.report_id for r in records]
    organisation = np.array([pairing.organisation[rid] for rid in ids], dtype=np.int64)
    network = np.array([pairing.network[rid] for rid in ids], dtype=bool)
    incident = np.array([r.incident_id for r in records], dtype=np.int64)
    return organisation, network, incident


class _Writer:
    """Stores the proposed pairs as they come: new ones created, proposed ones rescored, decided ones kept."""

    def __init__(
        self, existing: dict[tuple[int, int], tuple[int, str]], version: str, result: CrosscheckResult
    ):
        self.existing, self.version, self.result = existing, version, result
        self.seen: set[tuple[int, int]] = set()

    def write(self, pairs: list[tuple[int, int, float, Comparison]]) -> None:
        now = timezone.now()
        new, rescored = [], []
        for a, b, score, comparison in pairs:
            self.seen.add((a, b))
            known = self.existing.get((a, b))
            agreements = comparison.as_json()
            if known is None:
                new.append(LinkCandidate(report_a_id=a, report_b_id=b, score=score, agreements=agreements,
                                         model_version=self.version, created_at=now, updated_at=now))  # fmt: skip
            elif known[1] == "proposed":
                rescored.append(LinkCandidate(pk=known[0], score=score, agreements=agreements,
                                              model_version=self.version, updated_at=now))  # fmt: skip
            else:
                self.result.decided += 1
        with transaction.atomic():
            # a pair another run stored meanwhile stays as that run stored it
            LinkCandidate.objects.bulk_create(new, batch_size=_BATCH, ignore_conflicts=True)
            LinkCandidate.objects.bulk_update(
                rescored, ["score", "agreements", "model_version", "updated_at"], batch_size=_BATCH
            )
        self.result.new += len(new)
        self.result.updated += len(rescored)

    def withdraw_unseen(self) -> None:
        """Proposals not found again (a report changed, left review, or joined the other's incident) go."""
        stale = [
            pk for key, (pk, status) in self.existing.items() if status == "proposed" and key not in self.seen
        ]
        for start in range(0, len(stale), _BATCH):
            LinkCandidate.objects.filter(pk__in=stale[start : start + _BATCH], status="proposed").delete()
        self.result.withdrawn = len(stale)


def _existing(changed: set[int] | None) -> dict[tuple[int, int], tuple[int, str]]:
    candidates = LinkCandidate.objects.all()
    if changed is not None:
        ids = sorted(changed)
        found: dict[tuple[int, int], tuple[int, str]] = {}
        for start in range(0, len(ids), _BATCH):
            part = ids[start : start + _BATCH]
            rows = candidates.filter(Q(report_a_id__in=part) | Q(report_b_id__in=part))
            for pk, a, b, status in rows.values_list("pk", "report_a_id", "report_b_id", "status"):
                found[(a, b)] = (pk, status)
        return found
    return {
        (a, b): (pk, status)
        for pk, a, b, status in candidates.values_list("pk", "report_a_id", "report_b_id", "status")
    }


def crosscheck(
    *,
    since: dt.date | dt.datetime | None = None,
    auto_threshold: float | None = None,
    progress: Callable[[str], None] | None = None,
    on_pair: Callable[[ScoredPair], None] | None = None,
    workers: int = 1,
) -> CrosscheckResult:
    """Cross-check the stored reports (or, with ``since``, the pairs of a report created or changed since
    then): block, score with :func:`calibrated_scorer`, and store every pair scoring at least
    :data:`DEFAULT_THRESHOLD` as a proposal for review — new pairs created, proposed ones rescored, decided
    ones kept as decided, proposals no longer found withdrawn. ``on_pair`` receives every pair considered,
    explained. With ``auto_threshold``, pairs scoring at least that are linked as one incident without
    review, but only when both reports' organisations enabled it (``Organisation.auto_link``).

    Each pair's prior is adjusted to its density: how many reports each side may be compared with
    (:mod:`bordermonitor.core.linkage_model`). With ``workers`` above 1 the scoring is shared among that many
    forked processes (not from a process running other threads, such as the web server).

    Must run across the network (``scopes_disabled``), as the command line does.
    """
    threshold = DEFAULT_THRESHOLD
    if auto_threshold is not None and not threshold <= auto_threshold <= 1:
        raise ValueError(
            f"the automatic linking threshold must be from {threshold:g} (the proposal threshold) to 1, "
            f"not {auto_threshold:g}"
        )
    say = progress or (lambda line: None)
    scorer, version = calibrated()
    result = CrosscheckResult(threshold=threshold, model=version)
    changed: set[int] | None = None
    wanted: set[int] | None = None
    if since is not None:
        start = since if isinstance(since, dt.datetime) else dt.datetime.combine(since, dt.time.min)
        if timezone.is_naive(start):
            start = timezone.make_aware(start)
        changed, wanted = _since_ids(start, result.skipped)
        if wanted is None:
            records, pairing = _all_records(result.skipped)
        else:
            records, pairing = link_records_of(wanted, problems=result.skipped)
    else:
        records, pairing = _all_records(result.skipped)
    result.reports = len(records)
    say(f"read {len(records)} reports")
    writer = _Writer(_existing(changed), version, result)
    organisation, network, incident = _arrays(records, pairing)
    touched = np.array([r.report_id in changed for r in records], dtype=bool) if changed is not None else None

    def shared(left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """The pairs the sharing rules let the network compare."""
        return np.asarray((organisation[left] == organisation[right]) | (network[left] & network[right]))

    def open_(left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """The pairs to score: shared, not one incident already and, with ``since``, with a side changed."""
        keep = shared(left, right) & (incident[left] != incident[right])
        return np.asarray(keep if touched is None else keep & (touched[left] | touched[right]))

    table = LinkTable(records)
    _count(table, shared, open_, result)
    if touched is not None and wanted is not None:
        # only the changed reports were read with all their candidates: the others' counts would be short,
        # so they stay unknown and each pair takes its changed report's count
        table.neighbours[~touched] = -1
    say(f"blocking pairs {result.pairs} to compare")
    automatic: list[tuple[float, int, int]] = []
    told = time.monotonic()
    for left, right, proposed in _scored(table, scorer, threshold, open_, workers, every=on_pair is not None):
        stored = []
        for k, comparison in enumerate(scorer.explain(table, left, right)):
            a, b = records[int(left[k])], records[int(right[k])]
            if on_pair is not None:
                on_pair(ScoredPair(a=a, b=b, score=comparison.score, comparison=comparison))
            if not proposed[k]:
                continue
            stored.append((a.report_id, b.report_id, comparison.score, comparison))
            if (
                auto_threshold is not None
                and comparison.score >= auto_threshold
                and pairing.automatic(a.report_id, b.report_id)
            ):
                automatic.append((comparison.score, a.report_id, b.report_id))
        result.proposed += len(stored)
        writer.write(stored)
        if time.monotonic() - told >= 5:
            say(f"{result.proposed} proposed")
            told = time.monotonic()
    say(f"scored {result.pairs} pairs, {result.proposed} proposed")
    writer.withdraw_unseen()
    result.linked = _link_automatically(automatic)
    if result.linked:
        say(f"linked {result.linked} pairs without review")
    return result


def _count(table: LinkTable, shared: PairFilter, open_: PairFilter, result: CrosscheckResult) -> None:
    """One pass of blocking: each report's neighbours among the reports it may be compared with (the density
    its priors are adjusted to), and the number of pairs to score."""
    counts = np.zeros(table.size, dtype=np.int64)
    for left, right in block_pair_arrays(table):
        chosen = shared(left, right)
        left, right = left[chosen], right[chosen]
        counts += np.bincount(left, minlength=table.size) + np.bincount(right, minlength=table.size)
        result.pairs += int(open_(left, right).sum())
    table.neighbours = counts


def _scored(
    table: LinkTable, scorer: Scorer, threshold: float, open_: PairFilter, workers: int, *, every: bool
) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Chunks of pairs ``(left, right, proposed)``: every open pair when ``every``, else only the proposed
    ones (:func:`~bordermonitor.core.linkage.propose`, which compares narratives only where they can matter)."""
    if not every:
        for left, right, _score in propose(
            table, scorer=scorer, threshold=threshold, workers=workers, keep=open_
        ):
            yield left, right, np.ones(len(left), dtype=bool)
        return
    for left, right in block_pair_arrays(table):
        chosen = open_(left, right)
        if chosen.any():
            left, right = left[chosen], right[chosen]
            yield left, right, scorer.scores(table, left, right) >= threshold


def _all_records(problems: list[str]) -> tuple[list[LinkRecord], Pairing]:
    records, pairing = link_records(pairable(), pairing=True, problems=problems)
    assert pairing is not None  # noqa: S101 - asked for
    return records, pairing


def _link_automatically(pairs: Iterable[tuple[float, int, int]]) -> int:
    linked = 0
    for _score, a, b in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        candidate = LinkCandidate.objects.get(report_a_id=a, report_b_id=b)
        if candidate.status != "proposed":
            continue
        decide(candidate, "same_incident", user=None, automatic=True)
        linked += 1
    return linked
