"""The demo stays usable with second factors: the printed key of a demo reviewer opens the staff site."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyotp
import pytest
from django.test import Client

from bordermonitor.demo import load
from bordermonitor.storage.accounts import now

pytestmark = pytest.mark.django_db


def test_the_printed_password_and_key_sign_a_demo_reviewer_in(
    network: None, store: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(load, "MMP_FILE", tmp_path / "absent.csv")  # the large dataset is not needed here
    lines = list(load.load_demo(reports=5, force=False, store=store))
    split = lines.index(next(line for line in lines if line.startswith("second factor of")))
    passwords = {line.split()[0]: line.split()[1] for line in lines[:split] if line.startswith("  ")}
    keys = {line.split()[0]: line.split()[1] for line in lines[split:] if line.startswith("  ")}
    assert set(keys) == {
        "reviewer@nnk.demo",
        "reviewer@rigardu.demo",
        "reviewer@bvmn-demo.demo",
        "coordinator@network.demo",
        "admin@network.demo",
    }
    key = keys["reviewer@nnk.demo"]
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": "reviewer@nnk.demo", "password": passwords["reviewer@nnk.demo"]}
    )
    assert response["Location"].startswith("/account/second-factor/verify/")
    assert (
        client.post("/account/second-factor/verify/", {"code": pyotp.TOTP(key).at(now())})["Location"] == "/"
    )
    assert client.get("/").status_code == 200
    # a documenter signs in with the password alone
    documenter = Client()
    response = documenter.post(
        "/accounts/login/", {"username": "documenter@nnk.demo", "password": passwords["documenter@nnk.demo"]}
    )
    assert response["Location"] == "/"
    # the keys are kept beside the passwords, readable by the owner only
    kept = Path(load.settings.BORDERMONITOR.data_dir) / "demo-second-factor.json"
    assert kept.stat().st_mode & 0o777 == 0o600
    assert key in kept.read_text()
