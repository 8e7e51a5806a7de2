"""Large reads in plain SQL, for the matrix and cross-checking.

Reading a window of 100,000+ reports through querysets costs more in Django's lookup building and row converters
than the queries themselves take. These helpers run the SQL a queryset compiles to (so scoping and filters stay
the querysets') and fetch the ordered child lists by chunks of report ids, with the values as the database
driver returns them: :func:`yes_no` and :func:`month_of` read those the same way on SQLite and PostgreSQL.
Sealed columns (the narratives, for cross-checking) are opened in Python after one query for the keys of the
rows read.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet

from bordermonitor.storage.models import ReportPerpetrator, Stakeholder
from bordermonitor.storage.models.sealed import open_fetched, sealed_fields

__all__ = ["CHUNK", "children", "fetch", "month_of", "perpetrator_codes", "yes_no"]

CHUNK = 5000


def fetch(queryset: QuerySet[Any], columns: Sequence[str]) -> list[tuple[Any, ...]]:
    """The rows of ``queryset``'s ``columns``, as the driver returns them (none when the queryset is known empty).

    Sealed columns (``storage.models.sealed``) come back opened: their keys are read in one query for all rows,
    and each value is checked against its own row's key. Everything else is as the driver returns it."""
    try:
        sql, params = queryset.values_list(*columns).query.sql_with_params()
    except EmptyResultSet:  # the person may see nothing: Django knows it without asking the database
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = list(cursor.fetchall())
    sealed = sealed_fields(queryset.model)
    fields = [sealed.get(column) for column in columns]
    if not any(fields) or not rows:
        return rows
    return open_fetched(fields, rows)


def _grouped(sql: str, ids: Sequence[int]) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = defaultdict(list)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), CHUNK):
            chunk = list(ids[start : start + CHUNK])
            cursor.execute(sql.format(ids=", ".join(["%s"] * len(chunk))), chunk)
            for report_id, value in cursor.fetchall():
                if value is not None:
                    out[report_id].append(value)
    return out


def children(model: Any, column: str, ids: Sequence[int]) -> dict[int, list[Any]]:
    """Report id → the values of ``column`` of its ``model`` rows (expelling states, violence codes…), in order."""
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"SELECT report_id, {column} FROM {table} WHERE report_id IN ({{ids}}) ORDER BY report_id, position"  # noqa: S608 - names from the models, ids as parameters
    return _grouped(sql, ids)


def perpetrator_codes(ids: Sequence[int]) -> dict[int, list[str]]:
    """Report id → the stakeholder codes of its perpetrators, in order."""
    quote = connection.ops.quote_name
    table, stakeholders = quote(ReportPerpetrator._meta.db_table), quote(Stakeholder._meta.db_table)
    sql = (
        f"SELECT p.report_id, s.code FROM {table} p JOIN {stakeholders} s ON s.id = p.authority_id "  # noqa: S608
        "WHERE p.report_id IN ({ids}) ORDER BY p.report_id, p.position"
    )
    return _grouped(sql, ids)


def yes_no(value: Any) -> bool | None:
    """A yes/no/unknown column as the driver returns it (SQLite: 1, 0 or NULL)."""
    return None if value is None else bool(value)


def month_of(value: Any) -> int:
    """Months since year 0 of a date column as the driver returns it (SQLite: text, PostgreSQL: a date)."""
    if isinstance(value, str):
        return int(value[:4]) * 12 + int(value[5:7]) - 1
    day: dt.date = value
    return day.year * 12 + day.month - 1
