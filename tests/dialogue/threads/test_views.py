"""The screens: the list (filters, sorts, a bounded number of queries whatever the
number of threads), a thread page (text, the agency's reply in words, the support
button), starting a thread (errors keep what was typed), support without JavaScript,
withdrawal, and the agencies' side (the reply queue, extend and redirect)."""

from __future__ import annotations

import datetime
import itertools
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from accounts.regions import Region
from dialogue.threads import services
from dialogue.threads.models import Thread, ThreadCategory, ThreadSupport
from tests.factories import AgencyFactory, UserFactory
from tracking.models import Obligation

from .conftest import (
    LEVEL,
    NOW,
    at,
    committed,
    make_thread,
    official_reply,
    reach_level,
    supporters,
)

pytestmark = pytest.mark.django_db

INDEX = "/en/dialogue/threads/"


def url(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(f"threads:{name}", args=args)


def _titles(response) -> list[str]:
    return [thread.title for thread in response.context["threads"]]


# --- the list ----------------------------------------------------------------------------


def _many(author, agencies, count: int) -> list[Thread]:
    """`count` threads across categories, regions and agencies, with replies and support
    counts set directly (the list reads only the columns)."""
    categories = itertools.cycle(ThreadCategory.values)
    regions = itertools.cycle(["", Region.ASTANA, Region.ALMATY_CITY, Region.KARAGANDA])
    addressees = itertools.cycle([None, *agencies])
    made = []
    for index in range(count):
        with time_machine.travel(NOW - datetime.timedelta(hours=count - index), tick=False):
            thread = make_thread(
                author,
                next(addressees),
                category=next(categories),
                region=next(regions),
                title=f"Thread {index:03d}",
            )
        Thread.objects.filter(pk=thread.pk).update(
            support_count=(index * 7) % 23, reply_count=(index * 5) % 11
        )
        made.append(thread)
    return made


def test_list_queries_do_not_grow(client, author, agency, django_assert_max_num_queries):
    agencies = [agency.agency, AgencyFactory()]
    _many(author, agencies, 5)
    reach_level(Thread.objects.filter(addressee=agency.agency).first())
    client.force_login(UserFactory())
    client.get(INDEX)  # the site's chrome creates its settings row on the first request
    paths = (INDEX, f"{INDEX}?sort=active", f"{INDEX}?agency={agency.agency.slug}&sort=supported")
    # The page's own: count, rows (author, addressee, obligation joined), the agency filter's
    # choices (and its slug when filtered); the rest is the base template's chrome (about 25
    # in all).
    small = {}
    for path in paths:
        with django_assert_max_num_queries(28) as queries:
            assert client.get(path).status_code == 200
        small[path] = len(queries.captured_queries)
    _many(author, agencies, 55)
    for path in paths:
        with django_assert_max_num_queries(small[path]):
            assert client.get(path).status_code == 200
    response = client.get(f"{INDEX}?page=3")
    assert len(response.context["threads"]) == 20  # 60 threads, 20 a page


def test_list_filters_and_sorts(client, author, agency):
    other = AgencyFactory(slug="akimat-karaganda")
    threads = _many(author, [agency.agency, other], 12)
    listed = set(Thread.objects.values_list("title", flat=True))

    response = client.get(INDEX)
    assert response.context["page_obj"].paginator.count == 12
    assert _titles(response) == [f"Thread {i:03d}" for i in range(11, -1, -1)]  # newest

    by_support = Thread.objects.order_by("-support_count", "-created_at", "-pk")
    response = client.get(f"{INDEX}?sort=supported")
    assert _titles(response) == [thread.title for thread in by_support]
    by_activity = Thread.objects.order_by("-reply_count", "-last_activity_at", "-pk")
    response = client.get(f"{INDEX}?sort=active")
    assert _titles(response) == [thread.title for thread in by_activity]

    response = client.get(f"{INDEX}?category={ThreadCategory.HEALTH}")
    expected = {t.title for t in threads if t.category == ThreadCategory.HEALTH}
    assert set(_titles(response)) == expected and expected
    response = client.get(f"{INDEX}?region={Region.KARAGANDA}")
    expected = {t.title for t in threads if t.region == Region.KARAGANDA}
    assert set(_titles(response)) == expected and expected
    response = client.get(f"{INDEX}?agency={other.slug}&region={Region.ALMATY_CITY}")
    expected = {
        t.title for t in threads if t.addressee_id == other.pk and t.region == Region.ALMATY_CITY
    }
    assert set(_titles(response)) == expected and expected

    # An unknown value: every listed thread, and a message saying so.
    response = client.get(f"{INDEX}?category=weather")
    assert set(_titles(response)) == listed
    assert "This filter cannot be used" in response.content.decode()


def test_hidden_and_withdrawn_threads_leave_the_list(client, author, moderator):
    kept, hidden, withdrawn = (make_thread(author, title=t) for t in ("Kept", "Hidden", "Gone"))
    services.thread_hide(thread=hidden, reason="spam", actor=moderator)
    services.thread_withdraw(thread=withdrawn, actor=author)
    assert _titles(client.get(INDEX)) == ["Kept"]


def test_list_shows_the_reply_status_in_words(client, awaiting, agency, author):
    answered = reach_level(make_thread(author, agency.agency, title="Answered one"))
    official_reply(answered, agency.responder)
    page = client.get(INDEX).content.decode()
    assert "awaiting the official reply" in page and "officially answered" in page
    with time_machine.travel(at(2026, 4, 6), tick=False):
        assert "official reply overdue" in client.get(INDEX).content.decode()


# --- a thread ----------------------------------------------------------------------------


def test_thread_page(client, thread, agency, django_assert_max_num_queries):
    with django_assert_max_num_queries(25):
        response = client.get(url("detail", thread.pk))
    page = response.content.decode()
    assert thread.title in page and thread.html in page
    assert thread.author.public_name in page and agency.agency.name_en in page
    assert f"If {LEVEL} people support this discussion" in page
    assert "0 of 3 supporters needed for an official reply" in page
    assert 'id="comments"' in page  # the conversation layer's include
    assert "Sign in to support this discussion." in page
    groups = response.context["live_groups"]
    assert groups[0] == f"thread.{thread.pk}" and groups[1].startswith("comments.")
    assert thread.author.email not in page


def test_thread_page_says_when_the_reply_is_due_overdue_and_given(client, awaiting, agency):
    page = client.get(url("detail", awaiting.pk)).content.decode()
    assert "Ministry of Justice must reply by April 3, 2026." in page
    assert "15 working days left" in page

    with time_machine.travel(at(2026, 4, 8), tick=False):
        page = client.get(url("detail", awaiting.pk)).content.decode()
    assert "Overdue:" in page and "had to reply by April 3, 2026." in page
    assert "Overdue by 3 working days" in page  # 6, 7 and 8 April

    with time_machine.travel(at(2026, 3, 20), tick=False):
        reply = official_reply(awaiting, agency.responder, "We will build it in May.")
        page = client.get(url("detail", awaiting.pk)).content.decode()
    assert "Answered on March 20, 2026" in page and "within the deadline." in page
    assert "We will build it in May." in page
    assert reverse("dialogue:replies", args=[reply.pk]).replace("/kk/", "/en/") in page


def test_hidden_and_withdrawn_thread_pages(client, thread, author, moderator):
    services.thread_hide(thread=thread, reason="abuse", actor=moderator)
    page = client.get(url("detail", thread.pk)).content.decode()
    assert "Hidden by a moderator: abuse or insults" in page
    assert thread.title not in page and f"Discussion #{thread.pk}" in page
    assert 'id="comments"' not in page  # the discussion goes with it
    client.force_login(author)
    page = client.get(url("detail", thread.pk)).content.decode()
    assert thread.title in page and "Only the author and the moderators see this text." in page
    assert 'id="comments"' in page

    other = make_thread(author, title="Withdrawn topic")
    services.thread_withdraw(thread=other, actor=author)
    client.logout()
    page = client.get(url("detail", other.pk)).content.decode()
    assert "Withdrawn by the author on March 10, 2026." in page
    assert "Withdrawn topic" not in page
    assert 'id="comments"' in page  # the replies already written stay public


def test_unknown_thread_is_404(client, db):
    assert client.get(url("detail", 999)).status_code == 404


# --- support without JavaScript ----------------------------------------------------------


def test_support_and_take_it_back(client, thread):
    citizen = UserFactory()
    client.force_login(citizen)
    page = client.get(url("detail", thread.pk)).content.decode()
    assert "Support this discussion" in page

    response = client.post(url("support", thread.pk))
    assert response.status_code == 302 and response["Location"].endswith("#support")
    assert ThreadSupport.objects.filter(thread=thread, user=citizen).exists()
    page = client.get(url("detail", thread.pk)).content.decode()
    assert "You support this discussion." in page and "1 supporter" in page

    client.post(url("unsupport", thread.pk))
    assert not ThreadSupport.objects.filter(thread=thread).exists()
    assert Thread.objects.get(pk=thread.pk).support_count == 0


def test_support_is_refused_with_a_reason(client, thread, author, unverified_user):
    response = client.post(url("support", thread.pk))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(author)
    response = client.post(url("support", thread.pk), follow=True)
    assert "You started this discussion" in response.content.decode()
    client.force_login(unverified_user)
    page = client.get(url("detail", thread.pk)).content.decode()
    assert "Confirm your email address to support discussions." in page
    client.post(url("support", thread.pk))
    assert Thread.objects.get(pk=thread.pk).support_count == 0
    assert client.get(url("support", thread.pk)).status_code == 405


def test_the_support_that_reaches_the_level_opens_the_duty(client, thread):
    for user in supporters(LEVEL):
        client.force_login(user)
        client.post(url("support", thread.pk))
    thread = Thread.objects.select_related("obligation").get(pk=thread.pk)
    assert thread.support_count == LEVEL and thread.obligation.opened_at == NOW


# --- starting and withdrawing ------------------------------------------------------------


def test_start_form_and_publish(client, author, agency):
    client.force_login(author)
    page = client.get(url("create")).content.decode()
    assert 'for="thread-title"' in page and 'name="addressee"' in page
    response = client.post(
        url("create"),
        {
            "title": "Light the Yesil embankment",
            "text": "It is dark after six.",
            "category": ThreadCategory.URBAN,
            "region": Region.ASTANA,
            "addressee": agency.agency.pk,
        },
    )
    thread = Thread.objects.get()
    assert response.status_code == 302 and response["Location"] == url("detail", thread.pk)
    assert thread.addressee == agency.agency and thread.category == ThreadCategory.URBAN


def test_start_errors_keep_what_was_typed(client, author):
    client.force_login(author)
    response = client.post(
        url("create"),
        {"title": "Kept title", "text": "", "category": "weather", "region": ""},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="Kept title"' in page
    assert 'id="thread-text_error"' in page
    assert re.search(r'aria-describedby="[^"]*thread-text_error[^"]*"', page)
    assert 'id="thread-category_error"' in page
    assert "Nothing you typed is lost." in page
    assert not Thread.objects.exists()


def test_a_service_refusal_lands_on_the_text(client, author):
    client.force_login(author)
    data = {"title": "Twice", "text": "The same words.", "category": "other", "region": ""}
    with committed():
        client.post(url("create"), data)
    response = client.post(url("create"), data)
    assert response.status_code == 400
    assert "You have already posted this text." in response.content.decode()
    assert 'value="Twice"' in response.content.decode()


def test_start_needs_sign_in_and_a_verified_email(client, unverified_user):
    response = client.get(url("create"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(unverified_user)
    response = client.get(url("create"))
    assert response.status_code == 403
    assert "Confirm your email address to start a discussion." in response.content.decode()


def test_withdraw_page(client, thread, author):
    client.force_login(UserFactory())
    assert client.post(url("withdraw", thread.pk)).status_code == 403
    client.force_login(author)
    assert "Withdraw the discussion" in client.get(url("detail", thread.pk)).content.decode()
    assert client.get(url("withdraw", thread.pk)).status_code == 200
    response = client.post(url("withdraw", thread.pk))
    assert response.status_code == 302
    assert Thread.objects.get(pk=thread.pk).withdrawn_at == NOW


# --- the agencies' side ------------------------------------------------------------------


def test_agency_queue_lists_owed_replies_earliest_first(
    client, agency, author, django_assert_max_num_queries
):
    older = reach_level(make_thread(author, agency.agency, title="Older duty"))
    with time_machine.travel(NOW + datetime.timedelta(days=2), tick=False):
        newer = reach_level(make_thread(author, agency.agency, title="Newer duty"))
    make_thread(author, agency.agency, title="Below the level")
    make_thread(author, AgencyFactory(), title="Someone else's")
    client.force_login(agency.responder)
    client.get(url("agency"))  # the chrome's settings row, made on the first request
    with django_assert_max_num_queries(30) as few:
        response = client.get(url("agency"))
    assert [t.pk for t in response.context["threads"]] == [older.pk, newer.pk]
    assert [t.title for t in response.context["unanswered"]] == ["Below the level"]
    page = response.content.decode()
    assert "15 working days left" in page

    for index in range(20):
        reach_level(make_thread(author, agency.agency, title=f"More {index}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url("agency"))
    assert len(response.context["threads"]) == 22


def test_agency_queue_is_for_heads_and_responders(client, agency):
    client.force_login(agency.drafter)
    assert client.get(url("agency")).status_code == 403
    client.force_login(agency.head)
    assert client.get(url("agency")).status_code == 200
    assert client.get(f"{url('agency')}?agency=someone-else").status_code == 404


def test_the_thread_page_guides_the_responder(client, awaiting, agency):
    client.force_login(agency.responder)
    page = client.get(url("detail", awaiting.pk)).content.decode()
    assert "You answer for this agency" in page
    assert url("deadline", awaiting.pk) in page
    assert 'name="as_official"' in page  # the conversation layer's official form


def test_extend_through_the_deadline_page(client, awaiting, agency):
    client.force_login(agency.responder)
    assert client.get(url("deadline", awaiting.pk)).status_code == 200
    response = client.post(
        url("deadline", awaiting.pk),
        {"action": "extend", "new_due_date": "2026-06-01", "reason": "Data from the police."},
    )
    assert response.status_code == 400  # beyond the two months' cap (10 May)
    page = response.content.decode()
    assert "2026-05-10" in page and "Data from the police." in page
    response = client.post(
        url("deadline", awaiting.pk),
        {"action": "extend", "new_due_date": "2026-04-20", "reason": "Data from the police."},
    )
    assert response.status_code == 302
    assert Obligation.objects.get(pk=awaiting.obligation_id).extended_due_at is not None
    page = client.get(url("detail", awaiting.pk)).content.decode()
    assert "The deadline was extended from April 3, 2026. Reason: Data from the police." in page


def test_redirect_through_the_deadline_page(client, awaiting, agency):
    other = AgencyFactory(name_en="Ministry of Transport")
    client.force_login(agency.head)
    response = client.post(
        url("deadline", awaiting.pk),
        {"action": "redirect", "to_agency": other.pk, "reason": "Roads are theirs."},
    )
    assert response.status_code == 302
    assert Thread.objects.get(pk=awaiting.pk).addressee == other
    page = client.get(url("detail", awaiting.pk)).content.decode()
    assert "Sent on by Ministry of Justice to Ministry of Transport" in page


def test_deadline_page_is_refused_to_others(client, awaiting, author, agency):
    client.force_login(agency.drafter)
    assert client.get(url("deadline", awaiting.pk)).status_code == 403
    client.force_login(agency.responder)
    below = make_thread(author, agency.agency)
    assert client.get(url("deadline", below.pk)).status_code == 403  # nothing owed


def test_hub_section_is_one_query(author, django_assert_max_num_queries):
    from dialogue.threads.selectors import hub_section

    for index in range(8):
        make_thread(author, title=f"Hub {index}")
    with django_assert_max_num_queries(1):
        section = hub_section(user=None)
    assert [t.title for t in section["threads"]] == [f"Hub {i}" for i in range(7, 2, -1)]


def test_header_link_context(rf, agency):
    from dialogue.threads.context_processors import agency_nav

    request = rf.get("/")
    request.user = agency.responder
    assert agency_nav(request)["threads_agency_link"]
    request.user = agency.drafter
    assert not agency_nav(request)["threads_agency_link"]


def test_pages_have_ordered_headings(client, awaiting):
    page = client.get(url("detail", awaiting.pk)).content.decode()
    levels = [int(level) for level in re.findall(r"<h([1-6])", page)]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(levels))
