"""Draft acts in the Wagtail admin, under one menu group "Legal drafts":

- **Types of act** (`DraftType`): platform editors and superusers edit the names and the
  minimum length of discussion (the window rule `services.draft_create` applies);
- **Draft acts** (`Draft`): a read-only list (filters by status, agency and type) and an
  inspect screen, each linking to the drafts workspace. A draft changes only through
  `legal_drafts.services` (the workspace): a model form would skip the permission
  checks, the audit trail, the duties in `tracking` and the immutability of published
  versions, so add, edit and delete do not exist here, for superusers too.

Who sees them is decided by the policies below, from the same groups and roles as the
`rules` predicates, so nobody needs a model permission granted by hand.
"""

from __future__ import annotations

import django_filters
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from accounts.models import Membership
from accounts.selectors import agency_roles
from ashyq.admin_views import ReadOnlyViewSetMixin

from .models import Draft, DraftStatus, DraftType
from .rules import keeps_drafts

DRAFTING_ROLES = frozenset({Membership.Role.HEAD, Membership.Role.DRAFTER})


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _keeps_drafts(user) -> bool:
    return _active(user) and bool(keeps_drafts.test(user))


def _drafting_agency_ids(user) -> set[int]:
    if not _active(user):
        return set()
    return {pk for pk, roles in agency_roles(user).items() if roles & DRAFTING_ROLES}


class DraftTypePermissionPolicy(ModelPermissionPolicy):
    """Platform editors and superusers add, change and view types. Nobody deletes one in
    the admin: drafts refer to their type (PROTECT) and the seeded codes are used in code."""

    def user_has_permission(self, user, action):
        return action in ("add", "change", "view") and _keeps_drafts(user)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a != "delete"])


class DraftPermissionPolicy(ModelPermissionPolicy):
    """Drafts are only *viewed* here: by platform editors and superusers (every draft)
    and by the heads and drafters of agencies (their agencies' drafts, see
    `DraftIndexView`)."""

    def user_has_permission(self, user, action):
        if action != "view":
            return False
        return _keeps_drafts(user) or bool(_drafting_agency_ids(user))

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a == "view"])


# Before the viewsets ask the registry for the models' policies.
register_permission_policy(DraftType, DraftTypePermissionPolicy(DraftType))
register_permission_policy(Draft, DraftPermissionPolicy(Draft))


# --- Types --------------------------------------------------------------------------------


class DraftTypeViewSet(ModelViewSet):
    model = DraftType
    icon = "tag"
    menu_label = _("Types of act")
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = [
        "name",
        "code",
        "min_discussion_days",
        "min_days_are_working",
        "order",
    ]
    form_fields = [
        "code",
        "name_kk",
        "name_ru",
        "name_en",
        "min_discussion_days",
        "min_days_are_working",
        "order",
    ]
    search_fields = ["code", "name_kk", "name_ru", "name_en"]

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(**{"delete_url_name": None, **kwargs})


# --- Drafts ---------------------------------------------------------------------------------


class DraftFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=DraftStatus.choices, method="filter_status"
    )

    class Meta:
        model = Draft
        fields = ["status", "agency", "type"]

    def filter_status(self, queryset, name, value):
        return queryset.with_status(value) if value else queryset


def _status(draft: Draft) -> str:
    return str(draft.status_label)


def _workspace_link(draft: Draft) -> str:
    return format_html(
        '<a href="{}">{}</a>',
        reverse("legal_drafts:draft_edit", kwargs={"pk": draft.pk}),
        _("Edit in workspace"),
    )


class DraftIndexView(IndexView):
    def get_base_queryset(self):
        queryset = super().get_base_queryset().select_related("agency", "type", "report")
        user = self.request.user
        if _keeps_drafts(user):
            return queryset
        return queryset.filter(agency_id__in=_drafting_agency_ids(user))


class DraftInspectView(InspectView):
    template_name = "legal_drafts/workspace/admin_inspect.html"

    def get_object(self, queryset=None):
        draft = get_object_or_404(
            Draft.objects.select_related("agency", "type", "report", "created_by"), pk=self.pk
        )
        user = self.request.user
        if not _keeps_drafts(user) and draft.agency_id not in _drafting_agency_ids(user):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        return draft

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        draft = self.object
        context["workspace_links"] = [
            (_("Edit in workspace"), reverse("legal_drafts:draft_edit", kwargs={"pk": draft.pk})),
            (
                _("The text and its versions"),
                reverse("legal_drafts:version_upload", kwargs={"pk": draft.pk}),
            ),
            (_("Answer comments"), reverse("legal_drafts:answer_queue", kwargs={"pk": draft.pk})),
            (
                _("Drafts of the agency"),
                reverse("legal_drafts:workspace_agency", kwargs={"agency": draft.agency.slug}),
            ),
        ]
        return context


class DraftViewSet(ReadOnlyViewSetMixin, ModelViewSet):
    """Draft acts: list, filter, search, inspect; changes in the workspace only."""

    model = Draft
    icon = "doc-full"
    menu_label = _("Draft acts")
    add_to_admin_menu = False
    index_view_class = DraftIndexView
    inspect_view_class = DraftInspectView
    list_per_page = 50
    list_display = [
        "title_ru",
        Column("id", label=_("ID"), sort_key="id"),
        "agency",
        "type",
        Column("status", label=_("Status"), accessor=_status),
        DateColumn("opens_at", label=capfirst(_("discussion opens")), sort_key="opens_at"),
        DateColumn("closes_at", label=capfirst(_("discussion closes")), sort_key="closes_at"),
        Column("workspace", label=_("Workspace"), accessor=_workspace_link),
    ]
    filterset_class = DraftFilterSet
    search_fields = ["title_kk", "title_ru"]
    inspect_view_fields = [
        "title_kk",
        "title_ru",
        "type",
        "agency",
        "summary_kk",
        "summary_ru",
        "opens_at",
        "closes_at",
        "extended_closes_at",
        "extension_reason",
        "outcome",
        "outcome_at",
        "adopted_url",
        "adopted_on",
        "withdrawal_reason",
        "created_by",
        "created_at",
    ]


class LegalDraftsGroup(ModelViewSetGroup):
    menu_label = _("Legal drafts")
    menu_icon = "doc-full-inverse"
    menu_order = 330
    items = (
        DraftViewSet("legal_drafts_drafts", url_prefix="legal-drafts/drafts"),
        DraftTypeViewSet("legal_drafts_types", url_prefix="legal-drafts/types"),
    )


@hooks.register("register_admin_viewset")
def register_legal_drafts() -> LegalDraftsGroup:
    return LegalDraftsGroup()
