from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    AgencyFactory,
    home_page,
    make_announcement,
    make_announcement_index,
)

pytestmark = pytest.mark.django_db

LIST = "/api/v1/announcements/"


@pytest.fixture
def news():
    return {
        "kk": make_announcement_index(home_page("kk"), title="Жаңалықтар", slug="news"),
        "ru": make_announcement_index(home_page("ru"), title="Новости", slug="news"),
    }


def titles(client, **params) -> list[str]:
    return [row["title"] for row in client.get(LIST, params).json()["results"]]


def test_lists_live_announcements_newest_first(client, news):
    make_announcement(news["kk"], title="Old", date=datetime.date(2025, 1, 10))
    make_announcement(news["kk"], title="New", date=datetime.date(2025, 2, 10))
    make_announcement(news["kk"], title="Draft", live=False)

    response = client.get(LIST)

    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2
    assert [row["title"] for row in data["results"]] == ["New", "Old"]
    row = data["results"][0]
    assert row["language"] == "kk"
    assert row["date"] == "2025-02-10"
    assert row["summary"] == "Summary of New"
    assert row["url"].endswith("/kk/news/new/")
    assert row["published_at"]


def test_unpublished_announcement_disappears(client, news):
    page = make_announcement(news["kk"], title="Withdrawn")
    assert titles(client) == ["Withdrawn"]

    page.unpublish()

    assert titles(client) == []
    assert client.get(f"{LIST}{page.pk}/").status_code == 404


def test_language_filter(client, news):
    make_announcement(news["kk"], title="Хабарландыру")
    make_announcement(news["ru"], title="Объявление")

    assert titles(client, language="kk") == ["Хабарландыру"]
    assert titles(client, language="ru") == ["Объявление"]
    assert titles(client, language="en") == []
    assert sorted(titles(client)) == ["Объявление", "Хабарландыру"]
    # An unknown language is ignored, not an error.
    assert sorted(titles(client, language="xx")) == ["Объявление", "Хабарландыру"]


def test_agency_filter(client, news):
    agency = AgencyFactory(slug="akimat")
    make_announcement(news["kk"], title="About the akimat", agency=agency)
    make_announcement(news["kk"], title="General")

    assert titles(client, agency="akimat") == ["About the akimat"]
    assert client.get(LIST).json()["results"][0]["agency"] in ("akimat", None)


def test_detail_has_the_rendered_body(client, news):
    page = make_announcement(
        news["kk"], title="Detail", body=[("paragraph", "<p>Reception hours change</p>")]
    )

    data = client.get(f"{LIST}{page.pk}/").json()

    assert data["title"] == "Detail"
    assert "Reception hours change" in data["body"]
    assert data["translation_key"] == str(page.translation_key)


def test_no_email_address_in_announcements(client, news):
    agency = AgencyFactory(slug="akimat", email="press@akimat.kz")
    page = make_announcement(news["kk"], title="Contacts", agency=agency)

    assert "@" not in client.get(LIST).content.decode()
    assert "@" not in client.get(f"{LIST}{page.pk}/").content.decode()


def test_pagination(client, news):
    for n in range(53):
        make_announcement(news["kk"], title=f"A{n:02d}", date=datetime.date(2025, 1, 1))

    data = client.get(LIST).json()

    assert data["count"] == 53
    assert len(data["results"]) == 50
    assert data["next"].endswith("page=2")
    assert len(client.get(data["next"]).json()["results"]) == 3


def test_query_count_does_not_grow_with_many_announcements(
    client, news, django_assert_max_num_queries
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(LIST).status_code == 200
        return len(ctx)

    agency = AgencyFactory()
    for n in range(15):
        make_announcement(news["kk" if n % 2 else "ru"], title=f"A{n}", agency=agency)
    client.get(LIST)  # warm Wagtail's cached site root paths
    with_15 = queries()
    for n in range(45):
        make_announcement(news["kk"], title=f"B{n}", agency=AgencyFactory())
    client.get(LIST)
    with_60 = queries()

    assert with_60 == with_15
    with django_assert_max_num_queries(6):
        client.get(LIST)
