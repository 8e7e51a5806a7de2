"""The documentation workflow in a real browser, as its users live it (issue "done when"):

a documenter on a phone-sized window records a testimony with a chain pushback, three violence types, a photo
and a PDF medical report, and submits it; the organisation's reviewer requests a change, the documenter
corrects and re-submits, the reviewer verifies and approves it; the network coordinator sees it only because
it was shared. In English and in Arabic, with screenshots kept as test artefacts.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import ARTEFACTS, PASSWORD, cli, pass_second_factor, serving, set_passwords

pytestmark = pytest.mark.e2e
PEOPLE = ("documenter", "reviewer", "coordinator")


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A served instance with one sharing organisation and its documenter, reviewer and coordinator."""
    data = tmp_path_factory.mktemp("workflow")
    env = {**os.environ, "BORDERMONITOR_DATA_DIR": str(data), "DATABASE_URL": ""}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    cli(env, "init")
    cli(env, "org", "add", "nnk", "--name", "North Corridor Aid", "--share-with-network")
    for role in PEOPLE:
        cli(env, "user", "add", f"{role}@nnk.test", "--organisation", "nnk", "--role", role)
    private = {
        "ref": "nnk-unshared",
        "organisation": "nnk",
        "kind": "testimony",
        "status": "submitted",
        "consent": {"share_with_network": False},
        "incident": {"date": "2026-10", "expelled_by": ["HR"]},
    }
    (data / "private.jsonl").write_text(json.dumps(private) + "\n")
    cli(env, "import", "jsonl", str(data / "private.jsonl"))
    set_passwords(env, [f"{role}@nnk.test" for role in PEOPLE])
    yield from serving(env)


def _files(folder: Path) -> tuple[Path, Path]:
    """A photo with GPS in its EXIF and a PDF medical report, as a phone would send them."""
    import pikepdf
    from PIL import Image

    photo = folder / "injury.jpg"
    image = Image.new("RGB", (640, 480), (180, 90, 80))
    exif = Image.Exif()
    exif[0x010F] = "CANARY-CAMERA-MAKER"  # Make
    image.save(photo, "JPEG", exif=exif.tobytes())
    pdf = folder / "medical.pdf"
    document = pikepdf.new()
    document.add_blank_page(page_size=(595, 842))
    document.docinfo["/Author"] = "CANARY-DOCTOR"
    document.save(pdf)
    return photo, pdf


def _sign_in(browser: object, server: str, role: str, language: str, *, phone: bool = True) -> object:
    viewport = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
    context = browser.new_context(viewport=viewport, locale=language)  # type: ignore[attr-defined]
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(server + "/accounts/login/")
    page.fill("#id_username", f"{role}@nnk.test")
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    pass_second_factor(page, server, f"{role}@nnk.test")
    page.wait_for_url(server + "/")
    if page.get_attribute("html", "lang") != language:  # the account's language, chosen once
        page.select_option("#language", language)
        page.click("form.inline button[type=submit] >> nth=0")
        page.wait_for_selector(f"html[lang={language}]")
    return page


def _choose(page: object, name: str, value: str) -> None:
    """A yes/no/unknown answer (radio buttons) or a select, whichever the form uses."""
    radio = page.query_selector(f"input[type=radio][name={name}][value={value}]")  # type: ignore[attr-defined]
    if radio is not None:
        radio.check()
    else:
        page.select_option(f"#id_{name}", value)  # type: ignore[attr-defined]


def _save_step(page: object, slug: str) -> None:
    page.click("#save-and-continue")  # type: ignore[attr-defined]
    page.wait_for_selector(f"#intake:not([data-step={slug}])")  # type: ignore[attr-defined]
    assert not page.query_selector(".errorlist"), page.inner_text("#intake")  # type: ignore[attr-defined]


def _record_testimony(page: object, server: str, folder: Path, shot: str) -> str:
    p = page
    p.goto(server + "/reports/new/")  # type: ignore[attr-defined]
    p.wait_for_selector("#intake[data-step=interview]")  # type: ignore[attr-defined]
    p.fill("#id_recorded_on", "2026-11-02")  # type: ignore[attr-defined]
    p.select_option("#id_language", "fa")  # type: ignore[attr-defined]
    for consent in ("consent_publish", "consent_share", "consent_legal"):
        _choose(p, consent, "yes")
    p.screenshot(path=str(ARTEFACTS / f"{shot}-1-interview.png"), full_page=True)  # type: ignore[attr-defined]
    _save_step(p, "interview")

    p.wait_for_selector("#intake[data-step=when-where]")  # type: ignore[attr-defined]
    p.fill("#id_date_year", "2026")  # type: ignore[attr-defined]
    p.select_option("#id_date_month", "10")  # type: ignore[attr-defined]
    p.fill("#id_lat", "45.21")  # type: ignore[attr-defined]
    p.fill("#id_lon", "15.79")  # type: ignore[attr-defined]
    p.fill("#id_place", "Glinica")  # type: ignore[attr-defined]
    p.select_option("#id_country", "BA")  # type: ignore[attr-defined]
    p.select_option("#id_incident_kind", "chain_pushback")  # type: ignore[attr-defined]
    assert p.query_selector("#map-picker .leaflet-container, #map-picker.leaflet-container")  # type: ignore[attr-defined]
    p.screenshot(path=str(ARTEFACTS / f"{shot}-2-when-where.png"), full_page=True)  # type: ignore[attr-defined]
    _save_step(p, "when-where")

    p.wait_for_selector("#intake[data-step=group]")  # type: ignore[attr-defined]
    p.fill("#id_group_size", "9")  # type: ignore[attr-defined]
    p.fill("#id_minors", "2")  # type: ignore[attr-defined]
    _choose(p, "minors_involved", "yes")
    p.select_option("#id_nationalities", ["AF", "PK"])  # type: ignore[attr-defined]
    _save_step(p, "group")

    p.wait_for_selector("#intake[data-step=chain]")  # type: ignore[attr-defined]
    for index, state in enumerate(("SI", "HR", "BA")):
        p.select_option(f"#id_expelled_by_{index}", state)  # type: ignore[attr-defined]
    p.select_option("#id_expelled_to", "BA")  # type: ignore[attr-defined]
    p.screenshot(path=str(ARTEFACTS / f"{shot}-3-chain.png"), full_page=True)  # type: ignore[attr-defined]
    _save_step(p, "chain")

    p.wait_for_selector("#intake[data-step=violence]")  # type: ignore[attr-defined]
    for code, detail in (
        ("beating", "batons"),
        ("dog_attack", "bitten on the leg"),
        ("theft_of_belongings", "phones"),
    ):
        p.check(f"#id_violence_{code}")  # type: ignore[attr-defined]
        p.fill(f"#id_violence_detail_{code}", detail)  # type: ignore[attr-defined]
    p.screenshot(path=str(ARTEFACTS / f"{shot}-4-violence.png"), full_page=True)  # type: ignore[attr-defined]
    _save_step(p, "violence")

    p.wait_for_selector("#intake[data-step=medical]")  # type: ignore[attr-defined]
    _choose(p, "injuries", "yes")
    _choose(p, "medical_documented", "yes")
    _save_step(p, "medical")

    p.wait_for_selector("#intake[data-step=narrative]")  # type: ignore[attr-defined]
    p.fill("#id_title", "Chain pushback from Slovenia to Bosnia")  # type: ignore[attr-defined]
    p.fill("#id_narrative", "CANARY-WITNESS was beaten and bitten by a dog; the police took the phones.")  # type: ignore[attr-defined]
    _save_step(p, "narrative")

    p.wait_for_selector("#intake[data-step=evidence]")  # type: ignore[attr-defined]
    photo, pdf = _files(folder)
    for path, kind in ((photo, "photo"), (pdf, "medical_report")):
        p.set_input_files("[data-evidence-upload] input[type=file]", str(path))  # type: ignore[attr-defined]
        p.select_option("[data-evidence-upload] select[name=kind]", kind)  # type: ignore[attr-defined]
        count = len(p.query_selector_all(".evidence-item"))  # type: ignore[attr-defined]
        p.click("[data-evidence-upload] button[type=submit]")  # type: ignore[attr-defined]
        p.locator(".evidence-item").nth(count).wait_for()  # type: ignore[attr-defined]  # one more (no eval: CSP)
    assert p.query_selector(".evidence-thumb img")  # type: ignore[attr-defined]
    p.screenshot(path=str(ARTEFACTS / f"{shot}-5-evidence.png"), full_page=True)  # type: ignore[attr-defined]
    _save_step(p, "evidence")

    p.wait_for_selector("#intake[data-step=submit]")  # type: ignore[attr-defined]
    p.click("#submit-report")  # type: ignore[attr-defined]
    p.wait_for_url("**/reports/*/")  # type: ignore[attr-defined]
    p.screenshot(path=str(ARTEFACTS / f"{shot}-6-submitted.png"), full_page=True)  # type: ignore[attr-defined]
    return str(p.url)  # type: ignore[attr-defined]


def _move(page: object, target: str, *, comment: str = "", checklist: bool = False) -> None:
    if checklist:
        for box in page.query_selector_all("[data-review-form] input[name=checklist]"):  # type: ignore[attr-defined]
            box.check()
    if comment:
        page.fill("#review-comment", comment)  # type: ignore[attr-defined]
    page.click(f"[data-review-form] button[value={target}]")  # type: ignore[attr-defined]
    page.wait_for_selector(f".badge.status-{target}")  # type: ignore[attr-defined]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_record_review_and_share_a_testimony(
    network: str, browser: object, language: str, tmp_path: Path
) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    shot = f"workflow-{language}"
    documenter = _sign_in(browser, network, "documenter", language)
    direction = "rtl" if language == "ar" else "ltr"
    assert documenter.get_attribute("html", "dir") == direction  # type: ignore[attr-defined]
    report_url = _record_testimony(documenter, network, tmp_path, shot)
    assert documenter.query_selector(".badge.status-submitted")  # type: ignore[attr-defined]

    reviewer = _sign_in(browser, network, "reviewer", language, phone=False)
    reviewer.goto(report_url)  # type: ignore[attr-defined]
    page_text = reviewer.inner_text("main")  # type: ignore[attr-defined]
    assert "SI" in page_text or "Slovenia" in page_text or "سلوفينيا" in page_text
    _move(reviewer, "in_review")
    _move(reviewer, "changes_requested", comment="Please add the time of day if it is known.")
    reviewer.screenshot(path=str(ARTEFACTS / f"{shot}-7-changes-requested.png"), full_page=True)  # type: ignore[attr-defined]

    documenter.goto(report_url)  # type: ignore[attr-defined]
    assert "Please add the time of day" in documenter.inner_text("main")  # type: ignore[attr-defined]
    documenter.goto(report_url + "edit/when-where/")  # type: ignore[attr-defined]
    documenter.wait_for_selector("#intake[data-step=when-where]")  # type: ignore[attr-defined]
    documenter.fill("#id_time", "23:30")  # type: ignore[attr-defined]
    _save_step(documenter, "when-where")
    documenter.goto(report_url)  # type: ignore[attr-defined]
    _move(documenter, "submitted")

    reviewer.goto(report_url)  # type: ignore[attr-defined]
    assert "23:30" in reviewer.inner_text("main")  # type: ignore[attr-defined]  # changed since the last look
    _move(reviewer, "in_review")
    _move(reviewer, "verified", checklist=True)
    _move(reviewer, "approved_for_publication")
    reviewer.screenshot(path=str(ARTEFACTS / f"{shot}-8-approved.png"), full_page=True)  # type: ignore[attr-defined]

    coordinator = _sign_in(browser, network, "coordinator", language, phone=False)
    coordinator.goto(report_url)  # type: ignore[attr-defined]
    assert coordinator.query_selector(".badge.status-approved_for_publication")  # type: ignore[attr-defined]
    assert not coordinator.query_selector("[data-review-form]")  # type: ignore[attr-defined]  # read-only
    coordinator.screenshot(path=str(ARTEFACTS / f"{shot}-9-coordinator.png"), full_page=True)  # type: ignore[attr-defined]
    pk = report_url.rstrip("/").rsplit("/", 1)[-1]
    coordinator.goto(network + "/reports/")  # type: ignore[attr-defined]
    listed = coordinator.inner_text("main")  # type: ignore[attr-defined]
    assert "nnk-unshared" not in listed  # the source did not consent to sharing: the network never sees it
    assert coordinator.query_selector(f"a[href$='/reports/{pk}/']")  # type: ignore[attr-defined]
    reviewer.goto(network + "/reports/")  # type: ignore[attr-defined]
    assert "nnk-unshared" in reviewer.inner_text("main")  # type: ignore[attr-defined]  # its organisation does
    # Signing out leaves nothing typed on the device.
    documenter.goto(network + "/")  # type: ignore[attr-defined]
    documenter.evaluate("localStorage.setItem('bm-intake:0:report:0', '{\"narrative\": \"unsaved\"}')")  # type: ignore[attr-defined]
    documenter.click("form[data-sign-out] button")  # type: ignore[attr-defined]
    documenter.wait_for_selector("#id_username")  # type: ignore[attr-defined]
    kept = documenter.evaluate("Object.keys(localStorage).filter(k => k.startsWith('bm-intake:'))")  # type: ignore[attr-defined]
    assert kept == []
    for page in (documenter, reviewer, coordinator):
        page.context.close()  # type: ignore[attr-defined]
