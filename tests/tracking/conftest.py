"""Fixtures of the tracking tests: two registered kinds (the ledger knows no feature app,
so the tests register their own) and an organisation as a stand-in subject."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.factories import AgencyFactory, OrganisationFactory
from tracking import kinds
from tracking.deadlines import CalendarMonths, WorkingDays

ALMATY = ZoneInfo("Asia/Almaty")
QUESTION = "test.question"
PETITION = "test.petition"


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """An aware datetime in Astana time."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=ALMATY)


@pytest.fixture(autouse=True)
def obligation_kinds():
    kinds.register(
        QUESTION,
        label="Answer to a question",
        deadline=WorkingDays(15),
        title_of=lambda subject: subject.name,
        url_of=lambda subject: f"/organisations/{subject.slug}/",
        extension_cap=CalendarMonths(2),
    )
    kinds.register(
        PETITION,
        label="Response to a petition",
        deadline=WorkingDays(40),
        title_of=lambda subject: subject.name,
        url_of=lambda subject: f"/organisations/{subject.slug}/",
        extension_cap=None,
        redirect_window=None,
    )
    yield
    kinds.unregister(QUESTION)
    kinds.unregister(PETITION)


@pytest.fixture
def subject(db):
    return OrganisationFactory(name="Where is the new school?")


@pytest.fixture
def other_agency(db):
    return AgencyFactory(slug="ministry-of-education", name_en="Ministry of Education")
