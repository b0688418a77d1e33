"""The bell's unread count in the header of every page."""

from __future__ import annotations

from functools import cached_property


class UnreadCount:
    """Counts on first use, once: a page that never prints the bell pays no query."""

    def __init__(self, user) -> None:
        self.user = user

    @cached_property
    def value(self) -> int:
        from .services import unread_count

        return unread_count(self.user)

    def __int__(self) -> int:
        return self.value

    def __bool__(self) -> bool:
        return bool(self.value)

    def __str__(self) -> str:
        return str(self.value)

    def __eq__(self, other) -> bool:
        return self.value == (other.value if isinstance(other, UnreadCount) else other)

    def __hash__(self) -> int:
        return hash(self.value)


def unread(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"notifications_unread": 0}
    return {"notifications_unread": UnreadCount(user)}
