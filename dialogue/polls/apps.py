from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PollsConfig(AppConfig):
    name = "dialogue.polls"
    label = "polls"
    verbose_name = _("Polls")

    def ready(self) -> None:
        from dialogue import hub
        from notifications.registry import register_kind

        from . import personal_data, rules, selectors, services  # noqa: F401  (rules: permissions)

        # Followers of an agency (agencies are followable) hear of its new polls.
        register_kind(services.KIND_PUBLISHED, label=_("New polls of agencies you follow"))
        hub.register(
            "polls",
            template="polls/includes/hub_section.html",
            context=lambda request: selectors.hub_section(user=request.user),
        )
        personal_data.register()
