"""Who may act on an obligation: role x state matrices of tracking/rules.py."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from tests.factories import UserFactory, platform_editor, platform_moderator
from tracking.services import (
    obligation_acknowledge,
    obligation_extend,
    obligation_fulfil,
    obligation_open,
    obligation_withdraw,
)

from .conftest import QUESTION, at

pytestmark = pytest.mark.django_db

ACTIONS = ["acknowledge", "extend", "redirect", "fulfil"]
NOW = at(2026, 3, 19, 12)


@pytest.fixture
def people(agency_with_staff, verified_user):
    return {
        "anonymous": None,
        "citizen": verified_user,
        "head": agency_with_staff.head,
        "responder": agency_with_staff.responder,
        "drafter": agency_with_staff.drafter,
        "moderator": agency_with_staff.moderator,
        "other_agency_responder": _responder_elsewhere(),
        "platform_editor": platform_editor(),
        "platform_moderator": platform_moderator(),
    }


def _responder_elsewhere():
    from tests.factories import MembershipFactory

    return MembershipFactory(role="responder").user


def _obligation(state, subject, agency):
    with time_machine.travel(at(2026, 3, 18, 11), tick=False):
        obligation = obligation_open(subject=subject, agency=agency, kind=QUESTION)
    with time_machine.travel(NOW, tick=False):
        if state == "acknowledged":
            obligation_acknowledge(obligation=obligation, actor=None)
        elif state == "extended":
            obligation_extend(
                obligation=obligation,
                new_due_date=datetime.date(2026, 5, 4),
                reason="r",
                actor=None,
            )
        elif state == "answered":
            obligation_fulfil(obligation=obligation, actor=None)
        elif state == "withdrawn":
            obligation_withdraw(obligation=obligation, actor=None, reason="r")
    return obligation


STAFF = {"head", "responder"}
# state -> the actions allowed to the agency's head and responder in that state
ALLOWED = {
    "open": {"acknowledge", "extend", "redirect", "fulfil"},
    "acknowledged": {"extend", "redirect", "fulfil"},
    "extended": {"acknowledge", "fulfil"},
    "answered": set(),
    "withdrawn": set(),
}


@pytest.mark.parametrize("state", list(ALLOWED))
def test_matrix(state, people, subject, agency_with_staff):
    from django.contrib.auth.models import AnonymousUser

    obligation = _obligation(state, subject, agency_with_staff.agency)
    with time_machine.travel(NOW, tick=False):
        for role, user in people.items():
            user = user or AnonymousUser()
            for action in ACTIONS:
                expected = role in STAFF and action in ALLOWED[state]
                allowed = user.has_perm(f"tracking.{action}_obligation", obligation)
                assert allowed == expected, (role, state, action)


def test_redirect_and_extend_close_with_time(subject, agency_with_staff):
    obligation = _obligation("open", subject, agency_with_staff.agency)
    responder = agency_with_staff.responder
    with time_machine.travel(at(2026, 3, 27, 10), tick=False):  # after 3 working days
        assert not responder.has_perm("tracking.redirect_obligation", obligation)
        assert responder.has_perm("tracking.extend_obligation", obligation)
    with time_machine.travel(at(2026, 4, 14, 10), tick=False):  # overdue
        assert not responder.has_perm("tracking.extend_obligation", obligation)
        assert responder.has_perm("tracking.fulfil_obligation", obligation)


def test_inactive_responder_may_not_act(subject, agency_with_staff):
    obligation = _obligation("open", subject, agency_with_staff.agency)
    responder = agency_with_staff.responder
    responder.is_active = False
    responder.save()
    assert not responder.has_perm("tracking.fulfil_obligation", obligation)


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("citizen", False), ("editor", True), ("moderator", False), ("superuser", True)],
)
def test_edit_calendar(db, who, allowed):
    user = {
        "citizen": lambda: UserFactory(),
        "editor": lambda: platform_editor(),
        "moderator": lambda: platform_moderator(),
        "superuser": lambda: UserFactory(is_superuser=True, is_staff=True),
    }[who]()
    assert user.has_perm("tracking.edit_calendar") is allowed
