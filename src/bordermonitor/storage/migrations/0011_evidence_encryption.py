"""Migration: encrypted evidence files.

Each evidence file and derivative gains where its encrypted file is (``blob``, the SHA-256 of the encrypted
bytes), the age header that wraps its own key (``key_header``) and the organisation key version it is wrapped
to. Rows of earlier versions keep null here: their files are unencrypted (``bordermonitor evidence check``
names them; ``bordermonitor evidence encrypt-existing`` encrypts them).

Once a row names its encrypted file, the database refuses to change which file it is or the SHA-256 recorded
for it, whatever code path tries (SECURITY goal 4): ``blob`` may be set where it is null and set back to null
(erasure), never replaced. The key header stays changeable (rewrapping it to a newer key, or destroying it).
On SQLite a migration that rebuilds one of these tables must create the triggers again (``SQLITE``);
``tests/storage/test_evidence.py`` checks they are there.
"""

from django.db import migrations, models

_CHANGED = "OLD.blob IS NOT NULL AND (NEW.sha256 IS NOT OLD.sha256 OR (NEW.blob IS NOT NULL AND NEW.blob IS NOT OLD.blob))"
MESSAGE = "an encrypted evidence file is write-once: the file a row names and its SHA-256 cannot be changed"
TABLES = ("storage_evidence", "storage_evidencederivative")

SQLITE = [
    f"""CREATE TRIGGER {table}_write_once BEFORE UPDATE ON {table} FOR EACH ROW WHEN {_CHANGED}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"""
    for table in TABLES
]
SQLITE_REVERSE = [f"DROP TRIGGER IF EXISTS {table}_write_once" for table in TABLES]
POSTGRES = [
    f"""CREATE FUNCTION storage_evidence_write_once() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF OLD.blob IS NOT NULL AND (NEW.sha256 IS DISTINCT FROM OLD.sha256
              OR (NEW.blob IS NOT NULL AND NEW.blob IS DISTINCT FROM OLD.blob)) THEN
            RAISE EXCEPTION '{MESSAGE}';
          END IF;
          RETURN NEW;
        END $$""",
    *(
        f"""CREATE TRIGGER {table}_write_once BEFORE UPDATE ON {table}
            FOR EACH ROW EXECUTE FUNCTION storage_evidence_write_once()"""
        for table in TABLES
    ),
]
POSTGRES_REVERSE = [
    *(f"DROP TRIGGER IF EXISTS {table}_write_once ON {table}" for table in TABLES),
    "DROP FUNCTION IF EXISTS storage_evidence_write_once()",
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
    dependencies = [("storage", "0010_keys")]

    operations = [
        migrations.AddField(
            model_name="evidence",
            name="blob",
            field=models.CharField(
                blank=True,
                help_text="SHA-256 of the encrypted file: its name in the evidence store (null: not stored, or "
                "stored unencrypted by an earlier version).",
                max_length=64,
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="evidence",
            name="key_header",
            field=models.BinaryField(
                help_text="The age header wrapping the file's key to the organisation's evidence key.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="evidence",
            name="key_version",
            field=models.PositiveIntegerField(
                blank=True, help_text="The organisation key version the file key is wrapped to.", null=True
            ),
        ),
        migrations.AddField(
            model_name="evidencederivative",
            name="blob",
            field=models.CharField(
                blank=True,
                help_text="SHA-256 of the encrypted file in the evidence store (null: made unencrypted by an "
                "earlier version).",
                max_length=64,
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="evidencederivative",
            name="key_header",
            field=models.BinaryField(
                help_text="The age header wrapping the file's key to the organisation's working key.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="evidencederivative",
            name="key_version",
            field=models.PositiveIntegerField(
                blank=True, help_text="The organisation key version the file key is wrapped to.", null=True
            ),
        ),
        migrations.AlterField(
            model_name="evidencederivative",
            name="sha256",
            field=models.CharField(help_text="SHA-256 of the copy's (decrypted) bytes.", max_length=64),
        ),
        migrations.RunPython(forwards, backwards),
    ]
