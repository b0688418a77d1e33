from __future__ import annotations

from functools import cache

from django import template
from django.template import TemplateDoesNotExist
from django.template.loader import get_template

from .. import commentable, selectors
from ..forms import CommentForm

register = template.Library()

# Templates another app provides; the comments work (more plainly) without them.
FLAG_FORM = "moderation/flag_form.html"
HIDDEN_PLACEHOLDER = "moderation/hidden_placeholder.html"


@cache
def _exists(name: str) -> bool:
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return False
    return True


@register.inclusion_tag("dialogue/includes/comments_block.html", takes_context=True)
def comments_block(context, target) -> dict:
    """The comments of `target`: counter, post form, a page of top-level comments."""
    request = context["request"]
    viewer = selectors.Viewer.for_target(request.user, target)
    sort = request.GET.get("sort", selectors.DEFAULT_SORT)
    if sort not in selectors.SORTS:
        sort = selectors.DEFAULT_SORT
    counter = selectors.counters(target)
    page = selectors.top_level_page(
        target=target,
        viewer=viewer,
        sort=sort,
        page=request.GET.get("comments_page"),
        counter=counter,
    )
    content_type = commentable.content_type_of(target)
    return {
        "request": request,
        "user": request.user,
        "target": target,
        "content_type_id": content_type.pk,
        "object_pk": target.pk,
        "counters": counter,
        "viewer": viewer,
        "page": page,
        "sort": sort,
        "sorts": [
            ("oldest", _label("oldest")),
            ("newest", _label("newest")),
            ("supported", _label("supported")),
        ],
        "form": CommentForm(
            allow_official=viewer.official,
            prefix_id="new-comment",
            user=request.user if viewer.can_post else None,
        ),
        "live_group": selectors.target_live_group(target),
        "target_url": commentable.url_of(target),
        "csrf_token": context.get("csrf_token"),
    }


def _label(sort: str) -> str:
    from django.utils.translation import gettext as _

    return {
        "oldest": _("Oldest first"),
        "newest": _("Newest first"),
        "supported": _("Most supported"),
    }[sort]


@register.simple_tag
def moderation_template(kind: str) -> str:
    """The moderation app's include for `kind` ("flag" or "placeholder"), or ""."""
    name = {"flag": FLAG_FORM, "placeholder": HIDDEN_PLACEHOLDER}[kind]
    return name if _exists(name) else ""


@register.simple_tag
def comment_row(viewer, comment) -> dict:
    return viewer.row(comment)


@register.simple_tag(takes_context=True)
def comments_page_url(context, number: int) -> str:
    """The target page's URL for comments page `number`, keeping the sort."""
    sort = context.get("sort") or selectors.DEFAULT_SORT
    return f"?sort={sort}&comments_page={number}#comments"
