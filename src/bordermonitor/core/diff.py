"""What changed between two versions of a report, field by field, for reviewers ("since my last look")
and for the edit-conflict message ("someone else changed these fields meanwhile")."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["Change", "changed_paths", "diff", "flatten"]

_IGNORED = frozenset({"format"})


@dataclass(frozen=True, slots=True)
class Change:
    path: str  # dotted, e.g. "incident.location.place"
    before: Any
    after: Any


def flatten(record: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Leaf values of a record by dotted path; lists are one value (their order is part of them)."""
    for key, value in record.items():
        if not prefix and key in _IGNORED:
            continue
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            yield from flatten(value, f"{path}.")
        else:
            yield path, value


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[Change]:
    """Every path whose value differs, in the order of ``after`` (then paths only ``before`` has)."""
    old, new = dict(flatten(before)), dict(flatten(after))
    changes = [Change(path, old.get(path), value) for path, value in new.items() if old.get(path) != value]
    changes += [
        Change(path, value, None) for path, value in old.items() if path not in new and value is not None
    ]
    return changes


def changed_paths(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    return [change.path for change in diff(before, after)]
