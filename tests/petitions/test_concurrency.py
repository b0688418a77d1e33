"""Signatures under real concurrency, against PostgreSQL (SQLite serialises every write,
so the race these tests look for cannot happen there: they are skipped, with the reason).

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres pytest tests/petitions

200 threads are started together behind a barrier; at most 60 hold a database connection
at once (PostgreSQL's default max_connections is 100, the test itself holds one).
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from petitions import services
from petitions.models import Petition, PetitionState, RegionCount, Signature
from tracking.models import Obligation

from .conftest import THRESHOLD, make_petition, make_signers

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite serialises writes, so there is no race to test",
    ),
]

SIGNERS = 200
AT_ONCE = 60


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
            except services.SignatureRefused:
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


def test_200_concurrent_signers_are_all_counted(author, addressee, moderator):
    petition = make_petition(author, addressee.agency, stage="published", moderator=moderator)
    signers = make_signers(SIGNERS // 2) + make_signers(SIGNERS // 2, region="")

    def sign(user, index):
        return lambda: services.signature_add(
            petition=Petition.objects.get(pk=petition.pk),
            user=user,
            ip=f"10.1.{index // 250}.{index % 250}",
        )

    errors = run_together([sign(user, index) for index, user in enumerate(signers)])
    assert errors == []
    petition = Petition.objects.get(pk=petition.pk)
    assert Signature.objects.filter(petition=petition).counted().count() == SIGNERS
    assert petition.signature_count == SIGNERS
    regions = dict(RegionCount.objects.filter(petition=petition).values_list("region", "count"))
    assert sum(regions.values()) == SIGNERS
    assert regions == {"karaganda": SIGNERS // 2, "": SIGNERS // 2}
    # Both transitions happened exactly once.
    assert petition.state == PetitionState.THRESHOLD_REACHED
    assert petition.threshold == THRESHOLD
    assert Obligation.objects.filter(kind=services.RESPONSE_KIND).count() == 1


def test_same_person_signing_and_withdrawing_at_once_stays_consistent(published):
    (signer,) = make_signers(1)
    others = make_signers(5)

    def sign():
        services.signature_add(
            petition=Petition.objects.get(pk=published.pk), user=signer, ip="10.2.0.1"
        )

    def withdraw():
        services.signature_withdraw(petition=Petition.objects.get(pk=published.pk), user=signer)

    def sign_other(user):
        return lambda: services.signature_add(
            petition=Petition.objects.get(pk=published.pk), user=user
        )

    jobs = [sign if index % 2 == 0 else withdraw for index in range(40)]
    jobs += [sign_other(user) for user in others]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            services, "signature_rate", lambda: {"ip_per_hour": 999, "user_per_hour": 999}
        )
        errors = run_together(jobs)
    assert errors == []
    petition = Petition.objects.get(pk=published.pk)
    active = Signature.objects.filter(petition=petition, user=signer, withdrawn_at__isnull=True)
    assert active.count() <= 1
    counted = Signature.objects.filter(petition=petition).counted().count()
    assert petition.signature_count == counted == 5 + active.count()
    regions = RegionCount.objects.filter(petition=petition).values_list("count", flat=True)
    assert sum(regions) == counted
