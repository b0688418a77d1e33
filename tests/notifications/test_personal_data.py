"""Follows and notifications are personal: exported on request, erased with the account."""

from __future__ import annotations

import pytest
from django.utils import translation

from accounts import personal_data
from accounts.services import user_delete_account
from notifications import registry, services
from notifications.models import Follow, Notification, Preference, RecipientSettings
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice():
    user = UserFactory()
    agency = AgencyFactory(slug="justice")
    with translation.override("kk"):
        services.follow(user=user, target=agency)
    services.preference_set(user=user, kind="test.news", channel=registry.IMMEDIATE)
    services.notify(recipients=[user], kind="test.quiet", title="Hello", url="/kk/")
    return user


def test_export(alice):
    data = personal_data.export_for(alice)

    assert data["follows"][0]["type"] == "accounts.agency"
    notifications = data["notifications"]
    assert notifications["preferences"] == {"test.news": "immediate"}
    assert [row["title"] for row in notifications["received"]] == ["Hello"]
    assert notifications["language"] == "kk"


def test_my_data_download_includes_them(client, alice):
    client.force_login(alice)

    data = client.get("/en/accounts/my-data/download.json").json()

    assert data["follows"] and data["notifications"]["received"]


def test_erased_with_the_account(alice):
    bob = UserFactory()
    services.follow(user=bob, target=AgencyFactory())
    services.notify(recipients=[bob], kind="test.quiet", title="Hi", url="/kk/")

    user_delete_account(user=alice)

    for model, field in (
        (Follow, "user"),
        (Notification, "recipient"),
        (Preference, "user"),
        (RecipientSettings, "user"),
    ):
        assert not model.objects.filter(**{field: alice}).exists()
    assert Follow.objects.filter(user=bob).exists()
    assert Notification.objects.filter(recipient=bob).exists()
