"""The translatable words of the list page and its exports (statuses, kinds, sorts, yes/no answers).

The same msgids as the record pages, so translators translate each once."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from bordermonitor.words import INCIDENT_KINDS as INCIDENT_KINDS
from bordermonitor.words import REPORT_KINDS as REPORT_KINDS
from bordermonitor.words import STATUSES as STATUSES

YES_NO: tuple[tuple[str, Promise], ...] = (("", _("Either")), ("yes", _("Yes")), ("no", _("No")))

#: Sortable columns: the sort key of each direction.
SORT_COLUMNS: dict[str, tuple[str, str]] = {
    "ref": ("ref", "-ref"),
    "date": ("-date", "date"),
    "status": ("status", "status"),
    "recorded": ("-recorded", "recorded"),
}

SORT_LABELS: dict[str, Promise] = {
    "-date": _("Incident date, newest first"),
    "date": _("Incident date, oldest first"),
    "-recorded": _("Recorded, newest first"),
    "recorded": _("Recorded, oldest first"),
    "ref": _("Reference, A to Z"),
    "-ref": _("Reference, Z to A"),
    "status": _("Status"),
    "-updated": _("Last changed first"),
}
