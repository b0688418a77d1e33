"""A blog with 20,000 questions: the pages, the work queue, the API and the statistics
cost a fixed number of queries, and stay fast on SQLite.

The data is written with `bulk_create` (the services would take minutes), shaped as the
services leave it: obligations of kind `blog_question` with the 15-working-day due date,
final answers that fulfil them (some late), ratings on some, a few questions hidden,
submitted or rejected. Built once for the module inside a transaction rolled back at the
end (each test's own changes roll back to a savepoint first). Building takes about 15
seconds on SQLite and the requests a few more; no test asserts a time (shared CI machines
vary too much), `Scale.seconds` keeps the build's for a look with `-s`.

Budgets: a page that fetched something per row would need at least a page's worth of
queries (20 questions, 50 in the work queue and the API), so each budget sits below that
and above what the view needs today, with a little room.
"""

from __future__ import annotations

import datetime
import itertools
import time
from dataclasses import dataclass

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import CharField, OuterRef, Subquery
from django.db.models.functions import Cast
from django.utils import timezone

from accounts.models import Agency, Membership, User
from blogs import selectors, services
from blogs.models import (
    Answer,
    BlogPage,
    Question,
    QuestionCategory,
    QuestionState,
    Rating,
    RatingVerdict,
    RejectionReason,
)
from tests.factories import AgencyFactory, MembershipFactory, UserFactory
from tracking import calendar
from tracking.models import Obligation

from .conftest import make_blog

QUESTIONS = 20_000
ASKERS = 400
DEADLINE_WORKING_DAYS = 15

# Measured when written: 26, 20, 23, 4 and 3 queries (Wagtail's routing and the site's
# frame are most of a page's). Room for a few more, never for one per row.
BUDGET_BLOG_PAGE = 30  # 10 latest questions: one per row would be 36
BUDGET_QUESTION_LIST = 24  # 20 a page: 40
BUDGET_WORK_QUEUE = 30  # 50 a page: 73
BUDGET_API = 6  # 50 a page: 54
BUDGET_STATISTICS = 4  # as documented for blogs.selectors.blog_statistics


@dataclass
class Scale:
    blog: BlogPage
    agency: Agency
    responder: User
    seconds: float


def _build(now: datetime.datetime) -> Scale:
    started = time.monotonic()
    agency = AgencyFactory(slug="scale-agency")
    head = UserFactory(email="head@scale.kz")
    responder = UserFactory(email="responder@scale.kz", display_name="Responder")
    MembershipFactory(agency=agency, user=head, role=Membership.Role.HEAD)
    MembershipFactory(agency=agency, user=responder, role=Membership.Role.RESPONDER)
    blog = make_blog(agency, head, title="A busy blog", slug="busy")

    askers = User.objects.bulk_create(
        User(email=f"asker{n}@scale.kz", display_name=f"Asker {n}", password="!")
        for n in range(ASKERS)
    )
    working = calendar.WorkingCalendar()
    due_on: dict[datetime.date, datetime.datetime] = {}

    def due_from(opened: datetime.datetime) -> datetime.datetime:
        day = calendar.local_date(opened)
        if day not in due_on:
            due_on[day] = calendar.end_of_day(working.add_working_days(day, DEADLINE_WORKING_DAYS))
        return due_on[day]

    categories = itertools.cycle(QuestionCategory.values)
    verdicts = itertools.cycle(RatingVerdict.values)
    rows = []  # (question fields, obligation or None, answered_at or None)
    for n in range(QUESTIONS):
        published_at = now - datetime.timedelta(days=n % 420, hours=n % 9, minutes=n % 50)
        fields = {
            "blog": blog,
            "agency": agency,
            "asker": askers[n % ASKERS],
            "title": f"Question {n} about public services",
            "text": "What is being done, and when?",
            "category": next(categories),
            "name_hidden": n % 11 == 0,
            "submitted_at": published_at - datetime.timedelta(hours=2),
            "support_count": n % 7,
        }
        if n % 20 == 0:
            rows.append(({**fields, "state": QuestionState.SUBMITTED}, None, None))
            continue
        if n % 20 == 1:
            fields.update(
                state=QuestionState.REJECTED,
                rejected_at=published_at,
                rejection_reason=RejectionReason.NOT_A_QUESTION,
            )
            rows.append((fields, None, None))
            continue
        fields.update(state=QuestionState.PUBLISHED, published_at=published_at)
        if n % 97 == 0:
            fields.update(hidden_at=published_at, hidden_reason="spam")
        due_at = due_from(published_at)
        answered_at = None
        if n % 5 < 3:  # three in five answered, within 0 to 34 days: some late
            answered_at = published_at + datetime.timedelta(days=n % 35, hours=1)
            if answered_at > now:
                answered_at = None
        obligation = Obligation(
            object_id="",
            agency=agency,
            kind=services.OBLIGATION_KIND,
            opened_at=published_at,
            clock_started_at=published_at,
            due_at=due_at,
            original_due_at=due_at,
            first_response_at=answered_at,
            answered_at=answered_at,
        )
        rows.append((fields, obligation, answered_at))

    content_type = ContentType.objects.get_for_model(Question)
    obligations = [obligation for _fields, obligation, _at in rows if obligation is not None]
    for obligation in obligations:
        obligation.content_type = content_type
    Obligation.objects.bulk_create(obligations, batch_size=2000)
    questions = Question.objects.bulk_create(
        (Question(obligation=obligation, **fields) for fields, obligation, _at in rows),
        batch_size=2000,
    )
    # The obligation's subject, now that the questions have their ids: one UPDATE.
    Obligation.objects.filter(kind=services.OBLIGATION_KIND, object_id="").update(
        object_id=Cast(
            Subquery(Question.objects.filter(obligation=OuterRef("pk")).values("pk")[:1]),
            CharField(),
        )
    )

    answers, ratings = [], []
    for question, (_fields, _obligation, answered_at) in zip(questions, rows, strict=True):
        if answered_at is None:
            continue
        answers.append(
            Answer(
                question=question,
                agency=agency,
                responder=responder,
                responder_name="Responder",
                position_en="Chief expert",
                text="Here is the answer.",
                is_final=True,
                created_at=answered_at,
            )
        )
        if question.pk % 3 == 0:
            ratings.append(
                Rating(
                    question=question,
                    asker_id=question.asker_id,
                    verdict=next(verdicts),
                    created_at=answered_at + datetime.timedelta(hours=2),
                )
            )
    Answer.objects.bulk_create(answers, batch_size=2000)
    Rating.objects.bulk_create(ratings, batch_size=2000)
    return Scale(blog=blog, agency=agency, responder=responder, seconds=time.monotonic() - started)


@pytest.fixture(scope="module")
def scale(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield _build(timezone.now())
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def busy(scale, db) -> Scale:
    return scale


def test_the_data_is_there(busy):
    assert Question.objects.filter(blog=busy.blog).count() == QUESTIONS
    obligations = Obligation.objects.filter(kind=services.OBLIGATION_KIND)
    assert obligations.count() == Question.objects.published().count()
    assert obligations.overdue().exists() and obligations.answered_late().exists()
    assert not obligations.filter(object_id="").exists()


def test_blog_page(client, busy, django_assert_max_num_queries):
    url = busy.blog.url
    assert client.get(url).status_code == 200  # warm: the site's root paths, the calendar

    with django_assert_max_num_queries(BUDGET_BLOG_PAGE):
        response = client.get(url)

    assert response.status_code == 200


def test_question_list_filtered_and_paginated(client, busy, django_assert_max_num_queries):
    url = f"{busy.blog.url}questions/"
    query = {"status": "awaiting", "category": "health", "page": 3}
    assert client.get(url, query).status_code == 200

    with django_assert_max_num_queries(BUDGET_QUESTION_LIST):
        response = client.get(url, query)

    assert response.status_code == 200
    assert response.context["page_obj"].number == 3
    assert len(response.context["questions"]) == 20


def test_work_queue(client, busy, django_assert_max_num_queries):
    client.force_login(busy.responder)
    url = f"/en/questions/workspace/{busy.agency.slug}/queue/"
    assert client.get(url).status_code == 200

    with django_assert_max_num_queries(BUDGET_WORK_QUEUE):
        response = client.get(url)

    assert response.status_code == 200
    assert len(response.context["rows"]) == 50


def test_api_overdue_questions_of_the_blog(client, busy, django_assert_max_num_queries):
    query = {"blog": busy.blog.pk, "overdue": "1"}
    assert client.get("/api/v1/questions/", query).status_code == 200

    with django_assert_max_num_queries(BUDGET_API):
        response = client.get("/api/v1/questions/", query)

    assert response.status_code == 200
    data = response.json()
    assert data["count"] > 1000
    assert len(data["results"]) == 50


def test_blog_statistics(busy, django_assert_max_num_queries):
    selectors.blog_statistics(blog=busy.blog)  # warm the calendar's years

    with django_assert_max_num_queries(BUDGET_STATISTICS):
        stats = selectors.blog_statistics(blog=busy.blog)

    assert stats.received == Question.objects.published().count()
    assert 0 < stats.answered_on_time < stats.answered < stats.received
    assert stats.overdue > 0
    assert stats.ratings > 1000
