"""Actors in a position to reduce violence; perpetrator authorities of incidents refer to them (METHODOLOGY §1).

Around each stakeholder the network keeps its mobilisation log (METHODOLOGY §6): dated engagement events,
action plans with the situations they target and their measures, and the signatures of the charter. This is
network-wide data, not owned by an organisation (no scoped manager): only coordinators and site administrators
reach it, through ``bordermonitor.storage.stakeholders``, which writes the audit events and the engagement
events that adopting a plan, implementing a measure or signing the charter imply.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

STAKEHOLDER_KINDS = (
    ("authority", _("State authority")),
    ("unit", _("Unit of an authority")),
    ("municipality", _("Municipality")),
    ("agency", _("Agency")),
    ("company", _("Company")),
    ("organisation", _("Organisation")),
    ("unknown", _("Not yet described")),
)

ENGAGEMENT_STAGES = (
    ("contacted", _("Contacted")),
    ("meeting", _("Meeting")),
    ("acknowledged", _("Acknowledged")),
    ("charter_signed", _("Charter signed")),
    ("action_plan_adopted", _("Action plan adopted")),
    ("measure_implemented", _("Measure implemented")),
    ("refused", _("Refused")),
)
"""The stages of engagement, in order (``refused`` is a stage too: the latest event decides)."""

PLAN_STATUSES = (
    ("proposed", _("Proposed")),
    ("adopted", _("Adopted")),
    ("closed", _("Closed")),
    ("abandoned", _("Abandoned")),
)

MEASURE_STATUSES = (
    ("planned", _("Planned")),
    ("in_progress", _("In progress")),
    ("implemented", _("Implemented")),
    ("abandoned", _("Abandoned")),
)


class Stakeholder(models.Model):
    """A stakeholder by stable code (``HR-police``, ``frontex``); units point to their authority."""

    code = models.CharField(max_length=100, unique=True)
    name = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=20, choices=STAKEHOLDER_KINDS, default="unknown")
    country = models.CharField(max_length=2, null=True, blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="units")
    description = models.TextField(
        null=True, blank=True, help_text="Its mandate: what it is responsible for and can act on."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("code",)

    def __str__(self) -> str:
        return self.name or self.code


class ActionPlan(models.Model):
    """A stakeholder's plan to reduce violence in the situations it targets, with its measures."""

    stakeholder = models.ForeignKey(Stakeholder, on_delete=models.PROTECT, related_name="action_plans")
    title = models.CharField(max_length=300)
    status = models.CharField(max_length=20, choices=PLAN_STATUSES, default="proposed")
    adopted_on = models.DateField(null=True, blank=True)
    notes = models.TextField(null=True, blank=True)
    created_by = models.ForeignKey(
        "storage.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("stakeholder_id", "-adopted_on", "id")

    def __str__(self) -> str:
        return self.title


class ActionPlanTarget(models.Model):
    """One situation a plan addresses: a border area (free code) and a violence type; empty is any."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="targets")
    area = models.CharField(max_length=100, null=True, blank=True)
    violence = models.CharField(max_length=40, null=True, blank=True)

    class Meta:
        ordering = ("plan_id", "id")

    def __str__(self) -> str:
        return f"{self.area or '*'} / {self.violence or '*'}"


class ActionPlanMeasure(models.Model):
    """A measure of a plan: what is to be done, who is responsible, by when, and how far it got."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="measures")
    description = models.TextField()
    owner = models.CharField(max_length=200, null=True, blank=True, help_text="Who is responsible.")
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=MEASURE_STATUSES, default="planned")
    implemented_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("plan_id", "id")

    def __str__(self) -> str:
        return self.description[:80]


class CharterVersion(models.Model):
    """A version of the network's charter: the commitments a stakeholder signs."""

    version = models.PositiveIntegerField(unique=True)
    title = models.CharField(max_length=300)
    text = models.TextField()
    published_on = models.DateField(null=True, blank=True, help_text="Empty while it is a draft.")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-version",)

    def __str__(self) -> str:
        return f"{self.version}. {self.title}"


class CharterSignature(models.Model):
    """A stakeholder's signature of one version of the charter."""

    charter = models.ForeignKey(CharterVersion, on_delete=models.PROTECT, related_name="signatures")
    stakeholder = models.ForeignKey(Stakeholder, on_delete=models.PROTECT, related_name="signatures")
    signed_on = models.DateField()
    signed_by = models.CharField(
        max_length=200, null=True, blank=True, help_text="The office or post that signed."
    )
    notes = models.TextField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("charter_id", "signed_on", "id")
        constraints = (
            models.UniqueConstraint(fields=("charter", "stakeholder"), name="charter_signed_once"),
        )

    def __str__(self) -> str:
        return f"{self.stakeholder_id} signed {self.charter_id} on {self.signed_on}"


class EngagementEvent(models.Model):
    """A dated step of a stakeholder's engagement. Events written by adopting a plan, implementing a measure or
    signing the charter point to what wrote them, and follow it (its date, its removal)."""

    stakeholder = models.ForeignKey(Stakeholder, on_delete=models.PROTECT, related_name="engagement")
    stage = models.CharField(max_length=30, choices=ENGAGEMENT_STAGES)
    on = models.DateField()
    notes = models.TextField(null=True, blank=True)
    plan = models.OneToOneField(
        ActionPlan, null=True, blank=True, on_delete=models.PROTECT, related_name="adoption_event"
    )
    measure = models.OneToOneField(
        ActionPlanMeasure,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="implementation_event",
    )
    signature = models.OneToOneField(
        CharterSignature, null=True, blank=True, on_delete=models.PROTECT, related_name="event"
    )
    recorded_by = models.ForeignKey(
        "storage.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("stakeholder_id", "on", "id")
        indexes = (models.Index(fields=("stakeholder", "on")),)

    def __str__(self) -> str:
        return f"{self.on} {self.stage}"

    @property
    def automatic(self) -> bool:
        """Written by a plan, a measure or a signature: corrected there, not in the log."""
        return bool(self.plan_id or self.measure_id or self.signature_id)
