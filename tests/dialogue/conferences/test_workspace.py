"""The staff screens: the workspace list, scheduling / editing / cancelling, the
moderation queue (one by one and in bulk, with reasons), the studio (answering with and
without JavaScript, on the official's behalf), and sending unanswered questions to the
blog; who is refused, and bounded queries."""

from __future__ import annotations

import datetime
import json

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from dialogue.conferences import services
from dialogue.conferences.models import Conference, ConferenceQuestion, QuestionState
from tests.blogs.conftest import make_blog
from tests.factories import UserFactory

from .conftest import AFTER, DURING, ENDS, STARTS
from .test_views import count_queries, html

pytestmark = pytest.mark.django_db


def url(name: str, *args, lang: str = "en") -> str:
    with translation.override(lang):
        return reverse(f"conferences:{name}", args=args)


def local(moment: datetime.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


# --- The workspace and scheduling -------------------------------------------------------------


def test_the_workspace_lists_the_agencys_conferences_with_actions(client, conference, staff):
    client.force_login(staff.moderator)
    page = html(client.get(url("manage")))
    assert "Free legal aid" in page
    assert url("create", staff.agency.slug) in page
    assert url("moderation", conference.pk) in page
    client.force_login(staff.responder)
    page = html(client.get(url("manage")))
    assert "Free legal aid" in page
    assert url("create", staff.agency.slug) not in page
    assert url("studio", conference.pk) in page


def test_a_platform_moderator_sees_conferences_awaiting_moderation(
    client, conference, ask, moderator
):
    client.force_login(moderator)
    assert "Free legal aid" not in html(client.get(url("manage")))
    ask()
    assert "Free legal aid" in html(client.get(url("manage")))


def test_the_workspace_needs_signing_in(client):
    response = client.get(url("manage"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_scheduling_a_conference(client, staff, official):
    client.force_login(staff.moderator)
    form = html(client.get(url("create", staff.agency.slug)))
    assert "Marat Seitkali" in form  # the agency's members are the choices
    response = client.post(
        url("create", staff.agency.slug),
        {
            "topic": "Notaries online",
            "description": "Inheritance without queues.",
            "official": official.pk,
            "starts_at": local(STARTS),
            "ends_at": local(ENDS),
        },
    )
    conference = Conference.objects.get(topic="Notaries online")
    assert response.status_code == 302
    assert response["Location"] == conference.get_absolute_url()
    assert conference.starts_at == STARTS
    assert conference.official == official


def test_a_bad_end_is_an_error_on_its_field_and_the_typing_is_kept(client, staff, official):
    client.force_login(staff.head)
    response = client.post(
        url("create", staff.agency.slug),
        {
            "topic": "Notaries online",
            "official": official.pk,
            "starts_at": local(STARTS),
            "ends_at": local(STARTS - datetime.timedelta(hours=1)),
        },
    )
    assert response.status_code == 400
    page = html(response)
    assert 'id="id_ends_at_error"' in page
    assert "The conference must end after it starts." in page
    assert 'value="Notaries online"' in page
    assert not Conference.objects.exists()


@pytest.mark.parametrize("role", ["responder", "drafter"])
def test_only_the_head_and_moderators_schedule(client, staff, role):
    client.force_login(getattr(staff, role))
    response = client.get(url("create", staff.agency.slug))
    assert response.status_code == 403


def test_editing_while_live_changes_only_the_end(client, conference, staff):
    client.force_login(staff.head)
    with time_machine.travel(DURING, tick=False):
        form = html(client.get(url("edit", conference.pk)))
        assert "only its topic, description and end can change" in form
        response = client.post(
            url("edit", conference.pk),
            {
                "topic": conference.topic,
                "description": conference.description,
                "official": staff.head.pk,  # disabled: ignored
                "starts_at": local(STARTS - datetime.timedelta(hours=5)),  # disabled: ignored
                "ends_at": local(ENDS + datetime.timedelta(minutes=30)),
            },
        )
    assert response.status_code == 302
    conference.refresh_from_db()
    assert conference.ends_at == ENDS + datetime.timedelta(minutes=30)
    assert conference.starts_at == STARTS
    assert conference.official.email == "deputy@justice.gov.kz"


def test_cancelling_needs_a_reason(client, conference, staff):
    client.force_login(staff.head)
    response = client.post(url("cancel", conference.pk), {"reason": ""})
    assert response.status_code == 400
    assert 'id="id_reason_error"' in html(response)
    response = client.post(url("cancel", conference.pk), {"reason": "The minister is away."})
    assert response.status_code == 302
    conference.refresh_from_db()
    assert conference.cancellation_reason == "The minister is away."


# --- Moderation -------------------------------------------------------------------------------


def test_moderation_publishes_one_question(client, conference, ask, staff):
    question = ask(text="One question")
    other = ask(text="Another question")
    client.force_login(staff.moderator)
    page = html(client.get(url("moderation", conference.pk)))
    assert "One question" in page and "Another question" in page
    response = client.post(url("moderation", conference.pk), {"publish": str(question.pk)})
    assert response.status_code == 302
    question.refresh_from_db()
    other.refresh_from_db()
    assert question.state == QuestionState.PUBLISHED
    assert other.state == QuestionState.SUBMITTED


def test_moderation_rejects_in_bulk_with_a_reason_and_note(client, conference, ask, moderator):
    questions = [ask(text=f"Question {n}") for n in range(3)]
    client.force_login(moderator)
    response = client.post(
        url("moderation", conference.pk),
        {
            "questions": [questions[0].pk, questions[1].pk],
            "action": "reject",
            "reason": "duplicate",
            "note": "Asked already.",
        },
    )
    assert response.status_code == 302
    states = dict(ConferenceQuestion.objects.values_list("pk", "state"))
    assert states == {
        questions[0].pk: QuestionState.REJECTED,
        questions[1].pk: QuestionState.REJECTED,
        questions[2].pk: QuestionState.SUBMITTED,
    }
    assert ConferenceQuestion.objects.filter(rejection_note="Asked already.").count() == 2
    conference.refresh_from_db()
    assert conference.pending_count == 1


def test_rejecting_without_a_reason_is_an_error_and_nothing_changes(client, conference, ask, staff):
    question = ask()
    client.force_login(staff.moderator)
    response = client.post(
        url("moderation", conference.pk), {"questions": [question.pk], "action": "reject"}
    )
    assert response.status_code == 400
    assert 'id="id_reason_error"' in html(response)
    question.refresh_from_db()
    assert question.state == QuestionState.SUBMITTED


@pytest.mark.parametrize("role", ["responder", "drafter"])
def test_moderation_is_refused_to_others(client, conference, staff, citizen, role):
    client.force_login(getattr(staff, role))
    assert client.get(url("moderation", conference.pk)).status_code == 403
    client.force_login(citizen)
    assert client.get(url("moderation", conference.pk)).status_code == 403


def test_the_moderation_queue_costs_the_same_with_ten_times_the_questions(
    client, conference, ask, staff
):
    client.force_login(staff.moderator)
    for _ in range(5):
        ask()
    small = count_queries(client, url("moderation", conference.pk))
    for _ in range(45):
        ask()
    assert count_queries(client, url("moderation", conference.pk)) == small


# --- The studio -------------------------------------------------------------------------------


def test_the_studio_lists_questions_by_votes_with_answer_forms_when_live(
    client, conference, published, official
):
    less = published(text="Fewer votes")
    more = published(text="More votes")
    services.question_vote(question=more, user=UserFactory())
    client.force_login(official)
    page = html(client.get(url("studio", conference.pk)))
    assert "Answering opens when the conference starts" in page
    assert "cf-answer-form" not in page
    with time_machine.travel(DURING, tick=False):
        page = html(client.get(url("studio", conference.pk)))
    assert page.index("More votes") < page.index("Fewer votes")
    assert url("answer", conference.pk, more.pk) in page
    assert url("answer", conference.pk, less.pk) in page
    assert 'id="cf-studio-template"' in page


def test_answering_without_javascript(client, conference, published, official):
    question = published()
    client.force_login(official)
    with time_machine.travel(DURING, tick=False):
        response = client.post(url("answer", conference.pk, question.pk), {"text": "Yes, it is."})
    assert response.status_code == 302
    assert response["Location"] == url("studio", conference.pk)
    question.refresh_from_db()
    assert question.answer_text == "Yes, it is."


def test_answering_with_javascript_gets_json(client, conference, published, staff):
    question = published()
    client.force_login(staff.responder)
    with time_machine.travel(DURING, tick=False):
        response = client.post(
            url("answer", conference.pk, question.pk),
            {"text": "On behalf."},
            headers={"accept": "application/json"},
        )
        assert response.status_code == 200
        assert json.loads(response.content)["ok"] is True
        empty = client.post(
            url("answer", conference.pk, published().pk),
            {"text": ""},
            headers={"accept": "application/json"},
        )
    assert empty.status_code == 400
    assert "text" in json.loads(empty.content)["errors"]
    question.refresh_from_db()
    assert question.answered_by == staff.responder


def test_an_answer_after_the_end_is_refused_and_the_text_kept(
    client, conference, published, official
):
    question = published()
    client.force_login(official)
    with time_machine.travel(AFTER, tick=False):
        response = client.post(
            url("answer", conference.pk, question.pk), {"text": "A late, long answer."}
        )
    assert response.status_code == 403
    page = html(response)
    assert "only while the conference is live" in page
    assert "A late, long answer." in page


def test_the_studio_is_refused_to_citizens_and_moderators(client, conference, citizen, staff):
    for person in (citizen, staff.moderator):
        client.force_login(person)
        assert client.get(url("studio", conference.pk)).status_code == 403


def test_the_studio_costs_the_same_with_ten_times_the_questions(
    client, conference, published, official
):
    client.force_login(official)
    with time_machine.travel(DURING, tick=False):
        for _ in range(5):
            published()
        small = count_queries(client, url("studio", conference.pk))
        for _ in range(45):
            published()
        assert count_queries(client, url("studio", conference.pk)) == small


# --- After the conference ---------------------------------------------------------------------


def test_without_a_blog_the_page_says_why(client, conference, published, staff):
    published(text="Left unanswered")
    client.force_login(staff.moderator)
    with time_machine.travel(AFTER, tick=False):
        response = client.get(url("convert", conference.pk))
    page = html(response)
    assert "The agency has no official blog" in page
    assert "Left unanswered" in page
    assert "disabled" in page


def test_sending_ticked_questions_to_the_blog(client, conference, published, staff):
    make_blog(staff.agency, staff.head, title="Minister's blog")
    first = published(text="First unanswered")
    second = published(text="Second unanswered")
    client.force_login(staff.head)
    with time_machine.travel(AFTER, tick=False):
        page = html(client.get(url("convert", conference.pk)))
        assert "Minister&#x27;s blog" in page
        response = client.post(url("convert", conference.pk), {"questions": [first.pk]})
        assert response.status_code == 302
        page = html(client.get(url("convert", conference.pk)))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.blog_question is not None
    assert second.blog_question is None
    assert "Already in the blog." in page


def test_sending_to_the_blog_is_for_after_the_conference(client, conference, staff):
    client.force_login(staff.head)
    with time_machine.travel(DURING, tick=False):
        assert client.get(url("convert", conference.pk)).status_code == 403
