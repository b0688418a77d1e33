"""Elasticsearch configured but unreachable: searches are answered by the database
(`degraded=True`), writes succeed, and what the cluster missed never shows hidden
content once it is back."""

from __future__ import annotations

import logging
import socket
import time

import pytest

from accounts.models import Agency
from search import indexing, services
from search.backends import elastic
from search.models import Entry
from search.registry import SearchDoc
from tests.factories import AgencyFactory
from tests.search.conftest import committed, configure_elastic, put

pytestmark = pytest.mark.django_db

CLOSED_PORT_URL = "http://127.0.0.1:9"


@pytest.fixture
def silent_server():
    """A server that accepts connections and never answers."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    listener.close()


def test_a_refused_connection_falls_back_to_the_database(settings, doc_kinds, caplog):
    settings.ELASTICSEARCH_URL = ""
    put(SearchDoc(title="Газификация сёл", body="Газ придёт в сёла района.", language="ru"))
    configure_elastic(settings, CLOSED_PORT_URL)

    with caplog.at_level(logging.WARNING, logger="search"):
        results = services.search(q="газификация")

    assert (results.backend, results.degraded) == ("database", True)
    assert [hit.title for hit in results.hits] == ["Газификация сёл"]
    assert "Elasticsearch failed" in caplog.text


def test_a_cluster_that_does_not_answer_costs_one_timeout_then_none(
    settings, doc_kinds, silent_server
):
    settings.ELASTICSEARCH_URL = ""
    put(SearchDoc(title="Газификация сёл", language="ru"))
    configure_elastic(settings, silent_server)
    settings.ELASTICSEARCH_TIMEOUT = 0.3

    started = time.monotonic()
    first = services.search(q="газификация")
    after_first = time.monotonic()
    second = services.search(q="газификация")
    after_second = time.monotonic()

    assert (first.degraded, second.degraded) == (True, True)
    assert first.total == second.total == 1
    assert after_first - started < 2.0
    # Marked unavailable for a while: the second search does not wait for the timeout.
    assert after_second - after_first < 0.25
    assert not elastic.is_available()


def test_a_cluster_going_down_leaves_the_same_results(settings, elastic_cluster, doc_kinds):
    put(SearchDoc(title="Газификация сёл", body="Газ придёт в сёла района.", language="ru"))
    assert services.search(q="газификация").backend == "elasticsearch"

    elastic_cluster.close()
    results = services.search(q="газификация")

    assert (results.backend, results.degraded) == ("database", True)
    assert [hit.title for hit in results.hits] == ["Газификация сёл"]


def test_writes_succeed_while_the_cluster_is_down(settings, caplog):
    configure_elastic(settings, CLOSED_PORT_URL)

    with caplog.at_level(logging.WARNING, logger="search"), committed():
        agency = AgencyFactory(slug="water", name_ru="Комитет водных ресурсов")

    assert Agency.objects.filter(pk=agency.pk).exists()
    assert Entry.objects.filter(kind="agency", object_pk=str(agency.pk), language="ru").exists()
    assert "Elasticsearch update failed" in caplog.text
    results = services.search(q="водных ресурсов")
    assert (results.backend, results.degraded, results.total) == ("database", True, 1)


def test_what_the_cluster_missed_while_down_is_never_shown(settings, elastic_cluster, monkeypatch):
    with committed():
        agency = AgencyFactory(slug="water", name_ru="Комитет водных ресурсов")
    assert services.search(q="водных ресурсов").total == 1

    # The agency is closed while the cluster refuses writes: the database index follows,
    # the cluster still holds the document.
    def refuse(**kwargs):
        raise ConnectionError("cluster down")

    monkeypatch.setattr(elastic, "apply_changes", refuse)
    with committed():
        agency.is_active = False
        agency.save(update_fields=["is_active"])
    monkeypatch.undo()
    elastic.mark_available()
    configure_elastic(settings, settings.ELASTICSEARCH_URL)

    results = services.search(q="водных ресурсов")

    assert (results.backend, results.degraded) == ("elasticsearch", False)
    assert results.hits == []
    assert not Entry.objects.filter(kind="agency", object_pk=str(agency.pk)).exists()
    # search_rebuild heals the cluster.
    services.index_rebuild()
    es = elastic.client()
    assert es.count(index=elastic.alias_name(), query={"term": {"kind": "agency"}})["count"] == 0


def test_an_update_for_a_kind_no_longer_registered_is_skipped(db):
    from search.tasks import reindex

    assert reindex.call(kind="no_such_kind", pks=["1"]) == 0
    assert indexing.remove_unregistered() == 0
