"""Disclosure control of published counts: no small count is shown, and none can be worked out from the
totals that are shown (METHODOLOGY §7)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bordermonitor.core.disclosure import TOTAL, Cell, ProtectedTable, bounds, protect, recoverable

MONTHS = [f"2024-{month:02d}" for month in range(1, 13)]
STATES = ["AT", "BA", "BG", "GR", "HR", "HU", "PL", "RO", "RS", "SI"]

Counts = dict[tuple[str, str], int]


def with_margins(counts: Counts) -> Counts:
    """The true table with its totals, added up here independently of the module."""
    table: Counts = {}
    for (row, column), value in counts.items():
        for key in ((row, column), (row, TOTAL), (TOTAL, column), (TOTAL, TOTAL)):
            table[key] = table.get(key, 0) + value
    return {key: value for key, value in table.items() if value}


def naive(counts: Counts, *, threshold: int) -> ProtectedTable:
    """Primary suppression only: what a careless publication would do."""
    return ProtectedTable(
        tuple(
            Cell(row, column, value, value < threshold, "primary" if value < threshold else None)
            for (row, column), value in sorted(with_margins(counts).items())
        ),
        threshold,
    )


sparse_counts = st.dictionaries(
    st.tuples(st.sampled_from(MONTHS), st.sampled_from(STATES)),
    st.one_of(st.just(0), st.integers(min_value=0, max_value=30), st.integers(min_value=1, max_value=4)),
    max_size=60,
)


@settings(max_examples=200, deadline=None)
@given(counts=sparse_counts, threshold=st.integers(min_value=2, max_value=10))
def test_no_small_count_is_shown_and_none_can_be_worked_out(counts: Counts, threshold: int) -> None:
    table = protect(counts, threshold=threshold)
    truth = with_margins(counts)
    published = table.published()
    assert not [key for key, value in published.items() if 0 < value < threshold]
    assert all(truth[key] == value for key, value in published.items())  # shown values are the true ones
    assert {(cell.row, cell.column): cell.value for cell in table.cells} == truth  # zeros are left out
    assert recoverable(table) == []
    assert all(
        low < high for low, high in (b if b[1] is not None else (0, 1) for b in bounds(table).values())
    )


@settings(max_examples=100, deadline=None)
@given(counts=sparse_counts, threshold=st.integers(min_value=2, max_value=10))
def test_every_suppressed_cell_has_a_reason_and_small_cells_are_primary(
    counts: Counts, threshold: int
) -> None:
    for cell in protect(counts, threshold=threshold).cells:
        assert cell.suppressed == (cell.reason is not None)
        assert (cell.reason == "primary") == (cell.value < threshold)


def test_primary_suppression_alone_is_undone_by_subtraction() -> None:
    counts = {("2024-01", "HR"): 10, ("2024-01", "SI"): 3, ("2024-02", "HR"): 8, ("2024-02", "SI"): 7}
    careless = naive(counts, threshold=5)
    assert careless.suppressed() == [("2024-01", "SI")]
    # January's total minus January's published Croatian count is the Slovenian one: 13 - 10 = 3.
    assert careless.published()["2024-01", TOTAL] - careless.published()["2024-01", "HR"] == 3
    assert recoverable(careless) == [("2024-01", "SI")]
    assert bounds(careless) == {("2024-01", "SI"): (3, 3)}

    table = protect(counts, threshold=5)
    assert table.suppressed() == [("2024-01", "HR"), ("2024-01", "SI"), ("2024-02", "HR"), ("2024-02", "SI")]
    assert table.published() == {
        ("2024-01", TOTAL): 13,
        ("2024-02", TOTAL): 15,
        (TOTAL, "HR"): 18,
        (TOTAL, "SI"): 10,
        (TOTAL, TOTAL): 28,
    }
    assert recoverable(table) == []
    assert bounds(table)["2024-01", "SI"] == (1, 9)


def test_the_attacker_knows_a_suppressed_cell_is_not_zero() -> None:
    # Two suppressed cells under a published total of 2: without zeros (they are shown as absent) both are 1.
    hand_made = ProtectedTable(
        (
            Cell("2024-01", "HR", 1, True, "primary"),
            Cell("2024-01", "SI", 1, True, "primary"),
            Cell("2024-01", TOTAL, 2, False, None),
            Cell(TOTAL, "HR", 1, True, "primary"),
            Cell(TOTAL, "SI", 1, True, "primary"),
            Cell(TOTAL, TOTAL, 2, False, None),
        ),
        threshold=2,
    )
    assert sorted(recoverable(hand_made)) == sorted(hand_made.suppressed())


def test_a_total_below_the_threshold_is_suppressed_with_its_cells() -> None:
    table = protect({("2024-03", "HR"): 3}, threshold=5)
    assert table.published() == {}
    assert [cell.reason for cell in table.cells] == ["primary"] * 4
    assert recoverable(table) == []
    assert bounds(table)["2024-03", "HR"] == (1, None)  # nothing shown: it could be any count


def test_large_counts_are_all_shown_and_zeros_are_absent() -> None:
    table = protect({("2024-01", "HR"): 12, ("2024-01", "SI"): 0, ("2024-02", "SI"): 0}, threshold=5)
    assert table.published() == {
        ("2024-01", "HR"): 12,
        ("2024-01", TOTAL): 12,
        (TOTAL, "HR"): 12,
        (TOTAL, TOTAL): 12,
    }
    assert table.suppressed() == []


def test_cells_come_in_table_order_with_totals_last() -> None:
    table = protect({("2024-02", "SI"): 9, ("2024-01", "HR"): 7}, threshold=5)
    assert [(cell.row, cell.column) for cell in table.cells] == [
        ("2024-01", "HR"),
        ("2024-01", TOTAL),
        ("2024-02", "SI"),
        ("2024-02", TOTAL),
        (TOTAL, "HR"),
        (TOTAL, "SI"),
        (TOTAL, TOTAL),
    ]


@pytest.mark.parametrize(
    ("counts", "threshold", "message"),
    [
        ({("2024-01", "HR"): -1}, 5, "0 or more"),
        ({("2024-01", "HR"): 1.5}, 5, "whole numbers"),
        ({("*", "HR"): 1}, 5, "names the totals"),
        ({("2024-01", "HR"): 1}, 0, "threshold"),
    ],
)
def test_nonsense_is_refused(counts: dict[tuple[str, str], int], threshold: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        protect(counts, threshold=threshold)


# --- bounds() checked against the definition: every table of whole counts consistent with what is shown --


def brute_force_bounds(table: ProtectedTable) -> dict[tuple[str, str], tuple[int, int]]:
    """Every completion of the hidden inner counts (each at least 1, the grand total is shown), found by a
    search that stops as soon as a shown total is exceeded; the range each hidden cell takes."""
    true = {(cell.row, cell.column): cell.value for cell in table.cells}
    hidden = {(cell.row, cell.column) for cell in table.cells if cell.suppressed}
    shown = table.published()
    rows = sorted({row for row, _ in true if row != TOTAL})
    columns = sorted({column for _, column in true if column != TOTAL})
    values = {(row, column): true.get((row, column), 0) for row in rows for column in columns}
    unknown = [key for key in values if key in hidden]
    seen: dict[tuple[str, str], set[int]] = {key: set() for key in hidden}

    def exceeds(partial: Counts) -> bool:
        totals = with_margins(partial)
        return any(totals.get(key, 0) > value for key, value in shown.items() if TOTAL in key)

    def walk(index: int) -> None:
        if index == len(unknown):
            totals = with_margins(values)
            if all(totals.get(key, 0) == value for key, value in shown.items()) and all(
                totals.get(key, 0) >= 1 for key in hidden
            ):
                for key in hidden:
                    seen[key].add(totals[key])
            return
        key = unknown[index]
        for guess in range(1, shown[TOTAL, TOTAL] + 1):
            values[key] = guess
            if exceeds({k: v for k, v in values.items() if k not in unknown[index + 1 :]}):
                break
            walk(index + 1)

    walk(0)
    return {key: (min(found), max(found)) for key, found in seen.items()}


@st.composite
def small_tables(draw: st.DrawFn) -> ProtectedTable:
    """A table of up to 3 x 3 counts with any pattern of hidden cells (at most 4 inner), grand total shown."""
    rows = MONTHS[: draw(st.integers(min_value=1, max_value=3))]
    columns = STATES[: draw(st.integers(min_value=1, max_value=3))]
    counts = {
        (row, column): draw(st.integers(min_value=0, max_value=5)) for row in rows for column in columns
    }
    counts[rows[0], columns[0]] += 1
    truth = with_margins(counts)
    margins = sorted(key for key in truth if TOTAL in key and key != (TOTAL, TOTAL))
    inner = sorted(key for key in truth if TOTAL not in key)
    hidden = draw(st.sets(st.sampled_from(margins))) | draw(st.sets(st.sampled_from(inner), max_size=4))
    return ProtectedTable(
        tuple(
            Cell(row, column, value, (row, column) in hidden, "primary" if (row, column) in hidden else None)
            for (row, column), value in sorted(truth.items())
        ),
        threshold=2,
    )


@settings(max_examples=200, deadline=None)
@given(table=small_tables())
def test_bounds_are_exactly_the_range_of_consistent_tables(table: ProtectedTable) -> None:
    expected = brute_force_bounds(table)
    assert bounds(table) == expected
    assert sorted(recoverable(table)) == sorted(key for key, (low, high) in expected.items() if low == high)


@settings(max_examples=100, deadline=None)
@given(
    counts=st.dictionaries(
        st.tuples(st.sampled_from(MONTHS[:3]), st.sampled_from(STATES[:3])),
        st.integers(min_value=0, max_value=6),
    )
)
def test_protected_small_tables_withstand_the_brute_force_attack(counts: Counts) -> None:
    table = protect(counts, threshold=4)
    hidden_inner = [key for key in table.suppressed() if TOTAL not in key]
    if (TOTAL, TOTAL) in table.published() and len(hidden_inner) <= 6:  # keeps the enumeration short
        assert all(low < high for low, high in brute_force_bounds(table).values())
