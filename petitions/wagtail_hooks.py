"""Petitions in the Wagtail admin, under one menu group "Petitions":

- **Rejection reasons** (`RejectionReason`): platform editors and superusers add and edit
  them (the law's excluded topics and the ordinary grounds); nobody deletes one here, as
  rejected petitions refer to their reason (PROTECT) — clear "offered to moderators"
  instead;
- **Addressee rules** (`AddresseeRule`): platform editors set, per body, the threshold
  (a fixed number or a share of the population) and whether it answers as a central body;
- **Petitions** (`Petition`): a read-only list (filters by state and addressee) and an
  inspect screen for editors and moderators. A petition changes only through
  `petitions.services` (the workspace), which checks who may act, keeps the duties in
  `tracking` and tells the author: a model form would skip all of that.

Who sees them is decided by the policies below, from the same groups as the `rules`
predicates, so nobody needs a model permission granted by hand. Superusers are tested
first (no groups query).
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

from accounts.rules import is_platform_editor, is_platform_moderator
from ashyq.admin_views import ReadOnlyViewSetMixin

from .models import AddresseeRule, Petition, PetitionState, RejectionReason


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _is_editor(user) -> bool:
    return _active(user) and (user.is_superuser or bool(is_platform_editor.test(user)))


def _sees_petitions(user) -> bool:
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    return bool(is_platform_editor.test(user) or is_platform_moderator.test(user))


class EditorsEditPolicy(ModelPermissionPolicy):
    """Platform editors and superusers add, change and view; nobody deletes."""

    def user_has_permission(self, user, action):
        return action in ("add", "change", "view") and _is_editor(user)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a != "delete"])


class PetitionPermissionPolicy(ModelPermissionPolicy):
    """Petitions are only *viewed* here, by platform editors, moderators and superusers."""

    def user_has_permission(self, user, action):
        return action == "view" and _sees_petitions(user)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a == "view"])


# Before the viewsets ask the registry for the models' policies.
register_permission_policy(RejectionReason, EditorsEditPolicy(RejectionReason))
register_permission_policy(AddresseeRule, EditorsEditPolicy(AddresseeRule))
register_permission_policy(Petition, PetitionPermissionPolicy(Petition))


class _NoDeleteMixin:
    copy_view_enabled = False
    inspect_view_enabled = False

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(**{"delete_url_name": None, **kwargs})


# --- Configuration ----------------------------------------------------------------------------


class RejectionReasonViewSet(_NoDeleteMixin, ModelViewSet):
    model = RejectionReason
    icon = "warning"
    menu_label = _("Rejection reasons")
    add_to_admin_menu = False
    list_per_page = 50  # the law's 17 topics and the other grounds on one page
    list_display = ["label", "code", "excluded_topic", "public", "is_active", "order"]
    list_filter = ["excluded_topic", "public", "is_active"]
    form_fields = [
        "code",
        "label_kk",
        "label_ru",
        "label_en",
        "excluded_topic",
        "public",
        "is_active",
        "order",
    ]
    search_fields = ["code", "label_kk", "label_ru", "label_en"]


def _threshold(rule: AddresseeRule) -> str:
    return str(rule.threshold())


class AddresseeRuleIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("agency")


class AddresseeRuleViewSet(_NoDeleteMixin, ModelViewSet):
    """A rule may be deleted by nobody here either: removing it would silently move a body
    back to the default threshold; change it instead."""

    model = AddresseeRule
    icon = "group"
    menu_label = _("Addressee rules")
    add_to_admin_menu = False
    index_view_class = AddresseeRuleIndexView
    list_display = [
        "agency",
        "threshold_mode",
        Column("threshold", label=_("Signatures needed"), accessor=_threshold),
        "central",
    ]
    list_filter = ["threshold_mode", "central"]
    form_fields = [
        "agency",
        "threshold_mode",
        "fixed_threshold",
        "population",
        "share_percent",
        "central",
    ]
    search_fields = ["agency__name_kk", "agency__name_ru", "agency__name_en"]


# --- Petitions ---------------------------------------------------------------------------------


class PetitionFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(label=_("Status"), choices=PetitionState.choices)

    class Meta:
        model = Petition
        fields = ["state", "addressee"]


def _moderate_link(petition: Petition) -> str:
    return format_html(
        '<a href="{}">{}</a>',
        reverse("petitions:moderate", kwargs={"pk": petition.pk}),
        _("Open in the workspace"),
    )


class PetitionIndexView(IndexView):
    def get_base_queryset(self):
        # Every column reads from these rows: one query for the page, whatever its size.
        return super().get_base_queryset().select_related("addressee")


class PetitionInspectView(InspectView):
    def get_object(self, queryset=None):
        related = ("addressee", "author", "moderated_by", "rejection_reason")
        return get_object_or_404(Petition.objects.select_related(*related), pk=self.pk)


class PetitionViewSet(ReadOnlyViewSetMixin, ModelViewSet):
    """Petitions: list, filter, search, inspect; changes in the workspace only."""

    model = Petition
    icon = "list-ul"
    menu_label = _("Petitions")
    add_to_admin_menu = False
    index_view_class = PetitionIndexView
    inspect_view_class = PetitionInspectView
    list_per_page = 50
    list_display = [
        "title",
        Column("id", label=_("ID"), sort_key="id"),
        "addressee",
        "state",
        "response_state",
        Column("signature_count", label=_("Signatures"), sort_key="signature_count"),
        DateColumn("published_at", label=capfirst(_("published at")), sort_key="published_at"),
        Column("workspace", label=_("Workspace"), accessor=_moderate_link),
    ]
    filterset_class = PetitionFilterSet
    search_fields = ["title"]
    inspect_view_fields = [
        "title",
        "request",
        "background",
        "addressee",
        "region",
        "author",
        "state",
        "response_state",
        "submitted_at",
        "published_at",
        "public_at",
        "threshold_reached_at",
        "collection_closes_at",
        "closed_at",
        "rejected_at",
        "rejection_reason",
        "rejection_note",
        "moderated_by",
        "threshold",
        "signature_count",
        "hidden_at",
        "hidden_reason",
        "responded_at",
    ]


class PetitionsGroup(ModelViewSetGroup):
    menu_label = _("Petitions")
    menu_icon = "list-ul"
    menu_order = 340
    items = (
        PetitionViewSet("petitions_petitions", url_prefix="petitions/petitions"),
        RejectionReasonViewSet("petitions_reasons", url_prefix="petitions/rejection-reasons"),
        AddresseeRuleViewSet("petitions_rules", url_prefix="petitions/addressee-rules"),
    )


@hooks.register("register_admin_viewset")
def register_petitions() -> PetitionsGroup:
    return PetitionsGroup()
