"""Full-text search over reports, one interface for two databases.

What is searched is what may be read without a record key (SEARCHED): the public title and narrative (the
reviewed, anonymised versions) and the place and region names. The title, the narrative and its translation
are sealed (``storage.models.sealed``): a search index holds its words in plain text, so indexing them would
put the testimony back in the database dump, and would keep an erased report findable.

- SQLite: an external-content FTS5 table ``storage_report_search`` over ``storage_report``, kept in step by
  triggers (migration 0012, which replaced 0005's). Triggers fire for every write, the bulk import's
  ``executemany`` included. The tokenizer is ``unicode61`` with combining marks kept inside words, so Arabic,
  Farsi, Pashto and Urdu words stay whole.
- PostgreSQL: a GIN index on ``to_tsvector('simple', public_title || public_narrative || place || region)``
  (migration 0012), queried with ``websearch_to_tsquery('simple', …)``. The ``simple`` configuration does no
  stemming: the texts are in many languages and a wrong stemmer would lose more than it finds.

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

__all__ = [
    "FTS_TABLE",
    "MAX_TERMS",
    "PG_DOCUMENT",
    "SEARCHED",
    "Term",
    "matching",
    "parse_query",
    "rebuild_index",
]

FTS_TABLE = "storage_report_search"
SEARCHED = ("public_title", "public_narrative", "place", "region")
"""The report columns the search reads: none of them sealed."""
# The exact expression the GIN index is built on (migration 0012): a query must repeat it for the index to be
# used.
PG_DOCUMENT = (
    "to_tsvector('simple', coalesce(public_title, '') || ' ' || coalesce(public_narrative, '') || ' ' || "
    "coalesce(place, '') || ' ' || coalesce(region, ''))"
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
