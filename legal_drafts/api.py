"""Open data: draft acts in public discussion, their texts, comments with the agency's
dispositions, and the discussion report (JSON and the same CSV as the report page).

Only drafts with a published version are listed (a draft in preparation is the agency's).
Authors appear by public name or organisation, never by account or email; a hidden or
withdrawn comment keeps its row, without its text. Each endpoint is a fixed number of
queries whatever the number of drafts or comments.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from ashyq.api import Pagination

from . import selectors
from .models import Draft, DraftStatus, DraftType, DraftVersion, Paragraph, Section
from .report import csv_response
from .serializers import (
    DraftCommentSerializer,
    DraftDetailSerializer,
    DraftListSerializer,
    ReportSerializer,
)

FILTERS = [
    OpenApiParameter("type", str, description="Type code, e.g. order, rules, law-concept"),
    OpenApiParameter("agency", str, description="Drafting agency's slug"),
    OpenApiParameter("status", str, enum=DraftStatus.values, description="At the request's time"),
    OpenApiParameter("year", int, description="Year the discussion opened (Astana time)"),
]


def published_drafts():
    """Drafts with a published version, with their counts: one query per page."""
    published = DraftVersion.objects.filter(draft=OuterRef("pk"), published_at__isnull=False)
    return selectors.with_public_counts(
        Draft.objects.filter(Exists(published))
        .with_effective_close()
        .select_related("type", "agency", "report")
    )


@extend_schema(parameters=FILTERS)
class DraftViewSet(viewsets.ReadOnlyModelViewSet):
    """Draft acts put to public discussion, newest first, with status, window, outcome,
    votes and the number of visible comments."""

    serializer_class = DraftListSerializer
    pagination_class = Pagination
    queryset = Draft.objects.none()

    def get_serializer_class(self):
        return DraftDetailSerializer if self.action == "retrieve" else DraftListSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": self._now()}

    def _now(self):
        if not hasattr(self, "_request_now"):
            self._request_now = timezone.now()
        return self._request_now

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Draft.objects.none()
        drafts = published_drafts().order_by("-opens_at", "-pk")
        if self.action != "list":
            return drafts
        params = self.request.query_params
        if code := params.get("type", "").strip():
            if not DraftType.objects.filter(code=code).exists():
                raise ValidationError({"type": f"Unknown type {code!r}."})
            drafts = drafts.filter(type__code=code)
        if agency := params.get("agency", "").strip():
            drafts = drafts.filter(agency__slug=agency)
        if status := params.get("status", "").strip():
            if status not in DraftStatus.values:
                raise ValidationError({"status": f"One of {', '.join(DraftStatus.values)}."})
            drafts = drafts.filter(pk__in=Draft.objects.with_status(status, self._now()))
        if year := params.get("year", "").strip():
            if not (year.isdigit() and len(year) == 4):
                raise ValidationError({"year": "A year, e.g. 2026."})
            drafts = drafts.filter(opens_at__year=int(year))
        return drafts

    @extend_schema(
        parameters=[OpenApiParameter("version", int, description="A published version's number")]
    )
    def retrieve(self, request, *args, **kwargs):
        """One draft with its versions and the text of the current version (or
        `?version=N`): sections and paragraphs with anchors and visible comment counts."""
        draft = self.get_object()
        versions = list(
            DraftVersion.objects.filter(draft=draft, published_at__isnull=False).order_by("number")
        )
        wanted = request.query_params.get("version", "").strip()
        if wanted:
            if not wanted.isdigit():
                raise ValidationError({"version": "A version number."})
            version = next((v for v in versions if v.number == int(wanted)), None)
            if version is None:
                raise Http404
        else:
            version = versions[-1]
        paragraphs = Paragraph.objects.filter(version=version).order_by("order")
        sections = list(
            Section.objects.filter(version=version)
            .order_by("order")
            .prefetch_related(Prefetch("paragraphs", queryset=paragraphs, to_attr="paragraph_list"))
        )
        ids = [p.pk for section in sections for p in section.paragraph_list]
        context = {
            **self.get_serializer_context(),
            "versions": versions,
            "version": version,
            "sections": sections,
            "paragraph_counts": selectors.paragraph_comment_counts(ids),
        }
        return Response(DraftDetailSerializer(draft, context=context).data)

    def _published_draft(self, pk) -> Draft:
        return get_object_or_404(published_drafts(), pk=pk)

    @extend_schema(responses=DraftCommentSerializer(many=True), parameters=[])
    @action(detail=True, methods=["get"], pagination_class=Pagination)
    def comments(self, request, pk=None):
        """Top-level comments on the draft and its paragraphs (every version), oldest
        first, each with the agency's disposition once given."""
        draft = self._published_draft(pk)
        comments = (
            selectors.top_level_comments(draft)
            .select_related("user", "organisation", "legal_draft_disposition")
            .order_by("posted_at", "pk")
        )
        paginator = Pagination()
        page = paginator.paginate_queryset(comments, request, view=self)
        context = {
            "request": request,
            "paragraphs": selectors.paragraph_map(draft),
            "paragraph_type_id": ContentType.objects.get_for_model(Paragraph).pk,
        }
        return paginator.get_paginated_response(
            DraftCommentSerializer(page, many=True, context=context).data
        )

    @extend_schema(
        responses={200: ReportSerializer, 404: OpenApiResponse(description="Not published")},
        parameters=[],
    )
    @action(detail=True, methods=["get"])
    def report(self, request, pk=None):
        """The published discussion report's figures and summary (404 until published)."""
        draft = self._published_draft(pk)
        if draft.report.published_at is None:
            raise Http404
        counts = selectors.report_counts(draft)
        return Response(ReportSerializer.data_of(draft, counts, {"request": request}))

    @extend_schema(
        responses={(200, "text/csv"): OpenApiTypes.BINARY},
        parameters=[],
    )
    @action(detail=True, methods=["get"], url_path="report/csv")
    def report_csv(self, request, pk=None):
        """The report's table as CSV (UTF-8 with BOM), one row per top-level comment."""
        draft = self._published_draft(pk)
        if draft.report.published_at is None:
            raise Http404
        return csv_response(draft)


def register(router: DefaultRouter) -> None:
    """Register this app's viewsets on the /api/v1/ router."""
    router.register("drafts", DraftViewSet, basename="draft")
