"""The demo network loads through the real importers and its printed logins work."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from bordermonitor.demo.load import ACCOUNTS, load_demo
from bordermonitor.storage.models import Organisation, Report

pytestmark = pytest.mark.django_db


def test_demo_loads_once_and_its_logins_work(network: None, store: Any) -> None:
    lines = list(load_demo(reports=40, force=False, store=store))
    assert "IOM Missing Migrants Project (CC BY 4.0): 10274 rows imported, 6 flagged for review" in lines
    assert any(line.startswith("BVMN-style legacy database: 300 rows imported") for line in lines)
    assert "synthetic testimonies: 40 imported" in lines
    assert set(Organisation.objects.values_list("code", flat=True)) >= {"nnk", "rigardu", "bvmn-demo", "mmp"}
    assert Report.objects.count() == 10274 + 300 + 40

    again = list(load_demo(reports=40, force=False, store=store))
    assert again[0] == "the demo network is already loaded (use --force to load it again)"
    assert Report.objects.count() == 10274 + 300 + 40

    email = ACCOUNTS[0][0]
    password = next(line.split()[1] for line in lines if line.strip().startswith(email))
    client = Client()
    assert client.login(username=email, password=password)
    assert client.get("/").status_code == 200
