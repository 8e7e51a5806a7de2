"""The append-only audit log. Every create, update and delete of a report or incident writes one event.

Rows carry no foreign keys, so deleting an account or a record never rewrites history; the database refuses
UPDATE and DELETE on this table (triggers in migration 0002), and the model refuses them too. The tamper-evident
hash chain is added on top of this shape later without changing it.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.db import models
from django.utils import timezone

ACTIONS = ("create", "update", "delete", "view", "download", "export", "share", "publish", "erase", "import")


class AuditQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("audit events are append-only")

    def delete(self) -> NoReturn:
        raise PermissionError("audit events are append-only")


class AuditEvent(models.Model):
    at = models.DateTimeField(default=timezone.now)  # ids are in time order; no index needed
    actor = models.CharField(max_length=100, help_text="'user:<id>', 'cli' or 'system'.")
    organisation = models.CharField(max_length=40, null=True, blank=True)
    action = models.CharField(max_length=20, choices=[(a, a) for a in ACTIONS])
    object_type = models.CharField(max_length=40)
    object_id = models.BigIntegerField(null=True, blank=True)
    object_ref = models.CharField(max_length=200, null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ("id",)
        indexes = (models.Index(fields=("object_type", "object_id")),)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor} {self.action} {self.object_type} {self.object_ref}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("audit events are append-only")
