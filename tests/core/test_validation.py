"""The one validation layer: clear messages naming record and field; nothing the source said is lost."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bordermonitor.core.records import ReportRecord
from bordermonitor.core.validation import RecordRejected, validate_json, validate_report
from tests.strategies import records

BASE = {"ref": "nnk-2019-044", "organisation": "nnk", "kind": "testimony"}


def with_incident(**incident: Any) -> dict[str, Any]:
    return {**BASE, "incident": incident}


def test_message_names_record_and_field() -> None:
    result = validate_report(with_incident(location={"lat": 454826.06, "lon": 15.77}))
    assert [str(i) for i in result.issues] == [
        "report 'nnk-2019-044', incident.location.lat: 454826.06 is not a latitude"
    ]
    assert result.record.incident.location.lat is None  # unknown, not 0
    assert result.record.incident.location.lon == 15.77  # the rest of the record is kept
    assert result.flagged
    kept = result.record.source.unparsed[0]
    assert (kept.field, kept.value) == ("incident.location.lat", 454826.06)


def test_every_bad_field_is_reported_and_kept_verbatim() -> None:
    raw = {
        **BASE,
        "colour": "blue",
        "incident": {
            "survivors": -1,
            "group": {"size": "many", "nationalities": ["SY", "Narnia", "AF"]},
            "violence": [{"type": "beating"}, {"type": "zap"}, {"type": "other"}],
            "date": "2019-13-01",
            "time": "25:00",
        },
    }
    result = validate_report(raw)
    fields = {i.field for i in result.issues}
    assert fields == {
        "colour",
        "incident.survivors",
        "incident.group.size",
        "incident.group.nationalities[1]",
        "incident.violence[1].type",
        "incident.violence[2]",
        "incident.date",
        "incident.time",
    }
    record = result.record
    assert record.incident.group.nationalities == ["SY", "AF"]  # order of what was understood is kept
    assert [v.type for v in record.incident.violence] == ["beating"]
    kept = {u.field: u.value for u in record.source.unparsed}
    assert kept["incident.group.nationalities[1]"] == "Narnia"
    assert kept["incident.violence[1].type"] == {"type": "zap"}
    assert kept["colour"] == "blue"
    assert kept["incident.date"] == "2019-13-01"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"organisation": "nnk", "kind": "testimony"}, "report 'line 7', ref: is required"),
        ({**BASE, "kind": "rumour"}, "report 'nnk-2019-044', kind: \"rumour\" is not one of"),
        (
            {**BASE, "organisation": "Not A Code!"},
            "report 'nnk-2019-044', organisation: \"not a code!\" is not",
        ),
        ([1, 2], "report 'line 7', (record): [1, 2] is not a JSON object"),
    ],
)
def test_a_record_that_cannot_be_a_report_is_rejected_with_its_reason(raw: Any, message: str) -> None:
    with pytest.raises(RecordRejected) as caught:
        validate_report(raw, where="line 7")
    assert str(caught.value).startswith(message)


def test_invalid_json_line_is_rejected_naming_the_line() -> None:
    with pytest.raises(RecordRejected, match=r"report 'line 3', \(record\): is not valid JSON"):
        validate_json(b'{"ref": "x",', where="line 3")


def test_unknown_stays_unknown() -> None:
    record = validate_report(
        {**BASE, "title": "  ", "incident": {"dead": None, "group": {"ages": ""}}}
    ).record
    assert record.title is None
    assert record.incident.dead is None
    assert record.incident.group.ages is None
    assert record.incident.group.minors_involved == "unknown"
    assert record.status == "submitted"  # absent status means submitted


def test_zero_is_kept_as_a_known_zero() -> None:
    assert validate_report(with_incident(dead=0)).record.incident.dead == 0


def test_month_precise_date_stays_month_precise() -> None:
    record = validate_report(with_incident(date="2019-6")).record
    assert record.incident.date == "2019-06"


def test_organisation_option_overrides_the_record() -> None:
    assert validate_report(BASE, organisation="rigardu").record.organisation == "rigardu"


def test_officer_range_must_be_a_range() -> None:
    result = validate_report(with_incident(officers={"min": 30, "max": 25}))
    assert str(result.issues[0]).endswith(
        "incident.officers: 30-25 is not a range (the minimum is above the maximum)"
    )


def test_revalidating_a_flagged_record_adds_nothing() -> None:
    first = validate_report(with_incident(location={"lat": 454826.06})).record
    again = validate_report(json.loads(first.to_json())).record
    assert again == first


@settings(max_examples=150, deadline=None)
@given(records())
def test_canonical_records_validate_unchanged(raw: dict[str, Any]) -> None:
    result = validate_report(raw)
    assert result.issues == []
    assert json.loads(result.record.to_json()) == raw
    assert ReportRecord.model_validate_json(result.record.to_json()) == result.record


@settings(max_examples=150, deadline=None)
@given(records(), st.data())
def test_a_garbled_field_is_kept_verbatim_and_the_rest_survives(
    raw: dict[str, Any], data: st.DataObject
) -> None:
    path = data.draw(
        st.sampled_from(
            [("incident", "dead"), ("incident", "location", "lat"), ("incident", "group", "size"), ("title",)]
        )
    )
    junk = data.draw(st.sampled_from([{"x": 1}, [1, 2], -5, 1e9, True]))
    target = raw
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = junk
    result = validate_report(raw)
    dotted = ".".join(path)
    if any(u.field == dotted for u in result.record.source.unparsed):
        kept = next(u for u in result.record.source.unparsed if u.field == dotted)
        assert kept.value == junk
        assert any(i.field == dotted for i in result.issues)
    assert result.record.ref == raw["ref"]


def test_a_negative_death_or_missing_count_is_kept_and_flagged() -> None:
    result = validate_report(with_incident(dead=15, missing=-2))
    assert result.record.incident.missing == -2  # IOM corrects an earlier count this way; sums must match
    assert [i.field for i in result.issues] == ["incident.missing"]
    assert result.flagged
    again = validate_report(json.loads(result.record.to_json()))
    assert again.record.source.unparsed == result.record.source.unparsed  # flagged once, not twice


def test_messages_quote_at_most_80_characters_but_keep_the_whole_value() -> None:
    long_text = ["a" * 500]
    result = validate_report({**BASE, "title": long_text})
    (issue,) = result.issues
    assert len(issue.message) < 120
    assert "a" * 500 not in str(issue)
    assert result.record.source.unparsed[0].value == long_text
