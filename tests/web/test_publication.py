"""The public version page for each role, the evidence chosen for publication, the coordinators' Publish page,
and the names field of the intake form."""

from __future__ import annotations

import dataclasses
import importlib
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scopes_disabled
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from bordermonitor.core.anonymise import Span
from bordermonitor.storage.models import AuditEvent, Evidence, Report, User
from bordermonitor.web.publication import jobs
from bordermonitor.web.publication.display import pieces
from tests.evidence import corpus
from tests.network import PASSWORD
from tests.web.intake.helpers import save_step, start, stored
from tests.web.intake.test_flow import INTERVIEW

pytestmark = pytest.mark.django_db
Login = Callable[[str], Client]
NAME = "Ahmad Karimi"
AUDIT = importlib.import_module("bordermonitor.storage.migrations.0002_audit_append_only")


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    """Each test starts without a dry run kept by another (the Publish page keeps one briefly)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.BORDERMONITOR = dataclasses.replace(settings.BORDERMONITOR, data_dir=tmp_path)
    settings.BORDERMONITOR_RELEASE_DIR = tmp_path / "public" / "current"
    return tmp_path


def _fresh(report: Report) -> Report:
    with scopes_disabled():
        return Report.objects.get(pk=report.pk)


def _set(report: Report, **fields: Any) -> Report:
    with scopes_disabled():
        Report.objects.filter(pk=report.pk).update(**fields)
    return _fresh(report)


def _named(report: Report) -> Report:
    return _set(
        report,
        narrative_text=f"{NAME} told us the police took the phones. His number: +387 61 234 567.",
        known_names=[NAME],
    )


def _textarea(page: str, name: str) -> str:
    match = re.search(rf'<textarea name="{name}"[^>]*>\n?(.*?)</textarea>', page, re.S)
    assert match, f"no textarea {name}"
    return match.group(1)


def _url(report: Report, action: str = "") -> str:
    return f"/reports/{report.pk}/public/{action + '/' if action else ''}"


def test_a_reviewer_sees_the_redactions_and_approves_the_public_version(
    login: Login, network_world: dict[str, Report]
) -> None:
    report = _named(network_world["nnk-shared"])
    client = login("reviewer@nnk.test")
    page = client.get(_url(report)).content.decode()
    assert '<mark class="identifier" data-kind="name" title="name">Ahmad Karimi' in page
    assert 'data-kind="phone"' in page and "+387 61 234 567" in page  # the original, highlighted
    proposed = _textarea(page, "narrative")
    assert proposed.startswith("[name] told us") and "[phone]" in proposed and NAME not in proposed
    assert "The report is not approved for publication yet" in page  # status submitted
    with scopes_disabled():
        assert AuditEvent.objects.filter(
            object_id=report.pk, action="view", details__page="public version"
        ).exists()

    response = client.post(
        _url(report, "approve"), {"title": "Pushback near the river", "narrative": proposed}
    )
    assert response.status_code == 303 and response["Location"] == _url(report)
    saved = _fresh(report)
    assert saved.public_narrative == proposed.replace("\r\n", "\n").strip()
    assert saved.public_title == "Pushback near the river"
    assert saved.public_approved_at is not None
    page = client.get(_url(report)).content.decode()
    assert "The public version is approved." in page and 'data-approval="approved"' in page
    assert "Withdraw the approval" in page
    assert client.post(_url(report, "withdraw")).status_code == 303
    assert _fresh(report).public_approved_at is None


def test_a_name_left_in_the_text_is_named_next_to_the_field_and_nothing_is_saved(
    login: Login, network_world: dict[str, Report]
) -> None:
    report = _named(network_world["nnk-shared"])
    typed = "[name] told us that Karimi was beaten; call +387 61 234 567."
    response = login("reviewer@nnk.test").post(_url(report, "approve"), {"title": "", "narrative": typed})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Still in this text: name “Karimi”, phone number “+387 61 234 567”. Remove it" in page
    assert _textarea(page, "narrative") == typed  # the typing is kept
    saved = _fresh(report)
    assert (saved.public_narrative, saved.public_approved_at) == (None, None)


def test_known_names_are_edited_one_a_line(login: Login, network_world: dict[str, Report]) -> None:
    report = network_world["nnk-shared"]
    client = login("reviewer@nnk.test")
    response = client.post(_url(report, "names"), {"names": "Ahmad Karimi\r\n\r\n  Sara \r\n"})
    assert response.status_code == 303
    assert _fresh(report).known_names == ["Ahmad Karimi", "Sara"]
    page = client.get(_url(report)).content.decode()
    assert "Ahmad Karimi\nSara</textarea>" in page


def test_a_documenter_reads_the_public_version_but_cannot_approve(
    login: Login, network_world: dict[str, Report]
) -> None:
    report = _set(_named(network_world["nnk-shared"]), public_narrative="[name] was pushed back.")
    client = login("documenter@nnk.test")
    page = client.get(_url(report)).content.decode()
    assert "data-read-only" in page and "[name] was pushed back." in page
    assert 'action="/reports/' not in page.split('id="public-texts"')[1].split("</section>")[0]  # no form
    assert '<li dir="auto">Ahmad Karimi</li>' in page  # the names, read-only
    response = client.post(_url(report, "approve"), {"title": "", "narrative": "A group was pushed back."})
    assert response.status_code == 403
    assert "Only reviewers of the report&#x27;s organisation decide" in response.content.decode()
    assert client.post(_url(report, "names"), {"names": "X"}).status_code == 403
    saved = _fresh(report)
    assert (saved.public_narrative, saved.public_approved_at, saved.known_names) == (
        "[name] was pushed back.",
        None,
        [NAME],
    )


def test_coordinators_read_shared_reports_only_and_never_the_names(
    login: Login, network_world: dict[str, Report]
) -> None:
    client = login("coordinator@network.test")
    shared = _named(network_world["nnk-shared"])
    page = client.get(_url(shared)).content.decode()
    assert "Shared with the network by North Corridor Aid" in page
    assert 'id="known-names"' not in page
    assert client.post(_url(shared, "approve"), {"narrative": "x"}).status_code == 403
    assert client.get(_url(network_world["nnk-private"])).status_code == 404  # no consent to share


def test_the_network_coordinator_is_never_shown_which_words_are_known_names(
    login: Login, network_world: dict[str, Report]
) -> None:
    """The original narrative is the coordinator's to read, but not the organisation's list of names: no name
    is marked in it, no name is listed, and no automatic proposal sets [name] against the original."""
    report = _set(_named(network_world["nnk-shared"]), known_names=[NAME, "Sara Mansour"])
    documenter = login("documenter@nnk.test").get(_url(report)).content.decode()
    assert 'data-kind="name"' in documenter and "Sara Mansour" in documenter  # the organisation sees them
    page = login("coordinator@network.test").get(_url(report)).content.decode()
    assert "Shared with the network by North Corridor Aid" in page
    assert f"{NAME} told us the police took the phones" in page  # the original, as the record page shows it
    assert 'data-kind="name"' not in page and "Mansour" not in page
    assert 'data-kind="phone"' in page  # other identifiers stay marked
    assert "[name]" not in page and "× name" not in page
    assert "data-no-proposal" in page and "data-names-hidden" in page
    # a saved public version is the reviewer's text, meant for publication: shown as saved
    report = _set(report, public_narrative="[name] was pushed back.")
    page = login("coordinator@network.test").get(_url(report)).content.decode()
    assert "[name] was pushed back." in page and 'data-kind="name"' not in page


@pytest.mark.parametrize(
    ("email", "ref"), [("analyst@nnk.test", "nnk-shared"), ("reviewer@rigardu.test", "nnk-shared")]
)
def test_analysts_and_other_organisations_get_404(
    login: Login, network_world: dict[str, Report], email: str, ref: str
) -> None:
    client = login(email)
    report = network_world[ref]
    for action in ("", "approve", "withdraw", "names"):
        response = client.get(_url(report, action)) if not action else client.post(_url(report, action), {})
        assert response.status_code == 404, action


def test_the_evidence_toggle_publishes_the_metadata_stripped_copy(
    login: Login, network_world: dict[str, Report]
) -> None:
    report = network_world["nnk-shared"]
    reviewer = login("reviewer@nnk.test")
    upload = SimpleUploadedFile("IMG_0001.jpg", corpus.jpeg_with_gps(), content_type="image/jpeg")
    assert (
        reviewer.post(f"/reports/{report.pk}/evidence/", {"file": upload, "kind": "photo"}).status_code == 303
    )
    with scopes_disabled():
        (photo,) = Evidence.objects.filter(report=report)
    page = reviewer.get(_url(report)).content.decode()
    assert "Publish the metadata-stripped copy" in page

    response = reviewer.post(f"/evidence/{photo.pk}/publish/", {"publish": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    fragment = response.content.decode()
    assert fragment.lstrip().startswith('<section class="card public-evidence"')
    assert "Public copy chosen" in fragment and f"/evidence/{photo.pk}/thumbnail/" in fragment
    copy = reviewer.get(f"/evidence/{photo.pk}/public/")
    data = b"".join(copy.streaming_content)
    assert copy["Content-Type"] == "image/jpeg" and copy["Cache-Control"] == "private, no-store"
    assert corpus.GPS_CANARY.encode() not in data
    with Image.open(io.BytesIO(data)) as image:
        assert not image.getexif()

    assert (
        login("documenter@nnk.test").post(f"/evidence/{photo.pk}/publish/", {"publish": "0"}).status_code
        == 403
    )
    assert (
        login("analyst@nnk.test").post(f"/evidence/{photo.pk}/publish/", {"publish": "0"}).status_code == 404
    )
    response = reviewer.post(f"/evidence/{photo.pk}/publish/", {"publish": "0"})
    assert response.status_code == 303 and response["Location"].endswith("#public-evidence")
    assert reviewer.get(f"/evidence/{photo.pk}/public/").status_code == 404


def test_the_record_page_links_to_the_public_version(login: Login, network_world: dict[str, Report]) -> None:
    report = network_world["nnk-shared"]
    page = login("documenter@nnk.test").get(f"/reports/{report.pk}/").content.decode()
    assert f'href="/reports/{report.pk}/public/"' in page
    assert "No public version approved" in page


def test_documenters_list_the_names_to_keep_out_in_the_intake_form(
    login: Login, network_world: dict[str, Report]
) -> None:
    report = network_world["nnk-draft"]
    client = login("documenter@nnk.test")
    page = client.get(f"/reports/{report.pk}/edit/narrative/").content.decode()
    assert "Names to keep out of any publication" in page
    data = {
        "title": "Pushback",
        "narrative": "Ahmad told us.",
        "translation_en": "",
        "known_names": "Ahmad\n Sara \n",
    }
    assert save_step(client, report.pk, "narrative", data).status_code in (200, 303)
    assert stored(report.pk)["known_names"] == ["Ahmad", "Sara"]


# --- the Publish page ------------------------------------------------------------------------------------


def _site_admin() -> Client:
    with scopes_disabled():
        User.objects.create_superuser("root@network.test", PASSWORD)
    client = Client()
    assert client.login(username="root@network.test", password=PASSWORD)
    return client


@pytest.mark.parametrize(
    "email", ["documenter@nnk.test", "reviewer@nnk.test", "analyst@nnk.test", "admin@nnk.test"]
)
def test_only_coordinators_and_site_admins_see_the_publish_page(
    login: Login, network_world: dict[str, Report], email: str
) -> None:
    client = login(email)
    assert client.get("/publication/").status_code == 404
    assert client.post("/publication/run/", {"plan": "x"}).status_code == 404
    assert client.get("/publication/progress/").status_code == 404


def test_the_publish_page_shows_the_next_publication(login: Login, network_world: dict[str, Report]) -> None:
    _set(network_world["nnk-shared"], status="approved_for_publication")
    for client in (login("coordinator@network.test"), _site_admin()):
        response = client.get("/publication/")
        assert response.status_code == 200
        page = response.content.decode()
        assert "Nothing is published yet." in page
        assert re.search(r"<span>reports eligible</span> <span class=\"n\">1</span>", page)
        assert "reports not approved for publication" in page
        assert "CANARY-" not in page


def test_publishing_needs_the_figures_the_person_saw(login: Login, network_world: dict[str, Report]) -> None:
    before = jobs.current()
    response = login("coordinator@network.test").post("/publication/run/", {"plan": "0" * 20})
    assert response.status_code == 409
    assert "What would be published changed since the page was shown" in response.content.decode()
    assert jobs.current() == before


@pytest.fixture
def committed(transactional_db: None) -> Iterator[None]:
    """Data committed, so that the publication thread's own database connection reads it.

    Afterwards the tables are emptied for the next test. The audit log refuses DELETE (migration 0002):
    PostgreSQL empties tables with TRUNCATE, which row triggers do not see, but SQLite deletes rows, so there
    the triggers are lifted for that one statement and put back as they were."""
    yield
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for statement in (*AUDIT.SQLITE_REVERSE, "DELETE FROM storage_auditevent", *AUDIT.SQLITE):
                cursor.execute(statement)


def _publish(client: Client) -> jobs.Job:
    page = client.get("/publication/").content.decode()
    plan = re.search(r'name="plan" value="([0-9a-f]+)"', page)
    assert plan
    response = client.post("/publication/run/", {"plan": plan.group(1)})
    assert response.status_code == 303, response.content.decode()[:2000]
    job = jobs.wait(timeout=120)
    assert job is not None and not job.running
    return job


def _digest(page: str) -> str:
    found = re.search(r'name="plan" value="([0-9a-f]+)"', page)
    assert found
    return found.group(1)


def _eligible(page: str) -> int:
    found = re.search(r'<span>reports eligible</span> <span class="n">(\d+)</span>', page)
    return int(found.group(1)) if found else 0


def test_a_draft_saved_meanwhile_does_not_stop_a_publication(
    committed: None, login: Login, network_world: dict[str, Report]
) -> None:
    """Only what would be published is confirmed: a new draft elsewhere in the network is left out either
    way, so Publish goes ahead with the figures the coordinator saw."""
    _set(network_world["nnk-shared"], status="approved_for_publication")
    client = login("coordinator@network.test")
    page = client.get("/publication/").content.decode()
    response, _token = start(login("documenter@nnk.test"), INTERVIEW)
    assert response.status_code == 303
    with scopes_disabled():
        assert Report.objects.filter(status="draft").count() == 2  # the new one is saved, and unpublishable
    response = client.post("/publication/run/", {"plan": _digest(page)})
    assert response.status_code == 303, response.content.decode()[:2000]
    job = jobs.wait(timeout=120)
    assert job is not None and job.state == "published", (job and job.error, job and job.problems)
    assert job.release is not None and job.release.counts["reports"] == 1


def test_the_dry_run_is_kept_between_displays_until_something_changes(
    login: Login, network_world: dict[str, Report]
) -> None:
    report = _set(network_world["nnk-shared"], status="approved_for_publication")
    client = login("coordinator@network.test")
    with CaptureQueriesContext(connection) as first:
        page = client.get("/publication/").content.decode()
    with CaptureQueriesContext(connection) as second:
        again = client.get("/publication/").content.decode()
    assert _digest(again) == _digest(page) and _eligible(again) == 1
    read_rows = [q["sql"] for q in first.captured_queries if "storage_reportviolence" in q["sql"]]
    assert read_rows  # the first display ran the dry run
    assert not [
        q for q in second.captured_queries if "storage_reportviolence" in q["sql"]
    ]  # the second did not
    assert len(second.captured_queries) < len(first.captured_queries)

    # an approval saved in between is in the very next display, and the figures seen before no longer publish
    assert '<span>incidents with an approved public narrative</span> <span class="n">0</span>' in again
    reviewer = login("reviewer@nnk.test")
    assert (
        reviewer.post(_url(report, "approve"), {"narrative": "A group was pushed back."}).status_code == 303
    )
    changed = client.get("/publication/").content.decode()
    assert '<span>incidents with an approved public narrative</span> <span class="n">1</span>' in changed
    before = jobs.current()
    assert client.post("/publication/run/", {"plan": _digest(page)}).status_code == 409
    assert jobs.current() == before


def test_the_page_says_the_final_scan_runs_only_when_publishing(
    login: Login, network_world: dict[str, Report]
) -> None:
    page = login("coordinator@network.test").get("/publication/").content.decode()
    notice = page.split("data-no-final-scan>")[1].split("</p>")[0]
    assert "without the final scan of the release" in notice and "runs only when publishing" in notice
    assert "may still be refused" in notice


def test_a_coordinator_publishes_and_follows_the_progress(
    committed: None, login: Login, network_world: dict[str, Report], data_dir: Path
) -> None:
    report = _set(
        _named(network_world["nnk-shared"]),
        status="approved_for_publication",
        public_narrative="[name] told us the police took the phones.",
    )
    reviewer = login("reviewer@nnk.test")
    assert reviewer.post(_url(report, "approve"), {"narrative": report.public_narrative}).status_code == 303
    client = login("coordinator@network.test")
    job = _publish(client)
    assert job.state == "published", (job.error, job.problems)
    assert job.lines and job.release is not None
    progress = client.get("/publication/progress/").content.decode()
    assert f"Published: release {job.release.version} is now served." in progress
    assert "hx-trigger" not in progress  # finished: the page stops polling
    page = client.get("/publication/").content.decode()
    assert job.release.version in page and "Nothing is published yet." not in page
    assert (data_dir / "public" / "current" / "release.json").exists()


def test_a_refused_publication_lists_the_records_at_fault(
    committed: None, login: Login, network_world: dict[str, Report]
) -> None:
    with scopes_disabled():
        User.objects.filter(email="reviewer@nnk.test").update(display_name="Marta Kovač")
    report = _set(network_world["nnk-shared"], status="approved_for_publication")
    reviewer = login("reviewer@nnk.test")
    narrative = (
        "Marta Kovač met the group after the pushback."  # a staff member's name, unknown to the record
    )
    assert reviewer.post(_url(report, "approve"), {"narrative": narrative}).status_code == 303
    client = login("coordinator@network.test")
    job = _publish(client)
    assert job.state == "refused" and job.problems
    progress = client.get("/publication/progress/").content.decode()
    assert "Refused: nothing was published and the previous release is still served." in progress
    assert "a staff member" in progress


def test_a_running_publication_is_polled_every_second(login: Login, network_world: dict[str, Report]) -> None:
    """The progress section asks for itself again every second while the job runs, and not after."""
    job = jobs.Job(number=99, started_by=None, started_at=timezone.now(), lines=["reading reports"])
    html = render_to_string("bordermonitor/publication/_progress.html", {"job": job})
    assert 'hx-get="/publication/progress/" hx-trigger="every 1s"' in html and "reading reports" in html
    done = dataclasses.replace(job, state="failed", error="OSError")
    assert "hx-trigger" not in render_to_string("bordermonitor/publication/_progress.html", {"job": done})


@given(st.text(max_size=60), st.lists(st.tuples(st.integers(0, 70), st.integers(0, 70)), max_size=6))
def test_highlighting_never_loses_or_repeats_text(text: str, bounds: list[tuple[int, int]]) -> None:
    spans = [Span(min(a, b), max(a, b), "name", text[min(a, b) : max(a, b)]) for a, b in bounds]
    cut = pieces(text, spans)
    assert "".join(piece.text for piece in cut) == text
    assert all(piece.text for piece in cut)
