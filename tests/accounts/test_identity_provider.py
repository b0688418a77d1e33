"""National-ID login: configured from the environment, and whoever comes through it is
identity-verified (on sign-up, on a later login, and when connecting it to an account)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.socialaccount.models import SocialAccount, SocialLogin
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from accounts.adapters import SocialAccountAdapter
from accounts.models import AuditEvent, User
from accounts.signals import _mark_identity_on_connect
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PROVIDERS = {
    "openid_connect": {
        "APPS": [
            {
                "provider_id": "national-id",
                "name": "eGov ID",
                "client_id": "ashyq",
                "secret": "s3cret",
                "settings": {"server_url": "https://idp.example.kz"},
            }
        ]
    }
}


@pytest.fixture
def national_id(settings):
    settings.SOCIALACCOUNT_PROVIDERS = PROVIDERS


def sociallogin(user: User, provider: str) -> SocialLogin:
    return SocialLogin(user=user, account=SocialAccount(provider=provider, uid="870101300123"))


def request():
    req = RequestFactory().get("/")
    req.session = {}
    return req


def test_the_provider_comes_from_the_environment():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ashyq.settings.dev",
        "OIDC_SERVER_URL": "https://idp.example.kz",
        "OIDC_CLIENT_ID": "ashyq",
        "OIDC_CLIENT_SECRET": "s3cret",
    }
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.SOCIALACCOUNT_PROVIDERS))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    app = json.loads(out.stdout.strip().splitlines()[-1])["openid_connect"]["APPS"][0]
    assert app["provider_id"] == "national-id"
    assert app["settings"]["server_url"] == "https://idp.example.kz"


def test_without_configuration_there_is_no_provider(settings):
    assert "openid_connect" not in settings.SOCIALACCOUNT_PROVIDERS


def test_the_login_page_offers_national_id_when_configured(client, national_id):
    with translation.override("en"):
        url = reverse("account_login")
    assert "eGov ID" in client.get(url).content.decode()


def test_signing_up_through_national_id_verifies_identity(national_id):
    login = sociallogin(User(email="ainur@example.kz"), "national-id")

    user = SocialAccountAdapter().save_user(request(), login)

    user.refresh_from_db()
    assert user.is_identity_verified
    assert AuditEvent.objects.filter(action="identity_verified", target_id=str(user.pk)).exists()


def test_another_provider_does_not_verify_identity(national_id):
    login = sociallogin(User(email="ainur@example.kz"), "some-other-idp")

    user = SocialAccountAdapter().save_user(request(), login)

    user.refresh_from_db()
    assert not user.is_identity_verified


def test_a_later_national_id_login_verifies_an_existing_account(national_id):
    user = UserFactory()
    login = sociallogin(user, "national-id")
    login.account.user = user
    login.account.save()
    assert login.is_existing

    SocialAccountAdapter().pre_social_login(request(), login)

    user.refresh_from_db()
    assert user.is_identity_verified


def test_connecting_national_id_to_an_account_verifies_it(national_id):
    user = UserFactory()

    _mark_identity_on_connect(
        sender=None, request=request(), sociallogin=sociallogin(user, "national-id")
    )

    user.refresh_from_db()
    assert user.is_identity_verified
