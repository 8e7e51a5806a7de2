"""The linkage model: m and u of every field's levels, the priors and the narrative model (see
:mod:`bordermonitor.core.linkage`).

**Priors by blocking class.** Blocking compares a report with the reports of a date window at the same
place; a report without a date is compared with every report at the place, and one without any place with
every report in the window. Among those much larger sets of pairs the same incident is much rarer, so the
prior — the share of compared pairs that are the same incident — is kept for each class of pair
(:data:`PRIOR_CLASSES`): both dated and placed, a date missing, a place missing, both missing. The missing
value itself still weighs 0 in the comparison; only the starting odds differ, and the explanation shows them.

**Priors by density.** An incident is told by one to a few sources however many other reports there are
nearby, so the more reports a report may match (its *neighbours*: the reports blocking pairs it with), the
rarer the same incident is among them: on generated reports a third of the pairs whose reports have under 10
neighbours are one incident, under 1 % of those with 30 to 100. The prior's log-odds therefore move with the pair's density — the
geometric mean of the two reports' neighbour counts, or the one count known — by ``slope × log2(density /
reference)``; ``reference`` is the typical density of the pairs the model was trained on (where the class
prior holds as it is) and ``slope`` (the shipped model's: -0.70, the odds about 40 % lower for twice the
neighbours) is fitted with the class priors on the same pairs. Without any count the class prior holds unchanged.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from bordermonitor.core.linkage_fit import calibrate
from bordermonitor.core.linkage_levels import FIELDS, UNKNOWN, levels, values
from bordermonitor.core.linkage_records import Agreement, Comparison, LinkageError, LinkRecord
from bordermonitor.core.linkage_table import LinkTable
from bordermonitor.core.linkage_text import TextModel

__all__ = ["FORMAT", "PRIOR_CLASSES", "Scorer", "pair_neighbours", "prior_classes", "probability"]

FORMAT = "bordermonitor/linkage-model@2"
_FORMATS = (FORMAT, "bordermonitor/linkage-model@1")  # @1: no density (its priors hold at any density)
PRIOR_CLASSES = ("dated_and_placed", "no_date", "no_place", "no_date_no_place")

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]


def logit2(p: float) -> float:
    return math.log2(p / (1.0 - p))


def probability(log_odds: Floats) -> Floats:
    """``1 / (1 + 2^-log_odds)``."""
    return np.asarray(1.0 / (1.0 + np.exp2(-np.clip(log_odds, -1000.0, 1000.0))))


def prior_classes(t: LinkTable, i: Ints, j: Ints) -> Ints:
    """The prior class number of each pair: +1 when a side has no date, +2 when a side has no place."""
    undated = (t.precision[i] == 0) | (t.precision[j] == 0)
    placeless = ~t.has_place[i] | ~t.has_place[j]
    return np.asarray(undated.astype(np.int64) + 2 * placeless.astype(np.int64))


def pair_neighbours(t: LinkTable, i: Ints, j: Ints) -> Floats:
    """The density of each pair: the geometric mean of both reports' neighbour counts (at least 1 each), the
    one count known when the other is not, NaN when neither is (:attr:`LinkTable.neighbours`)."""
    a = t.neighbours[i].astype(np.float64)
    b = t.neighbours[j].astype(np.float64)
    a[a < 0] = np.nan
    b[b < 0] = np.nan
    a, b = np.maximum(a, 1.0), np.maximum(b, 1.0)
    both = np.sqrt(a * b)
    return np.asarray(np.where(np.isnan(a), b, np.where(np.isnan(b), a, both)))


def _fit_priors(
    classes: Ints, density: Floats, same: npt.NDArray[np.bool_], weights_sum: Floats, strength: float
) -> tuple[dict[str, float], float, float]:
    """Class priors at the reference density, the slope and the reference: a logistic regression of the labels
    on the class and ``log2(density / reference)`` with the pairs' summed field weights (``weights_sum``, base
    2) as a fixed offset — so the priors are the ones that make the scores right given the weights — each class
    drawn towards the overall share by ``strength`` pseudo-pairs. The slope is kept from -2 to 0 (more
    neighbours never make the same incident likelier)."""
    known = ~np.isnan(density)
    reference = float(np.exp2(np.median(np.log2(density[known])))) if known.any() else 1.0
    x = np.where(known, np.log2(np.where(known, density, 1.0) / reference), 0.0)
    overall = (float(same.sum()) + 1.0) / (len(same) + 2.0)
    # the pairs, then for each class two pseudo-pairs at the reference (one of each label, weighted)
    cls = np.concatenate([classes, np.repeat(np.arange(len(PRIOR_CLASSES)), 2)])
    xs = np.concatenate([x, np.zeros(2 * len(PRIOR_CLASSES))])
    offset = np.concatenate([weights_sum * math.log(2.0), np.zeros(2 * len(PRIOR_CLASSES))])
    ys = np.concatenate([same.astype(np.float64), np.tile([1.0, 0.0], len(PRIOR_CLASSES))])
    weights = np.concatenate(
        [np.ones(len(same)), np.tile([strength * overall, strength * (1.0 - overall)], len(PRIOR_CLASSES))]
    )
    design = np.zeros((len(cls), len(PRIOR_CLASSES) + 1))
    design[np.arange(len(cls)), cls] = 1.0
    design[:, -1] = xs
    beta = np.zeros(len(PRIOR_CLASSES) + 1)
    beta[: len(PRIOR_CLASSES)] = math.log(overall / (1.0 - overall))
    for _ in range(50):  # Newton's method on the weighted log-likelihood (natural logarithms)
        p = 1.0 / (1.0 + np.exp(-np.clip(offset + design @ beta, -50.0, 50.0)))
        gradient = design.T @ (weights * (ys - p))
        hessian = (design * (weights * p * (1.0 - p))[:, None]).T @ design + 1e-9 * np.eye(len(beta))
        step = np.linalg.solve(hessian, gradient)
        beta += step
        beta[-1] = min(0.0, max(-2.0 * math.log(2.0), beta[-1]))
        if float(np.abs(step).max()) < 1e-9:
            break
    priors = {name: float(1.0 / (1.0 + math.exp(-beta[k]))) for k, name in enumerate(PRIOR_CLASSES)}
    return priors, float(beta[-1] / math.log(2.0)), reference


def _check_probability(value: object, where: str, *, low: float = 0.0) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low < value <= 1.0:
        raise LinkageError(f"linkage model, {where}: {value!r} is not a probability above {low:g}")
    return float(value)


class Scorer:
    """The m and u probabilities of every field's levels, the priors and the narrative model."""

    def __init__(
        self,
        *,
        prior: float | Mapping[str, float],
        m: Mapping[str, Mapping[str, float]],
        u: Mapping[str, Mapping[str, float]],
        text: TextModel,
        trained: Mapping[str, Any] | None = None,
        density: Mapping[str, float] | None = None,
    ) -> None:
        given = dict.fromkeys(PRIOR_CLASSES, prior) if not isinstance(prior, Mapping) else dict(prior)
        stray = set(given) - set(PRIOR_CLASSES)
        if stray:
            raise LinkageError(f"linkage model, prior: unknown classes {', '.join(sorted(stray))}")
        self.priors: dict[str, float] = {}
        for name in PRIOR_CLASSES:
            p = _check_probability(given.get(name), f"prior.{name}")
            if p >= 1.0:
                raise LinkageError(f"linkage model, prior.{name}: {p!r} must be below 1")
            self.priors[name] = p
        for label, table in (("m", m), ("u", u)):
            for field, names in FIELDS.items():
                if field not in table:
                    raise LinkageError(f"linkage model, {field}: no {label} probabilities")
                for level in names:
                    _check_probability(table[field].get(level), f"{field}.{level}.{label}")
                stray = set(table[field]) - set(names)
                if stray:
                    raise LinkageError(f"linkage model, {field}: unknown levels {', '.join(sorted(stray))}")
        self.m = {f: {lv: float(m[f][lv]) for lv in names} for f, names in FIELDS.items()}
        self.u = {f: {lv: float(u[f][lv]) for lv in names} for f, names in FIELDS.items()}
        self.text = text
        self.trained = dict(trained or {})
        # one weight per level, then 0 for unknown: level number -1 picks the last
        self._weights = {
            f: np.array([*(math.log2(self.m[f][lv] / self.u[f][lv]) for lv in names), 0.0])
            for f, names in FIELDS.items()
        }
        self._priors = np.array([logit2(self.priors[name]) for name in PRIOR_CLASSES])
        given_density = dict(density or {"slope": 0.0, "reference": 1.0})
        slope, reference = given_density.get("slope"), given_density.get("reference")
        if isinstance(slope, bool) or not isinstance(slope, (int, float)) or not -4.0 <= slope <= 0.0:
            raise LinkageError(f"linkage model, density.slope: {slope!r} is not a number from -4 to 0")
        if isinstance(reference, bool) or not isinstance(reference, (int, float)) or not reference >= 1.0:
            raise LinkageError(f"linkage model, density.reference: {reference!r} is not a count of 1 or more")
        self.density = {"slope": float(slope), "reference": float(reference)}

    @property
    def prior(self) -> float:
        """The prior of pairs compared by date and place (the usual class)."""
        return self.priors[PRIOR_CLASSES[0]]

    @property
    def prior_log_odds(self) -> float:
        return logit2(self.prior)

    def weight(self, field: str, level: str) -> float:
        """log2(m/u) of a level; 0 for ``unknown``."""
        if level == UNKNOWN:
            return 0.0
        return float(self._weights[field][FIELDS[field].index(level)])

    def weights(self) -> dict[str, dict[str, float]]:
        return {f: {lv: self.weight(f, lv) for lv in names} for f, names in FIELDS.items()}

    @property
    def narrative_range(self) -> tuple[float, float]:
        """The lowest and highest weight the narrative can add (0 included: unknown)."""
        weights = self._weights["narrative"]
        return float(weights.min()), float(weights.max())

    # -------------------------------------------------------------------------------------------- scoring

    def log_odds(self, table: LinkTable, i: Ints, j: Ints, *, narrative: bool = True) -> Floats:
        """The log-odds (base 2) of the pairs ``(i[k], j[k])`` of a table; without the narrative on request."""
        total = self._prior_log_odds(table, i, j)[0]
        for field, (level, _) in levels(table, self.text, i, j, narrative=narrative).items():
            total = total + self._weights[field][level]
        return np.asarray(total)

    def _prior_log_odds(self, table: LinkTable, i: Ints, j: Ints) -> tuple[Floats, Ints, Floats]:
        """The prior log-odds of each pair (its class's, moved by its density), the classes and the densities."""
        classes = prior_classes(table, i, j)
        density = pair_neighbours(table, i, j)
        shift = self.density["slope"] * np.log2(density / self.density["reference"])
        return np.asarray(self._priors[classes] + np.nan_to_num(shift, nan=0.0)), classes, density

    def narrative_weights(self, table: LinkTable, i: Ints, j: Ints) -> Floats:
        level, _ = levels(table, self.text, i, j)["narrative"] if len(i) else (np.zeros(0, np.int8), None)
        return np.asarray(self._weights["narrative"][level])

    def scores(self, table: LinkTable, i: Ints, j: Ints) -> Floats:
        return probability(self.log_odds(table, i, j))

    def compare(self, a: LinkRecord, b: LinkRecord) -> Comparison:
        """The explained comparison of two reports (the same whichever comes first)."""
        return self.compare_many(a, [b])[0]

    def compare_many(
        self,
        record: LinkRecord,
        candidates: Sequence[LinkRecord],
        *,
        record_neighbours: int | None = None,
        neighbours: Sequence[int | None] | None = None,
    ) -> list[Comparison]:
        """:meth:`compare` of one report with each of its candidates, computed together; with the neighbour
        counts of the report and of each candidate when known (see :func:`pair_neighbours`)."""
        if not candidates:
            return []
        table = LinkTable([record, *candidates])
        if neighbours is not None:
            table.neighbours[1:] = [-1 if n is None else n for n in neighbours]
        table.neighbours[0] = record_neighbours if record_neighbours is not None else -1
        i = np.zeros(len(candidates), dtype=np.int64)
        return self.explain(table, i, np.arange(1, len(candidates) + 1, dtype=np.int64))

    def explain(self, table: LinkTable, i: Ints, j: Ints) -> list[Comparison]:
        """The explained comparisons of the pairs ``(i[k], j[k])`` of a table (with its neighbour counts and
        narrative vectors, so a batch explains its proposals without building anything again)."""
        found = levels(table, self.text, i, j)
        start, classes, density = self._prior_log_odds(table, i, j)
        total = start
        for field, (level, _) in found.items():
            total = total + self._weights[field][level]
        score, prior = probability(total), probability(start)
        shown: dict[int, dict[str, object]] = {}
        out = []
        for k, (a, b) in enumerate(zip(i.tolist(), j.tolist(), strict=True)):
            mine = shown.get(a) or shown.setdefault(a, values(table.records[a]))
            theirs = shown.get(b) or shown.setdefault(b, values(table.records[b]))
            agreements = {}
            for field, (level, measure) in found.items():
                number = int(level[k])
                value = float(measure[k])
                agreements[field] = Agreement(
                    level=UNKNOWN if number < 0 else FIELDS[field][number],
                    weight=float(self._weights[field][number]),
                    a=mine[field],
                    b=theirs[field],
                    measure=None if math.isnan(value) else round(value, 3),
                )
            figure = float(density[k])
            out.append(
                Comparison(
                    score=float(score[k]),
                    log_odds=float(total[k]),
                    agreements=agreements,
                    prior=float(prior[k]),
                    prior_class=PRIOR_CLASSES[int(classes[k])],
                    neighbours=None if math.isnan(figure) else round(figure, 1),
                )
            )
        return out

    # -------------------------------------------------------------------------------------- calibration

    @classmethod
    def fit(
        cls,
        pairs: Iterable[tuple[LinkRecord, LinkRecord, bool]],
        *,
        base: Scorer | None = None,
        strength: float = 20.0,
        densities: Sequence[float | None] | None = None,
    ) -> Scorer:
        """A model calibrated from labelled pairs (True: the same incident), e.g. reviewers' decisions.

        Without ``base``, each field's m and u are the labelled shares of its levels, Laplace-smoothed, the
        priors and their density slope are fitted on the labels by class and by density (``densities``: each
        pair's :func:`pair_neighbours`, None where unknown; without them the slope is 0), and the narrative
        model is trained on the pairs' texts. With ``base``, ``base`` counts as ``strength`` pairs already seen: a level with
        few labels keeps about the base's probability and many labels outweigh it; the priors and the
        narrative model stay the base's (reviewers label proposed pairs, not a sample of all pairs). Weights
        are kept monotone along each field's levels. See :mod:`bordermonitor.core.linkage_fit`.
        """
        listed = list(pairs)
        if not listed:
            if base is None:
                raise LinkageError("fit: no labelled pairs and no base model")
            return base
        index: dict[LinkRecord, int] = {}
        for a, b, _ in listed:
            index.setdefault(a, len(index))
            index.setdefault(b, len(index))
        records = list(index)
        text = base.text if base else TextModel.fit(r.text for r in records)
        table = LinkTable(records)
        i = np.array([index[a] for a, _, _ in listed], dtype=np.int64)
        j = np.array([index[b] for _, b, _ in listed], dtype=np.int64)
        same = np.array([bool(label) for _, _, label in listed])
        found = {field: level for field, (level, _) in levels(table, text, i, j).items()}
        m, u = calibrate(found, same, base=(base.m, base.u) if base else None, strength=strength)
        matches = int(same.sum())
        if base is not None:
            priors, density = dict(base.priors), dict(base.density)
        else:
            if densities is not None and len(densities) != len(listed):
                raise LinkageError(f"fit: {len(densities)} densities for {len(listed)} pairs")
            figures = np.array(
                [math.nan if d is None else float(d) for d in densities or [None] * len(listed)]
            )
            summed = np.zeros(len(listed))
            for field, names in FIELDS.items():
                weights = np.array([*(math.log2(m[field][lv] / u[field][lv]) for lv in names), 0.0])
                summed += weights[found[field]]
            priors, slope, reference = _fit_priors(
                prior_classes(table, i, j), figures, same, summed, strength
            )
            density = {"slope": slope, "reference": reference}
        trained = {"pairs": len(listed), "matches": matches, "base": base.trained if base else None}
        return cls(prior=priors, m=m, u=u, text=text, trained=trained, density=density)

    # ----------------------------------------------------------------------------------------------- JSON

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "prior": dict(self.priors),
            "density": dict(self.density),
            "fields": {
                field: {
                    level: {
                        "m": self.m[field][level],
                        "u": self.u[field][level],
                        "weight": self.weight(field, level),
                    }
                    for level in names
                }
                for field, names in FIELDS.items()
            },
            "text": self.text.to_json(),
            "trained": self.trained,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Scorer:
        """The model of :meth:`to_json`; a wrong value raises :class:`LinkageError` naming it."""
        if not isinstance(data, Mapping) or data.get("format") not in _FORMATS:
            raise LinkageError(f"linkage model, format: expected {FORMAT!r}")
        fields = data.get("fields")
        if not isinstance(fields, Mapping):
            raise LinkageError("linkage model, fields: missing")
        stray = set(fields) - set(FIELDS)
        if stray:
            raise LinkageError(f"linkage model, fields: unknown fields {', '.join(sorted(stray))}")
        m: dict[str, dict[str, float]] = {}
        u: dict[str, dict[str, float]] = {}
        for field, table in fields.items():
            if not isinstance(table, Mapping):
                raise LinkageError(f"linkage model, {field}: expected levels with m and u")
            try:
                m[field] = {level: entry["m"] for level, entry in table.items()}
                u[field] = {level: entry["u"] for level, entry in table.items()}
            except (KeyError, TypeError) as error:
                raise LinkageError(f"linkage model, {field}: every level needs m and u") from error
        try:
            text = TextModel.from_json(data.get("text") or {})
        except ValueError as error:
            raise LinkageError(f"linkage model, {error}") from error
        prior = data.get("prior")
        if not isinstance(prior, Mapping):
            raise LinkageError(f"linkage model, prior: {prior!r} is not a probability for each class")
        trained = data.get("trained")
        density = data.get("density")
        if density is not None and not isinstance(density, Mapping):
            raise LinkageError(f"linkage model, density: {density!r} is not a slope and a reference")
        return cls(
            prior=prior,
            m=m,
            u=u,
            text=text,
            trained=trained if isinstance(trained, Mapping) else None,
            density=density,
        )
