"""A migration operation for a foreign key that stops having an index of its own, because
another index begins with its column."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import ProjectState


class DropForeignKeyIndex(migrations.AlterField):
    """`AlterField` to `db_index=False` that only drops (or, backwards, creates) the column's
    own index. Django's SQLite backend would instead copy the whole table into a new one, and
    the copy loses the table's triggers (the full-text triggers on appeals_appeal)."""

    def database_forwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        model = from_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            column = model._meta.get_field(self.name).column
            # The schema editor's own helpers, which django-stubs does not declare.
            name = schema_editor._create_index_name(model._meta.db_table, [column])  # type: ignore[attr-defined]
            schema_editor.execute(schema_editor._delete_index_sql(model, name))  # type: ignore[attr-defined]

    def database_backwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            field = model._meta.get_field(self.name)
            schema_editor.execute(schema_editor._create_index_sql(model, fields=[field]))  # type: ignore[attr-defined]

    def describe(self) -> str:
        return f"Drop the own index of {self.model_name}.{self.name}"
