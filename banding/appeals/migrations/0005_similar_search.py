"""Full-text search over closed appeals' grounds, remedy sought and complaint reference, for
"similar earlier appeals" (banding.appeals.similar). Each database gets its own machinery:

- SQLite: an FTS5 table holding its own copy of the text (so a missed update can never leave
  it pointing at text that is no longer there), kept in step by three triggers.
- PostgreSQL: a GIN index on the same to_tsvector('simple', ...) expression that the query
  builds (Indonesian has no built-in text search configuration; 'simple' only lower-cases).

Note for later migrations: when Django rebuilds appeals_appeal on SQLite (most AlterField
operations do), the triggers go with the old table. Such a migration must run
`install_sqlite` again; tests/services/test_similar.py checks the triggers are there after
the whole migration chain.
"""

from django.db import migrations

INDEX_NAME = "appeal_similar_text"
REFERENCE_INDEX_NAME = "appeal_reference_upper"
TEXT_FIELDS = ("grounds", "remedy_sought", "complaint_reference")

SQLITE_INSTALL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS appeals_appeal_fts USING fts5("
    "grounds, remedy_sought, complaint_reference, tokenize='unicode61 remove_diacritics 2')",
    "DROP TRIGGER IF EXISTS appeals_appeal_fts_insert",
    "DROP TRIGGER IF EXISTS appeals_appeal_fts_delete",
    "DROP TRIGGER IF EXISTS appeals_appeal_fts_update",
    "CREATE TRIGGER appeals_appeal_fts_insert AFTER INSERT ON appeals_appeal BEGIN "
    "INSERT INTO appeals_appeal_fts(rowid, grounds, remedy_sought, complaint_reference) "
    "VALUES (new.id, new.grounds, new.remedy_sought, new.complaint_reference); END",
    "CREATE TRIGGER appeals_appeal_fts_delete AFTER DELETE ON appeals_appeal BEGIN "
    "DELETE FROM appeals_appeal_fts WHERE rowid = old.id; END",
    # Only when the indexed text changes: every step updates the appeal row.
    "CREATE TRIGGER appeals_appeal_fts_update "
    "AFTER UPDATE OF grounds, remedy_sought, complaint_reference ON appeals_appeal BEGIN "
    "DELETE FROM appeals_appeal_fts WHERE rowid = old.id; "
    "INSERT INTO appeals_appeal_fts(rowid, grounds, remedy_sought, complaint_reference) "
    "VALUES (new.id, new.grounds, new.remedy_sought, new.complaint_reference); END",
    # (Re)fill from the appeals as they stand.
    "DELETE FROM appeals_appeal_fts",
    "INSERT INTO appeals_appeal_fts(rowid, grounds, remedy_sought, complaint_reference) "
    "SELECT id, grounds, remedy_sought, complaint_reference FROM appeals_appeal",
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS appeals_appeal_fts_insert",
    "DROP TRIGGER IF EXISTS appeals_appeal_fts_delete",
    "DROP TRIGGER IF EXISTS appeals_appeal_fts_update",
    "DROP TABLE IF EXISTS appeals_appeal_fts",
]


def _postgres_index():
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    # The very expression banding.appeals.similar queries with, so the planner can use it.
    return GinIndex(SearchVector(*TEXT_FIELDS, config="simple"), name=INDEX_NAME)


def _reference_index():
    from django.db.models import Index
    from django.db.models.functions import Upper

    # "Same reference document" is matched case-insensitively (UPPER on both databases), and
    # is one branch of the candidates' OR: indexed, the planner can combine the branches.
    return Index(Upper("reference_document"), name=REFERENCE_INDEX_NAME)


def install_sqlite(schema_editor) -> None:
    for statement in SQLITE_INSTALL:
        schema_editor.execute(statement)


def forwards(apps, schema_editor) -> None:
    appeal = apps.get_model("appeals", "Appeal")
    schema_editor.add_index(appeal, _reference_index())
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        install_sqlite(schema_editor)
    elif vendor == "postgresql":
        schema_editor.add_index(appeal, _postgres_index())


def backwards(apps, schema_editor) -> None:
    schema_editor.remove_index(apps.get_model("appeals", "Appeal"), _reference_index())
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for statement in SQLITE_REMOVE:
            schema_editor.execute(statement)
    elif vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("appeals", "Appeal"), _postgres_index())


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0004_panel_invitation"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
