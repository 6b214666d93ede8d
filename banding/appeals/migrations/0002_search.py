"""The appeal's two text searches, which Django's model state cannot express: each database
gets its own machinery, installed here after appeals_appeal has its final shape.

1. "Similar earlier appeals" (banding.appeals.similar): full-text search over the grounds, the
   remedy sought and the complaint reference, plus an index on UPPER(reference_document).
   - SQLite: an FTS5 table holding its own copy of the text (so a missed update can never
     leave it pointing at text that is no longer there), kept in step by three triggers.
   - PostgreSQL: a GIN index on the same to_tsvector('simple', ...) expression that the query
     builds (Indonesian has no built-in text search configuration; 'simple' only lower-cases).

2. Substring search of the buku agenda (banding.appeals.selectors.register): the register
   number, the complaint reference and the reference document, matched case-insensitively
   anywhere in the text. A LIKE '%…%' reads every appeal (59 ms on SQLite, 142 ms on
   PostgreSQL with 100,000 appeals); a trigram index answers it directly.
   - SQLite: an FTS5 table with the `trigram` tokenizer holding its own copy of the three
     columns, kept in step by three triggers. A phrase query of at least three characters is
     a case-insensitive substring match through the index; shorter ones are left to the scan
     (the tokenizer has no token for them).
   - PostgreSQL: pg_trgm GIN indexes on UPPER(column), the very expressions of Django's
     icontains (`UPPER(col::text) LIKE UPPER(%s)`), so the planner combines them with a
     BitmapOr.

Both SQLite tables are (re)filled from the appeals as they stand. `banding seed-bulk` needs
nothing more: its SQLite writer inserts with INSERT … SELECT, so the triggers fire;
PostgreSQL maintains its indexes during COPY.

Note for later migrations: when Django rebuilds appeals_appeal on SQLite (most AlterField
operations do, and AddField of a column that is not nullable), the triggers go with the old
table. Such a migration must run `install_sqlite` again (or, for a foreign key losing its own
index, use banding.appeals.indexes.DropForeignKeyIndex); tests/services/test_similar.py and
tests/web/test_register_search.py check that the triggers are there after the whole chain.
"""

from django.db import migrations

# -- 1. similar earlier appeals ----------------------------------------------------------------

SIMILAR_INDEX_NAME = "appeal_similar_text"
REFERENCE_INDEX_NAME = "appeal_reference_upper"
SIMILAR_FIELDS = ("grounds", "remedy_sought", "complaint_reference")

SIMILAR_SQLITE_INSTALL = [
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
SIMILAR_SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS appeals_appeal_fts_insert",
    "DROP TRIGGER IF EXISTS appeals_appeal_fts_delete",
    "DROP TRIGGER IF EXISTS appeals_appeal_fts_update",
    "DROP TABLE IF EXISTS appeals_appeal_fts",
]


def _similar_postgres_index():
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    # The very expression banding.appeals.similar queries with, so the planner can use it.
    return GinIndex(SearchVector(*SIMILAR_FIELDS, config="simple"), name=SIMILAR_INDEX_NAME)


def _reference_index():
    from django.db.models import Index
    from django.db.models.functions import Upper

    # "Same reference document" is matched case-insensitively (UPPER on both databases), and
    # is one branch of the candidates' OR: indexed, the planner can combine the branches.
    return Index(Upper("reference_document"), name=REFERENCE_INDEX_NAME)


# -- 2. the buku agenda's substring search -----------------------------------------------------

REGISTER_FTS_TABLE = "appeals_appeal_register_fts"
REGISTER_FIELDS = ("number", "complaint_reference", "reference_document")
REGISTER_TRIGGERS = tuple(
    f"{REGISTER_FTS_TABLE}_{event}" for event in ("insert", "delete", "update")
)
REGISTER_POSTGRES_INDEXES = {
    "appeal_number_trgm": "number",
    "appeal_complaint_reference_trgm": "complaint_reference",
    "appeal_reference_document_trgm": "reference_document",
}

_columns = ", ".join(REGISTER_FIELDS)
_new = ", ".join(f"new.{f}" for f in REGISTER_FIELDS)
REGISTER_SQLITE_INSTALL = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {REGISTER_FTS_TABLE} "
    f"USING fts5({_columns}, tokenize='trigram')",
    *(f"DROP TRIGGER IF EXISTS {name}" for name in REGISTER_TRIGGERS),
    f"CREATE TRIGGER {REGISTER_FTS_TABLE}_insert AFTER INSERT ON appeals_appeal BEGIN "
    f"INSERT INTO {REGISTER_FTS_TABLE}(rowid, {_columns}) VALUES (new.id, {_new}); END",
    f"CREATE TRIGGER {REGISTER_FTS_TABLE}_delete AFTER DELETE ON appeals_appeal BEGIN "
    f"DELETE FROM {REGISTER_FTS_TABLE} WHERE rowid = old.id; END",
    # Only when the searched text changes: every step updates the appeal row.
    f"CREATE TRIGGER {REGISTER_FTS_TABLE}_update AFTER UPDATE OF {_columns} ON appeals_appeal "
    f"BEGIN DELETE FROM {REGISTER_FTS_TABLE} WHERE rowid = old.id; "
    f"INSERT INTO {REGISTER_FTS_TABLE}(rowid, {_columns}) VALUES (new.id, {_new}); END",
    # (Re)fill from the appeals as they stand.
    f"DELETE FROM {REGISTER_FTS_TABLE}",
    f"INSERT INTO {REGISTER_FTS_TABLE}(rowid, {_columns}) "
    f"SELECT id, {_columns} FROM appeals_appeal",
]
REGISTER_SQLITE_REMOVE = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in REGISTER_TRIGGERS),
    f"DROP TABLE IF EXISTS {REGISTER_FTS_TABLE}",
]
REGISTER_POSTGRES_INSTALL = [
    f"CREATE INDEX IF NOT EXISTS {name} ON appeals_appeal USING gin (UPPER({field}) gin_trgm_ops)"
    for name, field in REGISTER_POSTGRES_INDEXES.items()
]
REGISTER_POSTGRES_REMOVE = [f"DROP INDEX IF EXISTS {name}" for name in REGISTER_POSTGRES_INDEXES]


def install_sqlite(schema_editor) -> None:
    """Both full-text tables and their triggers (again, after a rebuild of appeals_appeal)."""
    for statement in SIMILAR_SQLITE_INSTALL + REGISTER_SQLITE_INSTALL:
        schema_editor.execute(statement)


def forwards(apps, schema_editor) -> None:
    appeal = apps.get_model("appeals", "Appeal")
    schema_editor.add_index(appeal, _reference_index())
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        install_sqlite(schema_editor)
    elif vendor == "postgresql":
        schema_editor.add_index(appeal, _similar_postgres_index())
        for statement in REGISTER_POSTGRES_INSTALL:
            schema_editor.execute(statement)


def backwards(apps, schema_editor) -> None:
    appeal = apps.get_model("appeals", "Appeal")
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for statement in REGISTER_SQLITE_REMOVE + SIMILAR_SQLITE_REMOVE:
            schema_editor.execute(statement)
    elif vendor == "postgresql":
        for statement in REGISTER_POSTGRES_REMOVE:
            schema_editor.execute(statement)
        schema_editor.remove_index(appeal, _similar_postgres_index())
    schema_editor.remove_index(appeal, _reference_index())


def _trigram_extension():
    from django.contrib.postgres.operations import TrigramExtension

    # CREATE EXTENSION IF NOT EXISTS pg_trgm (a trusted extension: the database owner may
    # create it); does nothing on SQLite.
    return TrigramExtension()


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0001_initial"),
    ]

    operations = [
        _trigram_extension(),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
