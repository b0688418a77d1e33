"""Following: idempotent, unique per person and target, generic over models."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.urls import reverse

from notifications import services
from notifications.models import Follow
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_follow_twice_is_one_follow():
    user, agency = UserFactory(), AgencyFactory()

    first = services.follow(user=user, target=agency)
    second = services.follow(user=user, target=agency)

    assert first.pk == second.pk
    assert Follow.objects.filter(user=user).count() == 1
    assert services.is_following(user=user, target=agency)


def test_the_database_refuses_a_duplicate_follow():
    user, agency = UserFactory(), AgencyFactory()
    services.follow(user=user, target=agency)
    content_type = ContentType.objects.get_for_model(agency)

    with pytest.raises(IntegrityError), transaction.atomic():
        Follow.objects.create(user=user, content_type=content_type, object_id=str(agency.pk))


def test_unfollow_is_idempotent_and_only_affects_that_person_and_target():
    alice, bob = UserFactory(), UserFactory()
    justice, health = AgencyFactory(), AgencyFactory()
    for person in (alice, bob):
        for agency in (justice, health):
            services.follow(user=person, target=agency)

    services.unfollow(user=alice, target=justice)
    services.unfollow(user=alice, target=justice)

    assert not services.is_following(user=alice, target=justice)
    assert services.is_following(user=alice, target=health)
    assert services.is_following(user=bob, target=justice)


def test_anonymous_visitor_follows_nothing():
    from django.contrib.auth.models import AnonymousUser

    assert services.is_following(user=AnonymousUser(), target=AgencyFactory()) is False


def test_a_page_is_the_same_target_as_base_page_or_specific_page():
    from wagtail.models import Page

    from tests.factories import make_announcement, make_announcement_index

    index = make_announcement_index()
    item = make_announcement(index, title="Budget hearings")
    user = UserFactory()

    services.follow(user=user, target=Page.objects.get(pk=item.pk))

    assert services.is_following(user=user, target=item)
    assert list(services.followers_of(item)) == [user]


def test_following_remembers_the_language_in_use_once():
    from django.utils import translation

    user = UserFactory()
    with translation.override("ru"):
        services.follow(user=user, target=AgencyFactory())
    with translation.override("en"):
        services.follow(user=user, target=AgencyFactory())

    assert services.recipient_language(user) == "ru"


# --- The follow button and endpoints ------------------------------------------------------


def test_anonymous_sees_a_sign_in_link_instead_of_the_button(client):
    agency = AgencyFactory(slug="health")

    html = client.get(f"/en/agencies/{agency.slug}/").content.decode()

    assert "Sign in to follow" in html
    assert reverse("notifications:follow") not in html


def test_follow_and_unfollow_through_the_agency_page(signed_in_client, verified_user):
    agency = AgencyFactory(slug="health")
    page_url = f"/en/agencies/{agency.slug}/"
    html = signed_in_client.get(page_url).content.decode()
    assert 'name="target_type" value="accounts.agency"' in html
    assert ">Follow</button>" in html

    response = signed_in_client.post(
        "/en/notifications/follow/",
        {"target_type": "accounts.agency", "target_id": agency.pk, "next": page_url},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == page_url
    assert services.is_following(user=verified_user, target=agency)
    html = response.content.decode()
    assert "Following" in html and ">Unfollow</button>" in html
    assert "You follow" in html

    signed_in_client.post(
        "/en/notifications/unfollow/",
        {"target_type": "accounts.agency", "target_id": agency.pk, "next": page_url},
    )
    assert not services.is_following(user=verified_user, target=agency)


def test_follow_answers_json_when_asked(signed_in_client, verified_user):
    agency = AgencyFactory()

    response = signed_in_client.post(
        "/en/notifications/follow/",
        {"target_type": "accounts.agency", "target_id": agency.pk},
        headers={"accept": "application/json"},
    )

    assert response.status_code == 200
    assert response.json() == {"following": True}


def test_follow_endpoint_is_post_only_and_needs_sign_in(signed_in_client):
    from django.test import Client

    agency = AgencyFactory()
    data = {"target_type": "accounts.agency", "target_id": agency.pk}

    assert signed_in_client.get("/en/notifications/follow/", data).status_code == 405
    response = Client().post("/en/notifications/follow/", data)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Follow.objects.exists()


@pytest.mark.parametrize(
    "target_type, target_id",
    [
        ("accounts.user", "1"),  # people are not followable
        ("accounts.agency", "999999"),
        ("accounts.agency", "not-a-number"),
        ("nonsense", "1"),
        ("no_such_app.model", "1"),
    ],
)
def test_follow_refuses_what_is_not_followable(signed_in_client, target_type, target_id):
    response = signed_in_client.post(
        "/en/notifications/follow/", {"target_type": target_type, "target_id": target_id}
    )

    assert response.status_code == 404
    assert not Follow.objects.exists()


def test_inactive_agency_is_not_followable(signed_in_client):
    agency = AgencyFactory(is_active=False)

    response = signed_in_client.post(
        "/en/notifications/follow/", {"target_type": "accounts.agency", "target_id": agency.pk}
    )

    assert response.status_code == 404


def test_follow_does_not_redirect_off_site(signed_in_client):
    agency = AgencyFactory(slug="health")

    response = signed_in_client.post(
        "/en/notifications/follow/",
        {"target_type": "accounts.agency", "target_id": agency.pk, "next": "https://evil.example/"},
    )

    assert response["Location"] == agency.get_absolute_url()
