"""The staff side of publication (METHODOLOGY §7): a report's reviewed public version, the names to keep out
of it, and the evidence files chosen for the open data.

- The public title and narrative are a reviewer's text. :func:`proposed_public_version` pre-fills it with the
  automatic redaction (``core.anonymise``); :func:`approve_public_version` stores it only when
  ``leftover_identifiers`` finds nothing in it, so no edit after redaction can bring a name back.
- An approval covers the texts and the known names as they were when approved. Any later save of the title,
  narrative, known names or public texts makes it stale (:func:`approval_is_stale`);
  :func:`withdraw_stale_approval` withdraws it, and the publication pipeline only publishes an approved text.
- Publishing a file means publishing its *public copy*: the metadata-stripped working copy, the same bytes,
  recorded as a ``public`` derivative with its parent's digest. A file without a working copy (video, HEIC,
  office documents) cannot be published.

Only reviewers and admins of the report's organisation change any of this (:class:`NotAllowed` otherwise);
every change keeps a report version where the record changes, and writes an audit event without personal data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from bordermonitor.core.anonymise import Redaction, Span, leftover_identifiers, redact
from bordermonitor.storage.access import FULL, NETWORK, REVIEWER_ROLES, Access, NotVisible, View, get_report
from bordermonitor.storage.audit import current_actor, record
from bordermonitor.storage.editing import NotAllowed
from bordermonitor.storage.evidence import derivative_intact
from bordermonitor.storage.models import Evidence, EvidenceDerivative, Report, ReportVersion, User
from bordermonitor.storage.repositories.reports import record_of

__all__ = [
    "MAX_TEXT",
    "REVIEWED_PATHS",
    "IdentifiersLeft",
    "NoPublicCopy",
    "NothingToApprove",
    "PublicEvidence",
    "PublicVersion",
    "approval_is_stale",
    "approve_public_version",
    "clean_names",
    "missing_for_publication",
    "proposed_public_version",
    "public_version_for",
    "set_evidence_publication",
    "set_known_names",
    "withdraw_public_version",
    "withdraw_stale_approval",
    "withdraw_stale_approvals",
]

MAX_TEXT = 100_000
REVIEWED_PATHS = ("title", "narrative.text", "known_names", "public.title", "public.narrative")
"""Record paths an approval covers: a later save of any of them makes the approval stale."""
_PUBLIC_COPY = (
    "the working copy, unchanged: its metadata was stripped when it was made; chosen for publication"
)


class IdentifiersLeft(ValueError):
    """The public text still contains identifiers; nothing was saved. ``found`` maps the field (``title``,
    ``narrative``) to the spans found, for the page to name them; the message itself names kinds only."""

    def __init__(self, found: Mapping[str, tuple[Span, ...]]) -> None:
        self.found = dict(found)
        kinds = ", ".join(sorted({span.kind for spans in self.found.values() for span in spans}))
        super().__init__(f"the public {' and '.join(self.found)} still contain identifiers ({kinds})")


class NothingToApprove(ValueError):
    """Both public texts are empty: there is nothing to approve."""


class NoPublicCopy(ValueError):
    """The file has no metadata-stripped copy, so it cannot be published (its original never is)."""


# --- who may ----------------------------------------------------------------------------------------------


def _require_reviewer(user: User, report: Report) -> None:
    if not user.is_active or not user.roles_in(report.organisation) & REVIEWER_ROLES:
        raise NotAllowed("only reviewers of the report's organisation decide what of it is published")


# --- texts ------------------------------------------------------------------------------------------------


def _text(value: str | None) -> str | None:
    """A text as typed in a page: line endings made one, surrounding space dropped, empty → None."""
    if value is None:
        return None
    value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    return value or None


def clean_names(names: Iterable[str]) -> list[str]:
    """Names as the record keeps them (``ReportRecord.known_names``): trimmed, empties dropped, in order."""
    return [name.strip() for name in names if name and name.strip()]


def proposed_public_version(report: Report) -> tuple[Redaction, Redaction]:
    """The public title and narrative to start from, redacted: the saved public texts when there are any
    (redacting them again changes nothing unless a name was added since), else the record's own title and
    narrative. Spans are positions in the text that was redacted."""
    names = list(report.known_names or ())
    saved = report.public_title is not None or report.public_narrative is not None
    title = report.public_title if saved else report.title
    narrative = report.public_narrative if saved else report.narrative_text
    return redact(title or "", known_names=names), redact(narrative or "", known_names=names)


def _leftovers(report: Report, title: str | None, narrative: str | None) -> dict[str, tuple[Span, ...]]:
    names = list(report.known_names or ())
    found = {}
    for field, text in (("title", title), ("narrative", narrative)):
        spans = leftover_identifiers(text, known_names=names) if text else ()
        if spans:
            found[field] = spans
    return found


# --- saving -----------------------------------------------------------------------------------------------


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update().select_related("organisation", "incident").get(pk=report.pk)


def _save(current: Report, fields: dict[str, Any], changed: list[str], *, now: dt.datetime) -> Report:
    """Write ``fields`` of the locked ``current``; when the record changes (``changed`` paths), a new version
    is saved at ``now`` like any edit, so history, "changed since you looked" and optimistic locking see it."""
    if changed:
        if not ReportVersion.objects.filter(report=current, version=current.version).exists():
            # imported reports have no version yet: keep the state this change starts from
            ReportVersion.objects.create(
                report=current,
                version=current.version,
                record=record_of(current),
                changed=[],
                actor="system",
                at=current.updated_at,
            )
        fields = {**fields, "version": F("version") + 1, "updated_at": now}
    Report.objects.filter(pk=current.pk).update(**fields)
    saved = Report.objects.select_related("organisation", "incident").get(pk=current.pk)
    if changed:
        ReportVersion.objects.create(
            report=saved,
            version=saved.version,
            record=record_of(saved),
            changed=changed,
            actor=current_actor(),
            at=now,
        )
    return saved


def approve_public_version(*, report: Report, user: User, title: str | None, narrative: str | None) -> Report:
    """Store ``title`` and ``narrative`` as the report's public version, approved by ``user`` now.

    Refused with :class:`IdentifiersLeft` (nothing saved) while ``leftover_identifiers`` finds anything in
    either text, checked against the names the record knows at this moment; with :class:`NothingToApprove`
    when both are empty; with :class:`NotAllowed` unless ``user`` reviews for the report's organisation.
    """
    _require_reviewer(user, report)
    title, narrative = _text(title), _text(narrative)
    if title is None and narrative is None:
        raise NothingToApprove("write a public title or narrative before approving it")
    with transaction.atomic():
        current = _locked(report)
        found = _leftovers(current, title, narrative)
        if found:
            raise IdentifiersLeft(found)
        changed = [
            path
            for path, before, after in (
                ("public.title", current.public_title, title),
                ("public.narrative", current.public_narrative, narrative),
            )
            if before != after
        ]
        now = timezone.now()  # the approval's own version is saved at the same instant: not "after" it
        fields = {
            "public_title": title,
            "public_narrative": narrative,
            "public_approved_at": now,
            "public_approved_by": user,
        }
        saved = _save(current, fields, changed, now=now)
        record("update", saved, details={"public_version": "approved", "version": saved.version})
    return saved


def _withdraw(report: Report, *, reason: str) -> Report:
    Report.objects.filter(pk=report.pk).update(public_approved_at=None, public_approved_by=None)
    report.public_approved_at, report.public_approved_by = None, None
    record("update", report, details={"public_version": "withdrawn", "reason": reason})
    return report


def withdraw_public_version(*, report: Report, user: User) -> Report:
    """Withdraw the approval of the public version (its texts stay, to be edited and approved again)."""
    _require_reviewer(user, report)
    with transaction.atomic():
        current = _locked(report)
        if current.public_approved_at is None:
            return current
        return _withdraw(current, reason="withdrawn by a reviewer")


def set_known_names(*, report: Report, user: User, names: Iterable[str]) -> Report:
    """Replace the names the record knows (never published; every public text is redacted of them). A change
    withdraws an approval: the approved texts were checked against the names as they were."""
    _require_reviewer(user, report)
    wanted = clean_names(names)
    with transaction.atomic():
        current = _locked(report)
        if wanted == list(current.known_names or ()):
            return current
        saved = _save(current, {"known_names": wanted}, ["known_names"], now=timezone.now())
        record("update", saved, details={"known_names": len(wanted)})
        withdraw_stale_approval(report=saved)
    return saved


# --- stale approvals --------------------------------------------------------------------------------------


def _reviewed(path: str) -> bool:
    return any(path == p or path.startswith((p + ".", p + "[")) for p in REVIEWED_PATHS)


def approval_is_stale(report: Report) -> bool:
    """Whether a version saved after the approval changed what the approval covers."""
    if report.public_approved_at is None:
        return False
    saved = ReportVersion.objects.filter(report_id=report.pk, at__gt=report.public_approved_at)
    return any(
        _reviewed(path) for changed in saved.values_list("changed", flat=True) for path in changed or ()
    )


def withdraw_stale_approval(*, report: Report) -> bool:
    """Withdraw the approval of ``report``'s public version if it is stale; whether it was.

    Called by every path that saves a new version of a report (editing, this module), in the same
    transaction, so an edited narrative is never published in a version approved before the edit."""
    if not approval_is_stale(report):
        return False
    _withdraw(report, reason="the reviewed texts or names changed after approval")
    return True


def withdraw_stale_approvals() -> int:
    """Withdraw every stale approval in the current scope (before a publication); how many there were."""
    versions = ReportVersion.objects.filter(
        report__public_approved_at__isnull=False, at__gt=F("report__public_approved_at")
    ).values_list("report_id", "changed")
    stale = sorted({pk for pk, changed in versions if any(_reviewed(path) for path in changed or ())})
    for report in Report.objects.select_related("organisation").filter(pk__in=stale):
        with transaction.atomic():
            _withdraw(report, reason="the reviewed texts or names changed after approval")
    return len(stale)


# --- evidence ---------------------------------------------------------------------------------------------


def set_evidence_publication(*, evidence: Evidence, user: User, publish: bool) -> Evidence:
    """Choose (or stop choosing) ``evidence`` for the open data.

    Choosing it records its public copy: the working copy's bytes, checked against their digest, as a
    ``public`` derivative whose parent is the working copy. Refused with :class:`NoPublicCopy` when the file has
    no working copy (or its file is missing): its metadata could not be removed, and originals are never
    published.
    """
    report = evidence.report
    _require_reviewer(user, report)
    with transaction.atomic():
        current = Evidence.objects.select_for_update().get(pk=evidence.pk)
        public = EvidenceDerivative.objects.filter(evidence=current, role="public")
        if publish:
            working = EvidenceDerivative.objects.filter(evidence=current, role="working").first()
            if working is None or not derivative_intact(working):  # checked whole; a failure is audited
                raise NoPublicCopy(
                    "this file has no copy with its metadata removed, so it cannot be published"
                )
            public.delete()
            EvidenceDerivative.objects.create(
                evidence=current,
                role="public",
                sha256=working.sha256,
                parent_sha256=working.sha256,
                media_type=working.media_type,
                size=working.size,
                blob=working.blob,  # the working copy's encrypted file: the same bytes
                key_header=working.key_header,
                key_version=working.key_version,
                tool=working.tool,
                transformation=_PUBLIC_COPY,
            )
        else:
            public.delete()
        if current.publish != publish:
            Evidence.objects.filter(pk=current.pk).update(publish=publish)
            current.publish = publish
            record("update", report, details={"evidence": current.sha256, "publish": publish})
    current.report = report
    return current


# --- reading ----------------------------------------------------------------------------------------------


def missing_for_publication(report: Report) -> list[str]:
    """What keeps the report out of the open data, as codes: ``consent`` (the source did not consent to
    publication), ``status`` (not approved for publication), ``sharing`` (its organisation does not share
    with the network)."""
    missing = []
    if report.consent_publish is not True:
        missing.append("consent")
    if report.status != "approved_for_publication":
        missing.append("status")
    if not report.organisation.shares_with_network:
        missing.append("sharing")
    return missing


@dataclass(frozen=True, slots=True)
class PublicEvidence:
    """One evidence file as the public version page shows it."""

    evidence: Evidence
    working: EvidenceDerivative | None
    thumbnail: EvidenceDerivative | None
    public: EvidenceDerivative | None

    @property
    def is_image(self) -> bool:
        return (self.evidence.media_type or "").startswith("image/")

    @property
    def publishable(self) -> bool:
        return self.working is not None


@dataclass(frozen=True, slots=True)
class PublicVersion:
    """The public version of a report for one reader."""

    report: Report
    view: View
    can_decide: bool  # reviewer or admin of the report's organisation
    stale: bool
    missing: tuple[str, ...]
    evidence: tuple[PublicEvidence, ...]

    @property
    def approved(self) -> bool:
        return self.report.public_approved_at is not None and not self.stale

    @property
    def shows_names(self) -> bool:
        """The names the source gave stay with the organisation: the network's view does not list them."""
        return self.view == FULL


def _evidence_items(report: Report) -> tuple[PublicEvidence, ...]:
    rows = Evidence.objects.filter(report=report).prefetch_related("derivatives").order_by("position", "pk")
    items = []
    for evidence in rows:
        by_role = {d.role: d for d in evidence.derivatives.all()}
        items.append(
            PublicEvidence(
                evidence=evidence,
                working=by_role.get("working"),
                thumbnail=by_role.get("thumbnail"),
                public=by_role.get("public") if evidence.publish else None,
            )
        )
    return tuple(items)


def public_version_for(access: Access, pk: int | str) -> PublicVersion:
    """The public version of report ``pk`` for ``access``: members of its organisation and coordinators who
    see it as the network does; :class:`NotVisible` for anyone else (analysts included)."""
    report = get_report(access, pk)
    view = access.view_of(report)
    if view not in (FULL, NETWORK):
        raise NotVisible(pk)
    return PublicVersion(
        report=report,
        view=view,
        can_decide=bool(access.roles_in(report.organisation_id) & REVIEWER_ROLES),
        stale=approval_is_stale(report),
        missing=tuple(missing_for_publication(report)),
        evidence=_evidence_items(report),
    )
