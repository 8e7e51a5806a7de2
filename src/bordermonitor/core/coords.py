"""Coordinates as sources write them: WKT points, "lat, lon" pairs, single numbers, degrees-minutes-seconds.

These functions read numbers; they do not judge them. A latitude of 454826.06 is returned as such, and the
validation layer rejects it with the record and field named (METHODOLOGY §2: coordinates outside
[-90, 90] / [-180, 180] are errors). Unknown stays unknown: empty or ``unknown`` text is ``None``.

Which number is the latitude is never guessed. WKT (``POINT (lon lat)``) puts the longitude first, a pair
separated by a comma or semicolon puts the latitude first (as maps and spreadsheets do), and hemisphere
letters (``45°11'05"N 15°46'38"E``) say it themselves. Two bare numbers separated only by a space are
refused: both orders are in use and a swapped point lands in another country without any error.
"""

from __future__ import annotations

import re
from typing import Literal

from bordermonitor.core.counts import is_unknown_text

__all__ = ["parse_coordinate", "parse_point"]

Axis = Literal["lat", "lon"]

# 45.1847, 45,1847 (decimal comma), -15.77, and the exponent a program may write (1.5e-05)
_DECIMAL = re.compile(r"^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+|(?:\d+(?:\.\d*)?|\.\d+)[eE][+-]?\d+)$")
_NUM = r"\d+(?:[.,]\d+)?"
_DMS = re.compile(
    rf"^(?P<pre>[NSEW])?\s*(?P<sign>[+-])?\s*(?P<deg>{_NUM})\s*(?:°|º|˚|deg\b|d\b)?\s*"
    rf"(?:(?P<min>{_NUM})\s*(?:'|′|’|´|m\b|min\b)\s*)?"
    rf"(?:(?P<sec>{_NUM})\s*(?:\"|″|''|′′|’’|”|s\b|sec\b)\s*)?(?P<post>[NSEW])?$",
    re.IGNORECASE,
)
_WKT_NUM = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_WKT = re.compile(
    rf"^(?:SRID=\d+\s*;\s*)?POINT\s*(?:ZM|Z|M)?\s*\(\s*({_WKT_NUM})\s+({_WKT_NUM})(?:\s+{_WKT_NUM}){{0,2}}\s*\)$",
    re.IGNORECASE,
)
_WKT_EMPTY = re.compile(r"^POINT\s*(?:ZM|Z|M)?\s*EMPTY$", re.IGNORECASE)
_LETTERED_PAIR = re.compile(
    r"^(.+?[NSEW])\s*[\s,;]\s*(.+?[NSEW])$|^([NSEW].+?)\s*[\s,;]\s*([NSEW].+?)$", re.IGNORECASE
)


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _read(text: str, original: str) -> tuple[float, Axis | None]:
    """One coordinate and, when a hemisphere letter gives it, which axis it is on."""
    body = text.strip()
    if _DECIMAL.match(body):
        return _number(body), None
    match = _DMS.match(body)
    if not match or (match["pre"] and match["post"]):
        raise ValueError(f"{original!r} is not a coordinate (a number such as 45.1847 or 45°11'05\"N)")
    degrees = _number(match["deg"])
    minutes = _number(match["min"]) if match["min"] else 0.0
    seconds = _number(match["sec"]) if match["sec"] else 0.0
    if minutes >= 60 or seconds >= 60:
        raise ValueError(f"{original!r} is not a coordinate: minutes and seconds must be below 60")
    if (match["min"] or match["sec"]) and "." in match["deg"].replace(",", "."):
        raise ValueError(f"{original!r} is not a coordinate: decimal degrees cannot have minutes")
    value = degrees + minutes / 60 + seconds / 3600
    hemisphere = (match["pre"] or match["post"] or "").upper()
    if hemisphere and match["sign"]:
        raise ValueError(f"{original!r} is not a coordinate: it has both a sign and a hemisphere letter")
    if match["sign"] == "-" or hemisphere in ("S", "W"):
        value = -value
    axis: Axis | None = "lat" if hemisphere in ("N", "S") else "lon" if hemisphere in ("E", "W") else None
    return value, axis


def parse_coordinate(text: str | None) -> float | None:
    """One coordinate: ``"45.1847"``, ``"45,1847"`` (decimal comma), ``"-15.77"``, ``"45°11'05\\"N"``,
    ``"15.7773 E"``. Empty or unknown → ``None``; anything else raises :class:`ValueError` quoting the text.

    A hemisphere letter gives the sign (S and W are negative). No range check here.
    """
    if text is None or is_unknown_text(text):
        return None
    return _read(text, text)[0]


def _pair(first: str, second: str, original: str) -> tuple[float, float]:
    (a, axis_a), (b, axis_b) = _read(first, original), _read(second, original)
    if axis_a is not None and axis_a == axis_b:
        raise ValueError(f"{original!r} gives two {'latitudes' if axis_a == 'lat' else 'longitudes'}")
    if axis_a == "lon" or axis_b == "lat":
        return b, a
    return a, b


def parse_point(text: str | None) -> tuple[float, float] | None:
    """A point as ``(lat, lon)``.

    Accepted: WKT ``"POINT (-110.366453 31.650259)"`` / ``"POINT(lon lat)"`` (longitude first, as WKT
    writes it; a Z or M value is ignored), ``"31.650259, -110.366453"`` (latitude first; also with ``;``, in
    parentheses, or with decimal commas as ``"45,1847; 15,7773"``), and pairs with hemisphere letters in
    either order (``"45°11'05\\"N 15°46'38\\"E"``, ``"15.7773E, 45.1847N"``).
    Empty, unknown or ``POINT EMPTY`` → ``None``.

    Raises :class:`ValueError` quoting the text otherwise, including for two bare numbers separated only by a
    space (``"31.65 -110.36"``), whose order cannot be known. No range check here.
    """
    if text is None or is_unknown_text(text):
        return None
    body = " ".join(text.split())
    if _WKT_EMPTY.match(body):
        return None
    if match := _WKT.match(body):
        return float(match.group(2)), float(match.group(1))
    if body.startswith("(") and body.endswith(")"):
        body = body[1:-1].strip()
    parts: list[str] = []
    if ";" in body:
        parts = body.split(";")
    elif len(split := re.split(r",\s+", body)) == 2:  # "45,1847, 15,7773": a comma and a space separate
        parts = split
    elif body.count(",") == 1:
        parts = body.split(",")
    if len(parts) == 2 and all(p.strip() for p in parts):
        return _pair(parts[0], parts[1], text)
    if match := _LETTERED_PAIR.match(body):
        if match.group(1):
            return _pair(match.group(1), match.group(2), text)
        return _pair(match.group(3), match.group(4), text)
    if re.fullmatch(r"[+-]?[\d.]+\s+[+-]?[\d.]+", body):
        raise ValueError(
            f"{text!r}: two numbers without a comma could be lat lon or lon lat; "
            "write 'lat, lon' or WKT 'POINT (lon lat)'"
        )
    raise ValueError(f"{text!r} is not a point: expected 'lat, lon' or WKT 'POINT (lon lat)'")
