"""The cross-checking pages: the review queue for each role, the pair page and its decisions, undoing them, the
record page's sources panel, and a cross-check started from the web.

The small network of ``tests.network`` (nnk shares with the network, rigardu does not) gets a third organisation,
vox, which shares, and a few more accounts of the same incident near Bihać. Two reports that are not shared carry
a canary in their reference and narrative: no other organisation's staff may ever read it on these pages.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django_scopes import scopes_disabled

from bordermonitor.storage.accounts import add_organisation, add_user
from bordermonitor.storage.audit import acting_as
from bordermonitor.storage.linkage import crosscheck
from bordermonitor.storage.models import LinkCandidate, Report, User
from bordermonitor.storage.statistics import network_stats
from bordermonitor.web.crosscheck import jobs
from tests.network import PASSWORD
from tests.storage.helpers import save

pytestmark = pytest.mark.django_db
Login = Callable[[str], Client]
AUDIT = importlib.import_module("bordermonitor.storage.migrations.0002_audit_append_only")

NNK_CANARY = "nnk-CANARY-7"
RIG_CANARY = "rig-CANARY-9"


def _report(
    ref: str, organisation: str, *, share: bool | None, kind: str = "testimony", **facts: Any
) -> dict:
    incident: dict[str, Any] = {
        "date": "2024-05-01",
        "kind": "chain_pushback",
        "location": {"lat": 45.2, "lon": 15.8, "place": "Bihać", "country": "BA"},
        "expelled_by": ["SI", "HR"],
        "expelled_to": "BA",
        "group": {"size": 7, "minors": 2, "minors_involved": "yes", "nationalities": ["AF", "SY"]},
        "violence": [{"type": "beating", "detail": "batons"}, {"type": "dog_attack"}],
    }
    incident.update(facts)
    return {
        "ref": ref,
        "organisation": organisation,
        "kind": kind,
        "status": "submitted",
        "recorded_on": "2024-05-03",
        "consent": {"publish": False, "share_with_network": share, "legal_use": None},
        "narrative": {"text": f"CANARY-{ref} told us the police took the phones.", "language": "en"},
        "incident": incident,
    }


@pytest.fixture
def world(network_world: dict[str, Report], store: Any) -> dict[str, Report]:
    """The network of tests.network and: vox (shares) with a witness account of the same pushback a day later,
    told of a larger group; nnk's second account (a day later, nine people) and a private one with a canary;
    rigardu's private account with a canary. Cross-checked once; returns the reports by ref."""
    with scopes_disabled(), acting_as("cli"):
        add_organisation(code="vox", name="Vox Border Monitoring", shares_with_network=True)
        group = {"size": 9, "minors": 2, "minors_involved": "yes", "nationalities": ["AF"]}
        save(
            [
                _report("vox-1", "vox", share=True, kind="witness", date="2024-05-02", group=group),
                _report("nnk-second", "nnk", share=True, date="2024-05-02", group=group),
                _report(NNK_CANARY, "nnk", share=False),
                _report(RIG_CANARY, "rigardu", share=False),
            ],
            store,
        )
        crosscheck()
        return {r.ref: r for r in Report.objects.select_related("organisation", "incident")}


def _pair(reports: dict[str, Report], a: str, b: str) -> LinkCandidate:
    with scopes_disabled():
        first, second = sorted((reports[a].pk, reports[b].pk))
        return LinkCandidate.objects.get(report_a_id=first, report_b_id=second)


def _refs(candidates: Any) -> set[frozenset[str]]:
    return {frozenset((c.report_a.ref, c.report_b.ref)) for c in candidates}


def _stats() -> dict[str, Any]:
    with scopes_disabled():
        return network_stats()


def _shown_pairs(page: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'data-pair="(\d+)"', page)}


def test_the_world_has_the_pairs_these_tests_expect(world: dict[str, Report]) -> None:
    with scopes_disabled():
        pairs = _refs(LinkCandidate.objects.select_related("report_a", "report_b"))
    assert frozenset(("nnk-shared", "vox-1")) in pairs  # across organisations, both shared
    assert frozenset(("nnk-shared", "nnk-second")) in pairs  # within nnk
    assert frozenset(("rig-shared", RIG_CANARY)) in pairs  # within rigardu
    assert frozenset(("nnk-shared", NNK_CANARY)) in pairs
    assert not any("rig-shared" in pair and any(r.startswith(("nnk", "vox")) for r in pair) for pair in pairs)


@pytest.mark.parametrize("role", ["documenter", "analyst"])
def test_documenters_and_analysts_get_404(role: str, login: Login, world: dict[str, Report]) -> None:
    client = login(f"{role}@nnk.test")
    pair = _pair(world, "nnk-shared", "nnk-second")
    assert client.get("/crosscheck/").status_code == 404
    assert client.get(f"/crosscheck/{pair.pk}/").status_code == 404
    assert client.post(f"/crosscheck/{pair.pk}/decide/", {"decision": "not_related"}).status_code == 404
    assert client.post("/crosscheck/run/", {"what": "all"}).status_code == 404
    assert client.get("/crosscheck/progress/").status_code == 404
    assert _pair(world, "nnk-shared", "nnk-second").status == "proposed"


def test_reviewers_see_their_organisations_pairs_and_coordinators_the_shared_ones_across(
    login: Login, world: dict[str, Report]
) -> None:
    internal = _pair(world, "nnk-shared", "nnk-second")
    across = _pair(world, "nnk-shared", "vox-1")
    rigardu = _pair(world, "rig-shared", RIG_CANARY)

    reviewer = login("reviewer@nnk.test")
    page = reviewer.get("/crosscheck/").content.decode()
    shown = _shown_pairs(page)
    assert internal.pk in shown and across.pk not in shown and rigardu.pk not in shown
    assert "rig-shared" not in page and "vox-1" not in page
    assert reviewer.get(f"/crosscheck/{rigardu.pk}/").status_code == 404
    assert reviewer.get(f"/crosscheck/{across.pk}/").status_code == 404  # a coordinator's pair
    assert reviewer.get(f"/crosscheck/{internal.pk}/").status_code == 200

    coordinator = login("coordinator@network.test")
    page = coordinator.get("/crosscheck/").content.decode()
    assert _shown_pairs(page) == {across.pk, _pair(world, "nnk-second", "vox-1").pk}
    assert coordinator.get(f"/crosscheck/{internal.pk}/").status_code == 404
    assert coordinator.get(f"/crosscheck/{rigardu.pk}/").status_code == 404

    assert _shown_pairs(login("admin@rigardu.test").get("/crosscheck/").content.decode()) == {rigardu.pk}


def test_another_organisations_staff_never_read_a_report_that_is_not_shared(
    login: Login, world: dict[str, Report]
) -> None:
    """The canaries of nnk's and rigardu's private reports, in their refs and narratives, appear on no queue
    or pair page of anyone outside their organisation — whatever the status filter, before and after the
    shared pairs are decided."""
    watchers = {
        NNK_CANARY: ["reviewer@rigardu.test", "admin@rigardu.test", "coordinator@network.test"],
        RIG_CANARY: ["reviewer@nnk.test", "admin@nnk.test", "coordinator@network.test"],
    }
    coordinator = login("coordinator@network.test")
    across = _pair(world, "nnk-shared", "vox-1")
    assert (
        coordinator.post(f"/crosscheck/{across.pk}/decide/", {"decision": "same_incident"}).status_code == 303
    )
    reviewer = login("reviewer@nnk.test")
    internal = _pair(world, "nnk-shared", NNK_CANARY)
    assert (
        reviewer.post(f"/crosscheck/{internal.pk}/decide/", {"decision": "same_incident"}).status_code == 303
    )

    checked = 0
    for canary, emails in watchers.items():
        for email in emails:
            client = login(email)
            pages = [client.get(f"/crosscheck/?status={status}") for status in ("proposed", "decided")]
            pairs = {pk for page in pages for pk in _shown_pairs(page.content.decode())}
            pages += [client.get(f"/crosscheck/{pk}/") for pk in pairs]
            with scopes_disabled():
                every = LinkCandidate.objects.values_list("pk", flat=True)
            for pk in every:
                if pk not in pairs:
                    assert client.get(f"/crosscheck/{pk}/").status_code == 404, (email, pk)
            for response in pages:
                assert response.status_code == 200
                body = response.content.decode()
                assert canary not in body and f"CANARY-{canary}" not in body, (
                    email,
                    response.wsgi_request.path,
                )
                checked += 1
    assert checked >= 12


def test_the_pair_page_explains_each_field(login: Login, world: dict[str, Report]) -> None:
    pair = _pair(world, "nnk-shared", "nnk-second")
    page = login("reviewer@nnk.test").get(f"/crosscheck/{pair.pk}/").content.decode()
    date_row = page.split('data-field="date"')[1].split("</tr>")[0]
    assert 'data-verdict="agrees"' in date_row and "1 day apart" in date_row
    assert re.search(r'class="weight" dir="ltr">\+\d', date_row)
    size_row = page.split('data-field="group_size"')[1].split("</tr>")[0]
    assert "7 vs 9" in size_row
    # what each field says follows the sign of its weight, in words and a sign as well as in colour
    rows = re.findall(r'data-verdict="(\w+)">(.*?)</tr>', page, re.S)
    assert len(rows) == 13
    for verdict, row in rows:
        weight = re.search(r'class="weight" dir="ltr">([^<]+)<', row)
        assert weight
        expected = {"+": "agrees", "\u2212": "disagrees"}.get(weight.group(1)[0], None)
        assert verdict == expected or (expected is None and verdict in ("neutral", "unknown")), row
        assert f'class="mark mark-{verdict}"' in row
    # unknown on both sides is not compared, and says so in words, not colour alone
    time_row = page.split('data-field="time"')[1].split("</tr>")[0]
    assert 'data-verdict="unknown"' in time_row and "not compared" in time_row
    # both record pages are linked; the narratives are not shown
    assert f'href="/reports/{world["nnk-shared"].pk}/"' in page
    assert f'href="/reports/{world["nnk-second"].pk}/"' in page
    assert "CANARY-nnk-shared" not in page and "told us the police" not in page
    assert "csrfmiddlewaretoken" in page and 'value="same_incident"' in page
    # the starting odds name the density they were adjusted to: how many reports each may match
    summary = page.split("data-score-sum>")[1].split("</p>")[0]
    assert re.search(r"each report may match about \d+ others", summary), summary


def test_a_reviewer_confirms_the_same_incident_sees_the_conflicts_and_undoes_it(
    login: Login, world: dict[str, Report]
) -> None:
    pair = _pair(world, "nnk-shared", "nnk-second")
    before = _stats()
    client = login("reviewer@nnk.test")
    response = client.post(
        f"/crosscheck/{pair.pk}/decide/", {"decision": "same_incident", "note": "one group, retold"}
    )
    assert response.status_code == 303 and response["Location"].endswith(f"/crosscheck/{pair.pk}/#incident")
    after = _stats()
    assert after["incidents"] == before["incidents"] - 1 and after["reports"] == before["reports"]

    page = client.get(f"/crosscheck/{pair.pk}/").content.decode()
    assert "The two incidents are now one" in page
    assert 'data-decision="same_incident"' in page and "one group, retold" in page and "by you" in page
    merged = page.split("data-merged")[1]
    conflicts = dict(re.findall(r'data-conflict="(\w+)">(.*?)</tr>', merged, re.S))
    assert {"date", "group_size", "nationalities"} <= set(conflicts)
    assert "nnk-shared" in conflicts["group_size"] and "nnk-second" in conflicts["group_size"]
    assert ">7<" in conflicts["group_size"] and ">9<" in conflicts["group_size"]
    assert 'data-sources="1"' in merged  # two testimonies of one organisation: one source

    response = client.post(f"/crosscheck/{pair.pk}/undo/")
    assert response.status_code == 303
    assert _stats() == before
    page = client.get(f"/crosscheck/{pair.pk}/").content.decode()
    assert "the two incidents are separate again" in page
    assert 'value="same_incident"' in page and "data-merged" not in page
    with scopes_disabled():
        reports = {r.ref: r.incident_id for r in Report.objects.filter(ref__in=("nnk-shared", "nnk-second"))}
    assert reports["nnk-shared"] != reports["nnk-second"]


def test_a_decision_taken_meanwhile_is_refused_politely(login: Login, world: dict[str, Report]) -> None:
    pair = _pair(world, "nnk-shared", "nnk-second")
    reviewer, admin = login("reviewer@nnk.test"), login("admin@nnk.test")
    assert 'value="not_related"' in admin.get(f"/crosscheck/{pair.pk}/").content.decode()  # the page is open
    assert reviewer.post(f"/crosscheck/{pair.pk}/decide/", {"decision": "related"}).status_code == 303
    response = admin.post(f"/crosscheck/{pair.pk}/decide/", {"decision": "not_related", "note": "no"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "This pair was already decided (Related incidents)" in page and "Undo that decision first" in page
    assert 'data-decision="related"' in page  # what was decided is shown
    assert _pair(world, "nnk-shared", "nnk-second").status == "related"

    proposed = _pair(world, "nnk-shared", NNK_CANARY)
    response = reviewer.post(f"/crosscheck/{proposed.pk}/undo/")
    assert response.status_code == 409 and "This pair has no decision to undo." in response.content.decode()
    response = reviewer.post(f"/crosscheck/{proposed.pk}/decide/", {"decision": "maybe"})
    assert response.status_code == 400 and _pair(world, "nnk-shared", NNK_CANARY).status == "proposed"


def test_an_undo_that_cannot_be_exact_says_why(login: Login, world: dict[str, Report]) -> None:
    """nnk-second's incident absorbs the canary report's, then nnk-shared's absorbs nnk-second's: the first link
    can be undone only after the second."""
    first = _pair(world, "nnk-second", NNK_CANARY)
    second = _pair(world, "nnk-shared", "nnk-second")
    client = login("reviewer@nnk.test")
    assert client.post(f"/crosscheck/{first.pk}/decide/", {"decision": "same_incident"}).status_code == 303
    assert client.post(f"/crosscheck/{second.pk}/decide/", {"decision": "same_incident"}).status_code == 303
    before = _stats()
    response = client.post(f"/crosscheck/{first.pk}/undo/")
    assert response.status_code == 409
    page = response.content.decode()
    assert "The decision was not undone." in page and "Undo that link first, then this one." in page
    assert _stats() == before and _pair(world, "nnk-second", NNK_CANARY).status == "same_incident"
    assert client.post(f"/crosscheck/{second.pk}/undo/").status_code == 303
    assert client.post(f"/crosscheck/{first.pk}/undo/").status_code == 303


def test_a_refusal_never_names_a_report_the_person_cannot_see(login: Login, world: dict[str, Report]) -> None:
    """nnk links its private report with nnk-second; the coordinator then links nnk-second with vox's report, so
    the incident kept is the one named after nnk's private report; nnk then links that one into nnk-shared's.
    The coordinator cannot undo their link any more, and is not told the private report's reference."""
    reviewer, coordinator = login("reviewer@nnk.test"), login("coordinator@network.test")
    for a, b, client in (
        ("nnk-private", "nnk-second", reviewer),
        ("nnk-second", "vox-1", coordinator),
        ("nnk-shared", "nnk-private", reviewer),
    ):
        response = client.post(f"/crosscheck/{_pair(world, a, b).pk}/decide/", {"decision": "same_incident"})
        assert response.status_code == 303, (a, b)
    pair = _pair(world, "nnk-second", "vox-1")
    response = coordinator.post(f"/crosscheck/{pair.pk}/undo/")
    assert response.status_code == 409
    page = response.content.decode()
    assert "cannot be undone exactly any more" in page
    assert "nnk-private" not in page and "CANARY" not in page
    # the reviewer, who sees every report involved, is told exactly why
    reviewer_pair = _pair(world, "nnk-private", "nnk-second")
    page = reviewer.post(f"/crosscheck/{reviewer_pair.pk}/undo/").content.decode()
    assert "Undo that link first" in page


def test_the_record_page_counts_the_sources_each_person_may_see(
    login: Login, world: dict[str, Report]
) -> None:
    across = _pair(world, "nnk-shared", "vox-1")
    coordinator = login("coordinator@network.test")
    url = f"/reports/{world['nnk-shared'].pk}/"
    page = coordinator.get(url).content.decode()
    assert 'data-sources="1"' in page and "data-alone" in page
    assert (
        coordinator.post(f"/crosscheck/{across.pk}/decide/", {"decision": "same_incident"}).status_code == 303
    )

    page = coordinator.get(url).content.decode()
    panel = page.split("data-crosscheck")[1].split("</section>")[0]
    assert 'data-sources="2"' in panel and "2 independent sources" in panel and "2 organisations" in panel
    assert "Testimony" in panel and "Witness account" in panel
    assert f'data-incident-report="{world["vox-1"].pk}"' in panel
    assert 'data-conflict="date"' in panel and 'data-conflict="group_size"' in panel
    assert "0 pairs of this report wait for a decision" in panel and "1 decided pair" in panel

    # nnk's reviewer does not see vox's report: it is not listed and does not count as a source for them
    page = login("reviewer@nnk.test").get(url).content.decode()
    panel = page.split("data-crosscheck")[1].split("</section>")[0]
    assert 'data-sources="1"' in panel and "vox-1" not in panel and "Vox" not in panel
    assert "data-pairs-link" in panel  # nnk's own pairs of this report
    link = re.search(r'href="(/crosscheck/\?report=\d+)"', panel)
    assert link
    listed = _shown_pairs(login("reviewer@nnk.test").get(link.group(1)).content.decode())
    assert _pair(world, "nnk-shared", "nnk-second").pk in listed

    # a documenter sees the sources but has no pairs to decide on; an analyst's pseudonymised page has no panel
    page = login("documenter@nnk.test").get(url).content.decode()
    assert "data-crosscheck" in page and "data-pairs-link" not in page
    page = login("analyst@nnk.test").get(url).content.decode()
    assert "data-crosscheck" not in page


def test_the_queue_filters_by_status_and_says_when_it_is_empty(
    login: Login, world: dict[str, Report]
) -> None:
    client = login("reviewer@rigardu.test")
    rigardu = _pair(world, "rig-shared", RIG_CANARY)
    assert "data-empty" in client.get("/crosscheck/?status=decided").content.decode()
    assert client.post(f"/crosscheck/{rigardu.pk}/decide/", {"decision": "not_related"}).status_code == 303
    page = client.get("/crosscheck/").content.decode()
    assert "No pair waits for a decision." in page and not _shown_pairs(page)
    assert _shown_pairs(client.get("/crosscheck/?status=decided").content.decode()) == {rigardu.pk}
    assert _shown_pairs(client.get("/crosscheck/?status=not_related").content.decode()) == {rigardu.pk}
    assert not _shown_pairs(client.get("/crosscheck/?status=same_incident").content.decode())
    # another organisation's report as a filter answers 404, like one that does not exist
    assert client.get(f"/crosscheck/?report={world['nnk-shared'].pk}").status_code == 404
    assert client.get("/crosscheck/?report=999999").status_code == 404


def test_the_queue_is_paginated_best_score_first(login: Login, world: dict[str, Report], store: Any) -> None:
    with scopes_disabled(), acting_as("cli"):
        save(
            [_report(f"nnk-more-{n}", "nnk", share=True, date=f"2024-05-0{1 + n % 2}") for n in range(5)],
            store,
        )
        crosscheck()
        total = LinkCandidate.objects.filter(
            report_a__organisation__code="nnk", report_b__organisation__code="nnk", status="proposed"
        ).count()
    assert total > 25
    client = login("reviewer@nnk.test")
    first = client.get("/crosscheck/").content.decode()
    assert len(_shown_pairs(first)) == 25 and 'rel="next"' in first
    scores = [float(s) for s in re.findall(r'data-score-value="([\d.]+)"', first)]
    assert scores == sorted(scores, reverse=True)
    second = client.get("/crosscheck/?status=proposed&page=2").content.decode()
    assert len(_shown_pairs(second)) == min(25, total - 25) and not _shown_pairs(first) & _shown_pairs(second)


def test_the_run_form_is_for_coordinators_and_site_admins(login: Login, world: dict[str, Report]) -> None:
    reviewer = login("reviewer@nnk.test")
    page = reviewer.get("/crosscheck/").content.decode()
    assert "data-run" not in page
    assert reviewer.post("/crosscheck/run/", {"what": "all"}).status_code == 404
    coordinator = login("coordinator@network.test")
    assert "data-run" in coordinator.get("/crosscheck/").content.decode()
    before = jobs.current()
    response = coordinator.post("/crosscheck/run/", {"what": "since"})
    assert response.status_code == 400 and "Give the day from which" in response.content.decode()
    assert jobs.current() == before


@pytest.fixture
def committed(transactional_db: None) -> Iterator[None]:
    """Data committed, so that the cross-check thread's own database connection reads it (see
    tests/web/test_publication.py for why the audit log's triggers are lifted to empty it on SQLite)."""
    yield
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for statement in (*AUDIT.SQLITE_REVERSE, "DELETE FROM storage_auditevent", *AUDIT.SQLITE):
                cursor.execute(statement)


def test_a_coordinator_runs_a_crosscheck_and_follows_it(
    committed: None, login: Login, network_world: dict[str, Report], store: Any
) -> None:
    with scopes_disabled(), acting_as("cli"):
        add_organisation(code="vox", name="Vox Border Monitoring", shares_with_network=True)
        save([_report("vox-1", "vox", share=True, kind="witness", date="2024-05-02")], store)
    coordinator = login("coordinator@network.test")
    assert 'data-pairs="0"' in coordinator.get("/crosscheck/").content.decode()
    response = coordinator.post("/crosscheck/run/", {"what": "all"})
    assert response.status_code == 303 and response["Location"].endswith("#crosscheck-progress")
    job = jobs.wait(timeout=120)
    assert job is not None and job.state == "done", job and job.error
    assert job.summary is not None and job.summary.reports == 4 and job.summary.proposed >= 2
    assert job.steps and job.steps[0].kind == "read"
    progress = coordinator.get("/crosscheck/progress/").content.decode()
    assert "The cross-check has finished." in progress and "4 reports read" in progress
    assert "hx-trigger" not in progress  # finished: the page stops polling
    page = coordinator.get("/crosscheck/").content.decode()
    assert len(_shown_pairs(page)) == 1  # nnk-shared ~ vox-1: the one pair across organisations both share
    assert "CANARY" not in page
    with scopes_disabled():
        assert LinkCandidate.objects.count() == job.summary.proposed


def test_a_running_crosscheck_is_polled_every_second(login: Login, world: dict[str, Report]) -> None:
    from django.template.loader import render_to_string
    from django.utils import timezone

    running = jobs.Job(
        number=7, started_by=None, started_at=timezone.now(), steps=(jobs.Step.of("read 12 reports"),)
    )
    html = render_to_string("bordermonitor/crosscheck/_progress.html", {"job": running})
    assert 'hx-get="/crosscheck/progress/" hx-trigger="every 1s"' in html and "Read 12 reports." in html
    assert jobs.Step.of("something else").text == "something else"


def test_the_pair_page_says_when_a_report_changed_after_scoring(
    login: Login, world: dict[str, Report]
) -> None:
    pair = _pair(world, "nnk-shared", "nnk-second")
    other = _pair(world, "nnk-private", NNK_CANARY)
    client = login("reviewer@nnk.test")
    assert "data-stale" not in client.get(f"/crosscheck/{pair.pk}/").content.decode()
    # linking other reports moves them between incidents: their compared values stay as they were
    assert client.post(f"/crosscheck/{other.pk}/decide/", {"decision": "same_incident"}).status_code == 303
    assert "data-stale" not in client.get(f"/crosscheck/{pair.pk}/").content.decode()
    with scopes_disabled():
        Report.objects.filter(pk=world["nnk-second"].pk).update(group_size=12)
    assert "data-stale" in client.get(f"/crosscheck/{pair.pk}/").content.decode()


def test_a_pair_linked_through_other_reports_meanwhile_says_so(
    login: Login, world: dict[str, Report]
) -> None:
    """nnk-shared ~ nnk-private waits for a decision while both are linked to the canary report through two
    other pairs: their page says there is nothing left to decide, to nnk's reviewers only."""
    pair = _pair(world, "nnk-shared", "nnk-private")
    client = login("reviewer@nnk.test")
    for a, b in (("nnk-shared", NNK_CANARY), ("nnk-private", NNK_CANARY)):
        response = client.post(f"/crosscheck/{_pair(world, a, b).pk}/decide/", {"decision": "same_incident"})
        assert response.status_code == 303
    assert pair.pk not in _shown_pairs(client.get("/crosscheck/").content.decode())
    page = client.get(f"/crosscheck/{pair.pk}/")
    assert page.status_code == 200 and "data-linked" in page.content.decode()
    assert 'value="same_incident"' not in page.content.decode()
    response = client.post(f"/crosscheck/{pair.pk}/decide/", {"decision": "not_related"})
    assert response.status_code == 409 and "nothing left to decide" in response.content.decode()
    assert _pair(world, "nnk-shared", "nnk-private").status == "proposed"
    for email in ("reviewer@rigardu.test", "coordinator@network.test", "documenter@nnk.test"):
        assert login(email).get(f"/crosscheck/{pair.pk}/").status_code == 404, email


def test_a_site_administrator_starts_crosschecks_but_decides_nothing(
    login: Login, world: dict[str, Report]
) -> None:
    with scopes_disabled():
        add_user(email="siteadmin@nnk.test", organisation="nnk", role="documenter", password=PASSWORD,
                 site_admin=True)  # fmt: skip
    client = login("siteadmin@nnk.test")
    page = client.get("/crosscheck/").content.decode()
    assert "data-run" in page and "You review no organisation's reports" in page and not _shown_pairs(page)
    assert client.get(f"/crosscheck/{_pair(world, 'nnk-shared', 'nnk-second').pk}/").status_code == 404
    assert client.get("/crosscheck/progress/").status_code == 200


def test_the_pages_have_no_inline_script_or_style_and_read_right_to_left(
    login: Login, world: dict[str, Report]
) -> None:
    pair = _pair(world, "nnk-shared", "nnk-second")
    client = login("coordinator@network.test")
    merged = _pair(world, "nnk-shared", "vox-1")
    assert client.post(f"/crosscheck/{merged.pk}/decide/", {"decision": "same_incident"}).status_code == 303
    reviewer = login("reviewer@nnk.test")
    for who, url in (
        (client, "/crosscheck/"),
        (client, f"/crosscheck/{merged.pk}/"),
        (reviewer, f"/crosscheck/{pair.pk}/"),
        (client, f"/reports/{world['nnk-shared'].pk}/"),
    ):
        page = who.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)", page), url
        assert " style=" not in page and "<style" not in page, url
        assert "crosscheck.css" in page, url
    with scopes_disabled():
        User.objects.filter(email="reviewer@nnk.test").update(language="fa")
    page = reviewer.get(f"/crosscheck/{pair.pk}/").content.decode()
    assert '<html lang="fa" dir="rtl">' in page and 'class="weight" dir="ltr"' in page


def test_a_linked_incident_is_not_named_after_another_organisations_report(
    login: Login, world: dict[str, Report]
) -> None:
    """The kept incident's ref names the report that created it: once nnk-shared (created first) and vox-1 are
    one incident, vox's reviewer reading vox-1 must not learn nnk's reference from it."""
    from bordermonitor.storage.linkage_merge import decide

    with scopes_disabled():
        decide(_pair(world, "nnk-shared", "vox-1"), "same_incident", user=None)
        merged = Report.objects.select_related("incident").get(ref="vox-1").incident
        assert merged.ref == world["nnk-shared"].incident.ref and merged.ref.startswith("nnk")
        add_user(email="reviewer@vox.test", organisation="vox", role="reviewer", password=PASSWORD)
    vox = login("reviewer@vox.test").get(f"/reports/{world['vox-1'].pk}/").content.decode()
    assert "vox-1" in vox and merged.ref not in vox
    nnk = login("reviewer@nnk.test").get(f"/reports/{world['nnk-shared'].pk}/").content.decode()
    assert merged.ref in nnk
