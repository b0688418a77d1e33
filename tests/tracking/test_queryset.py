"""Open, overdue, due soon, answered on time and late: derived from dates, never stored."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from tracking.models import Obligation
from tracking.services import obligation_fulfil, obligation_open, obligation_withdraw

from .conftest import QUESTION, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(subject, agency_with_staff, other_agency):
    """Five obligations opened on 18 March 2026 (due 13 April) in different states."""
    agency = agency_with_staff.agency
    with time_machine.travel(at(2026, 3, 18, 11), tick=False):
        rows = {
            name: obligation_open(subject=subject, agency=agency, kind=QUESTION)
            for name in ("open", "on_time", "late", "withdrawn")
        }
        rows["elsewhere"] = obligation_open(subject=subject, agency=other_agency, kind=QUESTION)
    with time_machine.travel(at(2026, 4, 13, 23, 0), tick=False):
        obligation_fulfil(obligation=rows["on_time"], actor=None)
    with time_machine.travel(at(2026, 4, 14, 9, 0), tick=False):
        obligation_fulfil(obligation=rows["late"], actor=None)
    obligation_withdraw(obligation=rows["withdrawn"], actor=None, reason="Withdrawn by the asker")
    return rows


def pks(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def test_states_on_the_due_day_and_the_day_after(ledger):
    qs = Obligation.objects.all()
    assert pks(qs.answered_on_time()) == {ledger["on_time"].pk}
    assert pks(qs.answered_late()) == {ledger["late"].pk}
    assert pks(qs.answered()) == {ledger["on_time"].pk, ledger["late"].pk}
    assert pks(qs.open()) == {ledger["open"].pk, ledger["elsewhere"].pk}

    last_minute = at(2026, 4, 13, 23, 59)
    assert pks(qs.overdue(now=last_minute)) == set()
    first_minute = datetime.datetime(2026, 4, 14, 0, 0, tzinfo=last_minute.tzinfo)
    assert pks(qs.overdue(now=first_minute)) == {ledger["open"].pk, ledger["elsewhere"].pk}
    with time_machine.travel(first_minute, tick=False):
        assert pks(qs.overdue()) == {ledger["open"].pk, ledger["elsewhere"].pk}
        assert ledger["open"].status() == Obligation.Status.OVERDUE
    assert ledger["open"].status(now=last_minute) == Obligation.Status.OPEN


def test_due_soon_counts_working_days(ledger):
    qs = Obligation.objects.all()
    # Wed 8 April: the due Monday 13 April is 3 working days away (9, 10, 13).
    assert pks(qs.due_soon(days=3, now=at(2026, 4, 8, 12))) == {
        ledger["open"].pk,
        ledger["elsewhere"].pk,
    }
    assert pks(qs.due_soon(days=2, now=at(2026, 4, 8, 12))) == set()
    assert pks(qs.due_soon(now=at(2026, 4, 14, 0, 1))) == set()  # overdue is not "soon"


def test_for_agency(ledger, other_agency):
    assert pks(Obligation.objects.for_agency(other_agency)) == {ledger["elsewhere"].pk}


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (
            at(2026, 4, 1),
            {"open": "open", "elsewhere": "open"},
        ),
        (
            at(2026, 4, 20),
            {"open": "overdue", "elsewhere": "overdue"},
        ),
    ],
)
def test_with_status_agrees_with_status(ledger, now, expected):
    fixed = {"on_time": "answered_on_time", "late": "answered_late", "withdrawn": "withdrawn"}
    rows = {o.pk: o.status for o in Obligation.objects.with_status(now)}
    for name, status in {**fixed, **expected}.items():
        assert rows[ledger[name].pk] == status
        assert ledger[name].status(now) == status
        filtered = Obligation.objects.with_status_filter(status, now)
        assert ledger[name].pk in pks(filtered)
