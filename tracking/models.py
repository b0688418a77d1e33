"""The calendar's overrides and the obligations ledger.

An `Obligation` stores dates only. Whether it is open, overdue, due soon, answered on
time or late is computed from them (`ObligationQuerySet`), never stored.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ashyq.i18n import TranslatedField
from ashyq.models import AppendOnlyError, AppendOnlyModel  # noqa: F401  (AppendOnlyError re-exported)

from . import calendar


class CalendarDay(models.Model):
    """A government decision that overrides the ordinary calendar for one day."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Extra day off")
        WORKING_DAY = "working_day", _("Transferred working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    reason_kk = models.CharField(_("reason (Kazakh)"), max_length=255)
    reason_ru = models.CharField(_("reason (Russian)"), max_length=255)
    reason_en = models.CharField(_("reason (English)"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    reason = TranslatedField("reason")

    class Meta:
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} · {self.get_kind_display()}"

    def save(self, *args, **kwargs) -> None:
        previous = (
            CalendarDay.objects.filter(pk=self.pk).values_list("date", flat=True).first()
            if self.pk
            else None
        )
        super().save(*args, **kwargs)
        self.date = self._meta.get_field("date").to_python(self.date)
        calendar.invalidate(self.date.year)
        if previous and previous.year != self.date.year:
            calendar.invalidate(previous.year)


@receiver(post_delete, sender=CalendarDay)
def _calendar_day_deleted(sender, instance: CalendarDay, **kwargs) -> None:
    """A signal, not a delete() override, so bulk deletes (which Django runs row by row
    when a receiver listens) refresh the cache too."""
    calendar.invalidate(CalendarDay._meta.get_field("date").to_python(instance.date).year)


class ObligationQuerySet(models.QuerySet):
    def open(self):
        """Not answered and not withdrawn: still owed, waiting on the citizen included."""
        return self.filter(answered_at__isnull=True, withdrawn_at__isnull=True)

    def waiting(self):
        """Open, with the clock stopped while the agency waits on the citizen."""
        return self.open().filter(waiting_since__isnull=False)

    def running(self):
        """Open with the clock running (not waiting on the citizen)."""
        return self.open().filter(waiting_since__isnull=True)

    def answered(self):
        return self.filter(answered_at__isnull=False)

    def withdrawn(self):
        return self.filter(withdrawn_at__isnull=False)

    def overdue(self, now: datetime.datetime | None = None):
        """Open, running and past `due_at`: a waiting obligation is never overdue."""
        return self.running().filter(due_at__lt=now or timezone.now())

    def not_overdue(self, now: datetime.datetime | None = None):
        """Open and not overdue: running within its due date, or waiting on the citizen."""
        return self.open().filter(
            Q(waiting_since__isnull=False) | Q(due_at__gte=now or timezone.now())
        )

    def due_soon(self, days: int = 3, now: datetime.datetime | None = None):
        """Open, running, not yet overdue, and due within the next `days` working days."""
        now = now or timezone.now()
        limit = calendar.end_of_day(calendar.add_working_days(calendar.local_date(now), days))
        return self.running().filter(due_at__gte=now, due_at__lte=limit)

    def answered_on_time(self):
        return self.filter(answered_at__isnull=False, answered_at__lte=F("due_at"))

    def answered_late(self):
        return self.filter(answered_at__isnull=False, answered_at__gt=F("due_at"))

    def rated(self):
        return self.exclude(rating="")

    def for_agency(self, agency):
        return self.filter(agency=agency)

    def with_status(self, now: datetime.datetime | None = None):
        """Annotate `status` (one of Obligation.Status) for ordering and filtering."""
        now = now or timezone.now()
        return self.annotate(
            status=Case(
                When(withdrawn_at__isnull=False, then=Value(Obligation.Status.WITHDRAWN)),
                When(
                    answered_at__isnull=False,
                    answered_at__lte=F("due_at"),
                    then=Value(Obligation.Status.ANSWERED_ON_TIME),
                ),
                When(answered_at__isnull=False, then=Value(Obligation.Status.ANSWERED_LATE)),
                When(waiting_since__isnull=False, then=Value(Obligation.Status.WAITING)),
                When(due_at__lt=now, then=Value(Obligation.Status.OVERDUE)),
                default=Value(Obligation.Status.OPEN),
                output_field=models.CharField(),
            )
        )

    def filtered(
        self,
        *,
        agency: str = "",
        kind: str = "",
        status: str = "",
        opened_after: datetime.date | None = None,
        opened_before: datetime.date | None = None,
        now: datetime.datetime | None = None,
    ):
        """The open-data filters (the API, its downloads and the obligations page): an
        agency's slug, a kind, a status (`Obligation.Status`) and the opening day's range,
        inclusive, in Astana dates."""
        queryset = self
        if agency:
            queryset = queryset.filter(agency__slug=agency)
        if kind:
            queryset = queryset.filter(kind=kind)
        if status:
            queryset = queryset.with_status_filter(status, now)
        if opened_after:
            day_before = opened_after - datetime.timedelta(days=1)
            queryset = queryset.filter(opened_at__gte=calendar.end_of_day(day_before))
        if opened_before:
            queryset = queryset.filter(opened_at__lte=calendar.end_of_day(opened_before))
        return queryset

    def with_status_filter(self, status: str, now: datetime.datetime | None = None):
        """The rows `with_status(now)` would give `status` (the filters agree exactly)."""
        Status = Obligation.Status
        return {
            Status.OPEN: lambda: self.running().filter(due_at__gte=now or timezone.now()),
            Status.WAITING: self.waiting,
            Status.OVERDUE: lambda: self.overdue(now),
            Status.ANSWERED_ON_TIME: self.answered_on_time,
            Status.ANSWERED_LATE: self.answered_late,
            Status.WITHDRAWN: self.withdrawn,
        }[status]()


class Obligation(models.Model):
    """One duty of an agency to answer something, with its clock."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        WAITING = "waiting", _("Waiting on the citizen")
        OVERDUE = "overdue", _("Overdue")
        ANSWERED_ON_TIME = "answered_on_time", _("Answered on time")
        ANSWERED_LATE = "answered_late", _("Answered late")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Rating(models.TextChoices):
        """The citizen's verdict on the final answer (the same values as blogs' ratings)."""

        SATISFIED = "satisfied", _("Satisfied")
        NOT_SATISFIED = "not_satisfied", _("Not satisfied")
        BRUSH_OFF = "brush_off", _("A formal brush-off, not an answer")

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("subject type"), on_delete=models.PROTECT
    )
    object_id = models.CharField(_("subject id"), max_length=64)
    subject = GenericForeignKey("content_type", "object_id")
    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="obligations",
    )
    kind = models.CharField(_("kind"), max_length=64, db_index=True)
    opened_at = models.DateTimeField(_("opened at"), db_index=True)
    clock_started_at = models.DateTimeField(
        _("clock started at"),
        help_text=_("When the current agency's period began: opening, or the last redirect."),
    )
    due_at = models.DateTimeField(_("due at"), db_index=True)
    original_due_at = models.DateTimeField(_("originally due at"))
    extended_due_at = models.DateTimeField(_("extended to"), null=True, blank=True)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    extended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("extended by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    extended_at = models.DateTimeField(_("extended at"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=64, blank=True)
    outcome_text = models.TextField(_("outcome details"), blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    # Waiting on the citizen (the agency asked for something only the citizen can give):
    # the clock stops; on resuming, the working days waited are added to `waited_days`
    # and `due_at` moves later by as many working days.
    waiting_since = models.DateTimeField(_("waiting on the citizen since"), null=True, blank=True)
    waited_days = models.PositiveIntegerField(_("working days waited on the citizen"), default=0)
    # Working days from the opening day to the first response / the final answer, minus
    # the working days spent waiting on the citizen before it. Stored when the response
    # or the answer is recorded (`tracking_recompute_days` after a calendar change).
    response_days = models.PositiveIntegerField(
        _("working days to the first response"), null=True, blank=True
    )
    answer_days = models.PositiveIntegerField(
        _("working days to the final answer"), null=True, blank=True
    )
    rating = models.CharField(
        _("citizen's rating"), max_length=16, choices=Rating.choices, blank=True
    )
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)

    objects = ObligationQuerySet.as_manager()

    class Meta:
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        ordering = ["-opened_at", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="tracking_obl_subject_idx"),
            models.Index(fields=["agency", "opened_at"], name="tracking_obl_agency_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_at__gte=F("opened_at")),
                name="tracking_obligation_due_after_opened",
            ),
            models.CheckConstraint(
                condition=Q(original_due_at__gte=F("opened_at")),
                name="tracking_obligation_original_due_after_opened",
            ),
            models.CheckConstraint(
                condition=Q(clock_started_at__gte=F("opened_at")),
                name="tracking_obligation_clock_after_opened",
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | Q(answered_at__gte=F("opened_at")),
                name="tracking_obligation_answered_after_opened",
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | Q(withdrawn_at__isnull=True),
                name="tracking_obligation_not_answered_and_withdrawn",
            ),
            models.CheckConstraint(
                condition=Q(extended_due_at__isnull=True) | ~Q(extension_reason=""),
                name="tracking_obligation_extension_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawal_reason=""),
                name="tracking_obligation_withdrawal_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(waiting_since__isnull=True)
                | Q(answered_at__isnull=True, withdrawn_at__isnull=True),
                name="tracking_obligation_waiting_only_while_open",
            ),
            models.CheckConstraint(
                condition=Q(rating="") | Q(answered_at__isnull=False, rated_at__isnull=False),
                name="tracking_obligation_rating_of_an_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def is_extended(self) -> bool:
        return self.extended_due_at is not None

    def status(self, now: datetime.datetime | None = None) -> str:
        """The same as `ObligationQuerySet.with_status`, on one loaded row."""
        if self.withdrawn_at:
            return self.Status.WITHDRAWN
        if self.answered_at:
            if self.answered_at <= self.due_at:
                return self.Status.ANSWERED_ON_TIME
            return self.Status.ANSWERED_LATE
        if self.waiting_since:
            return self.Status.WAITING
        if self.due_at < (now or timezone.now()):
            return self.Status.OVERDUE
        return self.Status.OPEN

    def days_to_answer(self, cal: calendar.WorkingCalendar | None = None) -> int | None:
        """Working days from opening to the final answer (counted as periods are)."""
        if not self.answered_at:
            return None
        return (cal or calendar.WorkingCalendar()).working_days_between(
            calendar.local_date(self.opened_at), calendar.local_date(self.answered_at)
        )


class ObligationRedirect(models.Model):
    """The obligation moved from one agency to another (outside the first one's remit)."""

    obligation = models.ForeignKey(Obligation, on_delete=models.PROTECT, related_name="redirects")
    from_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("from")
    )
    to_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("to")
    )
    at = models.DateTimeField(_("redirected at"))
    reason = models.TextField(_("reason"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    previous_due_at = models.DateTimeField(_("previously due at"))
    new_due_at = models.DateTimeField(_("now due at"))

    class Meta:
        verbose_name = _("redirect")
        verbose_name_plural = _("redirects")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["at"], name="tracking_redirect_at_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_agency=F("to_agency")),
                name="tracking_redirect_to_another_agency",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="tracking_redirect_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.from_agency_id} -> {self.to_agency_id} · {self.at:%Y-%m-%d}"


class ObligationEvent(AppendOnlyModel):
    """Append-only history of an obligation: every change, who made it, when."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Opened")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        EXTENDED = "extended", _("Extended")
        REDIRECTED = "redirected", _("Redirected")
        RESTARTED = "restarted", _("Start moved")
        WAITING = "waiting", _("Waiting on the citizen")
        RESUMED = "resumed", _("Resumed")
        ANSWERED = "answered", _("Answered")
        RATED = "rated", _("Rated")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    obligation = models.ForeignKey(Obligation, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("event"), max_length=16, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("obligation event")
        verbose_name_plural = _("obligation events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.at:%Y-%m-%d %H:%M}"
