"""Permissions as a role x state matrix, for every permission of threads/rules.py. The
rules themselves are asked (as the services and views do), not `User.has_perm`, which
gives a superuser everything."""

from __future__ import annotations

import pytest
import rules
from django.contrib.auth.models import AnonymousUser

from dialogue.threads import services
from dialogue.threads.models import Thread
from moderation import services as moderation_services
from tests.factories import UserFactory

from .conftest import make_thread, official_reply, reach_level

pytestmark = pytest.mark.django_db

ROLES = [
    "author",
    "citizen",
    "unverified",
    "blocked",
    "moderator",
    "superuser",
    "head",
    "responder",
    "drafter",
    "agency_moderator",
    "anon",
]
STATES = ["open", "awaiting", "answered", "hidden", "withdrawn"]


@pytest.fixture
def people(author, agency, moderator, unverified_user):
    blocked = UserFactory()
    moderation_services.user_block(user=blocked, reason="spam", actor=moderator)
    return {
        "author": author,
        "citizen": UserFactory(),
        "unverified": unverified_user,
        "blocked": blocked,
        "moderator": moderator,
        "superuser": UserFactory(is_superuser=True),
        "head": agency.head,
        "responder": agency.responder,
        "drafter": agency.drafter,
        "agency_moderator": agency.moderator,
        "anon": AnonymousUser(),
    }


@pytest.fixture
def threads(author, agency, moderator) -> dict[str, Thread]:
    made = {state: make_thread(author, agency.agency) for state in STATES}
    reach_level(made["awaiting"])
    reach_level(made["answered"])
    official_reply(made["answered"], agency.responder)
    services.thread_hide(thread=made["hidden"], reason="spam", actor=moderator)
    services.thread_withdraw(thread=made["withdrawn"], actor=author)
    return {
        state: Thread.objects.select_related("obligation", "addressee").get(pk=thread.pk)
        for state, thread in made.items()
    }


def _everyone(roles) -> dict[str, set[str]]:
    return {role: set(STATES) for role in roles}


# Verified, active, not blocked.
PARTICIPANTS = [
    "author",
    "citizen",
    "moderator",
    "superuser",
    "head",
    "responder",
    "drafter",
    "agency_moderator",
]

EXPECTED: dict[str, dict[str, set[str]]] = {
    # Open threads take support from verified, unblocked people other than the author.
    "threads.support_thread": {
        role: {"open", "awaiting", "answered"} for role in PARTICIPANTS if role != "author"
    },
    # Taking support back needs only an account (a blocked person may take theirs back).
    "threads.unsupport_thread": {
        role: {"open", "awaiting", "answered"} for role in ROLES if role != "anon"
    },
    # The author, while no reply is owed and not already withdrawn (hidden ones too).
    "threads.withdraw_thread": {"author": {"open", "answered", "hidden"}},
    "threads.hide_thread": _everyone(["moderator", "superuser"]),
    "threads.see_hidden_thread": _everyone(["author", "moderator", "superuser"]),
}


@pytest.mark.parametrize("perm", sorted(EXPECTED))
def test_thread_permissions(perm, people, threads):
    allowed = {
        role: {state for state in STATES if rules.has_perm(perm, people[role], threads[state])}
        for role in ROLES
    }
    expected = {role: EXPECTED[perm].get(role, set()) for role in ROLES}
    assert allowed == expected


def test_who_starts_threads(people):
    allowed = {role for role in ROLES if rules.has_perm("threads.start_thread", people[role])}
    assert allowed == set(PARTICIPANTS)


def test_who_sees_an_agency_queue(people, agency):
    allowed = {
        role
        for role in ROLES
        if rules.has_perm("threads.view_agency_queue", people[role], agency.agency)
    }
    assert allowed == {"head", "responder"}
