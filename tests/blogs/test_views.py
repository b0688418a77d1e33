"""The question page and the blog pages (served by Wagtail)."""

from __future__ import annotations

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from blogs import services
from blogs.models import Question
from tests.factories import UserFactory
from tests.search.conftest import committed

from .conftest import answered, at, published, submit

pytestmark = pytest.mark.django_db


def test_question_page_shows_answer_with_name_and_position(client, blog, asker, agency_with_staff):
    question = answered(blog, asker, agency_with_staff)
    assert question.get_absolute_url() == f"/kk/questions/{question.pk}/"
    response = client.get(reverse("blogs:question_detail", kwargs={"pk": question.pk}))
    assert response.status_code == 200
    html = response.content.decode()
    assert question.title in html
    assert "Dana Asker" in html
    assert "It reopens in June." in html
    assert agency_with_staff.responder.get_full_name() in html
    assert "responder (kk)" in html


def test_hidden_name_never_on_the_page_for_anyone(client, blog, asker, agency_with_staff):
    question = published(blog, asker, agency_with_staff, name_hidden=True)
    url = question.get_absolute_url()
    for viewer in (None, agency_with_staff.head, asker):
        if viewer is not None:
            client.force_login(viewer)
        html = client.get(url).content.decode()
        # The asker's own header shows their name; the page's content never does.
        main = html[html.index("<main") : html.index("</main>")]
        assert "Dana" not in (main if viewer == asker else html)
        assert asker.email not in main


def test_unpublished_and_hidden_questions_are_not_public(client, blog, asker, agency_with_staff):
    pending = submit(blog, asker)
    hidden = published(blog, asker, agency_with_staff, title="Hidden one")
    services.question_hide(question=hidden, reason="personal_data", actor=agency_with_staff.head)
    assert client.get(pending.get_absolute_url()).status_code == 404
    assert client.get(hidden.get_absolute_url()).status_code == 404
    client.force_login(asker)
    assert client.get(pending.get_absolute_url()).status_code == 200
    client.force_login(agency_with_staff.moderator)
    page = client.get(hidden.get_absolute_url())
    assert page.status_code == 200
    assert "Hidden one" not in page.content.decode()  # the placeholder, not the text


def test_blog_pages_render(client, blog):
    from blogs.models import BlogPostPage
    from tests.factories import publish

    post = BlogPostPage(title="First post", date="2026-03-01", body="<p>Hello</p>")
    blog.add_child(instance=post)
    post = publish(post)
    assert client.get(blog.get_parent().url).status_code == 200
    page = client.get(blog.url)
    assert page.status_code == 200
    assert "First post" in page.content.decode()
    assert client.get(post.url).status_code == 200


# --- the question page: files, obligation, support, rating ---------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def pdf(name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def with_files(blog, asker, staff, *, name_hidden: bool = False) -> Question:
    """Published, with two files of the asker's, an interim answer with one file and the
    final answer with two."""
    question = published(
        blog, asker, staff, name_hidden=name_hidden, attachments=[pdf("asker-1.pdf"), pdf()]
    )
    services.question_answer(
        question=question,
        responder=staff.responder,
        text="We are looking into it.",
        is_final=False,
        attachments=[pdf("interim.pdf")],
    )
    services.question_answer(
        question=question,
        responder=staff.responder,
        text="It reopens in June.",
        is_final=True,
        attachments=[pdf("order.pdf"), SimpleUploadedFile("plan.png", PNG)],
    )
    return question


def test_question_page_links_the_blog_in_the_visitors_language(
    client, blog, asker, agency_with_staff
):
    from tests.factories import home_page, translate

    home_page("ru")
    translate(blog.get_parent(), "ru")
    ru_blog = translate(blog, "ru", title="Блог министра")
    question = published(blog, asker, agency_with_staff)
    html = client.get(f"/ru/questions/{question.pk}/").content.decode()
    assert f'href="{ru_blog.url}"' in html and "Блог министра" in html
    html = client.get(f"/kk/questions/{question.pk}/").content.decode()
    assert f'href="{blog.url}"' in html


def test_question_page_lists_files_and_obligation_facts(client, blog, asker, agency_with_staff):
    question = with_files(blog, asker, agency_with_staff)
    html = client.get(f"/en/questions/{question.pk}/").content.decode()
    for attachment in question.attachments.all():
        assert f'href="{attachment.get_absolute_url()}"' in html
        assert attachment.name in html
    assert "asker-1.pdf" in html and "interim.pdf" in html and "plan.png" in html
    assert "Answered on time" in html
    assert "Ministry of Justice" in html
    assert html.index("asker-1.pdf") < html.index("We are looking into it.")
    assert html.index("interim.pdf") < html.index("It reopens in June.") < html.index("order.pdf")


def test_question_page_shows_extension_and_redirect(client, blog, asker, agency_with_staff):
    import datetime

    from tests.factories import AgencyFactory

    other = AgencyFactory(name_en="Ministry of Health")
    with time_machine.travel(at(2026, 3, 18), tick=False):
        moved = published(blog, asker, agency_with_staff, title="Moved")
        services.question_redirect(
            question=moved,
            actor=agency_with_staff.responder,
            to_agency=other,
            reason="Hospitals are the health ministry's",
        )
        extended = published(blog, asker, agency_with_staff, title="Extended")
        services.question_extend(
            question=extended,
            actor=agency_with_staff.responder,
            new_due_date=datetime.date(2026, 5, 8),
            reason="We need the archive's reply",
        )
    with time_machine.travel(at(2026, 3, 20), tick=True):
        moved_html = client.get(f"/en/questions/{moved.pk}/").content.decode()
        extended_html = client.get(f"/en/questions/{extended.pk}/").content.decode()
    assert "from Ministry of Justice to Ministry of Health" in moved_html
    assert "Hospitals are the health ministry" in moved_html
    assert "Awaiting an answer" in moved_html
    assert "We need the archive" in extended_html
    assert "Extended to" in extended_html and "Originally due by" in extended_html


def test_question_page_says_overdue(client, blog, asker, agency_with_staff):
    question = published(blog, asker, agency_with_staff, when=at(2025, 12, 1))
    html = client.get(f"/en/questions/{question.pk}/").content.decode()
    assert "Overdue" in html


def test_rejected_duplicate_shows_the_reason_and_the_original_to_the_asker(
    client, blog, asker, agency_with_staff
):
    original = published(blog, asker, agency_with_staff, title="Original")
    copy = submit(blog, asker, title="Copy")
    services.question_reject(
        question=copy, actor=agency_with_staff.moderator, reason="duplicate", duplicate_of=original
    )
    client.force_login(asker)
    html = client.get(f"/en/questions/{copy.pk}/").content.decode()
    assert "duplicate of an earlier question" in html
    assert f'href="/en/questions/{original.pk}/"' in html


def test_staff_section_only_with_staff_actions(client, blog, asker, agency_with_staff, monkeypatch):
    question = published(blog, asker, agency_with_staff)
    html = client.get(f"/en/questions/{question.pk}/").content.decode()
    assert 'id="staff-heading"' not in html
    monkeypatch.setattr(
        "blogs.workspace.staff_context", lambda request, question: {"staff_actions": ["answer"]}
    )
    html = client.get(f"/en/questions/{question.pk}/").content.decode()
    assert 'id="staff-heading"' in html


def test_support_button_by_visitor(client, blog, asker, agency_with_staff, verified_user):
    question = published(blog, asker, agency_with_staff)
    url = f"/en/questions/{question.pk}/"
    assert "Sign in to support this question" in client.get(url).content.decode()
    client.force_login(asker)
    html = client.get(url).content.decode()
    assert "I want to know too" not in html
    client.force_login(verified_user)
    assert "I want to know too" in client.get(url).content.decode()
    response = client.post(reverse("blogs:question_support", kwargs={"pk": question.pk}))
    assert response.status_code == 302
    assert response["Location"].endswith(f"/questions/{question.pk}/#support")
    html = client.get(url).content.decode()
    assert "You support this question" in html and "I want to know too" not in html
    assert "1 person wants to know too" in html


def test_support_is_post_only_login_required_idempotent(
    client, blog, asker, agency_with_staff, verified_user
):
    question = published(blog, asker, agency_with_staff)
    url = f"/en/questions/{question.pk}/support/"
    assert client.get(url).status_code == 405
    anonymous = client.post(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    client.force_login(verified_user)
    client.post(url)
    again = client.post(url, follow=True)
    assert "You already support this question." in again.content.decode()
    question.refresh_from_db()
    assert question.support_count == 1
    client.force_login(asker)
    refused = client.post(url)
    assert refused.status_code == 403
    assert "You cannot support this question." in refused.content.decode()


def test_support_of_an_unpublished_question_is_404(client, blog, asker, verified_user):
    question = submit(blog, asker)
    client.force_login(verified_user)
    assert client.post(f"/en/questions/{question.pk}/support/").status_code == 404


def test_rating_form_for_the_asker_once_on_the_final_answer(
    client, blog, asker, agency_with_staff, verified_user
):
    question = published(blog, asker, agency_with_staff)
    page = f"/en/questions/{question.pk}/"
    rate = f"/en/questions/{question.pk}/rate/"
    client.force_login(asker)
    assert 'name="verdict"' not in client.get(page).content.decode()  # no final answer yet
    assert client.post(rate, {"verdict": "satisfied"}).status_code == 403
    services.question_answer(
        question=question, responder=agency_with_staff.responder, text="Done", is_final=True
    )
    html = client.get(page).content.decode()
    assert 'name="verdict"' in html and "a formal brush-off, not an answer" in html.lower()
    assert client.get(rate).status_code == 405
    client.force_login(verified_user)
    assert 'name="verdict"' not in client.get(page).content.decode()
    assert client.post(rate, {"verdict": "satisfied"}).status_code == 403
    client.force_login(asker)
    empty = client.post(rate, {}, follow=True)
    assert "This field is required." in empty.content.decode()
    response = client.post(rate, {"verdict": "brush_off", "comment": "Says nothing"})
    assert response.status_code == 302 and response["Location"].endswith("#rating")
    html = client.get(page).content.decode()
    assert "a formal brush-off, not an answer" in html and 'name="verdict"' not in html
    assert "Says nothing" not in html  # the comment is not published
    assert client.post(rate, {"verdict": "satisfied"}).status_code == 403
    question.rating.refresh_from_db()
    assert question.rating.verdict == "brush_off"


def test_rating_anonymous_goes_to_sign_in(client, blog, asker, agency_with_staff):
    question = answered(blog, asker, agency_with_staff)
    response = client.post(f"/en/questions/{question.pk}/rate/", {"verdict": "satisfied"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- files ------------------------------------------------------------------------------------


def test_attachment_download_of_a_submitted_question(client, blog, asker, agency_with_staff):
    question = submit(blog, asker, attachments=[pdf("my scan.pdf")])
    attachment = question.attachments.get()
    url = attachment.get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    for viewer in (asker, agency_with_staff.moderator, agency_with_staff.head):
        client.force_login(viewer)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("attachment;")
        assert "my scan.pdf" in response["Content-Disposition"]


def test_attachment_download_of_public_and_hidden_questions(client, blog, asker, agency_with_staff):
    question = with_files(blog, asker, agency_with_staff)
    answer_file = question.attachments.filter(answer__isnull=False).first()
    own_file = question.attachments.filter(answer__isnull=True).first()
    assert client.get(answer_file.get_absolute_url()).status_code == 200
    assert client.get(own_file.get_absolute_url()).status_code == 200
    services.question_hide(question=question, reason="abuse", actor=agency_with_staff.head)
    assert client.get(answer_file.get_absolute_url()).status_code == 404
    assert client.get(own_file.get_absolute_url()).status_code == 404
    client.force_login(agency_with_staff.head)
    assert client.get(own_file.get_absolute_url()).status_code == 200


def test_attachment_must_belong_to_the_question(client, blog, asker, agency_with_staff):
    first = with_files(blog, asker, agency_with_staff)
    second = published(blog, asker, agency_with_staff, title="Another")
    attachment = first.attachments.first()
    url = reverse("blogs:attachment", kwargs={"pk": second.pk, "attachment_pk": attachment.pk})
    assert client.get(url).status_code == 404
    assert client.get(f"/en/questions/{first.pk}/files/999999/").status_code == 404


# --- similar questions --------------------------------------------------------------------------


def test_similar_questions_json(client, blog, asker, agency_with_staff):
    with committed():
        question = answered(
            blog,
            asker,
            agency_with_staff,
            title="Court building repairs timeline",
            name_hidden=True,
        )
        published(blog, asker, agency_with_staff, title="Court building unanswered")
    response = client.get(
        reverse("blogs:similar_questions"), {"title": "court building repairs", "blog": blog.pk}
    )
    assert response.status_code == 200
    data = response.json()
    assert data == {
        "results": [
            {
                "title": "Court building repairs timeline",
                "url": question.get_absolute_url(),
                "answered_on": question.obligation.answered_at.astimezone(at(2026, 1, 1).tzinfo)
                .date()
                .isoformat(),
            }
        ]
    }
    text = response.content.decode()
    assert "Dana" not in text and asker.email not in text and "withheld" not in text
    assert set(data["results"][0]) == {"title", "url", "answered_on"}


def test_similar_questions_bad_input(client, blog, asker, agency_with_staff):
    url = reverse("blogs:similar_questions")
    assert client.get(url).json() == {"results": []}
    assert client.get(url, {"title": "x" * 10000, "text": "y" * 100000}).status_code == 200
    assert client.get(url, {"title": "court", "blog": "abc"}).status_code == 400
    assert client.get(url, {"title": "court", "blog": "999999"}).status_code == 404
    index = blog.get_parent()
    assert client.get(url, {"title": "court", "blog": index.pk}).status_code == 404
    blog.unpublish()
    assert client.get(url, {"title": "court", "blog": blog.pk}).status_code == 404
    assert client.post(url).status_code == 405


# --- bounded queries ----------------------------------------------------------------------------


def test_question_page_queries_do_not_grow_with_answers_and_files(
    client, blog, asker, agency_with_staff, verified_user, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = published(blog, asker, agency_with_staff, attachments=[pdf()])
    services.question_answer(
        question=small, responder=agency_with_staff.responder, text="Only", is_final=True
    )
    large = with_files(blog, asker, agency_with_staff)
    client.force_login(verified_user)
    client.get(small.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        client.get(small.get_absolute_url())
    with django_assert_max_num_queries(len(queries)):
        response = client.get(large.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count('class="files"') == 3
