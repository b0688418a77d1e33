"""A read-only list of internet conferences in the Wagtail admin (for editors and
superusers with the model's view permission): every change goes through the conference
workspace (`workspace.py`), so the admin offers no add, edit or delete."""

from __future__ import annotations

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet

from ashyq.admin_views import ReadOnlyViewSetMixin

from .models import Conference


class ConferenceAdminViewSet(ReadOnlyViewSetMixin, ModelViewSet):
    model = Conference
    icon = "comment"
    menu_label = _("Internet conferences")
    menu_order = 350
    add_to_admin_menu = True
    list_per_page = 50
    list_display = [
        "topic",
        "agency",
        "official_name",
        DateColumn("starts_at", label=capfirst(_("starts at")), sort_key="starts_at"),
        "state",
        Column("question_count", label=_("Published questions"), sort_key="question_count"),
        Column("answered_count", label=_("Answered questions"), sort_key="answered_count"),
        Column("pending_count", label=_("Awaiting moderation"), sort_key="pending_count"),
    ]
    list_filter = ["state", "agency"]
    search_fields = ["topic"]
    inspect_view_fields = [
        "topic",
        "description",
        "agency",
        "official",
        "official_name",
        "starts_at",
        "ends_at",
        "state",
        "cancelled_at",
        "cancellation_reason",
        "created_by",
        "created_at",
        "question_count",
        "answered_count",
        "pending_count",
    ]


@hooks.register("register_admin_viewset")
def register_conferences() -> ConferenceAdminViewSet:
    return ConferenceAdminViewSet("conferences_admin", url_prefix="conferences")
