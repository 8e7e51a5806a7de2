"""Uploading evidence from a page and getting its files back: who gets what, with what headers, audited."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from bordermonitor.storage.evidence import open_original
from bordermonitor.storage.models import AuditEvent, Evidence, Report
from tests.evidence import corpus

Login = Callable[[str], Client]


@pytest.fixture(autouse=True)
def data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.BORDERMONITOR = dataclasses.replace(settings.BORDERMONITOR, data_dir=tmp_path)
    return tmp_path


def _upload(
    client: Client, report: Report, data: bytes, kind: str, *, name: str = "x.bin", **headers: str
) -> Any:
    return client.post(
        reverse("evidence:upload", args=[report.pk]),
        {
            "file": SimpleUploadedFile(name, data, content_type="image/jpeg"),
            "kind": kind,
            "description": "left arm",
        },
        **headers,
    )


def _evidence(report: Report) -> list[Evidence]:
    with scopes_disabled():
        return list(Evidence.objects.filter(report=report).order_by("position"))


def _events(action: str) -> list[AuditEvent]:
    with scopes_disabled():
        return list(AuditEvent.objects.filter(action=action))


@pytest.fixture
def photo_on_draft(login: Login, network_world: dict[str, Report]) -> Evidence:
    response = _upload(
        login("documenter@nnk.test"), network_world["nnk-draft"], corpus.jpeg_with_gps(), "photo"
    )
    assert response.status_code == 303
    (evidence,) = _evidence(network_world["nnk-draft"])
    return evidence


def test_a_documenter_uploads_a_photo_and_a_pdf_and_sees_thumbnails(
    login: Login, network_world: dict[str, Report], data_dir: Path
) -> None:
    client = login("documenter@nnk.test")
    draft = network_world["nnk-draft"]
    photo, pdf = corpus.jpeg_with_gps(), corpus.pdf_with_everything()
    response = _upload(
        client, draft, photo, "photo", HTTP_REFERER="http://testserver/reports/1/edit/evidence/"
    )
    assert response.status_code == 303
    assert response["Location"] == f"http://testserver/reports/1/edit/evidence/#evidence-panel-{draft.pk}"
    response = _upload(client, draft, pdf, "medical_report", name="report.pdf", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith("<section")  # the panel alone, for the page to swap in
    first, second = _evidence(draft)
    assert (first.kind, first.media_type, first.position, first.description) == (
        "photo",
        "image/jpeg",
        0,
        "left arm",
    )
    assert (second.kind, second.media_type, second.position) == ("medical_report", "application/pdf", 1)
    assert first.sha256 == hashlib.sha256(photo).hexdigest() and first.size == len(photo)
    assert "x.bin" not in first.path  # the device's file name is not kept
    assert reverse("evidence:thumbnail", args=[first.pk]) in page
    assert reverse("evidence:thumbnail", args=[second.pk]) not in page  # a PDF has no thumbnail
    assert first.sha256 in page and first.sha256[:12] in page
    with scopes_disabled(), open_original(first) as sealed:
        assert sealed.read() == photo  # read back through the store: decrypted and checked
    encrypted = (data_dir / "evidence" / "blobs" / first.blob[:2] / first.blob[2:4] / first.blob).read_bytes()
    assert photo not in encrypted and hashlib.sha256(encrypted).hexdigest() == first.blob
    created = [e for e in _events("create") if e.details.get("evidence")]
    assert {e.details["evidence"] for e in created} == {first.sha256, second.sha256}

    thumb = client.get(reverse("evidence:thumbnail", args=[first.pk]))
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
    assert thumb["X-Content-Type-Options"] == "nosniff"
    assert thumb["Cache-Control"] == "private, no-store"
    assert thumb["Content-Disposition"].startswith("inline")
    working = client.get(reverse("evidence:working", args=[second.pk]))
    body = b"".join(working.streaming_content)
    assert working["Content-Type"] == "application/pdf"
    assert corpus.PDF_CANARY.encode() not in body and corpus.JS_CANARY.encode() not in body
    assert any(e.details.get("derivative") == "working" for e in _events("view"))


def test_a_refused_file_is_explained_next_to_the_field_and_the_typing_is_kept(
    login: Login, network_world: dict[str, Report], data_dir: Path
) -> None:
    client = login("documenter@nnk.test")
    draft = network_world["nnk-draft"]
    response = _upload(client, draft, corpus.windows_exe(), "photo", name="photo.jpg", HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    page = response.content.decode()
    assert (
        "This file is a Windows program (.exe), not a photo, document, audio or video: not accepted" in page
    )
    assert "left arm</textarea>" in page
    assert '<option value="photo" selected>' in page
    assert _evidence(draft) == []
    assert not (data_dir / "evidence" / "blobs").exists()
    assert not any((data_dir / "evidence" / "tmp").iterdir())


def test_without_javascript_a_refusal_shows_a_page_with_the_panel(
    login: Login, network_world: dict[str, Report]
) -> None:
    response = _upload(login("documenter@nnk.test"), network_world["nnk-draft"], corpus.html_page(), "photo")
    assert response.status_code == 400
    page = response.content.decode()
    assert "<html" in page and "web page (HTML)" in page and "evidence-panel" in page


def test_another_organisation_gets_404_for_everything(
    login: Login, network_world: dict[str, Report], photo_on_draft: Evidence
) -> None:
    for role in ("documenter", "reviewer", "admin", "coordinator", "analyst"):
        client = login(f"{role}@rigardu.test")
        for name in ("working", "thumbnail", "original"):
            assert client.get(reverse(f"evidence:{name}", args=[photo_on_draft.pk])).status_code == 404, (
                role,
                name,
            )
        response = _upload(client, network_world["nnk-draft"], corpus.jpeg_with_gps(), "photo")
        assert response.status_code == 404, role
    assert len(_evidence(network_world["nnk-draft"])) == 1


def test_only_reviewers_download_originals_and_it_is_audited(login: Login, photo_on_draft: Evidence) -> None:
    url = reverse("evidence:original", args=[photo_on_draft.pk])
    assert login("documenter@nnk.test").get(url).status_code == 404
    assert _events("download") == []
    response = login("reviewer@nnk.test").get(url)
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == photo_on_draft.sha256  # byte-identical, GPS and all
    assert corpus.GPS_CANARY.encode() in body
    assert response["Content-Disposition"] == f'attachment; filename="{photo_on_draft.sha256[:16]}.jpg"'
    assert response["Cache-Control"] == "private, no-store"
    (event,) = _events("download")
    assert event.details == {"evidence": photo_on_draft.sha256}
    assert event.object_id == photo_on_draft.report_id


def test_the_network_coordinator_sees_shared_evidence_only(
    login: Login, network_world: dict[str, Report]
) -> None:
    reviewer = login("reviewer@nnk.test")
    for ref in ("nnk-shared", "nnk-private"):
        assert _upload(reviewer, network_world[ref], corpus.jpeg_with_gps(), "photo").status_code == 303
    (shared,) = _evidence(network_world["nnk-shared"])
    (private,) = _evidence(network_world["nnk-private"])
    coordinator = login("coordinator@network.test")
    assert coordinator.get(reverse("evidence:working", args=[shared.pk])).status_code == 200
    assert coordinator.get(reverse("evidence:original", args=[shared.pk])).status_code == 404
    for name in ("working", "thumbnail", "original"):
        assert coordinator.get(reverse(f"evidence:{name}", args=[private.pk])).status_code == 404
    analyst = login("analyst@nnk.test")
    for name in ("working", "thumbnail", "original"):
        assert analyst.get(reverse(f"evidence:{name}", args=[shared.pk])).status_code == 404


def test_a_coordinator_cannot_upload_into_a_report_it_only_reads(
    login: Login, network_world: dict[str, Report]
) -> None:
    response = _upload(
        login("coordinator@network.test"),
        network_world["nnk-shared"],
        corpus.jpeg_with_gps(),
        "photo",
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 403
    assert _evidence(network_world["nnk-shared"]) == []


def test_video_gets_no_cleaned_copy_and_reviewers_are_told_to_download(
    login: Login, network_world: dict[str, Report]
) -> None:
    video = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 5000
    reviewer = login("reviewer@nnk.test")
    response = _upload(reviewer, network_world["nnk-draft"], video, "video", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "no cleaned copy: download the original (logged)" in response.content.decode()
    (evidence,) = _evidence(network_world["nnk-draft"])
    assert reviewer.get(reverse("evidence:working", args=[evidence.pk])).status_code == 404
    documenter_panel = _upload(
        login("documenter@nnk.test"), network_world["nnk-draft"], b"", "photo", HTTP_HX_REQUEST="true"
    )
    assert "download the original" not in documenter_panel.content.decode()


def test_a_body_above_the_limit_is_refused_before_anything_reads_it(login, network_world, settings) -> None:  # type: ignore[no-untyped-def]
    import tempfile
    from pathlib import Path

    client = login("documenter@nnk.test")
    spool = Path(tempfile.mkdtemp())
    settings.FILE_UPLOAD_TEMP_DIR = str(spool)
    limit = (settings.BORDERMONITOR.max_upload_mb + 1) * 1024 * 1024
    response = client.post(
        f"/reports/{network_world['nnk-draft'].pk}/evidence/",
        data=b"x" * 1024,
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(limit + 1),
    )
    assert response.status_code == 413
    assert "MB" in response.content.decode()
    assert list(spool.iterdir()) == []
