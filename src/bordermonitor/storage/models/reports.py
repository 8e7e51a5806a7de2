"""Reports (one source's account) and incidents (what happened, once).

A report carries the incident description *as its source gives it* (METHODOLOGY §1), so the description fields
live on :class:`Report`; an :class:`Incident` groups the reports that describe one event, and its figures are
reconciled from them by ``core.reconcile``. Unknown is NULL in every column — never 0, never "".
Yes/no/unknown answers are nullable booleans. Lists keep their order in ``position``.

What could name or identify a person — the title, the narrative and its translation, the names the source
gave, the source's verbatim row and the values an import could not read — is sealed with the report's own
record key (``storage.models.sealed``; docs/keys.md, "Sensitive fields"). Coded fields stay plain, so they can
be filtered, counted and published.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from django.db import models
from django.utils import timezone
from django_scopes import ScopedManager

from bordermonitor.core.records import EVIDENCE_KINDS, INCIDENT_KINDS, REPORT_KINDS, STATUSES
from bordermonitor.storage.models.accounts import Organisation
from bordermonitor.storage.models.sealed import SealedJSONField, SealedManager, SealedModel, SealedTextField
from bordermonitor.storage.models.stakeholders import Stakeholder

PRECISIONS = (("day", "day"), ("month", "month"), ("year", "year"))


def _choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(v, v.replace("_", " ")) for v in values]


class Incident(models.Model):
    """An event, once. Created with its first report; cross-checking links more reports to it."""

    ref = models.CharField(max_length=200, unique=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="incidents",
        help_text="The organisation that created it.",
    )
    public_id = models.CharField(
        max_length=20,
        null=True,
        blank=True,
        unique=True,
        help_text="Identifier in the open data, given at first publication; says nothing about the reports.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ("id",)

    def __str__(self) -> str:
        return self.ref


class Report(SealedModel):
    """One source's account of an incident, owned by the organisation that recorded it."""

    # No index of its own: the unique (organisation, ref) constraint serves lookups by organisation.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="reports", db_index=False
    )
    ref = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=_choices(REPORT_KINDS))
    recorded_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=30, choices=_choices(STATUSES), default="submitted", db_index=True)
    consent_publish = models.BooleanField(null=True, blank=True)
    consent_share_with_network = models.BooleanField(null=True, blank=True)
    consent_legal_use = models.BooleanField(null=True, blank=True)
    title = SealedTextField(help_text="Typed by the documenter; may name people: sealed.")
    narrative_text = SealedTextField(help_text="The testimony as told: sealed.")
    narrative_language = models.CharField(max_length=35, null=True, blank=True)
    narrative_translation_en = SealedTextField(help_text="The testimony in English: sealed.")
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="reports")

    # The incident as this source describes it (METHODOLOGY §2).
    date_start = models.DateField(
        null=True, blank=True, db_index=True, help_text="First day the date can be."
    )
    date_precision = models.CharField(max_length=5, choices=PRECISIONS, null=True, blank=True)
    time = models.CharField(max_length=5, null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    precision_m = models.FloatField(null=True, blank=True)
    place = models.TextField(null=True, blank=True)
    country = models.CharField(max_length=2, null=True, blank=True)
    region = models.TextField(null=True, blank=True)
    incident_kind = models.CharField(max_length=20, choices=_choices(INCIDENT_KINDS), null=True, blank=True)
    expelled_to = models.CharField(max_length=2, null=True, blank=True)
    group_size = models.PositiveIntegerField(null=True, blank=True)
    minors = models.PositiveIntegerField(null=True, blank=True)
    women = models.PositiveIntegerField(null=True, blank=True)
    men = models.PositiveIntegerField(null=True, blank=True)
    minors_involved = models.BooleanField(null=True, blank=True)
    ages = models.TextField(null=True, blank=True)
    age_bands = models.JSONField(
        default=list, blank=True, help_text="Derived from ages; for filters and publication."
    )
    origin_regions = models.JSONField(default=list, blank=True)
    asylum_requested = models.BooleanField(null=True, blank=True)
    taken_to_police_station = models.BooleanField(null=True, blank=True)
    detention_hours = models.FloatField(null=True, blank=True)
    officers_min = models.PositiveIntegerField(null=True, blank=True)
    officers_max = models.PositiveIntegerField(null=True, blank=True)
    officers_description = models.TextField(null=True, blank=True)
    dead = models.IntegerField(
        null=True, blank=True, help_text="Signed: a dataset may correct an earlier count."
    )
    missing = models.IntegerField(
        null=True, blank=True, help_text="Signed: a dataset may correct an earlier count."
    )
    survivors = models.PositiveIntegerField(null=True, blank=True)
    causes_of_death = models.JSONField(default=list, blank=True)
    medical_injuries = models.BooleanField(null=True, blank=True)
    medical_documented = models.BooleanField(null=True, blank=True)
    route = models.TextField(null=True, blank=True)

    # Protection and the public version (METHODOLOGY §7).
    known_names = SealedJSONField(
        empty="list",
        help_text="Names the source gave (the person, companions, drivers, officers): never published; "
        "the public version is redacted of them. Sealed.",
    )
    public_title = models.TextField(null=True, blank=True)
    public_narrative = models.TextField(
        null=True, blank=True, help_text="The narrative as it may be published, redacted and reviewed."
    )
    public_approved_at = models.DateTimeField(null=True, blank=True)
    public_approved_by = models.ForeignKey(
        "storage.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # Where the record came from, and what could not be interpreted (kept verbatim for review).
    source_name = models.CharField(max_length=100, null=True, blank=True)
    source_url = models.TextField(null=True, blank=True)
    source_quality = models.PositiveSmallIntegerField(null=True, blank=True)
    source_original = SealedJSONField(empty="dict", help_text="The source's row, verbatim: sealed.")
    source_unparsed = SealedJSONField(empty="list", help_text="Verbatim values not understood: sealed.")
    flagged = models.BooleanField(
        default=False, db_index=True, help_text="Something needs a reviewer's look."
    )

    version = models.PositiveIntegerField(
        default=1, help_text="Raised by every edit; a save based on an older version is refused."
    )
    created_by = models.ForeignKey(
        "storage.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    intake_token = models.UUIDField(
        null=True,
        blank=True,
        unique=True,
        help_text="The intake form's token: a repeated submission finds it.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    erased_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When its sealed values were erased (its record key destroyed); the coded fields stay.",
    )

    objects = ScopedManager(_manager_class=SealedManager, organisation="organisation")

    class Meta:
        ordering = ("id",)
        constraints = (models.UniqueConstraint(fields=("organisation", "ref"), name="report_unique_ref"),)
        # The landing figures' cache key: count, latest change and highest id per organisation, from the index.
        indexes = (models.Index(fields=("organisation", "updated_at"), name="report_org_updated"),)

    def __str__(self) -> str:
        return self.ref

    @classmethod
    def assign_record_keys(cls, objs: Sequence[Report]) -> None:
        """A new record key for each of ``objs``, in its organisation (made in bulk)."""
        from bordermonitor.storage.repositories.sealing import new_record_keys

        stored = [r.pk for r in objs if r.pk is not None and not r._state.adding]
        existing = (  # a key given meanwhile (to seal a version of the report, say) is the report's key
            dict(
                Report._base_manager.filter(pk__in=stored, record_key__isnull=False).values_list(
                    "pk", "record_key_id"
                )
            )
            if stored
            else {}
        )
        by_organisation: dict[int, list[Report]] = defaultdict(list)
        for report in objs:
            if report.pk in existing and not report._state.adding:
                report.record_key_id = existing[report.pk]
            else:
                by_organisation[report.organisation_id].append(report)
        for organisation_id, reports in by_organisation.items():
            made = new_record_keys(organisation_id, len(reports))
            for report, (key_id, key) in zip(reports, made, strict=True):
                report.use_new_key(key_id, key)

    @property
    def erased_on(self) -> dt.datetime | None:
        """When the report's sealed values were erased: ``erased_at``, or when its record key was destroyed
        (None while they can be read)."""
        if self.erased_at is not None:
            return self.erased_at
        if self.record_key_id is None:
            return None
        from bordermonitor.storage.keys import record_key

        if record_key(self.record_key_id) is not None:
            return None
        from bordermonitor.storage.models.keys import RecordKey

        destroyed: dt.datetime | None = (
            RecordKey.objects.filter(pk=self.record_key_id).values_list("destroyed_at", flat=True).first()
        )
        return destroyed


def report_keys(report_ids: set[int]) -> dict[int, int]:
    """The record key id of each report of ``report_ids``, made for those that have none yet (their history
    and drafts are sealed with it)."""
    base = Report._base_manager
    found = dict(base.filter(pk__in=report_ids).values_list("pk", "record_key_id"))
    missing = [pk for pk, key_id in found.items() if key_id is None]
    if missing:
        reports = list(base.filter(pk__in=missing).only("pk", "organisation_id", "record_key_id"))
        Report.assign_record_keys(reports)
        for report in reports:
            if base.filter(pk=report.pk, record_key__isnull=True).update(record_key_id=report.record_key_id):
                found[report.pk] = report.record_key_id
            else:  # another transaction gave it one meanwhile
                found[report.pk] = base.filter(pk=report.pk).values_list("record_key_id", flat=True).get()
    return found


class _ReportItem(models.Model):
    """An ordered item of one of a report's lists."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField()

    objects = ScopedManager(organisation="report__organisation")

    class Meta:
        abstract = True
        ordering = ("report_id", "position")


class ReportExpeller(_ReportItem):
    """``expelled_by``: the states of a (chain) pushback in order, first apprehending state first."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="expellers")
    country = models.CharField(max_length=2, db_index=True)

    def __str__(self) -> str:
        return f"{self.position + 1}. {self.country}"


class ReportNationality(_ReportItem):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="nationalities")
    country = models.CharField(max_length=2, db_index=True)

    def __str__(self) -> str:
        return self.country


class ReportViolence(_ReportItem):
    """One mention of violence: a typology code (METHODOLOGY §3) and the source's detail."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="violence")
    code = models.CharField(max_length=40, db_index=True)
    detail = models.TextField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.code}: {self.detail}" if self.detail else self.code


class ReportPerpetrator(_ReportItem):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="perpetrators")
    authority = models.ForeignKey(
        Stakeholder, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.TextField(null=True, blank=True)
    description = models.TextField(null=True, blank=True)

    def __str__(self) -> str:
        return " / ".join(str(part) for part in (self.authority, self.unit) if part) or "unidentified"


__all__ = [
    "EVIDENCE_KINDS",
    "Incident",
    "Report",
    "ReportExpeller",
    "ReportNationality",
    "ReportPerpetrator",
    "ReportViolence",
    "report_keys",
]
