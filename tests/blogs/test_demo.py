"""`manage.py seed_demo` for the blogs: the index, three officials' blogs with posts in
kk/ru/en, and questions in every state of the workflow, made through the services at
past moments (blogs/demo.py). Seeded on the real calendar, whatever day the tests run."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from wagtail.models import GroupPagePermission, Page, Revision

from accounts.models import AuditEvent
from blogs import selectors
from blogs.authors import authors_group
from blogs.demo import BLOGS, QUESTIONS
from blogs.models import Answer, BlogIndexPage, BlogPage, BlogPostPage, Question, Rating, Support
from notifications.models import Notification
from tracking.models import Obligation, ObligationEvent, ObligationRedirect

pytestmark = pytest.mark.django_db

LANGUAGES = ("kk", "ru", "en")


def seed_demo() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker):
    """Seeding takes half a minute: done once for the module, inside a transaction that
    is rolled back after its last test (each test's own changes roll back to a savepoint
    first). Notifications, sent after commit, are therefore not made here."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield seed_demo()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def seeded(seeded_once, db) -> str:
    return seeded_once


def question(title: str) -> Question:
    return Question.objects.select_related("obligation", "agency", "blog").get(title=title)


def test_every_state_of_the_workflow_is_there(seeded):
    submitted = Question.objects.filter(state=Question.State.SUBMITTED)
    assert submitted.count() >= 2
    digital = BlogPage.objects.get(slug="digital-minister", locale__language_code="kk").agency
    assert any(row.is_late for row in selectors.moderation_queue(agency=digital))

    rejected = Question.objects.filter(state=Question.State.REJECTED)
    assert not rejected.filter(rejection_reason="").exists()
    duplicate = rejected.get(rejection_reason="duplicate")
    assert duplicate.duplicate_of.state == Question.State.PUBLISHED

    obligations = Obligation.objects.filter(kind="blog_question")
    assert obligations.count() == Question.objects.published().count()
    assert obligations.overdue().exists()
    assert obligations.due_soon().exists()
    assert obligations.answered_on_time().exists()
    assert obligations.answered_late().exists()
    assert obligations.filter(extended_due_at__isnull=False).exclude(extension_reason="").exists()
    assert obligations.open().filter(first_response_at__isnull=False).exists()
    assert Answer.objects.filter(is_final=False).exists()
    assert set(Rating.objects.values_list("verdict", flat=True)) == {
        "satisfied",
        "not_satisfied",
        "brush_off",
    }

    redirect = ObligationRedirect.objects.get()
    moved = Question.objects.get(obligation=redirect.obligation)
    assert moved.agency == redirect.to_agency != moved.blog.agency

    assert Question.objects.published().filter(name_hidden=True).exists()
    assert Question.objects.published().filter(hidden_at__isnull=False).exists()
    assert Question.objects.filter(support_count__gt=0).count() >= 2
    assert Support.objects.count() == sum(Question.objects.values_list("support_count", flat=True))


def test_each_question_is_in_the_state_it_demonstrates(seeded):
    for spec in QUESTIONS:
        row = question(spec.title)
        obligation = row.obligation
        status = obligation.status() if obligation else None
        for tag in spec.tags:
            assert {
                "submitted": lambda: row.state == Question.State.SUBMITTED,
                "late_moderation": lambda: row.state == Question.State.SUBMITTED,
                "rejected": lambda: row.state == Question.State.REJECTED,
                "duplicate": lambda: row.duplicate_of_id is not None,
                "published_fresh": lambda: status == "open",
                "awaiting": lambda: status == "open",
                "due_soon": lambda: Obligation.objects.due_soon().filter(pk=obligation.pk),
                "overdue": lambda: status == "overdue",
                "acknowledged": lambda: status == "open" and obligation.first_response_at,
                "interim": lambda: row.answers.filter(is_final=False).exists(),
                "extended": lambda: status == "open" and obligation.is_extended,
                "redirected": lambda: status == "open" and obligation.redirects.exists(),
                "answered_on_time": lambda: status == "answered_on_time",
                "answered_late": lambda: status == "answered_late",
                "satisfied": lambda: row.rating.verdict == "satisfied",
                "not_satisfied": lambda: row.rating.verdict == "not_satisfied",
                "brush_off": lambda: row.rating.verdict == "brush_off",
                "name_hidden": lambda: row.name_hidden,
                "supported": lambda: row.support_count == len(spec.supporters) > 0,
                "hidden": lambda: row.is_hidden,
            }[tag](), (spec.title, tag)


def test_the_history_is_dated_when_it_happened(seeded):
    """Made through the services at past moments: the append-only records agree with the
    rows they describe."""
    for obligation in Obligation.objects.filter(kind="blog_question"):
        opened = obligation.events.get(kind=ObligationEvent.Kind.OPENED)
        assert opened.at == obligation.opened_at
        subject = Question.objects.get(obligation=obligation)
        assert subject.published_at == obligation.opened_at
        if obligation.answered_at:
            answered = obligation.events.get(kind=ObligationEvent.Kind.ANSWERED)
            assert answered.at == obligation.answered_at
            assert subject.answers.get(is_final=True).created_at == obligation.answered_at
    published = AuditEvent.objects.filter(action="blog_question_published")
    for event in published:
        assert event.at == Question.objects.get(pk=event.target_id).published_at


def test_the_api_lists_the_published_questions(seeded, client):
    response = client.get("/api/v1/questions/")

    assert response.status_code == 200
    data = response.json()
    assert data["count"] == Question.objects.published().count()
    statuses = {row["obligation"]["status"] for row in data["results"]}
    assert {"open", "overdue", "answered_on_time", "answered_late"} <= statuses
    hidden_names = Question.objects.published().filter(name_hidden=True).select_related("asker")
    assert hidden_names
    authors = {row["id"]: row["public_author"] for row in data["results"]}
    for row in hidden_names:
        assert authors[row.pk] and authors[row.pk] != row.asker.public_name
    assert not any("@" in author for author in authors.values())

    justice = BlogPage.objects.get(slug="justice-minister", locale__language_code="kk")
    overdue = client.get("/api/v1/questions/", {"blog": justice.pk, "overdue": "1"}).json()
    assert overdue["count"] >= 1


def test_blogs_in_three_languages_with_their_authors(seeded):
    for language in LANGUAGES:
        index = BlogIndexPage.objects.live().get(locale__language_code=language, slug="blogs")
        assert index.show_in_menus
        blogs = BlogPage.objects.child_of(index).live()
        assert blogs.count() == len(BLOGS) >= 3
        for blog in blogs:
            assert blog.biography
            assert BlogPostPage.objects.child_of(blog).live().count() == 2
    for spec in BLOGS:
        blog = BlogPage.objects.get(slug=spec.slug, locale__language_code="kk")
        group = authors_group(blog)
        assert group.user_set.filter(pk=blog.owner_user_id).exists()
        assert (
            GroupPagePermission.objects.filter(group=group).values("page").distinct().count() == 3
        )
        assert blog.owner_user.email.startswith(f"{spec.owner}@")
    assert len({b.translation_key for b in BlogPage.objects.filter(slug="almaty-akim")}) == 1


def test_blog_pages_render_in_every_language(seeded, client):
    for language in LANGUAGES:
        assert client.get(f"/{language}/blogs/").status_code == 200, language
        for spec in BLOGS:
            url = f"/{language}/blogs/{spec.slug}/"
            assert client.get(url).status_code == 200, url
            assert client.get(f"{url}questions/").status_code == 200, url
            post = spec.posts[0].slug
            assert client.get(f"{url}{post}/").status_code == 200, url
    html = client.get("/ru/blogs/justice-minister/").content.decode()
    assert "Блог министра юстиции Нурлана Абдихалыкова" in html


def test_the_officials_can_sign_in_to_write(seeded, client):
    blog = BlogPage.objects.get(slug="almaty-akim", locale__language_code="kk")
    client.force_login(blog.owner_user)
    assert client.get("/cms/").status_code == 200
    assert client.get(f"/cms/pages/add/blogs/blogpostpage/{blog.pk}/").status_code == 200


def test_a_second_run_changes_nothing(seeded):
    models = (
        Page,
        Revision,
        Group,
        GroupPagePermission,
        Question,
        Answer,
        Rating,
        Support,
        Obligation,
        ObligationEvent,
        ObligationRedirect,
        AuditEvent,
        Notification,
    )
    before = {model.__name__: model.objects.count() for model in models}

    output = seed_demo()

    assert {model.__name__: model.objects.count() for model in models} == before
    assert f"questions: 0 new, {len(QUESTIONS)} already there" in output
    assert "blogs:\n  pages: 0 new" in output
