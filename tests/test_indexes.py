"""Every foreign key of the product's tables can be looked up by an index, and no plain
index merely repeats the first columns of another (each costs every insert a page write); the
search migration and DropForeignKeyIndex leave the rest of the schema as they found it."""

import pytest
from django.apps import apps
from django.db import connection, migrations, models
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.state import ProjectState

from banding.appeals.indexes import DropForeignKeyIndex
from tests.bench.bulk.test_schema import schema

# Foreign keys with no index of their own (db_index=False): another index begins with them.
DROPPED = {
    ("appeals_appeal", "organization_id"),
    ("appeals_panelseat", "appeal_id"),
    ("appeals_panelseat", "user_id"),
    ("appeals_step", "appeal_id"),
    ("appeals_step", "completed_by_id"),
    ("appeals_step", "recorded_by_id"),
    ("audit_event", "actor_id"),
    ("letters_letter", "appeal_id"),
}


def _tables() -> list:
    return [
        model
        for model in apps.get_models()
        if model._meta.app_config.name.startswith("banding.")
        and model._meta.managed
        and not model._meta.proxy
    ]


def _indexes(table: str) -> list[tuple[str, list[str], bool]]:
    """(name, columns, unique) of each index of `table` over plain columns."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return [
        (name, info["columns"], bool(info["unique"] or info["primary_key"]))
        for name, info in constraints.items()
        if (info["index"] or info["unique"] or info["primary_key"])
        and info["columns"]
        and all(info["columns"])
    ]


def _own_indexes() -> set[tuple[str, str]]:
    """(table, column) of each plain index over one column."""
    return {
        (model._meta.db_table, columns[0])
        for model in _tables()
        for _name, columns, unique in _indexes(model._meta.db_table)
        if len(columns) == 1 and not unique
    }


def test_every_foreign_key_leads_an_index(db):
    missing = []
    for model in _tables():
        table = model._meta.db_table
        leading = {columns[0] for _name, columns, _unique in _indexes(table)}
        for field in model._meta.concrete_fields:
            if field.is_relation and field.column not in leading:
                missing.append(f"{table}.{field.column}")
    assert missing == []


def test_no_plain_index_repeats_the_first_columns_of_another(db):
    repeated = []
    for model in _tables():
        indexes = _indexes(model._meta.db_table)
        for name, columns, unique in indexes:
            longer = [
                other
                for other, wider, _u in indexes
                if other != name and len(wider) > len(columns) and wider[: len(columns)] == columns
            ]
            if longer and not unique:
                repeated.append(f"{name} {columns} < {longer}")
    assert repeated == []


def test_the_foreign_keys_another_index_leads_have_no_index_of_their_own(db):
    assert not DROPPED & _own_indexes()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_search_migration_goes_back_and_forth_to_the_same_schema():
    before = schema()
    executor = MigrationExecutor(connection)
    executor.migrate([("appeals", "0001_initial")])
    assert "appeal_reference_upper" not in _index_names("appeals_appeal")
    assert _triggers() == set()
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert schema() == before


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_drop_foreign_key_index_drops_only_the_index_and_gives_it_back():
    """For a later migration: on SQLite, Django's own AlterField would copy appeals_appeal and
    lose its full-text triggers."""
    before = schema()
    _name, _path, args, kwargs = (
        apps.get_model("appeals", "Appeal")._meta.get_field("organization").deconstruct()
    )
    plain = ProjectState.from_apps(apps)
    indexed = plain.clone()
    migrations.AlterField(
        "appeal", "organization", models.ForeignKey(*args, **{**kwargs, "db_index": True})
    ).state_forwards("appeals", indexed)
    operation = DropForeignKeyIndex("appeal", "organization", models.ForeignKey(*args, **kwargs))
    with connection.schema_editor() as editor:
        operation.database_backwards("appeals", editor, plain, indexed)
    assert ("appeals_appeal", "organization_id") in _own_indexes()
    with connection.schema_editor() as editor:
        operation.database_forwards("appeals", editor, indexed, plain)
    assert schema() == before


def _index_names(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.get_constraints(cursor, table))


def _triggers() -> set[str]:
    if connection.vendor != "sqlite":
        return set()
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {row[0] for row in cursor.fetchall()}
