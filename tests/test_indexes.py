"""Every foreign key of the product's tables can be looked up by an index, and no plain
index merely repeats the first columns of another (each costs every insert a page write)."""

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# Foreign keys whose own index went in appeals 0009 and letters 0002.
DROPPED = {
    ("appeals_appeal", "organization_id"),
    ("appeals_panelseat", "appeal_id"),
    ("appeals_step", "appeal_id"),
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


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_drops_only_the_indexes_and_gives_them_back():
    before_triggers = _triggers()
    executor = MigrationExecutor(connection)
    executor.migrate([("appeals", "0008_register_search"), ("letters", "0001_initial")])
    assert _own_indexes() >= DROPPED
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert not DROPPED & _own_indexes()
    # On SQLite, Django would have copied appeals_appeal and lost its full-text triggers.
    assert _triggers() == before_triggers


def _triggers() -> set[str]:
    if connection.vendor != "sqlite":
        return set()
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {row[0] for row in cursor.fetchall()}
