from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class LegalDraftsConfig(AppConfig):
    name = "legal_drafts"
    verbose_name = _("Open legal acts")

    def ready(self) -> None:
        from django.conf import settings

        from cms import home
        from dialogue import commentable
        from notifications.followables import register_followable
        from notifications.registry import register_kind
        from tracking import kinds
        from tracking.deadlines import WorkingDays

        from . import conversation, personal_data, rules, services  # noqa: F401  (rules: permissions)
        from .models import Draft, Paragraph

        commentable.register(
            Draft,
            is_open=lambda draft: draft.is_open(),
            agency_of=lambda draft: draft.agency,
            title_of=lambda draft: draft.title,
            queryset=lambda: Draft.objects.filter(versions__published_at__isnull=False).distinct(),
            on_posted=services.comment_posted,
            annex_of=conversation.dispositions_of,
            annex_template="legal_drafts/includes/comment_disposition.html",
        )
        commentable.register(
            Paragraph,
            is_open=services.paragraph_accepts_comments,
            agency_of=lambda paragraph: paragraph.version.draft.agency,
            title_of=lambda paragraph: f"{paragraph.version.draft.title} §{paragraph.number}",
            queryset=lambda: Paragraph.objects.filter(version__published_at__isnull=False),
            on_posted=services.comment_posted,
            annex_of=conversation.dispositions_of,
            annex_template="legal_drafts/includes/comment_disposition.html",
        )
        # The comment duty is counted from the discussion's close (`clock_starts_at`).
        kinds.register(
            services.COMMENT_KIND,
            label=_("Disposition on a comment on a draft act"),
            deadline=WorkingDays(settings.LEGAL_DRAFTS_RESPONSE_WORKING_DAYS),
            title_of=lambda comment: comment.comment[:80],
            url_of=lambda comment: comment.get_absolute_url(),
            extension_cap=None,
            redirect_window=None,
            recipients_of=lambda comment: [comment.user_id] if comment.user_id else [],
        )
        kinds.register(
            services.REPORT_KIND,
            label=_("Discussion report on a draft act"),
            deadline=WorkingDays(settings.LEGAL_DRAFTS_REPORT_WORKING_DAYS),
            title_of=lambda draft: draft.title,
            url_of=lambda draft: reverse("legal_drafts:report", args=[draft.pk]),
            extension_cap=None,
            redirect_window=None,
            notifies=False,  # report_publish tells the draft's followers itself
        )
        personal_data.register()
        home.register(
            "legal_drafts_closing",
            template="legal_drafts/includes/home_section.html",
            context=conversation.closing_soon,
        )
        register_followable(Draft, is_visible=lambda draft, user: draft.is_public())
        register_kind(
            services.KIND_DRAFT_PUBLISHED,
            label=_("New draft acts of agencies you follow, new versions of drafts you follow"),
        )
        register_kind(services.KIND_DRAFT_EXTENDED, label=_("Extensions of discussions you follow"))
        register_kind(
            services.KIND_REPORT_PUBLISHED,
            label=_("Discussion reports of drafts you follow"),
            default="immediate",
        )
