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

Waiting on the citizen: `obligation_wait` stops the clock (the agency asked the citizen
for something only they can give), `obligation_resume` restarts it and moves the due date
later by the working days waited. While waiting, an obligation is never overdue and
cannot be extended or redirected; an answer or a withdrawal ends the wait.

Every event written is announced with `tracking.signals.obligation_event` after commit.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Agency

from . import calendar, kinds
from .models import Obligation, ObligationEvent, ObligationRedirect
from .signals import obligation_event


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


def _ensure_running(obligation: Obligation) -> None:
    if obligation.waiting_since:
        raise ObligationError(
            _("The clock is stopped while waiting on the citizen: resume it first.")
        )


def _event(obligation: Obligation, kind: str, actor, at: datetime.datetime, **data) -> None:
    """Write one history row and announce it (`obligation_event`) once the transaction
    commits: the one place every event passes through."""
    actor = actor if getattr(actor, "pk", None) else None
    event = ObligationEvent.objects.create(
        obligation=obligation, kind=kind, actor=actor, at=at, data=data
    )
    transaction.on_commit(
        lambda: obligation_event.send(
            sender=Obligation, obligation=obligation, event=event, actor=actor
        )
    )


def _waited_until(
    obligation: Obligation, moment: datetime.datetime, cal: calendar.WorkingCalendar
) -> int:
    """Working days waited on the citizen up to `moment`: the closed waits, plus the
    current one counted to `moment` (a wait from day a to day b covers the days in
    (a, b], as periods are counted)."""
    waited = obligation.waited_days
    if obligation.waiting_since:
        waited += max(
            0,
            cal.working_days_between(
                calendar.local_date(obligation.waiting_since), calendar.local_date(moment)
            ),
        )
    return waited


def _days_to(
    obligation: Obligation, moment: datetime.datetime, cal: calendar.WorkingCalendar
) -> int:
    """Working days from the opening day to `moment`'s day, minus the days waited."""
    days = cal.working_days_between(
        calendar.local_date(obligation.opened_at), calendar.local_date(moment)
    )
    return max(0, days - _waited_until(obligation, moment, cal))


def _end_wait(
    obligation: Obligation, moment: datetime.datetime, cal: calendar.WorkingCalendar
) -> tuple[int, datetime.datetime]:
    """Close the current wait at `moment`: add its working days to `waited_days` and move
    `due_at` later by as many working days. Returns (days, previous due). The caller
    saves `waiting_since`, `waited_days` and `due_at`."""
    days = _waited_until(obligation, moment, cal) - obligation.waited_days
    previous_due_at = obligation.due_at
    if days:
        obligation.due_at = calendar.end_of_day(
            cal.add_working_days(calendar.local_date(obligation.due_at), days)
        )
    obligation.waited_days += days
    obligation.waiting_since = None
    return days, previous_due_at


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
    obligation.response_days = _days_to(obligation, now, calendar.WorkingCalendar())
    obligation.save(update_fields=["first_response_at", "response_days"])
    _event(
        obligation,
        ObligationEvent.Kind.ACKNOWLEDGED,
        actor,
        now,
        response_days=obligation.response_days,
    )
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
    _ensure_running(obligation)
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
    _ensure_running(obligation)
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
    cal = calendar.WorkingCalendar()
    fields = ["answered_at", "outcome", "outcome_text", "answer_days"]
    if obligation.waiting_since:
        # The answer ends the wait, as a resume would: the clock did not run meanwhile.
        waiting_since = obligation.waiting_since
        days, previous_due_at = _end_wait(obligation, max(answered_at, waiting_since), cal)
        fields += ["waiting_since", "waited_days", "due_at"]
        _event(
            obligation,
            ObligationEvent.Kind.RESUMED,
            actor,
            max(answered_at, waiting_since),
            waiting_since=_iso(waiting_since),
            days=days,
            previous_due_at=_iso(previous_due_at),
            due_at=_iso(obligation.due_at),
        )
    obligation.answered_at = answered_at
    obligation.outcome = outcome[:64]
    obligation.outcome_text = outcome_text
    obligation.answer_days = _days_to(obligation, answered_at, cal)
    if not obligation.first_response_at:
        obligation.first_response_at = answered_at
        obligation.response_days = obligation.answer_days
        fields += ["first_response_at", "response_days"]
    obligation.save(update_fields=fields)
    _event(
        obligation,
        ObligationEvent.Kind.ANSWERED,
        actor,
        now,
        answered_at=_iso(answered_at),
        outcome=obligation.outcome,
        on_time=answered_at <= obligation.due_at,
        answer_days=obligation.answer_days,
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
    fields = ["withdrawn_at", "withdrawal_reason"]
    if obligation.waiting_since:
        _end_wait(obligation, now, calendar.WorkingCalendar())
        fields += ["waiting_since", "waited_days", "due_at"]
    obligation.withdrawn_at = now
    obligation.withdrawal_reason = reason
    obligation.save(update_fields=fields)
    _event(obligation, ObligationEvent.Kind.WITHDRAWN, actor, now, reason=reason)
    return obligation


@transaction.atomic
def obligation_wait(*, obligation: Obligation, actor: Any, reason: str) -> Obligation:
    """Stop the clock: the agency waits on the citizen (it asked for a document or a
    detail only they can give). Refused when already waiting or overdue (a clock that
    has run out cannot be stopped after the fact)."""
    _locked(obligation)
    _ensure_open(obligation)
    reason = (reason or "").strip()
    if obligation.waiting_since:
        raise ObligationError(_("The obligation is already waiting on the citizen."))
    if not reason:
        raise ObligationError(_("Give the reason for waiting on the citizen."))
    now = timezone.now()
    if obligation.due_at < now:
        raise ObligationError(_("The clock of an overdue obligation cannot be stopped."))
    obligation.waiting_since = now
    obligation.save(update_fields=["waiting_since"])
    _event(obligation, ObligationEvent.Kind.WAITING, actor, now, reason=reason)
    return obligation


@transaction.atomic
def obligation_resume(*, obligation: Obligation, actor: Any) -> Obligation:
    """Restart the clock (the citizen answered, or the agency stops waiting): the working
    days waited are added to `waited_days` and the due date moves later by as many."""
    _locked(obligation)
    _ensure_open(obligation)
    if not obligation.waiting_since:
        raise ObligationError(_("The obligation is not waiting on the citizen."))
    now = timezone.now()
    waiting_since = obligation.waiting_since
    days, previous_due_at = _end_wait(obligation, now, calendar.WorkingCalendar())
    obligation.save(update_fields=["waiting_since", "waited_days", "due_at"])
    _event(
        obligation,
        ObligationEvent.Kind.RESUMED,
        actor,
        now,
        waiting_since=_iso(waiting_since),
        days=days,
        previous_due_at=_iso(previous_due_at),
        due_at=_iso(obligation.due_at),
    )
    return obligation


@transaction.atomic
def obligation_rate(
    *,
    obligation: Obligation,
    verdict: str,
    at: datetime.datetime | None = None,
    actor: Any = None,
) -> Obligation:
    """The citizen's verdict on the final answer (`Obligation.Rating`). Only an answered
    obligation can be rated; rating again replaces the verdict (the history keeps both)."""
    _locked(obligation)
    if verdict not in Obligation.Rating.values:
        raise ObligationError(_("Not a rating: %(verdict)s") % {"verdict": verdict})
    if not obligation.answered_at:
        raise ObligationError(_("Only a final answer can be rated."))
    at = at or timezone.now()
    if timezone.is_naive(at):
        raise ObligationError(_("Times must carry a time zone."))
    if at < obligation.answered_at:
        raise ObligationError(_("An answer cannot be rated before it was given."))
    previous = obligation.rating
    obligation.rating = verdict
    obligation.rated_at = at
    obligation.save(update_fields=["rating", "rated_at"])
    _event(obligation, ObligationEvent.Kind.RATED, actor, at, verdict=verdict, previous=previous)
    return obligation


def _waits_from_events(events) -> list[tuple[datetime.datetime, datetime.datetime | None]]:
    """The waits on the citizen recorded in a history (events in order): (since, until),
    `until` None while still waiting. A wait ends with `resumed` (also written when an
    answer ends it) or `withdrawn`."""
    waits, since = [], None
    for kind, at in events:
        if kind == ObligationEvent.Kind.WAITING and since is None:
            since = at
        elif kind in (ObligationEvent.Kind.RESUMED, ObligationEvent.Kind.WITHDRAWN) and since:
            waits.append((since, at))
            since = None
    if since is not None:
        waits.append((since, None))
    return waits


def _days_excluding_waits(
    opened_at: datetime.datetime,
    moment: datetime.datetime,
    waits: list[tuple[datetime.datetime, datetime.datetime | None]],
    cal: calendar.WorkingCalendar,
) -> int:
    start, end = calendar.local_date(opened_at), calendar.local_date(moment)
    days = cal.working_days_between(start, end)
    for since, until in waits:
        wait_start = calendar.local_date(since)
        wait_end = min(end, calendar.local_date(until)) if until else end
        if wait_end > wait_start:
            days -= cal.working_days_between(wait_start, wait_end)
    return max(0, days)


def obligations_recompute_days(*, batch_size: int = 1000, progress=None) -> int:
    """Recompute `response_days` and `answer_days` of every responded obligation with
    the calendar as it is now (after an editor entered a transferred day, say). Reads
    and writes in batches of `batch_size` rows by primary key, so memory stays flat
    whatever the size of the ledger; the waits are read from the history of the rows
    that had any. `waited_days` and the due dates are left as they were decided.
    Returns the number of rows changed; `progress(done, changed)` after each batch."""
    cal = calendar.WorkingCalendar()
    rows = Obligation.objects.filter(
        Q(first_response_at__isnull=False) | Q(answered_at__isnull=False)
    ).order_by("pk")
    fields = [
        "pk",
        "opened_at",
        "first_response_at",
        "answered_at",
        "waited_days",
        "waiting_since",
        "response_days",
        "answer_days",
    ]
    last_pk, done, changed = 0, 0, 0
    while True:
        batch = list(rows.filter(pk__gt=last_pk).only(*fields)[:batch_size])
        if not batch:
            return changed
        last_pk = batch[-1].pk
        with_waits = [row.pk for row in batch if row.waited_days or row.waiting_since]
        histories: dict[int, list] = {pk: [] for pk in with_waits}
        if with_waits:
            for obligation_id, kind, at in (
                ObligationEvent.objects.filter(
                    obligation_id__in=with_waits,
                    kind__in=[
                        ObligationEvent.Kind.WAITING,
                        ObligationEvent.Kind.RESUMED,
                        ObligationEvent.Kind.WITHDRAWN,
                    ],
                )
                .order_by("obligation_id", "at", "pk")
                .values_list("obligation_id", "kind", "at")
            ):
                histories[obligation_id].append((kind, at))
        updated = []
        for row in batch:
            waits = _waits_from_events(histories.get(row.pk, []))
            response_days = (
                _days_excluding_waits(row.opened_at, row.first_response_at, waits, cal)
                if row.first_response_at
                else None
            )
            answer_days = (
                _days_excluding_waits(row.opened_at, row.answered_at, waits, cal)
                if row.answered_at
                else None
            )
            if (response_days, answer_days) != (row.response_days, row.answer_days):
                row.response_days, row.answer_days = response_days, answer_days
                updated.append(row)
        if updated:
            with transaction.atomic():
                Obligation.objects.bulk_update(updated, ["response_days", "answer_days"])
        done += len(batch)
        changed += len(updated)
        if progress:
            progress(done, changed)
