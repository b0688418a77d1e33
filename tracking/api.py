"""Open data: the obligations ledger and the agency scorecards, as JSON and as streamed
bulk downloads (CSV and JSON Lines).

| endpoint | what |
|---|---|
| `/api/v1/obligations/` | the ledger, paginated |
| `/api/v1/obligations/export/` (`.csv`, `.jsonl`) | all matching obligations, streamed |
| `/api/v1/agencies/{slug}/scorecard/` | one agency: all kinds together and per kind |
| `/api/v1/scorecards/` | every agency side by side, for a period (and a kind) |
| `/api/v1/scorecards/export/` (`.csv`, `.jsonl`) | one row per agency × kind |

A download's format is its URL suffix (`export.csv`, `export.jsonl`), or `?format=`, or
the `Accept` header; plain `export/` is CSV. Rows are built in `tracking/exports.py`,
which the list's serializer uses too, so the JSON, the CSV and the JSON Lines agree.

No personal data: who acknowledged, extended, redirected or rated is not published, only
when and (for extensions and redirects) the official reason.
"""

from __future__ import annotations

import datetime

from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAcceptable, ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from accounts.api import TranslatedTextField
from accounts.models import Agency
from ashyq.api import Pagination, date_param

from . import exports, kinds, scorecards
from .models import Obligation, ObligationRedirect

# Kept for callers of the former names.
CSV_CHUNK_SIZE = exports.CHUNK_SIZE
CSV_COLUMNS = exports.OBLIGATION_COLUMNS


# --- downloads: formats -----------------------------------------------------------------------


class CSVRenderer(BaseRenderer):
    """Chooses the CSV download (the body is streamed by the view, not rendered here)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return JSONRenderer().render(data)


class JSONLinesRenderer(CSVRenderer):
    """Chooses the JSON Lines download: one JSON object a line."""

    media_type = "application/jsonl"
    format = "jsonl"


DOWNLOAD_RENDERERS = [CSVRenderer, JSONLinesRenderer]


class DownloadNegotiation(DefaultContentNegotiation):
    """A suffix or `?format=` must name a download format (else 404); an `Accept` header
    that names neither gets the CSV, as a browser's or a plain `curl`'s does."""

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except NotAcceptable:
            return renderers[0], renderers[0].media_type


class DownloadMixin:
    """Errors of a download action (a bad filter, an unknown format) answer JSON."""

    def finalize_response(self, request, response, *args, **kwargs):
        if isinstance(response, Response) and response.status_code >= 400:
            renderer = getattr(request, "accepted_renderer", None)
            if renderer is None or isinstance(renderer, CSVRenderer):
                request.accepted_renderer = JSONRenderer()
                request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


def _download(request, name: str, records, csv_lines) -> StreamingHttpResponse:
    if request.accepted_renderer.format == "jsonl":
        lines, content_type, extension = (
            exports.jsonl_lines(records),
            "application/jsonl; charset=utf-8",
            "jsonl",
        )
    else:
        lines, content_type, extension = csv_lines(records), "text/csv; charset=utf-8", "csv"
    response = StreamingHttpResponse(lines, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response


FORMAT_PARAMETER = OpenApiParameter(
    "format",
    enum=["csv", "jsonl"],
    description="csv (the default) or jsonl; the same as the suffix export.csv / export.jsonl",
)


def _download_responses(what: str) -> dict:
    return {
        (200, "text/csv"): OpenApiResponse(
            response=OpenApiTypes.STR,
            description=f"{what} as CSV (UTF-8 with a byte order mark), streamed.",
        ),
        (200, "application/jsonl"): OpenApiResponse(
            response=OpenApiTypes.STR,
            description=f"{what} as JSON Lines (one JSON object a line), streamed.",
        ),
    }


# --- obligations ------------------------------------------------------------------------------


class RedirectSerializer(serializers.ModelSerializer):
    from_agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    to_agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = ObligationRedirect
        fields = ["from_agency", "to_agency", "at", "reason", "previous_due_at", "new_due_at"]


class ObligationSerializer(serializers.ModelSerializer):
    """The fields declare the schema; a row is `exports.obligation_record`, the same
    function the CSV and the JSON Lines use."""

    kind_label = serializers.CharField()
    agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    subject_title = serializers.CharField()
    subject_url = serializers.URLField()
    extended = serializers.BooleanField(source="is_extended", read_only=True)
    redirects = RedirectSerializer(many=True, read_only=True)
    status = serializers.ChoiceField(choices=Obligation.Status.choices)
    days_to_answer = serializers.IntegerField(
        allow_null=True, help_text="Working days from the opening day to the answer day."
    )
    rating = serializers.CharField(
        help_text="satisfied, not_satisfied, brush_off, or empty when not rated."
    )

    class Meta:
        model = Obligation
        fields = exports.OBLIGATION_COLUMNS
        extra_kwargs = {
            "response_days": {"help_text": "Working days to the first response, waiting excluded."},
            "answer_days": {"help_text": "Working days to the final answer, waiting excluded."},
        }

    def to_representation(self, obligation: Obligation) -> dict:
        return exports.obligation_record(obligation, self.context["rows"])


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
class ObligationViewSet(DownloadMixin, viewsets.ReadOnlyModelViewSet):
    """Every duty of an agency to answer, with its dates, redirects and computed status."""

    queryset = Obligation.objects.none()
    serializer_class = ObligationSerializer
    pagination_class = Pagination

    def get_queryset(self):
        params = self.request.query_params
        now = self._now()
        queryset = exports.obligation_queryset()
        status = params.get("status", "").strip()
        if status and status not in Obligation.Status.values:
            raise ValidationError({"status": f"One of: {', '.join(Obligation.Status.values)}."})
        queryset = queryset.filtered(
            agency=params.get("agency", "").strip(),
            kind=params.get("kind", "").strip(),
            status=status,
            opened_after=date_param(params, "opened_after"),
            opened_before=date_param(params, "opened_before"),
            now=now,
        )
        return queryset.order_by("-opened_at", "-pk")

    def _now(self) -> datetime.datetime:
        if not hasattr(self, "_request_now"):
            self._request_now = timezone.now()
        return self._request_now

    def get_serializer_context(self) -> dict:
        context = super().get_serializer_context()
        context["now"] = self._now()
        context["rows"] = exports.RowContext.for_request(self.request, self._now())
        return context

    @extend_schema(
        parameters=[*FILTERS, FORMAT_PARAMETER],
        responses=_download_responses("The same rows and filters as the list, all pages"),
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="export",
        pagination_class=None,
        renderer_classes=DOWNLOAD_RENDERERS,
        content_negotiation_class=DownloadNegotiation,
    )
    def export(self, request, *args, **kwargs):
        """All matching obligations, streamed a chunk at a time (memory stays flat)."""
        queryset = self.get_queryset()
        records = exports.obligation_records(
            queryset, exports.RowContext.for_request(request, self._now())
        )
        return _download(request, "obligations", records, exports.obligation_csv_lines)


# --- scorecards -------------------------------------------------------------------------------


class ScorecardRateSerializer(serializers.Serializer):
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()
    value = serializers.FloatField(allow_null=True, help_text="numerator / denominator")
    low = serializers.FloatField(allow_null=True, help_text="95% Wilson interval, lower end")
    high = serializers.FloatField(allow_null=True, help_text="95% Wilson interval, upper end")
    too_few = serializers.BooleanField(
        help_text="The denominator is below the minimum sample: value, low, high are null."
    )


class ScorecardPeriodSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The value to pass as ?period=")
    granularity = serializers.ChoiceField(choices=["month", "quarter", "year", "custom"])
    start = serializers.DateField()
    end = serializers.DateField(help_text="Included")
    label = serializers.CharField()


class ScorecardAgencySerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = TranslatedTextField("name")


class ScorecardSerializer(serializers.Serializer):
    kind = serializers.CharField(allow_null=True, help_text="null: all kinds together")
    kind_label = serializers.SerializerMethodField()
    received = serializers.IntegerField(help_text="Opened in the period (the cohort)")
    answered = serializers.IntegerField()
    answered_on_time = serializers.IntegerField()
    answered_late = serializers.IntegerField()
    open = serializers.IntegerField(help_text="Open now, not overdue (waiting included)")
    overdue_now = serializers.IntegerField()
    withdrawn = serializers.IntegerField()
    on_time = ScorecardRateSerializer(help_text="answered_on_time / answered")
    response_median = serializers.FloatField(allow_null=True)
    response_p90 = serializers.FloatField(allow_null=True)
    answer_median = serializers.FloatField(allow_null=True)
    answer_p90 = serializers.FloatField(allow_null=True)
    days_too_few = serializers.BooleanField()
    rated = serializers.IntegerField()
    satisfied = ScorecardRateSerializer(help_text="rated satisfied / rated")
    brush_off = ScorecardRateSerializer(help_text="rated a brush-off / rated")
    redirects_in = serializers.IntegerField()
    redirects_out = serializers.IntegerField()
    extensions = serializers.IntegerField()

    def get_kind_label(self, card) -> str:
        return kinds.label_of(card.kind) if card.kind else _("All kinds")


class AgencyScorecardSerializer(serializers.Serializer):
    agency = ScorecardAgencySerializer()
    period = ScorecardPeriodSerializer()
    total = ScorecardSerializer()
    kinds = ScorecardSerializer(many=True)


class ScorecardComparisonRowSerializer(ScorecardSerializer):
    agency = serializers.SerializerMethodField()

    @extend_schema_field(ScorecardAgencySerializer)
    def get_agency(self, card) -> dict:
        return ScorecardAgencySerializer(self.context["agencies"][card.agency_id]).data


class ScorecardComparisonSerializer(serializers.Serializer):
    period = ScorecardPeriodSerializer()
    kind = serializers.CharField(allow_null=True)
    results = ScorecardComparisonRowSerializer(many=True)


PERIOD_PARAMETER = OpenApiParameter(
    "period",
    str,
    description="2026-05 (a month), 2026-Q2 (a quarter), 2026 (a year) or "
    "2026-01-15..2026-03-31 (a range, at most 5 years); default: the current quarter",
)
KIND_PARAMETER = OpenApiParameter(
    "kind", str, description="A registered obligation kind, e.g. blogs.question"
)


def _period(request) -> scorecards.Period:
    try:
        return scorecards.Period.parse(request.query_params.get("period", "").strip())
    except scorecards.PeriodError as exc:
        raise ValidationError({"period": [str(exc)]}) from exc


def _kind(request) -> str | None:
    kind = request.query_params.get("kind", "").strip()
    if kind and kinds.get(kind) is None:
        known = ", ".join(k.key for k in kinds.all_kinds())
        raise ValidationError({"kind": [f"Unknown kind {kind!r}. One of: {known}."]})
    return kind or None


class AgencyScorecardViewSet(viewsets.ViewSet):
    """One agency's scorecard: `/api/v1/agencies/{slug}/scorecard/`."""

    @extend_schema(
        parameters=[
            OpenApiParameter("slug", str, OpenApiParameter.PATH, description="Agency slug"),
            PERIOD_PARAMETER,
            KIND_PARAMETER,
        ],
        responses=AgencyScorecardSerializer,
    )
    def list(self, request, slug: str, *args, **kwargs):
        """Who answers, how fast, how well, for the obligations the agency received in the
        period: all kinds together (`total`) and one per kind (`kinds`, only `kind` when
        given)."""
        agency = get_object_or_404(Agency, slug=slug)
        period = _period(request)
        kind = _kind(request)
        total, per_kind = scorecards.agency_scorecard(agency.pk, period)
        if kind:
            per_kind = [card for card in per_kind if card.kind == kind]
        data = {"agency": agency, "period": period, "total": total, "kinds": per_kind}
        return Response(AgencyScorecardSerializer(data).data)


class ScorecardViewSet(DownloadMixin, viewsets.ViewSet):
    """Every agency's scorecard side by side: `/api/v1/scorecards/`."""

    @extend_schema(
        parameters=[PERIOD_PARAMETER, KIND_PARAMETER], responses=ScorecardComparisonSerializer
    )
    def list(self, request, *args, **kwargs):
        """One scorecard per agency with obligations or redirects in the period (all kinds
        together, or `kind`), in agency name order: one document, not paginated (a row per
        agency, a few hundred at most)."""
        period = _period(request)
        kind = _kind(request)
        cards = scorecards.comparison(period, kind=kind)
        agencies = Agency.objects.in_bulk({card.agency_id for card in cards})
        data = {"period": period, "kind": kind, "results": cards}
        return Response(ScorecardComparisonSerializer(data, context={"agencies": agencies}).data)

    @extend_schema(
        parameters=[PERIOD_PARAMETER, KIND_PARAMETER, FORMAT_PARAMETER],
        responses=_download_responses("One row per agency and kind (and all kinds together)"),
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="export",
        renderer_classes=DOWNLOAD_RENDERERS,
        content_negotiation_class=DownloadNegotiation,
    )
    def export(self, request, *args, **kwargs):
        """The comparison as rows, one per agency × kind: without `kind`, each agency's row
        of all kinds together, then one per kind it had."""
        period = _period(request)
        kind = _kind(request)
        records = exports.scorecard_records(period, kind=kind)
        return _download(
            request,
            f"scorecards-{period.key.replace('..', '_')}",
            records,
            lambda rows: exports.csv_lines(exports.SCORECARD_COLUMNS, rows),
        )


def register(router: DefaultRouter) -> None:
    """Register this app's viewsets on the /api/v1/ router."""
    router.register("obligations", ObligationViewSet, basename="obligation")
    router.register("scorecards", ScorecardViewSet, basename="scorecard")
    router.register(
        r"agencies/(?P<slug>[^/.]+)/scorecard", AgencyScorecardViewSet, basename="agency-scorecard"
    )
