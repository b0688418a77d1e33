"""`/api/v1/threads/`: the list (the page's filters and sorts, listed threads only, a
fixed number of queries whatever the number of threads) and the detail (any thread; a
hidden or withdrawn one without its title and text). No email anywhere."""

from __future__ import annotations

import datetime
import json

import pytest
import time_machine
from django.utils.dateparse import parse_datetime

from accounts.regions import Region
from dialogue.threads import services
from dialogue.threads.models import Thread, ThreadCategory
from moderation.registry import hide_reason_label
from tests.factories import AgencyFactory
from tracking.calendar import end_of_day

from .conftest import DUE, NOW, at, make_thread, official_reply, reach_level

pytestmark = pytest.mark.django_db

LIST = "/api/v1/threads/"


def _make(author, agencies, count: int) -> None:
    for index in range(count):
        with time_machine.travel(NOW - datetime.timedelta(minutes=count - index), tick=False):
            thread = make_thread(
                author,
                agencies[index % len(agencies)],
                category=ThreadCategory.values[index % 3],
                region=[Region.ASTANA, ""][index % 2],
                title=f"API thread {index:03d}",
            )
        Thread.objects.filter(pk=thread.pk).update(support_count=index % 7)


def test_list_queries_do_not_grow(client, author, agency, django_assert_max_num_queries):
    agencies = [agency.agency, AgencyFactory(), None]
    _make(author, agencies, 5)
    reach_level(Thread.objects.filter(addressee=agency.agency).first())
    paths = (LIST, f"{LIST}?sort=supported&agency={agency.agency.slug}&category=housing")
    small = {}
    for path in paths:
        with django_assert_max_num_queries(3) as queries:  # count, rows (+ the agency's slug)
            assert client.get(path).status_code == 200
        small[path] = len(queries.captured_queries)
    _make(author, agencies, 55)
    for path in paths:
        with django_assert_max_num_queries(small[path]):
            response = client.get(f"{path}{'&' if '?' in path else '?'}page_size=100")
        assert response.status_code == 200
    assert response.json()["count"] > 0
    assert client.get(LIST).json()["count"] == 60


def test_list_shape_filters_and_sorts(client, awaiting, agency, author, moderator):
    answered = reach_level(make_thread(author, agency.agency, region="", title="Answered"))
    with time_machine.travel(at(2026, 3, 12), tick=False):
        reply = official_reply(answered, agency.responder)
    hidden = make_thread(author, title="Hidden")
    services.thread_hide(thread=hidden, reason="spam", actor=moderator)
    withdrawn = make_thread(author, title="Withdrawn")
    services.thread_withdraw(thread=withdrawn, actor=author)

    body = client.get(LIST).json()
    assert body["count"] == 2  # neither the hidden nor the withdrawn one
    rows = {row["title"]: row for row in body["results"]}
    due = rows[awaiting.title]
    assert due["addressee"] == {"slug": "ministry-of-justice", "name": agency.agency.name}
    assert due["state"] == "open" and due["reply_status"] == "due"
    assert due["category"] == "transport" and due["region"] == "astana"
    assert due["author"] == author.public_name and due["support_count"] == 3
    assert parse_datetime(due["obligation"]["opened_at"]) == NOW
    assert parse_datetime(due["obligation"]["due_at"]) == end_of_day(DUE)
    assert due["official_reply"] is None
    assert due["url"].endswith(f"/dialogue/threads/{awaiting.pk}/")
    done = rows["Answered"]
    assert done["reply_status"] == "answered" and done["region"] == ""
    assert done["official_reply"]["comment"] == reply.pk
    assert parse_datetime(done["official_reply"]["posted_at"]) == at(2026, 3, 12)
    assert done["obligation"]["answered_at"] == done["official_reply"]["posted_at"]
    assert author.email not in json.dumps(body)

    assert [r["title"] for r in client.get(f"{LIST}?region=astana").json()["results"]] == [
        awaiting.title
    ]
    other = AgencyFactory(slug="other")
    assert client.get(f"{LIST}?agency={other.slug}").json()["count"] == 0
    for bad in ("sort=loudest", "category=weather", "region=atlantis", "agency=nobody"):
        response = client.get(f"{LIST}?{bad}")
        assert response.status_code == 400 and bad.split("=")[0] in response.json()


def test_detail(client, thread, author, moderator, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        body = client.get(f"{LIST}{thread.pk}/").json()
    assert body["text"] == thread.text and body["html"] == thread.html
    assert body["hidden_reason"] is None and body["withdrawn_at"] is None
    assert "target_type=threads.thread" in body["comments"]
    assert author.email not in json.dumps(body)

    services.thread_hide(thread=thread, reason="abuse", actor=moderator)
    body = client.get(f"{LIST}{thread.pk}/").json()
    assert body["state"] == "hidden" and body["hidden_reason"] == hide_reason_label("abuse")
    assert body["title"] is None and body["text"] is None and body["html"] is None
    assert client.get(f"{LIST}999/").status_code == 404


def test_schema_names_are_prefixed(client, db):
    schema = client.get("/api/schema/").json()
    names = [name for name in schema["components"]["schemas"] if "Thread" in name]
    assert {"ThreadList", "ThreadDetail", "ThreadObligation", "ThreadOfficialReply"} <= set(names)
    assert "/api/v1/threads/" in schema["paths"]
