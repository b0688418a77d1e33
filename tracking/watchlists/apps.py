from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WatchlistsConfig(AppConfig):
    name = "tracking.watchlists"
    label = "watchlists"
    verbose_name = _("Watchlists")

    def ready(self) -> None:
        from notifications.registry import register_kind
        from tracking.signals import obligation_event

        from . import personal_data
        from .services import ALERT_KINDS, obligation_event_received

        for key, label in ALERT_KINDS.items():
            register_kind(key, label=label)  # the daily digest by default
        personal_data.register()
        obligation_event.connect(
            obligation_event_received, dispatch_uid="watchlists.obligation_event"
        )
