"""An organisation's admins manage its accounts and its sharing; nobody else reaches the page."""

from __future__ import annotations

from typing import Any

import pytest
from django_scopes import scopes_disabled

from bordermonitor.storage.models import Membership, Organisation

pytestmark = pytest.mark.django_db


def _nnk() -> Organisation:
    with scopes_disabled():
        return Organisation.objects.get(code="nnk")


def test_an_admin_gives_and_takes_roles_and_decides_sharing(login: Any) -> None:
    admin = login("admin@nnk.test")
    nnk = _nnk()
    page = admin.get(f"/organisations/{nnk.pk}/members/").content.decode()
    assert "documenter@nnk.test" in page and "documenter@rigardu.test" not in page
    response = admin.post(
        f"/organisations/{nnk.pk}/members/", {"email": "new@nnk.test", "role": "documenter"}
    )
    assert 'id="password-value"' in response.content.decode()  # the first password, shown once
    assert response["Cache-Control"] == "no-store"
    assert Membership.objects.filter(user__email="new@nnk.test", organisation=nnk, role="documenter").exists()
    user_id = Membership.objects.get(user__email="new@nnk.test").user_id
    admin.post(f"/organisations/{nnk.pk}/members/remove/", {"user": user_id, "role": "documenter"})
    assert not Membership.objects.filter(user__email="new@nnk.test").exists()
    admin.post(f"/organisations/{nnk.pk}/sharing/", {"shares": "no"})
    assert not _nnk().shares_with_network


def test_an_admin_keeps_their_own_admin_role(login: Any) -> None:
    admin = login("admin@nnk.test")
    nnk = _nnk()
    own = Membership.objects.get(user__email="admin@nnk.test", organisation=nnk, role="admin")
    admin.post(f"/organisations/{nnk.pk}/members/remove/", {"user": own.user_id, "role": "admin"})
    assert Membership.objects.filter(pk=own.pk).exists()


@pytest.mark.parametrize("email", ["reviewer@nnk.test", "documenter@nnk.test", "admin@rigardu.test"])
def test_nobody_else_reaches_the_page(login: Any, email: str) -> None:
    client = login(email)
    nnk = _nnk()
    assert client.get(f"/organisations/{nnk.pk}/members/").status_code == 404
    assert client.post(f"/organisations/{nnk.pk}/sharing/", {"shares": "no"}).status_code == 404
    assert _nnk().shares_with_network
