"""The network's monthly and annual reports: figures (``figures``), charts (``charts``), the HTML and PDF
(``render``), the JSON of the figures, and the files kept for the staff site (``files``). See docs/reports.md."""

from bordermonitor.reporting.build import FORMATS, LANGUAGES, ReportRequest, build
from bordermonitor.reporting.periods import Period

__all__ = ["FORMATS", "LANGUAGES", "Period", "ReportRequest", "build"]
