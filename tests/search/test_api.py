"""`/api/v1/search/`: the page's results and facets as data, its parameters validated
with clear 400s, links between pages, and a bounded number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search.registry import SearchDoc
from tests.factories import AgencyFactory
from tests.search.conftest import configure_elastic, put

pytestmark = pytest.mark.django_db

URL = "/api/v1/search/"


@pytest.fixture
def corpus(settings, doc_kinds):
    settings.ELASTICSEARCH_URL = ""
    water = AgencyFactory(name_en="Water Committee", name_ru="Комитет водных ресурсов")
    put(
        SearchDoc(
            title="Водоснабжение сёл",
            body="Программа водоснабжения района.",
            language="ru",
            agency_id=water.pk,
            date=datetime.date(2026, 3, 1),
            url="/ru/dialogue/threads/1/",
        ),
        SearchDoc(
            kind="t_question",
            title="Когда будет водоснабжение?",
            language="ru",
            agency_id=water.pk,
            status="answered",
            date=datetime.date(2026, 5, 2),
        ),
        SearchDoc(
            kind="t_draft",
            title="О водоснабжении",
            language="ru",
            status="open",
            date=datetime.date(2026, 7, 3),
        ),
    )
    return water


def test_results_and_facets(client, corpus):
    response = client.get(URL, {"q": "водоснабжение"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 3
    assert data["query"] == "водоснабжение"
    assert (data["backend"], data["degraded"], data["page"], data["num_pages"]) == (
        "database",
        False,
        1,
        1,
    )
    assert {row["value"]: row["count"] for row in data["facets"]["kind"]} == {
        "t_news": 1,
        "t_question": 1,
        "t_draft": 1,
    }
    assert data["facets"]["agency"] == [
        {"value": corpus.pk, "label": "Water Committee", "count": 2}
    ]
    assert {row["value"] for row in data["facets"]["status"]} == {"answered", "open"}
    first = next(row for row in data["results"] if row["kind"] == "t_news")
    assert first["title"] == "Водоснабжение сёл"
    assert "<mark>" in first["title_html"]
    assert first["url"] == "http://testserver/en/dialogue/threads/1/"
    assert first["agency"] == {"id": corpus.pk, "slug": corpus.slug, "name": "Water Committee"}
    assert first["date"] == "2026-03-01"
    assert first["language"] == "ru"
    assert "email" not in str(data)


def test_the_same_filters_as_the_page(client, corpus):
    by_kind = client.get(URL, {"q": "водоснабжение", "kind": "t_question,t_draft"}).json()
    repeated = client.get(f"{URL}?q=водоснабжение&kind=t_question&kind=t_draft").json()
    by_agency = client.get(URL, {"q": "водоснабжение", "agency": corpus.pk}).json()
    by_status = client.get(URL, {"q": "водоснабжение", "status": "answered"}).json()
    by_dates = client.get(URL, {"from": "2026-04-01", "to": "2026-06-30"}).json()

    assert by_kind["count"] == repeated["count"] == 2
    assert by_agency["count"] == 2
    assert [row["status"] for row in by_status["results"]] == ["answered"]
    assert [row["date"] for row in by_dates["results"]] == ["2026-05-02"]


def test_labels_follow_the_requested_language(client, corpus):
    data = client.get(URL, {"q": "водоснабжение"}, HTTP_ACCEPT_LANGUAGE="ru").json()

    assert data["facets"]["agency"][0]["label"] == "Комитет водных ресурсов"
    urls = {row["title"]: row["url"] for row in data["results"]}
    assert urls["Водоснабжение сёл"] == "http://testserver/ru/dialogue/threads/1/"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"kind": "nope"}, "kind"),
        ({"agency": "water"}, "agency"),
        ({"agency": "0"}, "agency"),
        ({"from": "01.02.2026"}, "from"),
        ({"from": "2026-09-01", "to": "2026-01-01"}, "to"),
        ({"page": "x"}, "page"),
        ({"page_size": "0"}, "page_size"),
    ],
)
def test_bad_parameters_are_a_400_naming_them(client, corpus, params, field):
    response = client.get(URL, {"q": "водоснабжение", **params})

    assert response.status_code == 400
    assert field in response.json()


def test_pages_link_to_each_other_and_the_page_size_is_capped(client, corpus, doc_kinds):
    put(*(SearchDoc(title=f"Газификация {n}", language="ru") for n in range(5)))

    first = client.get(URL, {"q": "газификация", "page_size": 2}).json()
    last = client.get(URL, {"q": "газификация", "page_size": 2, "page": 3}).json()
    capped = client.get(URL, {"q": "газификация", "page_size": 1000}).json()

    assert (first["count"], first["num_pages"], len(first["results"])) == (5, 3, 2)
    assert first["previous"] is None
    assert "page=2" in first["next"] and "page_size=2" in first["next"]
    assert len(last["results"]) == 1 and last["next"] is None
    assert "page=2" in last["previous"]
    assert len(capped["results"]) == 5


def test_the_fallback_is_said(client, corpus, settings):
    configure_elastic(settings, "http://127.0.0.1:9")

    data = client.get(URL, {"q": "водоснабжение"}).json()

    assert (data["backend"], data["degraded"], data["count"]) == ("database", True, 3)


def test_a_fixed_number_of_queries(client, corpus, doc_kinds):
    agencies = AgencyFactory.create_batch(4)
    counts = []
    for word, count in (("газификация", 3), ("электрификация", 40)):
        put(
            *(
                SearchDoc(title=f"{word} {n}", language="ru", agency_id=agencies[n % 4].pk)
                for n in range(count)
            )
        )
        client.get(URL, {"q": word})
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, {"q": word}).json()["count"] == count
        counts.append(len(queries))

    # The facets and totals, one page of rows, the agencies' names.
    assert counts == [3, 3]


def test_the_schema_documents_the_endpoint(client, db):
    schema = client.get("/api/schema/").json()

    operation = schema["paths"]["/api/v1/search/"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"q", "kind", "agency", "status", "from", "to", "page", "page_size"} <= names


def test_each_backend_gives_the_same_answer(client, backend, doc_kinds):
    agency = AgencyFactory(name_en="Water Committee")
    put(
        SearchDoc(title="Водоснабжение сёл", language="ru", agency_id=agency.pk),
        SearchDoc(kind="t_question", title="Водоснабжение", language="ru", status="answered"),
        SearchDoc(title="Газификация", language="ru"),
    )

    data = client.get(URL, {"q": "водоснабжение"}, HTTP_ACCEPT_LANGUAGE="en").json()

    assert (data["backend"], data["degraded"], data["count"]) == (backend, False, 2)
    assert {row["value"]: row["count"] for row in data["facets"]["kind"]} == {
        "t_news": 1,
        "t_question": 1,
    }
    assert data["facets"]["agency"] == [
        {"value": agency.pk, "label": "Water Committee", "count": 1}
    ]
