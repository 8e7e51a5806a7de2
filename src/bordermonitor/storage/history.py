"""The history of one report as its reviewers read it: saved versions, workflow moves and audit events
(views, downloads, exports, evidence added) merged into one time-ordered list.

Who did it is shown by name only to people who work in the same organisation as that person; anyone else
reads "a member of <organisation>", so the network view of a report does not become a staff directory.
Only people who see the report in full or as the network does get its history (analysts do not): every
query here starts from :func:`~bordermonitor.storage.access.get_report`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from bordermonitor.core.diff import Change
from bordermonitor.storage.access import FULL, MEMBER_ROLES, NETWORK, Access, NotVisible, get_report
from bordermonitor.storage.models import AuditEvent, Membership, Report, ReportTransition, ReportVersion
from bordermonitor.storage.review import version_changes

__all__ = ["Actor", "Entry", "history_of", "report_history"]

Kind = Literal["version", "transition", "event"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Actor:
    """Who did something, as the reader may know it: ``name`` for a colleague, else ``organisation`` only;
    ``you`` for the reader; ``system`` for the command line or the application itself."""

    name: str | None = None
    organisation: str | None = None
    you: bool = False
    system: Literal["cli", "system", "api", "unknown"] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Entry:
    at: dt.datetime
    kind: Kind
    actor: Actor
    order: int = 0  # ties at the same instant: versions, then moves, then events, each by id
    version: int | None = None
    changed: list[str] = field(default_factory=list)
    changes: list[Change] | None = None  # None: the first kept version (nothing before it to compare)
    source: str | None = None
    target: str | None = None
    comment: str | None = None
    checklist: dict[str, bool] = field(default_factory=dict)
    action: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


def _user_id(actor: str) -> int | None:
    prefix, _, rest = actor.partition(":")
    return int(rest) if prefix == "user" and rest.isdigit() else None


class _Actors:
    """Resolves audit actors ('user:12', 'cli', 'system') for one reader, with one query for all."""

    def __init__(self, access: Access, report: Report, actors: set[str]) -> None:
        self.access, self.report = access, report
        ids = {uid for uid in map(_user_id, actors) if uid is not None}
        self.memberships: dict[int, list[Membership]] = {}
        for membership in (
            Membership.objects.filter(user_id__in=ids)
            .select_related("user", "organisation")
            .order_by("organisation__code", "role")
        ):
            self.memberships.setdefault(membership.user_id, []).append(membership)
        self.colleagues = set(access.member_orgs)

    def __call__(self, actor: str) -> Actor:
        uid = _user_id(actor)
        if uid is None:
            known = (
                actor if actor in ("cli", "system") else "api" if actor.startswith("token:") else "unknown"
            )
            return Actor(system=known)  # type: ignore[arg-type]
        if uid == self.access.user_id:
            return Actor(you=True)
        held = self.memberships.get(uid, [])
        if not held:
            return Actor(system="unknown")
        if any(m.organisation_id in self.colleagues and m.role in MEMBER_ROLES for m in held):
            user = held[0].user
            return Actor(name=user.display_name or user.email)
        here = [m for m in held if m.organisation_id == self.report.organisation_id]
        return Actor(organisation=(here or held)[0].organisation.name)


def _shown_event(event: AuditEvent) -> bool:
    """Creates and plain updates are the versions and moves already listed; everything else is shown."""
    if event.action not in ("create", "update"):
        return True
    details = event.details or {}
    return bool(details) and "transition" not in details


def report_history(*, access: Access, report: Report) -> list[Entry]:
    """The history of ``report``, oldest first, for a reader who sees it in full or as the network does."""
    view = access.view_of(report)
    if view not in (FULL, NETWORK):
        raise NotVisible(report.pk)
    versions = list(ReportVersion.objects.filter(report=report).order_by("version"))
    moves = list(ReportTransition.objects.filter(report=report).order_by("id"))
    events = [
        event
        for event in AuditEvent.objects.filter(
            object_type="report", object_id=report.pk, organisation=report.organisation.code
        ).order_by("id")
        if _shown_event(event)
    ]
    who = _Actors(
        access, report, {v.actor for v in versions} | {m.actor for m in moves} | {e.actor for e in events}
    )
    # The network reads the record as it is now: earlier values (a name a reviewer removed from the
    # narrative, say) stay with the organisation, so only which fields changed is shown to it.
    diffs = version_changes(report) if view == FULL else {}
    entries = [
        Entry(
            at=v.at,
            kind="version",
            order=0,
            actor=who(v.actor),
            version=v.version,
            changed=list(v.changed or []),
            changes=diffs.get(v.version),
        )
        for v in versions
    ]
    entries += [
        Entry(
            at=m.at,
            kind="transition",
            order=1,
            actor=who(m.actor),
            source=m.source,
            target=m.target,
            comment=m.comment,
            checklist=dict(m.checklist or {}),
        )
        for m in moves
    ]
    entries += [
        Entry(
            at=e.at, kind="event", order=2, actor=who(e.actor), action=e.action, details=dict(e.details or {})
        )
        for e in events
    ]
    return sorted(entries, key=lambda entry: (entry.at, entry.order))


def history_of(*, access: Access, pk: int | str) -> tuple[Report, list[Entry]]:
    """The report ``pk`` and its history; :class:`NotVisible` unless the reader sees it in full or as the
    network does (another organisation's report, or an analyst's pseudonymised one)."""
    report = get_report(access, pk)
    return report, report_history(access=access, report=report)
