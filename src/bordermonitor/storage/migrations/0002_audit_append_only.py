"""The database itself refuses to change or delete audit events, whatever code path tries."""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER storage_auditevent_no_update BEFORE UPDATE ON storage_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
    """CREATE TRIGGER storage_auditevent_no_delete BEFORE DELETE ON storage_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS storage_auditevent_no_update",
    "DROP TRIGGER IF EXISTS storage_auditevent_no_delete",
]
POSTGRES = [
    """CREATE FUNCTION storage_auditevent_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'audit events are append-only'; END $$""",
    """CREATE TRIGGER storage_auditevent_no_change BEFORE UPDATE OR DELETE ON storage_auditevent
       FOR EACH ROW EXECUTE FUNCTION storage_auditevent_refuse()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS storage_auditevent_no_change ON storage_auditevent",
    "DROP FUNCTION IF EXISTS storage_auditevent_refuse()",
]


def forwards(apps, schema_editor):
    statements = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    for statement in statements:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    statements = POSTGRES_REVERSE if schema_editor.connection.vendor == "postgresql" else SQLITE_REVERSE
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("storage", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
