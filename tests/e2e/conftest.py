"""Shared by the real-browser tests: Debian's Chromium (driven by Playwright), a served instance, artefacts."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = "a long demo password 1"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # the browser tests' authenticator key (base32)
ROOT = Path(__file__).resolve().parents[2]
# Screenshots are kept as test artefacts (CI keeps the working tree): look at them after a run.
ARTEFACTS = Path(os.environ.get("BORDERMONITOR_TEST_ARTEFACTS", ROOT / "var" / "test-artefacts"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "bordermonitor", *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return done.stdout


def set_passwords(env: dict[str, str], emails: list[str], *, second_factor: bool = True) -> None:
    """Known passwords for the accounts the browser signs in with (the CLI prints random ones), and, for
    those whose role needs a second factor, the authenticator key :data:`TOTP_SECRET` (unless
    ``second_factor`` is False: the browser then sets one up at its first sign-in)."""
    subprocess.run(
        [sys.executable, "-c",
         "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='bordermonitor.web.settings'; django.setup();"
         "from bordermonitor.storage.accounts import enrol_second_factor, second_factor_required\n"
         "from bordermonitor.storage.models import User\n"
         f"for u in User.objects.filter(email__in={emails!r}):\n"
         f"    u.set_password({PASSWORD!r}); u.save()\n"
         f"    if {second_factor!r} and second_factor_required(u): enrol_second_factor(user=u, secret={TOTP_SECRET!r})"],
        env=env, check=True, timeout=60,
    )  # fmt: skip


_USED_STEPS: dict[tuple[str, str], int] = {}


def totp_code(server: str, email: str, secret: str = TOTP_SECRET) -> str:
    """A code of the authenticator app for ``email``, never one already typed on ``server``: the server
    refuses a code of a time step it has accepted before, so a second sign-in within 30 seconds types the
    next step's code (accepted: the server allows one step either side), or waits for it."""
    import pyotp

    step = max(int(time.time()) // 30, _USED_STEPS.get((server, email), -1) + 1)
    while step > int(time.time()) // 30 + 1:
        time.sleep(1)
    _USED_STEPS[(server, email)] = step
    return str(pyotp.TOTP(secret).at(step * 30))


def pass_second_factor(page: Any, server: str, email: str) -> None:
    """After the password step: type the authenticator's code if the second-factor page is shown."""
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    if "/account/second-factor/verify/" in page.url:
        page.fill("#id_code", totp_code(server, email))
        page.click("button.primary")
        page.wait_for_url(lambda url: "/account/second-factor/" not in url)


def serving(env: dict[str, str]) -> Iterator[str]:
    """Serve the data directory of ``env`` on a free port until the generator is closed."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "bordermonitor", "serve", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
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
