"""What can be commented on. A module makes a model commentable with one registration,
in its AppConfig.ready():

    from dialogue import commentable
    commentable.register(
        AnnouncementPage,
        is_open=lambda page: page.live,        # may new comments be posted?
        agency_of=lambda page: page.agency,     # whose responders may answer "on duty"
        title_of=lambda page: page.title,
        url_of=lambda page: page.url,
        on_posted=None,                         # called as on_posted(comment, target)
        annex_of=None,                          # annex_of(comments) -> {comment pk: obj}
        annex_template="",                      # rendered under each comment with `annex`
    )

`on_posted`, when given, runs inside `dialogue.services.comment_post`'s transaction after a
comment or reply is saved: a module that owes an answer to each comment opens the duty
there (legal drafts do), so posting through any view or the API has the same effect.

`annex_of`, when given, is called once per page of comments with the list shown, and
returns what to show under some of them (a draft's disposition under the comment it
answers); `annex_template` renders it with `annex` and `comment` in the context. One
query per page, whatever the number of comments.

and one include in the object's template:

    {% include "dialogue/comments.html" with target=obj %}

`dialogue` never imports a feature app: the feature app registers with it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models


@dataclass(frozen=True)
class Commentable:
    model: type[models.Model]
    is_open: Callable[[Any], bool]
    agency_of: Callable[[Any], Any]
    title_of: Callable[[Any], str]
    url_of: Callable[[Any], str]
    queryset: Callable[[], models.QuerySet]
    on_posted: Callable[[Any, Any], None] | None = None
    annex_of: Callable[[list], dict[int, Any]] | None = None
    annex_template: str = ""

    @property
    def label(self) -> str:
        """The "app_label.modelname" the API's ?target_type= takes."""
        return self.model._meta.label_lower


_registry: dict[type[models.Model], Commentable] = {}


def _default_url(obj) -> str:
    url = getattr(obj, "url", None)
    if isinstance(url, str):
        return url
    return obj.get_absolute_url()


def register(
    model: type[models.Model],
    *,
    is_open: Callable[[Any], bool] = lambda obj: True,
    agency_of: Callable[[Any], Any] = lambda obj: None,
    title_of: Callable[[Any], str] = str,
    url_of: Callable[[Any], str] = _default_url,
    queryset: Callable[[], models.QuerySet] | None = None,
    on_posted: Callable[[Any, Any], None] | None = None,
    annex_of: Callable[[list], dict[int, Any]] | None = None,
    annex_template: str = "",
) -> None:
    """Make `model` commentable. `queryset` limits what the API and the views will find
    (default: every row of the model's default manager); `on_posted(comment, target)` runs
    in the posting transaction; `annex_of` + `annex_template` show something under comments."""
    _registry[model] = Commentable(
        model=model,
        is_open=is_open,
        agency_of=agency_of,
        title_of=title_of,
        url_of=url_of,
        queryset=queryset or (lambda: model._default_manager.all()),
        on_posted=on_posted,
        annex_of=annex_of,
        annex_template=annex_template,
    )


def unregister(model: type[models.Model]) -> None:
    _registry.pop(model, None)


def get(model_or_obj) -> Commentable | None:
    """The registration of a model or an instance (a subclass inherits its parent's)."""
    model = model_or_obj if isinstance(model_or_obj, type) else type(model_or_obj)
    for klass in model.__mro__:
        if klass in _registry:
            return _registry[klass]
    return None


def is_commentable(model_or_obj) -> bool:
    return get(model_or_obj) is not None


def for_label(label: str) -> Commentable | None:
    """The registration for "app_label.modelname" (the API's target_type), or None."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return None
    return _registry.get(model)


def for_content_type(content_type: ContentType) -> Commentable | None:
    model = content_type.model_class()
    return _registry.get(model) if model is not None else None


def registered() -> list[Commentable]:
    return list(_registry.values())


def _require(obj) -> Commentable:
    entry = get(obj)
    if entry is None:
        raise LookupError(f"{type(obj).__name__} is not commentable")
    return entry


def is_open(obj) -> bool:
    return bool(_require(obj).is_open(obj))


def agency_of(obj):
    return _require(obj).agency_of(obj)


def title_of(obj) -> str:
    return str(_require(obj).title_of(obj))


def url_of(obj) -> str:
    if obj is None:
        return ""
    return _require(obj).url_of(obj) or ""


def content_type_of(obj) -> ContentType:
    """The ContentType comments are stored under (the concrete model, not a Wagtail base)."""
    return ContentType.objects.get_for_model(obj, for_concrete_model=True)
