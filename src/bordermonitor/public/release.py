"""One open-data release as the public site reads it, and the watcher that follows the publisher's link.

:func:`load_release` opens a release directory (``release.json`` and ``archive.sqlite``, read-only) and
builds its in-memory index. :class:`ReleaseWatcher` holds the release being served: at most once per
interval it resolves ``BORDERMONITOR_RELEASE_DIR`` (a symbolic link the publisher switches atomically) and
looks at ``release.json``; a new release is loaded in a background thread while the previous one goes on
being served, and one that cannot be read is logged and skipped — the previous release stays.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
from pydantic import ValidationError

from bordermonitor.public import bits
from bordermonitor.public.filters import Filters
from bordermonitor.public.index import IncidentIndex, build_index
from bordermonitor.public.manifest import ReleasePublic
from bordermonitor.public.query import Summary, facets, select, summarise
from bordermonitor.public.text import Term, fts5_query, parse_query
from bordermonitor.publish.archive import open_archive
from bordermonitor.publish.schema import FORMAT_VERSION, resource

__all__ = ["Release", "ReleaseUnreadable", "ReleaseWatcher", "load_release"]

log = logging.getLogger(__name__)

_INCIDENTS = resource("incidents")
_EVIDENCE = resource("evidence")
_COLUMNS = ", ".join(f'"{c.name}"' for c in _INCIDENTS.columns)
_SQL_CHUNK = 500  # rowids per "IN (…)" query (SQLite allows 32,766 parameters)


class ReleaseUnreadable(Exception):
    """A release directory that cannot be served; the message says what is wrong with it (no data)."""


_NAMES = tuple(c.name for c in _INCIDENTS.columns)
_LISTS = tuple(i for i, c in enumerate(_INCIDENTS.columns) if c.type == "list")
_BOOLEANS = tuple(i for i, c in enumerate(_INCIDENTS.columns) if c.type == "boolean")


def _decode(values: tuple[Any, ...]) -> dict[str, Any]:
    """A row of the incidents table (columns in schema order) as the API gives it: lists as lists (JSON in
    SQLite), booleans as booleans (0/1 in SQLite), unknown as None."""
    out = list(values)
    for i in _LISTS:
        if out[i] is not None:
            out[i] = json.loads(out[i])
    for i in _BOOLEANS:
        if out[i] is not None:
            out[i] = bool(out[i])
    return dict(zip(_NAMES, out, strict=True))


def _tuples(db: sqlite3.Connection) -> sqlite3.Cursor:
    cursor = db.cursor()
    cursor.row_factory = None  # plain tuples: the archive's connection hands out sqlite3.Row
    return cursor


class Release:
    """A loaded release: its metadata (``release.json``), index, headline figures and aggregates.

    Incident rows are read from the archive on demand, through one read-only connection per thread (SQLite
    releases the GIL while it works, so concurrent requests search in parallel)."""

    def __init__(self, directory: Path, manifest: Mapping[str, Any], db: sqlite3.Connection) -> None:
        self.directory = directory
        self.manifest = MappingProxyType(dict(manifest))
        self._archive = directory / "archive.sqlite"
        self._local = threading.local()
        self._local.db = db
        self.index: IncidentIndex = build_index(db)
        self.summary: Summary = summarise(self.index)
        self.aggregates: tuple[dict[str, Any], ...] = tuple(
            {**dict(row), "suppressed": bool(row["suppressed"])}
            for row in db.execute(
                "SELECT dimension, month, value, incidents, suppressed FROM aggregates "
                "ORDER BY dimension, month, value"
            )
        )
        dates = db.execute("SELECT min(date), max(date) FROM incidents WHERE date IS NOT NULL").fetchone()
        self.first_date: str | None = dates[0]
        self.last_date: str | None = dates[1]
        # Per-release caches (dropped with the release), each entry at most 125 KB per million incidents:
        # full-text hits by term, filter results (the map asks for the same filters at every pan), facets.
        self._term_bits: Callable[[Term], np.ndarray] = lru_cache(maxsize=512)(self._one_term)
        self.text_bits: Callable[[str], np.ndarray] = lru_cache(maxsize=64)(self._text_bits)
        self.select: Callable[[Filters], np.ndarray | None] = lru_cache(maxsize=128)(self._select)
        self.facets: Callable[[Filters], dict[str, dict[str | None, int]]] = lru_cache(maxsize=256)(
            self._facets
        )

    @property
    def version(self) -> str:
        return str(self.manifest["version"])

    def db(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = open_archive(self._archive)
        return db

    def _text_bits(self, q: str) -> np.ndarray:
        """The incidents whose title or narrative matches every term of ``q``, as packed bits: the AND of
        each term's set, so a term searched once is not searched again with other words."""
        terms = parse_query(q)
        if not terms:
            return np.zeros(bits.words(self.index.size), dtype=np.uint64)
        packed = self._term_bits(terms[0]).copy()
        for term in terms[1:]:
            packed &= self._term_bits(term)
        packed.setflags(write=False)
        return packed

    def _one_term(self, term: Term) -> np.ndarray:
        (rowids,) = (
            self.db()
            .execute(
                "SELECT group_concat(rowid) FROM incidents_fts WHERE incidents_fts MATCH ?",
                (fts5_query([term]),),
            )
            .fetchone()
        )
        found = np.zeros(0, dtype=np.int64)
        if rowids:
            found = self.index.positions_of_rowids(np.fromstring(rowids, dtype=np.int64, sep=","))
        packed = bits.from_positions(found, self.index.size)
        packed.setflags(write=False)
        return packed

    def _select(self, filters: Filters) -> np.ndarray | None:
        """The incidents matching ``filters`` as packed bits (None: all of them), read-only."""
        mask = select(self.index, filters, text=self.text_bits)
        if mask is not None:
            mask.setflags(write=False)
        return mask

    def _facets(self, filters: Filters) -> dict[str, dict[str | None, int]]:
        return facets(self.index, self.select(filters))

    def rows(self, positions: np.ndarray) -> list[dict[str, Any]]:
        """The incident rows at ``positions``, in that order, decoded (lists as lists, booleans as bool)."""
        wanted = [int(r) for r in self.index.rowids[positions]]
        found: dict[int, dict[str, Any]] = {}
        for start in range(0, len(wanted), _SQL_CHUNK):
            chunk = wanted[start : start + _SQL_CHUNK]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT rowid, {_COLUMNS} FROM incidents WHERE rowid IN ({marks})"  # noqa: S608 - constant columns
            for row in _tuples(self.db()).execute(sql, chunk):
                found[row[0]] = _decode(row[1:])
        return [found[r] for r in wanted if r in found]

    def incident(self, incident_id: str) -> dict[str, Any] | None:
        row = (
            _tuples(self.db())
            .execute(f"SELECT {_COLUMNS} FROM incidents WHERE id = ?", (incident_id,))  # noqa: S608 - constant columns
            .fetchone()
        )
        return None if row is None else _decode(row)

    def evidence(self, incident_id: str) -> list[dict[str, Any]]:
        names = ", ".join(f'"{c.name}"' for c in _EVIDENCE.columns)
        return [
            dict(row)
            for row in self.db().execute(
                f"SELECT {names} FROM evidence WHERE incident_id = ? ORDER BY kind, file",  # noqa: S608
                (incident_id,),
            )
        ]

    def evidence_file(self, file: str) -> dict[str, Any] | None:
        """The evidence row published as ``file`` (``evidence/<sha256>.<ext>``), if there is one."""
        row = self.db().execute("SELECT * FROM evidence WHERE file = ?", (file,)).fetchone()
        return None if row is None else dict(row)


def load_release(directory: Path) -> Release:
    """Open and index a release directory; :class:`ReleaseUnreadable` says why one cannot be served."""
    try:
        real = directory.resolve(strict=True)
        manifest = json.loads((real / "release.json").read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise ReleaseUnreadable(f"release.json cannot be read: {type(exc).__name__}") from exc
    try:
        ReleasePublic.model_validate(manifest)
    except ValidationError as exc:
        where = ", ".join(".".join(str(p) for p in e["loc"]) or "(top)" for e in exc.errors()[:5])
        raise ReleaseUnreadable(f"release.json is not as described ({where})") from exc
    if str(manifest.get("format")) != FORMAT_VERSION:
        raise ReleaseUnreadable(f"release format {manifest.get('format')!r} is not {FORMAT_VERSION!r}")
    archive = real / "archive.sqlite"
    if not archive.is_file():
        raise ReleaseUnreadable("archive.sqlite is missing")
    db = open_archive(archive)
    try:
        return Release(real, manifest, db)
    except (sqlite3.Error, ValueError, KeyError, TypeError) as exc:
        db.close()
        raise ReleaseUnreadable(f"archive.sqlite cannot be read: {exc}") from exc


Key = tuple[str, int, int, int]


class ReleaseWatcher:
    """The release being served, following the link at ``link``.

    ``current()`` costs nothing between checks; a check (at most once per ``interval`` seconds, by one
    thread) stats the link's target and its ``release.json``. The first release is loaded in the calling
    thread (a request waits for it rather than being told there is none); later ones in the background."""

    def __init__(
        self,
        link: Path,
        *,
        interval: float = 1.0,
        loader: Callable[[Path], Release] = load_release,
        background: bool = True,
    ) -> None:
        self.link = link
        self._interval = interval
        self._loader = loader
        self._background = background
        self._lock = threading.Lock()
        self._next_check = 0.0
        self._release: Release | None = None
        self._loaded: Key | None = None
        self._failed: Key | None = None
        self._loading: threading.Thread | None = None

    def current(self) -> Release | None:
        if time.monotonic() >= self._next_check:
            with self._lock:
                if time.monotonic() >= self._next_check:
                    self._check()
                    self._next_check = time.monotonic() + self._interval
        return self._release

    def _key(self) -> Key | None:
        try:
            real = os.path.realpath(self.link)
            stat = os.stat(os.path.join(real, "release.json"))
        except OSError:
            return None
        return (real, stat.st_mtime_ns, stat.st_ino, stat.st_size)

    def _check(self) -> None:
        key = self._key()
        if key is None or key in (self._loaded, self._failed):
            return
        if self._loading is not None and self._loading.is_alive():
            return
        if self._release is None or not self._background:
            self._load(key)
        else:
            self._loading = threading.Thread(
                target=self._load, args=(key,), name="release-loader", daemon=True
            )
            self._loading.start()

    def _load(self, key: Key) -> None:
        started = time.monotonic()
        try:
            release = self._loader(Path(key[0]))
        except ReleaseUnreadable as exc:
            self._failed = key
            log.warning("release at %s not served: %s", key[0], exc)
            return
        except Exception:  # a defect must not take the site down: keep serving what was served
            self._failed = key
            log.exception("release at %s not served", key[0])
            return
        self._release, self._loaded, self._failed = release, key, None
        log.info(
            "serving release %s (%d incidents, indexed in %.1f s)",
            release.version,
            release.index.size,
            time.monotonic() - started,
        )
