from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Agency, Membership
from accounts.regions import Region
from tests.factories import AgencyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/agencies/"


@pytest.fixture
def justice(agency_with_staff):
    agency = agency_with_staff.agency
    agency.email = "kense@adilet.gov.kz"
    agency.description_ru = "Центральный государственный орган"
    agency.save()
    return agency


def test_agency_detail_has_names_in_all_languages_and_the_head(client, justice):
    response = client.get(f"{LIST}ministry-of-justice/")

    assert response.status_code == 200
    data = response.json()
    assert data["slug"] == "ministry-of-justice"
    assert data["name"] == {
        "kk": "Әділет министрлігі",
        "ru": "Министерство юстиции",
        "en": "Ministry of Justice",
    }
    assert data["description"]["ru"] == "Центральный государственный орган"
    assert data["kind"] == "central"
    assert data["head"] == {
        "name": "Head Person",
        "position": {"kk": "head (kk)", "ru": "head (ru)", "en": "head (en)"},
    }
    assert data["phone"] == justice.phone
    assert data["url"] == "http://testserver/kk/agencies/ministry-of-justice/"


def test_no_email_address_anywhere_in_the_api(client, justice):
    other = AgencyFactory(email="press@akimat.kz")
    MembershipFactory(agency=other, role=Membership.Role.HEAD, user=UserFactory(display_name=""))

    for path in (LIST, f"{LIST}ministry-of-justice/", f"{LIST}{other.slug}/"):
        text = client.get(path).content.decode()
        assert "@" not in text, path
    assert "email" not in client.get(LIST).json()["results"][0]


def test_head_without_a_display_name_is_shown_by_first_name_and_initial(client):
    agency = AgencyFactory(slug="akimat")
    MembershipFactory(
        agency=agency,
        role=Membership.Role.HEAD,
        user=UserFactory(display_name="", first_name="Marat", last_name="Serikov"),
    )

    assert client.get(f"{LIST}akimat/").json()["head"]["name"] == "Marat S."


def test_agency_without_a_head(client):
    AgencyFactory(slug="headless")

    assert client.get(f"{LIST}headless/").json()["head"] is None


def test_unknown_agency_is_a_json_404_not_a_redirect(client):
    response = client.get(f"{LIST}nope/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_inactive_agencies_are_not_listed(client):
    AgencyFactory(slug="gone", is_active=False)
    AgencyFactory(slug="here")

    slugs = [row["slug"] for row in client.get(LIST).json()["results"]]

    assert slugs == ["here"]


def test_filters_by_kind_and_region(client):
    AgencyFactory(slug="ministry")
    AgencyFactory(slug="karaganda-akimat", kind=Agency.Kind.LOCAL, region=Region.KARAGANDA)
    AgencyFactory(slug="turkistan-akimat", kind=Agency.Kind.LOCAL, region=Region.TURKISTAN)

    def slugs(**params):
        return sorted(row["slug"] for row in client.get(LIST, params).json()["results"])

    assert slugs(kind="local") == ["karaganda-akimat", "turkistan-akimat"]
    assert slugs(kind="central") == ["ministry"]
    assert slugs(region="karaganda") == ["karaganda-akimat"]
    assert slugs(kind="central", region="karaganda") == []
    assert slugs(kind="nonsense") == ["karaganda-akimat", "ministry", "turkistan-akimat"]


def test_lang_parameter_sets_the_sort_order(client):
    AgencyFactory(slug="justice", name_kk="Әділет", name_ru="Юстиция", name_en="Justice")
    AgencyFactory(slug="education", name_kk="Білім", name_ru="Просвещение", name_en="Education")
    AgencyFactory(slug="agriculture", name_kk="Ауыл", name_ru="Сельское", name_en="Agriculture")

    def order(lang):
        return [row["slug"] for row in client.get(LIST, {"lang": lang}).json()["results"]]

    assert order("kk") == ["agriculture", "justice", "education"]
    assert order("ru") == ["education", "agriculture", "justice"]
    assert order("en") == ["agriculture", "education", "justice"]


def test_pagination(client):
    for n in range(55):
        AgencyFactory(name_en=f"Body {n:02d}")

    first = client.get(LIST, {"lang": "en"}).json()
    assert first["count"] == 55
    assert len(first["results"]) == 50
    assert first["previous"] is None
    assert first["next"].endswith("page=2")

    second = client.get(first["next"]).json()
    assert [row["name"]["en"] for row in second["results"]] == [
        f"Body {n:02d}" for n in range(50, 55)
    ]
    assert second["next"] is None

    small = client.get(LIST, {"page_size": 5}).json()
    assert len(small["results"]) == 5
    capped = client.get(LIST, {"page_size": 1000}).json()
    assert len(capped["results"]) == 55  # at most 200 a page


def make_agencies_with_heads(count: int) -> None:
    for _ in range(count):
        parent = AgencyFactory()
        MembershipFactory(
            agency=AgencyFactory(parent=parent),
            user=UserFactory(email_address=False),
            role=Membership.Role.HEAD,
        )


@pytest.mark.parametrize("count", [40, 80])
def test_list_query_count_is_bounded(client, django_assert_max_num_queries, count):
    make_agencies_with_heads(count // 2)  # each with a parent: `count` agencies in all

    with django_assert_max_num_queries(4):
        response = client.get(LIST)

    assert response.status_code == 200
    assert len(response.json()["results"]) == min(count, 50)


def test_list_query_count_does_not_grow(client):
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(LIST, {"page_size": 200}).status_code == 200
        return len(ctx)

    make_agencies_with_heads(20)
    with_40 = queries()
    make_agencies_with_heads(20)
    with_80 = queries()

    assert with_80 == with_40


def test_unknown_api_path_is_a_404_not_a_redirect_to_a_language(client):
    response = client.get("/api/v1/no-such-endpoint/")

    assert response.status_code == 404
