"""Sets of incident positions as packed bits: one ``uint64`` word per 64 incidents.

A million incidents make a set of 125 KB, so intersecting filters is a few microseconds and counting a
facet value under a filter is an AND and a population count over 15,625 words — all facet values of a
release in a couple of milliseconds, where boolean arrays took ten times longer. Bit ``i`` of word
``i // 64`` (little-endian within the word) stands for position ``i``; bits past the last position are 0.
"""

from __future__ import annotations

import numpy as np

__all__ = ["count", "from_bool", "from_positions", "page", "positions", "to_bool", "words"]

_WORD = 64


def words(size: int) -> int:
    return (size + _WORD - 1) // _WORD


def from_bool(mask: np.ndarray) -> np.ndarray:
    padded = np.zeros(words(mask.size) * _WORD, dtype=bool)
    padded[: mask.size] = mask
    return np.packbits(padded, bitorder="little").view(np.uint64)


def from_positions(found: np.ndarray, size: int) -> np.ndarray:
    padded = np.zeros(words(size) * _WORD, dtype=bool)
    padded[found] = True
    return np.packbits(padded, bitorder="little").view(np.uint64)


def count(bits: np.ndarray) -> int:
    return int(np.bitwise_count(bits).sum(dtype=np.int64))


def to_bool(bits: np.ndarray, size: int) -> np.ndarray:
    return np.unpackbits(bits.view(np.uint8), bitorder="little", count=size).view(bool)


def positions(bits: np.ndarray) -> np.ndarray:
    """Every position in the set, ascending."""
    return np.flatnonzero(np.unpackbits(bits.view(np.uint8), bitorder="little"))


def _unpack(bits: np.ndarray, first_word: int, last_word: int) -> np.ndarray:
    chunk = np.unpackbits(bits[first_word:last_word].view(np.uint8), bitorder="little")
    return np.flatnonzero(chunk) + first_word * _WORD


def page(bits: np.ndarray, *, start: int, size: int, newest_first: bool) -> np.ndarray:
    """Positions ``start`` to ``start + size`` of the set in ascending order (descending when
    ``newest_first``), unpacking only the words that hold them."""
    per_word = np.bitwise_count(bits).astype(np.int64)
    if newest_first:
        per_word = per_word[::-1]
    before = np.cumsum(per_word)  # set positions up to and including each word (in reading order)
    total = int(before[-1]) if before.size else 0
    if start >= total or size <= 0:
        return np.zeros(0, dtype=np.int64)
    first = int(np.searchsorted(before, start, side="right"))  # the word holding item ``start``
    last = int(np.searchsorted(before, min(start + size, total) - 1, side="right")) + 1
    skipped = int(before[first - 1]) if first else 0
    if newest_first:
        found = _unpack(bits, bits.size - last, bits.size - first)[::-1]
    else:
        found = _unpack(bits, first, last)
    return found[start - skipped : start - skipped + size]
