"""Shared fixtures. The data directory of every test run is a fresh temporary one (set before Django loads)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

os.environ["BORDERMONITOR_DATA_DIR"] = tempfile.mkdtemp(prefix="bordermonitor-test-")

import pytest

ROOT = Path(__file__).resolve().parent.parent
MMP_FILE = ROOT / "data" / "mmp" / "Missing_Migrants_Global_Figures_2022-02.csv"


@pytest.fixture(autouse=True)
def _fresh_key_caches() -> Iterator[None]:
    """Each test rolls its database back, so a key id may name another key in the next test: forget them."""
    from bordermonitor.storage.keys import clear_caches

    clear_caches()
    yield
    clear_caches()


@pytest.fixture
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    from bordermonitor.evidence.store import FileStore

    return FileStore(tmp_path / "store")


@pytest.fixture
def network(db: None) -> Iterator[None]:
    """Act as the CLI does: across the network, attributed to 'cli'."""
    from django_scopes import scopes_disabled

    from bordermonitor.storage.audit import acting_as

    with scopes_disabled(), acting_as("cli"):
        yield


@pytest.fixture(autouse=True)
def _test_logins_pass_the_second_factor(monkeypatch: pytest.MonkeyPatch) -> None:
    """A test client signed in with ``Client.login`` or ``force_login`` has passed the second factor too,
    marked in its session exactly as the second-factor page marks it, so tests of other pages need not
    type codes. The second factor itself is tested by signing in through the pages (tests/web/security),
    which this does not touch."""
    from django.test import Client

    sign_in = Client._login

    def signed_in_with_second_factor(self: Client, user: object, backend: str | None = None) -> None:
        sign_in(self, user, backend)
        from bordermonitor.web.security.session import mark_second_factor_passed

        session = self.session
        mark_second_factor_passed(session, user.pk)  # type: ignore[attr-defined]
        session.save()

    monkeypatch.setattr(Client, "_login", signed_in_with_second_factor)


from tests.network import login, network_world  # noqa: E402, F401 - the small network of page and API tests
