"""Cross-checking in storage: proposals, merging incidents and undoing it, conflicts, calibration, the queue."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from django_scopes.exceptions import ScopeError

from bordermonitor.core.linkage import DEFAULT_THRESHOLD, default_scorer
from bordermonitor.demo.duplicates import considered_pairs, duplicate_reports
from bordermonitor.storage.access import Access, NotVisible, access_for, visible_reports
from bordermonitor.storage.accounts import add_user
from bordermonitor.storage.linkage import (
    AlreadyDecided,
    AlreadyLinked,
    NotDecided,
    UndoRefused,
    calibrated_scorer,
    candidates_for,
    corroboration,
    crosscheck,
    decide,
    get_candidate,
    incident_conflicts,
    incident_facts,
    link_record,
    model_version,
    queue,
    undo,
)
from bordermonitor.storage.models import AuditEvent, Incident, LinkCandidate, Organisation, Report, User
from bordermonitor.storage.statistics import network_stats
from tests.storage.helpers import save

pytestmark = pytest.mark.django_db

BIHAC = {"lat": 44.8169, "lon": 15.8708, "place": "Bihać", "country": "BA"}
FAR = {"lat": 41.12, "lon": 20.80, "place": "Ohrid", "country": "MK"}


def report(ref: str, organisation: str = "nnk", *, share: bool | None = True, status: str = "submitted",
           kind: str = "testimony", text: str | None = None, **facts: Any) -> dict[str, Any]:  # fmt: skip
    """A pushback near Bihać on 2019-05-10 as one source tells it; ``facts`` replace parts of the incident."""
    incident: dict[str, Any] = {
        "ref": f"{ref}-inc",
        "date": "2019-05-10",
        "time": "03:00",
        "location": dict(BIHAC),
        "kind": "chain_pushback",
        "expelled_by": ["SI", "HR"],
        "expelled_to": "BA",
        "group": {"size": 7, "minors_involved": "no", "nationalities": ["AF"]},
        "violence": [{"type": "beating"}, {"type": "theft_of_belongings"}],
        "perpetrators": [{"authority": "HR-police"}],
    }
    incident.update(facts)
    return {
        "ref": ref,
        "organisation": organisation,
        "kind": kind,
        "status": status,
        "recorded_on": "2019-05-20",
        "consent": {"publish": True, "share_with_network": share, "legal_use": None},
        "narrative": {
            "text": text or "The police caught us near the river at night, beat us and took our phones.",
            "language": "en",
        },
        "incident": incident,
    }


def sharing(*codes: str) -> None:
    Organisation.objects.update(shares_with_network=False)
    Organisation.objects.filter(code__in=codes).update(shares_with_network=True)


def person(email: str, *roles: tuple[str, str]) -> User:
    for organisation, role in roles:
        account, _ = add_user(email=email, organisation=organisation, role=role, password="x")
    return account


def by_ref() -> dict[str, Report]:
    return {r.ref: r for r in Report.objects.select_related("incident", "organisation")}


def incidents() -> list[tuple[int, str, int, str | None, Any, Any]]:
    return list(
        Incident.objects.order_by("pk").values_list(
            "pk", "ref", "organisation_id", "public_id", "created_at", "updated_at"
        )
    )


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_a_confirmed_link_counts_one_incident_and_undo_restores_the_incidents_exactly(
    network: None, store: Any
) -> None:
    save(
        [
            report("nnk-1"),
            report("rig-1", "rigardu", date="2019-05-11", group={"size": 9, "nationalities": ["AF", "SY"]}),
            report("nnk-2", date="2019-03-02", location=dict(FAR), group={"size": 4}),
        ],
        store,
    )
    sharing("nnk", "rigardu")
    Incident.objects.filter(ref="rig-1-inc").update(public_id="BM-77")  # published before the link
    before, rows_before = network_stats(), incidents()
    assert (before["incidents"], before["people_affected"]) == (3, 7 + 9 + 4)

    result = crosscheck()
    (candidate,) = LinkCandidate.objects.all()
    reports = by_ref()
    assert (candidate.report_a_id, candidate.report_b_id) == (reports["nnk-1"].pk, reports["rig-1"].pk)
    assert candidate.score >= DEFAULT_THRESHOLD and candidate.status == "proposed"
    assert candidate.agreements["agreements"]["date"]["level"] != "unknown"
    assert result.proposed == result.new == 1

    coordinator = person("coordinator@network.test", ("nnk", "coordinator"))
    merge = decide(candidate, "same_incident", user=coordinator, note="the same group, one night apart")
    assert merge is not None and merge.absorbed_ref == "rig-1-inc"
    after = network_stats()
    # one incident fewer; its group size is the earliest-recorded report's, not the sum of both accounts
    assert (after["incidents"], after["reports"], after["people_affected"]) == (2, 3, 7 + 4)
    reports = by_ref()
    assert reports["nnk-1"].incident_id == reports["rig-1"].incident_id
    assert reports["rig-1"].incident.ref == "nnk-1-inc"
    assert not Incident.objects.filter(ref="rig-1-inc").exists()
    incident = reports["nnk-1"].incident

    facts = incident_facts(incident)
    assert facts is not None and facts.group_size == 7 and facts.reports == 2
    conflicts = {c.field: c for c in incident_conflicts(incident)}
    assert set(conflicts) == {"date", "group_size", "nationalities"}
    assert dict(conflicts["group_size"].values) == {reports["nnk-1"].pk: 7, reports["rig-1"].pk: 9}
    assert conflicts["group_size"].counted == 7
    assert dict(conflicts["date"].values) == {
        reports["nnk-1"].pk: "2019-05-10",
        reports["rig-1"].pk: "2019-05-11",
    }
    assert conflicts["nationalities"].counted == ["AF", "SY"]
    assert corroboration(incident).sources == 2 and corroboration(incident).organisations == 2

    undo(candidate, user=coordinator)
    assert network_stats() == before
    assert incidents() == rows_before  # ids, refs, organisations, public ids and dates, as they were
    reports = by_ref()
    assert {ref: r.incident.ref for ref, r in reports.items()} == {
        "nnk-1": "nnk-1-inc",
        "rig-1": "rig-1-inc",
        "nnk-2": "nnk-2-inc",
    }
    candidate.refresh_from_db()
    assert (candidate.status, candidate.decided_by, candidate.note) == ("proposed", None, None)
    assert merge.pk is not None and type(merge).objects.get(pk=merge.pk).undone_at is not None


def test_merges_are_undone_last_first_and_an_incident_keeps_every_report(network: None, store: Any) -> None:
    save(
        [report("a", date="2019-05-10"), report("b", date="2019-05-11"), report("c", date="2019-05-12")],
        store,
    )
    crosscheck()
    reports = by_ref()
    pair = {(c.report_a_id, c.report_b_id): c for c in LinkCandidate.objects.all()}
    b_c = pair[(reports["b"].pk, reports["c"].pk)]
    a_b = pair[(reports["a"].pk, reports["b"].pk)]
    decide(b_c, "same_incident", user=None)  # b's incident (older) absorbs c's
    decide(a_b, "same_incident", user=None)  # a's absorbs b's, with c in it
    assert {r.incident.ref for r in by_ref().values()} == {"a-inc"}
    assert network_stats()["incidents"] == 1
    # the proposal a ~ c is not offered any more: both are in one incident already
    a_c = pair[(reports["a"].pk, reports["c"].pk)]
    with pytest.raises(AlreadyLinked):
        decide(a_c, "not_related", user=None)

    with pytest.raises(UndoRefused, match="b-inc") as refused:
        undo(b_c, user=None)  # b's incident was merged away later: undo that first
    assert refused.value.later == a_b.pk
    undo(a_b, user=None)
    assert {ref: r.incident.ref for ref, r in by_ref().items()} == {"a": "a-inc", "b": "b-inc", "c": "b-inc"}
    undo(b_c, user=None)
    assert {ref: r.incident.ref for ref, r in by_ref().items()} == {"a": "a-inc", "b": "b-inc", "c": "c-inc"}
    with pytest.raises(NotDecided):
        undo(b_c, user=None)


def test_conflicts_list_only_what_the_reports_disagree_on(network: None, store: Any) -> None:
    near = dict(BIHAC, lat=BIHAC["lat"] + 0.0045)  # 500 m north: the same place
    away = dict(BIHAC, lat=BIHAC["lat"] + 0.045)  # 5 km north
    save(
        [
            report("a", date="2019-05"),
            report("b", location=near),  # a day within a's month: no disagreement on the date
            report("c", location=away, expelled_by=["HR"], status="draft"),
        ],
        store,
    )
    reports = by_ref()
    Report.objects.filter(pk__in=[reports["b"].pk, reports["c"].pk]).update(incident=reports["a"].incident)
    assert incident_conflicts(reports["a"].incident) == []  # the draft does not count
    Report.objects.filter(pk=reports["c"].pk).update(status="submitted")
    conflicts = {c.field: c for c in incident_conflicts(reports["a"].incident)}
    assert set(conflicts) == {"place", "expelled_by"}
    assert conflicts["expelled_by"].counted == ["SI", "HR"]  # the first chain told, as the figures take it
    assert list(conflicts["place"].values) == [reports["a"].pk, reports["b"].pk, reports["c"].pk]
    assert corroboration(reports["a"].incident).sources == 1  # one organisation, one kind of report


def test_every_decision_is_logged_on_both_reports_and_cannot_be_made_twice(network: None, store: Any) -> None:
    save([report("nnk-1"), report("nnk-2", date="2019-05-11")], store)
    crosscheck()
    (candidate,) = LinkCandidate.objects.all()
    reviewer = person("reviewer@nnk.test", ("nnk", "reviewer"))
    decide(candidate, "related", user=reviewer, note="the same night, another group")
    assert network_stats()["incidents"] == 2  # related incidents stay two incidents
    with pytest.raises(AlreadyDecided):
        decide(candidate, "same_incident", user=reviewer)
    with pytest.raises(ValueError, match="maybe"):
        decide(candidate, "maybe", user=reviewer)
    undo(candidate, user=reviewer)
    events = AuditEvent.objects.filter(object_type="report", details__has_key="crosscheck")
    logged = sorted((e.object_ref, e.details["crosscheck"], e.actor) for e in events)
    assert logged == [
        ("nnk-1", "related", "cli"),
        ("nnk-1", "undone", "cli"),
        ("nnk-2", "related", "cli"),
        ("nnk-2", "undone", "cli"),
    ]


def test_decisions_calibrate_the_model_and_automatic_links_do_not(network: None, store: Any) -> None:
    save(
        [
            report("nnk-1"),
            report("nnk-2", date="2019-05-11"),
            report("nnk-3", date="2019-08-01", location=dict(FAR)),
            report("nnk-4", date="2019-08-01", location=dict(FAR)),
        ],
        store,
    )
    crosscheck()
    first, second = LinkCandidate.objects.order_by("report_a_id")
    assert calibrated_scorer() is default_scorer()
    a, b = link_record(first.report_a), link_record(first.report_b)
    shipped = default_scorer().compare(a, b).score

    decide(second, "same_incident", user=None, automatic=True)
    assert calibrated_scorer() is default_scorer()  # a link made without review teaches nothing

    decide(first, "not_related", user=None)  # a reviewer says such a close pair is not one incident
    calibrated = calibrated_scorer()
    assert calibrated is not default_scorer()
    assert calibrated.compare(a, b).score < shipped
    assert model_version(calibrated).startswith("calibrated-1-")
    assert calibrated_scorer() is calibrated  # kept until a decision changes

    undo(first, user=None)
    assert calibrated_scorer() is default_scorer()
    crosscheck()
    first.refresh_from_db()
    assert first.model_version == model_version(default_scorer())


def test_candidates_of_one_report_stay_within_what_may_be_paired(network: None, store: Any) -> None:
    save(
        [
            report("nnk-1"),
            report("nnk-2", date="2019-05-11"),
            report("nnk-draft", status="draft"),
            report("nnk-far", date="2019-05-10", location=dict(FAR)),
            report("rig-1", "rigardu"),
            report("rig-private", "rigardu", share=False),
        ],
        store,
    )
    sharing("nnk", "rigardu")
    reports = by_ref()
    found = [rid for rid, _comparison in candidates_for(reports["nnk-1"])]
    assert set(found) == {reports["nnk-2"].pk, reports["rig-1"].pk}  # no draft, far place or private report
    assert all(c.score >= DEFAULT_THRESHOLD for _rid, c in candidates_for(reports["nnk-1"]))

    # a person of rigardu is never offered nnk's reports
    with scopes_disabled():
        access = access_for(person("reviewer@rigardu.test", ("rigardu", "reviewer")))
    with scope(organisation=access.scope_orgs):
        seen = [rid for rid, _c in candidates_for(reports["rig-1"], reports=visible_reports(access))]
    assert seen == [reports["rig-private"].pk]

    sharing("nnk")  # rigardu stops sharing: its reports are paired within rigardu only
    assert [rid for rid, _c in candidates_for(reports["rig-1"])] == [reports["rig-private"].pk]

    decide(crosscheck_pair("nnk-1", "nnk-2"), "same_incident", user=None)
    assert reports["nnk-2"].pk not in [rid for rid, _c in candidates_for(reports["nnk-1"])]


def crosscheck_pair(a: str, b: str) -> LinkCandidate:
    crosscheck()
    reports = by_ref()
    return LinkCandidate.objects.get(report_a=reports[a], report_b=reports[b])


def test_a_rerun_keeps_decisions_rescores_proposals_and_withdraws_those_not_found_again(
    network: None, store: Any
) -> None:
    save([report("a"), report("b", date="2019-05-11"), report("c", date="2019-05-12")], store)
    first = crosscheck()
    assert (first.proposed, first.new) == (3, 3)
    reports = by_ref()
    a_b = LinkCandidate.objects.get(report_a=reports["a"], report_b=reports["b"])
    decide(a_b, "not_related", user=None)

    # c is corrected: it happened months later elsewhere; only the pairs with c are looked at again
    Report.objects.update(updated_at=timezone.now() - dt.timedelta(days=3))
    Report.objects.filter(pk=reports["c"].pk).update(
        date_start=dt.date(2019, 9, 1), lat=41.12, lon=20.80, updated_at=timezone.now()
    )
    since = crosscheck(since=dt.date.today())
    assert (since.pairs, since.withdrawn) == (0, 2)
    assert list(LinkCandidate.objects.values_list("pk", "status")) == [(a_b.pk, "not_related")]

    again = crosscheck()
    assert (again.proposed, again.new, again.decided, again.withdrawn) == (1, 0, 1, 0)


def test_the_scoped_manager_needs_both_reports_in_scope(network: None, store: Any) -> None:
    save([report("nnk-1"), report("rig-1", "rigardu")], store)
    sharing("nnk", "rigardu")
    crosscheck()
    nnk, rigardu = (Organisation.objects.get(code=c).pk for c in ("nnk", "rigardu"))
    with scope(organisation=[nnk]):
        assert not LinkCandidate.objects.exists()
    with scope(organisation=[rigardu]):
        assert not LinkCandidate.objects.exists()
    with scope(organisation=[nnk, rigardu]):
        assert LinkCandidate.objects.count() == 1
    with scope(), pytest.raises(ScopeError):
        LinkCandidate.objects.count()


def _retold(
    original: dict[str, Any], *, ref: str, organisation: str, share: bool, days: int
) -> dict[str, Any]:
    """Another organisation's account of a legacy incident: a day off, a kilometre away, the group a person
    larger, told in French."""
    told = original["incident"]
    day = dt.date.fromisoformat(told["date"]) + dt.timedelta(days=days)
    location = dict(
        told["location"], lat=told["location"]["lat"] + 0.008, lon=told["location"]["lon"] - 0.006
    )
    size = told["group"].get("size")
    return {
        "ref": ref,
        "organisation": organisation,
        "kind": "witness",
        "status": "submitted",
        "consent": {"publish": False, "share_with_network": share, "legal_use": None},
        "narrative": {
            "text": "Nous avons vu la police repousser un groupe vers la frontière.",
            "language": "fr",
        },
        "incident": {
            "ref": f"{ref}-inc",
            "date": day.isoformat(),
            "location": location,
            "expelled_by": told.get("expelled_by") or [],
            "expelled_to": told.get("expelled_to"),
            "group": {
                "size": size + 1 if size else None,
                "nationalities": told["group"].get("nationalities") or [],
            },
            "violence": [v for v in told.get("violence") or [] if v["type"] != "other"],
        },
    }


def _ids(candidates: Any) -> set[tuple[str, str]]:
    return {(c.report_a.organisation.code, c.report_b.organisation.code) for c in candidates}


def test_on_a_legacy_dataset_the_queue_proposes_the_retold_incidents_to_those_who_may_see_them(
    network: None, store: Any, tmp_path: Any
) -> None:
    from click.testing import CliRunner

    from bordermonitor.cli import main
    from bordermonitor.importers.bvmn_fixture import write_legacy
    from tests.storage.helpers import export

    legacy = tmp_path / "legacy.sqlite"
    write_legacy(legacy, rows=80, seed=3)
    CliRunner().invoke(
        main, ["import", "bvmn", str(legacy), "--organisation", "bvmn"], catch_exceptions=False
    )
    originals = [
        r
        for r in export(store, organisation="bvmn")
        if len(r["incident"].get("date") or "") == 10
        and (r["incident"].get("location") or {}).get("lat") is not None
        and r["incident"]["location"].get("lon") is not None
        and r["incident"]["group"].get("size")
    ][:9]
    assert len(originals) == 9
    retold = [
        # shared with the network by nnk
        *(
            _retold(o, ref=f"nnk-{k}", organisation="nnk", share=True, days=k % 2)
            for k, o in enumerate(originals[:4])
        ),
        # nnk's, without the source's consent to share: stays with nnk
        _retold(originals[4], ref="nnk-private", organisation="nnk", share=False, days=1),
        _retold(originals[0], ref="nnk-again", organisation="nnk", share=False, days=0),
        # rigardu's: it does not share with the network
        *(
            _retold(o, ref=f"rig-{k}", organisation="rigardu", share=True, days=1)
            for k, o in enumerate(originals[5:7])
        ),
        _retold(originals[5], ref="rig-again", organisation="rigardu", share=True, days=0),
    ]
    save(retold, store)
    sharing("bvmn", "nnk")
    crosscheck()
    reports = by_ref()
    origin = {f"nnk-{k}": reports[o["ref"]].pk for k, o in enumerate(originals[:4])}

    with scopes_disabled():
        coordinator = access_for(person("coordinator@network.test", ("nnk", "coordinator")))
        reviewers = {
            code: access_for(person(f"reviewer@{code}.test", (code, "reviewer")))
            for code in ("nnk", "rigardu", "bvmn")
        }

    def offered(access: Access) -> list[LinkCandidate]:
        with scope(organisation=access.scope_orgs):
            return list(queue(access))

    network_pairs = offered(coordinator)
    # plausible: each shared retelling is proposed with the legacy report it retells, as its best candidate
    for ref, original in origin.items():
        best = max(
            (c for c in network_pairs if reports[ref].pk in (c.report_a_id, c.report_b_id)),
            key=lambda c: c.score,
        )
        assert {best.report_a_id, best.report_b_id} == {reports[ref].pk, original}, ref
    assert _ids(network_pairs) <= {("bvmn", "nnk"), ("nnk", "bvmn")}
    shown = {rid for c in network_pairs for rid in (c.report_a_id, c.report_b_id)}
    assert not shown & {reports[r].pk for r in ("nnk-private", "nnk-again", "rig-0", "rig-1", "rig-again")}

    # each organisation's reviewers get the pairs of its own reports only
    assert {c.report_a.ref for c in offered(reviewers["nnk"])} | {
        c.report_b.ref for c in offered(reviewers["nnk"])
    } == {"nnk-0", "nnk-again"}
    assert _ids(offered(reviewers["rigardu"])) == {("rigardu", "rigardu")}
    assert _ids(offered(reviewers["bvmn"])) <= {("bvmn", "bvmn")}
    with pytest.raises(NotVisible):
        get_candidate(reviewers["rigardu"], network_pairs[0].pk)
    assert get_candidate(coordinator, network_pairs[0].pk) == network_pairs[0]

    sharing("nnk")  # bvmn stops sharing: the coordinator is offered nothing of it any more
    with scopes_disabled():
        assert offered(access_for(User.objects.get(email="coordinator@network.test"))) == []


def test_on_generated_duplicates_the_stored_proposals_find_the_incidents(network: None, store: Any) -> None:
    data = duplicate_reports(count=600, seed=21)
    save(data.reports, store)
    Organisation.objects.update(shares_with_network=True)
    result = crosscheck()
    assert not result.skipped
    rows = Report.objects.exclude(status__in=("draft", "rejected")).values_list(
        "pk", "organisation__code", "ref", "consent_share_with_network"
    )
    truth = {pk: data.truth_by_ref[(org, ref)] for pk, org, ref, _share in rows}
    shared = {pk for pk, _org, _ref, share in rows if share}
    organisation = {pk: org for pk, org, _ref, _share in rows}
    proposed = list(LinkCandidate.objects.values_list("report_a_id", "report_b_id"))
    assert all(organisation[a] == organisation[b] or {a, b} <= shared for a, b in proposed)
    # measured against the true pairs cross-checking may consider (one organisation's, or both shared)
    considered = considered_pairs(truth, organisation, shared)
    correct = [pair for pair in proposed if truth[pair[0]] == truth[pair[1]]]
    precision, recall = len(correct) / len(proposed), len(considered & set(proposed)) / len(considered)
    assert precision >= 0.95, (precision, recall)
    assert recall >= 0.85, (precision, recall)


def test_a_pair_in_a_crowd_starts_from_lower_odds_and_says_how_crowded(network: None, store: Any) -> None:
    save(
        [report("a"), report("b", date="2019-05-11", group={"size": 9, "nationalities": ["AF", "IR"]})], store
    )
    crosscheck()
    alone = crosscheck_pair("a", "b")
    assert alone.agreements["neighbours"] == 1.0
    # forty other groups pushed back around Bihać that week, some by another organisation that keeps its
    # reports to itself: those are not compared with nnk's, so they do not count
    crowd = [
        report(f"other-{k}", "nnk" if k < 30 else "rigardu", date=f"2019-05-{9 + k % 4:02d}",
               group={"size": 20 + k, "nationalities": ["PK"]}, violence=[{"type": "dog_attack"}])
        for k in range(40)
    ]  # fmt: skip
    save(crowd, store)
    sharing("nnk")
    crowded = crosscheck_pair("a", "b")
    assert crowded.agreements["neighbours"] == 31.0  # the other, and thirty of nnk's own reports
    assert crowded.agreements["prior"] < alone.agreements["prior"] / 5
    assert crowded.score < alone.score
    # one report changed: only it is read with all its candidates, and the pair takes its count
    Report.objects.update(updated_at=timezone.now() - dt.timedelta(days=3))
    Report.objects.filter(ref="a").update(updated_at=timezone.now())
    crosscheck(since=dt.date.today())
    assert LinkCandidate.objects.get(pk=crowded.pk).agreements["neighbours"] == 31.0
