"""The report's tables under disclosure control (METHODOLOGY §7): every table goes through
``core.disclosure.protect`` with the publication policy's threshold, and only what it publishes leaves here.

A suppressed cell keeps no value at all (``None``): the report prints it as "<threshold" with a footnote. Rows
are ordered by their published counts, largest first, then the suppressed rows by label — never by the hidden
counts, whose order would say something about them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from bordermonitor.core.disclosure import TOTAL, protect

__all__ = ["Row", "Table", "protected_table"]


@dataclass(frozen=True, slots=True)
class Row:
    key: str
    label: str
    value: int | None  # None: suppressed

    @property
    def suppressed(self) -> bool:
        return self.value is None

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "value": self.value, "suppressed": self.suppressed}


@dataclass(frozen=True, slots=True)
class Table:
    """One column of counts by row, protected; ``total`` is the column's total when the table shows it."""

    rows: tuple[Row, ...]
    threshold: int
    total: Row | None = None

    @property
    def empty(self) -> bool:
        return not self.rows

    @property
    def any_suppressed(self) -> bool:
        return any(row.suppressed for row in self.rows) or (self.total is not None and self.total.suppressed)

    @property
    def largest(self) -> int:
        return max((row.value for row in self.rows if row.value is not None), default=0)

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rows": [row.as_json() for row in self.rows],
            "threshold": self.threshold,
            "any_suppressed": self.any_suppressed,
        }
        if self.total is not None:
            data["total"] = self.total.as_json()
        return data


def protected_table(
    counts: Mapping[str, int],
    label: Callable[[str], str],
    *,
    threshold: int,
    total_label: str | None = None,
    keep_order: bool = False,
) -> Table:
    """``counts`` (row key → count) as a protected table of one column. Zero rows are left out (a structural
    zero). With ``total_label`` the column's total is shown too, and protected with the rest. With
    ``keep_order`` the rows stay in the order of ``counts``, zeros included (the months of a year); else they
    are sorted (see the module's note)."""
    column = "n"
    protected = protect({(key, column): value for key, value in counts.items() if value}, threshold=threshold)
    published = protected.published()
    rows = [
        Row(key, label(key), published.get((key, column)) if value else 0)
        for key, value in counts.items()
        if value or keep_order  # a zero row is left out of a sorted table
    ]
    if not keep_order:
        shown = sorted((r for r in rows if not r.suppressed), key=lambda r: (-(r.value or 0), r.label, r.key))
        hidden = sorted((r for r in rows if r.suppressed), key=lambda r: (r.label, r.key))
        rows = [*shown, *hidden]
    total = None
    if total_label is not None and rows:
        total = Row(TOTAL, total_label, published.get((TOTAL, column)))
    return Table(tuple(rows), threshold, total)
