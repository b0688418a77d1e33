"""Every state change of accounts, agencies and organisations."""

from __future__ import annotations

import logging
from typing import Any

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from . import personal_data
from .models import Agency, AuditEvent, Membership, Organisation, OrganisationMembership, User

logger = logging.getLogger(__name__)


def audit_record(
    *, actor: User | None, action: str, target: models.Model | None = None, **data: Any
) -> AuditEvent:
    """Append one audit event. Called inside the service's transaction."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        data=data,
    )


@transaction.atomic
def user_update_profile(
    *, user: User, display_name: str, region: str, first_name: str = "", last_name: str = ""
) -> User:
    user.display_name = display_name.strip()
    user.region = region
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.save(update_fields=["display_name", "region", "first_name", "last_name"])
    audit_record(actor=user, action="profile_updated", target=user)
    return user


@transaction.atomic
def user_mark_identity_verified(*, user: User, provider: str) -> User:
    """A national-ID login proves who the person is; remember when it first did."""
    if user.identity_verified_at is None:
        user.identity_verified_at = timezone.now()
        user.save(update_fields=["identity_verified_at"])
        audit_record(actor=user, action="identity_verified", target=user, provider=provider)
    return user


@transaction.atomic
def user_delete_account(*, user: User) -> User:
    """Erase the person's personal data but keep what they contributed in public.

    The row stays so that comments, questions and signatures keep their author, who is
    shown as "deleted user" from now on. Every module's eraser runs in this transaction.
    """
    if user.deleted_at is not None:
        return user
    for section in personal_data.sections():
        if section.erase is not None:
            section.erase(user)
    user.email = f"deleted-{user.pk}@users.invalid"
    user.display_name = ""
    user.first_name = ""
    user.last_name = ""
    user.region = ""
    user.identity_verified_at = None
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.deleted_at = timezone.now()
    user.set_unusable_password()
    user.save(
        update_fields=[
            "email",
            "display_name",
            "first_name",
            "last_name",
            "region",
            "identity_verified_at",
            "is_active",
            "is_staff",
            "is_superuser",
            "deleted_at",
            "password",
        ]
    )
    user.groups.clear()
    user.user_permissions.clear()
    audit_record(actor=None, action="account_deleted", target=user)
    return user


def erase_core_personal_data(user: User) -> None:
    EmailAddress.objects.filter(user=user).delete()
    SocialAccount.objects.filter(user=user).delete()
    Membership.objects.filter(user=user).delete()
    OrganisationMembership.objects.filter(user=user).delete()


@transaction.atomic
def membership_grant(
    *,
    agency: Agency,
    user: User,
    role: str,
    actor: User | None,
    position_kk: str = "",
    position_ru: str = "",
    position_en: str = "",
) -> Membership:
    positions = {"position_kk": position_kk, "position_ru": position_ru, "position_en": position_en}
    membership, created = Membership.objects.get_or_create(
        agency=agency, user=user, role=role, defaults=positions
    )
    changed = [
        field
        for field, value in positions.items()
        if not created and value and getattr(membership, field) != value
    ]
    if changed:
        for field in changed:
            setattr(membership, field, positions[field])
        membership.save(update_fields=changed)
    if created or changed:
        audit_record(
            actor=actor, action="membership_granted", target=agency, user=user.pk, role=role
        )
    return membership


@transaction.atomic
def membership_revoke(*, membership: Membership, actor: User | None) -> None:
    audit_record(
        actor=actor,
        action="membership_revoked",
        target=membership.agency,
        user=membership.user_id,
        role=membership.role,
    )
    membership.delete()


@transaction.atomic
def organisation_verify(*, organisation: Organisation, actor: User) -> Organisation:
    if organisation.verified_at is None:
        organisation.verified_at = timezone.now()
        organisation.verified_by = actor
        organisation.save(update_fields=["verified_at", "verified_by"])
        audit_record(actor=actor, action="organisation_verified", target=organisation)
    return organisation


@transaction.atomic
def organisation_unverify(*, organisation: Organisation, actor: User, reason: str) -> Organisation:
    if organisation.verified_at is not None:
        organisation.verified_at = None
        organisation.verified_by = None
        organisation.save(update_fields=["verified_at", "verified_by"])
        audit_record(
            actor=actor, action="organisation_unverified", target=organisation, reason=reason
        )
    return organisation
