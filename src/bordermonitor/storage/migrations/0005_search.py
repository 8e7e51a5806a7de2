"""Full-text search over reports and indexes for the staff list (see ``storage/search.py``).

SQLite: an external-content FTS5 table over ``storage_report`` and the three triggers that keep it in step
(they fire for the bulk import's ``executemany`` too), filled from the rows already there.
PostgreSQL: a GIN index on the same text; PostgreSQL keeps it in step by itself.
PostgreSQL also gets indexes matching the list's date sorts (unknown dates last, id as tie-breaker), so a
page of a broad filter is read in order and stops after 51 rows. SQLite sorts the filtered ids instead (its
indexes cannot hold NULLS LAST, and an extra index would slow every import).

Written as SQL, not as model indexes, because the FTS table and the expression index are not Django models.
A later migration that makes SQLite rebuild ``storage_report`` (some ``AlterField``s do) drops the triggers
with the old table: it must run ``SQLITE_TRIGGERS`` again and rebuild the index.
"""

from django.db import migrations

FTS = "storage_report_search"

SQLITE_TABLE = (
    "CREATE VIRTUAL TABLE storage_report_search USING fts5(title, narrative_text, narrative_translation_en, "
    "content='storage_report', content_rowid='id', "
    "tokenize=\"unicode61 remove_diacritics 2 categories 'L* N* Co M*'\")"
)
SQLITE_TRIGGERS = (
    "CREATE TRIGGER storage_report_search_ai AFTER INSERT ON storage_report BEGIN "
    "INSERT INTO storage_report_search(rowid, title, narrative_text, narrative_translation_en) "
    "VALUES (new.id, new.title, new.narrative_text, new.narrative_translation_en); END",
    "CREATE TRIGGER storage_report_search_ad AFTER DELETE ON storage_report BEGIN "
    "INSERT INTO storage_report_search"
    "(storage_report_search, rowid, title, narrative_text, narrative_translation_en) "
    "VALUES ('delete', old.id, old.title, old.narrative_text, old.narrative_translation_en); END",
    "CREATE TRIGGER storage_report_search_au "
    "AFTER UPDATE OF id, title, narrative_text, narrative_translation_en ON storage_report BEGIN "
    "INSERT INTO storage_report_search"
    "(storage_report_search, rowid, title, narrative_text, narrative_translation_en) "
    "VALUES ('delete', old.id, old.title, old.narrative_text, old.narrative_translation_en); "
    "INSERT INTO storage_report_search(rowid, title, narrative_text, narrative_translation_en) "
    "VALUES (new.id, new.title, new.narrative_text, new.narrative_translation_en); END",
)
PG_INDEXES = (
    "CREATE INDEX report_search_gin ON storage_report USING GIN (to_tsvector('simple', "
    "coalesce(title, '') || ' ' || coalesce(narrative_text, '') || ' ' || "
    "coalesce(narrative_translation_en, '')))",
    "CREATE INDEX report_list_date_desc ON storage_report (date_start DESC NULLS LAST, id DESC)",
    "CREATE INDEX report_list_date_asc ON storage_report (date_start ASC NULLS LAST, id ASC)",
)
DROP_INDEXES = ("report_search_gin", "report_list_date_desc", "report_list_date_asc")


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_TABLE)
        for sql in SQLITE_TRIGGERS:
            schema_editor.execute(sql)
        # the rows already there
        schema_editor.execute("INSERT INTO storage_report_search(storage_report_search) VALUES ('rebuild')")
    elif vendor == "postgresql":
        for sql in PG_INDEXES:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for suffix in ("ai", "ad", "au"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {FTS}_{suffix}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS}")
    if vendor == "postgresql":
        for name in DROP_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("storage", "0004_workflow_pages"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
