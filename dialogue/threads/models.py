"""Citizen discussion threads.

A verified citizen starts a thread: a title, a text, a category, a region ("" = the whole
country) and, optionally, an agency it is addressed to. Others reply through the
conversation layer (`dialogue`: the thread is commentable) and support it. A thread
addressed to an agency whose support reaches THREADS_SUPPORT_LEVEL opens a duty in
`tracking` (`threads.reply`): the agency owes an official reply, which is the first
comment one of its responders posts "on behalf of the agency".

Nothing is stored that a date can say: a thread is *hidden* while `hidden_at` is set (a
moderator's act, with a published reason), *withdrawn* once `withdrawn_at` is set (the
author's), *listed* otherwise; whether the agency's reply is due, overdue or given is the
obligation's dates. Counters (`support_count`, `reply_count`, `last_activity_at`) are
denormalised and moved with F() expressions by the services and the conversation layer's
`on_posted` hook, so the list sorts on indexed columns and never counts rows.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.regions import Region

TITLE_MAX = 200
TEXT_MAX = 5000

DEFAULT_SUPPORT_LEVEL = 100


def support_level() -> int:
    """THREADS_SUPPORT_LEVEL: supporters an addressed thread needs to oblige its agency to
    reply officially. Read when used (tests override it)."""
    return max(1, int(getattr(settings, "THREADS_SUPPORT_LEVEL", DEFAULT_SUPPORT_LEVEL)))


class ThreadCategory(models.TextChoices):
    HOUSING = "housing", _("Housing and utilities")
    TRANSPORT = "transport", _("Transport and roads")
    URBAN = "urban", _("Public spaces and landscaping")
    EDUCATION = "education", _("Education")
    HEALTH = "health", _("Health care")
    SOCIAL = "social", _("Social protection and employment")
    ENVIRONMENT = "environment", _("Environment")
    SAFETY = "safety", _("Public safety")
    ECONOMY = "economy", _("Economy and business")
    AGRICULTURE = "agriculture", _("Agriculture")
    PUBLIC_SERVICES = "public_services", _("Public and digital services")
    CULTURE = "culture", _("Culture, sport and youth")
    GOVERNANCE = "governance", _("Governance and anti-corruption")
    OTHER = "other", _("Other")


class ThreadQuerySet(models.QuerySet):
    def listed(self):
        """What the public list and the API list show: neither hidden nor withdrawn."""
        return self.filter(hidden_at__isnull=True, withdrawn_at__isnull=True)

    def awaiting_reply(self):
        """Threads whose agency owes its official reply now (an open obligation)."""
        return self.filter(
            obligation__isnull=False,
            obligation__answered_at__isnull=True,
            obligation__withdrawn_at__isnull=True,
        )


# The public list's partial indexes: one per sort, over listed threads only.
LISTED = Q(hidden_at__isnull=True, withdrawn_at__isnull=True)


class Thread(models.Model):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="threads",
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    text = models.TextField(_("text"), max_length=TEXT_MAX)
    html = models.TextField(_("rendered text"), blank=True, editable=False)
    category = models.CharField(_("category"), max_length=20, choices=ThreadCategory.choices)
    region = models.CharField(
        _("region"),
        max_length=32,
        choices=Region.choices,
        blank=True,
        help_text=_("Empty: the whole country."),
    )
    addressee = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("addressed to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="threads",
    )
    created_at = models.DateTimeField(_("started at"), default=timezone.now)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)
    support_count = models.PositiveIntegerField(_("supporters"), default=0)
    reply_count = models.PositiveIntegerField(
        _("replies"),
        default=0,
        help_text=_("Comments and replies posted on the thread, in any state."),
    )
    # The agency's duty to reply (tracking), opened when the support reaches the level.
    # Kept after it ends (answered, or withdrawn when the thread was hidden).
    obligation = models.OneToOneField(
        "tracking.Obligation",
        verbose_name=_("obligation to reply"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The addressee's first official comment (`Comment.is_official`), whenever it came.
    official_reply = models.OneToOneField(
        "dialogue.Comment",
        verbose_name=_("official reply"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("officially answered at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    # Moderation after publication (`moderation.registry`): the text stays, pages show the
    # published reason instead.
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_reason = models.CharField(_("hidden because"), max_length=32, blank=True)
    hidden_note = models.TextField(_("moderator's note"), blank=True)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        verbose_name = _("discussion thread")
        verbose_name_plural = _("discussion threads")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], condition=LISTED, name="threads_newest"),
            models.Index(
                fields=["-reply_count", "-last_activity_at"],
                condition=LISTED,
                name="threads_active",
            ),
            models.Index(
                fields=["-support_count", "-created_at"],
                condition=LISTED,
                name="threads_supported",
            ),
            models.Index(fields=["category", "-created_at"], name="threads_category"),
            models.Index(fields=["region", "-created_at"], name="threads_region"),
            models.Index(fields=["addressee", "-created_at"], name="threads_addressee"),
            models.Index(fields=["author", "-created_at"], name="threads_author"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="threads_has_title"),
            models.CheckConstraint(condition=~Q(text=""), name="threads_has_text"),
            models.CheckConstraint(
                condition=Q(category__in=ThreadCategory.values), name="threads_category_valid"
            ),
            models.CheckConstraint(
                condition=Q(region="") | Q(region__in=Region.values), name="threads_region_valid"
            ),
            models.CheckConstraint(
                condition=Q(last_activity_at__gte=F("created_at")),
                name="threads_activity_after_start",
            ),
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""),
                name="threads_hidden_has_reason",
                violation_error_message=_("Hiding needs a reason."),
            ),
            models.CheckConstraint(
                condition=Q(obligation__isnull=True) | Q(addressee__isnull=False),
                name="threads_obligation_needs_addressee",
            ),
            models.CheckConstraint(
                condition=Q(official_reply__isnull=True, answered_at__isnull=True)
                | Q(official_reply__isnull=False, answered_at__gte=F("created_at")),
                name="threads_answer_dated",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        try:
            return reverse("threads:detail", args=[self.pk])
        except NoReverseMatch:  # before the screens' URLs are wired
            return f"/dialogue/threads/{self.pk}/"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_open(self) -> bool:
        """Taking replies and support: neither hidden nor withdrawn."""
        return self.hidden_at is None and self.withdrawn_at is None

    @property
    def awaits_reply(self) -> bool:
        """The agency owes its official reply now (the obligation must be loaded)."""
        obligation = self.obligation if self.obligation_id else None
        return (
            obligation is not None
            and obligation.answered_at is None
            and obligation.withdrawn_at is None
        )

    def reply_status(self, now: datetime.datetime | None = None) -> str:
        """What the page and the API say of the agency's reply: "answered" (an official
        reply, with or without a duty), "overdue" or "due" (an open duty), "" otherwise.
        Derived from the dates (the obligation must be loaded)."""
        if self.official_reply_id:
            return "answered"
        if self.awaits_reply:
            return "overdue" if self.obligation.due_at < (now or timezone.now()) else "due"
        return ""


class ThreadSupport(models.Model):
    """One person's support ("up-vote") of a thread: at most one per person and thread.
    Taking it back deletes the row (a support is a count, not something written)."""

    thread = models.ForeignKey(
        Thread, verbose_name=_("thread"), on_delete=models.CASCADE, related_name="supports"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supporter"),
        on_delete=models.PROTECT,
        related_name="thread_supports",
    )
    created_at = models.DateTimeField(_("supported at"), default=timezone.now)

    class Meta:
        verbose_name = _("thread support")
        verbose_name_plural = _("thread supports")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="threads_support_user")]
        constraints = [
            models.UniqueConstraint(
                fields=["thread", "user"],
                name="threads_one_support",
                violation_error_message=_("You already support this thread."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.thread_id}"
