"""Cross-checking: pairs of reports that may describe one incident, the reviewers' decisions on them, and what a
confirmed link did to the incidents (so that it can be undone exactly).

A pair belongs to two reports, possibly of two organisations, so its scoped manager requires *both* reports'
organisations to be in the current django-scopes scope: a person working for one organisation never reaches a
pair that involves another organisation's report through a query that forgot a filter. Who may act on which
pair is decided in ``bordermonitor.storage.linkage`` (``queue``).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from django_scopes.state import get_scope

from bordermonitor.storage.models.accounts import Organisation, User
from bordermonitor.storage.models.reports import Report

__all__ = ["DECISIONS", "LINK_STATUSES", "IncidentMerge", "LinkCandidate"]

LINK_STATUSES = (
    ("proposed", _("Awaiting review")),
    ("same_incident", _("Same incident")),
    ("related", _("Related incidents")),
    ("not_related", _("Not related")),
)
"""``proposed``: waiting for a decision; the three others are decisions."""
DECISIONS = tuple(code for code, _label in LINK_STATUSES if code != "proposed")


def _both_in_scope(second: str) -> type[models.Manager[Any]]:
    """A manager class that keeps the rows whose ``second`` organisation is in the current scope too (the
    scoped manager built on it checks the first one and refuses to run without a scope)."""

    class BothInScope(models.Manager[Any]):
        def get_queryset(self) -> models.QuerySet[Any]:
            queryset = super().get_queryset()
            current = getattr(self, "_override_scope", None) or get_scope()
            if not current.get("_enabled", True) or "organisation" not in current:
                return queryset  # scopes disabled, or the scoped manager refuses the query anyway
            value = current["organisation"]
            if isinstance(value, (list, tuple)):
                return queryset.filter(**{f"{second}__in": value})
            return queryset if value is None else queryset.filter(**{second: value})

    return BothInScope


class LinkCandidate(models.Model):
    """An unordered pair of reports (``report_a`` has the lower id) that may describe the same incident: the
    linkage score and its explanation, and the decision once someone made it."""

    report_a = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    report_b = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(help_text="Probability (0–1) that both reports describe one incident.")
    agreements = models.JSONField(
        default=dict, blank=True, help_text="The comparison field by field (core.linkage Comparison.as_json)."
    )
    model_version = models.CharField(max_length=60, help_text="The scoring model the score came from.")
    status = models.CharField(max_length=20, choices=LINK_STATUSES, default="proposed", db_index=True)
    automatic = models.BooleanField(
        default=False,
        help_text="Linked without review (crosscheck --auto-threshold); not used to calibrate the model.",
    )
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(
        _manager_class=_both_in_scope("report_b__organisation"), organisation="report_a__organisation"
    )

    class Meta:
        ordering = ("-score", "id")
        constraints = (
            models.UniqueConstraint(fields=("report_a", "report_b"), name="link_candidate_unique_pair"),
            models.CheckConstraint(
                condition=models.Q(report_a__lt=models.F("report_b")), name="link_candidate_ordered_pair"
            ),
        )
        indexes = (models.Index(fields=("status", "score"), name="link_candidate_queue"),)

    def __str__(self) -> str:
        return f"{self.report_a_id} ~ {self.report_b_id} ({self.score:.2f}, {self.status})"


class IncidentMerge(models.Model):
    """What confirming a pair as one incident did: the incident kept, the one absorbed (as it was, to recreate
    it with its id, reference and dates) and the reports moved from it; set ``undone_at`` once undone."""

    candidate = models.ForeignKey(
        LinkCandidate, null=True, blank=True, on_delete=models.SET_NULL, related_name="merges"
    )
    # The kept incident may itself be absorbed by a later merge: kept by id and ref, not by a foreign key.
    kept_id = models.BigIntegerField()
    kept_ref = models.CharField(max_length=200)
    kept_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kept_updated_at = models.DateTimeField(help_text="The kept incident's last change before the merge.")
    absorbed_id = models.BigIntegerField()
    absorbed_ref = models.CharField(max_length=200)
    absorbed_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    absorbed_public_id = models.CharField(max_length=20, null=True, blank=True)
    absorbed_created_at = models.DateTimeField()
    absorbed_updated_at = models.DateTimeField()
    moved_reports = models.JSONField(default=list, help_text="Ids of the reports moved to the kept incident.")
    merged_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    merged_at = models.DateTimeField(default=timezone.now)
    undone_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    undone_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(
        _manager_class=_both_in_scope("absorbed_organisation"), organisation="kept_organisation"
    )

    class Meta:
        ordering = ("id",)
        indexes = (models.Index(fields=("absorbed_id",), name="incident_merge_absorbed"),)

    def __str__(self) -> str:
        return f"{self.absorbed_ref} → {self.kept_ref}"
