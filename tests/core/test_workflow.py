"""The review workflow: only the steps of the framework, by the right roles, with what each step needs."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bordermonitor.core.records import STATUSES
from bordermonitor.core.workflow import CHECKLIST, TRANSITIONS, TransitionRefused, check, next_statuses

COMPLETE = {item.code: True for item in CHECKLIST}


def test_the_happy_path_of_a_testimony() -> None:
    steps = [
        ("draft", "submitted", {"documenter"}, {}),
        ("submitted", "in_review", {"reviewer"}, {}),
        ("in_review", "changes_requested", {"reviewer"}, {"comment": "Which night was it?"}),
        ("changes_requested", "submitted", {"documenter"}, {}),
        ("submitted", "in_review", {"reviewer"}, {}),
        ("in_review", "verified", {"reviewer"}, {"checklist": COMPLETE}),
        ("verified", "approved_for_publication", {"reviewer"}, {"consent_to_publish": True}),
    ]
    for source, target, roles, extra in steps:
        assert check(ref="nnk-1", status=source, target=target, roles=roles, **extra).target == target


def test_documenters_cannot_move_a_report_past_submitted() -> None:
    assert next_statuses("draft", {"documenter"}) == ["submitted"]
    assert next_statuses("submitted", {"documenter"}) == []
    with pytest.raises(TransitionRefused, match="needs the role admin or reviewer"):
        check(ref="nnk-1", status="submitted", target="in_review", roles={"documenter", "coordinator"})


def test_verification_needs_every_checklist_item() -> None:
    incomplete = {**COMPLETE, "narrative_reviewed": False}
    with pytest.raises(TransitionRefused, match="checklist is incomplete: narrative_reviewed"):
        check(ref="nnk-1", status="in_review", target="verified", roles={"reviewer"}, checklist=incomplete)


def test_approval_for_publication_needs_consent() -> None:
    for consent in (None, False):
        with pytest.raises(TransitionRefused, match="has not consented to publication"):
            check(
                ref="nnk-1", status="verified", target="approved_for_publication", roles={"reviewer"},
                consent_to_publish=consent,
            )  # fmt: skip


@pytest.mark.parametrize("source", ["submitted", "in_review", "changes_requested", "verified"])
def test_rejection_needs_a_reason(source: str) -> None:
    with pytest.raises(TransitionRefused, match="needs a comment"):
        check(ref="nnk-1", status=source, target="rejected", roles={"reviewer"}, comment="  ")
    assert check(
        ref="nnk-1", status=source, target="rejected", roles={"reviewer"}, comment="duplicate"
    ).target


def test_the_message_names_the_report_and_what_is_possible() -> None:
    with pytest.raises(TransitionRefused) as refused:
        check(ref="nnk-7", status="draft", target="verified", roles={"admin"})
    assert str(refused.value) == (
        "report 'nnk-7': draft → verified refused: not a step of the workflow (from draft: submitted)"
    )


@given(
    st.sampled_from(STATUSES),
    st.sampled_from(STATUSES),
    st.sets(st.sampled_from(["documenter", "reviewer", "coordinator", "analyst", "admin"])),
)
def test_next_statuses_are_exactly_the_moves_check_allows(source: str, target: str, roles: set[str]) -> None:
    try:
        check(
            ref="x",
            status=source,
            target=target,
            roles=roles,
            comment="why",
            checklist=COMPLETE,
            consent_to_publish=True,
        )
        allowed = True
    except TransitionRefused:
        allowed = False
    assert allowed == (target in next_statuses(source, roles))


def test_every_status_is_reachable_and_final_ones_stay_final() -> None:
    targets = {t.target for t in TRANSITIONS} | {"draft"}
    assert targets == set(STATUSES)
    assert next_statuses("rejected", {"admin"}) == []
    assert next_statuses("approved_for_publication", {"admin"}) == []
