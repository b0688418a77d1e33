"""Sub-pages of the Wagtail blog pages (RoutablePageMixin): the blog's question list, the
ask form and the Atom feed live under the blog's own URL; the index lists the blogs.
Kept apart from models.py so the page classes stay a description of their fields; the
work is done by functions in views.py (imported when called: views imports the models,
which import this module)."""

from __future__ import annotations

from wagtail.contrib.routable_page.models import RoutablePageMixin, path


class BlogIndexRoutes(RoutablePageMixin):
    """The list of blogs, filtered by agency kind (`?kind=`) and region (`?region=`)."""

    @path("", name="index")
    def index_route(self, request):
        from .views import blog_index

        return blog_index(self, request)


class BlogRoutes(RoutablePageMixin):
    """A blog: its page, its questions, the ask form and the feed. The method names end in
    `_route`: `questions` is the page's reverse relation to its Question rows."""

    @path("", name="blog")
    def index_route(self, request):
        from .views import blog_home

        return blog_home(self, request)

    @path("questions/", name="questions")
    def questions_route(self, request):
        from .views import blog_questions

        return blog_questions(self, request)

    @path("ask/", name="ask")
    def ask_route(self, request):
        from .views import question_ask

        return question_ask(self, request)

    @path("feed/", name="feed")
    def feed_route(self, request):
        from .views import blog_feed

        return blog_feed(self, request)
