"""PostgreSQL only: every entry's tsvector also holds its facet values as lexemes
(`__kind_<kind>`, `__agency_<id>`, `__status_<status>`: `search.indexing.FACET_LEXEMES_SQL`),
so the GIN index answers a facet filter together with the words and a filtered search
reads only the entries it keeps. Rows written from now on get them from `search.indexing`;
this adds them to the rows already there (one pass over the index table; idempotent).
"""

from django.db import migrations

SQL = (
    "UPDATE search_entry SET vector = vector || array_to_tsvector(ARRAY["
    "'__kind_' || kind, '__agency_' || COALESCE(agency_id::text, ''), '__status_' || status]) "
    "WHERE vector IS NOT NULL"
)


def add(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SQL)


class Migration(migrations.Migration):
    dependencies = [("search", "0004_postgres_newest_index")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop, elidable=False)]
