"""Supports under real concurrency, against PostgreSQL (SQLite serialises every write, so
the race these tests look for cannot happen there: they are skipped, with the reason).

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/threads_helper pytest tests/dialogue/threads
"""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, connections

from dialogue.threads import services
from dialogue.threads.models import Thread, ThreadSupport
from tracking.models import Obligation

from .conftest import make_thread, supporters

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite serialises writes, so there is no race to test",
    ),
]

SUPPORTERS = 40
AT_ONCE = 40


def run_together(jobs) -> list[BaseException]:
    """Run each job in its own thread, released at once; return the unexpected errors."""
    barrier = threading.Barrier(len(jobs))
    gate = threading.BoundedSemaphore(AT_ONCE)
    errors: list[BaseException] = []

    def worker(job) -> None:
        barrier.wait()
        with gate:
            try:
                job()
            except PermissionDenied:
                pass
            except BaseException as error:  # noqa: BLE001 - reported by the test
                errors.append(error)
            finally:
                connections.close_all()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_concurrent_supports_count_exactly_and_open_one_duty(author, agency, settings):
    settings.THREADS_SUPPORT_LEVEL = 10
    thread = make_thread(author, agency.agency)
    people = supporters(SUPPORTERS)

    def support(user):
        return lambda: services.thread_support(thread=Thread.objects.get(pk=thread.pk), user=user)

    # Everyone twice at once: each person counts once.
    errors = run_together([support(user) for user in people + people])
    assert errors == []
    thread = Thread.objects.get(pk=thread.pk)
    assert thread.support_count == SUPPORTERS == ThreadSupport.objects.filter(thread=thread).count()
    duties = Obligation.objects.filter(object_id=str(thread.pk), kind=services.OBLIGATION_KIND)
    assert duties.count() == 1 and thread.obligation_id == duties.get().pk
