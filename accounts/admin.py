from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Agency, AuditEvent, Membership, Organisation, OrganisationMembership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "region", "is_staff", "identity_verified_at"]
    list_filter = ["is_staff", "is_superuser", "is_active", "region", "groups"]
    search_fields = ["email", "display_name", "first_name", "last_name"]
    readonly_fields = ["identity_verified_at", "deleted_at", "last_login", "date_joined"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("display_name", "first_name", "last_name", "region")}),
        (_("Verification"), {"fields": ("identity_verified_at", "deleted_at")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    inlines = [MembershipInline]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name_ru", "kind", "region", "is_active"]
    list_filter = ["kind", "region", "is_active"]
    search_fields = ["name_kk", "name_ru", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}
    autocomplete_fields = ["parent"]
    inlines = [MembershipInline]


class OrganisationMembershipInline(admin.TabularInline):
    model = OrganisationMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "verified_at"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    readonly_fields = ["verified_at", "verified_by"]
    inlines = [OrganisationMembershipInline]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "action", "actor", "target_type", "target_id"]
    list_filter = ["action"]
    readonly_fields = ["at", "actor", "action", "target_type", "target_id", "data"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
