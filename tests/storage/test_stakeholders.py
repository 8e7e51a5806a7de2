"""The stakeholder register and mobilisation log in storage: what the monitoring matrix reads (current stages,
names, adopted plans), the engagement events that plans, measures and signatures write, the incidents counted
per stakeholder, the rules that refuse bad input, and the audit trail."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from bordermonitor.storage.access import Access
from bordermonitor.storage.models import (
    ActionPlan,
    AuditEvent,
    EngagementEvent,
    Organisation,
    Report,
    Stakeholder,
)
from bordermonitor.storage.stakeholders import (
    STAGES,
    AdoptedPlan,
    Invalid,
    add_measure,
    add_target,
    adopted_plans,
    create_charter_version,
    create_plan,
    create_stakeholder,
    current_charter,
    engagement_stages,
    incidents_naming,
    log_engagement,
    remove_engagement,
    remove_measure,
    remove_signature,
    sign_charter,
    stage_of,
    stakeholder_names,
    update_charter_version,
    update_engagement,
    update_measure,
    update_plan,
    update_stakeholder,
)
from tests.storage.helpers import save

pytestmark = pytest.mark.django_db
D = dt.date
NOTE = "met the deputy chief, who promised an inquiry"  # must never reach the audit log


def _stakeholders() -> dict[str, Stakeholder]:
    police = create_stakeholder(code="HR-police", name="Croatian police", kind="authority", country="HR")
    unit = create_stakeholder(code="HR-police-intervention", kind="unit", parent="HR-police")
    subunit = create_stakeholder(
        code="HR-police-intervention-k9", kind="unit", parent="HR-police-intervention"
    )
    frontex = create_stakeholder(code="frontex", name="Frontex", kind="agency")
    quiet = create_stakeholder(code="SI-police")
    return {s.code: s for s in (police, unit, subunit, frontex, quiet)}


def test_the_stages_are_the_seven_of_the_methodology_in_order() -> None:
    assert STAGES == (
        "contacted",
        "meeting",
        "acknowledged",
        "charter_signed",
        "action_plan_adopted",
        "measure_implemented",
        "refused",
    )


def test_current_stage_is_the_latest_event_and_units_inherit_their_authoritys(network: None) -> None:
    s = _stakeholders()
    log_engagement(s["HR-police"], stage="contacted", on=D(2021, 1, 10))
    log_engagement(s["HR-police"], stage="refused", on=D(2021, 9, 1))
    # logged later but dated earlier: the date decides, not the order of logging
    log_engagement(s["HR-police"], stage="acknowledged", on=D(2021, 5, 1), notes=NOTE)
    log_engagement(s["frontex"], stage="meeting", on=D(2022, 3, 1))
    log_engagement(s["frontex"], stage="acknowledged", on=D(2022, 3, 1))  # same day: the later id wins

    stages = engagement_stages()
    assert stages["HR-police"] == "refused"  # a later refusal overrides an earlier acknowledgement
    assert stages["HR-police-intervention"] == "refused"  # a unit without events takes its authority's
    assert stages["HR-police-intervention-k9"] == "refused"  # and so on up
    assert stages["frontex"] == "acknowledged"
    assert stages["SI-police"] is None  # no event: no stage (not a default)

    log_engagement(s["HR-police-intervention"], stage="meeting", on=D(2020, 1, 1))
    stages = engagement_stages()
    assert stages["HR-police-intervention"] == "meeting"  # its own event wins, however old
    assert stages["HR-police-intervention-k9"] == "meeting"  # the nearest authority with events
    assert stage_of(s["HR-police-intervention-k9"]) == ("meeting", s["HR-police-intervention"])
    assert stage_of(s["HR-police"]) == ("refused", None)
    assert stage_of(s["SI-police"]) == (None, None)


def test_names_fall_back_to_the_code(network: None) -> None:
    _stakeholders()
    names = stakeholder_names()
    assert names["HR-police"] == "Croatian police"
    assert names["HR-police-intervention"] == "HR-police-intervention"
    assert set(names) == {
        "HR-police",
        "HR-police-intervention",
        "HR-police-intervention-k9",
        "frontex",
        "SI-police",
    }


def test_adopted_plans_carry_their_actors_targets_and_date(network: None) -> None:
    s = _stakeholders()
    adopted = create_plan(
        s["HR-police"], title="No more phones taken", status="adopted", adopted_on=D(2022, 3, 15)
    )
    add_target(adopted, area="hr-ba-una-sana", violence="theft_of_belongings")
    add_target(adopted, area=None, violence="destruction_of_belongings")
    add_target(adopted, area="grid:45:15.5", violence=None)
    everything = create_plan(s["frontex"], title="Monitoring", status="closed", adopted_on=D(2021, 6, 1))
    create_plan(s["frontex"], title="Only proposed", status="proposed")
    create_plan(s["SI-police"], title="Given up before adoption", status="abandoned")
    create_plan(s["SI-police"], title="Closed, adoption date unknown", status="closed")

    plans = adopted_plans()
    assert [p.title for p in plans] == ["Monitoring", "No more phones taken"]  # by adoption date
    assert plans[1] == AdoptedPlan(
        id=adopted.pk,
        title="No more phones taken",
        stakeholder="HR-police",
        actors=("HR-police", "HR-police-intervention", "HR-police-intervention-k9"),
        adopted_on=D(2022, 3, 15),
        targets=(
            ("hr-ba-una-sana", "theft_of_belongings"),
            (None, "destruction_of_belongings"),
            ("grid:45:15.5", None),
        ),
    )
    assert plans[0].id == everything.pk and plans[0].targets == () and plans[0].actors == ("frontex",)
    with pytest.raises(dataclasses.FrozenInstanceError):
        plans[0].title = "changed"  # type: ignore[misc]


def test_adopting_a_plan_writes_its_engagement_event_which_follows_the_adoption_date(network: None) -> None:
    s = _stakeholders()
    plan = create_plan(s["HR-police"], title="Plan", status="proposed")
    assert not EngagementEvent.objects.exists()
    values: dict[str, Any] = {"title": "Plan", "notes": None}
    update_plan(plan, status="adopted", adopted_on=D(2022, 3, 15), **values)
    (event,) = EngagementEvent.objects.all()
    assert (event.stage, event.on, event.plan_id, event.automatic) == (
        "action_plan_adopted",
        D(2022, 3, 15),
        plan.pk,
        True,
    )
    assert engagement_stages()["HR-police"] == "action_plan_adopted"

    update_plan(plan, status="adopted", adopted_on=D(2022, 4, 1), **values)  # a corrected date moves it
    assert EngagementEvent.objects.get().on == D(2022, 4, 1)
    update_plan(plan, status="closed", adopted_on=D(2022, 4, 1), **values)  # closing keeps the adoption
    assert EngagementEvent.objects.count() == 1
    update_plan(plan, status="proposed", adopted_on=None, **values)  # it was never adopted after all
    assert not EngagementEvent.objects.exists()
    removal = AuditEvent.objects.filter(object_type="engagementevent", action="delete").get()
    assert removal.details["reason"] and removal.details["stage"] == "action_plan_adopted"

    with pytest.raises(Invalid) as refused:
        update_plan(plan, status="adopted", adopted_on=None, **values)
    assert refused.value.field == "adopted_on" and f"action plan {plan.pk} of HR-police" in str(refused.value)
    with pytest.raises(Invalid) as refused:
        create_plan(s["HR-police"], title="Plan", status="proposed", adopted_on=D(2022, 1, 1))
    assert refused.value.field == "adopted_on"
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(Invalid) as refused:
        create_plan(s["HR-police"], title="Plan", status="adopted", adopted_on=tomorrow)
    assert refused.value.field == "adopted_on"
    assert ActionPlan.objects.count() == 1  # nothing saved by the refusals


def test_an_implemented_measure_writes_its_event_and_a_removed_one_takes_it_away(network: None) -> None:
    s = _stakeholders()
    plan = create_plan(s["HR-police"], title="Plan", status="adopted", adopted_on=D(2022, 3, 15))
    measure = add_measure(
        plan, description="Identification numbers visible on uniforms", owner="Chief of police"
    )
    assert EngagementEvent.objects.filter(stage="measure_implemented").count() == 0
    with pytest.raises(Invalid) as refused:
        update_measure(
            measure, description="x", owner=None, due_on=None, status="implemented", implemented_on=None
        )
    assert refused.value.field == "implemented_on"
    with pytest.raises(Invalid) as refused:
        update_measure(
            measure, description="x", owner=None, due_on=None, status="planned", implemented_on=D(2022, 1, 1)
        )
    assert refused.value.field == "implemented_on"
    update_measure(
        measure,
        description="Identification numbers visible on uniforms",
        owner="Chief of police",
        due_on=D(2030, 1, 1),  # a due date may lie ahead
        status="implemented",
        implemented_on=D(2022, 9, 1),
    )
    event = EngagementEvent.objects.get(stage="measure_implemented")
    assert (event.on, event.measure_id) == (D(2022, 9, 1), measure.pk)
    assert engagement_stages()["HR-police"] == "measure_implemented"
    remove_measure(measure)
    assert not EngagementEvent.objects.filter(stage="measure_implemented").exists()
    assert engagement_stages()["HR-police"] == "action_plan_adopted"
    second = add_measure(
        plan, description="Phones returned", status="implemented", implemented_on=D(2022, 10, 1)
    )
    assert EngagementEvent.objects.get(measure=second).on == D(2022, 10, 1)


def test_signing_the_charter_writes_charter_signed_and_removing_needs_a_reason(network: None) -> None:
    s = _stakeholders()
    municipality = create_stakeholder(
        code="BA-bihac", name="City of Bihać", kind="municipality", country="ba"
    )
    assert municipality.country == "BA"
    draft = create_charter_version(title="Charter", text="No violence.")
    assert draft.version == 1 and current_charter() is None  # a draft is not current
    with pytest.raises(Invalid) as refused:
        sign_charter(draft, stakeholder=municipality, signed_on=D(2022, 1, 1))
    assert refused.value.field == "charter"
    update_charter_version(draft, title="Charter", text="No violence.", published_on=D(2021, 11, 1))
    assert current_charter() == draft
    with pytest.raises(Invalid) as refused:
        sign_charter(draft, stakeholder=municipality, signed_on=D(2021, 10, 1))  # before publication
    assert refused.value.field == "signed_on"

    signature = sign_charter(
        draft, stakeholder=municipality, signed_on=D(2022, 2, 1), signed_by="Mayor's office"
    )
    event = EngagementEvent.objects.get(stakeholder=municipality)
    assert (event.stage, event.on, event.signature_id) == ("charter_signed", D(2022, 2, 1), signature.pk)
    with pytest.raises(Invalid) as refused:
        sign_charter(draft, stakeholder=municipality, signed_on=D(2022, 2, 2))
    assert refused.value.field == "stakeholder"
    with pytest.raises(Invalid) as refused:  # signed: the text stays as signed
        update_charter_version(draft, title="Charter", text="Changed.", published_on=D(2021, 11, 1))
    assert refused.value.field == "text"
    draft.refresh_from_db()
    assert draft.text == "No violence."
    second = create_charter_version(
        title="Charter", text="No violence. No phones taken.", published_on=D(2023, 1, 1)
    )
    assert second.version == 2 and current_charter() == second

    with pytest.raises(Invalid) as refused:
        remove_signature(signature, reason="  ")
    assert refused.value.field == "reason"
    remove_signature(signature, reason="recorded for the wrong municipality")
    assert not EngagementEvent.objects.filter(stakeholder=municipality).exists()
    audit = AuditEvent.objects.filter(object_type="chartersignature", action="delete").get()
    assert audit.details["reason"] == "recorded for the wrong municipality"
    assert s["HR-police"].signatures.count() == 0


def test_hand_logged_events_are_corrected_and_removed_with_a_reason_automatic_ones_are_not(
    network: None,
) -> None:
    s = _stakeholders()
    event = log_engagement(s["HR-police"], stage="contacted", on=D(2021, 1, 10), notes=NOTE)
    update_engagement(event, stage="meeting", on=D(2021, 1, 12), notes=NOTE + " (corrected)")
    event.refresh_from_db()
    assert (event.stage, event.on) == ("meeting", D(2021, 1, 12))
    with pytest.raises(Invalid) as refused:
        remove_engagement(event, reason="")
    assert refused.value.field == "reason"
    remove_engagement(event, reason="logged twice")
    assert not EngagementEvent.objects.filter(pk=event.pk).exists()
    removed = AuditEvent.objects.filter(object_type="engagementevent", action="delete").get()
    assert removed.details["reason"] == "logged twice" and removed.object_ref == "HR-police"

    plan = create_plan(s["HR-police"], title="Plan", status="adopted", adopted_on=D(2022, 3, 15))
    automatic = EngagementEvent.objects.get(plan=plan)
    for attempt in (
        lambda: update_engagement(automatic, stage="contacted", on=D(2022, 3, 15), notes=None),
        lambda: remove_engagement(automatic, reason="no"),
    ):
        with pytest.raises(Invalid):
            attempt()
    assert EngagementEvent.objects.filter(pk=automatic.pk, stage="action_plan_adopted").exists()

    with pytest.raises(Invalid) as refused:
        log_engagement(s["HR-police"], stage="promised", on=D(2021, 1, 1))
    assert refused.value.field == "stage"
    with pytest.raises(Invalid) as refused:
        log_engagement(s["HR-police"], stage="contacted", on=timezone.localdate() + dt.timedelta(days=2))
    assert refused.value.field == "on"
    with pytest.raises(Invalid) as refused:
        log_engagement(s["HR-police"], stage="contacted", on=D(1900, 1, 1))
    assert refused.value.field == "on"


def test_the_register_refuses_duplicate_codes_bad_countries_and_units_of_themselves(network: None) -> None:
    s = _stakeholders()
    for values, field in (
        ({"code": "hr-POLICE"}, "code"),  # the same code in other letters
        ({"code": "HR police"}, "code"),
        ({"code": ""}, "code"),
        ({"code": "x", "country": "Croatia"}, "country"),
        ({"code": "x", "parent": "nobody"}, "parent"),
        ({"code": "x", "kind": "militia"}, "kind"),
    ):
        with pytest.raises(Invalid) as refused:
            create_stakeholder(**values)
        assert refused.value.field == field, values
    police = s["HR-police"]
    kept = {"name": police.name, "kind": police.kind, "country": police.country, "description": None}
    with pytest.raises(Invalid) as refused:
        update_stakeholder(police, code="HR-police", parent="HR-police-intervention-k9", **kept)
    assert refused.value.field == "parent"
    with pytest.raises(Invalid):
        update_stakeholder(police, code="HR-police", parent="HR-police", **kept)
    update_stakeholder(police, code="HR-police", parent=None, **{**kept, "description": "Border police"})
    police.refresh_from_db()
    assert police.description == "Border police" and police.parent is None
    update = AuditEvent.objects.filter(object_type="stakeholder", action="update").get()
    assert update.details == {"changed": ["description"]}


def test_targets_are_codes_and_a_situation_is_targeted_once(network: None) -> None:
    s = _stakeholders()
    plan = create_plan(s["HR-police"], title="Plan")
    add_target(plan, area=" hr-ba-una-sana ", violence="beating")
    for area, violence, field in (
        ("hr-ba-una-sana", "beating", "area"),
        ("una sana", None, "area"),
        (None, "hitting", "violence"),
    ):
        with pytest.raises(Invalid) as refused:
            add_target(plan, area=area, violence=violence)
        assert refused.value.field == field
    assert list(plan.targets.values_list("area", "violence")) == [("hr-ba-una-sana", "beating")]


def _report(ref: str, organisation: str, authority: str | None, incident: str) -> dict[str, Any]:
    return {
        "ref": ref,
        "organisation": organisation,
        "kind": "testimony",
        "status": "submitted",
        "recorded_on": "2024-05-02",
        "consent": {"publish": True, "share_with_network": True, "legal_use": True},
        "incident": {
            "ref": incident,
            "date": "2024-05-01",
            "kind": "pushback",
            "perpetrators": [{"authority": authority}] if authority else [],
        },
    }


def test_incidents_naming_counts_incidents_of_the_visible_reports_naming_it_or_its_units(
    network: None, store: Any
) -> None:
    s = _stakeholders()
    save(
        [
            _report("a-1", "nnk", "HR-police", "inc-1"),
            _report("a-2", "nnk", "HR-police-intervention-k9", "inc-1"),  # same incident: counted once
            _report("a-3", "nnk", "HR-police-intervention", "inc-2"),
            _report("a-4", "nnk", "frontex", "inc-3"),
            _report("b-1", "rigardu", "HR-police", "inc-9"),  # another organisation's
        ],
        store,
    )
    nnk = Organisation.objects.get(code="nnk")
    rigardu = Organisation.objects.get(code="rigardu")
    member = Access(user_id=1, roles={nnk.pk: frozenset({"documenter"})})
    both = Access(user_id=2, roles={nnk.pk: frozenset({"reviewer"}), rigardu.pk: frozenset({"reviewer"})})
    nobody = Access(user_id=3)
    assert incidents_naming(member, s["HR-police"]) == 2
    assert incidents_naming(both, s["HR-police"]) == 3
    assert (
        incidents_naming(member, s["HR-police-intervention"]) == 2
    )  # itself and its unit, not its authority
    assert incidents_naming(member, s["frontex"]) == 1
    assert incidents_naming(member, s["SI-police"]) == 0
    assert incidents_naming(nobody, s["HR-police"]) == 0
    assert Report.objects.count() == 5


def test_every_change_is_audited_without_the_notes(network: None) -> None:
    s = _stakeholders()
    event = log_engagement(s["frontex"], stage="contacted", on=D(2021, 1, 1), notes=NOTE)
    update_engagement(event, stage="contacted", on=D(2021, 1, 2), notes=NOTE)
    plan = create_plan(s["frontex"], title="Plan", status="adopted", adopted_on=D(2022, 1, 1), notes=NOTE)
    add_measure(plan, description="Body cameras", status="implemented", implemented_on=D(2022, 6, 1))
    charter = create_charter_version(title="Charter", text="Text", published_on=D(2021, 1, 1))
    sign_charter(charter, stakeholder=s["frontex"], signed_on=D(2021, 2, 1), notes=NOTE)
    remove_engagement(event, reason="duplicate")
    seen = {(e.action, e.object_type) for e in AuditEvent.objects.all()}
    assert {
        ("create", "stakeholder"),
        ("create", "engagementevent"),
        ("update", "engagementevent"),
        ("delete", "engagementevent"),
        ("create", "actionplan"),
        ("create", "actionplanmeasure"),
        ("create", "charterversion"),
        ("create", "chartersignature"),
    } <= seen
    assert all(e.actor == "cli" and e.organisation is None for e in AuditEvent.objects.all())
    assert not any(NOTE in str(e.details) for e in AuditEvent.objects.all())


@pytest.fixture
def network(db: None) -> Iterator[None]:  # overrides the shared one: the two organisations the counts need
    from bordermonitor.storage.accounts import add_organisation
    from bordermonitor.storage.audit import acting_as

    with scopes_disabled(), acting_as("cli"):
        add_organisation(code="nnk", name="North Corridor Aid")
        add_organisation(code="rigardu", name="Rigardu Border Watch")
        yield


def test_the_demo_names_every_authority_of_its_testimonies_and_adopts_a_plan_inside_its_dates(
    network: None,
) -> None:
    from bordermonitor.demo.borders import ROUTES
    from bordermonitor.demo.stakeholders import demo_stakeholders

    Stakeholder.objects.create(code="HR-police")  # as an import creates it: kind unknown, no name
    lines = list(demo_stakeholders())
    assert lines[-1].startswith("engagement logged for 5 stakeholders")
    names = stakeholder_names()
    for route in ROUTES:
        for code in (*route.authorities, *([route.extra[0]] if route.extra else [])):
            assert names[code] != code, f"{code} is not described"
    assert Stakeholder.objects.get(code="HR-police").kind == "authority"
    stages = engagement_stages()
    assert stages["HR-police"] == "acknowledged" and stages["HR-police-intervention"] == "acknowledged"
    assert stages["GR-coastguard"] == "refused"
    assert stages["IT-ventimiglia"] == "charter_signed"
    assert stages["SI-police"] == "measure_implemented"
    (plan,) = adopted_plans()
    assert plan.stakeholder == "SI-police" and plan.actors == ("SI-police", "SI-police-border")
    assert D(2019, 1, 1) < plan.adopted_on < D(2025, 12, 31)  # the synthetic testimonies' dates
    assert plan.targets == ((None, "denial_of_asylum"), ("si-hr-kupa", "arbitrary_detention"))
    assert current_charter() is not None and "identification number" in current_charter().text  # type: ignore[union-attr]

    events = EngagementEvent.objects.count()
    again = list(demo_stakeholders())
    assert again[-1] == "the demo's engagement log and charter are already recorded"
    assert EngagementEvent.objects.count() == events
