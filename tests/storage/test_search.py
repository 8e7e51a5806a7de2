"""Full-text search (storage/search.py) on the database the tests run on: SQLite FTS5 or PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django_scopes import scopes_disabled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bordermonitor.storage.access import access_for
from bordermonitor.storage.listing import ReportFilter, filtered_reports
from bordermonitor.storage.models import Report, User
from bordermonitor.storage.search import Term, matching, parse_query, rebuild_index
from tests.storage.helpers import save

pytestmark = pytest.mark.django_db


def _raw(
    ref: str, *, title: str | None = None, text: str | None = None, en: str | None = None
) -> dict[str, Any]:
    return {
        "ref": ref,
        "organisation": "nnk",
        "kind": "testimony",
        "title": title,
        "narrative": {"text": text, "language": "ar", "translation_en": en},
    }


@pytest.fixture
def texts(network_world: dict[str, Report], store: Any) -> None:
    with scopes_disabled():
        save(
            [
                _raw("s-ar", title="شهادة", text="ضربتنا الشرطة على الحدود وأخذت الهواتف"),
                _raw("s-fa", text="پلیس ما را زد و تلفن‌ها را گرفت"),
                _raw("s-en", title="Dogs at the border", en="The officers set the dogs on us near the river"),
                _raw("s-fr", text="Les policiers ont brûlé nos sacs près de la rivière"),
            ],
            store,
        )


def _found(text: str) -> set[str]:
    with scopes_disabled():
        refs = matching(Report.objects.filter(ref__startswith="s-"), text).values_list("ref", flat=True)
        return set(refs)


@pytest.mark.usefixtures("texts")
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("الشرطة", {"s-ar"}),
        ("پلیس", {"s-fa"}),
        ("شهادة", {"s-ar"}),  # the title is searched too
        ("dogs river", {"s-en"}),  # all words must match, the English translation is searched
        ("dogs policiers", set()),
        ('"near the river"', {"s-en"}),
        ('"the river near"', set()),  # a phrase keeps its order
        ("rivière", {"s-fr"}),
        ("RIVIÈRE", {"s-fr"}),
        ("offic*", {"s-en"}),
        ("پلی*", {"s-fa"}),
        ("offic", set()),  # without the star a word is whole
    ],
)
def test_words_phrases_and_prefixes_find_the_reports_that_contain_them(
    query: str, expected: set[str]
) -> None:
    assert _found(query) == expected


@pytest.mark.usefixtures("texts")
@pytest.mark.parametrize(
    "query",
    [
        '"',
        "*",
        "NEAR(",
        "NEAR(dogs river)",
        "'; DROP TABLE storage_report; --",
        '"dogs',
        'dogs"',
        "a:b",
        "-dogs",
        "dogs OR",
        "(",
        ")",
        "^",
        "title:dogs",
        "dogs & river | !x",
        "'",
        "\\",
        "\x00",
        "" * 3,
        "   ",
        "🐕",
    ],
)
def test_hostile_input_is_only_text(query: str) -> None:
    found = _found(query)  # no database error
    assert found <= {"s-ar", "s-fa", "s-en", "s-fr"}
    with scopes_disabled():
        assert Report.objects.count() == 8  # nothing was dropped


@pytest.mark.usefixtures("texts")
def test_an_unbalanced_quote_runs_to_the_end_of_the_query() -> None:
    assert _found('dogs "near the river') == {"s-en"}
    assert _found('"near the') == {"s-en"}


def test_the_parser_keeps_words_phrases_and_prefixes_and_drops_punctuation() -> None:
    assert parse_query('police "near  the river" dog* * ; \'') == [
        Term("police"),
        Term("near the river"),
        Term("dog", prefix=True),
    ]
    assert parse_query("") == []
    assert len(parse_query("w " * 100)) == 16


@pytest.mark.usefixtures("texts")
def test_edits_and_deletes_keep_the_index_right() -> None:
    with scopes_disabled():
        report = Report.objects.get(ref="s-fr")
        report.narrative_text = "Ils ont pris les téléphones"
        report.save()
        assert _found("rivière") == set()
        assert _found("téléphones") == {"s-fr"}
        Report.objects.filter(ref="s-en").update(title="Nothing here", narrative_translation_en=None)
        assert _found("dogs") == set()
        Report.objects.filter(ref="s-fa").delete()
        assert _found("پلیس") == set()
        rebuild_index()  # what an operator runs after a restore: the same answers
        assert _found("téléphones") == {"s-fr"}
        assert _found("الشرطة") == {"s-ar"}


@pytest.mark.usefixtures("texts")
def test_imported_reports_are_searchable_as_soon_as_they_are_saved(store: Any) -> None:
    """The bulk import writes with executemany (SQLite) or COPY (PostgreSQL), not through the ORM."""
    with scopes_disabled():
        save([_raw("s-new", text="الكلاب عضّت صديقي")], store)
        save([_raw("s-new", text="The soldiers burned the shoes")], store)  # re-import updates the report
    assert _found("الكلاب") == set()
    assert _found("burned shoes") == {"s-new"}


@pytest.mark.usefixtures("texts")
def test_search_stays_within_what_the_person_may_see() -> None:
    with scopes_disabled():
        rig = access_for(User.objects.get(email="reviewer@rigardu.test"))
        nnk = access_for(User.objects.get(email="reviewer@nnk.test"))
        assert not filtered_reports(rig, ReportFilter(text='"CANARY-nnk"')).exists()
        assert list(filtered_reports(rig, ReportFilter(text="canary")).values_list("ref", flat=True)) == [
            "rig-shared"
        ]
        assert set(
            filtered_reports(nnk, ReportFilter(text="police phones")).values_list("ref", flat=True)
        ) == {
            "nnk-shared",
            "nnk-private",
            "nnk-draft",
        }


def test_the_database_has_its_search_index(db: None) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE 'storage_report_search%%'")
            names = {row[0] for row in cursor.fetchall()}
            assert {"storage_report_search", "storage_report_search_ai", "storage_report_search_au"} <= names
        else:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'report_search_gin'")
            assert "gin" in cursor.fetchone()[0].lower()


@pytest.mark.usefixtures("texts")
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=80))
def test_any_text_is_a_valid_query(text: str) -> None:
    assert _found(text) <= {"s-ar", "s-fa", "s-en", "s-fr"}
