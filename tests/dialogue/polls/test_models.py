"""Selectors, the hub section, personal data and the model's constraints."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.test import RequestFactory

from accounts import personal_data
from dialogue.polls import selectors, services
from dialogue.polls.models import Poll, PollQuestion, PollState, QuestionKind
from tests.factories import UserFactory

from .conftest import at, make_poll, questions, submit

pytestmark = pytest.mark.django_db


def test_hub_section_lists_open_polls_in_three_queries(staff, django_assert_max_num_queries):
    for n in range(7):
        make_poll(staff, title=f"Open {n}", closes_at=at(2026, 3, 20 + n % 5, 18))
    make_poll(staff, title="Later", opens_at=at(2026, 4, 1), closes_at=at(2026, 4, 9))
    make_poll(staff, title="Draft", publish=False)
    with django_assert_max_num_queries(3):
        section = selectors.hub_section(limit=5)
        html = render_to_string(
            "polls/includes/hub_section.html",
            {"section": section},
            request=RequestFactory().get("/"),
        )
    assert len(section["polls"]) == 5
    closes = [poll.closes_at for poll in section["polls"]]
    assert closes == sorted(closes)
    assert section["upcoming_count"] == 1
    assert html.count("<li>") == 5
    assert '<h2 id="hub-polls-heading">' in html
    assert "/dialogue/polls/" in html


def test_hub_page_includes_the_polls_section(client, poll):
    response = client.get("/en/dialogue/")
    assert response.status_code == 200
    assert poll.title in response.content.decode()


def test_results_of_use_the_counters(poll):
    people = UserFactory.create_batch(4)
    for index, person in enumerate(people):
        submit(poll, person, single=index % 2, multiple=(0, 2) if index else (1,))
    results = selectors.results_of(Poll.objects.get(pk=poll.pk))
    first, second, third = results
    assert [(o.text, o.count, o.percent) for o in first.options][:2] == [
        ("Every week", 2, 50.0),
        ("Every month", 2, 50.0),
    ]
    assert [o.count for o in second.options] == [3, 1, 3, 0]
    assert second.is_multiple and third.is_text
    assert (third.answer_count, third.options) == (0, [])


def test_personal_data_export_lists_the_persons_answers(poll):
    person = UserFactory()
    submit(poll, person, single=1, multiple=(2,), text="My idea")
    exported = personal_data.export_for(person)["poll_submissions"]
    assert exported == [
        {
            "poll": poll.pk,
            "title": poll.title,
            "submitted_at": exported[0]["submitted_at"],
            "answers": [
                {"question": questions(poll)[0].text, "answer": "Every month"},
                {"question": questions(poll)[1].text, "answer": "Taxes"},
                {"question": questions(poll)[2].text, "answer": "My idea"},
            ],
        }
    ]
    assert personal_data.export_for(UserFactory())["poll_submissions"] == []


def test_database_constraints(staff):
    poll = make_poll(staff, publish=False)
    first = questions(poll)[0]
    cases = [
        lambda: Poll.objects.filter(pk=poll.pk).update(state="archived"),
        lambda: Poll.objects.filter(pk=poll.pk).update(title=""),
        lambda: Poll.objects.filter(pk=poll.pk).update(state=PollState.PUBLISHED),
        lambda: Poll.objects.filter(pk=poll.pk).update(state=PollState.CANCELLED),
        lambda: Poll.objects.filter(pk=poll.pk).update(submission_count=1),
        lambda: PollQuestion.objects.filter(pk=first.pk).update(max_choices=2),
        lambda: PollQuestion.objects.create(
            poll=poll, position=first.position, kind=QuestionKind.TEXT, text="Clash"
        ),
    ]
    for case in cases:
        with pytest.raises(IntegrityError), transaction.atomic():
            case()


def test_cancelling_a_draft_keeps_it_private(staff):
    poll = make_poll(staff, publish=False)
    services.poll_cancel(poll=poll, actor=staff.head, reason="Not needed.")
    assert not Poll.objects.public().filter(pk=poll.pk).exists()
    assert selectors.phase_counts() == {"open": 0, "upcoming": 0, "closed": 0}
