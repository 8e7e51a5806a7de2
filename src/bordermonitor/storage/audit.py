"""Writing audit events: who (the current actor), which organisation, what action, which object, when.

The actor is set once per request (web middleware) or per command (CLI) with :func:`acting_as`; model saves
and deletes of reports and incidents write their event through signals, and bulk paths in the repositories
insert :func:`event_rows` themselves, so every path leaves a trace.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from bordermonitor.storage.models import AuditEvent, Incident, Report

__all__ = ["acting_as", "current_actor", "event_rows", "record"]

_actor: ContextVar[str] = ContextVar("bordermonitor_actor", default="system")


def current_actor() -> str:
    return _actor.get()


@contextmanager
def acting_as(actor: str) -> Iterator[None]:
    """Attribute the audit events written inside the block to ``actor`` ('user:12', 'cli', …)."""
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)


def _organisation_code(obj: Report | Incident) -> str | None:
    organisation = getattr(obj, "organisation", None)
    return organisation.code if organisation is not None else None


def event_rows(
    action: str,
    object_type: str,
    objects: Iterable[tuple[int, str, str | None]],
    *,
    details: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Event rows, one per ``(object id, ref, organisation code)``, by the current actor, now.

    Bulk writes insert them in their own transaction; :func:`record` saves one.
    """
    now = timezone.now()
    actor = current_actor()
    return [
        {
            "at": now,
            "actor": actor,
            "organisation": organisation,
            "action": action,
            "object_type": object_type,
            "object_id": pk,
            "object_ref": ref,
            "details": details or {},
        }
        for pk, ref, organisation in objects
    ]


def record(action: str, obj: Report | Incident, *, details: dict[str, Any] | None = None) -> AuditEvent:
    """Write one event about ``obj`` now."""
    (row,) = event_rows(
        action, obj._meta.model_name or "", [(obj.pk, obj.ref, _organisation_code(obj))], details=details
    )
    return AuditEvent.objects.create(**row)


def _on_save(sender: type[Report | Incident], instance: Report | Incident, created: bool, **_: Any) -> None:
    record("create" if created else "update", instance)


def _on_delete(sender: type[Report | Incident], instance: Report | Incident, **_: Any) -> None:
    record("delete", instance)


def connect() -> None:
    for model in (Report, Incident):
        post_save.connect(_on_save, sender=model, dispatch_uid=f"audit-save-{model.__name__}")
        post_delete.connect(_on_delete, sender=model, dispatch_uid=f"audit-delete-{model.__name__}")
