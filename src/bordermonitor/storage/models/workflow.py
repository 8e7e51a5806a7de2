"""The history of a report's review: every status change, by whom, when, with the comment and checklist."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django_scopes import ScopedManager

from bordermonitor.storage.models.reports import Report


class ReportTransition(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="transitions")
    source = models.CharField(max_length=30)
    target = models.CharField(max_length=30)
    actor = models.CharField(max_length=100, help_text="'user:<id>', 'cli' or 'system', as in the audit log.")
    comment = models.TextField(null=True, blank=True)
    checklist = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(organisation="report__organisation")

    class Meta:
        ordering = ("report_id", "id")

    def __str__(self) -> str:
        return f"{self.source} → {self.target}"
