"""The header's links to the petitions workspace: "Petitions to moderate" for the
platform's moderators, "Petition responses" for the heads and responders of any agency."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def workspace_nav(request: HttpRequest) -> dict:
    """Lazy: costs only when the signed-in menu is drawn, and then shares the memberships
    and groups queries (cached on the user for the request) with the other modules' links
    and the permission checks; a superuser asks no query."""
    from .workspace import is_petition_moderator, responding_agency_ids

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"petitions_moderation_link": False, "petitions_responses_link": False}
    return {
        "petitions_moderation_link": SimpleLazyObject(lambda: is_petition_moderator(user)),
        "petitions_responses_link": SimpleLazyObject(lambda: bool(responding_agency_ids(user))),
    }
