"""The dry run of the Publish page, kept briefly, and the fingerprint a coordinator confirms by publishing.

A dry run reads and anonymises every publishable report (seconds, for ten thousand incidents), and the page
needs it on every display and again when Publish is pressed. It is kept in Django's cache under a key made of
what it depends on — the reports (how many, the highest id, the latest change, the approvals of public
versions, how many are publishable), the evidence chosen and its public copies, the organisations that share
with the network, the authorities' register, the publication policy and licence — read in a few aggregate
queries. Any save of those gives a new key, so a display or a Publish right after a change always works from a
fresh dry run; what the key cannot see (an authority renamed) is caught when the entry expires, after
:data:`SECONDS`.

The fingerprint covers what would be published — its counts and the problems that would refuse it — and not
the counts of what is left out: a draft saved anywhere in the network changes those, and must not stop a
publication it has no part in.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Q
from django_scopes import scopes_disabled

from bordermonitor.publish import collect
from bordermonitor.publish.release import Plan, default_licence, plan
from bordermonitor.storage.models import (
    Evidence,
    EvidenceDerivative,
    Incident,
    Organisation,
    Report,
    Stakeholder,
)

__all__ = ["SECONDS", "current_plan", "digest"]

SECONDS = 120
"""How long a dry run is kept at most, even when nothing the key sees has changed."""
_PREFIX = "bordermonitor:publication:plan:"


def _state() -> list[Any]:
    """What the dry run depends on, as a few aggregates (indexed columns, one query per table)."""
    reports = Report.objects.aggregate(
        n=Count("id"),
        top=Max("id"),
        changed=Max("updated_at"),
        approved=Count("id", filter=Q(public_approved_at__isnull=False)),
        approved_at=Max("public_approved_at"),
    )
    chosen = Evidence.objects.aggregate(n=Count("id", filter=Q(publish=True)), top=Max("id"))
    copies = EvidenceDerivative.objects.filter(role="public").aggregate(n=Count("id"), top=Max("id"))
    incidents = Incident.objects.aggregate(n=Count("id"), changed=Max("updated_at"))
    authorities = Stakeholder.objects.aggregate(n=Count("id"), top=Max("id"))
    sharing = list(Organisation.objects.filter(shares_with_network=True).order_by("pk").values_list("pk"))
    return [
        sorted(reports.items()),
        collect.publishable().count(),
        sorted(chosen.items()),
        sorted(copies.items()),
        sorted(incidents.items()),
        sorted(authorities.items()),
        sharing,
        repr(settings.BORDERMONITOR_PUBLICATION_POLICY),
        repr(default_licence()),
    ]


def current_plan() -> Plan:
    """The dry run of a publication now: the one kept in the cache if nothing it depends on changed since it
    was made, else a fresh one (then kept for the next display)."""
    with scopes_disabled():  # counts over the network, whatever the person's own organisations
        key = _PREFIX + hashlib.sha256(repr(_state()).encode()).hexdigest()
        dry_run: Plan | None = cache.get(key)
        if dry_run is None:
            dry_run = plan(policy=settings.BORDERMONITOR_PUBLICATION_POLICY)
            cache.set(key, dry_run, SECONDS)
    return dry_run


def digest(dry_run: Plan) -> str:
    """A short fingerprint of what ``dry_run`` would publish — its counts and the problems that would refuse
    it — which the person confirms by pressing Publish. The counts of what is left out are not in it."""
    data = {"counts": dry_run.counts, "problems": [asdict(p) for p in dry_run.problems]}
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:20]
