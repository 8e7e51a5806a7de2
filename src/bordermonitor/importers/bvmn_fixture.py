"""A realistic, messy BVMN legacy export (METHODOLOGY §5) for tests and the demo, with its ground truth.

Rows are invented (titles are invented quotes; authors are invented organisations; places are real border
areas) but have the mess of the real export: chain pushbacks (``Slovenia | Croatia``), misspelt countries
(``Hungaria``), empty and ``unknown`` cells, an author named ``Array``, free-text violence labels beside the
§3 labels, police ranges (``25-30``), ages told in many ways, regional origins (``Kurdistan Region of Iraq``),
decimal commas and coordinates that lost their decimal point.

The truth (:class:`LegacyTruth`) is computed while generating, from what each cell was meant to say, and not
by the importer: tests compare the two. The same ``seed`` always gives the same rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import re
import sqlite3
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from bordermonitor.importers.bvmn import COLUMNS

__all__ = ["LegacyTruth", "generate", "write_legacy"]

Cells = dict[str, str]


@dataclass(frozen=True, slots=True)
class LegacyTruth:
    """What a correct import of the generated rows must find (incidents are rows: one incident each)."""

    rows: int
    by_violence: Mapping[str, int]  # incidents per violence code, once per incident
    by_expelling_state: Mapping[str, int]  # incidents per state; a chain counts once for each state in it
    by_nationality: Mapping[str, int]  # incidents per nationality code
    by_year: Mapping[str, int]  # incidents per year of the incident date ("unknown" when undated)
    other_mentions: int  # violence items of type `other` (each label counts)
    chain_pushbacks: int
    minors_involved: int  # incidents with underage_involved = yes
    people_affected: int  # sum of the known group sizes
    free_texts: frozenset[str]  # violence labels that are not §3 labels, as written
    authors: frozenset[str]  # real organisation names in incident_author
    flagged: tuple[tuple[int, str, str], ...] = field(default=())  # (row, column, value) needing review


# --- the vocabulary of the export, each value with what it means -------------------------------------------

# §3 legacy labels and their codes, copied from METHODOLOGY (not read from the typology module, so a wrong
# alias table is caught by the tests).
_LABELS = (
    ("beating (with batons/hands/other)", "beating"),
    ("kicking", "kicking"),
    ("pushing people to the ground", "pushing_to_ground"),
    ("electric shock", "electric_shock"),
    ("pepper spray", "chemical_irritant"),
    ("water immersion", "water_abuse"),
    ("pouring water over one's head", "water_abuse"),
    ("dog attacks", "dog_attack"),
    ("gunshots", "firearm_discharge"),
    ("handcuffed", "restraint"),
    ("threatening with guns", "threat_with_weapon"),
    ("threatening with baton", "threat_with_weapon"),
    ("insulting", "verbal_abuse"),
    ("forcing to undress", "forced_undressing"),
    ("exposure to air condition and extreme temperature during car ride", "exposure"),
    ("sexual assault", "sexual_violence"),
    ("reckless driving", "dangerous_transport"),
    ("theft of personal belongings", "theft_of_belongings"),
    ("destruction of personal belongings", "destruction_of_belongings"),
    ("theft of official documents", "document_confiscation"),
)
# Free text whose meaning is beyond doubt.
_JUDGED = (
    ("dog attack", "dog_attack"),
    ("tear gas", "chemical_irritant"),
    ("beating", "beating"),
    ("insults", "verbal_abuse"),
    ("burning of belongings", "destruction_of_belongings"),
    ("electric shocks", "electric_shock"),
    ("forced to walk barefoot", "exposure"),
    ("no food or water", "denial_of_necessities"),
    ("handcuffing", "restraint"),
    ("gun shots", "firearm_discharge"),
    ("Theft of money", "theft_of_belongings"),
)
# Free text that fits no code for sure: imported as `other` with the text as detail.
_OTHER = (
    "cutting up the shoe soles",
    "spraying paint on heads",
    "threats",
    "photographing the group",
    "held in a garage for two days",
    "forced to cross the river at night",
    "shining torches in the eyes",
    "mocking",
)


@dataclass(frozen=True, slots=True)
class _Route:
    weight: int
    start: tuple[tuple[str, tuple[str, ...]], ...]  # pushback_from cells with the states they mean
    end: tuple[tuple[str, str], ...]  # pushback_to cells with the state where the group was left
    places: tuple[tuple[str, float, float], ...]


_BOSNIA = (
    ("Croatia | Bosnia and Herzegovina", "BA"),
    ("Bosnia and Herzegovina", "BA"),
    ("Bosnia and Herzegovina", "BA"),
)
_BIH_PLACES = (
    ("near Velika Kladuša", 45.1847, 15.8056),
    ("Šturlić", 45.0750, 15.7853),
    ("near Bihać", 44.8169, 15.8700),
    ("Maljevac border crossing", 45.1900, 15.7900),
)
_ROUTES = (
    _Route(
        26,
        (("Slovenia | Croatia", ("SI", "HR")),) * 12 + (("Sloveina | Croatia", ("SI", "HR")),),
        _BOSNIA,
        _BIH_PLACES,
    ),
    _Route(4, (("Italy | Slovenia | Croatia", ("IT", "SI", "HR")),), _BOSNIA, _BIH_PLACES),
    _Route(2, (("Austria | Slovenia | Croatia", ("AT", "SI", "HR")),), _BOSNIA, _BIH_PLACES),
    _Route(22, (("Croatia", ("HR",)), (" croatia ", ("HR",))), _BOSNIA[1:], _BIH_PLACES),
    _Route(
        8,
        (("Croatia", ("HR",)),),
        (("Serbia", "RS"),),
        (("Šid", 45.1283, 19.2264), ("near Tovarnik", 45.1650, 19.1520)),
    ),
    _Route(
        14,
        (("Hungary", ("HU",)), ("Hungaria", ("HU",))),
        (("Serbia", "RS"),),
        (("Horgoš", 46.1553, 19.9706), ("Kelebija", 46.1750, 19.6128), ("near Subotica", 46.1000, 19.6650)),
    ),
    _Route(
        3,
        (("Hungary | Serbia", ("HU", "RS")),),
        (("Serbia | North Macedonia", "MK"),),
        (("near Lojane", 42.2300, 21.6600),),
    ),
    _Route(
        7,
        (("Romania", ("RO",)),),
        (("Serbia", "RS"),),
        (("near Jimbolia", 45.7911, 20.7169), ("near Kikinda", 45.8297, 20.4653)),
    ),
    _Route(
        7,
        (("Greece", ("GR",)),),
        (("Turkey", "TR"),),
        (("Evros river near Soufli", 41.2000, 26.3000), ("near Orestiada", 41.5030, 26.5310)),
    ),
    _Route(
        4,
        (("North Macedonia", ("MK",)),),
        (("Greece", "GR"),),
        (("near Gevgelija", 41.1400, 22.5000),),
    ),
    _Route(
        3,
        (("Bulgaria", ("BG",)),),
        (("Turkey", "TR"),),
        (("near Kapitan Andreevo", 41.7167, 26.3167),),
    ),
)

# (cell item, ISO code or None, flagged for review)
_ORIGINS = (
    ("Afghanistan", "AF", False),
    ("Pakistan", "PK", False),
    ("Syria", "SY", False),
    ("Iraq", "IQ", False),
    ("Iran", "IR", False),
    ("Morocco", "MA", False),
    ("Algeria", "DZ", False),
    ("Tunisia", "TN", False),
    ("Bangladesh", "BD", False),
    ("Egypt", "EG", False),
    ("Palestine", "PS", False),
    ("Somalia", "SO", False),
    ("Eritrea", "ER", False),
    ("Turkey", "TR", False),
    ("India", "IN", False),
    ("Nepal", "NP", False),
    ("Libya", "LY", False),
    ("Cuba", "CU", False),
    ("Burundi", "BI", False),
    ("Kurdistan Region of Iraq", "IQ", False),
    ("Afganistan", "AF", False),  # misspellings the network knows: read without a flag
    ("Marocco", "MA", False),
    ("Afghanisatn", "AF", True),  # close to one name only: read, but flagged as a guess
    ("Syrria", "SY", True),
    ("Magreb", None, True),  # a region of several states
    ("Arab", None, True),  # not a country
)
_ORIGIN_WEIGHTS = (30, 18, 12, 8, 5, 10, 9, 5, 4, 3, 3, 2, 2, 2, 2, 1, 1, 1, 1, 6, 2, 2, 1, 1, 1, 1)
# State names that are read as a guess (a person confirms them); "Hungaria" is a known spelling, not a guess.
_GUESSED = frozenset({"Sloveina"})

_AUTHORS = (
    "Border Watch Collective",
    "Kolektiv Sjever",
    "Mountain Aid Team",
    "River Crossing Info",
    "Solidarity Kitchen Network",
    "Pravna Pomoć Sjever",
)

_QUOTES = (
    "They took our phones and threw them in the river",
    "The dogs were let loose on us",
    "We asked for asylum and they laughed",
    "They burned our bags in front of us",
    "He kept hitting us with the baton",
    "They said: go back to Bosnia",
    "We walked barefoot through the snow",
    "They made us undress in the cold",
    "The van was so full we could not breathe",
    "They sprayed something in our eyes",
    "Nobody listened when we said asylum",
    "They took the money and the shoes",
    "We were handed from one police to the next",
    "The boy was only fifteen",
    "They beat us one by one as we left the van",
    "Every time we try, the same police are waiting",
)

_TRI = (("yes", 5), ("no", 3), ("unknown", 2), ("", 2), ("Yes", 1), ("No", 1))


# --- generation ---------------------------------------------------------------------------------------------


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class _Generator:
    """Builds rows one by one and adds up what each one means."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
        self.violence: Counter[str] = Counter()
        self.states: Counter[str] = Counter()
        self.nationalities: Counter[str] = Counter()
        self.years: Counter[str] = Counter()
        self.other = self.chains = self.minors = self.people = 0
        self.free_texts: set[str] = set()
        self.authors: set[str] = set()
        self.flagged: list[tuple[int, str, str]] = []
        self.links: list[str] = []
        self.slugs: set[str] = set()
        self.number = 0

    def flag(self, column: str, value: str) -> None:
        self.flagged.append((self.number, column, value))

    def row(self) -> Cells:
        self.number += 1
        rng = self.rng
        route = rng.choices(_ROUTES, weights=[r.weight for r in _ROUTES])[0]
        start, states = rng.choice(route.start)
        end, _left_in = rng.choice(route.end)
        self.states.update(states)
        self.chains += len(states) >= 2
        for item in start.split(" | "):
            if item in _GUESSED:
                self.flag("pushback_from", item)
        place, lat, lng = rng.choice(route.places)
        date = self.date()
        title, public = rng.sample(_QUOTES, 2)
        cells: Cells = {
            "date": date,
            **self.coordinates(lat, lng),
            "underage_involved": self.tri("underage_involved"),
            "men_involved": _pick(rng, _TRI),
            "women_involved": _pick(rng, (("no", 6), ("yes", 2), ("unknown", 2), ("", 1))),
            "intention_asylum_expressed": self.tri("intention_asylum_expressed"),
            "pushback_from": start,
            "pushback_to": end,
            "incident_location": place if rng.random() > 0.05 else "",
            "report_link": self.link(date, title),
            "report_title": title if rng.random() > 0.04 else "",
            "public_title": f"“{public}”",
            "age": self.ages(),
            "group_size": self.group_size(),
            "countries_of_origin": self.origins(),
            "types_of_violence_used": self.violence_cell(),
            "number_police": self.police(),
            "taken_to_police": self.tri("taken_to_police"),
            "incident_author": self.author(),
            "category": rng.choice(("3", "12", "violence-reports", "pushback")),
            "status": _pick(rng, (("publish", 20), ("private", 1))),
        }
        if cells["underage_involved"].lower() == "yes":
            self.minors += 1
        return cells

    def date(self) -> str:
        rng = self.rng
        if rng.random() < 0.02:
            self.years["unknown"] += 1
            if rng.random() < 0.5:
                return ""
            self.flag("date", "0000-00-00 00:00:00")  # WordPress's "no date"
            return "0000-00-00 00:00:00"
        day = dt.date(2017, 1, 1) + dt.timedelta(days=rng.randrange(2191))
        self.years[str(day.year)] += 1
        time = "00:00:00" if rng.random() < 0.4 else f"{rng.randrange(24):02d}:{rng.randrange(60):02d}:00"
        return f"{day.isoformat()} {time}"

    def coordinates(self, lat: float, lng: float) -> dict[str, str]:
        rng = self.rng
        roll = rng.random()
        if roll < 0.08:
            return {"lat": "", "lng": ""}
        lat, lng = round(lat + rng.uniform(-0.02, 0.02), 6), round(lng + rng.uniform(-0.02, 0.02), 6)
        if roll < 0.12:  # the decimal point was lost on the way into WordPress
            broken = repr(round(lat * 10000, 2))
            self.flag("lat", broken)
            return {"lat": broken, "lng": repr(lng)}
        if roll < 0.14:
            broken = repr(round(lng * 10000, 2))
            self.flag("lng", broken)
            return {"lat": repr(lat), "lng": broken}
        if roll < 0.22:
            return {"lat": repr(lat).replace(".", ","), "lng": repr(lng).replace(".", ",")}
        return {"lat": repr(lat), "lng": repr(lng)}

    def tri(self, column: str) -> str:
        if self.rng.random() < 0.01:
            self.flag(column, "partly")
            return "partly"
        return _pick(self.rng, _TRI)

    def link(self, date: str, title: str) -> str:
        rng = self.rng
        if rng.random() < 0.02:
            return ""
        if self.links and self.number % 97 == 0:  # the export holds a few rows twice
            link = rng.choice(self.links)
            self.flag("report_link", link)
            return link
        base = _slug(title)[:60].strip("-")
        slug, copy = base, 1
        while slug in self.slugs:
            copy += 1
            slug = f"{base}-{copy}"
        self.slugs.add(slug)
        day = (date or "2019-01-01")[:10].replace("-", "/")
        link = f"https://www.borderviolence.eu/violence-reports/{day}/{slug}/"
        self.links.append(link)
        return link

    def ages(self) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.15:
            return rng.choice(("", "unknown"))
        if roll < 0.40:
            return ", ".join(str(a) for a in sorted(rng.sample(range(2, 60), rng.randint(2, 5))))
        if roll < 0.60:
            low = rng.randrange(15, 30)
            return f"{low}-{low + rng.randrange(5, 25)} years old"
        if roll < 0.72:
            low = rng.randrange(16, 30)
            return f"between {low} and {low + rng.randrange(3, 15)}"
        if roll < 0.84:
            return str(rng.randrange(14, 50))
        if roll < 0.92:
            return f"approx. {rng.randrange(18, 40)}"
        if roll < 0.97:
            return f"{rng.randrange(14, 18)} (unaccompanied), {rng.randrange(19, 40)}"
        self.flag("age", "see the testimony")
        return "see the testimony"

    def group_size(self) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.10:
            return "unknown"
        if roll < 0.15:
            return ""
        if roll < 0.17:
            self.flag("group_size", "a big group")
            return "a big group"
        size = rng.choices((rng.randint(1, 8), rng.randint(9, 25), rng.randint(26, 70)), weights=(6, 3, 1))[0]
        self.people += size
        return f" {size}" if roll > 0.97 else str(size)

    def origins(self) -> str:
        rng = self.rng
        if rng.random() < 0.08:
            return rng.choice(("unknown", ""))
        items: list[tuple[str, str | None, bool]] = []
        while len(items) < rng.choice((1, 1, 1, 2, 2, 3)):
            item = rng.choices(_ORIGINS, weights=_ORIGIN_WEIGHTS)[0]
            if item[0] not in {i[0] for i in items}:
                items.append(item)
        self.nationalities.update({code for _, code, _ in items if code is not None})
        for text, _code, flagged in items:
            if flagged:
                self.flag("countries_of_origin", text)
        return " | ".join(text for text, _, _ in items)

    def violence_cell(self) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.05:
            return ""
        if roll < 0.09:
            self.violence["no_violence"] += 1
            return "no violence used"
        labels: list[str] = []
        codes: set[str] = set()
        if rng.random() < 0.06:
            labels += ["water immersion", "pouring water over one's head"]
            codes.add("water_abuse")
        for _ in range(rng.choice((1, 1, 2, 2, 3, 4))):
            kind = rng.random()
            if kind < 0.65:
                label, code = rng.choice(_LABELS)
                label = label.capitalize() if rng.random() < 0.15 else label
            elif kind < 0.82:
                label, code = rng.choice(_JUDGED)
                self.free_texts.add(label)
            else:
                label, code = rng.choice(_OTHER), "other"
                self.free_texts.add(label)
            if label.casefold() in {existing.casefold() for existing in labels}:
                continue
            labels.append(label)
            codes.add(code)
            self.other += code == "other"
        self.violence.update(codes)
        return " | ".join(labels)

    def police(self) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.2:
            return rng.choice(("", "unknown"))
        if roll < 0.22:
            self.flag("number_police", "many")
            return "many"
        if roll < 0.5:
            low = rng.randrange(2, 30)
            return f"{low}-{low + rng.randrange(1, 10)}"
        return str(rng.randrange(1, 20))

    def author(self) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.08:
            return "Array"
        if roll < 0.12:
            return rng.choice(("", "unknown", "17"))
        if roll < 0.15:
            names = rng.sample(_AUTHORS, 2)
            self.authors.update(names)
            return " | ".join(names)
        name = rng.choice(_AUTHORS)
        self.authors.add(name)
        return f" {name} " if roll > 0.97 else name

    def truth(self) -> LegacyTruth:
        return LegacyTruth(
            rows=self.number,
            by_violence=dict(sorted(self.violence.items())),
            by_expelling_state=dict(sorted(self.states.items())),
            by_nationality=dict(sorted(self.nationalities.items())),
            by_year=dict(sorted(self.years.items())),
            other_mentions=self.other,
            chain_pushbacks=self.chains,
            minors_involved=self.minors,
            people_affected=self.people,
            free_texts=frozenset(self.free_texts),
            authors=frozenset(self.authors),
            flagged=tuple(self.flagged),
        )


def generate(*, rows: int = 300, seed: int = 7) -> tuple[list[Cells], LegacyTruth]:
    """The rows of a legacy export ({column: text}, in :data:`~bordermonitor.importers.bvmn.COLUMNS` order)
    and their truth."""
    generator = _Generator(seed)
    cells = [generator.row() for _ in range(rows)]
    return [{column: row[column] for column in COLUMNS} for row in cells], generator.truth()


def write_legacy(
    path: Path, *, rows: int = 300, seed: int = 7, fmt: Literal["sqlite", "csv"] = "sqlite"
) -> LegacyTruth:
    """Write a messy legacy export to ``path`` (replaced if it exists) and return its truth.

    ``sqlite``: table ``reports`` with the 22 text columns; ``csv``: the same columns, UTF-8 with a byte order
    mark as spreadsheet programs write it.
    """
    data, truth = generate(rows=rows, seed=seed)
    path.unlink(missing_ok=True)
    if fmt == "sqlite":
        connection = sqlite3.connect(path)
        try:
            with connection:
                connection.execute(f"CREATE TABLE reports ({', '.join(f'{c} TEXT' for c in COLUMNS)})")
                connection.executemany(
                    f"INSERT INTO reports VALUES ({', '.join('?' for _ in COLUMNS)})",  # noqa: S608 - fixed names
                    [tuple(row[c] for c in COLUMNS) for row in data],
                )
        finally:
            connection.close()
    elif fmt == "csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\r\n")
            writer.writeheader()
            writer.writerows(data)
    else:
        raise ValueError(f"{fmt!r} is not a legacy format (sqlite or csv)")
    return truth
