"""Who may do what with petitions, as `rules` predicates: role x state x ownership.

The object is the petition (none for `create_petition` and `view_abuse_report`). Platform
moderators are the `Platform moderators` group (`accounts.rules.is_platform_moderator`);
superusers count as moderators. The addressee's head and responders answer. The services
check these themselves; tests/petitions/test_rules.py checks them as a matrix.

Viewing: drafts, submitted petitions and petitions in moderation are the author's and
the moderators'; a rejected petition is public with its reason unless the reason is not
public (personal data, abuse); everything published (link-only included) may be opened
by anyone who has the link; a hidden petition still opens, showing the moderation
placeholder instead of its text (the screens' job).
"""

from __future__ import annotations

import rules

from accounts.rules import (
    can_participate,
    is_active_account,
    is_agency_responder,
    is_identity_verified,
    is_platform_moderator,
)

from .models import (
    PRIVATE_STATES,
    WITHDRAWABLE_STATES,
    PetitionState,
    ResponseState,
    setting,
)


@rules.predicate
def is_not_blocked(user) -> bool:
    from moderation.services import is_blocked

    return user.is_authenticated and not is_blocked(user)


@rules.predicate
def identity_if_required(user) -> bool:
    """PETITIONS_REQUIRE_IDENTITY: sign only with a national-ID-verified account."""
    if not setting("REQUIRE_IDENTITY", False):
        return True
    return is_identity_verified(user)


@rules.predicate
def is_author(user, petition) -> bool:
    return petition is not None and user.is_authenticated and petition.author_id == user.pk


@rules.predicate
def is_draft(user, petition) -> bool:
    return petition is not None and petition.state == PetitionState.DRAFT


@rules.predicate
def awaits_moderation(user, petition) -> bool:
    return petition is not None and petition.state in (
        PetitionState.SUBMITTED,
        PetitionState.IN_MODERATION,
    )


@rules.predicate
def is_withdrawable(user, petition) -> bool:
    return petition is not None and petition.state in WITHDRAWABLE_STATES


@rules.predicate
def is_collecting(user, petition) -> bool:
    return petition is not None and petition.is_collecting()


@rules.predicate
def awaits_response(user, petition) -> bool:
    return petition is not None and petition.response_state == ResponseState.AWAITING


@rules.predicate
def is_addressee_responder(user, petition) -> bool:
    return petition is not None and is_agency_responder(user, petition.addressee)


@rules.predicate
def is_hidden(user, petition) -> bool:
    return petition is not None and petition.hidden_at is not None


@rules.predicate
def is_open_to_everyone(user, petition) -> bool:
    """Published at some point (link-only included), or rejected for a public reason."""
    if petition is None:
        return False
    if petition.state == PetitionState.REJECTED:
        return petition.rejection_is_public
    if petition.state == PetitionState.WITHDRAWN:
        return petition.published_at is not None
    return petition.state not in PRIVATE_STATES


@rules.predicate
def has_signatures(user, petition) -> bool:
    return petition is not None and petition.published_at is not None


is_moderator = is_active_account & (rules.is_superuser | is_platform_moderator)
may_take_part = can_participate & is_not_blocked

rules.add_perm("petitions.create_petition", may_take_part)
rules.add_perm("petitions.change_petition", is_active_account & is_author & is_draft)
rules.add_perm("petitions.submit_petition", may_take_part & is_author & is_draft)
rules.add_perm("petitions.withdraw_petition", is_active_account & is_author & is_withdrawable)
rules.add_perm("petitions.moderate_petition", is_moderator & awaits_moderation)
rules.add_perm(
    "petitions.sign_petition",
    may_take_part & identity_if_required & is_collecting & ~is_hidden,
)
rules.add_perm(
    "petitions.respond_petition", is_active_account & is_addressee_responder & awaits_response
)
rules.add_perm(
    "petitions.view_petition", is_open_to_everyone | (is_active_account & is_author) | is_moderator
)
rules.add_perm("petitions.invalidate_signatures", is_moderator & has_signatures)
rules.add_perm("petitions.hide_petition", is_moderator)
rules.add_perm("petitions.view_abuse_report", is_moderator)
