"""The demo petitions: every state, a response with a hearing date, counters that match
the signature rows, duties whose histories agree with the dates; seeding twice changes
nothing."""

from __future__ import annotations

import io

import pytest
import time_machine
from django.db.models import Count, Sum

from accounts import demo as accounts_demo
from petitions import demo, selectors, services
from petitions.models import (
    Petition,
    PetitionState,
    RegionCount,
    ResponseState,
    Signature,
)
from tracking.models import Obligation

from .conftest import DURING, at

pytestmark = pytest.mark.django_db


def _by_key() -> dict[str, Petition]:
    return {
        spec.key: Petition.objects.get(addressee__slug=spec.addressee, title=spec.title)
        for spec in demo.PETITIONS
    }


def _snapshot() -> tuple[int, ...]:
    from accounts.models import User

    return (
        Petition.objects.count(),
        Signature.objects.count(),
        User.objects.count(),
        Obligation.objects.count(),
        RegionCount.objects.aggregate(n=Sum("count"))["n"],
    )


# Seeded on a Tuesday in March (8 March and Nauryz nearby), on the first working day
# after the New Year holidays, and on a Saturday: the states hold whatever the day.
@pytest.mark.parametrize("today", [DURING, at(2026, 1, 5, 8), at(2026, 6, 13, 22)])
def test_every_state_and_idempotent(today):
    with time_machine.travel(today, tick=False):
        _seed_twice_and_check()


def _seed_twice_and_check():
    out = io.StringIO()
    accounts_demo.seed(stdout=out)
    assert demo.seed(stdout=out) == []
    assert f"petitions: {len(demo.PETITIONS)} new" in out.getvalue()
    before = _snapshot()
    second = io.StringIO()
    demo.seed(stdout=second)
    assert "0 new" in second.getvalue()
    assert _snapshot() == before

    petitions = _by_key()
    stored = {key: petition.state for key, petition in petitions.items()}
    assert stored == {
        "draft": "draft",
        "submitted": "submitted",
        "in_moderation": "in_moderation",
        "published": "published",
        "public": "public",
        "threshold_reached": "threshold_reached",
        "responded": "threshold_reached",
        "closed_unsupported": "closed_unsupported",
        "closed": "closed",
        "rejected_excluded_topic": "rejected",
        "rejected_personal_data": "rejected",
        "withdrawn": "withdrawn",
    }
    assert set(stored.values()) == set(PetitionState.values)
    # The stored states are what the clocks say today.
    for key, petition in petitions.items():
        assert petition.effective_state() == petition.state, key

    # Counters equal the rows; each collected petition has real supporters in regions.
    for key, petition in petitions.items():
        counted = Signature.objects.filter(petition=petition).counted()
        assert petition.signature_count == counted.count(), key
        regions = RegionCount.objects.filter(petition=petition).aggregate(n=Sum("count"))["n"]
        assert (regions or 0) == petition.signature_count, key
    assert petitions["published"].signature_count == 12
    assert petitions["public"].signature_count == 512 and petitions["public"].threshold == 50_000
    assert petitions["closed_unsupported"].signature_count == 9
    assert petitions["closed"].signature_count == 640
    assert petitions["withdrawn"].signature_count == 14
    # No one signs twice (the partial unique index agrees).
    duplicates = (
        Signature.objects.values("petition", "user").annotate(n=Count("pk")).filter(n__gt=1)
    )
    assert not duplicates.exists()

    # Dates in order; the steps were crossed through the services, on their days.
    public = petitions["public"]
    assert public.published_at < public.public_at <= public.support_deadline
    assert public.created_at < public.submitted_at < public.published_at

    awaiting = petitions["threshold_reached"]
    assert awaiting.threshold == 120 and awaiting.signature_count == 134
    assert awaiting.response_state == ResponseState.AWAITING
    assert awaiting.response_obligation.kind == services.RESPONSE_LOCAL_KIND
    assert awaiting.response_obligation.opened_at == awaiting.threshold_reached_at
    assert awaiting.response_obligation.answered_at is None

    responded = petitions["responded"]
    assert responded.threshold == 150 and responded.signature_count == 183
    assert responded.response_state == ResponseState.RESPONDED
    response = responded.response
    assert response.decision == "partially" and response.hearing_date and response.text
    duty = responded.response_obligation
    assert duty.answered_at == responded.responded_at == response.published_at
    assert responded.threshold_reached_at < response.published_at <= duty.due_at
    assert Signature.objects.filter(petition=responded, region="almaty-city").count() > 100

    overdue = Obligation.objects.overdue().filter(kind=services.MODERATION_KIND)
    assert petitions["submitted"].moderation_obligation in overdue
    assert petitions["in_moderation"].moderated_by is not None

    excluded = petitions["rejected_excluded_topic"]
    assert excluded.rejection_reason.excluded_topic and excluded.rejection_is_public
    personal = petitions["rejected_personal_data"]
    assert not personal.rejection_is_public
    assert petitions["withdrawn"].published_at and petitions["withdrawn"].withdrawn_at

    # Kazakh and Russian texts; ministries and akimats.
    titles = " ".join(petition.title for petition in petitions.values())
    assert "ә" in titles or "ң" in titles
    assert "ы" in titles and "Разрешить" in titles
    slugs = {petition.addressee.slug for petition in petitions.values()}
    assert {"ministry-of-health", "akimat-almaty", "akimat-astana"} <= slugs

    listed = set(selectors.public_list().values_list("pk", flat=True))
    expected = {petitions[key].pk for key in ("public", "threshold_reached", "responded", "closed")}
    assert listed == expected
