"""Reads for the moderation pages: the queue and the audit log, scoped to what the person
may moderate, with a bounded number of queries per page."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Min, Q, QuerySet

from accounts.models import Agency

from . import registry
from .models import Flag, FlagReason, ModeratedItem, ModerationAction
from .rules import is_platform_level, moderated_agency_ids
from .services import targets_of

STATE_FLAGGED = "flagged"
STATE_HIDDEN = "hidden"
STATE_ALL = "all"
STATES = (STATE_FLAGGED, STATE_HIDDEN, STATE_ALL)


def scope_agency_ids(user) -> frozenset[int] | None:
    """None: everything (platform level); otherwise the agencies the person moderates."""
    if is_platform_level(user):
        return None
    return moderated_agency_ids(user)


def queue_items(
    *, user, state: str = STATE_FLAGGED, model_key: str = "", agency_id: int | None = None
) -> QuerySet[ModeratedItem]:
    open_flags = Q(flags__resolved_at__isnull=True)
    qs = ModeratedItem.objects.select_related("content_type", "agency", "author").annotate(
        open_flag_count=Count("flags", filter=open_flags),
        first_open_flag_at=Min("flags__created_at", filter=open_flags),
    )
    scope = scope_agency_ids(user)
    if scope is not None:
        qs = qs.filter(agency_id__in=scope)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if model_key:
        try:
            entry = registry.get(model_key)
        except registry.NotModeratable:
            return qs.none()
        qs = qs.filter(content_type=ContentType.objects.get_for_model(entry.model))
    if state == STATE_HIDDEN:
        return qs.filter(hidden_at__isnull=False).order_by("-hidden_at", "-pk")
    if state == STATE_ALL:
        return qs.order_by("-pk")
    return qs.filter(open_flag_count__gt=0).order_by("first_open_flag_at", "pk")


@dataclass
class QueueRow:
    item: ModeratedItem
    target: Any
    entry: registry.Moderatable | None
    open_flags: list[Flag] = field(default_factory=list)

    @property
    def excerpt(self) -> str:
        return self.entry.excerpt_of(self.target) if self.target is not None else ""

    @property
    def url(self) -> str:
        return self.entry.url_of(self.target) if self.target is not None else ""

    @property
    def type_label(self) -> str:
        return self.entry.label if self.entry else self.item.content_type.name

    @property
    def reasons(self) -> list[tuple[str, int]]:
        counts = Counter(flag.reason for flag in self.open_flags)
        return [(FlagReason(reason).label, count) for reason, count in counts.most_common()]

    @property
    def notes(self) -> list[str]:
        return [flag.note for flag in self.open_flags if flag.note]


def queue_rows(items: list[ModeratedItem]) -> list[QueueRow]:
    """Rows for one page: open flags in one query, targets in one query per model."""
    items = list(items)
    if not items:
        return []
    flags_by_item: dict[int, list[Flag]] = {item.pk: [] for item in items}
    for flag in Flag.objects.filter(item__in=items, resolved_at__isnull=True).order_by(
        "created_at", "pk"
    ):
        flags_by_item[flag.item_id].append(flag)
    targets = targets_of(items)
    rows = []
    for item in items:
        model = item.content_type.model_class()
        entry = registry.get(model) if model and registry.is_registered(model) else None
        rows.append(QueueRow(item, targets.get(item.pk), entry, flags_by_item[item.pk]))
    return rows


def queue_agencies(user) -> QuerySet[Agency]:
    scope = scope_agency_ids(user)
    if scope is None:
        return Agency.objects.filter(
            pk__in=ModeratedItem.objects.filter(agency__isnull=False).values("agency_id")
        ).order_by("name_ru")
    return Agency.objects.filter(pk__in=scope).order_by("name_ru")


def action_log(*, user, actor_id: int | None = None, action: str = "") -> QuerySet:
    qs = ModerationAction.objects.select_related(
        "actor", "user", "item__content_type", "item__agency"
    )
    scope = scope_agency_ids(user)
    if scope is not None:
        qs = qs.filter(item__agency_id__in=scope)
    if actor_id:
        qs = qs.filter(actor_id=actor_id)
    if action:
        qs = qs.filter(action=action)
    return qs.order_by("-at", "-pk")


def log_actors(*, user):
    from accounts.models import User

    actor_ids = action_log(user=user).order_by().values("actor_id").distinct()
    return User.objects.filter(pk__in=actor_ids).order_by("display_name", "pk")


def user_moderation(*, user) -> dict[str, Any]:
    """What the user page shows about a person: blocks and recent actions about them."""
    return {
        "blocks": list(user.moderation_blocks.select_related("actor", "lifted_by")[:20]),
        "actions": list(
            ModerationAction.objects.filter(user=user)
            .select_related("actor", "item__content_type")
            .order_by("-at", "-pk")[:50]
        ),
        "flags_received": Flag.objects.filter(item__author=user).count(),
        "items_hidden": ModeratedItem.objects.filter(author=user, hidden_at__isnull=False).count(),
    }
