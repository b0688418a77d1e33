"""Sorting names the way a reader of each language expects.

PostgreSQL sorts with ICU collations (`kk-x-icu`, `ru-x-icu`, `en-x-icu`). SQLite has no
locale collation, so on SQLite we register our own: Kazakh Cyrillic puts Ә after А, Ғ after
Г, Қ after К and so on, which plain code-point order gets wrong.
"""

from __future__ import annotations

from django.db import connection
from django.db.backends.signals import connection_created
from django.db.models import F
from django.db.models.expressions import Expression
from django.db.models.functions import Collate
from django.dispatch import receiver

_KK = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
_RU = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
_ALPHABETS = {"kk": _KK, "ru": _RU, "en": ""}
_SQLITE_NAMES = {lang: f"ashyq_{lang}" for lang in _ALPHABETS}


def _sort_key(lang: str):
    alphabet = _ALPHABETS[lang] or _KK
    rank = {ch: i for i, ch in enumerate(alphabet)}

    def key(value: str) -> tuple:
        # Latin first for English, Cyrillic first otherwise; case-insensitive, ties by value.
        out = []
        for ch in value.casefold():
            if ch in rank:
                out.append((1 if lang == "en" else 0, rank[ch], ch))
            elif ch.isascii() and ch.isalpha():
                out.append((0 if lang == "en" else 1, ord(ch), ch))
            else:
                out.append((2 if ch.isalnum() else -1, ord(ch), ch))
        return tuple(out), value

    return key


def _collation(lang: str):
    key = _sort_key(lang)

    def compare(a: str, b: str) -> int:
        ka, kb = key(a), key(b)
        return (ka > kb) - (ka < kb)

    return compare


@receiver(connection_created)
def _register_sqlite_collations(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        for lang, name in _SQLITE_NAMES.items():
            connection.connection.create_collation(name, _collation(lang))


def localized_order(field: str, lang: str) -> Expression:
    if connection.vendor == "postgresql":
        return Collate(F(field), f"{lang}-x-icu").asc()
    if connection.vendor == "sqlite":
        return Collate(F(field), _SQLITE_NAMES.get(lang, "ashyq_en")).asc()
    return F(field).asc()
