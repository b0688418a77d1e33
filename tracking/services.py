"""Every change to an obligation. Feature modules call these from their own services
(`question_publish` opens, `question_answer` fulfils, ...).

Each function is atomic, writes one `ObligationEvent`, and refuses a transition the
obligation's state does not allow with `ObligationError` (its message is translated and
can be shown to the person). They decide *what* may happen; *who* may do it is the
caller's check, with the predicates of `tracking/rules.py` (the system itself, e.g. a
petition reaching its threshold, acts with `actor=None`).

Redirects: the new agency gets a fresh period of the kind's deadline, counted from the
redirect (the clock "moves with" the obligation, as the Administrative Procedural Code
does for an appeal sent on to the competent body). `opened_at` keeps the day the duty
first arose, so "days to answer" stays the citizen's view.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Agency

from . import calendar, kinds
from .models import Obligation, ObligationEvent, ObligationRedirect


class ObligationError(Exception):
    """A refused transition. `str(error)` is a translated, human-readable reason."""


def _kind_of(obligation: Obligation) -> kinds.ObligationKind:
    kind = kinds.get(obligation.kind)
    if kind is None:
        raise ObligationError(_("Unknown obligation kind: %(kind)s") % {"kind": obligation.kind})
    return kind


def _locked(obligation: Obligation) -> Obligation:
    """Re-read the row under a lock, so two concurrent changes cannot both pass the checks."""
    fresh = Obligation.objects.select_for_update().get(pk=obligation.pk)
    for field in Obligation._meta.concrete_fields:
        setattr(obligation, field.attname, getattr(fresh, field.attname))
    return obligation


def _ensure_open(obligation: Obligation) -> None:
    if obligation.withdrawn_at:
        raise ObligationError(_("This obligation was withdrawn."))
    if obligation.answered_at:
        raise ObligationError(_("This obligation has already been answered."))


def _event(obligation: Obligation, kind: str, actor, at: datetime.datetime, **data) -> None:
    ObligationEvent.objects.create(
        obligation=obligation,
        kind=kind,
        actor=actor if getattr(actor, "pk", None) else None,
        at=at,
        data=data,
    )


def _iso(moment: datetime.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def _notify_on_commit(obligation: Obligation, *, kind: str, actor, body: str) -> None:
    """Tell the subject's followers (and the kind's extra recipients) after commit."""
    obligation_kind = kinds.get(obligation.kind)
    if obligation_kind is not None and not obligation_kind.notifies:
        return

    def send() -> None:
        from notifications.services import notify_followers

        subject = obligation.subject
        if subject is None or obligation_kind is None:
            return
        recipients_of = obligation_kind.recipients_of
        extra = list(recipients_of(subject)) if recipients_of else []
        notify_followers(
            target=subject,
            kind=kind,
            actor=actor if getattr(actor, "pk", None) else None,
            title=obligation_kind.title_of(subject),
            url=obligation_kind.url_of(subject),
            body=body,
            data={"obligation": obligation.pk},
            extra_recipients=extra,
        )

    transaction.on_commit(send)


@transaction.atomic
def obligation_open(
    *,
    subject: Any,
    agency: Agency,
    kind: str,
    actor: Any = None,
    opened_at: datetime.datetime | None = None,
    clock_starts_at: datetime.datetime | None = None,
) -> Obligation:
    """The agency now owes an answer on `subject`, due by the kind's deadline rule.

    The period counts from `opened_at`, or from `clock_starts_at` when the duty arises now
    but its clock only starts later (a comment on a draft act is owed an answer N working
    days after the discussion *closes*). It may not start before the opening."""
    obligation_kind = kinds.get(kind)
    if obligation_kind is None:
        raise ObligationError(_("Unknown obligation kind: %(kind)s") % {"kind": kind})
    if subject is None or subject.pk is None:
        raise ObligationError(_("An obligation needs a saved subject."))
    opened_at = opened_at or timezone.now()
    if timezone.is_naive(opened_at):
        raise ObligationError(_("Times must carry a time zone."))
    clock_starts_at = clock_starts_at or opened_at
    if timezone.is_naive(clock_starts_at):
        raise ObligationError(_("Times must carry a time zone."))
    if clock_starts_at < opened_at:
        raise ObligationError(_("The clock cannot start before the obligation opens."))
    due_at = obligation_kind.deadline.due_from(clock_starts_at)
    obligation = Obligation.objects.create(
        content_type=ContentType.objects.get_for_model(subject),
        object_id=str(subject.pk),
        agency=agency,
        kind=kind,
        opened_at=opened_at,
        clock_started_at=clock_starts_at,
        due_at=due_at,
        original_due_at=due_at,
    )
    _event(
        obligation,
        ObligationEvent.Kind.OPENED,
        actor,
        opened_at,
        agency=agency.slug,
        due_at=_iso(due_at),
    )
    return obligation


@transaction.atomic
def obligation_acknowledge(*, obligation: Obligation, actor: Any) -> Obligation:
    """The agency confirmed it received the matter: a first response, not an answer."""
    _locked(obligation)
    _ensure_open(obligation)
    if obligation.first_response_at:
        raise ObligationError(_("This obligation has already been acknowledged."))
    now = timezone.now()
    obligation.first_response_at = now
    obligation.save(update_fields=["first_response_at"])
    _event(obligation, ObligationEvent.Kind.ACKNOWLEDGED, actor, now)
    return obligation


def extension_cap_date(obligation: Obligation) -> datetime.date | None:
    """The latest date the deadline may be extended to: the kind's cap, counted from the
    start of the current agency's period. None when the kind allows no extension."""
    obligation_kind = kinds.get(obligation.kind)
    if obligation_kind is None or obligation_kind.extension_cap is None:
        return None
    return obligation_kind.extension_cap.due_date(calendar.local_date(obligation.clock_started_at))


def redirect_window_end(obligation: Obligation) -> datetime.datetime | None:
    """The moment the current agency can no longer send the obligation on. None when the
    kind cannot be redirected."""
    obligation_kind = kinds.get(obligation.kind)
    if obligation_kind is None or obligation_kind.redirect_window is None:
        return None
    return obligation_kind.redirect_window.due_from(obligation.clock_started_at)


@transaction.atomic
def obligation_extend(
    *, obligation: Obligation, new_due_date: datetime.date, reason: str, actor: Any
) -> Obligation:
    """Move the due date once, with a reason, to at most the kind's cap from the start of
    the current agency's period. The subject's followers are told."""
    _locked(obligation)
    _ensure_open(obligation)
    obligation_kind = _kind_of(obligation)
    reason = (reason or "").strip()
    now = timezone.now()
    if obligation_kind.extension_cap is None:
        raise ObligationError(_("This kind of obligation cannot be extended."))
    if obligation.extended_due_at:
        raise ObligationError(_("The deadline has already been extended once."))
    if not reason:
        raise ObligationError(_("Give the reason for the extension."))
    if obligation.due_at < now:
        raise ObligationError(_("An overdue obligation cannot be extended."))
    current_due_date = calendar.local_date(obligation.due_at)
    if new_due_date <= current_due_date:
        raise ObligationError(
            _("The new date must be after the current due date, %(date)s.")
            % {"date": current_due_date.isoformat()}
        )
    cap = extension_cap_date(obligation)
    if new_due_date > cap:
        raise ObligationError(
            _("The deadline can be extended to %(date)s at the latest.") % {"date": cap.isoformat()}
        )
    previous_due_at = obligation.due_at
    obligation.due_at = obligation.extended_due_at = calendar.end_of_day(new_due_date)
    obligation.extension_reason = reason
    obligation.extended_by = actor if getattr(actor, "pk", None) else None
    obligation.extended_at = now
    obligation.save(
        update_fields=[
            "due_at",
            "extended_due_at",
            "extension_reason",
            "extended_by",
            "extended_at",
        ]
    )
    _event(
        obligation,
        ObligationEvent.Kind.EXTENDED,
        actor,
        now,
        previous_due_at=_iso(previous_due_at),
        due_at=_iso(obligation.due_at),
        reason=reason,
    )
    _notify_on_commit(
        obligation,
        kind="obligation_extended",
        actor=actor,
        body=_("The deadline for the answer was extended to %(date)s. Reason: %(reason)s")
        % {"date": new_due_date.isoformat(), "reason": reason},
    )
    return obligation


@transaction.atomic
def obligation_redirect(
    *, obligation: Obligation, to_agency: Agency, reason: str, actor: Any
) -> Obligation:
    """Send the obligation to the competent agency, within the kind's redirect window
    (3 working days by default) of receiving it. The new agency gets a fresh period."""
    _locked(obligation)
    _ensure_open(obligation)
    obligation_kind = _kind_of(obligation)
    reason = (reason or "").strip()
    now = timezone.now()
    if obligation_kind.redirect_window is None:
        raise ObligationError(_("This kind of obligation cannot be redirected."))
    if to_agency.pk == obligation.agency_id:
        raise ObligationError(_("The obligation is already with this agency."))
    if not reason:
        raise ObligationError(_("Give the reason for the redirect."))
    if obligation.extended_due_at:
        raise ObligationError(_("An extended obligation cannot be redirected."))
    window_ends = redirect_window_end(obligation)
    if now > window_ends:
        raise ObligationError(
            _("The time to redirect ended on %(date)s.")
            % {"date": calendar.local_date(window_ends).isoformat()}
        )
    previous_agency = obligation.agency
    previous_due_at = obligation.due_at
    new_due_at = obligation_kind.deadline.due_from(now)
    ObligationRedirect.objects.create(
        obligation=obligation,
        from_agency=previous_agency,
        to_agency=to_agency,
        at=now,
        reason=reason,
        actor=actor if getattr(actor, "pk", None) else None,
        previous_due_at=previous_due_at,
        new_due_at=new_due_at,
    )
    obligation.agency = to_agency
    obligation.clock_started_at = now
    obligation.due_at = new_due_at
    obligation.save(update_fields=["agency", "clock_started_at", "due_at"])
    _event(
        obligation,
        ObligationEvent.Kind.REDIRECTED,
        actor,
        now,
        from_agency=previous_agency.slug,
        to_agency=to_agency.slug,
        previous_due_at=_iso(previous_due_at),
        due_at=_iso(new_due_at),
        reason=reason,
    )
    _notify_on_commit(
        obligation,
        kind="obligation_redirected",
        actor=actor,
        body=_("Sent on to %(agency)s, which must answer by %(date)s. Reason: %(reason)s")
        % {
            "agency": to_agency.name,
            "date": calendar.local_date(new_due_at).isoformat(),
            "reason": reason,
        },
    )
    return obligation


@transaction.atomic
def obligation_restart(
    *, obligation: Obligation, clock_starts_at: datetime.datetime, actor: Any, reason: str
) -> Obligation:
    """Move a clock that has not started yet to a later start (a draft act's discussion
    was extended, so the duties counted from its close start later). The kind's period
    counts again from the new start; nothing was late, so the original due date moves too.
    Refused once the clock has started: that would hide lateness."""
    _locked(obligation)
    _ensure_open(obligation)
    reason = (reason or "").strip()
    if not reason:
        raise ObligationError(_("Give the reason for moving the start."))
    if timezone.is_naive(clock_starts_at):
        raise ObligationError(_("Times must carry a time zone."))
    now = timezone.now()
    if obligation.clock_started_at <= now:
        raise ObligationError(_("The clock has already started and cannot be moved."))
    if clock_starts_at <= obligation.clock_started_at:
        raise ObligationError(_("The new start must be later than the current one."))
    previous_due_at = obligation.due_at
    due_at = _kind_of(obligation).deadline.due_from(clock_starts_at)
    obligation.clock_started_at = clock_starts_at
    obligation.due_at = due_at
    obligation.original_due_at = due_at
    obligation.save(update_fields=["clock_started_at", "due_at", "original_due_at"])
    _event(
        obligation,
        ObligationEvent.Kind.RESTARTED,
        actor,
        now,
        clock_starts_at=_iso(clock_starts_at),
        previous_due_at=_iso(previous_due_at),
        due_at=_iso(due_at),
        reason=reason,
    )
    return obligation


@transaction.atomic
def obligation_fulfil(
    *,
    obligation: Obligation,
    actor: Any,
    outcome: str = "",
    outcome_text: str = "",
    answered_at: datetime.datetime | None = None,
) -> Obligation:
    """The final answer was given. If nothing was said before, it is the first response too."""
    _locked(obligation)
    _ensure_open(obligation)
    now = timezone.now()
    answered_at = answered_at or now
    if timezone.is_naive(answered_at):
        raise ObligationError(_("Times must carry a time zone."))
    if answered_at < obligation.opened_at:
        raise ObligationError(_("The answer cannot come before the obligation was opened."))
    if answered_at > now:
        raise ObligationError(_("The answer cannot be dated in the future."))
    obligation.answered_at = answered_at
    obligation.outcome = outcome[:64]
    obligation.outcome_text = outcome_text
    fields = ["answered_at", "outcome", "outcome_text"]
    if not obligation.first_response_at:
        obligation.first_response_at = answered_at
        fields.append("first_response_at")
    obligation.save(update_fields=fields)
    _event(
        obligation,
        ObligationEvent.Kind.ANSWERED,
        actor,
        now,
        answered_at=_iso(answered_at),
        outcome=obligation.outcome,
        on_time=answered_at <= obligation.due_at,
    )
    _notify_on_commit(
        obligation,
        kind="obligation_answered",
        actor=actor,
        body=_("The agency has given its answer."),
    )
    return obligation


@transaction.atomic
def obligation_withdraw(*, obligation: Obligation, actor: Any, reason: str) -> Obligation:
    """The duty ended without an answer being owed (the asker withdrew, the subject was
    rejected). The row stays, with the reason."""
    _locked(obligation)
    _ensure_open(obligation)
    reason = (reason or "").strip()
    if not reason:
        raise ObligationError(_("Give the reason for the withdrawal."))
    now = timezone.now()
    obligation.withdrawn_at = now
    obligation.withdrawal_reason = reason
    obligation.save(update_fields=["withdrawn_at", "withdrawal_reason"])
    _event(obligation, ObligationEvent.Kind.WITHDRAWN, actor, now, reason=reason)
    return obligation
