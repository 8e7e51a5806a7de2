"""What staff typed and what each edit changed: versions of a report, who last looked at which version, and
drafts of the intake form saved as typed (before they validate), so nothing typed is lost."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django_scopes import ScopedManager

from bordermonitor.storage.models.accounts import Organisation, User
from bordermonitor.storage.models.reports import Report


class ReportVersion(models.Model):
    """The report as an interchange record after each save (``version`` matches ``Report.version``)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    record = models.JSONField(help_text="The report in interchange shape after this save.")
    changed = models.JSONField(default=list, blank=True, help_text="Dotted paths changed by this save.")
    actor = models.CharField(max_length=100)
    at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(organisation="report__organisation")

    class Meta:
        ordering = ("report_id", "version")
        constraints = (models.UniqueConstraint(fields=("report", "version"), name="report_version_unique"),)

    def __str__(self) -> str:
        return f"{self.report_id} v{self.version}"


class ReportSeen(models.Model):
    """The version of a report a person last looked at, for the diff "what changed since my last look"."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField()
    at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(organisation="report__organisation")

    class Meta:
        constraints = (models.UniqueConstraint(fields=("user", "report"), name="report_seen_unique"),)

    def __str__(self) -> str:
        return f"{self.user_id} saw {self.report_id} v{self.version}"


class ReportDraft(models.Model):
    """The intake form as typed, saved automatically; ``token`` is the form's own id (also kept in the
    browser), ``report`` the report it edits once one exists."""

    token = models.UUIDField(unique=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.CASCADE, related_name="drafts")
    step = models.CharField(max_length=40, blank=True)
    data = models.JSONField(default=dict, blank=True, help_text="Field name → value as typed.")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ("-updated_at",)

    def __str__(self) -> str:
        return f"draft {self.token}"


class ApiToken(models.Model):
    """A personal token for the private API; only its SHA-256 is stored, the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"
