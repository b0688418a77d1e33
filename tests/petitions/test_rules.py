"""Permissions as a role x state matrix."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from petitions.models import Petition, PetitionState, ResponseState
from tests.factories import UserFactory

from .conftest import make_petition, reason

pytestmark = pytest.mark.django_db

ROLES = ["author", "citizen", "unverified", "moderator", "head", "responder", "drafter", "anon"]
STATES = [
    "draft",
    "submitted",
    "in_moderation",
    "published",
    "public",
    "threshold_reached",
    "closed_unsupported",
    "closed",
    "rejected_public",
    "rejected_private",
    "withdrawn",
]


@pytest.fixture
def people(author, addressee, moderator, unverified_user):
    return {
        "author": author,
        "citizen": UserFactory(),
        "unverified": unverified_user,
        "moderator": moderator,
        "head": addressee.head,
        "responder": addressee.responder,
        "drafter": addressee.drafter,
        "anon": AnonymousUser(),
    }


def petition_in(state: str, author, agency, moderator) -> Petition:
    stage = {"draft": "draft", "submitted": "submitted", "in_moderation": "in_moderation"}
    petition = make_petition(
        author, agency, stage=stage.get(state, "published"), moderator=moderator
    )
    now = timezone.now()
    changes = {}
    if state == "public":
        changes = {"state": PetitionState.PUBLIC, "public_at": now}
    elif state == "threshold_reached":
        changes = {
            "state": PetitionState.THRESHOLD_REACHED,
            "public_at": now,
            "threshold_reached_at": now,
            "response_state": ResponseState.AWAITING,
        }
    elif state in ("closed_unsupported", "closed", "withdrawn"):
        changes = {"state": state, "closed_at": now}
    elif state.startswith("rejected"):
        code = "courts" if state == "rejected_public" else "abuse"
        petition = make_petition(author, agency, stage="in_moderation", moderator=moderator)
        changes = {
            "state": PetitionState.REJECTED,
            "rejection_reason": reason(code),
            "rejected_at": now,
        }
    if changes:
        Petition.objects.filter(pk=petition.pk).update(**changes)
    return Petition.objects.select_related("rejection_reason").get(pk=petition.pk)


EVERYONE = set(ROLES)
SIGNED_IN_VERIFIED = EVERYONE - {"unverified", "anon"}
OPEN_STATES = set(STATES) - {"draft", "submitted", "in_moderation", "rejected_private"}
PUBLISHED_ONCE = {
    "published",
    "public",
    "threshold_reached",
    "closed_unsupported",
    "closed",
    "withdrawn",
}
COLLECTING = {"published", "public", "threshold_reached"}


def expected(perm: str, role: str, state: str) -> bool:
    if perm == "petitions.view_petition":
        return state in OPEN_STATES or role in {"author", "moderator"}
    if perm == "petitions.sign_petition":
        return state in COLLECTING and role in SIGNED_IN_VERIFIED
    if perm == "petitions.moderate_petition":
        return role == "moderator" and state in {"submitted", "in_moderation"}
    if perm == "petitions.respond_petition":
        return role in {"head", "responder"} and state == "threshold_reached"
    if perm == "petitions.withdraw_petition":
        return role == "author" and state in {
            "draft",
            "submitted",
            "in_moderation",
            "published",
            "public",
        }
    if perm in ("petitions.change_petition", "petitions.submit_petition"):
        return role == "author" and state == "draft"
    if perm == "petitions.invalidate_signatures":
        return role == "moderator" and state in PUBLISHED_ONCE
    raise AssertionError(perm)


PERMS = [
    "petitions.view_petition",
    "petitions.sign_petition",
    "petitions.moderate_petition",
    "petitions.respond_petition",
    "petitions.withdraw_petition",
    "petitions.change_petition",
    "petitions.submit_petition",
    "petitions.invalidate_signatures",
]


@pytest.mark.parametrize("state", STATES)
def test_matrix(state, people, author, addressee, moderator):
    petition = petition_in(state, author, addressee.agency, moderator)
    wrong = []
    for perm in PERMS:
        for role in ROLES:
            got = people[role].has_perm(perm, petition)
            if got != expected(perm, role, state):
                wrong.append((perm, role, got))
    assert wrong == []


def test_create_needs_verified_unblocked_account(people, moderator):
    from moderation.services import user_block

    assert people["citizen"].has_perm("petitions.create_petition")
    assert not people["unverified"].has_perm("petitions.create_petition")
    assert not people["anon"].has_perm("petitions.create_petition")
    user_block(user=people["citizen"], reason="abuse", actor=moderator)
    citizen = type(people["citizen"]).objects.get(pk=people["citizen"].pk)
    assert not citizen.has_perm("petitions.create_petition")


def test_abuse_report_for_moderators_only(people):
    allowed = {role for role in ROLES if people[role].has_perm("petitions.view_abuse_report")}
    assert allowed == {"moderator"}


def test_hidden_petition_takes_no_signatures(people, author, addressee, moderator):
    petition = petition_in("public", author, addressee.agency, moderator)
    assert people["citizen"].has_perm("petitions.sign_petition", petition)
    petition.hidden_at = timezone.now()
    assert not people["citizen"].has_perm("petitions.sign_petition", petition)
