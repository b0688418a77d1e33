from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

CALENDAR_PERMISSIONS = [
    "add_calendarday",
    "change_calendarday",
    "delete_calendarday",
    "view_calendarday",
]


def grant_calendar_permissions(sender, **kwargs) -> None:
    """Platform editors keep the working-day calendar. Idempotent; runs after every
    migrate, when Django has created the permissions."""
    from django.contrib.auth.models import Group, Permission

    from accounts.roles import PLATFORM_EDITORS

    editors, _created = Group.objects.get_or_create(name=PLATFORM_EDITORS)
    editors.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="tracking", codename__in=CALENDAR_PERMISSIONS
        )
    )


class TrackingConfig(AppConfig):
    name = "tracking"
    verbose_name = _("Civic tracking")

    def ready(self) -> None:
        from notifications.registry import register_kind

        from . import rules  # noqa: F401

        register_kind(
            "obligation_extended", label=_("An agency extended the deadline for its answer")
        )
        register_kind("obligation_redirected", label=_("A question was sent on to another agency"))
        register_kind("obligation_answered", label=_("An agency gave its answer"))
        post_migrate.connect(
            grant_calendar_permissions, sender=self, dispatch_uid="tracking.calendar_permissions"
        )
