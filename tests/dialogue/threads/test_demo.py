"""The demo threads: each state the demo promises, counters that match the rows, duties
whose dates agree with the story (the NGO tracking counts them); seeding twice changes
nothing. Seeded with the default support level (100)."""

from __future__ import annotations

import io

import pytest
import time_machine
from django.db.models import Count

from accounts import demo as accounts_demo
from dialogue.models import Comment
from dialogue.threads import demo, services
from dialogue.threads.models import Thread, ThreadSupport
from tracking.models import Obligation

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _default_level(settings):
    del settings.THREADS_SUPPORT_LEVEL


def _snapshot() -> tuple[int, ...]:
    from accounts.models import User

    return (
        Thread.objects.count(),
        ThreadSupport.objects.count(),
        Comment.objects.count(),
        User.objects.count(),
        Obligation.objects.filter(kind=services.OBLIGATION_KIND).count(),
    )


# A Tuesday in March (Nauryz ahead), and a Saturday after the May holidays.
@pytest.mark.parametrize("today", [at(2026, 3, 10), at(2026, 5, 16, 22)])
def test_every_state_and_idempotent(today):
    with time_machine.travel(today, tick=False):
        out = io.StringIO()
        accounts_demo.seed(stdout=out)
        assert demo.seed(stdout=out) == []
        assert f"threads: {len(demo.THREADS)} new" in out.getvalue()
        before = _snapshot()
        again = io.StringIO()
        demo.seed(stdout=again)
        assert "threads: 0 new" in again.getvalue()
        assert _snapshot() == before
        _check(today)


def _check(today):
    threads = {
        spec.key: Thread.objects.select_related("obligation", "addressee").get(title=spec.title)
        for spec in demo.THREADS
    }
    status = {key: thread.reply_status() for key, thread in threads.items()}
    assert status["below_level"] == "" and threads["below_level"].support_count < 100
    assert status["reply_due"] == "due" and threads["reply_due"].support_count > 100
    assert status["overdue"] == "overdue"
    assert status["answered"] == "answered" and status["answered_early"] == "answered"
    assert threads["answered_early"].obligation_id is None
    assert threads["hidden"].hidden_reason == "personal_data" and threads["hidden"].text
    assert threads["withdrawn"].withdrawn_at is not None
    assert {t.region for t in threads.values()} >= {"", "astana", "almaty-city", "pavlodar"}
    assert len({t.category for t in threads.values()}) >= 7

    # Counters equal the rows; nobody supports twice or their own thread.
    for key, thread in threads.items():
        assert thread.support_count == ThreadSupport.objects.filter(thread=thread).count(), key
        comments = Comment.objects.filter(target_pk=str(thread.pk), target_type__model="thread")
        assert thread.reply_count == comments.count(), key
        assert not ThreadSupport.objects.filter(thread=thread, user=thread.author).exists(), key
    assert (
        not ThreadSupport.objects.values("thread", "user").annotate(n=Count("pk")).filter(n__gt=1)
    )

    # The duties: opened when the level was reached (by the support that reached it),
    # due 15 working days later, the answered one at the official comment's date.
    for key in ("reply_due", "overdue", "answered"):
        thread = threads[key]
        duty = thread.obligation
        assert duty.kind == services.OBLIGATION_KIND and duty.agency == thread.addressee, key
        assert thread.created_at < duty.opened_at < today, key
        hundredth = ThreadSupport.objects.filter(thread=thread).order_by("created_at", "pk")[99]
        assert hundredth.created_at == duty.opened_at, key
    answered = threads["answered"]
    reply = Comment.objects.get(pk=answered.official_reply_id)
    assert reply.is_official and reply.agency == answered.addressee
    assert answered.obligation.answered_at == reply.posted_at == answered.answered_at
    assert answered.obligation.outcome == services.OUTCOME_OFFICIAL_REPLY
    assert Obligation.objects.answered_on_time().filter(pk=answered.obligation_id).exists()
    overdue = Obligation.objects.overdue(now=today)
    assert (
        threads["overdue"].obligation in overdue and threads["reply_due"].obligation not in overdue
    )

    listed = set(Thread.objects.listed().values_list("pk", flat=True))
    assert threads["hidden"].pk not in listed and threads["withdrawn"].pk not in listed
    assert len(listed) == len(demo.THREADS) - 2
