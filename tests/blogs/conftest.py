"""Fixtures of the blog tests: a blog index under the kk home page, the head's blog for
the Ministry of Justice (agency_with_staff), and helpers to bring questions to a state."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from blogs import services
from blogs.models import BlogIndexPage, BlogPage, Question
from tests.factories import UserFactory, home_page, publish

ALMATY = ZoneInfo("Asia/Almaty")


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """An aware datetime in Astana time."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=ALMATY)


def make_blog(agency, owner, *, title: str = "Blog", slug: str = "blog") -> BlogPage:
    index = BlogIndexPage.objects.first()
    if index is None:
        index = BlogIndexPage(title="Blogs", slug="blogs")
        home_page("kk").add_child(instance=index)
        index = publish(index)
    blog = BlogPage(title=title, slug=slug, owner_user=owner, agency=agency)
    index.add_child(instance=blog)
    return publish(blog)


@pytest.fixture
def blog(agency_with_staff) -> BlogPage:
    return make_blog(agency_with_staff.agency, agency_with_staff.head, title="Minister's blog")


@pytest.fixture
def asker(db):
    return UserFactory(email="asker@example.kz", display_name="Dana Asker")


def submit(blog, asker, **fields) -> Question:
    fields.setdefault("title", "When will the court building reopen?")
    fields.setdefault("text", "The district court has been closed for repairs since May.")
    return services.question_submit(blog=blog, asker=asker, **fields)


def published(blog, asker, staff, *, when: datetime.datetime | None = None, **fields) -> Question:
    """A question submitted and published (at `when`, Astana time, if given)."""
    if when is None:
        question = submit(blog, asker, **fields)
        return services.question_publish(question=question, actor=staff.moderator)
    with time_machine.travel(when, tick=False):
        question = submit(blog, asker, **fields)
        return services.question_publish(question=question, actor=staff.moderator)


def answered(blog, asker, staff, **fields) -> Question:
    question = published(blog, asker, staff, **fields)
    services.question_answer(
        question=question, responder=staff.responder, text="It reopens in June.", is_final=True
    )
    return question
