"""The public screens: the list (tabs, agency filter, bounded queries), a poll (its form,
errors that keep the answers, "you have taken part", why one cannot take part), and the
results page (tables readable without JavaScript)."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from accounts.regions import Region
from dialogue.polls import services
from dialogue.polls.models import Audience, Poll, ResultsVisibility, Submission
from tests.factories import AgencyFactory, MembershipFactory, UserFactory

from .conftest import AFTER, BEFORE, at, make_poll, option_ids, questions, submit

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(f"polls:{name}", args=args)


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- the list ----------------------------------------------------------------------------------


def test_list_tabs_show_each_phase(client, staff):
    make_poll(staff, title="Alpha survey")
    make_poll(staff, title="Beta survey", opens_at=at(2026, 4, 1), closes_at=at(2026, 4, 10))
    make_poll(staff, title="Gamma survey", opens_at=at(2026, 3, 1), closes_at=at(2026, 3, 8))
    draft = make_poll(staff, title="Delta survey", publish=False)

    page = text_of(client.get(url("index")))
    assert "Alpha survey" in page
    assert "Beta survey" not in page and "Gamma survey" not in page
    assert 'aria-current="page">Open now <span class="meta">(1)</span>' in page
    assert 'Upcoming polls <span class="meta">(1)</span>' in page
    assert 'Closed polls <span class="meta">(1)</span>' in page

    page = text_of(client.get(url("index"), {"phase": "upcoming"}))
    assert "Beta survey" in page and "Alpha survey" not in page
    page = text_of(client.get(url("index"), {"phase": "closed"}))
    assert "Gamma survey" in page and "Alpha survey" not in page
    assert draft.title not in page
    # An unknown phase falls back to the open tab.
    page = text_of(client.get(url("index"), {"phase": "everything"}))
    assert "Alpha survey" in page


def test_list_filters_by_agency(client, staff):
    make_poll(staff, title="Justice poll")
    other = AgencyFactory(name_en="Ministry of Health", slug="health")
    head = MembershipFactory(agency=other, role="head").user
    make_poll(staff, title="Health poll", agency=other, actor=head)

    page = text_of(client.get(url("index"), {"agency": "health"}))
    assert "Health poll" in page and "Justice poll" not in page
    page = text_of(client.get(url("index"), {"agency": "nowhere"}))
    assert "Health poll" in page and "Justice poll" in page


def test_cancelled_polls_are_listed_with_the_closed(client, staff):
    poll = make_poll(staff, title="Dropped poll")
    services.poll_cancel(poll=poll, actor=staff.head, reason="Budget moved.")
    assert "Dropped poll" not in text_of(client.get(url("index")))
    page = text_of(client.get(url("index"), {"phase": "closed"}))
    assert "Dropped poll" in page and "Cancelled" in page


@pytest.mark.parametrize("signed_in", [False, True])
def test_list_queries_do_not_grow(client, staff, signed_in, django_assert_max_num_queries):
    person = UserFactory()
    if signed_in:
        client.force_login(person)

    def count_queries(n_polls: int) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            response = client.get(url("index"))
        assert response.status_code == 200
        assert len(re.findall(r'<h2><a href="/en/dialogue/polls/\d+/"', text_of(response))) == (
            min(n_polls, 20)
        )
        return len(queries)

    make_poll(staff, title="Poll 0")
    client.get(url("index"))  # warms the site's caches (Wagtail's site root, content types)
    small = count_queries(1)
    for n in range(1, 40):
        poll = make_poll(staff, title=f"Poll {n}")
        if n % 3 == 0:
            Submission.objects.create(poll=poll, user=person)
    large = count_queries(40)
    assert large == small
    with django_assert_max_num_queries(small):
        client.get(url("index"))


def test_list_marks_polls_taken_part_in(client, staff, citizen, poll):
    submit(poll, citizen)
    client.force_login(citizen)
    assert "You took part" in text_of(client.get(url("index")))


# --- a poll ----------------------------------------------------------------------------------


def test_poll_page_shows_the_form_with_fieldsets(client, poll, citizen):
    client.force_login(citizen)
    page = text_of(client.get(url("detail", poll.pk)))
    first, second, third = questions(poll)
    assert '<h2 id="take-heading">Take part</h2>' in page
    assert f'<fieldset class="pl-question" id="id_q{first.pk}"' in page
    assert '<legend>1. <span lang="en">How often do you use e-government services?</span>' in page
    assert 'type="radio"' in page and 'type="checkbox"' in page
    assert f'<label for="id_q{third.pk}">3. <span lang="en">What else' in page
    assert "Choose up to 2 answers." in page
    assert "Optional." in page
    # Results are not shown before taking part.
    assert "The results are shown to each person after they take part" in page
    assert 'class="pl-results-table"' not in page


def test_submission_errors_keep_the_answers(client, poll, citizen):
    client.force_login(citizen)
    first, second, third = questions(poll)
    chosen = option_ids(second, 0, 1, 2)  # one too many
    response = client.post(
        url("detail", poll.pk),
        {f"q{second.pk}": [str(pk) for pk in chosen], f"q{third.pk}": "Keep this text"},
    )
    assert response.status_code == 200
    page = text_of(response)
    assert 'role="alert"' in page
    assert "Choose an answer." in page  # the first question is required
    assert "Choose at most 2 answers." in page
    assert f'aria-describedby="id_q{first.pk}_error' in page
    for pk in chosen:
        assert re.search(rf'value="{pk}"[^>]*checked', page)
    assert "Keep this text</textarea>" in page
    assert not Submission.objects.exists()


def test_submitting_shows_thanks_and_results(client, poll, citizen):
    client.force_login(citizen)
    first, second, third = questions(poll)
    response = client.post(
        url("detail", poll.pk),
        {
            f"q{first.pk}": str(option_ids(first, 0)[0]),
            f"q{second.pk}": [str(pk) for pk in option_ids(second, 1)],
            f"q{third.pk}": "More online services",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0].endswith("#results")
    page = text_of(response)
    assert "Thank you for taking part." in page
    assert "You have taken part in this poll. Thank you." in page
    assert 'class="pl-results-table"' in page
    assert 'Every week</th><td class="pl-num">1</td>' in page
    assert "100.0%" in page
    assert "1 person answered in their own words." in page
    assert "More online services" not in page  # free text is the agency's
    assert 'type="radio"' not in page


def test_posting_again_is_refused_with_a_message(client, poll, citizen):
    submit(poll, citizen)
    client.force_login(citizen)
    first, second, _third = questions(poll)
    response = client.post(
        url("detail", poll.pk),
        {
            f"q{first.pk}": str(option_ids(first, 1)[0]),
            f"q{second.pk}": [str(option_ids(second, 0)[0])],
        },
        follow=True,
    )
    assert "You have already taken part in this poll." in text_of(response)
    assert Submission.objects.count() == 1


def test_anonymous_is_asked_to_sign_in(client, poll):
    page = text_of(client.get(url("detail", poll.pk)))
    assert "Sign in to take part in this poll." in page
    assert '<form method="post" action="/en/dialogue/polls/' not in page
    response = client.post(url("detail", poll.pk), {})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("person", "message"),
    [
        ("unverified", "Confirm your email address to take part in polls."),
        ("not_identity", "Only people who confirmed their identity with the national ID"),
        ("other_region", "This poll is only for the people of Astana."),
        ("no_region", "Give your region in your profile"),
    ],
)
def test_why_one_cannot_take_part(client, staff, person, message):
    poll = make_poll(staff, audience=Audience.IDENTITY_VERIFIED, region=Region.ASTANA)
    people = {
        "unverified": UserFactory(verified_email=False),
        "not_identity": UserFactory(region=Region.ASTANA),
        "other_region": UserFactory(region=Region.PAVLODAR, identity_verified=True),
        "no_region": UserFactory(region="", identity_verified=True),
    }
    client.force_login(people[person])
    page = text_of(client.get(url("detail", poll.pk)))
    assert message in page
    assert 'type="radio"' not in page
    assert "<summary>The questions</summary>" in page


def test_closed_poll_shows_results_to_everyone(client, poll, citizen):
    submit(poll, citizen, single=1)
    with time_machine.travel(AFTER, tick=False):
        page = text_of(client.get(url("detail", poll.pk)))
    assert "This poll is closed." in page
    assert 'class="pl-results-table"' in page
    assert 'Every month</th><td class="pl-num">1</td>' in page


def test_after_closing_results_stay_sealed_for_participants(client, staff, citizen):
    poll = make_poll(staff, results_visibility=ResultsVisibility.AFTER_CLOSING)
    submit(poll, citizen)
    client.force_login(citizen)
    page = text_of(client.get(url("detail", poll.pk)))
    assert "The results will be published when the poll closes" in page
    assert 'class="pl-results-table"' not in page
    assert client.get(url("results", poll.pk)).status_code == 403


def test_drafts_are_hidden_from_the_public(client, staff):
    draft = make_poll(staff, publish=False)
    assert client.get(url("detail", draft.pk)).status_code == 404
    client.force_login(staff.responder)
    page = text_of(client.get(url("detail", draft.pk)))
    assert "This is a draft" in page


def test_cancelled_poll_shows_its_reason(client, poll, staff):
    services.poll_cancel(poll=poll, actor=staff.head, reason="The plan changed.")
    page = text_of(client.get(url("detail", poll.pk)))
    assert "The agency cancelled this poll on" in page
    assert "The plan changed." in page
    assert "The results of a cancelled poll are not published." in page


def test_upcoming_poll_says_so(client, staff, citizen):
    poll = make_poll(staff, opens_at=at(2026, 4, 1), closes_at=at(2026, 4, 10))
    client.force_login(citizen)
    page = text_of(client.get(url("detail", poll.pk)))
    assert "This poll has not opened yet." in page


# --- the results page ------------------------------------------------------------------------


def test_results_page_is_a_table_with_numbers_and_bars(client, poll):
    for index, person in enumerate(UserFactory.create_batch(4)):
        submit(poll, person, single=0 if index < 3 else 1, multiple=(0, 1) if index else (2,))
    with time_machine.travel(AFTER, tick=False):
        response = client.get(url("results", poll.pk))
    assert response.status_code == 200
    page = text_of(response)
    assert '<h1>Results: <span lang="en">E-government services</span></h1>' in page
    assert "4 people took part." in page
    assert "<caption>4 people answered this question.</caption>" in page
    assert '<th scope="row" lang="en">Every week</th><td class="pl-num">3</td>' in page
    assert "75.0%" in page and "25.0%" in page
    assert 'style="width: 75.0%"' in page
    assert "may add up to more than 100 per cent" in page  # the multiple choice
    assert 'aria-hidden="true"' in page  # bars are decoration: the numbers are written
    assert "<script" not in page.split("<main")[1].split("</main>")[0]


def test_results_page_before_closing_for_outsiders(client, poll):
    with time_machine.travel(BEFORE, tick=False):
        response = client.get(url("results", poll.pk))
    assert response.status_code == 403
    assert "The results are shown to each person after they take part" not in text_of(response)
    response = client.get(url("results", poll.pk))
    assert "The results are shown to each person after they take part" in text_of(response)


def test_a_draft_results_page_is_not_found(client, staff):
    draft = make_poll(staff, publish=False)
    assert client.get(url("results", draft.pk)).status_code == 404


def test_poll_page_queries_do_not_grow_with_submissions(
    client, staff, django_assert_max_num_queries
):
    poll = make_poll(staff)
    viewer = UserFactory()
    submit(poll, viewer)
    client.force_login(viewer)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url("detail", poll.pk))  # warms the site's caches
    with CaptureQueriesContext(connection) as small:
        client.get(url("detail", poll.pk))
    for person in UserFactory.create_batch(30):
        submit(poll, person, text="Some words")
    with django_assert_max_num_queries(len(small)):
        response = client.get(url("detail", poll.pk))
    assert "31 people" in text_of(response)


def test_poll_model_url_is_the_detail_page(poll):
    assert poll.get_absolute_url() == f"/kk/dialogue/polls/{poll.pk}/"
    assert Poll.objects.public().filter(pk=poll.pk).exists()


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_every_page_renders_in_each_language(client, staff, poll, lang):
    submit(poll, UserFactory())
    client.force_login(staff.head)
    paths = [
        "",
        "?phase=closed",
        f"{poll.pk}/",
        f"{poll.pk}/results/",
        "manage/",
        "manage/new/",
        f"manage/{poll.pk}/",
        f"manage/{poll.pk}/edit/",
        f"manage/{poll.pk}/cancel/",
    ]
    for path in paths:
        response = client.get(f"/{lang}/dialogue/polls/{path}")
        assert response.status_code == 200, path
        assert f'<html lang="{lang}">' in response.content.decode()
    draft = make_poll(staff, publish=False)
    for path in (f"manage/{draft.pk}/publish/", f"manage/{draft.pk}/questions/new/"):
        assert client.get(f"/{lang}/dialogue/polls/{path}").status_code == 200, path
    question = questions(draft)[0]
    path = f"/{lang}/dialogue/polls/manage/{draft.pk}/questions/{question.pk}/edit/"
    assert client.get(path).status_code == 200
