"""The Wagtail blog pages and their routes (blogs/routes.py): the blog list, a blog, its
questions, the ask form; in the three languages, with bounded queries."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail_factories import ImageFactory

from blogs import services
from blogs.models import BlogPage, BlogPostPage, Question
from moderation.models import UserBlock
from tests.factories import AgencyFactory, UserFactory, publish, translate
from tests.search.conftest import committed

from .conftest import answered, at, make_blog, published, submit

pytestmark = pytest.mark.django_db


LANGUAGES = ("kk", "ru", "en")
# Fixed bounds, whatever the number of rows: the page's own reads are three or four; the
# rest is the site's frame (site, locale, menus, footer, settings, language switcher).
INDEX_QUERIES = 23
QUESTIONS_QUERIES = 23
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def translated(blog: BlogPage) -> dict[str, BlogPage]:
    """The blog (and its index) in kk, ru and en."""
    index = blog.get_parent().specific
    pages = {"kk": blog}
    for language in ("ru", "en"):
        from tests.factories import home_page

        home_page(language)
        translate(index, language)
        pages[language] = translate(blog, language)
    return pages


def add_post(blog, title: str, date: str = "2026-03-01") -> BlogPostPage:
    post = BlogPostPage(title=title, date=date, summary=f"About {title}", body="<p>Body</p>")
    blog.add_child(instance=post)
    return publish(post)


def route(page, name: str = "") -> str:
    suffix = page.reverse_subpage(name) if name else ""
    return page.url + suffix


# --- rendering in every language ----------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_route_renders_in_each_language(
    client, blog, asker, agency_with_staff, verified_user, language
):
    pages = translated(blog)
    answered(blog, asker, agency_with_staff, title="Why is the court closed?")
    published(blog, asker, agency_with_staff, title="When does the registry open?")
    post = add_post(pages[language], "Welcome post")
    page = pages[language]
    assert page.url.startswith(f"/{language}/")
    index = page.get_parent()
    for url in (index.url, route(page), route(page, "questions"), post.url):
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'<html lang="{language}">' in response.content.decode()
    html = client.get(route(page)).content.decode()
    assert "Why is the court closed?" in html
    assert "Welcome post" in html
    feed = client.get(route(page, "feed"))
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("application/atom+xml")
    client.force_login(verified_user)
    assert client.get(route(page, "ask")).status_code == 200


def test_questions_of_a_translation_are_the_blogs(client, blog, asker, agency_with_staff):
    """Questions belong to the original page; every language's page lists them."""
    pages = translated(blog)
    question = submit(pages["ru"], asker, title="Asked on the Russian page")
    services.question_publish(question=question, actor=agency_with_staff.moderator)
    assert Question.objects.get(pk=question.pk).blog_id == blog.pk
    for page in pages.values():
        assert "Asked on the Russian page" in client.get(route(page, "questions")).content.decode()


# --- the blog list ------------------------------------------------------------------------------


@pytest.fixture
def superuser_staff(db):
    """Moderates and answers in any agency (a superuser holds every permission)."""
    user = UserFactory(is_superuser=True, display_name="Root")
    return SimpleNamespace(moderator=user, responder=user)


def _blogs(count: int, staff) -> list[BlogPage]:
    blogs = []
    for number in range(count):
        local = number % 2 == 1
        agency = staff.agency if number == 0 else AgencyFactory(local=local)
        blog = make_blog(agency, staff.head, title=f"Blog {number}", slug=f"blog-{number}")
        blog.photo = ImageFactory(title=f"Photo {number}")
        blog.save_revision().publish()
        blogs.append(blog)
    return blogs


def test_index_lists_blogs_with_counts(client, agency_with_staff, asker):
    blogs = _blogs(3, agency_with_staff)
    answered(blogs[0], asker, agency_with_staff, title="Answered one")
    published(blogs[0], asker, agency_with_staff, title="Open one")
    submit(blogs[0], asker, title="Not yet published")
    response = client.get("/en/blogs/")
    html = response.content.decode()
    assert response.status_code == 200
    for blog in blogs:
        assert blog.title in html
    assert "Ministry of Justice" in html
    assert "1 of 2 questions answered" in html
    assert "<img" in html


def test_index_filters_by_kind_and_region(client, agency_with_staff):
    central = make_blog(agency_with_staff.agency, agency_with_staff.head, title="Justice blog")
    local_agency = AgencyFactory(local=True)  # Karaganda
    make_blog(local_agency, agency_with_staff.head, title="Karaganda akim", slug="karaganda")
    other = AgencyFactory(kind="local", region="pavlodar")
    make_blog(other, agency_with_staff.head, title="Pavlodar akim", slug="pavlodar")
    html = client.get("/en/blogs/?kind=central").content.decode()
    assert central.title in html and "Karaganda akim" not in html
    html = client.get("/en/blogs/?kind=local").content.decode()
    assert central.title not in html and "Karaganda akim" in html and "Pavlodar akim" in html
    html = client.get("/en/blogs/?region=karaganda").content.decode()
    assert "Karaganda akim" in html and "Pavlodar akim" not in html and central.title not in html


@pytest.mark.parametrize(
    "query", ["kind=federal", "region=atlantis", "kind=central&region=karaganda", "kind=%00"]
)
def test_index_invalid_filter_shows_the_error_and_every_blog(client, agency_with_staff, query):
    make_blog(agency_with_staff.agency, agency_with_staff.head, title="Central")
    make_blog(AgencyFactory(local=True), agency_with_staff.head, title="Local", slug="local")
    response = client.get(f"/en/blogs/?{query}")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="errorlist"' in html
    assert "Central" in html and "Local" in html


@pytest.mark.parametrize("count", [3, 12])
def test_index_queries_do_not_grow_with_blogs(
    client, agency_with_staff, superuser_staff, asker, count, django_assert_max_num_queries
):
    blogs = _blogs(count, agency_with_staff)
    for blog in blogs:
        answered(blog, asker, superuser_staff, title=f"Question to {blog.title}")
    assert client.get("/en/blogs/").status_code == 200  # renditions are made once
    with django_assert_max_num_queries(INDEX_QUERIES):
        response = client.get("/en/blogs/")
    assert response.content.decode().count('class="card blog-card"') == count


# --- the blog page ------------------------------------------------------------------------------


def test_blog_page_shows_statistics_posts_and_questions(client, blog, asker, agency_with_staff):
    blog.biography = "<p>Served as judge for twenty years.</p>"
    blog.save_revision().publish()
    with time_machine.travel(at(2026, 3, 18), tick=False):
        on_time = published(blog, asker, agency_with_staff, title="Answered question")
        services.question_answer(
            question=on_time, responder=agency_with_staff.responder, text="Yes", is_final=True
        )
        services.question_rate(question=on_time, asker=asker, verdict="brush_off")
    late = published(blog, asker, agency_with_staff, title="Overdue question", when=at(2026, 1, 5))
    hidden = published(blog, asker, agency_with_staff, title="Hidden question")
    services.question_hide(question=hidden, reason="abuse", actor=agency_with_staff.head)
    for number in range(12):
        add_post(blog, f"Post {number:02d}", date=f"2026-02-{number + 1:02d}")
    with time_machine.travel(at(2026, 3, 20), tick=True):
        response = client.get(f"/en/blogs/{blog.slug}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Served as judge" in html
    assert 'href="/en/agencies/ministry-of-justice/"' in html
    assert "<dt>Questions received</dt><dd>3</dd>" in html  # hidden ones are owed too
    assert "<dt>Answered</dt><dd>1</dd>" in html
    assert "<dt>Answered on time</dt><dd>1</dd>" in html
    assert "<dt>Overdue now</dt><dd>1</dd>" in html
    assert "0%" in html and "100%" in html  # satisfied, brush-off
    assert "Answered question" in html and late.title in html
    assert "Overdue" in html
    assert "Hidden question" not in html
    assert "Post 11" in html and "Post 02" in html and "Post 01" not in html  # newest 10
    assert 'type="application/atom+xml"' in html
    assert f'href="/kk/blogs/{blog.slug}/questions/"' in html


def test_blog_page_says_too_few_ratings(client, blog):
    html = client.get(f"/en/blogs/{blog.slug}/").content.decode()
    assert "Too few ratings to judge" in html
    assert "No answers yet" in html


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", "Sign in to ask a question"),
        ("unverified", "Confirm your email address to ask a question."),
        ("verified", 'class="button-link" href="/kk/blogs/blog/ask/"'),
    ],
)
def test_blog_page_ask_button_by_visitor(
    client, blog, unverified_user, verified_user, who, expected
):
    if who == "unverified":
        client.force_login(unverified_user)
    elif who == "verified":
        client.force_login(verified_user)
    html = client.get("/en/blogs/blog/").content.decode()
    assert expected in html
    if who != "verified":
        assert 'class="button-link" href="/kk/blogs/blog/ask/"' not in html


def test_blog_page_queries_do_not_grow(
    client, blog, asker, agency_with_staff, verified_user, django_assert_max_num_queries
):
    client.force_login(verified_user)

    def measure() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/en/blogs/blog/").status_code == 200
        return len(queries)

    for number in range(5):
        answered(blog, asker, agency_with_staff, title=f"Question {number}")
        add_post(blog, f"Post {number}")
    small = measure()
    for number in range(5, 25):
        answered(blog, asker, agency_with_staff, title=f"Question {number}")
        add_post(blog, f"Post {number}")
    with django_assert_max_num_queries(small):
        measure()


# --- the question list --------------------------------------------------------------------------


def test_questions_filter_by_status_and_category(client, blog, asker, agency_with_staff):
    answered(blog, asker, agency_with_staff, title="Answered health", category="health")
    published(blog, asker, agency_with_staff, title="Awaiting housing", category="housing")
    published(
        blog,
        asker,
        agency_with_staff,
        title="Overdue housing",
        when=at(2025, 12, 1),
        category="housing",
    )
    url = "/en/blogs/blog/questions/"

    def titles(query: str) -> set[str]:
        html = client.get(f"{url}?{query}").content.decode()
        return {t for t in ("Answered health", "Awaiting housing", "Overdue housing") if t in html}

    assert titles("") == {"Answered health", "Awaiting housing", "Overdue housing"}
    assert titles("status=answered") == {"Answered health"}
    assert titles("status=awaiting") == {"Awaiting housing", "Overdue housing"}
    assert titles("status=overdue") == {"Overdue housing"}
    assert titles("category=housing") == {"Awaiting housing", "Overdue housing"}
    assert titles("status=awaiting&category=health") == set()


def test_questions_list_shows_row_facts_and_hides_what_is_not_public(
    client, blog, asker, agency_with_staff, verified_user
):
    question = answered(blog, asker, agency_with_staff, title="Row question", category="health")
    services.question_support(question=question, user=verified_user)
    submit(blog, asker, title="Pending one")
    hidden = published(blog, asker, agency_with_staff, title="Hidden one")
    services.question_hide(question=hidden, reason="abuse", actor=agency_with_staff.head)
    html = client.get("/en/blogs/blog/questions/").content.decode()
    assert f'href="/en/questions/{question.pk}/"' in html
    assert "Dana Asker" in html
    assert "Health" in html
    assert "Answered" in html
    assert "1 person wants to know too" in html
    assert "1 answer" in html
    assert "Pending one" not in html and "Hidden one" not in html


@pytest.mark.parametrize(
    "query", ["status=lost", "category=astrology", "status=%ff", "page=-3", "page=abc", "page=999"]
)
def test_questions_invalid_input_never_fails(client, blog, asker, agency_with_staff, query):
    published(blog, asker, agency_with_staff, title="Only question")
    response = client.get(f"/en/blogs/blog/questions/?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Only question" in html
    if not query.startswith("page"):
        assert "This filter cannot be used" in html
        assert 'aria-invalid="true"' in html


def test_questions_are_paginated_by_twenty(client, blog, asker, agency_with_staff):
    for number in range(23):
        published(
            blog,
            asker,
            agency_with_staff,
            title=f"Numbered {number:02d}",
            when=at(2026, 3, 2, 9, number),
        )
    first = client.get("/en/blogs/blog/questions/?status=awaiting").content.decode()
    assert "Numbered 22" in first and "Numbered 03" in first and "Numbered 02" not in first
    assert 'aria-label="Pages"' in first
    assert 'href="?status=awaiting&amp;page=2" rel="next"' in first
    second = client.get("/en/blogs/blog/questions/?status=awaiting&page=2").content.decode()
    assert "Numbered 02" in second and "Numbered 03" not in second
    assert 'rel="prev"' in second


@pytest.mark.parametrize("count", [5, 25])
def test_questions_list_queries_do_not_grow(
    client, blog, asker, agency_with_staff, count, django_assert_max_num_queries
):
    for number in range(count):
        answered(
            blog, asker, agency_with_staff, title=f"Question {number}", name_hidden=bool(number % 2)
        )
    assert client.get("/en/blogs/blog/questions/").status_code == 200  # warm: root paths
    with django_assert_max_num_queries(QUESTIONS_QUERIES):
        response = client.get("/en/blogs/blog/questions/")
    assert response.status_code == 200


# --- asking -------------------------------------------------------------------------------------


def test_ask_check_then_send_creates_a_submitted_question_with_files(
    client, blog, asker, agency_with_staff, verified_user
):
    with committed():  # into the search index
        earlier = answered(
            blog, asker, agency_with_staff, title="When will the district court reopen?"
        )
    client.force_login(verified_user)
    url = "/en/blogs/blog/ask/"
    fields = {
        "title": "When does the district court reopen after repairs?",
        "text": "It has been closed since May.",
        "category": "law",
        "name_hidden": "on",
    }
    check = client.post(url, {**fields, "check": "1"})
    html = check.content.decode()
    assert check.status_code == 200
    assert f'href="/en/questions/{earlier.pk}/"' in html
    assert "Send my question" in html
    assert 'target="_blank"' not in html
    assert Question.objects.filter(asker=verified_user).count() == 0
    files = [
        SimpleUploadedFile("decision.pdf", PDF, content_type="application/pdf"),
        SimpleUploadedFile("letter.pdf", PDF, content_type="application/pdf"),
    ]
    sent = client.post(url, {**fields, "send": "1", "attachments": files})
    question = Question.objects.get(asker=verified_user)
    assert sent.status_code == 302
    assert sent["Location"] == f"/en/questions/{question.pk}/"
    assert question.state == "submitted"
    assert question.name_hidden and question.category == "law"
    assert sorted(question.attachments.values_list("name", flat=True)) == [
        "decision.pdf",
        "letter.pdf",
    ]
    page = client.get(sent["Location"]).content.decode()
    assert "Your question was sent; moderators review it within 3 working days." in page
    assert "decision.pdf" in page


def test_ask_without_javascript_says_when_nothing_is_similar(client, blog, verified_user):
    client.force_login(verified_user)
    response = client.post(
        "/en/blogs/blog/ask/", {"title": "Xylophone lessons", "text": "?", "check": "1"}
    )
    assert "No answered question looks like yours" in response.content.decode()


def test_ask_errors_are_shown_on_the_form(client, blog, verified_user):
    client.force_login(verified_user)
    response = client.post("/en/blogs/blog/ask/", {"title": "", "text": "", "send": "1"})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="ask-title_error"' in html
    assert 'aria-describedby="ask-title_helptext ask-title_error"' in html
    assert 'aria-invalid="true"' in html
    assert "No answered question looks like yours" not in html
    assert not Question.objects.exists()


def test_ask_service_errors_are_bound_to_fields(client, blog, verified_user):
    client.force_login(verified_user)
    bad = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(
        "/en/blogs/blog/ask/",
        {"title": "Title", "text": "Text", "category": "other", "send": "1", "attachments": [bad]},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "is not a PDF, DOCX, JPEG or PNG file" in html
    assert not Question.objects.exists()


def test_ask_posting_refused_is_a_form_error(client, blog, verified_user, settings):
    settings.MODERATION_RATE_LIMITS = {"user_per_minute": 0}
    client.force_login(verified_user)
    response = client.post(
        "/en/blogs/blog/ask/",
        {"title": "Title", "text": "Text", "category": "other", "send": "1"},
    )
    assert response.status_code == 400
    assert 'class="errorlist"' in response.content.decode()
    assert not Question.objects.exists()


@pytest.fixture
def blocked_user(agency_with_staff):
    user = UserFactory(display_name="Blocked")
    UserBlock.objects.create(user=user, reason="spam", actor=agency_with_staff.head)
    return user


@pytest.mark.parametrize(
    ("who", "status", "text"),
    [
        ("anonymous", 302, ""),
        ("unverified", 403, "Confirm your email address to ask a question."),
        ("blocked", 403, "Your account is blocked from posting."),
        ("verified", 200, "Check for similar questions"),
        ("closed", 403, "This blog does not accept new questions at the moment."),
    ],
)
def test_ask_permission_matrix(
    client, blog, unverified_user, verified_user, blocked_user, who, status, text
):
    user = {"unverified": unverified_user, "blocked": blocked_user}.get(who, verified_user)
    if who == "closed":
        blog.accepts_questions = False
        blog.save_revision().publish()
    if who != "anonymous":
        client.force_login(user)
    for method in ("get", "post"):
        data = {"title": "T", "text": "T", "category": "other", "send": "1"}
        response = getattr(client, method)("/en/blogs/blog/ask/", data)
        expected = status if method == "get" or status != 200 else 302
        assert response.status_code == expected, (who, method)
        if who == "anonymous":
            assert response["Location"].startswith("/en/accounts/login/?next=/en/blogs/blog/ask/")
        elif status == 403:
            assert text in response.content.decode()
    created = Question.objects.filter(asker=user).exists()
    assert created == (who == "verified")


# --- a hidden name ------------------------------------------------------------------------------


def test_hidden_name_never_leaks_on_blog_pages(client, blog, asker, agency_with_staff):
    answered(blog, asker, agency_with_staff, title="Private person asks", name_hidden=True)
    for url in ("/en/blogs/blog/", "/en/blogs/blog/questions/", "/en/blogs/blog/feed/"):
        content = client.get(url).content.decode()
        assert "Private person asks" in content, url
        assert "Dana" not in content, url
        assert asker.email not in content, url
        assert "Name withheld at the asker&#x27;s request" in content or (
            "Name withheld at the asker's request" in content
        )


def test_list_shows_the_due_date(client, blog, asker, agency_with_staff):
    """The due date shown is the obligation's: 13 April 2026 for 18 March, across Nauryz."""
    published(blog, asker, agency_with_staff, title="Nauryz", when=at(2026, 3, 18))
    with time_machine.travel(at(2026, 3, 20), tick=True):
        html = client.get("/en/blogs/blog/questions/").content.decode()
    assert "Awaiting an answer" in html
    assert 'datetime="2026-04-13' in html


def test_the_language_switcher_keeps_the_sub_page_and_its_filters(client, blog):
    pages = translated(blog)
    response = client.get(route(pages["en"], "questions") + "?status=answered")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'value="{route(pages["ru"], "questions")}?status=answered"' in html
    assert f'value="{route(pages["kk"], "questions")}?status=answered"' in html
