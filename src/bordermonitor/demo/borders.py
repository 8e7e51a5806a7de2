"""The borders of the demo data: who pushes back to where, near which towns, and what is typically done there.

Each :class:`Route` is one border where pushbacks are documented: the expelling states and the state people
are left in, real border towns with their coordinates and regions, the authorities (stakeholder codes) and
how officers were described, the nationalities of the groups, and how often each kind of violence occurs
there (:data:`BASE_VIOLENCE` with the border's own differences). The towns are real places; everything said
to happen there is invented demo material, and no real person appears anywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = [
    "BASE_VIOLENCE",
    "OTHER_DETAILS",
    "ROUTES",
    "SEA_DETAIL",
    "SURROUNDINGS",
    "UNITS",
    "Place",
    "Route",
]


@dataclass(frozen=True, slots=True)
class Place:
    """A border town: where an incident is placed, a few kilometres around it."""

    town: str
    lat: float
    lon: float
    country: str
    region: str


@dataclass(frozen=True, slots=True)
class Route:
    """One border where pushbacks are documented: who expels, to where, near which towns, how."""

    weight: int
    expelled_by: tuple[str, ...]
    expelled_to: str
    setting: str  # forest | river | sea | city: the opening of a testimony
    route: str  # incident.route
    places: tuple[Place, ...]
    authorities: tuple[str, ...]  # stakeholder code per expelling state, in order
    extra: tuple[str, float] | None  # another perpetrator sometimes present (Frontex, the army)
    officers: tuple[str, ...]
    nationalities: tuple[tuple[str, int], ...]
    violence: Mapping[str, float]  # probabilities that differ from BASE_VIOLENCE at this border
    deaths: tuple[str, ...] = ()  # causes of death seen at this border; empty: no deaths generated
    no_violence: float = 0.04


def _places(country: str, region: str, *towns: tuple[str, float, float]) -> tuple[Place, ...]:
    return tuple(Place(name, lat, lon, country, region) for name, lat, lon in towns)


_UNA_SANA = _places(
    "BA",
    "Una-Sana Canton",
    ("Velika Kladuša", 45.1847, 15.8058),
    ("Zagrad", 45.1847, 15.7773),
    ("Bihać", 44.8169, 15.8708),
    ("Bužim", 45.0533, 16.0358),
    ("Cazin", 44.9667, 15.9431),
    ("Izačić", 44.8789, 15.7625),
    ("Šturlić", 45.0781, 15.7769),
)
_HR_BA = (
    *_places("HR", "Karlovac County", ("Cetingrad", 45.1553, 15.7286), ("Rakovica", 44.9975, 15.6394)),
    *_places("HR", "Karlovac County", ("Slunj", 45.1153, 15.5856), ("Maljevac", 45.1900, 15.7900)),
    *_places("HR", "Sisak-Moslavina County", ("Glina", 45.3378, 16.0928), ("Dvor", 45.0722, 16.3711)),
    *_places("HR", "Lika-Senj County", ("Korenica", 44.7453, 15.7064), ("Donji Lapac", 44.5567, 15.9758)),
)
_SI = (
    *_places("SI", "Southeast Slovenia", ("Črnomelj", 45.5711, 15.1889), ("Metlika", 45.6472, 15.3142)),
    *_places("SI", "Southeast Slovenia", ("Vinica", 45.4556, 15.2497), ("Kočevje", 45.6431, 14.8633)),
    *_places("SI", "Littoral–Inner Carniola", ("Ilirska Bistrica", 45.5667, 14.2408)),
)
_IT_NE = _places(
    "IT",
    "Friuli-Venezia Giulia",
    ("Trieste", 45.6495, 13.7768),
    ("Fernetti", 45.7030, 13.8340),
    ("Gorizia", 45.9413, 13.6219),
    ("Muggia", 45.6039, 13.7669),
)
_BALKANS: tuple[tuple[str, int], ...] = (
    ("AF", 25),
    ("PK", 20),
    ("SY", 10),
    ("BD", 8),
    ("MA", 8),
    ("DZ", 6),
    ("IQ", 6),
    ("IR", 5),
)
_BALKANS += (("TN", 4), ("EG", 3), ("PS", 3), ("IN", 2), ("NP", 2), ("TR", 2), ("BI", 1))
_EAST_MED: tuple[tuple[str, int], ...] = (
    ("AF", 20),
    ("SY", 20),
    ("PK", 12),
    ("TR", 8),
    ("MA", 6),
    ("IQ", 6),
    ("DZ", 5),
    ("IR", 4),
)
_EAST_MED += (("BD", 4), ("PS", 4), ("EG", 3), ("SO", 2), ("CD", 2), ("CM", 2))
_AEGEAN: tuple[tuple[str, int], ...] = (
    ("AF", 30),
    ("SY", 20),
    ("PS", 6),
    ("IQ", 6),
    ("SO", 6),
    ("CD", 6),
    ("CM", 5),
    ("ER", 5),
)
_AEGEAN += (("YE", 4), ("SD", 4), ("IR", 3))
_BELARUS: tuple[tuple[str, int], ...] = (
    ("IQ", 30),
    ("SY", 20),
    ("AF", 12),
    ("YE", 8),
    ("SO", 5),
    ("ET", 5),
    ("ER", 5),
    ("CM", 4),
)
_BELARUS += (("CD", 4), ("SD", 4), ("IR", 3), ("CU", 2), ("EG", 2))
_ALPS: tuple[tuple[str, int], ...] = (
    ("SD", 20),
    ("TN", 15),
    ("ER", 10),
    ("GN", 8),
    ("CI", 8),
    ("ML", 6),
    ("MA", 6),
    ("DZ", 6),
)
_ALPS += (("AF", 6), ("EG", 4), ("BD", 4), ("CM", 4), ("PK", 3))

_BALKAN_OFFICERS: tuple[str, ...] = (
    "black uniforms, balaclavas",
    "dark blue uniforms",
    "police vans",
    "officers with torches",
)
_BALKAN_OFFICERS += ("black uniforms, no visible insignia", "camouflage uniforms")

ROUTES: tuple[Route, ...] = (
    Route(
        weight=30,
        expelled_by=("HR",),
        expelled_to="BA",
        setting="forest",
        route="Western Balkans",
        places=_UNA_SANA + _HR_BA,
        authorities=("HR-police",),
        extra=None,
        officers=_BALKAN_OFFICERS,
        nationalities=_BALKANS,
        violence={
            "beating": 0.65,
            "theft_of_belongings": 0.5,
            "destruction_of_belongings": 0.5,
            "dangerous_transport": 0.3,
        },
        deaths=("drowning", "vehicle_accident"),
    ),
    Route(
        weight=8,
        expelled_by=("SI", "HR"),
        expelled_to="BA",
        setting="forest",
        route="Western Balkans",
        places=_SI + _UNA_SANA,
        authorities=("SI-police", "HR-police"),
        extra=None,
        officers=_BALKAN_OFFICERS,
        nationalities=_BALKANS,
        violence={
            "denial_of_asylum": 0.55,
            "arbitrary_detention": 0.3,
            "dangerous_transport": 0.35,
            "beating": 0.5,
        },
    ),
    Route(
        weight=3,
        expelled_by=("IT", "SI", "HR"),
        expelled_to="BA",
        setting="forest",
        route="Western Balkans",
        places=_IT_NE + _SI + _UNA_SANA,
        authorities=("IT-police", "SI-police", "HR-police"),
        extra=None,
        officers=_BALKAN_OFFICERS,
        nationalities=_BALKANS,
        violence={
            "denial_of_asylum": 0.65,
            "arbitrary_detention": 0.35,
            "document_confiscation": 0.15,
            "beating": 0.45,
        },
    ),
    Route(
        weight=5,
        expelled_by=("HR",),
        expelled_to="RS",
        setting="forest",
        route="Western Balkans",
        places=_places(
            "HR", "Vukovar-Srijem County", ("Tovarnik", 45.1650, 19.1510), ("Bapska", 45.1964, 19.2708)
        )
        + _places("RS", "Vojvodina", ("Šid", 45.1283, 19.2264)),
        authorities=("HR-police",),
        extra=None,
        officers=_BALKAN_OFFICERS,
        nationalities=_BALKANS,
        violence={"beating": 0.6, "theft_of_belongings": 0.5},
    ),
    Route(
        weight=12,
        expelled_by=("HU",),
        expelled_to="RS",
        setting="forest",
        route="Western Balkans",
        places=_places(
            "HU", "Csongrád-Csanád", ("Röszke", 46.1867, 20.0367), ("Ásotthalom", 46.1986, 19.7833)
        )
        + _places("HU", "Csongrád-Csanád", ("Mórahalom", 46.2183, 19.8850))
        + _places("HU", "Bács-Kiskun", ("Tompa", 46.2067, 19.5408))
        + _places("RS", "Vojvodina", ("Horgoš", 46.1558, 19.9711), ("Subotica", 46.1003, 19.6658))
        + _places("RS", "Vojvodina", ("Kelebija", 46.1500, 19.6100), ("Kanjiža", 46.0667, 20.0500)),
        authorities=("HU-police",),
        extra=None,
        officers=(
            "police uniforms, dogs",
            "riot police with helmets",
            "dark uniforms, balaclavas",
            "soldiers and police",
        ),
        nationalities=_BALKANS,
        violence={"dog_attack": 0.25, "chemical_irritant": 0.15, "beating": 0.5, "exposure": 0.12},
        deaths=("vehicle_accident",),
    ),
    Route(
        weight=6,
        expelled_by=("RO",),
        expelled_to="RS",
        setting="forest",
        route="Western Balkans",
        places=_places("RO", "Timiș", ("Jimbolia", 45.7917, 20.7167), ("Comloșu Mare", 45.8925, 20.6272))
        + _places("RO", "Timiș", ("Sânnicolau Mare", 46.0722, 20.6294))
        + _places("RS", "Vojvodina", ("Kikinda", 45.8297, 20.4653), ("Srpska Crnja", 45.7253, 20.6900)),
        authorities=("RO-border-police",),
        extra=("frontex", 0.08),
        officers=("border police uniforms", "officers with dogs", "grey uniforms"),
        nationalities=_BALKANS,
        violence={"beating": 0.45, "theft_of_belongings": 0.35, "dog_attack": 0.06},
    ),
    Route(
        weight=10,
        expelled_by=("GR",),
        expelled_to="TR",
        setting="river",
        route="Eastern Mediterranean",
        places=_places("GR", "Evros", ("Orestiada", 41.5031, 26.5297), ("Didymoteicho", 41.3500, 26.4967))
        + _places("GR", "Evros", ("Soufli", 41.2017, 26.3058), ("Feres", 40.8944, 26.1733))
        + _places("GR", "Evros", ("Nea Vyssa", 41.5850, 26.5350))
        + _places("TR", "Edirne", ("Edirne", 41.6771, 26.5557), ("Uzunköprü", 41.2667, 26.6875))
        + _places("TR", "Edirne", ("İpsala", 40.9208, 26.3833), ("Meriç", 41.1906, 26.4203)),
        authorities=("GR-police",),
        extra=("frontex", 0.1),
        officers=(
            "men in black without insignia, balaclavas",
            "commando uniforms",
            "police and soldiers",
            "dark uniforms",
        ),
        nationalities=_EAST_MED,
        violence={
            "forced_undressing": 0.4,
            "theft_of_belongings": 0.6,
            "water_abuse": 0.25,
            "arbitrary_detention": 0.45,
        },
        deaths=("drowning", "harsh_conditions", "violence"),
    ),
    Route(
        weight=5,
        expelled_by=("GR",),
        expelled_to="TR",
        setting="sea",
        route="Eastern Mediterranean",
        places=_places(
            "GR", "North Aegean", ("Mytilene", 39.1045, 26.5550), ("Skala Sykamineas", 39.3690, 26.3070)
        )
        + _places("GR", "North Aegean", ("Chios", 38.3710, 26.1360), ("Samos", 37.7567, 26.9775))
        + _places("TR", "İzmir", ("Dikili", 39.0714, 26.8889), ("Çeşme", 38.3236, 26.3028))
        + _places("TR", "Balıkesir", ("Ayvalık", 39.3167, 26.6944)),
        authorities=("GR-coastguard",),
        extra=("frontex", 0.12),
        officers=(
            "coast guard vessel, masked officers",
            "grey boat, officers with guns",
            "masked men on a fast boat",
        ),
        nationalities=_AEGEAN,
        violence={
            "beating": 0.25,
            "water_abuse": 0.3,
            "threat_with_weapon": 0.3,
            "firearm_discharge": 0.08,
            "collective_expulsion": 0.6,
            "dangerous_transport": 0.1,
            "destruction_of_belongings": 0.2,
        },
        deaths=("drowning",),
    ),
    Route(
        weight=4,
        expelled_by=("MK",),
        expelled_to="GR",
        setting="forest",
        route="Western Balkans",
        places=_places("MK", "Southeast", ("Gevgelija", 41.1392, 22.5025), ("Bogorodica", 41.1542, 22.5856))
        + _places("GR", "Central Macedonia", ("Idomeni", 41.1233, 22.5117), ("Polykastro", 40.9967, 22.5725)),
        authorities=("MK-police",),
        extra=None,
        officers=("police uniforms", "army uniforms", "officers in a jeep"),
        nationalities=_BALKANS,
        violence={"beating": 0.45, "dog_attack": 0.05},
    ),
    Route(
        weight=5,
        expelled_by=("BG",),
        expelled_to="TR",
        setting="forest",
        route="Eastern Mediterranean",
        places=_places("BG", "Burgas", ("Malko Tarnovo", 41.9794, 27.5258))
        + _places("BG", "Haskovo", ("Svilengrad", 41.7667, 26.2000), ("Kapitan Andreevo", 41.7167, 26.3167))
        + _places("BG", "Yambol", ("Elhovo", 42.1697, 26.5661), ("Lesovo", 41.9653, 26.5578))
        + _places("TR", "Kırklareli", ("Kırklareli", 41.7356, 27.2253), ("Dereköy", 41.9278, 27.3483))
        + _places("TR", "Edirne", ("Edirne", 41.6771, 26.5557)),
        authorities=("BG-border-police",),
        extra=("frontex", 0.1),
        officers=("border police uniforms, dogs", "black uniforms, balaclavas", "green uniforms"),
        nationalities=_EAST_MED,
        violence={"dog_attack": 0.3, "beating": 0.6, "theft_of_belongings": 0.55, "forced_undressing": 0.15},
        deaths=("harsh_conditions",),
    ),
    Route(
        weight=6,
        expelled_by=("PL",),
        expelled_to="BY",
        setting="forest",
        route="Belarus border",
        places=_places("PL", "Podlaskie", ("Kuźnica", 53.5139, 23.6442), ("Usnarz Górny", 53.4361, 23.6181))
        + _places("PL", "Podlaskie", ("Michałowo", 53.0347, 23.6047), ("Hajnówka", 52.7431, 23.5856))
        + _places("PL", "Podlaskie", ("Białowieża", 52.7000, 23.8667), ("Narewka", 52.8364, 23.7439))
        + _places("BY", "Grodno Region", ("Grodno", 53.6778, 23.8297), ("Bruzgi", 53.6269, 23.7236)),
        authorities=("PL-border-guard",),
        extra=("PL-army", 0.3),
        officers=(
            "border guard uniforms",
            "soldiers in camouflage",
            "officers with torches",
            "military vehicles",
        ),
        nationalities=_BELARUS,
        violence={
            "exposure": 0.5,
            "denial_of_necessities": 0.35,
            "chemical_irritant": 0.15,
            "beating": 0.3,
            "denial_of_asylum": 0.5,
            "dog_attack": 0.05,
        },
        deaths=("harsh_conditions", "sickness"),
    ),
    Route(
        weight=3,
        expelled_by=("LT",),
        expelled_to="BY",
        setting="forest",
        route="Belarus border",
        places=_places("LT", "Alytus County", ("Druskininkai", 54.0167, 23.9667))
        + _places("LT", "Alytus County", ("Kapčiamiestis", 54.0036, 23.6444))
        + _places("LT", "Vilnius County", ("Medininkai", 54.5389, 25.6522), ("Šalčininkai", 54.3000, 25.3833))
        + _places("LT", "Vilnius County", ("Adutiškis", 55.1500, 26.5833)),
        authorities=("LT-border-guard",),
        extra=("frontex", 0.1),
        officers=("border guard uniforms", "officers in balaclavas"),
        nationalities=_BELARUS,
        violence={"exposure": 0.4, "denial_of_asylum": 0.55, "beating": 0.25, "electric_shock": 0.04},
        deaths=("harsh_conditions",),
    ),
    Route(
        weight=4,
        expelled_by=("FR",),
        expelled_to="IT",
        setting="city",
        route="Franco-Italian border",
        places=_places("IT", "Liguria", ("Ventimiglia", 43.7903, 7.6083), ("Grimaldi", 43.7931, 7.5614))
        + _places("FR", "Alpes-Maritimes", ("Menton", 43.7750, 7.5000), ("Breil-sur-Roya", 43.9372, 7.5142))
        + _places("FR", "Alpes-Maritimes", ("Sospel", 43.8778, 7.4478)),
        authorities=("FR-police",),
        extra=None,
        officers=("border police uniforms", "officers at the station", "police vans"),
        nationalities=_ALPS,
        violence={
            "beating": 0.08,
            "kicking": 0.03,
            "arbitrary_detention": 0.6,
            "denial_of_necessities": 0.3,
            "denial_of_asylum": 0.5,
            "document_confiscation": 0.15,
            "verbal_abuse": 0.2,
            "theft_of_belongings": 0.05,
            "destruction_of_belongings": 0.03,
            "dangerous_transport": 0.05,
            "collective_expulsion": 0.2,
        },
        no_violence=0.3,
    ),
)

UNITS = {
    "HR-police": ("Intervention police", "Border police", None, None),
    "SI-police": ("Border police", None, None),
    "IT-police": ("Border police", None),
    "HU-police": ("Riot police", "Border police", None),
    "GR-police": ("Border guard", None, None),
    "FR-police": ("Police aux frontières", None),
    "PL-border-guard": ("Border guard post", None),
}

BASE_VIOLENCE = {
    "beating": 0.5, "kicking": 0.25, "pushing_to_ground": 0.12, "electric_shock": 0.02,
    "chemical_irritant": 0.08, "water_abuse": 0.03, "dog_attack": 0.02, "firearm_discharge": 0.03,
    "restraint": 0.06, "threat_with_weapon": 0.12, "verbal_abuse": 0.25, "forced_undressing": 0.08,
    "exposure": 0.08, "humiliation": 0.06, "sexual_violence": 0.01, "dangerous_transport": 0.15,
    "theft_of_belongings": 0.45, "destruction_of_belongings": 0.35, "document_confiscation": 0.06,
    "arbitrary_detention": 0.1, "denial_of_necessities": 0.08, "denial_of_asylum": 0.3,
    "collective_expulsion": 0.4,
}  # fmt: skip

OTHER_DETAILS = (
    "cutting up the shoe soles",
    "spray-painting crosses on people's heads",
    "shaving heads and beards",
    "throwing the group's food into the river",
    "making people lie face down in a line for hours",
    "playing loud music at the group all night",
)
SEA_DETAIL = "leaving people adrift on an inflatable life raft"

# How documenters name a place, by the setting of the border: "river bank near Orestiada".
SURROUNDINGS = {"forest": "forest near", "river": "river bank near", "sea": "sea off", "city": "road near"}
