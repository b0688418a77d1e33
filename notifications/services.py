"""Notification services. CONTRACT (other apps call these; keep the signatures):

- follow(*, user, target) -> Follow            idempotent
- unfollow(*, user, target) -> None
- is_following(*, user, target) -> bool
- notify(*, recipients, kind, target=None, actor=None, title, url, body="", data=None) -> int
      One notification per recipient (minus the actor). Writes in-app rows in bulk, pushes the
      bell count live after commit, and queues email (immediate or daily digest per the
      recipient's preference for `kind`) in background tasks after commit. Returns how many.
- notify_followers(*, target, kind, actor=None, title, url, body="", data=None,
                   extra_recipients=()) -> int
      notify() everyone following `target` (plus extra_recipients).

Kinds are registered with notifications.registry.register_kind(key, label=..., default="digest").

Languages: `title`, `body` and `url` are rendered (str()) once per recipient language under
translation.override, so pass lazy strings (gettext_lazy, format_lazy, pgettext_lazy) to
have each person told in their own language; plain strings are stored as given. A
recipient's language is the one they used the site in when they first followed something
(or chose on the preferences page), else settings.LANGUAGE_CODE.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone, translation

from ashyq.live import live_notify_user

from . import registry
from .models import Follow, Notification, Preference, RecipientSettings
from .registry import ALL_KINDS, DIGEST, IMMEDIATE, OFF

logger = logging.getLogger(__name__)

TITLE_MAX = 300
URL_MAX = 500
BATCH_SIZE = 500
LIVE_EVENT = "notification"


# --- Targets and follows ---------------------------------------------------------------


def target_key(target: Any) -> tuple[ContentType, str]:
    """(content type, object id) of anything followable. A Wagtail page is keyed by its
    specific type whether the caller holds the base Page or the specific page."""
    if target is None or target.pk is None:
        raise ValueError("A follow or notification target must be a saved object")
    content_type = getattr(target, "cached_content_type", None)
    if not isinstance(content_type, ContentType):
        content_type = ContentType.objects.get_for_model(target)
    return content_type, str(target.pk)


def follow(*, user, target) -> Follow:
    """Follow `target`; following twice is the same as once."""
    content_type, object_id = target_key(target)
    _remember_language(user)
    existing = Follow.objects.filter(
        user=user, content_type=content_type, object_id=object_id
    ).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Follow.objects.create(user=user, content_type=content_type, object_id=object_id)
    except IntegrityError:  # a concurrent follow won the race: same outcome
        return Follow.objects.get(user=user, content_type=content_type, object_id=object_id)


def unfollow(*, user, target) -> None:
    content_type, object_id = target_key(target)
    Follow.objects.filter(user=user, content_type=content_type, object_id=object_id).delete()


def is_following(*, user, target) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    content_type, object_id = target_key(target)
    return Follow.objects.filter(user=user, content_type=content_type, object_id=object_id).exists()


def followers_of(target: Any) -> models.QuerySet:
    content_type, object_id = target_key(target)
    return get_user_model().objects.filter(
        follows__content_type=content_type, follows__object_id=object_id
    )


def _remember_language(user) -> None:
    """The first time we learn which language someone uses, keep it for their mail."""
    language = _supported_language(translation.get_language())
    RecipientSettings.objects.get_or_create(user=user, defaults={"language": language})


def _supported_language(code: str | None) -> str:
    codes = [language for language, _name in settings.LANGUAGES]
    if code:
        code = code.split("-")[0].lower()
        if code in codes:
            return code
    return settings.LANGUAGE_CODE


def recipient_language_set(*, user, language: str) -> None:
    RecipientSettings.objects.update_or_create(
        user=user, defaults={"language": _supported_language(language)}
    )


def recipient_language(user) -> str:
    row = RecipientSettings.objects.filter(user=user).values_list("language", flat=True).first()
    return row or settings.LANGUAGE_CODE


# --- Preferences ---------------------------------------------------------------------------


def preference_set(*, user, kind: str, channel: str) -> Preference:
    if channel not in registry.CHANNELS:
        raise ValueError(f"Unknown channel {channel!r}")
    if kind != ALL_KINDS:
        registry.get_kind(kind)
    preference, _created = Preference.objects.update_or_create(
        user=user, kind=kind, defaults={"channel": channel}
    )
    return preference


def preferences_of(user) -> dict[str, str]:
    """Every registered kind's effective channel for `user`, plus ALL_KINDS ("off" when
    all email is switched off, else "digest" as a neutral value)."""
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "channel"))
    result = {kind.key: chosen.get(kind.key, kind.default) for kind in registry.kinds()}
    result[ALL_KINDS] = OFF if chosen.get(ALL_KINDS) == OFF else DIGEST
    return result


def email_channel(*, user, kind: str) -> str:
    """What happens by email for `kind`: the master switch, the person's choice, the
    kind's default, in that order."""
    chosen = dict(
        Preference.objects.filter(user=user, kind__in=[kind, ALL_KINDS]).values_list(
            "kind", "channel"
        )
    )
    if chosen.get(ALL_KINDS) == OFF:
        return OFF
    return chosen.get(kind) or registry.get_kind(kind).default


# --- Sending ---------------------------------------------------------------------------------


def _recipient_rows(recipients: Any, *, kind: str, exclude_id: int | None) -> list[tuple]:
    """(id, language, chosen channel, master switch) for each active recipient, in one
    query per BATCH_SIZE ids (one query when `recipients` is a queryset)."""
    User = get_user_model()
    chosen = Preference.objects.filter(user=OuterRef("pk"), kind=kind).values("channel")[:1]
    master = Preference.objects.filter(user=OuterRef("pk"), kind=ALL_KINDS).values("channel")[:1]
    columns = ("pk", "notification_settings__language", "chosen", "master")

    def rows(queryset) -> list[tuple]:
        queryset = queryset.filter(is_active=True, deleted_at__isnull=True)
        if exclude_id is not None:
            queryset = queryset.exclude(pk=exclude_id)
        return list(
            queryset.annotate(chosen=Subquery(chosen), master=Subquery(master))
            .order_by()
            .values_list(*columns)
            .distinct()
        )

    if isinstance(recipients, models.QuerySet):
        return rows(User.objects.filter(pk__in=recipients.values("pk")))
    ids = []
    seen = set()
    for recipient in recipients:
        pk = recipient if isinstance(recipient, int) else getattr(recipient, "pk", None)
        if pk is not None and pk not in seen:
            seen.add(pk)
            ids.append(pk)
    result = []
    for start in range(0, len(ids), BATCH_SIZE):
        result.extend(rows(User.objects.filter(pk__in=ids[start : start + BATCH_SIZE])))
    return result


def notify(
    *,
    recipients: Iterable[Any],
    kind: str,
    target: Any = None,
    actor: Any = None,
    title: str,
    url: str,
    body: str = "",
    data: dict | None = None,
) -> int:
    kind_info = registry.get_kind(kind)  # LookupError for an unregistered kind
    actor_id = getattr(actor, "pk", None)
    target_ct, target_id = (None, "") if target is None else target_key(target)
    rows = _recipient_rows(recipients, kind=kind, exclude_id=actor_id)
    if not rows:
        return 0

    rendered: dict[str, tuple[str, str, str]] = {}
    notifications = []
    for user_id, language, chosen, master in rows:
        language = language or settings.LANGUAGE_CODE
        if language not in rendered:
            with translation.override(language):
                rendered[language] = (
                    str(title)[:TITLE_MAX],
                    str(body),
                    str(url)[:URL_MAX],
                )
        text_title, text_body, text_url = rendered[language]
        channel = OFF if master == OFF else (chosen or kind_info.default)
        notifications.append(
            Notification(
                recipient_id=user_id,
                kind=kind,
                actor_id=actor_id,
                target_content_type=target_ct,
                target_object_id=target_id,
                language=language,
                title=text_title,
                body=text_body,
                url=text_url,
                data=data or {},
                channel=channel,
            )
        )
    with transaction.atomic():
        created = Notification.objects.bulk_create(notifications, batch_size=BATCH_SIZE)
        for notification in created:
            live_notify_user(
                user_id=notification.recipient_id,
                event=LIVE_EVENT,
                payload={"kind": kind, "title": notification.title, "url": notification.url},
            )
        immediate = [n.pk for n in created if n.channel == IMMEDIATE]
        if immediate:
            transaction.on_commit(lambda: _enqueue_immediate(immediate))
    return len(created)


def _enqueue_immediate(notification_ids: list[int]) -> None:
    from .tasks import send_notification_emails

    for start in range(0, len(notification_ids), BATCH_SIZE):
        send_notification_emails.enqueue(
            notification_ids=notification_ids[start : start + BATCH_SIZE]
        )


def notify_followers(
    *,
    target: Any,
    kind: str,
    actor: Any = None,
    title: str,
    url: str,
    body: str = "",
    data: dict | None = None,
    extra_recipients: Iterable[Any] = (),
) -> int:
    content_type, object_id = target_key(target)
    extra_ids = [r if isinstance(r, int) else r.pk for r in extra_recipients if r is not None]
    recipients = get_user_model().objects.filter(
        Q(follows__content_type=content_type, follows__object_id=object_id) | Q(pk__in=extra_ids)
    )
    return notify(
        recipients=recipients,
        kind=kind,
        target=target,
        actor=actor,
        title=title,
        url=url,
        body=body,
        data=data,
    )


# --- Reading -----------------------------------------------------------------------------------


def notification_mark_read(*, user, notification_id: int) -> bool:
    updated = Notification.objects.filter(
        pk=notification_id, recipient=user, read_at__isnull=True
    ).update(read_at=timezone.now())
    return bool(updated)


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


# --- Digest ---------------------------------------------------------------------------------------


def digest_send_due(*, now: datetime.datetime | None = None, progress=None) -> int:
    """Send each person with unsent digest notifications one email listing them, at most
    once per NOTIFICATIONS_DIGEST_INTERVAL (20 hours by default, so a daily cron that runs
    a little early still sends). Safe to run as often as you like: what was sent is
    marked, and a second run within the interval sends nothing. Returns emails sent."""
    from .emails import send_digest

    now = now or timezone.now()
    interval = getattr(settings, "NOTIFICATIONS_DIGEST_INTERVAL", datetime.timedelta(hours=20))
    pending = Notification.objects.filter(
        channel=DIGEST, digest_sent_at__isnull=True, created_at__lte=now
    )
    recently_sent = Notification.objects.filter(
        recipient=OuterRef("recipient"), digest_sent_at__gt=now - interval
    )
    switched_off = Preference.objects.filter(
        user=OuterRef("recipient"), kind__in=[OuterRef("kind"), ALL_KINDS], channel=OFF
    )
    pending = pending.exclude(models.Exists(switched_off)).exclude(models.Exists(recently_sent))
    recipient_ids = list(pending.values_list("recipient_id", flat=True).distinct().order_by())
    sent = 0
    for index, user_id in enumerate(sorted(recipient_ids), start=1):
        with transaction.atomic():
            items = list(
                pending.filter(recipient_id=user_id)
                .select_related("recipient")
                .select_for_update(of=("self",))
                .order_by("kind", "created_at", "pk")
            )
            if not items:
                continue
            grouped: dict[str, list[Notification]] = defaultdict(list)
            for item in items:
                grouped[item.kind].append(item)
            if send_digest(recipient=items[0].recipient, grouped=dict(grouped)):
                Notification.objects.filter(pk__in=[item.pk for item in items]).update(
                    digest_sent_at=now
                )
                sent += 1
        if progress is not None:
            progress(index, len(recipient_ids))
    return sent


# --- Unsubscribing -------------------------------------------------------------------------------


def unsubscribe(*, user_id: int, kind: str) -> bool:
    """Switch email off for `kind` (or every kind, ALL_KINDS). In-app notifications stay."""
    User = get_user_model()
    user = User.objects.filter(pk=user_id, deleted_at__isnull=True).first()
    if user is None:
        return False
    if kind != ALL_KINDS and not registry.is_registered(kind):
        kind = ALL_KINDS  # a kind that no longer exists: honour the wish to hear nothing
    preference_set(user=user, kind=kind, channel=OFF)
    return True


def preferences_save(
    *, user, channels: dict[str, str], no_email: bool, language: str | None = None
) -> None:
    """Save the preferences page at once: a row per kind that differs from the default
    (rows equal to the default are removed, so later changes of a default reach them)."""
    with transaction.atomic():
        for kind in registry.kinds():
            channel = channels.get(kind.key, kind.default)
            if channel not in registry.CHANNELS:
                raise ValueError(f"Unknown channel {channel!r}")
            if channel == kind.default:
                Preference.objects.filter(user=user, kind=kind.key).delete()
            else:
                preference_set(user=user, kind=kind.key, channel=channel)
        if no_email:
            preference_set(user=user, kind=ALL_KINDS, channel=OFF)
        else:
            Preference.objects.filter(user=user, kind=ALL_KINDS).delete()
        if language:
            recipient_language_set(user=user, language=language)
