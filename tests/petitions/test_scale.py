"""A petition with 200,000 signatures (SIZE): the API detail, the API list and the CSV
export run the same number of queries as with 10 signatures, and none of their queries
reads the signatures table (counts come from `Petition.signature_count` and
`RegionCount`, never a COUNT over signature rows).

Size: 200,000 signer accounts and 200,000 signatures, inserted with `bulk_create` in
batches of 5,000 (the services would take hours), then `services.recount` sets the
counters as the services leave them. About 45 seconds on SQLite, most of it the
inserts; no test asserts a time (shared CI machines vary). Slow by design: it is the
petitions suite's scale check (the project has no `slow` marker to put on it yet).
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from accounts.regions import Region
from petitions import export, services
from petitions.models import Petition, PetitionState, Signature

from .conftest import DURING, THRESHOLD, make_signers, sign_many

pytestmark = pytest.mark.django_db

SIZE = 200_000
BATCH = 5_000
REGIONS = [Region.ASTANA, Region.ALMATY_CITY, Region.KARAGANDA, Region.ABAI, ""]
LIST = "/api/v1/petitions/"


def _bulk_signatures(petition: Petition, count: int) -> None:
    """`count` more signers and signatures, then the counters recomputed."""
    start = User.objects.count()
    for offset in range(0, count, BATCH):
        size = min(BATCH, count - offset)
        users = User.objects.bulk_create(
            [
                User(
                    email=f"bulk{start + offset + i}@scale.example",
                    password="!",
                    first_name="Bulk",
                    region=REGIONS[i % len(REGIONS)],
                )
                for i in range(size)
            ]
        )
        Signature.objects.bulk_create(
            [
                Signature(
                    petition=petition,
                    user=user,
                    created_at=DURING - datetime.timedelta(seconds=i),
                    ip=f"10.{i % 200}.{(i // 200) % 200}.1",
                    email_domain="scale.example",
                    region=user.region,
                )
                for i, user in enumerate(users)
            ]
        )
    with transaction.atomic():
        services.recount(Petition.objects.select_for_update().get(pk=petition.pk))


def _requests(client, petition: Petition) -> dict[str, list[str]]:
    """The SQL of each public read of the petition's data."""
    sqls = {}
    for name, path in (
        ("detail", f"{LIST}{petition.pk}/"),
        ("list", LIST),
        ("list_filtered", f"{LIST}?addressee={petition.addressee.slug}&region=astana"),
    ):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
        assert response.status_code == 200, response.content
        sqls[name] = [query["sql"] for query in ctx.captured_queries]
    from django.test import RequestFactory

    with CaptureQueriesContext(connection) as ctx:
        response = export.petition_export(RequestFactory().get(reverse("petitions:index")))
        rows = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(rows) == 2  # header and the petition
    sqls["export"] = [query["sql"] for query in ctx.captured_queries]
    return sqls


def test_reads_do_not_grow_with_200000_signatures(client, published, django_assert_max_num_queries):
    petition = sign_many(published, make_signers(10))
    Petition.objects.filter(pk=petition.pk).update(
        state=PetitionState.PUBLIC, public_at=DURING, region=Region.ASTANA
    )
    small = _requests(client, petition)

    _bulk_signatures(petition, SIZE - 10)
    petition = Petition.objects.get(pk=petition.pk)
    assert petition.signature_count == SIZE == Signature.objects.count()
    big = _requests(client, petition)

    assert {name: len(sqls) for name, sqls in big.items()} == {
        name: len(sqls) for name, sqls in small.items()
    }
    for name, sqls in big.items():
        for sql in sqls:
            assert "petitions_signature" not in sql, (name, sql)
    # The bounds: the petition, its files, region counts and response; the list's COUNT
    # and page (+ the addressee's lookup when filtered); the export's one streamed query.
    assert len(big["detail"]) <= 4 and len(big["list"]) <= 2
    assert len(big["list_filtered"]) <= 3 and len(big["export"]) <= 1

    item = client.get(f"{LIST}{petition.pk}/").json()
    assert item["signature_count"] == SIZE and item["progress"] == 100
    assert item["threshold"] == THRESHOLD
    assert sum(row["count"] for row in item["region_counts"]) == SIZE
    assert len(item["region_counts"]) == len(set(REGIONS))
    with django_assert_max_num_queries(2):
        body = client.get(LIST).json()
    assert body["results"][0]["signature_count"] == SIZE
