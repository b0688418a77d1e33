from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlogsConfig(AppConfig):
    name = "blogs"
    verbose_name = _("Official blogs")

    def ready(self) -> None:
        from dialogue import commentable
        from moderation import registry as moderation_registry
        from notifications.followables import register_followable
        from notifications.registry import register_kind
        from tracking import kinds
        from tracking.deadlines import CalendarMonths, WorkingDays

        from . import personal_data, rules, services  # noqa: F401  (rules registers the permissions)
        from .models import BlogPostPage, Question

        commentable.register(
            BlogPostPage,
            is_open=lambda post: post.live,
            agency_of=_agency_of_post,
            title_of=lambda post: post.title,
            queryset=lambda: BlogPostPage.objects.live(),
        )

        personal_data.register()
        kinds.register(
            services.OBLIGATION_KIND,
            label=_("Answer to a blog question"),
            deadline=WorkingDays(15),
            title_of=lambda question: question.title,
            url_of=lambda question: question.get_absolute_url(),
            extension_cap=CalendarMonths(2),
            redirect_window=WorkingDays(3),
            recipients_of=lambda question: [question.asker_id],
        )
        register_kind(
            services.KIND_PUBLISHED, label=_("Your question was published"), default="immediate"
        )
        register_kind(
            services.KIND_REJECTED, label=_("Your question was not published"), default="immediate"
        )
        register_kind(services.KIND_INTERIM, label=_("Interim answers to questions you follow"))
        register_followable(
            Question,
            is_visible=lambda question, user: user.has_perm("blogs.view_question", question),
        )
        moderation_registry.register(
            Question,
            author_of=lambda question: question.asker,
            agency_of=lambda question: question.agency,
            excerpt_of=lambda question: f"{question.title}: {question.text[:300]}",
            url_of=lambda question: question.get_absolute_url(),
            is_hidden=lambda question: question.is_hidden,
            hide=lambda question, *, reason, actor, note="": services.question_hide(
                question=question, reason=reason, actor=actor, note=note
            ),
            restore=lambda question, *, actor: services.question_restore(
                question=question, actor=actor
            ),
            # Only published questions are public; a submitted one is simply not published.
            content_of_user=lambda user: Question.objects.published().filter(asker=user),
            select_related=("asker", "agency"),
        )

        from wagtail.signals import copy_for_translation_done

        from .authors import TRANSLATION_RECEIVER_UID, sync_authors_on_translation

        copy_for_translation_done.connect(
            sync_authors_on_translation, dispatch_uid=TRANSLATION_RECEIVER_UID
        )


def _agency_of_post(post):
    """Whose responders may answer comments on a post "on duty": the blog's agency."""
    from .models import BlogPage

    blog = BlogPage.objects.filter(pk=post.get_parent().pk).only("agency").first()
    return blog.agency if blog else None
