"""The streamed bodies of the list's exports.

CSV: one row per report, coded fields only (no title, narrative, place or names), the expelling chain and
the violence codes joined, UTF-8 with a byte-order mark so that spreadsheet programs read Arabic and Farsi
right, and every text cell that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, tab,
carriage return) prefixed with ``'``. Analysts' rows come from ``core.pseudonymise`` only.
JSONL: interchange format v1, one canonical line per report, as ``bordermonitor export`` writes it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence

from bordermonitor.core.records import ReportRecord
from bordermonitor.storage.access import Access
from bordermonitor.storage.listing import ListRow, iter_records, iter_rows

BOM = "\ufeff"
CSV_COLUMNS = (
    "report",
    "pseudonymised",
    "organisation",
    "kind",
    "status",
    "recorded",
    "incident_date",
    "incident_kind",
    "country",
    "expelled_by",
    "expelled_to",
    "violence",
    "group_size",
    "minors_involved",
    "dead",
    "missing",
    "flagged",
    "evidence_count",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """``value`` as a spreadsheet will not run it: text starting like a formula gets a leading ``'``.
    Numbers are left alone (a signed count such as -1 is data, not a formula)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def csv_cells(row: ListRow) -> list[object]:
    cells: list[object] = [
        row.pseudonym if row.pseudonym else row.ref,
        _yes_no(row.pseudonym is not None),
        row.organisation,
        row.kind,
        row.status,
        row.recorded,
        row.date,
        row.incident_kind,
        row.country,
        ">".join(row.expelled_by),
        row.expelled_to,
        "|".join(row.violence),
        row.group_size,
        row.minors_involved,
        row.dead,
        row.missing,
        _yes_no(row.flagged),
        row.evidence,
    ]
    return [safe_cell("" if cell is None else cell) for cell in cells]


class _Line:
    """A file-like object whose ``write`` hands the line back (csv.writer writes one row at a time)."""

    def write(self, text: str) -> str:
        return text


def csv_lines(access: Access, ids: Sequence[int]) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield BOM + writer.writerow(CSV_COLUMNS)
    for row in iter_rows(access, ids):
        yield writer.writerow(csv_cells(row))


def jsonl_lines(ids: Sequence[int]) -> Iterator[str]:
    for _report, record in iter_records(ids):
        yield ReportRecord.model_validate(record).to_json() + "\n"
