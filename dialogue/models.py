"""The conversation layer's data.

`Comment` extends django-comments-xtd's `XtdComment` (its documented custom-model setting,
COMMENTS_XTD_MODEL) so the library keeps the thread tree (thread_id, parent_id, level,
order). Multi-table inheritance spreads a comment over three tables, and an index cannot
span tables, so the columns every listing filters and sorts on are copied onto our own
table (`target_type`, `target_pk`, `reply_to`, `posted_at`, `score`): listing one target's
top-level comments, or one comment's replies, is one indexed query. Counts shown on pages
are denormalised too (`CommentTarget` per target, `reply_count` per comment) and kept
exact by the services with F() expressions.

Nothing is deleted: a hidden comment keeps its text (moderators see it, the public sees
the reason), a withdrawn one keeps it too, and every edited text is kept as a version.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_comments_xtd.models import XtdComment

from moderation.models import HideReason


class CommentState(models.TextChoices):
    VISIBLE = "visible", _("visible")
    HIDDEN = "hidden", _("hidden by a moderator")
    WITHDRAWN = "withdrawn", _("withdrawn by the author")


class Comment(XtdComment):
    """The project's comment model (django-comments-xtd's documented custom-model setting)."""

    State = CommentState
    HiddenReason = HideReason

    # Named explicitly: the default reverse accessor would clash with XtdComment.comment.
    xtdcomment_ptr = models.OneToOneField(
        XtdComment, on_delete=models.CASCADE, parent_link=True, related_name="ashyq_comment"
    )

    # Denormalised copies of the parent tables' columns, for the per-target indexes.
    target_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("target type")
    )
    target_pk = models.CharField(_("target id"), max_length=64)
    reply_to = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("reply to"),
    )
    posted_at = models.DateTimeField(_("posted at"))

    html = models.TextField(_("rendered text"), blank=True, editable=False)

    state = models.CharField(
        _("state"), max_length=16, choices=CommentState.choices, default=CommentState.VISIBLE
    )
    hidden_reason = models.CharField(
        _("reason for hiding"), max_length=32, choices=HideReason.choices, blank=True
    )
    hidden_note = models.TextField(_("moderator's note"), blank=True)
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hidden by"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)

    is_official = models.BooleanField(_("official"), default=False)
    agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agency"),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )

    upvotes = models.PositiveIntegerField(_("up votes"), default=0)
    downvotes = models.PositiveIntegerField(_("down votes"), default=0)
    score = models.IntegerField(_("score"), default=0)
    reply_count = models.PositiveIntegerField(
        _("visible replies"), default=0, help_text=_("Direct replies in the visible state.")
    )
    reply_total = models.PositiveIntegerField(
        _("replies"), default=0, help_text=_("Direct replies in any state (placeholders too).")
    )

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            models.Index(
                fields=["target_type", "target_pk", "reply_to", "posted_at"],
                name="dialogue_target_posted",
            ),
            models.Index(
                fields=["target_type", "target_pk", "reply_to", "score"],
                name="dialogue_target_score",
            ),
            models.Index(fields=["reply_to", "posted_at"], name="dialogue_replies_posted"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_official=False) | Q(agency__isnull=False),
                name="dialogue_official_has_agency",
            ),
            models.CheckConstraint(
                condition=~Q(state="hidden") | ~Q(hidden_reason=""),
                name="dialogue_hidden_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(score=models.F("upvotes") - models.F("downvotes")),
                name="dialogue_score_is_balance",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.comment[:50]}"

    @property
    def is_visible(self) -> bool:
        return self.state == CommentState.VISIBLE

    @property
    def is_hidden(self) -> bool:
        return self.state == CommentState.HIDDEN

    @property
    def is_withdrawn(self) -> bool:
        return self.state == CommentState.WITHDRAWN

    @property
    def is_top_level(self) -> bool:
        return self.reply_to_id is None

    @property
    def live_group(self) -> str:
        return target_live_group(self.target_type_id, self.target_pk)

    def get_absolute_url(self, anchor_pattern: str = "#c%(id)s") -> str:
        from . import commentable

        return commentable.url_of(self.content_object) + (anchor_pattern % {"id": self.pk})

    def get_content_object_url(self) -> str:
        from . import commentable

        return commentable.url_of(self.content_object)


def target_live_group(content_type_id: int, object_pk) -> str:
    return f"comments.{content_type_id}-{object_pk}"


class CommentVersion(models.Model):
    """A previous text of an edited comment. Written by `comment_edit`, never changed."""

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="versions", verbose_name=_("comment")
    )
    text = models.TextField(_("text"))
    html = models.TextField(_("rendered text"))
    written_at = models.DateTimeField(
        _("written at"), help_text=_("When this text was posted or last edited.")
    )
    replaced_at = models.DateTimeField(_("replaced at"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment version")
        verbose_name_plural = _("comment versions")
        ordering = ["comment", "-replaced_at", "-pk"]

    def __str__(self) -> str:
        return f"#{self.comment_id} {self.written_at:%Y-%m-%d %H:%M}"


class CommentVote(models.Model):
    class Value(models.IntegerChoices):
        UP = 1, _("up")
        DOWN = -1, _("down")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="votes", verbose_name=_("comment")
    )
    value = models.SmallIntegerField(_("value"), choices=Value.choices)
    voted_at = models.DateTimeField(_("voted at"), auto_now=True)

    class Meta:
        verbose_name = _("comment vote")
        verbose_name_plural = _("comment votes")
        constraints = [
            models.UniqueConstraint(fields=["user", "comment"], name="dialogue_one_vote_per_user"),
            models.CheckConstraint(condition=Q(value__in=[1, -1]), name="dialogue_vote_value"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.value:+d} #{self.comment_id}"


class CommentTarget(models.Model):
    """Per-target counters, so a page says "123 comments" without counting 10,000 rows.

    One row per commented object, created by the first comment. `visible_count` is what
    pages show; `top_level_count` (every state: placeholders keep their place) paginates.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_pk = models.CharField(max_length=64)
    visible_count = models.PositiveIntegerField(_("visible comments"), default=0)
    total_count = models.PositiveIntegerField(_("comments in any state"), default=0)
    top_level_count = models.PositiveIntegerField(_("top-level comments"), default=0)
    last_posted_at = models.DateTimeField(_("last comment at"), null=True, blank=True)

    class Meta:
        verbose_name = _("commented object")
        verbose_name_plural = _("commented objects")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_pk"], name="dialogue_one_counter_per_target"
            )
        ]

    def __str__(self) -> str:
        return f"{self.content_type_id}-{self.object_pk}: {self.visible_count}"
