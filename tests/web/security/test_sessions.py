"""Sessions (SECURITY goals 12 and 15): argon2id passwords, a new session key at each step of signing in, an
idle timeout and an 8-hour limit, Secure/HttpOnly/SameSite cookies and HSTS unless served over plain HTTP on
purpose."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, make_password
from django.test import Client
from django_scopes import scopes_disabled

from bordermonitor.storage.accounts import add_organisation, add_user
from bordermonitor.storage.models import Report, User
from bordermonitor.web.security.transport import plain_http
from tests.network import PASSWORD
from tests.web.security.conftest import LOGIN, VERIFY, Clock, code, enrolled, sign_in, text_of

pytestmark = pytest.mark.django_db


def test_passwords_are_stored_with_argon2id_at_its_recommended_cost(settings: Any) -> None:
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    with scopes_disabled():
        add_organisation(code="nnk", name="North Corridor Aid")
        account, _ = add_user(email="r@nnk.test", organisation="nnk", role="reviewer", password=PASSWORD)
    stored = User.objects.get(pk=account.pk).password
    algorithm, variant, version, parameters, salt, digest = stored.split("$")
    assert (algorithm, variant, version) == ("argon2", "argon2id", "v=19")
    costs = dict(item.split("=") for item in parameters.split(","))
    assert costs == {
        "m": "102400",
        "t": "2",
        "p": "8",
    }  # 100 MiB, 2 passes, 8 lanes (Django's, above RFC 9106's
    assert int(costs["m"]) >= 19 * 1024 and int(costs["t"]) >= 2  # and OWASP's minimums)
    assert (
        int(costs["m"]) == Argon2PasswordHasher.memory_cost
        and int(costs["t"]) == Argon2PasswordHasher.time_cost
    )
    assert len(salt) >= 22 and len(digest) >= 43  # 128-bit salt, 256-bit hash (base64)
    assert account.check_password(PASSWORD) and not account.check_password(PASSWORD + "!")
    # a password stored by the older hasher is upgraded to argon2id when next used
    User.objects.filter(pk=account.pk).update(password=make_password(PASSWORD, hasher="pbkdf2_sha256"))
    assert Client().post(LOGIN, {"username": "r@nnk.test", "password": PASSWORD}).status_code == 302
    assert User.objects.get(pk=account.pk).password.startswith("argon2$argon2id$")


def test_the_session_key_changes_at_sign_in_and_at_the_second_factor(
    network_world: dict[str, Report], clock: Clock
) -> None:
    secret = enrolled("reviewer@nnk.test")
    client = Client()
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    visitor = client.session
    visitor["planted"] = "by someone who set this cookie"  # a fixed session an attacker might plant
    visitor.save()
    client.cookies["sessionid"] = visitor.session_key
    sign_in(client, "reviewer@nnk.test")
    after_password = client.cookies["sessionid"].value
    assert after_password != visitor.session_key
    client.post(VERIFY, {"code": code(secret, clock)})
    assert client.cookies["sessionid"].value not in (after_password, visitor.session_key)
    assert client.get("/").status_code == 200
    planted = Client()
    planted.cookies["sessionid"] = visitor.session_key
    assert planted.get("/")["Location"].startswith(LOGIN)  # the old key opens nothing


def test_a_session_ends_after_thirty_idle_minutes(network_world: dict[str, Report], clock: Clock) -> None:
    client = Client()
    sign_in(client, "documenter@nnk.test")
    for _ in range(5):  # active every 29 minutes: stays signed in
        clock.move(minutes=29)
        assert client.get("/").status_code == 200
    clock.move(minutes=30, seconds=1)
    response = client.get("/reports/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    page = client.get(response["Location"])
    assert "You were signed out after 30 minutes without activity." in text_of(page)
    clock.move(seconds=1)
    assert client.get("/")["Location"].startswith(LOGIN)  # the session is gone, not only this request


def test_the_idle_timeout_is_a_setting(network_world: dict[str, Report], clock: Clock, settings: Any) -> None:
    from dataclasses import replace

    settings.BORDERMONITOR = replace(settings.BORDERMONITOR, session_idle_minutes=5)
    client = Client()
    sign_in(client, "documenter@nnk.test")
    clock.move(minutes=4)
    assert client.get("/").status_code == 200
    clock.move(minutes=5, seconds=1)
    assert client.get("/")["Location"].startswith(LOGIN)


def test_a_session_lasts_eight_hours_however_active(network_world: dict[str, Report], clock: Clock) -> None:
    client = Client()
    sign_in(client, "documenter@nnk.test")
    for _ in range(23):  # every 20 minutes for 7 h 40 min
        clock.move(minutes=20)
        assert client.get("/").status_code == 200
    clock.move(minutes=20, seconds=1)
    response = client.get("/")
    assert response["Location"].startswith(LOGIN)
    assert "a session lasts at most 8 hours" in text_of(client.get(response["Location"]))


def test_api_tokens_do_not_touch_a_session(network_world: dict[str, Report], clock: Clock) -> None:
    from bordermonitor.storage.tokens import issue_token

    with scopes_disabled():
        _row, token = issue_token(user=User.objects.get(email="documenter@nnk.test"), name="sync")
    clock.move(hours=9)
    assert Client().get("/api/v1/reports", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200


def _cookie_flags(response: Any, name: str) -> dict[str, Any]:
    morsel = response.cookies[name]
    return {
        "secure": bool(morsel["secure"]),
        "httponly": bool(morsel["httponly"]),
        "samesite": morsel["samesite"],
    }


def test_cookies_over_https(network_world: dict[str, Report], settings: Any) -> None:
    """As settings.py sets them for a site with a real host name (see the next test)."""
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 31536000
    client = Client()
    page = client.get(LOGIN, secure=True)
    assert _cookie_flags(page, "csrftoken") == {"secure": True, "httponly": False, "samesite": "Lax"}
    response = client.post(LOGIN, {"username": "documenter@nnk.test", "password": PASSWORD}, secure=True)
    assert _cookie_flags(response, "sessionid") == {"secure": True, "httponly": True, "samesite": "Strict"}
    assert response.cookies["sessionid"]["max-age"] == 8 * 3600
    assert page["Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in client.get(LOGIN)  # never over plain HTTP (browsers ignore it)


def test_cookies_over_plain_http_for_local_use(network_world: dict[str, Report]) -> None:
    """As `make demo` serves: on 127.0.0.1 over HTTP, cookies without Secure (a browser would drop them),
    still HttpOnly and SameSite; no HSTS."""
    client = Client()
    response = client.post(LOGIN, {"username": "documenter@nnk.test", "password": PASSWORD})
    assert _cookie_flags(response, "sessionid") == {"secure": False, "httponly": True, "samesite": "Strict"}
    assert "Strict-Transport-Security" not in client.get(LOGIN, secure=True)


def test_which_sites_are_plain_http() -> None:
    local = ["127.0.0.1", "localhost"]
    assert plain_http(configured=False, debug=False, allowed_hosts=local)
    assert plain_http(configured=False, debug=False, allowed_hosts=["::1", "[::1]", "LOCALHOST "])
    assert not plain_http(configured=False, debug=False, allowed_hosts=["monitor.example.org"])
    assert not plain_http(configured=False, debug=False, allowed_hosts=[*local, "monitor.example.org"])
    assert not plain_http(configured=False, debug=False, allowed_hosts=["*"])
    assert plain_http(configured=True, debug=False, allowed_hosts=["monitor.example.org"])
    assert plain_http(configured=False, debug=True, allowed_hosts=["monitor.example.org"])


@pytest.mark.parametrize(
    ("environment", "secure"),
    [
        ({"BORDERMONITOR_ALLOWED_HOSTS": "monitor.example.org"}, True),
        ({"BORDERMONITOR_ALLOWED_HOSTS": "monitor.example.org", "BORDERMONITOR_PLAIN_HTTP": "1"}, False),
        ({"BORDERMONITOR_ALLOWED_HOSTS": "127.0.0.1,localhost"}, False),
    ],
)
def test_the_settings_module_applies_it(tmp_path: Any, environment: dict[str, str], secure: bool) -> None:
    """The real settings module, loaded in a fresh process with the environment a deployment sets."""
    script = (
        "import json; from bordermonitor.web import settings as s; print(json.dumps([s.SESSION_COOKIE_SECURE,"
        " s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE,"
        " s.CSRF_COOKIE_SAMESITE, s.SESSION_COOKIE_AGE]))"
    )
    env = {
        k: v for k, v in os.environ.items() if k not in {"BORDERMONITOR_PLAIN_HTTP", "BORDERMONITOR_DEBUG"}
    }
    env.update(BORDERMONITOR_DATA_DIR=str(tmp_path), DATABASE_URL="", **environment)
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    values = json.loads(done.stdout)
    hsts = 31536000 if secure else 0
    assert values == [secure, secure, hsts, True, "Strict", "Lax", 8 * 3600]
