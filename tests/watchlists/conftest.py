"""Fixtures of the watchlist tests: two registered obligation kinds (the ledger knows no
feature app, so the tests register their own), agencies, and a way to deliver the ledger's
`obligation_event` signal as the ledger does after commit."""

from __future__ import annotations

import pytest
from django.utils import translation

from tests.factories import AgencyFactory, OrganisationFactory, UserFactory

# The ledger's test kinds and helpers, shared with the tracking tests (the fixture is
# autouse there and here).
from tests.tracking.conftest import (  # noqa: F401  (re-exported, and the autouse fixture)
    ALMATY,
    PETITION,
    QUESTION,
    at,
    obligation_kinds,
)
from tracking.signals import obligation_event


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def justice(db):
    return AgencyFactory(
        slug="ministry-of-justice",
        name_kk="Әділет министрлігі",
        name_ru="Министерство юстиции",
        name_en="Ministry of Justice",
    )


@pytest.fixture
def education(db):
    return AgencyFactory(
        slug="ministry-of-education",
        name_kk="Оқу-ағарту министрлігі",
        name_ru="Министерство просвещения",
        name_en="Ministry of Education",
    )


@pytest.fixture
def subject(db):
    return OrganisationFactory(name="Where is the new school?", slug="new-school")


@pytest.fixture
def make_watcher(db):
    counter = iter(range(1, 10_000))

    def make(**extra):
        n = next(counter)
        return UserFactory(email=f"watcher{n}@ngo.kz", display_name=f"Watcher {n}", **extra)

    return make


def deliver(obligation, actor=None):
    """Send `obligation_event` for the obligation's latest event, as the ledger does after
    commit (the tests run in a transaction that never commits)."""
    event = obligation.events.order_by("-at", "-pk").first()
    obligation_event.send(sender=type(obligation), obligation=obligation, event=event, actor=actor)
    return event
