"""The header's link to the conference workspace, for anyone who holds a role in an
agency (they schedule, moderate, answer or host conferences) and for platform moderators
(they moderate questions)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def _has_workspace(user) -> bool:
    from accounts.rules import is_platform_moderator
    from accounts.selectors import agency_roles

    return bool(user.is_superuser or agency_roles(user) or is_platform_moderator(user))


def workspace_nav(request: HttpRequest) -> dict:
    """Lazy: costs only when the signed-in menu is drawn, and then shares the memberships
    and groups queries (cached on the user for the request) with the other modules."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"conferences_workspace_link": False}
    return {"conferences_workspace_link": SimpleLazyObject(lambda: _has_workspace(user))}
