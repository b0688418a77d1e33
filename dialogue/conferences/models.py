"""Internet conferences: an agency's official answers citizens' questions at a set time.

A conference is *scheduled* or *cancelled* (stored: cancelling is a decision, with its
reason and date, and the row stays). Everything else a clock decides is derived from the
dates, never stored: before `starts_at` it is **upcoming** (questions are sent, voted on
and moderated), from `starts_at` until `ends_at` **live** (the official answers; questions
and votes still come in), afterwards **archived** (a transcript). `ConferenceQuerySet`
filters by phase and `Conference.phase(now)` names it; no job has to flip a flag.

Counters (`question_count`, `answered_count`, `pending_count` on the conference,
`vote_count` on a question) are denormalised and changed with `F()` in the same
transaction as the row they count, so no page counts rows. docs/conferences.md describes
the whole module.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ashyq.i18n import TranslatedField
from moderation.models import HideReason

TOPIC_MAX = 200
DESCRIPTION_MAX = 5000
QUESTION_MAX = 1000
ANSWER_MAX = 10000
NOTE_MAX = 2000
LIVE_GROUP_KIND = "conference"


def live_group(conference_id: int) -> str:
    """The websocket group of a conference's page: answers, new questions, viewers."""
    return f"{LIVE_GROUP_KIND}.{conference_id}"


class ConferenceState(models.TextChoices):
    SCHEDULED = "scheduled", _("scheduled")
    CANCELLED = "cancelled", _("cancelled")


class Phase(models.TextChoices):
    """Derived from the dates (and `cancelled`); never stored."""

    UPCOMING = "upcoming", _("upcoming")
    LIVE = "live", _("live now")
    ARCHIVED = "archived", _("archived")
    CANCELLED = "cancelled", _("cancelled")


class ConferenceQuerySet(models.QuerySet):
    def scheduled(self):
        return self.filter(state=ConferenceState.SCHEDULED)

    def upcoming(self, now: datetime.datetime | None = None):
        return self.scheduled().filter(starts_at__gt=now or timezone.now())

    def live(self, now: datetime.datetime | None = None):
        now = now or timezone.now()
        return self.scheduled().filter(starts_at__lte=now, ends_at__gt=now)

    def archived(self, now: datetime.datetime | None = None):
        return self.scheduled().filter(ends_at__lte=now or timezone.now())

    def cancelled(self):
        return self.filter(state=ConferenceState.CANCELLED)

    def taking_questions(self, now: datetime.datetime | None = None):
        """Upcoming or live: questions and votes are accepted until the end."""
        return self.scheduled().filter(ends_at__gt=now or timezone.now())

    def in_phase(self, phase: str, now: datetime.datetime | None = None):
        if phase == Phase.UPCOMING:
            return self.upcoming(now)
        if phase == Phase.LIVE:
            return self.live(now)
        if phase == Phase.ARCHIVED:
            return self.archived(now)
        if phase == Phase.CANCELLED:
            return self.cancelled()
        raise ValueError(f"Unknown phase: {phase!r}")


class Conference(models.Model):
    """One internet conference of an agency's official (who must be a member of the
    agency). The official's name and position are copied when scheduled (and when the
    official is changed), so the transcript keeps the title they held that day."""

    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="conferences",
    )
    official = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("official"),
        on_delete=models.PROTECT,
        related_name="conferences_hosted",
        help_text=_("The member of the agency who answers the questions."),
    )
    official_name = models.CharField(_("official's name"), max_length=255)
    official_position_kk = models.CharField(
        _("official's position (Kazakh)"), max_length=255, blank=True
    )
    official_position_ru = models.CharField(
        _("official's position (Russian)"), max_length=255, blank=True
    )
    official_position_en = models.CharField(
        _("official's position (English)"), max_length=255, blank=True
    )
    topic = models.CharField(_("topic"), max_length=TOPIC_MAX)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX, blank=True)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=ConferenceState.choices,
        default=ConferenceState.SCHEDULED,
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("scheduled by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    question_count = models.PositiveIntegerField(_("published questions"), default=0)
    answered_count = models.PositiveIntegerField(_("answered questions"), default=0)
    pending_count = models.PositiveIntegerField(_("questions awaiting moderation"), default=0)

    official_position = TranslatedField("official_position")

    objects = ConferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("internet conference")
        verbose_name_plural = _("internet conferences")
        ordering = ["-starts_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "starts_at"], name="conferences_state_starts"),
            models.Index(fields=["state", "ends_at"], name="conferences_state_ends"),
            models.Index(fields=["agency", "-starts_at"], name="conferences_agency_starts"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="conferences_ends_after_start",
                violation_error_message=_("The conference must end after it starts."),
            ),
            models.CheckConstraint(condition=~Q(topic=""), name="conferences_has_topic"),
            models.CheckConstraint(
                condition=Q(state__in=ConferenceState.values), name="conferences_state_valid"
            ),
            models.CheckConstraint(
                condition=~Q(state=ConferenceState.CANCELLED)
                | (Q(cancelled_at__isnull=False) & ~Q(cancellation_reason="")),
                name="conferences_cancelled_has_reason",
                violation_error_message=_("A cancellation needs a reason."),
            ),
        ]

    def __str__(self) -> str:
        return self.topic

    def get_absolute_url(self) -> str:
        try:
            return reverse("conferences:detail", args=[self.pk])
        except NoReverseMatch:
            return f"/dialogue/conferences/{self.pk}/"

    @property
    def live_group(self) -> str:
        return live_group(self.pk)

    def phase(self, now: datetime.datetime | None = None) -> str:
        now = now or timezone.now()
        if self.state == ConferenceState.CANCELLED:
            return Phase.CANCELLED
        if now < self.starts_at:
            return Phase.UPCOMING
        if now < self.ends_at:
            return Phase.LIVE
        return Phase.ARCHIVED

    def phase_label(self, now: datetime.datetime | None = None) -> str:
        return str(Phase(self.phase(now)).label)

    def takes_questions(self, now: datetime.datetime | None = None) -> bool:
        """Questions may be sent and voted on: upcoming or live."""
        return self.phase(now) in (Phase.UPCOMING, Phase.LIVE)

    def is_live(self, now: datetime.datetime | None = None) -> bool:
        return self.phase(now) == Phase.LIVE


class QuestionState(models.TextChoices):
    SUBMITTED = "submitted", _("awaiting moderation")
    PUBLISHED = "published", _("published")
    REJECTED = "rejected", _("rejected")


class RejectionReason(models.TextChoices):
    """The published list of reasons a conference question may be rejected for."""

    OFF_TOPIC = "off_topic", _("not on the conference's topic")
    DUPLICATE = "duplicate", _("repeats a published question")
    NOT_A_QUESTION = "not_a_question", _("not a question")
    ABUSIVE = "abusive", _("abusive or insulting language")
    PERSONAL_DATA = "personal_data", _("contains personal data")
    ADVERTISING = "advertising", _("advertising or spam")


class QuestionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=QuestionState.PUBLISHED)

    def visible(self):
        """What the public sees: published and not hidden by a moderator."""
        return self.published().filter(hidden_at__isnull=True)

    def answered(self):
        return self.filter(answered_at__isnull=False)

    def unanswered(self):
        return self.filter(answered_at__isnull=True)

    def convertible(self):
        """Published, visible, unanswered and not yet a blog question."""
        return self.visible().unanswered().filter(blog_question__isnull=True)


class ConferenceQuestion(models.Model):
    """A citizen's question to a conference. Moderators publish or reject it; the
    official (or the agency's head or a responder on their behalf) answers it during the
    live window. Who actually answered is kept, with their name and position as then."""

    State = QuestionState
    RejectionReason = RejectionReason

    conference = models.ForeignKey(
        Conference,
        verbose_name=_("conference"),
        on_delete=models.PROTECT,
        related_name="questions",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="conference_questions",
    )
    text = models.TextField(_("question"), max_length=QUESTION_MAX)
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=QuestionState.choices,
        default=QuestionState.SUBMITTED,
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    rejected_at = models.DateTimeField(_("rejected at"), null=True, blank=True)
    rejection_reason = models.CharField(
        _("reason for rejection"), max_length=32, choices=RejectionReason.choices, blank=True
    )
    rejection_note = models.TextField(_("moderator's note"), max_length=NOTE_MAX, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    vote_count = models.PositiveIntegerField(_("votes"), default=0)
    answer_text = models.TextField(_("answer"), max_length=ANSWER_MAX, blank=True)
    answer_html = models.TextField(_("answer (HTML)"), blank=True, editable=False)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="conference_answers",
    )
    answered_by_name = models.CharField(_("answerer's name"), max_length=255, blank=True)
    answered_by_position_kk = models.CharField(
        _("answerer's position (Kazakh)"), max_length=255, blank=True
    )
    answered_by_position_ru = models.CharField(
        _("answerer's position (Russian)"), max_length=255, blank=True
    )
    answered_by_position_en = models.CharField(
        _("answerer's position (English)"), max_length=255, blank=True
    )
    blog_question = models.OneToOneField(
        "blogs.Question",
        verbose_name=_("blog question"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="conference_question",
        help_text=_("The blog question this unanswered question became after the conference."),
    )
    converted_at = models.DateTimeField(_("made a blog question at"), null=True, blank=True)
    converted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made a blog question by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Moderation after publication (`moderation.registry`): the text stays, the public
    # sees a placeholder with the reason.
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_reason = models.CharField(
        _("reason for hiding"), max_length=32, choices=HideReason.choices, blank=True
    )
    hidden_note = models.TextField(_("moderator's note on hiding"), blank=True)

    answered_by_position = TranslatedField("answered_by_position")

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("conference question")
        verbose_name_plural = _("conference questions")
        ordering = ["-vote_count", "submitted_at", "pk"]
        indexes = [
            models.Index(fields=["conference", "state", "-vote_count"], name="conferences_q_votes"),
            models.Index(
                fields=["conference", "state", "-published_at"], name="conferences_q_newest"
            ),
            models.Index(fields=["conference", "answered_at"], name="conferences_q_answered"),
            models.Index(fields=["author", "-submitted_at"], name="conferences_q_author"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="conferences_q_has_text"),
            models.CheckConstraint(
                condition=Q(state__in=QuestionState.values), name="conferences_q_state_valid"
            ),
            models.CheckConstraint(
                condition=~Q(state=QuestionState.PUBLISHED) | Q(published_at__isnull=False),
                name="conferences_q_published_dated",
            ),
            models.CheckConstraint(
                condition=~Q(state=QuestionState.REJECTED)
                | (Q(rejected_at__isnull=False) & ~Q(rejection_reason="")),
                name="conferences_q_rejected_has_reason",
                violation_error_message=_("A rejection needs a reason."),
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True)
                | (
                    Q(state=QuestionState.PUBLISHED, answered_by__isnull=False) & ~Q(answer_text="")
                ),
                name="conferences_q_answer_complete",
                violation_error_message=_("Only a published question is answered, with text."),
            ),
            models.CheckConstraint(
                condition=Q(answer_text="") | Q(answered_at__isnull=False),
                name="conferences_q_answer_dated",
            ),
            models.CheckConstraint(
                condition=Q(blog_question__isnull=True)
                | Q(answered_at__isnull=True, converted_at__isnull=False),
                name="conferences_q_converted_unanswered",
                violation_error_message=_("Only an unanswered question becomes a blog question."),
            ),
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""),
                name="conferences_q_hidden_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.text[:60]}"

    def get_absolute_url(self) -> str:
        """The question on its conference's page (no query: the conference id is enough)."""
        try:
            url = reverse("conferences:detail", args=[self.conference_id])
        except NoReverseMatch:
            url = f"/dialogue/conferences/{self.conference_id}/"
        return f"{url}#question-{self.pk}"

    @property
    def is_published(self) -> bool:
        return self.state == QuestionState.PUBLISHED

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    @property
    def answered_on_behalf(self) -> bool:
        """Someone other than the official answered (the head or a responder)."""
        return self.answered_by_id is not None and (
            self.answered_by_id != self.conference.official_id
        )


class QuestionVote(models.Model):
    """One person's up-vote of a question: at most one per person and question."""

    question = models.ForeignKey(
        ConferenceQuestion,
        verbose_name=_("question"),
        on_delete=models.CASCADE,
        related_name="votes",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voter"),
        on_delete=models.PROTECT,
        related_name="conference_votes",
    )
    created_at = models.DateTimeField(_("voted at"), default=timezone.now)

    class Meta:
        verbose_name = _("question vote")
        verbose_name_plural = _("question votes")
        constraints = [
            models.UniqueConstraint(
                fields=["question", "user"],
                name="conferences_one_vote_per_person",
                violation_error_message=_("You have already voted for this question."),
            ),
        ]
        indexes = [models.Index(fields=["user", "question"], name="conferences_vote_user")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.question_id}"
