"""The citizen's rating of a final answer, on the ledger and from a blog question."""

from __future__ import annotations

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import translation

from blogs import services as blogs
from tests.blogs.conftest import make_blog, published
from tests.factories import UserFactory
from tracking.models import Obligation
from tracking.services import (
    ObligationError,
    obligation_acknowledge,
    obligation_fulfil,
    obligation_open,
    obligation_rate,
    obligation_withdraw,
)

from .conftest import QUESTION, at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def opened(subject, agency_with_staff):
    with time_machine.travel(at(2026, 3, 18, 11), tick=False):
        return obligation_open(subject=subject, agency=agency_with_staff.agency, kind=QUESTION)


def test_only_a_final_answer_can_be_rated(opened):
    with time_machine.travel(at(2026, 3, 19), tick=False):
        obligation_acknowledge(obligation=opened, actor=None)
    with pytest.raises(ObligationError, match="Only a final answer"):
        obligation_rate(obligation=opened, verdict="satisfied")
    with time_machine.travel(at(2026, 3, 20), tick=False):
        obligation_fulfil(obligation=opened, actor=None)
    with pytest.raises(ObligationError, match="Not a rating"):
        obligation_rate(obligation=opened, verdict="great")
    with pytest.raises(ObligationError, match="before it was given"):
        obligation_rate(obligation=opened, verdict="satisfied", at=at(2026, 3, 19))
    assert Obligation.objects.rated().count() == 0


def test_a_withdrawn_obligation_cannot_be_rated(opened):
    obligation_withdraw(obligation=opened, actor=None, reason="The asker withdrew")
    with pytest.raises(ObligationError, match="Only a final answer"):
        obligation_rate(obligation=opened, verdict="brush_off")


def test_rating_again_replaces_the_verdict_and_keeps_the_history(opened):
    with time_machine.travel(at(2026, 3, 20), tick=False):
        obligation_fulfil(obligation=opened, actor=None)
    asker = UserFactory()
    obligation_rate(obligation=opened, verdict="brush_off", at=at(2026, 3, 21), actor=asker)
    obligation_rate(obligation=opened, verdict="satisfied", at=at(2026, 3, 22))
    opened.refresh_from_db()
    assert opened.rating == Obligation.Rating.SATISFIED
    assert opened.rated_at == at(2026, 3, 22)
    rated = list(opened.events.filter(kind="rated").order_by("at"))
    assert [(event.data["verdict"], event.data["previous"]) for event in rated] == [
        ("brush_off", ""),
        ("satisfied", "brush_off"),
    ]
    assert rated[0].actor == asker
    assert Obligation.objects.rated().get() == opened


def test_the_database_refuses_a_rating_without_an_answer(opened):
    with pytest.raises(IntegrityError), transaction.atomic():
        Obligation.objects.filter(pk=opened.pk).update(rating="satisfied", rated_at=at(2026, 4, 1))


def test_a_blog_rating_rates_the_questions_obligation(agency_with_staff):
    blog = make_blog(agency_with_staff.agency, agency_with_staff.head)
    asker = UserFactory(email="asker@example.kz")
    question = published(blog, asker, agency_with_staff)
    blogs.question_answer(
        question=question, responder=agency_with_staff.responder, text="Done.", is_final=True
    )
    rating = blogs.question_rate(question=question, asker=asker, verdict="brush_off")
    obligation = Obligation.objects.get(pk=question.obligation_id)
    assert obligation.rating == Obligation.Rating.BRUSH_OFF
    assert obligation.rated_at == rating.created_at
    assert obligation.events.get(kind="rated").actor == asker
