"""Officials write their own blog in the Wagtail admin: a per-blog authors group with
page permissions on every language copy of the blog, kept in step by the page hooks."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils.html import escape
from wagtail.hooks import search_for_hooks
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Locale, Page
from wagtail.test.utils.form_data import nested_form_data, rich_text

from blogs.authors import authors_group, blog_authors_sync, group_name
from blogs.models import BlogIndexPage, BlogPage, BlogPostPage
from tests.factories import UserFactory, home_page, translate

from .conftest import make_blog

pytestmark = pytest.mark.django_db


@pytest.fixture
def official(agency_with_staff):
    """The head of the agency: a plain account with a verified email, not staff."""
    head = agency_with_staff.head
    assert not head.is_staff and not head.is_superuser
    return head


@pytest.fixture
def other_blog(db):
    from tests.factories import AgencyFactory

    other = UserFactory(email="akim@example.kz")
    return make_blog(AgencyFactory(), other, title="Akim's blog", slug="akim")


def translated(blog: BlogPage, language: str, **fields) -> BlogPage:
    """The blog in `language`, its index and home page translated first."""
    home_page(language)
    index = blog.get_parent().specific
    if index.get_translation_or_none(Locale.objects.get(language_code=language)) is None:
        translate(index, language)
    return translate(blog, language, **fields)


def permissions_of(user, page):
    return Page.objects.get(pk=page.pk).permissions_for_user(user)


def post_form(title: str, slug: str, **extra) -> dict:
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "date": "2026-03-02",
            "summary": "",
            "body": rich_text("<p>What the ministry did this week.</p>"),
            "comments": {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0, "MIN_NUM_FORMS": 0},
            **extra,
        }
    )


def test_sync_makes_the_group_on_every_language_copy_and_is_idempotent(blog, official):
    ru = translated(blog, "ru", title="Блог министра")

    group = blog_authors_sync(blog=ru)  # any copy: the group belongs to the original

    assert group.name == f"Blog authors: Minister's blog (#{blog.pk})"
    assert group.permissions.filter(codename="access_admin").exists()
    granted = set(
        GroupPagePermission.objects.filter(group=group).values_list(
            "page_id", "permission__codename"
        )
    )
    assert granted == {
        (page.pk, codename)
        for page in (blog, ru)
        for codename in ("add_page", "change_page", "publish_page")
    }
    assert set(
        GroupCollectionPermission.objects.filter(
            group=group, collection=Collection.get_first_root_node()
        ).values_list("permission__codename", flat=True)
    ) == {"add_image", "choose_image"}
    assert list(group.user_set.all()) == [official]

    counts = (
        Group.objects.count(),
        GroupPagePermission.objects.count(),
        GroupCollectionPermission.objects.count(),
    )
    assert blog_authors_sync(blog=blog) == group
    assert counts == (
        Group.objects.count(),
        GroupPagePermission.objects.count(),
        GroupCollectionPermission.objects.count(),
    )


def test_renamed_blog_renames_its_group_and_long_titles_fit(blog, official):
    group = blog_authors_sync(blog=blog)
    blog.title = "A" * 255
    blog.save()

    renamed = blog_authors_sync(blog=blog)

    assert renamed.pk == group.pk
    assert len(renamed.name) <= 150
    assert renamed.name.endswith(f"… (#{blog.pk})")
    assert renamed.name == group_name(blog)


def test_the_official_may_write_only_under_their_own_blog(blog, official, other_blog):
    blog_authors_sync(blog=blog)
    blog_authors_sync(blog=other_blog)

    own = permissions_of(official, blog)
    assert own.can_add_subpage() and own.can_publish_subpage() and own.can_edit()
    other = permissions_of(official, other_blog)
    assert not other.can_add_subpage() and not other.can_edit()
    for page in (blog.get_parent(), BlogIndexPage.objects.get().get_parent()):
        assert not permissions_of(official, page).can_edit()
        assert not permissions_of(official, page).can_add_subpage()


def test_the_official_writes_and_publishes_a_post_in_the_admin(client, blog, official, other_blog):
    blog_authors_sync(blog=blog)
    blog_authors_sync(blog=other_blog)
    client.force_login(official)

    assert client.get("/cms/").status_code == 200
    explorer = client.get(f"/cms/pages/{blog.pk}/")
    assert explorer.status_code == 200
    assert escape(blog.title) in explorer.content.decode()

    response = client.post(
        f"/cms/pages/add/blogs/blogpostpage/{blog.pk}/",
        {**post_form("Our first month", "first-month"), "action-publish": "action-publish"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    post = BlogPostPage.objects.child_of(blog).get(slug="first-month")
    assert post.live
    assert post.date == datetime.date(2026, 3, 2)

    refused = client.post(
        f"/cms/pages/add/blogs/blogpostpage/{other_blog.pk}/",
        {**post_form("Not mine", "not-mine"), "action-publish": "action-publish"},
    )
    assert refused.status_code in (302, 403)
    assert not BlogPostPage.objects.filter(slug="not-mine").exists()
    home = blog.get_parent().get_parent()
    assert client.get(f"/cms/pages/{other_blog.pk}/edit/").status_code in (302, 403)
    assert client.get(f"/cms/pages/{home.pk}/edit/").status_code in (302, 403)


def test_a_plain_citizen_cannot_enter_the_admin(client, blog, official, verified_user):
    blog_authors_sync(blog=blog)
    client.force_login(verified_user)
    assert client.get("/cms/").status_code == 302


def test_creating_a_blog_in_the_admin_makes_its_group(admin_client, blog, official):
    index = BlogIndexPage.objects.get()
    data = nested_form_data(
        {
            "title": "Deputy minister's blog",
            "slug": "deputy",
            "owner_user": official.pk,
            "agency": blog.agency_id,
            "biography": rich_text(""),
            "accepts_questions": "on",
            "comments": {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0, "MIN_NUM_FORMS": 0},
        }
    )
    response = admin_client.post(f"/cms/pages/add/blogs/blogpage/{index.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]

    new_blog = BlogPage.objects.get(slug="deputy")
    group = authors_group(new_blog)
    assert group is not None
    assert list(group.user_set.all()) == [official]
    assert permissions_of(official, new_blog).can_add_subpage()


def test_a_new_official_takes_over_and_the_former_one_leaves(admin_client, blog, official):
    group = blog_authors_sync(blog=blog)
    assistant = UserFactory(email="assistant@example.kz")
    group.user_set.add(assistant)  # staff the official authorised
    successor = UserFactory(email="successor@example.kz")

    data = nested_form_data(
        {
            "title": blog.title,
            "slug": blog.slug,
            "owner_user": successor.pk,
            "agency": blog.agency_id,
            "biography": rich_text(""),
            "accepts_questions": "on",
            "comments": {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0, "MIN_NUM_FORMS": 0},
            "action-publish": "action-publish",
        }
    )
    response = admin_client.post(f"/cms/pages/{blog.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]

    assert set(group.user_set.all()) == {assistant, successor}
    assert not permissions_of(official, blog).can_add_subpage()
    assert permissions_of(successor, blog).can_add_subpage()


def test_a_new_language_copy_gets_the_authors_permissions(blog, official):
    search_for_hooks()  # the receiver is connected where Wagtail loads the hooks
    blog_authors_sync(blog=blog)

    en = translated(blog, "en", title="The minister's blog")

    assert permissions_of(official, en).can_add_subpage()
