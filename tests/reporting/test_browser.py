"""The Reports page in a real browser (Debian's Chromium): a coordinator picks a month, sees its notable cases
appear (HTMX), makes an Arabic PDF report in the background, follows it and downloads it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.e2e.conftest import (  # noqa: F401 - browser: a fixture
    PASSWORD,
    browser,
    cli,
    pass_second_factor,
    serving,
    set_passwords,
)
from tests.reporting.conftest import ARTEFACTS

from bordermonitor.importers.bvmn_fixture import write_legacy

pytestmark = pytest.mark.e2e

_APPROVE = """
import django, os
os.environ['DJANGO_SETTINGS_MODULE'] = 'bordermonitor.web.settings'
django.setup()
from django.utils import timezone
from django_scopes import scopes_disabled
from bordermonitor.storage.models import Organisation, Report
with scopes_disabled():
    Organisation.objects.filter(code='bvmn').update(shares_with_network=True)
    report = Report.objects.filter(date_start__gte='2019-05-01', date_start__lte='2019-05-31').order_by('id').first()
    Report.objects.filter(pk=report.pk).update(
        public_title='They threw our phones in the river', public_narrative='[name] told us the police took the phones.',
        public_approved_at=timezone.now(), narrative_text='CANARY-RAW-NARRATIVE', known_names=['CANARY-NAME'])
    print(report.ref)
"""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A served instance holding an imported legacy export, one approved public version in May 2019, and a
    coordinator; yields the address and the approved report's reference."""
    data = tmp_path_factory.mktemp("reports-browser")
    env = {**os.environ, "BORDERMONITOR_DATA_DIR": str(data), "DATABASE_URL": ""}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    cli(env, "init")
    write_legacy(data / "legacy.sqlite", rows=600, seed=19)
    cli(env, "import", "bvmn", str(data / "legacy.sqlite"), "--organisation", "bvmn")
    cli(env, "user", "add", "coordinator@bvmn.test", "--organisation", "bvmn", "--role", "coordinator")
    set_passwords(env, ["coordinator@bvmn.test"])
    ref = subprocess.run(
        [sys.executable, "-c", _APPROVE], env=env, capture_output=True, text=True, check=True, timeout=60
    ).stdout.strip()
    for server in serving(env):
        yield server, ref


def test_a_coordinator_makes_and_downloads_a_report(
    browser: object,  # noqa: F811 - the fixture imported above
    served: tuple[str, str],
    tmp_path: Path,
) -> None:
    server, ref = served
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)  # type: ignore[attr-defined]
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(server + "/accounts/login/")
    page.fill("#id_username", "coordinator@bvmn.test")
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    pass_second_factor(page, server, "coordinator@bvmn.test")
    page.wait_for_url(server + "/")

    page.goto(server + "/reporting/")
    page.check("#id_kind_0")
    page.fill("#id_month", "2019-05")
    page.dispatch_event("#id_month", "change")
    case = page.locator(f'#report-cases input[value="bvmn:{ref}"]')
    case.wait_for()  # the cases of May 2019, fetched when the month changed
    assert "They threw our phones in the river" in page.inner_text("#report-cases")
    assert "CANARY" not in page.content()
    case.check()
    page.select_option("#id_language", "ar")
    page.select_option("#id_format", "pdf")
    page.click("button.primary-move")
    page.wait_for_selector("[data-report-ready]", timeout=180_000)  # polled every second until it is ready
    progress = page.inner_text("#report-progress")
    assert "Typesetting the PDF" in progress and "The report is ready." in progress
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "reports-page.png"), full_page=True)

    with page.expect_download() as downloading:
        page.click("[data-report-ready]")
    saved = tmp_path / downloading.value.suggested_filename
    downloading.value.save_as(saved)
    assert saved.name.startswith("monthly-2019-05-ar-network-") and saved.suffix == ".pdf"
    assert saved.read_bytes().startswith(b"%PDF")
    page.goto(server + "/reporting/")  # listed among the reports made
    assert page.locator(f'[data-report-files] a[href="/reporting/files/{saved.name}"]').count() == 1
    context.close()
