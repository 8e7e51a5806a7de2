"""IOM Missing Migrants Project CSV exports (METHODOLOGY §5): one verified ``dataset`` report per row.

The project publishes its data under CC BY 4.0 ("IOM's Missing Migrants Project") in several shapes: the
2022 global-figures export, the 2019 export, a Kaggle-style copy without IDs or dates and the 25-column
export current since 2024 (``shared/data/mmp/README.md``). Columns are found by name, whatever their case,
spacing or order, so one reader serves all of them; encodings are UTF-8, UTF-8 with BOM or cp1252.

Each row is its own incident, even when rows share an "Incident ID" (split and cumulative incidents are
counted by the project row by row). The whole row is kept verbatim in ``source.original``; whatever cannot
be interpreted is kept in ``source.unparsed`` and the record flagged, never dropped. Judging the record
is left to :mod:`bordermonitor.core.validation` through :func:`~bordermonitor.importers.base.outcome_for`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

from bordermonitor.core.coords import parse_point
from bordermonitor.core.countries import normalise_country, split_countries
from bordermonitor.core.counts import parse_count
from bordermonitor.core.dates import PartialDate, month_number, parse_loose_date
from bordermonitor.core.typology import cause_of_death_for_label, causes_of_death
from bordermonitor.importers.base import Outcome, TrackedFile, outcome_for

__all__ = ["NAME", "read", "split_causes"]

NAME: Final = "iom-mmp"

# Field → the column names it has had across exports, in order of preference. Compared case- and
# whitespace-insensitively (``_key``); any other column is kept in ``source.original`` only.
_ALIASES: Final[dict[str, tuple[str, ...]]] = {
    "id": ("main id", "web id"),
    "date": ("incident date", "reported date"),
    "year": ("incident year", "reported year", "year"),
    "month": ("month", "reported month", "incident month"),
    "region": ("region of incident", "region"),
    "country": ("country of incident",),
    "dead": ("number of dead", "number dead"),
    "missing": ("minimum estimated number of missing",),
    "survivors": ("number of survivors",),
    "women": ("number of females",),
    "men": ("number of males",),
    "minors": ("number of children",),
    "origin_countries": ("country of origin",),
    "origin_regions": ("region of origin",),
    "causes": ("cause of death",),
    "route": ("migration route",),
    "place": ("location of death", "location description", "location of incident"),
    "coordinates": ("coordinates", "location coordinates"),
    "url": ("url",),
    "quality": ("source quality",),
}

# Public open data under CC BY 4.0: the licence itself permits publication and sharing (with attribution),
# so both are consented. Use in legal proceedings is not something the licence or the people concerned
# were asked about, so it stays unknown.
_CONSENT: Final = {"publish": True, "share_with_network": True, "legal_use": None}

_URL_SPLIT = re.compile(r"[\s,;]+(?=https?://|www\.)")
# The most comma-separated pieces one cause label spans ("… shelter, food, water" spans three).
_MAX_PIECES: Final = 1 + max(label.count(",") for c in causes_of_death() for label in (c.code, *c.mmp_labels))


def _key(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").replace("_", " ").split()).casefold()


def split_causes(cell: str) -> list[tuple[str, str | None]]:
    """Cut a "Cause of Death" cell into consecutive parts, each with its cause code or ``None``.

    The cell joins causes with commas, and one label itself contains commas, so at each point the longest
    run of comma-separated pieces that is a known label wins. Pieces that match nothing stay together as
    one unmatched part. ``",".join(part for part, _ in split_causes(cell)) == cell`` always holds.
    """
    pieces = cell.split(",")
    parts: list[tuple[str, str | None]] = []
    pending: list[str] = []
    i = 0
    while i < len(pieces):
        for j in range(min(len(pieces), i + _MAX_PIECES), i, -1):
            code = cause_of_death_for_label(",".join(pieces[i:j]))
            if code is not None:
                break
        else:
            pending.append(pieces[i])
            i += 1
            continue
        if pending:
            parts.append((",".join(pending), None))
            pending = []
        parts.append((",".join(pieces[i:j]), code))
        i = j
    if pending:
        parts.append((",".join(pending), None))
    return parts


class _Row:
    """One data row: its cells by field, and what could not be interpreted or should be known."""

    def __init__(self, cells: Mapping[str, str], number: int) -> None:
        self.cells = cells
        self.number = number
        self.unparsed: list[dict[str, Any]] = []
        self.warnings: list[str] = []

    def get(self, field: str) -> str | None:
        """The cell's text, stripped; an empty cell is unknown."""
        value = self.cells.get(field, "").strip()
        return value or None

    def keep(self, field: str, value: str, reason: str) -> None:
        self.unparsed.append({"field": field, "value": value, "reason": reason})

    def count(self, field: str) -> int | str | None:
        """A count, or the cell verbatim when it is not one (validation flags and keeps it)."""
        text = self.get(field)
        if text is None:
            return None
        try:
            return parse_count(text)
        except ValueError:  # "-2", "many": kept as written
            return text

    def date(self) -> str | None:
        """The incident date at its own precision; without one, year and month columns give it."""
        text = self.get("date")
        if text is not None:
            try:
                parsed, _time = parse_loose_date(text, order="mdy")
            except ValueError as exc:
                self.keep("incident.date", text, f"{exc}; the date is taken from the year and month columns")
            else:
                if parsed is not None:
                    # MMP records days of death; a time in an export ("Thu, 12/26/2019 - 12:00") is the
                    # export system's placeholder, not a fact, so it is not kept as the incident's time.
                    return str(parsed)
        year_text = self.get("year")
        if year_text is None:
            return None
        try:
            year = parse_count(year_text)
            month = self._month()
            return str(PartialDate(year, month)) if year is not None else None
        except ValueError as exc:
            self.keep("incident.date", year_text, f"{year_text!r} is not a year ({exc})")
            return None

    def _month(self) -> int | None:
        text = self.get("month")
        if text is None:
            return None
        number = month_number(text)
        if number is None and text.isdigit() and 1 <= int(text) <= 12:
            number = int(text)
        if number is None:
            self.keep("incident.date", text, f"{text!r} is not a month; the date is kept to the year")
        return number

    def point(self) -> tuple[float | None, float | None]:
        text = self.get("coordinates")
        if text is None:
            return None, None
        try:
            point = parse_point(text)
        except ValueError as exc:
            self.keep("incident.location", text, f"{text!r} is not a point ({exc})")
            return None, None
        return point if point is not None else (None, None)

    def country(self) -> str | None:
        text = self.get("country")
        if text is None:
            return None
        match = normalise_country(text)
        if match.code is None and not match.is_unknown:
            self.keep("incident.location.country", text, f"{text!r} is not a recognised country")
        elif match.code is not None and not match.certain:
            self.keep("incident.location.country", text, f"{text!r} read as {match.code}; please check")
        return match.code

    def origins(self) -> tuple[list[str], list[str]]:
        """Nationalities (ISO codes) from "Country of Origin", origin regions from "Region of Origin".

        A region named among the countries ("Kurdistan") joins the regions; a country named among the
        regions joins the nationalities. ``nationalities[i]`` in a flag is the i-th name of the cell.
        """
        codes: list[str] = []
        regions: list[str] = []
        for i, name in enumerate(split_countries(self.get("origin_countries") or "", ",")):
            match = normalise_country(name)
            if match.is_unknown:
                continue
            if match.region is not None:
                _add(regions, name)
            if match.code is not None:
                _add(codes, match.code)
                if not match.certain:
                    self.keep(
                        f"incident.group.nationalities[{i}]", name, f"{name!r} read as {match.code}; check"
                    )
            elif match.region is None:
                self.keep(f"incident.group.nationalities[{i}]", name, f"{name!r} is not a recognised country")
        for name in (part.strip() for part in (self.get("origin_regions") or "").split(",")):
            region = normalise_country(name) if name else None
            if region is None or region.is_unknown:
                continue
            if region.code is not None and region.certain:
                _add(codes, region.code)
            if region.region is not None or region.code is None or not region.certain:
                _add(regions, name)  # e.g. "Sub-Saharan Africa (P)": (P) is the project's "presumed"
        return codes, regions

    def causes(self) -> list[str]:
        codes: list[str] = []
        for part, code in split_causes(self.get("causes") or ""):
            if code is None:
                text = part.strip()
                if text:
                    self.keep("incident.causes_of_death", text, f"{text!r} is not a known cause of death")
            elif code not in codes:
                codes.append(code)
        return codes


def _add(values: list[str], value: str) -> None:
    if value not in values:
        values.append(value)


def _kind(dead: object, missing: object, row: _Row) -> str:
    """``death`` when anyone died, else ``disappearance`` when anyone is missing.

    The project records only people who died or are missing presumed dead, so a row whose counts say
    neither is still a death in its terms; it is recorded as one and the import warns (none in the 2022
    export: every row has a dead or missing count above 0).
    """
    if isinstance(dead, int) and dead > 0:
        return "death"
    if isinstance(missing, int) and missing > 0:
        return "disappearance"
    row.warnings.append(f"row {row.number}: no dead or missing count above 0; recorded as kind 'death'")
    return "death"


def _first_url(cell: str | None) -> str | None:
    """The first of several URLs in one cell (the 2022 export joins them with commas)."""
    if cell is None:
        return None
    return _URL_SPLIT.split(cell, maxsplit=1)[0].strip() or None


def _raw(row: _Row, original: dict[str, str], *, organisation: str, ref_id: str) -> dict[str, Any]:
    """The interchange-shaped dict of one row, for :func:`~bordermonitor.core.validation.validate_report`."""
    dead, missing, minors = row.count("dead"), row.count("missing"), row.count("minors")
    lat, lon = row.point()
    nationalities, origin_regions = row.origins()
    minors_involved = "unknown"
    if isinstance(minors, int):
        minors_involved = "yes" if minors > 0 else "no"
    quality = row.count("quality")
    return {
        "ref": f"mmp-{ref_id}",
        "organisation": organisation,
        "kind": "dataset",
        "status": "verified",
        "consent": dict(_CONSENT),
        "title": None,  # location text is not a title; "Article title" is a news headline (kept in original)
        "incident": {
            "ref": f"mmp-inc-{ref_id}",
            "date": row.date(),
            "location": {
                "lat": lat,
                "lon": lon,
                "place": row.get("place"),
                "country": row.country(),
                "region": row.get("region"),
            },
            "kind": _kind(dead, missing, row),
            "group": {
                "women": row.count("women"),
                "men": row.count("men"),
                "minors": minors,
                "minors_involved": minors_involved,
                "nationalities": nationalities,
                "origin_regions": origin_regions,
            },
            "dead": dead,
            "missing": missing,
            "survivors": row.count("survivors"),
            "causes_of_death": row.causes(),
            "route": row.get("route"),
        },
        "source": {
            "name": NAME,
            "url": _first_url(row.get("url")),
            "quality": quality,
            "original": original,
            "unparsed": row.unparsed,
        },
    }


def _columns(path: Path, header: Sequence[str]) -> dict[str, int]:
    """Field → column index; ``ValueError`` naming the file and what is missing when it is no MMP export."""
    index: dict[str, int] = {}
    for position, name in enumerate(header):
        index.setdefault(_key(name), position)
    columns = {
        field: index[alias]
        for field, aliases in _ALIASES.items()
        for alias in reversed(aliases)  # the first alias found wins, so set it last
        if alias in index
    }
    missing = []
    if "dead" not in columns:
        missing.append("the number of dead ('Number of Dead' or 'Number dead')")
    if not {"id", "date", "year"} & columns.keys():
        missing.append(
            "an ID or a date ('Main ID', 'Web ID', 'Incident Date', 'Reported date', 'Incident year')"
        )
    if missing:
        lacking = " nor ".join(missing)
        raise ValueError(
            f"{path}: not a Missing Migrants Project export; its header has no column for {lacking}"
        )
    return columns


def _names(header: Sequence[str]) -> list[str]:
    """Header names as keys of ``source.original``, made unique when a name repeats."""
    seen: dict[str, int] = {}
    names = []
    for name in header:
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return names


def read(path: Path, *, organisation: str) -> Iterator[Outcome]:
    """Stream an MMP CSV export: one outcome per data row (``row N``, counted from 1 below the header).

    Raises ``ValueError`` naming the file when it is empty, cannot be read as CSV, or its header is not that
    of a Missing Migrants Project export. Lines are decoded one by one (UTF-8, else cp1252).
    """
    with TrackedFile(path) as tracked:
        rows = csv.reader(tracked.lines())
        try:
            header = next(rows, None)
            if header is None or not any(cell.strip() for cell in header):
                raise ValueError(f"{path}: the file is empty; expected a Missing Migrants Project CSV export")
            columns = _columns(path, header)
            names = _names(header)
            warn_refs = "id" not in columns
            for number, cells in enumerate(rows, start=1):
                if not any(cell.strip() for cell in cells):
                    continue
                outcome = _outcome(cells, number, names, columns, organisation, tracked.position)
                if warn_refs:  # once per file
                    outcome.warnings.append(
                        f"{path.name} has no IDs: refs are row numbers (mmp-row-N), so importing another"
                        " file without IDs can overwrite these records"
                    )
                    warn_refs = False
                yield outcome
        except csv.Error as exc:
            raise ValueError(f"{path}: not readable as CSV near byte {tracked.position} ({exc})") from exc


def _outcome(
    cells: list[str],
    number: int,
    names: list[str],
    columns: dict[str, int],
    organisation: str,
    position: int,
) -> Outcome:
    where = f"row {number}"
    original = dict(zip(names, cells, strict=False))
    for extra, cell in enumerate(cells[len(names) :], start=len(names) + 1):
        original[f"(column {extra})"] = cell
    row = _Row({field: cells[i] if i < len(cells) else "" for field, i in columns.items()}, number)
    if len(cells) != len(names):
        row.warnings.append(f"{where}: {len(cells)} cells where the header has {len(names)} columns")
    ref_id = row.get("id")
    if ref_id is None:
        ref_id = f"row-{number}"
        if "id" in columns:
            row.warnings.append(f"{where}: no ID; its ref is the row number (mmp-{ref_id})")
    raw = _raw(row, original, organisation=organisation, ref_id=ref_id)
    return outcome_for(raw, where=where, warnings=row.warnings, position=position)
