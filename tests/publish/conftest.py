"""A small network with publishable and unpublishable reports, and a helper that publishes it."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from bordermonitor.core.anonymise import PublicationPolicy
from bordermonitor.evidence.store import FileStore
from bordermonitor.publish.release import Release, publish
from bordermonitor.storage.accounts import add_organisation
from bordermonitor.storage.models import Report
from tests.storage.helpers import save

POLICY = PublicationPolicy()


def report(ref: str, organisation: str = "nnk", **changes: Any) -> dict[str, Any]:
    """A consented, approved testimony with a chain pushback; ``changes`` override top-level keys."""
    raw: dict[str, Any] = {
        "format": "bordermonitor/report@1",
        "ref": ref,
        "organisation": organisation,
        "kind": "testimony",
        "status": "approved_for_publication",
        "consent": {"publish": True, "share_with_network": True, "legal_use": None},
        "title": "Pushed back at night",
        "narrative": {"text": "We were beaten near the river and sent back.", "language": "en"},
        "incident": {
            "date": "2024-03-12",
            "location": {"lat": 45.2071, "lon": 15.7912, "country": "HR", "place": "Korana river"},
            "kind": "chain_pushback",
            "expelled_by": ["SI", "HR"],
            "expelled_to": "BA",
            "group": {"size": 12, "minors": 2, "nationalities": ["AF", "PK"], "ages": "16, 17, 20-30"},
            "violence": [{"type": "beating"}, {"type": "theft_of_belongings"}, {"type": "dog_attack"}],
        },
    }
    for key, value in changes.items():
        raw[key] = value
    return raw


def approve_public_versions(*, names: Callable[[Report], str | None] | None = None) -> None:
    """The reviewers' decision: the public narrative is the narrative (the publisher redacts it again)."""
    for item in Report.objects.filter(status="approved_for_publication"):
        item.public_title = item.title
        item.public_narrative = item.narrative_text
        item.public_approved_at = timezone.now()
        item.save(update_fields=["public_title", "public_narrative", "public_approved_at"])


@pytest.fixture
def world(network: None, store: FileStore) -> Callable[[Iterable[dict[str, Any]]], None]:
    add_organisation(code="nnk", name="North", shares_with_network=True)
    add_organisation(code="rigardu", name="Rigardu", shares_with_network=False)

    def load(raws: Iterable[dict[str, Any]]) -> None:
        summary = save([copy.deepcopy(r) for r in raws], store)
        assert not summary.rejected, summary.rejections
        approve_public_versions()

    return load


@pytest.fixture
def publish_to(network: None, tmp_path: Path) -> Callable[..., Release]:
    def run(out: Path | None = None, policy: PublicationPolicy = POLICY) -> Release:
        return publish(out=out or tmp_path / "public" / "current", policy=policy, actor="test")

    return run
