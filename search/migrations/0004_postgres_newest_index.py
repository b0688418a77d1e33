"""PostgreSQL only: `search_entry_newest` gives the entries newest first, which is the
order a search reads them in (`search.backends.database._pg_bands`): browsing reads the
first COUNT_LIMIT from it, and a text search combines it with the GIN index by date band.
"""

from django.db import migrations

INDEX_NAME = "search_entry_newest"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON search_entry "
        "(date DESC NULLS LAST, id DESC)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")


class Migration(migrations.Migration):
    dependencies = [("search", "0003_postgres_row_layout_and_browse_index")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
