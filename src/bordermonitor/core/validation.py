"""The one validation layer: raw data in, a canonical :class:`ReportRecord` out, nothing lost.

A value that cannot be interpreted does not sink its record. It is taken out, kept verbatim in
``source.unparsed`` with the reason, and the record is flagged for review. A record is *rejected* only when
it cannot be a report at all (not an object, no usable ``ref``, ``organisation`` or ``kind``, another format).

Every problem is an :class:`Issue` whose text names the record and the field::

    report 'nnk-2019-044', incident.location.lat: 454826.06 is not a latitude
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from bordermonitor.core.records import FORMAT, ReportRecord, Unparsed
from bordermonitor.core.records import quote as _show

__all__ = ["Issue", "RecordRejected", "Validated", "validate_json", "validate_report"]

# Fields without which there is no report to keep: an error on one of these rejects the record.
_ESSENTIAL = frozenset({"ref", "organisation", "kind", "format"})
_MAX_ROUNDS = 200


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem in one field of one record."""

    record: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"report {self.record!r}, {self.field}: {self.message}"


class RecordRejected(ValueError):
    """The input cannot become a report; ``issues`` says why, naming the record and field."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        super().__init__("; ".join(str(i) for i in issues))


@dataclass(slots=True)
class Validated:
    """A canonical record and the issues found on the way (each also kept in ``record.source.unparsed``)."""

    record: ReportRecord
    issues: list[Issue] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return self.record.flagged


def _dotted(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _message(error: ErrorDetails) -> str:
    """A message a person can act on, without pydantic's vocabulary."""
    kind, value = error["type"], error.get("input")
    if kind == "value_error":
        return str(error["ctx"]["error"]) if "ctx" in error else error["msg"].removeprefix("Value error, ")
    if kind == "extra_forbidden":
        return "is not a field of interchange format v1; kept verbatim for review"
    if kind == "missing":
        return "is required"
    if kind in ("int_parsing", "int_from_float", "int_type"):
        return f"{_show(value)} is not a whole number"
    if kind in ("float_parsing", "float_type", "finite_number"):
        return f"{_show(value)} is not a number"
    if kind in ("bool_parsing", "bool_type"):
        return f"{_show(value)} is not true or false"
    if kind in ("literal_error", "enum"):
        expected = error.get("ctx", {}).get("expected", "")
        return f"{_show(value)} is not one of {expected}"
    if kind in ("list_type", "dict_type", "model_type", "model_attributes_type"):
        wanted = "a list" if kind == "list_type" else "an object"
        return f"{_show(value)} is not {wanted}"
    if kind in ("string_type",):
        return f"{_show(value)} is not text"
    if kind in ("greater_than_equal", "less_than_equal"):
        return f"{_show(value)} is out of range ({error['msg'].lower()})"
    return f"{_show(value)}: {error['msg']}"


def _storable(value: Any) -> Any:
    """A kept value as every database can store it: NUL and half-emoji characters written as escapes."""
    if isinstance(value, str):
        if "\x00" in value or any("\ud800" <= ch <= "\udfff" for ch in value):
            return value.replace("\x00", "\\u0000").encode("utf-8", "backslashreplace").decode("utf-8")
        return value
    if isinstance(value, list):
        return [_storable(v) for v in value]
    if isinstance(value, dict):
        return {_storable(k): _storable(v) for k, v in value.items()}
    if isinstance(value, float) and value != value:  # NaN is not JSON
        return "NaN"
    return value


def _cut(loc: tuple[int | str, ...]) -> tuple[int | str, ...]:
    """The part of the input to take out for an error at ``loc``: the innermost list item, else the field."""
    for i in range(len(loc) - 1, -1, -1):
        if isinstance(loc[i], int):
            return loc[: i + 1]
    return loc


def _take(data: Any, loc: tuple[int | str, ...]) -> tuple[bool, Any]:
    """Remove ``loc`` from ``data`` in place; returns (found, removed value)."""
    parent = data
    for part in loc[:-1]:
        try:
            parent = parent[part]
        except (KeyError, IndexError, TypeError):
            return False, None
    last = loc[-1]
    if isinstance(parent, list) and isinstance(last, int) and 0 <= last < len(parent):
        return True, parent.pop(last)
    if isinstance(parent, dict) and last in parent:
        return True, parent.pop(last)
    return False, None


def _label(data: Mapping[str, Any], fallback: str) -> str:
    ref = data.get("ref") if isinstance(data, Mapping) else None
    return ref.strip() if isinstance(ref, str) and ref.strip() else fallback


def validate_report(raw: Any, *, where: str = "?", organisation: str | None = None) -> Validated:
    """Validate one report given as parsed JSON (or any mapping of the interchange shape).

    ``where`` names the record in messages when it has no ``ref`` (for example ``line 12``).
    ``organisation`` overrides the record's own organisation (``import jsonl --organisation``).
    Raises :class:`RecordRejected` when the input cannot be a report.
    """
    if not isinstance(raw, Mapping):
        raise RecordRejected([Issue(where, "(record)", f"{_show(raw)} is not a JSON object")])
    label = _label(raw, where)
    data: dict[str, Any] = dict(raw)
    if organisation is not None:
        data["organisation"] = organisation
    data.setdefault("format", FORMAT)
    if data.get("status") is None:
        data.pop("status", None)  # absent (or null) status means "submitted"
    try:
        return _review_signed_counts(Validated(ReportRecord.model_validate(data)), label)
    except ValidationError:
        pass
    return _review_signed_counts(_validate_leniently(copy.deepcopy(data), label), label)


def validate_json(line: str | bytes, *, where: str = "?", organisation: str | None = None) -> Validated:
    """Validate one line of interchange JSON; the fast path for clean input skips building a dict twice."""
    if organisation is None:
        try:
            record = ReportRecord.model_validate_json(line)
        except ValidationError:
            pass
        else:
            label = record.ref
            return _review_signed_counts(Validated(record), label)
    try:
        raw = json.loads(line)
    except ValueError as exc:
        raise RecordRejected([Issue(where, "(record)", f"is not valid JSON ({exc})")]) from exc
    return validate_report(raw, where=where, organisation=organisation)


_NEGATIVE = "negative count kept as given (a dataset may correct an earlier count this way); please check"


def _review_signed_counts(result: Validated, label: str) -> Validated:
    """Negative dead/missing counts are kept (they count in sums, as in the source) but flagged for review."""
    incident = result.record.incident
    for name in ("dead", "missing"):
        value = getattr(incident, name)
        if value is not None and value < 0:
            entry = Unparsed(field=f"incident.{name}", value=value, reason=_NEGATIVE)
            if entry not in result.record.source.unparsed:
                result.record.source.unparsed.append(entry)
                result.issues.append(Issue(label, f"incident.{name}", _NEGATIVE))
    return result


def _validate_leniently(data: dict[str, Any], label: str) -> Validated:
    kept: list[Unparsed] = []
    issues: list[Issue] = []
    for _ in range(_MAX_ROUNDS):
        try:
            record = ReportRecord.model_validate(data)
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
            fatal = [e for e in errors if e["loc"] and e["loc"][0] in _ESSENTIAL]
            if fatal:
                raise RecordRejected([Issue(label, _dotted(e["loc"]), _message(e)) for e in fatal]) from None
            # Deepest and last list items first, so taking one out does not shift the next.
            for error in sorted(errors, key=lambda e: [str(p).zfill(9) for p in e["loc"]], reverse=True):
                loc = tuple(error["loc"])
                if error.get("input", ...) is None:  # null means unknown (METHODOLOGY §5): not a problem
                    _take(data, loc)
                    continue
                unknown_key = error["type"] == "extra_forbidden"  # take out the key, keep its item
                found, value = _take(data, loc if unknown_key else _cut(loc))
                if not found:
                    continue
                message = _message(error)
                if loc == (
                    "status",
                ):  # an unreadable status must not pass as submitted: start over as a draft
                    data["status"] = "draft"
                    message += "; the report is kept as a draft"
                kept.append(Unparsed(field=_dotted(loc), value=_storable(value), reason=message))
                issues.append(Issue(label, _dotted(loc), message))
            continue
        if kept:
            known = {(u.field, _show(u.value), u.reason) for u in record.source.unparsed}
            fresh = [u for u in reversed(kept) if (u.field, _show(u.value), u.reason) not in known]
            record.source.unparsed.extend(fresh)
        return Validated(record, list(reversed(issues)))
    raise RecordRejected([Issue(label, "(record)", "too many uninterpretable fields to keep this record")])
