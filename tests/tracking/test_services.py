"""Every obligation transition, each refused transition, and the events they write."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import translation

from tests.factories import UserFactory
from tracking import calendar
from tracking.models import AppendOnlyError, Obligation, ObligationEvent
from tracking.services import (
    ObligationError,
    obligation_acknowledge,
    obligation_extend,
    obligation_fulfil,
    obligation_open,
    obligation_redirect,
    obligation_restart,
    obligation_withdraw,
)

from .conftest import PETITION, QUESTION, at

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english():
    """Refusals are translated; these tests read them in English."""
    with translation.override("en"):
        yield


@pytest.fixture
def official(agency_with_staff):
    return agency_with_staff.responder


@pytest.fixture
def opened(subject, agency_with_staff):
    with time_machine.travel(at(2026, 3, 18, 11), tick=False):
        return obligation_open(subject=subject, agency=agency_with_staff.agency, kind=QUESTION)


def events(obligation) -> list[str]:
    return list(obligation.events.order_by("at", "pk").values_list("kind", flat=True))


def test_open_sets_the_due_date_and_writes_an_event(opened, subject, agency_with_staff):
    assert opened.subject == subject
    assert opened.agency == agency_with_staff.agency
    assert calendar.local_date(opened.due_at) == D(2026, 4, 13)
    assert opened.original_due_at == opened.due_at
    assert opened.clock_started_at == opened.opened_at == at(2026, 3, 18, 11)
    assert events(opened) == ["opened"]
    event = opened.events.get()
    assert event.data["agency"] == "ministry-of-justice"


def test_open_can_start_the_clock_later_than_the_opening(subject, agency_with_staff):
    """A draft comment is owed an answer counted from the discussion's close, not from
    the moment it was posted: `clock_starts_at` moves only the start of the period."""
    agency = agency_with_staff.agency
    obligation = obligation_open(
        subject=subject,
        agency=agency,
        kind=QUESTION,
        opened_at=at(2026, 3, 18, 11),
        clock_starts_at=at(2026, 4, 3, 18),
    )
    assert obligation.opened_at == at(2026, 3, 18, 11)
    assert obligation.clock_started_at == at(2026, 4, 3, 18)
    assert calendar.local_date(obligation.due_at) == D(2026, 4, 24)
    assert obligation.original_due_at == obligation.due_at
    with pytest.raises(ObligationError, match="cannot start before"):
        obligation_open(
            subject=subject,
            agency=agency,
            kind=QUESTION,
            opened_at=at(2026, 3, 18, 11),
            clock_starts_at=at(2026, 3, 17, 11),
        )
    with pytest.raises(ObligationError, match="time zone"):
        obligation_open(
            subject=subject,
            agency=agency,
            kind=QUESTION,
            opened_at=at(2026, 3, 18, 11),
            clock_starts_at=datetime.datetime(2026, 4, 3, 10),
        )


def test_restart_moves_a_clock_that_has_not_started(subject, agency_with_staff, official):
    """A discussion extended from 3 to 10 April: the duty counted from the close now counts
    from the new close; nothing was late, so the original due date moves too. A started
    clock cannot be moved (that would hide lateness)."""
    obligation = obligation_open(
        subject=subject,
        agency=agency_with_staff.agency,
        kind=QUESTION,
        opened_at=at(2026, 3, 18, 11),
        clock_starts_at=at(2026, 4, 3, 18),
    )
    with time_machine.travel(at(2026, 3, 30, 12), tick=False):
        with pytest.raises(ObligationError, match="reason"):
            obligation_restart(
                obligation=obligation,
                clock_starts_at=at(2026, 4, 10, 18),
                actor=official,
                reason=" ",
            )
        with pytest.raises(ObligationError, match="later"):
            obligation_restart(
                obligation=obligation,
                clock_starts_at=at(2026, 4, 2, 18),
                actor=official,
                reason="Extended.",
            )
        obligation_restart(
            obligation=obligation,
            clock_starts_at=at(2026, 4, 10, 18),
            actor=official,
            reason="Extended.",
        )
    obligation.refresh_from_db()
    assert obligation.clock_started_at == at(2026, 4, 10, 18)
    assert calendar.local_date(obligation.due_at) == D(2026, 5, 4)
    assert obligation.original_due_at == obligation.due_at
    event = obligation.events.get(kind=ObligationEvent.Kind.RESTARTED)
    assert event.data["reason"] == "Extended." and event.actor == official
    with (
        time_machine.travel(at(2026, 4, 13, 9), tick=False),
        pytest.raises(ObligationError, match="already started"),
    ):
        obligation_restart(
            obligation=obligation,
            clock_starts_at=at(2026, 4, 20, 18),
            actor=official,
            reason="Again.",
        )
    assert Obligation.objects.count() == 1


def test_open_refuses_unknown_kind_unsaved_subject_and_naive_time(subject, agency_with_staff):
    agency = agency_with_staff.agency
    with pytest.raises(ObligationError, match="Unknown obligation kind"):
        obligation_open(subject=subject, agency=agency, kind="nope")
    unsaved = type(subject)(name="x", slug="x")
    with pytest.raises(ObligationError, match="saved subject"):
        obligation_open(subject=unsaved, agency=agency, kind=QUESTION)
    with pytest.raises(ObligationError, match="time zone"):
        obligation_open(
            subject=subject,
            agency=agency,
            kind=QUESTION,
            opened_at=datetime.datetime(2026, 3, 18, 10),
        )
    assert not Obligation.objects.exists()


def test_acknowledge_is_a_first_response_not_an_answer(opened, official):
    with time_machine.travel(at(2026, 3, 19, 9), tick=False):
        obligation_acknowledge(obligation=opened, actor=official)
    opened.refresh_from_db()
    assert opened.first_response_at == at(2026, 3, 19, 9)
    assert opened.answered_at is None
    assert Obligation.objects.open().filter(pk=opened.pk).exists()
    assert events(opened) == ["opened", "acknowledged"]
    assert opened.events.last().actor == official
    with pytest.raises(ObligationError, match="already been acknowledged"):
        obligation_acknowledge(obligation=opened, actor=official)


def test_fulfil_records_the_answer_and_first_response(opened, official):
    with time_machine.travel(at(2026, 4, 1, 15), tick=False):
        obligation_fulfil(obligation=opened, actor=official, outcome="answered", outcome_text="ok")
    opened.refresh_from_db()
    assert opened.answered_at == at(2026, 4, 1, 15)
    assert opened.first_response_at == opened.answered_at
    assert opened.outcome == "answered"
    assert events(opened) == ["opened", "answered"]
    assert opened.events.last().data["on_time"] is True
    assert opened.days_to_answer() == 7  # 19, 20, 26, 27, 30, 31 March, 1 April


def test_fulfil_refuses_dates_before_opening_or_in_the_future(opened, official):
    with time_machine.travel(at(2026, 3, 20, 10), tick=False):
        with pytest.raises(ObligationError, match="before the obligation was opened"):
            obligation_fulfil(obligation=opened, actor=official, answered_at=at(2026, 3, 1))
        with pytest.raises(ObligationError, match="future"):
            obligation_fulfil(obligation=opened, actor=official, answered_at=at(2026, 3, 21))
        obligation_fulfil(obligation=opened, actor=official, answered_at=at(2026, 3, 19))
    opened.refresh_from_db()
    assert opened.answered_at == at(2026, 3, 19)


def test_no_transition_after_the_answer(opened, official, other_agency):
    with time_machine.travel(at(2026, 3, 19, 10), tick=False):
        obligation_fulfil(obligation=opened, actor=official)
        for call in (
            lambda: obligation_fulfil(obligation=opened, actor=official),
            lambda: obligation_acknowledge(obligation=opened, actor=official),
            lambda: obligation_extend(
                obligation=opened, new_due_date=D(2026, 5, 1), reason="r", actor=official
            ),
            lambda: obligation_redirect(
                obligation=opened, to_agency=other_agency, reason="r", actor=official
            ),
            lambda: obligation_withdraw(obligation=opened, actor=official, reason="r"),
        ):
            with pytest.raises(ObligationError, match="already been answered"):
                call()
    assert events(opened) == ["opened", "answered"]


def test_withdraw_needs_a_reason_and_ends_everything(opened, official, other_agency):
    with pytest.raises(ObligationError, match="reason"):
        obligation_withdraw(obligation=opened, actor=None, reason="  ")
    obligation_withdraw(obligation=opened, actor=None, reason="The asker withdrew the question")
    opened.refresh_from_db()
    assert opened.withdrawn_at is not None
    assert opened.withdrawal_reason == "The asker withdrew the question"
    assert events(opened) == ["opened", "withdrawn"]
    with pytest.raises(ObligationError, match="withdrawn"):
        obligation_fulfil(obligation=opened, actor=official)
    with pytest.raises(ObligationError, match="withdrawn"):
        obligation_withdraw(obligation=opened, actor=None, reason="again")


class TestExtend:
    def test_once_with_a_reason_within_two_months(self, opened, official):
        with time_machine.travel(at(2026, 4, 1, 10), tick=False):
            obligation_extend(
                obligation=opened,
                new_due_date=D(2026, 5, 18),
                reason="Needs an inspection on site",
                actor=official,
            )
        opened.refresh_from_db()
        assert calendar.local_date(opened.due_at) == D(2026, 5, 18)
        assert opened.extended_due_at == opened.due_at
        assert calendar.local_date(opened.original_due_at) == D(2026, 4, 13)
        assert opened.extended_by == official
        assert opened.extended_at == at(2026, 4, 1, 10)
        assert events(opened) == ["opened", "extended"]
        event = opened.events.last()
        assert event.data["reason"] == "Needs an inspection on site"
        assert event.data["previous_due_at"].startswith("2026-04-13T23:59:59")
        with (
            time_machine.travel(at(2026, 4, 2, 10), tick=False),
            pytest.raises(ObligationError, match="already been extended once"),
        ):
            obligation_extend(
                obligation=opened, new_due_date=D(2026, 5, 17), reason="r", actor=official
            )

    @pytest.mark.parametrize(
        ("new_date", "reason", "message"),
        [
            (D(2026, 5, 19), "r", "at the latest"),  # 18 March + 2 months = 18 May
            (D(2026, 4, 13), "r", "after the current due date"),
            (D(2026, 4, 1), "r", "after the current due date"),
            (D(2026, 5, 1), "", "reason"),
        ],
    )
    def test_refused(self, opened, official, new_date, reason, message):
        with (
            time_machine.travel(at(2026, 4, 1, 10), tick=False),
            pytest.raises(ObligationError, match=message),
        ):
            obligation_extend(
                obligation=opened, new_due_date=new_date, reason=reason, actor=official
            )
        opened.refresh_from_db()
        assert opened.extended_due_at is None
        assert events(opened) == ["opened"]

    def test_overdue_cannot_be_extended(self, opened, official):
        with (
            time_machine.travel(at(2026, 4, 14, 0, 1), tick=False),
            pytest.raises(ObligationError, match="overdue"),
        ):
            obligation_extend(
                obligation=opened, new_due_date=D(2026, 5, 1), reason="r", actor=official
            )

    def test_kind_without_cap_cannot_be_extended(self, subject, agency_with_staff, official):
        obligation = obligation_open(
            subject=subject, agency=agency_with_staff.agency, kind=PETITION
        )
        with pytest.raises(ObligationError, match="cannot be extended"):
            obligation_extend(
                obligation=obligation,
                new_due_date=calendar.local_date(obligation.due_at) + datetime.timedelta(days=3),
                reason="r",
                actor=official,
            )

    def test_followers_are_told_after_commit(
        self, opened, official, verified_user, django_capture_on_commit_callbacks
    ):
        from notifications.models import Notification
        from notifications.services import follow

        follow(user=verified_user, target=opened.subject)
        with (
            time_machine.travel(at(2026, 4, 1, 10), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            obligation_extend(
                obligation=opened, new_due_date=D(2026, 5, 4), reason="Busy", actor=official
            )
        notification = Notification.objects.get(recipient=verified_user)
        assert notification.kind == "obligation_extended"
        assert notification.title == "Where is the new school?"
        assert "2026-05-04" in notification.body
        assert "Busy" in notification.body


class TestRedirect:
    def test_moves_the_agency_and_the_clock(self, opened, official, other_agency):
        with time_machine.travel(at(2026, 3, 20, 16), tick=False):
            obligation_redirect(
                obligation=opened,
                to_agency=other_agency,
                reason="Schools are the education ministry's remit",
                actor=official,
            )
        opened.refresh_from_db()
        assert opened.agency == other_agency
        assert opened.clock_started_at == at(2026, 3, 20, 16)
        # A fresh 15 working days from Friday 20 March: 26, 27, 30, 31 March, 1-3 April,
        # 6-10 April, 13-15 April -> Wednesday 15 April.
        assert calendar.local_date(opened.due_at) == D(2026, 4, 15)
        assert calendar.local_date(opened.original_due_at) == D(2026, 4, 13)
        assert opened.opened_at == at(2026, 3, 18, 11)
        redirect = opened.redirects.get()
        assert redirect.from_agency.slug == "ministry-of-justice"
        assert redirect.to_agency == other_agency
        assert redirect.actor == official
        assert calendar.local_date(redirect.previous_due_at) == D(2026, 4, 13)
        assert events(opened) == ["opened", "redirected"]
        assert opened.events.last().data["to_agency"] == "ministry-of-education"

    def test_only_within_three_working_days(self, opened, official, other_agency):
        # Opened Wed 18 March: the window ends with Thu 26 March (19, 20, 26).
        with time_machine.travel(at(2026, 3, 26, 23, 0), tick=False):
            obligation_redirect(
                obligation=opened, to_agency=other_agency, reason="r", actor=official
            )
        opened.refresh_from_db()
        assert opened.agency == other_agency

    def test_refused_after_the_window(self, opened, official, other_agency):
        with (
            time_machine.travel(at(2026, 3, 27, 0, 1), tick=False),
            pytest.raises(ObligationError, match="time to redirect ended on 2026-03-26"),
        ):
            obligation_redirect(
                obligation=opened, to_agency=other_agency, reason="r", actor=official
            )
        assert not opened.redirects.exists()

    def test_refused_to_the_same_agency_or_without_reason(self, opened, official, other_agency):
        with time_machine.travel(at(2026, 3, 19, 10), tick=False):
            with pytest.raises(ObligationError, match="already with this agency"):
                obligation_redirect(
                    obligation=opened, to_agency=opened.agency, reason="r", actor=official
                )
            with pytest.raises(ObligationError, match="reason"):
                obligation_redirect(
                    obligation=opened, to_agency=other_agency, reason="", actor=official
                )

    def test_refused_after_an_extension_or_for_kinds_without_redirects(
        self, opened, official, other_agency, subject, agency_with_staff
    ):
        with time_machine.travel(at(2026, 3, 19, 10), tick=False):
            obligation_extend(
                obligation=opened, new_due_date=D(2026, 5, 4), reason="r", actor=official
            )
            with pytest.raises(ObligationError, match="extended obligation"):
                obligation_redirect(
                    obligation=opened, to_agency=other_agency, reason="r", actor=official
                )
            petition = obligation_open(
                subject=subject, agency=agency_with_staff.agency, kind=PETITION
            )
            with pytest.raises(ObligationError, match="cannot be redirected"):
                obligation_redirect(
                    obligation=petition, to_agency=other_agency, reason="r", actor=official
                )

    def test_redirected_again_within_three_days_of_receiving(self, opened, official, other_agency):
        third = type(other_agency).objects.create(
            slug="akimat", name_kk="a", name_ru="a", kind="local", region="astana"
        )
        with time_machine.travel(at(2026, 3, 19, 10), tick=False):
            obligation_redirect(obligation=opened, to_agency=other_agency, reason="r", actor=None)
        with time_machine.travel(at(2026, 3, 26, 10), tick=False):
            obligation_redirect(obligation=opened, to_agency=third, reason="r2", actor=None)
        assert opened.redirects.count() == 2
        assert calendar.local_date(opened.due_at) == calendar.add_working_days(D(2026, 3, 26), 15)


def test_events_are_append_only(opened):
    event = opened.events.get()
    event.data = {"changed": True}
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert ObligationEvent.objects.get(pk=event.pk).data != {"changed": True}


def test_database_refuses_a_due_date_before_opening(opened):
    with pytest.raises(IntegrityError), transaction.atomic():
        Obligation.objects.filter(pk=opened.pk).update(due_at=at(2026, 3, 1))


def test_database_refuses_answered_and_withdrawn_together(opened):
    with pytest.raises(IntegrityError), transaction.atomic():
        Obligation.objects.filter(pk=opened.pk).update(
            answered_at=at(2026, 3, 19), withdrawn_at=at(2026, 3, 19), withdrawal_reason="x"
        )


def test_database_refuses_an_extension_without_reason(opened):
    with pytest.raises(IntegrityError), transaction.atomic():
        Obligation.objects.filter(pk=opened.pk).update(extended_due_at=at(2026, 5, 1))


def test_actor_without_account_is_recorded_as_system(opened):
    obligation_acknowledge(obligation=opened, actor=UserFactory.build())
    assert opened.events.last().actor is None


@pytest.mark.parametrize("action", ["redirect", "fulfil"])
def test_followers_are_told_of_redirects_and_answers(
    action, opened, official, other_agency, verified_user, django_capture_on_commit_callbacks
):
    from notifications.models import Notification
    from notifications.services import follow

    follow(user=verified_user, target=opened.subject)
    with (
        time_machine.travel(at(2026, 3, 19, 10), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        if action == "redirect":
            obligation_redirect(
                obligation=opened, to_agency=other_agency, reason="Remit", actor=official
            )
        else:
            obligation_fulfil(obligation=opened, actor=official)
    notification = Notification.objects.get(recipient=verified_user)
    assert (
        notification.kind
        == {"redirect": "obligation_redirected", "fulfil": "obligation_answered"}[action]
    )
    assert notification.url == f"/organisations/{opened.subject.slug}/"


def test_nobody_is_told_before_commit_or_of_a_refused_change(
    opened, official, verified_user, django_capture_on_commit_callbacks
):
    from notifications.services import follow

    follow(user=verified_user, target=opened.subject)
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(ObligationError):
        obligation_extend(obligation=opened, new_due_date=D(2026, 5, 4), reason="", actor=None)
    assert callbacks == []


@pytest.mark.parametrize("action", ["acknowledge", "extend", "redirect", "fulfil", "withdraw"])
def test_each_change_writes_one_event_with_its_actor(action, opened, official, other_agency):
    calls = {
        "acknowledge": lambda: obligation_acknowledge(obligation=opened, actor=official),
        "extend": lambda: obligation_extend(
            obligation=opened, new_due_date=D(2026, 5, 4), reason="r", actor=official
        ),
        "redirect": lambda: obligation_redirect(
            obligation=opened, to_agency=other_agency, reason="r", actor=official
        ),
        "fulfil": lambda: obligation_fulfil(obligation=opened, actor=official),
        "withdraw": lambda: obligation_withdraw(obligation=opened, actor=official, reason="r"),
    }
    with time_machine.travel(at(2026, 3, 19, 10), tick=False):
        calls[action]()
    assert opened.events.count() == 2
    event = opened.events.order_by("pk").last()
    assert event.actor == official
    assert event.at == at(2026, 3, 19, 10)
