"""The questions and blogs API, called through the viewsets (the /api/v1/ router entry is
added by the lead: docs/blogs.md, "Wiring")."""

from __future__ import annotations

import json

import pytest
import time_machine
from rest_framework.test import APIRequestFactory

from blogs import services
from blogs.api import BlogViewSet, QuestionViewSet
from tests.factories import UserFactory

from .conftest import at, published, submit

pytestmark = pytest.mark.django_db

factory = APIRequestFactory()


def get(viewset, **params):
    response = viewset.as_view({"get": "list"})(factory.get("/api/v1/x/", params))
    response.render()
    return response


def test_questions_list_published_only_with_answers_rating_and_dates(
    blog, asker, agency_with_staff
):
    staff = agency_with_staff
    submit(blog, asker, title="Pending")
    question = published(blog, asker, staff, when=at(2026, 3, 18, 11), title="Courts")
    with time_machine.travel(at(2026, 3, 20, 10), tick=False):
        services.question_answer(
            question=question, responder=staff.head, text="Soon", is_final=True
        )
    services.question_rate(question=question, asker=asker, verdict="brush_off")
    data = get(QuestionViewSet).data
    assert data["count"] == 1
    row = data["results"][0]
    assert row["title"] == "Courts"
    assert row["agency"] == staff.agency.slug
    assert row["public_author"] == "Dana Asker"
    assert row["answers"][0]["responder_name"]
    assert row["answers"][0]["is_final"] is True
    assert row["rating"]["verdict"] == "brush_off"
    assert row["obligation"]["status"] == "answered_on_time"
    assert row["obligation"]["due_at"].startswith("2026-04-13")


def test_hidden_name_never_leaks_through_the_api(blog, asker, agency_with_staff):
    published(blog, asker, agency_with_staff, name_hidden=True)
    for viewset in (QuestionViewSet,):
        body = get(viewset).content.decode()
        assert "Dana" not in body
        assert asker.email not in body
        assert "Nurlanova" not in body and "Aigerim" not in body
        assert '"asker"' not in body
    assert json.loads(body)["results"][0]["public_author"]


def test_a_hidden_question_shows_the_reason_not_the_text(blog, asker, agency_with_staff):
    question = published(blog, asker, agency_with_staff, text="Secret personal data")
    services.question_hide(question=question, reason="personal_data", actor=agency_with_staff.head)
    row = get(QuestionViewSet).data["results"][0]
    assert row["text"] is None and row["title"] is None
    assert row["hidden_reason"]


def test_filters(blog, asker, agency_with_staff):
    staff = agency_with_staff
    published(blog, asker, staff, when=at(2026, 3, 2), title="Old", category="law")
    published(blog, asker, staff, when=at(2026, 4, 20), title="New", category="health")
    with time_machine.travel(at(2026, 4, 21, 10), tick=False):
        assert [r["title"] for r in get(QuestionViewSet, overdue="1").data["results"]] == ["Old"]
        assert [r["title"] for r in get(QuestionViewSet, status="open").data["results"]] == ["New"]
    assert [r["title"] for r in get(QuestionViewSet, category="law").data["results"]] == ["Old"]
    after = get(QuestionViewSet, published_after="2026-04-01").data["results"]
    assert [r["title"] for r in after] == ["New"]
    assert get(QuestionViewSet, agency="nobody").data["count"] == 0
    assert get(QuestionViewSet, blog=str(blog.pk)).data["count"] == 2
    assert get(QuestionViewSet, category="astrology").status_code == 400
    assert get(QuestionViewSet, published_after="yesterday").status_code == 400


@pytest.mark.parametrize("count", [5, 25])
def test_question_list_queries_are_bounded(
    blog, agency_with_staff, count, django_assert_max_num_queries
):
    for number in range(count):
        asker = UserFactory()
        question = published(blog, asker, agency_with_staff, title=f"Q{number}")
        services.question_answer(
            question=question, responder=agency_with_staff.head, text="x", is_final=True
        )
        services.question_rate(question=question, asker=asker, verdict="satisfied")
    # count, rows, answers, the answers' files, the questions' own files
    with django_assert_max_num_queries(5):
        data = get(QuestionViewSet).data
    assert data["count"] == count


def test_blogs_list(blog):
    from wagtail.models import Locale

    from tests.factories import publish

    # The Russian page of the same blog is not a second blog.
    russian = Locale.objects.get_or_create(language_code="ru")[0]
    publish(blog.copy_for_translation(russian, copy_parents=True))
    data = get(BlogViewSet).data
    assert data["count"] == 1
    assert data["results"][0]["id"] == blog.pk
    assert data["results"][0]["title"] == blog.title
    assert data["results"][0]["agency"] == blog.agency.slug


def test_files_are_listed_with_their_address_and_none_for_a_hidden_question(
    blog, asker, agency_with_staff
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    question = published(
        blog, asker, agency_with_staff, attachments=[SimpleUploadedFile("a.pdf", b"%PDF-1.4")]
    )
    services.question_answer(
        question=question,
        responder=agency_with_staff.responder,
        text="Here.",
        is_final=True,
        attachments=[SimpleUploadedFile("b.pdf", b"%PDF-1.4")],
    )
    row = get(QuestionViewSet).data["results"][0]
    assert [a["name"] for a in row["attachments"]] == ["a.pdf"]
    assert f"/questions/{question.pk}/files/" in row["attachments"][0]["url"]
    assert [a["name"] for a in row["answers"][0]["attachments"]] == ["b.pdf"]
    services.question_hide(
        question=question, reason="personal_data", actor=agency_with_staff.moderator
    )
    row = get(QuestionViewSet).data["results"][0]
    assert row["attachments"] == [] and row["title"] is None
