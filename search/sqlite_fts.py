"""The SQLite full-text table of the database index: FTS5 over the folded text of
`search.Entry`, an external-content table kept in step by triggers.

Installed by migration 0002 and re-installed by `search_rebuild` (idempotent): SQLite
rebuilds a table to alter it, which drops its triggers, so a later migration that alters
`search_entry` must call `install(schema_editor.connection)` again. Without FTS5 compiled
into SQLite nothing is installed and the database backend scans with LIKE."""

from __future__ import annotations

import logging

from django.db import DatabaseError

logger = logging.getLogger(__name__)

TABLE = "search_entry_fts"

STATEMENTS = [
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5(
        folded_title, folded_body, content='search_entry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_ai AFTER INSERT ON search_entry BEGIN
        INSERT INTO {TABLE}(rowid, folded_title, folded_body)
        VALUES (new.id, new.folded_title, new.folded_body);
    END""",  # noqa: S608
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_ad AFTER DELETE ON search_entry BEGIN
        INSERT INTO {TABLE}({TABLE}, rowid, folded_title, folded_body)
        VALUES ('delete', old.id, old.folded_title, old.folded_body);
    END""",  # noqa: S608
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_au AFTER UPDATE OF folded_title, folded_body
        ON search_entry BEGIN
        INSERT INTO {TABLE}({TABLE}, rowid, folded_title, folded_body)
        VALUES ('delete', old.id, old.folded_title, old.folded_body);
        INSERT INTO {TABLE}(rowid, folded_title, folded_body)
        VALUES (new.id, new.folded_title, new.folded_body);
    END""",  # noqa: S608
]
DROP = [
    f"DROP TRIGGER IF EXISTS {TABLE}_ai",
    f"DROP TRIGGER IF EXISTS {TABLE}_ad",
    f"DROP TRIGGER IF EXISTS {TABLE}_au",
    f"DROP TABLE IF EXISTS {TABLE}",
]


def install(connection, *, rebuild: bool = False) -> bool:
    """Create the table and triggers if missing; `rebuild` refills the table from
    `search_entry`. Returns False when this SQLite has no FTS5."""
    if connection.vendor != "sqlite":
        return False
    try:
        with connection.cursor() as cursor:
            for statement in STATEMENTS:
                cursor.execute(statement)
            if rebuild:
                cursor.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')")  # noqa: S608
    except DatabaseError as exc:
        logger.warning("search: SQLite FTS5 unavailable (%s); searching with LIKE", exc)
        return False
    return True


def uninstall(connection) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for statement in DROP:
            cursor.execute(statement)


def is_installed(connection) -> bool:
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM sqlite_master WHERE name IN (%s, %s)",
            [TABLE, f"{TABLE}_ai"],
        )
        return cursor.fetchone()[0] == 2
