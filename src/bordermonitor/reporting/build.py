"""Making one report: what was asked (:class:`ReportRequest`), its figures, and the file in the format asked.

The command line and the staff site's background job both call :func:`build`; it runs for the whole network
(the caller opens ``scopes_disabled``), with the report's language active while labels and texts are written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from bordermonitor.core.policy import PublicationPolicy
from bordermonitor.reporting.figures import gather
from bordermonitor.reporting.periods import Period
from bordermonitor.reporting.render import render_html, render_json, render_pdf
from bordermonitor.storage.statistics import shared_with_network

__all__ = ["FORMATS", "LANGUAGES", "Format", "ReportRequest", "build"]

Format = Literal["pdf", "html", "json"]
FORMATS: tuple[Format, ...] = ("pdf", "html", "json")
LANGUAGES = ("en", "fr", "ar", "fa")
MEDIA_TYPES = {"pdf": "application/pdf", "html": "text/html; charset=utf-8", "json": "application/json"}


@dataclass(frozen=True, slots=True)
class ReportRequest:
    """A report to make: the period, the format and language, optionally one organisation's reports only,
    and the notable cases chosen (``(organisation code, ref)`` pairs, in the order to print them)."""

    period: Period
    format: Format
    language: str = "en"
    organisation: str | None = None
    cases: tuple[tuple[str, str], ...] = ()
    shared_only: bool = False  # count only what organisations and sources share with the network

    def __post_init__(self) -> None:
        if self.format not in FORMATS:
            raise ValueError(f"format {self.format!r} is not one of {', '.join(FORMATS)}")
        if self.language not in LANGUAGES:
            raise ValueError(f"language {self.language!r} is not one of {', '.join(LANGUAGES)}")

    def describe(self) -> dict[str, Any]:
        """What was asked, for the audit log (codes and references only)."""
        return {
            "kind": self.period.kind,
            "period": self.period.token,
            "format": self.format,
            "language": self.language,
            "organisation": self.organisation,
            "cases": [f"{code}:{ref}" for code, ref in self.cases],
            "shared_only": self.shared_only,
        }


STEP_FIGURES = gettext_lazy("Counting the incidents of the period, comparing and ranking the situations")
STEP_WRITING = gettext_lazy("Drawing the charts and writing the report")
STEP_PDF = gettext_lazy("Typesetting the PDF")


def build(
    request: ReportRequest,
    *,
    policy: PublicationPolicy,
    progress: Callable[[str], None] = lambda line: None,
    now: dt.datetime | None = None,
) -> bytes:
    """The report's file, in ``request.format``. ``progress`` is told each step (lazy translatable texts).

    ``storage.reporting.NotNotable`` names a chosen case that may not be quoted; nothing is made then."""
    progress(STEP_FIGURES)
    with translation.override(request.language):
        figures = gather(
            period=request.period,
            language=request.language,
            organisation=request.organisation,
            cases=request.cases,
            policy=policy,
            generated_at=now or timezone.now(),
            reports=shared_with_network() if request.shared_only else None,
        )
    if request.format == "json":
        return render_json(figures)
    progress(STEP_WRITING)
    if request.format == "html":
        return render_html(figures).encode("utf-8")
    html = render_html(figures, for_pdf=True)
    progress(STEP_PDF)
    return render_pdf(html)
