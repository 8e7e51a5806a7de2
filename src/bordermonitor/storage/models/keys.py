"""Keys (SECURITY goals 1, 2 and 11). Every secret here is stored wrapped: the organisations' keys by the
master key (a file outside the database), record keys by their organisation's data key. ``storage.keys``
creates, unwraps, rotates and destroys them; nothing else reads these rows."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from bordermonitor.storage.models.accounts import Organisation


class OrganisationKey(models.Model):
    """One version of an organisation's keys: a data key (opens its record keys and working copies) and an
    evidence identity (an age X25519 key pair: originals are encrypted to its public half)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="keys")
    version = models.PositiveIntegerField()
    data_key = models.BinaryField(help_text="The data key, wrapped by the master key.")
    evidence_recipient = models.CharField(
        max_length=100, help_text="Public half (age1…): originals go to it."
    )
    evidence_identity = models.BinaryField(
        null=True, help_text="Private half wrapped by the master key; null: held offline by the organisation."
    )
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when a newer version replaced it."
    )

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("organisation", "version"), name="organisation_key_version"),
        )

    def __str__(self) -> str:
        return f"keys v{self.version} of organisation {self.organisation_id}"


class RecordKey(models.Model):
    """The key of one record's sensitive values. Destroying it (``wrapped`` set to null) erases them."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    key_version = models.PositiveIntegerField(help_text="The organisation key version that wraps it.")
    wrapped = models.BinaryField(null=True)
    created_at = models.DateTimeField(default=timezone.now)
    destroyed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"record key {self.pk}"
