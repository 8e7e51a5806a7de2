"""The translatable words of the list page and its exports (statuses, kinds, sorts, yes/no answers).

The same msgids as the record pages, so translators translate each once."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

STATUSES: dict[str, Promise] = {
    "draft": _("Draft"),
    "submitted": _("Submitted"),
    "in_review": _("In review"),
    "changes_requested": _("Changes requested"),
    "verified": _("Verified"),
    "approved_for_publication": _("Approved for publication"),
    "rejected": _("Rejected"),
}

REPORT_KINDS: dict[str, Promise] = {
    "testimony": _("Testimony"),
    "witness": _("Witness account"),
    "official": _("Official record"),
    "media": _("Media report"),
    "dataset": _("Dataset row"),
}

INCIDENT_KINDS: dict[str, Promise] = {
    "pushback": _("Pushback"),
    "chain_pushback": _("Chain pushback"),
    "violence": _("Violence"),
    "detention": _("Detention"),
    "death": _("Death"),
    "disappearance": _("Disappearance"),
    "other": _("Other"),
}

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
