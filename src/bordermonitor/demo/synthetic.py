"""Synthetic testimonies in interchange format v1 (METHODOLOGY §5) for the demo network and the benchmarks.

The records look like what member organisations really exchange: pushbacks and chain pushbacks on the
Balkan route and at other external borders, places within a few kilometres of real border towns, dates known
to the day, month or year, groups with unknown counts left unknown, violence typology codes that occur
together the way they do in testimonies, perpetrator stakeholders, the whole review workflow, consent choices,
and short first-person narratives in Arabic, Farsi, Pashto, Urdu, French and English with an English
translation. About one report in twenty describes an incident another organisation has also recorded (same
``incident.ref``), so cross-checking and incident counts have something to find.

Nothing here is anyone's story: narratives are assembled from templates, and the rare name in a narrative is
an obvious placeholder (``Omar Example``). The generator is pure (no Django), deterministic for a seed and
fast: every pool is built once, and a record is a few dozen look-ups.
"""

from __future__ import annotations

import hashlib
import heapq
import random
import re
import struct
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from babel import Locale

from bordermonitor.core.records import FORMAT
from bordermonitor.core.typology import violence_type, violence_types

__all__ = ["LANGUAGES", "synthetic_reports"]

LANGUAGES = ("en", "ar", "fa", "ps", "ur", "fr")
"""Narrative languages, in the column order of the phrase tables below (English, the translation, first)."""

T = TypeVar("T")
Phrase = tuple[str, str, str, str, str, str]  # en, ar, fa, ps, ur, fr
_ORG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


# --------------------------------------------------------------------------------------------- places, routes


@dataclass(frozen=True, slots=True)
class _Place:
    town: str
    lat: float
    lon: float
    country: str
    region: str


@dataclass(frozen=True, slots=True)
class _Route:
    """One border where pushbacks are documented: who expels, to where, near which towns, how."""

    weight: int
    expelled_by: tuple[str, ...]
    expelled_to: str
    setting: str  # forest | river | sea | city: the opening of a testimony
    route: str  # incident.route
    places: tuple[_Place, ...]
    authorities: tuple[str, ...]  # stakeholder code per expelling state, in order
    extra: tuple[str, float] | None  # another perpetrator sometimes present (Frontex, the army)
    officers: tuple[str, ...]
    nationalities: tuple[tuple[str, int], ...]
    violence: Mapping[str, float]  # probabilities that differ from _BASE_VIOLENCE at this border
    deaths: tuple[str, ...] = ()  # causes of death seen at this border; empty: no deaths generated
    no_violence: float = 0.04


def _places(country: str, region: str, *towns: tuple[str, float, float]) -> tuple[_Place, ...]:
    return tuple(_Place(name, lat, lon, country, region) for name, lat, lon in towns)


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

_ROUTES: tuple[_Route, ...] = (
    _Route(
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
    _Route(
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
    _Route(
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
    _Route(
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
    _Route(
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
    _Route(
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
    _Route(
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
    _Route(
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
    _Route(
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
    _Route(
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
    _Route(
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
    _Route(
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
    _Route(
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

_UNITS = {
    "HR-police": ("Intervention police", "Border police", None, None),
    "SI-police": ("Border police", None, None),
    "IT-police": ("Border police", None),
    "HU-police": ("Riot police", "Border police", None),
    "GR-police": ("Border guard", None, None),
    "FR-police": ("Police aux frontières", None),
    "PL-border-guard": ("Border guard post", None),
}

_BASE_VIOLENCE = {
    "beating": 0.5, "kicking": 0.25, "pushing_to_ground": 0.12, "electric_shock": 0.02,
    "chemical_irritant": 0.08, "water_abuse": 0.03, "dog_attack": 0.02, "firearm_discharge": 0.03,
    "restraint": 0.06, "threat_with_weapon": 0.12, "verbal_abuse": 0.25, "forced_undressing": 0.08,
    "exposure": 0.08, "humiliation": 0.06, "sexual_violence": 0.01, "dangerous_transport": 0.15,
    "theft_of_belongings": 0.45, "destruction_of_belongings": 0.35, "document_confiscation": 0.06,
    "arbitrary_detention": 0.1, "denial_of_necessities": 0.08, "denial_of_asylum": 0.3,
    "collective_expulsion": 0.4,
}  # fmt: skip

_OTHER_DETAILS = (
    "cutting up the shoe soles",
    "spray-painting crosses on people's heads",
    "shaving heads and beards",
    "throwing the group's food into the river",
    "making people lie face down in a line for hours",
    "playing loud music at the group all night",
)
_SEA_DETAIL = "leaving people adrift on an inflatable life raft"

# -------------------------------------------------------------------------------------------- narratives

# Openings by setting: (templates with the group size {n}, templates without it). Slots: n, place, country.
_OPENINGS: dict[str, tuple[tuple[Phrase, ...], tuple[Phrase, ...]]] = {
    "forest": (
        (
            (
                "We were {n} people walking through the forest near {place} when the police in {country} "
                "caught us.",
                "كنا {n} أشخاص نمشي في الغابة قرب {place} عندما أمسكت بنا شرطة {country}.",
                "ما {n} نفر بودیم و در جنگل نزدیک {place} راه می‌رفتیم که پلیس {country} ما را گرفت.",
                "موږ {n} کسان وو او د {place} سره نږدې په ځنګل کې روان وو چې د {country} پولیسو ونیولو.",
                "ہم {n} لوگ {place} کے قریب جنگل میں چل رہے تھے جب {country} کی پولیس نے ہمیں پکڑ لیا۔",
                "Nous étions {n} à marcher dans la forêt près de {place} quand la police en {country} nous "
                "a arrêtés.",
            ),
            (
                "We were a group of {n}, hiding in the fields near {place}, when a police car from "
                "{country} stopped.",
                "كنا مجموعة من {n} أشخاص نختبئ في الحقول قرب {place} عندما توقفت سيارة شرطة من {country}.",
                "گروهی {n} نفره بودیم و در مزرعه‌های نزدیک {place} پنهان شده بودیم که یک ماشین پلیس "
                "{country} ایستاد.",
                "موږ {n} کسیزه ډله وو او د {place} سره نږدې په پټیو کې پټ وو چې د {country} د پولیسو یو "
                "موټر ودرېد.",
                "ہم {n} لوگوں کا گروپ تھے اور {place} کے قریب کھیتوں میں چھپے تھے جب {country} کی پولیس کی "
                "گاڑی رکی۔",
                "Nous étions un groupe de {n}, cachés dans les champs près de {place}, quand une voiture de "
                "police "
                "s'est arrêtée en {country}.",
            ),
        ),
        (
            (
                "We crossed the border at night near {place}, but after a few hours the police in {country} "
                "found us.",
                "عبرنا الحدود ليلاً قرب {place}، لكن بعد بضع ساعات وجدتنا شرطة {country}.",
                "شب از مرز نزدیک {place} رد شدیم، اما بعد از چند ساعت پلیس {country} ما را پیدا کرد.",
                "موږ د شپې د {place} سره نږدې له پولې تېر شو، خو څو ساعته وروسته د {country} پولیسو موږ "
                "پیدا کړو.",
                "ہم نے رات کو {place} کے قریب سرحد پار کی، لیکن چند گھنٹوں بعد {country} کی پولیس نے ہمیں "
                "ڈھونڈ لیا۔",
                "Nous avons traversé la frontière de nuit près de {place}, mais quelques heures plus tard "
                "la police "
                "en {country} nous a trouvés.",
            ),
        ),
    ),
    "river": (
        (
            (
                "We were {n} people and we crossed the river near {place} in a small boat; soldiers and "
                "police in "
                "{country} were waiting for us.",
                "كنا {n} أشخاص وعبرنا النهر قرب {place} في قارب صغير، وكان الجنود والشرطة في {country} "
                "ينتظروننا.",
                "ما {n} نفر بودیم و با یک قایق کوچک از رودخانه نزدیک {place} گذشتیم؛ سربازان و پلیس "
                "{country} "
                "منتظر ما بودند.",
                "موږ {n} کسان وو او د {place} سره نږدې په یوه کوچنۍ کښتۍ کې له سیند تېر شو؛ د {country} "
                "سرتېري "
                "او پولیس زموږ په انتظار وو.",
                "ہم {n} لوگ تھے اور {place} کے قریب ایک چھوٹی کشتی میں دریا پار کیا؛ {country} کے فوجی اور "
                "پولیس "
                "ہمارا انتظار کر رہے تھے۔",
                "Nous étions {n} et nous avons traversé le fleuve près de {place} dans un petit bateau ; "
                "des soldats "
                "et des policiers en {country} nous attendaient.",
            ),
        ),
        (
            (
                "After we crossed the river near {place}, men in black without any insignia stopped us and "
                "put us "
                "in a van.",
                "بعد أن عبرنا النهر قرب {place}، أوقفنا رجال بملابس سوداء بلا أي شارة ووضعونا في شاحنة "
                "صغيرة.",
                "بعد از اینکه از رودخانه نزدیک {place} گذشتیم، مردانی با لباس سیاه و بدون هیچ نشانی ما را "
                "گرفتند "
                "و سوار یک ون کردند.",
                "کله چې د {place} سره نږدې له سیند تېر شو، تور پوښاک لرونکو سړیو چې هیڅ نښه یې نه درلوده "
                "ودرولو "
                "او په یوه موټر کې یې واچولو.",
                "جب ہم نے {place} کے قریب دریا پار کیا تو بغیر کسی نشان کے کالے کپڑوں والے آدمیوں نے ہمیں "
                "روکا "
                "اور ایک وین میں ڈال دیا۔",
                "Après avoir traversé le fleuve près de {place}, des hommes en noir sans aucun insigne nous "
                "ont "
                "arrêtés et fait monter dans une camionnette.",
            ),
        ),
    ),
    "sea": (
        (
            (
                "We were {n} people in a rubber boat near {place} when the coast guard of {country} stopped "
                "us.",
                "كنا {n} أشخاص في قارب مطاطي قرب {place} عندما أوقفنا خفر سواحل {country}.",
                "ما {n} نفر در یک قایق بادی نزدیک {place} بودیم که گارد ساحلی {country} ما را متوقف کرد.",
                "موږ {n} کسان د {place} سره نږدې په یوه بادي کښتۍ کې وو چې د {country} ساحلي ساتونکو ودرولو.",
                "ہم {n} لوگ {place} کے قریب ربڑ کی کشتی میں تھے جب {country} کے کوسٹ گارڈ نے ہمیں روک لیا۔",
                "Nous étions {n} dans un bateau pneumatique près de {place} quand les garde-côtes de "
                "{country} nous "
                "ont arrêtés.",
            ),
        ),
        (
            (
                "Our boat had almost reached {place} when a coast guard vessel came, took our engine and "
                "pulled us "
                "back towards the open sea.",
                "كاد قاربنا أن يصل إلى {place} عندما جاء زورق لخفر السواحل، فأخذوا المحرك وسحبونا نحو البحر "
                "المفتوح.",
                "قایق ما تقریباً به {place} رسیده بود که یک قایق گارد ساحلی آمد، موتور ما را برداشت و ما را "
                "به سمت "
                "دریای آزاد کشید.",
                "زموږ کښتۍ {place} ته نږدې رسېدلې وه چې د ساحلي ساتونکو یوه بېړۍ راغله، انجن یې واخیست او "
                "موږ یې "
                "د خلاص سمندر په لور کش کړو.",
                "ہماری کشتی تقریباً {place} پہنچ چکی تھی کہ کوسٹ گارڈ کی ایک کشتی آئی، ہمارا انجن لے لیا "
                "اور ہمیں "
                "کھلے سمندر کی طرف کھینچ دیا۔",
                "Notre bateau avait presque atteint {place} quand une vedette des garde-côtes est arrivée, "
                "a pris "
                "notre moteur et nous a tirés vers le large.",
            ),
        ),
    ),
    "city": (
        (
            (
                "We were {n} people on a train near {place} when the police in {country} made us get off.",
                "كنا {n} أشخاص في القطار قرب {place} عندما أنزلتنا شرطة {country}.",
                "ما {n} نفر در قطار نزدیک {place} بودیم که پلیس {country} ما را پیاده کرد.",
                "موږ {n} کسان د {place} سره نږدې په ریل ګاډي کې وو چې د {country} پولیسو کښته کړو.",
                "ہم {n} لوگ {place} کے قریب ٹرین میں تھے جب {country} کی پولیس نے ہمیں اتار لیا۔",
                "Nous étions {n} dans un train près de {place} quand la police en {country} nous a fait "
                "descendre.",
            ),
        ),
        (
            (
                "We walked along the mountain path above {place}, but the police in {country} were waiting "
                "at the "
                "end of it.",
                "مشينا على الطريق الجبلي فوق {place}، لكن شرطة {country} كانت تنتظر في نهايته.",
                "از راه کوهستانی بالای {place} رفتیم، اما پلیس {country} در انتهای آن منتظر بود.",
                "موږ د {place} پورته د غره په لاره روان شو، خو د {country} پولیس د هغې په پای کې ولاړ وو.",
                "ہم {place} کے اوپر پہاڑی راستے پر چلے، لیکن {country} کی پولیس اس کے آخر میں انتظار کر رہی "
                "تھی۔",
                "Nous avons pris le sentier de montagne au-dessus de {place}, mais la police en {country} "
                "nous "
                "attendait au bout.",
            ),
        ),
    ),
}

# What happened, by violence code; several phrasings for the common ones. No slots.
_VIOLENCE_SENTENCES: dict[str, tuple[Phrase, ...]] = {
    "beating": (
        (
            "They beat us with batons, one by one, as we got out of the van.",
            "ضربونا بالهراوات واحداً تلو الآخر ونحن ننزل من الشاحنة.",
            "وقتی از ون پیاده می‌شدیم، یکی‌یکی ما را با باتوم زدند.",
            "کله چې له موټر څخه کښته کېدو، یو یو یې په ډنډو وهلو.",
            "جب ہم وین سے اتر رہے تھے تو انہوں نے ایک ایک کر کے ہمیں ڈنڈوں سے مارا۔",
            "Ils nous ont frappés à coups de matraque, un par un, à la sortie du fourgon.",
        ),
        (
            "An officer hit my friend on the head until he was bleeding.",
            "ضرب أحد الضباط صديقي على رأسه حتى سال منه الدم.",
            "یکی از مأموران آن‌قدر به سر دوستم زد که خونریزی کرد.",
            "یوه مامور زما ملګری په سر دومره ووهلو چې وینه ترې روانه شوه.",
            "ایک اہلکار نے میرے دوست کے سر پر اتنا مارا کہ اس کا خون بہنے لگا۔",
            "Un policier a frappé mon ami à la tête jusqu'à ce qu'il saigne.",
        ),
    ),
    "kicking": (
        (
            "When we were on the ground they kicked us in the back and in the stomach.",
            "عندما كنا على الأرض ركلونا في ظهورنا وبطوننا.",
            "وقتی روی زمین بودیم به کمر و شکممان لگد زدند.",
            "کله چې موږ پر ځمکه پراته وو، زموږ په شا او ګېډه یې لغتې ووهلې.",
            "جب ہم زمین پر تھے تو انہوں نے ہماری کمر اور پیٹ پر لاتیں ماریں۔",
            "Quand nous étions à terre, ils nous ont donné des coups de pied dans le dos et le ventre.",
        ),
    ),
    "pushing_to_ground": (
        (
            "They pushed us to the ground and made us lie face down in the mud.",
            "دفعونا إلى الأرض وأجبرونا على الاستلقاء على وجوهنا في الوحل.",
            "ما را روی زمین هل دادند و مجبورمان کردند با صورت در گِل دراز بکشیم.",
            "موږ یې پر ځمکه وغورځولو او مجبور یې کړو چې په خټو کې پر مخ پرېوځو.",
            "انہوں نے ہمیں زمین پر دھکا دیا اور کیچڑ میں منہ کے بل لیٹنے پر مجبور کیا۔",
            "Ils nous ont poussés par terre et obligés à rester allongés face contre la boue.",
        ),
    ),
    "electric_shock": (
        (
            "One of them used an electric stick on the men who tried to speak.",
            "استخدم أحدهم عصا كهربائية على الرجال الذين حاولوا الكلام.",
            "یکی از آنها با باتوم برقی به مردانی که می‌خواستند حرف بزنند شوک داد.",
            "یوه یې پر هغو سړیو برېښنايي لکړه وکاروله چې غوښتل خبرې وکړي.",
            "ان میں سے ایک نے بولنے کی کوشش کرنے والے مردوں پر بجلی والا ڈنڈا استعمال کیا۔",
            "L'un d'eux a utilisé une matraque électrique sur les hommes qui essayaient de parler.",
        ),
    ),
    "chemical_irritant": (
        (
            "They sprayed pepper spray in our eyes and we could not see anything.",
            "رشّوا رذاذ الفلفل في عيوننا فلم نعد نرى شيئاً.",
            "اسپری فلفل به چشم‌هایمان زدند و دیگر هیچ چیز نمی‌دیدیم.",
            "زموږ په سترګو کې یې د مرچو سپرې ووهله او هیڅ مو نه لیدل.",
            "انہوں نے ہماری آنکھوں میں مرچوں کا اسپرے کیا اور ہمیں کچھ دکھائی نہیں دیا۔",
            "Ils nous ont aspergé les yeux de gaz poivre et nous ne voyions plus rien.",
        ),
    ),
    "water_abuse": (
        (
            "They forced us to walk into the cold river up to our chest.",
            "أجبرونا على المشي في النهر البارد حتى صدورنا.",
            "مجبورمان کردند تا سینه در رودخانهٔ سرد راه برویم.",
            "مجبور یې کړو چې تر سینې پورې په سړو اوبو کې ننوځو.",
            "انہوں نے ہمیں ٹھنڈے دریا میں سینے تک چلنے پر مجبور کیا۔",
            "Ils nous ont forcés à entrer dans la rivière froide jusqu'à la poitrine.",
        ),
    ),
    "dog_attack": (
        (
            "They let a dog loose on us and it bit my friend on the leg.",
            "أطلقوا علينا كلباً فعضّ صديقي في ساقه.",
            "سگی را به طرف ما ول کردند و پای دوستم را گاز گرفت.",
            "یو سپی یې پر موږ خوشې کړ او زما د ملګري پښه یې وچیچله.",
            "انہوں نے ہم پر کتا چھوڑ دیا اور اس نے میرے دوست کی ٹانگ پر کاٹ لیا۔",
            "Ils ont lâché un chien sur nous et il a mordu mon ami à la jambe.",
        ),
    ),
    "firearm_discharge": (
        (
            "They fired shots into the air and one bullet hit the ground next to us.",
            "أطلقوا النار في الهواء وأصابت رصاصة الأرض بجانبنا.",
            "به هوا شلیک کردند و یک گلوله کنار ما به زمین خورد.",
            "هوا ته یې ډزې وکړې او یوه ګولۍ زموږ څنګ ته ځمکې ولګېده.",
            "انہوں نے ہوا میں گولیاں چلائیں اور ایک گولی ہمارے پاس زمین پر لگی۔",
            "Ils ont tiré en l'air et une balle a touché le sol à côté de nous.",
        ),
    ),
    "restraint": (
        (
            "They tied our hands with plastic straps and kept us kneeling for hours.",
            "ربطوا أيدينا بأشرطة بلاستيكية وأبقونا راكعين لساعات.",
            "دست‌هایمان را با بست پلاستیکی بستند و ساعت‌ها ما را زانو زده نگه داشتند.",
            "لاسونه یې په پلاستيکي تسمو وتړل او څو ساعته یې په زنګنونو کېنولو.",
            "انہوں نے ہمارے ہاتھ پلاسٹک کی پٹیوں سے باندھے اور گھنٹوں گھٹنوں کے بل رکھا۔",
            "Ils nous ont attaché les mains avec des colliers en plastique et nous ont laissés à genoux "
            "pendant "
            "des heures.",
        ),
    ),
    "threat_with_weapon": (
        (
            "An officer pointed his gun at my head and said he would shoot if we came back.",
            "صوّب أحد الضباط مسدسه نحو رأسي وقال إنه سيطلق النار إذا عدنا.",
            "یک مأمور اسلحه‌اش را به سرم گرفت و گفت اگر برگردیم شلیک می‌کند.",
            "یوه مامور خپله وسله زما سر ته ونیوله او ویې ویل چې که بېرته راشو ډز به وکړي.",
            "ایک اہلکار نے میرے سر پر بندوق تانی اور کہا کہ اگر ہم واپس آئے تو گولی مار دے گا۔",
            "Un policier a pointé son arme sur ma tête et a dit qu'il tirerait si nous revenions.",
        ),
    ),
    "verbal_abuse": (
        (
            "They laughed at us and insulted our religion the whole time.",
            "كانوا يضحكون علينا ويشتمون ديننا طوال الوقت.",
            "تمام مدت به ما می‌خندیدند و به دینمان توهین می‌کردند.",
            "ټول وخت یې پر موږ خندل او زموږ دین ته یې سپکاوی کاوه.",
            "وہ پورا وقت ہم پر ہنستے رہے اور ہمارے مذہب کی توہین کرتے رہے۔",
            "Ils se moquaient de nous et insultaient notre religion tout le temps.",
        ),
    ),
    "forced_undressing": (
        (
            "They made us take off our clothes and shoes and stand in the cold.",
            "أجبرونا على خلع ملابسنا وأحذيتنا والوقوف في البرد.",
            "مجبورمان کردند لباس‌ها و کفش‌هایمان را دربیاوریم و در سرما بایستیم.",
            "مجبور یې کړو چې جامې او بوټان وباسو او په یخنۍ کې ودرېږو.",
            "انہوں نے ہمیں کپڑے اور جوتے اتارنے اور سردی میں کھڑے رہنے پر مجبور کیا۔",
            "Ils nous ont obligés à enlever nos vêtements et nos chaussures et à rester debout dans le "
            "froid.",
        ),
    ),
    "exposure": (
        (
            "We spent the night outside in the cold without jackets, and they did not let us make a fire.",
            "قضينا الليل في العراء في البرد بلا سترات، ولم يسمحوا لنا بإشعال نار.",
            "شب را بدون کاپشن در سرمای بیرون گذراندیم و نگذاشتند آتش روشن کنیم.",
            "شپه مو بې جاکټه په یخنۍ کې بهر تېره کړه او اجازه یې رانکړه چې اور بل کړو.",
            "ہم نے رات بغیر جیکٹوں کے باہر سردی میں گزاری اور انہوں نے ہمیں آگ جلانے نہیں دی۔",
            "Nous avons passé la nuit dehors dans le froid sans veste, et ils ne nous ont pas laissés faire "
            "de feu.",
        ),
    ),
    "humiliation": (
        (
            "They filmed us with their phones and laughed while we were kneeling.",
            "صوّرونا بهواتفهم وكانوا يضحكون ونحن راكعون.",
            "با گوشی‌هایشان از ما فیلم گرفتند و وقتی زانو زده بودیم می‌خندیدند.",
            "په خپلو ټلیفونونو یې زموږ ویډیو اخیسته او کله چې پر زنګنونو وو، خندل یې.",
            "انہوں نے اپنے فونوں سے ہماری ویڈیو بنائی اور جب ہم گھٹنوں کے بل تھے تو ہنستے رہے۔",
            "Ils nous ont filmés avec leurs téléphones et riaient pendant que nous étions à genoux.",
        ),
    ),
    "sexual_violence": (
        (
            "During the search an officer touched us in a way I cannot describe.",
            "أثناء التفتيش لمسنا أحد الضباط بطريقة لا أستطيع وصفها.",
            "هنگام بازرسی یک مأمور ما را به شکلی لمس کرد که نمی‌توانم توصیفش کنم.",
            "د تلاشۍ پر مهال یوه مامور موږ داسې لمس کړو چې نه شم بیانولی.",
            "تلاشی کے دوران ایک اہلکار نے ہمیں اس طرح چھوا جسے میں بیان نہیں کر سکتا۔",
            "Pendant la fouille, un policier nous a touchés d'une manière que je ne peux pas décrire.",
        ),
    ),
    "dangerous_transport": (
        (
            "They locked us in a van with no air and drove very fast for hours; people were vomiting.",
            "حبسونا في شاحنة بلا هواء وقادوا بسرعة كبيرة لساعات، وكان الناس يتقيؤون.",
            "ما را در یک ون بدون هوا حبس کردند و ساعت‌ها خیلی تند رانندگی کردند؛ مردم بالا می‌آوردند.",
            "په یوه بې هوا موټر کې یې بند کړو او څو ساعته یې ډېر په چټکۍ وچلاوه؛ خلکو کانګې کولې.",
            "انہوں نے ہمیں بغیر ہوا والی وین میں بند کیا اور گھنٹوں بہت تیز چلاتے رہے؛ لوگ الٹیاں کر رہے "
            "تھے۔",
            "Ils nous ont enfermés dans un fourgon sans air et ont roulé très vite pendant des heures ; des "
            "gens "
            "vomissaient.",
        ),
    ),
    "theft_of_belongings": (
        (
            "They took our phones and our money and never gave them back.",
            "أخذوا هواتفنا ونقودنا ولم يعيدوها أبداً.",
            "گوشی‌ها و پول‌هایمان را گرفتند و هیچ‌وقت پس ندادند.",
            "زموږ ټلیفونونه او پیسې یې واخیستې او بېرته یې رانکړې.",
            "انہوں نے ہمارے فون اور پیسے لے لیے اور کبھی واپس نہیں کیے۔",
            "Ils ont pris nos téléphones et notre argent et ne nous les ont jamais rendus.",
        ),
        (
            "Before letting us go they searched our pockets and kept the money we had.",
            "قبل أن يطلقوا سراحنا فتشوا جيوبنا واحتفظوا بالمال الذي كان معنا.",
            "قبل از اینکه رهایمان کنند جیب‌هایمان را گشتند و پولی را که داشتیم برداشتند.",
            "مخکې له دې چې خوشې مو کړي، جېبونه یې ولټول او هغه پیسې یې وساتلې چې راسره وې.",
            "ہمیں چھوڑنے سے پہلے انہوں نے ہماری جیبوں کی تلاشی لی اور جو پیسے تھے رکھ لیے۔",
            "Avant de nous relâcher, ils ont fouillé nos poches et gardé l'argent que nous avions.",
        ),
    ),
    "destruction_of_belongings": (
        (
            "They burned our bags and sleeping bags in front of us and broke our phones.",
            "أحرقوا حقائبنا وأكياس نومنا أمامنا وكسروا هواتفنا.",
            "کیف‌ها و کیسه‌خواب‌هایمان را جلوی چشممان سوزاندند و گوشی‌هایمان را شکستند.",
            "زموږ بکسونه او د خوب کڅوړې یې زموږ مخې ته وسوځولې او ټلیفونونه یې مات کړل.",
            "انہوں نے ہمارے سامنے ہمارے بیگ اور سلیپنگ بیگ جلا دیے اور ہمارے فون توڑ دیے۔",
            "Ils ont brûlé nos sacs et nos sacs de couchage devant nous et cassé nos téléphones.",
        ),
    ),
    "document_confiscation": (
        (
            "They tore up the paper from the camp and the copy of my passport.",
            "مزّقوا ورقة المخيم ونسخة جواز سفري.",
            "برگهٔ کمپ و کپی پاسپورتم را پاره کردند.",
            "د کمپ کاغذ او زما د پاسپورټ کاپي یې وشلوله.",
            "انہوں نے کیمپ کا کاغذ اور میرے پاسپورٹ کی کاپی پھاڑ دی۔",
            "Ils ont déchiré le papier du camp et la copie de mon passeport.",
        ),
    ),
    "arbitrary_detention": (
        (
            "They kept us in a container for the whole night without telling us why.",
            "احتجزونا في حاوية طوال الليل دون أن يقولوا لنا السبب.",
            "تمام شب ما را در یک کانتینر نگه داشتند و نگفتند چرا.",
            "ټوله شپه یې په یوه کانټینر کې وساتلو او ونه یې ویل ولې.",
            "انہوں نے ہمیں پوری رات ایک کنٹینر میں رکھا اور وجہ نہیں بتائی۔",
            "Ils nous ont gardés toute la nuit dans un conteneur sans nous dire pourquoi.",
        ),
    ),
    "denial_of_necessities": (
        (
            "We asked for water and a doctor, but they gave us nothing.",
            "طلبنا ماءً وطبيباً، لكنهم لم يعطونا شيئاً.",
            "آب و دکتر خواستیم، اما هیچ چیزی به ما ندادند.",
            "موږ اوبه او ډاکټر وغوښت، خو هیڅ یې رانکړل.",
            "ہم نے پانی اور ڈاکٹر مانگا، لیکن انہوں نے ہمیں کچھ نہیں دیا۔",
            "Nous avons demandé de l'eau et un médecin, mais ils ne nous ont rien donné.",
        ),
    ),
    "denial_of_asylum": (
        (
            "We said 'asylum' many times, but they only laughed.",
            "قلنا «لجوء» مرات كثيرة، لكنهم ضحكوا فقط.",
            "بارها گفتیم «پناهندگی»، اما آنها فقط خندیدند.",
            "موږ څو ځله وویل «پناه غوښتنه»، خو هغوی یوازې وخندل.",
            "ہم نے کئی بار 'پناہ' کہا، لیکن وہ صرف ہنستے رہے۔",
            "Nous avons dit « asile » plusieurs fois, mais ils ont seulement ri.",
        ),
    ),
    "collective_expulsion": (
        (
            "Nobody asked our names; they sent the whole group back together.",
            "لم يسأل أحد عن أسمائنا؛ أعادوا المجموعة كلها معاً.",
            "هیچ‌کس اسممان را نپرسید؛ کل گروه را با هم برگرداندند.",
            "هیچا زموږ نومونه ونه پوښتل؛ ټوله ډله یې یوځای بېرته ولېږله.",
            "کسی نے ہمارے نام نہیں پوچھے؛ انہوں نے پورے گروپ کو ایک ساتھ واپس بھیج دیا۔",
            "Personne ne nous a demandé nos noms ; ils ont renvoyé tout le groupe ensemble.",
        ),
    ),
    "enforced_disappearance": (
        (
            "One of our friends was taken into another car, and we have not heard from him since.",
            "أُخذ أحد أصدقائنا في سيارة أخرى، ولم نسمع عنه شيئاً منذ ذلك الحين.",
            "یکی از دوستانمان را سوار ماشین دیگری کردند و از آن موقع هیچ خبری از او نداریم.",
            "زموږ یو ملګری یې بل موټر ته واچاوه، او له هغه وخته راهیسې مو ترې هیڅ خبر نه دی.",
            "ہمارے ایک دوست کو دوسری گاڑی میں لے گئے، اور تب سے ہمیں اس کی کوئی خبر نہیں ملی۔",
            "Un de nos amis a été emmené dans une autre voiture, et depuis nous n'avons aucune nouvelle de "
            "lui.",
        ),
    ),
    "death": (
        (
            "One man from our group did not survive; we could not help him.",
            "رجل من مجموعتنا لم ينجُ؛ لم نستطع مساعدته.",
            "یکی از مردان گروهمان زنده نماند؛ نتوانستیم کمکش کنیم.",
            "زموږ د ډلې یو سړی ژوندی پاتې نه شو؛ مرسته مو ورسره ونه شوه کولی.",
            "ہمارے گروپ کا ایک آدمی زندہ نہیں بچا؛ ہم اس کی مدد نہ کر سکے۔",
            "Un homme de notre groupe n'a pas survécu ; nous n'avons pas pu l'aider.",
        ),
    ),
    "no_violence": (
        (
            "They did not hit us, but they would not listen to anything we said.",
            "لم يضربونا، لكنهم لم يستمعوا إلى أي شيء قلناه.",
            "ما را نزدند، اما به هیچ حرفی که زدیم گوش ندادند.",
            "ونه یې وهلو، خو زموږ هیڅ خبرې ته یې غوږ ونه نیو.",
            "انہوں نے ہمیں مارا نہیں، لیکن ہماری کوئی بات نہیں سنی۔",
            "Ils ne nous ont pas frappés, mais ils n'ont rien voulu entendre de ce que nous disions.",
        ),
    ),
}

# A rare sentence naming a companion, with an obviously fictitious name (for the redaction tests). Slot: name.
_NAMED: Phrase = (
    "My friend {name} could not walk after that, so we had to carry him.",
    "صديقي {name} لم يستطع المشي بعد ذلك، فاضطررنا إلى حمله.",
    "دوستم {name} بعد از آن نمی‌توانست راه برود و مجبور شدیم او را حمل کنیم.",
    "زما ملګری {name} له هغې وروسته نه شو تللی، نو مجبور شو چې پورته یې کړو.",
    "میرا دوست {name} اس کے بعد چل نہیں سکتا تھا، اس لیے ہمیں اسے اٹھانا پڑا۔",
    "Mon ami {name} ne pouvait plus marcher après ça, alors nous avons dû le porter.",
)
_PLACEHOLDER_NAMES = ("Omar Example", "Karim Placeholder", "Yusuf Testname", "Reza Sample", "Bilal Fictive")

# Endings. Slot: left (the country where the group was left).
_CLOSINGS: tuple[Phrase, ...] = (
    (
        "Then they drove us to the border and told us to walk back to {left}.",
        "ثم أخذونا إلى الحدود وقالوا لنا أن نمشي عائدين إلى {left}.",
        "بعد ما را تا مرز بردند و گفتند پیاده به {left} برگردیم.",
        "بیا یې پولې ته یوړو او ویې ویل چې پلي بېرته {left} ته ولاړ شو.",
        "پھر وہ ہمیں سرحد تک لے گئے اور کہا کہ پیدل واپس {left} چلے جاؤ۔",
        "Ensuite ils nous ont conduits à la frontière et nous ont dit de retourner à pied en {left}.",
    ),
    (
        "At the border an officer shouted: 'Go back to {left} and never come again.'",
        "عند الحدود صرخ أحد الضباط: «ارجعوا إلى {left} ولا تعودوا أبداً».",
        "سر مرز یک مأمور فریاد زد: «برگردید {left} و دیگر هرگز نیایید.»",
        "په پوله یوه مامور چیغه کړه: «بېرته {left} ته ولاړ شئ او بیا مه راځئ.»",
        "سرحد پر ایک اہلکار چلایا: 'واپس {left} جاؤ اور دوبارہ کبھی مت آنا۔'",
        "À la frontière, un policier a crié : « Retournez en {left} et ne revenez jamais. »",
    ),
)
_CHAIN_CLOSING: Phrase = (
    "They handed us over to the police of the next country, and in the end we were left in {left}.",
    "سلّمونا إلى شرطة البلد التالي، وفي النهاية تُركنا في {left}.",
    "ما را به پلیس کشور بعدی تحویل دادند و آخرش در {left} رهایمان کردند.",
    "موږ یې د بل هېواد پولیسو ته وسپارلو، او په پای کې {left} کې پرېښودل شو.",
    "انہوں نے ہمیں اگلے ملک کی پولیس کے حوالے کیا، اور آخر میں ہمیں {left} میں چھوڑ دیا گیا۔",
    "Ils nous ont remis à la police du pays suivant, et à la fin on nous a laissés en {left}.",
)
_SETTING_CLOSINGS: dict[str, Phrase] = {
    "sea": (
        "They left us drifting on a life raft until the coast guard of {left} picked us up.",
        "تركونا على طوف نجاة في عرض البحر حتى التقطنا خفر سواحل {left}.",
        "ما را روی یک قایق نجات در دریا رها کردند تا اینکه گارد ساحلی {left} ما را گرفت.",
        "موږ یې په یوه ژغورونکې کښتۍ کې په سمندر کې پرېښودو تر هغه چې د {left} ساحلي ساتونکو راټول کړو.",
        "انہوں نے ہمیں سمندر میں ایک لائف رافٹ پر چھوڑ دیا یہاں تک کہ {left} کے کوسٹ گارڈ نے ہمیں اٹھا لیا۔",
        "Ils nous ont laissés dériver sur un radeau de survie jusqu'à ce que les garde-côtes de {left} nous "
        "récupèrent.",
    ),
    "river": (
        "They took us back across the river in a boat and left us on the {left} side.",
        "أعادونا عبر النهر بقارب وتركونا على الضفة الأخرى في {left}.",
        "ما را با قایق به آن طرف رودخانه برگرداندند و در سمت {left} رها کردند.",
        "په کښتۍ کې یې بېرته د سیند هاخوا یوړو او د {left} په غاړه یې پرېښودو.",
        "وہ ہمیں کشتی میں دریا کے پار واپس لے گئے اور {left} کی طرف چھوڑ دیا۔",
        "Ils nous ont fait retraverser le fleuve en bateau et nous ont laissés du côté de la {left}.",
    ),
}

# Witnesses (volunteers, residents) speak English or French: (en, fr). Slots: place, n, left.
_WITNESS_OPEN_N = (
    "I volunteer near {place}. That morning I saw a police van stop by the road and a group of about {n} "
    "people get out.",
    "Je suis bénévole près de {place}. Ce matin-là, j'ai vu un fourgon de police s'arrêter au bord de la "
    "route "
    "et un groupe d'environ {n} personnes en descendre.",
)
_WITNESS_OPEN = (
    "I live near {place}. Late at night I heard shouting and saw torches by the border.",
    "J'habite près de {place}. Tard dans la nuit, j'ai entendu des cris et vu des lampes près de la "
    "frontière.",
)
_WITNESS_SAW: dict[str, tuple[str, str]] = {
    "beating": ("hit them with batons", "les frapper à coups de matraque"),
    "kicking": ("kick the people who had fallen", "donner des coups de pied à ceux qui étaient tombés"),
    "pushing_to_ground": ("push them to the ground", "les pousser à terre"),
    "dog_attack": ("let a dog run at them", "lâcher un chien sur eux"),
    "chemical_irritant": ("use pepper spray on them", "les asperger de gaz poivre"),
    "destruction_of_belongings": ("burn their bags", "brûler leurs sacs"),
    "theft_of_belongings": ("go through their pockets", "fouiller leurs poches"),
    "verbal_abuse": ("shout insults at them", "les insulter"),
    "forced_undressing": ("make them take off their clothes", "les obliger à se déshabiller"),
    "water_abuse": ("push them into the water", "les pousser dans l'eau"),
    "firearm_discharge": ("fire shots into the air", "tirer en l'air"),
}
_WITNESS_SAW_DEFAULT = ("shout at them and push them along", "leur crier dessus et les pousser")
_WITNESS_LOST = {
    "death": (
        "Later I heard that one of them had died.",
        "Plus tard, j'ai appris que l'un d'eux était mort.",
    ),
    "enforced_disappearance": (
        "Later the others told me that one of them is still missing.",
        "Plus tard, les autres m'ont dit que l'un d'eux avait disparu.",
    ),
}
_WITNESS_TITLES = (
    "I saw the van stop, and then the shouting started",
    "They were limping when they walked back",
    "Torches by the border, then screams",
    "I watched them being sent back",
)
_WITNESS_CLOSE = (
    "Later the group walked back towards {left}; some of them were limping.",
    "Plus tard, le groupe est reparti vers la {left} ; certains boitaient.",
)

# Titles: invented quotes, by violence code.
_TITLES: dict[str, tuple[str, ...]] = {
    "beating": (
        "They beat us one by one as we came out of the van",
        "He hit my friend until he was bleeding",
        "Every time we asked a question they hit us",
    ),
    "kicking": ("They kicked us while we were lying on the ground",),
    "pushing_to_ground": ("Face down in the mud for hours",),
    "electric_shock": ("He used an electric stick on us",),
    "chemical_irritant": ("They sprayed something in our eyes and we could not see",),
    "water_abuse": ("They made us walk into the cold river",),
    "dog_attack": ("They let the dog bite us", "The dog was on my leg and they were laughing"),
    "firearm_discharge": ("They fired shots next to our heads",),
    "restraint": ("Hands tied with plastic for the whole night",),
    "threat_with_weapon": ("He put the gun to my head",),
    "verbal_abuse": ("They insulted our religion and laughed",),
    "forced_undressing": ("They made us take off our clothes in the cold",),
    "exposure": ("We slept in the cold without jackets",),
    "humiliation": ("They filmed us and laughed",),
    "sexual_violence": ("What they did during the search I cannot say",),
    "dangerous_transport": ("They drove like crazy and we could not breathe",),
    "theft_of_belongings": (
        "They took our phones and our money",
        "What kind of humanity takes our phones and money?",
    ),
    "destruction_of_belongings": (
        "They took our phones and burned our bags",
        "They burned everything we had",
    ),
    "document_confiscation": ("They tore up my papers in front of me",),
    "arbitrary_detention": ("A night in a container without knowing why",),
    "denial_of_necessities": ("We asked for water and they gave us nothing",),
    "denial_of_asylum": ("We said asylum, they said go back", "I asked for asylum and they laughed"),
    "collective_expulsion": ("Nobody asked our names",),
    "enforced_disappearance": ("We have not heard from him since that night",),
    "death": ("He did not survive the crossing",),
    "no_violence": ("They did not hit us, but they sent us back",),
}
_TITLE_DEFAULT = ("They sent us back without a word",)

# Narrative language by the first nationality of the group; the rest speak English in the interview.
_LANGUAGE_BY_NATIONALITY: dict[str, tuple[tuple[str, int], ...]] = {
    "AF": (("fa", 55), ("ps", 35), ("en", 10)),
    "IR": (("fa", 90), ("en", 10)),
    "PK": (("ur", 80), ("en", 20)),
    **{c: (("ar", 85), ("en", 15)) for c in ("SY", "IQ", "EG", "PS", "YE", "SD")},
    **{c: (("ar", 65), ("fr", 25), ("en", 10)) for c in ("MA", "DZ", "TN")},
    **{c: (("fr", 85), ("en", 15)) for c in ("CI", "GN", "ML", "CM", "CD", "BI", "SN")},
}


# ------------------------------------------------------------------------------------------------ pools

_ORDER = {t.code: i for i, t in enumerate(violence_types())}
_ADULT_AGES = ("18-30 years old", "20-35 years old", "between 19 and 40", "around 25")
_MIXED_AGES = ("16-45 years old", "between 5 and 40", "children, adults 20-35")
_AGE_RANGES = (_ADULT_AGES + _MIXED_AGES, _MIXED_AGES, _ADULT_AGES)  # minors unknown, some, none
_VOWELS = frozenset("AEIOUÁÀÂÉÈÊÍİÎÓÔÖÚÜ")
_SURROUNDINGS = {"forest": "forest near", "river": "river bank near", "sea": "sea off", "city": "road near"}
_GAP = "\x00"  # stands for the group size while templates are filled in advance


def _weighted(pairs: Sequence[tuple[T, int]]) -> tuple[T, ...]:
    """A look-up table where each item appears as often as its weight: one random index picks by weight."""
    return tuple(item for item, weight in pairs for _ in range(weight))


@dataclass(frozen=True, slots=True)
class _Scenario:
    """What was done, drawn in advance: violence codes and what goes with them (custody, asylum, injuries)."""

    items: tuple[tuple[str, str | None], ...]  # (code, detail) in typology order
    codes: frozenset[str]
    told: tuple[str, ...]  # codes the narrative tells, at most two, the most severe first
    severe: bool  # a code of severity 4 or more
    summary: str  # "beating, theft of belongings and cutting up the shoe soles", for media and official files
    kind: str  # incident kind: pushback, chain_pushback or detention
    taken: str  # taken_to_police_station
    hours: float | None  # detention_hours
    asylum: str  # asylum_requested
    injuries: str  # medical.injuries


Group = tuple[int | None, int | None, int | None, int | None, str, str | None]  # size, minors, women, men, …
Crew = tuple[int | None, int | None, str | None, tuple[tuple[str, str | None, str | None], ...]]


@dataclass(frozen=True, slots=True)
class _Spot:
    """A place of one border with its sentences filled in advance (country names, place name)."""

    place: _Place
    points: tuple[tuple[float, float], ...]  # 256 coordinates within about 3 km of the town
    names: tuple[str | None, ...]  # location.place as documenters write it, weighted
    sized: tuple[tuple[tuple[str, str], ...], ...]  # [template][language] -> text before and after the size
    unsized: tuple[tuple[str, ...], ...]  # [template][language]
    witness_sized: tuple[tuple[str, str], ...]  # [en, fr] -> text before and after the size
    witness_unsized: tuple[str, ...]  # [en, fr]
    where: str  # "from Slovenia through Croatia to Bosnia near Bihać"
    headlines: tuple[str, str]  # media, official


@dataclass(frozen=True, slots=True)
class _Border:
    """A route with everything a record on it is drawn from."""

    route: _Route
    scenarios: tuple[_Scenario, ...]
    crews: tuple[Crew, ...]  # officers (min, max, description) and perpetrators
    nationalities: tuple[tuple[str, ...], ...]
    spots: tuple[_Spot, ...]
    closings: tuple[tuple[str, ...], ...]  # weighted; [option][language]
    witness_closing: tuple[str, ...]  # [en, fr]


@dataclass(frozen=True, slots=True)
class _Pools:
    borders: tuple[_Border, ...]  # weighted
    languages: dict[str, tuple[tuple[str, int], ...]]  # by nationality: (language, column), weighted
    times: tuple[str, ...]
    groups: tuple[Group, ...]
    workflows: tuple[tuple[str, bool | None, bool | None, bool | None], ...]  # status and consent
    kinds: tuple[str, ...]
    precisions: tuple[float, ...]


def _scenario(route: _Route, rng: random.Random) -> _Scenario:
    """Codes drawn with this border's probabilities, then the ones that come together in testimonies."""
    chance = {**_BASE_VIOLENCE, **route.violence}
    codes = {code for code, p in chance.items() if rng.random() < p}
    if "beating" in codes:
        for code, p in (("theft_of_belongings", 0.35), ("destruction_of_belongings", 0.3), ("kicking", 0.25)):
            if rng.random() < p:
                codes.add(code)
    if "dog_attack" in codes and rng.random() < 0.5:
        codes.add("beating")
    if "forced_undressing" in codes:
        if rng.random() < 0.35:
            codes.add("exposure")
        if rng.random() < 0.4:
            codes.add("theft_of_belongings")
    if rng.random() < route.no_violence or not codes:
        codes = {"no_violence"} if rng.random() < 0.7 else {"no_violence", "collective_expulsion"}
    items: list[tuple[str, str | None]] = [(code, None) for code in sorted(codes, key=_ORDER.__getitem__)]
    if "no_violence" not in codes and rng.random() < 0.06:
        detail = _SEA_DETAIL if route.setting == "sea" and rng.random() < 0.6 else rng.choice(_OTHER_DETAILS)
        items.append(("other", detail))
    # Sorted, not in set order: set order changes with the interpreter's hash seed, the pools must not.
    tellable = sorted(
        (c for c in codes if c in _VIOLENCE_SENTENCES and c != "collective_expulsion"),
        key=lambda c: (-violence_type(c).severity, _ORDER[c]),
    )
    more = rng.sample(tellable[1:], 1) if len(tellable) > 1 and rng.random() < 0.65 else []
    told = tuple(tellable[:1] + more)
    if not told and "collective_expulsion" in codes:
        told = ("collective_expulsion",)
    severe = any(violence_type(c).severity >= 4 for c in codes)
    labels = [detail or violence_type(code).label("en").lower() for code, detail in items]
    summary = labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"

    kind = "chain_pushback" if len(route.expelled_by) > 1 else "pushback"
    if route.setting == "city" and rng.random() < 0.3:
        kind = "detention"  # held in the containers at the station before being sent back
    if route.setting == "sea":
        taken = "no" if rng.random() < 0.7 else "unknown"
    elif "arbitrary_detention" in codes and rng.random() < 0.7:
        taken = "yes"
    else:
        r = rng.random()
        taken = "yes" if r < 0.3 else "no" if r < 0.75 else "unknown"
    hours = None
    if taken == "yes" and rng.random() < 0.6:
        hours = float(2 + rng.randrange(14 if kind == "detention" else 46))
    r = rng.random()
    asylum = "yes" if "denial_of_asylum" in codes or r < 0.2 else "no" if r < 0.55 else "unknown"
    r = rng.random()
    if severe:
        injuries = "yes" if r < 0.75 else "unknown" if r < 0.95 else "no"
    elif "no_violence" in codes:
        injuries = "no" if r < 0.8 else "unknown"
    else:
        injuries = "no" if r < 0.4 else "yes" if r < 0.65 else "unknown"
    return _Scenario(
        tuple(items), frozenset(codes), told, severe, summary, kind, taken, hours, asylum, injuries
    )


def _crew(route: _Route, rng: random.Random) -> Crew:
    """How many officers, what they looked like, and which authorities (stakeholder codes) they belong to."""
    r = rng.random()
    if r < 0.55:
        low: int | None = 2 + rng.randrange(12)
        high = low
    elif r < 0.75:
        low = 2 + rng.randrange(15)
        high = low + 1 + rng.randrange(10)
    else:
        low = high = None
    looks = route.officers
    perpetrators: list[tuple[str, str | None, str | None]] = []
    if rng.random() < 0.96:
        for authority in route.authorities:
            described = rng.choice(looks) if rng.random() < 0.3 else None
            perpetrators.append((authority, rng.choice(_UNITS.get(authority, (None,))), described))
        if route.extra is not None and rng.random() < route.extra[1]:
            perpetrators.append((route.extra[0], None, None))
    return low, high, (rng.choice(looks) if rng.random() < 0.6 else None), tuple(perpetrators)


def _group(size: int | None, rng: random.Random) -> Group:
    """Counts that add up when all are known; any of them may be unknown, and unknown is not 0."""
    minors = women = men = None
    ages = None
    if size is None:
        involved = "unknown" if rng.random() < 0.8 else "yes"
    else:
        r = rng.random()
        if r < 0.62:
            minors = 0
        elif r < 0.85:
            minors = min(size, 1 + rng.randrange(max(1, size // 3)))
        room = size - (minors or 0)
        r = rng.random()
        if r < 0.72 or room == 0:
            women = 0
        elif r < 0.87:
            women = min(room, 1 + rng.randrange(max(1, room // 3)))
        if minors is not None and women is not None and rng.random() < 0.92:
            men = size - minors - women
        involved = "unknown" if minors is None else "yes" if minors else "no"
        if minors is not None and size <= 6 and rng.random() < 0.4:
            told = [rng.randint(2, 17) for _ in range(minors)] + [rng.randint(18, 47) for _ in range(room)]
            ages = ", ".join(str(age) for age in sorted(told))
    if ages is None and rng.random() < 0.25:
        ages = rng.choice(_AGE_RANGES[0 if minors is None else 1 if minors else 2])
    return size, minors, women, men, involved, ages


def _nationality_pool(route: _Route, rng: random.Random) -> tuple[tuple[str, ...], ...]:
    table = _weighted(route.nationalities)
    pool: list[tuple[str, ...]] = []
    for _ in range(512):
        r = rng.random()
        wanted = 0 if r < 0.06 else 1 if r < 0.8 else 2 if r < 0.95 else 3
        picked: list[str] = []
        while len(picked) < wanted:
            code = rng.choice(table)
            if code not in picked:
                picked.append(code)
        pool.append(tuple(picked))
    return tuple(pool)


def _country_names() -> tuple[dict[str, str], ...]:
    """Names of the states of every route in each narrative language (CLDR, through babel)."""
    codes = sorted({c for r in _ROUTES for c in (*r.expelled_by, r.expelled_to)})
    names = [{c: Locale.parse(language).territories[c] for c in codes} for language in LANGUAGES]
    names[0]["BA"] = "Bosnia"  # as people say it
    return tuple(names)


def _split(text: str) -> tuple[str, str]:
    before, _, after = text.partition(_GAP)
    return before, after


def _spot(route: _Route, place: _Place, names: tuple[dict[str, str], ...], rng: random.Random) -> _Spot:
    fr = LANGUAGES.index("fr")

    def fill(phrase: Sequence[str], column: int, language: int) -> str:
        text = phrase[column].format(
            n=_GAP,
            place=place.town,
            country=names[language][route.expelled_by[0]],
            left=names[language][route.expelled_to],
        )
        if language == fr and place.town[0] in _VOWELS:  # près d'Orestiada, not près de Orestiada
            text = text.replace(f" de {place.town}", f" d'{place.town}")
        return text

    sized, unsized = _OPENINGS[route.setting]
    if route.setting == "forest" and place.country not in route.expelled_by:
        sized = ()  # "walking through the forest near Bihać when the police in Croatia caught us" is wrong
    town = place.town
    english = names[0]
    states = " through ".join(english[s] for s in route.expelled_by)
    points = tuple(
        (
            round(place.lat + (rng.random() - 0.5) * 0.05, 4),  # ±2.8 km
            round(place.lon + (rng.random() - 0.5) * 0.07, 4),  # ±2.5-3 km at these latitudes
        )
        for _ in range(256)
    )
    return _Spot(
        place=place,
        points=points,
        names=_weighted([(town, 8), (f"near {town}", 9), (f"{_SURROUNDINGS[route.setting]} {town}", 3)]),
        sized=tuple(tuple(_split(fill(p, i, i)) for i in range(len(LANGUAGES))) for p in sized),
        unsized=tuple(tuple(fill(p, i, i) for i in range(len(LANGUAGES))) for p in unsized),
        witness_sized=(_split(fill(_WITNESS_OPEN_N, 0, 0)), _split(fill(_WITNESS_OPEN_N, 1, fr))),
        witness_unsized=(fill(_WITNESS_OPEN, 0, 0), fill(_WITNESS_OPEN, 1, fr)),
        where=f"from {states} to {english[route.expelled_to]} near {town}",
        headlines=(
            f"Group pushed back from {english[route.expelled_by[-1]]} to {english[route.expelled_to]} "
            f"near {town}",
            f"Complaint about a collective return near {town}",
        ),
    )


def _border(route: _Route, rng: random.Random, names: tuple[dict[str, str], ...]) -> _Border:
    def fill(phrase: Sequence[str], column: int, language: int) -> str:
        return phrase[column].format(left=names[language][route.expelled_to])

    def filled(phrase: Phrase) -> tuple[str, ...]:
        return tuple(fill(phrase, i, i) for i in range(len(LANGUAGES)))

    closings: tuple[tuple[str, ...], ...]
    if len(route.expelled_by) > 1:
        closings = (filled(_CHAIN_CLOSING),)
    elif route.setting == "sea":  # no border to walk back across
        closings = (filled(_SETTING_CLOSINGS["sea"]),)
    elif route.setting in _SETTING_CLOSINGS:  # the setting's own ending seven times in ten
        closings = (filled(_SETTING_CLOSINGS[route.setting]),) * 14 + tuple(filled(p) for p in _CLOSINGS) * 3
    else:
        closings = tuple(filled(p) for p in _CLOSINGS)
    fr = LANGUAGES.index("fr")
    return _Border(
        route=route,
        scenarios=tuple(_scenario(route, rng) for _ in range(1024)),
        crews=tuple(_crew(route, rng) for _ in range(256)),
        nationalities=_nationality_pool(route, rng),
        spots=tuple(_spot(route, place, names, rng) for place in route.places),
        closings=closings,
        witness_closing=(fill(_WITNESS_CLOSE, 0, 0), fill(_WITNESS_CLOSE, 1, fr)),
    )


@cache
def _pools() -> _Pools:
    """Every table a record is drawn from, built once from a fixed seed; records vary by the caller's seed."""
    rng = random.Random(20190606)  # noqa: S311 - synthetic data, not security
    names = _country_names()
    borders = {id(route): _border(route, rng, names) for route in _ROUTES}
    hours = [(f"{h:02d}", 6 if h < 6 or h >= 21 else 2) for h in range(24)]
    sizes: list[tuple[int | None, int]] = [
        (1, 5),
        (2, 9),
        (3, 10),
        (4, 10),
        (5, 9),
        (6, 8),
        (7, 7),
        (8, 7),
        (9, 5),
        (10, 5),
        (12, 4),
    ]
    sizes += [(15, 3), (18, 2), (20, 2), (25, 1), (30, 1), (40, 1), (None, 5)]
    statuses = [("approved_for_publication", 35), ("verified", 20), ("submitted", 22), ("in_review", 8)]
    statuses += [("draft", 6), ("changes_requested", 5), ("rejected", 4)]
    status_table = _weighted(statuses)
    size_table = _weighted(sizes)
    return _Pools(
        borders=_weighted([(borders[id(route)], route.weight) for route in _ROUTES]),
        languages={
            c: _weighted([((lang, LANGUAGES.index(lang)), n) for lang, n in w])
            for c, w in _LANGUAGE_BY_NATIONALITY.items()
        },
        times=tuple(f"{h}:{m:02d}" for h in _weighted(hours) for m in (0, 15, 30, 45, rng.randrange(60))),
        groups=tuple(_group(rng.choice(size_table), rng) for _ in range(4096)),
        workflows=tuple(_workflow(rng.choice(status_table), rng) for _ in range(1024)),
        kinds=_weighted([("testimony", 82), ("witness", 6), ("media", 7), ("official", 5)]),
        precisions=(100.0, 250.0, 500.0, 500.0, 1000.0, 1000.0, 1000.0, 2000.0, 2000.0, 5000.0),
    )


def _workflow(status: str, rng: random.Random) -> tuple[str, bool | None, bool | None, bool | None]:
    """A status and the consent given; nothing is approved for publication without consent to publish."""
    r = rng.random()
    publish = True if status == "approved_for_publication" or r < 0.7 else False if r < 0.85 else None
    r = rng.random()
    share = True if r < 0.75 else False if r < 0.9 else None
    r = rng.random()
    legal = True if r < 0.35 else False if r < 0.75 else None
    return status, publish, share, legal


# ------------------------------------------------------------------------------------------------ evidence


def _png(rng: random.Random, side: int = 10) -> bytes:
    """A tiny valid RGB PNG of random pixels (no text chunks: nothing for metadata stripping to find)."""

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    rows = b"".join(b"\x00" + rng.randbytes(3 * side) for _ in range(side))
    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _pdf(lines: Sequence[str]) -> bytes:
    """A one-page PDF showing ``lines`` (ASCII) in Helvetica, with a correct cross-reference table."""
    text = " 0 -16 Td ".join(f"({line})Tj" for line in lines)
    stream = f"BT /F1 11 Tf 36 120 Td {text} ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 320 160] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _write_evidence(
    directory: Path, ref: str, kinds: Sequence[str], rng: random.Random
) -> list[dict[str, Any]]:
    """Small files for one report under ``directory/evidence/<ref>/``, referenced as interchange v1 evidence.

    Contents come from ``rng``, a stream of this report's own, so writing them changes no other record.
    """
    folder = directory / "evidence" / ref
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for number, kind in enumerate(kinds, start=1):
        if kind == "photo":
            name, data, description = f"photo-{number}.png", _png(rng), rng.choice(_PHOTO_DESCRIPTIONS)
        else:
            title, description, note = _DOCUMENTS[kind]
            name = f"{kind.replace('_', '-')}-{number}.pdf"
            data = _pdf((f"Synthetic {title} (demo data)", f"Report {ref}, file {number}", note))
        (folder / name).write_bytes(data)
        out.append(
            {
                "path": f"evidence/{ref}/{name}",
                "kind": kind,
                "sha256": hashlib.sha256(data).hexdigest(),
                "description": description,
            }
        )
    return out


_DOCUMENTS = {  # kind: title, description, what the page says
    "medical_report": ("medical report", "medical report from a clinic", "Contusions on back and arms."),
    "document": ("document", "notice handed to the group", "Notice handed to the group."),
}
_PHOTO_DESCRIPTIONS = (
    "bruises on the back",
    "dog bite on the leg",
    "swollen wrist",
    "injuries on the arm",
    "burned belongings at the border",
    "broken phone",
)
_EVIDENCE_KINDS = _weighted([("photo", 6), ("medical_report", 3), ("document", 1)])


# ------------------------------------------------------------------------------------------------ records


@dataclass(slots=True)
class _Shared:
    """An incident another organisation will also report, waiting for its turn in the output."""

    incident: dict[str, Any]
    border: _Border
    spot: _Spot
    scenario: _Scenario
    day: int  # ordinal of the (hidden, exact) day it happened
    organisations: set[str]


def _copy(incident: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of an incident as made here (much faster than :func:`copy.deepcopy`)."""
    copy = dict(incident)
    for key in ("location", "officers", "medical"):
        copy[key] = dict(incident[key])
    group = copy["group"] = dict(incident["group"])
    group["nationalities"], group["origin_regions"] = (
        list(group["nationalities"]),
        list(group["origin_regions"]),
    )
    copy["perpetrators"] = [dict(p) for p in incident["perpetrators"]]
    copy["violence"] = [dict(v) for v in incident["violence"]]
    copy["expelled_by"], copy["causes_of_death"] = (
        list(incident["expelled_by"]),
        list(incident["causes_of_death"]),
    )
    return copy


class _Maker:
    """Makes the records of one call: its own random streams, reference counters and incidents to share."""

    def __init__(
        self, seed: int, organisations: Sequence[str], start: date, end: date, evidence_dir: Path | None
    ) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
        self.rnd = self.rng.random
        # Evidence draws have their own stream, so records are the same with and without evidence files.
        self.evidence_rng = random.Random(f"evidence:{seed}")  # noqa: S311
        self.seed = seed
        self.evidence_dir = evidence_dir
        self.pools = _pools()
        self.organisations = tuple(organisations)
        self.refs = dict.fromkeys(self.organisations, 0)
        self.incidents = dict.fromkeys(self.organisations, 0)
        self.first, self.days = start.toordinal(), end.toordinal() - start.toordinal() + 1
        self.last = end.toordinal()
        self.days_seen: dict[int, str] = {}
        self.due: list[tuple[int, int, _Shared]] = []  # (position in the output, tie-break, incident): a heap
        self.scheduled = 0

    def records(self, count: int) -> Iterator[dict[str, Any]]:
        made = 0
        while made < count:
            if self.due and self.due[0][0] <= made:
                record = self._corroborating(heapq.heappop(self.due)[2])
                if record is None:
                    continue
            else:
                record = self._first_report(made)
            made += 1
            yield record

    def _day(self, ordinal: int) -> str:
        """``YYYY-MM-DD`` of a day, remembered: there are only a few thousand days in a run."""
        text = self.days_seen.get(ordinal)
        if text is None:
            text = self.days_seen[ordinal] = date.fromordinal(ordinal).isoformat()
        return text

    def _first_report(self, position: int) -> dict[str, Any]:
        """A report that creates its incident; one in twenty-four gets one or two more reports later on."""
        rnd, pools = self.rnd, self.pools
        border = pools.borders[int(rnd() * len(pools.borders))]
        organisation = self.organisations[int(rnd() * len(self.organisations))]
        self.incidents[organisation] += 1
        day = self.first + int(rnd() * self.days)
        scenario = border.scenarios[int(rnd() * 1024)]
        spot = border.spots[int(rnd() * len(border.spots))]
        ref = f"{organisation}-inc-{self.incidents[organisation]:05d}"
        incident = self._incident(border, spot, day, scenario, ref)
        kind = pools.kinds[int(rnd() * len(pools.kinds))]
        if rnd() < 0.042:
            shared = _Shared(_copy(incident), border, spot, scenario, day, {organisation})
            for _ in range(1 + (rnd() < 0.25)):
                self.scheduled += 1
                heapq.heappush(self.due, (position + 1 + int(rnd() * 300), self.scheduled, shared))
        return self._report(organisation, kind, day, incident, border, spot, scenario)

    def _corroborating(self, shared: _Shared) -> dict[str, Any] | None:
        """Another organisation's report of a shared incident: a witness, or another person of the group."""
        rnd = self.rnd
        others = [o for o in self.organisations if o not in shared.organisations]
        if not others:
            if len(self.organisations) > 1:
                return None
            others = list(self.organisations)
        organisation = others[int(rnd() * len(others))]
        shared.organisations.add(organisation)
        incident = _copy(shared.incident)
        kind = "witness" if rnd() < 0.5 else "testimony"
        if kind == "witness":  # a bystander knows less about who the people were
            group = incident["group"]
            if rnd() < 0.5:
                group["nationalities"], group["origin_regions"], group["ages"] = [], [], None
            incident["asylum_requested"] = "unknown"
            incident["detention_hours"] = None
        return self._report(
            organisation, kind, shared.day, incident, shared.border, shared.spot, shared.scenario
        )

    def _incident(
        self, border: _Border, spot: _Spot, day: int, scenario: _Scenario, ref: str
    ) -> dict[str, Any]:
        """The incident as the source tells it."""
        rnd, pools, route = self.rnd, self.pools, border.route
        text = self._day(day)
        r = rnd()
        if r < 0.85:
            time = pools.times[int(rnd() * len(pools.times))] if rnd() < 0.45 else None
        else:  # known to the month or the year only
            text, time = text[:7] if r < 0.95 else text[:4], None
        size, minors, women, men, involved, ages = pools.groups[int(rnd() * 4096)]
        items, kind, injuries = scenario.items, scenario.kind, scenario.injuries
        dead = missing = survivors = None
        causes: list[str] = []
        if route.deaths and rnd() < 0.03:
            lethal = "death" if rnd() < 0.67 else "enforced_disappearance"
            kind = "death" if lethal == "death" else "disappearance"
            items = tuple(
                sorted((*(i for i in items if i[0] != "no_violence"), (lethal, None)), key=_item_order)
            )
            while size is not None and size < 3:  # someone lived to tell it
                size, minors, women, men, involved, ages = pools.groups[int(rnd() * 4096)]
            lost = 1 + (size is not None and size > 6 and rnd() < 0.3)
            if lethal == "death":
                dead, causes = lost, [route.deaths[int(rnd() * len(route.deaths))]]
            else:
                missing = lost
            survivors = None if size is None else size - lost
            injuries = "yes" if rnd() < 0.75 else "unknown"
        nationalities = list(border.nationalities[int(rnd() * 512)][:size])
        low, high, looks, crew = border.crews[int(rnd() * 256)]
        place = spot.place
        lat: float | None
        lon: float | None
        r = rnd()
        if r < 0.91:
            lat, lon = spot.points[int(rnd() * 256)]
            precision = pools.precisions[int(rnd() * 10)] if r < 0.86 else None
            name: str | None = spot.names[int(rnd() * 20)]
        else:  # no coordinates; sometimes not even a place name
            lat = lon = precision = None
            name = spot.names[int(rnd() * 20)] if r < 0.985 else None
        return {
            "ref": ref,
            "date": text,
            "time": time,
            "location": {
                "lat": lat,
                "lon": lon,
                "precision_m": precision,
                "place": name,
                "country": place.country,
                "region": place.region if rnd() < 0.9 else None,
            },
            "kind": kind,
            "expelled_by": list(route.expelled_by),
            "expelled_to": route.expelled_to,
            "group": {
                "size": size,
                "minors": minors,
                "women": women,
                "men": men,
                "minors_involved": involved,
                "ages": ages,
                "nationalities": nationalities,
                "origin_regions": ["Kurdistan Region of Iraq"]
                if "IQ" in nationalities and rnd() < 0.25
                else [],
            },
            "asylum_requested": scenario.asylum,
            "taken_to_police_station": scenario.taken,
            "detention_hours": scenario.hours,
            "officers": {"min": low, "max": high, "description": looks},
            "perpetrators": [{"authority": a, "unit": u, "description": d} for a, u, d in crew],
            "violence": [{"type": code, "detail": detail} for code, detail in items],
            "dead": dead,
            "missing": missing,
            "survivors": survivors,
            "causes_of_death": causes,
            "medical": {"injuries": injuries, "documented": None},
            "route": route.route,
        }

    def _report(
        self,
        organisation: str,
        kind: str,
        day: int,
        incident: dict[str, Any],
        border: _Border,
        spot: _Spot,
        scenario: _Scenario,
    ) -> dict[str, Any]:
        """The report around the incident: workflow, consent, title, narrative, evidence."""
        rnd, pools = self.rnd, self.pools
        recorded = self._day(max(day, min(day + int(rnd() ** 2 * 60), self.last)))
        self.refs[organisation] += 1
        ref = f"{organisation}-{recorded[:4]}-{self.refs[organisation]:05d}"
        status, publish, share, legal = pools.workflows[int(rnd() * 1024)]
        told = scenario.told
        if incident["dead"] or incident["missing"]:
            lethal = "death" if incident["dead"] else "enforced_disappearance"
            told = (lethal, *(c for c in told if c != "no_violence"))[:2]
        size = incident["group"]["size"]
        translation = None
        if kind == "testimony":
            first = incident["group"]["nationalities"]
            languages = pools.languages.get(first[0]) if first else None
            language, column = languages[int(rnd() * len(languages))] if languages else ("en", 0)
            text, translation = self._testimony(column, border, spot, size, told)
        elif kind == "witness":
            language = "fr" if rnd() < (0.7 if border.route.expelled_by == ("FR",) else 0.2) else "en"
            text, translation = self._witness(language == "fr", border, spot, size, told)
        else:
            language = "en"
            text = _public_account(kind, spot, incident, scenario)
        if kind == "testimony":
            options = _TITLES.get(told[0], _TITLE_DEFAULT) if told else _TITLE_DEFAULT
            title = options[int(rnd() * len(options))] if rnd() < 0.96 else None
        elif kind == "witness":
            title = _WITNESS_TITLES[int(rnd() * len(_WITNESS_TITLES))]
        else:
            title = spot.headlines[kind == "official"]
        return {
            "format": FORMAT,
            "ref": ref,
            "organisation": organisation,
            "kind": kind,
            "recorded_on": recorded,
            "status": status,
            "consent": {"publish": publish, "share_with_network": share, "legal_use": legal},
            "title": title,
            "narrative": {"text": text, "language": language, "translation_en": translation},
            "incident": incident,
            "evidence": self._evidence(ref, incident),
            "source": {
                "name": "synthetic",
                "url": f"https://news.example.org/{ref}" if kind == "media" else None,
                "quality": None,
                "original": {},
                "unparsed": [],
            },
        }

    def _testimony(
        self, column: int, border: _Border, spot: _Spot, size: int | None, told: tuple[str, ...]
    ) -> tuple[str, str | None]:
        """Opening, what was done (one or two sentences), ending: two to four sentences, and the English."""
        rnd = self.rnd
        if size is not None and size >= 3 and spot.sized and rnd() < 0.75:
            phrase = spot.sized[int(rnd() * len(spot.sized))]
            before, after = phrase[column]
            text = [f"{before}{size}{after}"]
            before, after = phrase[0]
            english = [f"{before}{size}{after}"]
        else:
            plain = spot.unsized[int(rnd() * len(spot.unsized))]
            text, english = [plain[column]], [plain[0]]
        for code in told:
            variants = _VIOLENCE_SENTENCES[code]
            sentence = variants[int(rnd() * len(variants))]
            text.append(sentence[column])
            english.append(sentence[0])
        if rnd() < 0.01:  # a companion named, with an obviously fictitious name
            name = _PLACEHOLDER_NAMES[int(rnd() * len(_PLACEHOLDER_NAMES))]
            at = 2 if len(text) > 2 else len(text)
            text[at:] = [_NAMED[column].format(name=name)]
            english[at:] = [_NAMED[0].format(name=name)]
        closing = border.closings[int(rnd() * len(border.closings))]
        text.append(closing[column])
        english.append(closing[0])
        return " ".join(text), (" ".join(english) if column else None)

    def _witness(
        self, french: bool, border: _Border, spot: _Spot, size: int | None, told: tuple[str, ...]
    ) -> tuple[str, str | None]:
        """A bystander's account in English or French: what they saw, and where the group went."""
        saw = next((_WITNESS_SAW[c] for c in told if c in _WITNESS_SAW), _WITNESS_SAW_DEFAULT)
        if size is not None and size >= 3:
            (before, after), (avant, apres) = spot.witness_sized
            english, french_text = f"{before}{size}{after}", f"{avant}{size}{apres}"
        else:
            english, french_text = spot.witness_unsized
        ending = _WITNESS_LOST.get(told[0], border.witness_closing) if told else border.witness_closing
        english = f"{english} I saw the officers {saw[0]}. {ending[0]}"
        if not french:
            return english, None
        return f"{french_text} J'ai vu les policiers {saw[1]}. {ending[1]}", english

    def _evidence(self, ref: str, incident: dict[str, Any]) -> list[dict[str, Any]]:
        """About one report in ten has one or two files; written only when there is a directory for them."""
        rng = self.evidence_rng
        if rng.random() >= 0.1:
            r = rng.random()
            incident["medical"]["documented"] = None if r < 0.7 else False if r < 0.9 else True
            return []
        kinds = [
            _EVIDENCE_KINDS[int(rng.random() * len(_EVIDENCE_KINDS))] for _ in range(1 + (rng.random() < 0.3))
        ]
        incident["medical"]["documented"] = True if "medical_report" in kinds else None
        if self.evidence_dir is None:
            return []
        return _write_evidence(self.evidence_dir, ref, kinds, random.Random(f"{self.seed}:{ref}"))  # noqa: S311


def _item_order(item: tuple[str, str | None]) -> int:
    return _ORDER[item[0]]


def _public_account(kind: str, spot: _Spot, incident: dict[str, Any], scenario: _Scenario) -> str:
    """A media article or an official file, summarised in English."""
    size = incident["group"]["size"]
    group = (
        "a group of people" if size is None else "one person" if size == 1 else f"a group of {size} people"
    )
    lost = {"death": " One person died.", "disappearance": " One person is still missing."}.get(
        incident["kind"], ""
    )
    calm = "no_violence" in scenario.codes
    if kind == "media":
        told = "says no violence was used" if calm else f"describes {scenario.summary}"
        return (
            f"A regional news site reported that {group} was pushed back {spot.where}. "
            f"The article {told}.{lost}"
        )
    told = "states that no violence was used" if calm else f"lists {scenario.summary}"
    return (
        f"An ombudsperson's case file records a complaint about {group} returned {spot.where} without any "
        f"individual procedure. The file {told}.{lost}"
    )


def synthetic_reports(
    *,
    count: int,
    seed: int = 1,
    organisations: Sequence[str] = ("nnk", "rigardu", "bvmn-demo"),
    start: date = date(2019, 1, 1),
    end: date = date(2025, 12, 31),
    evidence_dir: Path | None = None,
) -> Iterator[dict[str, Any]]:
    """``count`` synthetic reports as interchange-v1 dicts (every key present); same arguments, same records.

    Each dict is canonical: ``validate_report`` finds no issue and exports it unchanged. Incident dates fall
    between ``start`` and ``end``; reports are recorded up to two months later, never after ``end``. With
    ``evidence_dir``, about one report in ten gets one or two small files (PNG photos, PDF reports) written
    under ``evidence_dir/evidence/<ref>/`` and referenced by a path relative to ``evidence_dir`` with their
    SHA-256, so a JSONL file written in ``evidence_dir`` imports with its evidence.
    Arguments are checked before the first record is made: ``ValueError`` says which one is wrong.
    """
    if count < 0:
        raise ValueError(f"count is {count}; it must be 0 or more")
    if isinstance(organisations, str):
        raise ValueError(f"organisations is the text {organisations!r}; give a list of organisation codes")
    if not organisations:
        raise ValueError("organisations is empty; give at least one organisation code")
    for code in organisations:
        if not isinstance(code, str) or not _ORG.match(code):
            raise ValueError(
                f"organisation {code!r} is not an organisation code (lower-case letters, digits, '-', '_')"
            )
    if len(set(organisations)) != len(organisations):
        raise ValueError(f"organisations {list(organisations)!r} name an organisation twice")
    if start > end:
        raise ValueError(f"start {start.isoformat()} is after end {end.isoformat()}")
    return _Maker(seed, organisations, start, end, evidence_dir).records(count)
