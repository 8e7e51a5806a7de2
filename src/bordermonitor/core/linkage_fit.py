"""Calibration of the linkage model from labelled pairs (see :meth:`bordermonitor.core.linkage.Scorer.fit`).

For each field, m is estimated from the levels of the pairs labelled *same incident* and u from the others:

- **smoothing**: every level gets pseudo-observations in proportion to the size of each class (one for the
  smaller class), so a level no pair showed weighs 0 instead of the ratio of the class sizes;
- **a base model**: counts as ``strength`` pairs already seen, so a level with few labels keeps about the
  base's probability and many labels outweigh it;
- **monotone weights**: along each chain of :data:`~bordermonitor.core.linkage_levels.MONOTONE` (from the
  closest agreement to the loosest) a weight may not rise; adjacent levels that would are pooled (the pool
  adjacent violators algorithm on the ratio m/u, keeping the sums of m and u), so the model never says that
  a looser agreement is more telling than a closer one because of a quirk of the training data.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

from bordermonitor.core.linkage_levels import FIELDS, MONOTONE

__all__ = ["calibrate"]

Table = dict[str, dict[str, float]]


def calibrate(
    found: Mapping[str, npt.NDArray[np.int8]],
    same: npt.NDArray[np.bool_],
    *,
    base: tuple[Table, Table] | None = None,
    strength: float = 20.0,
) -> tuple[Table, Table]:
    """m and u of every field's levels from the level numbers of labelled pairs (``-1``: unknown, skipped)."""
    m: Table = {}
    u: Table = {}
    for field, level in found.items():
        names = FIELDS[field]
        counts = [
            np.bincount(level[(same == label) & (level >= 0)], minlength=len(names)).astype(np.float64)
            for label in (True, False)
        ]
        if base is None:
            sizes = [max(1.0, float(c.sum())) for c in counts]
            unit = max(1.0, min(float(c.sum()) for c in counts))
            shares = [
                (c + size / unit) / (c.sum() + len(names) * size / unit)
                for c, size in zip(counts, sizes, strict=True)
            ]
        else:
            shares = []
            for c, table in zip(counts, base, strict=True):
                given = np.array([table[field][lv] for lv in names])
                shares.append((c + strength * given / given.sum()) / (c.sum() + strength))
        mono_m, mono_u = _monotone(field, shares[0], shares[1])
        m[field] = {lv: float(p) for lv, p in zip(names, mono_m, strict=True)}
        u[field] = {lv: float(p) for lv, p in zip(names, mono_u, strict=True)}
    return m, u


def _monotone(
    field: str, m: npt.NDArray[np.float64], u: npt.NDArray[np.float64]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    names = FIELDS[field]
    m, u = m.copy(), u.copy()
    chains = [[names.index(level) for level in chain] for chain in MONOTONE[field]]
    for _ in range(10 * len(names)):
        changed = False
        for chain in chains:
            changed |= _pool(chain, m, u)
        if not changed:
            break
    return m, u


def _pool(chain: list[int], m: npt.NDArray[np.float64], u: npt.NDArray[np.float64]) -> bool:
    """Pool adjacent violators along one chain, in place; True if anything was pooled."""
    blocks: list[list[int]] = []
    for level in chain:
        blocks.append([level])
        while len(blocks) > 1 and _ratio(blocks[-1], m, u) > _ratio(blocks[-2], m, u) * (1 + 1e-12):
            last = blocks.pop()
            blocks[-1].extend(last)
    pooled = False
    for block in blocks:
        if len(block) < 2:
            continue
        mass = m[block] + u[block]
        share = mass / mass.sum()
        new_m, new_u = m[block].sum() * share, u[block].sum() * share
        if not (
            np.allclose(new_m, m[block], rtol=1e-12, atol=0)
            and np.allclose(new_u, u[block], rtol=1e-12, atol=0)
        ):
            pooled = True
        m[block], u[block] = new_m, new_u
    return pooled


def _ratio(block: list[int], m: npt.NDArray[np.float64], u: npt.NDArray[np.float64]) -> float:
    return float(m[block].sum() / u[block].sum())
