"""The Atom feed of a blog (blogs/feeds.py): posts and public questions, never a hidden
name or a hidden question."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.utils import translation
from django.utils.translation import gettext as _

from blogs import services
from blogs.models import BlogPostPage
from tests.factories import publish

from .conftest import at, published, submit

pytestmark = pytest.mark.django_db


ATOM = "{http://www.w3.org/2005/Atom}"


def feed(client, blog) -> tuple[str, ET.Element]:
    response = client.get(blog.url + blog.reverse_subpage("feed"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    text = response.content.decode()
    return text, ET.fromstring(text)


def entries(root: ET.Element) -> list[dict]:
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "author": entry.findtext(f"{ATOM}author/{ATOM}name"),
            "published": entry.findtext(f"{ATOM}published"),
            "summary": entry.findtext(f"{ATOM}summary"),
        }
        for entry in root.findall(f"{ATOM}entry")
    ]


def add_post(blog, title: str, when: datetime.datetime) -> BlogPostPage:
    with time_machine.travel(when, tick=False):
        post = BlogPostPage(
            title=title, date=when.date(), summary="A <b>summary</b>", body="<p>x</p>"
        )
        blog.add_child(instance=post)
        return publish(post)


def test_feed_has_posts_and_public_questions_newest_first(client, blog, asker, agency_with_staff):
    add_post(blog, "Old post", at(2026, 2, 1))
    published(blog, asker, agency_with_staff, title="Middle question", when=at(2026, 2, 10))
    add_post(blog, "New post", at(2026, 3, 1))
    submit(blog, asker, title="Pending question")
    hidden = published(blog, asker, agency_with_staff, title="Hidden question", when=at(2026, 2, 5))
    services.question_hide(question=hidden, reason="abuse", actor=agency_with_staff.head)
    text, root = feed(client, blog)
    rows = entries(root)
    assert [row["title"] for row in rows] == ["New post", "Middle question", "Old post"]
    assert rows[0]["author"] == agency_with_staff.head.get_full_name()
    assert rows[1]["author"] == "Dana Asker"
    assert rows[1]["link"].startswith("http://") and "/questions/" in rows[1]["link"]
    assert rows[0]["summary"] == "<p>A &lt;b&gt;summary&lt;/b&gt;</p>"  # escaped, then HTML
    assert "Hidden question" not in text and "Pending question" not in text
    assert root.findtext(f"{ATOM}title") == blog.title


def test_feed_never_shows_a_hidden_name(client, blog, asker, agency_with_staff):
    published(
        blog,
        asker,
        agency_with_staff,
        title="Asked privately",
        text="<script>alert(1)</script>",
        name_hidden=True,
    )
    text, root = feed(client, blog)
    (row,) = entries(root)
    assert row["title"] == "Asked privately"
    with translation.override("kk"):  # the blog's page, and so its feed, is in Kazakh
        assert row["author"] == str(_("Name withheld at the asker's request"))
    assert row["author"] != "Name withheld at the asker's request"  # it is translated
    assert "Dana" not in text
    assert asker.email not in text
    assert "<script>" not in row["summary"]


def test_feed_is_limited_to_thirty_entries(client, blog, asker, agency_with_staff):
    for number in range(20):
        published(
            blog, asker, agency_with_staff, title=f"Q{number}", when=at(2026, 3, 2, 9, number)
        )
    for number in range(15):
        add_post(blog, f"P{number}", at(2026, 2, 1, 9, number))
    _text, root = feed(client, blog)
    rows = entries(root)
    assert len(rows) == 30
    assert rows[0]["title"] == "Q19"
    assert sum(row["title"].startswith("Q") for row in rows) == 20


def test_blog_page_links_its_feed(client, blog):
    html = client.get(blog.url).content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert f'href="{blog.url}feed/"' in html
