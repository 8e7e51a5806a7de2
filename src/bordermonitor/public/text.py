"""The public search box: the same reading as the staff lists' (:mod:`bordermonitor.core.searchbox`)."""

from __future__ import annotations

from bordermonitor.core.searchbox import MAX_LENGTH, MAX_TERMS, Term, fts5_query, parse_query

__all__ = ["MAX_LENGTH", "MAX_TERMS", "Term", "fts5_query", "parse_query"]
