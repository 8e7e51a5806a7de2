"""Models of METHODOLOGY §1–§4. Organisation-owned models use scoped managers (``django-scopes``): a query
outside ``scope(organisation=…)`` or ``scopes_disabled()`` raises instead of returning every organisation's data."""

from bordermonitor.storage.models.accounts import ROLES, Membership, Organisation, User
from bordermonitor.storage.models.audit import AuditEvent
from bordermonitor.storage.models.editing import ApiToken, ReportDraft, ReportSeen, ReportVersion
from bordermonitor.storage.models.evidence import Evidence, EvidenceDerivative
from bordermonitor.storage.models.keys import OrganisationKey, RecordKey
from bordermonitor.storage.models.linkage import IncidentMerge, LinkCandidate
from bordermonitor.storage.models.reports import (
    Incident,
    Report,
    ReportExpeller,
    ReportNationality,
    ReportPerpetrator,
    ReportViolence,
)
from bordermonitor.storage.models.retention import Erasure, RetentionRule
from bordermonitor.storage.models.stakeholders import (
    ActionPlan,
    ActionPlanMeasure,
    ActionPlanTarget,
    CharterSignature,
    CharterVersion,
    EngagementEvent,
    Stakeholder,
)
from bordermonitor.storage.models.workflow import ReportTransition

__all__ = [
    "ROLES",
    "ActionPlan",
    "ActionPlanMeasure",
    "ActionPlanTarget",
    "ApiToken",
    "AuditEvent",
    "CharterSignature",
    "CharterVersion",
    "EngagementEvent",
    "Erasure",
    "Evidence",
    "EvidenceDerivative",
    "Incident",
    "IncidentMerge",
    "LinkCandidate",
    "Membership",
    "Organisation",
    "OrganisationKey",
    "RecordKey",
    "Report",
    "ReportDraft",
    "ReportExpeller",
    "ReportNationality",
    "ReportPerpetrator",
    "ReportSeen",
    "ReportTransition",
    "ReportVersion",
    "ReportViolence",
    "RetentionRule",
    "Stakeholder",
    "User",
]
