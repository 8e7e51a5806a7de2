"""The report's tables under disclosure control, and its periods."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bordermonitor.core.disclosure import protect, recoverable
from bordermonitor.reporting.periods import Period
from bordermonitor.reporting.tables import protected_table

COUNTS = st.dictionaries(
    st.sampled_from(["AT", "BA", "BG", "HR", "HU", "IT", "RS", "SI"]), st.integers(0, 40)
)


@given(COUNTS, st.integers(2, 10))
def test_a_table_publishes_no_small_count_and_nothing_a_total_gives_back(
    counts: dict[str, int], threshold: int
) -> None:
    table = protected_table(counts, str.lower, threshold=threshold, total_label="all")
    assert {row.key for row in table.rows} == {key for key, value in counts.items() if value}
    for row in table.rows:
        assert row.label == row.key.lower()
        if row.value is not None:
            assert row.value == counts[row.key] and row.value >= threshold
    shown = [row for row in table.rows if row.value is not None]
    hidden = [row for row in table.rows if row.value is None]
    assert table.rows == (*shown, *hidden)
    assert [row.value for row in shown] == sorted((row.value for row in shown), reverse=True)  # type: ignore[type-var]
    assert [row.label for row in hidden] == sorted(row.label for row in hidden)  # never by the hidden counts
    assert table.any_suppressed == bool(hidden or (table.total and table.total.value is None))
    if table.total is not None and table.total.value is not None:
        assert table.total.value == sum(counts.values()) >= threshold
    # the same decision as core.disclosure, whose check finds nothing to work out
    assert recoverable(protect({(k, "n"): v for k, v in counts.items() if v}, threshold=threshold)) == []


def test_a_single_small_cell_is_not_left_alone_beside_a_total() -> None:
    table = protected_table({"HR": 30, "SI": 12, "IT": 2}, str, threshold=5, total_label="all")
    values = {row.key: row.value for row in table.rows}
    assert values["IT"] is None
    assert (
        values["SI"] is None or table.total is None or table.total.value is None
    )  # 44 − 30 − 12 = IT otherwise
    assert table.as_json()["any_suppressed"] is True


def test_months_keep_their_order_and_their_zeros() -> None:
    counts = {
        f"2019-{m:02d}": n for m, n in zip(range(1, 13), [9, 0, 12, 3, 7, 0, 8, 8, 11, 6, 0, 15], strict=True)
    }
    table = protected_table(counts, str, threshold=5, keep_order=True)
    assert [row.key for row in table.rows] == list(counts)
    assert [row.value for row in table.rows][:4] == [9, 0, 12, None]


def test_periods() -> None:
    may = Period.parse("monthly", "2019-05")
    assert (may.start, may.end, may.token) == (dt.date(2019, 5, 1), dt.date(2019, 5, 31), "2019-05")
    assert Period.parse("monthly", "2020-01").previous() == Period("monthly", 2019, 12)
    assert may.year_before() == Period("monthly", 2018, 5)
    year = Period.parse("annual", "2019")
    assert (year.start, year.end, year.previous(), year.year_before()) == (
        dt.date(2019, 1, 1), dt.date(2019, 12, 31), Period("annual", 2018), None,
    )  # fmt: skip
    assert [p.token for p in year.months()][::11] == ["2019-01", "2019-12"]
    assert Period.parse("monthly", "2024-02").end == dt.date(2024, 2, 29)
    assert may.label("en") == "May 2019" and may.label("fr") == "mai 2019"
    assert "2019" in may.label("ar") and may.month_name("fr") == "mai"
    for kind, text, message in (
        ("monthly", "2019-13", "'2019-13' is not a month (YYYY-MM, e.g. 2019-05)"),
        ("monthly", "May 2019", "'May 2019' is not a month"),
        ("annual", "19", "'19' is not a year (YYYY, e.g. 2019)"),
    ):
        with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
            Period.parse(kind, text)  # type: ignore[arg-type]
