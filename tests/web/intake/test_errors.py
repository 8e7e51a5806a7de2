"""Bad input is answered next to the field, in the person's language, with everything else typed kept; two
people saving the same report do not overwrite each other silently."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.web.intake.helpers import hidden, report_id, save_step, start, stored
from tests.web.intake.test_flow import INTERVIEW

pytestmark = pytest.mark.django_db


def _field(page: str, name: str) -> str:
    """The HTML of the field block ``data-field=name`` (up to the next field block)."""
    start_at = page.index(f'data-field="{name}"')
    following = page.find('data-field="', start_at + 10)
    return page[start_at : following if following != -1 else None]


@pytest.fixture
def draft(login) -> tuple[Client, int]:  # type: ignore[no-untyped-def]
    client: Client = login("documenter@nnk.test")
    response, _ = start(client, INTERVIEW)
    return client, report_id(response["Location"])


def test_a_latitude_out_of_range_is_refused_next_to_it_and_the_rest_is_kept(draft) -> None:  # type: ignore[no-untyped-def]
    client, pk = draft
    response = save_step(
        client, pk, "when-where", {"lat": "123", "lon": "15.5", "place": "by the river", "date_year": "2024"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "errorlist" in _field(page, "lat")
    assert "less than or equal to 90" in _field(page, "lat")
    assert "errorlist" not in _field(page, "lon")
    assert 'value="by the river"' in page and 'value="15.5"' in page and 'value="123"' in page
    assert stored(pk)["incident"]["location"]["lat"] is None  # nothing saved


def test_a_month_13_is_refused_next_to_the_month(draft) -> None:  # type: ignore[no-untyped-def]
    client, pk = draft
    page = save_step(
        client, pk, "when-where", {"date_year": "2024", "date_month": "13", "place": "Velika Kladuša"}
    ).content.decode()
    assert "errorlist" in _field(page, "date_month")
    assert 'value="2024"' in page and 'value="Velika Kladuša"' in page
    assert stored(pk)["incident"]["date"] is None


def test_a_day_is_never_saved_without_its_month(draft) -> None:  # type: ignore[no-untyped-def]
    client, pk = draft
    page = save_step(client, pk, "when-where", {"date_year": "2024", "date_day": "5"}).content.decode()
    assert "A day needs its month" in _field(page, "date_day")
    assert stored(pk)["incident"]["date"] is None


def test_other_violence_needs_a_detail(draft) -> None:  # type: ignore[no-untyped-def]
    client, pk = draft
    page = save_step(
        client, pk, "violence", {"violence": ["beating", "other"], "violence_detail_beating": "with batons"}
    ).content.decode()
    assert "needs a detail" in _field(page, "violence_detail_other")
    assert "errorlist" not in _field(page, "violence_detail_beating")
    assert 'value="with batons"' in page
    assert re.search(r'value="beating" id="id_violence_beating" checked', page)
    assert stored(pk)["incident"]["violence"] == []


def test_more_minors_than_people_is_refused(draft) -> None:  # type: ignore[no-untyped-def]
    client, pk = draft
    page = save_step(
        client, pk, "group", {"group_size": "3", "minors": "5", "ages": "12, 14"}
    ).content.decode()
    assert "More than the size of the group" in _field(page, "minors")
    assert 'value="12, 14"' in page
    assert stored(pk)["incident"]["group"]["size"] is None


def test_a_french_person_reads_the_errors_in_french(draft) -> None:  # type: ignore[no-untyped-def]
    client, pk = draft
    page = save_step(client, pk, "when-where", {"lat": "123"}, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'lang="fr"' in page
    assert "inférieure ou égale à 90" in _field(page, "lat")


def test_a_conflicting_save_lists_what_the_other_person_changed_and_overwrites_nothing(login) -> None:  # type: ignore[no-untyped-def]
    documenter: Client = login("documenter@nnk.test")
    reviewer: Client = login("reviewer@nnk.test")
    response, _ = start(documenter, INTERVIEW)
    pk = report_id(response["Location"])
    url = f"/reports/{pk}/edit/when-where/"
    seen = hidden(documenter.get(url).content.decode(), "version")
    assert save_step(reviewer, pk, "when-where", {"place": "Šturlić"}).status_code == 303

    response = documenter.post(url, {"version": seen, "place": "Bihać", "date_year": "2023"})
    page = response.content.decode()
    assert response.status_code == 409
    assert "data-conflict" in page
    changed = re.findall(r"<li data-changed-field>(.*?)</li>", page, re.S)
    assert any("Place name" in item and "Šturlić" in item for item in changed)
    assert 'value="Bihać"' in page and 'value="2023"' in page  # what was typed is kept
    assert stored(pk)["incident"]["location"]["place"] == "Šturlić"  # nothing overwritten
    assert stored(pk)["incident"]["date"] is None

    again = documenter.post(url, {"version": hidden(page, "version"), "place": "Bihać", "date_year": "2023"})
    assert again.status_code == 303  # saving again, knowing, replaces their value
    assert stored(pk)["incident"]["location"]["place"] == "Bihać"
