"""Full-text search (storage/search.py) on the database the tests run on: SQLite FTS5 or PostgreSQL.

What is searched is what may be read without a record key: the public title and narrative, the place and the
region. The title, the narrative and its translation are sealed and never reach the index."""

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
from bordermonitor.storage.search import SEARCHED, Term, matching, parse_query, rebuild_index
from tests.storage.helpers import save

pytestmark = pytest.mark.django_db


def _raw(
    ref: str,
    *,
    title: str | None = None,
    text: str | None = None,
    place: str | None = None,
    secret: str | None = None,
) -> dict[str, Any]:
    return {
        "ref": ref,
        "organisation": "nnk",
        "kind": "testimony",
        "title": f"{secret} title" if secret else None,
        "narrative": {"text": secret, "language": "ar", "translation_en": secret},
        "incident": {"location": {"place": place, "region": "Una-Sana" if place else None}},
        "public": {"title": title, "narrative": text},
    }


@pytest.fixture
def texts(network_world: dict[str, Report], store: Any) -> None:
    with scopes_disabled():
        save(
            [
                _raw("s-ar", title="شهادة", text="ضربتنا الشرطة على الحدود وأخذت الهواتف"),
                _raw("s-fa", text="پلیس ما را زد و تلفن‌ها را گرفت"),
                _raw(
                    "s-en",
                    title="Dogs at the border",
                    text="The officers set the dogs on us near the river",
                    secret="Zorblatt",
                ),
                _raw("s-fr", text="Les policiers ont brûlé nos sacs près de la rivière", place="Maljevac"),
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
        ("شهادة", {"s-ar"}),  # the public title is searched too
        ("dogs river", {"s-en"}),  # all words must match
        ("dogs policiers", set()),
        ('"near the river"', {"s-en"}),
        ('"the river near"', set()),  # a phrase keeps its order
        ("rivière", {"s-fr"}),
        ("RIVIÈRE", {"s-fr"}),
        ("offic*", {"s-en"}),
        ("پلی*", {"s-fa"}),
        ("offic", set()),  # without the star a word is whole
        ("maljevac", {"s-fr"}),  # the place name
        ("una sana", {"s-fr"}),  # the region
        ("zorblatt", set()),  # the sealed title, narrative and translation are not in the index
        ("zorbl*", set()),
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
        report.public_narrative = "Ils ont pris les téléphones"
        report.narrative_text = "Quennimore"  # sealed: written, never indexed
        report.save()
        assert _found("rivière") == set()
        assert _found("téléphones") == {"s-fr"}
        assert _found("quennimore") == set()
        Report.objects.filter(ref="s-en").update(public_title="Nothing here", public_narrative=None)
        assert _found("dogs") == set()
        Report.objects.filter(ref="s-fa").delete()
        assert _found("پلیس") == set()
        rebuild_index()  # what an operator runs after a restore: the same answers
        assert _found("téléphones") == {"s-fr"}
        assert _found("الشرطة") == {"s-ar"}
        assert _found("quennimore") == set()


@pytest.mark.usefixtures("texts")
def test_imported_reports_are_searchable_as_soon_as_they_are_saved(store: Any) -> None:
    """The bulk import writes with executemany (SQLite) or COPY (PostgreSQL), not through the ORM."""
    with scopes_disabled():
        save([_raw("s-new", text="الكلاب عضّت صديقي")], store)
        save([_raw("s-new", text="The soldiers burned the shoes", secret="Quennimore")], store)  # re-import
    assert _found("الكلاب") == set()
    assert _found("burned shoes") == {"s-new"}
    assert _found("quennimore") == set()


@pytest.mark.usefixtures("texts")
def test_search_stays_within_what_the_person_may_see(network_world: dict[str, Report]) -> None:
    with scopes_disabled():
        for report in network_world.values():
            Report.objects.filter(pk=report.pk).update(
                public_narrative=f"PUBLIC-{report.ref}: the police took the phones"
            )
        rig = access_for(User.objects.get(email="reviewer@rigardu.test"))
        nnk = access_for(User.objects.get(email="reviewer@nnk.test"))
        assert not filtered_reports(rig, ReportFilter(text='"PUBLIC-nnk"')).exists()
        assert list(filtered_reports(rig, ReportFilter(text="public")).values_list("ref", flat=True)) == [
            "rig-shared"
        ]
        assert set(
            filtered_reports(nnk, ReportFilter(text="police phones")).values_list("ref", flat=True)
        ) == {
            "nnk-shared",
            "nnk-private",
            "nnk-draft",
        }
        # the narratives hold CANARY-<ref>, sealed: not found by anyone
        assert not filtered_reports(nnk, ReportFilter(text="canary")).exists()


def test_the_database_has_its_search_index(db: None) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE name LIKE 'storage_report_search%%'")
            found = dict(cursor.fetchall())
            assert {"storage_report_search", "storage_report_search_ai", "storage_report_search_au"} <= set(
                found
            )
            definitions = " ".join(sql for sql in found.values() if sql)
        else:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'report_search_gin'")
            definitions = cursor.fetchone()[0]
            assert "gin" in definitions.lower()
    for column in SEARCHED:
        assert column in definitions
    for sealed in ("narrative_text", "narrative_translation_en", "(title", " title,", "known_names"):
        assert sealed not in definitions  # an index of a sealed column would hold its words in plain text


@pytest.mark.usefixtures("texts")
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=80))
def test_any_text_is_a_valid_query(text: str) -> None:
    assert _found(text) <= {"s-ar", "s-fa", "s-en", "s-fr"}
