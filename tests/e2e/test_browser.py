"""A real browser (Debian's Chromium, driven by Playwright) against a served instance, as a new user sees it."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = "a long demo password 1"
ROOT = Path(__file__).resolve().parents[2]
# Screenshots are kept as test artefacts (CI keeps the working tree): look at them after a run.
ARTEFACTS = Path(os.environ.get("BORDERMONITOR_TEST_ARTEFACTS", ROOT / "var" / "test-artefacts"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "bordermonitor", *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return done.stdout


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("served")
    env = {**os.environ, "BORDERMONITOR_DATA_DIR": str(data), "DATABASE_URL": ""}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    _cli(env, "init")
    _cli(env, "org", "add", "nnk", "--name", "North Corridor Aid")
    _cli(env, "user", "add", "reviewer@nnk.test", "--organisation", "nnk", "--role", "reviewer")
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
    _cli(env, "import", "jsonl", str(exchange))
    # Set a known password through the library (the CLI prints a random one).
    subprocess.run(
        [sys.executable, "-c",
         "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='bordermonitor.web.settings'; django.setup();"
         "from bordermonitor.storage.models import User; u=User.objects.get(email='reviewer@nnk.test');"
         f"u.set_password({PASSWORD!r}); u.save()"],
        env=env, check=True, timeout=60,
    )  # fmt: skip
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "bordermonitor", "serve", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/accounts/login/", timeout=1)  # noqa: S310 - our own local server
                break
            except OSError:
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        message = "Debian's chromium is not installed: `make browser` installs it (as root)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)  # mandatory in CI
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"],
        )  # fmt: skip
        yield browser
        browser.close()


def test_sign_in_see_the_figures_and_switch_to_arabic(server: str, browser: object) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    page.goto(server + "/")
    assert page.url.startswith(server + "/accounts/login/")
    page.fill("#id_username", "reviewer@nnk.test")
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
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
