"""Open data API: comments, read-only.

/api/v1/comments/?target_type=cms.announcementpage&target_id=12  top-level comments
/api/v1/comments/?parent=ID                                       one comment's replies
&sort=oldest|newest|supported, paginated. Hidden and withdrawn comments keep their place
with `text` and `html` null (a hidden one says the public reason); authors appear by their
public name only.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.routers import DefaultRouter

from ashyq.api import Pagination

from . import commentable, selectors
from .models import Comment


class KnownCountPaginator(Paginator):
    """Takes the count from the denormalised counters instead of COUNT(*) over the thread."""

    @cached_property
    def count(self) -> int:
        known = getattr(self.object_list, "known_count", None)
        return known if known is not None else super().count


class CommentPagination(Pagination):
    django_paginator_class = KnownCountPaginator
    page_size = 20
    max_page_size = 100


class CommentSerializer(serializers.ModelSerializer):
    target_type = serializers.SerializerMethodField()
    target_id = serializers.CharField(source="target_pk")
    parent = serializers.IntegerField(source="reply_to_id", allow_null=True)
    author = serializers.SerializerMethodField()
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    text = serializers.SerializerMethodField()
    html = serializers.SerializerMethodField()
    hidden_reason = serializers.SerializerMethodField()
    edited = serializers.SerializerMethodField()
    replies = serializers.IntegerField(source="reply_total")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = [
            "id",
            "target_type",
            "target_id",
            "parent",
            "level",
            "author",
            "organisation",
            "is_official",
            "agency",
            "state",
            "text",
            "html",
            "hidden_reason",
            "posted_at",
            "edited",
            "edited_at",
            "upvotes",
            "downvotes",
            "score",
            "reply_count",
            "replies",
            "url",
        ]

    @extend_schema_field(OpenApiTypes.STR)
    def get_target_type(self, comment: Comment) -> str:
        return self.context["target_labels"].get(comment.target_type_id, "")

    @extend_schema_field(OpenApiTypes.STR)
    def get_author(self, comment: Comment) -> str:
        if comment.organisation_id:
            return comment.organisation.name
        return comment.user.public_name if comment.user_id else ""

    @extend_schema_field(OpenApiTypes.STR)
    def get_text(self, comment: Comment) -> str | None:
        return comment.comment if comment.is_visible else None

    @extend_schema_field(OpenApiTypes.STR)
    def get_html(self, comment: Comment) -> str | None:
        return comment.html if comment.is_visible else None

    @extend_schema_field(OpenApiTypes.STR)
    def get_hidden_reason(self, comment: Comment) -> str | None:
        return str(comment.get_hidden_reason_display()) if comment.is_hidden else None

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_edited(self, comment: Comment) -> bool:
        return comment.edited_at is not None

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, comment: Comment) -> str:
        request = self.context.get("request")
        target_url = self.context.get("target_url", "")
        path = f"{target_url}#c{comment.pk}" if target_url else ""
        return request.build_absolute_uri(path) if request and path else path


@extend_schema(
    parameters=[
        OpenApiParameter(
            "target_type", description='Commented model, "app_label.model" (cms.announcementpage)'
        ),
        OpenApiParameter("target_id", description="Id of the commented object"),
        OpenApiParameter("parent", int, description="List the replies of this comment instead"),
        OpenApiParameter("sort", enum=list(selectors.SORTS), description="Default: oldest"),
    ]
)
class CommentViewSet(viewsets.ReadOnlyModelViewSet):
    """Comments on one commented object (top level), or the replies of one comment."""

    queryset = Comment.objects.none()
    serializer_class = CommentSerializer
    pagination_class = CommentPagination

    def get_serializer_context(self) -> dict:
        context = super().get_serializer_context()
        context["target_labels"] = {
            entry_type.pk: entry.label
            for entry in commentable.registered()
            for entry_type in [commentable.content_type_of(entry.model)]
        }
        target = getattr(self, "_target", None)
        context["target_url"] = commentable.url_of(target) if target is not None else ""
        return context

    def _find_target(self, content_type, object_pk: str):
        entry = commentable.for_content_type(content_type)
        target = entry.queryset().filter(pk=object_pk).first() if entry else None
        if target is None:
            raise NotFound("No such commented object.")
        return target

    def get_queryset(self):
        params = self.request.query_params
        sort = params.get("sort", selectors.DEFAULT_SORT)
        if sort not in selectors.SORTS:
            raise ValidationError({"sort": f"One of {', '.join(selectors.SORTS)}."})
        if self.action == "retrieve":
            return selectors.with_related(Comment.objects.all())
        parent_id = params.get("parent")
        if parent_id:
            if not parent_id.isdigit():
                raise ValidationError({"parent": "A comment id."})
            parent = Comment.objects.filter(pk=int(parent_id)).first()
            if parent is None:
                raise NotFound("No such comment.")
            self._target = self._find_target(parent.target_type, parent.target_pk)
            qs = selectors.with_related(Comment.objects.filter(reply_to=parent)).order_by(
                "posted_at", "pk"
            )
            qs.known_count = parent.reply_total
            return qs
        label, object_pk = params.get("target_type", ""), params.get("target_id", "")
        if not label or not object_pk:
            raise ValidationError({"target_type": "Give target_type and target_id, or parent."})
        content_type = selectors.content_type_for_label(label)
        if content_type is None:
            raise ValidationError({"target_type": "Not a commentable type."})
        self._target = self._find_target(content_type, object_pk)
        qs = selectors.comments_of(self._target).filter(reply_to__isnull=True)
        qs = qs.order_by(*selectors.SORTS[sort])
        qs.known_count = selectors.counters(self._target).top_level_count
        return qs

    def get_object(self):
        comment = super().get_object()
        self._target = self._find_target(comment.target_type, comment.target_pk)
        return comment


def register(router: DefaultRouter) -> None:
    """Register this app's viewsets on the /api/v1/ router."""
    router.register("comments", CommentViewSet, basename="comment")
