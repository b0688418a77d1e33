"""Fixtures of the conference tests: the Ministry of Justice (`agency_with_staff`) holds a
conference of its deputy minister (a member with the responder role) on Thursday
12 March 2026, 15:00-17:00 Astana time, scheduled on Tuesday 10 March by the ministry's
moderator.

Unless a test travels elsewhere it runs on Wednesday 11 March (the conference is
upcoming); `DURING` is in the live window, `AFTER` the next day (archived).
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import TestCase

from accounts.models import Membership
from ashyq.live import presence
from dialogue.conferences import services
from dialogue.conferences.models import ConferenceQuestion
from tests.factories import MembershipFactory, UserFactory, platform_moderator

ALMATY = ZoneInfo("Asia/Almaty")


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=ALMATY)


SCHEDULED = at(2026, 3, 10)
BEFORE = at(2026, 3, 11, 12)
STARTS = at(2026, 3, 12, 15)
DURING = at(2026, 3, 12, 16)
ENDS = at(2026, 3, 12, 17)
AFTER = at(2026, 3, 13)


def committed():
    """Run the on-commit callbacks (notifications, live pushes, rate counting) of what
    the block does: the test's transaction never commits."""
    return TestCase.captureOnCommitCallbacks(execute=True)


@pytest.fixture(autouse=True)
def _before_the_conference():
    with time_machine.travel(BEFORE, tick=False):
        yield


@pytest.fixture(autouse=True)
def _fresh_presence():
    presence.reset()
    yield
    presence.reset()


@pytest.fixture
def staff(agency_with_staff):
    return agency_with_staff


@pytest.fixture
def official(staff):
    user = UserFactory(
        email="deputy@justice.gov.kz", first_name="Marat", last_name="Seitkali", display_name=""
    )
    MembershipFactory(
        agency=staff.agency,
        user=user,
        role=Membership.Role.RESPONDER,
        position_kk="Вице-министр",
        position_ru="Вице-министр",
        position_en="Deputy Minister",
    )
    return user


@pytest.fixture
def moderator(db):
    return platform_moderator(email="moderator@ashyq.kz", display_name="Platform Moderator")


@pytest.fixture
def conference(staff, official):
    with time_machine.travel(SCHEDULED, tick=False):
        return services.conference_schedule(
            agency=staff.agency,
            official=official,
            topic="Free legal aid",
            description="Who may get a free lawyer, and how.",
            starts_at=STARTS,
            ends_at=ENDS,
            actor=staff.moderator,
        )


@pytest.fixture
def citizen(verified_user):
    return verified_user


@pytest.fixture
def ask(conference):
    """`ask(author, text)`: a submitted question."""

    def make(author=None, text=None, target=None) -> ConferenceQuestion:
        author = author or UserFactory()
        return services.question_submit(
            conference=target or conference,
            author=author,
            text=text or f"A question from {author.email}?",
        )

    return make


@pytest.fixture
def published(ask, staff):
    """`published(author=None, text=None)`: a question asked and published."""

    def make(author=None, text=None, target=None) -> ConferenceQuestion:
        question = ask(author, text, target)
        return services.question_publish(question=question, actor=staff.moderator)

    return make
