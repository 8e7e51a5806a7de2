"""Evidence records. The original bytes live encrypted and write-once in the evidence store
(``bordermonitor.evidence.store``) under the SHA-256 of their encrypted form (``blob``); this row describes
them, keeps the SHA-256 taken when they were received (``sha256``, the custody digest) and the age header that
wraps the file's own key (``key_header``). Whoever destroys the header destroys the only way to the file."""

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
    media_type = models.CharField(
        max_length=100, null=True, blank=True, help_text="Type found in the bytes (magic), not as claimed."
    )
    blob = models.CharField(
        max_length=64,
        null=True,
        blank=True,
        help_text="SHA-256 of the encrypted file: its name in the evidence store (null: not stored, or stored "
        "unencrypted by an earlier version).",
    )
    key_header = models.BinaryField(
        null=True, help_text="The age header wrapping the file's key to the organisation's evidence key."
    )
    key_version = models.PositiveIntegerField(
        null=True, blank=True, help_text="The organisation key version the file key is wrapped to."
    )
    uploaded_by = models.ForeignKey(
        "storage.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    publish = models.BooleanField(
        default=False, help_text="A reviewer chose its public copy (metadata stripped) for the open data."
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(organisation="report__organisation")

    class Meta:
        ordering = ("report_id", "position")
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return f"{self.kind} {self.sha256[:12]}"


DERIVATIVE_ROLES = (("working", "working copy"), ("thumbnail", "thumbnail"), ("public", "public copy"))


class EvidenceDerivative(models.Model):
    """A copy made from an original (or another derivative): what pages show instead of the original.
    Records its parent's hash and the tool that made it (METHODOLOGY §1)."""

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="derivatives")
    role = models.CharField(max_length=20, choices=DERIVATIVE_ROLES)
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the copy's (decrypted) bytes.")
    parent_sha256 = models.CharField(max_length=64)
    media_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    blob = models.CharField(
        max_length=64,
        null=True,
        blank=True,
        help_text="SHA-256 of the encrypted file in the evidence store (null: made unencrypted by an earlier "
        "version).",
    )
    key_header = models.BinaryField(
        null=True, help_text="The age header wrapping the file's key to the organisation's working key."
    )
    key_version = models.PositiveIntegerField(
        null=True, blank=True, help_text="The organisation key version the file key is wrapped to."
    )
    tool = models.CharField(max_length=100, help_text="Library and version, e.g. 'Pillow 11.1.0'.")
    transformation = models.CharField(max_length=200, help_text="What was done, e.g. 'metadata stripped'.")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(organisation="evidence__report__organisation")

    class Meta:
        constraints = (models.UniqueConstraint(fields=("evidence", "role"), name="derivative_unique_role"),)

    def __str__(self) -> str:
        return f"{self.role} of {self.parent_sha256[:12]}"
