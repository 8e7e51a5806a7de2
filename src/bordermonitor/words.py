"""The translatable names of coded values, shared by the staff pages and the public site (one msgid each,
so translators translate each once): statuses, report kinds, incident kinds, evidence kinds, and the reasons a release gives for what it withheld.

Django's translation only, no storage: the public site may import it (see the import-linter contracts)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

__all__ = ["EVIDENCE_KINDS", "INCIDENT_KINDS", "REPORT_KINDS", "STATUSES", "WITHHELD"]

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

# The keys are the reasons as the publisher writes them in release.json and RELEASE.md (English).
WITHHELD: dict[str, Promise] = {
    "reports not approved for publication": _("reports not approved for publication"),
    "approved reports without the source's consent to publish": _(
        "approved reports without the source's consent to publish"
    ),
    "narratives not yet reviewed for publication": _("narratives not yet reviewed for publication"),
    "place names of small groups": _("place names of small groups"),
    "ages and make-up of small groups": _("ages and make-up of small groups"),
    "incidents without a month, left out of the monthly aggregates": _(
        "incidents without a month, left out of the monthly aggregates"
    ),
}
