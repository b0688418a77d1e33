from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConferencesConfig(AppConfig):
    name = "dialogue.conferences"
    label = "conferences"
    verbose_name = _("Internet conferences")

    def ready(self) -> None:
        pass
