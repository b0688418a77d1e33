"""The question workflow through its services, with frozen time across holidays."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from accounts.models import AuditEvent
from blogs import services
from blogs.models import Answer, Question, Rating, RatingVerdict, RejectionReason, Support
from moderation.services import moderation_hide
from notifications.models import Follow, Notification
from tests.factories import AgencyFactory, MembershipFactory, UserFactory, platform_moderator
from tracking.calendar import local_date
from tracking.models import Obligation, ObligationRedirect
from tracking.services import ObligationError

from .conftest import answered, at, published, submit

pytestmark = pytest.mark.django_db


def test_submit_waits_for_moderation_and_the_asker_follows(blog, asker):
    question = submit(blog, asker, name_hidden=True, category="law")
    assert question.state == Question.State.SUBMITTED
    assert question.agency == blog.agency
    assert question.obligation is None
    assert question.name_hidden
    assert Follow.objects.filter(user=asker, object_id=str(question.pk)).exists()
    assert AuditEvent.objects.filter(action="blog_question_submitted").count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "  "}, "title"),
        ({"text": ""}, "text"),
        ({"title": "x" * 201}, "title"),
        ({"category": "astrology"}, "category"),
    ],
)
def test_submit_refuses_bad_input_next_to_the_field(blog, asker, fields, field):
    with pytest.raises(ValidationError) as error:
        submit(blog, asker, **fields)
    assert field in error.value.message_dict
    assert not Question.objects.exists()


def test_submit_needs_a_verified_email_and_an_open_blog(blog, unverified_user, asker):
    with pytest.raises(PermissionDenied):
        submit(blog, unverified_user)
    blog.accepts_questions = False
    blog.save()
    with pytest.raises(PermissionDenied):
        submit(blog, asker)


def test_publish_opens_fifteen_working_days_across_nauryz(blog, asker, agency_with_staff):
    """Published on Wednesday 18 March 2026: 21-25 March are Nauryz and its moved days
    off, so the answer is due on Monday 13 April 2026."""
    with time_machine.travel(at(2026, 3, 18, 11), tick=False):
        question = submit(blog, asker)
        question = services.question_publish(question=question, actor=agency_with_staff.moderator)
    assert question.state == Question.State.PUBLISHED
    obligation = Obligation.objects.get(pk=question.obligation_id)
    assert obligation.kind == services.OBLIGATION_KIND
    assert obligation.agency == agency_with_staff.agency
    assert local_date(obligation.due_at) == datetime.date(2026, 4, 13)
    assert obligation.subject == question


def test_publish_tells_the_asker(
    blog, asker, agency_with_staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        question = published(blog, asker, agency_with_staff)
    notification = Notification.objects.get(recipient=asker, kind=services.KIND_PUBLISHED)
    assert notification.title == question.title


def test_publish_only_once_and_only_by_a_moderator(blog, asker, agency_with_staff):
    question = submit(blog, asker)
    for person in (asker, agency_with_staff.responder, agency_with_staff.drafter):
        with pytest.raises(PermissionDenied):
            services.question_publish(question=question, actor=person)
    services.question_publish(question=question, actor=agency_with_staff.moderator)
    with pytest.raises(PermissionDenied):
        services.question_publish(question=question, actor=agency_with_staff.head)
    assert Obligation.objects.count() == 1


def test_reject_needs_a_reason_from_the_list(blog, asker, agency_with_staff):
    question = submit(blog, asker)
    with pytest.raises(ValidationError):
        services.question_reject(question=question, actor=agency_with_staff.moderator, reason="")
    services.question_reject(
        question=question,
        actor=agency_with_staff.moderator,
        reason=RejectionReason.PERSONAL_DATA,
    )
    question.refresh_from_db()
    assert question.state == Question.State.REJECTED
    assert question.rejection_reason == RejectionReason.PERSONAL_DATA
    assert question.obligation is None


def test_reject_as_duplicate_names_a_published_question(blog, asker, agency_with_staff):
    original = published(blog, asker, agency_with_staff)
    other = UserFactory()
    repeat = submit(blog, other, title="Court building?")
    moderator = agency_with_staff.moderator
    with pytest.raises(ValidationError):
        services.question_reject(question=repeat, actor=moderator, reason="duplicate")
    pending = submit(blog, other, title="Another")
    with pytest.raises(ValidationError):
        services.question_reject(
            question=repeat, actor=moderator, reason="duplicate", duplicate_of=pending
        )
    services.question_reject(
        question=repeat, actor=moderator, reason="duplicate", duplicate_of=original
    )
    assert Question.objects.get(pk=repeat.pk).duplicate_of == original


def test_the_database_refuses_a_rejection_without_reason(blog, asker):
    question = submit(blog, asker)
    with pytest.raises(IntegrityError), transaction.atomic():
        Question.objects.filter(pk=question.pk).update(state="rejected")


def test_interim_answer_acknowledges_and_final_answer_fulfils(
    blog, asker, agency_with_staff, django_capture_on_commit_callbacks
):
    question = published(blog, asker, agency_with_staff)
    responder = agency_with_staff.responder
    with django_capture_on_commit_callbacks(execute=True):
        interim = services.question_answer(
            question=question, responder=responder, text="We asked the court.", is_final=False
        )
    obligation = Obligation.objects.get(pk=question.obligation_id)
    assert obligation.first_response_at is not None
    assert obligation.answered_at is None
    assert interim.position_en == "responder (en)"
    assert interim.responder_name
    assert Notification.objects.filter(recipient=asker, kind=services.KIND_INTERIM).exists()
    # A second interim answer does not acknowledge twice.
    services.question_answer(question=question, responder=responder, text="Still", is_final=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.question_answer(
            question=question, responder=responder, text="June.", is_final=True
        )
    obligation.refresh_from_db()
    assert obligation.answered_at is not None
    assert Notification.objects.filter(recipient=asker, kind="obligation_answered").exists()
    question.refresh_from_db()
    assert question.is_answered
    assert Answer.objects.filter(question=question).count() == 3
    with pytest.raises(PermissionDenied):
        services.question_answer(question=question, responder=responder, text="x", is_final=True)


def test_only_the_responders_of_the_holding_agency_answer(blog, asker, agency_with_staff):
    question = published(blog, asker, agency_with_staff)
    for person in (asker, agency_with_staff.drafter, agency_with_staff.moderator):
        with pytest.raises(PermissionDenied):
            services.question_answer(question=question, responder=person, text="x", is_final=True)
    services.question_answer(
        question=question, responder=agency_with_staff.head, text="Mine", is_final=True
    )


def test_extension_once_and_at_most_two_months(blog, asker, agency_with_staff):
    question = published(blog, asker, agency_with_staff, when=at(2026, 3, 18, 11))
    head = agency_with_staff.head
    with time_machine.travel(at(2026, 4, 1, 10), tick=False):
        with pytest.raises(ObligationError):
            services.question_extend(
                question=question, actor=head, new_due_date=datetime.date(2026, 5, 19), reason="r"
            )
        services.question_extend(
            question=question,
            actor=head,
            new_due_date=datetime.date(2026, 5, 18),
            reason="We are waiting for the court's report.",
        )
        obligation = Obligation.objects.get(pk=question.obligation_id)
        assert local_date(obligation.due_at) == datetime.date(2026, 5, 18)
        with pytest.raises(PermissionDenied):
            services.question_extend(
                question=question, actor=head, new_due_date=datetime.date(2026, 5, 18), reason="r"
            )


def test_extension_is_not_for_the_asker_nor_after_the_due_date(blog, asker, agency_with_staff):
    question = published(blog, asker, agency_with_staff, when=at(2026, 3, 18, 11))
    with time_machine.travel(at(2026, 4, 1, 10), tick=False), pytest.raises(PermissionDenied):
        services.question_extend(
            question=question, actor=asker, new_due_date=datetime.date(2026, 5, 1), reason="r"
        )
    with time_machine.travel(at(2026, 4, 14, 10), tick=False), pytest.raises(PermissionDenied):
        services.question_extend(
            question=question,
            actor=agency_with_staff.head,
            new_due_date=datetime.date(2026, 5, 1),
            reason="r",
        )


def test_redirect_within_three_working_days_moves_question_and_clock(
    blog, asker, agency_with_staff
):
    """Published Wednesday 18 March 2026: three working days end on Thursday 26 March
    (Nauryz days do not count). Redirected on the 26th, the other agency owes an answer
    15 working days from then."""
    question = published(blog, asker, agency_with_staff, when=at(2026, 3, 18, 11))
    other = AgencyFactory()
    with time_machine.travel(at(2026, 3, 26, 17), tick=False):
        services.question_redirect(
            question=question,
            actor=agency_with_staff.responder,
            to_agency=other,
            reason="Courts are the Supreme Court's matter.",
        )
    question.refresh_from_db()
    assert question.agency == other
    assert question.blog == blog
    obligation = Obligation.objects.get(pk=question.obligation_id)
    assert obligation.agency == other
    assert local_date(obligation.due_at) == datetime.date(2026, 4, 16)
    assert ObligationRedirect.objects.get().from_agency == agency_with_staff.agency
    # The first agency can no longer answer; the new one can.
    with pytest.raises(PermissionDenied):
        services.question_answer(
            question=question, responder=agency_with_staff.responder, text="x", is_final=True
        )
    new_responder = UserFactory()
    MembershipFactory(user=new_responder, agency=other, role="responder")
    services.question_answer(question=question, responder=new_responder, text="ok", is_final=True)


def test_redirect_after_the_window_is_refused(blog, asker, agency_with_staff):
    question = published(blog, asker, agency_with_staff, when=at(2026, 3, 18, 11))
    with time_machine.travel(at(2026, 3, 27, 9), tick=False), pytest.raises(PermissionDenied):
        services.question_redirect(
            question=question,
            actor=agency_with_staff.responder,
            to_agency=AgencyFactory(),
            reason="late",
        )
    assert Question.objects.get(pk=question.pk).agency == agency_with_staff.agency


def test_rating_only_by_the_asker_once_on_a_final_answer(blog, asker, agency_with_staff):
    question = published(blog, asker, agency_with_staff)
    with pytest.raises(PermissionDenied):
        services.question_rate(question=question, asker=asker, verdict="satisfied")
    services.question_answer(
        question=question, responder=agency_with_staff.responder, text="wait", is_final=False
    )
    with pytest.raises(PermissionDenied):
        services.question_rate(question=question, asker=asker, verdict="satisfied")
    services.question_answer(
        question=question, responder=agency_with_staff.responder, text="done", is_final=True
    )
    question = Question.objects.select_related("obligation").get(pk=question.pk)
    with pytest.raises(PermissionDenied):
        services.question_rate(question=question, asker=UserFactory(), verdict="satisfied")
    with pytest.raises(ValidationError):
        services.question_rate(question=question, asker=asker, verdict="great")
    services.question_rate(
        question=question, asker=asker, verdict=RatingVerdict.BRUSH_OFF, comment="Form letter."
    )
    with pytest.raises(PermissionDenied):
        services.question_rate(question=question, asker=asker, verdict="satisfied")
    fresh = Question.objects.select_related("obligation").get(pk=question.pk)
    with pytest.raises(PermissionDenied):
        services.question_rate(question=fresh, asker=asker, verdict="satisfied")
    assert Rating.objects.get().verdict == RatingVerdict.BRUSH_OFF


def test_support_is_idempotent_and_not_for_the_asker(blog, asker, agency_with_staff):
    question = published(blog, asker, agency_with_staff)
    supporter = UserFactory()
    assert services.question_support(question=question, user=supporter) is True
    assert services.question_support(question=question, user=supporter) is False
    assert Question.objects.get(pk=question.pk).support_count == 1
    assert Follow.objects.filter(user=supporter, object_id=str(question.pk)).exists()
    with pytest.raises(PermissionDenied):
        services.question_support(question=question, user=asker)
    pending = submit(question.blog, asker, title="Pending")
    with pytest.raises(PermissionDenied):
        services.question_support(question=pending, user=supporter)
    assert Support.objects.count() == 1


def test_moderation_hides_and_keeps_the_text_and_obligation(blog, asker, agency_with_staff):
    question = answered(blog, asker, agency_with_staff)
    hidden = moderation_hide(
        targets=[question], reason="personal_data", actor=agency_with_staff.moderator
    )
    assert hidden == [question]
    question.refresh_from_db()
    assert question.is_hidden
    assert question.hidden_reason == "personal_data"
    assert question.text
    assert Obligation.objects.get(pk=question.obligation_id).answered_at is not None


def test_a_platform_moderator_may_hide_any_agencys_question(blog, asker, agency_with_staff):
    question = published(blog, asker, agency_with_staff)
    other_moderator = UserFactory()
    MembershipFactory(user=other_moderator, agency=AgencyFactory(), role="moderator")
    with pytest.raises(PermissionDenied):
        services.question_hide(question=question, reason="abuse", actor=other_moderator)
    services.question_hide(question=question, reason="abuse", actor=platform_moderator())
    services.question_restore(question=question, actor=agency_with_staff.moderator)
    assert not Question.objects.get(pk=question.pk).is_hidden


def test_the_work_queue_hears_of_every_change(blog, asker, agency_with_staff, monkeypatch):
    pushed = []
    monkeypatch.setattr(
        services, "live_push", lambda *, group, event, payload: pushed.append((group, event))
    )
    staff = agency_with_staff
    ours = services.work_queue_group(staff.agency.pk)
    question = published(blog, asker, staff, when=at(2026, 3, 18, 11))
    assert pushed == [(ours, "blog_queue_changed")]
    other = AgencyFactory()
    with time_machine.travel(at(2026, 3, 19, 11), tick=False):
        services.question_answer(
            question=question, responder=staff.responder, text="Looking", is_final=False
        )
        services.question_redirect(
            question=question, actor=staff.responder, to_agency=other, reason="Not ours"
        )
    theirs = services.work_queue_group(other.pk)
    assert [group for group, _event in pushed] == [ours, ours, ours, theirs]


# --- Attachments ----------------------------------------------------------------------


def test_files_attached_to_the_question_and_to_the_answer_are_kept_apart(
    blog, asker, agency_with_staff
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = SimpleUploadedFile("../complaint.PDF", b"%PDF-1.4\n%%EOF\n")
    question = submit(blog, asker, attachments=[pdf])
    services.question_publish(question=question, actor=agency_with_staff.moderator)
    reply = SimpleUploadedFile("reply.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 16)
    answer = services.question_answer(
        question=question,
        responder=agency_with_staff.responder,
        text="See the attached schedule.",
        is_final=True,
        attachments=[reply],
    )
    own = list(question.attachments.filter(answer__isnull=True))
    assert [(a.name, a.content_type, a.size) for a in own] == [
        ("complaint.pdf", "application/pdf", 15)
    ]
    assert [a.name for a in answer.attachments.all()] == ["reply.png"]
    assert own[0].file.read() == b"%PDF-1.4\n%%EOF\n"
    assert "complaint" not in own[0].file.name  # stored under a random name


def test_a_bad_file_refuses_the_whole_question_and_stores_nothing(blog, asker):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from blogs.models import Attachment, Question

    with pytest.raises(ValidationError) as error:
        submit(blog, asker, attachments=[SimpleUploadedFile("x.pdf", b"not a pdf")])
    assert "attachments" in error.value.message_dict
    assert not Question.objects.exists() and not Attachment.objects.exists()


def test_a_question_asked_on_a_translated_blog_page_belongs_to_the_blog(blog, asker):
    from wagtail.models import Locale

    russian = Locale.objects.get_or_create(language_code="ru")[0]
    from tests.factories import publish

    translated = publish(blog.copy_for_translation(russian, copy_parents=True))
    assert translated.pk != blog.pk
    question = submit(translated, asker)
    assert question.blog_id == blog.pk
