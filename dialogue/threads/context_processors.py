"""The header's link to the agencies' reply queue ("Discussions to answer"), for the
heads and responders of any agency."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def agency_nav(request: HttpRequest) -> dict:
    """Lazy: costs only when the signed-in menu is drawn, and then shares the memberships
    query (cached on the user for the request) with the other modules' links."""
    from .selectors import responder_agency_ids

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"threads_agency_link": False}
    return {"threads_agency_link": SimpleLazyObject(lambda: bool(responder_agency_ids(user)))}
