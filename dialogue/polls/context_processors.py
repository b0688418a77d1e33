"""The header's link to the polls workspace, for the heads and responders of agencies."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def workspace_nav(request: HttpRequest) -> dict:
    """Lazy: costs only when the signed-in menu is drawn, and then shares the memberships
    query (cached on the user for the request) with the other modules' links."""
    from .selectors import managed_agency_ids

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"polls_workspace_link": False}
    return {"polls_workspace_link": SimpleLazyObject(lambda: bool(managed_agency_ids(user)))}
