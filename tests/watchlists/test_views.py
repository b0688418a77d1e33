"""The watchlist page, its forms, and the "Follow this agency" button."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.template import Context, RequestContext, Template
from django.test import Client, RequestFactory
from django.utils import translation

from tracking.watchlists.models import ANSWERED, OVERDUE, Watch
from tracking.watchlists.services import overdue_alerts_send, watch_add

from .conftest import QUESTION, at

pytestmark = pytest.mark.django_db

PAGE = "/{lang}/watchlist/"
ADD = "/en/watchlist/add/"


@pytest.fixture
def user(make_watcher):
    return make_watcher()


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_page_asks_anonymous_visitors_to_sign_in(client, lang):
    response = client.get(PAGE.format(lang=lang))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert "next=" in response["Location"]


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_page_in_each_language(signed_in, user, justice, lang):
    watch_add(user=user, agency=justice, kind=QUESTION)
    response = signed_in.get(PAGE.format(lang=lang))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert {"kk": "Әділет министрлігі", "ru": "Министерство юстиции", "en": "Ministry of Justice"}[
        lang
    ] in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert f'action="/{lang}/watchlist/add/"' in html


def test_the_english_page_lists_watches_alerts_and_the_form(
    signed_in, user, justice, subject, english
):
    import time_machine

    from tracking.services import obligation_open

    with time_machine.travel(at(2026, 3, 18, 11), tick=False):
        obligation_open(subject=subject, agency=justice, kind=QUESTION)
    watch_add(user=user, agency=justice, name="Justice, everything")
    watch_add(user=user, kind=QUESTION, events=[ANSWERED])
    overdue_alerts_send(now=at(2026, 4, 14, 9))

    html = signed_in.get("/en/watchlist/").content.decode()
    assert "<h1>My watchlist</h1>" in html
    assert "Justice, everything" in html
    assert "Answer to a question" in html  # the kind watch's label
    assert "Tell me when: Answered, Deadline extended, Sent on to another agency, Overdue" in html
    assert html.count('class="watch-alert"') == 1  # only the agency watch wants overdue
    assert 'href="/organisations/new-school/">Where is the new school?</a>' in html
    assert "No alerts yet." in html
    assert '<option value="test.question">Answer to a question</option>' in html
    assert html.count('type="checkbox" name="events"') == 4
    assert html.count("checked") >= 4  # every event chosen by default


def test_adding_a_watch(signed_in, user, justice):
    response = signed_in.post(
        ADD,
        {"agency": justice.pk, "kind": QUESTION, "events": [ANSWERED, OVERDUE], "name": "Q"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/watchlist/"
    watch = Watch.objects.get(user=user)
    assert (watch.agency, watch.kind, watch.name, watch.events) == (
        justice,
        QUESTION,
        "Q",
        [ANSWERED, OVERDUE],
    )
    assert messages_of(response) == ["You now watch “Q”. Alerts appear in your notifications."]


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"events": [ANSWERED]}, "Choose an agency, a kind of obligation, or both."),
        ({"kind": QUESTION}, "Choose at least one event to be told of."),
        ({"kind": "no.such.kind", "events": [ANSWERED]}, "Select a valid choice."),
        ({"agency": "999999", "events": [ANSWERED]}, "Select a valid choice."),
        ({"kind": QUESTION, "events": ["rated"]}, "Select a valid choice."),
        ({"kind": QUESTION, "events": [ANSWERED], "name": "x" * 121}, "at most 120 characters"),
    ],
)
def test_bad_input_answers_400_with_the_error(signed_in, data, error):
    response = signed_in.post(ADD, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert error in html
    assert 'class="errorlist"' in html
    assert not Watch.objects.exists()


def test_a_duplicate_is_refused_with_a_message(signed_in, user, justice):
    watch_add(user=user, agency=justice)
    response = signed_in.post(ADD, {"agency": justice.pk, "events": [OVERDUE]})
    assert response.status_code == 400
    assert "You already watch this." in response.content.decode()
    assert Watch.objects.filter(user=user).count() == 1


def test_bad_input_in_russian_is_shown_in_russian(signed_in):
    response = signed_in.post("/ru/watchlist/add/", {"kind": QUESTION})
    assert response.status_code == 400
    html = response.content.decode()
    assert '<html lang="ru">' in html
    with translation.override("ru"):
        from django.utils.translation import gettext

        assert gettext("Choose at least one event to be told of.") in html


def test_posting_requires_csrf(user, justice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(ADD, {"agency": justice.pk, "events": [ANSWERED]}).status_code == 403
    watch = watch_add(user=user, agency=justice)
    assert client.post(f"/en/watchlist/{watch.pk}/remove/").status_code == 403
    assert Watch.objects.filter(pk=watch.pk).exists()


def test_add_and_remove_accept_only_post(signed_in, user, justice):
    watch = watch_add(user=user, agency=justice)
    assert signed_in.get(ADD).status_code == 405
    assert signed_in.get(f"/en/watchlist/{watch.pk}/remove/").status_code == 405


def test_anonymous_posts_go_to_sign_in(client, justice):
    response = client.post(ADD, {"agency": justice.pk, "events": [ANSWERED]})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Watch.objects.exists()


def test_removing_ones_own_watch_only(signed_in, user, justice, make_watcher):
    mine = watch_add(user=user, agency=justice)
    theirs = watch_add(user=make_watcher(), agency=justice)
    assert signed_in.post(f"/en/watchlist/{theirs.pk}/remove/").status_code == 404
    response = signed_in.post(f"/en/watchlist/{mine.pk}/remove/")
    assert response.status_code == 302 and response["Location"] == "/en/watchlist/"
    assert messages_of(response) == ["You no longer watch “Ministry of Justice”."]
    assert list(Watch.objects.values_list("pk", flat=True)) == [theirs.pk]


# --- The "Follow this agency" button ------------------------------------------------------------


BUTTON = Template('{% include "watchlists/follow_agency_button.html" with agency=agency %}')


def render_button(user, agency, path="/en/agencies/ministry-of-justice/") -> str:
    request = RequestFactory().get(path)
    request.user = user
    with translation.override("en"):
        return BUTTON.render(RequestContext(request, {"agency": agency, "user": user}))


def test_button_for_anonymous_visitors_links_to_sign_in(justice):
    from django.contrib.auth.models import AnonymousUser

    html = render_button(AnonymousUser(), justice)
    assert "Sign in to follow this agency" in html
    assert "?next=/en/agencies/ministry-of-justice/" in html
    assert "<form" not in html


def test_button_posts_the_agency_and_every_event(user, justice):
    html = render_button(user, justice)
    assert 'action="/en/watchlist/add/"' in html
    assert f'name="agency" value="{justice.pk}"' in html
    assert html.count('name="events"') == 4
    assert 'name="next" value="/en/agencies/ministry-of-justice/"' in html
    assert ">Follow this agency</button>" in html


def test_button_shows_the_watch_and_offers_to_stop(user, justice, django_assert_num_queries):
    watch = watch_add(user=user, agency=justice)
    with django_assert_num_queries(1):
        html = render_button(user, justice)
    assert "On your watchlist" in html
    assert f'action="/en/watchlist/{watch.pk}/remove/"' in html


def test_button_renders_nothing_without_an_agency(user):
    assert render_button(user, None).strip() == ""
    assert (
        Template("{% include 'watchlists/follow_agency_button.html' %}").render(Context({})).strip()
        == ""
    )


def test_button_round_trip_returns_to_the_page(signed_in, user, justice):
    back = "/en/agencies/ministry-of-justice/"
    response = signed_in.post(
        ADD,
        {
            "agency": justice.pk,
            "events": ["answered", "extended", "redirected", "overdue"],
            "next": back,
        },
    )
    assert response.status_code == 302 and response["Location"] == back
    watch = Watch.objects.get(user=user, agency=justice, kind="")
    # Pressed again from a stale page: back with the error as a message, nothing added.
    response = signed_in.post(ADD, {"agency": justice.pk, "events": ["overdue"], "next": back})
    assert response["Location"] == back
    assert messages_of(response)[-1] == "You already watch this."
    response = signed_in.post(f"/en/watchlist/{watch.pk}/remove/", {"next": back})
    assert response["Location"] == back
    assert not Watch.objects.exists()


def test_next_never_leaves_the_site(signed_in, justice):
    response = signed_in.post(
        ADD, {"agency": justice.pk, "events": ["overdue"], "next": "https://evil.example/"}
    )
    assert response["Location"] == "/en/watchlist/"
