"""`/api/v1/conferences/`: the list with its phase and agency filters, a conference with
its transcript (answers in answer order, then the unanswered, hidden ones without their
text), no email anywhere, a fixed number of queries, and the schema's component names."""

from __future__ import annotations

import datetime
import json

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dialogue.conferences import services
from tests.blogs.conftest import make_blog
from tests.factories import UserFactory

from .conftest import AFTER, DURING, STARTS

pytestmark = pytest.mark.django_db

LIST = "/api/v1/conferences/"


def get(client, address: str):
    response = client.get(address)
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def test_the_list_with_phases_and_counts(client, conference, staff, official, published):
    published()
    with time_machine.travel(STARTS - datetime.timedelta(days=3), tick=False):
        past = services.conference_schedule(
            agency=staff.agency,
            official=official,
            topic="Earlier",
            starts_at=STARTS - datetime.timedelta(days=2),
            ends_at=STARTS - datetime.timedelta(days=2, hours=-1),
            actor=staff.head,
        )
    data = get(client, LIST)
    assert [row["id"] for row in data["results"]] == [conference.pk, past.pk]
    row = data["results"][0]
    assert row["phase"] == "upcoming"
    assert row["state"] == "scheduled"
    assert row["agency"] == {"slug": "ministry-of-justice", "name": row["agency"]["name"]}
    assert row["official"]["name"] == "Marat Seitkali"
    assert row["official"]["positions"]["en"] == "Deputy Minister"
    assert row["question_count"] == 1
    assert row["url"].endswith(f"/dialogue/conferences/{conference.pk}/")
    assert [r["id"] for r in get(client, f"{LIST}?phase=archived")["results"]] == [past.pk]
    assert [r["id"] for r in get(client, f"{LIST}?phase=upcoming")["results"]] == [conference.pk]
    assert get(client, f"{LIST}?phase=live")["results"] == []
    assert get(client, f"{LIST}?agency=elsewhere")["results"] == []
    with time_machine.travel(DURING, tick=False):
        assert [r["id"] for r in get(client, f"{LIST}?phase=live")["results"]] == [conference.pk]


def test_a_bad_phase_is_a_400_naming_it(client):
    response = client.get(f"{LIST}?phase=soon")
    assert response.status_code == 400
    assert "phase" in json.loads(response.content)


def test_a_cancelled_conference_says_why(client, conference, staff):
    services.conference_cancel(conference=conference, actor=staff.head, reason="Postponed.")
    row = get(client, f"{LIST}?phase=cancelled")["results"][0]
    assert (row["phase"], row["cancellation_reason"]) == ("cancelled", "Postponed.")


def test_the_transcript(client, conference, published, ask, official, staff, moderator):
    make_blog(staff.agency, official, title="Deputy's blog")
    asker = UserFactory(display_name="Dana K.", email="dana@example.kz")
    first = published(asker, "Answered second")
    second = published(text="Answered first")
    unanswered = published(text="Left unanswered")
    sent = published(text="Sent to the blog")
    hidden = published(text="With a phone number")
    ask(text="Awaiting moderation")
    services.question_vote(question=unanswered, user=UserFactory())
    with time_machine.travel(DURING, tick=False):
        services.question_answer(question=second, actor=official, text="Answer *one*.")
    with time_machine.travel(DURING + datetime.timedelta(minutes=5), tick=False):
        services.question_answer(question=first, actor=staff.responder, text="Answer two.")
    services.question_hide(question=hidden, reason="personal_data", actor=moderator)
    with time_machine.travel(AFTER, tick=False):
        blog_question = services.question_convert_to_blog(question=sent, actor=staff.head)
        data = get(client, f"{LIST}{conference.pk}/")

    assert data["phase"] == "archived"
    transcript = data["transcript"]
    assert [q["id"] for q in transcript] == [second.pk, first.pk, unanswered.pk, sent.pk, hidden.pk]
    one, two, left, converted, placeholder = transcript
    assert one["answer"]["html"] == "<p>Answer <em>one</em>.</p>"
    assert one["answer"]["on_behalf"] is False
    assert two["author"] == "Dana K."
    assert two["answer"]["on_behalf"] is True
    assert two["answer"]["answered_by"]["positions"]["en"] == "responder (en)"
    assert left["answer"] is None
    assert left["vote_count"] == 1
    assert converted["blog_question_url"].endswith(f"/questions/{blog_question.pk}/")
    assert placeholder == {
        "id": hidden.pk,
        "text": None,
        "author": None,
        "vote_count": 0,
        "published_at": placeholder["published_at"],
        "hidden": True,
        "hidden_reason": placeholder["hidden_reason"],
        "answer": None,
        "blog_question_url": None,
    }
    assert placeholder["hidden_reason"]
    body = json.dumps(data)
    assert "Awaiting moderation" not in body
    assert "@" not in body  # no email addresses


def test_the_list_and_a_conference_cost_the_same_with_ten_times_the_rows(
    client, conference, staff, official, published
):
    def add(count: int) -> None:
        for number in range(count):
            services.conference_schedule(
                agency=staff.agency,
                official=official,
                topic=f"Conference {number}",
                starts_at=STARTS + datetime.timedelta(days=number + 1),
                ends_at=STARTS + datetime.timedelta(days=number + 1, hours=2),
                actor=staff.head,
            )
            question = published()
            services.question_vote(question=question, user=UserFactory())

    def queries(address: str) -> int:
        with CaptureQueriesContext(connection) as context:
            get(client, address)
        return len(context.captured_queries)

    add(3)
    small = (queries(LIST), queries(f"{LIST}{conference.pk}/"))
    add(27)
    large = (queries(LIST), queries(f"{LIST}{conference.pk}/"))
    assert small == large
    assert large[0] <= 3 and large[1] <= 3


def test_the_schema_names_components_for_conferences(client):
    schema = get(client, "/api/schema/")
    names = set(schema["components"]["schemas"])
    ours = {name for name in names if "Conference" in name}
    assert {"ConferenceList", "ConferenceDetail", "ConferenceQuestion"} <= ours
    assert all(name.startswith(("Conference", "PaginatedConference")) for name in ours)
    assert "/api/v1/conferences/" in schema["paths"]
