"""The demo network's stakeholder register and mobilisation log, so that ``make demo`` shows the stakeholder
pages and the monitoring matrix's engagement and before/after columns straight away.

The authorities are the ones the demo testimonies name (``demo.borders``: each route's authorities and the
agency or army sometimes present), named and described, with the units of ``UNITS`` as units of their
authority, and one municipality. Their engagement with the network, the action plans, the measures and the
charter are invented demo material, like everything the testimonies say: an authority contacted, met and
acknowledging the reports (HR-police), one refusing (GR-coastguard), a municipality signing the charter, and an
adopted action plan (SI-police) with its targets and measures, adopted in the middle of the demo's dates
(2019–2025) so the matrix has incidents before and after it. Everything goes through the same storage functions
as the coordinators' pages, with their checks, engagement events and audit events.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from bordermonitor.demo.borders import ROUTES
from bordermonitor.storage.models import CharterVersion, Stakeholder, User
from bordermonitor.storage.stakeholders import (
    add_measure,
    add_target,
    create_charter_version,
    create_plan,
    create_stakeholder,
    log_engagement,
    sign_charter,
    update_stakeholder,
)

__all__ = ["CHARTER_TEXT", "demo_stakeholders"]

D = dt.date
COORDINATOR = "coordinator@network.demo"

# code: (name, kind, country, mandate)
AUTHORITIES: dict[str, tuple[str, str, str | None, str]] = {
    "HR-police": (
        "Croatian police (Ministry of the Interior)",
        "authority",
        "HR",
        "Polices Croatia's external borders with Bosnia and Herzegovina, Serbia and Montenegro; apprehends people "
        "crossing and decides on their return. Answers to the Ministry of the Interior.",
    ),
    "SI-police": (
        "Slovenian police",
        "authority",
        "SI",
        "Polices the border with Croatia along the Kupa river; registers asylum requests and hands people over "
        "to Croatia under the bilateral readmission agreement.",
    ),
    "IT-police": (
        "Italian State Police",
        "authority",
        "IT",
        "Border police at the Slovenian border near Trieste.",
    ),
    "HU-police": (
        "Hungarian police",
        "authority",
        "HU",
        "Polices the fence at the Serbian border and escorts people back through its gates.",
    ),
    "RO-border-police": (
        "Romanian Border Police",
        "authority",
        "RO",
        "Guards the border with Serbia in the Banat.",
    ),
    "GR-police": ("Hellenic Police", "authority", "GR", "Polices the Evros land border with Turkey."),
    "GR-coastguard": (
        "Hellenic Coast Guard",
        "authority",
        "GR",
        "Patrols the Aegean between the Greek islands and the Turkish coast; rescue at sea is its duty.",
    ),
    "MK-police": (
        "Police of North Macedonia",
        "authority",
        "MK",
        "Polices the border with Greece at Gevgelija.",
    ),
    "BG-border-police": ("Bulgarian Border Police", "authority", "BG", "Guards the border with Turkey."),
    "PL-border-guard": (
        "Polish Border Guard",
        "authority",
        "PL",
        "Guards the border with Belarus in Podlasie.",
    ),
    "PL-army": ("Polish Armed Forces", "authority", "PL", "Soldiers deployed along the border with Belarus."),
    "LT-border-guard": (
        "Lithuanian State Border Guard Service",
        "authority",
        "LT",
        "Guards the border with Belarus.",
    ),
    "FR-police": (
        "French National Police",
        "authority",
        "FR",
        "Border police at the Italian border (Menton, the Roya valley); refuses entry and returns "
        "people to Italy.",
    ),
    "frontex": (
        "Frontex, European Border and Coast Guard Agency",
        "agency",
        None,
        "Deploys officers to member states' border operations; its Fundamental Rights Officer "
        "receives complaints.",
    ),
    "IT-ventimiglia": (
        "Municipality of Ventimiglia",
        "municipality",
        "IT",
        "Runs the municipal police and the reception of people returned from France at the border.",
    ),
}

# authority code → (unit as the testimonies name it, unit code)
UNIT_CODES: dict[str, tuple[tuple[str, str], ...]] = {
    "HR-police": (("Intervention police", "HR-police-intervention"), ("Border police", "HR-police-border")),
    "SI-police": (("Border police", "SI-police-border"),),
    "IT-police": (("Border police", "IT-police-border"),),
    "HU-police": (("Riot police", "HU-police-riot"), ("Border police", "HU-police-border")),
    "GR-police": (("Border guard", "GR-police-border-guard"),),
    "FR-police": (("Police aux frontières", "FR-police-paf"),),
    "PL-border-guard": (("Border guard post", "PL-border-guard-post"),),
}

CHARTER_TITLE = "Charter for borders without violence"
CHARTER_TEXT = """The signatory commits to the following, for every officer and every person acting on its behalf.

1. No violence. No one is beaten, kicked, pushed to the ground, set upon by dogs, threatened with weapons or \
subjected to electric weapons. Force is used only where the law allows it, as little as needed, and every use \
of force is recorded.

2. No confiscation or destruction of belongings. Phones, money, documents, clothes and bags are not taken or \
destroyed. Whatever is lawfully seized is listed, a copy of the list is given to its owner, and it is returned.

3. Asylum requests are heard. Every person who asks for protection is registered and their request examined. \
No one who has asked for protection is returned without an individual, written decision.

4. No collective expulsion. Every person is identified and receives a written decision, in a language they \
understand, with the means of appealing it.

5. Identifiable officers. Officers on duty wear their identification number where it can be read and do not \
cover their faces.

6. Safety and dignity. No one is left at a border without water, food, shelter or medical care, or forced to \
undress or to cross water. Children, women and people who are injured or ill are protected first.

7. Access for monitors. Independent monitors, lawyers and doctors have access to police stations, places of \
detention and border areas.

8. Accountability. Complaints are investigated by a body independent of the officers concerned, and the \
signatory informs the network of the outcome."""


HISTORY: tuple[tuple[str, str, dt.date, str], ...] = (
    (
        "HR-police",
        "contacted",
        D(2020, 2, 17),
        "Letter to the Ministry of the Interior with 40 testimonies of pushbacks to Una-Sana canton "
        "since January, asking for a meeting.",
    ),
    (
        "HR-police",
        "meeting",
        D(2020, 6, 9),
        "Meeting with the border police directorate: the testimonies and photos of injuries "
        "presented; the directorate asked for dates and places of each incident.",
    ),
    (
        "HR-police",
        "acknowledged",
        D(2021, 3, 22),
        "Written answer of the directorate: it acknowledges the reports and announces an internal "
        "review of the intervention police's conduct at the border.",
    ),
    (
        "GR-coastguard",
        "contacted",
        D(2020, 9, 1),
        "Letter with the accounts of groups left adrift on life rafts off Lesvos and Samos, asking "
        "for the coast guard's rules of engagement.",
    ),
    (
        "GR-coastguard",
        "refused",
        D(2020, 12, 10),
        "Answer from the headquarters: it denies any pushback and declines a meeting.",
    ),
    (
        "frontex",
        "contacted",
        D(2021, 2, 1),
        "Complaint to the Fundamental Rights Officer about joint operations at the Bulgarian and "
        "Greek land borders.",
    ),
    (
        "frontex",
        "meeting",
        D(2021, 7, 14),
        "Meeting with the Fundamental Rights Office: serious incident reports discussed; it asked for"
        " the network's data on the Evros.",
    ),
    (
        "IT-ventimiglia",
        "contacted",
        D(2021, 5, 3),
        "Letter to the mayor about people returned from Menton at night without shelter.",
    ),
    (
        "IT-ventimiglia",
        "meeting",
        D(2021, 6, 21),
        "Meeting with the mayor's office and the municipal police: the charter presented.",
    ),
    (
        "SI-police",
        "contacted",
        D(2021, 1, 18),
        "Letter to the Police Directorate Novo mesto with accounts of asylum requests ignored at the Kupa.",
    ),
    (
        "SI-police",
        "meeting",
        D(2021, 4, 7),
        "Meeting at the directorate: interpreting at the stations of Črnomelj and Metlika discussed.",
    ),
    (
        "SI-police",
        "acknowledged",
        D(2021, 10, 5),
        "The directorate acknowledges that requests went unregistered and proposes an action plan.",
    ),
)
"""Engagement logged by hand: (stakeholder, stage, date, notes), in the order it happened."""


def _described(code: str) -> Stakeholder:
    name, kind, country, mandate = AUTHORITIES[code]
    existing = Stakeholder.objects.filter(code=code).first()
    if existing is None:
        return create_stakeholder(code=code, name=name, kind=kind, country=country, description=mandate)
    return update_stakeholder(
        existing, code=code, name=name, kind=kind, country=country, parent=None, description=mandate
    )


def _unit(authority: str, name: str, code: str) -> Stakeholder:
    existing = Stakeholder.objects.filter(code=code).first()
    if existing is None:
        return create_stakeholder(
            code=code, name=name, kind="unit", country=AUTHORITIES[authority][2], parent=authority
        )
    return existing


def demo_stakeholders() -> Iterator[str]:
    """Describe the demo's stakeholders and record their engagement, the charter and an adopted action plan."""
    used = {code for route in ROUTES for code in route.authorities}
    used |= {route.extra[0] for route in ROUTES if route.extra is not None}
    register = {code: _described(code) for code in sorted(used | set(AUTHORITIES))}
    units = [_unit(authority, name, code) for authority, named in UNIT_CODES.items() for name, code in named]
    yield f"stakeholders described: {len(register)} authorities, agencies and municipalities, {len(units)} units"
    if CharterVersion.objects.exists():
        yield "the demo's engagement log and charter are already recorded"
        return
    by = User.objects.filter(email=COORDINATOR).first()

    for code, stage, on, notes in HISTORY:
        log_engagement(register[code], stage=stage, on=on, notes=notes, by=by)

    charter = create_charter_version(title=CHARTER_TITLE, text=CHARTER_TEXT, published_on=D(2021, 9, 1))
    sign_charter(
        charter,
        stakeholder=register["IT-ventimiglia"],
        signed_on=D(2021, 12, 10),
        signed_by="Mayor's office",
        notes="Signed for the municipality and its municipal police.",
        by=by,
    )
    yield f"charter version {charter.version} published, signed by 1 municipality"

    plan = create_plan(
        register["SI-police"],
        title="Asylum requests registered at the Kupa border",
        status="adopted",
        adopted_on=D(2022, 3, 15),
        notes="Adopted by the Police Directorate Novo mesto after the meetings of 2021; reviewed every six months "
        "with the network.",
        by=by,
    )
    add_target(plan, area=None, violence="denial_of_asylum")  # wherever the chain of returns ends
    add_target(plan, area="si-hr-kupa", violence="arbitrary_detention")
    add_measure(
        plan,
        description="Interpreters for Arabic, Farsi, Pashto and Urdu on call at the police stations of Črnomelj "
        "and Metlika.",
        owner="Police Directorate Novo mesto",
        due_on=D(2022, 9, 30),
        status="implemented",
        implemented_on=D(2022, 11, 30),
        by=by,
    )
    add_measure(
        plan,
        description="Every person apprehended receives a written decision in a language they understand.",
        owner="Border police",
        due_on=D(2023, 6, 30),
        status="in_progress",
    )
    add_measure(
        plan,
        description="Monitors of the network admitted to the police stations once a month.",
        owner="Police Directorate Novo mesto",
        due_on=D(2023, 12, 31),
        status="planned",
    )
    proposed = create_plan(
        register["HR-police"],
        title="Identification numbers visible at the Bosnian border",
        status="proposed",
        notes="Proposed by the network after the directorate's answer of March 2021.",
        by=by,
    )
    add_target(proposed, area="hr-ba-una-sana", violence=None)
    yield "engagement logged for 5 stakeholders; 1 action plan adopted (SI-police, 2022-03-15), 1 proposed"
