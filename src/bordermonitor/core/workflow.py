"""The review workflow of a report: which status may follow which, who may move it, and what it needs.

    draft → submitted → in_review → verified → approved_for_publication
                 ↑           ↓
                 └── changes_requested            and rejected (with a reason) from any open status

Only reviewers (and administrators) of the report's organisation move a report past ``submitted``; a
documenter submits drafts and re-submits corrected reports. ``verified`` needs the verification checklist
complete; ``approved_for_publication`` needs the source's consent to publish (METHODOLOGY §7); asking for
changes and rejecting need a comment saying why. The rules are data (:data:`TRANSITIONS`), checked in one
place (:func:`check`), so pages, the API and imports cannot disagree.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

__all__ = [
    "CHECKLIST",
    "TRANSITIONS",
    "ChecklistItem",
    "Transition",
    "TransitionRefused",
    "check",
    "next_statuses",
]


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    code: str
    text: str


CHECKLIST: tuple[ChecklistItem, ...] = (
    ChecklistItem("consent_confirmed", "Consent confirmed with the person, for each use recorded"),
    ChecklistItem("date_location_plausible", "Date and location are plausible"),
    ChecklistItem("evidence_consistent", "Evidence is consistent with the account"),
    ChecklistItem("typology_coded", "Violence coded with the typology"),
    ChecklistItem("narrative_reviewed", "Narrative reviewed for identifying details"),
)

_WRITERS = frozenset({"documenter", "reviewer", "admin"})
_REVIEWERS = frozenset({"reviewer", "admin"})


@dataclass(frozen=True, slots=True)
class Transition:
    source: str
    target: str
    roles: frozenset[str]
    needs_comment: bool = False
    needs_checklist: bool = False
    needs_consent_to_publish: bool = False


TRANSITIONS: tuple[Transition, ...] = (
    Transition("draft", "submitted", _WRITERS),
    Transition("submitted", "in_review", _REVIEWERS),
    Transition("in_review", "changes_requested", _REVIEWERS, needs_comment=True),
    Transition("changes_requested", "submitted", _WRITERS),
    Transition("in_review", "verified", _REVIEWERS, needs_checklist=True),
    Transition("verified", "approved_for_publication", _REVIEWERS, needs_consent_to_publish=True),
    *(
        Transition(source, "rejected", _REVIEWERS, needs_comment=True)
        for source in ("submitted", "in_review", "changes_requested", "verified")
    ),
)
_BY_STEP = {(t.source, t.target): t for t in TRANSITIONS}


class TransitionRefused(ValueError):
    """A move the workflow does not allow; the message names the report and says what is missing."""

    def __init__(self, ref: str, source: str, target: str, reason: str) -> None:
        self.ref, self.source, self.target, self.reason = ref, source, target, reason
        super().__init__(f"report {ref!r}: {source} → {target} refused: {reason}")


def next_statuses(status: str, roles: Collection[str]) -> list[str]:
    """The statuses a person with ``roles`` (in the report's organisation) may move a report to."""
    return [t.target for t in TRANSITIONS if t.source == status and t.roles & set(roles)]


def check(
    *,
    ref: str,
    status: str,
    target: str,
    roles: Collection[str],
    comment: str | None = None,
    checklist: Mapping[str, bool] | None = None,
    consent_to_publish: bool | None = None,
) -> Transition:
    """The transition from ``status`` to ``target``, or :class:`TransitionRefused` saying why not."""
    step = _BY_STEP.get((status, target))
    if step is None:
        allowed = ", ".join(t.target for t in TRANSITIONS if t.source == status) or "none (it is final)"
        raise TransitionRefused(ref, status, target, f"not a step of the workflow (from {status}: {allowed})")
    if not step.roles & set(roles):
        needed = " or ".join(sorted(step.roles))
        raise TransitionRefused(ref, status, target, f"needs the role {needed} in the report's organisation")
    if step.needs_comment and not (comment and comment.strip()):
        raise TransitionRefused(ref, status, target, "needs a comment saying why")
    if step.needs_checklist:
        missing = [item.code for item in CHECKLIST if not (checklist or {}).get(item.code)]
        if missing:
            raise TransitionRefused(
                ref, status, target, "the verification checklist is incomplete: " + ", ".join(missing)
            )
    if step.needs_consent_to_publish and consent_to_publish is not True:
        raise TransitionRefused(ref, status, target, "the source has not consented to publication")
    return step
