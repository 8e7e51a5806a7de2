"""The words of the record and review pages, translatable: field labels by dotted path, statuses, kinds,
the verification checklist (keyed by ``ChecklistItem.code``; ``core`` keeps the English text only) and the
reasons a workflow move is refused."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from bordermonitor.core.workflow import CHECKLIST, TransitionRefused
from bordermonitor.words import EVIDENCE_KINDS as EVIDENCE_KINDS
from bordermonitor.words import INCIDENT_KINDS as INCIDENT_KINDS
from bordermonitor.words import REPORT_KINDS as REPORT_KINDS
from bordermonitor.words import STATUSES

CHECKLIST_TEXTS: dict[str, Promise] = {
    "consent_confirmed": _("Consent confirmed with the person, for each use recorded"),
    "date_location_plausible": _("Date and location are plausible"),
    "evidence_consistent": _("Evidence is consistent with the account"),
    "typology_coded": _("Violence coded with the typology"),
    "narrative_reviewed": _("Narrative reviewed for identifying details"),
}
if set(CHECKLIST_TEXTS) != {item.code for item in CHECKLIST}:
    raise ImportError("every item of core.workflow.CHECKLIST needs a translatable text here")

#: The button of each move, by (from, to); the second key form (None, to) is the default for a target.
MOVES: dict[tuple[str | None, str], Promise] = {
    ("draft", "submitted"): _("Submit for review"),
    ("changes_requested", "submitted"): _("Re-submit"),
    (None, "in_review"): _("Take in review"),
    (None, "changes_requested"): _("Request changes"),
    (None, "verified"): _("Mark as verified"),
    (None, "approved_for_publication"): _("Approve for publication"),
    (None, "rejected"): _("Reject"),
}

FIELDS: dict[str, Promise] = {
    "ref": _("Reference"),
    "organisation": _("Organisation"),
    "kind": _("Kind of report"),
    "recorded_on": _("Recorded on"),
    "recorded_month": _("Recorded in"),
    "status": _("Status"),
    "pseudonym": _("Pseudonym"),
    "consent.publish": _("Consent to publish"),
    "consent.share_with_network": _("Consent to share with the network"),
    "consent.legal_use": _("Consent to legal use"),
    "title": _("Title"),
    "narrative.text": _("Narrative"),
    "narrative.language": _("Language of the narrative"),
    "narrative_language": _("Language of the narrative"),
    "narrative.translation_en": _("English translation"),
    "known_names": _("Names to keep out of any publication"),
    "public.title": _("Public title"),
    "public.narrative": _("Public narrative"),
    "incident.ref": _("Incident"),
    "incident.date": _("Date"),
    "incident.time": _("Time"),
    "incident.location.lat": _("Latitude"),
    "incident.location.lon": _("Longitude"),
    "incident.location.precision_m": _("Precision of the location (metres)"),
    "incident.location.place": _("Place"),
    "incident.location.country": _("Country"),
    "incident.location.region": _("Region"),
    "incident.kind": _("Kind of incident"),
    "incident.expelled_by": _("Expelled by"),
    "incident.expelled_to": _("Expelled to"),
    "incident.group.size": _("Group size"),
    "incident.group.minors": _("Minors"),
    "incident.group.women": _("Women"),
    "incident.group.men": _("Men"),
    "incident.group.minors_involved": _("Minors involved"),
    "incident.group.ages": _("Ages (as told)"),
    "incident.group.nationalities": _("Nationalities"),
    "incident.group.origin_regions": _("Regions of origin"),
    "incident.asylum_requested": _("Asylum requested"),
    "incident.taken_to_police_station": _("Taken to a police station"),
    "incident.detention_hours": _("Hours in detention"),
    "incident.officers.min": _("Officers (at least)"),
    "incident.officers.max": _("Officers (at most)"),
    "incident.officers.description": _("Officers: description"),
    "incident.perpetrators": _("Perpetrators"),
    "incident.violence": _("Violence"),
    "incident.dead": _("Dead"),
    "incident.missing": _("Missing"),
    "incident.survivors": _("Survivors"),
    "incident.causes_of_death": _("Causes of death"),
    "incident.medical.injuries": _("Injuries described"),
    "incident.medical.documented": _("Medical documentation exists"),
    "incident.route": _("Route"),
    "evidence": _("Evidence"),
    "source.name": _("Source"),
    "source.url": _("Source address"),
    "source.quality": _("Source quality (1–5)"),
    "source.original": _("Source record as received"),
    "source.unparsed": _("Values that could not be interpreted"),
}

CHAIN = _("Expelling chain (first apprehending state first, then where the group was left)")

ACTIONS: dict[str, Promise] = {
    "create": _("created"),
    "update": _("changed"),
    "delete": _("deleted"),
    "view": _("viewed the record"),
    "download": _("downloaded a file"),
    "export": _("exported the record"),
    "share": _("shared the record"),
    "publish": _("published the record"),
    "erase": _("erased data"),
    "import": _("imported the record"),
}


def field_label(path: str) -> str:
    """The label of a dotted path; a path without one (a key added later) is shown as it is."""
    label = FIELDS.get(path)
    return str(label) if label is not None else path


def move_label(source: str, target: str) -> str:
    return str(MOVES.get((source, target)) or MOVES.get((None, target)) or STATUSES.get(target, target))


def refusal(refused: TransitionRefused) -> str:
    """The reason of a refused move in the reader's language (``core`` words it in English for logs)."""
    reason = refused.reason
    target = str(STATUSES.get(refused.target, refused.target))
    if reason.startswith("not a step of the workflow"):
        return str(_("A report that is %(source)s cannot be moved to “%(target)s”.")) % {
            "source": str(STATUSES.get(refused.source, refused.source)).lower(),
            "target": target,
        }
    if reason.startswith("needs the role"):
        return str(_("Only reviewers of the report's organisation may move it to “%(target)s”.")) % {
            "target": target
        }
    if reason.startswith("needs a comment"):
        return str(_("Say why in the comment: it is needed to move the report to “%(target)s”.")) % {
            "target": target
        }
    if reason.startswith("the verification checklist is incomplete"):
        codes = [code.strip() for code in reason.partition(":")[2].split(",") if code.strip()]
        missing = "; ".join(str(CHECKLIST_TEXTS.get(code, code)) for code in codes)
        return str(_("The verification checklist is incomplete. Still to check: %(missing)s.")) % {
            "missing": missing
        }
    if reason.startswith("the source has not consented"):
        return str(
            _(
                "The source has not consented to publication, so the report cannot be approved for "
                "publication. Record the consent first."
            )
        )
    if reason.startswith("someone else moved it"):
        return stale_message(reason.rsplit(" to ", 1)[-1].split(" ")[0])
    return str(_("This move is not possible: %(reason)s")) % {"reason": reason}


def stale_message(current: str) -> str:
    return str(
        _(
            "Someone else moved this report to “%(status)s” while you had it open. Nothing was changed; "
            "read the current state below and decide again."
        )
    ) % {"status": str(STATUSES.get(current, current))}
