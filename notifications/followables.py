"""Which models a visitor may follow through the follow button.

Services accept any saved object (modules follow on a person's behalf: authors follow what
they write); the public follow endpoint accepts only registered models, and only objects
the visitor could see. Public live Wagtail pages are followable; modules register theirs
with `register_followable(Model, is_visible=...)` in AppConfig.ready().
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

_followables: dict[type[models.Model], Callable[[Any, Any], bool]] = {}


def register_followable(
    model: type[models.Model], *, is_visible: Callable[[Any, Any], bool] | None = None
) -> None:
    """`is_visible(obj, user)` says whether `user` may see (and so follow) `obj`."""
    _followables[model] = is_visible or (lambda obj, user: True)


def _page_visible(page, user) -> bool:
    # Private pages (password, groups, login) are not followable: their notifications
    # would tell people about pages they cannot open.
    return page.live and not page.get_view_restrictions().exists()


def resolve(label: str, object_id: str, user) -> Any | None:
    """The followable object named by "app_label.model" and its id, or None."""
    try:
        app_label, model_name = label.split(".", 1)
        content_type = ContentType.objects.get_by_natural_key(app_label, model_name)
    except (ValueError, ContentType.DoesNotExist):
        return None
    model = content_type.model_class()
    if model is None:
        return None
    check = _visibility_check(model)
    if check is None:
        return None
    try:
        obj = model._default_manager.get(pk=object_id)
    except (model.DoesNotExist, ValueError, TypeError):
        return None
    except Exception:  # a malformed key for the primary key type (e.g. UUID validation)
        return None
    return obj if check(obj, user) else None


def is_followable(obj: Any) -> bool:
    return obj is not None and _visibility_check(type(obj)) is not None


def _visibility_check(model) -> Callable[[Any, Any], bool] | None:
    for registered, check in _followables.items():
        if issubclass(model, registered):
            return check
    from wagtail.models import Page

    if issubclass(model, Page):
        return _page_visible
    return None


def label_of(obj: Any) -> str:
    from .services import target_key

    content_type, _object_id = target_key(obj)
    return f"{content_type.app_label}.{content_type.model}"
