"""Retention and erasure (SECURITY goal 11): each organisation's schedule, the erasure rules as named classes,
and erasing one report by destroying its keys (crypto-shredding). See docs/retention.md.

- :mod:`.rules` — :class:`EraseEvidence`, :class:`EraseTestimony`, :class:`EraseRecord`: what each destroys.
- :mod:`.erasing` — :func:`erase` (one report, one transaction, one ``erase`` audit event), :func:`erase_ref`;
  what was erased (:func:`strongest_erasure`, :func:`erased_reports`).
- :mod:`.schedule` — the schedule lines (:func:`set_line`, :func:`remove_line`, :func:`schedule`) and
  :func:`apply_schedule` (with a dry run).
"""

from bordermonitor.storage.retention.erasing import (
    MAX_REASON,
    AlreadyErased,
    Erased,
    ErasureRefused,
    NoReason,
    UnknownReport,
    compact,
    erase,
    erase_ref,
    erased_reports,
    erasing,
    strongest_erasure,
)
from bordermonitor.storage.retention.rules import (
    ERASED_KEY_HEADER,
    RULES,
    TOMBSTONE_KEEPS,
    EraseEvidence,
    EraseRecord,
    EraseTestimony,
    ErasureRule,
    erased_evidence,
    rule_named,
)
from bordermonitor.storage.retention.schedule import (
    MAX_DAYS,
    Applied,
    Due,
    ScheduleLine,
    ScheduleRefused,
    apply_schedule,
    due,
    erasures_done,
    remove_line,
    schedule,
    set_line,
)

__all__ = [
    "ERASED_KEY_HEADER",
    "MAX_DAYS",
    "MAX_REASON",
    "RULES",
    "TOMBSTONE_KEEPS",
    "AlreadyErased",
    "Applied",
    "Due",
    "EraseEvidence",
    "EraseRecord",
    "EraseTestimony",
    "Erased",
    "ErasureRefused",
    "ErasureRule",
    "NoReason",
    "ScheduleLine",
    "ScheduleRefused",
    "UnknownReport",
    "apply_schedule",
    "compact",
    "due",
    "erase",
    "erase_ref",
    "erased_evidence",
    "erased_reports",
    "erasing",
    "erasures_done",
    "remove_line",
    "rule_named",
    "schedule",
    "set_line",
    "strongest_erasure",
]
