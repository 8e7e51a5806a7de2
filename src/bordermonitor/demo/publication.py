"""The demo network's publication decisions, so that ``make demo`` serves a public archive straight away.

In a real network each of these is a reviewer's decision made on the record's public-version page; here the
demo's reviewers are taken to have made them: the IOM Missing Migrants Project rows (open data under CC BY 4.0)
are approved for publication, and every publishable report's public title and narrative are the automatic
redaction of its own, approved.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from bordermonitor.core.anonymise import redact
from bordermonitor.publish.collect import PUBLISHABLE
from bordermonitor.storage.models import Membership, Report
from bordermonitor.storage.workflow import move_report

__all__ = ["demo_publication_decisions"]


def demo_publication_decisions() -> Iterator[str]:
    with scopes_disabled():
        dataset = Report.objects.filter(kind="dataset", status="verified", consent_publish=True)
        moved = 0
        for report in dataset.select_related("organisation").iterator():
            move_report(
                report,
                target="approved_for_publication",
                roles={"reviewer"},
                comment="open data published by IOM under CC BY 4.0",
            )
            moved += 1
        yield f"IOM Missing Migrants Project rows approved for publication: {moved}"

        reviewers = {
            m.organisation_id: m.user_id for m in Membership.objects.filter(role="reviewer").order_by("-pk")
        }
        now = timezone.now()
        approved = 0
        with transaction.atomic():
            waiting = Report.objects.filter(PUBLISHABLE, public_approved_at__isnull=True).exclude(
                kind="dataset"
            )
            for report in waiting.iterator():
                names = report.known_names or []
                report.public_title = redact(report.title, known_names=names).text if report.title else None
                report.public_narrative = (
                    redact(report.narrative_text, known_names=names).text if report.narrative_text else None
                )
                report.public_approved_at = now
                report.public_approved_by_id = reviewers.get(report.organisation_id)
                report.save(
                    update_fields=[
                        "public_title",
                        "public_narrative",
                        "public_approved_at",
                        "public_approved_by",
                    ]
                )
                approved += 1
        yield f"public versions approved by the demo's reviewers: {approved}"
