"""Waiting on the citizen stops the clock; days to response and answer exclude the wait;
every event is announced after commit; the stored days can be recomputed.

Dates are 2026, Astana time. An obligation opened on Wednesday 18 March is due on Monday
13 April (15 working days; 21-25 March are Nauryz and its moved days off). Working days
counted in (a, b]: from 18 March to 13 April, 15; to 17 April, 19.
"""

from __future__ import annotations

import datetime
import importlib

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import translation

from tracking import calendar
from tracking.models import CalendarDay, Obligation
from tracking.services import (
    ObligationError,
    obligation_acknowledge,
    obligation_extend,
    obligation_fulfil,
    obligation_open,
    obligation_redirect,
    obligation_resume,
    obligation_wait,
    obligation_withdraw,
)
from tracking.signals import obligation_event

from .conftest import QUESTION, at

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def opened(subject, agency_with_staff):
    with time_machine.travel(at(2026, 3, 18, 11), tick=False):
        return obligation_open(subject=subject, agency=agency_with_staff.agency, kind=QUESTION)


def act(moment, service, **kwargs):
    with time_machine.travel(moment, tick=False):
        return service(**kwargs)


def kinds_of(obligation) -> list[str]:
    return list(obligation.events.order_by("at", "pk").values_list("kind", flat=True))


def pks(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def test_waiting_stops_the_clock_and_resuming_moves_the_due_date(opened):
    act(at(2026, 4, 2), obligation_wait, obligation=opened, actor=None, reason="Asked for a copy")
    assert opened.waiting_since == at(2026, 4, 2)
    # Past the original due date, still waiting: never overdue.
    late = at(2026, 4, 14, 12)
    qs = Obligation.objects.all()
    assert opened.status(late) == Obligation.Status.WAITING
    assert pks(qs.overdue(now=late)) == set()
    assert pks(qs.not_overdue(now=late)) == {opened.pk}
    assert pks(qs.waiting()) == {opened.pk}
    assert pks(qs.running()) == set()
    assert pks(qs.due_soon(days=3, now=at(2026, 4, 9))) == set()
    assert pks(qs.with_status_filter(Obligation.Status.WAITING, late)) == {opened.pk}
    assert pks(qs.with_status_filter(Obligation.Status.OPEN, late)) == set()
    assert qs.with_status(late).get().status == Obligation.Status.WAITING

    # Resumed on Thursday 9 April: waited (2 Apr, 9 Apr] = 3, 6, 7, 8, 9 April = 5 days;
    # due 13 April + 5 working days = Monday 20 April.
    act(at(2026, 4, 9), obligation_resume, obligation=opened, actor=None)
    opened.refresh_from_db()
    assert opened.waiting_since is None
    assert opened.waited_days == 5
    assert calendar.local_date(opened.due_at) == D(2026, 4, 20)
    assert calendar.local_date(opened.original_due_at) == D(2026, 4, 13)
    assert opened.status(at(2026, 4, 14, 12)) == Obligation.Status.OPEN
    resumed = opened.events.get(kind="resumed")
    assert resumed.data["days"] == 5

    # Answered Friday 17 April: 19 working days since opening, 5 of them waited -> 14;
    # on time against the moved due date (it would have been late on the 13th).
    act(at(2026, 4, 17), obligation_fulfil, obligation=opened, actor=None)
    opened.refresh_from_db()
    assert opened.answer_days == 14
    assert opened.response_days == 14  # the answer is also the first response
    assert opened.status() == Obligation.Status.ANSWERED_ON_TIME
    assert kinds_of(opened) == ["opened", "waiting", "resumed", "answered"]


def test_wait_and_resume_refusals(opened, other_agency):
    with pytest.raises(ObligationError, match="not waiting"):
        act(at(2026, 4, 1), obligation_resume, obligation=opened, actor=None)
    with pytest.raises(ObligationError, match="reason"):
        act(at(2026, 4, 1), obligation_wait, obligation=opened, actor=None, reason="  ")
    act(at(2026, 3, 19), obligation_wait, obligation=opened, actor=None, reason="Need an address")
    with pytest.raises(ObligationError, match="already waiting"):
        act(at(2026, 3, 20), obligation_wait, obligation=opened, actor=None, reason="Again")
    with pytest.raises(ObligationError, match="resume it first"):
        act(
            at(2026, 3, 19, 12),
            obligation_extend,
            obligation=opened,
            new_due_date=D(2026, 5, 1),
            reason="Complex",
            actor=None,
        )
    with pytest.raises(ObligationError, match="resume it first"):
        act(
            at(2026, 3, 19, 12),
            obligation_redirect,
            obligation=opened,
            to_agency=other_agency,
            reason="Not ours",
            actor=None,
        )
    act(at(2026, 3, 20), obligation_resume, obligation=opened, actor=None)
    # Overdue: the clock has run out and cannot be stopped after the fact.
    with pytest.raises(ObligationError, match="overdue"):
        act(at(2026, 4, 20), obligation_wait, obligation=opened, actor=None, reason="Late ask")
    assert kinds_of(opened) == ["opened", "waiting", "resumed"]


def test_an_answer_during_the_wait_ends_it(opened):
    act(at(2026, 4, 2), obligation_wait, obligation=opened, actor=None, reason="Asked for a copy")
    # Answer on Thursday 9 April: 13 working days since opening, 5 waited -> 8.
    act(at(2026, 4, 9, 15), obligation_fulfil, obligation=opened, actor=None)
    opened.refresh_from_db()
    assert opened.waiting_since is None
    assert opened.waited_days == 5
    assert calendar.local_date(opened.due_at) == D(2026, 4, 20)
    assert (opened.answer_days, opened.response_days) == (8, 8)
    assert kinds_of(opened) == ["opened", "waiting", "resumed", "answered"]


def test_acknowledging_during_the_wait_excludes_the_days_so_far(opened):
    act(at(2026, 4, 2), obligation_wait, obligation=opened, actor=None, reason="Asked for a copy")
    # Tuesday 7 April: 11 working days since opening, (2 Apr, 7 Apr] = 3 of them waited.
    act(at(2026, 4, 7), obligation_acknowledge, obligation=opened, actor=None)
    opened.refresh_from_db()
    assert opened.response_days == 8
    assert opened.answer_days is None
    assert opened.waiting_since is not None  # still waiting


def test_acknowledgement_is_a_response_not_an_answer(opened):
    act(at(2026, 3, 20), obligation_acknowledge, obligation=opened, actor=None)
    opened.refresh_from_db()
    assert (opened.response_days, opened.answer_days) == (2, None)
    act(at(2026, 4, 13, 18), obligation_fulfil, obligation=opened, actor=None)
    opened.refresh_from_db()
    assert (opened.response_days, opened.answer_days) == (2, 15)


def test_a_withdrawal_during_the_wait_ends_it(opened):
    act(at(2026, 4, 2), obligation_wait, obligation=opened, actor=None, reason="Asked for a copy")
    act(at(2026, 4, 6), obligation_withdraw, obligation=opened, actor=None, reason="Withdrawn")
    opened.refresh_from_db()
    assert opened.waiting_since is None
    assert opened.status() == Obligation.Status.WITHDRAWN


def test_the_database_refuses_a_wait_on_a_closed_obligation(opened):
    act(at(2026, 3, 20), obligation_fulfil, obligation=opened, actor=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Obligation.objects.filter(pk=opened.pk).update(waiting_since=at(2026, 3, 20))


def test_every_event_is_announced_after_commit(opened, django_capture_on_commit_callbacks):
    received = []

    def receiver(sender, obligation, event, actor, **kwargs):
        received.append((obligation.pk, event.kind, actor))

    obligation_event.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            act(at(2026, 4, 2), obligation_wait, obligation=opened, actor=None, reason="Copy")
        assert received == []  # nothing before the commit
        for callback in callbacks:
            callback()
        with django_capture_on_commit_callbacks(execute=True):
            act(at(2026, 4, 9, 15), obligation_fulfil, obligation=opened, actor=None)
        # A rolled-back change announces nothing.
        with pytest.raises(ObligationError), django_capture_on_commit_callbacks(execute=True):
            act(at(2026, 4, 10), obligation_resume, obligation=opened, actor=None)
    finally:
        obligation_event.disconnect(receiver)
    assert received == [
        (opened.pk, "waiting", None),
        (opened.pk, "resumed", None),
        (opened.pk, "answered", None),
    ]


@pytest.fixture
def answered_rows(subject, agency_with_staff):
    """Three obligations opened 18 March: answered 17 April after a 5-day wait (14 days);
    acknowledged 20 March and answered 13 April (2 and 15 days); still open."""
    agency = agency_with_staff.agency
    rows = [
        act(at(2026, 3, 18, 11), obligation_open, subject=subject, agency=agency, kind=QUESTION)
        for _ in range(3)
    ]
    waited, acknowledged, _open = rows
    act(at(2026, 4, 2), obligation_wait, obligation=waited, actor=None, reason="Copy")
    act(at(2026, 4, 9), obligation_resume, obligation=waited, actor=None)
    act(at(2026, 4, 17), obligation_fulfil, obligation=waited, actor=None)
    act(at(2026, 3, 20), obligation_acknowledge, obligation=acknowledged, actor=None)
    act(at(2026, 4, 13, 18), obligation_fulfil, obligation=acknowledged, actor=None)
    return rows


def days(rows) -> list[tuple]:
    return [
        Obligation.objects.values_list("response_days", "answer_days").get(pk=row.pk)
        for row in rows
    ]


def test_recompute_after_a_calendar_change(answered_rows, django_assert_max_num_queries):
    assert days(answered_rows) == [(14, 14), (2, 15), (None, None)]
    # An editor declares Wednesday 8 April an extra day off (inside the wait) and Thursday
    # 16 April too (after the wait).
    for day in (D(2026, 4, 8), D(2026, 4, 16)):
        CalendarDay.objects.create(
            date=day, kind=CalendarDay.Kind.DAY_OFF, reason_kk="k", reason_ru="r"
        )
    call_command("tracking_recompute_days", "--batch-size", "2", verbosity=0)
    # Waited row: 19 - 2 (8 and 16 April) = 17 counted, 5 - 1 = 4 waited -> 13.
    # Acknowledged row: response on 20 March unchanged; 8 April is before the answer on
    # 13 April, 16 April after it -> 15 - 1 = 14.
    assert days(answered_rows) == [(13, 13), (2, 14), (None, None)]
    # Idempotent, and in batches: the same few queries per batch however many rows.
    with django_assert_max_num_queries(8):
        call_command("tracking_recompute_days", "--batch-size", "2", verbosity=0)
    assert days(answered_rows) == [(13, 13), (2, 14), (None, None)]


def test_the_migration_backfills_answered_rows(answered_rows):
    Obligation.objects.update(response_days=None, answer_days=None)
    migration = importlib.import_module("tracking.migrations.0003_ledger_days_waiting_rating")
    migration.backfill_days(apps, None)
    # Rows from before the migration had no waits: the waited row counts all 19 days.
    assert days(answered_rows) == [(19, 19), (2, 15), (None, None)]
