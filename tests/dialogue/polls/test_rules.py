"""Permissions as matrices: audience x person x phase for taking part, results rule x
viewer x phase for seeing the results, role x state for managing and viewing."""

from __future__ import annotations

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser

from accounts.models import Membership
from accounts.regions import Region
from dialogue.polls import services
from dialogue.polls.models import Audience, Poll, PollState, ResultsVisibility, Submission
from dialogue.polls.rules import can, take_refusal
from moderation.models import UserBlock
from tests.factories import AgencyFactory, MembershipFactory, UserFactory, platform_moderator

from .conftest import AFTER, BEFORE, NOW, make_poll

pytestmark = pytest.mark.django_db

PHASES = ["draft", "upcoming", "open", "closed", "cancelled"]
MOMENT = {"upcoming": BEFORE, "open": NOW, "closed": AFTER, "draft": NOW, "cancelled": NOW}


def poll_in(phase: str, staff, **kwargs) -> Poll:
    poll = make_poll(staff, publish=phase != "draft", **kwargs)
    if phase == "cancelled":
        services.poll_cancel(poll=poll, actor=staff.head, reason="Cancelled for the test.")
    return Poll.objects.select_related("agency").get(pk=poll.pk)


def fresh(user):
    """The same person without the per-request caches (roles, email, submissions)."""
    if not user.is_authenticated:
        return user
    return type(user).objects.get(pk=user.pk)


# --- taking part: audience x person x phase --------------------------------------------------

PEOPLE = [
    "anon",
    "unverified",
    "inactive",
    "blocked",
    "taken_part",
    "verified_astana",
    "verified_no_region",
    "identity_astana",
    "identity_pavlodar",
    "identity_no_region",
    "agency_head",
]
AUDIENCES = {
    "verified_anywhere": {"audience": Audience.VERIFIED, "region": ""},
    "verified_astana": {"audience": Audience.VERIFIED, "region": Region.ASTANA},
    "identity_anywhere": {"audience": Audience.IDENTITY_VERIFIED, "region": ""},
    "identity_astana": {"audience": Audience.IDENTITY_VERIFIED, "region": Region.ASTANA},
}
# Who may take part in an open poll, per audience.
MAY_TAKE_PART = {
    "verified_anywhere": {
        "verified_astana",
        "verified_no_region",
        "identity_astana",
        "identity_pavlodar",
        "identity_no_region",
        "agency_head",
    },
    "verified_astana": {"verified_astana", "identity_astana", "agency_head"},
    "identity_anywhere": {"identity_astana", "identity_pavlodar", "identity_no_region"},
    "identity_astana": {"identity_astana"},
}
REFUSAL = {
    "anon": "anonymous",
    "unverified": "unverified",
    "inactive": "inactive",
    "blocked": "blocked",
    "taken_part": "submitted",
}


def make_people(staff, moderator) -> dict:
    people = {
        "anon": AnonymousUser(),
        "unverified": UserFactory(verified_email=False),
        "inactive": UserFactory(is_active=False),
        "blocked": UserFactory(identity_verified=True),
        "taken_part": UserFactory(identity_verified=True),
        "verified_astana": UserFactory(region=Region.ASTANA),
        "verified_no_region": UserFactory(region=""),
        "identity_astana": UserFactory(region=Region.ASTANA, identity_verified=True),
        "identity_pavlodar": UserFactory(region=Region.PAVLODAR, identity_verified=True),
        "identity_no_region": UserFactory(region="", identity_verified=True),
        "agency_head": staff.head,  # region Astana (factory), not identity-verified
    }
    UserBlock.objects.create(user=people["blocked"], reason="Abuse", actor=moderator)
    return people


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("audience", list(AUDIENCES))
def test_take_poll_matrix(staff, audience, phase):
    moderator = platform_moderator()
    people = make_people(staff, moderator)
    poll = poll_in(phase, staff, **AUDIENCES[audience])
    Submission.objects.create(poll=poll, user=people["taken_part"])
    with time_machine.travel(MOMENT[phase], tick=False):
        allowed = {
            name for name, person in people.items() if can(fresh(person), "polls.take_poll", poll)
        }
        expected = MAY_TAKE_PART[audience] if phase == "open" else set()
        assert allowed == expected
        # The refusal agrees with the permission, and names the first obstacle.
        for name, person in people.items():
            refusal = take_refusal(fresh(person), poll)
            assert (refusal is None) == (name in expected), name
            if refusal is None:
                continue
            code = refusal[0]
            if phase != "open":
                assert code == phase
            elif name in REFUSAL:
                assert code == REFUSAL[name]
            elif "identity" in audience and not name.startswith("identity"):
                assert code == "identity"
            else:
                assert code == ("no_region" if name.endswith("no_region") else "region")


def test_superuser_is_not_above_the_phase(staff):
    """Django grants a superuser every permission; the polls' checks use the rules alone."""
    admin = UserFactory(is_superuser=True, is_staff=True)
    poll = poll_in("open", staff)
    with time_machine.travel(AFTER, tick=False):
        assert admin.has_perm("polls.take_poll", poll)  # Django's answer
        assert not can(admin, "polls.take_poll", poll)
        assert take_refusal(admin, poll)[0] == "closed"


# --- results: rule x viewer x phase ------------------------------------------------------------

VIEWERS = ["anon", "citizen", "participant", "head", "responder", "drafter", "other_agency_head"]
MANAGERS = {"head", "responder"}


def results_expected(visibility: str, phase: str) -> set[str]:
    if phase == "closed":
        return set(VIEWERS)
    if phase == "open" and visibility == ResultsVisibility.AFTER_VOTING:
        return MANAGERS | {"participant"}
    return set(MANAGERS)


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("visibility", ResultsVisibility.values)
def test_view_results_matrix(staff, visibility, phase):
    other = MembershipFactory(agency=AgencyFactory(), role=Membership.Role.HEAD).user
    viewers = {
        "anon": AnonymousUser(),
        "citizen": UserFactory(),
        "participant": UserFactory(),
        "head": staff.head,
        "responder": staff.responder,
        "drafter": staff.drafter,
        "other_agency_head": other,
    }
    poll = poll_in(phase, staff, results_visibility=visibility)
    if phase != "draft":  # a draft cannot have submissions (a constraint)
        Submission.objects.create(poll=poll, user=viewers["participant"])
    with time_machine.travel(MOMENT[phase], tick=False):
        allowed = {
            name
            for name, viewer in viewers.items()
            if can(fresh(viewer), "polls.view_results", poll)
        }
    assert allowed == results_expected(visibility, phase)


# --- managing and viewing: role x state ----------------------------------------------------------

ROLES = ["anon", "citizen", "head", "responder", "drafter", "moderator", "other_agency_head"]


@pytest.mark.parametrize("state", ["draft", "published", "cancelled_draft", "cancelled"])
def test_manage_and_view_matrix(staff, state):
    other = MembershipFactory(agency=AgencyFactory(), role=Membership.Role.HEAD).user
    people = {
        "anon": AnonymousUser(),
        "citizen": UserFactory(),
        "head": staff.head,
        "responder": staff.responder,
        "drafter": staff.drafter,
        "moderator": staff.moderator,
        "other_agency_head": other,
    }
    poll = make_poll(staff, publish=state in ("published", "cancelled"))
    if state.startswith("cancelled"):
        services.poll_cancel(poll=poll, actor=staff.head, reason="Not needed.")
        poll.refresh_from_db()
        assert poll.state == PollState.CANCELLED
    manage = {name for name, p in people.items() if can(fresh(p), "polls.manage_poll", poll)}
    view = {name for name, p in people.items() if can(fresh(p), "polls.view_poll", poll)}
    create = {
        name
        for name, p in people.items()
        if can(fresh(p), "polls.manage_agency_polls", staff.agency)
    }
    assert manage == MANAGERS
    assert create == MANAGERS
    assert view == (set(ROLES) if state in ("published", "cancelled") else MANAGERS)


def test_an_inactive_head_manages_nothing(staff):
    poll = make_poll(staff)
    staff.head.is_active = False
    staff.head.save(update_fields=["is_active"])
    assert not can(fresh(staff.head), "polls.manage_poll", poll)


def test_taken_part_is_read_once_per_request(staff, citizen, django_assert_num_queries):
    poll = poll_in("open", staff)
    person = fresh(citizen)
    assert can(person, "polls.take_poll", poll)  # fills the per-request caches
    assert not can(person, "polls.view_results", poll)
    with django_assert_num_queries(1):  # only the "blocked" check runs again
        assert can(person, "polls.take_poll", poll)
        assert not can(person, "polls.view_results", poll)
