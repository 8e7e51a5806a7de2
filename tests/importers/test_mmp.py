"""The IOM Missing Migrants Project importer: every header variant and encoding, and the real 2022 export.

The fixtures under ``fixtures/mmp/`` hold the same five incidents in the four known export shapes (the
2022 global figures in cp1252, the 2019 export in UTF-8, a Kaggle-style copy and the 2024 export in UTF-8
with BOM), so each variant must give the same records for what it has columns for.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bordermonitor.core.records import ReportRecord
from bordermonitor.core.typology import causes_of_death
from bordermonitor.importers import mmp
from bordermonitor.importers.base import Outcome

FIXTURES = Path(__file__).parent / "fixtures" / "mmp"
REAL = Path(__file__).parents[2] / "data" / "mmp" / "Missing_Migrants_Global_Figures_2022-02.csv"
REAL_SHA256 = "c5d3d40f1d6a7b62b052c5caee536a9878f074fa5e99450752acf252026c52bd"

GLOBAL_2022 = FIXTURES / "global-2022-cp1252.csv"
EXPORT_2019 = FIXTURES / "export-2019-utf8.csv"
KAGGLE = FIXTURES / "kaggle-utf8-bom.csv"
CURRENT_2024 = FIXTURES / "current-2024-utf8-bom.csv"
HARSH = "Harsh environmental conditions / lack of adequate shelter, food, water"


def read(path: Path) -> list[Outcome]:
    return list(mmp.read(path, organisation="mmp"))


def records(path: Path) -> list[ReportRecord]:
    outcomes = read(path)
    assert all(o.rejected is None for o in outcomes), [str(o.rejected) for o in outcomes]
    return [o.validated.record for o in outcomes if o.validated is not None]


def unparsed(record: ReportRecord) -> dict[str, Any]:
    return {u.field: u.value for u in record.source.unparsed}


# --- one variant in detail: the 2022 global figures (cp1252) ---------------------------------------


def test_a_row_becomes_a_verified_dataset_report_of_its_own_incident() -> None:
    first = records(GLOBAL_2022)[0]
    assert first.ref == "mmp-2019.MMP00001"
    assert first.organisation == "mmp"
    assert (first.kind, first.status) == ("dataset", "verified")
    assert (first.consent.publish, first.consent.share_with_network, first.consent.legal_use) == (
        True,
        True,
        None,
    )
    assert first.title is None  # the location is not a title, the article title stays in the original
    incident = first.incident
    assert incident.ref == "mmp-inc-2019.MMP00001"
    assert incident.date == "2019-01-05"
    assert incident.kind == "death"
    assert (incident.location.lat, incident.location.lon) == (32.93, 12.08)  # WKT is longitude first
    assert incident.location.place == "Off Zuwara, Libya"
    assert incident.location.region == "Mediterranean"
    assert incident.location.country is None  # this export has no "Country of Incident"
    assert incident.route == "Central Mediterranean"
    assert (incident.dead, incident.missing, incident.survivors) == (3, 2, 10)
    group = incident.group
    assert (group.women, group.men, group.minors, group.minors_involved) == (1, 2, 1, "yes")
    assert group.origin_regions == ["Sub-Saharan Africa (P)"]
    assert incident.causes_of_death == ["drowning"]
    assert first.source.name == mmp.NAME == "iom-mmp"
    assert first.source.url == "http://example.org/a"  # the first of two
    assert first.source.quality == 4
    assert first.source.original["Article title"] == "Boat capsizes off Libya"
    assert not first.flagged


def test_the_whole_row_is_kept_verbatim_including_empty_cells() -> None:
    with GLOBAL_2022.open(encoding="cp1252", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r.source.original for r in records(GLOBAL_2022)] == rows


def test_a_cp1252_file_keeps_its_accents() -> None:
    second = records(GLOBAL_2022)[1]
    assert second.incident.location.place == "Ciudad Juárez, Chihuahua, Mexico"


def test_unknown_stays_unknown_and_an_empty_date_comes_from_year_and_month() -> None:
    second = records(GLOBAL_2022)[1]
    incident = second.incident
    assert incident.date == "2019-02"  # month-precise: no day is invented
    assert incident.kind == "disappearance"  # nobody dead, four missing
    assert (incident.dead, incident.missing, incident.survivors) == (None, 4, None)
    assert (incident.group.women, incident.group.men) == (None, None)
    assert (incident.group.minors, incident.group.minors_involved) == (0, "no")
    assert (incident.location.lat, incident.location.lon) == (None, None)
    assert incident.route is None
    assert (second.source.url, second.source.quality) == (None, None)


def test_a_cause_containing_commas_is_one_cause_among_several() -> None:
    by_ref = {r.ref: r.incident.causes_of_death for r in records(GLOBAL_2022)}
    assert by_ref["mmp-2019.MMP00002"] == ["harsh_conditions", "sickness"]
    assert by_ref["mmp-2019.MMP00004"] == ["drowning", "mixed_or_unknown"]
    assert by_ref["mmp-2020.MMP00005"] == ["mixed_or_unknown", "vehicle_accident", "violence"]


def test_a_bad_number_and_an_unknown_cause_are_kept_verbatim_and_flagged() -> None:
    outcomes = read(GLOBAL_2022)
    third = outcomes[2].validated
    assert third is not None and third.flagged
    record = third.record
    assert unparsed(record) == {"incident.dead": "2?", "incident.causes_of_death": "Hypothermia"}
    assert record.incident.dead is None
    assert record.incident.causes_of_death == []
    assert record.incident.kind == "death"  # nobody is counted: the project only records deaths
    assert any("row 3" in w for w in outcomes[2].warnings)
    assert any("incident.dead" in str(issue) for issue in third.issues)


def test_rows_sharing_an_incident_id_stay_separate_incidents() -> None:
    third, fourth = records(GLOBAL_2022)[2:4]
    assert third.source.original["Incident ID"] == fourth.source.original["Incident ID"]
    assert third.incident.ref != fourth.incident.ref


def test_outcomes_name_their_row_and_report_progress_in_bytes() -> None:
    outcomes = read(GLOBAL_2022)
    assert [o.where for o in outcomes] == [f"row {n}" for n in range(1, 6)]
    positions = [o.position for o in outcomes]
    assert positions == sorted(positions)
    assert positions[-1] == GLOBAL_2022.stat().st_size


# --- every variant gives the same records ----------------------------------------------------------


def _facts(record: ReportRecord) -> dict[str, Any]:
    incident = record.incident
    return {
        "kind": incident.kind,
        "month": incident.date[:7] if incident.date else None,
        "lat": incident.location.lat,
        "lon": incident.location.lon,
        "place": incident.location.place,
        "region": incident.location.region,
        "route": incident.route,
        "counts": (incident.dead, incident.missing, incident.survivors),
        "group": (
            incident.group.women,
            incident.group.men,
            incident.group.minors,
            incident.group.minors_involved,
        ),
        "causes": incident.causes_of_death,
        "unparsed": unparsed(record),
        "source": record.source.name,
        "status": (record.kind, record.status, record.organisation),
    }


@pytest.mark.parametrize("variant", [GLOBAL_2022, EXPORT_2019, KAGGLE])
def test_each_variant_gives_the_same_records_as_the_current_export(variant: Path) -> None:
    current, other = records(CURRENT_2024), records(variant)
    assert [_facts(r) for r in other] == [_facts(r) for r in current]
    if variant is not KAGGLE:  # the Kaggle copy has no IDs, days, URLs or quality
        assert [r.ref for r in other] == [r.ref for r in current]
        assert [r.incident.ref for r in other] == [r.incident.ref for r in current]
        assert [r.incident.date for r in other] == [r.incident.date for r in current]
        assert [(r.source.url, r.source.quality) for r in other] == [
            (r.source.url, r.source.quality) for r in current
        ]
    if variant is not EXPORT_2019:  # the 2019 export has no origins
        assert [r.incident.group.origin_regions for r in other] == [
            r.incident.group.origin_regions for r in current
        ]


def test_country_of_origin_and_of_incident_become_iso_codes() -> None:
    current = records(CURRENT_2024)
    assert [r.incident.group.nationalities for r in current] == [
        ["GN", "CI"],
        ["HN"],
        [],
        ["AF", "SY"],
        ["AF"],
    ]
    assert [r.incident.location.country for r in current] == ["LY", "MX", "US", "GR", "IR"]
    assert [r.incident.group.origin_regions for r in current] == [
        ["Sub-Saharan Africa (P)"],
        ["Central America"],
        [],  # "Unknown" is unknown, not a region
        ["Western / Southern Asia (P)"],
        ["Southern Asia"],
    ]
    assert [r.incident.group.nationalities for r in records(KAGGLE)] == [
        r.incident.group.nationalities for r in current
    ]


def test_an_export_without_ids_numbers_its_rows_and_warns_once() -> None:
    outcomes = read(KAGGLE)
    refs = [o.validated.record.ref for o in outcomes if o.validated is not None]
    assert refs == [f"mmp-row-{n}" for n in range(1, 6)]
    id_warnings = [w for o in outcomes for w in o.warnings if "no IDs" in w]
    assert len(id_warnings) == 1 and outcomes[0].warnings[0] in id_warnings


def test_the_kaggle_copy_reads_lat_lon_coordinates_and_month_dates() -> None:
    kaggle = records(KAGGLE)
    assert (kaggle[2].incident.location.lat, kaggle[2].incident.location.lon) == (31.650259, -110.366453)
    assert [r.incident.date for r in kaggle] == ["2019-01", "2019-02", "2019-03", "2019-04", "2020-12"]


def test_headers_match_whatever_their_case_spacing_and_extra_columns(tmp_path: Path) -> None:
    text = GLOBAL_2022.read_bytes().decode("cp1252")
    header, _, body = text.partition("\r\n")
    messy = ",".join(
        f"  {name.upper()} " if i % 2 else name.lower().replace(" ", "  ")
        for i, name in enumerate(header.split(","))
    )
    lines = [f"{line},remark {n}" for n, line in enumerate(body.splitlines(), start=1) if line]
    path = tmp_path / "messy.csv"
    path.write_text("\r\n".join([messy + ",Remarks", *lines]) + "\r\n", encoding="utf-8")
    clean, messy_records = records(GLOBAL_2022), records(path)
    assert [_facts(r) for r in messy_records] == [_facts(r) for r in clean]
    assert [r.ref for r in messy_records] == [r.ref for r in clean]
    assert messy_records[0].source.original["Remarks"] == "remark 1"


def test_a_file_that_is_no_mmp_export_is_refused_naming_file_and_columns(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("date,lat,lng,group_size\n2019-01-01,45.1,15.7,3\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"other\.csv.*Number of Dead.*Main ID"):
        read(path)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(ValueError, match=r"empty\.csv.*empty"):
        read(empty)


def test_a_short_row_still_imports_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    path.write_text("Main ID,Incident Date,Number of Dead,URL\n2019.MMP9,2019-05-01,2\n", encoding="utf-8")
    (outcome,) = read(path)
    assert outcome.validated is not None
    assert outcome.validated.record.incident.dead == 2
    assert outcome.validated.record.source.original == {
        "Main ID": "2019.MMP9",
        "Incident Date": "2019-05-01",
        "Number of Dead": "2",
    }
    assert any("3 cells" in w for w in outcome.warnings)


def test_countries_that_do_not_normalise_are_kept_for_review(tmp_path: Path) -> None:
    path = tmp_path / "countries.csv"
    path.write_text(
        "Main ID,Incident Date,Number of Dead,Country of Origin,Country of Incident\n"
        '2024.MMP1,2024-05-01,1,"Syrian Arab Republic,Atlantis",Atlantis\n',
        encoding="utf-8",
    )
    (record,) = records(path)
    assert record.incident.group.nationalities == ["SY"]
    assert record.flagged
    assert unparsed(record) == {
        "incident.group.nationalities[1]": "Atlantis",
        "incident.location.country": "Atlantis",
    }


def test_a_date_that_does_not_parse_is_kept_and_the_month_columns_used(tmp_path: Path) -> None:
    path = tmp_path / "dates.csv"
    path.write_text(
        "Main ID,Incident Date,Incident year,Reported Month,Number of Dead\n"
        "2019.MMP1,sometime in spring,2019,April,1\n"
        "2019.MMP2,,2019,,1\n",
        encoding="utf-8",
    )
    spring, year_only = records(path)
    assert spring.incident.date == "2019-04"
    assert unparsed(spring) == {"incident.date": "sometime in spring"}
    assert year_only.incident.date == "2019"
    assert not year_only.flagged


def test_dates_in_the_export_system_format_read_month_first(tmp_path: Path) -> None:
    path = tmp_path / "drupal.csv"
    path.write_text(
        "Web ID,Reported date,Reported year,Reported month,Number dead\n"
        '41,"Sat, 01/05/2019 - 12:00",2019,Jan,1\n'
        "42,2019-01-06,2019,Jan,1\n",
        encoding="utf-8",
    )
    saturday, sunday = records(path)
    assert (saturday.ref, saturday.incident.date, saturday.incident.time) == ("mmp-41", "2019-01-05", None)
    assert sunday.incident.date == "2019-01-06"


def test_a_cp1252_line_far_into_a_utf8_file_is_read_as_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    filler = b"2019.MMP1,2019-05-01,1," + b"S" * 1000 + b"\r\n"  # 1,100 rows: past any sample of the start
    filler *= 1_100
    tail = "2019.MMP2,2019-05-02,2,Ciudad Juárez\r\n".encode("cp1252")
    path.write_bytes(b"Main ID,Incident Date,Number of Dead,Location of death\r\n" + filler + tail)
    outcomes = read(path)
    assert len(outcomes) == 1_101
    last = outcomes[-1].validated
    assert last is not None
    assert last.record.incident.location.place == "Ciudad Juárez"


def test_one_stray_byte_does_not_garble_the_other_lines(tmp_path: Path) -> None:
    path = tmp_path / "stray.csv"
    header = b"Main ID,Incident Date,Number of Dead,Location of death\r\n"
    good = "2019.MMP1,2019-05-01,1,Türkiye border near Edirne\r\n".encode()
    stray = b"2019.MMP2,2019-05-02,1,caf\xe9\r\n"
    arabic = "2019.MMP3,2019-05-03,1,في الغابة\r\n".encode()
    path.write_bytes(header + good + stray + arabic)
    places = [o.validated.record.incident.location.place for o in read(path) if o.validated]
    assert places == ["Türkiye border near Edirne", "café", "في الغابة"]


# --- the cause-of-death split ----------------------------------------------------------------------

LABELS = [label for cause in causes_of_death() for label in cause.mmp_labels]


@given(st.lists(st.sampled_from(LABELS), min_size=1, max_size=5))
def test_known_labels_joined_by_commas_split_back_into_their_codes(labels: list[str]) -> None:
    parts = mmp.split_causes(",".join(labels))
    assert [part for part, _ in parts] == labels
    assert all(code is not None for _, code in parts)


@given(st.lists(st.one_of(st.sampled_from(LABELS), st.text(max_size=12)), max_size=6))
def test_the_split_accounts_for_every_character_of_the_cell(pieces: list[str]) -> None:
    cell = ",".join(pieces)
    parts = mmp.split_causes(cell)
    assert ",".join(part for part, _ in parts) == cell


# --- the real export, data/mmp/ --------------------------------------------------------------------


@pytest.fixture(scope="module")
def real() -> tuple[list[Outcome], list[dict[str, str]]]:
    with REAL.open(encoding="cp1252", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return read(REAL), rows


def test_the_real_file_is_the_published_export_byte_for_byte() -> None:
    assert hashlib.sha256(REAL.read_bytes()).hexdigest() == REAL_SHA256


def test_every_row_of_the_real_file_imports(real: tuple[list[Outcome], list[dict[str, str]]]) -> None:
    outcomes, rows = real
    assert len(outcomes) == len(rows) == 10_274
    assert [o for o in outcomes if o.rejected is not None] == []
    found = [o.validated.record for o in outcomes if o.validated is not None]
    assert len({r.ref for r in found}) == 10_274
    assert [r.source.original for r in found] == rows
    assert not any(o.warnings for o in outcomes)


def test_the_real_file_adds_up(real: tuple[list[Outcome], list[dict[str, str]]]) -> None:
    found = [o.validated.record for o in real[0] if o.validated is not None]
    dead = sum(r.incident.dead or 0 for r in found)
    missing = sum(r.incident.missing or 0 for r in found)
    assert dead == 26_054
    # One row says -2 missing (15 dead, total 13): IOM corrects an earlier count this way. The value is kept
    # (so the sums match the export's own total of 47,360) and flagged for a reviewer.
    assert [r.incident.missing for r in found if (r.incident.missing or 0) < 0] == [-2]
    assert dead + missing == 47_360
    flagged = Counter(u.field for r in found for u in r.source.unparsed)
    assert flagged == {"incident.missing": 1, "incident.survivors": 5}


def test_the_real_file_counts_per_year(real: tuple[list[Outcome], list[dict[str, str]]]) -> None:
    outcomes, rows = real
    expected = Counter(row["Incident Date"][:4] or row["Incident year"] for row in rows)
    found = Counter(
        o.validated.record.incident.date[:4]
        for o in outcomes
        if o.validated and o.validated.record.incident.date
    )
    assert found == expected
    assert sum(found.values()) == 10_274


def test_the_real_file_dates_and_places(real: tuple[list[Outcome], list[dict[str, str]]]) -> None:
    found = [o.validated.record.incident for o in real[0] if o.validated is not None]
    precision = Counter(i.partial_date.precision for i in found if i.partial_date is not None)
    assert precision == {"day": 10_274 - 15, "month": 15}
    assert min(i.date for i in found if i.date) == "2014-01-02"
    assert max(i.date for i in found if i.date) == "2022-02-20"
    assert sum(1 for i in found if i.location.lat is None) == 57
    assert all((i.location.lat is None) == (i.location.lon is None) for i in found)


def test_the_real_file_cause_split_accounts_for_every_cell(
    real: tuple[list[Outcome], list[dict[str, str]]],
) -> None:
    label = {cause.code: cause.mmp_labels[0] for cause in causes_of_death()}
    for outcome in real[0]:
        assert outcome.validated is not None
        record = outcome.validated.record
        cell = record.source.original["Cause of Death"]
        assert ",".join(label[code] for code in record.incident.causes_of_death) == cell
    assert (
        sum(HARSH in o.validated.record.source.original["Cause of Death"] for o in real[0] if o.validated)
        > 1000
    )


def test_the_real_file_kinds(real: tuple[list[Outcome], list[dict[str, str]]]) -> None:
    kinds = Counter(o.validated.record.incident.kind for o in real[0] if o.validated is not None)
    rows = real[1]
    dead = sum(1 for row in rows if re.fullmatch(r"[1-9]\d*", row["Number of Dead"]))
    assert kinds == {"death": dead, "disappearance": 10_274 - dead}
