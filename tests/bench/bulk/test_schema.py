"""What the load sets aside (bench.bulk.schema: SQLite's insert triggers,
PostgreSQL's foreign keys and secondary indexes) is all back afterwards with its very SQL,
the triggers' work done on the loaded rows (the full-text table in step, also after a load
into a database that has appeals), a trigger a later migration adds is handled the same way,
and a failed load leaves everything as it was."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection

from banding.appeals.models import Appeal
from bench.bulk import writer
from bench.bulk.load import seed_bulk
from bench.bulk.schema import catch_up_sql

sqlite_only = pytest.mark.skipif("connection.vendor != 'sqlite'")

FTS_INSERT = (
    "CREATE TRIGGER appeals_appeal_fts_insert AFTER INSERT ON appeals_appeal BEGIN "
    "INSERT INTO appeals_appeal_fts(rowid, grounds, remedy_sought, complaint_reference) "
    "VALUES (new.id, new.grounds, new.remedy_sought, new.complaint_reference); END"
)


def schema() -> list[tuple]:
    """Every index, trigger and constraint, with its definition."""
    if connection.vendor == "sqlite":
        return rows("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name")
    return rows(
        "SELECT tablename, indexname, indexdef FROM pg_indexes "
        "WHERE schemaname = current_schema() ORDER BY 2"
    ) + rows(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), condeferrable, "
        "condeferred, convalidated FROM pg_constraint ORDER BY 2, 1"
    )


def rows(sql: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def fts_follows_the_appeals() -> None:
    indexed = rows(
        "SELECT rowid, grounds, remedy_sought, complaint_reference FROM appeals_appeal_fts "
        "ORDER BY rowid"
    )
    appeals = Appeal.objects.order_by("pk")
    assert indexed == list(
        appeals.values_list("pk", "grounds", "remedy_sought", "complaint_reference")
    )


# -- the trigger's statements over the loaded rows ---------------------------------------------


def test_an_fts_trigger_becomes_one_insert_over_the_loaded_rows():
    assert catch_up_sql(FTS_INSERT, "appeals_appeal", "id") == [
        "INSERT INTO appeals_appeal_fts (rowid, grounds, remedy_sought, complaint_reference) "
        "SELECT new.id, new.grounds, new.remedy_sought, new.complaint_reference "
        'FROM "appeals_appeal" AS new WHERE new."id" >= ? ORDER BY new."id"'
    ]


def test_a_when_clause_and_several_statements_are_kept():
    sql = (
        'CREATE TRIGGER "t" AFTER INSERT ON "appeals_appeal" FOR EACH ROW '
        "WHEN new.status = 'closed' BEGIN "
        "INSERT INTO a(x) VALUES (lower(new.grounds || ';')); "
        "INSERT INTO \"b\" VALUES (new.id, 'x;y');\nEND"
    )
    assert catch_up_sql(sql, "appeals_appeal", "id") == [
        "INSERT INTO a (x) SELECT lower(new.grounds || ';') FROM \"appeals_appeal\" AS new "
        'WHERE new."id" >= ? AND (new.status = \'closed\') ORDER BY new."id"',
        'INSERT INTO "b" SELECT new.id, \'x;y\' FROM "appeals_appeal" AS new '
        'WHERE new."id" >= ? AND (new.status = \'closed\') ORDER BY new."id"',
    ]


@pytest.mark.parametrize(
    "sql",
    [
        # Not after an insert: the load does not fire them.
        FTS_INSERT.replace("AFTER INSERT", "AFTER UPDATE OF grounds"),
        FTS_INSERT.replace("AFTER INSERT", "BEFORE INSERT"),
        FTS_INSERT.replace("AFTER INSERT", "AFTER DELETE"),
        # Statements that are not a plain insert of the new row's values.
        "CREATE TRIGGER t AFTER INSERT ON appeals_appeal BEGIN UPDATE counters SET n = n + 1; END",
        "CREATE TRIGGER t AFTER INSERT ON appeals_appeal BEGIN INSERT INTO a(x) SELECT new.id; END",
        "CREATE TRIGGER t AFTER INSERT ON appeals_appeal BEGIN "
        "INSERT OR REPLACE INTO a(x) VALUES (new.id); END",
        "CREATE TRIGGER t AFTER INSERT ON appeals_appeal BEGIN "
        "INSERT INTO a(x) VALUES (new.id), (new.id + 1); END",
        "CREATE TRIGGER t AFTER INSERT ON appeals_appeal BEGIN "
        "INSERT INTO a(x) VALUES ('unclosed); END",
        # Another table's trigger.
        FTS_INSERT.replace("ON appeals_appeal", "ON appeals_step"),
    ],
)
def test_other_triggers_are_not_rewritten(sql):
    assert catch_up_sql(sql, "appeals_appeal", "id") is None


# -- a load ----------------------------------------------------------------------------------


def test_triggers_keys_and_indexes_are_all_back_with_the_same_sql(db, now):
    before = schema()
    seed_bulk(appeals=60, seed=3, now=now, batch=25)
    assert schema() == before
    connection.check_constraints()
    if connection.vendor == "sqlite":
        assert any(name == "appeals_appeal_fts_insert" for _, name, _, _ in before)
        fts_follows_the_appeals()


@sqlite_only
def test_the_full_text_table_follows_a_load_into_a_database_with_appeals(seeded, now):
    seed_bulk(appeals=40, seed=9, now=now, batch=15)
    assert Appeal.objects.count() == 290
    fts_follows_the_appeals()
    # And the triggers work again for the product's own writes afterwards.
    appeal = Appeal.objects.order_by("pk").last()
    Appeal.objects.filter(pk=appeal.pk).update(grounds="Kadar zirkonium tidak sesuai")
    assert rows("SELECT rowid FROM appeals_appeal_fts WHERE appeals_appeal_fts MATCH 'zirkonium'")
    fts_follows_the_appeals()


@sqlite_only
def test_a_search_table_added_later_is_filled_the_same_way(db, now):
    """Like the trigram table another migration adds: its trigger set aside and caught up."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE VIRTUAL TABLE appeals_appeal_trigram USING fts5(number, organization, "
            "tokenize='trigram')"
        )
        cursor.execute(
            "CREATE TRIGGER appeals_appeal_trigram_insert AFTER INSERT ON appeals_appeal "
            "BEGIN INSERT INTO appeals_appeal_trigram(rowid, number, organization) VALUES "
            "(new.id, new.number, (SELECT name FROM accounts_customerorganization WHERE "
            "id = new.organization_id)); END"
        )
        # One the load cannot rewrite: it fires row by row.
        cursor.execute("CREATE TABLE bulk_seen (appeal_id integer, seen integer)")
        cursor.execute(
            "CREATE TRIGGER appeals_appeal_seen AFTER INSERT ON appeals_appeal BEGIN "
            "INSERT INTO bulk_seen SELECT new.id, 1; END"
        )
    before = schema()
    seed_bulk(appeals=30, seed=4, now=now, batch=10)
    assert schema() == before
    expected = [
        (a.pk, a.number, a.organization.name)
        for a in Appeal.objects.select_related("organization").order_by("pk")
    ]
    assert rows("SELECT rowid, number, organization FROM appeals_appeal_trigram ORDER BY 1") == (
        expected
    )
    assert rows("SELECT appeal_id FROM bulk_seen ORDER BY 1") == [(a[0],) for a in expected]
    fts_follows_the_appeals()


def test_a_failed_load_leaves_the_schema_the_rows_and_the_search_table(db, now, monkeypatch):
    seed_bulk(appeals=20, seed=2, now=now)
    before, count = schema(), Appeal.objects.count()
    sqlite = connection.vendor == "sqlite"
    indexed = rows("SELECT count(*) FROM appeals_appeal_fts") if sqlite else None
    write = writer.Writer.write
    calls = []

    def failing(self, batches):
        calls.append(1)
        if len(calls) == 3:  # mid-load: rows written, triggers dropped
            raise RuntimeError("disk full")
        write(self, batches)

    monkeypatch.setattr(writer.Writer, "write", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        # Larger than what is there: on PostgreSQL, the keys and indexes are set aside too.
        seed_bulk(appeals=50, seed=5, now=now, batch=10)
    assert schema() == before
    assert Appeal.objects.count() == count
    if sqlite:
        assert rows("SELECT count(*) FROM appeals_appeal_fts") == indexed
        fts_follows_the_appeals()
    monkeypatch.setattr(writer.Writer, "write", write)
    seed_bulk(appeals=10, seed=6, now=now)  # nothing of the failed load in the way
    assert Appeal.objects.count() == count + 10


def test_a_duplicate_fails_the_load_and_rolls_it_back(db, now, monkeypatch):
    """The unique indexes stay in place during the load."""
    before = schema()
    monkeypatch.setattr("bench.bulk.history.uuid_hex", lambda rng: "0" * 32)
    with pytest.raises(IntegrityError, match=r"UNIQUE constraint failed|duplicate key"):
        seed_bulk(appeals=20, seed=6, now=now)
    assert schema() == before
    assert not Appeal.objects.exists()


# -- outside a transaction (the command's case) --------------------------------------------------


def key_enforcement() -> int | None:
    return rows("PRAGMA foreign_keys")[0][0] if connection.vendor == "sqlite" else None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_load_of_its_own_puts_key_enforcement_back_and_its_keys_hold(now):
    before, enforced = schema(), key_enforcement()
    seed_bulk(appeals=40, seed=3, now=now, batch=15)
    assert schema() == before
    assert key_enforcement() == enforced
    connection.check_constraints()


@pytest.mark.parametrize(
    "table, column",
    [
        ("step", "appeal"),  # an appeal that is not there
        ("letter", "occurrence"),  # a step occurrence that is not there
        ("step", "recorded_by"),  # a user who is not there
    ],
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_broken_key_fails_a_load_of_its_own_and_rolls_it_back(now, monkeypatch, table, column):
    """SQLite: enforcement is off during such a load, and each batch's keys are checked;
    PostgreSQL: the keys set aside are validated when they are added back."""
    before, enforced = schema(), key_enforcement()
    write = writer.Writer.write
    at = writer.TABLES[table][1].index(column)
    calls = []

    def breaking(self, batches):
        calls.append(1)
        if len(calls) == 2:
            rows = batches[table]
            broken = next(i for i in range(len(rows) - 1, -1, -1) if rows[i][at] is not None)
            row = rows[broken]
            rows[broken] = (*row[:at], 10**9, *row[at + 1 :])
        write(self, batches)

    monkeypatch.setattr(writer.Writer, "write", breaking)
    with pytest.raises(IntegrityError, match=r"FOREIGN KEY constraint failed|foreign key"):
        seed_bulk(appeals=50, seed=5, now=now, batch=10, jobs=1)
    assert schema() == before
    assert key_enforcement() == enforced
    assert not Appeal.objects.exists()
