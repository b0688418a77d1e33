from __future__ import annotations

from django import template

from ..models import EVENTS
from ..services import watch_for_agency

register = template.Library()


@register.simple_tag(takes_context=True)
def agency_watch_state(context, agency) -> dict | None:
    """What the "Watch this agency" button needs: the agency, the visitor's watch of it if
    any (one query; none for anonymous visitors) and where to come back to."""
    if agency is None or getattr(agency, "pk", None) is None:
        return None
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "agency": agency,
        "watch": watch_for_agency(user=user, agency=agency),
        "events": EVENTS,
        "next": request.get_full_path() if request is not None else "",
    }
