"""Invariants the database enforces, so that neither admin can bypass them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from accounts.models import Agency, Membership, User
from accounts.regions import Region
from tests.factories import AgencyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_agency_has_at_most_one_head():
    agency = AgencyFactory()
    MembershipFactory(agency=agency, role=Membership.Role.HEAD)

    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(agency=agency, role=Membership.Role.HEAD)

    assert Membership.objects.filter(agency=agency, role="head").count() == 1


def test_heads_of_different_agencies_do_not_clash():
    MembershipFactory(role=Membership.Role.HEAD)
    MembershipFactory(role=Membership.Role.HEAD)

    assert Membership.objects.filter(role="head").count() == 2


def test_second_head_is_a_validation_error_with_a_message():
    agency = AgencyFactory()
    MembershipFactory(agency=agency, role=Membership.Role.HEAD)
    second = Membership(agency=agency, user=UserFactory(), role=Membership.Role.HEAD)

    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        second.full_clean()

    assert "This agency already has a head." in str(excinfo.value)


def test_several_non_head_roles_in_one_agency_are_allowed():
    agency = AgencyFactory()
    MembershipFactory(agency=agency, role=Membership.Role.RESPONDER)
    MembershipFactory(agency=agency, role=Membership.Role.RESPONDER)

    assert agency.memberships.count() == 2


def test_a_user_holds_each_role_once_per_agency():
    membership = MembershipFactory(role=Membership.Role.DRAFTER)

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=membership.user, agency=membership.agency, role=Membership.Role.DRAFTER
        )

    # Another role in the same agency is fine.
    Membership.objects.create(
        user=membership.user, agency=membership.agency, role=Membership.Role.MODERATOR
    )
    assert membership.user.memberships.count() == 2


def test_a_local_agency_must_have_a_region():
    with pytest.raises(IntegrityError), transaction.atomic():
        AgencyFactory(kind=Agency.Kind.LOCAL, region="")

    local = AgencyFactory(kind=Agency.Kind.LOCAL, region=Region.KOSTANAY)
    central = AgencyFactory(kind=Agency.Kind.CENTRAL, region="")
    assert local.pk and central.pk


def test_an_agency_cannot_be_its_own_parent():
    agency = AgencyFactory()
    agency.parent = agency

    with pytest.raises(IntegrityError), transaction.atomic():
        agency.save()


def test_email_is_unique_regardless_of_case():
    UserFactory(email="aigerim@example.kz")

    with pytest.raises(IntegrityError), transaction.atomic():
        # Bypass the manager's lowercasing: the constraint itself must catch it.
        User.objects.bulk_create([User(email="Aigerim@Example.KZ")])

    assert User.objects.filter(email__iexact="aigerim@example.kz").count() == 1


def test_create_user_lowercases_the_email():
    user = User.objects.create_user(email="Dana@Example.KZ", password="x-long-password")

    assert user.email == "dana@example.kz"
