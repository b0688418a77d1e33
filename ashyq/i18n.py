"""Model fields stored once per interface language (`name_kk`, `name_ru`, `name_en`).

Directory data such as agency names is not editorial page content (that uses Wagtail's own
translation of pages), so it is kept as parallel columns and read through
`TranslatedField`, which falls back to the other languages when one is empty.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import get_language

LANGUAGE_CODES: tuple[str, ...] = tuple(code for code, _name in settings.LANGUAGES)
# The languages official texts are written in (kk is the state language; ru is official).
CONTENT_LANGUAGES: tuple[str, ...] = ("kk", "ru")


def active_language() -> str:
    """The active interface language, reduced to one of ours (e.g. "ru-ru" -> "ru")."""
    lang = (get_language() or settings.LANGUAGE_CODE).split("-")[0].lower()
    return lang if lang in LANGUAGE_CODES else settings.LANGUAGE_CODE


def fallback_order(lang: str | None = None) -> list[str]:
    lang = lang or active_language()
    return [lang, *[code for code in LANGUAGE_CODES if code != lang]]


class TranslatedField:
    """Descriptor: `agency.name` reads `agency.name_<active language>`, with fallbacks.

    `content=True` is for texts written only in Kazakh and Russian (a draft act's title and
    provisions): under the English interface the Russian text is read first, then the
    Kazakh; under Kazakh and Russian, the language itself first."""

    def __init__(self, base: str, *, content: bool = False) -> None:
        self.base = base
        self.content = content

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        order = fallback_order()
        if self.content and order[0] not in CONTENT_LANGUAGES:
            order = [*CONTENT_LANGUAGES[::-1], *order]
        for lang in order:
            value = getattr(instance, f"{self.base}_{lang}", "")
            if value:
                return value
        return ""

    def column(self, lang: str | None = None) -> str:
        return f"{self.base}_{lang or active_language()}"


def translations(instance: Any, base: str) -> dict[str, str]:
    """All languages of one translated field, for the API."""
    return {lang: getattr(instance, f"{base}_{lang}", "") for lang in LANGUAGE_CODES}
