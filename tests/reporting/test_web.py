"""The Reports page: who may see it, a coordinator making a report in the background and downloading it, the
job's progress, the notable cases offered, and the audit log."""

from __future__ import annotations

import dataclasses
import importlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled
from tests.network import PASSWORD

from bordermonitor.storage.models import AuditEvent, Report
from bordermonitor.web.reporting import jobs

pytestmark = pytest.mark.django_db
Login = Callable[[str], Client]
AUDIT = importlib.import_module("bordermonitor.storage.migrations.0002_audit_append_only")
FORM = {"kind": "monthly", "month": "2024-05", "year": "2023", "language": "en", "format": "pdf"}


@pytest.fixture(autouse=True)
def data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.BORDERMONITOR = dataclasses.replace(settings.BORDERMONITOR, data_dir=tmp_path)
    return tmp_path


@pytest.fixture
def committed(transactional_db: None) -> Iterator[None]:
    """Data committed, so that the report job's own database connection reads it; the audit log (which refuses
    DELETE) is emptied afterwards as tests/web/test_publication.py does."""
    yield
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for statement in (*AUDIT.SQLITE_REVERSE, "DELETE FROM storage_auditevent", *AUDIT.SQLITE):
                cursor.execute(statement)


def _site_admin() -> Client:
    with scopes_disabled():
        get_user_model().objects.create_superuser(email="root@network.test", password=PASSWORD)
    client = Client()
    assert client.login(username="root@network.test", password=PASSWORD)
    return client


def _counted(report: Report, **fields: Any) -> Report:
    with scopes_disabled():
        Report.objects.filter(pk=report.pk).update(status="approved_for_publication", **fields)
        return Report.objects.select_related("organisation").get(pk=report.pk)


def _made(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "reports").glob("*.*"))


def test_only_coordinators_and_site_admins_see_the_reports(
    login: Login, network_world: dict[str, Report], data_dir: Path
) -> None:
    (data_dir / "reports").mkdir()
    name = "monthly-2024-05-en-network-20240601T120000Z.pdf"
    (data_dir / "reports" / name).write_bytes(b"%PDF-1.7 a report")
    urls = ["/reporting/", "/reporting/progress/", "/reporting/cases/?kind=monthly&month=2024-05",
            f"/reporting/files/{name}"]  # fmt: skip
    for organisation in ("nnk", "rigardu"):
        for role in ("documenter", "reviewer", "analyst", "admin"):
            client = login(f"{role}@{organisation}.test")
            for url in urls:
                assert client.get(url).status_code == 404, (role, url)
            assert client.post("/reporting/start/", FORM).status_code == 404
    assert Client().get("/reporting/").status_code == 302  # signed out: to the sign-in page
    for client in (login("coordinator@network.test"), login("coordinator@nnk.test"), _site_admin()):
        page = client.get("/reporting/")
        assert page.status_code == 200
        assert 'action="/reporting/start/"' in page.content.decode() and name in page.content.decode()
        download = client.get(f"/reporting/files/{name}")
        assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.7 a report"  # type: ignore[attr-defined]
        assert (
            download["Content-Disposition"].startswith("attachment")
            and download["Content-Security-Policy"] == "sandbox"
        )
    coordinator = login("coordinator@network.test")
    for bad in ("../secret_key", "monthly-2024-05-en-network-20240601T120000Z.exe", "bordermonitor.sqlite3",
                "monthly-2024-05-en-network-20240601T120000Z-2.pdf"):  # fmt: skip
        assert coordinator.get(f"/reporting/files/{bad}").status_code == 404, bad
    with scopes_disabled():
        downloads = AuditEvent.objects.filter(action="download", object_type="report_file", object_ref=name)
        assert downloads.count() == 3


def test_the_form_lists_the_notable_cases_of_the_period(
    login: Login, network_world: dict[str, Report]
) -> None:
    report = _counted(network_world["nnk-shared"], public_title="They took our phones",
                      public_narrative="[name] told us the police took the phones.",
                      public_approved_at=timezone.now())  # fmt: skip
    _counted(network_world["rig-shared"], public_title="Not shared", public_approved_at=timezone.now())
    client = login("coordinator@network.test")
    cases = client.get("/reporting/cases/", {"kind": "monthly", "month": "2024-05"}).content.decode()
    assert 'value="nnk:nnk-shared"' in cases and "They took our phones" in cases
    assert "Not shared" not in cases  # rigardu does not share with the network
    assert "CANARY-" not in cases  # never the narrative as told
    assert (
        'data-cases="0"'
        in client.get("/reporting/cases/", {"kind": "monthly", "month": "2024-04"}).content.decode()
    )
    page = client.get("/reporting/", {**FORM, "cases": "nnk:nnk-shared"}).content.decode()
    assert (
        'value="nnk:nnk-shared" checked' in page
    )  # "Show the notable cases of this period" keeps the choice
    assert report.public_approved_at is not None


def test_a_wrong_period_is_said_next_to_its_field(login: Login, network_world: dict[str, Report]) -> None:
    client = login("coordinator@network.test")
    before = jobs.current()
    response = client.post("/reporting/start/", {**FORM, "month": "2024-13"})
    assert response.status_code == 400
    assert "Write the month as YYYY-MM, e.g. 2019-05." in response.content.decode()
    response = client.post("/reporting/start/", {**FORM, "cases": "nnk:nnk-private"})
    assert response.status_code == 400  # not a case of that period with an approved public version
    assert jobs.current() == before


def test_a_coordinator_makes_a_report_follows_it_and_downloads_it(
    committed: None, login: Login, network_world: dict[str, Report], data_dir: Path
) -> None:
    _counted(network_world["nnk-shared"], public_title="They took our phones",
             public_narrative="[name] told us the police took the phones.", public_approved_at=timezone.now())  # fmt: skip
    with scopes_disabled():
        Report.objects.filter(pk=network_world["nnk-private"].pk).update(status="verified")
    client = login("coordinator@network.test")
    response = client.post("/reporting/start/", {**FORM, "cases": "nnk:nnk-shared"})
    assert response.status_code == 303
    assert response["Location"] == (
        "/reporting/?kind=monthly&month=2024-05&year=2023&language=en&format=pdf&cases=nnk%3Annk-shared"
        "#report-progress"
    )  # the page shows the choices made again
    job = jobs.wait(timeout=180)
    assert job is not None and job.state == "done", (job and job.state, job and job.error)
    assert job.file is not None and job.lines
    assert job.asked == {"kind": "monthly", "period": "2024-05", "format": "pdf", "language": "en",
                         "organisation": None, "cases": ["nnk:nnk-shared"], "shared_only": True}  # fmt: skip

    progress = client.get("/reporting/progress/").content.decode()
    assert "The report is ready." in progress and "hx-trigger" not in progress  # finished: no more polling
    assert "Typesetting the PDF" in progress
    assert f'href="/reporting/files/{job.file.name}"' in progress
    page = client.get(response["Location"]).content.decode()
    assert f"/reporting/files/{job.file.name}" in page
    assert 'value="nnk:nnk-shared" checked' in page and 'value="2024-05"' in page
    assert [path.name for path in _made(data_dir)] == [job.file.name]

    download = client.get(f"/reporting/files/{job.file.name}")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    content = b"".join(download.streaming_content)  # type: ignore[attr-defined]
    assert content.startswith(b"%PDF")
    with scopes_disabled():
        events = AuditEvent.objects.filter(object_type="report_file", object_ref=job.file.name)
        assert set(events.values_list("action", flat=True)) == {"create", "download"}
        user = get_user_model().objects.get(email="coordinator@network.test")
        assert set(events.values_list("actor", flat=True)) == {f"user:{user.pk}"}
        assert events.get(action="create").details["cases"] == ["nnk:nnk-shared"]

    # a second report in French, as JSON: listed beside the first, newest first
    assert client.post("/reporting/start/", {**FORM, "language": "fr", "format": "json"}).status_code == 303
    second = jobs.wait(timeout=180)
    assert second is not None and second.state == "done" and second.file is not None
    assert second.file.name.endswith(".json") and "-fr-" in second.file.name
    assert len(_made(data_dir)) == 2
    # a coordinator's report counts what the network shares: nnk-private (no consent to share) is verified but
    # left out, as rigardu's reports would be (rigardu does not share with the network)
    figures = json.loads(b"".join(client.get(f"/reporting/files/{second.file.name}").streaming_content))  # type: ignore[attr-defined]
    assert figures["headline"]["incidents"] == 1


def test_a_report_that_cannot_be_made_says_why_without_records(
    committed: None, login: Login, network_world: dict[str, Report], data_dir: Path, settings: Any
) -> None:
    """A case withdrawn between the form and the job: the job fails naming the case, nothing is kept."""
    report = _counted(network_world["nnk-shared"], public_title="They took our phones",
                      public_approved_at=timezone.now())  # fmt: skip
    from bordermonitor.reporting import Period, ReportRequest

    with scopes_disabled():
        Report.objects.filter(pk=report.pk).update(public_approved_at=None)
    request = ReportRequest(Period("monthly", 2024, 5), "pdf", "en", None, (("nnk", "nnk-shared"),))
    jobs.start(user_id=None, request=request, directory=data_dir / "reports",
               policy=settings.BORDERMONITOR_PUBLICATION_POLICY)  # fmt: skip
    job = jobs.wait(timeout=120)
    assert job is not None and job.state == "failed"
    assert job.error is not None and job.error.startswith(
        "case nnk:nnk-shared: its public version is not approved"
    )
    progress = login("coordinator@network.test").get("/reporting/progress/").content.decode()
    assert "The report could not be made: case nnk:nnk-shared" in progress
    assert _made(data_dir) == []


def test_a_running_report_is_polled_every_second() -> None:
    job = jobs.Job(number=7, started_by=None, started_at=timezone.now(), lines=["Typesetting the PDF"],
                   asked={"kind": "monthly", "period": "2019-05", "language": "ar", "format": "pdf"})  # fmt: skip
    html = render_to_string("bordermonitor/reporting/_progress.html", {"job": job})
    assert 'hx-get="/reporting/progress/" hx-trigger="every 1s"' in html and "Typesetting the PDF" in html
    done = dataclasses.replace(job, state="failed", error="OSError")
    html = render_to_string("bordermonitor/reporting/_progress.html", {"job": done})
    assert "hx-trigger" not in html and "The report could not be made: OSError" in html
