"""The blogs in the Wagtail admin: a read-only list of the questions for editors and
platform moderators, and the hooks that keep each blog's authors group in step with its
page (`authors.py`)."""

from __future__ import annotations

import django_filters
from django.db.models import Min
from django.shortcuts import get_object_or_404
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.signals import copy_for_translation_done

from accounts.models import User
from ashyq.admin_views import ReadOnlyViewSetMixin

from .authors import (
    TRANSLATION_RECEIVER_UID,
    blog_authors_sync,
    sync_authors_on_translation,
)
from .models import BlogPage, Question

# --- Questions: a read-only listing ---------------------------------------------------


class QuestionPermissionPolicy(ModelPermissionPolicy):
    """Questions are only *viewed* in the admin, by whoever holds `blogs.view_question`
    without an object: platform moderators and superusers through `rules`, or anyone an
    editor grants the model permission to (Settings → Groups).

    Adding, editing and deleting are refused to everyone, superusers included. A
    question changes state only through `blogs.services` (from the agency's workspace
    and the moderation screens), which check who may act, write the audit trail, open,
    extend, redirect or fulfil the tracking obligation, and tell the asker. A model form
    would skip all of that, and could delete what a citizen wrote, which the platform
    never does.
    """

    def user_has_permission(self, user, action):
        if action != "view" or not (user.is_authenticated and user.is_active):
            return False
        return user.is_superuser or user.has_perm("blogs.view_question")

    def users_with_any_permission(self, actions):
        # Those granted the model permission (rules-based moderators are not a queryset).
        return super().users_with_any_permission([a for a in actions if a == "view"])


# Before the viewset asks the registry for Question's policy (it would make a fallback).
register_permission_policy(Question, QuestionPermissionPolicy(Question))


def original_blogs():
    """One entry per blog: questions point at the first page of a translation group."""
    firsts = BlogPage.objects.values("translation_key").annotate(first=Min("pk")).values("first")
    return BlogPage.objects.filter(pk__in=firsts).order_by("title")


class QuestionFilterSet(WagtailFilterSet):
    blog = django_filters.ModelChoiceFilter(
        label=capfirst(Question._meta.get_field("blog").verbose_name),
        queryset=lambda request: original_blogs(),
    )

    class Meta:
        model = Question
        fields = ["state", "agency", "category", "blog"]


class QuestionIndexView(IndexView):
    def get_base_queryset(self):
        # Every column reads from these rows: one query for the page, whatever its size.
        return super().get_base_queryset().select_related("blog", "agency", "obligation")


class QuestionInspectView(InspectView):
    def get_object(self, queryset=None):
        related = ("blog", "agency", "asker", "obligation", "duplicate_of", "moderated_by")
        return get_object_or_404(Question.objects.select_related(*related), pk=self.pk)


class QuestionAdminURLFinder(ModelAdminURLFinder):
    """A question's admin link is its inspect screen, for whoever may view questions."""

    def get_edit_url(self, instance):
        policy = QuestionPermissionPolicy(Question)
        if self.user is not None and not policy.user_has_permission(self.user, "view"):
            return None
        return self.construct_edit_url(instance)


def _answer_status(question: Question) -> str:
    """Whether (and how) it was answered, in words: open, overdue, on time, late."""
    if question.obligation is None:
        return ""
    return str(question.obligation.Status(question.obligation.status()).label)


class QuestionViewSet(ReadOnlyViewSetMixin, ModelViewSet):
    """Blog questions for editors and platform moderators: list, filter, search, inspect.
    No add, edit or delete (see `QuestionPermissionPolicy`)."""

    model = Question
    icon = "help"
    menu_label = _("Blog questions")
    menu_order = 320
    add_to_admin_menu = True
    index_view_class = QuestionIndexView
    inspect_view_class = QuestionInspectView
    list_per_page = 50
    list_display = [
        "title",
        Column("id", label=_("ID"), sort_key="id"),
        "blog",
        "agency",
        "state",
        DateColumn("published_at", label=capfirst(_("published at")), sort_key="published_at"),
        DateColumn(
            "due_at",
            label=capfirst(_("due at")),
            accessor="obligation.due_at",
            sort_key="obligation__due_at",
        ),
        Column("answered", label=_("Answered"), accessor=_answer_status),
    ]
    filterset_class = QuestionFilterSet
    search_fields = ["title"]
    inspect_view_fields = [
        "title",
        "text",
        "category",
        "blog",
        "agency",
        "asker",
        "name_hidden",
        "state",
        "submitted_at",
        "published_at",
        "rejected_at",
        "rejection_reason",
        "duplicate_of",
        "moderated_by",
        "hidden_at",
        "hidden_reason",
        "hidden_note",
        "support_count",
    ]

    @property
    def url_finder_class(self):
        """Links to a question from elsewhere in the admin open its inspect screen."""
        return type(
            "QuestionAdminURLFinder",
            (QuestionAdminURLFinder,),
            {"edit_url_name": self.get_url_name("inspect")},
        )


@hooks.register("register_admin_viewset")
def register_questions() -> QuestionViewSet:
    return QuestionViewSet("blog_questions")


# --- Blog authors -----------------------------------------------------------------------


def _is_blog(page) -> bool:
    return issubclass(page.specific_class or type(page), BlogPage)


def _owner_id(page) -> int | None:
    """The official of the blog as stored (the original page's), not the form's copy."""
    original = BlogPage.objects.filter(translation_key=page.translation_key).order_by("pk")
    return original.values_list("owner_user", flat=True).first()


@hooks.register("before_edit_page")
def remember_blog_owner(request, page):
    """The official before this edit, so that publishing a new one removes the old one."""
    if _is_blog(page):
        request._blog_owner_before = _owner_id(page)


def _sync(request, page) -> None:
    if not _is_blog(page):
        return
    before = getattr(request, "_blog_owner_before", None)
    former = None
    if before is not None and before != _owner_id(page):
        former = User.objects.filter(pk=before).first()
    blog_authors_sync(blog=page.specific, former_owner=former)


@hooks.register("after_create_page")
def sync_authors_after_create(request, page):
    _sync(request, page)


@hooks.register("after_edit_page")
def sync_authors_after_edit(request, page):
    _sync(request, page)


@hooks.register("after_publish_page")
def sync_authors_after_publish(request, page):
    _sync(request, page)


# Connected where Wagtail loads the hooks, as the admin always has before a "Translate";
# BlogsConfig.ready() may connect it too, for scripts (the same dispatch_uid: once).
copy_for_translation_done.connect(
    sync_authors_on_translation, dispatch_uid=TRANSLATION_RECEIVER_UID
)
