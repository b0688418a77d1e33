"""Moderation records. The moderated content itself belongs to the owning app (comments,
later questions and petitions); moderation keeps one `ModeratedItem` per piece of content it
has ever dealt with, the flags on it, blocks, and an append-only audit log.

Nothing here deletes what a citizen wrote: hiding is the owning app's service, which keeps
the text, and the audit log refuses updates and deletes.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ashyq.models import AppendOnlyModel


class HideReason(models.TextChoices):
    """The published reasons for hiding; the public placeholder names the one chosen."""

    ABUSE = "abuse", _("abuse or insults")
    PERSONAL_DATA = "personal_data", _("personal data")
    SPAM = "spam", _("spam or advertising")
    OFF_TOPIC = "off_topic", _("off-topic")
    UNLAWFUL = "unlawful", _("unlawful content")
    DUPLICATE = "duplicate", _("duplicate")
    AUTHOR_BLOCKED = "author_blocked", _("the author is blocked")


class FlagReason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    ABUSE = "abuse", _("Abuse or insults")
    PERSONAL_DATA = "personal_data", _("Personal data")
    OFF_TOPIC = "off_topic", _("Off-topic")
    ILLEGAL = "illegal", _("Illegal content")
    OTHER = "other", _("Something else")


class ModeratedItemQuerySet(models.QuerySet):
    def with_open_flags(self) -> ModeratedItemQuerySet:
        return self.filter(flags__resolved_at__isnull=True).distinct()

    def hidden(self) -> ModeratedItemQuerySet:
        return self.filter(hidden_at__isnull=False)

    def for_agencies(self, agency_ids) -> ModeratedItemQuerySet:
        return self.filter(agency_id__in=agency_ids)


class ModeratedItem(models.Model):
    """One piece of content moderation has dealt with (flagged, hidden, restored).

    `agency` and `author` are copied from the owning app's adapters when the item is first
    seen, so the queue can filter and scope by agency in the database instead of loading
    every target. `hidden_*` records moderation's own decision (the owning app stores its
    own state too, through its `hide` service).
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agency"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("first seen at"), auto_now_add=True)
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_reason = models.CharField(
        _("reason for hiding"), max_length=32, choices=HideReason.choices, blank=True
    )
    hidden_note = models.TextField(_("note"), blank=True)
    hidden_by_block = models.ForeignKey(
        "moderation.UserBlock",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hidden_items",
        verbose_name=_("hidden by the block"),
        help_text=_("Set when blocking the author hid this item; lifting the block restores it."),
    )

    objects = ModeratedItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("moderated item")
        verbose_name_plural = _("moderated items")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="moderation_item_unique_target"
            ),
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=False) | Q(hidden_by_block__isnull=True),
                name="moderation_item_block_implies_hidden",
            ),
        ]
        indexes = [models.Index(fields=["hidden_at"])]

    def __str__(self) -> str:
        return f"{self.content_type.model} #{self.object_id}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Flag(models.Model):
    """A person's report that an item breaks the rules. Open until a moderator resolves it."""

    class Resolution(models.TextChoices):
        DISMISSED = "dismissed", _("dismissed")
        ACTIONED = "actioned", _("actioned")

    item = models.ForeignKey(ModeratedItem, on_delete=models.PROTECT, related_name="flags")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="moderation_flags",
        verbose_name=_("reporter"),
    )
    reason = models.CharField(_("reason"), max_length=32, choices=FlagReason.choices)
    note = models.TextField(_("note"), blank=True, max_length=1000)
    created_at = models.DateTimeField(_("flagged at"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolution = models.CharField(
        _("resolution"), max_length=16, choices=Resolution.choices, blank=True
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "reporter"],
                condition=Q(resolved_at__isnull=True),
                name="moderation_flag_one_open_per_reporter",
            ),
            models.CheckConstraint(
                condition=(Q(resolved_at__isnull=True) & Q(resolution=""))
                | (Q(resolved_at__isnull=False) & ~Q(resolution="")),
                name="moderation_flag_resolution_with_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.item})"


class UserBlock(models.Model):
    """A platform moderator's block: the person cannot post and their content is hidden."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="moderation_blocks",
        verbose_name=_("user"),
    )
    reason = models.TextField(_("reason"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("blocked by"),
    )
    created_at = models.DateTimeField(_("blocked at"), auto_now_add=True)
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lifted by"),
    )

    class Meta:
        verbose_name = _("user block")
        verbose_name_plural = _("user blocks")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(lifted_at__isnull=True),
                name="moderation_block_one_active_per_user",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class ModerationAction(AppendOnlyModel):
    """Append-only audit log: who did what to which item or person, when and why."""

    class Action(models.TextChoices):
        HIDE = "hide", _("hid")
        RESTORE = "restore", _("restored")
        DISMISS_FLAGS = "dismiss_flags", _("dismissed flags")
        BLOCK_USER = "block_user", _("blocked a user")
        UNBLOCK_USER = "unblock_user", _("lifted a block")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("moderator"),
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    item = models.ForeignKey(
        ModeratedItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("item"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    reason = models.CharField(_("reason"), max_length=32, choices=HideReason.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("moderation action")
        verbose_name_plural = _("moderation actions")
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(item__isnull=False) | Q(user__isnull=False),
                name="moderation_action_has_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.actor} {self.get_action_display()} ({self.at:%Y-%m-%d %H:%M})"
