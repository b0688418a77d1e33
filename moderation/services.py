"""Moderation services. CONTRACT (other apps call these; keep the signatures):

- check_posting_allowed(*, user, ip: str | None, text: str, scope: str) -> None
      Raises moderation.services.PostingRefused(message) — a translated, user-facing message —
      when the user is blocked, over the per-user or per-IP posting rate, or posting the same
      text again (duplicate check). `scope` names what is posted ("comment", later "question").
      Call it right before saving, inside the saving transaction: the post is counted (rate
      and duplicate fingerprint) when that transaction commits, so a save that fails does not
      use up the person's allowance nor make their retry look like a duplicate.
- is_blocked(user) -> bool

The moderator actions (flag_create, moderation_hide, moderation_restore, flags_dismiss,
user_block, user_unblock) check the actor's permission themselves, call the owning app's
registered `hide`/`restore` services (which keep the text), and write one ModerationAction
per target.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import rules
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import registry
from .models import Flag, FlagReason, HideReason, ModeratedItem, ModerationAction, UserBlock

DEFAULT_RATE_LIMITS = {
    "user_per_minute": 5,
    "user_per_day": 50,
    "ip_per_minute": 20,
    "duplicate_window_seconds": 24 * 60 * 60,
}


class PostingRefused(Exception):
    """Carries the message to show the person; nothing they wrote is lost by the caller."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


class ModerationRefused(Exception):
    """A moderation request that cannot be carried out; `message` is shown to the person."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


# --- posting checks ------------------------------------------------------------------------


def is_blocked(user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return UserBlock.objects.filter(user=user, lifted_at__isnull=True).exists()


def rate_limits() -> dict[str, int]:
    return {**DEFAULT_RATE_LIMITS, **getattr(settings, "MODERATION_RATE_LIMITS", {})}


def normalise_text(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def text_fingerprint(text: str) -> str:
    return hashlib.sha256(normalise_text(text).encode()).hexdigest()


def _is_exempt(user) -> bool:
    """Officials answering on duty and moderators are not throttled (a drafting agency must
    answer every comment on a draft); blocking still applies to them."""
    from accounts import selectors
    from accounts.rules import is_platform_moderator

    return bool(user.is_superuser or selectors.agency_roles(user) or is_platform_moderator(user))


def _window_key(kind: str, who: Any, seconds: int, now: float) -> tuple[str, int]:
    bucket = int(now // seconds)
    return f"moderation:rate:{kind}:{who}:{seconds}:{bucket}", seconds


def _windows(user, ip: str | None, now: float) -> list[tuple[str, int, int, str]]:
    """(cache key, timeout, limit, which) for every window this post counts in."""
    limits = rate_limits()
    windows = [
        (*_window_key("user", user.pk, 60, now), limits["user_per_minute"], "user_minute"),
        (*_window_key("user", user.pk, 86400, now), limits["user_per_day"], "user_day"),
    ]
    if ip:
        windows.append((*_window_key("ip", ip, 60, now), limits["ip_per_minute"], "ip_minute"))
    return windows


def _duplicate_key(user, scope: str, text: str) -> str:
    return f"moderation:dup:{scope}:{user.pk}:{text_fingerprint(text)}"


def check_posting_allowed(*, user, ip: str | None, text: str, scope: str) -> None:
    if is_blocked(user):
        raise PostingRefused(
            _(
                "Your account is blocked from posting. If you think this is a mistake, "
                "write to the moderators."
            )
        )
    if _is_exempt(user):
        return
    now = time.time()
    windows = _windows(user, ip, now)
    counts = cache.get_many([key for key, _timeout, _limit, _which in windows])
    for key, _timeout, limit, which in windows:
        if counts.get(key, 0) >= limit:
            if which == "user_day":
                raise PostingRefused(
                    ngettext(
                        "You have reached the limit of %(limit)d post a day. "
                        "Please come back tomorrow.",
                        "You have reached the limit of %(limit)d posts a day. "
                        "Please come back tomorrow.",
                        limit,
                    )
                    % {"limit": limit}
                )
            if which == "ip_minute":
                raise PostingRefused(
                    _("Too many posts are coming from your network. Please wait a minute.")
                )
            raise PostingRefused(_("You are posting too fast. Please wait a minute and try again."))
    duplicate_key = _duplicate_key(user, scope, text)
    window = rate_limits()["duplicate_window_seconds"]
    posted_at = cache.get(duplicate_key)
    # The time is stored and compared (not only the cache's expiry) so the check behaves the
    # same on every cache backend.
    if posted_at is not None and now - posted_at < window:
        raise PostingRefused(
            _("You have already posted this text. Edit your earlier post or write something new.")
        )

    def count_post() -> None:
        for key, timeout, _limit, _which in windows:
            cache.add(key, 0, timeout=timeout)
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=timeout)
        cache.set(duplicate_key, now, timeout=window)

    transaction.on_commit(count_post)


# --- items ------------------------------------------------------------------------------------


def item_for(target, *, create: bool = True) -> ModeratedItem | None:
    """The ModeratedItem of a registered object (made on first use)."""
    entry = registry.get(target)
    content_type = ContentType.objects.get_for_model(entry.model)
    if not create:
        return ModeratedItem.objects.filter(
            content_type=content_type, object_id=str(target.pk)
        ).first()
    agency = entry.agency(target)
    author = entry.author_of(target)
    item, created = ModeratedItem.objects.get_or_create(
        content_type=content_type,
        object_id=str(target.pk),
        defaults={"agency": agency, "author": author},
    )
    if not created and (item.agency_id != getattr(agency, "pk", None)):
        # Content can be redirected to another agency: keep the queue's scope current.
        item.agency = agency
        item.save(update_fields=["agency"])
    return item


def targets_of(items: Iterable[ModeratedItem]) -> dict[int, Any]:
    """{item id: target object}, one query per content type (items whose model is no longer
    registered or whose target is gone are left out)."""
    by_type: dict[int, list[ModeratedItem]] = defaultdict(list)
    for item in items:
        by_type[item.content_type_id].append(item)
    found: dict[int, Any] = {}
    for content_type_id, group in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None or not registry.is_registered(model):
            continue
        entry = registry.get(model)
        objects = entry.objects().in_bulk([_pk_value(model, item.object_id) for item in group])
        for item in group:
            obj = objects.get(_pk_value(model, item.object_id))
            if obj is not None:
                found[item.pk] = obj
    return found


def _pk_value(model, object_id: str):
    return model._meta.pk.to_python(object_id)


def _require(actor, perm: str, obj=None) -> None:
    if not rules.has_perm(perm, actor, obj):
        raise PermissionDenied(perm)


# --- flags ------------------------------------------------------------------------------------


@transaction.atomic
def flag_create(*, target, reporter, reason: str, note: str = "") -> Flag:
    entry = registry.get(target)
    if reason not in FlagReason.values:
        raise ModerationRefused(_("Choose a reason from the list."))
    if not rules.has_perm("accounts.participate", reporter):
        raise ModerationRefused(_("Sign in with a confirmed email address to report content."))
    author = entry.author_of(target)
    if author is not None and author.pk == reporter.pk:
        raise ModerationRefused(_("You cannot report what you wrote yourself."))
    if entry.is_hidden(target):
        raise ModerationRefused(_("This has already been hidden by a moderator."))
    item = item_for(target)
    if Flag.objects.filter(item=item, reporter=reporter, resolved_at__isnull=True).exists():
        raise ModerationRefused(_("You have already reported this. A moderator will look at it."))
    try:
        with transaction.atomic():
            return Flag.objects.create(
                item=item, reporter=reporter, reason=reason, note=note.strip()[:1000]
            )
    except IntegrityError:  # the same person, twice at once
        raise ModerationRefused(
            _("You have already reported this. A moderator will look at it.")
        ) from None


def _resolve_flags(items: list[ModeratedItem], *, actor, resolution: str) -> int:
    if not items:
        return 0
    return Flag.objects.filter(item__in=items, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolution=resolution, resolved_by=actor
    )


# --- hide / restore / dismiss -----------------------------------------------------------------


def _hide_one(target, item: ModeratedItem, *, reason: str, note: str, actor, block=None):
    entry = registry.get(target)
    if entry.hide_takes_note:
        entry.hide(target, reason=reason, actor=actor, note=note)
    else:
        entry.hide(target, reason=reason, actor=actor)
    item.hidden_at = timezone.now()
    item.hidden_reason = reason
    item.hidden_note = note
    item.hidden_by_block = block
    item.save(update_fields=["hidden_at", "hidden_reason", "hidden_note", "hidden_by_block"])
    data = {"model": entry.key, "object_id": item.object_id}
    if block is not None:
        data["block"] = block.pk
    ModerationAction.objects.create(
        actor=actor,
        action=ModerationAction.Action.HIDE,
        item=item,
        user=item.author,
        reason=reason,
        note=note,
        data=data,
    )


def _restore_one(target, item: ModeratedItem, *, note: str, actor) -> None:
    entry = registry.get(target)
    entry.restore(target, actor=actor)
    data = {"model": entry.key, "object_id": item.object_id}
    if item.hidden_by_block_id:
        data["block"] = item.hidden_by_block_id
    item.hidden_at = None
    item.hidden_reason = ""
    item.hidden_note = ""
    item.hidden_by_block = None
    item.save(update_fields=["hidden_at", "hidden_reason", "hidden_note", "hidden_by_block"])
    ModerationAction.objects.create(
        actor=actor,
        action=ModerationAction.Action.RESTORE,
        item=item,
        user=item.author,
        note=note,
        data=data,
    )


@transaction.atomic
def moderation_hide(*, targets: Iterable, reason: str, note: str = "", actor) -> list:
    """Hide each target with a published reason. Returns the targets actually hidden
    (ones already hidden are left as they are)."""
    if reason not in HideReason.values or reason == HideReason.AUTHOR_BLOCKED:
        raise ModerationRefused(_("Choose a published reason for hiding."))
    hidden, items = [], []
    for target in targets:
        entry = registry.get(target)
        item = item_for(target)
        _require(actor, "moderation.moderate_item", item)
        if entry.is_hidden(target):
            continue
        _hide_one(target, item, reason=reason, note=note.strip(), actor=actor)
        hidden.append(target)
        items.append(item)
    _resolve_flags(items, actor=actor, resolution=Flag.Resolution.ACTIONED)
    return hidden


@transaction.atomic
def moderation_restore(*, targets: Iterable, actor, note: str = "") -> list:
    """Show hidden targets again. Returns the targets restored."""
    restored = []
    for target in targets:
        entry = registry.get(target)
        item = item_for(target)
        _require(actor, "moderation.moderate_item", item)
        if not entry.is_hidden(target):
            continue
        _restore_one(target, item, note=note.strip(), actor=actor)
        restored.append(target)
    return restored


@transaction.atomic
def flags_dismiss(*, targets: Iterable, actor, note: str = "") -> list:
    """Close the open flags on each target without hiding it. Returns the targets touched."""
    touched = []
    for target in targets:
        item = item_for(target)
        _require(actor, "moderation.moderate_item", item)
        count = _resolve_flags([item], actor=actor, resolution=Flag.Resolution.DISMISSED)
        if not count:
            continue
        ModerationAction.objects.create(
            actor=actor,
            action=ModerationAction.Action.DISMISS_FLAGS,
            item=item,
            user=item.author,
            note=note.strip(),
            data={"flags": count},
        )
        touched.append(target)
    return touched


# --- blocking ---------------------------------------------------------------------------------


@transaction.atomic
def user_block(*, user, reason: str, actor) -> UserBlock:
    """Block `user` from posting and hide everything they wrote that is still visible.
    The block remembers what it hid, so lifting it restores exactly that."""
    _require(actor, "moderation.block_user", user)
    reason = reason.strip()
    if not reason:
        raise ModerationRefused(_("Give a reason for the block."))
    if user.pk == actor.pk:
        raise ModerationRefused(_("You cannot block yourself."))
    if is_blocked(user):
        raise ModerationRefused(_("This person is already blocked."))
    block = UserBlock.objects.create(user=user, reason=reason, actor=actor)
    hidden_items = []
    for entry in registry.entries():
        if entry.content_of_user is None:
            continue
        for target in entry.content_of_user(user):
            if entry.is_hidden(target):
                continue  # hidden for its own reason: lifting the block must not show it
            item = item_for(target)
            _hide_one(
                target,
                item,
                reason=HideReason.AUTHOR_BLOCKED,
                note=reason,
                actor=actor,
                block=block,
            )
            hidden_items.append(item)
    _resolve_flags(hidden_items, actor=actor, resolution=Flag.Resolution.ACTIONED)
    ModerationAction.objects.create(
        actor=actor,
        action=ModerationAction.Action.BLOCK_USER,
        user=user,
        note=reason,
        data={"block": block.pk, "hidden": len(hidden_items)},
    )
    return block


@transaction.atomic
def user_unblock(*, user, actor, note: str = "") -> UserBlock:
    """Lift the active block and restore what the block hid (and nothing else)."""
    _require(actor, "moderation.block_user", user)
    block = UserBlock.objects.select_for_update().filter(user=user, lifted_at__isnull=True).first()
    if block is None:
        raise ModerationRefused(_("This person is not blocked."))
    items = list(block.hidden_items.filter(hidden_at__isnull=False))
    targets = targets_of(items)
    restored = 0
    for item in items:
        target = targets.get(item.pk)
        if target is None:
            continue
        _restore_one(target, item, note=note.strip(), actor=actor)
        restored += 1
    block.lifted_at = timezone.now()
    block.lifted_by = actor
    block.save(update_fields=["lifted_at", "lifted_by"])
    ModerationAction.objects.create(
        actor=actor,
        action=ModerationAction.Action.UNBLOCK_USER,
        user=user,
        note=note.strip(),
        data={"block": block.pk, "restored": restored},
    )
    return block
