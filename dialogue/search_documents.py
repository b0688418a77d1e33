"""What of the conversation layer is searchable: visible comments on objects the public
may see (the target is still in its commentable queryset), citizens' comments as
"comment", official replies of an agency as "agency_response". Hidden and withdrawn
comments are not found. Never indexed: the author (name, account, organisation).

Threads, conferences and polls register their own kinds in their own
search_documents.py; their comments are found here like any other target's."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from search import registry
from search.registry import SearchDoc
from search.text import guess_language

from . import commentable
from .models import Comment, CommentState

OWN_KINDS = ("comment", "agency_response")


def _on_public_targets(official: bool):
    def queryset():
        condition = Q(pk__in=[])
        for entry in commentable.registered():
            content_type = ContentType.objects.get_for_model(entry.model, for_concrete_model=True)
            targets = entry.queryset().annotate(search_pk=Cast("pk", CharField()))
            condition |= Q(target_type=content_type, target_pk__in=targets.values("search_pk"))
        return Comment.objects.filter(condition, state=CommentState.VISIBLE, is_official=official)

    return queryset


def comment_documents(comment: Comment):
    target = comment.content_object
    if target is None or not commentable.is_commentable(target):
        return
    language = guess_language(comment.comment)
    with translation.override(language):
        context = commentable.title_of(target)
        url = comment.get_absolute_url()
    agency_id = comment.agency_id
    if agency_id is None:
        agency = commentable.agency_of(target)
        agency_id = agency.pk if agency is not None else None
    yield SearchDoc(
        title="",
        body=comment.comment,
        language=language,
        url=url,
        date=timezone.localdate(comment.posted_at),
        agency_id=agency_id,
        parent=f"{target._meta.label_lower}:{target.pk}",
        extra={"context": context, "reply": comment.reply_to_id is not None},
    )


def _comments_on(official: bool):
    """A target that stops (or starts) being public takes its comments with it."""

    def pks(target):
        if not commentable.is_commentable(target):
            return []
        model, pk = type(target), target.pk
        # Looked up after the commit (the content type may cost a query).
        return lambda: Comment.objects.filter(
            target_type=commentable.content_type_of(model),
            target_pk=str(pk),
            state=CommentState.VISIBLE,
            is_official=official,
        ).values_list("pk", flat=True)

    return pks


def _target_models(official: bool):
    """Every searchable model may be commented on (the conversation layer's registry is
    filled after this module is read, so the check is made when a target is saved)."""

    def watch():
        return {
            kind.model: _comments_on(official)
            for kind in registry.kinds()
            if kind.key not in OWN_KINDS and kind.model is not Comment
        }

    return watch


registry.register(
    "comment",
    label=_("Comments"),
    model=Comment,
    queryset=_on_public_targets(official=False),
    documents=comment_documents,
    watch=_target_models(official=False),
    prefetch_related=("content_object",),
)
registry.register(
    "agency_response",
    label=_("Agency responses"),
    model=Comment,
    queryset=_on_public_targets(official=True),
    documents=comment_documents,
    watch=_target_models(official=True),
    prefetch_related=("content_object",),
)
