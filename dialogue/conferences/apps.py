from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConferencesConfig(AppConfig):
    name = "dialogue.conferences"
    label = "conferences"
    verbose_name = _("Internet conferences")

    def ready(self) -> None:
        from ashyq.live import register_presence
        from cms import home
        from dialogue import hub
        from moderation import registry as moderation_registry
        from notifications.registry import register_kind

        from . import personal_data, rules, selectors, services  # noqa: F401  (rules: permissions)
        from .models import LIVE_GROUP_KIND, ConferenceQuestion

        # Subscribers of "conference.<pk>" are counted as its viewers ("N watching").
        register_presence(LIVE_GROUP_KIND)

        register_kind(
            services.KIND_PUBLISHED,
            label=_("Your conference questions published"),
            default="immediate",
        )
        register_kind(
            services.KIND_REJECTED,
            label=_("Your conference questions not published"),
            default="immediate",
        )
        register_kind(
            services.KIND_ANSWERED,
            label=_("Answers at internet conferences to questions you asked or voted for"),
            default="immediate",
        )
        register_kind(
            services.KIND_CANCELLED,
            label=_("Cancelled conferences you sent questions to"),
            default="immediate",
        )
        moderation_registry.register(
            ConferenceQuestion,
            author_of=lambda question: question.author,
            agency_of=lambda question: question.conference.agency,
            excerpt_of=lambda question: question.text[:300],
            url_of=lambda question: question.get_absolute_url(),
            is_hidden=lambda question: question.is_hidden,
            hide=lambda question, *, reason, actor, note="": services.question_hide(
                question=question, reason=reason, actor=actor, note=note
            ),
            restore=lambda question, *, actor: services.question_restore(
                question=question, actor=actor
            ),
            # Only published questions are public; a submitted one is simply not published.
            content_of_user=lambda user: ConferenceQuestion.objects.published().filter(author=user),
            select_related=("author", "conference__agency"),
        )
        personal_data.register()
        hub.register(
            "conferences",
            template="conferences/includes/hub_section.html",
            context=lambda request: selectors.hub_section(user=request.user),
        )
        home.register(
            "conferences",
            template="conferences/includes/home_section.html",
            context=selectors.home_section,
        )
