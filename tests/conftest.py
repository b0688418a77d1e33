"""Fixtures shared by the whole server-side suite (browser fixtures live with those tests)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.cache import cache

from accounts.models import Agency, Membership, User
from tests.factories import AgencyFactory, MembershipFactory, UserFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits (allauth, DRF throttles) and Wagtail's site root paths live in the cache,
    which is Redis in CI's second run: start every test from an empty one."""
    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _default_language():
    """A request to /en/ leaves English active in the thread: start and end each test in
    the default language, so reversed URLs do not depend on the test order."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def verified_user(db) -> User:
    return UserFactory(email="citizen@example.kz", display_name="Asel")


@pytest.fixture
def unverified_user(db) -> User:
    return UserFactory(email="newcomer@example.kz", verified_email=False)


@pytest.fixture
def identity_verified_user(db) -> User:
    return UserFactory(email="verified-id@example.kz", identity_verified=True)


@dataclass
class AgencyStaff:
    agency: Agency
    head: User
    responder: User
    drafter: User
    moderator: User

    def members(self) -> dict[str, User]:
        return {
            Membership.Role.HEAD: self.head,
            Membership.Role.RESPONDER: self.responder,
            Membership.Role.DRAFTER: self.drafter,
            Membership.Role.MODERATOR: self.moderator,
        }


@pytest.fixture
def agency_with_staff(db) -> AgencyStaff:
    """A central agency with one person in each role; the head has a position in 3 languages."""
    agency = AgencyFactory(
        slug="ministry-of-justice",
        name_kk="Әділет министрлігі",
        name_ru="Министерство юстиции",
        name_en="Ministry of Justice",
    )
    people = {}
    for role in Membership.Role.values:
        user = UserFactory(email=f"{role}@justice.gov.kz", display_name=f"{role.title()} Person")
        MembershipFactory(
            agency=agency,
            user=user,
            role=role,
            position_kk=f"{role} (kk)",
            position_ru=f"{role} (ru)",
            position_en=f"{role} (en)",
        )
        people[role] = user
    return AgencyStaff(agency=agency, **people)


@pytest.fixture
def signed_in_client(client, verified_user):
    client.force_login(verified_user)
    return client
