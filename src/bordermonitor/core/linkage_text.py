"""Narrative similarity for record linkage: character trigram TF-IDF, hashed to a fixed-size vector.

A narrative is lower-cased, every run of characters that are not letters or digits becomes one space, and
it is cut into overlapping three-character pieces (trigrams, the word boundaries included), which works in
any script without a tokeniser or a model download. Each occurrence of a trigram adds its inverse document
frequency (idf), which comes from the model (:class:`TextModel`: the document frequencies of the
commonest trigrams of the texts it was trained on; a trigram it does not list counts as rare). The weights
are added into ``dimensions`` buckets with a sign, both taken from a stable hash of the trigram (the hashing
trick, as scikit-learn's ``HashingVectorizer`` does), and the vector is scaled to length 1. The similarity
of two narratives is the dot product of their vectors, their cosine. The fixed size is what lets a batch
compare millions of pairs; at 256 dimensions the collisions move a cosine by about ±0.07.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["TextModel", "normalise"]

_NOT_WORD = re.compile(r"[\W_]+")
_MASK = (1 << 64) - 1
_K = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9)
_MIX = 0xBF58476D1CE4E5B9
N = 3  # trigrams
_SLOT_BITS = 18  # the direct idf table: 2^18 slots


def normalise(text: str | None) -> str | None:
    """Lower case, one space for every run of non-letters, padded with a space each side; None if empty."""
    if not text:
        return None
    words = _NOT_WORD.sub(" ", text.lower()).strip()
    return f" {words} " if words else None


def trigrams(text: str) -> list[str]:
    """The trigrams of a normalised text, in order, repeated as often as they occur."""
    return [text[k : k + N] for k in range(len(text) - N + 1)]


def _hash_one(gram: str) -> int:
    """The stable 64-bit hash of one trigram (the same arithmetic as :func:`_hash_codes`)."""
    a, b, c = (ord(ch) for ch in gram)
    h = (a * _K[0] + b * _K[1] + c * _K[2]) & _MASK
    h ^= h >> 31
    h = (h * _MIX) & _MASK
    h ^= h >> 29
    return h


def _hash_codes(a: npt.NDArray[np.uint64], b: npt.NDArray[np.uint64], c: npt.NDArray[np.uint64]) -> Any:
    with np.errstate(over="ignore"):
        h = a * np.uint64(_K[0]) + b * np.uint64(_K[1]) + c * np.uint64(_K[2])
        h ^= h >> np.uint64(31)
        h *= np.uint64(_MIX)
        h ^= h >> np.uint64(29)
    return h


@dataclass(frozen=True)
class TextModel:
    """Document frequencies of the commonest trigrams of ``documents`` texts, and the vector size."""

    documents: int
    df: Mapping[str, int]
    dimensions: int = 256
    _hashes: npt.NDArray[np.uint64] = field(init=False, repr=False, compare=False)
    _idf: npt.NDArray[np.float64] = field(init=False, repr=False, compare=False)
    _slot_hash: npt.NDArray[np.uint64] = field(init=False, repr=False, compare=False)
    _slot_idf: npt.NDArray[np.float64] = field(init=False, repr=False, compare=False)
    _slot_shared: npt.NDArray[np.bool_] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.dimensions < 8 or self.dimensions & (self.dimensions - 1):
            raise ValueError(f"text dimensions: {self.dimensions} is not a power of two of 8 or more")
        if self.documents < 0:
            raise ValueError(f"text documents: {self.documents} is negative")
        pairs = sorted((_hash_one(g), self.idf_of(count)) for g, count in self.df.items() if len(g) == N)
        object.__setattr__(self, "_hashes", np.array([h for h, _ in pairs], dtype=np.uint64))
        object.__setattr__(self, "_idf", np.array([w for _, w in pairs], dtype=np.float64))
        slot_hash = np.zeros(1 << _SLOT_BITS, dtype=np.uint64)
        slot_idf = np.full(1 << _SLOT_BITS, self.rare_idf)
        shared = np.zeros(1 << _SLOT_BITS, dtype=bool)
        for h, w in pairs:
            slot = h >> (64 - _SLOT_BITS)
            if slot_hash[slot] or slot_idf[slot] != self.rare_idf:
                shared[slot] = True
            slot_hash[slot], slot_idf[slot] = h, w
        object.__setattr__(self, "_slot_hash", slot_hash)
        object.__setattr__(self, "_slot_idf", slot_idf)
        object.__setattr__(self, "_slot_shared", shared)

    def _lookup(self, hashes: npt.NDArray[np.uint64]) -> npt.NDArray[np.float64]:
        """The idf of each trigram hash: a direct table by the hash's top bits, the sorted list for the few
        slots two listed trigrams share."""
        slots = (hashes >> np.uint64(64 - _SLOT_BITS)).astype(np.int64)
        idf = np.where(self._slot_hash[slots] == hashes, self._slot_idf[slots], self.rare_idf)
        shared = np.flatnonzero(self._slot_shared[slots])
        if len(shared):
            at = np.minimum(np.searchsorted(self._hashes, hashes[shared]), len(self._hashes) - 1)
            found = self._hashes[at] == hashes[shared]
            idf[shared] = np.where(found, self._idf[at], self.rare_idf)
        return np.asarray(idf)

    def idf_of(self, document_frequency: int) -> float:
        return math.log((1 + self.documents) / (1 + document_frequency)) + 1.0

    @property
    def rare_idf(self) -> float:
        """The weight of a trigram the model does not list: as if it had been seen once."""
        return self.idf_of(1)

    @classmethod
    def fit(cls, texts: Iterable[str | None], *, keep: int = 4000, dimensions: int = 256) -> TextModel:
        """Count in how many texts each trigram occurs; keep the ``keep`` commonest (seen at least twice)."""
        counts: Counter[str] = Counter()
        documents = 0
        for text in texts:
            clean = normalise(text)
            if clean is None:
                continue
            documents += 1
            counts.update(set(trigrams(clean)))
        common = {g: n for g, n in counts.most_common(keep) if n >= 2}
        return cls(documents=documents, df=dict(sorted(common.items())), dimensions=dimensions)

    def to_json(self) -> dict[str, Any]:
        return {"ngram": N, "dimensions": self.dimensions, "documents": self.documents, "df": dict(self.df)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TextModel:
        if data.get("ngram", N) != N:
            raise ValueError(f"text ngram: {data.get('ngram')!r}; this version reads trigram models (3)")
        df = data.get("df")
        if not isinstance(df, Mapping) or not all(
            isinstance(g, str) and isinstance(n, int) and n >= 0 for g, n in df.items()
        ):
            raise ValueError("text df: must map trigrams to document counts")
        documents, dimensions = data.get("documents"), data.get("dimensions", 256)
        if not isinstance(documents, int) or not isinstance(dimensions, int):
            raise ValueError("text documents and dimensions: must be whole numbers")
        return cls(documents=documents, df=dict(df), dimensions=dimensions)

    def vectors(self, texts: Sequence[str | None], *, chunk: int = 2000) -> npt.NDArray[np.float32]:
        """One unit vector per text (a row of zeros for a missing text or one without letters or digits)."""
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for start in range(0, len(texts), chunk):
            out[start : start + chunk] = self._vectors(texts[start : start + chunk])
        return out

    def _vectors(self, texts: Sequence[str | None]) -> npt.NDArray[np.float32]:
        n, dims = len(texts), self.dimensions
        codes, docs = _normalised_codes(texts)
        valid = np.flatnonzero(docs[: len(docs) - N + 1] == docs[N - 1 :])  # a trigram within one text
        if not len(valid):
            return np.zeros((n, dims), dtype=np.float32)
        hashes = _hash_codes(codes[valid], codes[valid + 1], codes[valid + 2])
        idf = self._lookup(hashes)
        weight = np.where((hashes >> np.uint64(63)) == 1, -idf, idf)
        bucket = (hashes & np.uint64(dims - 1)).astype(np.int64)
        slots = docs[valid] * dims + bucket
        vectors = np.bincount(slots, weights=weight, minlength=n * dims).reshape(n, dims)
        norms = np.sqrt(np.einsum("ij,ij->i", vectors, vectors))
        norms[norms == 0] = 1.0
        return np.asarray(vectors / norms[:, None], dtype=np.float32)


@cache
def _word_table() -> npt.NDArray[np.bool_]:
    """Whether each character of the Basic Multilingual Plane is a letter or a digit (``str.isalnum``)."""
    return np.array([chr(c).isalnum() for c in range(0x10000)], dtype=bool)


def _normalised_codes(texts: Sequence[str | None]) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64]]:
    """The code points of the texts as :func:`normalise` writes them, one after the other, and the text
    each belongs to (a missing text contributes nothing)."""
    padded = [f" {t.lower()} " if t else "" for t in texts]
    raw = np.frombuffer("".join(padded).encode("utf-32-le"), dtype="<u4").astype(np.int64)
    lengths = np.array([len(t) for t in padded], dtype=np.int64)
    docs = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
    table = _word_table()
    word = np.ones(len(raw), dtype=bool)
    low = raw < 0x10000
    word[low] = table[raw[low]]
    word[raw >= 0x10000] = np.array([chr(c).isalnum() for c in raw[raw >= 0x10000].tolist()], dtype=bool)
    # a run of non-word characters becomes one space: keep a non-word character only after a word one
    keep = word.copy()
    keep[1:] |= ~word[1:] & (word[:-1] & (docs[1:] == docs[:-1]))
    starts = np.ones(len(raw), dtype=bool)
    starts[1:] = docs[1:] != docs[:-1]
    keep |= starts
    codes = np.where(word, raw, 32)[keep].astype(np.uint64)
    docs = docs[keep]
    # a text with no word character is the single space left: no trigram, as normalise() gives None
    return codes, docs
