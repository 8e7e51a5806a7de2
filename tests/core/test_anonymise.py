"""Redaction of public narratives (METHODOLOGY §7): what is removed, and what a narrative keeps."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterator

import pytest
from babel import Locale
from hypothesis import given, settings
from hypothesis import strategies as st

from bordermonitor.core.anonymise import (
    PLACEHOLDERS,
    PublicationPolicy,
    coarsen_date,
    coarsen_location,
    find_identifiers,
    fold,
    leftover_identifiers,
    redact,
)
from bordermonitor.demo.borders import ROUTES
from bordermonitor.demo.phrases import (
    CHAIN_CLOSING,
    CLOSINGS,
    LANGUAGES,
    NAMED,
    OPENINGS,
    PLACEHOLDER_NAMES,
    SETTING_CLOSINGS,
    TITLE_DEFAULT,
    TITLES,
)
from bordermonitor.demo.synthetic import synthetic_reports
from bordermonitor.demo.violence_phrases import VIOLENCE_SENTENCES
from bordermonitor.demo.witness_phrases import (
    WITNESS_CLOSE,
    WITNESS_LOST,
    WITNESS_OPEN,
    WITNESS_OPEN_N,
    WITNESS_SAW,
    WITNESS_SAW_DEFAULT,
    WITNESS_TITLES,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Call +387 61 234 567 tomorrow.", "Call [phone] tomorrow."),
        ("Call 00387-61-234-567.", "Call [phone]."),
        ("His number was 061/234-567", "His number was [phone]"),
        ("Ring (061) 234 567 at night", "Ring [phone] at night"),
        ("My brother: 0612345678, in Bihać", "My brother: [phone], in Bihać"),
        ("Iran +98 912 345 6789", "Iran [phone]"),
        ("France +33 6 12 34 56 78.", "France [phone]."),
        ("واتساب ۰۹۱۲ ۳۴۵ ۶۷۸۹", "واتساب [phone]"),  # Persian digits
        ("هاتفي ٠٦١٢٣٤٥٦٧٨", "هاتفي [phone]"),  # Arabic-Indic digits
        ("Write to omar.example@mail.example.org now", "Write to [e-mail] now"),
        ("E-mail: Someone+tag@Example.COM.", "E-mail: [e-mail]."),
        ("My passport AB1234567 was torn", "My passport [document number] was torn"),
        ("passport number of my friend: 12345678", "passport number of my friend: [document number]"),
        ("ID 1400-0101-12345 in the bag", "ID [document number] in the bag"),
        ("numéro de passeport : 87654321", "numéro de passeport : [document number]"),
        ("carte d’identité n° 99887766 perdue", "carte d’identité n° [document number] perdue"),
        ("رقم جواز سفري ١٢٣٤٥٦٧٨", "رقم جواز سفري [document number]"),
        ("شماره گذرنامه‌ام 98765432 است", "شماره گذرنامه‌ام [document number] است"),
        ("Account 123456789012 was blocked", "Account [document number] was blocked"),
        ("P<AFGEXAMPLE<<OMAR<<<<<<<<<<<<<<<<<<<<<<<<<", "[document number]"),
        ("AB12345670AFG8001014M2501017<<<<<<<<<<<<<<02", "[document number]"),
        ("The van ZG 1234-AB followed us", "The van [plate] followed us"),
        ("a car BG-123-XY and a jeep KA 123 AB", "a car [plate] and a jeep [plate]"),
        ("plates A12-E-345 and 34 ABC 123 and ABC-123", "plates [plate] and [plate] and [plate]"),
        ("licence plate: 447-K-12", "licence plate: [plate]"),
        ("the plate was HR 5512", "the plate was [plate]"),
        ("Η πινακίδα ΙΚΒ-1234", "Η πινακίδα [plate]"),  # Greek capitals
    ],
)
def test_identifiers_are_redacted(text: str, expected: str) -> None:
    assert redact(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "It happened on 2024-03-12 at 14:30, or maybe 12.03.2024, around 01.03.2024 08.30.",
        "Between 08.30-09.45 and 22:15 they kept us; 25-30 officers, 3–4 cars.",
        "I was 17 years old, my friend 16; we were 12 people in 2019 and 2020.",
        "They caught us at 45.123, 15.456 (or 45.1234567, 15.4567891), then at 0.5 km from the river.",
        "AT 11 PM THEY CAME BACK. WE WERE 15 PEOPLE. EU 2019 HR.",
        "We walked 30-40 km for 3 days; COVID-19 had closed the camps; E70 road.",
        "The passport was torn; his passport in 2019 was new; ID for 12 years.",
        "Officers of unit 5, group 12, vans 2 and 3; 1000000 dinars taken; 2500 euros.",
        "Sânnicolau Mare, Usnarz Górny, Bihać, Velika Kladuša, Évros, Kumkale, Orestiada.",
    ],
)
def test_ordinary_narrative_is_kept(text: str) -> None:
    assert redact(text).spans == ()
    assert redact(text).text == text


# --- names ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        ("Omar Example was beaten", ["Omar Example"], "[name] was beaten"),
        ("omar could not walk", ["Omar Example"], "[name] could not walk"),  # a first name alone
        ("EXAMPLE and Ómar", ["Omar Example"], "[name] and [name]"),  # case and accents
        ("Omari and Omarson stayed", ["Omar Example"], "Omari and Omarson stayed"),  # whole words only
        ("Al told us; Omar Al Example too", ["Omar Al Example"], "Al told us; [name] too"),  # short part
        ("Ｏｍａｒ came", ["Omar"], "[name] came"),  # full-width (NFKC)
        ("José and Jose", ["JOSE"], "[name] and [name]"),
        ("José", ["Jose\u0301"], "[name]"),  # combining accent in the known name
        ("Jose\u0301 came", ["José"], "[name] came"),  # and in the text: the accent goes with the name
        ("صديقي علي وعلى", ["علی"], "صديقي [name] [name]"),  # Arabic yeh, alef maksura, the conjunction و
        ("دوستم عــلی آمد", ["علي"], "دوستم [name] آمد"),  # tatweel
        ("صديقي عَلِيّ", ["علی"], "صديقي [name]"),  # harakat
        ("کریم و كريم", ["كريم"], "[name] و [name]"),  # kaf and keheh, Arabic and Farsi yeh
        ("فاطمة وفاطمه", ["فاطمه"], "[name] [name]"),  # teh marbuta
        ("رضا‌را دیدم", ["رضا"], "[name]\u200cرا دیدم"),  # zero-width non-joiner before a suffix
    ],
)
def test_known_names_are_redacted_however_they_are_written(
    text: str, names: list[str], expected: str
) -> None:
    assert redact(text, known_names=names).text == expected


def test_spans_point_into_the_original_text() -> None:
    text = "Ómar (0612 345 678) and عــلی wrote to x@y.org"
    spans = find_identifiers(text, known_names=["Omar", "علي"])
    assert [(span.kind, span.text) for span in spans] == [
        ("name", "Ómar"),
        ("phone", "0612 345 678"),
        ("name", "عــلی"),
        ("email", "x@y.org"),
    ]
    assert all(text[span.start : span.end] == span.text for span in spans)


def test_overlapping_identifiers_merge_into_one() -> None:
    redaction = redact("write to omar.example@mail.org", known_names=["Omar Example"])
    assert redaction.text == "write to [e-mail]"
    assert [span.kind for span in redaction.spans] == ["email"]


def test_placeholders_are_not_identifiers_even_when_a_name_is_a_placeholder_word() -> None:
    text = "[name] said [phone] and [e-mail], [document number], [plate]"
    assert leftover_identifiers(text, known_names=["Name", "Phone", "Mail", "Document Number", "Plate"]) == ()


def test_the_publication_check_finds_what_a_reviewer_added_back() -> None:
    redacted = redact("Omar called +387 61 234 567", known_names=["Omar"]).text
    assert leftover_identifiers(redacted, known_names=["Omar"]) == ()
    edited = redacted.replace("[phone]", "+387 61 234 567") + " with Omar"
    assert [span.kind for span in leftover_identifiers(edited, known_names=["Omar"])] == ["phone", "name"]


def test_fold_makes_variants_equal() -> None:
    assert fold("JOSÉ") == fold("jose") == fold("Jose\u0301")
    assert fold("علي") == fold("علی") == fold("عــلِی")
    assert fold("كريم") == fold("کریم")


# --- the demo narratives: nothing in them is an identifier ----------------------------------------------

COUNTRY_NAMES = [Locale.parse(language).territories for language in LANGUAGES]
TOWNS = sorted({place.town for route in ROUTES for place in route.places})
STATE_CODES = sorted({c for route in ROUTES for c in (*route.expelled_by, route.expelled_to)})


def _filled(template: str, language: int) -> Iterator[str]:
    names = COUNTRY_NAMES[language]
    for index, town in enumerate(TOWNS):
        country = names[STATE_CODES[index % len(STATE_CODES)]]
        left = names[STATE_CODES[(index + 1) % len(STATE_CODES)]]
        for n in (3, 12, 45):
            yield template.format(n=n, place=town, country=country, left=left)


def _demo_phrases() -> Iterator[str]:
    phrases = [phrase for pair in OPENINGS.values() for group in pair for phrase in group]
    phrases += [*CLOSINGS, CHAIN_CLOSING, *SETTING_CLOSINGS.values()]
    phrases += [phrase for group in VIOLENCE_SENTENCES.values() for phrase in group]
    for phrase in phrases:
        for language, template in enumerate(phrase):
            yield from _filled(template, language)
    yield from (title for group in TITLES.values() for title in group)
    yield from TITLE_DEFAULT
    yield from WITNESS_TITLES
    english, french = LANGUAGES.index("en"), LANGUAGES.index("fr")
    for pair in (WITNESS_OPEN_N, WITNESS_OPEN, WITNESS_CLOSE, *WITNESS_LOST.values()):
        yield from _filled(pair[0], english)
        yield from _filled(pair[1], french)
    for saw in (*WITNESS_SAW.values(), WITNESS_SAW_DEFAULT):
        yield f"I saw the officers {saw[0]}."
        yield f"J'ai vu les policiers {saw[1]}."


DEMO_PHRASES = sorted(set(_demo_phrases()))


def test_every_demo_phrase_comes_out_unchanged() -> None:
    assert len(DEMO_PHRASES) > 5000
    changed = [(text, redact(text).spans) for text in DEMO_PHRASES if redact(text).text != text]
    assert changed == []


def test_a_named_companion_is_the_only_thing_redacted_in_the_demo_sentence() -> None:
    for template in NAMED:
        for name in PLACEHOLDER_NAMES:
            redaction = redact(template.format(name=name), known_names=[name])
            assert redaction.text == template.format(name="[name]")


def test_synthetic_testimonies_lose_only_their_named_companions() -> None:
    for report in synthetic_reports(count=400, seed=11):
        narrative = report["narrative"]
        for text in (report["title"], narrative["text"], narrative["translation_en"]):
            if text:
                expected = text
                for name in PLACEHOLDER_NAMES:
                    expected = expected.replace(name, "[name]")
                assert redact(text, known_names=PLACEHOLDER_NAMES).text == expected


# --- planted identifiers never survive -------------------------------------------------------------------

latin_name = st.text(alphabet="abcdefghijklmnopqrstuvwxyzäéöüçğış", min_size=3, max_size=10).map(
    str.capitalize
)
arabic_name = st.text(alphabet="ابتثجحخدذرزسشصضطظعغفقكلمنهويپچژگکی", min_size=3, max_size=8)
person = st.lists(latin_name | arabic_name, min_size=1, max_size=3).map(" ".join)
digits = st.text(alphabet="0123456789", min_size=1, max_size=1)


def _groups(draw: st.DrawFn, sizes: list[int], separator: str) -> str:
    return separator.join(draw(st.text(alphabet="0123456789", min_size=n, max_size=n)) for n in sizes)


@st.composite
def phones(draw: st.DrawFn) -> str:
    separator = draw(st.sampled_from([" ", "-", ".", "/", ""]))
    sizes = draw(st.sampled_from([[2, 3, 3], [3, 3, 4], [2, 2, 2, 2], [3, 3, 3], [3, 4]]))
    body = _groups(draw, sizes, separator)
    prefix = draw(
        st.sampled_from(["+387 ", "+98 ", "+93-", "00387 ", "+33 ", "0", "(0"]).filter(lambda p: p or body)
    )
    if prefix == "(0":
        return f"(0{draw(st.integers(min_value=10, max_value=99))}) {body}"
    return prefix + body


@st.composite
def emails(draw: st.DrawFn) -> str:
    word = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8)
    return f"{draw(word)}.{draw(word)}@{draw(word)}.{draw(st.sampled_from(['org', 'com', 'ba', 'net']))}"


passports = st.from_regex(r"[A-Z]{1,2}[0-9]{7,8}|[0-9]{9,11}", fullmatch=True)


def _plant(draw: st.DrawFn, text: str, planted: str) -> str:
    gaps = [0, *(m.end() for m in re.finditer(r"\s", text)), len(text)]
    at = draw(st.sampled_from(gaps))
    before, after = draw(st.sampled_from([("", ""), ("(", ")"), ("", ","), ('"', '"'), ("", ".")]))
    return f"{text[:at]} {before}{planted}{after} {text[at:]}"


@settings(max_examples=300, deadline=None)
@given(data=st.data(), name=person, phone=phones(), email=emails(), passport=passports)
def test_planted_identifiers_never_survive(
    data: st.DataObject, name: str, phone: str, email: str, passport: str
) -> None:
    text = data.draw(st.sampled_from(DEMO_PHRASES))
    planted = {
        "name": data.draw(st.sampled_from([name, name.split()[0], name.upper()])),
        "phone": phone,
        "email": email,
        "passport": passport,
    }
    for value in data.draw(st.permutations(list(planted.values()))):
        text = _plant(data.draw, text, value)
    redacted = redact(text, known_names=[name]).text
    outside_placeholders = fold(re.sub("|".join(map(re.escape, PLACEHOLDERS.values())), " ", redacted))
    for kind, value in planted.items():
        if kind == "name":
            assert not re.search(rf"(?<!\w){re.escape(fold(value))}(?!\w)", outside_placeholders), redacted
        else:
            assert value not in redacted, (kind, redacted)
    assert leftover_identifiers(redacted, known_names=[name]) == ()
    assert redact(redacted, known_names=[name]).text == redacted


noisy_text = st.text(
    alphabet=st.sampled_from(
        [*"aAbBzZ019 +-./()<@_,:;#°№’'", "\u0640", "\u064e", "\u200c", "ی", "ي", "ك", "١", "۲", "é", "\u0301"]
    ),
    max_size=60,
)


@settings(max_examples=500, deadline=None)
@given(text=noisy_text, names=st.lists(st.sampled_from(["Ab", "Zab", "ياب", "b0"]), max_size=2))
def test_redaction_is_idempotent_and_leaves_nothing_behind(text: str, names: list[str]) -> None:
    redaction = redact(text, known_names=names)
    assert redact(redaction.text, known_names=names).text == redaction.text
    assert leftover_identifiers(redaction.text, known_names=names) == ()
    assert all(text[span.start : span.end] == span.text for span in redaction.spans)
    assert all(a.end <= b.start for a, b in zip(redaction.spans, redaction.spans[1:], strict=False))
    assert redaction.text.count("[") - text.count("[") == len(redaction.spans)
    assert set(re.findall(r"\[[^\]]*\]", redaction.text)) - set(re.findall(r"\[[^\]]*\]", text)) <= set(
        PLACEHOLDERS.values()
    )


# --- publication policy ----------------------------------------------------------------------------------

RANK = {"day": 0, "month": 1, "year": 2}
precisions = st.sampled_from(["day", "month", "year"])


@st.composite
def policies(draw: st.DrawFn) -> PublicationPolicy:
    date_precision = draw(precisions)
    location_m = draw(st.integers(min_value=1, max_value=200_000))
    return PublicationPolicy(
        date_precision=date_precision,
        location_m=location_m,
        small_group_max=draw(st.integers(min_value=1, max_value=5)),
        small_group_date_precision=draw(precisions.filter(lambda p: RANK[p] >= RANK[date_precision])),
        small_group_location_m=draw(st.integers(min_value=location_m, max_value=400_000)),
        threshold=draw(st.integers(min_value=2, max_value=20)),
    )


group_sizes = st.none() | st.integers(min_value=0, max_value=60)


def test_the_default_policy_is_the_methodology_s() -> None:
    policy = PublicationPolicy()
    assert (policy.date_precision, policy.location_m, policy.threshold) == ("day", 1000, 5)
    assert (policy.small_group_max, policy.small_group_date_precision, policy.small_group_location_m) == (
        2,
        "month",
        10000,
    )
    assert [policy.is_small(size) for size in (None, 1, 2, 3)] == [False, True, True, False]


@pytest.mark.parametrize(
    ("settings_", "setting"),
    [
        ({"location_m": 0}, "location_m"),
        ({"location_m": -100}, "location_m"),
        ({"small_group_location_m": 500}, "small_group_location_m"),
        ({"threshold": 1}, "threshold"),
        ({"small_group_max": 0}, "small_group_max"),
        ({"date_precision": "week"}, "date_precision"),
        ({"date_precision": "month", "small_group_date_precision": "day"}, "small_group_date_precision"),
        ({"location_m": True}, "location_m"),
    ],
)
def test_a_nonsense_policy_is_refused_naming_the_setting(settings_: dict[str, object], setting: str) -> None:
    with pytest.raises(ValueError, match=f"^{setting} "):
        PublicationPolicy(**settings_)  # type: ignore[arg-type]


def test_a_policy_is_read_from_environment_style_text() -> None:
    policy = PublicationPolicy.from_mapping(
        {
            "date_precision": "Month",
            "location_m": " 2000 ",
            "small_group_location_m": "20000",
            "threshold": "",
        }
    )
    assert policy == PublicationPolicy(date_precision="month", location_m=2000, small_group_location_m=20000)


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"location_m": "2km"}, "BORDERMONITOR_PUBLISH_LOCATION_M"),
        ({"threshold": "-3"}, "BORDERMONITOR_PUBLISH_THRESHOLD"),
        ({"date_precision": "weekly"}, "BORDERMONITOR_PUBLISH_DATE_PRECISION"),
        ({"location_m": "20000"}, "small_group_location_m"),  # the default 10 km would be finer than 20 km
        ({"threshold_value": "5"}, "threshold_value is not a publication setting"),
    ],
)
def test_bad_text_settings_are_named(values: dict[str, str], named: str) -> None:
    with pytest.raises(ValueError, match=named):
        PublicationPolicy.from_mapping(values)


def test_the_policy_describes_itself_for_the_release_notes() -> None:
    text = " ".join(PublicationPolicy(location_m=2000, small_group_location_m=25000, threshold=10).describe())
    assert "to the day" in text and "about 2 km (2000 m)" in text and "about 25 km" in text
    assert "groups of 2 people or fewer" in text and "to the month" in text
    assert "from 1 to 9" in text and "not known" in text


@given(
    day=st.dates(),
    source=st.none() | precisions,
    policy=policies(),
    size=group_sizes,
)
def test_a_date_is_never_published_more_precisely_than_its_source_or_the_policy(
    day: dt.date, source: str | None, policy: PublicationPolicy, size: int | None
) -> None:
    text, published = coarsen_date(day, source, policy=policy, group_size=size)
    assert published is not None and text is not None
    rule = policy.small_group_date_precision if policy.is_small(size) else policy.date_precision
    assert RANK[published] == max(RANK[source or "year"], RANK[rule])
    assert text == day.isoformat()[: {"day": 10, "month": 7, "year": 4}[published]]


def test_small_groups_get_the_stricter_date_and_unknown_sizes_the_general_one() -> None:
    policy = PublicationPolicy()
    day = dt.date(2024, 3, 12)
    assert coarsen_date(day, "day", policy=policy, group_size=12) == ("2024-03-12", "day")
    assert coarsen_date(day, "day", policy=policy, group_size=None) == ("2024-03-12", "day")
    assert coarsen_date(day, "day", policy=policy, group_size=1) == ("2024-03", "month")
    assert coarsen_date(day, "year", policy=policy, group_size=12) == ("2024", "year")
    assert coarsen_date(day, None, policy=policy, group_size=12) == ("2024", "year")
    assert coarsen_date(None, "day", policy=policy, group_size=1) == (None, None)


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance on the mean Earth sphere."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6_371_008.8 * math.asin(min(1.0, math.sqrt(h)))


latitudes = st.floats(min_value=-90, max_value=90)
longitudes = st.floats(min_value=-180, max_value=180)
source_precisions = st.none() | st.floats(min_value=0, max_value=100_000)


@settings(max_examples=300)
@given(lat=latitudes, lon=longitudes, source=source_precisions, policy=policies(), size=group_sizes)
def test_the_true_place_is_within_the_published_precision(
    lat: float, lon: float, source: float | None, policy: PublicationPolicy, size: int | None
) -> None:
    out_lat, out_lon, precision = coarsen_location(lat, lon, source, policy=policy, group_size=size)
    assert out_lat is not None and out_lon is not None and precision is not None
    assert -90 <= out_lat <= 90 and -180 <= out_lon <= 180
    assert precision >= (source or 0)  # never more precise than the source
    assert distance_m(lat, lon, out_lat, out_lon) <= precision
    assert coarsen_location(out_lat, out_lon, source, policy=policy, group_size=size) == (
        out_lat,
        out_lon,
        precision,
    )


@settings(max_examples=300)
@given(
    lat=st.floats(min_value=-80, max_value=80),
    lon=st.floats(min_value=-170, max_value=170),
    policy=policies(),
    size=group_sizes,
    north=st.floats(min_value=-0.3, max_value=0.3),
    east=st.floats(min_value=-0.3, max_value=0.3),
)
def test_points_in_the_same_cell_publish_identical_coordinates(
    lat: float, lon: float, policy: PublicationPolicy, size: int | None, north: float, east: float
) -> None:
    published = coarsen_location(lat, lon, 50.0, policy=policy, group_size=size)
    centre_lat, centre_lon, _ = published
    assert centre_lat is not None and centre_lon is not None
    cell = policy.small_group_location_m if policy.is_small(size) else policy.location_m
    other_lat = centre_lat + north * cell / 111_320
    other_lon = centre_lon + east * cell / (111_320 * math.cos(math.radians(centre_lat)))
    if abs(other_lat) <= 90 and abs(other_lon) <= 180:  # a neighbour well inside the same cell
        assert coarsen_location(other_lat, other_lon, 50.0, policy=policy, group_size=size) == published


@settings(max_examples=200)
@given(lat=latitudes, lon=longitudes, source=source_precisions, policy=policies(), size=st.integers(1, 60))
def test_small_groups_are_placed_no_more_precisely_than_large_ones(
    lat: float, lon: float, source: float | None, policy: PublicationPolicy, size: int
) -> None:
    small = coarsen_location(lat, lon, source, policy=policy, group_size=min(size, policy.small_group_max))
    large = coarsen_location(lat, lon, source, policy=policy, group_size=policy.small_group_max + size)
    unknown = coarsen_location(lat, lon, source, policy=policy, group_size=None)
    assert small[2] is not None and large[2] is not None
    assert small[2] >= large[2]
    assert unknown == large


def test_the_default_grid_is_about_a_kilometre_and_ten_for_small_groups() -> None:
    policy = PublicationPolicy()
    lat, lon, precision = coarsen_location(45.1847, 15.7773, None, policy=policy, group_size=30)
    assert precision == pytest.approx(710, abs=15) and distance_m(45.1847, 15.7773, lat, lon) <= 710  # type: ignore[arg-type]
    assert coarsen_location(45.1847, 15.7773, 200.0, policy=policy, group_size=1)[2] == pytest.approx(
        7300, abs=150
    )


@pytest.mark.parametrize(
    ("lat", "lon", "precision"),
    [(None, 15.0, 10.0), (45.0, None, None), (None, None, None)],
)
def test_no_coordinate_publishes_no_point(
    lat: float | None, lon: float | None, precision: float | None
) -> None:
    assert coarsen_location(lat, lon, precision, policy=PublicationPolicy(), group_size=1) == (
        None,
        None,
        None,
    )


@pytest.mark.parametrize(("lat", "lon"), [(91.0, 0.0), (0.0, -180.5), (math.nan, 0.0)])
def test_impossible_coordinates_are_refused(lat: float, lon: float) -> None:
    with pytest.raises(ValueError, match="outside"):
        coarsen_location(lat, lon, None, policy=PublicationPolicy(), group_size=None)
