"""Every stored field, classified: ``public`` may appear in a release (often transformed by the publication
policy), ``protected`` never leaves the protected store (SECURITY goal 9, METHODOLOGY §7).

The publisher reads reports through :data:`REPORT_READ` only, which is the public fields plus the few protected
ones it needs to *decide* (status, consent, names to redact) and never writes out. A field added to a model is
neither public nor protected until someone decides, and ``tests/publish/test_classification.py`` fails until
then: a new column cannot reach the open data by accident.
"""

from __future__ import annotations

from typing import Final

__all__ = ["CLASSIFICATION", "PUBLIC", "REPORT_DECIDES", "REPORT_READ", "public_fields"]

_ALL_PROTECTED = "protected"

# model name → (public fields, protected fields)
CLASSIFICATION: Final[dict[str, tuple[frozenset[str], frozenset[str]]]] = {
    "Report": (
        frozenset(
            {
                "kind", "narrative_language", "date_start", "date_precision", "lat", "lon", "precision_m",
                "place", "country", "region", "incident_kind", "expelled_to", "group_size", "minors", "women",
                "men", "minors_involved", "age_bands", "asylum_requested", "taken_to_police_station",
                "detention_hours", "officers_min", "officers_max", "dead", "missing", "survivors",
                "causes_of_death", "medical_injuries", "medical_documented", "public_title", "public_narrative",
            }
        ),
        frozenset(
            {
                "id", "organisation", "ref", "recorded_on", "status", "consent_publish",
                "consent_share_with_network", "consent_legal_use", "title", "narrative_text",
                "narrative_translation_en", "incident", "time", "ages", "origin_regions", "officers_description",
                "route", "source_name", "source_url", "source_quality", "source_original", "source_unparsed",
                "flagged", "version", "created_by", "intake_token", "created_at", "updated_at", "known_names",
                "public_approved_at", "public_approved_by", "record_key", "erased_at",
            }
        ),
    ),
    "ReportExpeller": (frozenset({"position", "country"}), frozenset({"id", "report"})),
    "ReportNationality": (frozenset({"country"}), frozenset({"id", "report", "position"})),
    "ReportViolence": (frozenset({"code"}), frozenset({"id", "report", "position", "detail"})),
    "ReportPerpetrator": (frozenset({"authority"}), frozenset({"id", "report", "position", "unit", "description"})),
    "Stakeholder": (
        frozenset({"name", "kind", "country"}),
        frozenset({"id", "code", "parent", "description", "created_at"}),
    ),
    # the mobilisation log (stakeholders, engagement, plans, charter) stays with the network
    "EngagementEvent": (
        frozenset(),
        frozenset(
            {
                "id", "stakeholder", "stage", "on", "notes", "plan", "measure", "signature", "recorded_by",
                "recorded_at", "updated_at",
            }
        ),
    ),
    "ActionPlan": (
        frozenset(),
        frozenset(
            {"id", "stakeholder", "title", "status", "adopted_on", "notes", "created_by", "created_at", "updated_at"}
        ),
    ),
    "ActionPlanTarget": (frozenset(), frozenset({"id", "plan", "area", "violence"})),
    "ActionPlanMeasure": (
        frozenset(),
        frozenset(
            {"id", "plan", "description", "owner", "due_on", "status", "implemented_on", "created_at", "updated_at"}
        ),
    ),
    "CharterVersion": (
        frozenset(),
        frozenset({"id", "version", "title", "text", "published_on", "created_at", "updated_at"}),
    ),
    "CharterSignature": (
        frozenset(),
        frozenset({"id", "charter", "stakeholder", "signed_on", "signed_by", "notes", "created_at"}),
    ),
    "Incident": (frozenset({"public_id"}), frozenset({"id", "ref", "organisation", "created_at", "updated_at"})),
    "Evidence": (
        frozenset({"kind"}),
        frozenset(
            {
                "id", "report", "position", "description", "path", "sha256", "size", "stored", "media_type",
                "uploaded_by", "created_at", "publish", "blob", "key_header", "key_version",
            }
        ),
    ),
    # only the ``public`` role's copy is published, and of it only these
    "EvidenceDerivative": (
        frozenset({"sha256", "media_type", "size"}),
        frozenset(
            {
                "id", "evidence", "role", "parent_sha256", "tool", "transformation", "created_at", "blob",
                "key_header", "key_version",
            }
        ),
    ),
    "Organisation": (
        frozenset(), frozenset({"id", "code", "name", "shares_with_network", "auto_link", "created_at"})
    ),
    # cross-checking's pairs, decisions and merges stay with the network
    "LinkCandidate": (
        frozenset(),
        frozenset(
            {
                "id", "report_a", "report_b", "score", "agreements", "model_version", "status", "automatic",
                "decided_by", "decided_at", "note", "created_at", "updated_at",
            }
        ),
    ),
    "IncidentMerge": (
        frozenset(),
        frozenset(
            {
                "id", "candidate", "kept_id", "kept_ref", "kept_organisation", "kept_updated_at", "absorbed_id",
                "absorbed_ref", "absorbed_organisation", "absorbed_public_id", "absorbed_created_at",
                "absorbed_updated_at", "moved_reports", "merged_by", "merged_at", "undone_by", "undone_at",
            }
        ),
    ),
    "User": (
        frozenset(),
        frozenset(
            {
                "id", "password", "last_login", "is_superuser", "email", "display_name", "language", "is_active",
                "is_staff", "date_joined", "groups", "user_permissions",
            }
        ),
    ),
    "Membership": (frozenset(), frozenset({"id", "user", "organisation", "role", "created_at"})),
    "AuditEvent": (
        frozenset(),
        frozenset(
            {
                "id", "seq", "at", "actor", "organisation", "action", "object_type", "object_id", "object_ref",
                "details", "prev_hash", "hash",
            }
        ),
    ),
    "ReportTransition": (
        frozenset(),
        frozenset({"id", "report", "source", "target", "actor", "comment", "checklist", "at"}),
    ),
    "ReportVersion": (
        frozenset(), frozenset({"id", "report", "version", "record", "changed", "actor", "at", "record_key"})
    ),
    "ReportSeen": (frozenset(), frozenset({"id", "user", "report", "version", "at"})),
    "ReportDraft": (
        frozenset(),
        frozenset(
            {
                "id", "token", "organisation", "user", "report", "step", "data", "created_at", "updated_at",
                "record_key",
            }
        ),
    ),
    # keys, second factors, sign-in failures, retention: never published
    "OrganisationKey": (
        frozenset(),
        frozenset(
            {
                "id", "organisation", "version", "data_key", "evidence_recipient", "evidence_identity",
                "created_at", "retired_at",
            }
        ),
    ),
    "RecordKey": (
        frozenset(), frozenset({"id", "organisation", "key_version", "wrapped", "created_at", "destroyed_at"})
    ),
    "SecondFactor": (
        frozenset(), frozenset({"id", "user", "secret", "created_at", "confirmed_at", "last_step"})
    ),
    "RecoveryCode": (frozenset(), frozenset({"id", "user", "digest", "created_at", "used_at"})),
    "LoginFailure": (frozenset(), frozenset({"id", "key", "at"})),
    "RetentionRule": (
        frozenset(),
        frozenset(
            {"id", "organisation", "status", "after_days", "rule", "set_by", "created_at", "updated_at"}
        ),
    ),
    "Erasure": (
        frozenset(),
        frozenset(
            {
                "id", "organisation", "report", "rule", "schedule", "reason", "status_before", "counts", "actor",
                "at",
            }
        ),
    ),
    "ApiToken": (
        frozenset(),
        frozenset({"id", "user", "name", "digest", "created_at", "last_used_at", "revoked_at"}),
    ),
}  # fmt: skip

PUBLIC: Final = {model: public for model, (public, _) in CLASSIFICATION.items()}

# Protected report fields the publisher reads to decide what to publish (and under which licence) and to name
# a report in a refusal; never written to a release.
REPORT_DECIDES: Final = frozenset(
    {
        "id",
        "ref",
        "organisation",
        "incident",
        "status",
        "consent_publish",
        "known_names",
        "public_approved_at",
        "source_name",
    }
)
REPORT_READ: Final = tuple(sorted(PUBLIC["Report"] | REPORT_DECIDES))


def public_fields(model: str) -> frozenset[str]:
    return PUBLIC[model]
