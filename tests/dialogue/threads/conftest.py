"""Fixtures of the thread tests: threads addressed to the Ministry of Justice
(agency_with_staff), a support level of 3 (THREADS_SUPPORT_LEVEL) so tests stay small,
and a clock frozen on Tuesday 10 March 2026, 10:00 Astana time.

Dates checked by hand against Kazakhstan's 2026 calendar (Nauryz and its moved days off
are 21-25 March): a reply owed from 10 March (15 working days) is due on Friday
3 April 2026; the redirect window (3 working days) ends on Friday 13 March; the
extension cap (two calendar months) is 10 May 2026.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import TestCase

from accounts.regions import Region
from dialogue import services as dialogue_services
from dialogue.threads import services
from dialogue.threads.models import Thread, ThreadCategory
from tests.factories import UserFactory, platform_moderator

ALMATY = ZoneInfo("Asia/Almaty")
LEVEL = 3


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """An aware datetime in Astana time."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=ALMATY)


NOW = at(2026, 3, 10)
DUE = datetime.date(2026, 4, 3)


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _small_level(settings):
    settings.THREADS_SUPPORT_LEVEL = LEVEL


@pytest.fixture
def agency(agency_with_staff):
    return agency_with_staff


@pytest.fixture
def author(verified_user):
    return verified_user


@pytest.fixture
def moderator(db):
    return platform_moderator(email="moderator@ashyq.kz", display_name="Moderator")


def committed():
    """Run the on-commit callbacks (notifications, live pushes, posting counts) of what
    the block does: the test's transaction never commits."""
    return TestCase.captureOnCommitCallbacks(execute=True)


_titles = iter(range(1, 1_000_000))


def make_thread(author, addressee=None, **fields) -> Thread:
    number = next(_titles)
    fields.setdefault("title", f"Bus route {number} runs late")
    fields.setdefault("text", f"The 7:40 bus on route {number} comes 30 minutes late.")
    fields.setdefault("category", ThreadCategory.TRANSPORT)
    fields.setdefault("region", Region.ASTANA)
    return services.thread_start(author=author, addressee=addressee, **fields)


def supporters(n: int, **fields) -> list:
    return UserFactory.create_batch(n, **fields)


def support(thread: Thread, users) -> Thread:
    for user in users:
        with committed():
            services.thread_support(thread=Thread.objects.get(pk=thread.pk), user=user)
    return Thread.objects.select_related("obligation", "addressee").get(pk=thread.pk)


def reach_level(thread: Thread) -> Thread:
    """Support the thread up to the level: the addressee now owes its reply."""
    return support(thread, supporters(LEVEL - thread.support_count))


def official_reply(thread: Thread, responder, text: str = "The ministry will act."):
    with committed():
        return dialogue_services.comment_post(
            target=Thread.objects.select_related("addressee").get(pk=thread.pk),
            author=responder,
            text=text,
            as_official=True,
        )


@pytest.fixture
def thread(author, agency) -> Thread:
    """An open thread addressed to the ministry, below the level."""
    return make_thread(author, agency.agency)


@pytest.fixture
def awaiting(thread) -> Thread:
    """The ministry owes its reply, opened now (due 3 April 2026)."""
    return reach_level(thread)
