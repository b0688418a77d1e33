"""Sign-up, email verification that mail scanners cannot consume, and login limits."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import translation
from django_tasks.signals import task_enqueued

from accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LINK_RE = re.compile(r"https?://[^\s]+/en/accounts/confirm-email/[^\s/]+/")


def en(name: str, **kwargs) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs or None)


@pytest.fixture
def enqueued_tasks():
    names: list[str] = []

    def receiver(sender, task_result, **kwargs):
        names.append(task_result.task.name)

    task_enqueued.connect(receiver, weak=False)
    yield names
    task_enqueued.disconnect(receiver)


def sign_up(client, email: str = "dana@example.kz"):
    return client.post(
        en("account_signup"),
        {
            "email": email,
            "password1": PASSWORD,
            "password2": PASSWORD,
            "display_name": "Dana",
            "region": "almaty-city",
        },
    )


def confirmation_link(message) -> str:
    match = LINK_RE.search(message.body)
    assert match, message.body
    return match.group(0)


def test_sign_up_saves_the_profile_and_sends_a_verification_email_through_the_task(
    client, mailoutbox, enqueued_tasks
):
    response = sign_up(client)

    assert response.status_code == 302
    assert response["Location"] == en("account_email_verification_sent")
    user = User.objects.get(email="dana@example.kz")
    assert (user.display_name, user.region) == ("Dana", "almaty-city")
    assert not EmailAddress.objects.get(user=user).verified
    assert enqueued_tasks == ["send_email"]
    [message] = mailoutbox
    assert message.to == ["dana@example.kz"]
    assert message.subject.startswith("Ashyq: ")
    assert confirmation_link(message)


def test_sign_up_rejects_an_unknown_region(client, mailoutbox):
    response = client.post(
        en("account_signup"),
        {"email": "x@example.kz", "password1": PASSWORD, "password2": PASSWORD, "region": "mars"},
    )

    assert response.status_code == 200
    assert not User.objects.filter(email="x@example.kz").exists()
    assert mailoutbox == []


def test_sign_up_with_a_taken_email_in_other_case_creates_no_second_account(client, mailoutbox):
    UserFactory(email="taken@example.kz")

    sign_up(client, email="Taken@Example.KZ")

    assert User.objects.filter(email__iexact="taken@example.kz").count() == 1


# allauth signs confirmation keys with a timestamp to the second; the clock stands still so
# the key on the page is the one in the email.
@time_machine.travel(datetime.datetime(2026, 3, 18, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_opening_the_emailed_link_does_not_confirm_but_posting_does(client, mailoutbox):
    sign_up(client)
    link = confirmation_link(mailoutbox[0])
    path = link.split("testserver", 1)[-1]
    address = EmailAddress.objects.get(email="dana@example.kz")

    # A mail scanner fetches the link: it sees a page with a button, nothing more.
    scanner = client.__class__()
    page = scanner.get(path)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'method="post"' in html
    assert f'action="{path}"' in html
    address.refresh_from_db()
    assert not address.verified

    # The person presses the button.
    confirmed = client.post(path)

    assert confirmed.status_code == 302
    address.refresh_from_db()
    assert address.verified


def test_login_before_verification_is_refused_with_the_verification_notice(client, mailoutbox):
    UserFactory(email="pending@example.kz", verified_email=False)

    response = client.post(
        en("account_login"), {"login": "pending@example.kz", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == en("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    notice = client.get(response["Location"])
    assert notice.status_code == 200
    assert "Verify Your Email Address" in notice.content.decode()
    # A fresh link is sent so the person is not stuck.
    assert [m.to for m in mailoutbox] == [["pending@example.kz"]]


def test_login_with_a_verified_email_works(client):
    user = UserFactory(email="ok@example.kz")

    response = client.post(en("account_login"), {"login": "OK@example.kz", "password": PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_repeated_failed_logins_are_rate_limited(client):
    UserFactory(email="target@example.kz")
    path = en("account_login")

    for _ in range(5):
        failed = client.post(path, {"login": "target@example.kz", "password": "wrong-guess"})
        assert failed.status_code == 200
        assert "Too many failed login attempts" not in failed.content.decode()

    blocked = client.post(path, {"login": "target@example.kz", "password": PASSWORD})

    # Even the right password is refused until the window passes.
    assert "Too many failed login attempts" in blocked.content.decode()
    assert "_auth_user_id" not in client.session
