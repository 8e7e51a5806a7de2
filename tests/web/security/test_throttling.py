"""At most five failed sign-ins per minute per account and per client address, password and second-factor
steps alike (SECURITY goal 12), counted in the database, with a clock the tests move."""

from __future__ import annotations

import datetime as dt
import logging
import re

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bordermonitor.storage.accounts import MAX_FAILURES, WINDOW, begin_attempt, failure_keys, succeeded
from bordermonitor.storage.models import Report
from bordermonitor.storage.models.accounts import LoginFailure
from tests.network import PASSWORD
from tests.web.security.conftest import VERIFY, Clock, code, enrolled, sign_in, text_of

pytestmark = pytest.mark.django_db
WRONG = "not the password at all"


def _throttled_words(response: object) -> str:
    found = re.search(
        r"Too many failed sign-in attempts\. Wait (\d+) seconds?, then try again\.", text_of(response)
    )
    assert found, text_of(response)
    return found.group(0)


def test_the_sixth_attempt_on_an_account_is_refused_even_with_the_right_password(
    network_world: dict[str, Report], clock: Clock
) -> None:
    for n in range(
        MAX_FAILURES
    ):  # from five different addresses, at 0, 5, 10, 15 and 20 s: the account's count
        response = sign_in(Client(), "reviewer@nnk.test", WRONG, REMOTE_ADDR=f"10.0.0.{n}")
        assert response.status_code == 200
        clock.move(seconds=5)
    client = Client()  # at 25 s: the first failure leaves the window at 60 s
    refused = sign_in(client, "reviewer@nnk.test", PASSWORD, REMOTE_ADDR="10.0.0.99")
    assert refused.status_code == 429
    assert _throttled_words(refused) == "Too many failed sign-in attempts. Wait 35 seconds, then try again."
    assert refused["Retry-After"] == "35"
    assert client.get("/")["Location"].startswith("/accounts/login/")  # not signed in
    # other accounts from other addresses are not concerned
    assert sign_in(Client(), "documenter@nnk.test", PASSWORD, REMOTE_ADDR="10.0.1.1").status_code == 302

    clock.move(seconds=34)  # at 59 s the first failure is still within the minute
    assert sign_in(Client(), "reviewer@nnk.test", PASSWORD, REMOTE_ADDR="10.0.0.99").status_code == 429
    clock.move(seconds=2)  # at 61 s it is not: four failures in the last minute
    allowed = sign_in(client, "reviewer@nnk.test", PASSWORD, REMOTE_ADDR="10.0.0.99")
    assert allowed.status_code == 302


def test_the_sixth_attempt_from_an_address_is_refused_whatever_the_account(
    network_world: dict[str, Report], clock: Clock
) -> None:
    for n in range(MAX_FAILURES):
        email = "nobody@nnk.test" if n == 0 else f"guess{n}@nnk.test"  # accounts that do not even exist
        assert sign_in(Client(), email, WRONG, REMOTE_ADDR="203.0.113.7").status_code == 200
    refused = sign_in(Client(), "documenter@nnk.test", PASSWORD, REMOTE_ADDR="203.0.113.7")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) == 60
    assert sign_in(Client(), "documenter@nnk.test", PASSWORD, REMOTE_ADDR="203.0.113.8").status_code == 302
    clock.move(seconds=61)
    assert sign_in(Client(), "documenter@nnk.test", PASSWORD, REMOTE_ADDR="203.0.113.7").status_code == 302


def test_the_refusal_says_the_same_whether_the_account_exists_or_not(
    network_world: dict[str, Report], clock: Clock
) -> None:
    pages = {}
    for email, address in (("reviewer@nnk.test", "10.1.0.1"), ("nobody@nnk.test", "10.2.0.1")):
        for _ in range(MAX_FAILURES):
            sign_in(Client(), email, WRONG, REMOTE_ADDR=address)
        pages[email] = sign_in(Client(), email, WRONG, REMOTE_ADDR=address)
    existing, unknown = pages["reviewer@nnk.test"], pages["nobody@nnk.test"]
    assert existing.status_code == unknown.status_code == 429
    assert _throttled_words(existing) == _throttled_words(unknown)
    assert existing["Retry-After"] == unknown["Retry-After"]


def test_a_refused_attempt_does_not_check_the_password_nor_count(
    network_world: dict[str, Report], clock: Clock
) -> None:
    for _ in range(MAX_FAILURES):
        sign_in(Client(), "reviewer@nnk.test", WRONG)
    rows = LoginFailure.objects.count()
    from django.contrib.auth.signals import user_login_failed

    checked: list[object] = []
    user_login_failed.connect(checked.append)  # sent whenever Django checks a password and it is wrong
    try:
        for _ in range(3):
            assert sign_in(Client(), "reviewer@nnk.test", WRONG).status_code == 429
    finally:
        user_login_failed.disconnect(checked.append)
    assert checked == []
    assert LoginFailure.objects.count() == rows  # refusals do not push the time to wait further away


def test_the_second_factor_step_is_throttled_too(network_world: dict[str, Report], clock: Clock) -> None:
    secret = enrolled("reviewer@nnk.test")
    client = Client()
    assert sign_in(client, "reviewer@nnk.test")["Location"].startswith(VERIFY)
    right = code(secret, clock)
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(MAX_FAILURES):
        response = client.post(VERIFY, {"code": wrong})
        assert response.status_code == 200
        assert "The code is not right" in text_of(response)
    refused = client.post(VERIFY, {"code": right})
    assert refused.status_code == 429
    assert "Too many failed sign-in attempts" in text_of(refused)
    assert client.get("/")["Location"].startswith(VERIFY)
    # the account is throttled at the password step as well (from anywhere)
    assert sign_in(Client(), "reviewer@nnk.test", REMOTE_ADDR="10.9.9.9").status_code == 429
    clock.move(seconds=61)
    assert client.post(VERIFY, {"code": code(secret, clock)})["Location"] == "/"


def test_the_log_names_neither_the_address_nor_the_password(
    network_world: dict[str, Report], clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bordermonitor")
    for _ in range(MAX_FAILURES + 1):
        sign_in(Client(), "reviewer@nnk.test", WRONG, REMOTE_ADDR="198.51.100.23")
    messages = [r.getMessage() for r in caplog.records if r.name == "bordermonitor.security"]
    assert len(messages) == MAX_FAILURES + 1
    assert sum("refused" in m for m in messages) == 1
    for text in messages:
        assert "reviewer" not in text and "nnk.test" not in text
        assert WRONG not in text and "198.51.100.23" not in text
    # the same account is tagged the same way in every line, so the log can still be read
    tags = {re.search(r"account ([0-9a-f]{12})", m).group(1) for m in messages}  # type: ignore[union-attr]
    assert len(tags) == 1


def test_the_count_is_kept_in_the_database_without_the_address_or_account(
    network_world: dict[str, Report], clock: Clock
) -> None:
    sign_in(Client(), "reviewer@nnk.test", WRONG, REMOTE_ADDR="198.51.100.23")
    keys = set(LoginFailure.objects.values_list("key", flat=True))
    assert keys == set(failure_keys(email="Reviewer@NNK.test ", address="198.51.100.23"))
    assert not any("reviewer" in k or "198.51" in k for k in keys)
    clock.move(minutes=2)
    sign_in(Client(), "documenter@nnk.test", WRONG)
    assert LoginFailure.objects.count() == 2  # the old rows were pruned


def test_a_proxys_forwarded_address_counts_only_from_the_configured_proxy(
    network_world: dict[str, Report], clock: Clock, settings: object
) -> None:
    from dataclasses import replace

    settings.BORDERMONITOR = replace(settings.BORDERMONITOR, trusted_proxy="10.0.0.1")  # type: ignore[attr-defined]
    for n in range(MAX_FAILURES):  # five clients behind the proxy: counted apart
        sign_in(
            Client(), f"guess{n}@nnk.test", WRONG, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}"
        )
    assert (
        sign_in(
            Client(), "documenter@nnk.test", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.9"
        ).status_code
        == 302
    )
    # a client that is not the proxy cannot choose its address with the header
    for n in range(MAX_FAILURES):
        sign_in(
            Client(),
            f"other{n}@nnk.test",
            WRONG,
            REMOTE_ADDR="192.0.2.50",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{60 + n}",
        )
    assert (
        sign_in(
            Client(), "analyst@nnk.test", REMOTE_ADDR="192.0.2.50", HTTP_X_FORWARDED_FOR="192.0.2.99"
        ).status_code
        == 429
    )


BASE = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=30_000), st.booleans()), min_size=1, max_size=25
    ).map(sorted)
)
def test_an_attempt_is_refused_exactly_when_five_failures_are_within_the_minute(
    db: None, attempts: list[tuple[int, bool]]
) -> None:
    """Any sequence of attempts (milliseconds, right or wrong): each is refused if and only if the five
    latest failures before it are all within the last minute."""
    LoginFailure.objects.all().delete()
    keys = ("k-account", "k-address")
    failures: list[dt.datetime] = []
    for ms, right in attempts:
        at = BASE + dt.timedelta(milliseconds=ms * 10)
        recent = [f for f in failures if f > at - WINDOW]
        attempt = begin_attempt(keys, at=at)
        assert attempt.refused == (len(recent) >= MAX_FAILURES)
        if attempt.refused:
            assert attempt.retry_at == sorted(recent)[-MAX_FAILURES] + WINDOW
            continue
        if right:
            succeeded(attempt)
        else:
            failures.append(at)
