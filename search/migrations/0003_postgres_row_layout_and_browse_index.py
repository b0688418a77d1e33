"""PostgreSQL only (the SQLite index is untouched): what keeps searches on a large index
fast (benchmarks/search_latency.py, docs/performance.md).

- `toast_tuple_target = 128`: a row too long to stay whole (over about 2 kB) keeps only
  its short columns in the table; the text, the folded text and the tsvector move to
  TOAST storage. A search reads the kind, agency, status, group and date of every match
  for the facets, so fewer, denser pages mean fewer pages to read. Applies to rows
  written from now on (`VACUUM FULL search_entry` rewrites the existing ones).
- `search_entry_browse`: browsing (no words) reads the group, language, kind, agency,
  status and date of every entry: from this index alone, not the table.
"""

from django.db import migrations

INDEX_NAME = "search_entry_browse"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE search_entry SET (toast_tuple_target = 128)")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON search_entry "
        "(group_key, language, id) INCLUDE (kind, agency_id, status, date)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")
    schema_editor.execute("ALTER TABLE search_entry RESET (toast_tuple_target)")


class Migration(migrations.Migration):
    dependencies = [("search", "0002_full_text_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
