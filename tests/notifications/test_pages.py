"""The bell, the notifications page and the preferences page."""

from __future__ import annotations

import re

import pytest
from django.test import RequestFactory

from notifications import registry, services
from notifications.context_processors import unread
from notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _notify(recipients, n=1, kind="test.news"):
    for index in range(n):
        services.notify(
            recipients=recipients, kind=kind, title=f"Item {index}", url=f"/en/item/{index}/"
        )


# --- The bell --------------------------------------------------------------------------------


def test_bell_count_is_lazy_and_costs_one_query(django_assert_num_queries, verified_user):
    _notify([verified_user], n=3)
    request = RequestFactory().get("/")
    request.user = verified_user

    with django_assert_num_queries(0):
        context = unread(request)
    with django_assert_num_queries(1):
        assert str(context["notifications_unread"]) == "3"
        assert bool(context["notifications_unread"])
        assert context["notifications_unread"] == 3


def test_bell_for_anonymous_costs_nothing(django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()

    with django_assert_num_queries(0):
        assert unread(request) == {"notifications_unread": 0}


def test_the_header_shows_the_unread_count_and_links_to_the_page(signed_in_client, verified_user):
    _notify([verified_user], n=2)

    html = signed_in_client.get("/en/agencies/").content.decode()

    assert 'id="notifications-count" aria-live="polite"' in html
    assert ">2</span>" in html
    assert 'href="/en/notifications/"' in html


def test_the_bell_adds_one_query_to_a_page(signed_in_client, verified_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _notify([verified_user], n=50)
    with CaptureQueriesContext(connection) as queries:
        signed_in_client.get("/en/agencies/")

    bell = [q for q in queries.captured_queries if "notifications_notification" in q["sql"]]
    assert len(bell) == 1


# --- The notifications page -------------------------------------------------------------------


def test_page_needs_sign_in(client):
    response = client.get("/en/notifications/")

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_page_lists_own_notifications_newest_first_unread_highlighted(
    signed_in_client, verified_user
):
    other = UserFactory()
    _notify([verified_user, other], n=3)
    services.notification_mark_read(
        user=verified_user,
        notification_id=Notification.objects.filter(recipient=verified_user, title="Item 0")
        .get()
        .pk,
    )
    _notify([other], n=1)

    html = signed_in_client.get("/en/notifications/").content.decode()

    assert html.index("Item 2") < html.index("Item 1") < html.index("Item 0")
    assert html.count('class="notification is-unread"') == 2
    assert html.count('class="notification"') == 1
    assert "News of what you follow" in html  # the kind's label


def test_page_query_count_does_not_grow(signed_in_client, verified_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(count):
        Notification.objects.bulk_create(
            Notification(
                recipient=verified_user,
                kind="test.news",
                language="en",
                title=f"N{i}",
                url="/en/",
                channel=registry.DIGEST,
            )
            for i in range(count)
        )

    counts = []
    for count in (5, 120):
        add(count)
        signed_in_client.get("/en/notifications/")  # warm the site chrome's caches
        with CaptureQueriesContext(connection) as queries:
            assert signed_in_client.get("/en/notifications/").status_code == 200
        ours = [q for q in queries.captured_queries if "notifications_" in q["sql"]]
        assert len(ours) == 3  # the page's count and rows, the bell
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_page_is_paginated(signed_in_client, verified_user):
    _notify([verified_user], n=35)

    first = signed_in_client.get("/en/notifications/").content.decode()
    second = signed_in_client.get("/en/notifications/?page=2").content.decode()

    assert len(re.findall(r'<li class="notification[ "]', first)) == 30
    assert len(re.findall(r'<li class="notification[ "]', second)) == 5
    assert "Page 2 of 2" in second


def test_mark_one_read_is_post_only_and_own_only(signed_in_client, verified_user):
    other = UserFactory()
    _notify([verified_user, other])
    mine = Notification.objects.get(recipient=verified_user)
    theirs = Notification.objects.get(recipient=other)

    assert signed_in_client.get(f"/en/notifications/{mine.pk}/read/").status_code == 405
    signed_in_client.post(f"/en/notifications/{theirs.pk}/read/")
    response = signed_in_client.post(f"/en/notifications/{mine.pk}/read/")

    assert response.status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None
    assert theirs.read_at is None


def test_mark_one_read_answers_json(signed_in_client, verified_user):
    _notify([verified_user], n=2)
    first = Notification.objects.filter(recipient=verified_user).first()

    response = signed_in_client.post(
        f"/en/notifications/{first.pk}/read/", headers={"accept": "application/json"}
    )

    assert response.json() == {"read": True, "unread": 1}


def test_mark_all_read(signed_in_client, verified_user):
    other = UserFactory()
    _notify([verified_user, other], n=3)

    response = signed_in_client.post("/en/notifications/read-all/", follow=True)

    assert "All notifications are marked as read." in response.content.decode()
    assert Notification.objects.filter(recipient=verified_user, read_at__isnull=True).count() == 0
    assert Notification.objects.filter(recipient=other, read_at__isnull=True).count() == 3


# --- Preferences -------------------------------------------------------------------------


def test_preferences_page_lists_registered_kinds_with_defaults(signed_in_client):
    html = signed_in_client.get("/en/notifications/settings/").content.decode()

    for label in ("News of what you follow", "Answers to you", "Quiet things"):
        assert f"<legend>{label}</legend>" in html
    checked = re.search(r'<input[^>]*name="kind_test.news"[^>]*checked[^>]*>', html).group(0)
    assert 'value="digest"' in checked
    checked = re.search(r'<input[^>]*name="kind_test.answer"[^>]*checked[^>]*>', html).group(0)
    assert 'value="immediate"' in checked


def _form(**chosen):
    """The preferences form as posted: every registered kind at its default, but `chosen`."""
    data = {f"kind_{kind.key}": kind.default for kind in registry.kinds()}
    data.update({f"kind_{key.replace('__', '.')}": value for key, value in chosen.items()})
    data["language"] = "en"
    return data


def test_preferences_are_saved(signed_in_client, verified_user):
    data = _form(test__news="immediate", test__answer="immediate", test__quiet="digest")
    data["language"] = "ru"
    response = signed_in_client.post("/en/notifications/settings/", data, follow=True)

    assert "Your notification settings have been saved." in response.content.decode()
    chosen = services.preferences_of(verified_user)
    assert (chosen["test.news"], chosen["test.answer"], chosen["test.quiet"]) == (
        "immediate",
        "immediate",  # its default: no row kept
        "digest",
    )
    assert chosen[registry.ALL_KINDS] == "digest"
    assert not verified_user.notification_preferences.filter(kind="test.answer").exists()
    assert services.recipient_language(verified_user) == "ru"


def test_no_email_at_all_switch(signed_in_client, verified_user):
    data = {**_form(), "no_email": "on"}
    signed_in_client.post("/en/notifications/settings/", data)
    assert services.email_channel(user=verified_user, kind="test.answer") == registry.OFF

    data.pop("no_email")
    signed_in_client.post("/en/notifications/settings/", data)
    assert services.email_channel(user=verified_user, kind="test.answer") == registry.IMMEDIATE


def test_bad_preference_input_is_refused_and_nothing_changes(signed_in_client, verified_user):
    response = signed_in_client.post(
        "/en/notifications/settings/",
        _form(test__news="hourly", test__answer="off"),
    )

    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not verified_user.notification_preferences.exists()


def test_preferences_need_sign_in(client):
    assert client.get("/en/notifications/settings/").status_code == 302
