"""What staff typed and what each edit changed: versions of a report, who last looked at which version, and
drafts of the intake form saved as typed (before they validate), so nothing typed is lost.

Versions and drafts hold the whole record as typed or saved (narrative, names, the source's row): both are
sealed with the report's record key (``storage.models.sealed``), so erasing a report erases its history and
drafts with it. A draft of a report not created yet has a key of its own until the report exists.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.db import models
from django.utils import timezone
from django_scopes import ScopedManager

from bordermonitor.storage.models.accounts import Organisation, User
from bordermonitor.storage.models.reports import Report, report_keys
from bordermonitor.storage.models.sealed import SealedJSONField, SealedManager, SealedModel


def _tell_report(obj: models.Model, key_id: int) -> None:
    """The report loaded with ``obj`` learns the key it was just given (its next save keeps using it)."""
    report = obj._state.fields_cache.get("report")
    if isinstance(report, Report) and report.record_key_id is None:
        report.record_key_id = key_id


class ReportVersion(SealedModel):
    """The report as an interchange record after each save (``version`` matches ``Report.version``)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    record = SealedJSONField(
        empty="dict", help_text="The report in interchange shape after this save: sealed."
    )
    changed = models.JSONField(default=list, blank=True, help_text="Dotted paths changed by this save.")
    actor = models.CharField(max_length=100)
    at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(_manager_class=SealedManager, organisation="report__organisation")

    class Meta:
        ordering = ("report_id", "version")
        constraints = (models.UniqueConstraint(fields=("report", "version"), name="report_version_unique"),)

    def __str__(self) -> str:
        return f"{self.report_id} v{self.version}"

    @classmethod
    def assign_record_keys(cls, objs: Sequence[ReportVersion]) -> None:
        """The report's record key (made for the report if it has none)."""
        keys = report_keys({version.report_id for version in objs})
        for version in objs:
            version.record_key_id = keys[version.report_id]
            _tell_report(version, version.record_key_id)


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


class ReportDraft(SealedModel):
    """The intake form as typed, saved automatically; ``token`` is the form's own id (also kept in the
    browser), ``report`` the report it edits once one exists."""

    token = models.UUIDField(unique=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.CASCADE, related_name="drafts")
    step = models.CharField(max_length=40, blank=True)
    data = SealedJSONField(empty="dict", help_text="Field name → value as typed: sealed.")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(_manager_class=SealedManager, organisation="organisation")

    class Meta:
        ordering = ("-updated_at",)

    def __str__(self) -> str:
        return f"draft {self.token}"

    @classmethod
    def assign_record_keys(cls, objs: Sequence[ReportDraft]) -> None:
        """The report's record key; a draft of a report not created yet gets one of its own."""
        from bordermonitor.storage.repositories.sealing import new_record_keys

        keys = report_keys({draft.report_id for draft in objs if draft.report_id is not None})
        alone: dict[int, list[ReportDraft]] = defaultdict(list)
        for draft in objs:
            if draft.report_id is not None:
                draft.record_key_id = keys[draft.report_id]
                _tell_report(draft, draft.record_key_id)
            else:
                alone[draft.organisation_id].append(draft)
        for organisation_id, drafts in alone.items():
            made = new_record_keys(organisation_id, len(drafts))
            for draft, (key_id, key) in zip(drafts, made, strict=True):
                draft.use_new_key(key_id, key)


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
