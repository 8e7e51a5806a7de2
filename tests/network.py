"""A small network for page and API tests: two member organisations with every role, reports in each.

- ``nnk`` shares with the network; ``rigardu`` does not.
- Accounts ``<role>@<org>.test`` (password :data:`PASSWORD`) for every role in both organisations, and
  ``coordinator@network.test`` (coordinator in both).
- Reports (refs): ``nnk-shared`` (submitted, consent to share), ``nnk-private`` (submitted, no consent),
  ``nnk-draft`` (draft, consent to share), ``rig-shared`` (submitted, consent to share, but rigardu does not
  share), each with a narrative containing the canary ``CANARY-<ref>``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from bordermonitor.storage.accounts import add_organisation, add_user
from bordermonitor.storage.audit import acting_as
from bordermonitor.storage.models import Organisation, Report
from tests.storage.helpers import save

PASSWORD = "correct horse battery staple"
ROLES = ("documenter", "reviewer", "coordinator", "analyst", "admin")
ORGANISATIONS = ("nnk", "rigardu")


def _report(ref: str, organisation: str, status: str, share: bool | None) -> dict[str, Any]:
    return {
        "ref": ref,
        "organisation": organisation,
        "kind": "testimony",
        "status": status,
        "recorded_on": "2024-05-02",
        "consent": {"publish": True, "share_with_network": share, "legal_use": True},
        "title": f"Pushback near the river ({ref})",
        "narrative": {"text": f"CANARY-{ref} told us the police took the phones.", "language": "en"},
        "incident": {
            "date": "2024-05-01",
            "kind": "chain_pushback",
            "location": {"lat": 45.2, "lon": 15.8, "place": "Bihać", "country": "BA"},
            "expelled_by": ["SI", "HR"],
            "expelled_to": "BA",
            "group": {"size": 7, "minors": 2, "minors_involved": "yes", "nationalities": ["AF", "SY"]},
            "violence": [{"type": "beating", "detail": "batons"}, {"type": "dog_attack"}],
        },
    }


REPORTS = (
    ("nnk-shared", "nnk", "submitted", True),
    ("nnk-private", "nnk", "submitted", False),
    ("nnk-draft", "nnk", "draft", True),
    ("rig-shared", "rigardu", "submitted", True),
)


@pytest.fixture
def network_world(db: None, store: Any, settings: Any) -> dict[str, Report]:
    """The network described above; returns the reports by ref. Its eleven accounts are hashed with a fast
    hasher: argon2's cost, right for real accounts (tested in tests/web/test_pages.py), would make every test
    wait seconds for its fixture."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with scopes_disabled(), acting_as("cli"):
        add_organisation(code="nnk", name="North Corridor Aid")
        add_organisation(code="rigardu", name="Rigardu Border Watch")
        Organisation.objects.filter(code="nnk").update(shares_with_network=True)
        for organisation in ORGANISATIONS:
            for role in ROLES:
                add_user(
                    email=f"{role}@{organisation}.test",
                    organisation=organisation,
                    role=role,
                    password=PASSWORD,
                )
        for organisation in ORGANISATIONS:
            add_user(
                email="coordinator@network.test",
                organisation=organisation,
                role="coordinator",
                password=PASSWORD,
            )
        save([_report(*row) for row in REPORTS], store)
        return {r.ref: r for r in Report.objects.select_related("organisation", "incident")}


@pytest.fixture
def login(network_world: dict[str, Report]) -> Callable[[str], Client]:
    """``login("reviewer@nnk.test")`` → a signed-in test client."""

    def sign_in(email: str) -> Client:
        client = Client()
        assert client.login(username=email, password=PASSWORD), email
        return client

    return sign_in
