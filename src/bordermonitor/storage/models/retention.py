"""Retention (SECURITY goal 11): each organisation's schedule of erasures, and the record of every erasure done.

``storage.retention`` holds the erasure rules (named classes, one per :data:`ERASURE_RULES` entry), applies the
schedule and writes these rows; nothing else writes them.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django_scopes import ScopedManager

from bordermonitor.core.records import STATUSES
from bordermonitor.storage.models.accounts import Organisation
from bordermonitor.storage.models.reports import Report

__all__ = ["ERASURE_RULES", "Erasure", "RetentionRule"]

ERASURE_RULES = ("evidence", "testimony", "record")
"""The erasure rules by name, each erasing everything the one before it erases and more (``storage.retention``
has their classes: ``EraseEvidence``, ``EraseTestimony``, ``EraseRecord``)."""


class RetentionRule(models.Model):
    """One line of an organisation's retention schedule: its reports in ``status`` that have not changed for
    ``after_days`` days are erased by ``rule``. No line, no erasure: a new organisation has none."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=30, choices=[(s, s.replace("_", " ")) for s in STATUSES])
    after_days = models.PositiveIntegerField(
        help_text="Days since the report last changed (its updated_at) before the rule applies."
    )
    rule = models.CharField(max_length=20, choices=[(r, r) for r in ERASURE_RULES])
    set_by = models.CharField(
        max_length=100, help_text="'user:<id>', 'cli' or 'system', as in the audit log."
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ("organisation_id", "status", "after_days")
        constraints = (
            models.UniqueConstraint(fields=("organisation", "status", "rule"), name="retention_rule_unique"),
        )

    def __str__(self) -> str:
        return f"{self.status} after {self.after_days} days: {self.rule}"


class Erasure(models.Model):
    """One erasure of one report: which rule, why (a schedule line or a person's reason), when, by whom, and
    what it destroyed (counts). The report stays, erased: the audit events that name it still name a report.
    Protected: a report that was erased cannot be deleted."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="erasures")
    rule = models.CharField(max_length=20, choices=[(r, r) for r in ERASURE_RULES])
    schedule = models.ForeignKey(
        RetentionRule,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The schedule line that applied it; null: asked for (see reason).",
    )
    reason = models.TextField(
        null=True,
        blank=True,
        help_text="Why it was asked for, as typed by staff (keep names out of it); null for the schedule.",
    )
    status_before = models.CharField(max_length=30, help_text="The report's status when it was erased.")
    counts = models.JSONField(default=dict, blank=True, help_text="What was destroyed, counted.")
    actor = models.CharField(max_length=100, help_text="'user:<id>', 'cli' or 'system', as in the audit log.")
    at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ("at", "id")

    def __str__(self) -> str:
        return f"{self.rule} erasure of report {self.report_id}"
