"""The last check before a release is switched on: the release searched for every name known to any record
and every staff member's name and e-mail address.

Every value of a release comes from ``archive.sqlite``, so that is what is searched, column by column, rather
than the same narratives three times over in the CSV, GeoJSON and SQLite files: titles and narratives through
the archive's own full-text index (one query per name and name part, in the form it is written and in the
folded form ``core.anonymise`` compares names in), the short text columns (places, regions, authorities) and the
descriptive files (datapackage.json, RELEASE.md, release.json) folded and searched whole. The other columns hold
codes, numbers, dates and hashes.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from bordermonitor.core.anonymise import _LETTERS, fold
from bordermonitor.publish.archive import open_archive

__all__ = ["fast_fold", "find_names_in_release"]

_DESCRIPTIVE = ("datapackage.json", "RELEASE.md", "release.json")
_SHORT_COLUMNS = ("place", "region", "perpetrators", "attribution")
_CHUNK = 1 << 20


@lru_cache(maxsize=1)
def _table() -> dict[int, str | None]:
    """What folding does to single characters, as one translation table: marks, format characters and the
    tatweel removed, Arabic and Farsi letter variants made one, every decimal digit ASCII, joiners spaces."""
    table: dict[int, str | None] = {ord(k) if isinstance(k, str) else k: v for k, v in _LETTERS.items()}
    for code in range(0x110000):
        category = unicodedata.category(chr(code))
        if category in ("Mn", "Me", "Cf"):
            table[code] = None
        elif category == "Nd":
            table[code] = str(unicodedata.digit(chr(code)))
    table.update({0x0640: None, 0x200C: " ", 0x200D: " ", 0x066B: ".", 0x066C: ","})
    return table


def fast_fold(text: str) -> str:
    """``core.anonymise.fold`` of a long text, without the positions the redaction needs."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    return text.translate(_table())


def _pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    alternatives: set[str] = set()
    for name in names:
        parts = _parts(name)
        if not parts or sum(map(len, parts)) < 2:
            continue
        alternatives.add(r"[\W_]{1,3}".join(map(re.escape, parts)))
        alternatives.update(re.escape(part) for part in parts if len(part) >= 3)
    if not alternatives:
        return None
    ordered = sorted(alternatives, key=lambda a: (-len(a), a))
    return re.compile(rf"(?<![^\W_])(?:{'|'.join(ordered)})(?![^\W_])")


def _parts(name: str) -> list[str]:
    return [part for part in re.split(r"[\W_]+", fold(name)) if part]


def _fts_terms(name: str) -> set[str]:
    """FTS5 phrase queries for a name: whole and each part of three letters or more, as written and folded."""
    terms = set()
    for form in (name, fold(name)):
        words = [w for w in re.split(r"[\W_]+", form) if w]
        if words:
            terms.add(" ".join(words))
        terms.update(w for w in words if len(w) >= 3)
    return {'"' + term.replace('"', '""') + '"' for term in terms}


def _search(text: str, pattern: re.Pattern[str] | None, addresses: set[str]) -> set[str]:
    hits = {m.group(0) for m in pattern.finditer(fast_fold(text))} if pattern else set()
    lowered = text.casefold()
    return hits | {address for address in addresses if address in lowered}


def find_names_in_release(
    directory: Path, names: Iterable[str], emails: Iterable[str]
) -> list[tuple[str, str, str | None]]:
    """``(where, the folded name or e-mail address found, the incident it is in or None)`` for every hit;
    ``where`` is a file or ``archive.sqlite:column``."""
    names = [n for n in names if _parts(n)]
    addresses = {e.casefold() for e in emails}
    pattern = _pattern(names)
    found: list[tuple[str, str, str | None]] = []
    db = open_archive(directory / "archive.sqlite")
    try:
        for name in [*names, *addresses]:
            for term in _fts_terms(name):
                query = (
                    "SELECT incidents.id FROM incidents_fts JOIN incidents ON incidents.rowid = incidents_fts.rowid "
                    "WHERE incidents_fts MATCH ? LIMIT 100"
                )
                try:
                    rows = db.execute(query, (term,)).fetchall()
                except sqlite3.OperationalError:  # a term FTS5 cannot parse: the name has no searchable word
                    rows = []
                found += [("archive.sqlite:title/narrative", fold(name), row[0]) for row in rows]
        for column in _SHORT_COLUMNS:
            query = f'SELECT DISTINCT "{column}" FROM incidents WHERE "{column}" IS NOT NULL'  # noqa: S608
            values = [row[0] for row in db.execute(query)]
            for start in range(0, len(values), 20000):
                batch = values[start : start + 20000]
                if not _search("\n".join(map(str, batch)), pattern, addresses):
                    continue
                for value in batch:  # rare: find the values, then the incidents that hold them
                    for hit in _search(str(value), pattern, addresses):
                        where = f'SELECT id FROM incidents WHERE "{column}" = ? LIMIT 100'  # noqa: S608
                        found += [
                            (f"archive.sqlite:{column}", hit, row[0]) for row in db.execute(where, (value,))
                        ]
    finally:
        db.close()
    for name in _DESCRIPTIVE:
        path = directory / name
        if path.exists():
            found += [
                (name, hit, None) for hit in _search(path.read_text(encoding="utf-8"), pattern, addresses)
            ]
    return found
