"""Blog questions in the Wagtail admin: a read-only listing (filters, search, inspect) for
platform moderators, superusers and whoever holds the `blogs.view_question` permission."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.utils.html import escape
from wagtail.users.models import UserProfile

from blogs import services
from blogs.authors import blog_authors_sync
from blogs.models import Question
from tests.factories import AgencyFactory, UserFactory, platform_editor, platform_moderator

from .conftest import make_blog, published, submit

pytestmark = pytest.mark.django_db

LIST = "/cms/blog_questions/"
# Session, user, menu and filter choices, the count and the rows: the same for 5 or 25 rows.
QUERY_BUDGET = 10


@pytest.fixture
def questions(blog, asker, agency_with_staff):
    """One question in each stored state, and one in another blog and agency."""
    staff = agency_with_staff
    waiting = submit(blog, asker, title="Waiting for moderation", category="law")
    answered = published(blog, asker, staff, title="Answered about courts", category="law")
    services.question_answer(
        question=answered, responder=staff.responder, text="In June.", is_final=True
    )
    open_one = published(blog, asker, staff, title="Open about clinics", category="health")
    rejected = submit(blog, asker, title="Rejected rant", category="other")
    services.question_reject(question=rejected, actor=staff.moderator, reason="not_a_question")
    other_agency = AgencyFactory(slug="akimat")
    head = UserFactory(email="akim@example.kz")
    other_blog = make_blog(other_agency, head, title="Akim's blog", slug="akim")
    elsewhere = services.question_submit(
        blog=other_blog, asker=asker, title="Bus routes in the city", text="When?"
    )
    return {
        "waiting": waiting,
        "answered": answered,
        "open": open_one,
        "rejected": rejected,
        "elsewhere": elsewhere,
        "other_blog": other_blog,
        "other_agency": other_agency,
    }


def in_english(user):
    """The admin speaks the user's preferred language (kk by default)."""
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(in_english(admin_user))
    return client


def listed(response) -> set[str]:
    html = response.content.decode()
    titles = (
        "Waiting for moderation",
        "Answered about courts",
        "Open about clinics",
        "Rejected rant",
        "Bus routes in the city",
    )
    return {title for title in titles if title in html}


def test_superuser_sees_every_question_with_its_columns(admin_client, questions):
    response = admin_client.get(LIST)

    assert response.status_code == 200
    assert listed(response) == {
        "Waiting for moderation",
        "Answered about courts",
        "Open about clinics",
        "Rejected rant",
        "Bus routes in the city",
    }
    html = response.content.decode()
    assert escape("Akim's blog") in html
    assert "Answered on time" in html  # the answer column, in words
    assert f"/cms/blog_questions/inspect/{questions['open'].pk}/" in html
    assert "/cms/blog_questions/new/" not in html
    assert "/cms/blog_questions/edit/" not in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"state": "submitted"}, {"Waiting for moderation", "Bus routes in the city"}),
        ({"state": "rejected"}, {"Rejected rant"}),
        ({"category": "health"}, {"Open about clinics"}),
        ({"q": "courts"}, {"Answered about courts"}),
    ],
)
def test_filters_and_search(admin_client, questions, query, expected):
    response = admin_client.get(LIST, query)
    assert response.status_code == 200
    assert listed(response) == expected


def test_filter_by_blog_and_agency(admin_client, questions):
    by_blog = admin_client.get(LIST, {"blog": questions["other_blog"].pk})
    assert listed(by_blog) == {"Bus routes in the city"}
    by_agency = admin_client.get(LIST, {"agency": questions["other_agency"].pk})
    assert listed(by_agency) == {"Bus routes in the city"}


def test_inspect_but_no_add_edit_or_delete(admin_client, questions):
    question = questions["answered"]

    inspect = admin_client.get(f"/cms/blog_questions/inspect/{question.pk}/")

    assert inspect.status_code == 200
    assert "Answered about courts" in inspect.content.decode()
    for url in (
        "/cms/blog_questions/new/",
        f"/cms/blog_questions/edit/{question.pk}/",
        f"/cms/blog_questions/delete/{question.pk}/",
    ):
        assert admin_client.get(url).status_code == 404
        assert admin_client.post(url).status_code == 404
    assert Question.objects.filter(pk=question.pk).exists()


def test_platform_moderators_may_look(client, questions):
    client.force_login(in_english(platform_moderator()))
    response = client.get(LIST)
    assert response.status_code == 200
    assert "Open about clinics" in response.content.decode()
    assert "Blog questions" in client.get("/cms/").content.decode()


def test_a_granted_model_permission_opens_the_listing(client, questions):
    editor = platform_editor()
    client.force_login(editor)
    assert client.get(LIST).status_code == 302  # editors are not given it by default

    view = Permission.objects.get(content_type__app_label="blogs", codename="view_question")
    editor.user_permissions.add(view)
    editor = type(editor).objects.get(pk=editor.pk)  # drop the permission cache
    client.force_login(editor)
    assert client.get(LIST).status_code == 200


def test_a_plain_user_is_refused(client, questions, verified_user):
    client.force_login(verified_user)
    response = client.get(LIST)
    assert response.status_code == 302
    assert "Open about clinics" not in response.content.decode()


def test_an_official_with_admin_access_is_refused(client, blog, questions, agency_with_staff):
    """The blog's author may enter the admin to write posts, not to list the questions."""
    blog_authors_sync(blog=blog)
    client.force_login(in_english(agency_with_staff.head))

    assert client.get(LIST).status_code == 302
    assert client.get(f"/cms/blog_questions/inspect/{questions['open'].pk}/").status_code == 302
    assert "Blog questions" not in client.get("/cms/").content.decode()


@pytest.mark.parametrize("count", [5, 25])
def test_listing_queries_do_not_grow(
    admin_client, admin_user, blog, agency_with_staff, count, django_assert_max_num_queries
):
    staff = agency_with_staff
    for number in range(count):
        asker = UserFactory()
        question = published(blog, asker, staff, title=f"Question {number}")
        if number % 2:
            services.question_answer(
                question=question, responder=staff.responder, text="Done.", is_final=True
            )
    admin_client.get(LIST)  # warm the session, the calendar and the menu caches

    with django_assert_max_num_queries(QUERY_BUDGET):
        response = admin_client.get(LIST, {"state": "published"})

    assert response.status_code == 200
    assert f"Question {count - 1}" in response.content.decode()
