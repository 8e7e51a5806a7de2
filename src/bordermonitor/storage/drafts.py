"""Intake drafts: what a person typed in the report form, kept on the server as typed, so nothing is lost.

A draft is raw field name → value, never validated (it may hold half a date). It belongs to the person who
typed it and to one organisation they record for: only its author reads it back, and only while they still
record for that organisation. Before the report exists a draft is found by the form's ``token``; once the
first step is saved it is attached to the report, and a saved step removes the fields it stored.

What a draft holds is sealed (``ReportDraft.data``): with the report's record key once the report exists,
with a key of the draft's own before.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from bordermonitor.storage.access import Access, NotVisible
from bordermonitor.storage.keys import destroy_record_keys
from bordermonitor.storage.models import Organisation, Report, ReportDraft, ReportVersion, Stakeholder, User
from bordermonitor.storage.models.reports import report_keys

__all__ = [
    "MAX_FIELDS",
    "MAX_VALUE",
    "DraftRefused",
    "attach_draft",
    "clear_draft_fields",
    "draft_for_report",
    "draft_for_token",
    "last_saved_by",
    "save_draft",
    "stakeholder_codes",
    "unfinished_drafts",
    "writer_organisations",
]

MAX_FIELDS = 400  # more than every field of every step, rows included
MAX_VALUE = 200_000  # characters of one value (a long narrative fits)


class DraftRefused(ValueError):
    """The draft cannot be kept as sent (not field → value, too large); the message says why."""


def _clean(data: Mapping[str, Any]) -> dict[str, Any]:
    """Field → text or list of texts; anything else is refused rather than stored in an unknown shape."""
    if len(data) > MAX_FIELDS:
        raise DraftRefused(f"a draft holds at most {MAX_FIELDS} fields")
    out: dict[str, Any] = {}
    for name, value in data.items():
        if not isinstance(name, str) or len(name) > 100:
            raise DraftRefused("field names are short texts")
        values = value if isinstance(value, list) else [value]
        if len(values) > MAX_FIELDS or not all(isinstance(v, str) and len(v) <= MAX_VALUE for v in values):
            raise DraftRefused(f"field {name[:40]!r} is not text")
        out[name] = value
    return out


def _writable(access: Access, organisation_id: int) -> None:
    if organisation_id not in access.writer_orgs:
        raise NotVisible(organisation_id)


def draft_for_token(*, access: Access, user: User, token: uuid.UUID) -> ReportDraft | None:
    """The person's own draft of a report not yet created (None if there is none, or it is someone else's)."""
    draft = ReportDraft.objects.filter(token=token, user=user).first()
    if draft is None or draft.organisation_id not in access.writer_orgs:
        return None
    return draft


def draft_for_report(*, access: Access, user: User, report: Report) -> ReportDraft | None:
    """The person's own draft of edits to ``report`` (None if there is none)."""
    if report.organisation_id not in access.writer_orgs:
        return None
    return ReportDraft.objects.filter(report=report, user=user).first()


def save_draft(
    *,
    access: Access,
    user: User,
    data: Mapping[str, Any],
    step: str = "",
    organisation_id: int | None = None,
    token: uuid.UUID | None = None,
    report: Report | None = None,
) -> ReportDraft:
    """Merge ``data`` into the person's draft (of ``report``, or of the new report ``token``) and return it.

    Refused with :class:`NotVisible` when the person does not record for the organisation, or when the token
    is another person's draft (pages answer 404 either way)."""
    cleaned = _clean(data)
    now = timezone.now()
    with transaction.atomic():
        if report is not None:
            _writable(access, report.organisation_id)
            draft = ReportDraft.objects.select_for_update().filter(report=report, user=user).first()
            if draft is None:
                draft = ReportDraft(
                    token=uuid.uuid4(), organisation_id=report.organisation_id, user=user, report=report
                )
        else:
            if token is None or organisation_id is None:
                raise DraftRefused("a draft of a new report needs its token and organisation")
            _writable(access, organisation_id)
            draft = ReportDraft.objects.select_for_update().filter(token=token).first()
            if draft is None:
                draft = ReportDraft(token=token, organisation_id=organisation_id, user=user)
            elif draft.user_id != user.pk or draft.organisation_id != organisation_id:
                raise NotVisible(token)
        draft.data = {**(draft.data or {}), **cleaned}
        draft.step = step[:40]
        draft.updated_at = now
        draft.save()
    return draft


def attach_draft(*, user: User, token: uuid.UUID, report: Report) -> None:
    """The report of the draft ``token`` now exists: later autosaves of its steps go to the same draft.

    The draft is sealed again with the report's record key (erasing the report erases it too), and the key
    it had on its own is destroyed."""
    existing = ReportDraft.objects.filter(report=report, user=user).exclude(token=token).first()
    draft = ReportDraft.objects.filter(token=token, user=user).first()
    if draft is None:
        return
    own_key = draft.record_key_id
    if existing is not None:  # a draft for this report already exists (a second device): merge into it
        existing.data = {**(existing.data or {}), **(draft.data or {})}
        existing.updated_at = max(existing.updated_at, draft.updated_at)
        existing.save()
        draft.delete()
    else:
        data = draft.data  # opened with the draft's own key
        draft.report = report
        draft.record_key_id = report_keys({report.pk})[report.pk]
        draft.data = data
        draft.save(update_fields=["report", "record_key", "data"])
        if report.record_key_id is None:
            report.record_key_id = draft.record_key_id
        if own_key == draft.record_key_id:
            return
    if own_key is not None:
        destroy_record_keys([own_key])


def clear_draft_fields(*, user: User, report: Report, names: Iterable[str]) -> None:
    """Forget the fields a step save stored (they are in the report now); the draft goes when empty."""
    draft = ReportDraft.objects.filter(report=report, user=user).first()
    if draft is None:
        return
    gone = set(names)
    left = {name: value for name, value in (draft.data or {}).items() if name not in gone}
    if not left:
        draft.delete()
    elif left != draft.data:
        draft.data = left
        draft.save(update_fields=["data"])


def stakeholder_codes(limit: int = 500) -> list[str]:
    """Known stakeholder codes, offered as suggestions for a perpetrator's authority."""
    return list(Stakeholder.objects.order_by("code").values_list("code", flat=True)[:limit])


def writer_organisations(access: Access) -> list[Organisation]:
    """The organisations the person records reports for, by name."""
    return list(Organisation.objects.filter(pk__in=access.writer_orgs).order_by("name"))


def unfinished_drafts(*, access: Access, user: User) -> list[ReportDraft]:
    """The person's drafts of reports never saved (the first step was not saved yet), newest first."""
    return list(
        ReportDraft.objects.filter(user=user, report__isnull=True, organisation_id__in=access.writer_orgs)
        .select_related("organisation")
        .order_by("-updated_at")[:20]
    )


def last_saved_by(report: Report) -> str | None:
    """The audit actor (``user:<id>``) of the report's latest saved version: a draft left by that same
    person holds only input they have not saved yet, so it is restored however old it is."""
    return (
        ReportVersion.objects.filter(report=report)
        .order_by("-version")
        .values_list("actor", flat=True)
        .first()
    )
