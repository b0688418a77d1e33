"""The agency's workspace: the list, a new poll, questions, publishing, cancelling, and
who may reach it."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from dialogue.polls.context_processors import workspace_nav
from dialogue.polls.models import Poll, PollQuestion, PollState
from tests.factories import UserFactory

from .conftest import AFTER, at, make_poll, questions

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(f"polls:{name}", args=args)


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


POLL_DATA = {
    "title": "Public transport at night",
    "description": "Should buses run after midnight?",
    "language": "ru",
    "opens_at": "2026-03-11T09:00",
    "closes_at": "2026-03-25T18:00",
    "audience": "verified",
    "region": "",
    "results_visibility": "after_voting",
}


@pytest.mark.parametrize(
    ("who", "status"),
    [("head", 200), ("responder", 200), ("drafter", 403), ("moderator", 403), ("citizen", 403)],
)
def test_who_reaches_the_workspace(client, staff, who, status):
    person = UserFactory() if who == "citizen" else getattr(staff, who)
    client.force_login(person)
    assert client.get(url("manage")).status_code == status
    assert client.get(url("create")).status_code == status


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(url("manage"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_create_then_questions_then_publish(client, staff):
    client.force_login(staff.responder)
    response = client.post(url("create"), {**POLL_DATA, "agency": staff.agency.pk})
    poll = Poll.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("manage_poll", poll.pk) + "#questions"
    assert (poll.state, poll.language, poll.created_by) == ("draft", "ru", staff.responder)
    assert poll.opens_at == at(2026, 3, 11, 9)

    response = client.post(
        url("question_create", poll.pk),
        {
            "kind": "single",
            "text": "Would you ride?",
            "options": "Yes\nNo\n\nMaybe\n",
            "required": "on",
        },
    )
    assert response.status_code == 302
    question = PollQuestion.objects.get()
    assert [o.text for o in question.options.all()] == ["Yes", "No", "Maybe"]

    response = client.post(
        url("question_edit", poll.pk, question.pk),
        {
            "kind": "multiple",
            "text": "When would you ride?",
            "options": "22-24\n0-2\n2-5",
            "max_choices": "2",
        },
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.kind, question.max_choices, question.required) == ("multiple", 2, False)

    page = text_of(client.get(url("publish", poll.pk)))
    assert "questions, audience and results rule can no longer change" in page
    response = client.post(url("publish", poll.pk))
    assert response.status_code == 302
    poll.refresh_from_db()
    assert poll.state == PollState.PUBLISHED

    page = text_of(client.get(url("manage_poll", poll.pk)))
    assert "The questions are fixed: the poll is published." in page
    assert url("question_create", poll.pk) not in page
    assert client.get(url("question_create", poll.pk)).status_code == 403


def test_form_errors_keep_what_was_typed(client, staff):
    client.force_login(staff.head)
    response = client.post(
        url("create"),
        {**POLL_DATA, "agency": staff.agency.pk, "closes_at": "2026-03-01T10:00", "title": ""},
    )
    assert response.status_code == 200
    page = text_of(response)
    assert "Give the poll a title." in page
    assert "The poll must close after it opens." in page
    assert (
        'value="Should buses run after midnight?"' in page
        or "Should buses run after midnight?</textarea>" in page
    )
    assert 'aria-describedby="id_closes_at_helptext id_closes_at_error"' in page
    assert not Poll.objects.exists()

    poll = make_poll(staff, publish=False)
    response = client.post(
        url("question_create", poll.pk), {"kind": "single", "text": "Pick one", "options": "Only"}
    )
    page = text_of(response)
    assert "Give at least two options, one per line." in page
    assert "Pick one</textarea>" in page


def test_publishing_without_questions_says_why(client, staff):
    poll = make_poll(staff, publish=False, questions=())
    client.force_login(staff.head)
    response = client.post(url("publish", poll.pk))
    assert response.status_code == 400
    assert "Add at least one question before publishing." in text_of(response)


def test_published_poll_edits_only_description_and_closing(client, staff, poll):
    client.force_login(staff.head)
    page = text_of(client.get(url("edit", poll.pk)))
    assert 'name="description"' in page and 'name="closes_at"' in page
    assert 'name="title"' not in page and 'name="audience"' not in page
    response = client.post(
        url("edit", poll.pk), {"description": "Updated", "closes_at": "2026-03-28T18:00"}
    )
    assert response.status_code == 302
    poll.refresh_from_db()
    assert poll.description == "Updated"
    assert poll.closes_at == at(2026, 3, 28, 18)


def test_questions_move_and_remove(client, staff):
    poll = make_poll(staff, publish=False)
    first, second, third = questions(poll)
    client.force_login(staff.head)
    client.post(url("question_move", poll.pk, third.pk), {"direction": "up"})
    assert [q.pk for q in questions(poll)] == [first.pk, third.pk, second.pk]
    client.post(url("question_remove", poll.pk, first.pk))
    assert [q.pk for q in questions(poll)] == [third.pk, second.pk]
    assert client.get(url("question_remove", poll.pk, second.pk)).status_code == 405


def test_cancel_needs_a_reason(client, staff, poll):
    client.force_login(staff.responder)
    response = client.post(url("cancel", poll.pk), {"reason": ""})
    assert "Say why the poll is cancelled." in text_of(response)
    response = client.post(url("cancel", poll.pk), {"reason": "Replaced by a hearing."})
    assert response.status_code == 302
    poll.refresh_from_db()
    assert (poll.state, poll.cancel_reason) == (PollState.CANCELLED, "Replaced by a hearing.")
    assert client.get(url("cancel", poll.pk)).status_code == 403


def test_closed_poll_cannot_be_edited_or_cancelled(client, staff, poll):
    client.force_login(staff.head)
    with time_machine.travel(AFTER, tick=False):
        assert client.get(url("edit", poll.pk)).status_code == 403
        assert client.post(url("cancel", poll.pk), {"reason": "x"}).status_code == 403
        page = text_of(client.get(url("manage_poll", poll.pk)))
    assert "Cancel the poll" not in page


def test_other_agencies_cannot_manage(client, staff, poll):
    from tests.factories import AgencyFactory, MembershipFactory

    other_head = MembershipFactory(agency=AgencyFactory(), role="head").user
    client.force_login(other_head)
    assert client.get(url("manage_poll", poll.pk)).status_code == 403
    draft = make_poll(staff, publish=False)
    assert client.get(url("manage_poll", draft.pk)).status_code == 404
    assert client.post(url("publish", draft.pk)).status_code == 404
    assert Poll.objects.get(pk=draft.pk).state == PollState.DRAFT


def test_workspace_list_queries_do_not_grow(client, staff, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(staff.head)
    make_poll(staff)
    client.get(url("manage"))
    with CaptureQueriesContext(connection) as small:
        client.get(url("manage"))
    for n in range(30):
        make_poll(staff, title=f"Poll {n}", publish=n % 2 == 0)
    with django_assert_max_num_queries(len(small)):
        response = client.get(url("manage"))
    assert text_of(response).count('<th scope="row"><a href=') == 25


def test_header_link_for_heads_and_responders(rf, staff):
    for person, expected in [
        (staff.head, True),
        (staff.responder, True),
        (staff.drafter, False),
        (UserFactory(), False),
    ]:
        request = rf.get("/")
        request.user = person
        assert bool(workspace_nav(request)["polls_workspace_link"]) is expected
