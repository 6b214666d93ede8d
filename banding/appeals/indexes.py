"""A migration operation for a foreign key that stops having an index of its own, because
another index begins with its column."""

from django.db import migrations


class DropForeignKeyIndex(migrations.AlterField):
    """`AlterField` to `db_index=False` that only drops (or, backwards, creates) the column's
    own index. Django's SQLite backend would instead copy the whole table into a new one, and
    the copy loses the table's triggers (the full-text triggers on appeals_appeal)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = from_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            column = model._meta.get_field(self.name).column
            name = schema_editor._create_index_name(model._meta.db_table, [column])
            schema_editor.execute(schema_editor._delete_index_sql(model, name))

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            field = model._meta.get_field(self.name)
            schema_editor.execute(schema_editor._create_index_sql(model, fields=[field]))

    def describe(self) -> str:
        return f"Drop the own index of {self.model_name}.{self.name}"
