"""Full-text search over reports (title, narrative, English translation), one interface for two databases.

- SQLite: an external-content FTS5 table ``storage_report_search`` over ``storage_report``, kept in step by
  triggers (migration 0005). Triggers fire for every write, the bulk import's ``executemany`` included.
  The tokenizer is ``unicode61`` with combining marks kept inside words, so Arabic, Farsi, Pashto and Urdu
  words stay whole.
- PostgreSQL: a GIN index on ``to_tsvector('simple', title || narrative || translation)`` (migration 0005),
  queried with ``websearch_to_tsquery('simple', …)``. The ``simple`` configuration does no stemming: the
  narratives are in many languages and a wrong stemmer would lose more than it finds.

The query language is the same on both: words (all must match), ``"quoted phrases"`` and ``word*`` for a
prefix. Whatever a person types is parsed (:mod:`bordermonitor.core.searchbox`) into :class:`Term` values and handed to the database as a
bound parameter in the database's own quoting, so no input can change the SQL or raise a syntax error.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from bordermonitor.core.searchbox import MAX_TERMS, Term, fts5_query, parse_query
from bordermonitor.storage.models import Report

__all__ = ["FTS_TABLE", "MAX_TERMS", "PG_DOCUMENT", "Term", "matching", "parse_query", "rebuild_index"]

FTS_TABLE = "storage_report_search"
# The exact expression the GIN index is built on: a query must repeat it for the index to be used.
PG_DOCUMENT = (
    "to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(narrative_text, '') || ' ' || "
    "coalesce(narrative_translation_en, ''))"
)
_PREFIX_WORD = re.compile(r"^\w+$")


def _pg_query(terms: list[Term]) -> tuple[str, list[str]]:
    """A ``tsquery`` SQL expression and its parameters. Whole words and phrases go through
    ``websearch_to_tsquery`` (which accepts any text); a prefix goes through ``to_tsquery`` only when it is
    a bare run of word characters, the one shape whose syntax is known to be valid (else it is a word)."""
    plain = [t for t in terms if not (t.prefix and _PREFIX_WORD.match(t.text))]
    prefixes = [t for t in terms if t not in plain]
    parts: list[str] = []
    params: list[str] = []
    if plain:
        parts.append("websearch_to_tsquery('simple', %s)")
        params.append(" ".join('"' + t.text.replace('"', " ") + '"' for t in plain))
    for t in prefixes:
        parts.append("to_tsquery('simple', %s)")
        params.append(t.text + ":*")
    return " && ".join(parts), params


def matching(qs: QuerySet[Report], text: str) -> QuerySet[Report]:
    """``qs`` narrowed to reports containing every term of ``text``. Text without any searchable term
    leaves ``qs`` as it is (the person sees the rest of the filter's result, not an error)."""
    terms = parse_query(text)
    if not terms:
        return qs
    if connection.vendor == "postgresql":
        tsquery, params = _pg_query(terms)
        sql = f"SELECT id FROM storage_report WHERE {PG_DOCUMENT} @@ ({tsquery})"  # noqa: S608 - constants
        return qs.filter(id__in=RawSQL(sql, params))  # noqa: S611 - user text only as a parameter
    sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608 - constant table name
    return qs.filter(id__in=RawSQL(sql, [fts5_query(terms)]))  # noqa: S611 - a parameter


def rebuild_index() -> None:
    """Rebuild the SQLite index from the reports table (after a restore or a table rebuild by a
    migration). PostgreSQL's index is part of the table and needs nothing."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")  # noqa: S608
