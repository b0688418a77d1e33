"""The public pages: the list, a conference in each phase (what shows, the live hooks on
the page), asking and voting without JavaScript (errors keep the text, tied to the
field), and bounded queries with many questions and votes."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from dialogue.conferences import services
from dialogue.conferences.models import ConferenceQuestion, QuestionState, QuestionVote
from tests.factories import UserFactory

from .conftest import AFTER, DURING, STARTS

pytestmark = pytest.mark.django_db


def url(name: str, *args, lang: str = "en", query: str = "") -> str:
    with translation.override(lang):
        address = reverse(f"conferences:{name}", args=args)
    return f"{address}?{query}" if query else address


def html(response) -> str:
    return response.content.decode()


def count_queries(client, address: str) -> int:
    """Queries of a request, after one to warm the per-process caches (content types,
    the Wagtail site)."""
    client.get(address)
    with CaptureQueriesContext(connection) as context:
        response = client.get(address)
    assert response.status_code == 200
    return len(context.captured_queries)


def schedule(staff, official, topic: str, starts_at: datetime.datetime):
    return services.conference_schedule(
        agency=staff.agency,
        official=official,
        topic=topic,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        actor=staff.head,
    )


# --- The list ---------------------------------------------------------------------------------


def test_the_list_has_live_upcoming_and_archive(client, staff, official):
    schedule(staff, official, "Live conference", STARTS)
    schedule(staff, official, "Later conference", STARTS + datetime.timedelta(days=2))
    with time_machine.travel(STARTS - datetime.timedelta(days=3), tick=False):
        schedule(staff, official, "Past conference", STARTS - datetime.timedelta(days=2))
    with time_machine.travel(DURING, tick=False):
        page = html(client.get(url("index")))
    live_section, upcoming_section, archive_section = re.split(
        r'<h2 id="(?:upcoming|archive)-heading">', page
    )
    assert "Live conference" in live_section
    assert "Later conference" in upcoming_section
    assert "Past conference" in archive_section


def test_the_list_costs_the_same_with_ten_times_the_conferences(client, staff, official):
    def add(count: int) -> None:
        for number in range(count):
            schedule(
                staff, official, f"Upcoming {number}", STARTS + datetime.timedelta(days=number)
            )
            with time_machine.travel(datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)):
                schedule(
                    staff,
                    official,
                    f"Archived {number}",
                    datetime.datetime(2026, 2, 1, 10, tzinfo=datetime.UTC)
                    + datetime.timedelta(days=number),
                )

    add(3)
    small = count_queries(client, url("index"))
    add(27)
    large = count_queries(client, url("index"))
    assert small == large
    # Live, upcoming, the archive's count and page (4); the rest is the site's frame.
    assert large <= 16


# --- A conference -----------------------------------------------------------------------------


def test_an_upcoming_conference_shows_the_ask_form_and_the_questions(
    client, conference, published, citizen
):
    question = published(text="Who may get a free lawyer?")
    client.force_login(citizen)
    response = client.get(url("detail", conference.pk))
    page = html(response)
    assert response.context["live_groups"] == [f"conference.{conference.pk}"]
    assert f'data-live-groups="conference.{conference.pk}"' in page
    assert "Free legal aid" in page
    assert "Who may get a free lawyer?" in page
    assert f'action="{url("ask", conference.pk)}"' in page
    assert f'action="{url("vote", conference.pk, question.pk)}"' in page
    assert 'aria-pressed="false"' in page
    assert "conferences/live.js" in page
    assert 'id="cf-answer-template"' in page


def test_an_anonymous_visitor_is_asked_to_sign_in(client, conference, published):
    published()
    page = html(client.get(url("detail", conference.pk)))
    assert "Sign in to ask a question." in page
    assert 'name="text"' not in page
    assert "cf-vote-form" not in page


def test_the_questions_sort_by_votes_or_newest(client, conference, published):
    old = published(text="The older question")
    new = published(text="The newer question")
    services.question_vote(question=old, user=UserFactory())
    by_votes = html(client.get(url("detail", conference.pk)))
    assert by_votes.index("The older question") < by_votes.index("The newer question")
    newest = html(client.get(url("detail", conference.pk, query="sort=newest")))
    assert newest.index("The newer question") < newest.index("The older question")
    assert new.pk


def test_a_live_conference_shows_answers_waiting_questions_and_viewers(
    client, conference, published, official, staff
):
    first = published(text="First question")
    second = published(text="Second question")
    published(text="Still waiting")
    with time_machine.travel(DURING, tick=False):
        services.question_answer(question=first, actor=official, text="The **first** answer.")
    with time_machine.travel(DURING + datetime.timedelta(minutes=5), tick=False):
        services.question_answer(question=second, actor=staff.responder, text="Second answer.")
        # Another daphne process counts 41 viewers (ashyq.live.Presence).
        cache.set(f"live:viewers:conference.{conference.pk}:3", ["another-process", 41], 60)
        response = client.get(url("detail", conference.pk))
    page = html(response)
    assert response.context["viewers"] == 41
    assert 'id="cf-viewer-count"' in page and ">41<" in page
    answers = page.index('id="cf-answered-list"')
    waiting = page.index('id="cf-waiting-list"')
    # The latest answer first; the waiting question below.
    assert answers < page.index("Second answer.") < page.index("<strong>first</strong>") < waiting
    assert page.index("Still waiting") > waiting
    assert "Aigerim Nurlanova on behalf of Marat Seitkali" in page
    assert f'data-live-groups="conference.{conference.pk}"' in page


def test_an_archived_conference_is_a_transcript_in_answer_order(
    client, conference, published, official
):
    first = published(text="Answered first")
    second = published(text="Answered second")
    published(text="Never answered")
    with time_machine.travel(DURING, tick=False):
        services.question_answer(question=second, actor=official, text="Answer A.")
    with time_machine.travel(DURING + datetime.timedelta(minutes=1), tick=False):
        services.question_answer(question=first, actor=official, text="Answer B.")
    with time_machine.travel(AFTER, tick=False):
        response = client.get(url("detail", conference.pk))
    page = html(response)
    assert response.context["live_groups"] == []
    assert "data-live-groups" not in page
    assert "conferences/live.js" not in page
    assert "Transcript" in page
    assert page.index("Answer A.") < page.index("Answer B.")
    unanswered = page.index("Unanswered questions")
    assert page.index("Never answered") > unanswered
    assert "Not answered at the conference." in page
    assert 'name="text"' not in page  # no asking any more


def test_a_cancelled_conference_shows_the_reason(client, conference, staff):
    services.conference_cancel(conference=conference, actor=staff.head, reason="Postponed to May.")
    page = html(client.get(url("detail", conference.pk)))
    assert "This conference was cancelled." in page
    assert "Postponed to May." in page


def test_a_hidden_question_shows_the_placeholder(client, conference, published, moderator):
    question = published(text="Something with a phone number")
    services.question_hide(question=question, reason="personal_data", actor=moderator)
    page = html(client.get(url("detail", conference.pk)))
    assert "Something with a phone number" not in page
    assert "Hidden by a moderator: personal data" in page


def test_the_author_sees_their_rejected_question_with_the_reason(client, conference, ask, staff):
    author = UserFactory()
    question = ask(author, "Off the topic")
    services.question_reject(
        question=question, actor=staff.moderator, reason="off_topic", note="Ask the akimat."
    )
    client.force_login(author)
    page = html(client.get(url("detail", conference.pk)))
    assert "Your questions" in page
    assert "not on the conference&#x27;s topic" in page
    assert "Ask the akimat." in page
    client.force_login(UserFactory())
    assert "Off the topic" not in html(client.get(url("detail", conference.pk)))


def test_staff_see_their_links(client, conference, staff, official):
    client.force_login(staff.moderator)
    page = html(client.get(url("detail", conference.pk)))
    assert url("moderation", conference.pk) in page
    assert url("edit", conference.pk) in page
    assert url("cancel", conference.pk) in page
    assert url("studio", conference.pk) not in page
    client.force_login(official)
    page = html(client.get(url("detail", conference.pk)))
    assert url("studio", conference.pk) in page
    assert url("moderation", conference.pk) not in page


@pytest.mark.parametrize("moment", ["upcoming", "live", "archived"])
def test_a_conference_page_costs_the_same_with_ten_times_the_questions(
    client, conference, published, official, citizen, moment
):
    def add(count: int) -> None:
        for _ in range(count):
            question = published()
            for voter in (citizen, UserFactory()):
                services.question_vote(question=question, user=voter)
        answerable = ConferenceQuestion.objects.filter(answered_at__isnull=True)[: count // 2]
        with time_machine.travel(DURING, tick=False):
            for question in answerable:
                question.conference = conference
                services.question_answer(question=question, actor=official, text="Yes.")

    when = {"upcoming": None, "live": DURING, "archived": AFTER}[moment]
    client.force_login(citizen)
    address = url("detail", conference.pk)
    add(5)
    with time_machine.travel(when or conference.starts_at - datetime.timedelta(hours=1)):
        small = count_queries(client, address)
    add(45)
    assert QuestionVote.objects.count() == 100
    with time_machine.travel(when or conference.starts_at - datetime.timedelta(hours=1)):
        large = count_queries(client, address)
    assert small == large
    assert large <= 25


# --- Asking and voting ------------------------------------------------------------------------


def test_asking_sends_the_question_to_moderation(client, conference, citizen):
    client.force_login(citizen)
    response = client.post(url("ask", conference.pk), {"text": "Is legal aid free for students?"})
    question = ConferenceQuestion.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#own-question-{question.pk}")
    assert question.state == QuestionState.SUBMITTED
    assert question.author == citizen


def test_an_empty_question_is_an_error_on_the_field(client, conference, citizen):
    client.force_login(citizen)
    response = client.post(url("ask", conference.pk), {"text": "   "})
    assert response.status_code == 400
    page = html(response)
    assert 'id="id_text_error"' in page
    assert re.search(r'<textarea[^>]*aria-describedby="[^"]*id_text_error', page)
    assert not ConferenceQuestion.objects.exists()


def test_a_refused_question_keeps_the_text(client, conference, citizen):
    client.force_login(citizen)
    with time_machine.travel(AFTER, tick=False):
        response = client.post(url("ask", conference.pk), {"text": "Too late, sadly?"})
    assert response.status_code == 403
    assert "Questions to this conference are closed." in html(response)
    assert not ConferenceQuestion.objects.exists()


def test_asking_signed_out_goes_to_the_sign_in_page(client, conference):
    response = client.post(url("ask", conference.pk), {"text": "Hello?"})
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_voting_and_taking_the_vote_back_without_javascript(client, conference, published, citizen):
    question = published()
    client.force_login(citizen)
    response = client.post(url("vote", conference.pk, question.pk), {"action": "vote"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#question-{question.pk}")
    question.refresh_from_db()
    assert question.vote_count == 1
    page = html(client.get(url("detail", conference.pk)))
    assert 'aria-pressed="true"' in page
    client.post(url("vote", conference.pk, question.pk), {"action": "unvote"})
    question.refresh_from_db()
    assert question.vote_count == 0


def test_voting_for_ones_own_question_is_refused_with_a_message(
    client, conference, published, citizen
):
    question = published(citizen)
    client.force_login(citizen)
    response = client.post(url("vote", conference.pk, question.pk), {"action": "vote"}, follow=True)
    assert "You cannot vote for this question." in html(response)
    assert QuestionVote.objects.count() == 0
