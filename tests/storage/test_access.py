"""Who sees which report, and how (METHODOLOGY §1), decided in the storage layer."""

from __future__ import annotations

import pytest
from django_scopes import scope, scopes_disabled

from bordermonitor.storage.access import (
    FULL,
    NETWORK,
    PSEUDONYMISED,
    NotVisible,
    access_for,
    get_report,
    visible_reports,
)
from bordermonitor.storage.models import Report, User

pytestmark = pytest.mark.django_db


def _seen(email: str) -> dict[str, str | None]:
    with scopes_disabled():
        access = access_for(User.objects.get(email=email))
        reports = list(Report.objects.all())
    with scope(organisation=access.scope_orgs):
        listed = set(visible_reports(access).values_list("ref", flat=True))
    views = {r.ref: access.view_of(r) for r in reports}
    assert listed == {ref for ref, view in views.items() if view}, email
    return views


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        (
            "documenter@nnk.test",
            {"nnk-shared": FULL, "nnk-private": FULL, "nnk-draft": FULL, "rig-shared": None},
        ),
        (
            "reviewer@rigardu.test",
            {"nnk-shared": None, "nnk-private": None, "nnk-draft": None, "rig-shared": FULL},
        ),
        # rigardu does not share with the network; nnk's private report and draft stay with nnk
        (
            "coordinator@network.test",
            {"nnk-shared": NETWORK, "nnk-private": None, "nnk-draft": None, "rig-shared": None},
        ),
        (
            "analyst@nnk.test",
            {
                "nnk-shared": PSEUDONYMISED,
                "nnk-private": PSEUDONYMISED,
                "nnk-draft": None,
                "rig-shared": None,
            },
        ),
    ],
)
def test_each_role_sees_what_methodology_allows(
    network_world: dict[str, Report], email: str, expected: dict[str, str | None]
) -> None:
    assert _seen(email) == expected


def test_another_organisations_report_is_not_visible_whether_or_not_it_exists(
    network_world: dict[str, Report],
) -> None:
    with scopes_disabled():
        access = access_for(User.objects.get(email="reviewer@nnk.test"))
    with scope(organisation=access.scope_orgs):
        for pk in (network_world["rig-shared"].pk, 10**9, "nope"):
            with pytest.raises(NotVisible):
                get_report(access, pk)
        assert get_report(access, network_world["nnk-private"].pk).ref == "nnk-private"


def test_a_query_outside_any_scope_fails_loudly(network_world: dict[str, Report]) -> None:
    from django_scopes.exceptions import ScopeError

    with pytest.raises(ScopeError):
        list(Report.objects.all())


def test_roles_count_only_in_their_own_organisation(network_world: dict[str, Report]) -> None:
    with scopes_disabled():
        access = access_for(User.objects.get(email="reviewer@nnk.test"))
        report = network_world["rig-shared"]
        assert access.workflow_roles(report) == set()
        assert not access.can_edit(report)
        assert access.can_edit(network_world["nnk-shared"])
        documenter = access_for(User.objects.get(email="documenter@nnk.test"))
        assert not documenter.can_edit(network_world["nnk-shared"])  # submitted: the reviewers' turn
        assert documenter.can_edit(network_world["nnk-draft"])
