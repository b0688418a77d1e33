"""Open data: the obligations ledger, as JSON pages and as one streamed CSV.

No personal data: who acknowledged, extended or redirected is not published, only when
and (for extensions and redirects) the official reason.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterator

from django.db.models import Prefetch
from django.http import StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.routers import DefaultRouter

from ashyq.api import Pagination, date_param

from . import calendar, kinds
from .models import Obligation, ObligationRedirect

CSV_CHUNK_SIZE = 500
CSV_COLUMNS = [
    "id",
    "kind",
    "kind_label",
    "agency",
    "subject_title",
    "subject_url",
    "opened_at",
    "due_at",
    "original_due_at",
    "extended",
    "extension_reason",
    "redirects",
    "first_response_at",
    "answered_at",
    "status",
    "days_to_answer",
    "outcome",
]


class RedirectSerializer(serializers.ModelSerializer):
    from_agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    to_agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = ObligationRedirect
        fields = ["from_agency", "to_agency", "at", "reason", "previous_due_at", "new_due_at"]


class ObligationSerializer(serializers.ModelSerializer):
    kind_label = serializers.SerializerMethodField()
    agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    subject_title = serializers.SerializerMethodField()
    subject_url = serializers.SerializerMethodField()
    extended = serializers.BooleanField(source="is_extended", read_only=True)
    redirects = RedirectSerializer(many=True, read_only=True)
    status = serializers.SerializerMethodField()
    days_to_answer = serializers.SerializerMethodField()

    class Meta:
        model = Obligation
        fields = [
            "id",
            "kind",
            "kind_label",
            "agency",
            "subject_title",
            "subject_url",
            "opened_at",
            "due_at",
            "original_due_at",
            "extended",
            "extended_due_at",
            "extension_reason",
            "redirects",
            "first_response_at",
            "answered_at",
            "status",
            "days_to_answer",
            "outcome",
        ]

    def get_kind_label(self, obligation: Obligation) -> str:
        return kinds.label_of(obligation.kind)

    def get_subject_title(self, obligation: Obligation) -> str:
        return kinds.title_of(obligation.kind, obligation.subject)

    @extend_schema_field(OpenApiTypes.URI)
    def get_subject_url(self, obligation: Obligation) -> str:
        url = kinds.url_of(obligation.kind, obligation.subject)
        request = self.context.get("request")
        return request.build_absolute_uri(url) if (url and request) else url

    @extend_schema_field(serializers.ChoiceField(choices=Obligation.Status.choices))
    def get_status(self, obligation: Obligation) -> str:
        return obligation.status(self.context.get("now"))

    def get_days_to_answer(self, obligation: Obligation) -> int | None:
        return obligation.days_to_answer(self.context.get("calendar"))


FILTERS = [
    OpenApiParameter("agency", str, description="Agency slug"),
    OpenApiParameter("kind", str, description="Obligation kind, e.g. blogs.question"),
    OpenApiParameter(
        "status",
        enum=Obligation.Status.values,
        description="Computed from the dates at the time of the request",
    ),
    OpenApiParameter(
        "opened_after", OpenApiTypes.DATE, description="Opened on or after (Astana time)"
    ),
    OpenApiParameter(
        "opened_before", OpenApiTypes.DATE, description="Opened on or before (Astana time)"
    ),
]


@extend_schema(parameters=FILTERS)
class ObligationViewSet(viewsets.ReadOnlyModelViewSet):
    """Every duty of an agency to answer, with its dates, redirects and computed status."""

    queryset = Obligation.objects.none()
    serializer_class = ObligationSerializer
    pagination_class = Pagination

    def get_queryset(self):
        params = self.request.query_params
        now = self._now()
        queryset = Obligation.objects.select_related("agency", "content_type").prefetch_related(
            "subject",
            Prefetch(
                "redirects",
                queryset=ObligationRedirect.objects.select_related("from_agency", "to_agency"),
            ),
        )
        if agency := params.get("agency", "").strip():
            queryset = queryset.filter(agency__slug=agency)
        if kind := params.get("kind", "").strip():
            queryset = queryset.filter(kind=kind)
        if status := params.get("status", "").strip():
            if status not in Obligation.Status.values:
                raise ValidationError({"status": f"One of: {', '.join(Obligation.Status.values)}."})
            queryset = queryset.with_status_filter(status, now)
        if after := date_param(params, "opened_after"):
            queryset = queryset.filter(
                opened_at__gte=calendar.end_of_day(after - datetime.timedelta(days=1))
            )
        if before := date_param(params, "opened_before"):
            queryset = queryset.filter(opened_at__lte=calendar.end_of_day(before))
        return queryset.order_by("-opened_at", "-pk")

    def _now(self) -> datetime.datetime:
        if not hasattr(self, "_request_now"):
            self._request_now = timezone.now()
        return self._request_now

    def get_serializer_context(self) -> dict:
        context = super().get_serializer_context()
        context["now"] = self._now()
        context["calendar"] = calendar.WorkingCalendar()
        return context

    @extend_schema(
        parameters=FILTERS,
        responses={
            (200, "text/csv"): OpenApiResponse(
                response=OpenApiTypes.STR,
                description="The same rows and filters as the list, all pages, streamed.",
            )
        },
    )
    @action(detail=False, methods=["get"], url_path="export", pagination_class=None)
    def export(self, request, *args, **kwargs):
        """All matching obligations as CSV, streamed row by row (memory stays flat)."""
        queryset = self.get_queryset()
        context = self.get_serializer_context()
        response = StreamingHttpResponse(
            _csv_lines(queryset, context), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="obligations.csv"'
        return response


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(queryset, context: dict) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(CSV_COLUMNS)  # BOM: spreadsheets then read UTF-8
    for obligation in queryset.iterator(chunk_size=CSV_CHUNK_SIZE):
        data = ObligationSerializer(obligation, context=context).data
        data["redirects"] = " ; ".join(
            f"{r['at']} {r['from_agency']} -> {r['to_agency']}" for r in data["redirects"]
        )
        data["extended"] = "yes" if data["extended"] else "no"
        yield writer.writerow(["" if data[c] is None else data[c] for c in CSV_COLUMNS])


def register(router: DefaultRouter) -> None:
    """Register this app's viewsets on the /api/v1/ router."""
    router.register("obligations", ObligationViewSet, basename="obligation")
