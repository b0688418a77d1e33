"""The question model: the public name, derived state, database invariants, registrations."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from blogs import services
from blogs.models import Answer, Question, Support
from moderation import registry as moderation_registry
from notifications.models import Notification
from tests.factories import UserFactory
from tracking import kinds

from .conftest import answered, published, submit

pytestmark = pytest.mark.django_db


def test_public_author_is_the_public_name(blog, asker):
    question = submit(blog, asker)
    assert question.public_author == "Dana Asker"


def test_hidden_name_never_shows_the_asker(blog, asker):
    question = submit(blog, asker, name_hidden=True)
    for language in ("kk", "ru", "en"):
        with translation.override(language):
            shown = question.public_author
            assert "Dana" not in shown
            assert asker.email not in shown
            assert shown


def test_hidden_name_stays_out_of_notifications_and_the_moderation_excerpt(
    blog, asker, agency_with_staff, django_capture_on_commit_callbacks
):
    supporter = UserFactory()
    question = published(blog, asker, agency_with_staff, name_hidden=True)
    services.question_support(question=question, user=supporter)
    with django_capture_on_commit_callbacks(execute=True):
        services.question_answer(
            question=question, responder=agency_with_staff.responder, text="x", is_final=True
        )
    for notification in Notification.objects.filter(recipient=supporter):
        assert "Dana" not in f"{notification.title} {notification.body}"
    entry = moderation_registry.get(Question)
    assert "Dana" not in entry.excerpt_of(question)


def test_answered_is_derived_from_the_obligation(blog, asker, agency_with_staff):
    question = published(blog, asker, agency_with_staff)
    assert not question.is_answered
    question = answered(blog, asker, agency_with_staff, title="Second")
    assert question.is_answered
    assert Question.objects.awaiting_answer().count() == 1


def test_one_final_answer_per_question_in_the_database(blog, asker, agency_with_staff):
    question = answered(blog, asker, agency_with_staff)
    first = question.answers.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(
            question=question,
            agency=first.agency,
            responder=first.responder,
            responder_name="x",
            text="again",
            is_final=True,
            created_at=first.created_at,
        )


def test_one_support_per_person_in_the_database(blog, asker, agency_with_staff):
    question = published(blog, asker, agency_with_staff)
    supporter = UserFactory()
    Support.objects.create(question=question, user=supporter)
    with pytest.raises(IntegrityError), transaction.atomic():
        Support.objects.create(question=question, user=supporter)


def test_registrations(blog, asker):
    kind = kinds.get(services.OBLIGATION_KIND)
    assert kind is not None
    assert kind.extension_cap is not None and kind.redirect_window is not None
    question = submit(blog, asker)
    assert kind.title_of(question) == question.title
    assert moderation_registry.get(Question) is not None


def test_my_data_exports_questions_ratings_and_supports(blog, asker, agency_with_staff):
    from accounts import personal_data

    question = answered(blog, asker, agency_with_staff, name_hidden=True)
    services.question_rate(question=question, asker=asker, verdict="satisfied", comment="Thanks")
    other = published(blog, UserFactory(), agency_with_staff, title="Someone else's")
    services.question_support(question=other, user=asker)
    data = personal_data.export_for(asker)
    assert [row["id"] for row in data["blog_questions"]] == [question.pk]
    assert data["blog_questions"][0]["name_hidden"] is True
    assert data["blog_ratings"][0]["comment"] == "Thanks"
    assert data["blog_supports"] == [{"question": other.pk, "at": data["blog_supports"][0]["at"]}]
