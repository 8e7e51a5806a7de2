"""The second factor (SECURITY goal 12): who must have one, setting it up, signing in with it, codes that work
once, recovery codes, what a session reaches before it, and the administrator's reset."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from click.testing import CliRunner
from django.contrib import admin
from django.test import Client
from django_scopes import scopes_disabled

from bordermonitor.cli import main
from bordermonitor.storage.accounts import (
    CodeCheck,
    add_user,
    check_code,
    confirmed_second_factor,
    enrol_second_factor,
    recovery_codes_left,
)
from bordermonitor.storage.models import ApiToken, Report, User
from bordermonitor.storage.models.accounts import RecoveryCode, SecondFactor
from bordermonitor.storage.tokens import issue_token
from tests.network import PASSWORD
from tests.web.security.conftest import (
    ENROL,
    OVERVIEW,
    VERIFY,
    Clock,
    code,
    enrolled,
    sign_in,
    text_of,
)

pytestmark = pytest.mark.django_db


def _secret_on(page: Any) -> str:
    match = re.search(r'data-secret dir="ltr">([A-Z2-7 ]+)<', page.content.decode())
    assert match, "the set-up page shows the key as text"
    return match.group(1).replace(" ", "")


def _recovery_codes_on(page: Any) -> list[str]:
    return re.findall(r"<li><code>([0-9A-Z-]{19})</code></li>", page.content.decode())


def _user(email: str) -> User:
    with scopes_disabled():
        return User.objects.get(email=email)


@pytest.mark.parametrize(
    ("email", "needs"),
    [
        ("documenter@nnk.test", False),
        ("analyst@nnk.test", False),
        ("reviewer@nnk.test", True),
        ("coordinator@nnk.test", True),
        ("admin@nnk.test", True),
        ("coordinator@network.test", True),
    ],
)
def test_who_must_set_up_a_second_factor(network_world: dict[str, Report], email: str, needs: bool) -> None:
    client = Client()
    response = sign_in(client, email)
    assert response.status_code == 302
    if needs:
        assert response["Location"] == f"{ENROL}?next=%2F"
        assert client.get("/")["Location"].startswith(ENROL)  # nothing else until it is set up
    else:
        assert response["Location"] == "/"
        assert client.get("/").status_code == 200


def test_site_administrators_must_too(network_world: dict[str, Report]) -> None:
    with scopes_disabled():
        add_user(
            email="root@network.test", organisation="nnk", role="analyst", password=PASSWORD, site_admin=True
        )
    client = Client()
    assert sign_in(client, "root@network.test")["Location"].startswith(ENROL)
    assert client.get("/admin/")["Location"].startswith(ENROL)


def test_setting_up_shows_a_qr_code_and_the_key_then_ten_recovery_codes_once(
    network_world: dict[str, Report], clock: Clock
) -> None:
    client = Client()
    sign_in(client, "reviewer@nnk.test")
    page = client.get(ENROL)
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("no-store") or "no-store" in page["Cache-Control"]
    assert 'src="data:image/svg+xml' in page.content.decode()  # the QR code, drawn here (no third party)
    secret = _secret_on(page)
    assert len(secret) == 32
    assert _secret_on(client.get(ENROL)) == secret  # reloading keeps the key the app may have scanned

    wrong = client.post(ENROL, {"code": "000000" if code(secret, clock) != "000000" else "111111"})
    assert wrong.status_code == 200
    assert "The code is not right" in text_of(wrong)
    assert confirmed_second_factor(_user("reviewer@nnk.test")) is None

    before = client.cookies["sessionid"].value
    done = client.post(ENROL, {"code": code(secret, clock), "next": "/reports/"})
    assert done.status_code == 200
    assert "no-store" in done["Cache-Control"]
    codes = _recovery_codes_on(done)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.cookies["sessionid"].value != before  # a new session key once the second factor is passed
    assert client.get("/").status_code == 200
    # only digests are stored, never the codes themselves
    stored = set(
        RecoveryCode.objects.filter(user=_user("reviewer@nnk.test")).values_list("digest", flat=True)
    )
    assert len(stored) == 10 and not stored & set(codes)
    # set up: the page no longer shows a key, and the codes are never shown again
    again = client.get(ENROL)
    assert again.status_code == 302 and again["Location"] == OVERVIEW
    assert not any(c in client.get(OVERVIEW).content.decode() for c in codes)


def test_signing_in_asks_for_a_code_and_each_code_works_once(
    network_world: dict[str, Report], clock: Clock
) -> None:
    secret = enrolled("reviewer@nnk.test")
    first = Client()
    response = first.post(
        "/accounts/login/?next=/reports/", {"username": "reviewer@nnk.test", "password": PASSWORD}
    )
    assert response["Location"] == f"{VERIFY}?next=%2Freports%2F"
    assert first.get("/reports/")["Location"].startswith(VERIFY)
    assert first.get(VERIFY).status_code == 200
    after_password = first.cookies["sessionid"].value
    passed = first.post(VERIFY, {"code": code(secret, clock), "next": "/reports/"})
    assert passed.status_code == 302 and passed["Location"] == "/reports/"
    assert first.cookies["sessionid"].value != after_password  # rotated at the second factor
    assert first.get("/reports/").status_code == 200

    # the same code again, within its 30 seconds, on another device: refused
    second = Client()
    sign_in(second, "reviewer@nnk.test")
    replay = second.post(VERIFY, {"code": code(secret, clock)})
    assert replay.status_code == 200
    assert "This code was used already" in text_of(replay)
    assert second.get("/")["Location"].startswith(VERIFY)
    # an earlier step's code (still within the clock tolerance) is refused too
    assert second.post(VERIFY, {"code": code(secret, clock, steps=-1)}).status_code == 200
    # the next code works
    clock.move(seconds=30)
    assert second.post(VERIFY, {"code": code(secret, clock)})["Location"] == "/"
    assert second.get("/").status_code == 200


def test_a_code_is_single_use_at_the_storage_layer(network_world: dict[str, Report], clock: Clock) -> None:
    secret = enrolled("reviewer@nnk.test")
    user = _user("reviewer@nnk.test")
    assert check_code(user, code(secret, clock)) is CodeCheck.ACCEPTED
    assert check_code(user, code(secret, clock)) is CodeCheck.REPLAYED
    assert check_code(user, code(secret, clock, steps=-1)) is CodeCheck.REPLAYED
    assert check_code(user, code(secret, clock, steps=1)) is CodeCheck.ACCEPTED  # a fast clock, one step
    assert check_code(user, code(secret, clock, steps=3)) is CodeCheck.WRONG  # too far ahead
    clock.move(minutes=10)
    assert check_code(user, code(secret, clock, steps=-3)) is CodeCheck.WRONG  # too old
    assert check_code(user, "12345") is CodeCheck.WRONG


def test_a_recovery_code_signs_in_once(network_world: dict[str, Report], clock: Clock) -> None:
    with scopes_disabled():
        _device, codes = enrol_second_factor(user=_user("reviewer@nnk.test"))
    client = Client()
    sign_in(client, "reviewer@nnk.test")
    typed = codes[3].lower().replace("-", " ")  # as someone might type it
    response = client.post(VERIFY, {"code": typed})
    assert response["Location"] == OVERVIEW  # where a lost phone is dealt with
    page = client.get(OVERVIEW)
    assert page.status_code == 200
    assert "You signed in with a recovery code. 9 recovery codes are left." in text_of(page)
    assert client.get("/").status_code == 200

    other = Client()
    sign_in(other, "reviewer@nnk.test")
    refused = other.post(VERIFY, {"code": codes[3]})
    assert refused.status_code == 200
    assert other.get("/")["Location"].startswith(VERIFY)
    assert other.post(VERIFY, {"code": codes[4]})["Location"] == OVERVIEW
    assert recovery_codes_left(_user("reviewer@nnk.test")) == 8


def test_a_documenter_may_set_one_up_and_is_then_asked_for_it(
    network_world: dict[str, Report], clock: Clock
) -> None:
    client = Client()
    sign_in(client, "documenter@nnk.test")
    assert "password only" in text_of(client.get(OVERVIEW))
    secret = _secret_on(client.get(ENROL))
    assert len(_recovery_codes_on(client.post(ENROL, {"code": code(secret, clock)}))) == 10

    later = Client()
    assert sign_in(later, "documenter@nnk.test")["Location"].startswith(VERIFY)
    clock.move(seconds=30)
    assert later.post(VERIFY, {"code": code(secret, clock)})["Location"] == "/"
    # and may turn it off again, with a code
    clock.move(seconds=30)
    assert later.post("/account/second-factor/remove/", {"code": "999999"}).status_code == 400
    assert later.post("/account/second-factor/remove/", {"code": code(secret, clock)})["Location"] == OVERVIEW
    assert confirmed_second_factor(_user("documenter@nnk.test")) is None
    assert sign_in(Client(), "documenter@nnk.test")["Location"] == "/"


def test_a_reviewer_moving_to_a_new_phone_sets_it_up_straight_away(
    network_world: dict[str, Report], clock: Clock
) -> None:
    secret = enrolled("reviewer@nnk.test")
    client = Client()
    sign_in(client, "reviewer@nnk.test")
    client.post(VERIFY, {"code": code(secret, clock)})
    clock.move(seconds=30)
    response = client.post("/account/second-factor/remove/", {"code": code(secret, clock)})
    assert response["Location"] == ENROL
    assert client.get("/")["Location"].startswith(ENROL)
    assert _secret_on(client.get(ENROL)) != secret


def test_new_recovery_codes_replace_the_old_ones(network_world: dict[str, Report], clock: Clock) -> None:
    with scopes_disabled():
        device, old = enrol_second_factor(user=_user("reviewer@nnk.test"))
    client = Client()
    sign_in(client, "reviewer@nnk.test")
    client.post(VERIFY, {"code": code(device.secret, clock)})
    clock.move(seconds=30)
    page = client.post("/account/second-factor/recovery-codes/", {"code": code(device.secret, clock)})
    new = _recovery_codes_on(page)
    assert len(new) == 10 and not set(new) & set(old)
    assert check_code(_user("reviewer@nnk.test"), old[0]) is CodeCheck.WRONG
    assert check_code(_user("reviewer@nnk.test"), new[0]) is CodeCheck.RECOVERY


def test_before_the_second_factor_a_session_reaches_nothing(
    network_world: dict[str, Report], clock: Clock
) -> None:
    report = network_world["nnk-shared"]
    enrolled("reviewer@nnk.test")
    client = Client()
    sign_in(client, "reviewer@nnk.test")
    for url in ("/", "/reports/", f"/reports/{report.pk}/", "/review/", "/account/tokens/", OVERVIEW):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(VERIFY), url
        assert b"CANARY" not in response.content
    # a write is refused too: no API token can be made to get round the second factor
    response = client.post("/account/tokens/", {"name": "escape"})
    assert response.status_code == 302 and response["Location"] == VERIFY
    assert not ApiToken.objects.exists()
    api = client.get("/api/v1/reports")
    assert api.status_code == 403
    assert api.json()["error"]["code"] == "second_factor_required"
    # signing out and the language switch still work
    assert client.post("/i18n/setlang/", {"language": "fr", "next": VERIFY}).status_code == 302
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/")["Location"].startswith("/accounts/login/")


def _links(page: Any) -> list[str]:
    """Where the page's links and forms lead."""
    return re.findall(r'<(?:a|form)\b[^>]*?(?:href|action)="([^"]*)"', page.content.decode())


@pytest.mark.parametrize(
    ("email", "page", "enrol"),
    [
        ("reviewer@nnk.test", VERIFY, False),
        ("coordinator@network.test", VERIFY, False),
        ("admin@nnk.test", ENROL, True),
        ("root@network.test", VERIFY, False),
    ],
)
def test_before_the_second_factor_the_page_offers_only_signing_out_and_the_language(
    network_world: dict[str, Report], clock: Clock, email: str, page: str, enrol: bool
) -> None:
    with scopes_disabled():
        if email == "root@network.test":  # a site administrator, who would see "Administration"
            add_user(email=email, organisation="nnk", role="coordinator", password=PASSWORD, site_admin=True)
    secret = None if enrol else enrolled(email)
    client = Client()
    sign_in(client, email)
    waiting = client.get(page)
    assert waiting.status_code == 200
    assert sorted(set(_links(waiting)) - {"", page} - {page + "?next=%2F"}) == [
        "/accounts/logout/",
        "/i18n/setlang/",
    ]
    shown = text_of(waiting)
    for hidden in ("To review", "Reports", "Cross-check", "Matrix", "API", "Administration"):
        assert f" {hidden} " not in f" {shown} ", hidden
    assert "Sign out" in shown and "Language" in shown

    # past it, the whole menu is back
    if enrol:
        secret = _secret_on(waiting)
        client.post(ENROL, {"code": code(secret, clock)})
    else:
        assert secret is not None
        client.post(VERIFY, {"code": code(secret, clock)})
    home = client.get("/")
    assert home.status_code == 200
    assert "/account/second-factor/" in _links(home) and "/reports/" in _links(home)


def test_api_tokens_are_not_concerned(network_world: dict[str, Report]) -> None:
    """A token decides alone: it works for an account that never set up a second factor."""
    with scopes_disabled():
        _row, token = issue_token(user=_user("reviewer@nnk.test"), name="sync")
    response = Client().get("/api/v1/reports", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    # even with a session cookie of the same account that has not passed its second factor
    client = Client()
    sign_in(client, "reviewer@nnk.test")
    assert client.get("/api/v1/reports", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200


def test_the_administration_site_signs_in_through_the_same_pages(network_world: dict[str, Report]) -> None:
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/admin/"
    client = Client()
    sign_in(client, "documenter@nnk.test")
    assert client.get("/admin/login/?next=/admin/")["Location"] == "/"  # not round in a circle


def test_reset_by_an_administrator_on_the_server(network_world: dict[str, Report], clock: Clock) -> None:
    secret = enrolled("reviewer@nnk.test")
    client = Client()
    sign_in(client, "reviewer@nnk.test")
    client.post(VERIFY, {"code": code(secret, clock)})
    assert client.get("/").status_code == 200

    result = CliRunner().invoke(
        main, ["user", "reset-second-factor", "Reviewer@nnk.test"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert "second factor removed" in result.output
    assert not SecondFactor.objects.filter(user__email="reviewer@nnk.test").exists()
    assert not RecoveryCode.objects.filter(user__email="reviewer@nnk.test").exists()
    assert client.get("/")["Location"].startswith("/accounts/login/")  # the open session ended
    assert sign_in(Client(), "reviewer@nnk.test")["Location"].startswith(ENROL)  # set up again

    unknown = CliRunner().invoke(main, ["user", "reset-second-factor", "nobody@nnk.test"])
    assert unknown.exit_code == 1
    assert "no account" in unknown.output


def test_the_key_stays_out_of_logs_the_administration_site_and_descriptions(
    network_world: dict[str, Report], clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client = Client()
    sign_in(client, "reviewer@nnk.test")
    secret = _secret_on(client.get(ENROL))
    client.post(ENROL, {"code": code(secret, clock)})
    device = SecondFactor.objects.get(user__email="reviewer@nnk.test")
    assert secret not in caplog.text
    assert secret not in str(device) and secret not in repr(device)
    assert SecondFactor not in admin.site._registry and RecoveryCode not in admin.site._registry
