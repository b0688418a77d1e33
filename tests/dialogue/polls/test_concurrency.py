"""Taking part under real concurrency, against PostgreSQL (SQLite serialises every write,
so the races these tests look for cannot happen there: they are skipped, with the reason).

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> pytest tests/dialogue/polls
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from dialogue.polls import services
from dialogue.polls.models import Poll, PollAnswer, PollOption, PollQuestion, Submission
from tests.factories import UserFactory

from .conftest import make_poll, standard_answers

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite serialises writes, so there is no race to test",
    ),
]

AT_ONCE = 40


def run_together(jobs) -> tuple[int, list[BaseException]]:
    """Run each job in its own thread, released at once; (refusals, unexpected errors)."""
    barrier = threading.Barrier(len(jobs))
    gate = threading.BoundedSemaphore(AT_ONCE)
    errors: list[BaseException] = []
    refused: list[str] = []

    def worker(job) -> None:
        barrier.wait()
        with gate:
            try:
                job()
            except services.SubmissionRefused as refusal:
                refused.append(refusal.code)
            except BaseException as error:  # noqa: BLE001 - reported by the test
                errors.append(error)
            finally:
                connections.close_all()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(refused) <= {"submitted"}
    return len(refused), errors


def test_one_person_submitting_at_once_many_times_counts_once(staff):
    poll = make_poll(staff)
    person = UserFactory()
    answers = standard_answers(poll)

    def job():
        services.poll_submit(poll=Poll.objects.get(pk=poll.pk), user=person, answers=answers)

    refused, errors = run_together([job for _ in range(20)])
    assert errors == []
    assert refused == 19
    assert Submission.objects.filter(poll=poll).count() == 1
    assert Poll.objects.get(pk=poll.pk).submission_count == 1
    assert (
        sum(PollOption.objects.filter(question__poll=poll).values_list("vote_count", flat=True))
        == 3
    )


def test_many_people_at_once_keep_exact_counters(staff):
    poll = make_poll(staff)
    people = UserFactory.create_batch(120)
    answers = standard_answers(poll, single=1, multiple=(0, 3))

    def job(person):
        return lambda: services.poll_submit(
            poll=Poll.objects.get(pk=poll.pk), user=person, answers=answers
        )

    refused, errors = run_together([job(person) for person in people])
    assert (refused, errors) == (0, [])
    assert Poll.objects.get(pk=poll.pk).submission_count == 120
    for question in PollQuestion.objects.filter(poll=poll):
        assert question.answer_count == (120 if question.kind != "text" else 0)
    for option in PollOption.objects.filter(question__poll=poll):
        assert option.vote_count == PollAnswer.objects.filter(option=option).count()
