"""Poll services: drafting, publishing, cancelling, and taking part once."""

from __future__ import annotations

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from accounts.models import AuditEvent
from accounts.regions import Region
from dialogue.polls import services
from dialogue.polls.models import (
    Audience,
    Phase,
    Poll,
    PollAnswer,
    PollOption,
    PollQuestion,
    PollState,
    QuestionKind,
    Submission,
)
from moderation.models import UserBlock
from notifications.models import Notification
from notifications.services import follow
from tests.factories import UserFactory

from .conftest import (
    AFTER,
    BEFORE,
    CLOSES,
    NOW,
    OPENS,
    at,
    committed,
    make_poll,
    option_ids,
    questions,
    submit,
)

pytestmark = pytest.mark.django_db


def errors_of(excinfo) -> dict[str, list[str]]:
    return {field: [e.code for e in errs] for field, errs in excinfo.value.error_dict.items()}


# --- drafting ------------------------------------------------------------------------------


def test_create_makes_an_audited_draft(staff):
    poll = make_poll(staff, publish=False)

    assert poll.state == PollState.DRAFT
    assert poll.phase() == Phase.DRAFT
    assert poll.created_by == staff.responder
    assert [q.kind for q in questions(poll)] == ["single", "multiple", "text"]
    assert [q.position for q in questions(poll)] == [1, 2, 3]
    assert list(questions(poll)[0].options.values_list("position", flat=True)) == [1, 2, 3, 4]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"poll_created", "poll_question_added"} <= actions


@pytest.mark.parametrize("role", ["drafter", "moderator"])
def test_only_head_and_responders_create(staff, role):
    with pytest.raises(PermissionDenied):
        services.poll_create(
            agency=staff.agency,
            actor=getattr(staff, role),
            title="A poll",
            opens_at=OPENS,
            closes_at=CLOSES,
        )


def test_head_creates_too(staff):
    poll = services.poll_create(
        agency=staff.agency, actor=staff.head, title="A poll", opens_at=OPENS, closes_at=CLOSES
    )
    assert poll.state == PollState.DRAFT


def test_create_reports_every_field_error(staff):
    with pytest.raises(ValidationError) as excinfo:
        services.poll_create(
            agency=staff.agency,
            actor=staff.head,
            title="  ",
            opens_at=CLOSES,
            closes_at=OPENS,
            audience="everyone",
            region="mars",
        )
    assert errors_of(excinfo) == {
        "title": ["empty"],
        "audience": ["invalid"],
        "region": ["invalid"],
        "closes_at": ["order"],
    }
    assert not Poll.objects.exists()


def test_database_refuses_closing_before_opening(staff):
    poll = make_poll(staff, publish=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        Poll.objects.filter(pk=poll.pk).update(closes_at=poll.opens_at)


def test_question_validation(staff):
    poll = make_poll(staff, publish=False, questions=())
    with pytest.raises(ValidationError) as excinfo:
        services.question_add(
            poll=poll, actor=staff.head, kind=QuestionKind.SINGLE, text="", options=["Only one"]
        )
    assert errors_of(excinfo) == {"text": ["empty"], "options": ["too_few"]}
    with pytest.raises(ValidationError) as excinfo:
        services.question_add(
            poll=poll,
            actor=staff.head,
            kind=QuestionKind.MULTIPLE,
            text="Which?",
            options=["A", "a", "B"],
            max_choices=5,
        )
    assert errors_of(excinfo) == {"options": ["duplicate"], "max_choices": ["max"]}
    with pytest.raises(ValidationError) as excinfo:
        services.question_add(
            poll=poll, actor=staff.head, kind=QuestionKind.TEXT, text="Why?", options=["A"]
        )
    assert errors_of(excinfo) == {"options": ["options"]}
    assert not PollQuestion.objects.exists()


def test_blank_option_lines_are_ignored_and_max_choices_dropped_for_single(staff):
    poll = make_poll(staff, publish=False, questions=())
    question = services.question_add(
        poll=poll,
        actor=staff.head,
        kind=QuestionKind.SINGLE,
        text="Yes or no?",
        options=["Yes", "  ", "No", ""],
        max_choices=1,
    )
    assert [o.text for o in question.options.all()] == ["Yes", "No"]
    assert question.max_choices is None


def test_question_update_replaces_options_and_remove_and_move(staff):
    poll = make_poll(staff, publish=False)
    first, second, third = questions(poll)
    services.question_update(question=first, actor=staff.head, options=["Often", "Seldom"])
    assert [o.text for o in first.options.order_by("position")] == ["Often", "Seldom"]

    services.question_move(question=third, actor=staff.head, up=True)
    assert [q.pk for q in questions(poll)] == [first.pk, third.pk, second.pk]
    services.question_move(
        question=PollQuestion.objects.get(pk=first.pk), actor=staff.head, up=True
    )
    assert [q.pk for q in questions(poll)] == [first.pk, third.pk, second.pk]  # already first

    services.question_remove(question=PollQuestion.objects.get(pk=third.pk), actor=staff.head)
    assert [q.pk for q in questions(poll)] == [first.pk, second.pk]
    assert not PollOption.objects.filter(question_id=third.pk).exists()


def test_questions_are_fixed_once_published(poll, staff):
    first = questions(poll)[0]
    with pytest.raises(PermissionDenied):
        services.question_add(poll=poll, actor=staff.head, kind=QuestionKind.TEXT, text="One more?")
    with pytest.raises(PermissionDenied):
        services.question_update(question=first, actor=staff.head, text="Changed")
    with pytest.raises(PermissionDenied):
        services.question_remove(question=first, actor=staff.head)
    assert PollQuestion.objects.get(pk=first.pk).text == first.text


def test_publish_needs_questions_with_options_and_a_future_close(staff):
    empty = make_poll(staff, publish=False, questions=())
    with pytest.raises(ValidationError) as excinfo:
        services.poll_publish(poll=empty, actor=staff.head)
    assert errors_of(excinfo) == {"questions": ["no_questions"]}

    late = make_poll(staff, publish=False, closes_at=at(2026, 3, 9, 12), opens_at=at(2026, 3, 3))
    with pytest.raises(ValidationError) as excinfo:
        services.poll_publish(poll=late, actor=staff.head)
    assert errors_of(excinfo) == {"closes_at": ["in_the_past"]}
    assert Poll.objects.filter(state=PollState.PUBLISHED).count() == 0


def test_publish_tells_the_agencys_followers(staff):
    follower = UserFactory()
    follow(user=follower, target=staff.agency)
    poll = make_poll(staff, publish=False)
    with committed():
        services.poll_publish(poll=poll, actor=staff.head)
    poll.refresh_from_db()
    assert poll.state == PollState.PUBLISHED
    assert poll.published_at == NOW
    assert poll.published_by == staff.head
    notification = Notification.objects.get(recipient=follower)
    assert notification.kind == services.KIND_PUBLISHED
    assert notification.url == poll.get_absolute_url()
    with pytest.raises(PermissionDenied):
        services.poll_publish(poll=poll, actor=staff.head)


def test_published_poll_changes_only_description_and_closing(poll, staff):
    later = at(2026, 3, 25, 18)
    services.poll_update(poll=poll, actor=staff.head, description="More context.", closes_at=later)
    poll.refresh_from_db()
    assert (poll.description, poll.closes_at) == ("More context.", later)
    with pytest.raises(ValidationError) as excinfo:
        services.poll_update(poll=poll, actor=staff.head, audience=Audience.IDENTITY_VERIFIED)
    assert errors_of(excinfo) == {"audience": ["published"]}
    with pytest.raises(ValidationError) as excinfo:
        services.poll_update(poll=poll, actor=staff.head, closes_at=at(2026, 3, 10, 8))
    assert errors_of(excinfo) == {"closes_at": ["in_the_past"]}
    # Giving an unchanged value of a fixed field is not a change.
    services.poll_update(poll=poll, actor=staff.head, audience=poll.audience, title=poll.title)
    event = AuditEvent.objects.filter(action="poll_updated").first()
    assert event is not None


def test_closed_poll_cannot_change_or_be_cancelled(poll, staff):
    with time_machine.travel(AFTER, tick=False):
        with pytest.raises(PermissionDenied):
            services.poll_update(poll=poll, actor=staff.head, description="Late")
        with pytest.raises(PermissionDenied):
            services.poll_cancel(poll=poll, actor=staff.head, reason="Too late")
    assert Poll.objects.get(pk=poll.pk).state == PollState.PUBLISHED


def test_cancel_keeps_the_reason_and_refuses_more(poll, staff, citizen):
    with pytest.raises(ValidationError):
        services.poll_cancel(poll=poll, actor=staff.head, reason=" ")
    services.poll_cancel(poll=poll, actor=staff.head, reason="The law changed.")
    poll.refresh_from_db()
    assert poll.state == PollState.CANCELLED
    assert poll.phase() == Phase.CANCELLED
    assert (poll.cancel_reason, poll.cancelled_by, poll.cancelled_at) == (
        "The law changed.",
        staff.head,
        NOW,
    )
    with pytest.raises(services.SubmissionRefused) as excinfo:
        submit(poll, citizen)
    assert excinfo.value.code == "cancelled"
    with pytest.raises(PermissionDenied):
        services.poll_cancel(poll=poll, actor=staff.head, reason="Again")


def test_outsiders_cannot_change_a_poll(poll, staff, citizen):
    for action in (
        lambda: services.poll_update(poll=poll, actor=citizen, description="x"),
        lambda: services.poll_cancel(poll=poll, actor=staff.drafter, reason="x"),
        lambda: services.poll_publish(poll=poll, actor=citizen),
    ):
        with pytest.raises(PermissionDenied):
            action()


# --- taking part ---------------------------------------------------------------------------


def test_submit_records_answers_and_moves_counters(poll, citizen):
    submission = submit(poll, citizen, single=2, multiple=(0, 3), text="Faster please")

    first, second, third = questions(poll)
    poll.refresh_from_db()
    assert poll.submission_count == 1
    assert [q.answer_count for q in questions(poll)] == [1, 1, 1]
    assert list(first.options.order_by("position").values_list("vote_count", flat=True)) == [
        0,
        0,
        1,
        0,
    ]
    assert list(second.options.order_by("position").values_list("vote_count", flat=True)) == [
        1,
        0,
        0,
        1,
    ]
    assert submission.submitted_at == NOW
    assert len(submission.respondent) == 32
    assert PollAnswer.objects.filter(submission=submission).count() == 4
    assert PollAnswer.objects.get(submission=submission, question=third).text == "Faster please"
    event = AuditEvent.objects.get(action="poll_submitted")
    assert event.data == {}  # what was answered is not in the audit log


def test_counters_match_rows_after_many(poll):
    people = UserFactory.create_batch(7)
    for index, person in enumerate(people):
        submit(poll, person, single=index % 4, multiple=(index % 4,))
    first, second, _third = questions(poll)
    poll.refresh_from_db()
    assert poll.submission_count == 7 == Submission.objects.filter(poll=poll).count()
    for option in PollOption.objects.filter(question__poll=poll):
        assert option.vote_count == PollAnswer.objects.filter(option=option).count()
    assert [q.answer_count for q in questions(poll)] == [7, 7, 0]


def test_second_submission_is_refused_and_changes_nothing(poll, citizen):
    submit(poll, citizen)
    with translation.override("en"), pytest.raises(services.SubmissionRefused) as excinfo:
        submit(poll, citizen, single=1)
    assert excinfo.value.code == "submitted"
    assert str(excinfo.value) == "You have already taken part in this poll."
    poll.refresh_from_db()
    assert poll.submission_count == 1
    assert questions(poll)[0].options.get(position=2).vote_count == 0


def test_the_unique_constraint_refuses_even_when_the_checks_are_passed(poll, citizen, monkeypatch):
    """Two requests of one person racing: both pass the checks, the database decides."""
    submit(poll, citizen)
    monkeypatch.setattr(services.poll_rules, "take_refusal", lambda *args, **kwargs: None)
    with pytest.raises(services.SubmissionRefused) as excinfo:
        submit(poll, citizen)
    assert excinfo.value.code == "submitted"
    poll.refresh_from_db()
    assert poll.submission_count == 1


def test_database_refuses_a_second_submission_row(poll, citizen):
    Submission.objects.create(poll=poll, user=citizen)
    with pytest.raises(IntegrityError), transaction.atomic():
        Submission.objects.create(poll=poll, user=citizen)


def test_database_refuses_an_answer_with_both_or_neither(poll, citizen):
    submission = Submission.objects.create(poll=poll, user=citizen)
    first = questions(poll)[0]
    option = first.options.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        PollAnswer.objects.create(submission=submission, question=first, option=option, text="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        PollAnswer.objects.create(submission=submission, question=first)
    PollAnswer.objects.create(submission=submission, question=first, option=option)
    with pytest.raises(IntegrityError), transaction.atomic():
        PollAnswer.objects.create(submission=submission, question=first, option=option)


def test_required_questions_must_be_answered(poll, citizen):
    first, second, third = questions(poll)
    with pytest.raises(ValidationError) as excinfo, committed():
        services.poll_submit(poll=poll, user=citizen, answers={third.pk: "Only this"})
    assert errors_of(excinfo) == {f"q{first.pk}": ["required"], f"q{second.pk}": ["required"]}
    assert not Submission.objects.exists()


def test_choice_limits(poll, citizen):
    first, second, _third = questions(poll)
    foreign = option_ids(first, 0)[0]
    cases = [
        ({first.pk: option_ids(first, 0, 1), second.pk: option_ids(second, 0)}, f"q{first.pk}"),
        ({first.pk: foreign, second.pk: option_ids(second, 0, 1, 2)}, f"q{second.pk}"),
        ({first.pk: foreign, second.pk: [foreign]}, f"q{second.pk}"),
        ({first.pk: "abc", second.pk: option_ids(second, 0)}, f"q{first.pk}"),
        ({first.pk: foreign, second.pk: option_ids(second, 1, 1)}, f"q{second.pk}"),
    ]
    codes = []
    for answers, field in cases:
        with pytest.raises(ValidationError) as excinfo, committed():
            services.poll_submit(poll=poll, user=citizen, answers=answers)
        assert list(excinfo.value.error_dict) == [field]
        codes.append(errors_of(excinfo)[field][0])
    assert codes == ["too_many", "too_many", "invalid", "invalid", "invalid"]
    assert not Submission.objects.exists()


def test_answers_may_be_given_by_field_name(poll, citizen):
    first, second, _third = questions(poll)
    with committed():
        services.poll_submit(
            poll=poll,
            user=citizen,
            answers={
                f"q{first.pk}": str(option_ids(first, 1)[0]),
                f"q{second.pk}": [str(pk) for pk in option_ids(second, 2)],
            },
        )
    assert questions(poll)[0].options.get(position=2).vote_count == 1


def test_free_text_length_is_limited(poll, citizen):
    with pytest.raises(ValidationError) as excinfo:
        submit(poll, citizen, text="x" * 1001)
    third = questions(poll)[2]
    assert errors_of(excinfo) == {f"q{third.pk}": ["too_long"]}


def test_blocked_people_cannot_take_part(poll, citizen, staff):
    UserBlock.objects.create(user=citizen, reason="spam", actor=staff.head)
    with pytest.raises(services.SubmissionRefused) as excinfo:
        submit(poll, citizen)
    assert excinfo.value.code == "blocked"


@pytest.mark.parametrize(
    ("moment", "code"),
    [(BEFORE, "upcoming"), (CLOSES, "closed"), (AFTER, "closed")],
    ids=["before_opening", "at_closing", "after_closing"],
)
def test_only_while_open(poll, citizen, moment, code):
    with (
        time_machine.travel(moment, tick=False),
        pytest.raises(services.SubmissionRefused) as excinfo,
    ):
        submit(poll, citizen)
    assert excinfo.value.code == code
    assert not Submission.objects.exists()


def test_opening_moment_is_open(poll, citizen):
    with time_machine.travel(OPENS, tick=False):
        submit(poll, citizen)
    assert Submission.objects.get().submitted_at == OPENS


def test_audience_is_checked(staff, citizen, identity_verified_user):
    poll = make_poll(staff, audience=Audience.IDENTITY_VERIFIED, region=Region.ASTANA)
    with pytest.raises(services.SubmissionRefused) as excinfo:
        submit(poll, citizen)
    assert excinfo.value.code == "identity"
    identity_verified_user.region = Region.PAVLODAR
    identity_verified_user.save(update_fields=["region"])
    with pytest.raises(services.SubmissionRefused) as excinfo:
        submit(poll, identity_verified_user)
    assert excinfo.value.code == "region"
    identity_verified_user.region = Region.ASTANA
    identity_verified_user.save(update_fields=["region"])
    submit(poll, identity_verified_user)
    assert Submission.objects.filter(poll=poll).count() == 1


def test_unanswered_optional_text_writes_no_row(poll, citizen):
    submission = submit(poll, citizen)
    third = questions(poll)[2]
    assert not PollAnswer.objects.filter(submission=submission, question=third).exists()
    assert PollQuestion.objects.get(pk=third.pk).answer_count == 0


def test_posting_limits_apply_to_free_text(poll, staff, settings):
    settings.MODERATION_RATE_LIMITS = {"user_per_minute": 1}
    person = UserFactory()
    other = make_poll(staff, title="Another poll")
    submit(poll, person, text="First words")
    with pytest.raises(services.SubmissionRefused) as excinfo:
        submit(other, person, text="Second words")
    assert excinfo.value.code == "posting"
    # Without free text nothing is posted: the choice answers go through.
    submit(other, person)
    assert Submission.objects.filter(user=person).count() == 2


def test_phase_is_derived_from_the_dates(poll):
    for moment, phase in [
        (BEFORE, Phase.UPCOMING),
        (OPENS, Phase.OPEN),
        (NOW, Phase.OPEN),
        (CLOSES, Phase.CLOSED),
        (AFTER, Phase.CLOSED),
    ]:
        assert poll.phase(moment) == phase
        with time_machine.travel(moment, tick=False):
            assert {
                "upcoming": Poll.objects.upcoming().filter(pk=poll.pk).exists(),
                "open": Poll.objects.open().filter(pk=poll.pk).exists(),
                "closed": Poll.objects.closed().filter(pk=poll.pk).exists(),
            } == {name: name == phase for name in ("upcoming", "open", "closed")}
