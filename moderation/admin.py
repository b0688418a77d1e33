"""Read-only views of the moderation records. Changes go through the moderation pages and
services (which call the owning apps and write the log), never through the admin."""

from django.contrib import admin

from .models import Flag, ModeratedItem, ModerationAction, UserBlock


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ModerationAction)
class ModerationActionAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "item", "user", "reason"]
    list_filter = ["action", "reason"]
    list_select_related = ["actor", "user", "item__content_type"]
    date_hierarchy = "at"


@admin.register(Flag)
class FlagAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "reporter", "reason", "item", "resolution", "resolved_at"]
    list_filter = ["reason", "resolution"]
    list_select_related = ["reporter", "item__content_type"]


@admin.register(UserBlock)
class UserBlockAdmin(ReadOnlyAdmin):
    list_display = ["user", "created_at", "actor", "lifted_at", "lifted_by"]
    list_select_related = ["user", "actor", "lifted_by"]


@admin.register(ModeratedItem)
class ModeratedItemAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "agency", "author", "hidden_at", "hidden_reason"]
    list_filter = ["hidden_reason", "content_type"]
    list_select_related = ["content_type", "agency", "author"]
