"""Link records as columns (numpy), so that blocking and scoring handle millions of pairs at once.

Everything here is derived once per record: the date as an interval of day numbers with its blocking window,
the place as a point on the unit sphere (computed with :mod:`math`, so that the one-pair functions of
:mod:`bordermonitor.core.linkage_blocking` get the very same numbers), codes as small integers and sets as
bit sets (``uint64`` words) over the codes the table holds. Unknown is ``-1``, ``NaN`` or an empty set.
"""

from __future__ import annotations

import calendar
import math
import zlib
from collections.abc import Hashable, Sequence

import numpy as np
import numpy.typing as npt

from bordermonitor.core.linkage_records import UNKNOWN_AREA, LinkRecord
from bordermonitor.core.linkage_text import TextModel, normalise

__all__ = [
    "DATASET",
    "DAY_WINDOW",
    "MONTH_WINDOW",
    "UNBOUNDED_WINDOW",
    "YEAR_WINDOW",
    "LinkTable",
    "interval",
    "unit_vector",
    "window_days",
]

DAY_WINDOW = 3
MONTH_WINDOW = 7
YEAR_WINDOW = 31
UNBOUNDED_WINDOW = 1_000_000  # no date at all: the date does not block
DATASET = "dataset"  # the report kind of a row of a published dataset
_PRECISION = {"day": 1, "month": 2, "year": 3}

IntArray = npt.NDArray[np.int64]


def window_days(record: LinkRecord) -> int:
    """Days a report's date is widened by each side for blocking: two reports may describe the same incident
    if their widened periods overlap. A day: 3; a month: the month and 7 days; a year: the year and 31 days;
    no date: :data:`UNBOUNDED_WINDOW` (the date does not block)."""
    if record.date is None:
        return UNBOUNDED_WINDOW
    return {"day": DAY_WINDOW, "month": MONTH_WINDOW}.get(record.precision or "day", YEAR_WINDOW)


def interval(record: LinkRecord) -> tuple[int, int] | None:
    """The first and last day (ordinals) of the period a report's date names, or None without a date."""
    if record.date is None:
        return None
    first = record.date.toordinal()
    if record.precision == "month":
        return first, first + calendar.monthrange(record.date.year, record.date.month)[1] - 1
    if record.precision == "year":
        return first, first + (365 + calendar.isleap(record.date.year)) - 1
    return first, first


def unit_vector(lat: float, lon: float) -> tuple[float, float, float]:
    """The point on the unit sphere; the chord between two of them measures their distance exactly."""
    phi, lam = math.radians(lat), math.radians(lon)
    return math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi)


def _codes(values: Sequence[Hashable | None]) -> IntArray:
    index: dict[Hashable, int] = {}
    return np.array([-1 if v is None else index.setdefault(v, len(index)) for v in values], dtype=np.int64)


class BitSets:
    """A set of codes per record as bits (``uint64`` words), with each set's size."""

    def __init__(self, words: npt.NDArray[np.uint64]) -> None:
        self.words = words
        self.size = np.asarray(np.bitwise_count(words).sum(axis=1, dtype=np.int64))
        self._single = words[:, 0].copy() if words.shape[1] == 1 else None

    def common(self, i: IntArray, j: IntArray) -> IntArray:
        """How many codes the sets of rows ``i[k]`` and ``j[k]`` share."""
        if self._single is not None:
            return np.asarray(np.bitwise_count(self._single[i] & self._single[j]), dtype=np.int64)
        return np.asarray(np.bitwise_count(self.words[i] & self.words[j]).sum(axis=1, dtype=np.int64))


def _bitsets(values: Sequence[frozenset[str] | tuple[str, ...]]) -> BitSets:
    vocabulary = {code: k for k, code in enumerate(sorted(set().union(*values)))} if values else {}
    words = max(1, -(-len(vocabulary) // 64))
    rows: list[int] = []
    bits: list[int] = []
    for row, codes in enumerate(values):
        for code in codes:
            rows.append(row)
            bits.append(vocabulary[code])
    out = np.zeros((len(values), words), dtype=np.uint64)
    if rows:
        bit = np.array(bits, dtype=np.uint64)
        word = (bit // np.uint64(64)).astype(np.int64)
        np.bitwise_or.at(out, (np.array(rows), word), np.uint64(1) << (bit % np.uint64(64)))
    return BitSets(out)


def _hashed_words(texts: Sequence[str | None]) -> BitSets:
    """Each text's set of words as 128 bits (a word sets the bit its stable hash names)."""
    out = np.zeros((len(texts), 2), dtype=np.uint64)
    seen: dict[str, int] = {}
    for row, text in enumerate(texts):
        clean = normalise(text)
        if clean is None:
            continue
        for word in clean.split():
            bit = seen.get(word)
            if bit is None:
                bit = seen[word] = zlib.crc32(word.encode("utf-8")) % 128
            out[row, bit // 64] |= np.uint64(1) << np.uint64(bit % 64)
    return BitSets(out)


def _flag(values: Sequence[bool | None]) -> npt.NDArray[np.int8]:
    return np.array([-1 if v is None else int(v) for v in values], dtype=np.int8)


def minors_flag(record: LinkRecord) -> bool | None:
    """Whether minors were in the group: as told, or from the count of minors when that is known."""
    if record.minors_involved is not None:
        return record.minors_involved
    return None if record.minors is None else record.minors > 0


def women_flag(record: LinkRecord) -> bool | None:
    return None if record.women is None else record.women > 0


class LinkTable:
    """The columns of a sequence of link records (row ``k`` is ``records[k]``)."""

    def __init__(self, records: Sequence[LinkRecord]) -> None:
        self.records = records
        self.size = n = len(records)
        intervals = [interval(r) for r in records]
        self.lo = np.array([iv[0] if iv else 0 for iv in intervals], dtype=np.int64)
        self.hi = np.array([iv[1] if iv else 0 for iv in intervals], dtype=np.int64)
        self.precision = np.array(
            [_PRECISION[r.precision or "day"] if r.date else 0 for r in records], dtype=np.int8
        )
        self.window = np.array([window_days(r) for r in records], dtype=np.int64)
        self.minute = np.array(
            [int(r.time[:2]) * 60 + int(r.time[3:5]) if r.time else -1 for r in records], dtype=np.int64
        )
        points = [
            unit_vector(r.lat, r.lon) if r.lat is not None and r.lon is not None else None for r in records
        ]
        self.has_point = np.array([p is not None for p in points], dtype=bool)
        xyz = np.array([p or (math.nan, math.nan, math.nan) for p in points], dtype=np.float64).reshape(n, 3)
        self.x, self.y, self.z = xyz[:, 0].copy(), xyz[:, 1].copy(), xyz[:, 2].copy()
        self.lat = np.array([r.lat if r.lat is not None else math.nan for r in records], dtype=np.float64)
        self.lon = np.array([r.lon if r.lon is not None else math.nan for r in records], dtype=np.float64)
        self.organisation = _codes([r.organisation for r in records])
        self.dataset = np.array([r.kind == DATASET for r in records], dtype=bool)
        self.area = _codes([None if r.area == UNKNOWN_AREA else r.area for r in records])
        self.country = _codes([r.country for r in records])
        self.has_place = self.has_point | (self.area >= 0) | (self.country >= 0)
        self.chain = _codes([r.expelled_by or None for r in records])
        self.states = _bitsets([r.expelled_by for r in records])
        self.expelled_to = _codes([r.expelled_to for r in records])
        self.group_size = np.array(
            [math.nan if r.group_size is None else float(r.group_size) for r in records], dtype=np.float64
        )
        self.minors = _flag([minors_flag(r) for r in records])
        self.women = _flag([women_flag(r) for r in records])
        self.nationalities = _bitsets([r.nationalities for r in records])
        self.violence = _bitsets([r.violence for r in records])
        self.perpetrators = _bitsets([r.perpetrators for r in records])
        self.officers = _hashed_words([r.officers_description for r in records])
        self.language = _codes([r.text_language for r in records])
        self.neighbours = np.full(n, -1, dtype=np.int64)
        """How many reports each record may match (its blocked candidates), -1 while not counted: the density
        the priors are adjusted to (:mod:`bordermonitor.core.linkage_model`). Set with
        :func:`~bordermonitor.core.linkage_blocking.neighbour_counts`, or by whoever knows the candidates."""
        self._vectors: dict[int, tuple[TextModel, npt.NDArray[np.float32]]] = {}

    def text_vectors(self, model: TextModel) -> npt.NDArray[np.float32]:
        """The narratives' unit vectors under ``model`` (computed once per model)."""
        cached = self._vectors.get(id(model))
        if cached is None or cached[0] is not model:
            cached = self._vectors[id(model)] = (model, model.vectors([r.text for r in self.records]))
        return cached[1]
