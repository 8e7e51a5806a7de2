"""Actors in a position to reduce violence; perpetrator authorities of incidents refer to them."""

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


class Stakeholder(models.Model):
    """A stakeholder by stable code (``HR-police``, ``frontex``); units point to their authority."""

    code = models.CharField(max_length=100, unique=True)
    name = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=20, choices=STAKEHOLDER_KINDS, default="unknown")
    country = models.CharField(max_length=2, null=True, blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="units")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("code",)

    def __str__(self) -> str:
        return self.name or self.code
