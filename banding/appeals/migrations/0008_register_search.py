"""Substring search of the buku agenda (banding.appeals.selectors.register) through an index:
the register number, the complaint reference and the reference document, matched
case-insensitively anywhere in the text. A LIKE '%…%' reads every appeal (59 ms on SQLite,
142 ms on PostgreSQL with 100,000 appeals); a trigram index answers it directly.

- SQLite: an FTS5 table with the `trigram` tokenizer holding its own copy of the three
  columns (as appeals_appeal_fts of 0005: a missed update can never leave it pointing at text
  that is no longer there), kept in step by three triggers. A phrase query of at least three
  characters is a case-insensitive substring match through the index; shorter ones are left
  to the scan (the tokenizer has no token for them).
- PostgreSQL: pg_trgm GIN indexes on UPPER(column), the very expressions of Django's
  icontains (`UPPER(col::text) LIKE UPPER(%s)`), so the planner combines them with a
  BitmapOr.

Both are filled here from the appeals as they stand. `banding seed-bulk` needs nothing more:
its SQLite writer inserts with INSERT … SELECT, so the triggers fire; PostgreSQL maintains
its indexes during COPY.

Note for later migrations (as for 0005): when Django rebuilds appeals_appeal on SQLite (most
AlterField operations do), the triggers go with the old table. Such a migration must run
`install_sqlite` again; tests/web/test_register_search.py checks that the triggers are
there after the whole migration chain.
"""

from django.db import migrations

FTS_TABLE = "appeals_appeal_register_fts"
FIELDS = ("number", "complaint_reference", "reference_document")
TRIGGERS = tuple(f"{FTS_TABLE}_{event}" for event in ("insert", "delete", "update"))
POSTGRES_INDEXES = {
    "appeal_number_trgm": "number",
    "appeal_complaint_reference_trgm": "complaint_reference",
    "appeal_reference_document_trgm": "reference_document",
}

_columns = ", ".join(FIELDS)
_new = ", ".join(f"new.{f}" for f in FIELDS)
SQLITE_INSTALL = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5({_columns}, tokenize='trigram')",
    *(f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS),
    f"CREATE TRIGGER {FTS_TABLE}_insert AFTER INSERT ON appeals_appeal BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, {_columns}) VALUES (new.id, {_new}); END",
    f"CREATE TRIGGER {FTS_TABLE}_delete AFTER DELETE ON appeals_appeal BEGIN "
    f"DELETE FROM {FTS_TABLE} WHERE rowid = old.id; END",
    # Only when the searched text changes: every step updates the appeal row.
    f"CREATE TRIGGER {FTS_TABLE}_update AFTER UPDATE OF {_columns} ON appeals_appeal BEGIN "
    f"DELETE FROM {FTS_TABLE} WHERE rowid = old.id; "
    f"INSERT INTO {FTS_TABLE}(rowid, {_columns}) VALUES (new.id, {_new}); END",
    # (Re)fill from the appeals as they stand.
    f"DELETE FROM {FTS_TABLE}",
    f"INSERT INTO {FTS_TABLE}(rowid, {_columns}) SELECT id, {_columns} FROM appeals_appeal",
]
SQLITE_REMOVE = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS),
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]


POSTGRES_INSTALL = [
    f"CREATE INDEX IF NOT EXISTS {name} ON appeals_appeal USING gin (UPPER({field}) gin_trgm_ops)"
    for name, field in POSTGRES_INDEXES.items()
]
POSTGRES_REMOVE = [f"DROP INDEX IF EXISTS {name}" for name in POSTGRES_INDEXES]


def install_sqlite(schema_editor) -> None:
    for statement in SQLITE_INSTALL:
        schema_editor.execute(statement)


def forwards(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        install_sqlite(schema_editor)
    elif vendor == "postgresql":
        for statement in POSTGRES_INSTALL:
            schema_editor.execute(statement)


def backwards(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for statement in SQLITE_REMOVE:
            schema_editor.execute(statement)
    elif vendor == "postgresql":
        for statement in POSTGRES_REMOVE:
            schema_editor.execute(statement)


def _trigram_extension():
    from django.contrib.postgres.operations import TrigramExtension

    # CREATE EXTENSION IF NOT EXISTS pg_trgm (a trusted extension: the database owner may
    # create it); does nothing on SQLite.
    return TrigramExtension()


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0007_monitoring_figures"),
    ]

    operations = [
        _trigram_extension(),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
