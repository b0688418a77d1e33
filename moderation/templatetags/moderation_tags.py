from __future__ import annotations

from django import template
from django.urls import reverse

from moderation import registry

register = template.Library()


@register.simple_tag
def flag_url(target) -> str:
    """Where the report form for `target` posts (a registered moderatable object)."""
    entry = registry.get(target)
    return reverse("moderation:flag", kwargs={"model": entry.key, "object_id": str(target.pk)})


@register.filter
def hide_reason_label(reason: str) -> str:
    return registry.hide_reason_label(reason)


@register.simple_tag
def is_author(target, user) -> bool:
    """The person wrote `target` (they cannot report it)."""
    if not getattr(user, "is_authenticated", False):
        return False
    author = registry.get(target).author_of(target)
    return author is not None and author.pk == user.pk


@register.simple_tag
def dom_key(target) -> str:
    """A page-unique id fragment for forms repeated once per object."""
    return f"{registry.get(target).key.replace('.', '-')}-{target.pk}"


@register.simple_tag
def flag_reasons() -> list[tuple[str, str]]:
    from moderation.models import FlagReason

    return FlagReason.choices
