from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from . import registry

        # Each app's search_documents.py registers its kinds (search imports no app).
        autodiscover_modules("search_documents")
        registry.connect()
