"""The Atom feed of a blog: the official's posts and the public questions, newest first.

A question's author is its `public_author` (never the asker's account: a hidden name stays
hidden); hidden and unpublished questions are not in it. Texts are escaped before they are
given to the feed as HTML, so nothing a citizen typed becomes markup in a feed reader.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .models import BlogPage, BlogPostPage, Question

FEED_ENTRIES = 30


@dataclass(frozen=True)
class Entry:
    title: str
    link: str
    published: datetime.datetime
    author: str
    description: str
    category: str


class BlogFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, blog: BlogPage) -> BlogPage:
        self.request = request
        self.language = get_language()
        return blog

    def title(self, blog: BlogPage) -> str:
        return blog.title

    def link(self, blog: BlogPage) -> str:
        return blog.get_url(request=self.request)

    def subtitle(self, blog: BlogPage) -> str:
        return _("Posts and public questions of the blog")

    def author_name(self, blog: BlogPage) -> str:
        return _official_name(blog.owner_user)

    def items(self, blog: BlogPage) -> list[Entry]:
        """The newest 30 of the posts and the visible questions together: three queries."""
        official = _official_name(blog.owner_user)
        posts = (
            BlogPostPage.objects.live()
            .public()
            .child_of(blog)
            .order_by("-first_published_at", "-pk")[:FEED_ENTRIES]
        )
        questions = (
            Question.objects.visible()
            .filter(blog=blog.canonical)
            .select_related("asker")
            .order_by("-published_at", "-pk")[:FEED_ENTRIES]
        )
        entries = [
            Entry(
                title=post.title,
                link=post.get_url(request=self.request),
                published=post.first_published_at,
                author=official,
                description=linebreaks(post.summary, autoescape=True),
                category=_("Post"),
            )
            for post in posts
        ]
        entries += [
            Entry(
                title=question.title,
                link=question.get_absolute_url(),
                published=question.published_at,
                author=question.public_author,
                description=linebreaks(question.text, autoescape=True),
                category=str(question.get_category_display()),
            )
            for question in questions
        ]
        entries.sort(key=lambda entry: entry.published, reverse=True)
        return entries[:FEED_ENTRIES]

    def item_title(self, item: Entry) -> str:
        return item.title

    def item_link(self, item: Entry) -> str:
        return item.link

    def item_description(self, item: Entry) -> str:
        return item.description

    def item_pubdate(self, item: Entry) -> datetime.datetime:
        return item.published

    def item_author_name(self, item: Entry) -> str:
        return item.author

    def item_categories(self, item: Entry) -> list[str]:
        return [item.category]


def _official_name(user) -> str:
    return user.get_full_name() or user.public_name
