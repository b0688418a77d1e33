"""Big threads, fast: bulk inserts into the three tables of a comment (django_comments'
base row, django-comments-xtd's tree row, ours), with the xtd tree fields (thread_id,
parent_id, level, order, nested_count) set as XtdComment.save would set them, and the
denormalised counters set as the services would."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone
from django_comments.models import Comment as BaseComment
from django_comments_xtd.models import XtdComment

from dialogue import commentable
from dialogue.models import Comment, CommentTarget

BATCH = 200


def _insert(model, objs) -> None:
    """Insert rows into `model`'s own table only (multi-table bulk_create cannot)."""
    fields = list(model._meta.local_concrete_fields)
    for start in range(0, len(objs), BATCH):
        model._base_manager._insert(objs[start : start + BATCH], fields=fields, using="default")


def bulk_thread(target, *, authors, top_level: int, replies: int, deep: int = 0) -> list[Comment]:
    """`top_level` comments on `target`; `replies` direct replies to the first of them;
    `deep` replies to the first reply. Returns the top-level comments, oldest first."""
    content_type = commentable.content_type_of(target)
    start = timezone.now() - datetime.timedelta(days=30)
    total = top_level + replies + deep
    base_rows = [
        BaseComment(
            content_type=content_type,
            object_pk=str(target.pk),
            site_id=settings.SITE_ID,
            user=authors[i % len(authors)],
            comment=f"Comment number {i}",
            submit_date=start + datetime.timedelta(seconds=i),
            is_public=True,
        )
        for i in range(total)
    ]
    BaseComment.objects.bulk_create(base_rows, batch_size=BATCH)
    if base_rows[0].pk is None:  # a backend that does not return ids
        ids = list(
            BaseComment.objects.filter(content_type=content_type, object_pk=str(target.pk))
            .order_by("-pk")
            .values_list("pk", flat=True)[:total]
        )[::-1]
        for row, pk in zip(base_rows, ids, strict=True):
            row.pk = row.id = pk
    ids = [row.pk for row in base_rows]
    roots = ids[:top_level]
    first, reply_ids = roots[0], ids[top_level : top_level + replies]
    deep_ids = ids[top_level + replies :]
    first_reply = reply_ids[0] if reply_ids else None

    tree: dict[int, tuple[int, int, int, int, int]] = {}  # id: thread, parent, level, order, nested
    for pk in roots:
        tree[pk] = (pk, pk, 0, 1, 0)
    # Thread order of the first thread: root, first reply, its deep replies, other replies.
    order = 2
    for pk in reply_ids:
        tree[pk] = (first, first, 1, order, len(deep_ids) if pk == first_reply else 0)
        order += 1
        if pk == first_reply:
            for deep_pk in deep_ids:
                tree[deep_pk] = (first, first_reply, 2, order, 0)
                order += 1
    tree[first] = (first, first, 0, 1, replies + deep)

    xtd_rows, our_rows = [], []
    for row in base_rows:
        thread, parent, level, position, nested = tree[row.pk]
        xtd = XtdComment(
            comment_ptr_id=row.pk,
            thread_id=thread,
            parent_id=parent,
            level=level,
            order=position,
            nested_count=nested,
        )
        xtd_rows.append(xtd)
        reply_to = None if level == 0 else parent
        children = replies if row.pk == first else len(deep_ids) if row.pk == first_reply else 0
        our_rows.append(
            Comment(
                xtdcomment_ptr_id=row.pk,
                target_type=content_type,
                target_pk=str(target.pk),
                reply_to_id=reply_to,
                posted_at=row.submit_date,
                html=f"<p>{row.comment}</p>",
                reply_count=children,
                reply_total=children,
            )
        )
    _insert(XtdComment, xtd_rows)
    _insert(Comment, our_rows)
    CommentTarget.objects.update_or_create(
        content_type=content_type,
        object_pk=str(target.pk),
        defaults={
            "visible_count": total,
            "total_count": total,
            "top_level_count": top_level,
            "last_posted_at": base_rows[-1].submit_date,
        },
    )
    return list(Comment.objects.filter(pk__in=roots).order_by("posted_at"))
