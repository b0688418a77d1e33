"""Polls run by agencies.

A `Poll` belongs to an agency and is written in one language (`language`, used for the
`lang` attribute of its texts: a bilingual poll writes both languages in its texts). Its
lifecycle state is stored (`draft` → `published`, or `cancelled` with a kept reason),
because publishing and cancelling are acts with a date and an actor; its **phase**
(upcoming, open, closed) is derived from `opens_at` / `closes_at` on every read
(`Poll.phase(now)`, `PollQuerySet.open(now)`...), never stored, so no job has to flip it.

Questions (`PollQuestion`: single choice, multiple choice, short free text) and their
options (`PollOption`) can change only before publication: once published, what people
answer must stay what they were asked.

One `Submission` per person and poll, enforced by a unique constraint; its `respondent`
is a random token, the only identifier the agency's anonymised export carries. Answers
(`PollAnswer`) are an option chosen or a short text. Counts are denormalised and moved
with `F()` in the submitting transaction (`Poll.submission_count`,
`PollQuestion.answer_count`, `PollOption.vote_count`), so results never count answer rows.
Every change goes through `services.py`; docs/polls.md describes the module.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.regions import Region

TITLE_MAX = 200
DESCRIPTION_MAX = 5000
QUESTION_MAX = 500
OPTION_MAX = 300
ANSWER_TEXT_MAX = 1000
CANCEL_REASON_MAX = 2000
OPTIONS_MIN = 2
OPTIONS_MAX = 20
QUESTIONS_MAX = 30


class PollState(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    CANCELLED = "cancelled", _("cancelled")


class Phase(models.TextChoices):
    """Derived from the dates and the state; never stored."""

    DRAFT = "draft", _("Draft")
    UPCOMING = "upcoming", _("Upcoming")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class Audience(models.TextChoices):
    VERIFIED = "verified", _("anyone with a confirmed email address")
    IDENTITY_VERIFIED = "identity_verified", _("only people who confirmed their identity")


class ResultsVisibility(models.TextChoices):
    AFTER_VOTING = "after_voting", _("to each person after they take part, and to all at closing")
    AFTER_CLOSING = "after_closing", _("to everyone once the poll closes")


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("single choice")
    MULTIPLE = "multiple", _("multiple choice")
    TEXT = "text", _("short free text")


CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
POLL_LANGUAGES = [
    ("kk", _("Kazakh")),
    ("ru", _("Russian")),
    ("en", _("English")),
]


class PollQuerySet(models.QuerySet):
    """The phases as filters over the dates (what `Poll.phase` says, for querysets)."""

    def published(self):
        return self.filter(state=PollState.PUBLISHED)

    def upcoming(self, now: datetime.datetime | None = None):
        return self.published().filter(opens_at__gt=now or timezone.now())

    def open(self, now: datetime.datetime | None = None):
        now = now or timezone.now()
        return self.published().filter(opens_at__lte=now, closes_at__gt=now)

    def closed(self, now: datetime.datetime | None = None):
        return self.published().filter(closes_at__lte=now or timezone.now())

    def public(self):
        """What the public may open: published polls, and cancelled ones that had been
        published (a cancelled draft was never public)."""
        return self.filter(
            Q(state=PollState.PUBLISHED) | Q(state=PollState.CANCELLED, published_at__isnull=False)
        )


class Poll(models.Model):
    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="polls"
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX, blank=True)
    language = models.CharField(
        _("language of the poll"),
        max_length=8,
        choices=POLL_LANGUAGES,
        default="kk",
        help_text=_("The language the poll is written in (screen readers use it)."),
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"), db_index=True)
    audience = models.CharField(
        _("who may take part"),
        max_length=20,
        choices=Audience.choices,
        default=Audience.VERIFIED,
    )
    region = models.CharField(
        _("region"),
        max_length=32,
        choices=Region.choices,
        blank=True,
        help_text=_("Leave empty for everyone; otherwise only people of this region take part."),
    )
    results_visibility = models.CharField(
        _("results shown"),
        max_length=16,
        choices=ResultsVisibility.choices,
        default=ResultsVisibility.AFTER_VOTING,
    )
    state = models.CharField(
        _("state"), max_length=12, choices=PollState.choices, default=PollState.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelled by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    submission_count = models.PositiveIntegerField(_("people who took part"), default=0)

    objects = PollQuerySet.as_manager()

    class Meta:
        verbose_name = _("poll")
        verbose_name_plural = _("polls")
        ordering = ["-opens_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "closes_at"], name="polls_state_closes"),
            models.Index(fields=["state", "opens_at"], name="polls_state_opens"),
            models.Index(fields=["agency", "-created_at"], name="polls_agency_created"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="polls_has_title"),
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="polls_closes_after_opens",
                violation_error_message=_("A poll must close after it opens."),
            ),
            models.CheckConstraint(
                condition=Q(state__in=PollState.values), name="polls_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(audience__in=Audience.values), name="polls_audience_valid"
            ),
            models.CheckConstraint(
                condition=Q(results_visibility__in=ResultsVisibility.values),
                name="polls_results_visibility_valid",
            ),
            models.CheckConstraint(
                condition=Q(region="") | Q(region__in=Region.values), name="polls_region_valid"
            ),
            models.CheckConstraint(
                condition=~Q(state=PollState.PUBLISHED) | Q(published_at__isnull=False),
                name="polls_published_dated",
            ),
            models.CheckConstraint(
                condition=~Q(state=PollState.CANCELLED)
                | (Q(cancelled_at__isnull=False) & ~Q(cancel_reason="")),
                name="polls_cancelled_has_reason",
                violation_error_message=_("A cancelled poll needs a reason."),
            ),
            models.CheckConstraint(
                condition=Q(submission_count=0) | Q(published_at__isnull=False),
                name="polls_submissions_after_publication",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        try:
            return reverse("polls:detail", args=[self.pk])
        except NoReverseMatch:  # outside a language prefix (URLs not loaded yet)
            return f"/dialogue/polls/{self.pk}/"

    def phase(self, now: datetime.datetime | None = None) -> str:
        """The phase at `now`: draft and cancelled follow the state; a published poll is
        upcoming before `opens_at`, open until `closes_at` (excluded), closed after."""
        if self.state == PollState.DRAFT:
            return Phase.DRAFT
        if self.state == PollState.CANCELLED:
            return Phase.CANCELLED
        now = now or timezone.now()
        if now < self.opens_at:
            return Phase.UPCOMING
        if now < self.closes_at:
            return Phase.OPEN
        return Phase.CLOSED

    def phase_label(self, now: datetime.datetime | None = None) -> str:
        return str(Phase(self.phase(now)).label)

    def is_open(self, now: datetime.datetime | None = None) -> bool:
        return self.phase(now) == Phase.OPEN

    def is_closed(self, now: datetime.datetime | None = None) -> bool:
        return self.phase(now) == Phase.CLOSED

    @property
    def is_editable(self) -> bool:
        """Questions and every setting change only in a draft."""
        return self.state == PollState.DRAFT


class PollQuestion(models.Model):
    poll = models.ForeignKey(
        Poll, verbose_name=_("poll"), on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=QUESTION_MAX)
    required = models.BooleanField(_("an answer is required"), default=True)
    max_choices = models.PositiveSmallIntegerField(
        _("at most this many choices"),
        null=True,
        blank=True,
        help_text=_("Multiple choice only. Leave empty to allow every option."),
    )
    answer_count = models.PositiveIntegerField(_("people who answered"), default=0)

    class Meta:
        verbose_name = _("poll question")
        verbose_name_plural = _("poll questions")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "position"], name="polls_question_position"),
            models.CheckConstraint(condition=~Q(text=""), name="polls_question_has_text"),
            models.CheckConstraint(
                condition=Q(kind__in=QuestionKind.values), name="polls_question_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(max_choices__isnull=True)
                | Q(kind=QuestionKind.MULTIPLE, max_choices__gte=1),
                name="polls_question_max_choices_multiple",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_choice(self) -> bool:
        return self.kind in CHOICE_KINDS


class PollOption(models.Model):
    question = models.ForeignKey(
        PollQuestion, verbose_name=_("question"), on_delete=models.CASCADE, related_name="options"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("option"), max_length=OPTION_MAX)
    vote_count = models.PositiveIntegerField(_("votes"), default=0)

    class Meta:
        verbose_name = _("poll option")
        verbose_name_plural = _("poll options")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["question", "position"], name="polls_option_position"),
            models.CheckConstraint(condition=~Q(text=""), name="polls_option_has_text"),
        ]

    def __str__(self) -> str:
        return self.text


def respondent_token() -> str:
    return uuid.uuid4().hex


class Submission(models.Model):
    """One person's taking part in one poll. The unique constraint is the last word on
    "one submission per person", whatever the screens checked before."""

    poll = models.ForeignKey(
        Poll, verbose_name=_("poll"), on_delete=models.PROTECT, related_name="submissions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="poll_submissions",
    )
    respondent = models.CharField(
        _("respondent token"),
        max_length=32,
        unique=True,
        default=respondent_token,
        editable=False,
        help_text=_("Random: the only identifier in the anonymised export."),
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        verbose_name = _("poll submission")
        verbose_name_plural = _("poll submissions")
        ordering = ["submitted_at", "pk"]
        indexes = [
            models.Index(fields=["user", "poll"], name="polls_submission_user_poll"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "user"],
                name="polls_one_submission_per_user",
                violation_error_message=_("You have already taken part in this poll."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.poll_id}: {self.respondent}"


class PollAnswer(models.Model):
    """An option chosen (one row per option of a multiple choice) or a short text."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.PROTECT, related_name="answers"
    )
    question = models.ForeignKey(
        PollQuestion, verbose_name=_("question"), on_delete=models.PROTECT, related_name="answers"
    )
    option = models.ForeignKey(
        PollOption,
        verbose_name=_("option"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="answers",
    )
    text = models.TextField(_("answer"), max_length=ANSWER_TEXT_MAX, blank=True)

    class Meta:
        verbose_name = _("poll answer")
        verbose_name_plural = _("poll answers")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(option__isnull=False) & Q(text=""))
                | (Q(option__isnull=True) & ~Q(text="")),
                name="polls_answer_option_or_text",
            ),
            models.UniqueConstraint(
                fields=["submission", "option"],
                condition=Q(option__isnull=False),
                name="polls_answer_option_once",
            ),
            models.UniqueConstraint(
                fields=["submission", "question"],
                condition=Q(option__isnull=True),
                name="polls_answer_one_text",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.submission_id} / {self.question_id}"
