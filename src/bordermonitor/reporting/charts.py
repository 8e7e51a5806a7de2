"""The report's charts, drawn with matplotlib as SVG (its object API, no pyplot: the staff site draws them in a
background thread).

Text stays text (``svg.fonttype = "none"``), shaped by whoever shows the SVG with the report's fonts: a browser
joins Arabic and Farsi letters and orders them right to left. WeasyPrint does not, in SVG: it draws SVG text one
code point at a time, without shaping or bidi reordering (Kozea/WeasyPrint#2249 and #2909), so in a PDF an
Arabic label would come out as isolated letters in reverse order. For the PDFs of right-to-left reports the
charts' text is therefore laid out by matplotlib itself — matplotlib (3.11, as locked) lays text out with the
libraqm it bundles (HarfBuzz shaping, bidi), given ``text.language`` — and written as glyph outlines
(``svg.fonttype = "path"``). Charts of right-to-left reports are also mirrored (bars grow from the right, labels
on the right).

Charts draw only what the tables publish: a suppressed count has no bar, only its "<threshold" mark.
The map draws the shipped Natural Earth outlines (no tile server, nothing fetched) and the coarsened positions
the figures hold — never a recorded coordinate.
"""

from __future__ import annotations

import io
import json
import math
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import matplotlib
import pycountry
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.patches import Polygon
from matplotlib.ticker import FuncFormatter, MaxNLocator

__all__ = ["Style", "bar_chart", "column_chart", "font_families", "map_chart"]

INK = "#1f2933"
BAR = "#2b6cb0"
MUTED = "#7b8794"
LAND = "#e4e7eb"
BORDER = "#9aa5b1"
POINT = "#c53030"
WIDTH_IN = 6.3  # the A4 text width (16 cm)

_LTR_FONTS = ("Noto Sans", "DejaVu Sans")
_RTL_FONTS = ("Noto Naskh Arabic", "Noto Sans Arabic", "Noto Sans", "DejaVu Sans")


def font_families(rtl: bool) -> tuple[str, ...]:
    """The fonts of a report, first choice first (Debian's ``fonts-noto-core``; DejaVu Sans otherwise)."""
    return _RTL_FONTS if rtl else _LTR_FONTS


@dataclass(frozen=True, slots=True)
class Style:
    """How a report's charts are drawn: its language and direction, and whether matplotlib shapes the text
    and writes it as outlines (right-to-left PDFs, see the module's note) or leaves it as text."""

    language: str
    rtl: bool
    outlines: bool = False


@contextmanager
def _style(style: Style) -> Iterator[None]:
    with matplotlib.rc_context(
        {
            "svg.fonttype": "path" if style.outlines else "none",
            "svg.hashsalt": "bordermonitor-report",  # the same figures give the same file
            "text.language": style.language,
            "font.family": list(font_families(style.rtl)),
            "font.size": 8.5,
            "axes.edgecolor": MUTED,
            "axes.labelcolor": INK,
            "text.color": INK,
            "xtick.color": INK,
            "ytick.color": INK,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    ):
        yield


_SEQUENCE = iter(range(1, 1_000_000))
_ID = re.compile(r'(\bid="|url\(#|href="#)')
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.S)


def _svg(figure: Figure, title: str) -> str:
    """The figure as an inline ``<svg>`` element: no XML prologue, ids made unique in the document, a title."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", pad_inches=0.05, metadata={"Date": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    text = _METADATA.sub("", text)  # matplotlib's RDF block: names of vocabularies, nothing to show
    prefix = f"c{next(_SEQUENCE)}-"
    text = _ID.sub(lambda m: m.group(1) + prefix, text)
    head_end = text.index(">") + 1
    head = text[:head_end].replace("<svg ", '<svg class="chart" role="img" ', 1)
    return f"{head}<title>{_escape(title)}</title>{text[head_end:]}"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _integer_axis(axis: Any, number: Callable[[int], str]) -> None:
    axis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    axis.set_major_formatter(FuncFormatter(lambda value, _pos: number(int(value)) if value >= 0 else ""))


def bar_chart(
    rows: Sequence[dict[str, Any]],
    *,
    title: str,
    style: Style,
    number: Callable[[int], str],
    hidden: str,
    limit: int = 12,
) -> str | None:
    """Horizontal bars of a protected table's rows (``label``, ``value``; None when suppressed), the first
    ``limit`` rows; a suppressed row shows ``hidden`` ("<5") instead of a bar. None for an empty table."""
    shown = list(rows[:limit])
    if not shown:
        return None
    rtl = style.rtl
    with _style(style):
        figure = Figure(figsize=(WIDTH_IN, 0.3 * len(shown) + 0.5))
        axes = figure.subplots()
        positions = list(range(len(shown)))[::-1]
        values = [row["value"] or 0 for row in shown]
        axes.barh(positions, values, color=BAR, height=0.62)
        axes.set_yticks(positions, [row["label"] for row in shown])
        largest = max(values) or 1
        axes.set_xlim(0, largest * 1.15)
        for y, row in zip(positions, shown, strict=True):
            text = hidden if row["value"] is None else number(row["value"])
            color = MUTED if row["value"] is None else INK
            axes.text(
                (row["value"] or 0) + largest * 0.01,
                y,
                text,
                va="center",
                ha="right" if rtl else "left",
                color=color,
            )
        _integer_axis(axes.xaxis, number)
        axes.tick_params(axis="y", length=0)
        if rtl:
            axes.invert_xaxis()
            axes.yaxis.tick_right()
            axes.spines["left"].set_visible(False)
            axes.spines["right"].set_visible(True)
        return _svg(figure, title)


def column_chart(
    rows: Sequence[dict[str, Any]], *, title: str, style: Style, number: Callable[[int], str], hidden: str
) -> str | None:
    """Vertical bars in the rows' order (the months of a year); a suppressed month shows ``hidden``."""
    if not rows:
        return None
    rtl = style.rtl
    with _style(style):
        figure = Figure(figsize=(WIDTH_IN, 2.4))
        axes = figure.subplots()
        order = list(range(len(rows)))
        positions = [len(rows) - 1 - i for i in order] if rtl else order
        values = [row["value"] or 0 for row in rows]
        axes.bar(positions, values, color=BAR, width=0.66)
        axes.set_xticks(positions, [row["label"] for row in rows], rotation=45, ha="center")
        largest = max(values) or 1
        axes.set_ylim(0, largest * 1.18)
        for x, row in zip(positions, rows, strict=True):
            if row["value"] is None:
                axes.text(x, largest * 0.02, hidden, ha="center", va="bottom", color=MUTED)
        _integer_axis(axes.yaxis, number)
        if rtl:
            axes.yaxis.tick_right()
            axes.spines["left"].set_visible(False)
            axes.spines["right"].set_visible(True)
        return _svg(figure, title)


@dataclass(frozen=True, slots=True)
class _Country:
    code: str | None  # ISO 3166-1 alpha-2 (None: Natural Earth gives no code)
    rings: tuple[tuple[tuple[float, float], ...], ...]  # outer rings of its polygons

    def label_point(self) -> tuple[float, float]:
        """The middle of its largest polygon (by the extent of its ring), where its name goes."""
        ring = max(
            self.rings,
            key=lambda r: (
                (max(x for x, _ in r) - min(x for x, _ in r)) * (max(y for _, y in r) - min(y for _, y in r))
            ),
        )
        xs, ys = [x for x, _ in ring], [y for _, y in ring]
        return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2


@cache
def _countries() -> tuple[_Country, ...]:
    """The Natural Earth 1:110m country outlines shipped with the staff site."""
    text = (
        resources.files("bordermonitor.web")
        .joinpath("static/bordermonitor/map/countries-110m.geojson")
        .read_text(encoding="utf-8")
    )
    countries = []
    for feature in json.loads(text)["features"]:
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        )
        rings = tuple(tuple((float(x), float(y)) for x, y in polygon[0]) for polygon in polygons)
        iso3 = feature["properties"].get("iso_a3") or ""
        found = pycountry.countries.get(alpha_3=iso3) if len(iso3) == 3 and iso3.isalpha() else None
        countries.append(_Country(found.alpha_2 if found else None, rings))
    return tuple(countries)


def _extent(positions: Sequence[dict[str, float]]) -> tuple[float, float, float, float]:
    """West, east, south, north around the positions, with a margin, never flatter than about 2:1 on the page
    (a world-wide month is not drawn as a strip), within the world's edges."""
    lons = [p["lon"] for p in positions]
    lats = [p["lat"] for p in positions]
    middle_lon, middle_lat = (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2
    half_lon = max((max(lons) - min(lons)) / 2 * 1.08 + 1.0, 3.0)
    half_lat = max((max(lats) - min(lats)) / 2 * 1.08 + 0.8, 2.0)
    stretch = 1 / max(math.cos(math.radians(middle_lat)), 0.2)  # a degree of latitude is longer on the map
    half_lat = max(half_lat, half_lon * 0.5 / stretch)
    west, east = max(middle_lon - half_lon, -180.0), min(middle_lon + half_lon, 180.0)
    south, north = max(middle_lat - half_lat, -85.0), min(middle_lat + half_lat, 85.0)
    return west, east, south, north


LABELLED_SPAN = 40.0  # country names are written on maps narrower than this many degrees of longitude


def map_chart(
    positions: Sequence[dict[str, float]], *, title: str, style: Style, name: Callable[[str], str]
) -> str | None:
    """The outlines of the countries around ``positions`` (coarsened points), their names (``name`` of an
    ISO code, in the report's language) and a dot at each position."""
    if not positions:
        return None
    west, east, south, north = _extent(positions)
    aspect = 1 / max(math.cos(math.radians((south + north) / 2)), 0.2)
    height = min(WIDTH_IN * (north - south) * aspect / (east - west), 7.5)
    with _style(style):
        figure = Figure(figsize=(WIDTH_IN, max(height, 2.5)))
        axes = figure.subplots()
        near = [
            country
            for country in _countries()
            if any(
                west - 5 <= x <= east + 5 and south - 5 <= y <= north + 5
                for ring in country.rings
                for x, y in ring
            )
        ]
        patches = [Polygon(ring, closed=True) for country in near for ring in country.rings]
        axes.add_collection(PatchCollection(patches, facecolor=LAND, edgecolor=BORDER, linewidth=0.6))
        margin_lon, margin_lat = (east - west) * 0.06, (north - south) * 0.05
        for country in near if east - west <= LABELLED_SPAN else ():
            x, y = country.label_point()
            if (
                country.code
                and west + margin_lon < x < east - margin_lon
                and south + margin_lat < y < north - margin_lat
            ):
                axes.text(
                    x, y, name(country.code), ha="center", va="center", color=MUTED, fontsize=7, zorder=2
                )
        axes.scatter(
            [p["lon"] for p in positions],
            [p["lat"] for p in positions],
            s=14,
            color=POINT,
            edgecolors="white",
            linewidths=0.4,
            zorder=3,
        )
        axes.set_xlim(west, east)
        axes.set_ylim(south, north)
        axes.set_aspect(aspect)
        axes.set_xticks([])
        axes.set_yticks([])
        for side in ("top", "right", "bottom", "left"):
            axes.spines[side].set_visible(True)
        axes.set_facecolor("#f5f9fc")
        figure.subplots_adjust(left=0.005, right=0.995, bottom=0.005, top=0.995)
        return _svg(figure, title)
