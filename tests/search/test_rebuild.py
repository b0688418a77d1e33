"""`manage.py search_rebuild` and `search_refresh`: a new Elasticsearch index behind the
alias with no downtime, the database index healed, idempotent."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection

from search import indexing, services, sqlite_fts
from search.backends import elastic
from search.models import Entry
from tests.factories import AgencyFactory
from tests.search.conftest import committed

pytestmark = pytest.mark.django_db


def rebuild(*args) -> str:
    out = io.StringIO()
    call_command("search_rebuild", *args, stdout=out)
    return out.getvalue()


def alias_targets() -> list[str]:
    return sorted(elastic.client().indices.get_alias(name=elastic.alias_name()))


@pytest.fixture
def agencies(db):
    return [
        AgencyFactory(
            slug=f"akimat-{i}", name_ru=f"Акимат района {i}", name_kk=f"Аудан әкімдігі {i}"
        )
        for i in range(3)
    ]


def test_rebuild_moves_the_alias_to_a_complete_new_index(elastic_cluster, agencies):
    assert services.search(q="акимат").total == 0  # created outside a committed block
    before = alias_targets()

    output = rebuild("--batch-size", "2")

    after = alias_targets()
    assert len(after) == 1 and after != before
    assert f"alias now on {after[0]}" in output
    assert "agency" in output and "[##############################] 3/3 (100%)" in output
    assert "2/3 (67%)" in output  # one line per batch
    results = services.search(q="акимат")
    assert (results.backend, results.total) == ("elasticsearch", 3)
    # The old index is gone: one index per alias.
    indices = elastic.client().indices.get(index=f"{elastic.alias_name()}-*")
    assert sorted(indices) == after


def test_rebuild_is_idempotent(elastic_cluster, agencies):
    rebuild()
    entries = sorted(Entry.objects.values_list("kind", "object_pk", "language", "checksum"))
    first = alias_targets()

    output = rebuild()

    assert sorted(Entry.objects.values_list("kind", "object_pk", "language", "checksum")) == entries
    assert alias_targets() != first
    assert f"deleted {first[0]}" in output
    assert services.search(q="акимат").total == 3


def test_rebuild_catches_up_with_writes_made_while_it_runs(elastic_cluster, agencies):
    made = []

    def write_meanwhile(kind, done, total):
        if kind == "agency" and done == 0 and not made:
            # An incremental update during the rebuild goes to the old index.
            with committed():
                made.append(AgencyFactory(slug="late", name_ru="Акимат опоздавший"))

    report = services.index_rebuild(progress=write_meanwhile)

    assert report.caught_up >= 1
    results = services.search(q="опоздавший")
    assert (results.backend, results.total) == ("elasticsearch", 1)


def test_rebuild_heals_the_database_index(settings, agencies):
    settings.ELASTICSEARCH_URL = ""
    Entry.objects.create(
        kind="agency", object_pk="999999", language="ru", key="accounts.agency:999999",
        group_key="accounts.agency:999999", title="Удалённое агентство", checksum="x",
        indexed_at="2026-01-01T00:00:00Z",
    )  # fmt: skip

    output = rebuild("--kind", "agency")

    assert "removed 1 stale entries" in output
    assert services.search(q="акимат").total == 3
    assert services.search(q="удалённое").total == 0


def test_database_only_leaves_a_cluster_that_is_down_alone(settings, agencies):
    from tests.search.conftest import configure_elastic

    configure_elastic(settings, "http://127.0.0.1:9")

    output = rebuild("--database-only")

    assert "alias" not in output
    assert Entry.objects.filter(kind="agency").count() == 9  # kk, ru and en of each


def test_rebuild_against_a_cluster_that_is_down_fails_clearly(settings, agencies):
    from django.core.management.base import CommandError

    from tests.search.conftest import configure_elastic

    configure_elastic(settings, "http://127.0.0.1:9")

    with pytest.raises(CommandError, match="--database-only"):
        rebuild()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 triggers")
def test_rebuild_restores_sqlite_triggers_a_table_rebuild_dropped(settings, agencies):
    settings.ELASTICSEARCH_URL = ""
    rebuild()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {sqlite_fts.TABLE}_ai")
    assert not sqlite_fts.is_installed(connection)

    rebuild()

    assert sqlite_fts.is_installed(connection)
    with committed():
        AgencyFactory(slug="new", name_ru="Новый акимат")
    assert services.search(q="новый акимат").total == 1


def test_refresh_command_reports_what_it_did(db):
    out = io.StringIO()
    call_command("search_refresh", stdout=out)
    assert out.getvalue().strip() == "Re-indexed 0 objects."


def test_remove_stale_keeps_what_is_still_there(settings, agencies):
    settings.ELASTICSEARCH_URL = ""
    rebuild()
    assert indexing.remove_stale("agency") == 0
