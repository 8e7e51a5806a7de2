"""Dates as sources write them, read at their own precision: no day is invented, no order is guessed."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bordermonitor.core.dates import PartialDate, month_number, parse_loose_date

Order = Literal["ymd", "mdy", "dmy"]
ORDERS: list[Order] = ["ymd", "mdy", "dmy"]
ENGLISH_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@st.composite
def partial_dates(draw: st.DrawFn) -> PartialDate:
    day = draw(st.dates(min_value=dt.date(1000, 1, 1)))
    precision = draw(st.sampled_from(["day", "month", "year"]))
    if precision == "year":
        return PartialDate(day.year)
    if precision == "month":
        return PartialDate(day.year, day.month)
    return PartialDate.from_date(day)


@pytest.mark.parametrize(
    ("text", "date", "time"),
    [
        ("2019-06-08", PartialDate(2019, 6, 8), None),
        ("2019-06-08 14:30:00", PartialDate(2019, 6, 8), "14:30"),
        ("2019-06-08T14:30:00Z", PartialDate(2019, 6, 8), "14:30"),
        ("2019-06-08 14:30", PartialDate(2019, 6, 8), "14:30"),
        ("2019-06-08 2:30 pm", PartialDate(2019, 6, 8), "14:30"),
        ("2019-06", PartialDate(2019, 6), None),
        ("2019", PartialDate(2019), None),
        ("June 8, 2019", PartialDate(2019, 6, 8), None),
        ("Jun. 8th, 2019", PartialDate(2019, 6, 8), None),
        ("8 June 2019", PartialDate(2019, 6, 8), None),
        ("8th of June 2019", PartialDate(2019, 6, 8), None),
        ("08-Jun-2019", PartialDate(2019, 6, 8), None),
        ("June 2019", PartialDate(2019, 6), None),
        ("06/2019", PartialDate(2019, 6), None),
        ("2019/06/08", PartialDate(2019, 6, 8), None),
        ("Sunday, June 8, 2019", PartialDate(2019, 6, 8), None),
        ("1er juin 2019", PartialDate(2019, 6, 1), None),
        ("8. Juni 2019", PartialDate(2019, 6, 8), None),
    ],
)
def test_dates_as_written(text: str, date: PartialDate, time: str | None) -> None:
    assert parse_loose_date(text) == (date, time)


def test_midnight_exactly_is_a_date_only_export_not_a_time() -> None:
    assert parse_loose_date("2018-11-03 00:00:00") == (PartialDate(2018, 11, 3), None)
    assert parse_loose_date("2018-11-03 00:00") == (PartialDate(2018, 11, 3), None)
    assert parse_loose_date("2018-11-03 00:01:00") == (PartialDate(2018, 11, 3), "00:01")


def test_slash_dates_are_read_in_the_order_given() -> None:
    text = "Thu, 06/08/2019 - 12:00"
    assert parse_loose_date(text, order="mdy") == (PartialDate(2019, 6, 8), "12:00")
    assert parse_loose_date(text, order="dmy") == (PartialDate(2019, 8, 6), "12:00")
    assert parse_loose_date("06/08/2019", order="mdy") == (PartialDate(2019, 6, 8), None)
    assert parse_loose_date("06.08.2019", order="dmy") == (PartialDate(2019, 8, 6), None)


def test_slash_dates_without_an_order_are_refused_as_ambiguous() -> None:
    with pytest.raises(ValueError, match="could be day/month or month/day") as caught:
        parse_loose_date("06/08/2019")
    assert "'06/08/2019'" in str(caught.value)


@pytest.mark.parametrize("text", [None, "", "  ", "unknown", "n/a"])
def test_no_date_is_unknown(text: str | None) -> None:
    assert parse_loose_date(text) == (None, None)


@pytest.mark.parametrize(
    ("text", "order", "reason"),
    [
        ("yesterday", "ymd", "is not a date"),
        ("14:30", "ymd", "is not a date"),
        ("20190608", "ymd", "is not a date"),
        ("06/08/19", "dmy", "is not a date"),
        ("2019-02-30", "ymd", "is not a possible date"),
        ("13/06/2019", "mdy", "is not a possible date"),
        ("Foo 8, 2019", "ymd", "is not a month"),
        ("2019-06-08 25:00", "ymd", "no such time"),
        ("June 2019 14:30", "ymd", "without a day"),
    ],
)
def test_a_date_that_cannot_be_read_raises_quoting_the_text(text: str, order: Order, reason: str) -> None:
    with pytest.raises(ValueError, match=reason) as caught:
        parse_loose_date(text, order=order)
    assert repr(text) in str(caught.value)


@given(partial_dates())
def test_every_partial_date_reads_back_to_itself(date: PartialDate) -> None:
    assert parse_loose_date(str(date)) == (date, None)


@given(st.dates(min_value=dt.date(1000, 1, 1)), st.sampled_from(ORDERS))
def test_every_way_of_writing_a_day_reads_back(day: dt.date, order: Order) -> None:
    month = ENGLISH_MONTHS[day.month - 1]
    expected = PartialDate.from_date(day)
    for text in (
        f"{month} {day.day}, {day.year}",
        f"{day.day} {month} {day.year}",
        f"{month[:3]} {day.day} {day.year}",
    ):
        assert parse_loose_date(text, order=order)[0] == expected
    if order != "ymd":
        first, second = (day.month, day.day) if order == "mdy" else (day.day, day.month)
        assert parse_loose_date(f"{first:02d}/{second:02d}/{day.year}", order=order)[0] == expected


@given(st.dates(min_value=dt.date(1000, 1, 1)), st.times())
def test_a_time_reads_back_to_the_minute(day: dt.date, time: dt.time) -> None:
    expected = None if (time.hour, time.minute, time.second) == (0, 0, 0) else f"{time:%H:%M}"
    assert parse_loose_date(f"{day.isoformat()} {time:%H:%M:%S}") == (PartialDate.from_date(day), expected)
    assert parse_loose_date(f"{day.isoformat()}T{time.isoformat()}")[1] == expected


@pytest.mark.parametrize("number", range(1, 13))
def test_month_names(number: int) -> None:
    name = ENGLISH_MONTHS[number - 1]
    for written in (name, name.lower(), name.upper(), name[:3], f"{name[:3]}."):
        assert month_number(written) == number


@pytest.mark.parametrize(
    ("name", "number"),
    [("Sept", 9), ("Janvier", 1), ("février", 2), ("Fevrier", 2), ("août", 8), ("Juni", 6), ("ژوئن", 6)],
)
def test_month_names_in_other_languages(name: str, number: int) -> None:
    assert month_number(name) == number


@pytest.mark.parametrize("name", ["", "Foo", "13", "Monday"])
def test_what_is_not_a_month(name: str) -> None:
    assert month_number(name) is None
