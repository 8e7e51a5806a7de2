"""The append-only, hash-chained audit log: who created, changed, viewed, downloaded, exported, shared,
published or erased what, and when.

Rows carry no foreign keys, so deleting an account or a record never rewrites history. The database refuses
UPDATE and DELETE on this table (triggers, migrations 0002 and 0013), and the model refuses them too.

Each event is a link of a chain: ``seq`` is its position (1, 2, 3 … with no gap), ``prev_hash`` the ``hash`` of
the event before it (64 zeros for the first) and ``hash`` the SHA-256 of :func:`chain_message` — its position,
content and ``prev_hash``. Changing, removing, reordering or inserting an event anywhere but at the end breaks
the chain there; ``bordermonitor audit verify`` finds where (see ``docs/audit.md``, which gives the recipe).
Every write goes through ``storage.audit.append``, which takes the next positions under a lock: saving one
event and ``bulk_create`` here call it too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from json.encoder import encode_basestring as _quote  # a JSON string, non-ASCII as it is (C when available)
from typing import Any, NoReturn

from django.db import models
from django.utils import timezone

__all__ = [
    "ACTIONS",
    "CHAIN_FORMAT",
    "ZERO_HASH",
    "AuditEvent",
    "canonical_details",
    "chain_hash",
    "chain_message",
    "chain_time",
]

ACTIONS = (
    "create", "update", "delete", "view", "download", "export", "share", "publish", "erase", "import", "integrity",
)  # fmt: skip
CHAIN_FORMAT = "bordermonitor-audit/1"
"""The first element of every hashed message: names the recipe, so a later one can never be mistaken for it."""
ZERO_HASH = "0" * 64
"""The ``prev_hash`` of the first event."""
_FORMAT = "[" + json.dumps(CHAIN_FORMAT)
CHAINED = (
    "seq",
    "at",
    "actor",
    "organisation",
    "action",
    "object_type",
    "object_id",
    "object_ref",
    "details",
)
"""The fields an event's hash covers, besides ``prev_hash`` (``id`` is not one: the chain orders by ``seq``)."""


def _plain(value: Any) -> Any:
    """``value`` as JSON gives it back: a float with an integral value becomes that integer (PostgreSQL's
    ``jsonb`` gives 1e16 back as 10000000000000000, and 2.0 as 2.0, which Python reads as a float)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


_canonical = json.JSONEncoder(
    ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
).encode
_plain_json = json.JSONEncoder(allow_nan=False).encode


def canonical_details(details: Any) -> str:
    """The canonical JSON text of an event's ``details``: read back as the database gives it (keys become
    strings, tuples lists), integral numbers as integers, keys sorted, no spaces, non-ASCII as it is."""
    if not details and isinstance(details, dict):
        return "{}"
    return _canonical(_plain(json.loads(_plain_json(details))))


def chain_time(at: dt.datetime) -> str:
    """An event's time as hashed: UTC, ISO 8601, always six digits of microseconds, ``Z``
    (``2024-05-01T12:00:00.000000Z``). A naive time is taken as UTC, as the database stores it."""
    if at.tzinfo is not None:
        at = at.astimezone(dt.UTC).replace(tzinfo=None)
    return at.isoformat(timespec="microseconds") + "Z"


_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


def _text(value: Any) -> str:
    """A JSON string (non-ASCII characters as they are), ``null``, or whatever else JSON makes of the value."""
    return _quote(value) if type(value) is str else "null" if value is None else _dumps(value)


def _number(value: Any) -> str:
    return int.__repr__(value) if type(value) is int else "null" if value is None else _dumps(value)


def chain_message(
    *,
    seq: int,
    at: str,
    actor: str,
    organisation: str | None,
    action: str,
    object_type: str,
    object_id: int | None,
    object_ref: str | None,
    details: str,
    prev_hash: str,
) -> bytes:
    """What an event's hash is taken over: the UTF-8 bytes of the JSON array ``[CHAIN_FORMAT, seq, at, actor,
    organisation, action, object_type, object_id, object_ref, details, prev_hash]``, with ``at`` from
    :func:`chain_time`, ``details`` the object whose text :func:`canonical_details` gives, no spaces and
    non-ASCII characters as they are. Each element is encoded as ``json.dumps`` would, and joined here: this
    runs once per event, a million times for a large import."""
    return (
        f"{_FORMAT},{_number(seq)},{_text(at)},{_text(actor)},{_text(organisation)},{_text(action)},"
        f"{_text(object_type)},{_number(object_id)},{_text(object_ref)},{details},{_text(prev_hash)}]"
    ).encode()


def chain_hash(**fields: Any) -> str:
    """SHA-256 (hex) of :func:`chain_message` of ``fields``."""
    return hashlib.sha256(chain_message(**fields)).hexdigest()


class AuditQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("audit events are append-only")

    def delete(self) -> NoReturn:
        raise PermissionError("audit events are append-only")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("audit events are append-only")

    def bulk_create(self, objs: Iterable[AuditEvent], *args: Any, **kwargs: Any) -> list[AuditEvent]:
        """Chain ``objs`` onto the log (``storage.audit.append``); Django's options (conflicts, batch size) do
        not apply to an append-only chain."""
        from bordermonitor.storage.audit import append  # the writer needs the model: imported when called

        events = list(objs)
        for event in events:
            if event.pk is not None:
                raise PermissionError("audit events are append-only")
        for event, row in zip(events, append([event.content() for event in events]), strict=True):
            event.took(row)
        return events


class AuditEvent(models.Model):
    seq = models.BigIntegerField(unique=True, help_text="Position in the chain: 1, 2, 3 … with no gap.")
    at = models.DateTimeField(default=timezone.now)
    actor = models.CharField(max_length=100, help_text="'user:<id>', 'cli' or 'system'.")
    organisation = models.CharField(max_length=40, null=True, blank=True)
    action = models.CharField(max_length=20, choices=[(a, a) for a in ACTIONS])
    object_type = models.CharField(max_length=40)
    object_id = models.BigIntegerField(null=True, blank=True)
    object_ref = models.CharField(max_length=200, null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(
        max_length=64, help_text="The hash of the event before (64 zeros for the first)."
    )
    hash = models.CharField(
        max_length=64, help_text="SHA-256 of the position, content and prev_hash (docs/audit.md)."
    )

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ("seq",)
        indexes = (models.Index(fields=("object_type", "object_id")),)
        constraints = (
            models.CheckConstraint(condition=models.Q(seq__gte=1), name="storage_auditevent_seq_positive"),
        )

    def __str__(self) -> str:
        return f"#{self.seq} {self.at:%Y-%m-%d %H:%M:%S} {self.actor} {self.action} {self.object_type} {self.object_ref}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("audit events are append-only")
        from bordermonitor.storage.audit import append  # the writer needs the model: imported when called

        (row,) = append([self.content()])
        self.took(row)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("audit events are append-only")

    def content(self) -> dict[str, Any]:
        """What the writer is given of this event: everything but its place in the chain."""
        return {name: getattr(self, name) for name in CHAINED if name != "seq"}

    def took(self, row: dict[str, Any]) -> None:
        """Take the values ``append`` stored (id, place in the chain, time and details as hashed)."""
        for name, value in row.items():
            setattr(self, name, value)
        self._state.adding = False
        self._state.db = "default"
