"""The migrations are one clean set per app (squashed before the first installation, nothing
they replace), and `banding demo` knows a database migrated by the old set."""

from django.apps import apps
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from banding.platform.management.commands.demo import old_migrations


def _ours() -> set[str]:
    return {c.label for c in apps.get_app_configs() if c.name.startswith("banding.")}


def test_each_app_starts_afresh_and_replaces_nothing():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for (app, name), migration in loader.disk_migrations.items():
        if app in _ours():
            assert migration.replaces == [], f"{app}.{name}"
            assert name.startswith("0001_") or migration.dependencies, f"{app}.{name}"
    for app in _ours() & {app for app, _name in loader.disk_migrations}:
        assert (app, "0001_initial") in loader.disk_migrations


def test_demo_knows_a_database_of_the_old_migrations(db):
    assert old_migrations() == []
    MigrationRecorder(connection).record_applied("appeals", "0003_deadlines")
    MigrationRecorder(connection).record_applied("axes", "0000_not_ours")
    assert old_migrations() == ["appeals.0003_deadlines"]
