"""The demo network's publication decisions, so that ``make demo`` serves a public archive straight away.

In a real network each of these is a reviewer's decision made on the record's public-version page; here the
demo's reviewers are taken to have made them: the IOM Missing Migrants Project rows (open data under CC BY 4.0)
are approved for publication, every publishable report's public title and narrative are the automatic
redaction of its own, approved, and a few photos are chosen for publication as metadata-stripped copies.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from bordermonitor.core.anonymise import redact
from bordermonitor.evidence.store import FileStore
from bordermonitor.publish.collect import PUBLISHABLE
from bordermonitor.storage.evidence import derive_copies
from bordermonitor.storage.models import Evidence, Membership, Report, User
from bordermonitor.storage.publication import NoPublicCopy, set_evidence_publication
from bordermonitor.storage.workflow import move_report

__all__ = ["demo_publication_decisions"]

PHOTOS = 12  # a few, as a reviewer would choose them


def demo_publication_decisions(*, store: FileStore) -> Iterator[str]:
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

        chosen = 0
        photos = Evidence.objects.filter(
            report__in=Report.objects.filter(PUBLISHABLE), kind="photo", stored=True
        )
        for evidence in photos.select_related("report").order_by("pk")[:PHOTOS]:
            derive_copies(evidence, originals=store)
            reviewer = reviewers.get(evidence.report.organisation_id)
            if reviewer is None:
                continue
            try:
                set_evidence_publication(evidence=evidence, user=User.objects.get(pk=reviewer), publish=True)
            except NoPublicCopy:
                continue
            chosen += 1
        yield f"photos chosen for publication (metadata-stripped copies): {chosen}"
