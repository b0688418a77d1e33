"""The search page `/<lang>/search/`: results, filters with facet counts, bad filters
reported without losing the words, the fallback notice, addresses in the reader's
language, and a bounded number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from search.registry import SearchDoc
from tests.factories import AgencyFactory
from tests.search.conftest import configure_elastic, put

pytestmark = pytest.mark.django_db

CLOSED_PORT_URL = "http://127.0.0.1:9"


def page(client, language="en", **params):
    with translation.override(language):
        url = reverse("search:page")
    return client.get(url, params)


@pytest.fixture
def corpus(settings, doc_kinds):
    settings.ELASTICSEARCH_URL = ""
    water = AgencyFactory(name_en="Water Committee", name_ru="Комитет водных ресурсов")
    roads = AgencyFactory(name_en="Roads Agency", name_ru="Агентство дорог")
    put(
        SearchDoc(
            title="Водоснабжение сёл",
            body="Программа водоснабжения района до 2030 года.",
            language="ru",
            agency_id=water.pk,
            date=datetime.date(2026, 3, 1),
            url="/ru/dialogue/threads/1/",
        ),
        SearchDoc(
            kind="t_question",
            title="Когда будет водоснабжение?",
            body="В нашем селе нет воды третий год.",
            language="ru",
            agency_id=water.pk,
            status="answered",
            date=datetime.date(2026, 5, 2),
            url="/ru/dialogue/threads/2/",
        ),
        SearchDoc(
            kind="t_draft",
            title="О водоснабжении и водоотведении",
            body="Проект закона.",
            language="ru",
            agency_id=roads.pk,
            status="open",
            date=datetime.date(2026, 7, 3),
            url="/ru/about/",
        ),
    )
    return {"water": water, "roads": roads}


def test_the_page_without_words_shows_the_search_box_only(client, corpus):
    response = page(client)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="search"' in html
    assert 'name="q"' in html
    assert "sr-results" not in html
    assert response.context["results"] is None


def test_results_are_listed_highlighted_with_counts_and_facets(client, corpus):
    response = page(client, q="водоснабжение")

    html = response.content.decode()
    assert response.context["results"].total == 3
    assert "3 results for “водоснабжение”" in html
    assert "<mark>" in html
    kinds = {value.value: value.count for value in response.context["facets"]["kind"]}
    assert kinds == {"t_news": 1, "t_question": 1, "t_draft": 1}
    agencies = {value.label: value.count for value in response.context["facets"]["agency"]}
    assert agencies == {"Water Committee": 2, "Roads Agency": 1}
    assert "Water Committee (2)" in html


def test_a_kind_filter_keeps_the_other_kinds_counted_and_is_checked(client, corpus):
    response = page(client, q="водоснабжение", kind="t_question")

    results = response.context["results"]
    assert [hit.kind for hit in results.hits] == ["t_question"]
    kinds = {
        value.value: (value.count, value.selected) for value in response.context["facets"]["kind"]
    }
    assert kinds["t_question"] == (1, True)
    assert kinds["t_draft"] == (1, False)
    assert 'value="t_question" checked' in response.content.decode()


def test_agency_status_and_dates_filter(client, corpus):
    water = corpus["water"]

    by_agency = page(client, q="водоснабжение", agency=water.pk)
    by_status = page(client, q="водоснабжение", status="open")
    by_dates = page(client, q="водоснабжение", **{"from": "2026-04-01", "to": "2026-06-30"})

    assert by_agency.context["results"].total == 2
    assert [hit.status for hit in by_status.context["results"].hits] == ["open"]
    assert [hit.date for hit in by_dates.context["results"].hits] == [datetime.date(2026, 5, 2)]
    assert 'value="2026-04-01"' in by_dates.content.decode()


def test_bad_filters_are_reported_and_left_out_and_the_words_are_kept(client, corpus):
    response = page(
        client, q="водоснабжение", agency="water", **{"from": "2026-09-01", "to": "2026-01-01"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Some filters could not be used and were left out" in html
    assert "The end date is before the start date." in html
    assert "Enter a whole number." in html
    assert 'value="водоснабжение"' in html
    # The bad filters are dropped, the rest of the search still runs.
    assert response.context["results"].total == 3


def test_a_malformed_date_is_an_error_not_a_crash(client, corpus):
    response = page(client, q="водоснабжение", **{"from": "01.02.2026"})

    assert response.status_code == 200
    assert "Enter a valid date." in response.content.decode()
    assert response.context["results"].total == 3


def test_unknown_kinds_and_statuses_are_refused_with_a_message(client, corpus):
    response = page(client, q="водоснабжение", kind="secret", status="nope")

    html = response.content.decode()
    assert "Select a valid choice." in html
    assert response.context["results"].total == 3


def test_nothing_found_says_so_and_suggests_what_to_do(client, corpus):
    response = page(client, q="абракадабра")

    html = response.content.decode()
    assert "Nothing found for “абракадабра”" in html
    assert "Check the spelling" in html


def test_the_page_says_when_the_fallback_answered(client, corpus, settings):
    configure_elastic(settings, CLOSED_PORT_URL)

    response = page(client, q="водоснабжение")

    assert response.context["results"].degraded is True
    assert response.context["results"].total == 3
    assert "may be less complete" in response.content.decode()


def test_addresses_follow_the_readers_language_except_cms_pages(client, corpus):
    response = page(client, "kk", q="водоснабжение")

    urls = {row.hit.title: row.url for row in response.context["rows"]}
    assert urls["Водоснабжение сёл"] == "/kk/dialogue/threads/1/"
    assert urls["Когда будет водоснабжение?"] == "/kk/dialogue/threads/2/"
    # A CMS page exists in the language it was written in: its address is kept.
    assert urls["О водоснабжении и водоотведении"] == "/ru/about/"


def test_pages_keep_the_words_and_filters(client, corpus, doc_kinds):
    put(*(SearchDoc(title=f"Водоснабжение {n}", language="ru", kind="t_news") for n in range(25)))

    first = page(client, q="водоснабжение", kind="t_news")
    second = page(client, q="водоснабжение", kind="t_news", page=2)

    html = first.content.decode()
    assert "Page 1 of 2" in html
    assert (
        'href="?q=%D0%B2%D0%BE%D0%B4%D0%BE%D1%81%D0%BD%D0%B0%D0%B1%D0%B6%D0%B5%D0%BD%D0%B8%D0%B5&amp;kind=t_news&amp;page=2"'
        in html
    )
    assert len(first.context["rows"]) == 20
    assert len(second.context["rows"]) == 6
    assert second.context["results"].page == 2


def test_the_page_takes_the_same_few_queries_for_3_or_40_results(client, corpus, doc_kinds):
    agencies = AgencyFactory.create_batch(3)

    def queries_for(word: str, count: int) -> int:
        put(
            *(
                SearchDoc(title=f"{word} {n}", language="ru", agency_id=agencies[n % 3].pk)
                for n in range(count)
            )
        )
        page(client, q=word)  # warm: the session, the site, the cached menus
        with CaptureQueriesContext(connection) as queries:
            response = page(client, q=word)
        assert response.context["results"].total == count
        return len(queries)

    baseline = queries_for("газификация", 3)
    assert queries_for("электрификация", 40) == baseline
    # Two for the search (facets, the page of rows), one for the agencies' names; the
    # rest is the page's furniture (site, menus, footer), the same on every page.
    with CaptureQueriesContext(connection) as furniture:
        page(client)
    assert baseline - len(furniture) <= 3


@pytest.mark.parametrize(
    ("language", "heading"), [("kk", "Іздеу"), ("ru", "Поиск"), ("en", "Search")]
)
def test_the_page_speaks_each_language(client, corpus, language, heading):
    response = page(client, language, q="водоснабжение")

    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert f'<html lang="{language}">' in html


def test_every_other_page_has_the_search_box_in_its_header(client, db):
    response = client.get("/en/dialogue/")

    html = response.content.decode()
    assert 'class="site-search"' in html
    assert f'action="{reverse("search:page")}"'.replace("/en/", "/en/") in html
