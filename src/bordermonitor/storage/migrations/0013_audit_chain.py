"""Migration: hash-chained audit log.

Every event gets ``seq`` (its position), ``prev_hash`` and ``hash`` (``docs/audit.md``). The events already
stored are chained in the order they were written (by id). The append-only triggers of migration 0002 would
refuse that, and SQLite rebuilds the table for the new columns (which drops its triggers), so they are dropped
first and made again, the same, at the end.
"""

import importlib
from typing import Any

from django.db import migrations, models

APPEND_ONLY = importlib.import_module("bordermonitor.storage.migrations.0002_audit_append_only")
BATCH = 5000


def drop_triggers(apps: Any, schema_editor: Any) -> None:
    APPEND_ONLY.backwards(apps, schema_editor)


def create_triggers(apps: Any, schema_editor: Any) -> None:
    APPEND_ONLY.forwards(apps, schema_editor)


def chain_existing(apps: Any, schema_editor: Any) -> None:
    """Give the events stored so far their place in the chain, oldest first, in one pass (by batches of ids)."""
    from bordermonitor.storage.audit import stored_hash
    from bordermonitor.storage.models.audit import ZERO_HASH

    columns = "id, at, actor, organisation, action, object_type, object_id, object_ref, details"
    select = f"SELECT {columns} FROM storage_auditevent WHERE id > %s ORDER BY id LIMIT {BATCH}"  # noqa: S608
    update = "UPDATE storage_auditevent SET seq = %s, prev_hash = %s, hash = %s WHERE id = %s"
    seq, prev_hash, last = 0, ZERO_HASH, 0
    with schema_editor.connection.cursor() as cursor:
        while True:
            cursor.execute(select, [last])
            rows = cursor.fetchall()
            if not rows:
                return
            links = []
            for row in rows:
                seq += 1
                link = stored_hash((row[0], seq, *row[1:], prev_hash))
                links.append((seq, prev_hash, link, row[0]))
                prev_hash = link
            cursor.executemany(update, links)
            last = rows[-1][0]


class Migration(migrations.Migration):
    dependencies = [("storage", "0012_field_encryption")]

    operations = [
        migrations.RunPython(drop_triggers, create_triggers),
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(
                null=True, help_text="Position in the chain: 1, 2, 3 … with no gap."
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(
                default="",
                help_text="The hash of the event before (64 zeros for the first).",
                max_length=64,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(
                default="",
                help_text="SHA-256 of the position, content and prev_hash (docs/audit.md).",
                max_length=64,
            ),
            preserve_default=False,
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(
                unique=True, help_text="Position in the chain: 1, 2, 3 … with no gap."
            ),
        ),
        migrations.AlterModelOptions(name="auditevent", options={"ordering": ("seq",)}),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.CheckConstraint(
                condition=models.Q(("seq__gte", 1)), name="storage_auditevent_seq_positive"
            ),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
