from __future__ import annotations

from django import template

from .. import followables, services

register = template.Library()


@register.simple_tag(takes_context=True)
def follow_state(context, target) -> dict | None:
    """What the follow button needs: the target's type label and id, and whether the
    signed-in visitor follows it (one query; none for anonymous visitors)."""
    if target is None or getattr(target, "pk", None) is None:
        return None
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "type": followables.label_of(target),
        "id": str(target.pk),
        "following": services.is_following(user=user, target=target),
        "next": request.get_full_path() if request is not None else "",
    }
