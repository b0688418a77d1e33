from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThreadsConfig(AppConfig):
    name = "dialogue.threads"
    label = "threads"
    verbose_name = _("Discussion threads")

    def ready(self) -> None:
        pass
