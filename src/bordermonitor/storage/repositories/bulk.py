"""Fast inserts for imports: one ``executemany`` per table with ids allocated up front.

Django's ``bulk_create`` builds a model instance and an SQL fragment for every row; for 100,000 reports
with their child rows that costs more than the database itself. Here each column's conversion is chosen
once per table from the model's own fields (dates, JSON, datetimes go through the backend's adapters), and
rows are plain dicts keyed by attribute name, so the tables stay defined by the models and migrations.
Sealed columns take only tokens (``storage.repositories.sealing`` seals the rows first): a plain value is
refused, never written.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from functools import lru_cache
from operator import itemgetter
from typing import Any

from django.db import connection, models

from bordermonitor.storage.models.sealed import SealedField, SealedWriteError

__all__ = ["allocate_ids", "insert_rows", "refresh_statistics"]


def allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` fresh primary keys for ``model``, never used before (call inside the writing transaction).

    PostgreSQL takes them from the column's sequence. SQLite takes them after the highest ever given (its
    ``AUTOINCREMENT`` counter, or the highest id present), and the database's write lock, taken when the
    transaction begins (``transaction_mode=IMMEDIATE``), keeps another writer from taking the same ones.
    """
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(
            f'SELECT MAX(n) FROM (SELECT MAX("id") AS n FROM "{table}" '  # noqa: S608 - table name from the model
            "UNION ALL SELECT seq FROM sqlite_sequence WHERE name = %s)",
            [table],
        )
        start = (cursor.fetchone()[0] or 0) + 1
    return list(range(start, start + count))


def _sealed_only(label: str) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if value is None or (isinstance(value, str) and value.startswith("bm1.")):
            return value
        raise SealedWriteError(f"{label}: a plain value reached a bulk insert; seal the rows first")

    return check


def _converter(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    """How a Python value of ``field`` is handed to the database driver; None when it is passed as it is."""
    ops = connection.ops
    if isinstance(field, SealedField):  # sealed before (storage.repositories.sealing): only tokens pass
        return _sealed_only(field.label)
    if isinstance(field, models.JSONField):
        encoder = field.encoder
        if connection.vendor == "sqlite" and encoder is None:
            dumps = json.dumps
            empty = {"[]": "[]", "{}": "{}"}  # most lists and objects are empty: skip the encoder

            def to_json(value: Any) -> str | None:
                if value is None:
                    return None
                if not value and isinstance(value, list | dict):
                    return empty["[]" if isinstance(value, list) else "{}"]
                return dumps(value, ensure_ascii=False)

            return to_json
        return lambda value: ops.adapt_json_value(value, encoder)
    if isinstance(field, models.DateTimeField):  # a whole batch shares one timestamp: convert it once
        return lru_cache(maxsize=16)(ops.adapt_datetimefield_value)
    if isinstance(field, models.DateField):
        return lru_cache(maxsize=4096)(ops.adapt_datefield_value)
    return None


def insert_rows(model: type[models.Model], rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts by field attribute name; a missing key takes the field's default)."""
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and "id" not in rows[0])]
    defaults = {f.attname: f.get_default() if f.has_default() else None for f in fields}
    pick = itemgetter(*defaults)  # C-speed: every row merged over the defaults, read in column order
    params = [list(pick({**defaults, **row})) for row in rows]
    for index, field in enumerate(fields):
        convert = _converter(field)
        if convert is not None:
            for values in params:
                values[index] = convert(values[index])
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY: one stream instead of a round trip per row
            # The driver's own cursor: its errors are turned into Django's, as for every other query.
            with (
                connection.wrap_database_errors,
                cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
            ):
                for values in params:
                    copy.write_row(values)
            return
        placeholders = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608 - names from the model
        for start in range(0, len(params), 5000):
            cursor.executemany(sql, params[start : start + 5000])


def refresh_statistics() -> None:
    """Let the database's query planner see the tables as they are now (``ANALYZE``). Without figures,
    SQLite picks plans hundreds of times slower for the pages' queries once the tables are large; PostgreSQL
    would do it itself later, by autovacuum."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
