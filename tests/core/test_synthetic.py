"""Synthetic testimonies: every record is clean interchange v1, the same for a seed, and as varied as real data."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bordermonitor.core.dates import PartialDate
from bordermonitor.core.records import STATUSES
from bordermonitor.core.validation import validate_report
from bordermonitor.demo.synthetic import LANGUAGES, synthetic_reports

COUNT = 3000


@pytest.fixture(scope="module")
def evidence_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("exchange")


@pytest.fixture(scope="module")
def records(evidence_dir: Path) -> list[dict[str, Any]]:
    return list(synthetic_reports(count=COUNT, seed=11, evidence_dir=evidence_dir))


def test_every_record_validates_without_issues_and_exports_unchanged(records: list[dict[str, Any]]) -> None:
    assert len(records) == COUNT
    for record in records:
        result = validate_report(record)
        assert result.issues == [], (record["ref"], [str(i) for i in result.issues])
        assert not result.flagged
        # Canonical already: every key present, unknown as null, so export gives back the same record.
        assert result.record.model_dump(mode="json") == record


def test_the_same_seed_gives_the_same_records_and_another_seed_others() -> None:
    first = list(synthetic_reports(count=300, seed=5))
    assert first == list(synthetic_reports(count=300, seed=5))
    assert first != list(synthetic_reports(count=300, seed=6))
    # A longer run starts with the records of a shorter one.
    assert list(synthetic_reports(count=100, seed=5)) == first[:100]


def test_records_do_not_depend_on_the_interpreters_hash_seed() -> None:
    script = (
        "import hashlib, json\n"
        "from bordermonitor.demo.synthetic import synthetic_reports\n"
        "text = json.dumps(list(synthetic_reports(count=400, seed=2)), ensure_ascii=False)\n"
        "print(hashlib.sha256(text.encode()).hexdigest())\n"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for hash_seed in ("1", "2", "3")
    }
    assert len(digests) == 1


def test_with_and_without_evidence_files_the_records_are_the_same(tmp_path: Path) -> None:
    without = list(synthetic_reports(count=400, seed=3))
    with_files = list(synthetic_reports(count=400, seed=3, evidence_dir=tmp_path))
    assert all(r["evidence"] == [] for r in without)
    assert any(r["evidence"] for r in with_files)
    assert [{**r, "evidence": []} for r in with_files] == without


def test_languages_statuses_kinds_and_date_precisions_all_occur(records: list[dict[str, Any]]) -> None:
    assert {r["narrative"]["language"] for r in records} == set(LANGUAGES)
    assert {r["status"] for r in records} == set(STATUSES)
    kinds = Counter(r["kind"] for r in records)
    assert set(kinds) == {"testimony", "witness", "media", "official"}
    assert kinds.most_common(1)[0][0] == "testimony"
    precisions = Counter(PartialDate.parse(r["incident"]["date"]).precision for r in records)
    assert set(precisions) == {"day", "month", "year"}
    assert precisions.most_common(1)[0][0] == "day"
    incident_kinds = {r["incident"]["kind"] for r in records}
    assert {"pushback", "chain_pushback", "detention", "death", "disappearance"} <= incident_kinds


def test_non_english_narratives_carry_an_english_translation(records: list[dict[str, Any]]) -> None:
    for record in records:
        narrative = record["narrative"]
        assert narrative["text"]
        if narrative["language"] == "en":
            assert narrative["translation_en"] is None
        else:
            assert narrative["translation_en"] and narrative["translation_en"] != narrative["text"]
            assert not re.search("[\u0600-\u06ff]", narrative["translation_en"])  # no Arabic script left
    right_to_left = [r for r in records if r["narrative"]["language"] in ("ar", "fa", "ps", "ur")]
    assert all(re.search("[\u0600-\u06ff]", r["narrative"]["text"]) for r in right_to_left)


def test_chain_pushbacks_list_the_first_apprehending_state_first(records: list[dict[str, Any]]) -> None:
    chains = [r["incident"] for r in records if r["incident"]["kind"] == "chain_pushback"]
    assert chains
    assert {tuple(i["expelled_by"]) for i in chains} == {("SI", "HR"), ("IT", "SI", "HR")}
    assert {i["expelled_to"] for i in chains} == {"BA"}
    authorities = {p["authority"] for r in records for p in r["incident"]["perpetrators"]}
    assert {"HR-police", "HU-police", "GR-coastguard", "PL-border-guard", "frontex"} <= authorities


def test_unknown_stays_unknown_and_known_counts_add_up(records: list[dict[str, Any]]) -> None:
    sizes, nulls = Counter(), Counter()
    for record in records:
        group = record["incident"]["group"]
        sizes[group["size"] is None] += 1
        for key in ("minors", "women", "men"):
            nulls[key] += group[key] is None
        counts = (group["minors"], group["women"], group["men"])
        if group["size"] is not None and None not in counts:
            assert sum(counts) == group["size"]
        if group["size"] is not None:
            assert len(group["nationalities"]) <= group["size"]
        expected = {None: "unknown", 0: "no"}.get(group["minors"], "yes")
        if group["minors"] is not None:
            assert group["minors_involved"] == expected
        officers = record["incident"]["officers"]
        assert (officers["min"] is None) == (officers["max"] is None)
    assert sizes[True] and sizes[False] > sizes[True]  # mostly known, some unknown
    assert all(nulls.values())


def test_places_are_near_the_border_with_a_plausible_precision(records: list[dict[str, Any]]) -> None:
    countries = Counter()
    for record in records:
        location = record["incident"]["location"]
        countries[location["country"]] += 1
        if location["lat"] is not None:
            assert 37.0 < location["lat"] < 56.0 and 7.0 < location["lon"] < 28.0  # the borders generated
        if location["precision_m"] is not None:
            assert location["lat"] is not None
            assert 100 <= location["precision_m"] <= 5000
    assert {"BA", "HR", "SI", "HU", "RS", "GR", "TR", "PL", "LT", "FR", "IT"} <= set(countries)
    unknown = sum(r["incident"]["location"]["lat"] is None for r in records)
    assert 0 < unknown < COUNT * 0.2


def test_dates_fall_in_the_range_and_reports_are_recorded_after_the_incident() -> None:
    start, end = date(2021, 3, 1), date(2021, 6, 30)
    for record in synthetic_reports(count=500, seed=4, start=start, end=end):
        when = PartialDate.parse(record["incident"]["date"])
        recorded = date.fromisoformat(record["recorded_on"])
        assert when.end >= start and when.start <= end
        assert when.start <= recorded <= end
        assert record["ref"].split("-")[-2] == str(recorded.year)


def test_refs_are_unique_per_organisation_and_follow_the_pattern(records: list[dict[str, Any]]) -> None:
    refs = [(r["organisation"], r["ref"]) for r in records]
    assert len(set(refs)) == len(refs)
    for organisation, ref in refs:
        assert re.fullmatch(rf"{re.escape(organisation)}-\d{{4}}-\d{{5}}", ref)
    for record in records:
        assert re.fullmatch(r"(nnk|rigardu|bvmn-demo)-inc-\d{5}", record["incident"]["ref"])
    assert {r["organisation"] for r in records} == {"nnk", "rigardu", "bvmn-demo"}


def test_about_one_report_in_twenty_shares_its_incident_with_another_organisation(
    records: list[dict[str, Any]],
) -> None:
    by_incident: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        by_incident[record["incident"]["ref"]].append(record)
    shared = {ref: group for ref, group in by_incident.items() if len(group) > 1}
    assert shared
    assert {len(group) for group in shared.values()} == {2, 3}
    later_reports = sum(len(group) - 1 for group in shared.values())
    assert 0.02 * COUNT < later_reports < 0.09 * COUNT
    for ref, group in shared.items():
        organisations = [r["organisation"] for r in group]
        assert len(set(organisations)) == len(organisations), ref  # each from another organisation
        assert ref.startswith(organisations[0] + "-inc-")  # the first report names the incident
        assert {r["kind"] for r in group[1:]} <= {"witness", "testimony"}
        places = {json.dumps(r["incident"]["location"]) for r in group}
        dates = {r["incident"]["date"] for r in group}
        assert len(places) == 1 and len(dates) == 1  # the same event


def test_violence_codes_go_together_as_in_testimonies(records: list[dict[str, Any]]) -> None:
    codes = [{v["type"] for v in r["incident"]["violence"]} for r in records]
    beaten = [c for c in codes if "beating" in c]
    not_beaten = [c for c in codes if "beating" not in c and "no_violence" not in c]
    share = sum("theft_of_belongings" in c or "destruction_of_belongings" in c for c in beaten) / len(beaten)
    other_share = sum(
        "theft_of_belongings" in c or "destruction_of_belongings" in c for c in not_beaten
    ) / len(not_beaten)
    assert share > other_share
    assert not any("no_violence" in c and len(c - {"no_violence", "collective_expulsion"}) for c in codes)
    dogs = Counter(
        r["incident"]["expelled_by"][0]
        for r in records
        if any(v["type"] == "dog_attack" for v in r["incident"]["violence"])
    )
    assert dogs["HU"] + dogs["BG"] > dogs["FR"] + dogs["SI"]
    others = [v for r in records for v in r["incident"]["violence"] if v["type"] == "other"]
    assert others and all(v["detail"] for v in others)


def test_nothing_is_published_without_consent(records: list[dict[str, Any]]) -> None:
    approved = [r for r in records if r["status"] == "approved_for_publication"]
    assert approved and all(r["consent"]["publish"] is True for r in approved)
    assert {r["consent"]["publish"] for r in records} == {True, False, None}


def test_evidence_files_exist_with_the_stated_sha256(
    records: list[dict[str, Any]], evidence_dir: Path
) -> None:
    with_evidence = [r for r in records if r["evidence"]]
    assert 0.05 * COUNT < len(with_evidence) < 0.15 * COUNT
    kinds = Counter()
    for record in with_evidence:
        for item in record["evidence"]:
            kinds[item["kind"]] += 1
            assert item["path"].startswith(f"evidence/{record['ref']}/")
            data = (evidence_dir / item["path"]).read_bytes()
            assert 100 < len(data) < 2000
            assert hashlib.sha256(data).hexdigest() == item["sha256"]
            magic = b"\x89PNG\r\n\x1a\n" if item["kind"] == "photo" else b"%PDF-"
            assert data.startswith(magic)
        if any(item["kind"] == "medical_report" for item in record["evidence"]):
            assert record["incident"]["medical"]["documented"] is True
    assert set(kinds) == {"photo", "medical_report", "document"}
    digests = [item["sha256"] for r in with_evidence for item in r["evidence"]]
    assert len(set(digests)) == len(digests)  # every file is its own


def test_names_in_narratives_are_only_obvious_placeholders(records: list[dict[str, Any]]) -> None:
    named = [
        r
        for r in records
        if re.search(r"Example|Placeholder|Testname|Sample|Fictive", r["narrative"]["text"])
    ]
    assert 0 < len(named) < COUNT * 0.03


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"count": -1}, "count"),
        ({"count": 1, "organisations": []}, "empty"),
        ({"count": 1, "organisations": "nnk"}, "text"),
        ({"count": 1, "organisations": ["NNK"]}, "'NNK'"),
        ({"count": 1, "organisations": ["nnk", "nnk"]}, "twice"),
        ({"count": 1, "start": date(2020, 1, 2), "end": date(2020, 1, 1)}, "after"),
    ],
)
def test_bad_arguments_are_refused_before_any_record_is_made(arguments: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        synthetic_reports(**arguments)


def test_a_single_organisation_network_still_shares_incidents() -> None:
    records = list(synthetic_reports(count=1000, seed=9, organisations=["solo"]))
    assert {r["organisation"] for r in records} == {"solo"}
    assert len({r["ref"] for r in records}) == 1000
    assert len({r["incident"]["ref"] for r in records}) < 1000


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=2**63),
    count=st.integers(min_value=0, max_value=40),
    first=st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)),
    days=st.integers(min_value=0, max_value=4000),
    organisations=st.lists(
        st.from_regex(r"[a-z0-9][a-z0-9_-]{0,12}", fullmatch=True), min_size=1, max_size=4, unique=True
    ),
)
def test_any_seed_range_and_network_gives_clean_records(
    seed: int, count: int, first: date, days: int, organisations: list[str]
) -> None:
    last = date.fromordinal(first.toordinal() + days)
    records = list(
        synthetic_reports(count=count, seed=seed, organisations=organisations, start=first, end=last)
    )
    assert len(records) == count
    for record in records:
        assert validate_report(record).issues == []
        assert record["organisation"] in organisations
        when = PartialDate.parse(record["incident"]["date"])
        assert when.end >= first and when.start <= last


def test_a_jsonl_file_written_beside_its_evidence_imports_cleanly(tmp_path: Path) -> None:
    from bordermonitor.importers import jsonl

    exchange = tmp_path / "testimonies.jsonl"
    with exchange.open("w", encoding="utf-8") as handle:
        for record in synthetic_reports(count=500, seed=8, evidence_dir=tmp_path):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    outcomes = list(jsonl.read(exchange))
    assert len(outcomes) == 500
    assert all(o.rejected is None and o.validated and not o.validated.issues for o in outcomes)
    evidence = [(o.evidence_base, e) for o in outcomes if o.validated for e in o.validated.record.evidence]
    assert evidence
    for base, item in evidence:
        assert base is not None
        assert hashlib.sha256((base / item.path).read_bytes()).hexdigest() == item.sha256
