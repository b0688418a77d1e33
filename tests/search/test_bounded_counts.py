"""PostgreSQL reads at most `COUNT_LIMIT` matches, newest first: past it, the total is a
lower bound and the facets count only what was read; under it everything is exact. The
limit is lowered here so a handful of documents crosses it."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import translation

from search import services
from search.backends import database
from search.registry import SearchDoc
from tests.search.conftest import put

pytestmark = pytest.mark.django_db

LIMIT = 4


@pytest.fixture(autouse=True)
def _postgres_only(db):
    if connection.vendor != "postgresql":
        pytest.skip("the bounded read is the PostgreSQL path")


@pytest.fixture
def small_limit(monkeypatch):
    monkeypatch.setattr(database, "COUNT_LIMIT", LIMIT)


def _docs(doc_kinds, *, today: datetime.date):
    """Nine news and three drafts about water, one a day going back from today; two news
    items of agency 7."""
    docs = []
    for day in range(12):
        kind = "t_draft" if day % 4 == 3 else "t_news"
        docs.append(
            SearchDoc(
                kind=kind,
                title=f"Водоснабжение, выпуск {day}",
                body="Качество питьевой воды в районе.",
                language="ru",
                date=today - datetime.timedelta(days=day * 40),
                agency_id=7 if day in (5, 9) else None,
                status="open" if kind == "t_draft" else "",
            )
        )
    return put(*docs)


def test_under_the_limit_everything_is_exact(doc_kinds, settings):
    put(
        SearchDoc(title="Водоснабжение", body="вода", language="ru"),
        SearchDoc(title="Водоснабжение села", body="вода", language="ru", kind="t_draft"),
    )
    results = services.search(q="водоснабжение")
    assert (results.total, results.total_exact, results.facets_exact) == (2, True, True)
    assert results.facets["kind"] == {"t_news": 1, "t_draft": 1}


def test_past_the_limit_the_total_is_a_lower_bound_and_the_newest_are_shown(doc_kinds, small_limit):
    today = datetime.date.today()
    _docs(doc_kinds, today=today)
    results = services.search(q="водоснабжение", per_page=10)
    assert results.total_exact is False and results.facets_exact is False
    assert results.total == LIMIT + 1  # what was read: one more than the limit
    assert sum(results.facets["kind"].values()) == LIMIT + 1
    # The newest were read: nothing older than the five newest documents.
    oldest_shown = min(hit.date for hit in results.hits)
    assert oldest_shown >= today - datetime.timedelta(days=4 * 40)


def test_a_facet_filter_past_the_limit_reads_the_filtered_matches(doc_kinds, small_limit):
    _docs(doc_kinds, today=datetime.date.today())
    # Three drafts in all: under the limit once filtered, so the total is exact even
    # though the unfiltered matches are too many to count (facets inexact).
    results = services.search(q="водоснабжение", kinds=["t_draft"])
    assert results.total == 3 and results.total_exact is True
    assert results.facets_exact is False
    assert {hit.kind for hit in results.hits} == {"t_draft"}
    by_agency = services.search(q="водоснабжение", agency=7)
    assert by_agency.total == 2 and by_agency.total_exact is True
    assert {hit.agency_id for hit in by_agency.hits} == {7}
    # Filtered and still too many: a lower bound, and only news.
    news = services.search(q="водоснабжение", kinds=["t_news"])
    assert news.total_exact is False and news.total == LIMIT + 1
    assert {hit.kind for hit in news.hits} == {"t_news"}


def test_browsing_past_the_limit(doc_kinds, small_limit):
    _docs(doc_kinds, today=datetime.date.today())
    results = services.search(q="", per_page=3)
    assert results.total_exact is False
    dates = [hit.date for hit in results.hits]
    assert dates == sorted(dates, reverse=True)


def test_the_page_and_the_api_say_more_than(doc_kinds, small_limit, client):
    _docs(doc_kinds, today=datetime.date.today())
    with translation.override("en"):
        page = client.get("/en/search/", {"q": "водоснабжение"})
    html = page.content.decode()
    assert "More than 5 results" in html
    assert "too many results to count or rank them all" in html
    assert 'class="sr-count"' not in html
    data = client.get("/api/v1/search/", {"q": "водоснабжение"}).json()
    assert data["count"] == LIMIT + 1 and data["count_exact"] is False
    assert data["facet_counts_exact"] is False
    assert data["facets"]["kind"] and all(v["count"] is None for v in data["facets"]["kind"])


def test_facet_filters_use_the_index_lexemes(doc_kinds):
    """The facet values are lexemes of the tsvector: a filter on them finds the same
    entries as the columns."""
    put(
        SearchDoc(title="Водоснабжение", body="", language="ru", agency_id=3),
        SearchDoc(title="Водоснабжение", body="", language="ru", kind="t_draft", status="open"),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT kind FROM search_entry WHERE vector @@ %s::tsquery ORDER BY kind",
            ["'__kind_t_draft' & '__status_open'"],
        )
        assert [row[0] for row in cursor.fetchall()] == ["t_draft"]
        cursor.execute(
            "SELECT agency_id FROM search_entry WHERE vector @@ %s::tsquery", ["'__agency_3'"]
        )
        assert [row[0] for row in cursor.fetchall()] == [3]
    assert services.search(q="водоснабжение", agency=3).total == 1
    assert services.search(q="водоснабжение", kinds=["t_draft"], status=["open"]).total == 1
