from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "petitions"
    verbose_name = _("Petitions")

    def ready(self) -> None:
        from cms import home
        from moderation import registry as moderation_registry
        from notifications.followables import register_followable
        from notifications.registry import register_kind
        from tracking import kinds
        from tracking.deadlines import WorkingDays

        from . import personal_data, rules, selectors, services  # noqa: F401  (rules: permissions)
        from .models import Petition

        # Neither duty can be extended or redirected: the law fixes the periods and the
        # addressee. The services announce each outcome themselves (`notifies=False`).
        common = {
            "title_of": lambda petition: petition.title,
            "url_of": lambda petition: petition.get_absolute_url(),
            "extension_cap": None,
            "redirect_window": None,
            "recipients_of": lambda petition: [petition.author_id],
            "notifies": False,
        }
        kinds.register(
            services.MODERATION_KIND,
            label=_("Moderation of a petition"),
            deadline=WorkingDays(20),
            **common,
        )
        kinds.register(
            services.RESPONSE_KIND,
            label=_("Response to a petition (central body)"),
            deadline=WorkingDays(40),
            **common,
        )
        kinds.register(
            services.RESPONSE_LOCAL_KIND,
            label=_("Response to a petition (local body)"),
            deadline=WorkingDays(20),
            **common,
        )
        register_kind(
            services.KIND_PUBLISHED,
            label=_("Your petitions approved by moderation"),
            default="immediate",
        )
        register_kind(
            services.KIND_REJECTED,
            label=_("Your petitions refused by moderation"),
            default="immediate",
        )
        register_kind(
            services.KIND_THRESHOLD,
            label=_("Petitions you follow reaching their threshold"),
        )
        register_kind(
            services.KIND_RESPONDED,
            label=_("Responses to petitions you signed or follow"),
            default="immediate",
        )
        register_followable(
            Petition,
            is_visible=lambda petition, user: user.has_perm("petitions.view_petition", petition),
        )
        moderation_registry.register(
            Petition,
            author_of=lambda petition: petition.author,
            agency_of=lambda petition: petition.addressee,
            excerpt_of=lambda petition: f"{petition.title}: {petition.request[:300]}",
            url_of=lambda petition: petition.get_absolute_url(),
            is_hidden=lambda petition: petition.hidden_at is not None,
            hide=lambda petition, *, reason, actor, note="": services.petition_hide(
                petition=petition, reason=reason, actor=actor, note=note
            ),
            restore=lambda petition, *, actor: services.petition_restore(
                petition=petition, actor=actor
            ),
            content_of_user=lambda user: Petition.objects.filter(
                author=user, published_at__isnull=False
            ),
            select_related=("author", "addressee"),
        )
        personal_data.register()
        home.register(
            "petitions_most_signed",
            template="petitions/includes/home_section.html",
            context=selectors.home_section,
        )
