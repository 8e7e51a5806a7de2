"""Every state change needs the CSRF token (SECURITY goal 15), signing out included: a POST without it is
refused for every address of the staff site, read from the resolver so a new page is covered unedited."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from bordermonitor.storage.models import Report

pytestmark = pytest.mark.django_db
_PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")
_EXAMPLES = {
    "int": "1",
    "uuid": str(uuid.UUID(int=1)),
    "slug": "interview",
    "str": "x",
    "path": "x",
    None: "x",
}


def _routes(entries: list[Any], prefix: str = "") -> Iterator[str]:
    for entry in entries:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route


def _addresses() -> list[str]:
    """Every route of the staff site with its parameters filled (the check happens before the view looks the
    object up, so any well-formed value will do); Django's static and regex admin routes left out."""
    addresses = []
    for route in _routes(get_resolver().url_patterns):
        if route.startswith("^") or "(?P<" in route:  # the admin's regular-expression routes: see below
            continue
        addresses.append("/" + _PARAMETER.sub(lambda m: _EXAMPLES.get(m.group(1), "x"), route))
    return sorted(set(addresses))


def test_the_routes_are_read_from_the_resolver() -> None:
    addresses = _addresses()
    assert "/accounts/logout/" in addresses and "/account/second-factor/remove/" in addresses
    assert any(a.startswith("/api/v1/") for a in addresses)
    assert len(addresses) > 60


def test_a_post_without_the_token_changes_nothing_anywhere(network_world: dict[str, Report]) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.login(username="admin@nnk.test", password="correct horse battery staple")
    client.get("/")  # the CSRF cookie is there: only the token in the request is missing
    assert "csrftoken" in client.cookies
    unrefused = []
    for address in _addresses():
        response = client.post(address, {"name": "x", "code": "123456", "language": "fr"})
        allowed = {403, 405} if address.startswith("/api/") else {403}  # the API has no POST on some paths
        if address.endswith("/evidence/"):  # the upload view finds the report before it checks the token
            allowed.add(404)
        if response.status_code not in allowed:
            unrefused.append(f"POST {address} → {response.status_code}")
    assert not unrefused, "\n".join(unrefused)
    assert client.get("/").status_code == 200  # still signed in: signing out needed the token too


def test_the_administration_site_too(network_world: dict[str, Report]) -> None:
    from bordermonitor.storage.models import User

    User.objects.filter(email="admin@nnk.test").update(is_staff=True, is_superuser=True)
    client = Client(enforce_csrf_checks=True)
    assert client.login(username="admin@nnk.test", password="correct horse battery staple")
    client.get("/admin/")
    for address in ("/admin/storage/organisation/add/", "/admin/logout/", "/admin/storage/user/1/delete/"):
        assert client.post(address, {"code": "x", "name": "x"}).status_code == 403, address


def test_with_the_token_the_same_requests_go_through(network_world: dict[str, Report]) -> None:
    """So the refusals above come from the missing token, not from something else."""
    client = Client(enforce_csrf_checks=True)
    assert client.login(username="documenter@nnk.test", password="correct horse battery staple")
    client.get("/")
    token = client.cookies["csrftoken"].value
    made = client.post("/account/tokens/", {"name": "sync", "csrfmiddlewaretoken": token})
    assert made.status_code == 200 and "Your new token" in made.content.decode()
    language = client.post("/i18n/setlang/", {"language": "fr", "next": "/", "csrfmiddlewaretoken": token})
    assert language.status_code == 302
    out = client.post("/accounts/logout/", {"csrfmiddlewaretoken": token})
    assert out.status_code == 302
    assert client.get("/")["Location"].startswith("/accounts/login/")


def test_signing_out_is_post_only() -> None:
    assert Client().get("/accounts/logout/").status_code == 405
