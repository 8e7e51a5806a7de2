"""The last check before a release is switched on: the release searched for every name known to any record
and every staff member's name and e-mail address.

Every value of a release comes from ``archive.sqlite``, so that is what is searched, column by column, rather
than the same narratives three times over in the CSV, GeoJSON and SQLite files: titles and narratives through
the archive's own full-text index (one phrase query per name, as written and in the folded form
``core.anonymise`` compares names in), the short text columns (places, regions, authorities) and the
descriptive files (datapackage.json, RELEASE.md, release.json) folded and searched whole. The other columns hold
codes, numbers, dates and hashes.

Names are searched whole here — the parts of each record's own names were redacted from its own texts — and
e-mail addresses as whole addresses: a first name or a word of an address alone would match ordinary words in
other records' texts ("forest", "Una" in "Una-Sana") that no reviewer could correct.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from django_scopes import scopes_disabled

from bordermonitor.core.anonymise import _LETTERS, fold, name_pattern
from bordermonitor.publish import collect
from bordermonitor.publish.archive import open_archive
from bordermonitor.publish.problems import Problem
from bordermonitor.storage.models import Report, User

__all__ = ["Hit", "fast_fold", "find_names_in_release", "scan_release"]

_DESCRIPTIVE = ("datapackage.json", "RELEASE.md", "release.json")
_SHORT_COLUMNS = ("place", "region", "perpetrators", "attribution")
_BATCH = 20000

Hit = tuple[str, str, str | None]  # where, the folded name or address found, the incident holding it


@lru_cache(maxsize=1)
def _table() -> dict[int, str | None]:
    """What folding does to single characters, as one translation table: marks, format characters and the
    tatweel removed, Arabic and Farsi letter variants made one, every decimal digit ASCII, joiners spaces."""
    table: dict[int, str | None] = dict(_LETTERS)
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


def _phrases(value: str) -> set[str]:
    """FTS5 phrase queries for a name or address, as written and folded."""
    phrases = set()
    for form in (value, fold(value)):
        words = [w for w in re.split(r"[\W_]+", form) if w]
        if words:
            phrases.add('"' + " ".join(words).replace('"', '""') + '"')
    return phrases


def _search(text: str, pattern: re.Pattern[str] | None, addresses: set[str]) -> set[str]:
    hits = {m.group(0) for m in pattern.finditer(fast_fold(text))} if pattern else set()
    lowered = text.casefold()
    return hits | {address for address in addresses if address in lowered}


def _text_hits(db: sqlite3.Connection, values: list[str], addresses: set[str]) -> list[Hit]:
    found: list[Hit] = []
    query = (
        "SELECT incidents.id FROM incidents_fts JOIN incidents ON incidents.rowid = incidents_fts.rowid "
        "WHERE incidents_fts MATCH ? LIMIT 100"
    )
    for value in values:
        for phrase in _phrases(value):
            try:
                rows = db.execute(query, (phrase,)).fetchall()
            except sqlite3.OperationalError:  # nothing FTS5 can search for in it
                rows = []
            for (incident,) in rows:
                if value in addresses or value.casefold() in addresses:
                    found.append(("archive.sqlite:title/narrative", value.casefold(), incident))
                else:
                    found.append(("archive.sqlite:title/narrative", fold(value), incident))
    return found


def find_names_in_release(directory: Path, names: Iterable[str], emails: Iterable[str]) -> list[Hit]:
    """Every place in the release where one of ``names`` (whole) or ``emails`` appears."""
    names = [n for n in names if fold(n).strip()]
    addresses = {e.casefold() for e in emails}
    pattern = name_pattern(names, whole=True)
    found: list[Hit] = []
    db = open_archive(directory / "archive.sqlite")
    try:
        found += _text_hits(db, [*names, *addresses], addresses)
        for column in _SHORT_COLUMNS:
            query = f'SELECT DISTINCT "{column}" FROM incidents WHERE "{column}" IS NOT NULL'  # noqa: S608
            values = [str(row[0]) for row in db.execute(query)]
            for start in range(0, len(values), _BATCH):
                batch = values[start : start + _BATCH]
                if not _search("\n".join(batch), pattern, addresses):
                    continue
                for value in batch:  # rare: find the values, then the incidents that hold them
                    for hit in _search(value, pattern, addresses):
                        holding = f'SELECT id FROM incidents WHERE "{column}" = ? LIMIT 100'  # noqa: S608
                        found += [
                            (f"archive.sqlite:{column}", hit, row[0]) for row in db.execute(holding, (value,))
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


def _identities() -> tuple[set[str], set[str], set[str]]:
    """Every name known to any record; every staff member's name; every staff member's e-mail address."""
    with scopes_disabled():
        known = {
            name
            for names in Report.objects.exclude(known_names=[]).values_list("known_names", flat=True)
            for name in names or ()
            if name
        }
    staff: set[str] = set()
    addresses: set[str] = set()
    for email, display in User.objects.values_list("email", "display_name"):
        addresses.add(email)
        if display and len(display) >= 3:
            staff.add(display)
    return known, staff, addresses


def scan_release(directory: Path) -> list[Problem]:
    """The release searched for every identity: the last line of defence. A hit is reported against the
    published report that holds it — that is where a reviewer corrects the public version — without saying
    whose name it is (the name may be known only to another organisation's record)."""
    known, staff, addresses = _identities()
    hits = find_names_in_release(directory, names=known | staff, emails=addresses)
    staff_keys = {fold(name) for name in staff} | {a.casefold() for a in addresses}
    holders: dict[str, tuple[str, str, int | None]] = {}
    with scopes_disabled():
        wanted = {incident for _, _, incident in hits if incident}
        for public_id, organisation, ref, pk in (
            collect.publishable()
            .filter(incident__public_id__in=wanted)
            .order_by("id")
            .values_list("incident__public_id", "organisation__code", "ref", "id")
        ):
            holders.setdefault(public_id, (organisation, ref, pk))
    problems = []
    for where, hit, incident in hits:
        whose = "a staff member" if hit in staff_keys else "a record"
        holder = holders.get(incident or "", ("", "", None))
        problems.append(Problem(*holder, field=where, message=f"contains a name or address known to {whose}"))
    return list(dict.fromkeys(problems))
