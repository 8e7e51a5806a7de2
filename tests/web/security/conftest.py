"""Signing in as a person does, through the pages: password, then the second factor, with a clock the tests
move instead of sleeping."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import pyotp
import pytest
from django.test import Client
from django_scopes import scopes_disabled

from bordermonitor.storage import accounts
from bordermonitor.storage.models import User
from tests.network import PASSWORD

LOGIN = "/accounts/login/"
VERIFY = "/account/second-factor/verify/"
ENROL = "/account/second-factor/set-up/"
OVERVIEW = "/account/second-factor/"


class Clock:
    """The time every sign-in check reads (``bordermonitor.storage.accounts.now``)."""

    def __init__(self, at: dt.datetime) -> None:
        self.at = at

    def __call__(self) -> dt.datetime:
        return self.at

    def move(self, **delta: float) -> None:
        self.at += dt.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Starts 5 seconds into a 30-second TOTP step, now."""
    start = int(dt.datetime.now(dt.UTC).timestamp()) // 30 * 30 + 5
    moved = Clock(dt.datetime.fromtimestamp(start, dt.UTC))
    monkeypatch.setattr(accounts, "now", moved)
    return moved


def code(secret: str, clock: Clock, *, steps: int = 0) -> str:
    """The authenticator app's code at the clock's time (``steps`` later)."""
    return str(pyotp.TOTP(secret).at(clock.at + dt.timedelta(seconds=30 * steps)))


def sign_in(client: Client, email: str, password: str = PASSWORD, **extra: Any) -> Any:
    return client.post(LOGIN, {"username": email, "password": password}, **extra)


def enrolled(email: str) -> str:
    """Give the account a confirmed authenticator; returns its key."""
    with scopes_disabled():
        device, _ = accounts.enrol_second_factor(user=User.objects.get(email=email))
    return device.secret


def text_of(response: Any) -> str:
    """The page's visible words (tags removed, entities decoded, spaces collapsed)."""
    words = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.unescape(words).split())
