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


from tests.network import login, network_world  # noqa: E402, F401 - the small network of page and API tests
