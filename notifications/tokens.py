"""Unsubscribe tokens: signed (not encrypted) {user id, kind}. They never expire, because an
unsubscribe link in a year-old email must still work, and they grant one thing only:
switching email off for that person and kind. A different salt from every other signed
value in the project keeps them from being replayed elsewhere."""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing

SALT = "notifications.unsubscribe"


@dataclass(frozen=True)
class UnsubscribeRequest:
    user_id: int
    kind: str


def make_token(*, user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=SALT, compress=False)


def read_token(token: str) -> UnsubscribeRequest | None:
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    user_id, kind = data.get("u"), data.get("k")
    if not isinstance(user_id, int) or not isinstance(kind, str) or not kind:
        return None
    return UnsubscribeRequest(user_id=user_id, kind=kind)
