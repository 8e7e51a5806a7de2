"""The demo network: organisations, accounts, the real IOM MMP file, a BVMN-style legacy file, and synthetic
testimonies in several languages — all loaded through the same importers a real network uses."""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pyotp
from django.conf import settings

from bordermonitor.demo.publication import demo_publication_decisions
from bordermonitor.demo.stakeholders import demo_stakeholders
from bordermonitor.demo.synthetic import synthetic_reports
from bordermonitor.evidence.store import FileStore
from bordermonitor.importers import bvmn, jsonl, mmp
from bordermonitor.importers.bvmn_fixture import write_legacy
from bordermonitor.storage.accounts import (
    SECOND_FACTOR_ROLES,
    add_organisation,
    add_user,
    enrol_second_factor,
)
from bordermonitor.storage.imports import ensure_organisation, run_import
from bordermonitor.storage.models import Report

__all__ = ["MMP_FILE", "load_demo"]

MMP_FILE = (
    Path(__file__).resolve().parents[3] / "data" / "mmp" / "Missing_Migrants_Global_Figures_2022-02.csv"
)
ORGANISATIONS = {
    "nnk": "North Corridor Aid (demo)",
    "rigardu": "Rigardu Border Watch (demo)",
    "bvmn-demo": "Balkan Monitoring Network (demo)",
    "mmp": "IOM Missing Migrants Project",
}
MEMBERS = ("nnk", "rigardu", "bvmn-demo")  # organisations that record testimonies (mmp is a dataset)
SHARING = ("nnk", "bvmn-demo", "mmp")  # rigardu keeps its reports to itself: coordinators do not see them
ACCOUNTS = [
    *[(f"documenter@{code}.demo", code, "documenter") for code in MEMBERS],
    *[(f"reviewer@{code}.demo", code, "reviewer") for code in MEMBERS],
    *[("coordinator@network.demo", code, "coordinator") for code in ORGANISATIONS],
    ("analyst@network.demo", "mmp", "analyst"),
    ("admin@network.demo", "nnk", "admin"),
]


def _logins(path: Path) -> dict[str, str]:
    """Demo passwords: random, made once per data directory, kept beside the database (mode 0600)."""
    if path.exists():
        stored: dict[str, str] = json.loads(path.read_text())
        return stored
    logins = {email: secrets.token_urlsafe(9) for email, _, _ in ACCOUNTS}
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(logins, handle, indent=1)
    return logins


def _second_factors(path: Path) -> dict[str, str]:
    """The demo's authenticator keys (base32) of the accounts that need a second factor: random, made once
    per data directory, kept beside the database (mode 0600) like the passwords."""
    if path.exists():
        stored: dict[str, str] = json.loads(path.read_text())
        return stored
    keys = {email: pyotp.random_base32(32) for email, _, role in ACCOUNTS if role in SECOND_FACTOR_ROLES}
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(keys, handle, indent=1)
    return keys


def load_demo(*, reports: int, force: bool, store: FileStore) -> Iterator[str]:
    config = settings.BORDERMONITOR
    work = config.data_dir / "demo"
    work.mkdir(parents=True, exist_ok=True)
    logins = _logins(config.data_dir / "demo-logins.json")
    second_factors = _second_factors(config.data_dir / "demo-second-factor.json")
    if Report.objects.exists() and not force:
        yield "the demo network is already loaded (use --force to load it again)"
    else:
        for code, name in ORGANISATIONS.items():
            add_organisation(code=code, name=name, shares_with_network=code in SHARING)
        enrolled: set[str] = set()
        for email, organisation, role in ACCOUNTS:
            account, _ = add_user(
                email=email,
                organisation=organisation,
                role=role,
                password=logins[email],
                site_admin=role == "admin",
            )
            if email in second_factors and email not in enrolled:
                enrol_second_factor(user=account, secret=second_factors[email])
                enrolled.add(email)

        if MMP_FILE.exists():
            summary = run_import(mmp.read(MMP_FILE, organisation="mmp"), store=store)
            yield f"IOM Missing Migrants Project (CC BY 4.0): {summary.imported} rows imported, {summary.flagged} flagged for review"
        else:
            yield f"IOM Missing Migrants Project file not found at {MMP_FILE}; skipped"

        legacy = work / "bvmn-legacy.sqlite"
        legacy.unlink(missing_ok=True)
        write_legacy(legacy, rows=300, seed=7, fmt="sqlite")
        for name, code in bvmn.author_organisations(legacy).items():
            ensure_organisation(code, name=name)
        summary = run_import(bvmn.read(legacy, organisation="bvmn-demo"), store=store)
        yield f"BVMN-style legacy database: {summary.imported} rows imported, {summary.flagged} flagged for review"

        exchange = work / "testimonies.jsonl"
        with exchange.open("w", encoding="utf-8") as handle:
            for record in synthetic_reports(count=reports, seed=1, evidence_dir=work):
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        summary = run_import(jsonl.read(exchange), store=store)
        yield f"synthetic testimonies: {summary.imported} imported"
        yield from demo_publication_decisions(store=store)
        yield from demo_stakeholders()

    yield ""
    yield "demo logins (password shown beside each; kept in the data directory):"
    roles: dict[str, list[str]] = {}
    for email, organisation, role in ACCOUNTS:
        roles.setdefault(email, []).append(f"{role} @ {organisation}")
    for email, held in roles.items():
        yield f"  {email:<28} {logins[email]:<14} {', '.join(held)}"
    yield ""
    yield "second factor of reviewers, coordinators and admins: add the key to an authenticator app, or print"
    yield 'the current code with: .venv/bin/python -c "import pyotp,sys; print(pyotp.TOTP(sys.argv[1]).now())" KEY'
    for email, key in second_factors.items():
        yield f"  {email:<28} {key}"
