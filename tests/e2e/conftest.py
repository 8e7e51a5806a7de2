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

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = "a long demo password 1"
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


def set_passwords(env: dict[str, str], emails: list[str]) -> None:
    """Known passwords for the accounts the browser signs in with (the CLI prints random ones)."""
    subprocess.run(
        [sys.executable, "-c",
         "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='bordermonitor.web.settings'; django.setup();"
         "from bordermonitor.storage.models import User\n"
         f"for u in User.objects.filter(email__in={emails!r}): u.set_password({PASSWORD!r}); u.save()"],
        env=env, check=True, timeout=60,
    )  # fmt: skip


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
