from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialogueConfig(AppConfig):
    name = "dialogue"
    verbose_name = _("Open dialogue")

    def ready(self) -> None:
        from django.db.models.signals import pre_save
        from django_comments_xtd.models import publish_or_unpublish_on_pre_save

        from moderation import registry as moderation_registry
        from notifications.registry import register_kind

        from . import (
            personal_data,
            rules,  # noqa: F401  (registers the permissions)
            services,
        )
        from .models import Comment
        from .text import plain_excerpt

        # django-comments-xtd cascades `is_public` to every reply on each save (a query per
        # reply) and adds the comment's nested_count to its ancestors each time. Comment
        # states live in `state` and never touch `is_public`, so the handler only costs.
        # (Settings order this app after django_comments_xtd, whose ready() connects it.)
        pre_save.disconnect(publish_or_unpublish_on_pre_save, sender=Comment)

        personal_data.register()
        register_kind(services.KIND_POSTED, label=_("New comments on what you follow"))
        register_kind(services.KIND_REPLY, label=_("Replies to your comments"), default="immediate")
        moderation_registry.register(
            Comment,
            author_of=lambda comment: comment.user,
            agency_of=_agency_of_comment,
            excerpt_of=lambda comment: plain_excerpt(comment.comment),
            url_of=lambda comment: comment.get_absolute_url(),
            is_hidden=lambda comment: comment.is_hidden,
            hide=lambda comment, *, reason, actor, note="": services.comment_hide(
                comment=comment, reason=reason, note=note, actor=actor
            ),
            restore=lambda comment, *, actor: services.comment_restore(
                comment=comment, actor=actor
            ),
            content_of_user=lambda user: Comment.objects.filter(user=user),
            select_related=("user",),
        )


def _agency_of_comment(comment):
    from . import commentable

    target = comment.content_object
    if target is None or not commentable.is_commentable(target):
        return None
    return commentable.agency_of(target)
