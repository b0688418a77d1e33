"""The work queue and the blog statistics: contents, order, and bounded queries."""

from __future__ import annotations

import pytest
import time_machine

from blogs import selectors, services
from tests.factories import UserFactory
from tests.search.conftest import committed

from .conftest import at, published, submit

pytestmark = pytest.mark.django_db


def test_work_queue_sorted_by_due_date_with_overdue_and_due_soon(blog, asker, agency_with_staff):
    staff = agency_with_staff
    old = published(blog, asker, staff, when=at(2026, 3, 2), title="Old")  # due 2026-03-24-ish
    recent = published(blog, asker, staff, when=at(2026, 4, 1), title="Recent")
    middle = published(blog, asker, staff, when=at(2026, 3, 18), title="Middle")  # due 13 April
    done = published(blog, asker, staff, when=at(2026, 3, 18), title="Done")
    with time_machine.travel(at(2026, 4, 9, 12), tick=False):
        services.question_answer(question=done, responder=staff.responder, text="x", is_final=True)
        rows = list(selectors.work_queue(agency=staff.agency))
    assert [row.title for row in rows] == [old.title, middle.title, recent.title]
    flags = {row.title: (row.is_overdue, row.is_due_soon) for row in rows}
    assert flags == {"Old": (True, False), "Middle": (False, True), "Recent": (False, False)}


@pytest.mark.parametrize("count", [5, 20])
def test_work_queue_query_count_does_not_grow(
    blog, asker, agency_with_staff, count, django_assert_max_num_queries
):
    for number in range(count):
        published(blog, asker, agency_with_staff, title=f"Question {number}")
    with django_assert_max_num_queries(2):  # the calendar's year, then the rows
        rows = list(selectors.work_queue(agency=agency_with_staff.agency))
        assert all(row.obligation.due_at and row.blog.title for row in rows)
        assert len({row.asker.pk for row in rows}) == 1
    assert len(rows) == count


def test_blog_statistics(blog, asker, agency_with_staff):
    staff = agency_with_staff
    on_time = published(blog, asker, staff, when=at(2026, 3, 18), title="On time")
    late = published(blog, asker, staff, when=at(2026, 3, 2), title="Late")
    published(blog, asker, staff, when=at(2026, 3, 18), title="Overdue")
    published(blog, asker, staff, when=at(2026, 4, 20), title="Open")
    with time_machine.travel(at(2026, 3, 20, 10), tick=False):
        services.question_answer(question=on_time, responder=staff.head, text="x", is_final=True)
    with time_machine.travel(at(2026, 4, 15, 10), tick=False):
        services.question_answer(question=late, responder=staff.head, text="x", is_final=True)
    services.question_rate(question=on_time, asker=asker, verdict="satisfied")
    services.question_rate(question=late, asker=asker, verdict="brush_off")
    stats = selectors.blog_statistics(blog=blog, now=at(2026, 4, 21, 10))
    assert stats.received == 4
    assert stats.answered == 2
    assert stats.answered_on_time == 1
    assert stats.overdue == 1
    # 18 -> 20 March: 2 working days; 2 March -> 15 April: 28 working days (holidays skipped).
    assert stats.median_days_to_answer == pytest.approx(15)
    assert stats.satisfied_share == 0.5
    assert stats.brush_off_share == 0.5


@pytest.mark.parametrize("count", [4, 12])
def test_blog_statistics_queries_are_bounded(
    blog, agency_with_staff, count, django_assert_max_num_queries
):
    for number in range(count):
        asker = UserFactory()
        question = published(blog, asker, agency_with_staff, title=f"Q{number}")
        services.question_answer(
            question=question, responder=agency_with_staff.head, text="x", is_final=True
        )
        services.question_rate(question=question, asker=asker, verdict="not_satisfied")
    with django_assert_max_num_queries(4):
        stats = selectors.blog_statistics(blog=blog)
    assert stats.answered == count
    assert stats.satisfied_share == 0.0


def test_moderation_queue_marks_questions_past_the_moderation_period(
    blog, asker, agency_with_staff, settings
):
    """Three working days (the default): submitted Wednesday 18 March 2026, the period ends
    on Thursday 26 March (Nauryz days off do not count)."""
    with time_machine.travel(at(2026, 3, 18, 11), tick=False):
        early = submit(blog, asker, title="Early")
    with time_machine.travel(at(2026, 3, 20, 11), tick=False):
        later = submit(blog, asker, title="Later")
    on_26 = {
        q.title: q.is_late
        for q in selectors.moderation_queue(
            agency=agency_with_staff.agency, now=at(2026, 3, 26, 18)
        )
    }
    assert on_26 == {"Early": False, "Later": False}
    on_27 = {
        q.title: q.is_late
        for q in selectors.moderation_queue(agency=agency_with_staff.agency, now=at(2026, 3, 27, 9))
    }
    assert on_27 == {"Early": True, "Later": False}
    settings.BLOGS_MODERATION_WORKING_DAYS = 1
    rows = list(selectors.moderation_queue(agency=agency_with_staff.agency, now=at(2026, 3, 27, 9)))
    assert [q.is_late for q in rows] == [True, True]
    services.question_publish(question=early, actor=agency_with_staff.moderator)
    assert [q.pk for q in selectors.moderation_queue(agency=agency_with_staff.agency)] == [later.pk]


def test_similar_answered_questions(blog, asker, agency_with_staff):
    """Found through the search index (tests/blogs/test_similar_search.py goes further)."""
    staff = agency_with_staff
    with committed():
        court = published(
            blog, asker, staff, title="When will the district court reopen?", text="Closed in May."
        )
        services.question_answer(question=court, responder=staff.head, text="June", is_final=True)
        roads = published(
            blog, asker, staff, title="Repair of the district roads", text="Potholes everywhere."
        )
        services.question_answer(question=roads, responder=staff.head, text="July", is_final=True)
        published(blog, asker, staff, title="Unanswered district court question")
    found = selectors.similar_answered_questions(title="Court reopening in our district")
    assert found == [court, roads]
    assert selectors.similar_answered_questions(title="a b c") == []
    services.question_hide(question=court, reason="abuse", actor=staff.head)
    assert selectors.similar_answered_questions(title="district court") == [roads]
