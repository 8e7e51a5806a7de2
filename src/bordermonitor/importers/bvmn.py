"""The BVMN legacy database (METHODOLOGY §5): table ``reports`` with 22 text columns, as SQLite or CSV.

The records were public on the network's website already, so each row imports as an approved testimony with
consent to publish and share. Each row becomes one report with its own incident. The full row is kept verbatim
in ``source.original``; every cell that cannot be interpreted is also listed in ``source.unparsed`` with the
reason, so the report is flagged for review and nothing the source said is lost. Every row imports.

Values are read with the shared normalisers of ``core`` (countries, ages, counts, coordinates, loose dates);
violence labels go through the §3 legacy aliases, then a small table of labels whose meaning is unambiguous
(:data:`JUDGED_LABELS`), else they become ``other`` with the label as detail.
"""

from __future__ import annotations

import csv
import hashlib
import re
import sqlite3
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final, TypeVar
from urllib.parse import unquote, urlsplit

from bordermonitor.core.ages import parse_ages
from bordermonitor.core.coords import parse_coordinate, parse_point
from bordermonitor.core.countries import normalise_country, split_countries
from bordermonitor.core.counts import is_unknown_text, parse_count_range, parse_tri
from bordermonitor.core.dates import parse_loose_date
from bordermonitor.core.typology import label_key, violence_code_for_legacy_label
from bordermonitor.importers.base import Outcome, TrackedFile, detect_encoding, outcome_for

__all__ = [
    "COLUMNS",
    "JUDGED_LABELS",
    "NAME",
    "NotALegacyFile",
    "author_organisations",
    "organisation_code",
    "read",
]

NAME: Final = "bvmn-legacy"
COLUMNS: Final = (
    "date",
    "lat",
    "lng",
    "underage_involved",
    "men_involved",
    "women_involved",
    "intention_asylum_expressed",
    "pushback_from",
    "pushback_to",
    "incident_location",
    "report_link",
    "report_title",
    "public_title",
    "age",
    "group_size",
    "countries_of_origin",
    "types_of_violence_used",
    "number_police",
    "taken_to_police",
    "incident_author",
    "category",
    "status",
)
SQLITE_MAGIC: Final = b"SQLite format 3\x00"

# Free-text labels seen in legacy rows whose code is beyond doubt (casefolded, single spaces). Anything not
# here nor a §3 alias becomes `other` with the label as detail: a reviewer decides, the import does not guess.
JUDGED_LABELS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "beating": "beating",
        "beatings": "beating",
        "beaten": "beating",
        "beating with batons": "beating",
        "kicks": "kicking",
        "threatening with batons": "threat_with_weapon",
        "kicked": "kicking",
        "pushing to the ground": "pushing_to_ground",
        "electric shocks": "electric_shock",
        "electroshock": "electric_shock",
        "taser": "electric_shock",
        "tear gas": "chemical_irritant",
        "pepper spray in the face": "chemical_irritant",
        "dog attack": "dog_attack",
        "dog bites": "dog_attack",
        "gun shots": "firearm_discharge",
        "gunshot": "firearm_discharge",
        "shots fired": "firearm_discharge",
        "handcuffing": "restraint",
        "zip ties": "restraint",
        "threatening with knives": "threat_with_weapon",
        "threatened with guns": "threat_with_weapon",
        "insults": "verbal_abuse",
        "racist insults": "verbal_abuse",
        "verbal abuse": "verbal_abuse",
        "forced to undress": "forced_undressing",
        "forced to walk barefoot": "exposure",
        "humiliation": "humiliation",
        "degrading treatment": "humiliation",
        "overcrowded van": "dangerous_transport",
        "theft of money": "theft_of_belongings",
        "theft of phones": "theft_of_belongings",
        "burning of belongings": "destruction_of_belongings",
        "burning clothes and bags": "destruction_of_belongings",
        "destruction of phones": "destruction_of_belongings",
        "confiscation of documents": "document_confiscation",
        "no food or water": "denial_of_necessities",
        "denial of food and water": "denial_of_necessities",
        "denial of medical care": "denial_of_necessities",
        "denial of access to asylum": "denial_of_asylum",
        "asylum request ignored": "denial_of_asylum",
        "collective expulsion": "collective_expulsion",
    }
)

# Author cells that are not an organisation: scraper artefacts (besides "unknown" and the like, and numbers).
_NOT_AN_AUTHOR = frozenset({"array", "anonymous", "admin", "object"})
_NUMBER = re.compile(r"^[\d\s.,+-]+$")
_LAT_LON = re.compile(r"^\s*-?\d+\.\d+\s*,\s*-?\d+\.\d+\s*$")  # "45.18, 15.77" (not a decimal comma)
_MAX_SLUG = 150

T = TypeVar("T")
Row = dict[str, Any]


class NotALegacyFile(ValueError):
    """The file is not a BVMN legacy export (no table ``reports``, or none of the 22 columns)."""


# --------------------------------------------------------------------------------------------------- reading


def read(path: Path, *, organisation: str) -> Iterator[Outcome]:
    """One outcome per row of ``path`` (SQLite with table ``reports``, or CSV), ``where`` = ``row N``.

    Raises :class:`NotALegacyFile` (a ``ValueError``) before the first row when the file is not an export.
    """
    refs = _Refs()
    for number, row, position, warnings in _rows(path):
        raw = _Converter(row, number=number, organisation=organisation).raw(refs)
        yield outcome_for(raw, where=f"row {number}", position=position, warnings=warnings)


def author_organisations(path: Path) -> dict[str, str]:
    """The reporting member organisations named in ``incident_author``: {name: suggested organisation code}.

    Names are whitespace-normalised; cells with several names (``" | "``) give each. Placeholders and scraper
    artefacts (empty, ``unknown``, ``Array``, a number) are not organisations and are left out. Names are in
    order of first appearance; codes come from :func:`organisation_code`.
    """
    found: dict[str, str] = {}
    for _number, row, _position, _warnings in _rows(path):
        for name in _author_names(row.get("incident_author")):
            found.setdefault(name, organisation_code(name))
    return found


def organisation_code(name: str) -> str:
    """A short organisation code for a name: ``"No Name Kitchen"`` → ``"no-name-kitchen"`` (at most 40)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:40].rstrip("-")
    return slug or "org-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]


def _author_names(value: object) -> Iterator[str]:
    text = _as_text(value)
    if text is None:
        return
    for part in text.split("|"):
        name = " ".join(part.split())
        words = set(re.findall(r"\w+", name.casefold()))
        if not is_unknown_text(name) and not words <= _NOT_AN_AUTHOR and not _NUMBER.match(name):
            yield name  # "Array", "Array, Array", "[object Object]" are scraper artefacts, not names


def _rows(path: Path) -> Iterator[tuple[int, Row, int, list[str]]]:
    """(row number from 1, {column: verbatim value}, bytes read so far, warnings for this row)."""
    with path.open("rb") as handle:
        is_sqlite = handle.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    yield from (_sqlite_rows(path) if is_sqlite else _csv_rows(path))


def _columns(names: list[str], path: Path) -> tuple[list[str], list[str]]:
    """Canonical column keys for a header (trimmed, lower case; repeats numbered) and the warnings."""
    keys: list[str] = []
    for index, name in enumerate(names):
        key = name.replace("\ufeff", "").strip().lower() or f"column {index + 1}"
        unique, copy = key, 1
        while unique in keys:
            copy += 1
            unique = f"{key} ({copy})"
        keys.append(unique)
    missing = [c for c in COLUMNS if c not in keys]
    if len(missing) == len(COLUMNS):
        raise NotALegacyFile(
            f"{path.name} is not a BVMN legacy export: none of its columns ({', '.join(keys[:8])}…) "
            f"is one of the 22 legacy columns ({', '.join(COLUMNS[:4])}, …)"
        )
    warnings = [f"{path.name}: columns missing, read as unknown: {', '.join(missing)}"] if missing else []
    return keys, warnings


def _sqlite_rows(path: Path) -> Iterator[tuple[int, Row, int, list[str]]]:
    size = path.stat().st_size
    connection = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        try:
            tables = [r[0] for r in connection.execute("SELECT name FROM sqlite_master")]
            if "reports" not in {t.lower() for t in tables}:
                raise NotALegacyFile(
                    f"{path.name} has no table 'reports' (tables: {', '.join(tables) or 'none'})"
                )
            total = connection.execute("SELECT count(*) FROM reports").fetchone()[0] or 1
            cursor = connection.execute("SELECT * FROM reports")
        except sqlite3.DatabaseError as exc:
            raise NotALegacyFile(f"{path.name} cannot be read as SQLite: {exc}") from exc
        keys, warnings = _columns([d[0] for d in cursor.description], path)
        for number, values in enumerate(cursor, start=1):
            yield number, dict(zip(keys, values, strict=True)), size * number // total, warnings
            warnings = []
    finally:
        connection.close()


def _group_size(text: str) -> int | None:
    """A group size as people wrote it: ``8``, ``8 people``, ``about 10``, ``~10``. A range (``8-10``,
    ``10+``) is not one size: it raises, so the cell is kept verbatim and flagged for a reviewer."""
    both = parse_count_range(text)
    if both is None:
        return None
    low, high = both
    if low != high:
        raise ValueError(f"{text!r} is a range, not a group size")
    return low


def _country_items(cell: str | None) -> list[str]:
    """The countries of a cell, joined by " | " as the database does, or by commas as people also typed them
    (``Afghanistan, Pakistan``): a comma splits a value only when the whole value is not itself a name
    (``Iran, Islamic Republic of`` stays whole)."""
    items: list[str] = []
    for item in split_countries(cell or ""):
        if "," in item and normalise_country(item).unmapped:
            items += split_countries(item, ",")
        else:
            items.append(item)
    return items


def _delimiter(path: Path, encoding: str) -> str:
    with path.open("rb") as handle:
        header = handle.readline(1 << 16).decode(encoding, errors="replace")
    return max((",", ";", "\t"), key=header.count)


def _csv_rows(path: Path) -> Iterator[tuple[int, Row, int, list[str]]]:
    encoding = detect_encoding(path)
    delimiter = _delimiter(path, encoding)
    with TrackedFile(path) as tracked:
        reader = csv.reader(tracked.lines(), delimiter=delimiter)
        header = next(reader, None)
        if header is None:
            raise NotALegacyFile(f"{path.name} is empty")
        keys, warnings = _columns(header, path)
        number = 0
        while True:
            try:
                cells = next(reader, None)
            except csv.Error as exc:
                raise NotALegacyFile(f"{path.name}, after row {number}: not readable as CSV ({exc})") from exc
            if cells is None:
                return
            if not any(cell.strip() for cell in cells):
                continue  # a blank line between rows is not a row
            number += 1
            row: Row = {key: (cells[i] if i < len(cells) else None) for i, key in enumerate(keys)}
            for extra, cell in enumerate(cells[len(keys) :], start=1):
                row[f"(extra cell {extra})"] = cell
            yield number, row, tracked.position, warnings
            warnings = []


# ------------------------------------------------------------------------------------------- interpreting


def _as_text(value: object) -> str | None:
    """A cell as stripped text; empty means unknown (None). SQLite numbers are read as their text."""
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="backslashreplace")
    text = str(value).strip()
    return text or None


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", unquote(text)).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9._-]+", "-", ascii_text.lower()).strip("-._")


class _Refs:
    """Stable, unique report refs within one file: from the report link, else the row number."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def make(self, link: str | None, number: int) -> tuple[str, int | None]:
        """(ref, number of the earlier row with the same link-derived ref, if any)."""
        base = f"bvmn-row-{number}"
        if link is not None:
            parts = urlsplit(link)
            segments = [s for s in parts.path.split("/") if s]
            name = "-".join(part for part in (segments[-1] if segments else "", parts.query) if part)
            slug = _slug(name or link)  # the query too: report.php?id=12 and ?id=13 are two reports
            if len(slug) > _MAX_SLUG:
                slug = (
                    slug[: _MAX_SLUG - 9].rstrip("-._") + "-" + hashlib.sha256(link.encode()).hexdigest()[:8]
                )
            base = f"bvmn-{slug}" if slug else f"bvmn-{hashlib.sha256(link.encode()).hexdigest()[:12]}"
        ref, earlier, copy = base, self.seen.get(base), 1
        while ref in self.seen:
            copy += 1
            ref = f"{base}-{copy}"
        self.seen[ref] = number
        return ref, earlier


class _Converter:
    """One legacy row → a raw interchange record, collecting what cannot be interpreted."""

    def __init__(self, row: Row, *, number: int, organisation: str) -> None:
        self.row = row
        self.number = number
        self.organisation = organisation
        self.unparsed: list[dict[str, Any]] = []

    def text(self, column: str) -> str | None:
        return _as_text(self.row.get(column))

    def known(self, column: str) -> str | None:
        """Free text of a cell, None when it says "unknown" (the verbatim cell stays in the original)."""
        text = self.text(column)
        return None if is_unknown_text(text) else text

    def flag(self, field: str, value: object, reason: str) -> None:
        self.unparsed.append({"field": field, "value": value, "reason": reason})

    def parse(self, column: str, field: str, parser: Callable[[str], T | None]) -> T | None:
        """``parser`` applied to the cell; a ValueError flags the verbatim cell and gives unknown."""
        text = self.text(column)
        if text is None:
            return None
        try:
            return parser(text)
        except ValueError as exc:
            self.flag(field, self.row.get(column), f"column {column}: {exc}")
            return None

    def country(self, item: str, field: str, column: str) -> tuple[str | None, str | None, bool]:
        """(ISO code, region, whether the item names a state at all) of one item of a country list.

        Unrecognised names are flagged and give no code; guesses give their code and are flagged too.
        """
        match = normalise_country(item)
        if match.is_unknown:
            return None, None, False
        if match.code is None:
            why = "names a region, not one country" if match.region else "is not a country name known here"
            self.flag(field, item, f"column {column}: {item!r} {why}; kept verbatim for review")
        elif not match.certain:
            self.flag(field, item, f"column {column}: {match.code} guessed from {item!r}, please check")
        return match.code, match.region, True

    def states(self, column: str, field: str) -> tuple[list[str], int]:
        """The ISO codes in a state-list cell, in order without repeats, and how many states it names."""
        codes: list[str] = []
        named: set[str] = set()
        for item in _country_items(self.text(column)):
            code, _region, is_named = self.country(item, field, column)
            if code is not None and code not in codes:
                codes.append(code)
            if is_named:
                named.add(code or item.casefold())
        return codes, len(named)

    def raw(self, refs: _Refs) -> dict[str, Any]:
        link = self.known("report_link")
        ref, earlier = refs.make(link, self.number)
        if earlier is not None:
            self.flag(
                "ref",
                self.row.get("report_link"),
                f"column report_link: the same report link as row {earlier}; imported separately as {ref!r}, "
                "please check whether it is a duplicate",
            )
        url = link if link is not None and link.lower().startswith(("http://", "https://")) else None
        if link is not None and url is None:
            self.flag("source.url", link, "column report_link: not a web address; kept verbatim for review")
        extra = [value for key, value in self.row.items() if key.startswith("(extra cell")]
        if extra:
            self.flag(
                "(row)",
                extra,
                f"the row has {len(extra)} cell(s) more than the header; values may be shifted, please check",
            )
        incident = self.incident(ref)
        return {
            "ref": ref,
            "organisation": self.organisation,
            "kind": "testimony",
            "status": "approved_for_publication",
            "consent": {"publish": True, "share_with_network": True, "legal_use": None},
            "title": self.known("report_title") or self.known("public_title"),
            "incident": incident,
            "source": {
                "name": NAME,
                "url": url,
                "quality": None,
                "original": {key: _verbatim(value) for key, value in self.row.items()},
                "unparsed": self.unparsed,
            },
        }

    def incident(self, ref: str) -> dict[str, Any]:
        expelled_by, named = self.states("pushback_from", "incident.expelled_by")
        moved_to = _country_items(self.text("pushback_to"))
        expelled_to = (
            self.country(moved_to[-1], "incident.expelled_to", "pushback_to")[0] if moved_to else None
        )
        when = self.parse("date", "incident.date", lambda t: parse_loose_date(t, order="ymd"))
        date, time = when or (None, None)
        officers = self.parse("number_police", "incident.officers", parse_count_range) or (None, None)
        return {
            "ref": f"{ref}-inc",
            "date": None if date is None else str(date),
            "time": None if time in (None, "00:00") else time,
            "location": self.location(),
            "kind": "chain_pushback" if named >= 2 else "pushback",
            "expelled_by": expelled_by,
            "expelled_to": expelled_to,
            "group": self.group(),
            "asylum_requested": self.tri("intention_asylum_expressed", "incident.asylum_requested"),
            "taken_to_police_station": self.tri("taken_to_police", "incident.taken_to_police_station"),
            "officers": {"min": officers[0], "max": officers[1], "description": None},
            "violence": self.violence(),
        }

    def tri(self, column: str, field: str) -> str:
        return self.parse(column, field, parse_tri) or "unknown"

    def location(self) -> dict[str, Any]:
        both = self.text("lat")
        if both and _LAT_LON.match(both) and not self.text("lng"):
            point = self.parse("lat", "incident.location", parse_point)  # "45.18, 15.77" in the lat column
            if point is not None:
                return {"lat": point[0], "lon": point[1], "place": self.known("incident_location")}
        lat = self.parse("lat", "incident.location.lat", parse_coordinate)
        lon = self.parse("lng", "incident.location.lon", parse_coordinate)
        if lat == 0 and lon == 0:
            self.flag("incident.location", "0, 0", "columns lat, lng: 0, 0 is a placeholder, read as unknown")
            lat = lon = None
        return {"lat": lat, "lon": lon, "place": self.known("incident_location")}

    def group(self) -> dict[str, Any]:
        nationalities: list[str] = []
        regions: list[str] = []
        for item in _country_items(self.text("countries_of_origin")):
            code, region, _named = self.country(item, "incident.group.nationalities", "countries_of_origin")
            if code is not None and code not in nationalities:
                nationalities.append(code)
            if region is not None and region not in regions:
                regions.append(region)
        return {
            "size": self.parse("group_size", "incident.group.size", _group_size),
            "minors_involved": self.tri("underage_involved", "incident.group.minors_involved"),
            "ages": self.ages(),
            "nationalities": nationalities,
            "origin_regions": regions,
        }

    def ages(self) -> str | None:
        """The ages as told; unknown when the cell says nothing; kept and flagged when not understood."""
        text = self.text("age")
        if text is None:
            return None
        try:
            info = parse_ages(text)
        except ValueError as exc:
            self.flag("incident.group.ages", text, f"column age: {exc}; kept as told, please check")
            return text
        if not info.understood:
            self.flag("incident.group.ages", text, "column age: not understood; kept as told, please check")
            return text
        said_something = info.ages or info.ranges or info.bands or info.minors is not None
        return text if said_something else None

    def violence(self) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        for part in (self.text("types_of_violence_used") or "").split("|"):
            label = " ".join(part.split())
            if is_unknown_text(label):
                continue
            code = violence_code_for_legacy_label(label)
            if code is not None:
                items.append({"type": code, "detail": None})
            elif label_key(label) in JUDGED_LABELS:
                items.append({"type": JUDGED_LABELS[label_key(label)], "detail": label})
            else:
                items.append({"type": "other", "detail": label})
        if len(items) > 1 and any(item["type"] == "no_violence" for item in items):
            self.flag(
                "incident.violence",
                self.row.get("types_of_violence_used"),
                "column types_of_violence_used: says 'no violence used' and names violence; please check",
            )
        return items


def _verbatim(value: object) -> object:
    """A cell for ``source.original``: text, numbers and NULL as they are; bytes as text."""
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="backslashreplace")
    return value
