"""SECURITY goal 11: erasure by destroying keys, with a retention schedule.

Each erasure rule is tested for what a person would check afterwards: the values cannot be decrypted any more
(the wrapped record key is gone, the fields read as nothing, and the tokens as they were stored open with no key
that still exists), search finds nothing, the evidence files are gone and cannot be opened, the audit chain still
verifies and holds the erase events, other reports are untouched, and the figures are unchanged (testimony) or
leave the tombstone out (record). The schedule erases only reports of the status and age its lines name, at
explicit times; a dry run changes nothing. Last, the database as an attacker holding the server's disk and the
master key would read it — SQLite: the database file and its log; PostgreSQL: ``pg_dump`` — holds neither the
erased report's words nor its wrapped record key, while it did before the erasure.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from bordermonitor.cli import main
from bordermonitor.commands.retention import RULE_NAMES
from bordermonitor.core.records import ReportRecord
from bordermonitor.core.sealing import SealError, open_text, unseal
from bordermonitor.evidence.check import check_evidence
from bordermonitor.importers.base import Outcome, outcome_for
from bordermonitor.publish.collect import publishable
from bordermonitor.storage import keys as keyring
from bordermonitor.storage.access import access_for
from bordermonitor.storage.accounts import UnknownOrganisation
from bordermonitor.storage.audit import acting_as, verify
from bordermonitor.storage.drafts import save_draft
from bordermonitor.storage.editing import update_report
from bordermonitor.storage.evidence import FileProblem, add_evidence, evidence_store, open_original
from bordermonitor.storage.imports import run_import
from bordermonitor.storage.linkage_records import pairable
from bordermonitor.storage.matrix import COUNTED_STATUSES
from bordermonitor.storage.models import (
    AuditEvent,
    Erasure,
    Evidence,
    EvidenceDerivative,
    LinkCandidate,
    OrganisationKey,
    RecordKey,
    Report,
    ReportDraft,
    ReportTransition,
    ReportVersion,
    User,
)
from bordermonitor.storage.models.sealed import RecordErased, sealed_fields
from bordermonitor.storage.repositories.reports import incident_accounts, record_of
from bordermonitor.storage.repositories.sealing import record_key_label
from bordermonitor.storage.retention import (
    ERASED_KEY_HEADER,
    RULES,
    TOMBSTONE_KEEPS,
    AlreadyErased,
    EraseEvidence,
    EraseRecord,
    EraseTestimony,
    NoReason,
    ScheduleRefused,
    UnknownReport,
    apply_schedule,
    due,
    erase,
    erase_ref,
    erasing,
    remove_line,
    schedule,
    set_line,
)
from bordermonitor.storage.search import matching
from bordermonitor.storage.statistics import network_stats
from bordermonitor.storage.workflow import move_report
from tests.evidence import corpus
from tests.storage.helpers import save

pytestmark = pytest.mark.django_db

CHECKLIST = {
    "consent_confirmed": True,
    "date_location_plausible": True,
    "evidence_consistent": True,
    "typology_coded": True,
    "narrative_reviewed": True,
}
SEALED = ("title", "narrative_text", "narrative_translation_en", "known_names", "source_original")
REASON = "consent withdrawn, request 2024-07"
NOTE = "both name the same driver"


@dataclasses.dataclass(frozen=True)
class Canaries:
    """The made-up words of one report: sealed ones (name, sentence, translation, draft) and plain ones (the
    comment on a workflow move, officers, violence detail, unit, the public narrative's word)."""

    name: str
    sentence: str
    translation: str
    drafted: str
    comment: str
    officers: str
    detail: str
    unit: str
    word: str

    @property
    def plain(self) -> tuple[str, ...]:
        return (self.comment, self.officers, self.detail, self.unit, self.word)

    @property
    def every(self) -> tuple[str, ...]:
        return (self.name, self.sentence, self.translation, self.drafted, *self.plain)


ERASED = Canaries(
    name="Pellinore Vashtikar",
    sentence="the amber tram slid past thirteen lanterns",
    translation="a walnut kite rested on the ninth roof",
    drafted="violet cranes circled the quarry",
    comment="please blur the tattoo of the tall one",
    officers="balaclavas with a stitched grebe emblem",
    detail="struck with a quillon baton",
    unit="Moraine intervention squad",
    word="Zebulonquay",
)
KEPT = Canaries(
    name="Orsolya Brentmoor",
    sentence="the copper ferry waited by the seventh pylon",
    translation="nine herons crossed the frozen marsh",
    drafted="a tin whistle echoed twice",
    comment="please check the date with the second witness",
    officers="grey vests with a painted heron badge",
    detail="kicked with steel-capped boots",
    unit="Tamarisk patrol unit",
    word="Quorvathine",
)
NAME, SENTENCE = ERASED.name, ERASED.sentence
CANARIES = {"nnk-erase": ERASED, "nnk-keep": KEPT}


def raw(ref: str, *, status: str = "in_review", date: str = "2024-05-01") -> dict[str, Any]:
    """A report full of its canaries (:data:`CANARIES`), sealed and plain."""
    words = CANARIES[ref]
    return {
        "ref": ref,
        "organisation": "nnk",
        "kind": "testimony",
        "status": status,
        "recorded_on": "2024-05-02",
        "consent": {"publish": True, "share_with_network": True, "legal_use": True},
        "title": f"Testimony of {words.name}",
        "narrative": {
            "text": f"{words.name} said {words.sentence}.",
            "language": "en",
            "translation_en": words.translation,
        },
        "known_names": [words.name],
        "incident": {
            "date": date,
            "kind": "chain_pushback",
            "location": {"lat": 45.2, "lon": 15.8, "place": "Bihać", "country": "BA"},
            "expelled_by": ["SI", "HR"],
            "expelled_to": "BA",
            "group": {"size": 7, "minors": 2, "minors_involved": "yes", "nationalities": ["AF", "SY"]},
            "violence": [{"type": "beating", "detail": words.detail}, {"type": "dog_attack"}],
            "officers": {"min": 2, "max": 4, "description": words.officers},
            "perpetrators": [{"authority": "hr-border-police", "unit": words.unit}],
            "dead": 1,
        },
        "source": {
            "name": "field interview",
            "original": {"interviewer": words.name, "notes": words.sentence},
        },
        "public": {
            "title": "Pushback at the river",
            # long enough to need overflow pages in SQLite, which an update frees (secure_delete zeroes them)
            "narrative": f"A group was pushed back near {words.word}. "
            + "The river was high. " * 300
            + words.word,
        },
    }


def edited_text(ref: str) -> str:
    words = CANARIES[ref]
    return f"{words.name} said {words.sentence}, then left."


@pytest.fixture
def data_dir(settings: Any, tmp_path: Path) -> Path:
    """A data directory of the test's own (evidence store and master key), set before any key is made."""
    settings.BORDERMONITOR = dataclasses.replace(settings.BORDERMONITOR, data_dir=tmp_path / "data")
    return tmp_path / "data"


def _upload(report: Report, data: bytes, kind: str, description: str | None = None) -> Evidence:
    reviewer = User.objects.get(email="reviewer@nnk.test")
    return add_evidence(
        access=access_for(reviewer),
        report=report,
        upload=io.BytesIO(data),
        kind=kind,
        description=description,
        user=reviewer,
    )


def _verified(report: Report, reviewer: User, comment: str) -> None:
    """In review → changes requested (with ``comment``) → submitted → in review → verified."""
    with acting_as(f"user:{reviewer.pk}"):
        for target, extra in (
            ("changes_requested", {"comment": comment}),
            ("submitted", {}),
            ("in_review", {}),
            ("verified", {"checklist": CHECKLIST}),
        ):
            move_report(report, target=target, roles={"reviewer"}, **extra)  # type: ignore[arg-type]


def build(store: Any, *, pdf: bool = True) -> dict[str, Report]:
    """``nnk-erase`` and ``nnk-keep``: verified reports of nnk full of their canaries, each edited once (a saved
    version), with a draft of its form, evidence files with their copies and a comment on a workflow move; a
    cross-checking pair between them with a note. Needs the organisation nnk and its reviewer."""
    reviewer = User.objects.get(email="reviewer@nnk.test")
    access = access_for(reviewer)
    save([raw("nnk-erase"), raw("nnk-keep", date="2024-06-03")], store)
    for ref, words in CANARIES.items():
        report = Report.objects.select_related("organisation", "incident").get(ref=ref)
        edited = record_of(report)
        edited["narrative"]["text"] = edited_text(ref)
        report = update_report(
            access=access,
            report=report,
            record=ReportRecord.model_validate(edited),
            expected_version=report.version,
        )
        save_draft(access=access, user=reviewer, data={"narrative_text": words.drafted}, report=report)
        _upload(report, corpus.jpeg_with_gps(), "photo", description=f"photo of {words.name}")
        if pdf:
            _upload(report, corpus.pdf_with_everything(), "medical_report")
        _verified(Report.objects.select_related("organisation").get(pk=report.pk), reviewer, words.comment)
    a, b = sorted(Report.objects.filter(ref__in=list(CANARIES)), key=lambda r: r.pk)
    side = {a.ref: "a", b.ref: "b"}
    LinkCandidate.objects.create(
        report_a=a,
        report_b=b,
        score=0.9,
        agreements={
            "score": 0.9,
            "agreements": {
                "officers": {
                    "level": "similar",
                    "weight": 2.0,
                    **{side[r]: w.officers for r, w in CANARIES.items()},
                },
                "date": {
                    "level": "near",
                    "weight": 1.0,
                    side["nnk-erase"]: "2024-05-01",
                    side["nnk-keep"]: "2024-06-03",
                    "measure": 33,
                },
            },
        },
        model_version="test",
        note=NOTE,
    )
    return {r.ref: r for r in Report.objects.select_related("organisation").filter(ref__in=list(CANARIES))}


@pytest.fixture
def world(data_dir: Path, network_world: dict[str, Report], network: None, store: Any) -> dict[str, Report]:
    """:func:`build` in the small network of ``tests.network`` (whose reports stay as they are)."""
    return {**network_world, **build(store)}


# --- reading straight from the database ----------------------------------------------------------------------


def _tokens(report_id: int) -> list[str]:
    """Every sealed token the database holds for the report: its columns, its versions, its drafts."""
    found: list[str] = []
    with connection.cursor() as cursor:
        columns = ", ".join((*SEALED, "source_unparsed"))
        cursor.execute(f"SELECT {columns} FROM storage_report WHERE id = %s", [report_id])  # noqa: S608
        found += [value for value in cursor.fetchone() if value]
        cursor.execute("SELECT record FROM storage_reportversion WHERE report_id = %s", [report_id])
        found += [value for (value,) in cursor.fetchall() if value]
        cursor.execute("SELECT data FROM storage_reportdraft WHERE report_id = %s", [report_id])
        found += [value for (value,) in cursor.fetchall() if value]
    return found


def _remaining_keys() -> list[bytes]:
    """Every key that still exists: each record key not destroyed, and each organisation's data keys."""
    keys = []
    for row in RecordKey.objects.filter(wrapped__isnull=False):
        key = keyring.record_key(row.pk)
        assert key is not None
        keys.append(key)
    for row in OrganisationKey.objects.all():
        keys.append(keyring.data_key(row.organisation_id, row.version)[1])
    return keys


_LABELS = (
    *(f"report.{name}" for name in (*SEALED, "source_unparsed")),
    "reportversion.record",
    "reportdraft.data",
)


def _opens_with_any(token: str, keys: list[bytes]) -> bool:
    for key in keys:
        for label in _LABELS:
            try:
                open_text(key, token, label)
            except SealError:
                continue
            return True
    return False


def _search(text: str) -> list[str]:
    return sorted(matching(Report.objects.all(), text).values_list("ref", flat=True))


def _files(report: Report) -> list[Path]:
    store = evidence_store()
    blobs = list(
        Evidence.objects.filter(report=report).exclude(blob__isnull=True).values_list("blob", flat=True)
    )
    blobs += list(
        EvidenceDerivative.objects.filter(evidence__report=report)
        .exclude(blob__isnull=True)
        .values_list("blob", flat=True)
    )
    return [store.path_for(blob) for blob in blobs]


def _erase_events() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="erase").order_by("seq"))


def _stats_cli() -> dict[str, Any]:
    result = CliRunner().invoke(main, ["stats", "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    figures: dict[str, Any] = json.loads(result.output)
    return figures


def _state(report: Report) -> dict[str, Any]:
    """What a person reads of a report: its texts, its versions and drafts, its files."""
    fresh = Report.objects.get(pk=report.pk)
    return {
        "narrative": fresh.narrative_text,
        "names": fresh.known_names,
        "public": fresh.public_narrative,
        "officers": fresh.officers_description,
        "details": [v.detail for v in fresh.violence.all()],
        "files": [path.read_bytes() for path in _files(fresh)],
        "versions": [v.record for v in ReportVersion.objects.filter(report=fresh)],
        "drafts": [d.data for d in ReportDraft.objects.filter(report=fresh)],
        "comments": [t.comment for t in ReportTransition.objects.filter(report=fresh).order_by("pk")],
    }


@dataclasses.dataclass
class Before:
    """What a test reads before an erasure, to compare with afterwards."""

    tokens: list[str]
    files: list[Path]
    stats: dict[str, Any]
    stats_cli: dict[str, Any]
    kept: dict[str, Any]
    others: dict[str, str | None]
    key_id: int


def _before(world: dict[str, Report]) -> Before:
    target = Report.objects.get(pk=world["nnk-erase"].pk)
    before = Before(
        tokens=_tokens(target.pk),
        files=_files(target),
        stats=network_stats(),
        stats_cli=_stats_cli(),
        kept=_state(world["nnk-keep"]),
        others={r.ref: r.narrative_text for r in Report.objects.exclude(ref__in=list(CANARIES))},
        key_id=int(target.record_key_id),
    )
    # the checks after the erasure can fail: before it everything is there and opens
    assert len(before.tokens) >= 8 and len(before.files) >= 4 and all(p.is_file() for p in before.files)
    assert all(_opens_with_any(token, _remaining_keys()) for token in before.tokens)
    assert _search(ERASED.word) == ["nnk-erase"] and _search("pushed back") == ["nnk-erase", "nnk-keep"]
    assert RecordKey.objects.get(pk=before.key_id).wrapped is not None
    return before


def _assert_untouched(world: dict[str, Report], before: Before) -> None:
    keep = world["nnk-keep"]
    assert _state(keep) == before.kept
    assert before.kept["narrative"] == edited_text("nnk-keep") and before.kept["drafts"]
    assert Report.objects.get(pk=keep.pk).erased_at is None and _search(KEPT.word) == ["nnk-keep"]
    for evidence in Evidence.objects.filter(report=keep):
        with open_original(evidence) as stream:
            assert stream.read(), evidence.kind
    assert {r.ref: r.narrative_text for r in Report.objects.exclude(ref__in=list(CANARIES))} == before.others


def _assert_chain(count: int) -> list[AuditEvent]:
    assert verify().ok
    events = _erase_events()
    assert len(events) == count
    for event in events:
        text = json.dumps(event.details, ensure_ascii=False)
        assert not [w for w in (*ERASED.every, REASON) if w in text]
    return events


def _assert_files_erased(world: dict[str, Report], before: Before, *, evidence: int = 2) -> None:
    assert not any(path.exists() for path in before.files)
    rows = list(Evidence.objects.filter(report=world["nnk-erase"]).order_by("pk"))
    assert len(rows) == evidence
    assert not EvidenceDerivative.objects.filter(evidence__report=world["nnk-erase"]).exists()
    for row in rows:
        assert bytes(row.key_header) == ERASED_KEY_HEADER and row.blob is None and row.path == ""
        assert not row.stored and not row.publish and row.description is None
        with pytest.raises(FileProblem):
            open_original(row)
    check = check_evidence()
    assert check.ok and check.problems == [] and check.unreferenced == []


def _sides(report: Report) -> tuple[dict[str, Any], str, str]:
    pair = LinkCandidate.objects.get()
    side = "a" if pair.report_a_id == report.pk else "b"
    return pair.agreements["agreements"], side, "b" if side == "a" else "a"


# --- the rules -----------------------------------------------------------------------------------------------


def test_the_rules_are_named_documented_and_ordered() -> None:
    assert [(type(rule), name) for name, rule in RULES.items()] == [
        (EraseEvidence, "evidence"),
        (EraseTestimony, "testimony"),
        (EraseRecord, "record"),
    ]
    for rule in RULES.values():
        assert len(type(rule).__doc__ or "") > 300, type(rule)
    assert RULES["record"].covers(RULES["testimony"]) and RULES["testimony"].covers(RULES["evidence"])
    assert not RULES["evidence"].covers(RULES["testimony"])
    assert RULE_NAMES == tuple(RULES)


def test_erase_testimony_destroys_the_key_and_keeps_the_figures(world: dict[str, Report]) -> None:
    target = world["nnk-erase"]
    before = _before(world)
    done = erase_ref("nnk", "nnk-erase", "testimony", reason=REASON)
    assert (done.organisation, done.ref, done.rule, done.files_left) == ("nnk", "nnk-erase", "testimony", [])
    assert (done.counts["record_keys"], done.counts["evidence"], done.counts["drafts"]) == (1, 2, 1)
    assert done.counts["versions"] == 2 and done.counts["files"] == len(set(before.files))

    # the key is gone, the fields read as nothing, no token is left, and those there were open with no key left
    key = RecordKey.objects.get(pk=before.key_id)
    assert key.wrapped is None and key.destroyed_at is not None
    erased = Report.objects.get(pk=target.pk)
    assert erased.erased_at is not None and erased.erased_on == erased.erased_at
    for name in SEALED:
        assert getattr(erased, name) in (None, [], {}), name
    assert (erased.public_title, erased.public_narrative, erased.public_approved_at) == (None, None, None)
    assert erased.officers_description is None
    assert [v.detail for v in erased.violence.all()] == [None, None]
    assert [(p.unit, p.description) for p in erased.perpetrators.all()] == [(None, None)]
    versions = list(ReportVersion.objects.filter(report=target))
    assert len(versions) == 2 and all(v.record == {} for v in versions)  # who changed it when: kept
    assert not ReportDraft.objects.filter(report=target).exists()
    assert not any(t.comment for t in ReportTransition.objects.filter(report=target))
    assert _tokens(target.pk) == []
    keys = _remaining_keys()
    assert keys and not any(_opens_with_any(token, keys) for token in before.tokens)
    erased.narrative_text = "told again"
    with pytest.raises(RecordErased), transaction.atomic():
        erased.save()

    # the coded facts stay: same status, same figures
    erased = Report.objects.get(pk=target.pk)
    assert (erased.status, erased.dead, erased.date_start) == ("verified", 1, dt.date(2024, 5, 1))
    assert [v.code for v in erased.violence.all()] == ["beating", "dog_attack"]
    assert network_stats() == before.stats and _stats_cli() == before.stats_cli

    # search finds nothing of it; its pair no longer holds its words; its files are gone
    for text in (ERASED.word, ERASED.name, ERASED.sentence, "pushed back"):
        assert "nnk-erase" not in _search(text), text
    agreements, side, other = _sides(target)
    assert agreements["officers"][side] is None and agreements["officers"][other] == KEPT.officers
    assert agreements["date"][side] == "2024-05-01" and agreements["date"]["measure"] == 33  # coded: kept
    assert LinkCandidate.objects.get().note is None
    _assert_files_erased(world, before)

    (event,) = _assert_chain(1)
    assert (event.object_ref, event.organisation, event.object_type) == ("nnk-erase", "nnk", "report")
    erasure = Erasure.objects.get()
    assert event.details == {"rule": "testimony", "erasure": erasure.pk, "counts": erasure.counts}
    assert (erasure.reason, erasure.status_before, erasure.schedule, erasure.actor) == (
        REASON,
        "verified",
        None,
        "cli",
    )
    _assert_untouched(world, before)


def test_erase_evidence_erases_the_files_only(world: dict[str, Report]) -> None:
    target = world["nnk-erase"]
    before = _before(world)
    done = erase_ref("nnk", "nnk-erase", "evidence", reason=REASON)
    assert set(done.counts) == {"evidence", "copies", "files"} and done.counts["evidence"] == 2
    assert done.counts["copies"] >= 2 and done.counts["files"] == len(set(before.files))
    _assert_files_erased(world, before)
    # the testimony is still there, and readable
    report = Report.objects.get(pk=target.pk)
    assert report.narrative_text == edited_text("nnk-erase") and report.known_names == [ERASED.name]
    assert report.erased_at is None and RecordKey.objects.get(pk=before.key_id).wrapped is not None
    assert _search(ERASED.word) == ["nnk-erase"] and network_stats() == before.stats
    _assert_chain(1)
    _assert_untouched(world, before)
    with pytest.raises(AlreadyErased):  # nothing left for the same rule
        erase_ref("nnk", "nnk-erase", "evidence", reason=REASON)
    assert len(_erase_events()) == 1
    # a stronger rule still has work: the testimony
    assert erase_ref("nnk", "nnk-erase", "testimony", reason=REASON).counts["evidence"] == 0
    assert Report.objects.get(pk=target.pk).narrative_text is None


def test_erase_record_leaves_a_tombstone_that_counts_nowhere(world: dict[str, Report]) -> None:
    target = world["nnk-erase"]
    before = _before(world)
    assert target.pk in _matrix_reports() and pairable().filter(pk=target.pk).exists()
    assert publishable().filter(pk=target.pk).exists() is False  # verified, not approved: never published
    done = erase_ref("nnk", "nnk-erase", "record", reason=REASON)
    assert done.counts["coded_items"] == 7  # 2 expelling states, 2 nationalities, 2 violence, 1 perpetrator

    tombstone = Report.objects.get(pk=target.pk)
    assert (tombstone.ref, tombstone.organisation_id, tombstone.kind, tombstone.incident_id) == (
        "nnk-erase",
        target.organisation_id,
        "testimony",
        target.incident_id,
    )
    assert tombstone.status == "rejected" and tombstone.erased_at is not None
    for column in Report._meta.concrete_fields:
        if column.name not in TOMBSTONE_KEEPS:
            assert getattr(tombstone, column.attname) in (None, [], {}, False), column.name
    for related in ("expellers", "nationalities", "violence", "perpetrators"):
        assert not getattr(tombstone, related).exists(), related
    moved = ReportTransition.objects.filter(report=target).order_by("pk").last()
    assert moved is not None and (moved.source, moved.target) == ("verified", "rejected")
    assert Erasure.objects.get().status_before == "verified"
    assert RecordKey.objects.get(pk=before.key_id).wrapped is None and _tokens(target.pk) == []
    agreements, side, other = _sides(target)
    assert all(a[side] is None and a.get("measure") is None for a in agreements.values())
    assert agreements["officers"][other] == KEPT.officers

    # it counts nowhere: the figures (library and command), the matrix, cross-checking, publication, search
    after = network_stats()
    assert after != before.stats and _stats_cli() == after
    assert after["reports"] == before.stats["reports"] - 1
    assert after["incidents"] == before.stats["incidents"] - 1 and after["dead"] == before.stats["dead"] - 1
    assert target.pk not in _matrix_reports() and not pairable().filter(pk=target.pk).exists()
    assert "nnk-erase" not in _search("Bihać") and "nnk-keep" in _search("Bihać")
    _assert_files_erased(world, before)
    _assert_chain(1)
    _assert_untouched(world, before)
    with pytest.raises(AlreadyErased):
        erase_ref("nnk", "nnk-erase", "testimony", reason=REASON)


def _matrix_reports() -> set[int]:
    return {a.report_id for accounts in incident_accounts(statuses=COUNTED_STATUSES) for a in accounts}


def test_an_approved_report_erased_leaves_the_next_publication(world: dict[str, Report]) -> None:
    Report.objects.filter(ref__in=list(CANARIES)).update(status="approved_for_publication")
    assert set(publishable().values_list("ref", flat=True)) >= {"nnk-erase", "nnk-keep"}
    erase_ref("nnk", "nnk-erase", "testimony", reason=REASON)
    row = publishable().filter(ref="nnk-erase").values("public_title", "public_narrative", "country").get()
    assert row == {"public_title": None, "public_narrative": None, "country": "BA"}  # the figures, no words
    erase_ref("nnk", "nnk-erase", "record", reason=REASON)
    assert (
        not publishable().filter(ref="nnk-erase").exists() and publishable().filter(ref="nnk-keep").exists()
    )


def test_an_erasure_needs_a_reason_and_an_existing_report(world: dict[str, Report]) -> None:
    for reason in ("", "   ", "x" * 501):
        with pytest.raises(NoReason):
            erase_ref("nnk", "nnk-erase", "testimony", reason=reason)
    with pytest.raises(UnknownReport):
        erase_ref("nnk", "nnk-nothing", "testimony", reason=REASON)
    with pytest.raises(UnknownReport):  # another organisation's report is not found under this one's code
        erase_ref("rigardu", "nnk-erase", "testimony", reason=REASON)
    with pytest.raises(LookupError, match="no erasure rule"):
        erase_ref("nnk", "nnk-erase", "shred", reason=REASON)
    assert not Erasure.objects.exists() and _erase_events() == []
    assert Report.objects.get(ref="nnk-erase").narrative_text == edited_text("nnk-erase")


def test_a_report_without_any_sealed_value_gets_a_key_only_to_destroy_it(world: dict[str, Report]) -> None:
    report = Report.objects.get(ref="nnk-shared")
    Report.objects.filter(pk=report.pk).update(title=None, narrative_text=None, record_key=None)
    ReportVersion.objects.filter(report=report).delete()
    done = erase_ref("nnk", "nnk-shared", "testimony", reason=REASON)
    assert done.counts["record_keys"] == 1
    erased = Report.objects.get(pk=report.pk)
    assert erased.record_key_id is not None and RecordKey.objects.get(pk=erased.record_key_id).wrapped is None
    erased.narrative_text = "added after the erasure"
    with pytest.raises(RecordErased), transaction.atomic():
        erased.save()


# --- the schedule --------------------------------------------------------------------------------------------

NOW = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC)


def _changed(ref: str, days: float) -> None:
    Report.objects.filter(ref=ref).update(updated_at=NOW - dt.timedelta(days=days))


def test_a_new_organisation_has_no_schedule_and_nothing_is_due(world: dict[str, Report]) -> None:
    assert schedule() == {"nnk": [], "rigardu": []}
    for ref in Report.objects.values_list("ref", flat=True):
        _changed(ref, 10_000)
    assert due(now=NOW) == [] and apply_schedule(now=NOW).erased == []


def test_the_schedule_applies_only_to_its_status_and_age(world: dict[str, Report]) -> None:
    set_line(organisation="nnk", status="submitted", after_days=30, rule="testimony")
    set_line(organisation="nnk", status="draft", after_days=10, rule="record")
    _changed("nnk-shared", 30)  # submitted, 30 days: due
    _changed("nnk-private", 29.9)  # submitted, not quite 30 days: not due
    _changed("nnk-draft", 9)  # draft, 9 days: not due
    _changed("rig-shared", 400)  # submitted, but of rigardu, which has no schedule
    _changed("nnk-erase", 400)  # verified: no line for verified
    _changed("nnk-keep", 400)
    assert [(d.ref, d.rule) for d in due(now=NOW)] == [("nnk-shared", "testimony")]
    assert due(now=NOW - dt.timedelta(days=1)) == []  # a day earlier: not yet
    _changed("nnk-draft", 10)
    assert [(d.ref, d.rule, d.status) for d in due(now=NOW)] == [
        ("nnk-draft", "record", "draft"),
        ("nnk-shared", "testimony", "submitted"),
    ]
    assert due(now=NOW, organisation="rigardu") == []
    applied = apply_schedule(now=NOW)
    assert [(e.ref, e.rule) for e in applied.erased] == [("nnk-draft", "record"), ("nnk-shared", "testimony")]
    assert Report.objects.get(ref="nnk-private").narrative_text.startswith("CANARY-nnk-private")
    assert Report.objects.get(ref="rig-shared").narrative_text.startswith("CANARY-rig-shared")
    assert Report.objects.get(ref="nnk-shared").narrative_text is None
    assert Report.objects.get(ref="nnk-draft").status == "rejected"
    events = _assert_chain(2)
    assert [e.object_ref for e in events] == ["nnk-draft", "nnk-shared"]
    lines = dict(Erasure.objects.values_list("report__ref", "schedule__rule"))
    assert lines == {"nnk-draft": "record", "nnk-shared": "testimony"}
    assert all(e.details["schedule"] for e in events) and not Erasure.objects.exclude(reason=None).exists()


def test_the_strongest_rule_due_wins_and_an_erased_report_is_not_due_again(world: dict[str, Report]) -> None:
    set_line(organisation="nnk", status="verified", after_days=30, rule="evidence")
    set_line(organisation="nnk", status="verified", after_days=365, rule="testimony")
    _changed("nnk-erase", 400)
    _changed("nnk-keep", 40)
    assert [(d.ref, d.rule) for d in due(now=NOW)] == [("nnk-erase", "testimony"), ("nnk-keep", "evidence")]
    applied = apply_schedule(now=NOW)
    assert [(e.ref, e.rule) for e in applied.erased] == [("nnk-erase", "testimony"), ("nnk-keep", "evidence")]
    assert applied.by_rule() == {"evidence": 1, "testimony": 1}
    assert (
        due(now=NOW) == [] and apply_schedule(now=NOW).erased == []
    )  # nothing left, the clock not restarted
    assert [(d.ref, d.rule) for d in due(now=NOW + dt.timedelta(days=400))] == [("nnk-keep", "testimony")]
    _assert_chain(2)
    assert Report.objects.get(ref="nnk-keep").narrative_text == edited_text("nnk-keep")
    assert Report.objects.get(ref="nnk-erase").narrative_text is None


def test_a_dry_run_changes_nothing(world: dict[str, Report]) -> None:
    set_line(organisation="nnk", status="verified", after_days=30, rule="record")
    _changed("nnk-erase", 31)
    _changed("nnk-keep", 31)
    events = AuditEvent.objects.count()
    keys = list(RecordKey.objects.order_by("pk").values_list("pk", "wrapped"))
    files = sorted(p for p in evidence_store().root.rglob("*") if p.is_file())
    reports = list(Report.objects.order_by("pk").values_list("pk", "status", "updated_at", "erased_at"))
    applied = apply_schedule(now=NOW, dry_run=True)
    assert [(d.ref, d.rule) for d in applied.due] == [("nnk-erase", "record"), ("nnk-keep", "record")]
    assert applied.erased == [] and applied.by_rule() == {"record": 2}
    assert AuditEvent.objects.count() == events and not Erasure.objects.exists()
    assert list(RecordKey.objects.order_by("pk").values_list("pk", "wrapped")) == keys
    assert sorted(p for p in evidence_store().root.rglob("*") if p.is_file()) == files
    assert (
        list(Report.objects.order_by("pk").values_list("pk", "status", "updated_at", "erased_at")) == reports
    )


def test_a_report_that_changed_after_it_was_found_due_is_left_alone(world: dict[str, Report]) -> None:
    line, _ = set_line(organisation="nnk", status="verified", after_days=30, rule="testimony")
    _changed("nnk-erase", 31)
    (found,) = due(now=NOW)
    _changed("nnk-erase", 2)  # edited meanwhile
    cutoff = NOW - dt.timedelta(days=30)
    assert erase(found.report, "testimony", schedule=line, changed_before=cutoff, now=NOW) is None
    _changed("nnk-erase", 31)
    Report.objects.filter(ref="nnk-erase").update(status="approved_for_publication")  # moved meanwhile
    assert erase(found.report, "testimony", schedule=line, changed_before=cutoff, now=NOW) is None
    assert not Erasure.objects.exists() and _erase_events() == []
    assert Report.objects.get(ref="nnk-erase").narrative_text == edited_text("nnk-erase")


def test_schedule_lines_are_checked_changed_and_removed_with_audit_events(world: dict[str, Report]) -> None:
    with pytest.raises(ScheduleRefused, match="not a status"):
        set_line(organisation="nnk", status="archived", after_days=30, rule="record")
    with pytest.raises(ScheduleRefused, match="no erasure rule"):
        set_line(organisation="nnk", status="draft", after_days=30, rule="shred")
    with pytest.raises(ScheduleRefused, match="from 1 to"):
        set_line(organisation="nnk", status="draft", after_days=0, rule="record")
    with pytest.raises(UnknownOrganisation):
        set_line(organisation="nowhere", status="draft", after_days=30, rule="record")
    line, created = set_line(organisation="nnk", status="draft", after_days=30, rule="record")
    assert created and line.set_by == "cli"
    line, created = set_line(organisation="nnk", status="draft", after_days=60, rule="record")
    assert not created and line.after_days == 60
    assert [(s.status, s.after_days, s.rule) for s in schedule("nnk")["nnk"]] == [("draft", 60, "record")]
    assert remove_line(organisation="nnk", status="draft", rule="record")
    assert not remove_line(organisation="nnk", status="draft", rule="record")
    events = list(AuditEvent.objects.filter(object_type="retentionrule").order_by("seq"))
    assert [(e.action, e.object_ref, e.organisation, e.details["after_days"]) for e in events] == [
        ("create", "draft:record", "nnk", 30),
        ("update", "draft:record", "nnk", 60),
        ("delete", "draft:record", "nnk", 60),
    ]
    assert verify().ok


# --- the database as an attacker reads it ----------------------------------------------------------------------


def _hits(data: bytes, canaries: tuple[str, ...]) -> list[str]:
    return [canary for canary in canaries if canary.encode() in data]


def populate_and_erase(rule: str, snapshot: Callable[[str], None]) -> dict[str, Any]:
    """:func:`build` (in a network of its own), ``snapshot("before")``, erase ``nnk-erase`` with ``rule``,
    ``snapshot("after")``. Returns the erased report's wrapped record key (base64), which an attacker holding
    the master key would unwrap with the organisation's data key, and the kept report's narrative."""
    from django.conf import settings as django_settings

    from bordermonitor.evidence.store import FileStore
    from bordermonitor.storage.accounts import add_organisation, add_user

    store = FileStore(django_settings.BORDERMONITOR.evidence_dir)
    with scopes_disabled(), acting_as("cli"):
        add_organisation(code="nnk", name="North Corridor Aid", shares_with_network=True)
        add_user(email="reviewer@nnk.test", organisation="nnk", role="reviewer", password="x" * 20)
        build(store, pdf=False)
        target = Report.objects.get(ref="nnk-erase")
        wrapped = bytes(RecordKey.objects.get(pk=target.record_key_id).wrapped)
        data_key = keyring.data_key(target.organisation_id)[1]
        assert unseal(data_key, wrapped, record_key_label(target.organisation_id, target.record_key_id))
    snapshot("before")
    with scopes_disabled(), acting_as("cli"):
        erase_ref("nnk", "nnk-erase", rule, reason=REASON)
        assert verify().ok
        kept = Report.objects.get(ref="nnk-keep").narrative_text
        remaining = {}
        for row in RecordKey.objects.filter(wrapped__isnull=False):
            remaining[str(row.pk)] = base64.b64encode(keyring.record_key(row.pk) or b"").decode()
    snapshot("after")
    return {
        "wrapped": base64.b64encode(wrapped).decode(),
        "erased_key": target.record_key_id,
        "keys": remaining,
        "labels": sorted(f.label for model in apps.get_app_config("storage").get_models()
                         for f in sealed_fields(model).values()),
        "kept": kept,
    }  # fmt: skip


_TOKEN = re.compile(rb"bm1\.(\d+)\.([A-Za-z0-9_-]+)")


def _opened(data: bytes, out: dict[str, Any]) -> tuple[list[str], set[int]]:
    """Every sealed token in ``data`` opened with the keys that remain after the erasure (its own key if it
    remains, else every one), and the key ids of the tokens found. In an SQLite file a value runs into the next
    column's bytes, so a token is also tried cut shorter."""
    keys = {int(pk): base64.b64decode(key) for pk, key in out["keys"].items()}
    found, plain = set(), []
    for match in _TOKEN.finditer(data):
        key_id = int(match.group(1))
        found.add(key_id)
        text = match.group(0).decode()
        own = keys.get(key_id)
        plain += _open_any(text, [own] if own else list(keys.values()), out["labels"])
    return plain, found


def _open_any(text: str, keys: list[bytes], labels: list[str]) -> list[str]:
    for end in range(len(text), max(len(text) - 64, text.index(".", 4) + 20), -1):
        for key in keys:
            for label in labels:
                try:
                    return [open_text(key, text[:end], label)]
                except (SealError, ValueError):
                    continue
    return []


def _assert_nothing_recoverable(data: bytes, out: dict[str, Any], where: str) -> None:
    """``data`` (a database file, its log, a dump) holds neither the erased report's wrapped key nor its words,
    nor any token that opens to them with the keys that remain; what it holds of the kept report opens."""
    assert base64.b64decode(out["wrapped"]).hex().encode() not in data, where
    assert base64.b64decode(out["wrapped"]) not in data, where
    assert _hits(data, ERASED.every) == [], where
    plain, found = _opened(data, out)
    assert out["erased_key"] not in found, where
    assert not [text for text in plain if any(word in text for word in ERASED.every)], where


def _child() -> None:
    """Run in a child process: a fresh SQLite file database as deployed, then :func:`populate_and_erase`; each
    snapshot copies the database file and its write-ahead log after a passive checkpoint, as a copy of a live
    server's disk would find them. Django is set up before this module is imported."""
    from django.core.management import call_command
    from django.db import connection as db

    call_command("migrate", verbosity=0)
    work = Path(os.environ["RETENTION_WORK"])
    database = Path(db.settings_dict["NAME"])

    def snapshot(name: str) -> None:
        with db.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
        target = work / name
        target.mkdir()
        for suffix in ("", "-wal"):
            source = database.with_name(database.name + suffix)
            if source.exists():
                shutil.copyfile(source, target / source.name)

    print(json.dumps(populate_and_erase(os.environ["RETENTION_RULE"], snapshot)))


@pytest.mark.skipif("os.environ.get('DATABASE_URL', '').startswith('postgres')", reason="the SQLite file")
@pytest.mark.parametrize("rule", ["testimony", "record"])
def test_a_sqlite_file_keeps_nothing_of_an_erased_report(tmp_path: Path, rule: str) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "BORDERMONITOR_DATA_DIR": str(tmp_path / "data"),
        "DJANGO_SETTINGS_MODULE": "bordermonitor.web.settings",
        "RETENTION_WORK": str(tmp_path),
        "RETENTION_RULE": rule,
    }
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from tests.storage.test_retention import _child; _child()",
        ],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    wrapped = base64.b64decode(out["wrapped"])
    assert out["kept"] == edited_text("nnk-keep")
    before = b"".join(path.read_bytes() for path in sorted((tmp_path / "before").iterdir()))
    # the scan finds what it looks for: before the erasure, the wrapped key and the plain words are in the file
    assert wrapped in before and _hits(before, ERASED.plain) == list(ERASED.plain)
    after = sorted((tmp_path / "after").iterdir())
    assert [p.name for p in after] == ["db.sqlite3", "db.sqlite3-wal"]
    for path in [*after, *sorted(tmp_path.glob("db.sqlite3*"))]:
        _assert_nothing_recoverable(path.read_bytes(), out, path.name)
    kept = b"".join(path.read_bytes() for path in after)
    assert _hits(kept, KEPT.plain) == list(KEPT.plain)  # what was not erased is still there, plain by design
    # and the scan opens what the remaining keys sealed (a value an SQLite row spills onto overflow pages is cut
    # by their headers, so not every one is whole in the file: the title is)
    assert f"Testimony of {KEPT.name}" in _opened(kept, out)[0]


@pytest.mark.skipif(
    "not os.environ.get('DATABASE_URL', '').startswith('postgres')", reason="the PostgreSQL dump"
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("rule", ["testimony", "record"])
def test_a_postgresql_dump_keeps_nothing_of_an_erased_report(
    tmp_path: Path, settings: Any, rule: str
) -> None:
    settings.BORDERMONITOR = dataclasses.replace(settings.BORDERMONITOR, data_dir=tmp_path / "data")
    dumps: dict[str, bytes] = {}

    def snapshot(name: str) -> None:
        dumps[name] = _pg_dump()

    out = populate_and_erase(rule, snapshot)
    wrapped = base64.b64decode(out["wrapped"]).hex().encode()  # bytea in the dump's COPY text: \\x<hex>
    assert wrapped in dumps["before"] and _hits(dumps["before"], ERASED.plain) == list(ERASED.plain)
    _assert_nothing_recoverable(dumps["after"], out, "pg_dump")
    assert _hits(dumps["after"], KEPT.plain) == list(KEPT.plain)
    assert {f"Testimony of {KEPT.name}", edited_text("nnk-keep")} <= set(_opened(dumps["after"], out)[0])
    assert out["kept"] == edited_text("nnk-keep")


def _pg_dump() -> bytes:
    settings = connection.settings_dict
    command = ["pg_dump", "--no-owner", "-d", settings["NAME"]]
    for flag, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
        if settings.get(key):
            command += [flag, str(settings[key])]
    env = {**os.environ, **({"PGPASSWORD": settings["PASSWORD"]} if settings.get("PASSWORD") else {})}
    return subprocess.run(command, capture_output=True, env=env, timeout=300, check=True).stdout


@pytest.mark.skipif("os.environ.get('DATABASE_URL', '').startswith('postgres')", reason="an SQLite setting")
def test_sqlite_overwrites_what_an_erasure_frees_and_then_restores_its_setting() -> None:
    def secure_delete() -> int:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete")
            return int(cursor.fetchone()[0])

    before = secure_delete()
    with erasing():
        assert secure_delete() == 1  # freed cells and pages are zeroed, not left in the file's free space
    assert secure_delete() == before


def test_an_import_never_recreates_an_erased_report(world: dict[str, Report], store: Any) -> None:
    erase_ref("nnk", "nnk-erase", "record", reason=REASON)
    on = timezone.localdate(Erasure.objects.get().at).isoformat()
    summary = save([raw("nnk-erase"), {"ref": "nnk-new", "organisation": "nnk", "kind": "testimony"}], store)
    assert (summary.read, summary.imported, summary.erased, summary.rejected) == (2, 1, 1, 0)
    assert summary.warnings == [
        f"line 1: report nnk:nnk-erase was erased on {on} under the rule 'record'; it is not re-created"
        " (the record was skipped)"
    ]
    tombstone = Report.objects.get(ref="nnk-erase")
    assert (tombstone.status, tombstone.narrative_text, tombstone.group_size) == ("rejected", None, None)
    assert Report.objects.filter(ref="nnk-new").exists()


def test_a_report_erased_while_an_import_runs_is_skipped_too(world: dict[str, Report], store: Any) -> None:
    def outcomes() -> Iterator[Outcome]:
        yield outcome_for({"ref": "nnk-new", "organisation": "nnk", "kind": "testimony"}, where="line 1")
        erase_ref("nnk", "nnk-erase", "testimony", reason=REASON)  # after the import read what was erased
        yield outcome_for(raw("nnk-erase"), where="line 2")

    summary = run_import(outcomes(), store=store, batch_size=1)
    assert (summary.imported, summary.erased) == (1, 1)
    assert summary.warnings[0].startswith("line 2: report nnk:nnk-erase was erased on ")
    assert Report.objects.get(ref="nnk-erase").narrative_text is None
