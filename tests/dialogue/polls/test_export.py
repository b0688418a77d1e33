"""The CSV files: aggregated results (public once visible) and anonymised responses
(the agency only), streamed, with nothing that identifies a person."""

from __future__ import annotations

import csv
import io

import pytest
import time_machine
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import translation

from dialogue.polls.export import safe_cell
from dialogue.polls.models import Submission
from tests.factories import UserFactory

from .conftest import AFTER, make_poll, questions, submit

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(f"polls:{name}", args=args)


def rows_of(response) -> list[list[str]]:
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_results_csv_after_closing(client, poll):
    people = UserFactory.create_batch(3)
    for index, person in enumerate(people):
        submit(poll, person, single=0 if index else 1, multiple=(0,), text="Words" if index else "")
    assert client.get(url("results_csv", poll.pk)).status_code == 403  # open, not taken part
    with time_machine.travel(AFTER, tick=False):
        response = client.get(url("results_csv", poll.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f"poll-{poll.pk}-results.csv" in response["Content-Disposition"]
    rows = rows_of(response)
    assert rows[0] == [
        "Poll",
        "Question number",
        "Question",
        "Kind of question",
        "People who answered the question",
        "Answer",
        "Count",
        "Share of those who answered (%)",
    ]
    by_answer = {(row[1], row[5]): row for row in rows[1:]}
    assert by_answer[("1", "Every week")][4:] == ["3", "Every week", "2", "66.7"]
    assert by_answer[("1", "Every month")][6:] == ["1", "33.3"]
    assert by_answer[("1", "Never")][6:] == ["0", "0.0"]
    assert by_answer[("2", "Licences")][6:] == ["3", "100.0"]
    assert by_answer[("3", "(free-text answers)")][6:] == ["2", ""]
    assert len(rows) == 1 + 4 + 4 + 1
    assert "Words" not in str(rows)


def test_results_csv_for_a_participant_while_open(client, poll):
    person = UserFactory()
    submit(poll, person)
    client.force_login(person)
    assert client.get(url("results_csv", poll.pk)).status_code == 200


def test_responses_csv_is_anonymous(client, poll, staff):
    people = [
        UserFactory(email=f"voter{n}@example.kz", first_name=f"Name{n}", last_name="Surname")
        for n in range(3)
    ]
    for index, person in enumerate(people):
        submit(poll, person, single=index, multiple=(0, 1) if index else (3,), text=f"Idea {index}")
    client.force_login(staff.responder)
    response = client.get(url("responses_csv", poll.pk))
    assert response.status_code == 200
    rows = rows_of(response)
    first, second, third = questions(poll)
    assert rows[0] == [
        "Respondent",
        "Date",
        f"1. {first.text}",
        f"2. {second.text}",
        f"3. {third.text}",
    ]
    body = rows[1:]
    tokens = set(Submission.objects.values_list("respondent", flat=True))
    assert {row[0] for row in body} == tokens
    assert [row[0] for row in body] == sorted(tokens)  # the order says nothing of time
    assert {row[1] for row in body} == {"2026-03-10"}
    assert sorted(row[4] for row in body) == ["Idea 0", "Idea 1", "Idea 2"]
    assert {row[3] for row in body} == {"Registration", "Licences; Benefits"}
    text = str(rows)
    for person in people:
        assert person.email not in text
        assert person.first_name not in text
        assert str(person.pk) not in {cell for row in body for cell in row}
    assert "12:00" not in text  # the day only, not the time


def test_responses_csv_includes_people_who_skipped_optional_questions(client, poll, staff):
    submit(poll, UserFactory())
    client.force_login(staff.head)
    rows = rows_of(client.get(url("responses_csv", poll.pk)))
    assert len(rows) == 2
    assert rows[1][4] == ""


@pytest.mark.parametrize("who", ["drafter", "citizen", "participant"])
def test_responses_csv_is_the_agencys_only(client, poll, staff, who):
    participant = UserFactory()
    submit(poll, participant)
    people = {"drafter": staff.drafter, "citizen": UserFactory(), "participant": participant}
    client.force_login(people[who])
    with time_machine.travel(AFTER, tick=False):
        response = client.get(url("responses_csv", poll.pk))
    assert response.status_code == 403


def test_responses_csv_asks_anonymous_to_sign_in(client, poll):
    response = client.get(url("responses_csv", poll.pk))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_formula_cells_are_neutralised(client, poll, staff):
    submit(poll, UserFactory(), text='=HYPERLINK("http://evil")')
    client.force_login(staff.head)
    rows = rows_of(client.get(url("responses_csv", poll.pk)))
    assert rows[1][4] == '\'=HYPERLINK("http://evil")'
    assert [safe_cell(v) for v in ("+1", "-2", "@x", "plain", 3)] == [
        "'+1",
        "'-2",
        "'@x",
        "plain",
        "3",
    ]


def test_draft_csvs_are_not_found(client, staff):
    draft = make_poll(staff, publish=False)
    assert client.get(url("results_csv", draft.pk)).status_code == 404
    assert client.get(url("responses_csv", draft.pk)).status_code == 404


def test_responses_csv_reads_in_bounded_queries(client, poll, staff, django_assert_max_num_queries):
    for person in UserFactory.create_batch(25):
        submit(poll, person, text="Some idea")
    client.force_login(staff.head)
    client.get(url("responses_csv", poll.pk))  # warm caches
    # session, user, poll, roles, questions, options, submissions, answers (one chunk)
    with django_assert_max_num_queries(9):
        rows = rows_of(client.get(url("responses_csv", poll.pk)))
    assert len(rows) == 26
