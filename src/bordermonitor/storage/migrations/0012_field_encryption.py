"""Migration: sensitive fields sealed with per-record keys (SECURITY goal 2), and a search index without them.

1. The search index of migration 0005 held the title and the narratives in plain text: it is dropped.
2. Reports, versions and drafts get ``record_key``; reports get ``erased_at``.
3. The sensitive fields become sealed text columns (``storage.models.sealed``); JSON columns become text.
4. Every value already stored is sealed with its record's new key, in Python, a chunk of rows at a time (the
   keys of an organisation made in one insert per chunk). Empty values become NULL.
5. The search index is made again over what may be read without keys: the public title and narrative (the
   reviewed, anonymised versions) and the place and region names.

The data step reads and writes the columns with plain SQL and makes keys with this migration's own models, so
it keeps working after later migrations change the models. A later migration that makes SQLite rebuild
``storage_report`` drops the search triggers with the old table: it must run ``SQLITE_TRIGGERS`` below again
and rebuild the index (0005's note applies, with these definitions).

Reversing opens every value again (values whose key was destroyed stay empty) and restores 0005's index.
"""

from __future__ import annotations

import importlib
import json
from collections import defaultdict
from typing import Any

import django.db.models.deletion
from django.db import migrations, models

import bordermonitor.storage.models.sealed

FTS = "storage_report_search"
SEARCHED = ("public_title", "public_narrative", "place", "region")
SQLITE_TABLE = (
    "CREATE VIRTUAL TABLE storage_report_search USING fts5(public_title, public_narrative, place, region, "
    "content='storage_report', content_rowid='id', "
    "tokenize=\"unicode61 remove_diacritics 2 categories 'L* N* Co M*'\")"
)
SQLITE_TRIGGERS = (
    "CREATE TRIGGER storage_report_search_ai AFTER INSERT ON storage_report BEGIN "
    "INSERT INTO storage_report_search(rowid, public_title, public_narrative, place, region) "
    "VALUES (new.id, new.public_title, new.public_narrative, new.place, new.region); END",
    "CREATE TRIGGER storage_report_search_ad AFTER DELETE ON storage_report BEGIN "
    "INSERT INTO storage_report_search"
    "(storage_report_search, rowid, public_title, public_narrative, place, region) "
    "VALUES ('delete', old.id, old.public_title, old.public_narrative, old.place, old.region); END",
    "CREATE TRIGGER storage_report_search_au "
    "AFTER UPDATE OF id, public_title, public_narrative, place, region ON storage_report BEGIN "
    "INSERT INTO storage_report_search"
    "(storage_report_search, rowid, public_title, public_narrative, place, region) "
    "VALUES ('delete', old.id, old.public_title, old.public_narrative, old.place, old.region); "
    "INSERT INTO storage_report_search(rowid, public_title, public_narrative, place, region) "
    "VALUES (new.id, new.public_title, new.public_narrative, new.place, new.region); END",
)
SQLITE_REBUILD = "INSERT INTO storage_report_search(storage_report_search) VALUES ('rebuild')"
PG_SEARCH = (
    "CREATE INDEX report_search_gin ON storage_report USING GIN (to_tsvector('simple', "
    "coalesce(public_title, '') || ' ' || coalesce(public_narrative, '') || ' ' || coalesce(place, '') || ' ' || "
    "coalesce(region, '')))"
)

REPORT_TEXT = ("title", "narrative_text", "narrative_translation_en")
REPORT_JSON = ("known_names", "source_original", "source_unparsed")
_CHUNK = 2000


def _search_0005() -> Any:
    return importlib.import_module("bordermonitor.storage.migrations.0005_search")


def _drop_search(schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        for suffix in ("ai", "ad", "au"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {FTS}_{suffix}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS}")
    elif schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS report_search_gin")


def drop_old_search(apps: Any, schema_editor: Any) -> None:
    _drop_search(schema_editor)


def restore_old_search(apps: Any, schema_editor: Any) -> None:
    old = _search_0005()
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(old.SQLITE_TABLE)
        for sql in old.SQLITE_TRIGGERS:
            schema_editor.execute(sql)
        schema_editor.execute(SQLITE_REBUILD)
    elif schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(old.PG_INDEXES[0])


def create_search(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_TABLE)
        for sql in SQLITE_TRIGGERS:
            schema_editor.execute(sql)
        schema_editor.execute(SQLITE_REBUILD)
    elif schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_SEARCH)


def drop_search(apps: Any, schema_editor: Any) -> None:
    _drop_search(schema_editor)


# --- keys, with this migration's models ----------------------------------------------------------------


class _Keys:
    """Organisation data keys and new record keys, through the models of this migration's state. The labels
    are those of ``storage.keys`` (which opens what is made here)."""

    def __init__(self, apps: Any) -> None:
        self.organisation_key = apps.get_model("storage", "OrganisationKey")
        self.record_key = apps.get_model("storage", "RecordKey")
        self.data: dict[tuple[int, int | None], tuple[int, bytes]] = {}

    def data_key(self, organisation_id: int, version: int | None = None) -> tuple[int, bytes]:
        if (organisation_id, version) in self.data:
            return self.data[(organisation_id, version)]
        from bordermonitor.core.age import Identity
        from bordermonitor.core.sealing import new_key, seal, unseal
        from bordermonitor.storage.keys import master_key

        rows = self.organisation_key.objects.filter(organisation_id=organisation_id)
        row = (
            rows.filter(retired_at__isnull=True).order_by("-version").first()
            if version is None
            else rows.filter(version=version).first()
        )
        master = master_key()
        if row is None:  # as storage.keys makes an organisation's first keys
            number = (rows.aggregate(models.Max("version"))["version__max"] or 0) + 1
            identity = Identity.generate()
            row = self.organisation_key.objects.create(
                organisation_id=organisation_id,
                version=number,
                data_key=seal(master, new_key(), f"data-key:{organisation_id}:{number}"),
                evidence_recipient=str(identity.recipient),
                evidence_identity=seal(
                    master, str(identity).encode(), f"evidence-identity:{organisation_id}:{number}"
                ),
            )
        key = unseal(master, bytes(row.data_key), f"data-key:{organisation_id}:{row.version}")
        self.data[(organisation_id, version)] = (row.version, key)
        return row.version, key

    def new(self, organisation_id: int, count: int) -> list[tuple[int, bytes]]:
        from bordermonitor.storage.repositories.sealing import new_record_keys

        return new_record_keys(
            organisation_id, count, model=self.record_key, data_key=self.data_key(organisation_id)
        )

    def opened(self, key_ids: set[int]) -> dict[int, bytes | None]:
        from bordermonitor.core.sealing import unseal

        out: dict[int, bytes | None] = {}
        for row in self.record_key.objects.filter(pk__in=key_ids):
            if row.wrapped is None:
                out[row.pk] = None
                continue
            _, wrapping = self.data_key(row.organisation_id, row.key_version)
            out[row.pk] = unseal(wrapping, bytes(row.wrapped), f"record-key:{row.organisation_id}:{row.pk}")
        return out


# --- sealing what is stored ----------------------------------------------------------------------------


def _value(raw: Any, is_json: bool) -> Any:
    """A stored value as Python (JSON columns hold text once altered; PostgreSQL may return it parsed)."""
    if raw is None:
        return None
    if is_json and isinstance(raw, str | bytes):
        return json.loads(raw)
    return raw


def _chunks(cursor: Any, table: str, columns: tuple[str, ...]) -> Any:
    """Rows ``(id, *columns)`` of ``table`` by id, a chunk at a time."""
    last = 0
    while True:
        cursor.execute(
            f"SELECT id, {', '.join(columns)} FROM {table} WHERE id > %s ORDER BY id LIMIT {_CHUNK}",  # noqa: S608
            [last],
        )
        rows = cursor.fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def seal_existing(apps: Any, schema_editor: Any) -> None:
    from bordermonitor.core.sealing import is_sealed_text, seal_text

    keys = _Keys(apps)
    report_model = apps.get_model("storage", "Report")
    fields = {name: report_model._meta.get_field(name) for name in (*REPORT_TEXT, *REPORT_JSON)}
    opened: dict[int, bytes] = {}
    report_keys: dict[int, int] = {}

    def key(key_id: int) -> bytes:
        if key_id not in opened:
            found = keys.opened({key_id}).get(key_id)
            if found is None:
                raise RuntimeError(f"record key {key_id} was destroyed: its values cannot be sealed again")
            opened[key_id] = found
        return opened[key_id]

    def sealed(field: Any, key_id: int, value: Any) -> str | None:
        if field.is_empty(value):
            return None
        if isinstance(value, str) and is_sealed_text(value):
            return value  # sealed already
        return seal_text(key(key_id), key_id, field.encode(value), field.label)

    with schema_editor.connection.cursor() as cursor:
        for rows in _chunks(cursor, "storage_report", ("organisation_id", "record_key_id", *fields)):
            waiting: dict[int, list[int]] = defaultdict(list)  # organisation → report ids needing a key
            values: dict[int, list[Any]] = {}
            for pk, organisation_id, key_id, *raw in rows:
                values[pk] = [_value(v, name in REPORT_JSON) for name, v in zip(fields, raw, strict=True)]
                if key_id is not None:
                    report_keys[pk] = key_id
                elif any(not fields[n].is_empty(v) for n, v in zip(fields, values[pk], strict=True)):
                    waiting[organisation_id].append(pk)
            for organisation_id, pks in waiting.items():
                for pk, (key_id, made) in zip(pks, keys.new(organisation_id, len(pks)), strict=True):
                    report_keys[pk], opened[key_id] = key_id, made
            updates = []
            for pk, row in values.items():
                key_id = report_keys.get(pk)
                if key_id is None:  # nothing to seal: empty lists and objects become NULL
                    updates.append([None, *([None] * len(fields)), pk])
                    continue
                updates.append(
                    [key_id, *(sealed(fields[n], key_id, v) for n, v in zip(fields, row, strict=True)), pk]
                )
            cursor.executemany(
                "UPDATE storage_report SET record_key_id = %s, "  # noqa: S608 - the model's columns
                + ", ".join(f"{name} = %s" for name in fields)
                + " WHERE id = %s",
                updates,
            )

        cursor.execute("SELECT id, organisation_id FROM storage_report")
        organisation_of = dict(cursor.fetchall())

        def key_of_report(report_id: int) -> int:
            """The report's key, made for a report that had no sealed value but has a version or draft."""
            if report_id not in report_keys:
                ((key_id, made),) = keys.new(organisation_of[report_id], 1)
                cursor.execute(
                    "UPDATE storage_report SET record_key_id = %s WHERE id = %s", [key_id, report_id]
                )
                report_keys[report_id], opened[key_id] = key_id, made
            return report_keys[report_id]

        record = apps.get_model("storage", "ReportVersion")._meta.get_field("record")
        for rows in _chunks(cursor, "storage_reportversion", ("report_id", "record")):
            updates = []
            for pk, report_id, raw in rows:
                key_id = key_of_report(report_id)
                updates.append([key_id, sealed(record, key_id, _value(raw, True)), pk])
            cursor.executemany(
                "UPDATE storage_reportversion SET record_key_id = %s, record = %s WHERE id = %s", updates
            )

        data = apps.get_model("storage", "ReportDraft")._meta.get_field("data")
        for rows in _chunks(cursor, "storage_reportdraft", ("report_id", "organisation_id", "data")):
            updates = []
            for pk, report_id, organisation_id, raw in rows:
                value = _value(raw, True)
                if data.is_empty(value):
                    updates.append([None, None, pk])
                    continue
                if report_id is not None:
                    key_id = key_of_report(report_id)
                else:  # a draft of a report not created yet: a key of its own
                    ((key_id, made),) = keys.new(organisation_id, 1)
                    opened[key_id] = made
                updates.append([key_id, sealed(data, key_id, value), pk])
            cursor.executemany(
                "UPDATE storage_reportdraft SET record_key_id = %s, data = %s WHERE id = %s", updates
            )
        if schema_editor.connection.vendor == "postgresql":
            # the rows' deferred foreign-key checks run now: an index cannot be made on a table with checks
            # still pending in the transaction
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def open_existing(apps: Any, schema_editor: Any) -> None:
    """Reverse: every sealed value back in plain text (JSON as JSON text); erased values stay NULL."""
    from bordermonitor.core.sealing import is_sealed_text, key_id_of, open_text

    keys = _Keys(apps)
    report_model = apps.get_model("storage", "Report")
    tables = (
        ("storage_report", report_model, (*REPORT_TEXT, *REPORT_JSON)),
        ("storage_reportversion", apps.get_model("storage", "ReportVersion"), ("record",)),
        ("storage_reportdraft", apps.get_model("storage", "ReportDraft"), ("data",)),
    )
    with schema_editor.connection.cursor() as cursor:
        for table, model, names in tables:
            fields = [model._meta.get_field(name) for name in names]
            for rows in list(_chunks(cursor, table, names)):
                ids = {key_id_of(v) for row in rows for v in row[1:] if v is not None and is_sealed_text(v)}
                opened = keys.opened(ids)
                updates = []
                for pk, *raw in rows:
                    plain = []
                    for field, value in zip(fields, raw, strict=True):
                        if value is None or not is_sealed_text(value):
                            plain.append(value)
                            continue
                        key = opened.get(key_id_of(value))
                        text = None if key is None else open_text(key, value, field.label)
                        plain.append(text)  # JSON columns: the JSON text, as the JSON column takes it
                    updates.append([*plain, pk])
                cursor.executemany(
                    f"UPDATE {table} SET " + ", ".join(f"{n} = %s" for n in names) + " WHERE id = %s",  # noqa: S608
                    updates,
                )


def _sealed(cls: type, **kwargs: Any) -> Any:
    return cls(blank=True, null=True, **kwargs)


_KEY_HELP = "The key of this record's sealed values; made when the first one is saved."


def _record_key() -> models.ForeignKey:  # type: ignore[type-arg]
    return models.ForeignKey(
        blank=True,
        help_text=_KEY_HELP,
        null=True,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="storage.recordkey",
    )


_TEXT = bordermonitor.storage.models.sealed.SealedTextField
_JSON = bordermonitor.storage.models.sealed.SealedJSONField


class Migration(migrations.Migration):
    dependencies = [("storage", "0011_evidence_encryption")]

    operations: list[migrations.operations.base.Operation] = [
        migrations.RunPython(drop_old_search, restore_old_search, elidable=False),
        migrations.AddField(
            model_name="report",
            name="erased_at",
            field=models.DateTimeField(
                blank=True,
                help_text="When its sealed values were erased (its record key destroyed); the coded fields stay.",
                null=True,
            ),
        ),
        migrations.AddField(model_name="report", name="record_key", field=_record_key()),
        migrations.AddField(model_name="reportdraft", name="record_key", field=_record_key()),
        migrations.AddField(model_name="reportversion", name="record_key", field=_record_key()),
        migrations.AlterField(
            model_name="report",
            name="title",
            field=_sealed(_TEXT, help_text="Typed by the documenter; may name people: sealed."),
        ),
        migrations.AlterField(
            model_name="report",
            name="narrative_text",
            field=_sealed(_TEXT, help_text="The testimony as told: sealed."),
        ),
        migrations.AlterField(
            model_name="report",
            name="narrative_translation_en",
            field=_sealed(_TEXT, help_text="The testimony in English: sealed."),
        ),
        migrations.AlterField(
            model_name="report",
            name="known_names",
            field=_sealed(
                _JSON,
                default=list,
                empty="list",
                help_text="Names the source gave (the person, companions, drivers, officers): never published; "
                "the public version is redacted of them. Sealed.",
            ),
        ),
        migrations.AlterField(
            model_name="report",
            name="source_original",
            field=_sealed(_JSON, default=dict, empty="dict", help_text="The source's row, verbatim: sealed."),
        ),
        migrations.AlterField(
            model_name="report",
            name="source_unparsed",
            field=_sealed(
                _JSON, default=list, empty="list", help_text="Verbatim values not understood: sealed."
            ),
        ),
        migrations.AlterField(
            model_name="reportdraft",
            name="data",
            field=_sealed(
                _JSON, default=dict, empty="dict", help_text="Field name → value as typed: sealed."
            ),
        ),
        migrations.AlterField(
            model_name="reportversion",
            name="record",
            field=_sealed(
                _JSON,
                default=dict,
                empty="dict",
                help_text="The report in interchange shape after this save: sealed.",
            ),
        ),
        migrations.RunPython(seal_existing, open_existing, elidable=False),
        migrations.RunPython(create_search, drop_search, elidable=False),
    ]
