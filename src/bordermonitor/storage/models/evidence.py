"""Evidence records. The original bytes live write-once in the file store (``bordermonitor.evidence.store``),
addressed by the SHA-256 taken when they were received; this row describes them."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django_scopes import ScopedManager

from bordermonitor.core.records import EVIDENCE_KINDS
from bordermonitor.storage.models.reports import Report


class Evidence(models.Model):
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="evidence")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=[(k, k.replace("_", " ")) for k in EVIDENCE_KINDS])
    description = models.TextField(null=True, blank=True)
    path = models.TextField(help_text="The file's path as the source gave it (relative to its export).")
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    stored = models.BooleanField(
        default=False,
        help_text="The original is in the sealed store (false: the file was missing or refused).",
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(organisation="report__organisation")

    class Meta:
        ordering = ("report_id", "position")
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return f"{self.kind} {self.sha256[:12]}"
