"""Which reports a case export holds, and whether it may be made: the reference given, the person who asks,
the source's consent to legal use.

Nothing here writes anything: every refusal is raised before a file is read or a directory made."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bordermonitor.storage.access import REVIEWER_ROLES
from bordermonitor.storage.models import Incident, Membership, Organisation, Report, User

__all__ = [
    "CaseRefused",
    "Exporter",
    "NoConsent",
    "NotAllowedToExport",
    "Selection",
    "UnknownCase",
    "choose",
    "exporter",
]


class CaseRefused(Exception):
    """The export is not made; the message says why and what to do. Nothing was written."""


class UnknownCase(CaseRefused):
    pass


class NotAllowedToExport(CaseRefused):
    pass


class NoConsent(CaseRefused):
    """Reports whose source did not consent to legal use (or whose consent was not recorded), by reference."""

    def __init__(self, message: str, refused: Sequence[tuple[str, str]]) -> None:
        self.refused = tuple(refused)
        super().__init__(message)


def key_of(report: Report) -> str:
    """A report's reference across the network: ``ORG:REF``."""
    return f"{report.organisation.code}:{report.ref}"


@dataclass(frozen=True, slots=True)
class Exporter:
    """The person an export is made for: their account and roles, never their name."""

    user: User
    roles: dict[int, frozenset[str]]  # organisation id → roles held there
    site_admin: bool

    @property
    def actor(self) -> str:
        return f"user:{self.user.pk}"

    def may_export(self, report: Report) -> bool:
        return self.site_admin or bool(self.roles.get(report.organisation_id, frozenset()) & REVIEWER_ROLES)


def exporter(email: str) -> Exporter:
    """The active account of ``email`` with its roles; :class:`NotAllowedToExport` if there is none."""
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        raise NotAllowedToExport(
            f"no active account {email!r}: --by names the person who asks for the export"
        )
    roles: dict[int, set[str]] = {}
    for organisation_id, role in Membership.objects.filter(user=user).values_list("organisation_id", "role"):
        roles.setdefault(organisation_id, set()).add(role)
    return Exporter(
        user=user,
        roles={org: frozenset(held) for org, held in roles.items()},
        site_admin=bool(user.is_superuser),
    )


@dataclass(frozen=True, slots=True)
class Selection:
    """What was asked for (``identifier``: ``ORG:REF`` of a report or an incident's ref) and the reports the
    package holds; ``left_out`` are an incident's reports without consent to legal use, by reference and why."""

    identifier: str
    incident: Incident | None
    reports: tuple[Report, ...]
    left_out: tuple[tuple[str, str], ...] = ()


def _find(identifier: str, *, as_incident: bool) -> tuple[str, Incident | None, list[Report]]:
    """The reports ``identifier`` names: a report (``ORG:REF``, or a ref only one organisation uses) unless
    ``as_incident``; otherwise, or when no report has that reference, an incident's ref (all its reports)."""
    reports = Report.objects.select_related("organisation", "incident")
    text = identifier.strip()
    if not as_incident:
        code, colon, ref = text.partition(":")
        if colon:
            found = list(reports.filter(organisation__code=code.lower(), ref=ref))
            if found:
                return key_of(found[0]), None, found
        found = list(reports.filter(ref=text).order_by("organisation__code"))
        if len(found) > 1:
            raise UnknownCase(
                f"{text!r} is the reference of reports of several organisations "
                f"({', '.join(key_of(r) for r in found)}): give ORG:REF"
            )
        if found:
            return key_of(found[0]), None, found
    incident = Incident.objects.filter(ref=text).first()
    if incident is None:
        what = "no incident" if as_incident else "no report (ORG:REF or REF) and no incident"
        raise UnknownCase(f"{what} has the reference {text!r}")
    members = list(reports.filter(incident=incident).order_by("organisation__code", "ref"))
    if not members:
        raise UnknownCase(f"incident {text!r} has no reports")
    return incident.ref, incident, members


def _consent_problem(report: Report) -> str | None:
    if report.consent_legal_use is None:
        return "consent to legal use not recorded"
    if report.consent_legal_use is not True:
        return "consent to legal use not given"
    if report.erased_on is not None:
        return "its sealed values (testimony, names) were erased"
    return None


def choose(
    identifier: str, *, by: Exporter, as_incident: bool = False, only_consenting: bool = False
) -> Selection:
    """The reports to export for ``identifier``, checked: every one has its source's consent to legal use (an
    incident's others are left out only with ``only_consenting``) and ``by`` is a reviewer or admin of the
    organisation of each (or a site administrator). Raises a :class:`CaseRefused` naming what is wrong."""
    label, incident, found = _find(identifier, as_incident=as_incident)
    refused = [(key_of(r), why) for r in found if (why := _consent_problem(r)) is not None]
    chosen = [r for r in found if _consent_problem(r) is None]
    listed = "; ".join(f"{ref}: {why}" for ref, why in refused)
    if refused and (incident is None or not only_consenting):
        if incident is None:
            message = f"report {label} cannot be exported for legal use: {listed}"
        else:
            message = (
                f"incident {label}: {len(refused)} of its {len(found)} reports cannot be exported for legal use"
                f" ({listed}). Give --only-consenting to export the other {len(chosen)} without them"
            )
        raise NoConsent(message, refused)
    if not chosen:
        raise NoConsent(
            f"incident {label}: none of its reports can be exported for legal use ({listed})", refused
        )
    denied = [r for r in chosen if not by.may_export(r)]
    if denied:
        codes = sorted({r.organisation.code for r in denied})
        raise NotAllowedToExport(
            f"{by.user.email} may not export {', '.join(key_of(r) for r in denied)}: only a reviewer or "
            f"administrator of {', '.join(codes)} (or a site administrator) may export its reports for legal use"
        )
    return Selection(identifier=label, incident=incident, reports=tuple(chosen), left_out=tuple(refused))


def organisations(selection: Selection) -> list[Organisation]:
    """The organisations of the selected reports, by code."""
    seen = {r.organisation.pk: r.organisation for r in selection.reports}
    return sorted(seen.values(), key=lambda o: o.code)
