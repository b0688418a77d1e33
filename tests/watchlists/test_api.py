"""/api/v1/watches/: the signed-in person's own watches."""

from __future__ import annotations

import json

import pytest
from rest_framework.test import APIClient

from tracking.watchlists.models import Watch
from tracking.watchlists.services import watch_add

from .conftest import QUESTION

pytestmark = pytest.mark.django_db

URL = "/api/v1/watches/"


@pytest.fixture
def user(make_watcher):
    return make_watcher()


@pytest.fixture
def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_anonymous_callers_are_refused(justice):
    client = APIClient()
    assert client.get(URL).status_code in (401, 403)
    assert client.post(URL, {"agency": justice.slug}, format="json").status_code in (401, 403)
    assert not Watch.objects.exists()


def test_list_shows_only_ones_own_watches(api, user, justice, make_watcher, english):
    watch_add(user=user, agency=justice, kind=QUESTION, events=["overdue"], name="Late answers")
    watch_add(user=make_watcher(), agency=justice)
    response = api.get(URL)
    assert response.status_code == 200
    assert response.data["count"] == 1
    (row,) = response.data["results"]
    assert {key: row[key] for key in row if key not in ("id", "created_at")} == {
        "name": "Late answers",
        "label": "Late answers",
        "agency": "ministry-of-justice",
        "kind": QUESTION,
        "kind_label": "Answer to a question",
        "events": ["overdue"],
    }


def test_create_with_defaults(api, user, justice):
    response = api.post(URL, {"agency": justice.slug}, format="json")
    assert response.status_code == 201, response.data
    assert response.data["events"] == ["answered", "extended", "redirected", "overdue"]
    assert response.data["kind"] == ""
    watch = Watch.objects.get(user=user)
    assert watch.agency == justice and watch.events == response.data["events"]


def test_create_a_kind_watch_for_some_events(api, user):
    response = api.post(
        URL, {"kind": QUESTION, "events": ["redirected", "answered"]}, format="json"
    )
    assert response.status_code == 201, response.data
    assert response.data["agency"] is None
    assert response.data["events"] == ["answered", "redirected"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "non_field_errors"),
        ({"kind": "no.such.kind"}, "kind"),
        ({"agency": "no-such-agency"}, "agency"),
        ({"kind": QUESTION, "events": ["rated"]}, "events"),
        ({"kind": QUESTION, "name": "x" * 121}, "name"),
    ],
)
def test_bad_input_answers_400_naming_the_field(api, payload, field, english):
    response = api.post(URL, payload, format="json")
    assert response.status_code == 400
    assert field in response.data
    assert not Watch.objects.exists()


def test_duplicate_answers_400(api, user, justice, english):
    watch_add(user=user, agency=justice)
    response = api.post(URL, {"agency": justice.slug}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.data["non_field_errors"] == ["You already watch this."]
    # In the requester's language.
    response = api.post(URL, {"agency": justice.slug}, format="json", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.data["non_field_errors"] == ["Вы уже наблюдаете за этим."]


def test_delete_ones_own_only(api, user, justice, make_watcher):
    mine = watch_add(user=user, agency=justice)
    theirs = watch_add(user=make_watcher(), agency=justice)
    assert api.delete(f"{URL}{theirs.pk}/").status_code == 404
    assert api.get(f"{URL}{theirs.pk}/").status_code == 404
    assert api.delete(f"{URL}{mine.pk}/").status_code == 204
    assert list(Watch.objects.values_list("pk", flat=True)) == [theirs.pk]


def test_no_update(api, user, justice):
    watch = watch_add(user=user, agency=justice)
    assert api.patch(f"{URL}{watch.pk}/", {"name": "x"}, format="json").status_code == 405


def test_list_query_count_does_not_grow(api, user, django_assert_max_num_queries):
    from tests.factories import AgencyFactory

    def count_for(n: int) -> int:
        Watch.objects.filter(user=user).delete()
        for _ in range(n):
            watch_add(user=user, agency=AgencyFactory(), kind=QUESTION)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            response = api.get(URL, {"page_size": 200})
        assert response.data["count"] == n
        return len(queries)

    assert count_for(5) == count_for(50)
    with django_assert_max_num_queries(4):
        api.get(URL)


def test_schema_documents_the_endpoint_with_unique_names(client):
    document = json.loads(client.get("/api/schema/", {"format": "json"}).content)
    paths = document["paths"]
    assert set(paths["/api/v1/watches/"]) >= {"get", "post"}
    assert set(paths["/api/v1/watches/{id}/"]) >= {"get", "delete"}
    schemas = document["components"]["schemas"]
    assert "WatchlistWatch" in schemas
    assert "PaginatedWatchlistWatchList" in schemas
    events = schemas["WatchlistEvents"]
    assert events["items"]["enum"] == ["answered", "extended", "redirected", "overdue"]
    assert "EventsEnum" not in schemas  # named for this app: no shared name to collide with
