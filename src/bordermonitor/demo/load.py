"""The demo network: organisations, accounts, the real IOM MMP file, a BVMN-style legacy file, synthetic
testimonies in several languages and accounts of the same incidents from several sources — all loaded through
the same importers a real network uses — then cross-checked, so the review queue holds proposals."""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pyotp
from django.conf import settings
from django.db.models import F
from django_scopes import scopes_disabled

from bordermonitor.demo.duplicates import duplicate_reports
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
from bordermonitor.storage.linkage import crosscheck
from bordermonitor.storage.models import LinkCandidate, Report

__all__ = ["MMP_FILE", "demo_duplicates", "load_demo"]

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
# Accounts of the same incidents from several sources (demo.duplicates), in the last half year of the synthetic
# testimonies: what cross-checking finds. Pairs across nnk and bvmn-demo go to the network's coordinators; a
# rigardu report is paired only with rigardu's own, for its reviewers.
DUPLICATES = 100
DUPLICATES_SEED = 14  # a draw whose incidents often reach both nnk and bvmn-demo
DUPLICATES_FROM, DUPLICATES_TO = date(2025, 7, 1), date(2025, 12, 31)


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


def demo_duplicates() -> tuple[list[dict[str, Any]], dict[tuple[str, str], int]]:
    """The demo's accounts of the same incidents (interchange-v1 dicts) and the truth: (organisation, ref) →
    the true incident each describes. References of their own (``nnk-2025-c0001``, incidents ``nnk-inc-c00001``),
    so they neither replace a synthetic testimony nor join its incident on import; every source consented to
    share with the network."""
    made = duplicate_reports(
        count=DUPLICATES,
        seed=DUPLICATES_SEED,
        organisations=MEMBERS,
        start=DUPLICATES_FROM,
        end=DUPLICATES_TO,
    )
    reports: list[dict[str, Any]] = []
    truth: dict[tuple[str, str], int] = {}
    counters = dict.fromkeys(MEMBERS, 0)
    for original in made.reports:
        code = original["organisation"]
        counters[code] += 1
        ref = f"{code}-{original['recorded_on'][:4]}-c{counters[code]:04d}"
        incident = {**original["incident"], "ref": f"{code}-inc-c{counters[code]:05d}"}  # one each, as made
        source = dict(original["source"])
        if source.get("url"):
            source["url"] = f"https://news.example.org/{ref}"
        report = {
            **original,
            "ref": ref,
            "consent": {**original["consent"], "share_with_network": True},
            "incident": incident,
            "source": source,
        }
        reports.append(report)
        truth[code, ref] = made.truth_by_ref[code, original["ref"]]
    return reports, truth


def _cross_check() -> str:
    """The cross-check over the whole network, as ``bordermonitor crosscheck`` runs it."""
    with scopes_disabled():
        result = crosscheck()
        across = (
            LinkCandidate.objects.filter(status="proposed")
            .exclude(report_a__organisation_id=F("report_b__organisation_id"))
            .count()
        )
    return (
        f"cross-check: {result.pairs} pairs considered, {result.proposed} proposed for review "
        f"({across} across organisations, for the coordinators)"
    )


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

        sources = work / "several-sources.jsonl"
        with sources.open("w", encoding="utf-8") as handle:
            for record in demo_duplicates()[0]:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        summary = run_import(jsonl.read(sources), store=store)
        yield f"accounts of the same incidents from several sources: {summary.imported} imported"
        yield from demo_publication_decisions(store=store)
        yield from demo_stakeholders()
        yield _cross_check()

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
