"""The demo network loads through the real importers, its printed logins work, and its cross-checking queue
holds the pairs each role reviews."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client

from bordermonitor.demo.load import ACCOUNTS, DUPLICATES, ORGANISATIONS, SHARING, demo_duplicates, load_demo
from bordermonitor.storage.models import LinkCandidate, Organisation, Report

pytestmark = pytest.mark.django_db

SIDE = re.compile(r'<span class="muted">([^<]*?) · ')


def _sign_in(lines: list[str], email: str) -> Client:
    password = next(line.split()[1] for line in lines if line.strip().startswith(email))
    client = Client()
    assert client.login(username=email, password=password), email
    return client


def _queue_rows(client: Client) -> dict[int, tuple[str, ...]]:
    """The pairs the queue page lists: pair id → the organisations named on its two sides."""
    response = client.get("/crosscheck/")
    assert response.status_code == 200
    page = response.content.decode()
    rows = re.findall(r'<li class="pair-item" data-pair="(\d+)"(.*?)</li>', page, re.S)
    return {int(pk): tuple(html.unescape(name) for name in SIDE.findall(row)) for pk, row in rows}


def _same_incident(pair: LinkCandidate, truth: dict[tuple[str, str], int]) -> bool:
    """Whether the generator made the pair's two reports as accounts of one true incident."""
    a = truth.get((pair.report_a.organisation.code, pair.report_a.ref))
    b = truth.get((pair.report_b.organisation.code, pair.report_b.ref))
    return a is not None and a == b


def test_demo_loads_once_and_its_logins_work(network: None, store: Any) -> None:
    lines = list(load_demo(reports=40, force=False, store=store))
    assert "IOM Missing Migrants Project (CC BY 4.0): 10274 rows imported, 6 flagged for review" in lines
    assert any(line.startswith("BVMN-style legacy database: 300 rows imported") for line in lines)
    assert "synthetic testimonies: 40 imported" in lines
    assert f"accounts of the same incidents from several sources: {DUPLICATES} imported" in lines
    assert set(Organisation.objects.values_list("code", flat=True)) >= {"nnk", "rigardu", "bvmn-demo", "mmp"}
    assert Report.objects.count() == 10274 + 300 + 40 + DUPLICATES

    again = list(load_demo(reports=40, force=False, store=store))
    assert again[0] == "the demo network is already loaded (use --force to load it again)"
    assert Report.objects.count() == 10274 + 300 + 40 + DUPLICATES

    client = _sign_in(lines, ACCOUNTS[0][0])
    assert client.get("/").status_code == 200

    _cross_checking_proposes_the_duplicates(lines)
    _each_role_sees_its_pairs_on_the_queue_page(lines)


def _cross_checking_proposes_the_duplicates(lines: list[str]) -> None:
    """The demo is cross-checked as it loads: proposals wait in the queue, among them accounts of one incident
    from two organisations, and only where both organisations share with the network and the sources consented."""
    assert any(line.startswith("cross-check: ") and "proposed for review" in line for line in lines)
    proposals = list(
        LinkCandidate.objects.filter(status="proposed").select_related(
            "report_a__organisation", "report_b__organisation"
        )
    )
    assert proposals
    across = [c for c in proposals if c.report_a.organisation_id != c.report_b.organisation_id]
    assert across
    for pair in across:
        for report in (pair.report_a, pair.report_b):
            assert report.organisation.shares_with_network, (report.ref, report.organisation.code)
            assert report.consent_share_with_network is True, report.ref

    _, truth = demo_duplicates()
    assert any(_same_incident(pair, truth) for pair in across)


def _each_role_sees_its_pairs_on_the_queue_page(lines: list[str]) -> None:
    """The coordinator's queue lists pairs across the organisations that share with the network, real
    duplicates among them; each member's reviewer sees only pairs within their own organisation."""
    shared = {ORGANISATIONS[code] for code in SHARING}
    rows = _queue_rows(_sign_in(lines, "coordinator@network.demo"))
    assert rows
    for pk, sides in rows.items():
        assert len(sides) == 2 and sides[0] != sides[1], (pk, sides)
        assert set(sides) <= shared, (pk, sides)
    _, truth = demo_duplicates()
    shown = LinkCandidate.objects.filter(pk__in=rows).select_related(
        "report_a__organisation", "report_b__organisation"
    )
    assert any(_same_incident(pair, truth) for pair in shown)

    seen = 0
    for email, code, role in ACCOUNTS:
        if role != "reviewer":
            continue
        rows = _queue_rows(_sign_in(lines, email))
        for pk, sides in rows.items():
            assert sides == (ORGANISATIONS[code], ORGANISATIONS[code]), (email, pk, sides)
        seen += len(rows)
    assert seen
