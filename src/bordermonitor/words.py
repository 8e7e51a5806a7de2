"""The translatable names of coded values, shared by the staff pages and the public site (one msgid each,
so translators translate each once): statuses, report kinds, incident kinds and evidence kinds.

Django's translation only, no storage: the public site may import it (see the import-linter contracts)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

__all__ = ["EVIDENCE_KINDS", "INCIDENT_KINDS", "REPORT_KINDS", "STATUSES"]

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

EVIDENCE_KINDS: dict[str, Promise] = {
    "photo": _("Photo"),
    "medical_report": _("Medical report"),
    "video": _("Video"),
    "audio": _("Audio"),
    "document": _("Document"),
}
