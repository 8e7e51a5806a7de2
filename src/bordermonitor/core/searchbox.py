"""What a person types in a search box, read the same way by the staff lists and the public site: words,
"quoted phrases" and word prefixes (``polic*``), all required; and the FTS5 query that finds them, with every
term quoted so operators typed by a person (``NEAR(``, ``OR``, ``-``, ``:``) are only text."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["MAX_LENGTH", "MAX_TERMS", "Term", "fts5_query", "parse_query"]

MAX_TERMS = 16  # more words only slow the query down without narrowing it further
MAX_LENGTH = 500
_TOKENS = re.compile(r'"([^"]*)"?|([^\s"]+)')
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True, slots=True)
class Term:
    """A word or phrase every result must contain, or a word prefix."""

    text: str
    prefix: bool = False


def parse_query(text: str) -> list[Term]:
    """The terms of a search box's text. An unbalanced quote runs to the end; pieces without a letter or
    digit (``*``, ``';``, ``(``) are dropped because they cannot match a word."""
    terms: list[Term] = []
    for match in _TOKENS.finditer(_CONTROL.sub(" ", text[:MAX_LENGTH])):
        phrase, word = match.groups()
        raw = phrase if phrase is not None else word
        prefix = word is not None and word.endswith("*")
        raw = " ".join(raw.split())
        if prefix:
            raw = raw.rstrip("*")
        if not any(ch.isalnum() for ch in raw):
            continue
        terms.append(Term(raw, prefix=prefix))
        if len(terms) == MAX_TERMS:
            break
    return terms


def fts5_query(terms: list[Term]) -> str:
    """FTS5 ``MATCH`` syntax: each term double-quoted (quotes doubled), all of them required."""
    return " AND ".join('"' + t.text.replace('"', '""') + '"' + ("*" if t.prefix else "") for t in terms)
