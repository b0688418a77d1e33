"""What a person watches, and which obligations have already been announced as overdue.

A `Watch` is a saved filter over the obligations ledger: an agency, a kind of obligation,
or both, and the events to be told of. Single drafts, petitions and questions are not
watched here: people follow them (`notifications.Follow`) and the ledger tells their
followers itself.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tracking import kinds

ANSWERED = "answered"
EXTENDED = "extended"
REDIRECTED = "redirected"
OVERDUE = "overdue"
EVENTS = (ANSWERED, EXTENDED, REDIRECTED, OVERDUE)
EVENT_LABELS = {
    ANSWERED: _("Answered"),
    EXTENDED: _("Deadline extended"),
    REDIRECTED: _("Sent on to another agency"),
    OVERDUE: _("Overdue"),
}


def event_field(event: str) -> str:
    """The Boolean column of a watch that says whether `event` is wanted."""
    if event not in EVENTS:
        raise ValueError(f"Unknown watch event {event!r}")
    return f"on_{event}"


class Watch(models.Model):
    """A person's saved filter: tell me when obligations of this agency and/or this kind
    are answered, extended, redirected or become overdue."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watches"
    )
    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("agency"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("kind of obligation"), max_length=64, blank=True, db_index=True)
    name = models.CharField(_("name"), max_length=120, blank=True)
    on_answered = models.BooleanField(_("answered"), default=True)
    on_extended = models.BooleanField(_("deadline extended"), default=True)
    on_redirected = models.BooleanField(_("sent on to another agency"), default=True)
    on_overdue = models.BooleanField(_("overdue"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("watch")
        verbose_name_plural = _("watches")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # "Everything, everywhere" is the public overdue list and feed, not an alert.
            models.CheckConstraint(
                condition=Q(agency__isnull=False) | ~Q(kind=""),
                name="watchlists_watch_agency_or_kind",
            ),
            models.CheckConstraint(
                condition=Q(on_answered=True)
                | Q(on_extended=True)
                | Q(on_redirected=True)
                | Q(on_overdue=True),
                name="watchlists_watch_some_event",
            ),
            # Two partial constraints, because NULL agencies are distinct in a plain one.
            models.UniqueConstraint(
                fields=["user", "agency", "kind"],
                condition=Q(agency__isnull=False),
                name="watchlists_watch_unique_agency",
            ),
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=Q(agency__isnull=True),
                name="watchlists_watch_unique_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def events(self) -> list[str]:
        return [event for event in EVENTS if getattr(self, event_field(event))]

    @property
    def event_labels(self) -> list:
        return [EVENT_LABELS[event] for event in self.events]

    @property
    def kind_label(self) -> str:
        return kinds.label_of(self.kind) if self.kind else ""

    @property
    def label(self) -> str:
        """The person's name for it, else what it watches (in the active language)."""
        if self.name:
            return self.name
        parts = [str(self.agency) if self.agency_id else "", self.kind_label]
        return " · ".join(part for part in parts if part)

    def matches(self, *, agency_ids, kind: str, event: str) -> bool:
        return (
            getattr(self, event_field(event))
            and (self.agency_id is None or self.agency_id in agency_ids)
            and (not self.kind or self.kind == kind)
        )


class OverdueAlert(models.Model):
    """An obligation whose becoming overdue has been announced (or considered, when nobody
    watched it): each obligation is announced once."""

    obligation = models.OneToOneField(
        "tracking.Obligation", on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), db_index=True)

    class Meta:
        verbose_name = _("overdue alert")
        verbose_name_plural = _("overdue alerts")

    def __str__(self) -> str:
        return f"{self.obligation_id} @ {self.sent_at:%Y-%m-%d %H:%M}"
