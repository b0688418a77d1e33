from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from accounts.models import Agency

        from . import personal_data
        from .followables import register_followable

        personal_data.register_sections()
        # Observers follow agencies to hear of everything addressed to them.
        register_followable(Agency, is_visible=lambda agency, user: agency.is_active)
