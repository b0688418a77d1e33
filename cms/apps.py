from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_groups(sender, **kwargs) -> None:
    from .services import ensure_locales, ensure_platform_groups

    ensure_locales()
    ensure_platform_groups()


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Site content")

    def ready(self) -> None:
        post_migrate.connect(_ensure_groups, sender=self, dispatch_uid="cms.ensure_groups")

        from dialogue import commentable

        from .models import AnnouncementPage

        commentable.register(
            AnnouncementPage,
            is_open=lambda page: page.live,
            agency_of=lambda page: page.agency,
            title_of=lambda page: page.title,
            url_of=lambda page: page.url or "",
            queryset=lambda: AnnouncementPage.objects.live().public(),
        )
