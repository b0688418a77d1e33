"""The agency's workspace over HTTP: who may open each page and use each action (role x
action), what the actions change, that a refused input keeps what was typed, the live work
queue's rows fragment, bounded queries, and the forms the question page offers staff."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from blogs import services, workspace
from blogs.models import Answer, Attachment, Question
from tests.factories import AgencyFactory, MembershipFactory, UserFactory, platform_moderator
from tracking.calendar import local_date
from tracking.models import Obligation

from .conftest import at, make_blog, published, submit

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "citizen",
    "other_agency_staff",
    "drafter",
    "moderator",
    "responder",
    "head",
    "platform_moderator",
)


def en(name: str, **kwargs) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs or None)


def pdf(name: str = "report.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


@pytest.fixture
def other_agency(db):
    """Another agency, with a head (every role there) and its own responder."""
    agency = AgencyFactory(slug="supreme-court", name_en="Supreme Court", name_kk="Жоғарғы Сот")
    head = UserFactory(display_name="Court Head")
    MembershipFactory(user=head, agency=agency, role="head")
    responder = UserFactory(display_name="Court Responder")
    MembershipFactory(user=responder, agency=agency, role="responder")
    agency.head, agency.responder = head, responder
    return agency


@pytest.fixture
def people(agency_with_staff, other_agency):
    staff = agency_with_staff
    return {
        "anonymous": None,
        "citizen": UserFactory(display_name="Citizen"),
        "other_agency_staff": other_agency.head,
        "drafter": staff.drafter,
        "moderator": staff.moderator,
        "responder": staff.responder,
        "head": staff.head,
        "platform_moderator": platform_moderator(display_name="Platform Moderator"),
    }


def client_for(client, person):
    if person is not None:
        client.force_login(person)
    return client


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- Pages: who may open them ----------------------------------------------------------------

PAGE_ACCESS = {
    # role: (workspace home, work queue, moderation queue) of the Ministry of Justice
    "anonymous": ("login", "login", "login"),
    "citizen": (403, 403, 403),
    "other_agency_staff": (200, 403, 403),
    "drafter": (200, 200, 403),
    "moderator": (200, 200, 200),
    "responder": (200, 200, 403),
    "head": (200, 200, 200),
    "platform_moderator": (200, 200, 200),
}


@pytest.mark.parametrize("role", ROLES)
def test_who_opens_the_workspace_pages(client, people, agency_with_staff, blog, role):
    slug = agency_with_staff.agency.slug
    urls = (
        en("blogs:workspace"),
        en("blogs:work_queue", agency=slug),
        en("blogs:moderation_queue", agency=slug),
    )
    client = client_for(client, people[role])
    for url, expected in zip(urls, PAGE_ACCESS[role], strict=True):
        response = client.get(url)
        if expected == "login":
            assert _is_login_redirect(response), url
        else:
            assert response.status_code == expected, (url, role)
        if expected == 403:
            assert "You cannot do this" in response.content.decode()


def test_a_person_outside_every_agency_is_told_why(client, people):
    client.force_login(people["citizen"])
    response = client.get(en("blogs:workspace"))
    assert response.status_code == 403
    assert "not a member of any agency" in response.content.decode()


def test_unknown_agency_is_404(client, people):
    client.force_login(people["head"])
    assert client.get(en("blogs:work_queue", agency="no-such-agency")).status_code == 404
    assert client.get(en("blogs:moderation_queue", agency="no-such-agency")).status_code == 404


def test_home_lists_own_agencies_with_counts_and_links(
    client, blog, asker, agency_with_staff, other_agency
):
    staff = agency_with_staff
    submit(blog, asker, title="Waiting for moderation")
    published(blog, asker, staff, when=at(2026, 3, 2), title="Overdue one")
    published(blog, asker, staff, when=at(2026, 3, 18), title="Due soon one")
    published(blog, asker, staff, when=at(2026, 4, 1), title="Fresh one")
    client.force_login(staff.moderator)
    with time_machine.travel(at(2026, 4, 9, 12), tick=False):
        response = client.get(en("blogs:workspace"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ministry of Justice" in html
    assert "Supreme Court" not in html  # not their agency
    counts = dict(re.findall(r"<dt>(?:<span[^>]*>)?([^<]+)(?:</span>)?</dt><dd>(\d+)</dd>", html))
    assert counts == {
        "Awaiting moderation": "1",
        "Awaiting an answer": "3",
        "Overdue now": "1",
        "Due soon": "1",
    }
    assert en("blogs:work_queue", agency=staff.agency.slug) in html
    assert en("blogs:moderation_queue", agency=staff.agency.slug) in html

    # A responder has no moderation link, only the work queue.
    client.force_login(staff.responder)
    html = client.get(en("blogs:workspace")).content.decode()
    assert en("blogs:work_queue", agency=staff.agency.slug) in html
    assert en("blogs:moderation_queue", agency=staff.agency.slug) not in html


def test_platform_moderators_see_every_agency_with_a_blog(client, blog, people, other_agency):
    client.force_login(people["platform_moderator"])
    html = client.get(en("blogs:workspace")).content.decode()
    assert "Ministry of Justice" in html  # has a blog
    assert "Supreme Court" not in html  # neither a blog nor questions


def _queries(client, url: str, **params) -> int:
    """Queries of one page view (the page was viewed once before: session, calendar and
    Wagtail's site are warm)."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


# The site's chrome (session, user, menus, footer, notifications bell) costs about 14
# queries on its own; what a workspace page adds must stay under the rest, whatever the
# number of rows.
PAGE_QUERY_LIMIT = 24


def test_home_queries_are_bounded(client, people, asker, django_assert_max_num_queries):
    owner = UserFactory()

    def add_agencies(start: int, stop: int) -> None:
        for number in range(start, stop):
            blog = make_blog(AgencyFactory(), owner, title=f"Blog {number}", slug=f"b-{number}")
            submit(blog, asker, title=f"Question {number}")

    add_agencies(0, 2)
    client.force_login(people["platform_moderator"])
    url = en("blogs:workspace")
    client.get(url)
    few = _queries(client, url)
    add_agencies(2, 12)
    with django_assert_max_num_queries(PAGE_QUERY_LIMIT):
        response = client.get(url)
    assert _queries(client, url) == few
    assert response.content.decode().count("Awaiting moderation") == 12


# --- Actions: who may use them ---------------------------------------------------------------

ACTION_ACCESS = {
    # role: who succeeds (redirect) or is refused (403); anonymous goes to sign in
    "publish": {"moderator", "head", "platform_moderator"},
    "reject": {"moderator", "head", "platform_moderator"},
    "answer": {"responder", "head"},
    "extend": {"responder", "head"},
    "redirect": {"responder", "head"},
}


def _action_data(action: str, other_agency) -> dict:
    return {
        "publish": {},
        "reject": {"reason": "not_a_question"},
        "answer": {"text": "The court reopens on 1 June.", "is_final": "on"},
        "extend": {"new_due_date": "2026-05-10", "reason": "Waiting for the court's report."},
        "redirect": {"to_agency": str(other_agency.pk), "reason": "Courts are not ours."},
    }[action]


@pytest.mark.parametrize("action", sorted(ACTION_ACCESS))
@pytest.mark.parametrize("role", ROLES)
def test_who_may_act(client, people, blog, asker, agency_with_staff, other_agency, action, role):
    with time_machine.travel(at(2026, 3, 18, 11), tick=False):
        if action in ("publish", "reject"):
            question = submit(blog, asker)
        else:
            question = published(blog, asker, agency_with_staff)
    url = en(f"blogs:question_{action}", pk=question.pk)
    with time_machine.travel(at(2026, 3, 20, 11), tick=False):
        response = client_for(client, people[role]).post(url, _action_data(action, other_agency))
    if role == "anonymous":
        assert _is_login_redirect(response)
    elif role in ACTION_ACCESS[action]:
        assert response.status_code == 302, response.content.decode()[:2000]
    else:
        assert response.status_code == 403
    question.refresh_from_db()
    changed = {
        "publish": question.state == "published",
        "reject": question.state == "rejected",
        "answer": question.answers.exists(),
        "extend": bool(question.obligation and question.obligation.extended_due_at),
        "redirect": question.agency_id == other_agency.pk,
    }[action]
    assert changed == (role in ACTION_ACCESS[action])


@pytest.mark.parametrize("action", sorted(ACTION_ACCESS))
def test_actions_are_post_only_and_404_for_a_missing_question(client, people, action):
    client.force_login(people["head"])
    assert client.get(en(f"blogs:question_{action}", pk=1)).status_code == 405
    assert client.post(en(f"blogs:question_{action}", pk=999999), {}).status_code == 404


# --- Actions: what they do -------------------------------------------------------------------


def test_publish_goes_back_to_a_safe_next_only(client, blog, asker, agency_with_staff):
    client.force_login(agency_with_staff.moderator)
    first, second = submit(blog, asker, title="First"), submit(blog, asker, title="Second")
    queue = en("blogs:moderation_queue", agency=agency_with_staff.agency.slug)
    response = client.post(en("blogs:question_publish", pk=first.pk), {"next": queue})
    assert response["Location"] == queue
    response = client.post(
        en("blogs:question_publish", pk=second.pk), {"next": "https://evil.example/"}
    )
    assert response["Location"] == en("blogs:question_detail", pk=second.pk)
    first.refresh_from_db()
    assert first.state == "published" and first.obligation_id
    assert first.moderated_by == agency_with_staff.moderator
    page = client.get(response["Location"])
    assert "The question was published" in page.content.decode()


def test_publishing_twice_says_it_was_already_moderated(client, blog, asker, agency_with_staff):
    question = submit(blog, asker)
    client.force_login(agency_with_staff.moderator)
    client.post(en("blogs:question_publish", pk=question.pk))
    response = client.post(en("blogs:question_publish", pk=question.pk))
    assert response.status_code == 403
    assert "already been moderated" in response.content.decode()


def test_reject_as_duplicate_needs_the_number_and_keeps_the_reason(
    client, blog, asker, agency_with_staff
):
    original = published(blog, asker, agency_with_staff, title="Original")
    question = submit(blog, asker, title="Repeat")
    client.force_login(agency_with_staff.moderator)
    url = en("blogs:question_reject", pk=question.pk)
    response = client.post(url, {"reason": "duplicate", "next": "/en/somewhere/"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Give the number of the published question this one repeats." in html
    assert '<option value="duplicate" selected>' in html
    assert 'name="next" value="/en/somewhere/"' in html
    assert 'aria-invalid="true"' in html and 'id="reject-duplicate_of_error"' in html
    assert Question.objects.get(pk=question.pk).state == "submitted"

    response = client.post(url, {"reason": "duplicate", "duplicate_of": "999999"})
    assert "There is no question number 999999." in response.content.decode()

    # The service's own refusal (not a published question) also lands next to the field.
    response = client.post(url, {"reason": "duplicate", "duplicate_of": str(question.pk)})
    assert "Name the published question this one repeats." in response.content.decode()

    response = client.post(url, {"reason": "duplicate", "duplicate_of": str(original.pk)})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.state == "rejected"
    assert question.rejection_reason == "duplicate"
    assert question.duplicate_of == original


def test_interim_then_final_answer_with_a_file(client, blog, asker, agency_with_staff):
    question = published(blog, asker, agency_with_staff)
    client.force_login(agency_with_staff.responder)
    url = en("blogs:question_answer", pk=question.pk)
    response = client.post(url, {"text": "We asked the court.", "attachments": [pdf()]})
    assert response.status_code == 302
    obligation = Obligation.objects.get(pk=question.obligation_id)
    assert obligation.first_response_at and not obligation.answered_at
    interim = Answer.objects.get(question=question)
    assert not interim.is_final
    assert [a.name for a in Attachment.objects.filter(answer=interim)] == ["report.pdf"]

    response = client.post(url, {"text": "It reopens on 1 June.", "is_final": "on"})
    assert response.status_code == 302
    obligation.refresh_from_db()
    assert obligation.answered_at
    assert question.answers.filter(is_final=True).count() == 1


def test_answer_errors_keep_what_was_typed(client, blog, asker, agency_with_staff):
    question = published(blog, asker, agency_with_staff)
    client.force_login(agency_with_staff.responder)
    url = en("blogs:question_answer", pk=question.pk)
    bad_file = SimpleUploadedFile("virus.pdf", b"MZ not a pdf at all")
    response = client.post(
        url, {"text": "A long and careful answer.", "is_final": "on", "attachments": [bad_file]}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "virus.pdf is not a PDF, DOCX, JPEG or PNG file." in html
    assert "A long and careful answer." in html
    assert re.search(r'<input type="checkbox" name="is_final"[^>]*checked', html)
    assert "choose them again" in html
    assert 'enctype="multipart/form-data"' in html
    assert not question.answers.exists()

    response = client.post(url, {"text": "   ", "is_final": "on"})
    assert "This field is required." in response.content.decode()


def test_an_answer_refused_because_a_colleague_answered_first_is_not_lost(
    client, blog, asker, agency_with_staff
):
    staff = agency_with_staff
    question = published(blog, asker, staff)
    services.question_answer(question=question, responder=staff.head, text="Done", is_final=True)
    client.force_login(staff.responder)
    response = client.post(
        en("blogs:question_answer", pk=question.pk), {"text": "My long and careful answer."}
    )
    html = response.content.decode()
    assert response.status_code == 403
    assert "This question is not awaiting an answer." in html
    assert "My long and careful answer." in html
    assert "Publish the answer</button>" not in html
    assert question.answers.count() == 1

    # Someone outside every agency gets the bare refusal: nothing of an unpublished question.
    pending = submit(blog, asker, title="Not public yet", text="Secret details.")
    client.force_login(UserFactory())
    response = client.post(
        en("blogs:question_reject", pk=pending.pk), {"reason": "abusive", "duplicate_of": "3"}
    )
    assert response.status_code == 403
    assert "Secret details." not in response.content.decode()
    assert "Not public yet" not in response.content.decode()


def test_extend_past_the_cap_shows_trackings_message(client, blog, asker, agency_with_staff):
    question = published(blog, asker, agency_with_staff, when=at(2026, 3, 18, 11))
    client.force_login(agency_with_staff.head)
    url = en("blogs:question_extend", pk=question.pk)
    reason = "We wait for the technical report of the court."
    with time_machine.travel(at(2026, 4, 1, 10), tick=False):
        response = client.post(url, {"new_due_date": "2026-05-19", "reason": reason})
        html = response.content.decode()
        assert response.status_code == 200
        assert "The deadline can be extended to 2026-05-18 at the latest." in html
        assert reason in html
        assert 'value="2026-05-19"' in html
        assert 'id="extend-new_due_date_error"' in html
        # The form says the limit before anyone tries.
        assert 'max="2026-05-18"' in html and "May 18, 2026" in html

        response = client.post(url, {"new_due_date": "2026-04-10", "reason": reason})
        assert "The new date must be after the current due date" in response.content.decode()

        response = client.post(url, {"new_due_date": "2026-05-18", "reason": reason})
    assert response.status_code == 302
    obligation = Obligation.objects.get(pk=question.obligation_id)
    assert local_date(obligation.extended_due_at) == datetime.date(2026, 5, 18)
    assert obligation.extension_reason == reason


def test_redirect_moves_the_question_between_work_queues(
    client, blog, asker, agency_with_staff, other_agency
):
    staff = agency_with_staff
    question = published(blog, asker, staff, when=at(2026, 3, 18, 11), title="About courts")
    ours = en("blogs:work_queue", agency=staff.agency.slug)
    theirs = en("blogs:work_queue", agency=other_agency.slug)
    client.force_login(staff.responder)
    with time_machine.travel(at(2026, 3, 20, 11), tick=False):
        assert "About courts" in client.get(ours).content.decode()
        # Without a reason: nothing changes, the choice of agency stays.
        response = client.post(
            en("blogs:question_redirect", pk=question.pk), {"to_agency": other_agency.pk}
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert f'<option value="{other_agency.pk}" selected>' in html
        assert "must be redirected by March 26, 2026" in html
        response = client.post(
            en("blogs:question_redirect", pk=question.pk),
            {"to_agency": other_agency.pk, "reason": "The courts answer for themselves."},
        )
        assert response.status_code == 302
        assert response["Location"] == ours  # no `next`: back to the queue it left
        assert "About courts" not in client.get(ours).content.decode()
        client.force_login(other_agency.responder)
        html = client.get(theirs).content.decode()
    assert "About courts" in html
    assert "Redirected here" in html
    question.refresh_from_db()
    assert question.agency == other_agency


def test_redirect_after_the_window_is_refused_with_a_reason(
    client, blog, asker, agency_with_staff, other_agency
):
    question = published(blog, asker, agency_with_staff, when=at(2026, 3, 18, 11))
    client.force_login(agency_with_staff.responder)
    with time_machine.travel(at(2026, 3, 27, 9), tick=False):
        response = client.post(
            en("blogs:question_redirect", pk=question.pk),
            {"to_agency": other_agency.pk, "reason": "late"},
        )
    assert response.status_code == 403
    assert "within the redirect period" in response.content.decode()


def test_the_redirect_choices_exclude_the_current_agency(
    client, blog, asker, agency_with_staff, other_agency
):
    retired = AgencyFactory(name_en="Abolished Agency", is_active=False)
    question = published(blog, asker, agency_with_staff)
    form = workspace.RedirectForm(question=question)
    agencies = list(form.fields["to_agency"].queryset)
    assert other_agency in agencies
    assert agency_with_staff.agency not in agencies
    assert retired not in agencies


# --- The work queue --------------------------------------------------------------------------


def test_work_queue_order_flags_and_working_days(client, blog, asker, agency_with_staff):
    staff = agency_with_staff
    published(blog, asker, staff, when=at(2026, 3, 2), title="Old")  # due 27 March
    published(blog, asker, staff, when=at(2026, 4, 1), title="Recent")
    published(blog, asker, staff, when=at(2026, 3, 18), title="Middle")  # due 13 April
    client.force_login(staff.responder)
    with time_machine.travel(at(2026, 4, 9, 12), tick=False):
        response = client.get(en("blogs:work_queue", agency=staff.agency.slug))
    html = response.content.decode()
    assert response.status_code == 200
    titles = re.findall(r'id="queue-\d+-link">#\d+ (\w+)</a>', html)
    assert titles == ["Old", "Middle", "Recent"]
    rows = {
        title: row
        for row in html.split('<tr id="queue-')[1:]
        for title in re.findall(r'-link">#\d+ (\w+)<', row)
    }
    assert 'class="is-overdue"' in rows["Old"] and ">Overdue<" in rows["Old"]
    assert "Overdue by 9 working days"  # due Friday 27 March in rows["Old"]
    assert 'class="is-due-soon"' in rows["Middle"] and ">Due soon<" in rows["Middle"]
    assert "2 working days left" in rows["Middle"]
    assert "Overdue" not in rows["Recent"] and "Due soon" not in rows["Recent"]
    assert "Not yet acknowledged" in rows["Recent"]
    # Staff see who asked.
    assert "Asked by Dana Asker" in rows["Recent"]


def test_work_queue_filters(client, blog, asker, agency_with_staff):
    staff = agency_with_staff
    published(blog, asker, staff, when=at(2026, 3, 2), title="Late", category="law")
    published(blog, asker, staff, when=at(2026, 4, 1), title="Health", category="health")
    second_blog = make_blog(staff.agency, staff.responder, title="Deputy's blog", slug="deputy")
    published(second_blog, asker, staff, when=at(2026, 4, 1), title="Deputy")
    client.force_login(staff.head)
    url = en("blogs:work_queue", agency=staff.agency.slug)

    def titles(**params) -> list[str]:
        with time_machine.travel(at(2026, 4, 9, 12), tick=False):
            html = client.get(url, params).content.decode()
        return re.findall(r'id="queue-\d+-link">#\d+ (\w+)</a>', html)

    assert titles() == ["Late", "Health", "Deputy"]
    assert titles(overdue="1") == ["Late"]
    assert titles(category="health") == ["Health"]
    assert titles(blog=str(second_blog.pk)) == ["Deputy"]
    assert titles(blog="not-a-number", category="nonsense") == ["Late", "Health", "Deputy"]


def test_work_queue_is_live_and_fragment_returns_only_the_rows(
    client, blog, asker, agency_with_staff
):
    staff = agency_with_staff
    published(blog, asker, staff, title="Live one", category="law")
    published(blog, asker, staff, title="Other one", category="health")
    client.force_login(staff.responder)
    url = en("blogs:work_queue", agency=staff.agency.slug)
    group = services.work_queue_group(staff.agency.pk)

    page = client.get(url).content.decode()
    assert f'data-live-groups="{group}"' in page
    assert "blogs/work_queue.js" in page
    assert 'data-updated-text="The work queue was updated"' in page
    assert 'id="live-region"' in page

    response = client.get(url, {"fragment": "rows", "category": "law"})
    fragment = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert "<html" not in fragment and "<h1" not in fragment and "<form" not in fragment
    assert "<tbody>" in fragment and "Live one" in fragment
    assert "Other one" not in fragment  # the page's filters apply
    assert "1 question awaits an answer." in fragment


def test_the_live_push_carries_only_the_question_id(
    client, blog, asker, agency_with_staff, monkeypatch, django_capture_on_commit_callbacks
):
    pushed = []
    monkeypatch.setattr(
        services,
        "live_push",
        lambda *, group, event, payload: pushed.append((group, event, payload)),
    )
    question = submit(blog, asker, name_hidden=True)
    client.force_login(agency_with_staff.moderator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(en("blogs:question_publish", pk=question.pk))
    assert pushed == [
        (
            services.work_queue_group(agency_with_staff.agency.pk),
            "blog_queue_changed",
            {"question": question.pk},
        )
    ]


def test_work_queue_queries_are_bounded(
    client, blog, agency_with_staff, django_assert_max_num_queries
):
    staff = agency_with_staff
    other = AgencyFactory()

    def add_questions(start: int, stop: int) -> None:
        for number in range(start, stop):
            question = published(blog, UserFactory(), staff, title=f"Question {number}")
            if number % 2:  # acknowledged
                services.question_answer(
                    question=question, responder=staff.responder, text="Looking", is_final=False
                )
            if number % 5 == 0:  # redirected here from another agency
                question.agency = question.obligation.agency = other
                question.save(update_fields=["agency"])
                question.obligation.save(update_fields=["agency"])
                services.question_redirect(
                    question=question, actor=other_staff, to_agency=staff.agency, reason="Yours"
                )

    other_staff = UserFactory()
    MembershipFactory(user=other_staff, agency=other, role="responder")
    add_questions(0, 5)
    client.force_login(staff.head)
    url = en("blogs:work_queue", agency=staff.agency.slug)
    client.get(url)
    few, few_rows = _queries(client, url), _queries(client, url, fragment="rows")
    add_questions(5, 25)
    with django_assert_max_num_queries(PAGE_QUERY_LIMIT):
        response = client.get(url)
    html = response.content.decode()
    assert html.count('<tr id="queue-') == 25
    assert html.count("Redirected here") == 5
    assert _queries(client, url) == few
    assert _queries(client, url, fragment="rows") == few_rows <= 10


def test_work_queue_paginates_by_fifty(client, blog, asker, agency_with_staff):
    staff = agency_with_staff
    for number in range(52):
        published(blog, asker, staff, title=f"Question {number}")
    client.force_login(staff.responder)
    url = en("blogs:work_queue", agency=staff.agency.slug)
    first = client.get(url).content.decode()
    assert first.count('<tr id="queue-') == 50
    assert "Page 1 of 2" in first
    second = client.get(url, {"page": "2"}).content.decode()
    assert second.count('<tr id="queue-') == 2


# --- The moderation queue --------------------------------------------------------------------


def test_moderation_queue_shows_everything_a_moderator_must_read(
    client, blog, asker, agency_with_staff
):
    staff = agency_with_staff
    with time_machine.travel(at(2026, 3, 2, 10), tick=False):
        old = submit(blog, asker, title="Old question", text="Full text of the old one.")
    with time_machine.travel(at(2026, 3, 5, 10), tick=False):
        hidden = submit(
            blog,
            UserFactory(display_name="Shy Citizen"),
            title="Shy question",
            name_hidden=True,
            attachments=[pdf("evidence.pdf")],
        )
    published(blog, asker, staff, title="Already published")
    client.force_login(staff.moderator)
    with time_machine.travel(at(2026, 3, 6, 12), tick=False):
        response = client.get(en("blogs:moderation_queue", agency=staff.agency.slug))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Old question") < html.index("Shy question")  # oldest first
    assert "Already published" not in html
    assert "Full text of the old one." in html
    old_block = html[
        html.index(f'id="question-{old.pk}"') : html.index(f'id="question-{hidden.pk}"')
    ]
    assert "Moderation overdue" in old_block
    shy_block = html[html.index(f'id="question-{hidden.pk}"') :]
    assert "Moderation overdue" not in shy_block
    assert "Shy Citizen" in shy_block and "name hidden from the public" in shy_block
    attachment = Attachment.objects.get(question=hidden)
    assert attachment.get_absolute_url() in shy_block and "evidence.pdf" in shy_block
    for name in ("question_publish", "question_reject"):
        assert en(f"blogs:{name}", pk=old.pk) in old_block
    assert 'name="duplicate_of"' in old_block and 'value="duplicate"' in old_block
    assert f'for="reject-{old.pk}-reason"' in old_block  # labelled, unique per question


def test_moderation_queue_queries_are_bounded(
    client, blog, agency_with_staff, django_assert_max_num_queries
):
    def add_questions(start: int, stop: int) -> None:
        for number in range(start, stop):
            files = [pdf()] if number % 2 else []
            submit(blog, UserFactory(), title=f"Question {number}", attachments=files)

    add_questions(0, 5)
    client.force_login(agency_with_staff.moderator)
    url = en("blogs:moderation_queue", agency=agency_with_staff.agency.slug)
    client.get(url)
    few = _queries(client, url)
    add_questions(5, 25)
    with django_assert_max_num_queries(PAGE_QUERY_LIMIT):
        response = client.get(url)
    assert response.content.decode().count('class="ws-question"') == workspace.MODERATION_PER_PAGE
    assert _queries(client, url) == few


# --- The question page's staff section -------------------------------------------------------


def _staff_context(person, question) -> dict:
    request = RequestFactory().get("/")
    request.user = person or AnonymousUser()
    fresh = Question.objects.select_related("blog", "agency", "asker", "obligation").get(
        pk=question.pk
    )
    with translation.override("en"):
        return workspace.staff_context(request, fresh)


def _forms(context: dict) -> set[str]:
    """The forms a staff context offers, by action."""
    names = {
        name
        for name in ("reject", "answer", "extend", "redirect")
        if context.get(f"staff_{name}_form") is not None
    }
    if context.get("staff_may_moderate"):
        names.add("publish")
    return names


STAFF_FORMS = {
    # role: (forms on a submitted question, forms on a published one)
    "anonymous": (set(), set()),
    "citizen": (set(), set()),
    "other_agency_staff": (set(), set()),
    "drafter": (set(), set()),
    "moderator": ({"publish", "reject"}, set()),
    "responder": (set(), {"answer", "extend", "redirect"}),
    "head": ({"publish", "reject"}, {"answer", "extend", "redirect"}),
    "platform_moderator": ({"publish", "reject"}, set()),
}


@pytest.mark.parametrize("role", ROLES)
def test_staff_context_offers_each_role_its_forms(people, blog, asker, agency_with_staff, role):
    with time_machine.travel(at(2026, 3, 18, 11), tick=False):
        submitted = submit(blog, asker, title="Submitted")
        live = published(blog, asker, agency_with_staff, title="Published")
    with time_machine.travel(at(2026, 3, 19, 11), tick=False):
        on_submitted = _staff_context(people[role], submitted)
        on_published = _staff_context(people[role], live)
    expected_submitted, expected_published = STAFF_FORMS[role]
    for context, expected in (
        (on_submitted, expected_submitted),
        (on_published, expected_published),
    ):
        if expected:
            assert context["staff_actions"] is True
            assert _forms(context) == expected
        else:
            assert context == {}


def test_staff_context_follows_the_state(blog, asker, agency_with_staff):
    """After the window and once extended, only the answer form is left; answered: none."""
    question = published(blog, asker, agency_with_staff, when=at(2026, 3, 18, 11))
    head = agency_with_staff.head
    with time_machine.travel(at(2026, 4, 1, 10), tick=False):
        services.question_extend(
            question=question, actor=head, new_due_date=datetime.date(2026, 5, 1), reason="r"
        )
        assert _forms(_staff_context(head, question)) == {"answer"}
        services.question_answer(question=question, responder=head, text="Done", is_final=True)
        assert _staff_context(head, question) == {}


def test_staff_context_for_a_superuser_follows_the_rules(blog, asker, agency_with_staff):
    boss = UserFactory(is_superuser=True, is_staff=True)
    submitted = submit(blog, asker, title="Submitted")
    assert _forms(_staff_context(boss, submitted)) == {"publish", "reject"}
    question = published(blog, asker, agency_with_staff, title="Answered")
    services.question_answer(
        question=question, responder=agency_with_staff.head, text="Done", is_final=True
    )
    assert _staff_context(boss, question) == {}


def test_staff_context_queries_are_few(
    blog, asker, agency_with_staff, django_assert_max_num_queries
):
    question = published(blog, asker, agency_with_staff)
    fresh = Question.objects.select_related("blog", "agency", "asker", "obligation").get(
        pk=question.pk
    )
    request = RequestFactory().get("/")
    request.user = UserFactory._meta.model.objects.get(pk=agency_with_staff.head.pk)
    from django.template.loader import render_to_string

    with django_assert_max_num_queries(4):  # memberships, groups, the agencies to redirect to
        context = workspace.staff_context(request, fresh)
        html = render_to_string(
            "blogs/includes/question_staff_actions.html",
            {**context, "question": fresh},
            request=request,
        )
    assert 'enctype="multipart/form-data"' in html
    assert f'name="next" value="{question.get_absolute_url()}"' in html
    assert asker.public_name not in html  # the question page never names the asker here
    for action in ("answer", "extend", "redirect", "publish"):
        assert (reverse(f"blogs:question_{action}", kwargs={"pk": question.pk}) in html) == (
            action != "publish"
        )
    for label in ('for="answer-text"', 'for="answer-is_final"', 'for="extend-new_due_date"'):
        assert label in html


def test_work_queue_link_for_the_user_menu(people):
    request = RequestFactory().get("/")
    for role, expected in (
        ("citizen", False),
        ("drafter", True),
        ("other_agency_staff", True),
        ("platform_moderator", True),
    ):
        request.user = UserFactory._meta.model.objects.get(pk=people[role].pk)
        assert bool(workspace.workspace_nav(request)["blogs_workspace_link"]) is expected, role
    request.user = AnonymousUser()
    assert workspace.workspace_nav(request) == {"blogs_workspace_link": False}
