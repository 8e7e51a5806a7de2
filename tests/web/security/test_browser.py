"""Signing in with a second factor in a real browser (Debian's Chromium, driven by Playwright) against a
served instance: setting up the authenticator, a code refused on reuse, the next one accepted — with the
Content-Security-Policy enforced and not one violation reported by the browser."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from typing import Any

import pyotp
import pytest

from tests.e2e.conftest import ARTEFACTS, PASSWORD, browser, cli, serving, set_passwords  # noqa: F401 - a fixture

pytestmark = pytest.mark.e2e
EMAIL = "reviewer@nnk.test"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("served")
    env = {**os.environ, "BORDERMONITOR_DATA_DIR": str(data), "DATABASE_URL": ""}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    cli(env, "init")
    cli(env, "org", "add", "nnk", "--name", "North Corridor Aid")
    cli(env, "user", "add", EMAIL, "--organisation", "nnk", "--role", "reviewer")
    set_passwords(env, [EMAIL], second_factor=False)  # the browser sets it up
    yield from serving(env)


def _sign_in(page: Any, server: str) -> None:
    page.goto(server + "/")
    page.fill("#id_username", EMAIL)
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")


def test_set_up_then_sign_in_with_a_code_that_works_once(server: str, browser: Any) -> None:  # noqa: F811
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en")
    page = context.new_page()
    page.set_default_timeout(15_000)
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    _sign_in(page, server)
    page.wait_for_url(re.compile(r".*/account/second-factor/set-up/.*"))
    assert page.locator(".qr img").evaluate("img => img.naturalWidth > 0")  # the QR code is drawn
    secret = page.inner_text("[data-secret]").replace(" ", "")
    totp = pyotp.TOTP(secret)
    page.screenshot(path=str(ARTEFACTS / "second-factor-set-up.png"), full_page=True)
    step = int(time.time()) // 30
    page.fill("#id_code", totp.at(step * 30))
    page.click("button.primary")
    page.wait_for_selector("[data-recovery-codes]")
    codes = page.locator("[data-recovery-codes] code").all_inner_texts()
    assert len(codes) == 10
    page.click("a.button.primary")
    page.wait_for_selector("[data-figure=incidents]")

    # sign out, sign in again: the code just used is refused, the next one opens
    page.click("form[data-sign-out] button")
    page.wait_for_selector("#id_username")
    _sign_in(page, server)
    page.wait_for_url(re.compile(r".*/account/second-factor/verify/.*"))
    page.fill("#id_code", totp.at(step * 30))
    page.click("button.primary")
    page.wait_for_selector("#code-error")
    assert "used already" in page.inner_text("#code-error")
    page.fill("#id_code", totp.at((step + 1) * 30))  # the app's next code (one step ahead is accepted)
    page.click("button.primary")
    page.wait_for_selector("[data-figure=incidents]")
    page.screenshot(path=str(ARTEFACTS / "second-factor-signed-in.png"), full_page=True)

    # the policy is the strict one, and the pages needed nothing it forbids
    response = page.goto(server + "/")
    assert response is not None
    assert "script-src 'self';" in response.headers["content-security-policy"]
    assert "unsafe" not in response.headers["content-security-policy"]
    assert violations == []
    context.close()
