"""Blog question permissions as role x state matrices."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from blogs import services
from blogs.models import Question
from tests.factories import AgencyFactory, MembershipFactory, UserFactory, platform_moderator

from .conftest import published, submit

pytestmark = pytest.mark.django_db

STATES = ("submitted", "published", "rejected", "answered", "rated", "hidden")


@pytest.fixture
def people(agency_with_staff, asker):
    outsider_moderator = UserFactory(display_name="Other moderator")
    MembershipFactory(user=outsider_moderator, agency=AgencyFactory(), role="moderator")
    return {
        "visitor": AnonymousUser(),
        "citizen": UserFactory(display_name="Citizen"),
        "unverified": UserFactory(verified_email=False),
        "asker": asker,
        "head": agency_with_staff.head,
        "responder": agency_with_staff.responder,
        "drafter": agency_with_staff.drafter,
        "moderator": agency_with_staff.moderator,
        "other_agency_moderator": outsider_moderator,
        "platform_moderator": platform_moderator(),
    }


@pytest.fixture
def questions(blog, asker, agency_with_staff):
    staff = agency_with_staff
    result = {"submitted": submit(blog, asker, title="Submitted")}
    rejected = submit(blog, asker, title="Rejected")
    result["rejected"] = services.question_reject(
        question=rejected, actor=staff.moderator, reason="not_a_question"
    )
    result["published"] = published(blog, asker, staff, title="Published")
    for state in ("answered", "rated"):
        question = published(blog, asker, staff, title=state)
        services.question_answer(
            question=question, responder=staff.responder, text="Answer", is_final=True
        )
        result[state] = question
    services.question_rate(question=result["rated"], asker=asker, verdict="satisfied")
    hidden = published(blog, asker, staff, title="Hidden")
    result["hidden"] = services.question_hide(question=hidden, reason="abuse", actor=staff.head)
    # Fresh rows, as a view would load them.
    return {
        state: Question.objects.select_related("obligation", "agency").get(pk=question.pk)
        for state, question in result.items()
    }


def matrix(perm, people, questions):
    return {
        state: sorted(name for name, user in people.items() if user.has_perm(perm, question))
        for state, question in questions.items()
    }


EVERYONE = sorted(
    [
        "visitor",
        "citizen",
        "unverified",
        "asker",
        "head",
        "responder",
        "drafter",
        "moderator",
        "other_agency_moderator",
        "platform_moderator",
    ]
)
INSIDERS = sorted(["asker", "head", "responder", "drafter", "moderator", "platform_moderator"])


def test_view_question(people, questions):
    assert matrix("blogs.view_question", people, questions) == {
        "submitted": INSIDERS,
        "published": EVERYONE,
        "rejected": INSIDERS,
        "answered": EVERYONE,
        "rated": EVERYONE,
        "hidden": INSIDERS,
    }


def test_moderate_question(people, questions):
    moderators = ["head", "moderator", "platform_moderator"]
    assert matrix("blogs.moderate_question", people, questions) == {
        "submitted": moderators,
        "published": [],
        "rejected": [],
        "answered": [],
        "rated": [],
        "hidden": [],
    }
    expected_hide = dict.fromkeys(STATES, moderators)
    expected_hide.update(submitted=[], rejected=[])
    assert matrix("blogs.hide_question", people, questions) == expected_hide


def test_answer_question(people, questions):
    responders = ["head", "responder"]
    assert matrix("blogs.answer_question", people, questions) == {
        "submitted": [],
        "published": responders,
        "rejected": [],
        "answered": [],
        "rated": [],
        "hidden": responders,  # hidden from the public, still owed an answer
    }


def test_extend_and_redirect_question(people, questions):
    responders = ["head", "responder"]
    expected = {state: [] for state in STATES}
    expected.update(published=responders, hidden=responders)
    assert matrix("blogs.extend_question", people, questions) == expected
    assert matrix("blogs.redirect_question", people, questions) == expected


def test_rate_question(people, questions):
    expected = {state: [] for state in STATES}
    expected["answered"] = ["asker"]
    assert matrix("blogs.rate_question", people, questions) == expected


def test_support_question(people, questions):
    supporters = sorted(
        [
            "citizen",
            "head",
            "responder",
            "drafter",
            "moderator",
            "other_agency_moderator",
            "platform_moderator",
        ]
    )
    expected = {state: [] for state in STATES}
    expected.update(published=supporters, answered=supporters, rated=supporters)
    assert matrix("blogs.support_question", people, questions) == expected


def test_ask_question(people, blog):
    askers = sorted(set(EVERYONE) - {"visitor", "unverified"})
    assert (
        sorted(name for name, user in people.items() if user.has_perm("blogs.ask_question", blog))
        == askers
    )
    blog.accepts_questions = False
    assert not any(user.has_perm("blogs.ask_question", blog) for user in people.values())


def test_an_inactive_asker_cannot_rate(people, questions):
    asker = people["asker"]
    asker.is_active = False
    assert not asker.has_perm("blogs.rate_question", questions["answered"])
