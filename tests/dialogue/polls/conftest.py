"""Fixtures of the poll tests: polls of the Ministry of Justice (`agency_with_staff`),
made through the services. Unless a test travels elsewhere it runs on Tuesday 10 March
2026, 12:00 Astana time, and the standard poll is open from 9 March to 20 March.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import TestCase

from accounts.regions import Region
from dialogue.polls import services
from dialogue.polls.models import (
    Audience,
    Poll,
    PollQuestion,
    QuestionKind,
    ResultsVisibility,
)
from tests.factories import UserFactory

ALMATY = ZoneInfo("Asia/Almaty")


def at(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime.datetime:
    """An aware datetime in Astana time."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=ALMATY)


CREATED = at(2026, 3, 2)
OPENS = at(2026, 3, 9, 9)
NOW = at(2026, 3, 10)
CLOSES = at(2026, 3, 20, 18)
BEFORE = at(2026, 3, 5)  # published, not open yet
AFTER = at(2026, 3, 21)  # closed


@pytest.fixture(autouse=True)
def _while_open():
    with time_machine.travel(NOW, tick=False):
        yield


def committed():
    """Run the on-commit callbacks of what the block does (the test never commits)."""
    return TestCase.captureOnCommitCallbacks(execute=True)


STANDARD_QUESTIONS = (
    {
        "kind": QuestionKind.SINGLE,
        "text": "How often do you use e-government services?",
        "options": ["Every week", "Every month", "Rarely", "Never"],
    },
    {
        "kind": QuestionKind.MULTIPLE,
        "text": "Which services should be improved first?",
        "options": ["Licences", "Benefits", "Taxes", "Registration"],
        "max_choices": 2,
    },
    {
        "kind": QuestionKind.TEXT,
        "text": "What else should we know?",
        "required": False,
    },
)


def make_poll(
    staff,
    *,
    publish: bool = True,
    questions=STANDARD_QUESTIONS,
    opens_at: datetime.datetime = OPENS,
    closes_at: datetime.datetime = CLOSES,
    audience: str = Audience.VERIFIED,
    region: str = "",
    results_visibility: str = ResultsVisibility.AFTER_VOTING,
    title: str = "E-government services",
    agency=None,
    actor=None,
) -> Poll:
    """A poll of `staff.agency` (an AgencyStaff), drafted on 2 March and published on
    5 March unless `publish=False`."""
    actor = actor or staff.responder
    with time_machine.travel(CREATED, tick=False):
        poll = services.poll_create(
            agency=agency or staff.agency,
            actor=actor,
            title=title,
            description="Tell us how the services work for you.",
            language="en",
            opens_at=opens_at,
            closes_at=closes_at,
            audience=audience,
            region=region,
            results_visibility=results_visibility,
        )
        for spec in questions:
            services.question_add(poll=poll, actor=actor, **spec)
    if publish:
        with time_machine.travel(min(BEFORE, opens_at), tick=False), committed():
            services.poll_publish(poll=poll, actor=actor)
    return Poll.objects.select_related("agency").get(pk=poll.pk)


def questions(poll: Poll) -> list[PollQuestion]:
    return list(poll.questions.order_by("position").prefetch_related("options"))


def option_ids(question: PollQuestion, *indexes: int) -> list[int]:
    options = list(question.options.order_by("position"))
    return [options[index].pk for index in indexes]


def standard_answers(poll: Poll, single: int = 0, multiple=(0, 1), text: str = "") -> dict:
    first, second, third = questions(poll)
    answers = {
        first.pk: option_ids(first, single)[0],
        second.pk: option_ids(second, *multiple),
    }
    if text:
        answers[third.pk] = text
    return answers


def submit(poll: Poll, user, **kwargs):
    with committed():
        return services.poll_submit(poll=poll, user=user, answers=standard_answers(poll, **kwargs))


@pytest.fixture
def staff(agency_with_staff):
    return agency_with_staff


@pytest.fixture
def poll(staff) -> Poll:
    return make_poll(staff)


@pytest.fixture
def citizen(db):
    return UserFactory(region=Region.ASTANA)
