"""Official blogs: Wagtail pages for the blogs and their posts; plain models for the public
questions to the blog's owner and what follows them (answers, the asker's rating, support).

A question's workflow state (`state`) is stored because a moderator decides it; whether it
is *answered*, *overdue* or *due soon* is derived: from its answers and from the
`tracking` obligation opened when it is published (see docs/blogs.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from ashyq.uploads import private_storage
from moderation.models import HideReason

from .routes import BlogIndexRoutes, BlogRoutes

QUESTION_TITLE_MAX = 200


# --- Pages ----------------------------------------------------------------------------


class BlogIndexPage(BlogIndexRoutes, Page):
    """The list of official blogs (by agency kind and region, later)."""

    intro = models.CharField(_("introduction"), max_length=500, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["blogs.BlogPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("blog index")
        verbose_name_plural = _("blog indexes")


class BlogPage(BlogRoutes, Page):
    """An official's blog: the head of an agency or an official the agency names. Its
    questions are plain `Question` rows pointing here."""

    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="blogs",
        verbose_name=_("official"),
        help_text=_("The official who writes the blog and to whom questions are addressed."),
    )
    agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        related_name="blogs",
        verbose_name=_("agency"),
        help_text=_("The agency that owes the answers to the blog's questions."),
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("photo"),
    )
    biography = RichTextField(_("biography"), blank=True)
    accepts_questions = models.BooleanField(
        _("accepts questions"),
        default=True,
        help_text=_("Clear to close the blog to new questions (those already asked stay)."),
    )

    content_panels = [
        *Page.content_panels,
        # The official may write their biography; whose blog it is, which agency answers
        # and whether it takes questions are the platform editors' decision.
        FieldPanel("owner_user", permission="accounts.edit_agency_directory"),
        FieldPanel("agency", permission="accounts.edit_agency_directory"),
        FieldPanel("photo"),
        FieldPanel("biography"),
        FieldPanel("accepts_questions", permission="accounts.edit_agency_directory"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("biography")]
    parent_page_types = ["blogs.BlogIndexPage"]
    subpage_types = ["blogs.BlogPostPage"]

    @property
    def canonical(self) -> BlogPage:
        """The blog's original page. Wagtail keeps one page per language (kk, ru, en) with
        a shared `translation_key`; the questions belong to the blog, not to a language, so
        they all point at the first page of the group (one query)."""
        if self._canonical is None:
            self._canonical = (
                BlogPage.objects.filter(translation_key=self.translation_key).order_by("pk").first()
                or self
            )
        return self._canonical

    _canonical: BlogPage | None = None

    class Meta:
        verbose_name = _("official blog")
        verbose_name_plural = _("official blogs")


class BlogPostPage(Page):
    """A post by the official (or staff they authorise): revisioned and schedulable by
    Wagtail; commentable through the conversation layer (registered in apps.py)."""

    date = models.DateField(_("date"))
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    body = RichTextField(_("body"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["blogs.BlogPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("blog post")
        verbose_name_plural = _("blog posts")


# --- Questions --------------------------------------------------------------------------


class QuestionCategory(models.TextChoices):
    HEALTH = "health", _("Health")
    EDUCATION = "education", _("Education")
    SOCIAL = "social", _("Social protection")
    HOUSING = "housing", _("Housing and utilities")
    TRANSPORT = "transport", _("Transport and roads")
    ECONOMY = "economy", _("Economy and business")
    ENVIRONMENT = "environment", _("Environment")
    LAW = "law", _("Law and order")
    OTHER = "other", _("Other")


class QuestionState(models.TextChoices):
    SUBMITTED = "submitted", _("awaiting moderation")
    PUBLISHED = "published", _("published")
    REJECTED = "rejected", _("rejected")


class RejectionReason(models.TextChoices):
    """The published list of reasons a question may be rejected for."""

    NOT_A_QUESTION = "not_a_question", _("not a question or appeal")
    ABUSIVE = "abusive", _("abusive or insulting language")
    DUPLICATE = "duplicate", _("duplicate of an earlier question")
    PERSONAL_DATA = "personal_data", _("contains personal data")
    OUT_OF_SCOPE = "out_of_scope", _("outside the platform's scope")


class QuestionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=QuestionState.PUBLISHED)

    def visible(self):
        """What the public sees in lists: published and not hidden by a moderator."""
        return self.published().filter(hidden_at__isnull=True)

    def for_agency(self, agency):
        return self.filter(agency=agency)

    def awaiting_answer(self):
        """Published, with the obligation still open: the agency's work queue."""
        return self.published().filter(
            obligation__answered_at__isnull=True, obligation__withdrawn_at__isnull=True
        )


class Question(models.Model):
    """A citizen's public question to a blog's owner. The agency that owes the answer is
    `agency`: the blog's agency, until the question is redirected (it follows the
    obligation)."""

    State = QuestionState
    Category = QuestionCategory
    RejectionReason = RejectionReason

    blog = models.ForeignKey(
        BlogPage, on_delete=models.PROTECT, related_name="questions", verbose_name=_("blog")
    )
    agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        related_name="blog_questions",
        verbose_name=_("agency"),
        help_text=_("The agency that must answer: the blog's, or the one it was sent on to."),
    )
    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="blog_questions",
        verbose_name=_("asker"),
    )
    title = models.CharField(_("title"), max_length=QUESTION_TITLE_MAX)
    text = models.TextField(_("text"))
    category = models.CharField(
        _("category"), max_length=32, choices=QuestionCategory.choices, default="other"
    )
    name_hidden = models.BooleanField(
        _("hide my name from the public"),
        default=False,
        help_text=_("The agency still sees who asked; the public does not."),
    )
    state = models.CharField(
        _("state"), max_length=16, choices=QuestionState.choices, default=QuestionState.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    rejected_at = models.DateTimeField(_("rejected at"), null=True, blank=True)
    rejection_reason = models.CharField(
        _("reason for rejection"), max_length=32, choices=RejectionReason.choices, blank=True
    )
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderated by"),
    )
    obligation = models.OneToOneField(
        "tracking.Obligation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("obligation"),
        help_text=_("The agency's duty to answer, opened when the question is published."),
    )
    # Moderation after publication (abuse, personal data): the text is kept.
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_reason = models.CharField(
        _("reason for hiding"), max_length=32, choices=HideReason.choices, blank=True
    )
    hidden_note = models.TextField(_("moderator's note"), blank=True)
    support_count = models.PositiveIntegerField(_("supporters"), default=0)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["blog", "state", "-published_at"], name="blogs_q_blog_state"),
            models.Index(fields=["agency", "state"], name="blogs_q_agency_state"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="published") | Q(published_at__isnull=False),
                name="blogs_question_published_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(state="rejected")
                | (Q(rejected_at__isnull=False) & ~Q(rejection_reason="")),
                name="blogs_question_rejected_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(rejection_reason="duplicate") | Q(duplicate_of__isnull=False),
                name="blogs_question_duplicate_names_original",
            ),
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""),
                name="blogs_question_hidden_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True)
                | Q(published_at__gte=models.F("submitted_at")),
                name="blogs_question_published_after_submitted",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    def get_absolute_url(self) -> str:
        """The public question page. Must not query: tracking lists call it per row.
        Until the URL include is added to ashyq/urls.py (docs/blogs.md, Status), empty."""
        try:
            return reverse("blogs:question_detail", kwargs={"pk": self.pk})
        except NoReverseMatch:
            return ""

    @property
    def public_author(self) -> str:
        """The name the public sees. Never the asker's name when they chose to hide it."""
        if self.name_hidden:
            return str(_("Name withheld at the asker's request"))
        return self.asker.public_name

    @property
    def is_published(self) -> bool:
        return self.state == QuestionState.PUBLISHED

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_answered(self) -> bool:
        """Derived: the obligation was fulfilled by a final answer."""
        return bool(self.obligation_id and self.obligation.answered_at)


class Answer(models.Model):
    """An answer by a responder of the agency. Interim answers (what is being done) may
    precede the final one; only the final answer closes the obligation and can be rated.
    The responder's name and position are copied when written: they stay as given."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question")
    )
    agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("agency"),
    )
    responder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="blog_answers",
        verbose_name=_("responder"),
    )
    responder_name = models.CharField(_("responder's name"), max_length=255)
    position_kk = models.CharField(_("position (Kazakh)"), max_length=255, blank=True)
    position_ru = models.CharField(_("position (Russian)"), max_length=255, blank=True)
    position_en = models.CharField(_("position (English)"), max_length=255, blank=True)
    text = models.TextField(_("text"))
    is_final = models.BooleanField(_("final answer"), default=False)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["question"],
                condition=Q(is_final=True),
                name="blogs_answer_one_final",
                violation_error_message=_("This question already has its final answer."),
            ),
        ]

    def __str__(self) -> str:
        return f"{'final' if self.is_final else 'interim'} answer to #{self.question_id}"

    @property
    def position(self) -> str:
        from django.utils.translation import get_language

        language = (get_language() or "kk")[:2]
        return getattr(self, f"position_{language}", "") or self.position_ru or self.position_kk


class RatingVerdict(models.TextChoices):
    SATISFIED = "satisfied", _("satisfied")
    NOT_SATISFIED = "not_satisfied", _("not satisfied")
    BRUSH_OFF = "brush_off", _("a formal brush-off, not an answer")


class Rating(models.Model):
    """The asker's verdict on the final answer: one per question."""

    Verdict = RatingVerdict

    question = models.OneToOneField(
        Question, on_delete=models.CASCADE, related_name="rating", verbose_name=_("question")
    )
    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("asker"),
    )
    verdict = models.CharField(_("verdict"), max_length=16, choices=RatingVerdict.choices)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("rated at"))

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")

    def __str__(self) -> str:
        return f"{self.verdict} on #{self.question_id}"


class Support(models.Model):
    """ "I want to know too": one per person per question."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="supports", verbose_name=_("question")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="blog_question_supports",
        verbose_name=_("user"),
    )
    created_at = models.DateTimeField(_("supported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(fields=["question", "user"], name="blogs_support_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} supports #{self.question_id}"


def _attachment_path(instance: Attachment, filename: str) -> str:
    """Stored under a random name: the person's file name is kept in `name` only."""
    import uuid

    return f"blogs/{instance.question_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file the asker attached to the question (`answer` empty) or the responder to an
    answer. Kept in the private storage and served by `views.attachment_download`, which
    asks `blogs.view_question`: a file is as visible as its question."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("question")
    )
    answer = models.ForeignKey(
        Answer,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("answer"),
    )
    file = models.FileField(_("file"), upload_to=_attachment_path, storage=private_storage)
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    content_type = models.CharField(_("content type"), max_length=100)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "blogs:attachment", kwargs={"pk": self.question_id, "attachment_pk": self.pk}
        )
