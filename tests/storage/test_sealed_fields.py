"""Sensitive fields sealed with per-record keys (SECURITY goal 2): round trips, what the columns hold, values
moved between rows or fields, erasure by destroying a key, bulk writes and reads, drafts and versions, the
migration that seals what was stored before."""

from __future__ import annotations

import uuid
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import DataError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bordermonitor.core.records import ReportRecord
from bordermonitor.core.sealing import SealError, is_sealed_text, key_id_of
from bordermonitor.importers.base import outcome_for
from bordermonitor.storage import keys as keyring
from bordermonitor.storage.access import access_for
from bordermonitor.storage.audit import acting_as
from bordermonitor.storage.drafts import attach_draft, save_draft
from bordermonitor.storage.editing import update_report
from bordermonitor.storage.imports import run_import
from bordermonitor.storage.linkage_records import link_record
from bordermonitor.storage.listing import iter_records
from bordermonitor.storage.models import RecordKey, Report, ReportDraft, ReportVersion, User
from bordermonitor.storage.models.sealed import SealedLookupError, SealedWriteError
from bordermonitor.storage.rawsql import fetch
from bordermonitor.storage.repositories.bulk import insert_rows
from bordermonitor.storage.repositories.reports import record_of
from tests.storage.helpers import save

pytestmark = pytest.mark.django_db

SEALED = (
    "title",
    "narrative_text",
    "narrative_translation_en",
    "known_names",
    "source_original",
    "source_unparsed",
)
NAME = "Quennimore Zorblatt"
SENTENCE = "the lilac heron counted eleven boats before dawn"


def _raw(ref: str, **extra: Any) -> dict[str, Any]:
    return {
        "ref": ref,
        "organisation": "nnk",
        "kind": "testimony",
        "title": f"{NAME} at the river",
        "narrative": {"text": f"{NAME} said {SENTENCE}.", "language": "en", "translation_en": SENTENCE},
        "known_names": [NAME],
        "source": {"name": "bench", "original": {"narrative": SENTENCE}},
        **extra,
    }


def _columns(table: str, pk: int, names: tuple[str, ...]) -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(names)} FROM {table} WHERE id = %s", [pk])  # noqa: S608 - test constants
        return dict(zip(names, cursor.fetchone(), strict=True))


def _set_raw(table: str, pk: int, column: str, value: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, pk])  # noqa: S608 - test constants


@pytest.fixture
def reports(network_world: dict[str, Report], store: Any) -> dict[str, Report]:
    with scopes_disabled(), acting_as("cli"):
        save([_raw("sealed-a"), _raw("sealed-b")], store)
        return {r.ref: r for r in Report.objects.filter(ref__startswith="sealed-")}


# --- round trips -------------------------------------------------------------------------------------------

TEXTS = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")),
    st.sampled_from(["", " ", "شهادة: ضربتنا الشرطة", "پلیس تلفن‌ها را گرفت", "👮‍♂️🐕‍🦺🚣", "a\u200fb\u202ec"]),
    st.text(
        st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
        min_size=5000,
        max_size=20000,
    ),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXTS, names=st.lists(TEXTS, max_size=4))
def test_any_text_comes_back_as_it_was_and_is_stored_sealed(
    reports: dict[str, Report], text: str, names: list[str]
) -> None:
    with scopes_disabled():
        report = Report.objects.get(ref="sealed-a")
        report.narrative_text = text
        report.known_names = names
        report.source_original = {"cell": text, "n": 3, "empty": None}
        report.save()
        again = Report.objects.get(pk=report.pk)
        assert again.narrative_text == text
        assert again.known_names == names
        assert again.source_original == {"cell": text, "n": 3, "empty": None}
        assert Report.objects.filter(pk=report.pk).values_list("narrative_text", flat=True).get() == text
        raw = _columns("storage_report", report.pk, ("narrative_text", "known_names", "record_key_id"))
        assert (
            is_sealed_text(raw["narrative_text"]) and key_id_of(raw["narrative_text"]) == raw["record_key_id"]
        )
        if len(text) > 3:
            assert text not in raw["narrative_text"]
        if names:
            assert is_sealed_text(raw["known_names"])
        else:
            assert raw["known_names"] is None  # empty is NULL, readable without a key


def test_every_sensitive_column_holds_tokens_of_the_reports_own_key(reports: dict[str, Report]) -> None:
    with scopes_disabled():
        a, b = reports["sealed-a"], reports["sealed-b"]
        raw_a = _columns("storage_report", a.pk, (*SEALED, "record_key_id", "organisation_id"))
        raw_b = _columns("storage_report", b.pk, ("record_key_id",))
        assert raw_a["record_key_id"] != raw_b["record_key_id"]  # a key per record
        assert RecordKey.objects.get(pk=raw_a["record_key_id"]).organisation_id == raw_a["organisation_id"]
        for name in SEALED:
            if name == "source_unparsed":
                assert raw_a[name] is None  # nothing left unparsed: NULL
                continue
            assert is_sealed_text(raw_a[name]), name
            assert key_id_of(raw_a[name]) == raw_a["record_key_id"]
            assert NAME not in raw_a[name] and SENTENCE not in raw_a[name]
        assert a.narrative_text == f"{NAME} said {SENTENCE}." and a.known_names == [NAME]
        assert record_of(Report.objects.select_related("organisation", "incident").get(pk=a.pk))["source"][
            "original"
        ] == {"narrative": SENTENCE}


def test_a_report_without_sensitive_values_has_no_key(network_world: dict[str, Report], store: Any) -> None:
    with scopes_disabled(), acting_as("cli"):
        summary = save([{"ref": "plain-1", "organisation": "nnk", "kind": "testimony"}], store)
        assert summary.imported == 1, summary
        report = Report.objects.get(ref="plain-1")
        assert report.record_key_id is None
        assert _columns("storage_report", report.pk, SEALED) == dict.fromkeys(SEALED)
        assert report.known_names == [] and report.source_original == {} and report.narrative_text is None
        report.narrative_text = "told later"  # the key is made on first need, in the report's organisation
        report.save(update_fields=["narrative_text"])
        again = Report.objects.get(pk=report.pk)
        assert again.record_key_id is not None and again.narrative_text == "told later"
        assert RecordKey.objects.get(pk=again.record_key_id).organisation_id == report.organisation_id


# --- moved values --------------------------------------------------------------------------------------------


def test_a_value_moved_to_another_report_does_not_open(reports: dict[str, Report]) -> None:
    with scopes_disabled():
        a, b = reports["sealed-a"], reports["sealed-b"]
        token = _columns("storage_report", a.pk, ("narrative_text",))["narrative_text"]
        _set_raw("storage_report", b.pk, "narrative_text", token)
        moved = Report.objects.get(pk=b.pk)
        with pytest.raises(SealError, match="sealed for another record"):
            _ = moved.narrative_text
        with pytest.raises(SealError, match="sealed for another record"):
            Report.objects.filter(pk=b.pk).values_list("narrative_text", flat=True).get()
        with pytest.raises(SealError, match="sealed for another record"):
            fetch(Report.objects.filter(pk=b.pk), ("id", "narrative_text"))
        with pytest.raises(SealError, match="sealed for another record"):
            link_record(moved)  # cross-checking's bulk read checks it too
        assert Report.objects.get(pk=a.pk).narrative_text == f"{NAME} said {SENTENCE}."  # its own row: fine


def test_a_value_moved_to_another_field_does_not_open(reports: dict[str, Report]) -> None:
    with scopes_disabled():
        a = reports["sealed-a"]
        token = _columns("storage_report", a.pk, ("narrative_text",))["narrative_text"]
        _set_raw("storage_report", a.pk, "title", token)  # same record, same key, other field
        with pytest.raises(SealError, match=r"report\.title"):
            _ = Report.objects.get(pk=a.pk).title


def test_a_plain_value_written_around_the_application_is_refused_on_reading(
    reports: dict[str, Report],
) -> None:
    with scopes_disabled():
        a = reports["sealed-a"]
        _set_raw("storage_report", a.pk, "narrative_text", "typed straight into the database")
        with pytest.raises(SealError, match="not sealed"):
            _ = Report.objects.get(pk=a.pk).narrative_text


# --- erasure -------------------------------------------------------------------------------------------------


def test_destroying_the_record_key_erases_the_report_and_its_history_only(
    network_world: dict[str, Report], reports: dict[str, Report]
) -> None:
    with scopes_disabled(), acting_as("user:test"):
        reviewer = access_for(User.objects.get(email="reviewer@nnk.test"))
        a, b = reports["sealed-a"], reports["sealed-b"]
        record = record_of(Report.objects.select_related("organisation", "incident").get(pk=a.pk))
        record["narrative"]["text"] = "edited once"
        update_report(
            access=reviewer, report=a, record=ReportRecord.model_validate(record), expected_version=a.version
        )
        assert ReportVersion.objects.filter(report=a).count() == 2
        assert set(ReportVersion.objects.filter(report=a).values_list("record_key_id", flat=True)) == {
            a.record_key_id
        }
        assert keyring.destroy_record_keys([a.record_key_id]) == 1
        keyring.clear_caches()
        erased = Report.objects.get(pk=a.pk)
        for name in SEALED:
            # what was sealed reads as None; what was empty (nothing unparsed) stays empty
            assert getattr(erased, name) == ([] if name == "source_unparsed" else None), name
        assert erased.erased_on is not None  # what a page shows: "erased on <date>"
        assert erased.status == a.status and erased.ref == "sealed-a"  # coded fields stay
        assert list(ReportVersion.objects.filter(report=a).values_list("record", flat=True)) == [None, None]
        kept = Report.objects.get(pk=b.pk)
        assert kept.narrative_text == f"{NAME} said {SENTENCE}." and kept.erased_on is None
        # nothing new can be sealed with a destroyed key
        erased.narrative_text = "new text"
        with pytest.raises(SealError, match="erased"):
            erased.save()


# --- writes in bulk ------------------------------------------------------------------------------------------


def test_the_import_seals_in_bulk_without_a_query_per_report(
    network_world: dict[str, Report], store: Any
) -> None:
    def imported(prefix: str, count: int) -> int:
        outcomes = [outcome_for(_raw(f"{prefix}-{n}"), where=f"line {n}") for n in range(count)]
        with CaptureQueriesContext(connection) as queries:
            run_import(outcomes, store=store, batch_size=1000)
        return len(queries)

    with scopes_disabled(), acting_as("cli"):
        few = imported("few", 5)
        many = imported("many", 60)
        assert many == few  # keys made and values sealed per batch, not per report
        rows = list(Report.objects.filter(ref__startswith="many-"))
        assert len({r.record_key_id for r in rows}) == 60
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT narrative_text, known_names, title FROM storage_report WHERE ref LIKE 'many-%%'"
            )
            for values in cursor.fetchall():
                assert all(is_sealed_text(v) for v in values)
        assert all(r.narrative_text == f"{NAME} said {SENTENCE}." for r in rows)


def test_querysets_seal_what_they_write(reports: dict[str, Report]) -> None:
    with scopes_disabled():
        a, b = reports["sealed-a"], reports["sealed-b"]
        assert Report.objects.filter(pk__in=[a.pk, b.pk]).update(title="same title", flagged=True) == 2
        raw = _columns("storage_report", a.pk, ("title",))["title"]
        assert is_sealed_text(raw) and "same title" not in raw
        a, b = Report.objects.get(pk=a.pk), Report.objects.get(pk=b.pk)
        a.narrative_translation_en, b.narrative_translation_en = "first", "second"
        Report.objects.bulk_update([a, b], ["narrative_translation_en"])
        assert [r.narrative_translation_en for r in Report.objects.filter(pk__in=[a.pk, b.pk])] == [
            "first",
            "second",
        ]
        assert a.narrative_translation_en == "first"  # the instance keeps its plain value
        unread = Report.objects.get(pk=a.pk)  # its narrative never opened: written back as it was
        Report.objects.bulk_update([unread], ["narrative_text", "title"])
        assert Report.objects.get(pk=a.pk).narrative_text == f"{NAME} said {SENTENCE}."
        with pytest.raises(SealedWriteError):
            insert_rows(
                Report, [{"ref": "around", "narrative_text": "plain", "organisation_id": a.organisation_id}]
            )


def test_a_json_field_takes_only_json(reports: dict[str, Report]) -> None:
    with scopes_disabled():
        report = Report.objects.get(ref="sealed-a")
        report.source_original = {"age": float("nan")}  # refused as a JSON column refuses it
        with pytest.raises(DataError, match="not valid JSON"), transaction.atomic():
            report.save()
        assert Report.objects.get(pk=report.pk).source_original == {"narrative": SENTENCE}


def test_only_emptiness_can_be_asked_of_a_sealed_column(reports: dict[str, Report], store: Any) -> None:
    with scopes_disabled(), acting_as("cli"):
        save([{"ref": "sealed-none", "organisation": "nnk", "kind": "testimony"}], store)
        mine = Report.objects.filter(ref__startswith="sealed-")
        assert set(mine.filter(known_names=[]).values_list("ref", flat=True)) == {"sealed-none"}
        assert set(mine.exclude(known_names=[]).values_list("ref", flat=True)) == {"sealed-a", "sealed-b"}
        assert set(mine.filter(narrative_text__isnull=False).values_list("ref", flat=True)) == {
            "sealed-a",
            "sealed-b",
        }
        with pytest.raises(SealedLookupError):
            list(mine.filter(narrative_text=SENTENCE))
        with pytest.raises(SealedLookupError):
            list(mine.filter(known_names=[NAME]))


# --- reads in bulk -------------------------------------------------------------------------------------------


def test_lists_read_the_keys_of_a_page_in_one_query(network_world: dict[str, Report], store: Any) -> None:
    with scopes_disabled(), acting_as("cli"):
        save([_raw(f"list-{n}") for n in range(40)], store)
        ids = list(Report.objects.filter(ref__startswith="list-").order_by("id").values_list("id", flat=True))

        def queries_for(part: list[int]) -> int:
            keyring.clear_caches()
            with CaptureQueriesContext(connection) as queries:
                titles = [record["title"] for _, record in iter_records(part)]
            assert titles == [f"{NAME} at the river"] * len(part)
            return len(queries)

        assert queries_for(ids[:3]) == queries_for(ids)  # 3 or 40 rows: the same queries


# --- drafts and versions -------------------------------------------------------------------------------------


def test_drafts_and_versions_are_sealed_with_the_reports_key(network_world: dict[str, Report]) -> None:
    with scopes_disabled(), acting_as("user:test"):
        user = User.objects.get(email="documenter@nnk.test")
        access = access_for(user)
        report = network_world["nnk-shared"]
        token = uuid.uuid4()
        draft = save_draft(
            access=access,
            user=user,
            data={"narrative_text": SENTENCE, "known_names": [NAME]},
            organisation_id=report.organisation_id,
            token=token,
        )
        raw = _columns("storage_reportdraft", draft.pk, ("data", "record_key_id"))
        assert is_sealed_text(raw["data"]) and SENTENCE not in raw["data"]
        own_key = raw["record_key_id"]
        assert own_key != report.record_key_id  # no report yet: a key of its own
        assert ReportDraft.objects.get(pk=draft.pk).data == {
            "narrative_text": SENTENCE,
            "known_names": [NAME],
        }

        attach_draft(user=user, token=token, report=report)
        raw = _columns("storage_reportdraft", draft.pk, ("data", "record_key_id"))
        assert raw["record_key_id"] == report.record_key_id and key_id_of(raw["data"]) == report.record_key_id
        assert RecordKey.objects.get(pk=own_key).wrapped is None  # the draft's own key is gone
        assert ReportDraft.objects.get(pk=draft.pk).data["narrative_text"] == SENTENCE

        reviewer = access_for(User.objects.get(email="reviewer@nnk.test"))
        record = record_of(Report.objects.select_related("organisation", "incident").get(pk=report.pk))
        record["narrative"]["text"] = f"{NAME}: {SENTENCE}"
        update_report(
            access=reviewer,
            report=report,
            record=ReportRecord.model_validate(record),
            expected_version=report.version,
        )
        for version in ReportVersion.objects.filter(report=report):
            raw = _columns("storage_reportversion", version.pk, ("record", "record_key_id"))
            assert is_sealed_text(raw["record"]) and NAME not in raw["record"]
            assert raw["record_key_id"] == report.record_key_id
        latest = ReportVersion.objects.filter(report=report).order_by("-version").first()
        assert latest is not None and latest.record["narrative"]["text"] == f"{NAME}: {SENTENCE}"


# --- the migration -------------------------------------------------------------------------------------------


def test_the_migration_seals_what_was_stored_in_plain_text(network_world: dict[str, Report]) -> None:
    """Values written before migration 0012 (plain text and JSON) are sealed by its data step."""
    import importlib
    import json

    migration = importlib.import_module("bordermonitor.storage.migrations.0012_field_encryption")
    with scopes_disabled():
        report = network_world["nnk-private"]
        bare = network_world["nnk-draft"]
        user = User.objects.get(email="documenter@nnk.test")
        version = ReportVersion.objects.create(report=report, version=1, record={"x": 1}, actor="cli")
        draft = ReportDraft.objects.create(
            token=uuid.uuid4(), organisation_id=report.organisation_id, user=user, data={"y": "z"}
        )
        with connection.cursor() as cursor:  # as the rows were before 0012
            cursor.execute(
                "UPDATE storage_report SET record_key_id = NULL, title = %s, narrative_text = %s, "
                "narrative_translation_en = NULL, known_names = %s, source_original = %s, source_unparsed = %s "
                "WHERE id = %s",
                ["a title", SENTENCE, json.dumps([NAME]), "{}", "[]", report.pk],
            )
            cursor.execute(
                "UPDATE storage_report SET record_key_id = NULL, title = NULL, narrative_text = NULL, "
                "narrative_translation_en = NULL, known_names = '[]', source_original = '{}', "
                "source_unparsed = '[]' WHERE id = %s",
                [bare.pk],
            )
            cursor.execute(
                "UPDATE storage_reportversion SET record_key_id = NULL, record = %s WHERE id = %s",
                [json.dumps({"narrative": SENTENCE}), version.pk],
            )
            cursor.execute(
                "UPDATE storage_reportdraft SET record_key_id = NULL, data = %s WHERE id = %s",
                [json.dumps({"title": NAME}), draft.pk],
            )
        state = MigrationExecutor(connection).loader.project_state(("storage", "0012_field_encryption"))
        # the data step uses only the schema editor's connection (a schema editor cannot open inside the test's
        # transaction on SQLite)
        migration.seal_existing(state.apps, SimpleNamespace(connection=connection))
        keyring.clear_caches()

        raw = _columns("storage_report", report.pk, (*SEALED, "record_key_id"))
        assert raw["record_key_id"] is not None
        assert all(is_sealed_text(raw[n]) for n in ("title", "narrative_text", "known_names"))
        assert raw["source_original"] is None and raw["source_unparsed"] is None  # empties: NULL
        again = Report.objects.get(pk=report.pk)
        assert (again.title, again.narrative_text, again.known_names) == ("a title", SENTENCE, [NAME])
        assert _columns("storage_report", bare.pk, ("known_names", "record_key_id")) == {
            "known_names": None,
            "record_key_id": None,
        }
        raw = _columns("storage_reportversion", version.pk, ("record", "record_key_id"))
        assert raw["record_key_id"] == again.record_key_id and SENTENCE not in raw["record"]
        assert ReportVersion.objects.get(pk=version.pk).record == {"narrative": SENTENCE}
        raw = _columns("storage_reportdraft", draft.pk, ("data", "record_key_id"))
        assert raw["record_key_id"] not in (None, again.record_key_id) and NAME not in raw["data"]
        assert ReportDraft.objects.get(pk=draft.pk).data == {"title": NAME}
