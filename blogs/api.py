"""Open data: official blogs and their published questions, with answers, the asker's
rating and the obligation's dates.

The asker appears only as `public_author` (never their account, and nothing when they
asked to hide their name). A question hidden by a moderator keeps its row with the public
reason; its title and text are left out.
"""

from __future__ import annotations

import datetime

from django.db.models import Min, Prefetch
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.routers import DefaultRouter

from ashyq.api import date_param
from moderation.registry import hide_reason_label
from tracking import calendar
from tracking.models import Obligation

from .models import Answer, Attachment, BlogPage, Question, QuestionCategory, Rating


class BlogSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = BlogPage
        fields = ["id", "title", "url", "agency", "accepts_questions"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, blog: BlogPage) -> str:
        request = self.context.get("request")
        url = blog.get_url(request=request) or ""
        return request.build_absolute_uri(url) if (url and request) else url


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["name", "size", "content_type", "url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, attachment: Attachment) -> str:
        request = self.context.get("request")
        url = attachment.get_absolute_url()
        return request.build_absolute_uri(url) if request else url


class AnswerSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    position = serializers.CharField(read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Answer
        fields = [
            "id",
            "agency",
            "responder_name",
            "position",
            "text",
            "is_final",
            "created_at",
            "attachments",
        ]


class ObligationDatesSerializer(serializers.ModelSerializer):
    """The agency's duty to answer: its dates and status (tracking's ledger)."""

    status = serializers.SerializerMethodField()

    class Meta:
        model = Obligation
        fields = [
            "status",
            "opened_at",
            "due_at",
            "original_due_at",
            "extended_due_at",
            "extension_reason",
            "first_response_at",
            "answered_at",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=Obligation.Status.choices))
    def get_status(self, obligation: Obligation) -> str:
        return obligation.status(self.context.get("now"))


class QuestionSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    title = serializers.SerializerMethodField()
    text = serializers.SerializerMethodField()
    hidden_reason = serializers.SerializerMethodField()
    public_author = serializers.CharField(read_only=True)
    answers = AnswerSerializer(many=True, read_only=True)
    attachments = serializers.SerializerMethodField()
    rating = serializers.SerializerMethodField()
    obligation = ObligationDatesSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Question
        fields = [
            "id",
            "blog",
            "agency",
            "title",
            "text",
            "category",
            "public_author",
            "published_at",
            "hidden_reason",
            "support_count",
            "attachments",
            "answers",
            "rating",
            "obligation",
        ]

    def get_title(self, question: Question) -> str | None:
        return None if question.is_hidden else question.title

    def get_text(self, question: Question) -> str | None:
        return None if question.is_hidden else question.text

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, question: Question) -> list[dict]:
        """The asker's own files; none while a moderator keeps the question hidden."""
        if question.is_hidden:
            return []
        return AttachmentSerializer(question.own_attachments, many=True, context=self.context).data

    def get_hidden_reason(self, question: Question) -> str | None:
        return hide_reason_label(question.hidden_reason) if question.is_hidden else None

    @extend_schema_field(
        {"type": "object", "nullable": True, "properties": {"verdict": {"type": "string"}}}
    )
    def get_rating(self, question: Question) -> dict | None:
        try:
            rating = question.rating
        except Rating.DoesNotExist:
            return None
        return {"verdict": rating.verdict, "created_at": rating.created_at}


class BlogViewSet(viewsets.ReadOnlyModelViewSet):
    """The official blogs (live pages), filterable by `agency` (slug)."""

    serializer_class = BlogSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reading the types
            return BlogPage.objects.none()
        # Wagtail keeps a page per language; a blog is listed once, as its original page
        # (the one its questions point at, `BlogPage.canonical`).
        originals = BlogPage.objects.values("translation_key").annotate(first=Min("pk"))
        blogs = (
            BlogPage.objects.live()
            .public()
            .filter(pk__in=originals.values("first"))
            .select_related("agency")
            .order_by("title")
        )
        agency = self.request.query_params.get("agency", "").strip()
        return blogs.filter(agency__slug=agency) if agency else blogs


STATUSES = [choice for choice, _label in Obligation.Status.choices]


@extend_schema(
    parameters=[
        OpenApiParameter("agency", str, description="Agency slug (the one that must answer)"),
        OpenApiParameter("blog", int),
        OpenApiParameter("status", str, enum=STATUSES),
        OpenApiParameter("overdue", bool),
        OpenApiParameter("category", str, enum=QuestionCategory.values),
        OpenApiParameter("published_after", OpenApiTypes.DATE),
        OpenApiParameter("published_before", OpenApiTypes.DATE),
    ]
)
class QuestionViewSet(viewsets.ReadOnlyModelViewSet):
    """Published questions, newest first."""

    serializer_class = QuestionSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now()}

    def get_queryset(self):
        params = self.request.query_params
        questions = (
            Question.objects.published()
            .select_related("agency", "asker", "obligation", "rating")
            .prefetch_related(
                Prefetch(
                    "answers",
                    queryset=Answer.objects.select_related("agency").prefetch_related(
                        "attachments"
                    ),
                ),
                Prefetch(
                    "attachments",
                    queryset=Attachment.objects.filter(answer__isnull=True),
                    to_attr="own_attachments",
                ),
            )
            .order_by("-published_at", "-pk")
        )
        if agency := params.get("agency", "").strip():
            questions = questions.filter(agency__slug=agency)
        if blog := params.get("blog", "").strip():
            if not blog.isdigit():
                raise ValidationError({"blog": "A blog id."})
            questions = questions.filter(blog_id=int(blog))
        if category := params.get("category", "").strip():
            if category not in QuestionCategory.values:
                raise ValidationError({"category": f"One of {', '.join(QuestionCategory.values)}."})
            questions = questions.filter(category=category)
        now = timezone.now()
        if status := params.get("status", "").strip():
            if status not in STATUSES:
                raise ValidationError({"status": f"One of {', '.join(STATUSES)}."})
            obligations = Obligation.objects.with_status_filter(status, now)
            questions = questions.filter(obligation__in=obligations)
        if params.get("overdue", "").strip().lower() in ("1", "true", "yes"):
            questions = questions.filter(obligation__in=Obligation.objects.overdue(now))
        if after := date_param(params, "published_after"):
            questions = questions.filter(
                published_at__gte=datetime.datetime.combine(
                    after, datetime.time.min, tzinfo=calendar.tz()
                )
            )
        if before := date_param(params, "published_before"):
            questions = questions.filter(published_at__lte=calendar.end_of_day(before))
        return questions


def register(router: DefaultRouter) -> None:
    """Register this app's viewsets on the /api/v1/ router."""
    router.register("blogs", BlogViewSet, basename="blog")
    router.register("questions", QuestionViewSet, basename="question")
