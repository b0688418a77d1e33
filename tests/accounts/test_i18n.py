"""Interface strings per language. These depend on the project's catalogues
(locale/<lang>/LC_MESSAGES/django.mo): until they are compiled, the kk and ru tests fail
with the English source strings on the page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

# Source strings from base.html and the agency list, none of which may show untranslated.
SOURCE_STRINGS = [
    "Skip to main content",
    "Sign in",
    "Sign up",
    "Open data API",
    "Government bodies taking part in Ashyq",
    "All regions",
    "No agency matches these filters.",
]
CYRILLIC = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")


def page(client, lang: str, name: str = "accounts:agency_list", **kwargs) -> str:
    with translation.override(lang):
        path = reverse(name, kwargs=kwargs or None)
    response = client.get(path, {"q": "no such agency anywhere"})
    assert response.status_code == 200
    return response.content.decode()


def h1(html: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert match, "no <h1>"
    return match.group(1).strip()


def assert_translated(html: str, lang: str) -> None:
    untranslated = [text for text in SOURCE_STRINGS if text in html]
    assert not untranslated, f"English source strings on the {lang} page: {untranslated}"
    assert h1(html) != "Agencies"
    assert CYRILLIC.search(h1(html)), f"{lang} heading is not Cyrillic: {h1(html)!r}"


def test_interface_strings_are_translated_kk(client):
    html = page(client, "kk")
    assert_translated(html, "kk")
    assert "Қазақша" in html


def test_interface_strings_are_translated_ru(client):
    html = page(client, "ru")
    assert_translated(html, "ru")
    # Kazakh-only letters belong on the kk page, not in Russian interface text.
    assert not re.search(r"[ӘәҒғҚқҢңӨөҰұҮүҺһ]", h1(html))


def test_interface_strings_are_translated_en(client):
    html = page(client, "en")
    assert h1(html) == "Agencies"
    for text in SOURCE_STRINGS:
        assert text in html


def test_interface_strings_are_translated_kk_and_ru_differ(client):
    assert h1(page(client, "kk")) != h1(page(client, "ru"))
