"""The filters of the map, the search page and the API: one parser, so the three agree on every value.

``parse_filters`` reads query parameters (as ``{name: [values]}``) and either returns :class:`Filters` or
raises :class:`FilterError` listing every problem at once, each with the values that would have been
accepted: the typology codes, the kinds, or the countries that occur in this release.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields

from bordermonitor.core.countries import is_country_code
from bordermonitor.core.records import INCIDENT_KINDS
from bordermonitor.core.typology import violence_types
from bordermonitor.public.index import IncidentIndex, day_range
from bordermonitor.public.text import MAX_LENGTH, parse_query

__all__ = ["FILTER_NAMES", "BBox", "FilterError", "Filters", "Problem", "parse_bbox", "parse_filters"]

BBox = tuple[float, float, float, float]  # min_lon, min_lat, max_lon, max_lat
_MONTH_OR_DAY = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")
_BOOLEANS = ("true", "false")


@dataclass(frozen=True, slots=True)
class Filters:
    """What a person asked to see. ``None`` is "any"; every set filter must hold (AND)."""

    date_from: str | None = None  # YYYY-MM or YYYY-MM-DD: the published date starts on or after it
    date_to: str | None = None  # YYYY-MM or YYYY-MM-DD: the published date ends on or before it
    expelled_by: str | None = None  # a state anywhere in the chain of expulsions
    violence: str | None = None  # a typology code
    nationality: str | None = None
    minors_involved: bool | None = None
    kind: str | None = None
    country: str | None = None
    q: str | None = None  # full text, in the query language of bordermonitor.public.text
    bbox: BBox | None = None

    def params(self, **changes: object) -> dict[str, str]:
        """Query parameters that give these filters back (with ``changes`` applied; ``None`` removes one)."""
        out: dict[str, str] = {}
        for item in fields(self):
            value = changes.get(item.name, getattr(self, item.name))
            if value is None:
                continue
            if isinstance(value, bool):
                out[item.name] = "true" if value else "false"
            elif isinstance(value, tuple):
                out[item.name] = ",".join(_number(v) for v in value)
            else:
                out[item.name] = str(value)
        return out

    @property
    def active(self) -> bool:
        return any(getattr(self, item.name) is not None for item in fields(self))


FILTER_NAMES: tuple[str, ...] = tuple(item.name for item in fields(Filters))


@dataclass(frozen=True, slots=True)
class Problem:
    """One parameter that could not be used: its name, why, and what it accepts (when it is a list)."""

    path: str
    message: str
    valid: tuple[str, ...] | None = None
    reason: str = "invalid"  # a stable key, for pages to say it in the reader's language


class FilterError(ValueError):
    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(f"{p.path}: {p.message}" for p in self.problems))


def _number(value: object) -> str:
    return format(value, "g") if isinstance(value, float) else str(value)


def parse_bbox(text: str) -> BBox:
    """``min_lon,min_lat,max_lon,max_lat`` in degrees (WGS84). ``min_lon > max_lon`` crosses the 180th
    meridian. Raises ``ValueError`` with a message meant for the person who sent it."""
    parts = text.split(",")
    try:
        numbers = tuple(float(p) for p in parts)
    except ValueError:
        numbers = ()
    if len(numbers) != 4 or not all(math.isfinite(n) for n in numbers):
        raise ValueError("must be four numbers: min_lon,min_lat,max_lon,max_lat")
    min_lon, min_lat, max_lon, max_lat = numbers
    if not (-180 <= min_lon <= 180 and -180 <= max_lon <= 180):
        raise ValueError("longitudes must be between -180 and 180")
    if not (-90 <= min_lat <= max_lat <= 90):
        raise ValueError("latitudes must be between -90 and 90, the minimum first")
    return min_lon, min_lat, max_lon, max_lat


def _violence_codes() -> tuple[str, ...]:
    return tuple(t.code for t in violence_types())


def parse_filters(
    params: Mapping[str, Sequence[str]],
    *,
    index: IncidentIndex,
    extra: Iterable[str] = (),
    strict: bool = False,
) -> Filters:
    """Filters from query parameters. Empty values mean "any" (as an HTML form sends them). With ``strict``
    (the API), a parameter that is neither a filter nor in ``extra`` (names the caller reads itself, such as
    ``page``) is refused, so a typo does not silently widen a result; pages ignore such parameters."""
    problems: list[Problem] = []
    values: dict[str, str] = {}
    known = (*FILTER_NAMES, *extra)
    for name, given in params.items():
        if name not in known:
            if strict:
                problems.append(
                    Problem(name, "is not a parameter of this request", tuple(known), "parameter")
                )
            continue
        present = [v.strip() for v in given if v.strip()]
        if len(present) > 1:
            problems.append(Problem(name, "give one value", None, "repeated"))
        elif present and name in FILTER_NAMES:
            values[name] = present[0]

    parsed: dict[str, object] = {}
    for name in ("expelled_by", "nationality", "country"):
        if name in values:
            code = values[name].upper()
            if is_country_code(code):
                parsed[name] = code
            else:
                problems.append(
                    Problem(
                        name,
                        "is not an ISO 3166-1 alpha-2 country code; those in this release are listed",
                        index.fields[name].known,
                        "country",
                    )
                )
    if "violence" in values:
        if values["violence"] in _violence_codes():
            parsed["violence"] = values["violence"]
        else:
            problems.append(Problem("violence", "is not a typology code", _violence_codes(), "violence"))
    if "kind" in values:
        if values["kind"] in INCIDENT_KINDS:
            parsed["kind"] = values["kind"]
        else:
            problems.append(Problem("kind", "is not a kind of incident", INCIDENT_KINDS, "kind"))
    if "minors_involved" in values:
        if values["minors_involved"].lower() in _BOOLEANS:
            parsed["minors_involved"] = values["minors_involved"].lower() == "true"
        else:
            problems.append(Problem("minors_involved", "must be true or false", _BOOLEANS, "boolean"))
    for name in ("date_from", "date_to"):
        if name in values:
            text = values[name]
            if _MONTH_OR_DAY.match(text) and day_range(text) is not None:
                parsed[name] = text
            else:
                problems.append(Problem(name, "must be a date: YYYY-MM or YYYY-MM-DD", None, "date"))
    first, last = day_range(str(parsed.get("date_from"))), day_range(str(parsed.get("date_to")))
    if first and last and first[0] > last[1]:
        problems.append(Problem("date_to", "is before date_from", None, "date_order"))
    if "q" in values:
        if len(values["q"]) > MAX_LENGTH:
            problems.append(Problem("q", f"is longer than {MAX_LENGTH} characters", None, "too_long"))
        elif not parse_query(values["q"]):
            problems.append(Problem("q", "has no word to search for", None, "no_words"))
        else:
            parsed["q"] = values["q"]
    if "bbox" in values:
        try:
            parsed["bbox"] = parse_bbox(values["bbox"])
        except ValueError as exc:
            problems.append(Problem("bbox", str(exc), None, "bbox"))
    if problems:
        raise FilterError(problems)
    return Filters(**parsed)  # type: ignore[arg-type]
