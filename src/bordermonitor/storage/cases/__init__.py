"""Case packages for legal use: one report, or an incident's reports, with their evidence originals exactly
as received, cleaned copies, coded records, chain of custody and a cover sheet, as a BagIt bag
(docs/cases.md). :func:`export_case` makes one; every refusal is a :class:`CaseRefused`."""

from __future__ import annotations

from bordermonitor.storage.cases.choosing import CaseRefused, NoConsent, NotAllowedToExport, UnknownCase
from bordermonitor.storage.cases.custody import CustodyBroken
from bordermonitor.storage.cases.files import EvidenceRefused
from bordermonitor.storage.cases.package import CHECKSUMS, CaseExport, OutputNotEmpty, export_case

__all__ = [
    "CHECKSUMS",
    "CaseExport",
    "CaseRefused",
    "CustodyBroken",
    "EvidenceRefused",
    "NoConsent",
    "NotAllowedToExport",
    "OutputNotEmpty",
    "UnknownCase",
    "export_case",
]
