"""Who moderates what. Platform moderators (and superusers) moderate everything and alone
block people; an agency's moderators (its head and members with the moderator role)
moderate what is addressed to their agency. Tested as a matrix in
tests/moderation/test_rules.py.
"""

from __future__ import annotations

import rules

from accounts import selectors
from accounts.models import Membership
from accounts.rules import can_participate, is_active_account, is_platform_moderator

AGENCY_MODERATOR_ROLES = frozenset({Membership.Role.HEAD, Membership.Role.MODERATOR})


def moderated_agency_ids(user) -> frozenset[int]:
    """Agencies whose content `user` moderates as an agency moderator."""
    if not user.is_authenticated:
        return frozenset()
    return frozenset(
        agency_id
        for agency_id, roles in selectors.agency_roles(user).items()
        if roles & AGENCY_MODERATOR_ROLES
    )


@rules.predicate
def is_any_agency_moderator(user) -> bool:
    return bool(moderated_agency_ids(user))


@rules.predicate
def moderates_item_agency(user, item) -> bool:
    """`item` is a ModeratedItem (its agency is copied from the owning app's agency_of)."""
    return (
        item is not None
        and item.agency_id is not None
        and (item.agency_id in moderated_agency_ids(user))
    )


is_platform_level = is_platform_moderator | rules.is_superuser

rules.add_perm(
    "moderation.view_queue", is_active_account & (is_platform_level | is_any_agency_moderator)
)
rules.add_perm(
    "moderation.moderate_item", is_active_account & (is_platform_level | moderates_item_agency)
)
rules.add_perm("moderation.block_user", is_active_account & is_platform_level)
rules.add_perm(
    "moderation.view_log", is_active_account & (is_platform_level | is_any_agency_moderator)
)
rules.add_perm("moderation.flag", can_participate)
