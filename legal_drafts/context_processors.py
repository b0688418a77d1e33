"""The header's "Drafting" link to the drafting workspace, for the heads and drafters of an
agency and for platform editors."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def workspace_nav(request: HttpRequest) -> dict:
    """Lazy: costs only when the signed-in menu is drawn, and shares the memberships query
    (cached on the user for the request) with the blogs' link and the permission checks."""
    from .workspace import has_drafts_workspace

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"drafts_workspace_link": False}
    return {"drafts_workspace_link": SimpleLazyObject(lambda: has_drafts_workspace(user))}
