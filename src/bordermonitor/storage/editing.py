"""Creating and editing one report from the pages or the API: through core validation, with versions kept,
optimistic locking, and a repeated submission recognised instead of saved twice.

Every save writes the report in interchange shape to :class:`ReportVersion` (what changed, by whom, when),
so history shows edited fields and a reviewer sees what changed since their last look. A save based on an
older version than the stored one is refused with :class:`EditConflict`, which lists what the other person
changed — unless what is being saved is exactly what is stored (the same form sent twice).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from bordermonitor.core.diff import Change, changed_paths, diff
from bordermonitor.core.records import ReportRecord, Source
from bordermonitor.storage.access import Access
from bordermonitor.storage.audit import current_actor
from bordermonitor.storage.models import Organisation, Report, ReportSeen, ReportVersion, User
from bordermonitor.storage.repositories.mapping import EvidenceFile, prepare
from bordermonitor.storage.repositories.reports import record_of, save_reports

__all__ = [
    "EditConflict",
    "NotAllowed",
    "RefTaken",
    "changes_between",
    "changes_since",
    "create_report",
    "mark_seen",
    "next_ref",
    "update_report",
]


class NotAllowed(PermissionError):
    """The person may see the report but not do this to it; the message says why."""


class RefTaken(ValueError):
    """Another report of the organisation has this reference; nothing was saved."""

    def __init__(self, ref: str) -> None:
        self.ref = ref
        super().__init__(f"a report with the reference {ref!r} exists already")


class EditConflict(Exception):
    """Someone saved the report since the version this edit started from; nothing was saved."""

    def __init__(self, report: Report, expected: int, changes: list[Change]) -> None:
        self.report, self.expected, self.changes = report, expected, changes
        fields = ", ".join(change.path for change in changes) or "its record"
        super().__init__(
            f"report {report.ref!r} was changed by someone else (version {expected} → {report.version}): "
            f"{fields}. Reload it, then make your change again."
        )


def next_ref(organisation: Organisation, *, year: int | None = None) -> str:
    """A fresh reference for a report recorded in the pages: ``<organisation>-<year>-<number>``."""
    year = year or timezone.now().year
    prefix = f"{organisation.code}-{year}-"
    taken = Report.objects.filter(organisation=organisation, ref__startswith=prefix).values_list(
        "ref", flat=True
    )
    numbers = [int(ref[len(prefix) :]) for ref in taken if ref[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def _snapshot(report: Report, *, changed: list[str]) -> dict[str, Any]:
    record = record_of(report)
    ReportVersion.objects.create(
        report=report, version=report.version, record=record, changed=changed, actor=current_actor()
    )
    return record


def _save(record: ReportRecord, organisation: Organisation) -> Report:
    prepared = prepare(record, [EvidenceFile(size=None, stored=False) for _ in record.evidence])
    save_reports([prepared], organisations={organisation.code: organisation}, add_evidence=False)
    return Report.objects.select_related("organisation", "incident").get(
        organisation=organisation, ref=record.ref
    )


def create_report(
    *,
    access: Access,
    user: User,
    record: ReportRecord,
    intake_token: uuid.UUID | None = None,
    fresh_ref: bool = False,
) -> tuple[Report, bool]:
    """Store a new report from ``record`` (validated by core) for the organisation it names.

    Returns the report and whether it was created: a second submission with the same ``intake_token`` returns
    the first report instead of a copy. A reference already taken is refused (:class:`RefTaken`) — never
    replaced — unless ``fresh_ref``, when the next free reference of the organisation is given instead (two
    people starting a report at the same moment both get one). Refused (:class:`NotAllowed`) unless the
    person records reports for that organisation.
    """
    organisation = Organisation.objects.filter(code=record.organisation).first()
    if organisation is None or organisation.pk not in access.writer_orgs:
        raise NotAllowed(f"you do not record reports for organisation {record.organisation!r}")
    if record.evidence:
        record = record.model_copy(update={"evidence": []})  # evidence is uploaded on its own
    for attempt in range(3):
        try:
            with transaction.atomic():
                if intake_token is not None:
                    earlier = Report.objects.filter(intake_token=intake_token)
                    found = earlier.select_related("organisation", "incident").first()
                    if found is not None:
                        return found, False
                if Report.objects.filter(organisation=organisation, ref=record.ref).exists():
                    if not fresh_ref:
                        raise RefTaken(record.ref)
                    record = record.model_copy(update={"ref": next_ref(organisation)})
                report = _save(record, organisation)
                Report.objects.filter(pk=report.pk).update(created_by=user, intake_token=intake_token)
                report.created_by, report.intake_token = user, intake_token
                _snapshot(report, changed=[])
                return report, True
        except IntegrityError:  # another transaction took the reference or the token meanwhile
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def update_report(*, access: Access, report: Report, record: ReportRecord, expected_version: int) -> Report:
    """Replace the content of ``report`` by ``record``, if ``expected_version`` is still the stored one.

    The report keeps its reference, organisation, incident, status, evidence and source provenance (the
    original row, the values that could not be read): those change through their own actions (the
    workflow, cross-checking, uploads), never through an edit.
    """
    if not access.can_edit(report):
        raise NotAllowed(f"report {report.ref!r} cannot be edited by you while it is {report.status}")
    with transaction.atomic():
        current = (
            Report.objects.select_for_update().select_related("organisation", "incident").get(pk=report.pk)
        )
        stored = record_of(current)
        # Where the report came from is kept as it was received: an edit never drops the source's original
        # row or the values that could not be read (and so never clears the flag they raise).
        source = Source.model_validate(
            {
                **record.source.model_dump(mode="json"),
                "original": stored["source"]["original"],
                "unparsed": stored["source"]["unparsed"],
            }
        )
        incoming = record.model_copy(
            update={
                "ref": current.ref,
                "organisation": current.organisation.code,
                "status": current.status,
                "incident": record.incident.model_copy(update={"ref": current.incident.ref}),
                "source": source,
            }
        )
        wanted = {**incoming.model_dump(mode="json"), "evidence": stored["evidence"]}
        changed = changed_paths(stored, wanted)
        if not changed:
            return current  # nothing to save: the same form sent twice, or an unchanged step
        if current.version != expected_version:
            raise EditConflict(current, expected_version, changes_between(current, expected_version))
        if not ReportVersion.objects.filter(report=current, version=current.version).exists():
            # imported reports have no saved version yet: keep the state this edit starts from, so the
            # history shows what the edit changed
            ReportVersion.objects.create(
                report=current, version=current.version, record=stored, changed=[], actor="system"
            )
        saved = _save(incoming, current.organisation)
        _snapshot(saved, changed=changed)
        # an approved public version no longer matches what was reviewed once the texts it came from change
        from bordermonitor.storage.publication import withdraw_stale_approval  # an import cycle otherwise

        withdraw_stale_approval(report=saved)
    return saved


def changes_between(report: Report, version: int) -> list[Change]:
    """What changed in ``report`` since ``version`` (empty when that version was not kept)."""
    then = (
        ReportVersion.objects.filter(report=report, version=version).values_list("record", flat=True).first()
    )
    if then is None:
        return []
    return diff(then, record_of(report))


def changes_since(*, user: User, report: Report) -> tuple[int | None, list[Change]]:
    """The version ``user`` last looked at and what changed since (None: they never looked)."""
    seen = ReportSeen.objects.filter(user=user, report=report).values_list("version", flat=True).first()
    if seen is None or seen == report.version:
        return seen, []
    return seen, changes_between(report, seen)


def mark_seen(*, user: User, report: Report) -> None:
    ReportSeen.objects.update_or_create(
        user=user, report=report, defaults={"version": report.version, "at": timezone.now()}
    )
