"""A report's history (versions, workflow moves, audit events) and the review queries, within what the
reader may see, naming people only to their colleagues."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django_scopes import scope, scopes_disabled

from bordermonitor.core.validation import validate_report
from bordermonitor.storage.access import Access, NotVisible, access_for
from bordermonitor.storage.audit import acting_as, record
from bordermonitor.storage.editing import update_report
from bordermonitor.storage.history import history_of
from bordermonitor.storage.models import Report, User
from bordermonitor.storage.repositories.reports import record_of
from bordermonitor.storage.review import look_at, review_queue, shared_with_network
from bordermonitor.storage.workflow import move_report

pytestmark = pytest.mark.django_db


def _user(email: str) -> User:
    with scopes_disabled():
        return User.objects.get(email=email)


def _as(email: str) -> tuple[User, Access]:
    user = _user(email)
    return user, access_for(user)


@contextmanager
def _acting(access: Access) -> Iterator[None]:
    """Run as the person does in a request: in their scope, as the audit actor."""
    with scope(organisation=access.scope_orgs), acting_as(access.actor):
        yield


def _edit(email: str, report: Report, **group: Any) -> Report:
    _, access = _as(email)
    with _acting(access):
        current = Report.objects.select_related("organisation", "incident").get(pk=report.pk)
        raw = record_of(current)
        raw["incident"]["group"].update(group)
        return update_report(
            access=access,
            report=current,
            record=validate_report(raw, where="test").record,
            expected_version=current.version,
        )


def test_history_merges_versions_moves_and_events_in_time_order(network_world: dict[str, Report]) -> None:
    report = network_world["nnk-shared"]
    reviewer, access = _as("reviewer@nnk.test")
    with _acting(access):
        look_at(user=reviewer, report=report)  # keeps version 1 as the baseline
    _edit("admin@nnk.test", report, size=9)
    with _acting(access):
        current = Report.objects.select_related("organisation", "incident").get(pk=report.pk)
        move_report(current, target="in_review", roles=access.workflow_roles(current))
        record("view", current)
        shown, entries = history_of(access=access, pk=report.pk)
    assert shown.pk == report.pk
    kinds = [(e.kind, e.version or e.target or e.action) for e in entries]
    assert kinds == [("version", 1), ("version", 2), ("transition", "in_review"), ("event", "view")]
    assert [e.at for e in entries] == sorted(e.at for e in entries)
    baseline, edited, moved, viewed = entries
    assert baseline.actor.system == "system" and baseline.changes is None
    assert edited.changed == ["incident.group.size"]
    assert [(c.path, c.before, c.after) for c in edited.changes or []] == [("incident.group.size", 7, 9)]
    assert edited.actor.name == "admin@nnk.test"  # a colleague, by name
    assert moved.actor.you and viewed.actor.you


def test_people_of_another_organisation_are_not_named(network_world: dict[str, Report]) -> None:
    report = network_world["nnk-shared"]
    _edit("reviewer@nnk.test", report, size=8)
    _, access = _as("coordinator@network.test")
    with _acting(access):
        _, entries = history_of(access=access, pk=report.pk)
    (edited,) = [e for e in entries if e.kind == "version" and e.changed]  # after the kept baseline
    assert edited.actor.name is None
    assert edited.actor.organisation == "North Corridor Aid"


@pytest.mark.parametrize(
    ("email", "ref"),
    [
        ("analyst@nnk.test", "nnk-shared"),  # pseudonymised readers get no history
        ("reviewer@rigardu.test", "nnk-shared"),
        ("coordinator@network.test", "nnk-private"),  # not shared: no consent
        ("coordinator@network.test", "rig-shared"),  # rigardu does not share
        ("reviewer@nnk.test", "rig-shared"),
    ],
)
def test_history_only_for_those_who_see_the_record(
    network_world: dict[str, Report], email: str, ref: str
) -> None:
    _, access = _as(email)
    with _acting(access), pytest.raises(NotVisible):
        history_of(access=access, pk=network_world[ref].pk)


def test_the_queue_holds_what_waits_for_the_person(network_world: dict[str, Report]) -> None:
    reviewer, access = _as("reviewer@nnk.test")
    with _acting(access):
        queued = list(review_queue(access))
        assert [r.ref for r in queued] == ["nnk-shared", "nnk-private"]
        assert [r.seen_version for r in queued] == [None, None]
        look_at(user=reviewer, report=queued[0])
        assert [r.seen_version for r in review_queue(access)] == [1, None]
    _, access = _as("documenter@nnk.test")
    with _acting(access):
        assert list(review_queue(access)) == []  # nothing sent back to them
        report = Report.objects.select_related("organisation", "incident").get(ref="nnk-shared")
    _, admin = _as("admin@nnk.test")
    with _acting(admin):
        move_report(report, target="in_review", roles=admin.workflow_roles(report))
        move_report(report, target="changes_requested", roles=admin.workflow_roles(report), comment="date?")
    with _acting(access):
        assert [r.ref for r in review_queue(access)] == ["nnk-shared"]


def test_coordinators_see_what_the_network_shares(network_world: dict[str, Report]) -> None:
    _, access = _as("coordinator@network.test")
    with _acting(access):
        assert [r.ref for r in shared_with_network(access)] == ["nnk-shared"]
        assert list(review_queue(access)) == []
    _, access = _as("reviewer@nnk.test")
    with _acting(access):
        assert shared_with_network(access) == []


def test_the_network_sees_which_fields_changed_but_not_earlier_values(
    network_world: dict[str, Report],
) -> None:
    report = network_world["nnk-shared"]
    _edit("reviewer@nnk.test", report, size=8)
    for email, shows_values in (("reviewer@nnk.test", True), ("coordinator@network.test", False)):
        _, access = _as(email)
        with _acting(access):
            _, entries = history_of(access=access, pk=report.pk)
        (edited,) = [e for e in entries if e.kind == "version" and e.changed]
        assert edited.changed == ["incident.group.size"]
        assert (edited.changes is not None) is shows_values, email
