"""The public agency directory and the account pages (profile, my data, deletion).

Language-specific assertions here use only `<html lang>` and data (agency names per
language): the interface strings are checked in test_i18n.py.
"""

from __future__ import annotations

import json

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from accounts.models import Agency, Membership, User
from accounts.regions import Region
from tests.factories import PASSWORD, AgencyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

LANGUAGES = ["kk", "ru", "en"]


def url(name: str, lang: str, **kwargs) -> str:
    with translation.override(lang):
        return reverse(name, kwargs=kwargs or None)


def positions(html: str, names: list[str]) -> list[int]:
    found = [html.find(name) for name in names]
    assert -1 not in found, dict(zip(names, found, strict=True))
    return found


# --- Agency list -------------------------------------------------------------------------


@pytest.fixture
def four_agencies():
    """Names chosen so that kk, ru and en each give a different order."""
    rows = [
        ("akimat", "Алматы облысының әкімдігі", "Акимат Алматинской области", "Akimat of Almaty"),
        ("agriculture", "Ауыл шаруашылығы министрлігі", "Министерство сельского хозяйства", "Ministry of Agriculture"),  # noqa: E501
        ("justice", "Әділет министрлігі", "Министерство юстиции", "Ministry of Justice"),
        ("education", "Білім министрлігі", "Министерство просвещения", "Ministry of Education"),
    ]  # fmt: skip
    agencies = {}
    for slug, kk, ru, en in rows:
        local = slug == "akimat"
        agencies[slug] = AgencyFactory(
            slug=slug,
            name_kk=kk,
            name_ru=ru,
            name_en=en,
            kind=Agency.Kind.LOCAL if local else Agency.Kind.CENTRAL,
            region=Region.ALMATY if local else "",
        )
    return agencies


EXPECTED_ORDER = {
    # Ә comes right after А in Kazakh: after "Алматы", "Ауыл", before "Білім".
    "kk": ["akimat", "agriculture", "justice", "education"],
    # просвещения < сельского < юстиции
    "ru": ["akimat", "education", "agriculture", "justice"],
    # Agriculture < Education < Justice
    "en": ["akimat", "agriculture", "education", "justice"],
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_agency_list_is_sorted_by_the_name_in_the_page_language(client, four_agencies, lang):
    response = client.get(url("accounts:agency_list", lang))

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    names = [getattr(four_agencies[slug], f"name_{lang}") for slug in EXPECTED_ORDER[lang]]
    found = positions(html, names)
    assert found == sorted(found), f"{lang}: expected order {names}"


def test_kazakh_order_is_not_code_point_order(four_agencies):
    """Guards the test above: plain code-point order would put Ә last."""
    names = sorted(agency.name_kk for agency in four_agencies.values())
    assert names[-1] == "Әділет министрлігі"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_agency_list_shows_names_in_the_page_language_only(client, four_agencies, lang):
    html = client.get(url("accounts:agency_list", lang)).content.decode()

    justice = four_agencies["justice"]
    assert getattr(justice, f"name_{lang}") in html
    for other in set(LANGUAGES) - {lang}:
        assert getattr(justice, f"name_{other}") not in html


def test_agency_list_filters_by_kind(client, four_agencies):
    html = client.get(url("accounts:agency_list", "en"), {"kind": "local"}).content.decode()

    assert "Akimat of Almaty" in html
    assert "Ministry of Justice" not in html


def test_agency_list_filters_by_region(client, four_agencies):
    AgencyFactory(name_en="Akimat of Karaganda Region", kind="local", region=Region.KARAGANDA)

    html = client.get(url("accounts:agency_list", "en"), {"region": "karaganda"}).content.decode()

    assert "Akimat of Karaganda Region" in html
    assert "Akimat of Almaty" not in html
    assert "Ministry of Justice" not in html


def test_agency_list_searches_names_in_every_language(client, four_agencies):
    # A Russian query on the English page still finds the agency, shown in English.
    html = client.get(url("accounts:agency_list", "en"), {"q": "юстиц"}).content.decode()

    assert "Ministry of Justice" in html
    assert "Ministry of Education" not in html
    assert "Akimat of Almaty" not in html


def test_agency_list_ignores_unknown_filter_values(client, four_agencies):
    response = client.get(url("accounts:agency_list", "en"), {"kind": "bogus", "region": "mars"})

    assert response.status_code == 200
    assert response.context["selected_kind"] == ""
    assert response.context["selected_region"] == ""
    assert response.context["page_obj"].paginator.count == 4


def test_agency_list_hides_inactive_agencies(client, four_agencies):
    Agency.objects.filter(slug="justice").update(is_active=False)

    html = client.get(url("accounts:agency_list", "en")).content.decode()

    assert "Ministry of Justice" not in html
    assert "Ministry of Education" in html


def test_agency_list_shows_the_head_with_position(client, agency_with_staff):
    html = client.get(url("accounts:agency_list", "en")).content.decode()

    assert "head (en): Head Person" in html
    assert "Responder Person" not in html


def test_agency_list_paginates(client):
    for n in range(35):
        AgencyFactory(name_en=f"Body {n:02d}")

    first = client.get(url("accounts:agency_list", "en")).content.decode()
    second = client.get(url("accounts:agency_list", "en"), {"page": 2}).content.decode()

    assert "Body 00" in first and "Body 29" in first and "Body 30" not in first
    assert "Body 30" in second and "Body 34" in second and "Body 00" not in second
    assert 'rel="next"' in first


# --- Agency detail -----------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_agency_detail_in_each_language(client, agency_with_staff, lang):
    agency = agency_with_staff.agency
    agency.phone = "+7 7172 74 07 77"
    agency.email = "kense@adilet.gov.kz"
    agency.website = "https://www.gov.kz/memleket/entities/adilet"
    agency.save()

    response = client.get(url("accounts:agency_detail", lang, slug=agency.slug))

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert f"<h1>{getattr(agency, f'name_{lang}')}</h1>" in html
    assert "Head Person" in html
    assert f"head ({lang})" in html  # the head's position in this language
    assert getattr(agency, f"address_{lang}") in html
    assert 'href="tel:+77172740777"' in html
    assert "mailto:kense@adilet.gov.kz" in html
    assert "https://www.gov.kz/memleket/entities/adilet" in html
    # Only the head is named on the public page.
    assert "Responder Person" not in html


def test_agency_detail_links_parent_and_children(client):
    parent = AgencyFactory(slug="ministry", name_en="Ministry of Finance")
    child = AgencyFactory(slug="committee", name_en="State Revenue Committee", parent=parent)

    parent_html = client.get(url("accounts:agency_detail", "en", slug="ministry")).content.decode()
    child_html = client.get(url("accounts:agency_detail", "en", slug="committee")).content.decode()

    assert child.get_absolute_url().replace("/kk/", "/en/") in parent_html
    assert "State Revenue Committee" in parent_html
    assert "Ministry of Finance" in child_html


def test_agency_detail_without_a_head(client):
    AgencyFactory(slug="headless")

    response = client.get(url("accounts:agency_detail", "en", slug="headless"))

    assert response.status_code == 200
    assert response.context["head"] is None


@pytest.mark.parametrize("lang", LANGUAGES)
def test_unknown_agency_is_404(client, lang):
    response = client.get(url("accounts:agency_detail", lang, slug="no-such-agency"))

    assert response.status_code == 404


# --- Query counts --------------------------------------------------------------------------


def agencies_with_heads(count: int) -> None:
    for n in range(count):
        MembershipFactory(
            agency=AgencyFactory(name_en=f"Agency {n:03d}"),
            user=UserFactory(email_address=False),
            role=Membership.Role.HEAD,
        )


# The page frame (site, home page of the language, main menu, footer, site settings) costs
# about 15 queries of its own; the list itself three (count, agencies, heads).
LIST_QUERY_BOUND = 20


@pytest.mark.parametrize("count", [40, 80])
def test_agency_list_query_count_is_bounded(client, django_assert_max_num_queries, count):
    agencies_with_heads(count)

    with django_assert_max_num_queries(LIST_QUERY_BOUND):
        response = client.get(url("accounts:agency_list", "en"))

    assert response.status_code == 200
    assert len(response.context["rows"]) == 30
    assert all(head is not None for _agency, head in response.context["rows"])


def test_agency_list_query_count_does_not_grow_with_the_data(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count_queries(path: str) -> int:
        client.get(path)  # warm up: the first request creates the site settings row
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        return len(ctx)

    path = url("accounts:agency_list", "en")
    agencies_with_heads(40)
    with_40 = count_queries(path)
    agencies_with_heads(40)
    with_80 = count_queries(path)
    with_80_page_2 = count_queries(path + "?page=2")

    assert with_80 == with_40
    assert with_80_page_2 == with_40


def test_agency_list_query_count_signed_in(client, django_assert_max_num_queries):
    agencies_with_heads(40)
    client.force_login(UserFactory())

    # A signed-in page adds the session and the user, the bell's unread count, and the
    # group and agency-role lookups that decide whether to show the Moderation link.
    with django_assert_max_num_queries(LIST_QUERY_BOUND + 5):
        response = client.get(url("accounts:agency_list", "en"))

    assert response.status_code == 200


# --- Profile -------------------------------------------------------------------------------


def test_profile_needs_a_login(client):
    response = client.get(url("accounts:profile", "en"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse_login("en"))


def reverse_login(lang: str) -> str:
    return url("account_login", lang)


def test_profile_shows_the_users_data(signed_in_client, verified_user):
    response = signed_in_client.get(url("accounts:profile", "en"))

    assert response.status_code == 200
    assert 'value="Asel"' in response.content.decode()


def test_profile_post_saves(signed_in_client, verified_user):
    response = signed_in_client.post(
        url("accounts:profile", "en"),
        {
            "display_name": "Asel K.",
            "first_name": "Asel",
            "last_name": "Kassymova",
            "region": "shymkent",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == url("accounts:profile", "en")
    verified_user.refresh_from_db()
    assert verified_user.display_name == "Asel K."
    assert verified_user.last_name == "Kassymova"
    assert verified_user.region == "shymkent"


def test_profile_rejects_an_unknown_region_and_keeps_the_input(signed_in_client, verified_user):
    response = signed_in_client.post(
        url("accounts:profile", "en"),
        {"display_name": "New name", "first_name": "Asel", "last_name": "K", "region": "mars"},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Select a valid choice" in html
    assert "mars" in html
    assert 'value="New name"' in html  # what the person typed is still in the form
    verified_user.refresh_from_db()
    assert verified_user.display_name == "Asel"
    assert verified_user.region == Region.ASTANA


# --- My data -------------------------------------------------------------------------------


def test_my_data_page(signed_in_client):
    response = signed_in_client.get(url("accounts:my_data", "en"))

    assert response.status_code == 200
    assert url("accounts:my_data_download", "en") in response.content.decode()


def test_my_data_download_needs_a_login(client):
    response = client.get(url("accounts:my_data_download", "en"))

    assert response.status_code == 302


def test_my_data_download_contains_the_users_data_only(
    signed_in_client, verified_user, agency_with_staff
):
    MembershipFactory(
        user=verified_user,
        agency=agency_with_staff.agency,
        role=Membership.Role.DRAFTER,
        position_en="Chief expert",
    )
    other = UserFactory(email="someone-else@example.kz", display_name="Other Person")

    response = signed_in_client.get(url("accounts:my_data_download", "en"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="ashyq-my-data-')
    assert response["Content-Disposition"].endswith('.json"')
    assert response["Cache-Control"] == "no-store"
    text = response.content.decode()
    data = json.loads(text)
    assert data["user_id"] == verified_user.pk
    assert data["profile"]["email"] == "citizen@example.kz"
    assert data["profile"]["display_name"] == "Asel"
    assert data["email_addresses"] == [
        {"email": "citizen@example.kz", "verified": True, "primary": True}
    ]
    assert data["agency_roles"] == [
        {"agency": "ministry-of-justice", "role": "drafter", "position": "Chief expert"}
    ]
    assert other.email not in text
    assert "Other Person" not in text
    assert "head@justice.gov.kz" not in text


# --- Account deletion ----------------------------------------------------------------------


def test_delete_account_with_a_wrong_password_deletes_nothing(signed_in_client, verified_user):
    response = signed_in_client.post(
        url("accounts:delete_account", "en"), {"password": "wrong", "confirm": "on"}
    )

    assert response.status_code == 200
    assert "The password is not correct." in response.content.decode()
    verified_user.refresh_from_db()
    assert verified_user.is_active
    assert verified_user.deleted_at is None
    assert verified_user.email == "citizen@example.kz"
    assert EmailAddress.objects.filter(user=verified_user).exists()
    assert signed_in_client.get(url("accounts:profile", "en")).status_code == 200


def test_delete_account_needs_the_confirmation_box(signed_in_client, verified_user):
    response = signed_in_client.post(url("accounts:delete_account", "en"), {"password": PASSWORD})

    assert response.status_code == 200
    verified_user.refresh_from_db()
    assert verified_user.deleted_at is None


def test_delete_account_anonymises_and_signs_out(signed_in_client, verified_user):
    response = signed_in_client.post(
        url("accounts:delete_account", "en"), {"password": PASSWORD, "confirm": "on"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/"
    user = User.objects.get(pk=verified_user.pk)
    assert user.deleted_at is not None
    assert user.email == f"deleted-{user.pk}@users.invalid"
    assert not user.is_active
    assert not EmailAddress.objects.filter(user=user).exists()
    assert "_auth_user_id" not in signed_in_client.session
    assert signed_in_client.get(url("accounts:profile", "en")).status_code == 302
    # The old credentials no longer work.
    assert not signed_in_client.login(email="citizen@example.kz", password=PASSWORD)


# --- Language switch -----------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_language_switch_sets_the_cookie_and_root_follows_it(client, lang):
    response = client.post("/i18n/setlang/", {"language": lang, "next": f"/{lang}/"})

    assert response.status_code == 302
    assert response["Location"] == f"/{lang}/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == lang

    root = client.get("/")
    assert root.status_code == 302
    assert root["Location"] == f"/{lang}/"


def test_root_redirects_to_kazakh_by_default(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/kk/"


def test_unprefixed_page_paths_redirect_to_the_language(client):
    response = client.get("/agencies/?kind=local")

    assert response.status_code == 302
    assert response["Location"] == "/kk/agencies/?kind=local"


def test_language_switcher_targets_the_same_page_in_each_language(client, agency_with_staff):
    html = client.get(url("accounts:agency_detail", "ru", slug="ministry-of-justice")).content
    html = html.decode()

    for lang in LANGUAGES:
        assert f'value="/{lang}/agencies/ministry-of-justice/"' in html
