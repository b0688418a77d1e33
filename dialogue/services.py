"""Every change to a comment. Keyword-only, atomic, audited; notifications and the live
push go out after commit.

Errors a person can fix (empty text, too long, posting too fast) are raised as
`ValidationError({"text": ...})` so forms show them next to the field with the typed text
kept; what the person may not do at all raises `PermissionDenied`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.services import audit_record
from ashyq.live import live_push

from . import commentable
from .models import Comment, CommentState, CommentTarget, CommentVersion, CommentVote
from .text import plain_excerpt, render

KIND_POSTED = "comment_posted"
KIND_REPLY = "comment_reply"


def max_length() -> int:
    return getattr(settings, "COMMENT_MAX_LENGTH", 3000)


def _text_error(message, *, code: str) -> ValidationError:
    return ValidationError({"text": ValidationError(message, code=code)})


def clean_text(text: str) -> str:
    """The text as stored, or a ValidationError a person can act on."""
    text = (text or "").strip()
    if not text:
        raise _text_error(_("Write something before posting."), code="empty")
    limit = max_length()
    if len(text) > limit:
        raise _text_error(
            ngettext(
                "The comment is %(length)d character long; the limit is %(limit)d.",
                "The comment is %(length)d characters long; the limit is %(limit)d.",
                len(text),
            )
            % {"length": len(text), "limit": limit},
            code="too_long",
        )
    return text


def _require(user, perm: str, obj, message: str) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied(message)


def _adjust_counters(comment: Comment, *, visible: int = 0, total: int = 0) -> None:
    """Move the target's and the parent's counters by the given deltas, in SQL."""
    target_updates: dict[str, Any] = {}
    if visible:
        target_updates["visible_count"] = F("visible_count") + visible
    if total:
        target_updates["total_count"] = F("total_count") + total
        if comment.reply_to_id is None:
            target_updates["top_level_count"] = F("top_level_count") + total
    if target_updates:
        CommentTarget.objects.filter(
            content_type_id=comment.target_type_id, object_pk=comment.target_pk
        ).update(**target_updates)
    if comment.reply_to_id is not None:
        parent_updates: dict[str, Any] = {}
        if visible:
            parent_updates["reply_count"] = F("reply_count") + visible
        if total:
            parent_updates["reply_total"] = F("reply_total") + total
        if parent_updates:
            Comment.objects.filter(pk=comment.reply_to_id).update(**parent_updates)


@transaction.atomic
def comment_post(
    *,
    target: Any,
    author,
    text: str,
    parent: Comment | None = None,
    as_official: bool = False,
    organisation=None,
    ip: str | None = None,
) -> Comment:
    """Post a comment on `target` (or a reply to `parent`, a comment on the same target)."""
    from moderation.services import PostingRefused, check_posting_allowed
    from notifications.services import follow, followers_of, notify, notify_followers

    if not commentable.is_commentable(target):
        raise PermissionDenied(_("Comments are not possible here."))
    content_type = commentable.content_type_of(target)
    if parent is not None:
        if parent.target_type_id != content_type.pk or parent.target_pk != str(target.pk):
            raise PermissionDenied(_("The reply must be on the same page as its comment."))
        _require(author, "dialogue.reply_comment", parent, _("You cannot reply to this comment."))
    else:
        _require(author, "dialogue.post_comment", target, _("You cannot comment here."))
    agency = None
    if as_official:
        _require(
            author,
            "dialogue.post_official_comment",
            target,
            _("Only a responder of the agency can answer on its behalf."),
        )
        agency = commentable.agency_of(target)
    if organisation is not None:
        _require(
            author,
            "accounts.act_for_organisation",
            organisation,
            _("You cannot comment on behalf of this organisation."),
        )
    text = clean_text(text)
    try:
        check_posting_allowed(user=author, ip=ip, text=text, scope="comment")
    except PostingRefused as refused:
        raise _text_error(refused.message, code="refused") from refused

    now = timezone.now()
    comment = Comment(
        content_type=content_type,
        object_pk=str(target.pk),
        site_id=settings.SITE_ID,
        user=author,
        comment=text,
        submit_date=now,
        ip_address=ip or None,
        parent_id=parent.pk if parent is not None else 0,
        target_type=content_type,
        target_pk=str(target.pk),
        reply_to=parent,
        posted_at=now,
        html=render(text),
        is_official=agency is not None,
        agency=agency,
        organisation=organisation,
    )
    comment.save()  # XtdComment.save places it in the thread tree (thread_id, level, order)
    CommentTarget.objects.get_or_create(content_type=content_type, object_pk=str(target.pk))
    _adjust_counters(comment, visible=1, total=1)
    CommentTarget.objects.filter(content_type=content_type, object_pk=str(target.pk)).update(
        last_posted_at=now
    )
    audit_record(
        actor=author,
        action="comment_posted",
        target=comment,
        official=comment.is_official,
        reply_to=parent.pk if parent is not None else None,
    )
    on_posted = commentable.get(target).on_posted
    if on_posted is not None:
        on_posted(comment, target)

    follow(user=author, target=target)
    url = comment.get_absolute_url()
    title = commentable.title_of(target)
    excerpt = plain_excerpt(text)
    data = {"comment": comment.pk}
    common = {"target": target, "actor": author, "title": title, "url": url, "body": excerpt}
    parent_author = parent.user_id if parent is not None and parent.user_id else None
    if parent_author is None:
        notify_followers(kind=KIND_POSTED, data=data, **common)
    else:
        # The parent's author hears once, of the reply, not also as a follower.
        notify(
            recipients=followers_of(target).exclude(pk=parent_author),
            kind=KIND_POSTED,
            data=data,
            **common,
        )
        notify(recipients=[parent_author], kind=KIND_REPLY, data=data, **common)
    live_push(
        group=comment.live_group,
        event="comment_posted",
        payload={"id": comment.pk, "parent": parent.pk if parent is not None else None},
    )
    return comment


def _locked(comment: Comment) -> Comment:
    """The comment re-read under a row lock. The library's manager joins the (nullable)
    user, which PostgreSQL cannot lock: the lock query joins nothing but our own tables."""
    locked = Comment.objects.select_related(None).order_by().select_for_update().get(pk=comment.pk)
    cached = comment._state.fields_cache.get("content_object")
    if cached is not None:
        locked._state.fields_cache["content_object"] = cached
    return locked


@transaction.atomic
def comment_edit(*, comment: Comment, author, text: str) -> Comment:
    """Change the text within the edit window; the previous text is kept as a version."""
    comment = _locked(comment)
    _require(
        author,
        "dialogue.edit_comment",
        comment,
        _("This comment can no longer be edited."),
    )
    text = clean_text(text)
    if text == comment.comment:
        return comment
    CommentVersion.objects.create(
        comment=comment,
        text=comment.comment,
        html=comment.html,
        written_at=comment.edited_at or comment.posted_at,
    )
    comment.comment = text
    comment.html = render(text)
    comment.edited_at = timezone.now()
    comment.save(update_fields=["comment", "html", "edited_at"])
    audit_record(actor=author, action="comment_edited", target=comment)
    live_push(group=comment.live_group, event="comment_changed", payload={"id": comment.pk})
    return comment


@transaction.atomic
def comment_withdraw(*, comment: Comment, author) -> Comment:
    """The author takes the comment back: the text is kept, the page says "withdrawn"."""
    comment = _locked(comment)
    _require(author, "dialogue.withdraw_comment", comment, _("You cannot withdraw this comment."))
    was_visible = comment.is_visible
    comment.state = CommentState.WITHDRAWN
    comment.withdrawn_at = timezone.now()
    comment.save(update_fields=["state", "withdrawn_at"])
    if was_visible:
        _adjust_counters(comment, visible=-1)
    audit_record(actor=author, action="comment_withdrawn", target=comment)
    live_push(group=comment.live_group, event="comment_changed", payload={"id": comment.pk})
    return comment


@transaction.atomic
def comment_vote(*, comment: Comment, user, value: int) -> CommentVote | None:
    """Vote up (1), down (-1) or take the vote back (0). The comment's counters move in SQL,
    so concurrent votes never lose an update."""
    if value not in (1, -1, 0):
        raise ValueError(f"A vote is 1, -1 or 0, not {value!r}")
    existing = CommentVote.objects.select_for_update().filter(user=user, comment=comment).first()
    old = existing.value if existing is not None else 0
    if value != 0:
        _require(user, "dialogue.vote_comment", comment, _("You cannot vote on this comment."))
    if old == value:
        return existing
    vote = existing
    if value == 0:
        existing.delete()
        vote = None
    elif existing is not None:
        existing.value = value
        existing.save(update_fields=["value", "voted_at"])
    else:
        vote = CommentVote.objects.create(user=user, comment=comment, value=value)
    up = int(value == 1) - int(old == 1)
    down = int(value == -1) - int(old == -1)
    Comment.objects.filter(pk=comment.pk).update(
        upvotes=F("upvotes") + up, downvotes=F("downvotes") + down, score=F("score") + up - down
    )
    audit_record(actor=user, action="comment_voted", target=comment, value=value, previous=old)
    return vote


def _hide_reason(reason: str) -> str:
    valid = Comment.HiddenReason.values
    if reason not in valid:
        raise ValueError(f"Unknown reason for hiding: {reason!r}")
    return reason


@transaction.atomic
def comment_hide(*, comment: Comment, reason: str, note: str = "", actor) -> Comment:
    """A moderator hides a comment with a published reason. The text is kept."""
    comment = _locked(comment)
    _require(actor, "dialogue.moderate_comment", comment, _("You cannot moderate this comment."))
    reason = _hide_reason(reason)
    was_visible = comment.is_visible
    if comment.is_withdrawn:
        return comment  # the author already took it down; nothing is shown to hide
    comment.state = CommentState.HIDDEN
    comment.hidden_reason = reason
    comment.hidden_note = note
    comment.hidden_at = timezone.now()
    comment.hidden_by = actor
    comment.save(update_fields=["state", "hidden_reason", "hidden_note", "hidden_at", "hidden_by"])
    if was_visible:
        _adjust_counters(comment, visible=-1)
    audit_record(actor=actor, action="comment_hidden", target=comment, reason=reason, note=note)
    live_push(group=comment.live_group, event="comment_changed", payload={"id": comment.pk})
    return comment


@transaction.atomic
def comment_restore(*, comment: Comment, actor) -> Comment:
    """A moderator shows a hidden comment again (the audit trail keeps why it was hidden)."""
    comment = _locked(comment)
    _require(actor, "dialogue.moderate_comment", comment, _("You cannot moderate this comment."))
    if not comment.is_hidden:
        return comment
    previous = {"reason": comment.hidden_reason, "note": comment.hidden_note}
    comment.state = CommentState.VISIBLE
    comment.hidden_reason = ""
    comment.hidden_note = ""
    comment.hidden_at = None
    comment.hidden_by = None
    comment.save(update_fields=["state", "hidden_reason", "hidden_note", "hidden_at", "hidden_by"])
    _adjust_counters(comment, visible=1)
    audit_record(actor=actor, action="comment_restored", target=comment, **previous)
    live_push(group=comment.live_group, event="comment_changed", payload={"id": comment.pk})
    return comment
