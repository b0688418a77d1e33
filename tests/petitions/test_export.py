"""The CSV of the public list (`petitions.export.petition_export`, the `petitions:export`
route): BOM, translated header, one row per listed petition with the list's filters,
streamed in chunks with a fixed number of queries, no personal data."""

from __future__ import annotations

import csv
import io

import pytest
import time_machine
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from petitions import export
from petitions.models import Petition

from .conftest import AFTER_COLLECTION, THRESHOLD
from .test_api import SIGNER_IP, _bulk_public, assert_no_personal_data, zoo  # noqa: F401

pytestmark = pytest.mark.django_db


def download(path: str = "/petitions/export.csv", **params):
    """The CSV as an English reader downloads it (the header and states are translated)."""
    with translation.override("en"):
        response = export.petition_export(RequestFactory().get(path, params))
        raw = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="petitions-')
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM
    return raw, list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def test_header_translated_and_rows(zoo):  # noqa: F811
    with translation.override("en"):
        raw, rows = download()
    header, *body = rows
    assert header == [
        "Petition",
        "Title",
        "Addressee",
        "Region",
        "State",
        "Response",
        "Signatures",
        "Signatures needed",
        "Published on",
        "Collection ends on",
        "Responded on",
        "Link",
    ]
    assert [int(row[0]) for row in body] == [zoo.responded.pk, zoo.threshold.pk, zoo.public.pk]
    responded = body[0]
    assert responded[1] == "Build a pedestrian crossing on Abai Avenue"
    assert responded[2] == "Ministry of Justice"
    assert responded[3] == "Astana"
    assert responded[4:8] == ["threshold reached", "responded", "80", str(THRESHOLD)]
    assert responded[8:11] == ["2026-03-04", "2026-09-04", "2026-03-10"]
    assert responded[11] == f"http://testserver/en/petitions/{zoo.responded.pk}/"
    assert body[2][4:7] == ["open for signatures", "no response due", "3"]
    assert_no_personal_data(raw.decode("utf-8"))
    assert SIGNER_IP not in raw.decode("utf-8")


def test_same_filters_as_the_list(zoo):  # noqa: F811
    def ids(**params) -> list[int]:
        return [int(row[0]) for row in download(**params)[1][1:]]

    assert ids(state="responded") == [zoo.responded.pk]
    assert ids(state="rejected") == [zoo.rejected_public.pk]
    assert ids(addressee="ministry-of-justice", sort="newest")[0] == zoo.responded.pk
    assert ids(region="karaganda") == []
    assert set(ids(page="3")) == {zoo.responded.pk, zoo.threshold.pk, zoo.public.pk}
    with time_machine.travel(AFTER_COLLECTION, tick=False):
        rows = download()[1]
    states = {int(row[0]): row[4] for row in rows[1:]}
    assert states[zoo.public.pk] == "closed"  # the state at the download's time
    for param, value in (("state", "draft"), ("sort", "x"), ("addressee", "nobody")):
        response = export.petition_export(RequestFactory().get("/", {param: value}))
        assert response.status_code == 400 and param in response.content.decode()


def test_post_refused(rf):
    assert export.petition_export(rf.post("/")).status_code == 405


def test_streamed_in_chunks_with_fixed_queries(author, addressee, monkeypatch):
    monkeypatch.setattr(export, "CHUNK", 10)
    _bulk_public(author, addressee.agency, 35)
    with CaptureQueriesContext(connection) as ctx:
        _raw, rows = download()
    assert len(rows) == 36
    # One query, the rows fetched in chunks of 10 by the database cursor (SQLite and
    # PostgreSQL both stream `iterator()` results); no COUNT, nothing per row.
    assert len(ctx.captured_queries) == 1
    assert "COUNT(" not in ctx.captured_queries[0]["sql"].upper()
    assert Petition.objects.count() == 35
