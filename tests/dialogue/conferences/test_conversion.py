"""After the conference, unanswered published questions become published questions in the
official's blog (`blogs.services.question_create_published`): the agency's obligation
opens (the blog's kind, 15 working days), the asker is told and follows it, both sides
keep the link, and each question converts once."""

from __future__ import annotations

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import translation

from blogs.models import Question as BlogQuestion
from blogs.models import QuestionState as BlogQuestionState
from blogs.services import OBLIGATION_KIND
from dialogue.conferences import services
from dialogue.conferences.models import ConferenceQuestion
from notifications.models import Follow, Notification
from tests.blogs.conftest import make_blog

from .conftest import AFTER, DURING, committed

pytestmark = pytest.mark.django_db


@pytest.fixture
def ministers_blog(staff):
    return make_blog(staff.agency, staff.head, title="Minister's blog", slug="minister")


@pytest.fixture
def deputys_blog(staff, official):
    return make_blog(staff.agency, official, title="Deputy minister's blog", slug="deputy")


@pytest.fixture
def unanswered(published, citizen):
    return published(citizen, "When will the legal aid centre in Kosshy open?")


def test_an_unanswered_question_becomes_a_published_blog_question(
    unanswered, deputys_blog, ministers_blog, staff, citizen
):
    with time_machine.travel(AFTER, tick=False), committed():
        blog_question = services.question_convert_to_blog(
            question=unanswered, actor=staff.moderator
        )

    assert blog_question.blog == deputys_blog  # the official's own blog first
    assert blog_question.state == BlogQuestionState.PUBLISHED
    assert blog_question.asker == citizen
    assert blog_question.text == unanswered.text
    assert blog_question.title == "When will the legal aid centre in Kosshy open?"
    assert blog_question.published_at == AFTER
    assert blog_question.submitted_at == unanswered.submitted_at
    assert blog_question.moderated_by == staff.moderator
    obligation = blog_question.obligation
    assert obligation.kind == OBLIGATION_KIND
    assert obligation.agency == staff.agency
    assert obligation.answered_at is None
    # The link both ways.
    unanswered.refresh_from_db()
    assert unanswered.blog_question == blog_question
    assert unanswered.converted_by == staff.moderator
    assert BlogQuestion.objects.get(pk=blog_question.pk).conference_question == unanswered
    # The asker is told and follows the blog question.
    assert Notification.objects.filter(recipient=citizen, kind="blog_question_published").exists()
    assert Follow.objects.filter(user=citizen, object_id=str(blog_question.pk)).exists()


def test_the_agencys_blog_is_used_when_the_official_has_none(unanswered, ministers_blog, staff):
    with time_machine.travel(AFTER, tick=False):
        blog_question = services.question_convert_to_blog(question=unanswered, actor=staff.head)
    assert blog_question.blog == ministers_blog


def test_a_question_converts_once(unanswered, ministers_blog, staff):
    with time_machine.travel(AFTER, tick=False):
        services.question_convert_to_blog(question=unanswered, actor=staff.moderator)
        with pytest.raises(PermissionDenied):
            services.question_convert_to_blog(question=unanswered, actor=staff.moderator)
    assert BlogQuestion.objects.count() == 1


def test_the_database_links_a_blog_question_to_one_conference_question(
    unanswered, published, ministers_blog, staff
):
    with time_machine.travel(AFTER, tick=False):
        blog_question = services.question_convert_to_blog(question=unanswered, actor=staff.head)
    other = published()
    with pytest.raises(IntegrityError), transaction.atomic():
        ConferenceQuestion.objects.filter(pk=other.pk).update(
            blog_question=blog_question, converted_at=AFTER
        )


def test_not_before_the_conference_is_over(unanswered, ministers_blog, staff):
    with time_machine.travel(DURING, tick=False), pytest.raises(PermissionDenied):
        services.question_convert_to_blog(question=unanswered, actor=staff.moderator)
    assert not BlogQuestion.objects.exists()


def test_an_answered_question_is_not_converted(unanswered, ministers_blog, official, staff):
    with time_machine.travel(DURING, tick=False):
        services.question_answer(question=unanswered, actor=official, text="Next year.")
    with time_machine.travel(AFTER, tick=False), pytest.raises(PermissionDenied):
        services.question_convert_to_blog(question=unanswered, actor=staff.moderator)


@pytest.mark.parametrize("who", ["responder", "drafter", "official", "platform_moderator"])
def test_only_the_agencys_head_and_moderators_convert(
    unanswered, ministers_blog, staff, official, moderator, who
):
    actor = {"official": official, "platform_moderator": moderator}.get(who) or getattr(staff, who)
    with time_machine.travel(AFTER, tick=False), pytest.raises(PermissionDenied):
        services.question_convert_to_blog(question=unanswered, actor=actor)


def test_without_a_blog_the_reason_is_given(unanswered, staff):
    with (
        time_machine.travel(AFTER, tick=False),
        translation.override("en"),
        pytest.raises(services.ConversionUnavailable, match="no official blog"),
    ):
        services.question_convert_to_blog(question=unanswered, actor=staff.moderator)
    assert ConferenceQuestion.objects.get(pk=unanswered.pk).blog_question is None


def test_a_blog_closed_to_questions_is_not_used(unanswered, ministers_blog, staff):
    ministers_blog.accepts_questions = False
    ministers_blog.save(update_fields=["accepts_questions"])
    with (
        time_machine.travel(AFTER, tick=False),
        translation.override("en"),
        pytest.raises(services.ConversionUnavailable, match="does not accept"),
    ):
        services.question_convert_to_blog(question=unanswered, actor=staff.moderator)
