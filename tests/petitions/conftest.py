"""Fixtures of the petition tests: a petition to the Ministry of Justice
(agency_with_staff, a central body whose rule asks for 60 signatures so tests stay small),
submitted on Monday 2 March 2026 and published on Wednesday 4 March 2026, Astana time.

Dates checked by hand against Kazakhstan's 2026 calendar (8 March falls on a Sunday and
is observed on Monday 9 March; Nauryz is 21-25 March):
- support deadline, 10 working days after 4 March: Thursday 19 March 2026;
- moderation due, 20 working days after 2 March: Friday 3 April 2026;
- response due after a threshold reached on 10 March: central (40) Wednesday 13 May 2026
  (1, 7 and 11 May are days off), local (20) Friday 10 April 2026;
- collection end, 6 months after 4 March: Friday 4 September 2026.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import TestCase

from accounts.regions import Region
from petitions import services
from petitions.models import AddresseeRule, Petition, RejectionReason, ThresholdMode
from tests.factories import UserFactory, platform_moderator

ALMATY = ZoneInfo("Asia/Almaty")
THRESHOLD = 60
MINIMUM = 50


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """An aware datetime in Astana time."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=ALMATY)


CREATED = at(2026, 3, 1)
SUBMITTED = at(2026, 3, 2)
PUBLISHED = at(2026, 3, 4)
DURING = at(2026, 3, 10)
AFTER_SUPPORT = at(2026, 3, 20)
AFTER_COLLECTION = at(2026, 9, 5)


@pytest.fixture(autouse=True)
def _during_the_collection():
    """Unless a test travels elsewhere, it runs on Tuesday 10 March 2026 (the clocks of
    the fixtures' petitions are set against it)."""
    with time_machine.travel(DURING, tick=False):
        yield


@pytest.fixture
def moderator(db):
    return platform_moderator(email="moderator@ashyq.kz")


@pytest.fixture
def addressee(agency_with_staff):
    AddresseeRule.objects.create(
        agency=agency_with_staff.agency,
        threshold_mode=ThresholdMode.FIXED,
        fixed_threshold=THRESHOLD,
        central=True,
    )
    return agency_with_staff


@pytest.fixture
def author(verified_user):
    return verified_user


def committed():
    """Run the on-commit callbacks (notifications, rate counting) of what the block does:
    the test's transaction never commits."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def reason(code: str) -> RejectionReason:
    return RejectionReason.objects.get(code=code)


def make_signers(n: int, **fields) -> list:
    fields.setdefault("region", Region.KARAGANDA)
    return UserFactory.create_batch(n, **fields)


def make_petition(author, agency, *, stage: str = "draft", moderator=None) -> Petition:
    """A petition taken to `stage`: draft, submitted, in_moderation, published."""
    with time_machine.travel(CREATED, tick=False):
        petition = services.petition_create(
            author=author,
            addressee=agency,
            title="Build a pedestrian crossing on Abai Avenue",
            request="Install a signalled crossing near school No. 12.",
            background="Children cross six lanes twice a day.",
            region=Region.ASTANA,
        )
    if stage == "draft":
        return petition
    with time_machine.travel(SUBMITTED, tick=False):
        services.petition_submit(petition=petition, actor=author)
    if stage == "submitted":
        return Petition.objects.get(pk=petition.pk)
    moderator = moderator or platform_moderator()
    with time_machine.travel(SUBMITTED + datetime.timedelta(hours=2), tick=False):
        services.moderation_start(petition=petition, actor=moderator)
    if stage == "in_moderation":
        return Petition.objects.get(pk=petition.pk)
    with time_machine.travel(PUBLISHED, tick=False), committed():
        services.petition_publish(petition=petition, actor=moderator)
    return Petition.objects.get(pk=petition.pk)


def sign_many(petition: Petition, signers, *, when=DURING, **kwargs) -> Petition:
    with time_machine.travel(when, tick=False):
        for index, signer in enumerate(signers):
            with committed():
                services.signature_add(
                    petition=petition,
                    user=signer,
                    ip=kwargs.get("ip") or f"10.0.{index // 250}.{index % 250}",
                    wants_updates=kwargs.get("wants_updates", False),
                )
    return Petition.objects.get(pk=petition.pk)


@pytest.fixture
def published(author, addressee, moderator) -> Petition:
    return make_petition(author, addressee.agency, stage="published", moderator=moderator)
