"""The conference services with frozen time: the phases decide what may happen (asking
and voting while questions are open, answering only in the live window), votes are one
per person (service and database), moderation keeps its reasons, answers on the
official's behalf say so, counters follow every change, and nothing is announced before
the transaction commits."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from accounts.models import AuditEvent
from dialogue.conferences import services
from dialogue.conferences.models import (
    Conference,
    ConferenceQuestion,
    ConferenceState,
    Phase,
    QuestionState,
    QuestionVote,
    RejectionReason,
)
from moderation.services import check_posting_allowed
from notifications.models import Notification
from tests.factories import AgencyFactory, UserFactory

from .conftest import AFTER, BEFORE, DURING, ENDS, SCHEDULED, STARTS, at, committed

pytestmark = pytest.mark.django_db


def refreshed(instance):
    instance.refresh_from_db()
    return instance


# --- Phases -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "phase"),
    [
        (SCHEDULED, Phase.UPCOMING),
        (STARTS - datetime.timedelta(seconds=1), Phase.UPCOMING),
        (STARTS, Phase.LIVE),
        (DURING, Phase.LIVE),
        (ENDS - datetime.timedelta(seconds=1), Phase.LIVE),
        (ENDS, Phase.ARCHIVED),
        (AFTER, Phase.ARCHIVED),
    ],
)
def test_the_phase_is_derived_from_the_dates(conference, moment, phase):
    assert conference.phase(moment) == phase
    with time_machine.travel(moment, tick=False):
        assert conference.phase() == phase
        assert list(Conference.objects.in_phase(phase)) == [conference]
        others = set(Phase.values) - {phase}
        assert not any(Conference.objects.in_phase(other).exists() for other in others)


def test_a_cancelled_conference_is_cancelled_whatever_the_clock(conference, staff):
    services.conference_cancel(
        conference=conference, actor=staff.head, reason="The minister is ill."
    )
    for moment in (BEFORE, DURING, AFTER):
        assert refreshed(conference).phase(moment) == Phase.CANCELLED
        assert not Conference.objects.live(moment).exists()
        assert not Conference.objects.archived(moment).exists()
    assert list(Conference.objects.cancelled()) == [conference]


def test_the_database_refuses_an_end_before_the_start(conference):
    with pytest.raises(IntegrityError), transaction.atomic():
        Conference.objects.filter(pk=conference.pk).update(ends_at=STARTS)


def test_the_database_refuses_a_cancellation_without_a_reason(conference):
    with pytest.raises(IntegrityError), transaction.atomic():
        Conference.objects.filter(pk=conference.pk).update(
            state=ConferenceState.CANCELLED, cancelled_at=BEFORE
        )


# --- Scheduling -------------------------------------------------------------------------------


def test_scheduling_copies_the_officials_name_and_position(conference, official):
    assert conference.official == official
    assert conference.official_name == "Marat Seitkali"
    assert conference.official_position_en == "Deputy Minister"
    assert conference.state == ConferenceState.SCHEDULED
    assert AuditEvent.objects.filter(action="conference_scheduled").count() == 1


def test_the_official_must_be_a_member_of_the_agency(staff):
    outsider = UserFactory()
    with pytest.raises(ValidationError) as error:
        services.conference_schedule(
            agency=staff.agency,
            official=outsider,
            topic="Topic",
            starts_at=STARTS,
            ends_at=ENDS,
            actor=staff.head,
        )
    assert "official" in error.value.error_dict


@pytest.mark.parametrize(
    ("starts_at", "ends_at", "field"),
    [
        (at(2026, 3, 11, 11), at(2026, 3, 11, 13), "starts_at"),  # in the past
        (STARTS, STARTS, "ends_at"),
        (STARTS, STARTS - datetime.timedelta(hours=1), "ends_at"),
        (STARTS, STARTS + datetime.timedelta(hours=13), "ends_at"),
    ],
)
def test_scheduling_checks_the_dates(staff, official, starts_at, ends_at, field):
    with pytest.raises(ValidationError) as error:
        services.conference_schedule(
            agency=staff.agency,
            official=official,
            topic="Topic",
            starts_at=starts_at,
            ends_at=ends_at,
            actor=staff.head,
        )
    assert field in error.value.error_dict


@pytest.mark.parametrize("role", ["responder", "drafter"])
def test_only_the_head_and_moderators_schedule(staff, official, role):
    with pytest.raises(PermissionDenied):
        services.conference_schedule(
            agency=staff.agency,
            official=official,
            topic="Topic",
            starts_at=STARTS,
            ends_at=ENDS,
            actor=getattr(staff, role),
        )


def test_staff_of_another_agency_cannot_schedule(staff, official):
    other = AgencyFactory()
    with pytest.raises(PermissionDenied):
        services.conference_schedule(
            agency=other,
            official=official,
            topic="Topic",
            starts_at=STARTS,
            ends_at=ENDS,
            actor=staff.head,
        )


def test_before_the_start_everything_may_change(conference, staff):
    services.conference_update(
        conference=conference,
        actor=staff.head,
        topic="Free legal aid in 2026",
        official=staff.head,
        starts_at=STARTS + datetime.timedelta(days=1),
        ends_at=ENDS + datetime.timedelta(days=1),
    )
    conference = refreshed(conference)
    assert conference.topic == "Free legal aid in 2026"
    assert conference.official == staff.head
    assert conference.official_name == "Aigerim Nurlanova"  # the full name, not the display name
    assert conference.official_position_en == "head (en)"
    assert conference.starts_at == STARTS + datetime.timedelta(days=1)


def test_while_live_only_the_topic_description_and_end_change(conference, staff):
    with time_machine.travel(DURING, tick=False):
        with pytest.raises(ValidationError) as error:
            services.conference_update(
                conference=conference,
                actor=staff.head,
                starts_at=STARTS - datetime.timedelta(hours=1),
            )
        assert "starts_at" in error.value.error_dict
        services.conference_update(
            conference=conference, actor=staff.head, ends_at=ENDS + datetime.timedelta(hours=1)
        )
        assert refreshed(conference).ends_at == ENDS + datetime.timedelta(hours=1)
        # Ending it now archives it at once.
        services.conference_update(conference=conference, actor=staff.head, ends_at=DURING)
        assert refreshed(conference).phase() == Phase.ARCHIVED


def test_an_archived_conference_cannot_change_or_be_cancelled(conference, staff):
    with time_machine.travel(AFTER, tick=False):
        with pytest.raises(PermissionDenied):
            services.conference_update(conference=conference, actor=staff.head, topic="Later")
        with pytest.raises(PermissionDenied):
            services.conference_cancel(conference=conference, actor=staff.head, reason="Late")


def test_cancelling_needs_a_reason_keeps_the_row_and_tells_the_askers(conference, staff, ask):
    question = ask()
    with pytest.raises(ValidationError):
        services.conference_cancel(conference=conference, actor=staff.head, reason="  ")
    with committed():
        services.conference_cancel(conference=conference, actor=staff.head, reason="Postponed.")
    conference = refreshed(conference)
    assert conference.state == ConferenceState.CANCELLED
    assert conference.cancellation_reason == "Postponed."
    assert conference.cancelled_by == staff.head
    assert Notification.objects.filter(
        recipient=question.author, kind=services.KIND_CANCELLED
    ).exists()
    assert ConferenceQuestion.objects.filter(pk=question.pk).exists()


def test_a_conference_cannot_be_cancelled_once_live(conference, staff):
    with time_machine.travel(DURING, tick=False), pytest.raises(PermissionDenied):
        services.conference_cancel(conference=conference, actor=staff.head, reason="Too late")


# --- Asking -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("moment", "allowed"), [(BEFORE, True), (DURING, True), (AFTER, False)])
def test_questions_are_open_before_and_during_the_conference(conference, citizen, moment, allowed):
    with time_machine.travel(moment, tick=False):
        if allowed:
            question = services.question_submit(conference=conference, author=citizen, text="Why?")
            assert question.state == QuestionState.SUBMITTED
            assert refreshed(conference).pending_count == 1
        else:
            with pytest.raises(PermissionDenied):
                services.question_submit(conference=conference, author=citizen, text="Why?")
            assert not ConferenceQuestion.objects.exists()


def test_a_cancelled_conference_takes_no_questions(conference, staff, citizen):
    services.conference_cancel(conference=conference, actor=staff.head, reason="Postponed.")
    with pytest.raises(PermissionDenied):
        services.question_submit(conference=refreshed(conference), author=citizen, text="Why?")


def test_asking_needs_a_verified_email(conference, unverified_user):
    with pytest.raises(PermissionDenied):
        services.question_submit(conference=conference, author=unverified_user, text="Why?")


def test_an_empty_or_too_long_question_is_a_field_error(conference, citizen):
    for text in ("   ", "x" * 1001):
        with pytest.raises(ValidationError) as error:
            services.question_submit(conference=conference, author=citizen, text=text)
        assert "text" in error.value.error_dict


def test_asking_goes_through_the_posting_checks(conference, citizen):
    with committed():
        check_posting_allowed(user=citizen, ip=None, text="Why?", scope="conference_question")
    with pytest.raises(ValidationError) as error:
        services.question_submit(conference=conference, author=citizen, text="Why?")
    assert error.value.error_dict["text"][0].code == "refused"


# --- Moderation -------------------------------------------------------------------------------


def test_publishing_counts_notifies_and_pushes_after_commit(conference, ask, staff, monkeypatch):
    sent = []
    monkeypatch.setattr(services, "live_push", lambda **kwargs: sent.append(kwargs))
    question = ask(text="Is legal aid free for pensioners?")
    with committed():
        services.question_publish(question=question, actor=staff.moderator)
        assert sent == []
    question = refreshed(question)
    assert question.state == QuestionState.PUBLISHED
    assert question.moderated_by == staff.moderator
    conference = refreshed(conference)
    assert (conference.pending_count, conference.question_count) == (0, 1)
    assert Notification.objects.filter(
        recipient=question.author, kind=services.KIND_PUBLISHED
    ).exists()
    [push] = sent
    assert push["group"] == f"conference.{conference.pk}"
    assert push["event"] == "conference_question_published"
    assert push["payload"]["question_id"] == question.pk
    assert push["payload"]["question_text"] == "Is legal aid free for pensioners?"
    assert isinstance(push["payload"]["sent_at"], float)


def test_rejecting_needs_a_reason_from_the_list_and_keeps_the_note(conference, ask, staff):
    question = ask()
    with pytest.raises(ValidationError) as error:
        services.question_reject(question=question, actor=staff.moderator, reason="because")
    assert "reason" in error.value.error_dict
    with committed():
        services.question_reject(
            question=question, actor=staff.moderator, reason="off_topic", note="Ask the akimat."
        )
    question = refreshed(question)
    assert question.state == QuestionState.REJECTED
    assert (question.rejection_reason, question.rejection_note) == ("off_topic", "Ask the akimat.")
    assert refreshed(conference).pending_count == 0
    notice = Notification.objects.get(recipient=question.author, kind=services.KIND_REJECTED)
    with translation.override(notice.language):
        assert str(RejectionReason.OFF_TOPIC.label) in notice.body
    # A decided question is not decided again.
    with pytest.raises(PermissionDenied):
        services.question_publish(question=question, actor=staff.moderator)


def test_platform_moderators_moderate_every_agencys_questions(ask, moderator):
    question = services.question_publish(question=ask(), actor=moderator)
    assert question.state == QuestionState.PUBLISHED


@pytest.mark.parametrize("role", ["responder", "drafter"])
def test_responders_and_drafters_do_not_moderate(ask, staff, role):
    with pytest.raises(PermissionDenied):
        services.question_publish(question=ask(), actor=getattr(staff, role))


def test_the_database_refuses_a_rejection_without_a_reason(ask):
    question = ask()
    with pytest.raises(IntegrityError), transaction.atomic():
        ConferenceQuestion.objects.filter(pk=question.pk).update(
            state=QuestionState.REJECTED, rejected_at=BEFORE
        )


# --- Votes ------------------------------------------------------------------------------------


def test_one_vote_each(published, citizen):
    question = published()
    assert services.question_vote(question=question, user=citizen) is True
    assert services.question_vote(question=question, user=citizen) is False
    assert refreshed(question).vote_count == 1
    assert QuestionVote.objects.filter(question=question).count() == 1


def test_the_database_allows_one_vote_per_person(published, citizen):
    question = published()
    QuestionVote.objects.create(question=question, user=citizen)
    with pytest.raises(IntegrityError), transaction.atomic():
        QuestionVote.objects.create(question=question, user=citizen)


def test_votes_are_counted_and_taken_back(published):
    question = published()
    voters = [UserFactory() for _ in range(3)]
    for voter in voters:
        services.question_vote(question=question, user=voter)
    assert refreshed(question).vote_count == 3
    assert services.question_unvote(question=question, user=voters[0]) is True
    assert services.question_unvote(question=question, user=voters[0]) is False
    assert refreshed(question).vote_count == 2


def test_no_vote_for_ones_own_question(published, citizen):
    question = published(citizen)
    with pytest.raises(PermissionDenied):
        services.question_vote(question=question, user=citizen)


def test_no_vote_for_a_question_awaiting_moderation(ask, citizen):
    with pytest.raises(PermissionDenied):
        services.question_vote(question=ask(), user=citizen)


@pytest.mark.parametrize(("moment", "allowed"), [(BEFORE, True), (DURING, True), (AFTER, False)])
def test_voting_only_while_questions_are_open(published, citizen, moment, allowed):
    question = published()
    with time_machine.travel(moment, tick=False):
        if allowed:
            assert services.question_vote(question=question, user=citizen)
        else:
            with pytest.raises(PermissionDenied):
                services.question_vote(question=question, user=citizen)


def test_no_vote_for_an_answered_question(published, official, citizen):
    question = published()
    with time_machine.travel(DURING, tick=False):
        services.question_answer(question=question, actor=official, text="Yes.")
        with pytest.raises(PermissionDenied):
            services.question_vote(question=refreshed(question), user=citizen)


# --- Answers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("moment", "allowed"), [(BEFORE, False), (DURING, True), (AFTER, False)])
def test_answers_only_in_the_live_window(published, official, moment, allowed):
    question = published()
    with time_machine.travel(moment, tick=False):
        if allowed:
            services.question_answer(question=question, actor=official, text="Yes.")
            assert refreshed(question).answered_at == moment
        else:
            with pytest.raises(PermissionDenied):
                services.question_answer(question=question, actor=official, text="Yes.")
            assert refreshed(question).answered_at is None


def test_the_official_answers_in_their_own_name(published, official, conference):
    question = published()
    with time_machine.travel(DURING, tick=False):
        services.question_answer(question=question, actor=official, text="It is **free**.")
    question = refreshed(question)
    assert question.answered_by == official
    assert question.answered_by_name == "Marat Seitkali"
    assert question.answered_by_position_en == "Deputy Minister"
    assert question.answer_html == "<p>It is <strong>free</strong>.</p>"
    assert not question.answered_on_behalf
    assert refreshed(conference).answered_count == 1


@pytest.mark.parametrize("role", ["head", "responder"])
def test_the_head_or_a_responder_answers_on_the_officials_behalf(published, staff, role):
    question = published()
    actor = getattr(staff, role)
    with time_machine.travel(DURING, tick=False):
        services.question_answer(question=question, actor=actor, text="On behalf.")
    question = refreshed(question)
    assert question.answered_by == actor
    assert question.answered_on_behalf
    event = AuditEvent.objects.get(action="conference_question_answered")
    assert event.data["on_behalf_of"] == question.conference.official_id


@pytest.mark.parametrize("who", ["drafter", "moderator", "citizen", "platform_moderator"])
def test_others_cannot_answer(published, staff, citizen, moderator, who):
    actor = {"citizen": citizen, "platform_moderator": moderator}.get(who) or getattr(staff, who)
    question = published()
    with time_machine.travel(DURING, tick=False), pytest.raises(PermissionDenied):
        services.question_answer(question=question, actor=actor, text="No.")


def test_a_question_is_answered_once(published, official, staff):
    question = published()
    with time_machine.travel(DURING, tick=False):
        services.question_answer(question=question, actor=official, text="Yes.")
        with translation.override("en"), pytest.raises(PermissionDenied, match="already"):
            services.question_answer(question=question, actor=staff.head, text="Again.")


def test_an_answer_needs_text(published, official):
    question = published()
    with time_machine.travel(DURING, tick=False), pytest.raises(ValidationError):
        services.question_answer(question=question, actor=official, text="  ")


def test_a_question_awaiting_moderation_cannot_be_answered(ask, official):
    question = ask()
    with time_machine.travel(DURING, tick=False), pytest.raises(PermissionDenied):
        services.question_answer(question=question, actor=official, text="Yes.")


def test_the_answer_is_pushed_after_commit_with_everything_a_page_needs(
    published, official, staff, conference, monkeypatch
):
    sent = []
    monkeypatch.setattr(services, "live_push", lambda **kwargs: sent.append(kwargs))
    question = published(UserFactory(display_name="Aigerim N."), "Where do I apply?")
    voter = UserFactory()
    services.question_vote(question=question, user=voter)
    sent.clear()
    with time_machine.travel(DURING, tick=False), committed():
        services.question_answer(question=question, actor=staff.head, text="At a *CON*.")
        assert sent == []
    [push] = sent
    assert push["group"] == f"conference.{conference.pk}"
    assert push["event"] == "conference_answer"
    payload = push["payload"]
    sent_at = payload.pop("sent_at")
    assert isinstance(sent_at, float)
    assert payload == {
        "conference_id": conference.pk,
        "question_id": question.pk,
        "question_text": "Where do I apply?",
        "question_author": "Aigerim N.",
        "vote_count": 1,
        "answer_text": "At a *CON*.",
        "answer_html": "<p>At a <em>CON</em>.</p>",
        "answered_at": DURING.astimezone(datetime.UTC).isoformat(),
        "answerer_name": "Aigerim Nurlanova",
        "answerer_position": {"kk": "head (kk)", "ru": "head (ru)", "en": "head (en)"},
        "on_behalf": True,
        "official_name": "Marat Seitkali",
        "official_position": {"kk": "Вице-министр", "ru": "Вице-министр", "en": "Deputy Minister"},
        "answered_count": 1,
    }
    # The author and the voters are told.
    recipients = set(
        Notification.objects.filter(kind=services.KIND_ANSWERED).values_list(
            "recipient_id", flat=True
        )
    )
    assert recipients == {question.author_id, voter.pk}


def test_an_answer_rolled_back_is_never_pushed(published, official, monkeypatch):
    sent = []
    monkeypatch.setattr(services, "live_push", lambda **kwargs: sent.append(kwargs))
    question = published()

    class Rollback(Exception):
        pass

    with time_machine.travel(DURING, tick=False), committed():
        try:
            with transaction.atomic():
                services.question_answer(question=question, actor=official, text="Yes.")
                raise Rollback
        except Rollback:
            pass
    assert sent == []
    assert refreshed(question).answered_at is None


def test_the_database_refuses_an_answer_without_text_or_answerer(published):
    question = published()
    with pytest.raises(IntegrityError), transaction.atomic():
        ConferenceQuestion.objects.filter(pk=question.pk).update(answered_at=DURING)


# --- Hiding -----------------------------------------------------------------------------------


def test_hiding_keeps_the_text_and_adjusts_the_counters(published, official, moderator, conference):
    question = published()
    with time_machine.travel(DURING, tick=False):
        services.question_answer(question=question, actor=official, text="Yes.")
    services.question_hide(question=question, reason="personal_data", actor=moderator)
    question = refreshed(question)
    assert question.hidden_at is not None
    assert question.text and question.answer_text
    conference = refreshed(conference)
    assert (conference.question_count, conference.answered_count) == (0, 0)
    services.question_restore(question=question, actor=moderator)
    conference = refreshed(conference)
    assert (conference.question_count, conference.answered_count) == (1, 1)


def test_a_hidden_question_cannot_be_voted_for_or_answered(published, official, moderator, citizen):
    question = published()
    services.question_hide(question=question, reason="abuse", actor=moderator)
    question = refreshed(question)
    with pytest.raises(PermissionDenied):
        services.question_vote(question=question, user=citizen)
    with time_machine.travel(DURING, tick=False), pytest.raises(PermissionDenied):
        services.question_answer(question=question, actor=official, text="Yes.")
