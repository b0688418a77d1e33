"""Password reset and email change: both go through emailed links, so both must survive a
mail scanner and leave the account in a state the person expects."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import translation

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-much-longer-new-passphrase-2026"


def en(name: str, **kwargs) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs or None)


def link_in(message, fragment: str) -> str:
    match = re.search(rf"https?://[^\s]+{fragment}[^\s]*", message.body)
    assert match, message.body
    return urlsplit(match.group(0)).path


def test_password_reset_by_email(client, mailoutbox):
    user = UserFactory(email="aliya@example.kz")

    response = client.post(en("account_reset_password"), {"email": "ALIYA@example.kz"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["aliya@example.kz"]

    key_url = link_in(mailoutbox[0], "/en/accounts/password/reset/key/")
    # Opening the link shows the form (allauth moves the key into the session first).
    response = client.get(key_url, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else key_url
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not user.check_password(PASSWORD)


def test_password_reset_for_an_unknown_address_reveals_nothing(client, mailoutbox):
    UserFactory(email="known@example.kz")
    known = client.post(en("account_reset_password"), {"email": "known@example.kz"})
    unknown = client.post(en("account_reset_password"), {"email": "nobody@example.kz"})
    # Same answer either way; the unknown address gets no reset link.
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert all("/password/reset/key/" not in message.body for message in mailoutbox[1:])


def test_email_change_keeps_the_old_address_until_the_new_one_is_confirmed(client, mailoutbox):
    user = UserFactory(email="old@example.kz")
    client.force_login(user)

    response = client.post(en("account_email"), {"action_add": "", "email": "new@example.kz"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["new@example.kz"]
    user.refresh_from_db()
    assert user.email == "old@example.kz"

    confirm_url = link_in(mailoutbox[0], "/en/accounts/confirm-email/")
    client.get(confirm_url)
    assert not EmailAddress.objects.get(email="new@example.kz").verified
    client.post(confirm_url)

    user.refresh_from_db()
    assert user.email == "new@example.kz"
    assert EmailAddress.objects.get(user=user, primary=True).email == "new@example.kz"
    assert not EmailAddress.objects.filter(email="old@example.kz").exists()
