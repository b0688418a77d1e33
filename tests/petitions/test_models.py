"""Database constraints, derived state, and the selectors' reads (bounded queries)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import translation

from accounts.regions import Region
from petitions import selectors, services
from petitions.models import Petition, PetitionState, RegionCount, Signature
from tests.factories import UserFactory

from .conftest import AFTER_SUPPORT, MINIMUM, at, make_petition, make_signers, sign_many

pytestmark = pytest.mark.django_db


def test_second_active_signature_violates_the_index(published):
    signer = UserFactory()
    Signature.objects.create(petition=published, user=signer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Signature.objects.create(petition=published, user=signer)


def test_withdrawn_signature_does_not_block_a_new_one(published):
    signer = UserFactory()
    Signature.objects.create(petition=published, user=signer, withdrawn_at=at(2026, 3, 6))
    Signature.objects.create(petition=published, user=signer)
    assert Signature.objects.filter(petition=published, user=signer).count() == 2


def test_email_domain_must_be_lowercase(published):
    with pytest.raises(IntegrityError), transaction.atomic():
        Signature.objects.create(petition=published, user=UserFactory(), email_domain="Mail.KZ")


def test_collecting_state_needs_publication(author, addressee):
    petition = make_petition(author, addressee.agency)
    with pytest.raises(IntegrityError), transaction.atomic():
        Petition.objects.filter(pk=petition.pk).update(state=PetitionState.PUBLIC)


def test_rejected_needs_reason(author, addressee):
    petition = make_petition(author, addressee.agency, stage="submitted")
    with pytest.raises(IntegrityError), transaction.atomic():
        Petition.objects.filter(pk=petition.pk).update(state=PetitionState.REJECTED)


def test_effective_state_between_command_runs(published):
    assert published.effective_state(at(2026, 3, 19, 23, 59)) == PetitionState.PUBLISHED
    assert published.effective_state(AFTER_SUPPORT) == PetitionState.CLOSED_UNSUPPORTED
    assert Petition.objects.collecting(at(2026, 3, 19, 23)).filter(pk=published.pk).exists()
    assert not Petition.objects.collecting(AFTER_SUPPORT).filter(pk=published.pk).exists()
    assert Petition.objects.expired(AFTER_SUPPORT).filter(pk=published.pk).exists()


# --- selectors ------------------------------------------------------------------------------


def test_region_counts_from_denormalised_rows(published, django_assert_num_queries):
    sign_many(published, make_signers(3, region=Region.ABAI))
    sign_many(published, make_signers(1, region=""))
    sign_many(published, make_signers(2, region=Region.ATYRAU))
    petition = Petition.objects.get(pk=published.pk)
    with django_assert_num_queries(1):
        rows = selectors.region_counts(petition)
    assert [(row.region, row.count) for row in rows] == [
        (Region.ABAI, 3),
        (Region.ATYRAU, 2),
        ("", 1),
    ]
    assert rows[0].percent == 50.0
    assert sum(RegionCount.objects.filter(petition=petition).values_list("count", flat=True)) == 6


def test_signer_names_are_first_name_and_initial(published):
    UserFactory(first_name="Aigerim", last_name="Nurlanova", display_name="Full Name Shown")
    signers = [
        UserFactory(first_name="Aigerim", last_name="Nurlanova", display_name="A. Nurlanova"),
        UserFactory(first_name="", last_name="Secret"),
    ]
    sign_many(published, signers)
    with translation.override("en"):
        page = selectors.signers_page(Petition.objects.get(pk=published.pk))
        names = [str(row.name) for row in page.rows]
    assert "Aigerim N." in names
    assert "A supporter" in names
    assert not any("Nurlanova" in name or "Secret" in name for name in names)


@pytest.mark.parametrize("size", [5, 40])
def test_signers_page_is_one_query(published, size, django_assert_num_queries):
    sign_many(published, make_signers(size))
    petition = Petition.objects.get(pk=published.pk)
    with django_assert_num_queries(1):
        page = selectors.signers_page(petition, page=1, per_page=10)
    assert len(page.rows) == min(size, 10)
    assert page.has_next == (size > 10)
    # Newest first.
    assert page.rows == sorted(page.rows, key=lambda row: row.signed_at, reverse=True)


def test_invalidated_signers_are_not_listed(published, moderator):
    sign_many(published, make_signers(2), ip="203.0.113.1")
    sign_many(published, make_signers(1), ip="203.0.113.2")
    services.signatures_invalidate(
        petition=published, actor=moderator, ip="203.0.113.1", reason="Bots."
    )
    assert len(selectors.signers_page(published).rows) == 1


@pytest.mark.parametrize("size", [3, 12])
def test_public_list_bounded_and_filtered(author, addressee, size, django_assert_max_num_queries):
    petitions = [make_petition(author, addressee.agency, stage="published") for _ in range(size)]
    draft = make_petition(author, addressee.agency)
    for index, petition in enumerate(petitions):
        Petition.objects.filter(pk=petition.pk).update(
            state=PetitionState.PUBLIC, public_at=petition.published_at, signature_count=index
        )
    with django_assert_max_num_queries(1):
        rows = list(selectors.public_list())
    assert [row.pk for row in rows] == [p.pk for p in reversed(petitions)]  # most signed
    assert draft.pk not in {row.pk for row in rows}
    assert [p.addressee.name for p in rows]  # no query: select_related
    assert list(selectors.public_list(region=Region.KARAGANDA)) == []
    assert len(selectors.public_list(region=Region.ASTANA, state=PetitionState.PUBLIC)) == size
    with pytest.raises(ValueError):
        selectors.public_list(state="draft")


def test_public_list_closing_soon_and_rejected(author, addressee, moderator):
    early = make_petition(author, addressee.agency, stage="published")
    with time_machine.travel(at(2026, 3, 6), tick=False):
        late = make_petition(author, addressee.agency, stage="submitted")
        services.petition_publish(petition=late, actor=moderator)
    for petition in (early, late):
        Petition.objects.filter(pk=petition.pk).update(
            state=PetitionState.PUBLIC, public_at=at(2026, 3, 9)
        )
    rows = list(selectors.public_list(sort="closing_soon"))
    assert [row.pk for row in rows][:2] == [early.pk, late.pk]
    hidden = make_petition(author, addressee.agency, stage="submitted")
    services.petition_reject(
        petition=hidden, actor=moderator, reason=services.RejectionReason.objects.get(code="abuse")
    )
    shown = make_petition(author, addressee.agency, stage="submitted")
    services.petition_reject(
        petition=shown, actor=moderator, reason=services.RejectionReason.objects.get(code="courts")
    )
    assert [p.pk for p in selectors.public_list(state="rejected")] == [shown.pk]


def test_trending_report(published, django_assert_num_queries):
    sign_many(published, make_signers(4), ip="203.0.113.5")
    sign_many(published, [UserFactory(email=f"x{i}@burst.example") for i in range(3)])
    with django_assert_num_queries(1):
        ips = selectors.trending_ips(hours=2, now=at(2026, 3, 10, 11))
    assert (ips[0].value, ips[0].count, ips[0].petitions) == ("203.0.113.5", 4, 1)
    domains = selectors.trending_domains(hours=2, now=at(2026, 3, 10, 11))
    assert domains[0].value == "example.kz" and domains[0].count == 4
    assert ("burst.example", 3) in [(row.value, row.count) for row in domains]
    assert selectors.trending_ips(hours=1, now=at(2026, 3, 10, 12)) == []


def test_visible_to_matches_the_rule(author, addressee, moderator):
    make_petition(author, addressee.agency)  # draft: author and moderators only
    published = make_petition(author, addressee.agency, stage="published")
    citizen = UserFactory()
    visible = set(
        Petition.objects.filter(selectors.visible_to(citizen)).values_list("pk", flat=True)
    )
    assert visible == {published.pk}
    assert Petition.objects.filter(selectors.visible_to(author)).count() == 2
    assert Petition.objects.filter(selectors.visible_to(moderator)).count() == 2


def test_personal_data_export_and_erasure(published):
    from accounts import personal_data
    from accounts.services import user_delete_account

    signer = UserFactory(region=Region.ABAI)
    sign_many(published, [signer], ip="198.51.100.20", wants_updates=True)
    exported = personal_data.export_for(signer)
    assert exported["petition_signatures"][0]["ip"] == "198.51.100.20"
    assert personal_data.export_for(published.author)["petitions"][0]["id"] == published.pk
    user_delete_account(user=signer)
    signature = Signature.objects.get(user=signer)
    assert signature.ip is None and signature.email_domain == "" and not signature.wants_updates
    assert Petition.objects.get(pk=published.pk).signature_count == 1  # still counted
    assert RegionCount.objects.get(petition=published, region=Region.ABAI).count == 1


def test_minimum_reached_exactly_at_deadline_day_end(published):
    deadline = published.support_deadline
    assert deadline.astimezone(datetime.UTC) > at(2026, 3, 19, 23, 59)
    petition = sign_many(published, make_signers(MINIMUM), when=at(2026, 3, 19, 23, 59))
    assert petition.state == PetitionState.PUBLIC
