"""Who may do what, as `rules` predicates. Tested as role x object matrices in
tests/accounts/test_rules.py; docs/permissions.md lists them.

Predicates that need memberships read them through `selectors.agency_roles`, which caches
them on the user object for the request, so checking several permissions costs one query.
"""

from __future__ import annotations

import rules

from . import selectors
from .models import Membership
from .roles import PLATFORM_EDITORS, PLATFORM_MODERATORS


@rules.predicate
def is_active_account(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and not user.is_deleted)


@rules.predicate
def has_verified_email(user) -> bool:
    return selectors.has_verified_email(user)


@rules.predicate
def is_identity_verified(user) -> bool:
    return bool(user.is_authenticated and user.is_identity_verified)


is_platform_editor = rules.is_group_member(PLATFORM_EDITORS)
is_platform_moderator = rules.is_group_member(PLATFORM_MODERATORS)


def has_agency_role(*roles: str):
    """Predicate factory: the user holds one of `roles` in the agency given as the object."""
    wanted = frozenset(roles)

    @rules.predicate(name=f"has_agency_role({','.join(sorted(wanted))})")
    def predicate(user, agency) -> bool:
        if agency is None or not user.is_authenticated:
            return False
        return bool(selectors.agency_roles(user).get(agency.pk, frozenset()) & wanted)

    return predicate


ALL_ROLES = tuple(Membership.Role.values)
is_agency_member = has_agency_role(*ALL_ROLES)
is_agency_head = has_agency_role(Membership.Role.HEAD)
is_agency_responder = has_agency_role(Membership.Role.HEAD, Membership.Role.RESPONDER)
is_agency_drafter = has_agency_role(Membership.Role.HEAD, Membership.Role.DRAFTER)
is_agency_moderator = has_agency_role(Membership.Role.HEAD, Membership.Role.MODERATOR)


@rules.predicate
def is_organisation_member(user, organisation) -> bool:
    if organisation is None or not user.is_authenticated:
        return False
    return organisation.pk in selectors.organisation_ids(user)


@rules.predicate
def is_organisation_admin(user, organisation) -> bool:
    if organisation is None or not user.is_authenticated:
        return False
    return organisation.pk in selectors.organisation_ids(user, admin_only=True)


@rules.predicate
def is_verified_organisation(user, organisation) -> bool:
    return organisation is not None and organisation.is_verified


# Taking part at all: comments, questions, votes, signatures need a verified email.
can_participate = is_active_account & has_verified_email

rules.add_perm("accounts.participate", can_participate)
rules.add_perm("accounts.participate_as_identity_verified", can_participate & is_identity_verified)
rules.add_perm("accounts.view_agency_workspace", is_active_account & is_agency_member)
rules.add_perm("accounts.answer_for_agency", is_active_account & is_agency_responder)
rules.add_perm("accounts.draft_for_agency", is_active_account & is_agency_drafter)
rules.add_perm("accounts.moderate_for_agency", is_active_account & is_agency_moderator)
rules.add_perm(
    "accounts.manage_agency_members",
    is_active_account & (is_agency_head | is_platform_editor | rules.is_superuser),
)
rules.add_perm(
    "accounts.edit_agency_directory", is_active_account & (is_platform_editor | rules.is_superuser)
)
rules.add_perm(
    "accounts.moderate_platform", is_active_account & (is_platform_moderator | rules.is_superuser)
)
rules.add_perm(
    "accounts.verify_organisation",
    is_active_account & (is_platform_editor | is_platform_moderator | rules.is_superuser),
)
rules.add_perm(
    "accounts.act_for_organisation",
    can_participate & is_organisation_member & is_verified_organisation,
)
rules.add_perm("accounts.manage_organisation", is_active_account & is_organisation_admin)
