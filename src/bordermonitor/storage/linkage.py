"""Cross-checking in storage: which stored reports may describe one incident, the batch that proposes them for
review, the model calibrated on the reviewers' decisions, and the review queue.

The scoring is ``core.linkage`` (Fellegi–Sunter, explained field by field); storage reads the records
(``storage.linkage_records``), narrows the candidates with SQL (the date index, a coordinate box), keeps the
pairs it may consider, stores them as :class:`~bordermonitor.storage.models.LinkCandidate` and applies decisions
(``storage.linkage_merge``). Pairs considered: two reports of one organisation, or of two organisations when the
network sees both (the organisation shares with the network and the source consented); never a draft or a
rejected report, never two reports already in one incident.

The parts: ``linkage_records`` (reading), ``linkage_scoring`` (the calibrated model, one report's candidates),
``linkage_batch`` (the batch), ``linkage_merge`` (decisions, merges, undo, conflicts), ``linkage_queue`` (who acts
on which pair). This module is their public face.

Who may act on a pair (:func:`queue`): an organisation's reviewers and admins on the pairs of its own reports;
the network's coordinators on the pairs across organisations whose two reports the network sees. A report of one
organisation is never offered to another organisation's staff unless it is shared.
"""

from __future__ import annotations

from bordermonitor.core.linkage import DEFAULT_THRESHOLD
from bordermonitor.storage.accounts import UnknownOrganisation
from bordermonitor.storage.linkage_batch import CrosscheckResult, ScoredPair, crosscheck
from bordermonitor.storage.linkage_merge import (
    AlreadyDecided,
    AlreadyLinked,
    Conflict,
    Corroboration,
    NotDecided,
    UndoRefused,
    corroboration,
    decide,
    incident_conflicts,
    incident_facts,
    undo,
)
from bordermonitor.storage.linkage_queue import get_candidate, queue
from bordermonitor.storage.linkage_records import link_record, link_records
from bordermonitor.storage.linkage_scoring import (
    calibrated_scorer,
    candidates_for,
    labelled_pairs,
    model_version,
)
from bordermonitor.storage.models import Organisation
from bordermonitor.storage.models.linkage import DECISIONS

__all__ = [
    "DECISIONS",
    "DEFAULT_THRESHOLD",
    "AlreadyDecided",
    "AlreadyLinked",
    "Conflict",
    "Corroboration",
    "CrosscheckResult",
    "NotDecided",
    "ScoredPair",
    "UndoRefused",
    "calibrated_scorer",
    "candidates_for",
    "corroboration",
    "crosscheck",
    "decide",
    "get_candidate",
    "incident_conflicts",
    "incident_facts",
    "labelled_pairs",
    "link_record",
    "link_records",
    "model_version",
    "queue",
    "set_auto_link",
    "undo",
]


def set_auto_link(*, code: str, enabled: bool) -> Organisation:
    """Whether cross-checking may link ``code``'s reports without review (``crosscheck --auto-threshold``)."""
    organisation = Organisation.objects.filter(code=code.strip().lower()).first()
    if organisation is None:
        raise UnknownOrganisation(code)
    Organisation.objects.filter(pk=organisation.pk).update(auto_link=enabled)
    organisation.auto_link = enabled
    return organisation
