"""The full-text index of `search.Entry` for the database in use: a GIN index on the
tsvector on PostgreSQL, an FTS5 table with its triggers on SQLite (skipped, with a
warning, where SQLite lacks FTS5: the backend then scans with LIKE)."""

from django.db import migrations

GIN_NAME = "search_entry_vector_gin"


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {GIN_NAME} ON search_entry USING gin (vector)"
        )
    elif connection.vendor == "sqlite":
        from search import sqlite_fts

        sqlite_fts.install(connection, rebuild=True)


def drop(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {GIN_NAME}")
    elif connection.vendor == "sqlite":
        from search import sqlite_fts

        sqlite_fts.uninstall(connection)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_entry")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
