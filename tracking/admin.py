"""The ledger in the Django admin: read-only, with its events. Changes go through
tracking.services only, so that every one of them is recorded."""

from django.contrib import admin

from .models import Obligation, ObligationEvent, ObligationRedirect


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ObligationEventInline(ReadOnlyInline):
    model = ObligationEvent
    fields = ["at", "kind", "actor", "data"]
    readonly_fields = fields


class ObligationRedirectInline(ReadOnlyInline):
    model = ObligationRedirect
    fields = ["at", "from_agency", "to_agency", "reason", "previous_due_at", "new_due_at"]
    readonly_fields = fields


@admin.register(Obligation)
class ObligationAdmin(admin.ModelAdmin):
    list_display = [
        "pk",
        "kind",
        "agency",
        "opened_at",
        "due_at",
        "waiting_since",
        "answered_at",
        "answer_days",
        "rating",
        "withdrawn_at",
    ]
    list_filter = ["kind", "rating"]
    list_select_related = ["agency"]
    date_hierarchy = "opened_at"
    inlines = [ObligationRedirectInline, ObligationEventInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
