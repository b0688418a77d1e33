"""The demo polls: one in each phase, counters that match the rows, the audiences the
demo people meet; seeding twice changes nothing."""

from __future__ import annotations

import io

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count

from accounts import demo as accounts_demo
from accounts.models import User
from dialogue.polls import demo
from dialogue.polls.models import Phase, Poll, PollAnswer, PollOption, PollQuestion, Submission
from dialogue.polls.rules import can, take_refusal

from .conftest import NOW, at

pytestmark = pytest.mark.django_db


def _by_key() -> dict[str, Poll]:
    return {
        spec.key: Poll.objects.get(agency__slug=spec.agency, title=spec.title)
        for spec in demo.POLLS
    }


def _snapshot() -> tuple[int, ...]:
    return (
        Poll.objects.count(),
        PollQuestion.objects.count(),
        PollOption.objects.count(),
        Submission.objects.count(),
        PollAnswer.objects.count(),
        User.objects.count(),
    )


def person(login: str) -> User:
    return User.objects.get(email=accounts_demo.demo_email(login))


# Seeded on a Tuesday, on New Year's Day and on a Saturday night: the phases hold.
@pytest.mark.parametrize("today", [NOW, at(2026, 1, 1, 8), at(2026, 6, 13, 23)])
def test_every_phase_and_idempotent(today):
    with time_machine.travel(today, tick=False):
        out = io.StringIO()
        accounts_demo.seed(stdout=out)
        assert demo.seed(stdout=out) == []
        assert f"polls: {len(demo.POLLS)} new" in out.getvalue()
        before = _snapshot()
        assert demo.seed(stdout=out) == []
        assert "polls: 0 new, 4 already there" in out.getvalue()
        assert _snapshot() == before

        polls = _by_key()
        assert {key: poll.phase() for key, poll in polls.items()} == {
            "open": Phase.OPEN,
            "identity_region": Phase.OPEN,
            "closed": Phase.CLOSED,
            "upcoming": Phase.UPCOMING,
        }
        assert {key: poll.submission_count for key, poll in polls.items()} == {
            "open": 15,
            "identity_region": 10,
            "closed": 31,
            "upcoming": 0,
        }
        for poll in polls.values():
            assert poll.submission_count == poll.submissions.count()
            for question in poll.questions.annotate(n=Count("answers__submission", distinct=True)):
                assert question.answer_count == question.n
            for option in PollOption.objects.filter(question__poll=poll).annotate(
                n=Count("answers")
            ):
                assert option.vote_count == option.n
            dates = poll.submissions.values_list("submitted_at", flat=True)
            assert all(poll.opens_at <= moment < poll.closes_at for moment in dates)
            assert all(moment <= today for moment in dates)

        # The demo people meet the audiences the docs promise.
        night_buses = polls["identity_region"]
        assert can(person("dauren"), "polls.take_poll", night_buses)
        assert take_refusal(person("aruzhan"), night_buses)[0] == "region"
        assert take_refusal(person("yerassyl"), night_buses)[0] == "identity"
        egov = polls["open"]
        assert can(person("aruzhan"), "polls.view_results", egov)
        assert can(person("dauren"), "polls.take_poll", egov)
        assert not can(person("dauren"), "polls.view_results", egov)
        assert can(AnonymousUser(), "polls.view_results", polls["closed"])
