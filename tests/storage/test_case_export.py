"""Case packages for legal use: a real BagIt bag (validated by the bagit library, every manifest), the originals
exactly as received, the coded record with the testimony, a custody file whose every entry verifies against its
own hash, and a cover sheet that says nothing the package's data does not — refused, with nothing written, for
a report without consent, a person who may not, a key held offline, a damaged file."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import re
import stat
import subprocess
import sys
from collections.abc import Callable
from html import unescape
from pathlib import Path
from typing import Any

import bagit  # type: ignore[import-untyped]
import pytest
from django_scopes import scopes_disabled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bordermonitor.storage import keys as keyring
from bordermonitor.storage.access import access_for
from bordermonitor.storage.accounts import add_user
from bordermonitor.storage.audit import head, record
from bordermonitor.storage.cases import (
    EvidenceRefused,
    NoConsent,
    NotAllowedToExport,
    OutputNotEmpty,
    UnknownCase,
    export_case,
)
from bordermonitor.storage.cases.custody import custody
from bordermonitor.storage.evidence import add_evidence, evidence_store
from bordermonitor.storage.exports import export_jsonl
from bordermonitor.storage.models import AuditEvent, Evidence, EvidenceDerivative, Report, User
from bordermonitor.storage.models.accounts import ROLES
from tests.evidence import corpus
from tests.storage.helpers import save

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "correct horse battery staple"
STAFF_CANARY = "CANARY-STAFF-NAME"
PHOTO = corpus.jpeg_with_gps()
PDF = corpus.pdf_with_everything()
CHARACTERS = st.characters(
    exclude_characters="\x00", exclude_categories=("Cs",)
)  # jsonb refuses NUL, surrogates


@pytest.fixture
def data_dir(settings: Any, tmp_path: Path) -> Path:
    """A data directory of the test's own (its evidence store and master key), set before any key is made."""
    settings.BORDERMONITOR = dataclasses.replace(settings.BORDERMONITOR, data_dir=tmp_path / "data")
    keyring.clear_caches()
    return tmp_path / "data"


def _upload(report: Report, data: bytes, kind: str, email: str = "documenter@nnk.test") -> Evidence:
    person = User.objects.get(email=email)
    return add_evidence(
        access=access_for(person),
        report=report,
        upload=io.BytesIO(data),
        kind=kind,
        description=None,
        user=person,
    )


@pytest.fixture
def world(data_dir: Path, network_world: dict[str, Report], network: None) -> dict[str, Any]:
    """The test network; ``nnk-shared`` (consent to legal use) gets a photo and a PDF uploaded through the
    storage API by a reviewer whose account name is a canary (staff names never reach a package)."""
    User.objects.filter(email__endswith=".test").update(display_name=STAFF_CANARY)
    report = network_world["nnk-shared"]
    photo = _upload(report, PHOTO, "photo", "reviewer@nnk.test")
    pdf = _upload(report, PDF, "medical_report", "reviewer@nnk.test")
    return {"reports": network_world, "photo": photo, "pdf": pdf}


def _export(identifier: str, out: Path, by: str = "reviewer@nnk.test", **kwargs: Any) -> Any:
    return export_case(identifier, out=out, by=by, **kwargs)


def _exports() -> list[AuditEvent]:
    with scopes_disabled():
        return list(AuditEvent.objects.filter(action="export").order_by("seq"))


def _nothing_written(out: Path) -> None:
    assert not out.exists()
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}")] == []  # no partial bag
    assert _exports() == []


def _record(**changes: Any) -> dict[str, Any]:
    base = {
        "ref": "nnk-case",
        "organisation": "nnk",
        "kind": "testimony",
        "status": "submitted",
        "consent": {"publish": False, "share_with_network": False, "legal_use": True},
        "title": "CANARY-TITLE beaten at the border",
        "narrative": {"text": "CANARY-TESTIMONY of what happened", "language": "en"},
        "known_names": ["CANARY-KNOWN-NAME"],
        "incident": {"date": "2024-05-01", "kind": "pushback"},
    }
    return {**base, **changes}


# --- the package -------------------------------------------------------------------------------------------


def test_a_report_with_a_photo_and_a_pdf_is_a_valid_bag_holding_the_originals_as_received(
    world: dict[str, Any], tmp_path: Path
) -> None:
    out = tmp_path / "case"
    done = _export("nnk:nnk-shared", out)
    bag = bagit.Bag(str(out))
    bag.validate()  # structure, Payload-Oxum, every manifest and tag manifest, every digest
    assert bag.is_valid()
    assert sorted(bag.algorithms) == ["sha256", "sha512"]
    assert {p.name for p in out.iterdir()} == {
        "bagit.txt", "bag-info.txt", "data", "manifest-sha256.txt", "manifest-sha512.txt",
        "tagmanifest-sha256.txt", "tagmanifest-sha512.txt",
    }  # fmt: skip
    assert stat.S_IMODE(out.stat().st_mode) == 0o700  # decrypted evidence: the owner only

    photo, pdf = world["photo"], world["pdf"]
    originals = {p.name: p.read_bytes() for p in (out / "data" / "originals").iterdir()}
    assert originals == {f"{photo.sha256}.jpg": PHOTO, f"{pdf.sha256}.pdf": PDF}
    for name, data in originals.items():
        assert hashlib.sha256(data).hexdigest() == name.split(".")[0]  # the digest taken at intake
    assert hashlib.sha256(PHOTO).hexdigest() == photo.sha256

    with scopes_disabled():
        copies = list(EvidenceDerivative.objects.filter(evidence__report=photo.report))
    assert len(copies) >= 3  # photo: working copy and thumbnail; PDF: working copy
    described = json.loads((out / "data" / "evidence.json").read_text())["files"]
    assert [(f["sha256"], f["path"], f["size"]) for f in described] == [
        (photo.sha256, f"originals/{photo.sha256}.jpg", len(PHOTO)),
        (pdf.sha256, f"originals/{pdf.sha256}.pdf", len(PDF)),
    ]
    listed = {c["path"]: c for f in described for c in f["copies"]}
    for copy in copies:
        path = next(p for p in listed if p.startswith(f"derivatives/{copy.role}-{copy.sha256}."))
        data = (out / "data" / path).read_bytes()
        assert hashlib.sha256(data).hexdigest() == copy.sha256
        assert (listed[path]["parent_sha256"], listed[path]["tool"]) == (copy.parent_sha256, copy.tool)
        assert listed[path]["transformation"] == copy.transformation
    assert corpus.GPS_CANARY.encode() in originals[f"{photo.sha256}.jpg"]  # the original is untouched
    working = next(c for c in copies if c.evidence_id == photo.pk and c.role == "working")
    assert corpus.GPS_CANARY.encode() not in (out / "data" / listed_path(listed, working)).read_bytes()

    (line,) = (out / "data" / "record.jsonl").read_text().splitlines()
    coded = json.loads(line)
    assert coded["ref"] == "nnk-shared" and coded["consent"]["legal_use"] is True
    assert "CANARY-nnk-shared" in coded["narrative"]["text"]  # the testimony, since the source consented
    for item in coded["evidence"]:
        assert (out / "data" / item["path"]).exists()  # paths name the files of the package

    info = bag.info
    assert info["Source-Organization"] == "North Corridor Aid (nnk)"
    assert info["External-Identifier"] == "nnk:nnk-shared"
    assert info["Contact-Name"] == "North Corridor Aid (nnk)"
    assert info["Bag-Count"] == "1 of 1"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", info["Bagging-Date"])
    assert "nnk:nnk-shared" in info["Internal-Sender-Description"]
    assert (done.originals, done.reports) == (2, ("nnk:nnk-shared",))


def listed_path(listed: dict[str, Any], copy: EvidenceDerivative) -> str:
    return next(p for p in listed if p.startswith(f"derivatives/{copy.role}-{copy.sha256}."))


def test_the_record_is_the_interchange_line_with_the_package_paths(
    world: dict[str, Any], tmp_path: Path
) -> None:
    _export("nnk:nnk-shared", tmp_path / "case")
    buffer = io.StringIO()
    with scopes_disabled():
        export_jsonl(buffer, store=evidence_store(), organisation="nnk")
    interchange = next(json.loads(x) for x in buffer.getvalue().splitlines() if '"nnk-shared"' in x)
    packaged = json.loads((tmp_path / "case" / "data" / "record.jsonl").read_text())
    assert [e["path"] for e in packaged["evidence"]] == [
        f"originals/{world['photo'].sha256}.jpg",
        f"originals/{world['pdf'].sha256}.pdf",
    ]
    for item in (*packaged["evidence"], *interchange["evidence"]):
        item.pop("path")
    assert packaged == interchange


@pytest.mark.parametrize(
    "damage",
    [
        lambda out: next((out / "data" / "originals").iterdir()),
        lambda out: out / "data" / "record.jsonl",
        lambda out: out / "data" / "cover.html",
        lambda out: out / "bag-info.txt",
        lambda out: out / "manifest-sha256.txt",
    ],
    ids=["original", "record", "cover", "bag-info", "manifest"],
)
def test_one_changed_byte_anywhere_fails_validation(
    world: dict[str, Any], tmp_path: Path, damage: Callable[[Path], Path]
) -> None:
    out = tmp_path / "case"
    _export("nnk:nnk-shared", out)
    target = damage(out)
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01
    target.write_bytes(bytes(data))
    with pytest.raises(bagit.BagValidationError):
        bagit.Bag(str(out)).validate()


@pytest.mark.parametrize(
    ("consent", "why"),
    [(False, "consent to legal use not given"), (None, "consent to legal use not recorded")],
)
def test_a_report_without_consent_to_legal_use_is_refused_and_nothing_written(
    world: dict[str, Any], tmp_path: Path, consent: bool | None, why: str
) -> None:
    save([_record(consent={"legal_use": consent})], evidence_store())
    out = tmp_path / "case"
    with pytest.raises(NoConsent, match=f"nnk:nnk-case: {why}") as refused:
        _export("nnk:nnk-case", out)
    assert refused.value.refused == (("nnk:nnk-case", why),)
    _nothing_written(out)


@pytest.mark.parametrize(
    "email",
    ["documenter@nnk.test", "coordinator@nnk.test", "coordinator@network.test", "analyst@nnk.test",
     "reviewer@rigardu.test", "admin@rigardu.test"],
)  # fmt: skip
def test_only_a_reviewer_or_admin_of_the_organisation_may_export(
    world: dict[str, Any], tmp_path: Path, email: str
) -> None:
    out = tmp_path / "case"
    with pytest.raises(NotAllowedToExport, match="only a reviewer or administrator of nnk"):
        _export("nnk:nnk-shared", out, by=email)
    _nothing_written(out)


def test_an_admin_of_the_organisation_and_a_site_admin_may_export(
    world: dict[str, Any], tmp_path: Path
) -> None:
    _export("nnk:nnk-shared", tmp_path / "by-admin", by="admin@nnk.test")
    add_user(email="tech@network.test", organisation="rigardu", role="analyst", site_admin=True)
    _export("nnk:nnk-shared", tmp_path / "by-site-admin", by="tech@network.test")
    for name in ("by-admin", "by-site-admin"):
        bagit.Bag(str(tmp_path / name)).validate()
    cover = (tmp_path / "by-site-admin" / "data" / "cover.txt").read_text()
    assert "Exported by: a site administrator (account" in cover


def test_unknown_and_ambiguous_references_and_an_unknown_person_are_refused(
    world: dict[str, Any], tmp_path: Path
) -> None:
    save([_record(ref="same"), _record(ref="same", organisation="rigardu")], evidence_store())
    with pytest.raises(UnknownCase, match="nnk:same, rigardu:same\\): give ORG:REF"):
        _export("same", tmp_path / "a")
    with pytest.raises(UnknownCase, match=r"no report .* and no incident has the reference 'nope'"):
        _export("nope", tmp_path / "a")
    with pytest.raises(NotAllowedToExport, match="no active account"):
        _export("nnk:nnk-shared", tmp_path / "a", by="nobody@nnk.test")
    _nothing_written(tmp_path / "a")
    _export("nnk-shared", tmp_path / "b")  # a ref only one organisation uses
    assert json.loads((tmp_path / "b" / "data" / "record.jsonl").read_text())["ref"] == "nnk-shared"


def test_the_output_must_be_new_or_empty(world: dict[str, Any], tmp_path: Path) -> None:
    full = tmp_path / "full"
    full.mkdir()
    (full / "kept.txt").write_text("mine")
    with pytest.raises(OutputNotEmpty, match="is not empty"):
        _export("nnk:nnk-shared", full)
    assert [p.name for p in full.iterdir()] == ["kept.txt"]
    afile = tmp_path / "file"
    afile.write_text("x")
    with pytest.raises(OutputNotEmpty, match="not a directory"):
        _export("nnk:nnk-shared", afile)
    empty = tmp_path / "empty"
    empty.mkdir()
    (tmp_path / "link").symlink_to(empty)
    with pytest.raises(OutputNotEmpty, match="symbolic link"):
        _export("nnk:nnk-shared", tmp_path / "link")
    _export("nnk:nnk-shared", empty)
    bagit.Bag(str(empty)).validate()
    assert _exports() and len(_exports()) == 1


# --- the audit log -----------------------------------------------------------------------------------------


def _chain_hash(event: dict[str, Any]) -> str:
    """The recipe of docs/audit.md, written again from the text."""
    message = [
        "bordermonitor-audit/1", event["seq"], event["at"], event["actor"], event["organisation"], event["action"],
        event["object_type"], event["object_id"], event["object_ref"], event["details"], event["prev_hash"],
    ]  # fmt: skip
    text = json.dumps(message, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _custody(out: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    lines = [json.loads(x) for x in (out / "data" / "custody.jsonl").read_text(encoding="utf-8").splitlines()]
    return lines[:-1], lines[-1]["head"]


def test_the_export_is_audited_once_per_report_without_personal_data(
    world: dict[str, Any], tmp_path: Path
) -> None:
    out = tmp_path / "case"
    before = head()
    done = _export("nnk:nnk-shared", out)
    (event,) = _exports()
    report = world["reports"]["nnk-shared"]
    assert (event.object_type, event.object_id, event.object_ref, event.organisation) == (
        "report", report.pk, "nnk-shared", "nnk",
    )  # fmt: skip
    assert event.seq == before.seq + 1  # written after the package was made, nothing else
    tagmanifest = hashlib.sha256((out / "tagmanifest-sha256.txt").read_bytes()).hexdigest()
    manifest = hashlib.sha256((out / "manifest-sha256.txt").read_bytes()).hexdigest()
    reviewer = User.objects.get(email="reviewer@nnk.test")
    assert event.details == {
        "package": "bagit",
        "by": f"user:{reviewer.pk}",
        "identifier": "nnk:nnk-shared",
        "reports": [report.pk],
        "originals": sorted([world["photo"].sha256, world["pdf"].sha256]),
        "files": done.payload_files,
        "manifest_sha256": manifest,
        "tagmanifest_sha256": tagmanifest,
        "custody_head": before.seq,
    }
    assert done.payload_files == len(bagit.Bag(str(out)).payload_entries())
    text = json.dumps(event.details)
    for secret in ("CANARY", "reviewer@", "Bihać"):
        assert secret not in text


def test_every_custody_entry_verifies_against_its_hash_and_the_head_is_the_log_at_export(
    world: dict[str, Any], tmp_path: Path
) -> None:
    report = world["reports"]["nnk-shared"]
    record("view", report, details={"page": "history", "weight": 2.0, "ratio": 0.1, "name": "Ána"})
    before = head()
    out = tmp_path / "case"
    _export("nnk:nnk-shared", out)
    events, kept = _custody(out)
    assert kept == {"seq": before.seq, "hash": before.hash, "at": before.at, "entries": before.entries}
    for event in events:
        assert _chain_hash(event) == event["hash"], event["seq"]
    with scopes_disabled():
        stored = {e.seq: e for e in AuditEvent.objects.filter(seq__in=[e["seq"] for e in events])}
    assert all(
        stored[e["seq"]].hash == e["hash"] and stored[e["seq"]].prev_hash == e["prev_hash"] for e in events
    )
    uploads = [
        e["details"].get("evidence")
        for e in events
        if e["action"] == "create" and e["object_id"] == report.pk
    ]
    assert sorted(u for u in uploads if u) == sorted([world["photo"].sha256, world["pdf"].sha256])
    assert {e["object_id"] for e in events if e["object_type"] == "report"} == {report.pk}
    # the check printed on the cover sheet, run as a reader would
    script = (out / "data" / "cover.txt").read_text().split("python3 - data/custody.jsonl <<'EOF'\n")[1]
    script = script.split("\nEOF")[0]
    result = subprocess.run(
        [sys.executable, "-", "data/custody.jsonl"],
        input=script,
        cwd=out,
        capture_output=True,
        text=True,
        check=True,
    )
    verdicts = [line.split() for line in result.stdout.splitlines() if not line.startswith("head")]
    assert verdicts == [[str(e["seq"]), "ok"] for e in events]


def test_reads_of_several_reports_at_once_are_in_the_custody_file(
    world: dict[str, Any], tmp_path: Path
) -> None:
    report, other = world["reports"]["nnk-shared"], world["reports"]["nnk-private"]
    from bordermonitor.storage.audit import record_read

    both = record_read([report, other], details={"via": "api", "list": True})
    alone = record_read([other], details={"via": "api", "list": True})
    _export("nnk:nnk-shared", tmp_path / "case")
    seqs = {e["seq"] for e in _custody(tmp_path / "case")[0]}
    assert both is not None and alone is not None
    assert both.seq in seqs and alone.seq not in seqs


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    details=st.dictionaries(
        st.text(CHARACTERS, min_size=1, max_size=8),
        st.recursive(
            st.none()
            | st.booleans()
            | st.integers(-(2**53), 2**53)
            | st.text(CHARACTERS, max_size=12)
            | st.floats(allow_nan=False, allow_infinity=False, width=64),
            lambda inner: (
                st.lists(inner, max_size=3)
                | st.dictionaries(st.text(CHARACTERS, max_size=5), inner, max_size=3)
            ),
            max_leaves=8,
        ),
        max_size=4,
    )
)
def test_custody_lines_verify_whatever_the_details(world: dict[str, Any], details: dict[str, Any]) -> None:
    """Any details an event may hold — unicode, floats, nesting — come out of the database into a custody line
    that an independent implementation of the recipe verifies."""
    report = world["reports"]["nnk-shared"]
    written = record("view", report, details=details)
    lines = [json.loads(e.line()) for e in custody([report.pk], [])]
    line = next(x for x in lines if x["seq"] == written.seq)
    assert _chain_hash(line) == line["hash"] == written.hash


# --- incidents, keys, damage ---------------------------------------------------------------------------------


def _incident(consent: bool | None = True) -> None:
    incident = {"ref": "INC-1", "date": "2024-05-01", "kind": "pushback"}
    save(
        [
            _record(ref="nnk-a", incident=incident),
            _record(ref="rig-b", organisation="rigardu", incident=incident,
                    narrative={"text": "CANARY-RIG-TESTIMONY", "language": "en"}),
            _record(ref="nnk-c", incident=incident, consent={"legal_use": consent},
                    narrative={"text": "CANARY-LEFT-OUT", "language": "en"}, known_names=["CANARY-LEFT-NAME"]),
        ],
        evidence_store(),
    )  # fmt: skip


def test_an_incident_of_two_organisations_exports_its_reports_for_a_reviewer_of_both(
    world: dict[str, Any], tmp_path: Path
) -> None:
    _incident()
    with pytest.raises(
        NotAllowedToExport, match="rigardu:rig-b: only a reviewer or administrator of rigardu"
    ):
        _export("INC-1", tmp_path / "a")
    add_user(email="reviewer@nnk.test", organisation="rigardu", role="reviewer")
    with scopes_disabled():
        report = Report.objects.get(ref="rig-b")
    _upload(report, PDF, "document", "reviewer@rigardu.test")
    done = _export("INC-1", tmp_path / "a")
    bagit.Bag(str(tmp_path / "a")).validate()
    assert done.reports == ("nnk:nnk-a", "nnk:nnk-c", "rigardu:rig-b")
    records = [json.loads(x) for x in (tmp_path / "a" / "data" / "record.jsonl").read_text().splitlines()]
    assert [(r["organisation"], r["ref"], r["incident"]["ref"]) for r in records] == [
        ("nnk", "nnk-a", "INC-1"), ("nnk", "nnk-c", "INC-1"), ("rigardu", "rig-b", "INC-1"),
    ]  # fmt: skip
    assert [(e.organisation, e.object_ref) for e in _exports()] == [
        ("nnk", "nnk-a"), ("nnk", "nnk-c"), ("rigardu", "rig-b"),
    ]  # fmt: skip
    assert len({e.details["tagmanifest_sha256"] for e in _exports()}) == 1
    info = bagit.Bag(str(tmp_path / "a")).info
    assert info["Source-Organization"] == ["North Corridor Aid (nnk)", "Rigardu Border Watch (rigardu)"]
    assert info["External-Identifier"] == "INC-1"
    assert (
        tmp_path / "a" / "data" / "originals" / f"{hashlib.sha256(PDF).hexdigest()}.pdf"
    ).read_bytes() == PDF


def test_an_incident_with_a_report_without_consent_is_refused_unless_only_consenting(
    world: dict[str, Any], tmp_path: Path
) -> None:
    _incident(consent=None)
    add_user(email="reviewer@nnk.test", organisation="rigardu", role="reviewer")
    with pytest.raises(NoConsent, match=r"nnk:nnk-c: consent to legal use not recorded.*--only-consenting"):
        _export("INC-1", tmp_path / "a")
    _nothing_written(tmp_path / "a")
    done = _export("INC-1", tmp_path / "a", only_consenting=True)
    assert done.reports == ("nnk:nnk-a", "rigardu:rig-b")
    assert done.left_out == (("nnk:nnk-c", "consent to legal use not recorded"),)
    assert len(_exports()) == 2
    for path in (tmp_path / "a").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for secret in (b"CANARY-LEFT-OUT", b"CANARY-LEFT-NAME", b"nnk-c"):
                assert secret not in data, (path, secret)
    assert "1 other report of this incident" in (tmp_path / "a" / "data" / "cover.txt").read_text()


def test_a_key_held_offline_needs_the_identity_file(world: dict[str, Any], tmp_path: Path) -> None:
    organisation = world["reports"]["nnk-shared"].organisation_id
    exported = tmp_path / "nnk.age"
    keyring.export_identity(organisation, exported, PASSPHRASE, work_factor=10)
    keyring.take_offline(organisation, exported, PASSPHRASE)
    keyring.clear_caches()
    out = tmp_path / "case"
    with pytest.raises(EvidenceRefused, match="offline: give its identity file with --identity FILE"):
        _export("nnk:nnk-shared", out)
    _nothing_written(out)
    identities = keyring.identities_in_file(exported, PASSPHRASE)
    _export("nnk:nnk-shared", out, identities=identities)
    bagit.Bag(str(out)).validate()
    assert (out / "data" / "originals" / f"{world['photo'].sha256}.jpg").read_bytes() == PHOTO


@pytest.mark.parametrize("which", ["original", "copy"])
def test_a_damaged_blob_refuses_the_whole_export_naming_it(
    world: dict[str, Any], tmp_path: Path, which: str
) -> None:
    pdf = world["pdf"]
    store = evidence_store()
    with scopes_disabled():
        blob = (
            pdf.blob
            if which == "original"
            else EvidenceDerivative.objects.get(evidence=pdf, role="working").blob
        )
    path = store.path_for(str(blob))
    path.chmod(0o600)
    kept = path.read_bytes()
    path.write_bytes(kept[:-5])
    out = tmp_path / "case"
    what = "original" if which == "original" else "working copy"
    with pytest.raises(
        EvidenceRefused, match=f"evidence {pdf.pk} .*{pdf.sha256}\\), {what}: it failed its integrity"
    ):
        _export("nnk:nnk-shared", out)
    _nothing_written(out)
    with scopes_disabled():
        (integrity,) = AuditEvent.objects.filter(action="integrity")
    assert integrity.details["evidence"] == pdf.sha256
    # the file put back (from a backup, say): the package's custody shows the failure, about that evidence
    path.write_bytes(kept)
    _export("nnk:nnk-shared", out)
    events, _head = _custody(out)
    (failure,) = [e for e in events if e["action"] == "integrity"]
    assert (failure["seq"], failure["object_type"], failure["object_id"]) == (
        integrity.seq,
        "evidence",
        pdf.pk,
    )


def test_the_same_file_in_two_reports_is_written_once_and_each_stored_copy_checked(
    world: dict[str, Any], tmp_path: Path
) -> None:
    _incident()
    add_user(email="reviewer@nnk.test", organisation="rigardu", role="reviewer")
    with scopes_disabled():
        first = _upload(Report.objects.get(ref="nnk-a"), PDF, "document", "reviewer@nnk.test")
        second = _upload(Report.objects.get(ref="rig-b"), PDF, "document", "reviewer@rigardu.test")
    assert first.sha256 == second.sha256 and first.blob != second.blob  # each sealed under a key of its own
    _export("INC-1", tmp_path / "a")
    assert [p.name for p in (tmp_path / "a" / "data" / "originals").iterdir()] == [f"{first.sha256}.pdf"]
    described = json.loads((tmp_path / "a" / "data" / "evidence.json").read_text())["files"]
    assert [(f["report"], f["path"]) for f in described] == [
        ("nnk:nnk-a", f"originals/{first.sha256}.pdf"),
        ("rigardu:rig-b", f"originals/{first.sha256}.pdf"),
    ]
    path = evidence_store().path_for(str(second.blob))
    path.chmod(0o600)
    path.write_bytes(path.read_bytes()[:-1])
    with pytest.raises(EvidenceRefused, match=rf"report rigardu:rig-b, evidence {second.pk} "):
        _export("INC-1", tmp_path / "b")
    assert not (tmp_path / "b").exists()
    assert len(_exports()) == 3  # the first package's events only (one per report of the incident)


def test_a_report_whose_sealed_values_were_erased_is_refused(world: dict[str, Any], tmp_path: Path) -> None:
    report = world["reports"]["nnk-shared"]
    with scopes_disabled():
        key_id = Report.objects.get(pk=report.pk).record_key_id
    keyring.destroy_record_keys([key_id])
    with pytest.raises(NoConsent, match=r"nnk:nnk-shared: its sealed values .* were erased"):
        _export("nnk:nnk-shared", tmp_path / "case")
    _nothing_written(tmp_path / "case")


# --- the cover sheet -----------------------------------------------------------------------------------------


def _words(text: str) -> set[str]:
    return set(re.findall(r"[^\W_]+", text))


def _html_text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<style>.*?</style>", " ", html, flags=re.S)))


def test_the_cover_sheet_says_nothing_the_package_data_does_not_and_names_no_staff(
    world: dict[str, Any], tmp_path: Path
) -> None:
    out = tmp_path / "case"
    _export("nnk:nnk-shared", out)
    data = out / "data"
    cover_txt = (data / "cover.txt").read_text(encoding="utf-8")
    cover_html = (data / "cover.html").read_text(encoding="utf-8")
    sources = ROOT / "src" / "bordermonitor" / "storage" / "cases"
    boilerplate = _words(
        (sources / "cover.py").read_text()
        + "".join(p.read_text() for p in (sources / "templates" / "cases").iterdir())
        + " ".join(str(label) for _, label in ROLES)
    )
    facts = _words(
        "".join(
            (data / name).read_text(encoding="utf-8")
            for name in ("record.jsonl", "evidence.json", "custody.jsonl")
        )
        + (out / "bag-info.txt").read_text(encoding="utf-8")
    )
    for text in (cover_txt, _html_text(cover_html)):
        assert _words(text) - boilerplate - facts == set()
        for digest in re.findall(r"\b[0-9a-f]{64}\b", text):
            assert digest in facts or digest == head().hash
    # nothing of the testimony, names or title, though the record holds them
    for secret in ("CANARY-nnk-shared", "took the phones", "Pushback near the river", "Bihać"):
        assert secret not in cover_txt and secret not in cover_html
    # what was received, by whom (a role in an organisation, an account number), and the copies' tools
    reviewer = User.objects.get(email="reviewer@nnk.test")
    assert f"Received by: Reviewer of nnk (account {reviewer.pk})" in cover_txt
    assert f"Exported by: Reviewer of nnk (account {reviewer.pk})" in cover_txt
    assert f"SHA-256, taken when it was received: {world['photo'].sha256}" in cover_txt
    assert f"Size: {len(PDF)} bytes" in cover_txt and "Pillow" in cover_txt and "pikepdf" in cover_txt
    assert "bagit.py --validate PACKAGE" in cover_txt and "sha256sum" in cover_txt
    # no member of staff is named anywhere in the package
    for path in out.rglob("*"):
        if path.is_file() and path.parent.name not in ("originals", "derivatives"):
            text = path.read_text(encoding="utf-8")
            assert STAFF_CANARY not in text and "@nnk.test" not in text, path


def test_the_cover_is_also_in_the_exporters_language(world: dict[str, Any], tmp_path: Path) -> None:
    User.objects.filter(email="reviewer@nnk.test").update(language="ar")
    _export("nnk:nnk-shared", tmp_path / "case")
    data = tmp_path / "case" / "data"
    assert {"cover.html", "cover.txt", "cover.ar.html", "cover.ar.txt"} <= {p.name for p in data.iterdir()}
    assert '<html lang="ar" dir="rtl">' in (data / "cover.ar.html").read_text()
    assert '<html lang="en" dir="ltr">' in (data / "cover.html").read_text()
    bagit.Bag(str(tmp_path / "case")).validate()
