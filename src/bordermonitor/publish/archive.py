"""``archive.sqlite``: the release as one SQLite database that opens directly in Datasette or any SQLite tool.

Tables follow :mod:`bordermonitor.publish.schema` (list columns hold JSON arrays, booleans 0/1, unknown NULL),
plus two normalised tables for joins (``incident_expelled_by``, ``incident_nationalities``), an external-content
FTS5 index ``incidents_fts`` over titles and narratives (Datasette finds it by name), and ``release``, the
release's metadata as key/value rows. Incidents are inserted in date order, so ``rowid`` order is chronological
(unknown dates first): the public pages read "newest first" as ``rowid DESC`` without sorting.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from bordermonitor.publish.schema import RESOURCES, Column, Resource

__all__ = ["FTS_TOKENIZER", "ArchiveWriter", "open_archive", "read_rows", "write_archive"]

FTS_TOKENIZER = "unicode61 remove_diacritics 2"
_BATCH = 5000
_SQL_TYPES = {"string": "TEXT", "integer": "INTEGER", "number": "REAL", "boolean": "INTEGER", "list": "TEXT"}
_INDEXES = (
    "CREATE INDEX incidents_month ON incidents(month)",
    "CREATE INDEX incidents_country ON incidents(country)",
    "CREATE INDEX incidents_kind ON incidents(kind)",
    "CREATE INDEX violence_code ON violence(code, incident_id)",
    "CREATE INDEX violence_incident ON violence(incident_id)",
    "CREATE INDEX evidence_incident ON evidence(incident_id)",
    "CREATE INDEX expelled_by_country ON incident_expelled_by(country, incident_id)",
    "CREATE INDEX nationalities_country ON incident_nationalities(country, incident_id)",
)


def _ddl(item: Resource) -> str:
    columns = [f'"{c.name}" {_SQL_TYPES[c.type]}{" NOT NULL" if c.required else ""}' for c in item.columns]
    keys = ", ".join(f'"{k}"' for k in item.primary_key)
    if item.name == "incidents":
        columns.append(f"UNIQUE ({keys})")
    else:
        columns.append(f"PRIMARY KEY ({keys})")
    if item.foreign_key:
        column, target = item.foreign_key
        table, key = target.split(".")
        columns.append(f'FOREIGN KEY ("{column}") REFERENCES {table}("{key}")')
    return f"CREATE TABLE {item.name} ({', '.join(columns)})"


def _value(column: Column, value: Any) -> Any:
    if value is None:
        return None
    if column.type == "list":
        return json.dumps(list(value), ensure_ascii=False)
    if column.type == "boolean":
        return int(bool(value))
    return value


def _insert(db: sqlite3.Connection, item: Resource, rows: Iterable[Mapping[str, Any]], *, table: str) -> None:
    names = ", ".join(f'"{c.name}"' for c in item.columns)
    marks = ", ".join("?" for _ in item.columns)
    db.executemany(
        f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608 - names come from the schema
        ([_value(c, row.get(c.name)) for c in item.columns] for row in rows),
    )


class ArchiveWriter:
    """Builds ``archive.sqlite`` as rows arrive in any order; :meth:`finish` puts incidents in date order."""

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path)
        self.db.execute("PRAGMA journal_mode = OFF")
        self.db.execute("PRAGMA synchronous = OFF")
        self.waiting: dict[str, list[Mapping[str, Any]]] = {}
        for item in RESOURCES:
            self.db.execute(
                _ddl(item).replace(f"CREATE TABLE {item.name} ", f"CREATE TABLE {_staging(item)} ", 1)
            )

    def add(self, name: str, rows: Iterable[Mapping[str, Any]]) -> None:
        """Queue ``rows`` of table ``name``; they are inserted a few thousand at a time."""
        waiting = self.waiting.setdefault(name, [])
        waiting.extend(rows)
        if len(waiting) >= _BATCH:
            self._flush(name)

    def _flush(self, name: str) -> None:
        item = next(r for r in RESOURCES if r.name == name)
        _insert(self.db, item, self.waiting.pop(name, []), table=_staging(item))

    def finish(self, *, metadata: Mapping[str, Any]) -> None:
        for name in list(self.waiting):
            self._flush(name)
        db = self.db
        with db:
            for item in RESOURCES:
                db.execute(_ddl(item))
                # every table in the incidents' date order, so no row order reflects the protected store's
                staging = _staging(item)
                if item.name == "incidents":
                    select = f"SELECT * FROM {staging} ORDER BY date IS NOT NULL, date, id"  # noqa: S608
                elif item.foreign_key:
                    select = (
                        f"SELECT s.* FROM {staging} s JOIN incidents i ON i.id = s.incident_id "  # noqa: S608
                        "ORDER BY i.rowid, s.rowid"
                    )
                else:
                    select = f"SELECT * FROM {staging} ORDER BY rowid"  # noqa: S608
                db.execute(f"INSERT INTO {item.name} {select}")
                db.execute(f"DROP TABLE {_staging(item)}")
            db.execute(
                "CREATE TABLE incident_expelled_by (incident_id TEXT NOT NULL, position INTEGER NOT NULL, "
                "country TEXT NOT NULL, PRIMARY KEY (incident_id, position))"
            )
            db.execute(
                "INSERT INTO incident_expelled_by SELECT i.id, CAST(j.key AS INTEGER), j.value "
                "FROM incidents i, json_each(i.expelled_by) j"
            )
            db.execute(
                "CREATE TABLE incident_nationalities (incident_id TEXT NOT NULL, country TEXT NOT NULL, "
                "PRIMARY KEY (incident_id, country))"
            )
            db.execute(
                "INSERT OR IGNORE INTO incident_nationalities SELECT i.id, j.value "
                "FROM incidents i, json_each(i.nationalities) j"
            )
            db.execute("CREATE TABLE release (key TEXT PRIMARY KEY, value TEXT)")
            db.executemany(
                "INSERT INTO release VALUES (?, ?)",
                ((key, json.dumps(value, ensure_ascii=False)) for key, value in metadata.items()),
            )
            db.execute(
                'CREATE VIRTUAL TABLE incidents_fts USING fts5(title, narrative, content="incidents", '
                f"content_rowid='rowid', tokenize='{FTS_TOKENIZER}')"
            )
            db.execute("INSERT INTO incidents_fts(incidents_fts) VALUES ('rebuild')")
            for sql in _INDEXES:
                db.execute(sql)
        db.execute("ANALYZE")
        db.execute("VACUUM")
        db.close()

    def close(self) -> None:
        self.db.close()


def _staging(item: Resource) -> str:
    return f"staging_{item.name}"


def read_rows(path: Path, item: Resource) -> Iterator[dict[str, Any]]:
    """A finished archive table's rows in ``rowid`` order, lists and booleans decoded."""
    db = open_archive(path)
    try:
        names = ", ".join(f'"{c.name}"' for c in item.columns)
        for row in db.execute(f"SELECT {names} FROM {item.name} ORDER BY rowid"):  # noqa: S608
            yield {c.name: _decode(c, row[i]) for i, c in enumerate(item.columns)}
    finally:
        db.close()


def _decode(column: Column, value: Any) -> Any:
    if value is None:
        return None
    if column.type == "list":
        return json.loads(value)
    if column.type == "boolean":
        return bool(value)
    return value


def write_archive(
    path: Path,
    *,
    tables: Mapping[str, Iterable[Mapping[str, Any]]],
    metadata: Mapping[str, Any],
) -> None:
    """Write ``path`` (which must not exist) from the rows of each resource in ``tables`` (any order)."""
    writer = ArchiveWriter(path)
    try:
        for name, rows in tables.items():
            writer.add(name, rows)
        writer.finish(metadata=metadata)
    except BaseException:
        writer.close()
        raise


def open_archive(path: Path) -> sqlite3.Connection:
    """A read-only connection to a release's archive (the public site never writes to it)."""
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)
    db.row_factory = sqlite3.Row
    return db
