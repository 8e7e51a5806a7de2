"""The linkage model: m and u of every field's levels, the priors and the narrative model (see
:mod:`bordermonitor.core.linkage`).

**Priors by blocking class.** Blocking compares a report with the reports of a date window at the same
place; a report without a date is compared with every report at the place, and one without any place with
every report in the window. Among those much larger sets of pairs the same incident is much rarer, so the
prior — the share of compared pairs that are the same incident — is kept for each class of pair
(:data:`PRIOR_CLASSES`): both dated and placed, a date missing, a place missing, both missing. The missing
value itself still weighs 0 in the comparison; only the starting odds differ, and the explanation shows them.
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

__all__ = ["FORMAT", "PRIOR_CLASSES", "Scorer", "prior_classes", "probability"]

FORMAT = "bordermonitor/linkage-model@1"
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
        total = self._priors[prior_classes(table, i, j)]
        for field, (level, _) in levels(table, self.text, i, j, narrative=narrative).items():
            total = total + self._weights[field][level]
        return np.asarray(total)

    def narrative_weights(self, table: LinkTable, i: Ints, j: Ints) -> Floats:
        level, _ = levels(table, self.text, i, j)["narrative"] if len(i) else (np.zeros(0, np.int8), None)
        return np.asarray(self._weights["narrative"][level])

    def scores(self, table: LinkTable, i: Ints, j: Ints) -> Floats:
        return probability(self.log_odds(table, i, j))

    def compare(self, a: LinkRecord, b: LinkRecord) -> Comparison:
        """The explained comparison of two reports (the same whichever comes first)."""
        return self.compare_many(a, [b])[0]

    def compare_many(self, record: LinkRecord, candidates: Sequence[LinkRecord]) -> list[Comparison]:
        """:meth:`compare` of one report with each of its candidates, computed together."""
        if not candidates:
            return []
        table = LinkTable([record, *candidates])
        i = np.zeros(len(candidates), dtype=np.int64)
        j = np.arange(1, len(candidates) + 1, dtype=np.int64)
        found = levels(table, self.text, i, j)
        classes = prior_classes(table, i, j)
        total = self._priors[classes]
        for field, (level, _) in found.items():
            total = total + self._weights[field][level]
        score = probability(total)
        mine = values(record)
        out = []
        for k, other in enumerate(candidates):
            theirs = values(other)
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
            name = PRIOR_CLASSES[int(classes[k])]
            out.append(
                Comparison(
                    score=float(score[k]),
                    log_odds=float(total[k]),
                    agreements=agreements,
                    prior=self.priors[name],
                    prior_class=name,
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
    ) -> Scorer:
        """A model calibrated from labelled pairs (True: the same incident), e.g. reviewers' decisions.

        Without ``base``, each field's m and u are the labelled shares of its levels, Laplace-smoothed, the
        priors are the shares of pairs labelled True in each prior class, and the narrative model is trained
        on the pairs' texts. With ``base``, ``base`` counts as ``strength`` pairs already seen: a level with
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
            priors = dict(base.priors)
        else:
            overall = (matches + 1.0) / (len(listed) + 2.0)
            classes = prior_classes(table, i, j)
            priors = {}
            for number, name in enumerate(PRIOR_CLASSES):
                chosen = classes == number
                priors[name] = (float(same[chosen].sum()) + strength * overall) / (
                    float(chosen.sum()) + strength
                )
        trained = {"pairs": len(listed), "matches": matches, "base": base.trained if base else None}
        return cls(prior=priors, m=m, u=u, text=text, trained=trained)

    # ----------------------------------------------------------------------------------------------- JSON

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "prior": dict(self.priors),
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
        if not isinstance(data, Mapping) or data.get("format") != FORMAT:
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
        return cls(
            prior=prior, m=m, u=u, text=text, trained=trained if isinstance(trained, Mapping) else None
        )
