"""A search costs the same number of database queries whatever the size of the index;
"did you mean" where the backend offers it."""

from __future__ import annotations

import pytest
from django.db import connection

from search import services
from search.registry import SearchDoc
from tests.search.conftest import put

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("count", [5, 80])
def test_a_search_costs_a_fixed_number_of_queries(
    backend, doc_kinds, count, django_assert_max_num_queries
):
    put(
        *(
            SearchDoc(
                kind="t_question" if i % 2 else "t_draft",
                title=f"Налоговый вычет {i}",
                body="Налог на имущество физических лиц.",
                language="ru" if i % 3 else "kk",
                agency_id=i % 7,
                status="answered" if i % 2 else "open",
            )
            for i in range(count)
        )
    )
    # Database: the facets with the total, then the page; on PostgreSQL, with a facet
    # filter, the filtered matches (page and total) come first, then the facets.
    # Elasticsearch: only the check that every hit is still in the database index.
    limit = 1 if backend != "database" else 3 if connection.vendor == "postgresql" else 2
    services.search(q="прогрев")  # once per process: is SQLite's FTS5 table there?

    with django_assert_max_num_queries(limit):
        results = services.search(q="налог", per_page=50, kinds=["t_question"], agency=1)

    assert results.backend == backend
    assert results.total == len([i for i in range(count) if i % 2 and i % 7 == 1])
    assert sum(results.facets["kind"].values()) == len([i for i in range(count) if i % 7 == 1])


def test_did_you_mean_on_elasticsearch(elastic_cluster, filler):
    put(SearchDoc(title="Больница", body="Новая больница открыта.", language="ru"))

    results = services.search(q="больнца")

    assert (results.backend, results.total) == ("elasticsearch", 0)
    assert results.suggestion == "больница"
    assert services.search(q="больница").suggestion is None


def test_no_suggestion_from_the_database(settings, filler):
    settings.ELASTICSEARCH_URL = ""
    put(SearchDoc(title="Больница", body="Новая больница открыта.", language="ru"))

    results = services.search(q="больнца")

    assert (results.backend, results.total, results.suggestion) == ("database", 0, None)


def test_pages_beyond_the_result_window_are_clamped(settings, doc_kinds):
    settings.ELASTICSEARCH_URL = ""
    results = services.search(q="налог", page=10**6, per_page=1000)
    assert (results.per_page, results.page) == (100, 100)


# --- without a full-text index ----------------------------------------------------------------


def test_a_database_without_full_text_search_still_finds_and_ranks(settings, filler, monkeypatch):
    """SQLite without FTS5 (or another database): a LIKE scan on the folded words."""
    from search.backends import database

    settings.ELASTICSEARCH_URL = ""
    monkeypatch.setattr(database, "matcher", lambda: database._like_match)
    put(
        SearchDoc(title="Новости дня", body="Начато строительство поликлиники.", language="ru"),
        SearchDoc(title="Поликлиника в Косшы", body="Открытие нового корпуса.", language="ru"),
        SearchDoc(title="Әкімдік хабарламасы", body="Жаңа мектеп салынды.", language="kk"),
    )

    assert [hit.title for hit in services.search(q="поликлиники").hits] == [
        "Поликлиника в Косшы",
        "Новости дня",
    ]
    assert [hit.title for hit in services.search(q="akimdik").hits] == ["Әкімдік хабарламасы"]
    assert services.search(q="поликлиника мектеп").total == 0
    assert services.search(q="поликлиника мектеп", any_word=True).total == 3
