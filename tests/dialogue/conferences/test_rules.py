"""Who may do what, as role x phase matrices (rules.py). Each cell is checked through
`rules.has_perm`, as the services and views ask it; every role of every permission is
listed, so a cell that changes fails one case."""

from __future__ import annotations

import pytest
import rules
import time_machine
from django.contrib.auth.models import AnonymousUser

from accounts.models import Membership
from dialogue.conferences import services
from moderation.models import UserBlock
from tests.factories import AgencyFactory, MembershipFactory, UserFactory

from .conftest import AFTER, BEFORE, DURING

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "unverified",
    "blocked",
    "citizen",
    "author",
    "official",
    "head",
    "responder",
    "drafter",
    "moderator",
    "platform_moderator",
    "superuser",
    "other_agency_head",
)
PHASES = {"upcoming": BEFORE, "live": DURING, "archived": AFTER, "cancelled": BEFORE}
ALL_VERIFIED = set(ROLES) - {"anonymous", "unverified", "blocked"}
MANAGERS = {"head", "moderator", "superuser"}
MODERATORS = {"head", "moderator", "platform_moderator", "superuser"}
ANSWERERS = {"official", "head", "responder"}


@pytest.fixture
def people(staff, official, moderator, unverified_user, citizen):
    blocked = UserFactory()
    UserBlock.objects.create(user=blocked, reason="Spam", actor=moderator)
    other_head = UserFactory()
    MembershipFactory(agency=AgencyFactory(), user=other_head, role=Membership.Role.HEAD)
    return {
        "anonymous": AnonymousUser(),
        "unverified": unverified_user,
        "blocked": blocked,
        "citizen": citizen,
        "author": UserFactory(display_name="The author"),
        "official": official,
        "head": staff.head,
        "responder": staff.responder,
        "drafter": staff.drafter,
        "moderator": staff.moderator,
        "platform_moderator": moderator,
        "superuser": UserFactory(is_superuser=True, is_staff=True),
        "other_agency_head": other_head,
    }


@pytest.fixture
def question(published, people):
    return published(people["author"], "Who gets free legal aid?")


def in_phase(conference, phase, staff):
    if phase == "cancelled":
        services.conference_cancel(conference=conference, actor=staff.head, reason="Postponed.")
    return time_machine.travel(PHASES[phase], tick=False)


def allowed(perm, people, obj) -> set[str]:
    return {role for role in ROLES if rules.has_perm(f"conferences.{perm}", people[role], obj)}


CONFERENCE_MATRIX = {
    # permission: {phase: roles allowed}
    "change_conference": {
        "upcoming": MANAGERS,
        "live": MANAGERS,
        "archived": set(),
        "cancelled": set(),
    },
    "cancel_conference": {
        "upcoming": MANAGERS,
        "live": set(),
        "archived": set(),
        "cancelled": set(),
    },
    "moderate_questions": {
        "upcoming": MODERATORS,
        "live": MODERATORS,
        "archived": MODERATORS,
        "cancelled": set(),
    },
    "use_studio": {
        "upcoming": ANSWERERS,
        "live": ANSWERERS,
        "archived": ANSWERERS,
        "cancelled": set(),
    },
    "convert_questions": {
        "upcoming": set(),
        "live": set(),
        "archived": MANAGERS,
        "cancelled": set(),
    },
    "ask_question": {
        "upcoming": ALL_VERIFIED,
        "live": ALL_VERIFIED,
        "archived": set(),
        "cancelled": set(),
    },
}


@pytest.mark.parametrize("phase", list(PHASES))
@pytest.mark.parametrize("perm", list(CONFERENCE_MATRIX))
def test_conference_permissions(conference, staff, people, perm, phase):
    with in_phase(conference, phase, staff):
        assert allowed(perm, people, conference) == CONFERENCE_MATRIX[perm][phase]


QUESTION_MATRIX = {
    "vote_question": {
        "upcoming": ALL_VERIFIED - {"author"},
        "live": ALL_VERIFIED - {"author"},
        "archived": set(),
        "cancelled": set(),
    },
    "answer_question": {
        "upcoming": set(),
        "live": ANSWERERS,
        "archived": set(),
        "cancelled": set(),
    },
    "convert_question": {
        "upcoming": set(),
        "live": set(),
        "archived": MANAGERS,
        "cancelled": set(),
    },
    "hide_question": {
        "upcoming": MODERATORS,
        "live": MODERATORS,
        "archived": MODERATORS,
        "cancelled": MODERATORS,
    },
    "view_question": {phase: set(ROLES) for phase in PHASES},
}


@pytest.mark.parametrize("phase", list(PHASES))
@pytest.mark.parametrize("perm", list(QUESTION_MATRIX))
def test_published_question_permissions(conference, staff, people, question, perm, phase):
    with in_phase(conference, phase, staff):
        question.conference.refresh_from_db()
        assert allowed(perm, people, question) == QUESTION_MATRIX[perm][phase]


@pytest.mark.parametrize("phase", ["upcoming", "live", "archived", "cancelled"])
def test_a_submitted_question_is_moderated_and_seen_by_its_author_and_moderators(
    conference, staff, people, ask, phase
):
    submitted = ask(people["author"])
    with in_phase(conference, phase, staff):
        submitted.conference.refresh_from_db()
        expected = MODERATORS if phase != "cancelled" else set()
        assert allowed("moderate_question", people, submitted) == expected
        assert allowed("vote_question", people, submitted) == set()
        assert allowed("answer_question", people, submitted) == set()
        assert allowed("view_question", people, submitted) == {"author", *MODERATORS}


def test_an_answered_question_is_no_longer_voted_answered_or_converted(
    conference, staff, people, question
):
    with time_machine.travel(DURING, tick=False):
        services.question_answer(question=question, actor=people["official"], text="Yes.")
        assert allowed("vote_question", people, question) == set()
        assert allowed("answer_question", people, question) == set()
    with time_machine.travel(AFTER, tick=False):
        assert allowed("convert_question", people, question) == set()


def test_a_hidden_question_is_seen_only_by_its_author_and_moderators(
    conference, staff, people, question
):
    services.question_hide(question=question, reason="abuse", actor=people["platform_moderator"])
    assert allowed("view_question", people, question) == {"author", *MODERATORS}
    assert allowed("vote_question", people, question) == set()


def test_scheduling_for_an_agency(staff, people):
    assert allowed("schedule_conference", people, staff.agency) == MANAGERS
    other = AgencyFactory()
    assert allowed("schedule_conference", people, other) == {"superuser"}
