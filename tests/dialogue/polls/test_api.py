"""Open data: /api/v1/polls/ with questions always and results only when visible to the
requesting user; no person anywhere; a fixed number of queries."""

from __future__ import annotations

import json
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dialogue.polls import services
from dialogue.polls.models import ResultsVisibility
from tests.factories import AgencyFactory, MembershipFactory, UserFactory

from .conftest import AFTER, at, make_poll, questions, submit

pytestmark = pytest.mark.django_db

LIST = "/api/v1/polls/"


def detail(poll) -> str:
    return f"/api/v1/polls/{poll.pk}/"


def test_list_shows_public_polls_with_questions(client, staff, poll):
    make_poll(staff, title="A draft", publish=False)
    cancelled = make_poll(staff, title="Dropped")
    services.poll_cancel(poll=cancelled, actor=staff.head, reason="Not needed.")

    data = client.get(LIST).json()
    titles = {item["title"]: item for item in data["results"]}
    assert set(titles) == {"E-government services", "Dropped"}
    item = titles["E-government services"]
    assert item["phase"] == "open"
    assert item["state"] == "published"
    assert item["agency"] == {"slug": "ministry-of-justice", "name": "Әділет министрлігі"}
    assert item["audience"] == "verified" and item["region"] == ""
    assert [q["kind"] for q in item["questions"]] == ["single", "multiple", "text"]
    assert [o["text"] for o in item["questions"][0]["options"]] == [
        "Every week",
        "Every month",
        "Rarely",
        "Never",
    ]
    assert item["results_visible"] is False and item["results"] is None
    assert item["url"].endswith(f"/dialogue/polls/{poll.pk}/")
    assert titles["Dropped"]["cancel_reason"] == "Not needed."
    assert titles["Dropped"]["phase"] == "cancelled"


def test_results_hidden_then_visible(client, staff, poll):
    participant = UserFactory()
    for person in [participant, *UserFactory.create_batch(2)]:
        submit(poll, person, single=0, multiple=(1,), text="A thought")

    assert client.get(detail(poll)).json()["results"] is None
    client.force_login(participant)
    data = client.get(detail(poll)).json()
    assert data["results_visible"] is True
    first, second, third = questions(poll)
    by_question = {r["question"]: r for r in data["results"]}
    assert by_question[first.pk]["answer_count"] == 3
    assert by_question[first.pk]["options"][0] == {
        "option": first.options.order_by("position")[0].pk,
        "count": 3,
        "percent": 100.0,
    }
    assert by_question[third.pk] == {"question": third.pk, "answer_count": 3, "options": []}
    assert "A thought" not in json.dumps(data)
    client.logout()
    with time_machine.travel(AFTER, tick=False):
        assert client.get(detail(poll)).json()["results"] is not None


def test_after_closing_rule_seals_results_for_participants(client, staff):
    poll = make_poll(staff, results_visibility=ResultsVisibility.AFTER_CLOSING)
    person = UserFactory()
    submit(poll, person)
    client.force_login(person)
    assert client.get(detail(poll)).json()["results"] is None
    client.force_login(staff.responder)
    assert client.get(detail(poll)).json()["results"] is not None


def test_drafts_are_not_found(client, staff):
    draft = make_poll(staff, publish=False)
    assert client.get(detail(draft)).status_code == 404
    client.force_login(staff.head)
    assert client.get(detail(draft)).status_code == 404  # the API is open data only


def test_filters(client, staff, poll):
    make_poll(staff, title="Later", opens_at=at(2026, 4, 1), closes_at=at(2026, 4, 9))
    other = AgencyFactory(slug="health")
    head = MembershipFactory(agency=other, role="head").user
    make_poll(staff, title="Health poll", agency=other, actor=head)

    def titles(**params):
        return {item["title"] for item in client.get(LIST, params).json()["results"]}

    assert titles(phase="upcoming") == {"Later"}
    assert titles(phase="open") == {"E-government services", "Health poll"}
    assert titles(agency="health") == {"Health poll"}
    assert titles(agency="health", phase="upcoming") == set()
    assert client.get(LIST, {"phase": "soon"}).status_code == 400
    assert "agency" in client.get(LIST, {"agency": "nowhere"}).json()


def test_no_personal_data(client, staff, poll):
    person = UserFactory(email="secret.voter@example.kz", first_name="Secretname")
    submit(poll, person, text="private words")
    with time_machine.travel(AFTER, tick=False):
        text = client.get(LIST).content.decode() + client.get(detail(poll)).content.decode()
    assert "secret.voter" not in text and "Secretname" not in text and "private words" not in text
    assert not re.search(r'"(user|email|respondent)"', text)


@pytest.mark.parametrize("signed_in", [False, True])
def test_list_has_a_fixed_number_of_queries(
    client, staff, signed_in, django_assert_max_num_queries
):
    viewer = UserFactory()
    if signed_in:
        client.force_login(viewer)
    make_poll(staff)
    client.get(LIST)
    with CaptureQueriesContext(connection) as small:
        assert len(client.get(LIST).json()["results"]) == 1
    for n in range(25):
        poll = make_poll(staff, title=f"Poll {n}")
        if n % 4 == 0:
            submit(poll, viewer)
    with django_assert_max_num_queries(len(small)):
        data = client.get(LIST).json()
    assert len(data["results"]) == 26
    if signed_in:
        assert sum(item["results_visible"] for item in data["results"]) == 7


def test_schema_names_start_with_poll(client):
    document = client.get("/api/schema/", {"format": "json"}).json()
    assert "/api/v1/polls/" in document["paths"]
    assert "/api/v1/polls/{id}/" in document["paths"]
    names = set(document["components"]["schemas"])
    ours = {name for name in names if "oll" in name}
    assert ours and all(name.startswith(("Poll", "PaginatedPoll")) for name in ours)
    # Enums stay inline: no shared "...Enum" component that another module could rename.
    referenced = re.findall(
        r"#/components/schemas/(\w+)",
        json.dumps({name: document["components"]["schemas"][name] for name in ours}),
    )
    assert referenced and not [name for name in referenced if name.endswith("Enum")]
    parameters = {p["name"] for p in document["paths"]["/api/v1/polls/"]["get"]["parameters"]}
    assert {"phase", "agency", "page"} <= parameters
