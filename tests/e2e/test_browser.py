"""A real browser (Debian's Chromium, driven by Playwright) against a served instance, as a new user sees it."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator

import pytest

from tests.e2e.conftest import ARTEFACTS, PASSWORD, cli, pass_second_factor, serving, set_passwords

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("served")
    env = {**os.environ, "BORDERMONITOR_DATA_DIR": str(data), "DATABASE_URL": ""}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    cli(env, "init")
    cli(env, "org", "add", "nnk", "--name", "North Corridor Aid")
    cli(env, "user", "add", "reviewer@nnk.test", "--organisation", "nnk", "--role", "reviewer")
    exchange = data / "in.jsonl"
    exchange.write_text(
        "".join(
            json.dumps(
                {
                    "ref": f"nnk-{n}",
                    "organisation": "nnk",
                    "kind": "testimony",
                    "incident": {
                        "date": "2022-05-0" + str(n + 1),
                        "expelled_by": ["HR"],
                        "group": {"size": 5},
                        "violence": [{"type": "beating"}],
                    },
                }
            )
            + "\n"
            for n in range(4)
        )
    )
    cli(env, "import", "jsonl", str(exchange))
    set_passwords(env, ["reviewer@nnk.test"])
    yield from serving(env)


def test_sign_in_see_the_figures_and_switch_to_arabic(server: str, browser: object) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    page.goto(server + "/")
    assert page.url.startswith(server + "/accounts/login/")
    page.fill("#id_username", "reviewer@nnk.test")
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    pass_second_factor(page, server, "reviewer@nnk.test")
    page.wait_for_selector("[data-figure=incidents]")
    assert page.inner_text("[data-figure=incidents]") == "4"
    assert page.inner_text("[data-figure=people_affected]") == "20"
    assert "North Corridor Aid" in page.content()
    page.screenshot(path=str(ARTEFACTS / "home-en-phone.png"), full_page=True)

    page.select_option("#language", "ar")
    page.click("form.inline button[type=submit] >> nth=0")
    page.wait_for_selector("html[dir=rtl]")
    assert page.get_attribute("html", "lang") == "ar"
    assert "نظرة عامة" in page.content()  # "Overview"
    page.screenshot(path=str(ARTEFACTS / "home-ar-phone.png"), full_page=True)

    page.click("text=تسجيل الخروج")  # sign out (a POST form with its CSRF token)
    page.wait_for_selector("#id_username")
    page.close()
