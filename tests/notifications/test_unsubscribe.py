"""Unsubscribing from email: signed links, a confirmation page (mail scanners only GET),
RFC 8058 one-click POST, headers on every email."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.test import Client

from notifications import registry, services
from notifications.models import Preference
from notifications.tokens import SALT, make_token, read_token
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _channel(user, kind="test.answer"):
    return services.email_channel(user=user, kind=kind)


def test_token_round_trip():
    token = make_token(user_id=7, kind="test.news")

    wish = read_token(token)

    assert (wish.user_id, wish.kind) == (7, "test.news")


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # signature altered
        lambda t: t.replace(
            t.split(":")[0], signing.b64_encode(b'{"u":8,"k":"test.news"}').decode()
        ),
        lambda t: "garbage",
        lambda t: signing.dumps({"u": 7, "k": "test.news"}, salt="another.purpose"),
        lambda t: signing.dumps({"u": "7", "k": "test.news"}, salt=SALT),  # wrong shape
    ],
)
def test_tampered_tokens_are_refused(mangle):
    token = make_token(user_id=7, kind="test.news")

    assert read_token(mangle(token)) is None


def _email_for(user, django_capture_on_commit_callbacks, mailoutbox, kind="test.answer"):
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipients=[user], kind=kind, title="Answer", url="/kk/a/")
    return mailoutbox[-1]


def test_every_immediate_email_has_the_headers_and_a_link(
    django_capture_on_commit_callbacks, mailoutbox
):
    alice = UserFactory()
    message = _email_for(alice, django_capture_on_commit_callbacks, mailoutbox)

    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    one_click = re.fullmatch(r"<(https?://[^>]+)>", message.extra_headers["List-Unsubscribe"])
    assert one_click and one_click.group(1).endswith("/one-click/")
    assert "/notifications/unsubscribe/" in message.body
    html = message.alternatives[0][0]
    assert "/notifications/unsubscribe/" in html
    # The headers survive into the message as sent.
    sent = message.message()
    assert sent["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_digest_has_the_headers_and_unsubscribes_from_everything(mailoutbox):
    alice = UserFactory()
    services.notify(recipients=[alice], kind="test.news", title="News", url="/kk/")
    services.digest_send_due()
    message = mailoutbox[-1]

    header = message.extra_headers["List-Unsubscribe"]
    token = header.rsplit("/unsubscribe/", 1)[1].split("/")[0]
    assert read_token(token).kind == registry.ALL_KINDS
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Per-kind links in the body, too.
    kind_tokens = re.findall(r"/unsubscribe/([^/\s]+)/", message.body)
    assert {read_token(t).kind for t in kind_tokens} == {"test.news", registry.ALL_KINDS}


def _page_link(message) -> str:
    return re.search(r"(/[a-z]{2}/notifications/unsubscribe/[^/\s]+/)\s", message.body).group(1)


def test_opening_the_link_does_not_unsubscribe(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    alice = UserFactory()
    link = _page_link(_email_for(alice, django_capture_on_commit_callbacks, mailoutbox))

    response = client.get(link)
    head = client.head(link)

    assert response.status_code == 200 and head.status_code == 200
    assert "<form" in response.content.decode() and 'method="post"' in response.content.decode()
    assert _channel(alice) == registry.IMMEDIATE


def test_pressing_the_button_unsubscribes_without_signing_in(
    django_capture_on_commit_callbacks, mailoutbox
):
    alice = UserFactory()
    link = _page_link(_email_for(alice, django_capture_on_commit_callbacks, mailoutbox))
    client = Client()
    client.get(link)  # the page sets the CSRF cookie its form needs

    response = client.post(link, {"csrfmiddlewaretoken": client.cookies["csrftoken"].value})

    assert response.status_code == 200
    assert _channel(alice) == registry.OFF
    assert _channel(alice, "test.news") == registry.DIGEST  # only that kind


def test_one_click_post_works_without_csrf(django_capture_on_commit_callbacks, mailoutbox):
    alice = UserFactory()
    message = _email_for(alice, django_capture_on_commit_callbacks, mailoutbox)
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        urlsplit(url).path,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert _channel(alice) == registry.OFF


def test_one_click_refuses_get_and_bad_tokens():
    alice = UserFactory()
    token = make_token(user_id=alice.pk, kind="test.answer")
    client = Client(enforce_csrf_checks=True)

    assert client.get(f"/kk/notifications/unsubscribe/{token}/one-click/").status_code == 405
    response = client.post(f"/kk/notifications/unsubscribe/{token[:-3]}xyz/one-click/")
    assert response.status_code == 400
    assert not Preference.objects.exists()


def test_a_tampered_link_shows_an_error_and_changes_nothing(client):
    alice = UserFactory()
    token = make_token(user_id=alice.pk, kind="test.answer")
    forged = token.replace(token.split(":")[0], signing.b64_encode(b'{"u":1,"k":"*"}').decode())

    assert client.get(f"/en/notifications/unsubscribe/{forged}/").status_code == 400
    assert client.post(f"/en/notifications/unsubscribe/{forged}/").status_code == 400
    assert not Preference.objects.exists()


def test_a_link_unsubscribes_its_owner_not_whoever_is_signed_in(client):
    alice, bob = UserFactory(), UserFactory()
    client.force_login(bob)
    token = make_token(user_id=alice.pk, kind="test.answer")

    client.post(f"/en/notifications/unsubscribe/{token}/")

    assert _channel(alice) == registry.OFF
    assert _channel(bob) == registry.IMMEDIATE


def test_unsubscribe_from_all(client):
    alice = UserFactory()
    token = make_token(user_id=alice.pk, kind=registry.ALL_KINDS)

    html = client.get(f"/en/notifications/unsubscribe/{token}/").content.decode()
    client.post(f"/en/notifications/unsubscribe/{token}/")

    assert "Stop all emails" in html
    assert all(_channel(alice, kind) == registry.OFF for kind in ("test.news", "test.answer"))


def test_a_link_for_a_deleted_account_changes_nothing(client):
    from accounts.services import user_delete_account

    alice = UserFactory()
    user_delete_account(user=alice)
    token = make_token(user_id=alice.pk, kind="test.answer")

    assert client.post(f"/en/notifications/unsubscribe/{token}/").status_code == 400
    assert not Preference.objects.exists()


def test_a_link_for_a_kind_that_no_longer_exists_stops_all_email(client):
    alice = UserFactory()
    token = make_token(user_id=alice.pk, kind="retired.kind")

    html = client.get(f"/en/notifications/unsubscribe/{token}/").content.decode()
    client.post(f"/en/notifications/unsubscribe/{token}/")

    assert "Stop all emails" in html
    assert _channel(alice) == registry.OFF
