"""The publication policy (METHODOLOGY §7): how precisely dates and places are published — more coarsely for
groups of one or two people, never more precisely than the source gave them — and the threshold of the
aggregates' disclosure control. Read from ``BORDERMONITOR_PUBLISH_*`` settings; see docs/anonymisation.md."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Literal

__all__ = ["DatePrecision", "PublicationPolicy", "coarsen_date", "coarsen_location"]

DatePrecision = Literal["day", "month", "year"]

# --- publication policy --------------------------------------------------------------------------------

_RANK: dict[str, int] = {"day": 0, "month": 1, "year": 2}
_MAX_GRID_M = 1_000_000  # beyond 1000 km a grid cell no longer says where anything happened
_PREFIX = "BORDERMONITOR_PUBLISH_"


def _check_precision(name: str, value: object) -> None:
    if value not in _RANK:
        raise ValueError(f"{name} is {value!r}; it must be day, month or year")


def _check_size(name: str, value: object, *, low: int, high: int | None = None) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{name} is {value!r}; it must be a whole number")
    if value < low or (high is not None and value > high):
        limit = f"from {low} to {high}" if high is not None else f"{low} or more"
        raise ValueError(f"{name} is {value}; it must be {limit}")


def _grid_words(metres: int) -> str:
    return f"about {metres / 1000:g} km ({metres} m)" if metres >= 1000 else f"{metres} m"


_DATE_WORDS = {"day": "to the day", "month": "to the month (YYYY-MM)", "year": "to the year (YYYY)"}


@dataclass(frozen=True, slots=True)
class PublicationPolicy:
    """How precisely dates and places are published, and the threshold of published counts.

    Groups of ``small_group_max`` people or fewer get the stricter ``small_group_*`` rules: one or two
    people at a day and a place are easily recognised. A group of unknown size gets the general rules
    (the size is unknown, not small). The stricter rules may never be weaker than the general ones.
    """

    date_precision: DatePrecision = "day"
    location_m: int = 1000  # size of a grid cell, in metres
    small_group_max: int = 2  # groups of this size or fewer get the stricter rules
    small_group_date_precision: DatePrecision = "month"
    small_group_location_m: int = 10000
    threshold: int = 5  # counts from 1 to threshold - 1 are suppressed in published aggregates

    def __post_init__(self) -> None:
        _check_precision("date_precision", self.date_precision)
        _check_precision("small_group_date_precision", self.small_group_date_precision)
        _check_size("location_m", self.location_m, low=1, high=_MAX_GRID_M)
        _check_size("small_group_location_m", self.small_group_location_m, low=1, high=_MAX_GRID_M)
        _check_size("small_group_max", self.small_group_max, low=1)  # one person alone is always small
        _check_size("threshold", self.threshold, low=2)
        if _RANK[self.small_group_date_precision] < _RANK[self.date_precision]:
            raise ValueError(
                f"small_group_date_precision is {self.small_group_date_precision} but date_precision is "
                f"{self.date_precision}; small groups may not be published more precisely than others"
            )
        if self.small_group_location_m < self.location_m:
            raise ValueError(
                f"small_group_location_m is {self.small_group_location_m} but location_m is "
                f"{self.location_m}; small groups may not be published more precisely than others"
            )

    @classmethod
    def from_mapping(cls, values: Mapping[str, str]) -> PublicationPolicy:
        """A policy from text settings, e.g. ``{"date_precision": "month", "location_m": "2000"}``.

        Keys are the field names (the environment variables ``BORDERMONITOR_PUBLISH_<KEY>`` in capitals);
        an absent or empty value keeps the default. A bad value raises :class:`ValueError` naming the key.
        """
        known = {field.name for field in fields(cls)}
        settings: dict[str, str | int] = {}
        for key, raw in values.items():
            if key not in known:
                raise ValueError(
                    f"{key} is not a publication setting; the settings are {', '.join(sorted(known))}"
                )
            text = raw.strip()
            if not text:
                continue
            where = f"{key} ({_PREFIX}{key.upper()})"
            if key.endswith("precision"):
                if text.lower() not in _RANK:
                    raise ValueError(f"{where} is {text!r}; it must be day, month or year")
                settings[key] = text.lower()
            elif not text.isascii() or not text.isdigit():
                raise ValueError(f"{where} is {text!r}; it must be a whole number such as 1000")
            else:
                settings[key] = int(text)
        try:
            return cls(**settings)  # type: ignore[arg-type]  # values checked by __post_init__
        except ValueError as error:
            raise ValueError(f"publication policy: {error}") from None

    def describe(self) -> list[str]:
        """The policy in sentences, for RELEASE.md."""
        people = (
            "one person" if self.small_group_max == 1 else f"groups of {self.small_group_max} people or fewer"
        )
        return [
            f"Dates are published {_DATE_WORDS[self.date_precision]}.",
            f"Coordinates are moved to the centre of a grid cell of {_grid_words(self.location_m)}, the same "
            "point for every incident in the cell; location_precision_m says how far the true place may be.",
            f"For {people}, dates are published {_DATE_WORDS[self.small_group_date_precision]} and "
            f"coordinates on a grid of {_grid_words(self.small_group_location_m)}; when the size of a group "
            "is not known, the general rules apply.",
            "No date or place is published more precisely than its source gave it.",
            f"In aggregate tables, counts from 1 to {self.threshold - 1} are suppressed (threshold "
            f"{self.threshold}), and further cells with them, so that no total reveals a suppressed count.",
            "Names known to the record, phone numbers, e-mail addresses, document numbers and vehicle plates "
            "are removed from public narratives, which a reviewer approved before publication.",
        ]

    def is_small(self, group_size: int | None) -> bool:
        """Whether a group of ``group_size`` people gets the stricter rules (unknown size: no)."""
        return group_size is not None and group_size <= self.small_group_max


def coarsen_date(
    value: dt.date | None, precision: str | None, *, policy: PublicationPolicy, group_size: int | None
) -> tuple[str | None, str | None]:
    """The published date and its precision: ``("2024-03-12", "day")``, ``("2024-03", "month")``,
    ``("2024", "year")`` or ``(None, None)`` for no date.

    ``precision`` is the source's: the result is never finer than it. A date whose precision is not
    stated is published to the year, the only precision it certainly has (no day or month is invented).
    """
    if value is None:
        return None, None
    if precision is not None:
        _check_precision("precision", precision)
    source = precision if precision is not None else "year"
    rule = policy.small_group_date_precision if policy.is_small(group_size) else policy.date_precision
    published = max(source, rule, key=_RANK.__getitem__)
    return value.isoformat()[: {"day": 10, "month": 7, "year": 4}[published]], published


_M_PER_DEGREE = 111_320.0  # nominal length of a degree, to size the cells
_MERIDIAN_MAX_M = 111_700.0  # a degree of latitude is at most this long (near the poles)
_EQUATOR_M = 111_320.0  # a degree of longitude at the equator


def _cell(lat: float, lon: float, size_m: int) -> tuple[float, float, float]:
    """The centre of the grid cell holding (lat, lon) and how far any point of the cell is from it.

    Rows are bands of latitude of about ``size_m``; each band is cut into equal columns of about
    ``size_m`` at its middle latitude. The cell of a point depends only on the grid, so every point of a
    cell gets the same centre and the published point cannot tell them apart.
    """
    rows = max(1, round(180 * _M_PER_DEGREE / size_m))
    height = 180 / rows
    row = min(int((lat + 90) // height), rows - 1)
    south = -90 + row * height
    north = south + height
    middle = south + height / 2
    columns = max(1, round(360 * _M_PER_DEGREE * math.cos(math.radians(middle)) / size_m))
    width = 360 / columns
    column = int((lon + 180) // width) % columns
    centre_lon = -180 + (column + 0.5) * width
    widest = (
        0.0 if south <= 0 <= north else min(abs(south), abs(north))
    )  # the band is widest nearest the equator
    half_diagonal = (
        math.hypot(height * _MERIDIAN_MAX_M, width * _EQUATOR_M * math.cos(math.radians(widest))) / 2
    )
    return round(middle, 6), round(centre_lon, 6), half_diagonal * 1.01  # 1 %: the Earth is not flat


def coarsen_location(
    lat: float | None,
    lon: float | None,
    precision_m: float | None,
    *,
    policy: PublicationPolicy,
    group_size: int | None,
) -> tuple[float | None, float | None, int | None]:
    """The published point and its precision: the centre of the policy's grid cell holding the point, and
    how far the true place may be from it in whole metres (the source's own precision plus the distance
    from the centre to the cell's corners). A missing coordinate publishes no point: ``(None, None, None)``.
    """
    if lat is None or lon is None:
        return None, None, None
    if not (math.isfinite(lat) and -90 <= lat <= 90):
        raise ValueError("latitude is outside [-90, 90]")
    if not (math.isfinite(lon) and -180 <= lon <= 180):
        raise ValueError("longitude is outside [-180, 180]")
    if precision_m is not None and not (math.isfinite(precision_m) and precision_m >= 0):
        raise ValueError("precision_m must be a distance in metres, 0 or more")
    size = policy.small_group_location_m if policy.is_small(group_size) else policy.location_m
    centre_lat, centre_lon, half_diagonal = _cell(lat, lon, size)
    return centre_lat, centre_lon, math.ceil(half_diagonal + (precision_m or 0.0))
