"""/api/v1/notifications/: the caller's own notifications, nobody else's."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from notifications import services
from notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(verified_user):
    client = APIClient()
    client.force_authenticate(verified_user)
    return client


def _notify(recipients, n=1):
    for index in range(n):
        services.notify(recipients=recipients, kind="test.news", title=f"T{index}", url="/en/")


def test_anonymous_is_refused():
    response = APIClient().get("/api/v1/notifications/")

    assert response.status_code in (401, 403)


def test_lists_only_own_notifications_newest_first(api, verified_user):
    other = UserFactory()
    _notify([verified_user, other], n=3)

    data = api.get("/api/v1/notifications/").json()

    assert data["count"] == 3
    assert data["unread"] == 3
    assert [row["title"] for row in data["results"]] == ["T2", "T1", "T0"]
    assert data["results"][0]["kind_label"] == "News of what you follow"
    assert set(data["results"][0]) == {
        "id",
        "kind",
        "kind_label",
        "title",
        "body",
        "url",
        "created_at",
        "read_at",
        "is_read",
    }


def test_someone_elses_notification_is_a_404(api):
    other = UserFactory()
    _notify([other])
    theirs = Notification.objects.get()

    assert api.get(f"/api/v1/notifications/{theirs.pk}/").status_code == 404
    assert api.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_read_and_read_all(api, verified_user):
    _notify([verified_user], n=3)
    first = Notification.objects.filter(recipient=verified_user).last()

    response = api.post(f"/api/v1/notifications/{first.pk}/read/")

    assert response.status_code == 200 and response.json()["is_read"] is True
    assert api.get("/api/v1/notifications/", {"unread": "1"}).json()["count"] == 2
    assert api.post("/api/v1/notifications/read-all/").json() == {"marked": 2, "unread": 0}


def test_api_list_query_count_does_not_grow(api, verified_user, django_assert_max_num_queries):
    _notify([verified_user], n=60)

    with django_assert_max_num_queries(4):  # page count, page rows, unread count (+ user)
        response = api.get("/api/v1/notifications/")

    assert len(response.json()["results"]) == 50


def test_not_in_the_open_data_schema(client):
    paths = client.get("/api/schema/", {"format": "json"}).json()["paths"]

    assert not any(path.startswith("/api/v1/notifications") for path in paths)
