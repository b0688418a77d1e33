"""What can be flagged and moderated. CONTRACT (feature apps call this in AppConfig.ready()):

register(
    model,
    *,
    author_of,            # obj -> User | None
    agency_of=None,       # obj -> Agency | None   (agency moderators see flags on these)
    excerpt_of,           # obj -> str             (plain text shown in the queue)
    url_of,               # obj -> str
    is_hidden,            # obj -> bool
    hide,                 # (obj, *, reason: str, actor) -> None   (the app's own service;
                          # if it also takes `note`, the moderator's note is passed on)
    restore,              # (obj, *, actor) -> None
    content_of_user=None, # user -> QuerySet of this model written by user (for blocking)
    select_related=(),    # optional: what author_of/agency_of/url_of read, so the queue
                          # loads each page's targets in one query per model
)
Moderation never deletes: hide/restore are the owning app's services, which keep the text.
`reason` given to `hide` is a `moderation.models.HideReason` value; the app shows it with
`{% include "moderation/hidden_placeholder.html" with reason=... %}` (or
`moderation.registry.hide_reason_label(reason)` in an API).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models


class NotModeratable(LookupError):
    """The model was never registered: moderation cannot act on it."""


@dataclass(frozen=True)
class Moderatable:
    model: type[models.Model]
    author_of: Callable[[Any], Any]
    excerpt_of: Callable[[Any], str]
    url_of: Callable[[Any], str]
    is_hidden: Callable[[Any], bool]
    hide: Callable[..., None]
    restore: Callable[..., None]
    agency_of: Callable[[Any], Any] | None = None
    content_of_user: Callable[[Any], models.QuerySet] | None = None
    select_related: Sequence[str] = field(default_factory=tuple)
    hide_takes_note: bool = False

    @property
    def key(self) -> str:
        return self.model._meta.label_lower

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name)

    def agency(self, obj):
        return self.agency_of(obj) if self.agency_of else None

    def objects(self) -> models.QuerySet:
        qs = self.model._default_manager.all()
        return qs.select_related(*self.select_related) if self.select_related else qs


_registry: dict[str, Moderatable] = {}


def _concrete(model_or_obj) -> type[models.Model]:
    model = model_or_obj if isinstance(model_or_obj, type) else type(model_or_obj)
    return model._meta.concrete_model


def register(
    model: type[models.Model],
    *,
    author_of: Callable[[Any], Any],
    agency_of: Callable[[Any], Any] | None = None,
    excerpt_of: Callable[[Any], str],
    url_of: Callable[[Any], str],
    is_hidden: Callable[[Any], bool],
    hide: Callable[..., None],
    restore: Callable[..., None],
    content_of_user: Callable[[Any], models.QuerySet] | None = None,
    select_related: Iterable[str] = (),
) -> Moderatable:
    """Make `model` flaggable and moderatable. Registering again replaces the entry."""
    entry = Moderatable(
        model=_concrete(model),
        author_of=author_of,
        agency_of=agency_of,
        excerpt_of=excerpt_of,
        url_of=url_of,
        is_hidden=is_hidden,
        hide=hide,
        restore=restore,
        content_of_user=content_of_user,
        select_related=tuple(select_related),
        hide_takes_note=_accepts(hide, "note"),
    )
    _registry[entry.key] = entry
    return entry


def _accepts(function: Callable, name: str) -> bool:
    try:
        parameters = inspect.signature(function).parameters
    except (TypeError, ValueError):
        return False
    return name in parameters or any(
        p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()
    )


def unregister(model: type[models.Model]) -> None:
    _registry.pop(_concrete(model)._meta.label_lower, None)


def get(model_or_obj) -> Moderatable:
    """The entry for a model, an instance of it, or its "app_label.model" key."""
    key = (
        model_or_obj if isinstance(model_or_obj, str) else _concrete(model_or_obj)._meta.label_lower
    )
    try:
        return _registry[key]
    except KeyError:
        raise NotModeratable(key) from None


def is_registered(model_or_obj) -> bool:
    try:
        get(model_or_obj)
    except NotModeratable:
        return False
    return True


def entries() -> list[Moderatable]:
    return sorted(_registry.values(), key=lambda entry: entry.key)


def hide_reason_label(reason: str) -> str:
    """The public, translated label of a `HideReason` value ("" for an unknown one)."""
    from .models import HideReason

    try:
        return str(HideReason(reason).label)
    except ValueError:
        return ""
