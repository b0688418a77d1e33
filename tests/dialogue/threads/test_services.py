"""The services: starting a thread, support and its counter, the duty to reply opened at
the level exactly once, fulfilled by the first official comment (and only by it),
withdrawn on hiding and reopened on restoring, extended and redirected; the author's
withdrawal. The obligations' dates and outcome are what the NGO tracking counts."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from accounts.models import AuditEvent, Membership
from dialogue import commentable
from dialogue import services as dialogue_services
from dialogue.threads import services
from dialogue.threads.models import Thread, ThreadSupport
from moderation import services as moderation_services
from moderation.models import ModerationAction
from notifications.models import Notification
from notifications.services import is_following
from tests.factories import AgencyFactory, MembershipFactory, UserFactory
from tracking.calendar import end_of_day
from tracking.models import Obligation

from .conftest import (
    DUE,
    LEVEL,
    NOW,
    at,
    committed,
    make_thread,
    official_reply,
    reach_level,
    support,
    supporters,
)

pytestmark = pytest.mark.django_db


def _obligations(thread: Thread):
    return Obligation.objects.filter(object_id=str(thread.pk), kind=services.OBLIGATION_KIND)


# --- starting ----------------------------------------------------------------------------


def test_start_publishes_at_once_renders_safely_and_follows(author, agency):
    thread = make_thread(
        author,
        agency.agency,
        title="  Crossing near school 12  ",
        text="Children cross *six lanes*.<script>alert(1)</script>",
    )
    assert thread.title == "Crossing near school 12"
    assert "<em>six lanes</em>" in thread.html and "<script>" not in thread.html
    assert thread.created_at == thread.last_activity_at == NOW
    assert (thread.support_count, thread.reply_count) == (0, 0)
    assert thread.is_open and Thread.objects.listed().filter(pk=thread.pk).exists()
    assert is_following(user=author, target=thread)
    assert AuditEvent.objects.filter(action="thread_started", target_id=str(thread.pk)).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"text": ""}, "text"),
        ({"text": "x" * 5001}, "text"),
        ({"category": "weather"}, "category"),
        ({"region": "atlantis"}, "region"),
    ],
)
def test_start_refuses_bad_input_on_its_field(author, changes, field):
    with pytest.raises(ValidationError) as error:
        make_thread(author, **changes)
    assert list(error.value.error_dict) == [field]
    assert not Thread.objects.exists()


def test_start_refuses_an_inactive_agency(author):
    closed = AgencyFactory(is_active=False)
    with pytest.raises(ValidationError) as error:
        make_thread(author, closed)
    assert "addressee" in error.value.error_dict


def test_start_needs_a_verified_unblocked_account(unverified_user, author, moderator):
    with pytest.raises(PermissionDenied):
        make_thread(unverified_user)
    moderation_services.user_block(user=author, reason="spam", actor=moderator)
    with pytest.raises(PermissionDenied):
        make_thread(author)


def test_start_goes_through_the_posting_checks(author):
    """The same text twice is refused on the text field (duplicate check, scope thread)."""
    with committed():
        make_thread(author, title="Same", text="Exactly the same words.")
    with pytest.raises(ValidationError) as error:
        make_thread(author, title="Same", text="Exactly the same words.")
    assert error.value.error_dict["text"][0].code == "refused"
    assert Thread.objects.count() == 1


# --- support -----------------------------------------------------------------------------


def test_support_counts_once_and_the_supporter_follows(thread):
    citizen = UserFactory()
    assert services.thread_support(thread=thread, user=citizen) is True
    assert services.thread_support(thread=thread, user=citizen) is False
    thread.refresh_from_db()
    assert thread.support_count == 1 == ThreadSupport.objects.filter(thread=thread).count()
    assert is_following(user=citizen, target=thread)

    assert services.thread_unsupport(thread=thread, user=citizen) is True
    assert services.thread_unsupport(thread=thread, user=citizen) is False
    thread.refresh_from_db()
    assert thread.support_count == 0 == ThreadSupport.objects.filter(thread=thread).count()


def test_one_support_per_person_is_a_database_rule(thread):
    citizen = UserFactory()
    ThreadSupport.objects.create(thread=thread, user=citizen)
    with pytest.raises(IntegrityError), transaction.atomic():
        ThreadSupport.objects.create(thread=thread, user=citizen)


def test_the_author_and_unverified_people_cannot_support(thread, author, unverified_user):
    for person in (author, unverified_user):
        with pytest.raises(PermissionDenied):
            services.thread_support(thread=thread, user=person)
    thread.refresh_from_db()
    assert thread.support_count == 0


# --- the duty to reply -------------------------------------------------------------------


def test_reaching_the_level_opens_the_duty_once(thread, agency, author):
    thread = support(thread, supporters(LEVEL - 1))
    assert thread.obligation_id is None and not _obligations(thread).exists()

    crosser = UserFactory()
    with committed():
        services.thread_support(thread=thread, user=crosser)
    thread = Thread.objects.select_related("obligation").get(pk=thread.pk)
    duty = thread.obligation
    assert duty.kind == services.OBLIGATION_KIND and duty.agency == agency.agency
    assert duty.opened_at == duty.clock_started_at == NOW
    assert duty.due_at == duty.original_due_at == end_of_day(DUE)
    assert thread.reply_status() == "due" and thread.awaits_reply

    # More support, support withdrawn and given again: never a second duty.
    support(thread, supporters(2))
    services.thread_unsupport(thread=thread, user=crosser)
    support(thread, [crosser])
    assert _obligations(thread).count() == 1

    # The followers heard it (the author among them); the agency's head and responders
    # were told they owe the reply; the drafter and the moderator were not.
    told = set(
        Notification.objects.filter(kind=services.KIND_REPLY_DUE).values_list(
            "recipient", flat=True
        )
    )
    assert author.pk in told and crosser.pk in told
    owed = set(
        Notification.objects.filter(kind=services.KIND_REPLY_OWED).values_list(
            "recipient", flat=True
        )
    )
    assert owed == {agency.head.pk, agency.responder.pk}


def test_no_duty_without_an_addressee(author):
    thread = reach_level(make_thread(author))
    assert thread.support_count == LEVEL and thread.obligation_id is None
    assert thread.reply_status() == ""


def test_lowering_the_level_opens_the_duty_at_the_next_support(thread, settings):
    thread = support(thread, supporters(2))
    settings.THREADS_SUPPORT_LEVEL = 2
    assert Thread.objects.get(pk=thread.pk).obligation_id is None
    thread = support(thread, supporters(1))
    assert thread.obligation is not None and thread.obligation.opened_at == NOW


def test_the_first_official_comment_fulfils_the_duty(awaiting, agency):
    citizen = UserFactory()
    with committed():
        dialogue_services.comment_post(target=awaiting, author=citizen, text="Any news?")
    later = NOW + datetime.timedelta(days=2)
    with time_machine.travel(later, tick=False):
        reply = official_reply(awaiting, agency.responder, "We will install the crossing.")
        second = official_reply(awaiting, agency.head, "And a traffic light.")
    thread = Thread.objects.select_related("obligation").get(pk=awaiting.pk)
    duty = thread.obligation
    assert thread.official_reply_id == reply.pk and thread.answered_at == later
    assert duty.answered_at == duty.first_response_at == reply.posted_at == later
    assert duty.outcome == services.OUTCOME_OFFICIAL_REPLY
    assert duty.outcome_text == "We will install the crossing."
    assert second.is_official and thread.official_reply_id != second.pk
    assert Obligation.objects.answered_on_time().filter(pk=duty.pk).exists()
    assert thread.reply_status() == "answered" and not thread.awaits_reply
    assert thread.reply_count == 3 and thread.last_activity_at == later
    # tracking told the followers (the author among them).
    assert Notification.objects.filter(kind="obligation_answered", recipient=thread.author).exists()


def test_a_late_official_reply_counts_as_answered_late(awaiting, agency):
    with time_machine.travel(at(2026, 4, 6, 9), tick=False):
        official_reply(awaiting, agency.responder)
    duty = Obligation.objects.get(pk=awaiting.obligation_id)
    assert Obligation.objects.answered_late().filter(pk=duty.pk).exists()


def test_other_comments_do_not_fulfil_the_duty(awaiting, agency):
    """A citizen's comment, the responder's own (not on behalf of the agency), and an
    official comment of another agency's responder on a thread it is not addressed to."""
    with committed():
        dialogue_services.comment_post(target=awaiting, author=UserFactory(), text="Me too.")
        dialogue_services.comment_post(
            target=awaiting, author=agency.responder, text="Personally, I agree."
        )
    thread = Thread.objects.select_related("obligation").get(pk=awaiting.pk)
    assert thread.official_reply_id is None and thread.awaits_reply
    assert thread.obligation.answered_at is None
    assert thread.reply_count == 2

    other = AgencyFactory()
    stranger = MembershipFactory(agency=other, role=Membership.Role.RESPONDER).user
    with pytest.raises(PermissionDenied):
        official_reply(awaiting, stranger)


def test_an_official_reply_before_the_level_means_no_duty(thread, agency):
    reply = official_reply(thread, agency.responder)
    thread = reach_level(thread)
    assert thread.official_reply_id == reply.pk
    assert thread.obligation_id is None and thread.reply_status() == "answered"
    assert not _obligations(thread).exists()


# --- hiding and restoring ----------------------------------------------------------------


def test_hiding_withdraws_the_duty_and_closes_the_thread(awaiting, moderator):
    with committed():
        moderation_services.moderation_hide(
            targets=[awaiting], reason="abuse", note="insults", actor=moderator
        )
    thread = Thread.objects.select_related("obligation").get(pk=awaiting.pk)
    assert thread.hidden_at == NOW and thread.hidden_reason == "abuse"
    assert thread.hidden_note == "insults" and thread.text  # the text stays
    assert thread.obligation.withdrawn_at == NOW and thread.obligation.withdrawal_reason
    assert not Thread.objects.listed().filter(pk=thread.pk).exists()
    assert not commentable.is_open(thread)
    assert ModerationAction.objects.filter(action="hide").count() == 1
    with pytest.raises(PermissionDenied):
        services.thread_support(thread=thread, user=UserFactory())

    later = NOW + datetime.timedelta(days=1)
    with time_machine.travel(later, tick=False), committed():
        moderation_services.moderation_restore(targets=[thread], actor=moderator)
    thread = Thread.objects.select_related("obligation").get(pk=thread.pk)
    assert thread.hidden_at is None and thread.hidden_reason == ""
    # Still at the level: a fresh duty, counted from the restore; the first stays withdrawn.
    assert thread.obligation.opened_at == later and thread.awaits_reply
    assert _obligations(thread).count() == 2
    assert _obligations(thread).filter(withdrawn_at__isnull=False).count() == 1


def test_restoring_below_the_level_owes_nothing(thread, moderator):
    services.thread_hide(thread=thread, reason="spam", actor=moderator)
    services.thread_restore(thread=thread, actor=moderator)
    thread.refresh_from_db()
    assert thread.is_open and thread.obligation_id is None


def test_only_platform_moderators_hide_threads(awaiting, agency):
    for person in (agency.moderator, agency.head, awaiting.author):
        with pytest.raises(PermissionDenied):
            services.thread_hide(thread=awaiting, reason="abuse", actor=person)
    assert Thread.objects.get(pk=awaiting.pk).hidden_at is None


def test_blocking_the_author_hides_their_threads(author, moderator, agency):
    thread = make_thread(author, agency.agency)
    moderation_services.user_block(user=author, reason="abuse", actor=moderator)
    thread.refresh_from_db()
    assert thread.hidden_reason == "author_blocked"


# --- withdrawal --------------------------------------------------------------------------


def test_the_author_withdraws_and_the_text_stays(thread, author):
    services.thread_withdraw(thread=thread, actor=author)
    thread.refresh_from_db()
    assert thread.withdrawn_at == NOW and thread.text
    assert not thread.is_open and not Thread.objects.listed().filter(pk=thread.pk).exists()
    with pytest.raises(PermissionDenied):
        services.thread_withdraw(thread=thread, actor=author)


def test_no_withdrawal_while_the_reply_is_owed_but_after_it(awaiting, author, agency):
    with pytest.raises(PermissionDenied):
        services.thread_withdraw(thread=awaiting, actor=author)
    with pytest.raises(PermissionDenied):
        services.thread_withdraw(thread=awaiting, actor=UserFactory())
    official_reply(awaiting, agency.responder)
    services.thread_withdraw(thread=Thread.objects.get(pk=awaiting.pk), actor=author)
    duty = Obligation.objects.get(pk=awaiting.obligation_id)
    assert duty.answered_at is not None and duty.withdrawn_at is None


# --- extension and redirect --------------------------------------------------------------


def test_a_responder_extends_once(awaiting, agency):
    with committed():
        services.thread_extend(
            thread=awaiting,
            actor=agency.responder,
            new_due_date=datetime.date(2026, 4, 20),
            reason="We are asking the police for data.",
        )
    duty = Obligation.objects.get(pk=awaiting.obligation_id)
    assert duty.due_at == end_of_day(datetime.date(2026, 4, 20))
    assert duty.original_due_at == end_of_day(DUE)
    with pytest.raises(PermissionDenied):  # the rule: once
        services.thread_extend(
            thread=awaiting,
            actor=agency.responder,
            new_due_date=datetime.date(2026, 4, 30),
            reason="Again",
        )
    with pytest.raises(PermissionDenied):
        services.thread_extend(
            thread=awaiting,
            actor=agency.drafter,
            new_due_date=datetime.date(2026, 4, 30),
            reason="Not mine",
        )


def test_a_redirect_moves_the_thread_and_the_clock(awaiting, agency):
    other = AgencyFactory()
    other_responder = MembershipFactory(agency=other, role=Membership.Role.RESPONDER).user
    moved = at(2026, 3, 12, 15)
    with time_machine.travel(moved, tick=False), committed():
        services.thread_redirect(
            thread=awaiting, actor=agency.responder, to_agency=other, reason="Their remit."
        )
    thread = Thread.objects.select_related("obligation").get(pk=awaiting.pk)
    assert thread.addressee == other and thread.obligation.agency == other
    assert thread.obligation.opened_at == NOW and thread.obligation.clock_started_at == moved
    assert Notification.objects.filter(
        kind=services.KIND_REPLY_OWED, recipient=other_responder
    ).exists()
    # The old agency's responder no longer answers officially; the new one does.
    with pytest.raises(PermissionDenied):
        official_reply(thread, agency.responder)
    with time_machine.travel(moved + datetime.timedelta(days=1), tick=False):
        reply = official_reply(thread, other_responder)
    thread = Thread.objects.select_related("obligation").get(pk=thread.pk)
    assert thread.official_reply_id == reply.pk and thread.obligation.answered_at


def test_no_redirect_after_the_window(awaiting, agency):
    with time_machine.travel(at(2026, 3, 16), tick=False), pytest.raises(PermissionDenied):
        services.thread_redirect(
            thread=Thread.objects.get(pk=awaiting.pk),
            actor=agency.responder,
            to_agency=AgencyFactory(),
            reason="Too late",
        )


def test_nothing_to_extend_without_a_running_duty(thread, agency):
    with pytest.raises(PermissionDenied):
        services.thread_extend(
            thread=thread,
            actor=agency.responder,
            new_due_date=datetime.date(2026, 4, 20),
            reason="Nothing owed",
        )


# --- live pushes and personal data ----------------------------------------------------------


def test_opening_and_answering_push_the_page_and_the_queue(thread, agency, monkeypatch):
    pushed = []
    monkeypatch.setattr(services, "live_push", lambda **kwargs: pushed.append(kwargs))
    thread = reach_level(thread)
    groups = {(push["group"], push["event"]) for push in pushed}
    assert groups == {
        (f"thread.{thread.pk}", services.EVENT_CHANGED),
        (f"threads_agency.{agency.agency.pk}", services.EVENT_QUEUE),
    }
    pushed.clear()
    official_reply(thread, agency.responder)
    assert {push["group"] for push in pushed} == {
        f"thread.{thread.pk}",
        f"threads_agency.{agency.agency.pk}",
    }


def test_my_data_exports_threads_and_supports(thread, author):
    from accounts import personal_data
    from dialogue.threads.personal_data import export_supports, export_threads

    sections = {section.key: section for section in personal_data.sections()}
    assert sections["threads"].export is export_threads
    assert sections["thread_supports"].export is export_supports
    citizen = UserFactory()
    services.thread_support(thread=thread, user=citizen)
    mine = export_threads(author)
    assert [row["title"] for row in mine] == [thread.title]
    assert mine[0]["text"] == thread.text and mine[0]["addressee"] == "ministry-of-justice"
    assert [row["thread"] for row in export_supports(citizen)] == [thread.pk]
    assert export_threads(citizen) == [] and export_supports(author) == []


def test_search_finds_listed_threads_with_the_reply_status(awaiting, author, moderator):
    from dialogue.threads.search_documents import thread_documents
    from search import registry

    (doc,) = thread_documents(awaiting)
    assert doc.title == awaiting.title and doc.body == awaiting.text
    assert doc.status == "due" and doc.agency_id == awaiting.addressee_id
    assert doc.refresh_at == awaiting.obligation.due_at
    assert author.public_name not in f"{doc.title} {doc.body} {doc.extra}"

    kind = registry.get("thread")
    services.thread_hide(thread=awaiting, reason="spam", actor=moderator)
    assert not kind.queryset().filter(pk=awaiting.pk).exists()
