"""API test helpers: a client that calls with a personal token, and the canary check."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from bordermonitor.storage.models import Report, User
from bordermonitor.storage.tokens import issue_token

API = "/api/v1"


class TokenClient:
    """Calls the API with ``Authorization: Bearer <token>`` and no session."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.client = Client()

    def _headers(self, headers: dict[str, str] | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", **(headers or {})}

    def get(self, path: str, headers: dict[str, str] | None = None, **params: Any) -> Any:
        return self.client.get(API + path, params, headers=self._headers(headers))

    def post(self, path: str, body: Any, headers: dict[str, str] | None = None) -> Any:
        return self.client.post(
            API + path, body, content_type="application/json", headers=self._headers(headers)
        )

    def put(self, path: str, body: Any, headers: dict[str, str] | None = None) -> Any:
        return self.client.put(
            API + path, body, content_type="application/json", headers=self._headers(headers)
        )


@pytest.fixture
def token_for(network_world: dict[str, Report]) -> Callable[[str], TokenClient]:
    """``token_for("reviewer@nnk.test")`` → a client calling with a fresh token of that account."""

    def make(email: str) -> TokenClient:
        with scopes_disabled():
            _row, token = issue_token(user=User.objects.get(email=email), name="test")
        return TokenClient(token)

    return make


def canaries(world: dict[str, Report]) -> dict[str, str]:
    return {ref: f"CANARY-{ref}" for ref in world}
