"""The report as one self-contained HTML file (CSS and SVG charts inline, nothing fetched) and as a PDF typeset
from it by WeasyPrint: A4, a running header, page numbers, a table of contents with page numbers
(``target-counter``), table rows never split across pages; Arabic and Farsi right to left.

The templates live in ``reporting/templates/`` and are rendered by a standalone Django template engine in the
report's language (``translation.override``), so a report's language does not depend on who asks for it.
"""

from __future__ import annotations

import base64
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from django.template import Context, Engine
from django.utils import translation

from bordermonitor.core.countries import country_name
from bordermonitor.reporting import charts
from bordermonitor.reporting.filters import number

__all__ = ["render_html", "render_json", "render_pdf", "title"]

TEMPLATES = Path(__file__).resolve().parent / "templates"


@cache
def engine() -> Engine:
    return Engine(
        dirs=[str(TEMPLATES)],
        libraries={"i18n": "django.templatetags.i18n", "report": "bordermonitor.reporting.filters"},
        autoescape=True,
    )


def _hidden(threshold: int) -> str:
    return f"<{number(threshold)}"


def _charts(figures: dict[str, Any], style: charts.Style) -> dict[str, str | None]:
    from django.utils.translation import gettext as _

    hidden = _hidden(figures["threshold"])
    drawn = {
        "states": charts.bar_chart(
            figures["expelling_states"]["rows"],
            title=_("Incidents by expelling state"),
            style=style,
            number=number,
            hidden=hidden,
        ),
        "violence": charts.bar_chart(
            figures["violence"]["rows"],
            title=_("Incidents by type of violence"),
            style=style,
            number=number,
            hidden=hidden,
            limit=15,
        ),
        "nationalities": charts.bar_chart(
            figures["nationalities"]["rows"],
            title=_("Incidents by nationality of the people affected"),
            style=style,
            number=number,
            hidden=hidden,
        ),
        "map": charts.map_chart(
            figures["map"]["positions"],
            title=_("Map of incidents"),
            style=style,
            name=lambda code: country_name(code, figures["language"]),
        ),
    }
    if "monthly" in figures:
        drawn["monthly"] = charts.column_chart(
            figures["monthly"]["rows"],
            title=_("Incidents per month"),
            style=style,
            number=number,
            hidden=hidden,
        )
    return drawn


def _comparison_rows(figures: dict[str, Any]) -> list[dict[str, Any]]:
    """The comparison table's rows: each compared figure now, and then in each earlier period."""
    from django.utils.translation import gettext as _

    labels = {
        "incidents": _("Incidents"),
        "people_affected": _("People affected"),
        "minors_involved": _("Incidents involving minors"),
        "incidents_with_violence": _("Incidents with violence"),
        "dead_and_missing": _("Dead and missing"),
    }
    comparisons = figures["comparisons"]
    return [
        {
            "key": key,
            "label": label,
            "now": figures["headline"][key],
            "columns": [{"name": name, **item["changes"][key]} for name, item in comparisons.items()],
        }
        for key, label in labels.items()
        if comparisons
    ]


def title(figures: dict[str, Any]) -> str:
    """``Monthly report: May 2019`` / ``Annual report 2019`` in the active language."""
    from django.utils.translation import gettext as _

    if figures["kind"] == "annual":
        return _("Annual report %(period)s") % {"period": figures["period"]["label"]}
    return _("Monthly report: %(period)s") % {"period": figures["period"]["label"]}


def _image(svg: str | None) -> str | None:
    """An SVG chart as an ``<img>`` holding it (a ``data:`` URL): how the PDF carries it, so that WeasyPrint
    reads it with its SVG renderer (text still text) instead of checking its SVG styles as HTML ones."""
    if svg is None:
        return None
    found = re.search(r"<title>(.*?)</title>", svg, re.S)
    alt = found.group(1) if found else ""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f'<img class="chart" alt="{alt}" src="data:image/svg+xml;base64,{data}">'


def render_html(figures: dict[str, Any], *, for_pdf: bool = False) -> str:
    """The report of ``figures`` (``reporting.figures.gather``) as one HTML document in its language: the
    charts as inline ``<svg>`` elements, or (``for_pdf``) as images holding the same SVG."""
    with translation.override(figures["language"]):
        rtl = translation.get_language_bidi()
        style = charts.Style(figures["language"], rtl, outlines=for_pdf and rtl)
        drawn = _charts(figures, style)
        context = {
            "f": figures,
            "rtl": rtl,
            "fonts": charts.font_families(rtl),
            "charts": {name: _image(svg) for name, svg in drawn.items()} if for_pdf else drawn,
            "hidden": _hidden(figures["threshold"]),
            "annual": figures["kind"] == "annual",
            "comparison_rows": _comparison_rows(figures),
            "running_title": title(figures),
            "situations_suppressed": any(
                row[name]["suppressed"]
                for row in figures["situations"]["rows"]
                for name in ("incidents", "previous_incidents", "people_affected")
            ),
        }
        return engine().get_template("reporting/report.html").render(Context(context))


def render_pdf(html: str) -> bytes:
    """An HTML report (``render_html(figures, for_pdf=True)``) typeset as PDF by WeasyPrint. Only ``data:``
    URLs (the charts) are read: nothing is fetched from the network or the disk."""
    from PIL import ImageFile
    from weasyprint import HTML, URLFetcher

    ImageFile.LOAD_TRUNCATED_IMAGES = False  # importing WeasyPrint turned it on for the whole process

    fetcher = URLFetcher(allowed_protocols=("data",), allow_redirects=False)
    pdf: bytes = HTML(string=html, url_fetcher=fetcher).write_pdf()
    return pdf


def render_json(figures: dict[str, Any]) -> bytes:
    return (json.dumps(figures, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
