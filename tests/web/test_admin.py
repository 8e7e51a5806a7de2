"""The administration site and sealed values: reports are found by reference, and no sealed value (title,
narrative, names, the source's row) is listed, searched or shown there."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.test import Client
from django_scopes import scopes_disabled

from bordermonitor.storage.accounts import add_organisation, add_user
from bordermonitor.storage.audit import acting_as
from bordermonitor.storage.models import Report
from bordermonitor.storage.models.sealed import sealed_fields
from tests.network import PASSWORD
from tests.storage.helpers import save

pytestmark = pytest.mark.django_db

TITLE = "Testimony of Ysolde Marrowind"
NARRATIVE = "the slate barge drifted past eleven willows"


def _record(ref: str, title: str, narrative: str) -> dict[str, Any]:
    return {
        "ref": ref,
        "organisation": "nnk",
        "kind": "testimony",
        "title": title,
        "narrative": {"text": narrative, "language": "en", "translation_en": narrative},
        "known_names": ["Ysolde Marrowind"],
        "source": {"name": "field interview", "original": {"interviewer": "Ysolde Marrowind"}},
        "incident": {"date": "2024-05-01", "group": {"size": 4}},
    }


@pytest.fixture
def site_admin(store: Any) -> Client:
    with scopes_disabled(), acting_as("cli"):
        add_organisation(code="nnk", name="North Corridor Aid")
        add_user(email="admin@nnk.test", organisation="nnk", role="admin", password=PASSWORD, site_admin=True)
        save([_record("nnk-2024-0012", TITLE, NARRATIVE), _record("nnk-2024-0013", "Other", "other")], store)
    client = Client()
    client.login(username="admin@nnk.test", password=PASSWORD)
    return client


def test_a_report_is_found_by_its_reference(site_admin: Client) -> None:
    page = site_admin.get("/admin/storage/report/", {"q": "0012"})
    assert page.status_code == 200
    shown = page.content.decode()
    assert "nnk-2024-0012" in shown and "nnk-2024-0013" not in shown
    assert "Search by reference" in shown


def test_searching_for_words_of_a_sealed_field_finds_nothing_and_breaks_nothing(site_admin: Client) -> None:
    page = site_admin.get("/admin/storage/report/", {"q": "Marrowind"})
    assert page.status_code == 200
    assert "nnk-2024-0012" not in page.content.decode()  # only references are searched


def test_no_sealed_value_is_listed_or_shown(site_admin: Client) -> None:
    listing = site_admin.get("/admin/storage/report/").content.decode()
    assert "nnk-2024-0012" in listing
    with scopes_disabled():
        report = Report.objects.get(ref="nnk-2024-0012")
    change = site_admin.get(f"/admin/storage/report/{report.pk}/change/")
    assert change.status_code == 200
    for page in (listing, change.content.decode()):
        assert "Marrowind" not in page and NARRATIVE not in page and "bm1." not in page  # nor their tokens


def test_no_admin_lists_or_searches_a_sealed_field() -> None:
    for model, model_admin in admin.site._registry.items():
        sealed = set(sealed_fields(model))
        if not sealed:
            continue
        searched = {name.lstrip("=^@").split("__")[0] for name in model_admin.search_fields}
        assert not searched & sealed, model
        assert not set(model_admin.list_display) & sealed, model
        assert sealed <= set(model_admin.exclude or ()), model
