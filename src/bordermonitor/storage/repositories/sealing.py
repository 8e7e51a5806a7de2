"""Sealing in bulk: record keys made many at a time, values sealed in Python before the bulk inserts.

The import writes reports with :func:`~bordermonitor.storage.repositories.bulk.insert_rows`, which bypasses the
ORM: :func:`seal_report_rows` gives each new row with a sensitive value its own record key (one ``INSERT`` or
``COPY`` for all keys of an organisation) and replaces the values by their tokens, so no plain value and no
per-row query reaches the database. Sealing itself is :mod:`bordermonitor.core.sealing`; the fields and their
labels are :mod:`bordermonitor.storage.models.sealed`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from bordermonitor.core.sealing import new_key, seal, seal_text
from bordermonitor.storage.models import RecordKey, Report
from bordermonitor.storage.models.sealed import SealedField, sealed_fields
from bordermonitor.storage.repositories.bulk import allocate_ids, insert_rows

__all__ = ["new_record_keys", "record_key_label", "seal_report_rows", "seal_rows"]


def record_key_label(organisation_id: int, key_id: int) -> str:
    """What a record key is wrapped with as associated data: the same as ``storage.keys`` (which unwraps it)."""
    return f"record-key:{organisation_id}:{key_id}"


def new_record_keys(
    organisation_id: int,
    count: int,
    *,
    model: type[models.Model] = RecordKey,
    data_key: tuple[int, bytes] | None = None,
) -> list[tuple[int, bytes]]:
    """``count`` fresh record keys of the organisation, stored wrapped by its current data key in one insert;
    their ids and keys. ``model`` and ``data_key`` are for the migration, which uses its own state's models."""
    if count == 0:
        return []
    if data_key is None:
        from bordermonitor.storage.keys import data_key as current_data_key

        data_key = current_data_key(organisation_id)
    version, wrapping = data_key
    now = timezone.now()
    with transaction.atomic():
        ids = allocate_ids(model, count)
        keys = [new_key() for _ in ids]
        insert_rows(
            model,
            [
                {
                    "id": key_id,
                    "organisation_id": organisation_id,
                    "key_version": version,
                    "wrapped": seal(wrapping, key, record_key_label(organisation_id, key_id)),
                    "created_at": now,
                }
                for key_id, key in zip(ids, keys, strict=True)
            ],
        )
    return list(zip(ids, keys, strict=True))


def seal_rows(
    rows: Sequence[dict[str, Any]],
    fields: dict[str, SealedField],
    keys: Sequence[tuple[int, bytes] | None],
) -> None:
    """Seal ``fields`` of each row in place with its key (None: the row holds no value; its empties become
    NULL) and set its ``record_key_id``."""
    for row, pair in zip(rows, keys, strict=True):
        if pair is None:
            for name in fields:
                if name in row:
                    row[name] = None
            continue
        key_id, key = pair
        row["record_key_id"] = key_id
        for name, field in fields.items():
            value = row.get(name)
            row[name] = (
                None if field.is_empty(value) else seal_text(key, key_id, field.encode(value), field.label)
            )


def seal_report_rows(rows: Sequence[dict[str, Any]]) -> None:
    """Seal the sensitive columns of new report rows (dicts by attribute name, with ``organisation_id``) in
    place: each row with a value gets a record key of its organisation, made in bulk."""
    fields = sealed_fields(Report)
    wanting: dict[int, list[int]] = defaultdict(list)
    for index, row in enumerate(rows):
        if any(not field.is_empty(row.get(name)) for name, field in fields.items()):
            wanting[row["organisation_id"]].append(index)
    keys: list[tuple[int, bytes] | None] = [None] * len(rows)
    for organisation_id, indexes in wanting.items():
        for index, pair in zip(indexes, new_record_keys(organisation_id, len(indexes)), strict=True):
            keys[index] = pair
    seal_rows(rows, fields, keys)
