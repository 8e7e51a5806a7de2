"""What every write of the register and the mobilisation log shares: the refusal that names the record and the
field (:class:`Invalid`), the audit event, and the reading of typed texts and dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from bordermonitor.storage.audit import append, event_rows

__all__ = ["Invalid", "NotFound", "apply_changes", "audit", "checked_date", "clean_text", "required"]

_EARLIEST = dt.date(1950, 1, 1)
_LATEST_DUE = dt.date(2100, 12, 31)


class Invalid(ValueError):
    """Bad input; nothing was saved. ``record`` names the record (in English, for logs and the command line),
    ``field`` the form field, ``message`` the reason (in the active language, for the page)."""

    def __init__(self, record: str, field: str, message: str) -> None:
        self.record, self.field, self.message = record, field, message
        super().__init__(f"{record}: {field}: {message}")


class NotFound(LookupError):
    """No such stakeholder, event, plan, measure, target, charter version or signature."""


def audit(action: str, obj: Any, ref: str, details: dict[str, Any] | None = None) -> None:
    """Write one audit event about ``obj`` (network-wide: no organisation), referred to by ``ref``."""
    append(event_rows(action, obj._meta.model_name or "", [(obj.pk, ref, None)], details=details))


def apply_changes(obj: Any, values: Mapping[str, Any]) -> list[str]:
    """Set ``values`` on ``obj``; the names of the fields whose value changed."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    return changed


def clean_text(value: str | None) -> str | None:
    """A typed text: line endings made one, surrounding space dropped, empty → None (unknown)."""
    if value is None:
        return None
    value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    return value or None


def required(record: str, field: str, value: str | None, limit: int) -> str:
    text = clean_text(value)
    if text is None:
        raise Invalid(record, field, _("This field is required."))
    if len(text) > limit:
        raise Invalid(record, field, _("At most %(limit)d characters.") % {"limit": limit})
    return text


def checked_date(record: str, field: str, value: dt.date | None, *, future: bool = False) -> dt.date | None:
    """A date of something that happened (``future``: or is due), within reason."""
    if value is None:
        return None
    if value < _EARLIEST:
        raise Invalid(record, field, _("The date is before 1950: check the year."))
    if not future and value > timezone.localdate():
        raise Invalid(record, field, _("The date is in the future."))
    if value > _LATEST_DUE:
        raise Invalid(record, field, _("The date is after 2100: check the year."))
    return value
