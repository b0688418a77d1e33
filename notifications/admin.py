"""Read-only views for support staff: what was sent to whom and when. Nothing here is
edited by hand; people change their own preferences."""

from django.contrib import admin

from .models import Follow, Notification, Preference


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = [
        "title",
        "recipient",
        "kind",
        "channel",
        "created_at",
        "read_at",
        "emailed_at",
        "digest_sent_at",
    ]
    list_filter = ["kind", "channel"]
    list_select_related = ["recipient"]
    search_fields = ["recipient__email", "title"]
    date_hierarchy = "created_at"


@admin.register(Follow)
class FollowAdmin(ReadOnlyAdmin):
    list_display = ["user", "content_type", "object_id", "created_at"]
    list_filter = ["content_type"]
    list_select_related = ["user", "content_type"]
    search_fields = ["user__email"]


@admin.register(Preference)
class PreferenceAdmin(ReadOnlyAdmin):
    list_display = ["user", "kind", "channel", "updated_at"]
    list_filter = ["kind", "channel"]
    list_select_related = ["user"]
    search_fields = ["user__email"]
