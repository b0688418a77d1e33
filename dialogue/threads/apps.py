from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThreadsConfig(AppConfig):
    name = "dialogue.threads"
    label = "threads"
    verbose_name = _("Discussion threads")

    def ready(self) -> None:
        from dialogue import commentable, hub
        from moderation import registry as moderation_registry
        from notifications.followables import register_followable
        from notifications.registry import register_kind
        from tracking import kinds
        from tracking.deadlines import CalendarMonths, WorkingDays

        from . import personal_data, rules, selectors, services  # noqa: F401  (rules: permissions)
        from .models import Thread

        commentable.register(
            Thread,
            is_open=lambda thread: thread.is_open,
            # The addressee's heads and responders reply "on behalf of the agency"; the
            # first such comment is the official reply (services.on_comment_posted).
            agency_of=lambda thread: thread.addressee,
            title_of=lambda thread: thread.title,
            url_of=lambda thread: thread.get_absolute_url(),
            # A hidden thread takes its discussion with it (the API, the comment pages and
            # search do not find its comments); a withdrawn one keeps it public.
            queryset=lambda: Thread.objects.filter(hidden_at__isnull=True).select_related(
                "addressee"
            ),
            on_posted=services.on_comment_posted,
        )
        # The duty arises from citizens' support, like a published blog question: the
        # same period (15 working days), one extension up to two months, redirect within
        # 3 working days. title_of/url_of read only the row (no query).
        kinds.register(
            services.OBLIGATION_KIND,
            label=_("Official reply to a discussion thread"),
            deadline=WorkingDays(15),
            title_of=lambda thread: thread.title,
            url_of=lambda thread: thread.get_absolute_url(),
            extension_cap=CalendarMonths(2),
            redirect_window=WorkingDays(3),
            recipients_of=lambda thread: [thread.author_id],
        )
        register_kind(
            services.KIND_REPLY_DUE,
            label=_("Discussions you follow that an agency must now answer"),
            default="immediate",
        )
        register_kind(
            services.KIND_REPLY_OWED,
            label=_("Discussions your agency must answer officially"),
            default="immediate",
        )
        register_followable(Thread, is_visible=lambda thread, user: True)
        moderation_registry.register(
            Thread,
            author_of=lambda thread: thread.author,
            # No agency: the addressee's moderators must not hide what is addressed to
            # their own agency (hiding ends its duty to reply); platform moderators do.
            agency_of=None,
            excerpt_of=lambda thread: f"{thread.title}: {thread.text[:300]}",
            url_of=lambda thread: thread.get_absolute_url(),
            is_hidden=lambda thread: thread.hidden_at is not None,
            hide=lambda thread, *, reason, actor, note="": services.thread_hide(
                thread=thread, reason=reason, actor=actor, note=note
            ),
            restore=lambda thread, *, actor: services.thread_restore(thread=thread, actor=actor),
            content_of_user=lambda user: Thread.objects.filter(author=user),
            select_related=("author",),
        )
        personal_data.register()
        hub.register(
            "threads",
            template="threads/includes/hub_section.html",
            context=lambda request: selectors.hub_section(user=request.user),
        )
