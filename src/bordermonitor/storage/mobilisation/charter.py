"""The charter: versions of the commitments stakeholders sign, and the signatures, each writing the
stakeholder's ``charter_signed`` engagement event."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from bordermonitor.storage.mobilisation.checks import (
    Invalid,
    apply_changes,
    audit,
    checked_date,
    clean_text,
    required,
)
from bordermonitor.storage.mobilisation.engagement import event_details, follow, linked
from bordermonitor.storage.models import CharterSignature, CharterVersion, Stakeholder, User

__all__ = [
    "charter_versions",
    "create_charter_version",
    "current_charter",
    "remove_signature",
    "sign_charter",
    "update_charter_version",
]


def charter_versions() -> QuerySet[CharterVersion]:
    """Every version, latest first, with how many stakeholders signed each."""
    return CharterVersion.objects.annotate(n_signatures=Count("signatures")).order_by("-version")


def current_charter() -> CharterVersion | None:
    """The latest published version (a version without a publication date is a draft)."""
    return (
        CharterVersion.objects.filter(published_on__isnull=False, published_on__lte=timezone.localdate())
        .order_by("-version")
        .first()
    )


def _charter_record(charter: CharterVersion | None) -> str:
    if charter is None or charter.pk is None:
        return "new version of the charter"
    return f"version {charter.version} of the charter"


def _charter_values(record: str, *, title: str, text: str, published_on: dt.date | None) -> dict[str, Any]:
    return {
        "title": required(record, "title", title, 300),
        "text": required(record, "text", text, 100_000),
        "published_on": checked_date(record, "published_on", published_on),
    }


def create_charter_version(*, title: str, text: str, published_on: dt.date | None = None) -> CharterVersion:
    """The next version of the charter (numbered after the latest)."""
    values = _charter_values(_charter_record(None), title=title, text=text, published_on=published_on)
    with transaction.atomic():
        latest = CharterVersion.objects.aggregate(n=Max("version"))["n"] or 0
        charter = CharterVersion.objects.create(version=latest + 1, **values)
        audit("create", charter, f"charter v{charter.version}", {"published_on": _iso(charter.published_on)})
    return charter


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def update_charter_version(
    charter: CharterVersion, *, title: str, text: str, published_on: dt.date | None
) -> CharterVersion:
    """Correct a version. Once signed, its title, text and publication are what was signed: fixed."""
    record = _charter_record(charter)
    values = _charter_values(record, title=title, text=text, published_on=published_on)
    changed = apply_changes(charter, values)
    if changed and charter.signatures.exists():
        charter.refresh_from_db()
        raise Invalid(
            record,
            changed[0],
            _("Stakeholders signed this version: it stays as signed. Write a new version."),
        )
    if changed:
        with transaction.atomic():
            charter.updated_at = timezone.now()
            charter.save()
            details = {"changed": changed, "published_on": _iso(charter.published_on)}
            audit("update", charter, f"charter v{charter.version}", details)
    return charter


def sign_charter(
    charter: CharterVersion,
    *,
    stakeholder: Stakeholder,
    signed_on: dt.date,
    signed_by: str | None = None,
    notes: str | None = None,
    by: User | None = None,
) -> CharterSignature:
    """Record ``stakeholder``'s signature of ``charter``; writes the ``charter_signed`` event."""
    record = _charter_record(charter)
    if charter.published_on is None:
        raise Invalid(record, "charter", _("This version is a draft: publish it before it is signed."))
    day = checked_date(record, "signed_on", signed_on)
    if day is None:
        raise Invalid(record, "signed_on", _("This field is required."))
    if day < charter.published_on:
        raise Invalid(record, "signed_on", _("The date is before this version was published."))
    if charter.signatures.filter(stakeholder=stakeholder).exists():
        raise Invalid(record, "stakeholder", _("This stakeholder has signed this version already."))
    signed_by = clean_text(signed_by)
    if signed_by is not None and len(signed_by) > 200:
        raise Invalid(record, "signed_by", _("At most %(limit)d characters.") % {"limit": 200})
    with transaction.atomic():
        signature = CharterSignature.objects.create(
            charter=charter,
            stakeholder=stakeholder,
            signed_on=day,
            signed_by=signed_by,
            notes=clean_text(notes),
        )
        audit(
            "create", signature, stakeholder.code, {"charter": charter.version, "signed_on": day.isoformat()}
        )
        follow(stakeholder, None, day, stage="charter_signed", link={"signature": signature}, by=by, why="")
    return signature


def remove_signature(signature: CharterSignature, *, reason: str) -> None:
    """Remove a signature recorded by mistake, with its engagement event; the reason is kept in the audit log."""
    code = signature.stakeholder.code
    why = required(_charter_record(signature.charter), "reason", reason, 1000)
    with transaction.atomic():
        event = linked(signature, "signature")
        if event is not None:
            audit("delete", event, code, event_details(event, automatic=True, reason=why))
            event.delete()
        details = {
            "charter": signature.charter.version,
            "signed_on": signature.signed_on.isoformat(),
            "reason": why,
        }
        audit("delete", signature, code, details)
        signature.delete()
