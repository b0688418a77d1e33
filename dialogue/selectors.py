"""Reads of comments shared by the views, the API and the inclusion tag.

Every list is a bounded number of queries whatever the thread's size: the counts come from
denormalised counters (`CommentTarget`, `Comment.reply_total`), the page of comments is one
indexed query on the target columns copied onto the comment table, and the viewer's votes
on that page are one more.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils import timezone

from accounts.rules import can_participate

from . import commentable
from .models import Comment, CommentTarget, CommentVote
from .models import target_live_group as _group
from .rules import can_moderate_on_target, edit_window, is_target_agency_responder, max_level

SORTS = {
    "oldest": ("posted_at", "pk"),
    "newest": ("-posted_at", "-pk"),
    "supported": ("-score", "posted_at", "pk"),
}
DEFAULT_SORT = "oldest"


def per_page() -> int:
    return getattr(settings, "COMMENTS_PER_PAGE", 20)


def replies_per_page() -> int:
    return getattr(settings, "COMMENTS_REPLIES_PER_PAGE", 20)


def target_live_group(target: Any) -> str:
    return _group(commentable.content_type_of(target).pk, target.pk)


def counters(target: Any) -> CommentTarget:
    content_type = commentable.content_type_of(target)
    row = CommentTarget.objects.filter(content_type=content_type, object_pk=str(target.pk)).first()
    return row or CommentTarget(content_type=content_type, object_pk=str(target.pk))


def comments_of(target: Any) -> QuerySet[Comment]:
    content_type = commentable.content_type_of(target)
    return with_related(Comment.objects.filter(target_type=content_type, target_pk=str(target.pk)))


def with_related(qs: QuerySet[Comment]) -> QuerySet[Comment]:
    # XtdCommentManager orders by thread; every list here states its own order.
    return qs.select_related("user", "agency", "organisation").order_by()


@dataclass
class Viewer:
    """What the person looking at a target may do, worked out once per page so that each
    comment's buttons cost no query. Mirrors dialogue/rules.py (tested against it)."""

    user: Any
    target: Any
    participant: bool = False
    blocked: bool = False
    moderator: bool = False
    official: bool = False
    target_open: bool = False
    votes: dict[int, int] = field(default_factory=dict)
    annexes: dict[int, Any] = field(default_factory=dict)
    annex_template: str = ""

    @classmethod
    def for_target(cls, user, target) -> Viewer:
        from moderation.services import is_blocked

        viewer = cls(user=user, target=target)
        viewer.target_open = bool(commentable.is_open(target))
        if user is None or not user.is_authenticated:
            return viewer
        viewer.participant = bool(can_participate(user))
        viewer.blocked = viewer.participant and is_blocked(user)
        viewer.moderator = can_moderate_on_target.test(user, target)
        # The same as "dialogue.post_official_comment", without asking about blocks again.
        viewer.official = viewer.can_post and is_target_agency_responder.test(user, target)
        return viewer

    def load_votes(self, comments: list[Comment]) -> None:
        """The viewer's votes on these comments, and what the target's module shows under
        them (`commentable.register(annex_of=...)`): one query each per page."""
        entry = commentable.get(self.target)
        if entry is not None and entry.annex_of is not None and comments:
            self.annexes.update(entry.annex_of(comments))
            self.annex_template = entry.annex_template
        if not self.participant or not comments:
            return
        self.votes.update(
            CommentVote.objects.filter(
                user=self.user, comment_id__in=[c.pk for c in comments]
            ).values_list("comment_id", "value")
        )

    @property
    def can_post(self) -> bool:
        return self.participant and not self.blocked and self.target_open

    def is_author(self, comment: Comment) -> bool:
        return (
            self.user is not None
            and self.user.is_authenticated
            and (comment.user_id == self.user.pk)
        )

    def can_reply(self, comment: Comment) -> bool:
        return self.can_post and comment.is_visible and comment.level < max_level()

    def can_edit(self, comment: Comment) -> bool:
        return (
            self.is_author(comment)
            and comment.is_visible
            and timezone.now() - comment.posted_at <= edit_window()
        )

    def can_withdraw(self, comment: Comment) -> bool:
        return self.is_author(comment) and not comment.is_withdrawn

    def can_vote(self, comment: Comment) -> bool:
        return (
            self.participant
            and not self.blocked
            and not self.is_author(comment)
            and comment.is_visible
        )

    def sees_text(self, comment: Comment) -> bool:
        if comment.is_visible:
            return True
        return comment.is_hidden and self.moderator

    def row(self, comment: Comment) -> dict:
        return {
            "comment": comment,
            "vote": self.votes.get(comment.pk, 0),
            "can_reply": self.can_reply(comment),
            "can_edit": self.can_edit(comment),
            "can_withdraw": self.can_withdraw(comment),
            "can_vote": self.can_vote(comment),
            "can_flag": self.participant and not self.is_author(comment) and comment.is_visible,
            "sees_text": self.sees_text(comment),
            "annex": self.annexes.get(comment.pk),
            "annex_template": self.annex_template,
        }


@dataclass
class CommentPage:
    rows: list[dict]
    number: int
    num_pages: int
    count: int

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def _page_number(raw: Any, num_pages: int) -> int:
    try:
        number = int(raw)
    except (TypeError, ValueError):
        number = 1
    return min(max(number, 1), max(num_pages, 1))


def top_level_page(
    *,
    target: Any,
    viewer: Viewer,
    sort: str = DEFAULT_SORT,
    page: Any = 1,
    counter: CommentTarget | None = None,
) -> CommentPage:
    """One page of the target's top-level comments (every state: placeholders keep their
    place). The number of pages comes from the counter row, not from COUNT(*)."""
    sort = sort if sort in SORTS else DEFAULT_SORT
    total = (counter or counters(target)).top_level_count
    size = per_page()
    num_pages = max(math.ceil(total / size), 1)
    number = _page_number(page, num_pages)
    start = (number - 1) * size
    comments = list(
        comments_of(target)
        .filter(reply_to__isnull=True)
        .order_by(*SORTS[sort])[start : start + size]
    )
    viewer.load_votes(comments)
    return CommentPage(
        rows=[viewer.row(c) for c in comments], number=number, num_pages=num_pages, count=total
    )


def replies_page(*, parent: Comment, viewer: Viewer, page: Any = 1) -> CommentPage:
    """One page of `parent`'s direct replies, oldest first; each says how many it has."""
    total = parent.reply_total
    size = replies_per_page()
    num_pages = max(math.ceil(total / size), 1)
    number = _page_number(page, num_pages)
    start = (number - 1) * size
    comments = list(
        with_related(Comment.objects.filter(reply_to=parent)).order_by("posted_at", "pk")[
            start : start + size
        ]
    )
    viewer.load_votes(comments)
    return CommentPage(
        rows=[viewer.row(c) for c in comments], number=number, num_pages=num_pages, count=total
    )


def comments_by_ids(*, target: Any, ids: list[int], viewer: Viewer) -> list[dict]:
    """The given comments of `target` (the "N new comments — show" request)."""
    comments = list(comments_of(target).filter(pk__in=ids[:50]).order_by("posted_at", "pk"))
    viewer.load_votes(comments)
    return [viewer.row(c) for c in comments]


def content_type_for_label(label: str) -> ContentType | None:
    entry = commentable.for_label(label)
    if entry is None:
        return None
    return ContentType.objects.get_for_model(entry.model)
