"""The record page of an erased report says so plainly: erased on which day, under which rule, and what that
destroyed; a tombstone shows no field as if it were unknown, and a testimony erased reads "erased"."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import formats, timezone
from django_scopes import scopes_disabled

from bordermonitor.storage.access import access_for
from bordermonitor.storage.audit import acting_as
from bordermonitor.storage.evidence import add_evidence
from bordermonitor.storage.models import Erasure, Report, User
from bordermonitor.storage.retention import erase_ref
from tests.evidence import corpus
from tests.storage.test_retention import REASON

pytestmark = pytest.mark.django_db
Login = Callable[[str], Client]


@pytest.fixture(autouse=True)
def _data_dir(settings: Any, tmp_path: Path) -> None:
    settings.BORDERMONITOR = dataclasses.replace(settings.BORDERMONITOR, data_dir=tmp_path / "data")


def _erase(ref: str, rule: str) -> tuple[Report, str]:
    with scopes_disabled(), acting_as("cli"):
        erase_ref("nnk", ref, rule, reason=REASON)
        report = Report.objects.get(ref=ref)
        erasure = Erasure.objects.get(report=report)
    return report, formats.date_format(timezone.localtime(erasure.at), "DATE_FORMAT")


def test_a_tombstone_says_when_and_under_which_rule_it_was_erased(login: Login, network_world: Any) -> None:
    report, on = _erase("nnk-shared", "record")
    for email in ("reviewer@nnk.test", "admin@nnk.test"):  # its members: a rejected report is theirs alone
        page = login(email).get(f"/reports/{report.pk}/")
        assert page.status_code == 200, email
        text = page.content.decode()
        assert f"This report was erased on {on} under the rule “record”" in text, email
        assert "Only its reference, organisation and dates are kept" in text
        assert "unknown" not in text, email  # no field shown as if it were not known
        assert "When and where" not in text and "Public version" not in text
        assert "CANARY" not in text
    assert login("reviewer@nnk.test").get(f"/reports/{report.pk}/history/").status_code == 200


def test_an_erased_testimony_reads_erased_and_keeps_its_coded_facts(login: Login, network_world: Any) -> None:
    report, on = _erase("nnk-shared", "testimony")
    for email in ("reviewer@nnk.test", "coordinator@network.test"):  # read in full, read as shared
        text = login(email).get(f"/reports/{report.pk}/").content.decode()
        assert f"The testimony of this report was erased on {on} under the rule “testimony”" in text, email
        assert "Its coded facts are kept." in text
        assert "data-erased>erased</span>" in text  # the narrative, not "unknown"
        assert "Bihać" in text and "Afghanistan (AF), Syria (SY)" in text  # the coded facts
        assert "CANARY" not in text


def test_erased_evidence_is_said_and_the_report_shown_as_it_is(login: Login, network_world: Any) -> None:
    reviewer = User.objects.get(email="reviewer@nnk.test")
    with scopes_disabled(), acting_as(f"user:{reviewer.pk}"):
        add_evidence(
            access=access_for(reviewer),
            report=network_world["nnk-shared"],
            upload=io.BytesIO(corpus.jpeg_with_gps()),
            kind="photo",
            description=None,
            user=reviewer,
        )
    report, on = _erase("nnk-shared", "evidence")
    text = login("reviewer@nnk.test").get(f"/reports/{report.pk}/").content.decode()
    assert f"The evidence files of this report were erased on {on} under the rule “evidence”" in text
    assert "CANARY-nnk-shared told us" in text and "data-erased>" not in text  # no field reads "erased"


def test_a_report_never_erased_says_nothing_of_erasure(login: Login, network_world: Any) -> None:
    report = network_world["nnk-shared"]
    text = login("reviewer@nnk.test").get(f"/reports/{report.pk}/").content.decode()
    assert "data-erased" not in text and "was erased" not in text and "were erased" not in text
