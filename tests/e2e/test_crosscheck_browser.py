"""Cross-checking in a real browser (Debian's Chromium): a coordinator starts a cross-check from the queue and
follows it (HTMX polling), opens the proposed pair, confirms one incident and reads where the two organisations'
reports disagree, then undoes it; the pair page on a phone, right to left in Arabic. Screenshots are kept."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import (  # noqa: F401 - browser is a fixture
    ARTEFACTS,
    PASSWORD,
    browser,
    cli,
    pass_second_factor,
    serving,
    set_passwords,
)

pytestmark = pytest.mark.e2e
CANARY = "CANARY-nnk-private"


def _report(ref: str, organisation: str, *, kind: str, share: bool, date: str, size: int) -> dict[str, Any]:
    return {
        "ref": ref,
        "organisation": organisation,
        "kind": kind,
        "status": "submitted",
        "consent": {"share_with_network": share},
        "narrative": {
            "text": f"{ref}: the police took our phones and pushed us back over the river.",
            "language": "en",
        },
        "incident": {
            "date": date,
            "location": {"lat": 44.8169, "lon": 15.8708, "place": "Bihać", "country": "BA"},
            "kind": "chain_pushback",
            "expelled_by": ["SI", "HR"],
            "expelled_to": "BA",
            "group": {"size": size, "nationalities": ["AF"]},
            "violence": [{"type": "beating"}, {"type": "theft_of_belongings"}],
        },
    }


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Two organisations that share with the network, each with an account of one pushback (a day apart, the
    group told as 7 and 9 people), nnk's private account with a canary, and nnk's coordinator."""
    data = tmp_path_factory.mktemp("crosscheck-browser")
    env = {**os.environ, "BORDERMONITOR_DATA_DIR": str(data), "DATABASE_URL": ""}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    cli(env, "init")
    cli(env, "org", "add", "nnk", "--name", "North Corridor Aid", "--share-with-network")
    cli(env, "org", "add", "vox", "--name", "Vox Border Monitoring", "--share-with-network")
    cli(env, "user", "add", "coordinator@nnk.test", "--organisation", "nnk", "--role", "coordinator")
    reports = [
        _report("nnk-0001", "nnk", kind="testimony", share=True, date="2024-05-10", size=7),
        _report("vox-0042", "vox", kind="witness", share=True, date="2024-05-11", size=9),
        {**_report(CANARY, "nnk", kind="testimony", share=False, date="2024-05-10", size=7)},
    ]
    (data / "reports.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in reports))
    cli(env, "import", "jsonl", str(data / "reports.jsonl"))
    set_passwords(env, ["coordinator@nnk.test"])
    yield from serving(env)


def _sign_in(chromium: Any, server: str, *, language: str, phone: bool) -> Any:
    viewport = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
    context = chromium.new_context(viewport=viewport, locale=language)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(server + "/accounts/login/")
    page.fill("#id_username", "coordinator@nnk.test")
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    pass_second_factor(page, server, "coordinator@nnk.test")
    page.wait_for_url(server + "/")
    if page.get_attribute("html", "lang") != language:
        page.select_option("#language", language)
        page.click("form.inline button[type=submit] >> nth=0")
        page.wait_for_selector(f"html[lang={language}]")
    return page


def test_a_coordinator_runs_a_crosscheck_and_decides_a_pair(browser: Any, served: str) -> None:  # noqa: F811
    server = served
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page = _sign_in(browser, server, language="en", phone=False)
    page.goto(server + "/crosscheck/")
    assert "No pair waits for a decision." in page.inner_text("[data-empty]")
    page.check("#id_what_0")
    page.click("button.run-button")
    page.wait_for_selector("[data-crosscheck-done]", timeout=120_000)  # polled every second until it is done
    assert "3 reports read" in page.inner_text("#crosscheck-progress")
    page.click("[data-crosscheck-done] a.button-link")
    page.wait_for_selector("li.pair-item")
    assert page.locator("li.pair-item").count() == 1  # the private report is not the network's to pair
    row = page.inner_text("li.pair-item")
    assert "nnk-0001" in row and "vox-0042" in row and "Agree" in row
    assert CANARY not in page.content()
    page.screenshot(path=str(ARTEFACTS / "crosscheck-queue.png"), full_page=True)

    page.click("a.pair-link")
    page.wait_for_selector("table.comparison")
    date_row = page.inner_text('tr[data-field="date"]')
    assert "1 day apart" in date_row and "+" in date_row
    assert "7 vs 9" in page.inner_text('tr[data-field="group_size"]')
    page.fill("#id_note", "The same group, told by a witness the next morning.")
    page.click('button[value="same_incident"]')
    page.wait_for_selector("[data-merged]")
    merged = page.inner_text("[data-merged]")
    assert "2 independent sources" in merged and "2 organisations" in merged
    assert page.locator('[data-merged] tr[data-conflict="group_size"]').count() == 1
    assert page.locator('[data-merged] tr[data-conflict="date"]').count() == 1
    assert CANARY not in page.content()
    page.screenshot(path=str(ARTEFACTS / "crosscheck-merged.png"), full_page=True)

    page.goto(server + "/crosscheck/?status=decided")
    page.click("a.pair-link")
    page.click("[data-undo] button")
    page.wait_for_selector("ul.messages")
    assert "separate again" in page.inner_text("ul.messages")
    assert page.locator('button[value="same_incident"]').count() == 1
    page.context.close()


def test_the_pair_page_reads_right_to_left_on_a_phone(browser: Any, served: str) -> None:  # noqa: F811
    page = _sign_in(browser, served, language="ar", phone=True)
    page.goto(served + "/crosscheck/")
    page.wait_for_selector("li.pair-item")
    assert page.get_attribute("html", "dir") == "rtl"
    assert _overflow(page) <= 0, "the queue is wider than a 390px phone"
    page.screenshot(path=str(ARTEFACTS / "crosscheck-queue-ar-phone.png"), full_page=True)
    page.click("a.pair-link")
    page.wait_for_selector("table.comparison")
    assert _overflow(page) <= 0, "the pair page is wider than a 390px phone"
    # each field reads as one card: the agreement is told by a sign and in words
    assert page.locator('tr[data-field="date"] .mark').inner_text() in ("✓", "✗", "=", "?")
    buttons = page.locator("[data-decide] button")
    assert buttons.count() == 3 and all(buttons.nth(i).bounding_box()["height"] >= 44 for i in range(3))
    page.screenshot(path=str(ARTEFACTS / "crosscheck-pair-ar-phone.png"), full_page=True)

    page.click("a.side-ref >> nth=0")  # the record page: its sources, and a link back to its pairs
    page.wait_for_selector("[data-crosscheck]")
    assert page.locator("[data-crosscheck] [data-sources]").get_attribute("data-sources") == "1"
    assert page.locator("[data-pairs-link]").count() == 1
    assert _overflow(page) <= 0, "the record page is wider than a 390px phone"
    page.locator("[data-crosscheck]").screenshot(path=str(ARTEFACTS / "crosscheck-record-panel-ar-phone.png"))
    page.context.close()


def _overflow(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"))
