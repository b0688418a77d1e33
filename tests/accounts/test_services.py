from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.contenttypes.models import ContentType
from django.utils import translation

from accounts import services
from accounts.models import AuditEvent, Membership, OrganisationMembership, User
from accounts.regions import Region
from accounts.roles import PLATFORM_EDITORS
from tests.factories import (
    PASSWORD,
    AgencyFactory,
    MembershipFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    UserFactory,
    add_to_group,
)

pytestmark = pytest.mark.django_db


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


# --- Profile ---------------------------------------------------------------------------


def test_update_profile_saves_stripped_values_and_writes_an_audit_event():
    user = UserFactory(display_name="Old", region=Region.ASTANA)

    services.user_update_profile(
        user=user,
        display_name="  Dana  ",
        region=Region.PAVLODAR,
        first_name=" Dana ",
        last_name=" Seitkali ",
    )

    user.refresh_from_db()
    assert (user.display_name, user.region, user.first_name, user.last_name) == (
        "Dana",
        "pavlodar",
        "Dana",
        "Seitkali",
    )
    [event] = events("profile_updated")
    assert event.actor == user
    assert event.target_type == ContentType.objects.get_for_model(User)
    assert event.target_id == str(user.pk)


# --- Identity verification ---------------------------------------------------------------


def test_mark_identity_verified_sets_the_flag_once():
    user = UserFactory()
    assert not user.is_identity_verified

    services.user_mark_identity_verified(user=user, provider="national-id")
    user.refresh_from_db()
    first_time = user.identity_verified_at

    assert user.is_identity_verified
    assert first_time is not None
    [event] = events("identity_verified")
    assert event.data == {"provider": "national-id"}

    services.user_mark_identity_verified(user=user, provider="national-id")
    user.refresh_from_db()
    assert user.identity_verified_at == first_time
    assert len(events("identity_verified")) == 1


# --- Account deletion --------------------------------------------------------------------


@pytest.fixture
def doomed_user():
    user = UserFactory(
        email="leaving@example.kz",
        display_name="Leaving Soon",
        first_name="Yerlan",
        last_name="Abenov",
        region=Region.ATYRAU,
        identity_verified=True,
        is_staff=True,
    )
    EmailAddress.objects.create(user=user, email="second@example.kz", verified=False)
    SocialAccount.objects.create(user=user, provider="national-id", uid="870101300123")
    MembershipFactory(user=user, role=Membership.Role.DRAFTER)
    OrganisationMembershipFactory(user=user, is_admin=True)
    add_to_group(user, PLATFORM_EDITORS)
    return user


def test_delete_account_erases_personal_data(doomed_user):
    user = doomed_user
    pk = user.pk

    services.user_delete_account(user=user)

    user = User.objects.get(pk=pk)
    assert user.email == f"deleted-{pk}@users.invalid"
    assert "leaving" not in user.email
    assert (user.display_name, user.first_name, user.last_name, user.region) == ("", "", "", "")
    assert user.identity_verified_at is None
    assert user.is_active is False
    assert user.is_staff is False
    assert user.deleted_at is not None
    assert user.is_deleted
    assert not user.has_usable_password()
    assert not user.check_password(PASSWORD)
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not EmailAddress.objects.filter(email__in=["leaving@example.kz", "second@example.kz"])
    assert not SocialAccount.objects.filter(user=user).exists()
    assert not Membership.objects.filter(user=user).exists()
    assert not OrganisationMembership.objects.filter(user=user).exists()
    assert not user.groups.exists()
    [event] = events("account_deleted")
    assert event.target_id == str(pk)
    assert event.actor is None


def test_deleted_user_is_shown_as_deleted_user_in_english(doomed_user):
    services.user_delete_account(user=doomed_user)
    doomed_user.refresh_from_db()

    with translation.override("en"):
        assert doomed_user.public_name == "deleted user"
        assert str(doomed_user) == "deleted user"


def test_delete_account_is_idempotent(doomed_user):
    services.user_delete_account(user=doomed_user)
    doomed_user.refresh_from_db()
    deleted_at = doomed_user.deleted_at

    services.user_delete_account(user=doomed_user)
    doomed_user.refresh_from_db()

    assert doomed_user.deleted_at == deleted_at
    assert len(events("account_deleted")) == 1


def test_delete_account_leaves_other_users_alone(doomed_user):
    bystander = UserFactory(email="stays@example.kz")
    MembershipFactory(user=bystander, role=Membership.Role.HEAD)

    services.user_delete_account(user=doomed_user)

    bystander.refresh_from_db()
    assert bystander.email == "stays@example.kz"
    assert bystander.is_active
    assert EmailAddress.objects.filter(user=bystander, verified=True).exists()
    assert Membership.objects.filter(user=bystander).count() == 1


# --- Memberships -------------------------------------------------------------------------


def test_membership_grant_creates_the_role_and_audits():
    agency = AgencyFactory()
    user = UserFactory()
    editor = UserFactory()

    membership = services.membership_grant(
        agency=agency,
        user=user,
        role=Membership.Role.RESPONDER,
        actor=editor,
        position_ru="Пресс-секретарь",
    )

    assert membership.pk is not None
    assert (membership.role, membership.position_ru) == ("responder", "Пресс-секретарь")
    [event] = events("membership_granted")
    assert event.actor == editor
    assert event.target_id == str(agency.pk)
    assert event.data == {"user": user.pk, "role": "responder"}


def test_membership_grant_twice_keeps_one_row_and_updates_positions():
    agency = AgencyFactory()
    user = UserFactory()
    services.membership_grant(
        agency=agency, user=user, role="drafter", actor=None, position_kk="Маман", position_en="A"
    )

    again = services.membership_grant(
        agency=agency, user=user, role="drafter", actor=None, position_en="Chief specialist"
    )

    assert Membership.objects.filter(agency=agency, user=user).count() == 1
    again.refresh_from_db()
    assert again.position_kk == "Маман"  # kept: not given the second time
    assert again.position_en == "Chief specialist"


def test_membership_revoke_deletes_and_audits():
    membership = MembershipFactory(role=Membership.Role.MODERATOR)
    actor = UserFactory()
    user_id, agency_id = membership.user_id, membership.agency_id

    services.membership_revoke(membership=membership, actor=actor)

    assert not Membership.objects.filter(user_id=user_id, agency_id=agency_id).exists()
    [event] = events("membership_revoked")
    assert event.actor == actor
    assert event.target_id == str(agency_id)
    assert event.data == {"user": user_id, "role": "moderator"}


# --- Organisations -------------------------------------------------------------------------


def test_organisation_verify_sets_verifier_once():
    organisation = OrganisationFactory()
    assert not organisation.is_verified
    moderator = UserFactory()

    services.organisation_verify(organisation=organisation, actor=moderator)
    organisation.refresh_from_db()
    verified_at = organisation.verified_at

    assert organisation.is_verified
    assert organisation.verified_by == moderator
    assert len(events("organisation_verified")) == 1

    services.organisation_verify(organisation=organisation, actor=UserFactory())
    organisation.refresh_from_db()
    assert organisation.verified_at == verified_at
    assert organisation.verified_by == moderator
    assert len(events("organisation_verified")) == 1


def test_organisation_unverify_records_the_reason():
    organisation = OrganisationFactory(verified=True)
    actor = UserFactory()

    services.organisation_unverify(organisation=organisation, actor=actor, reason="Dissolved")

    organisation.refresh_from_db()
    assert not organisation.is_verified
    [event] = events("organisation_unverified")
    assert event.data == {"reason": "Dissolved"}


def test_audit_events_are_never_changed_or_deleted():
    from ashyq.models import AppendOnlyError

    user = UserFactory()
    services.user_update_profile(user=user, display_name="Aruzhan", region="astana")
    event = AuditEvent.objects.get(action="profile_updated")
    event.action = "something else"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "profile_updated"
