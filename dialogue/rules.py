"""Who may do what with comments, as `rules` predicates (tested as role x state matrices in
tests/dialogue/test_rules.py). The object is the commented target for "post" and
"post_official", and the comment for everything else."""

from __future__ import annotations

import datetime

import rules
from django.conf import settings
from django.utils import timezone

from accounts.rules import (
    can_participate,
    is_active_account,
    is_agency_moderator,
    is_agency_responder,
    is_platform_moderator,
)

from . import commentable


def edit_window() -> datetime.timedelta:
    return datetime.timedelta(minutes=getattr(settings, "COMMENTS_EDIT_WINDOW_MINUTES", 15))


def max_level() -> int:
    return getattr(settings, "COMMENTS_XTD_MAX_THREAD_LEVEL", 2)


@rules.predicate
def is_not_blocked(user) -> bool:
    from moderation.services import is_blocked

    return user.is_authenticated and not is_blocked(user)


@rules.predicate
def target_is_open(user, target) -> bool:
    return target is not None and commentable.is_commentable(target) and commentable.is_open(target)


@rules.predicate
def comment_target_is_open(user, comment) -> bool:
    target = comment.content_object if comment is not None else None
    return target_is_open(user, target)


@rules.predicate
def is_comment_author(user, comment) -> bool:
    return comment is not None and user.is_authenticated and comment.user_id == user.pk


@rules.predicate
def comment_is_visible(user, comment) -> bool:
    return comment is not None and comment.is_visible


@rules.predicate
def comment_not_withdrawn(user, comment) -> bool:
    return comment is not None and not comment.is_withdrawn


@rules.predicate
def within_edit_window(user, comment) -> bool:
    return comment is not None and timezone.now() - comment.posted_at <= edit_window()


@rules.predicate
def below_max_level(user, comment) -> bool:
    return comment is not None and comment.level < max_level()


@rules.predicate
def is_target_agency_responder(user, target) -> bool:
    if target is None or not commentable.is_commentable(target):
        return False
    return is_agency_responder(user, commentable.agency_of(target))


@rules.predicate
def is_target_agency_moderator(user, target) -> bool:
    """Agency moderators look after what is addressed to their agency."""
    if target is None or not commentable.is_commentable(target):
        return False
    return is_agency_moderator(user, commentable.agency_of(target))


@rules.predicate
def is_comment_agency_moderator(user, comment) -> bool:
    return comment is not None and is_target_agency_moderator(user, comment.content_object)


can_post = can_participate & is_not_blocked & target_is_open
can_reply = (
    can_participate & is_not_blocked & comment_is_visible & below_max_level & comment_target_is_open
)
can_edit = is_active_account & is_comment_author & comment_is_visible & within_edit_window
can_withdraw = is_active_account & is_comment_author & comment_not_withdrawn
can_vote = can_participate & is_not_blocked & ~is_comment_author & comment_is_visible
can_post_official = can_post & is_target_agency_responder
can_moderate_on_target = is_active_account & (
    is_platform_moderator | rules.is_superuser | is_target_agency_moderator
)
can_moderate = is_active_account & (
    is_platform_moderator | rules.is_superuser | is_comment_agency_moderator
)

rules.add_perm("dialogue.post_comment", can_post)
rules.add_perm("dialogue.reply_comment", can_reply)
rules.add_perm("dialogue.edit_comment", can_edit)
rules.add_perm("dialogue.withdraw_comment", can_withdraw)
rules.add_perm("dialogue.vote_comment", can_vote)
rules.add_perm("dialogue.post_official_comment", can_post_official)
rules.add_perm("dialogue.see_hidden_comment", can_moderate)
rules.add_perm("dialogue.moderate_comment", can_moderate)
