"""Open data: search.

`/api/v1/search/?q=&kind=&agency=&status=&from=&to=&page=&page_size=` gives what the
search page gives: the results of all kinds ranked together (one per object, in the
request's language where the object exists in it), the facet counts of kind, agency and
status (each counted under the other filters), "did you mean" when offered, and whether
the fallback answered (`degraded`). `kind` and `status` may repeat or be comma-separated.
Without `q`, everything the filters allow, newest first.

Two database queries and one for the agencies' names, whatever the index's size.
"""

from __future__ import annotations

from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.routers import DefaultRouter

from ashyq.api import date_param

from . import display, registry
from .services import MAX_PER_PAGE, search

DEFAULT_PAGE_SIZE = 20

PARAMETERS = [
    OpenApiParameter(
        "q", str, description="The words; every word must match (a prefix is enough)."
    ),
    OpenApiParameter(
        "kind", str, many=True, description="One or more kinds (see the `kind` facet)."
    ),
    OpenApiParameter("agency", int, description="An agency's id."),
    OpenApiParameter("status", str, many=True, description="One or more statuses."),
    OpenApiParameter("from", OpenApiTypes.DATE, description="On or after this date (YYYY-MM-DD)."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="On or before this date (YYYY-MM-DD)."),
    OpenApiParameter("page", int),
    OpenApiParameter("page_size", int, description=f"At most {MAX_PER_PAGE}."),
]

_facet_value = inline_serializer(
    "SearchFacetValue",
    {
        "value": serializers.CharField(),
        "label": serializers.CharField(),
        "count": serializers.IntegerField(
            allow_null=True, help_text="Null when `facet_counts_exact` is false."
        ),
    },
    many=True,
)

RESPONSE = inline_serializer(
    "SearchResponse",
    {
        "query": serializers.CharField(),
        "count": serializers.IntegerField(),
        "count_exact": serializers.BooleanField(
            help_text="False when the database search stopped counting: `count` is then "
            "a lower bound and the results are the newest, ranked."
        ),
        "facet_counts_exact": serializers.BooleanField(),
        "page": serializers.IntegerField(),
        "num_pages": serializers.IntegerField(),
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "suggestion": serializers.CharField(allow_null=True),
        "backend": serializers.CharField(),
        "degraded": serializers.BooleanField(),
        "facets": inline_serializer(
            "SearchFacets",
            {"kind": _facet_value, "agency": _facet_value, "status": _facet_value},
        ),
        "results": inline_serializer(
            "SearchResult",
            {
                "kind": serializers.CharField(),
                "kind_label": serializers.CharField(),
                "id": serializers.CharField(),
                "language": serializers.CharField(),
                "title": serializers.CharField(),
                "title_html": serializers.CharField(),
                "snippet_html": serializers.CharField(),
                "url": serializers.URLField(),
                "date": serializers.DateField(allow_null=True),
                "agency": serializers.DictField(allow_null=True),
                "status": serializers.CharField(),
                "status_label": serializers.CharField(),
                "context": serializers.CharField(allow_null=True),
                "score": serializers.FloatField(),
            },
            many=True,
        ),
    },
)


def _list_param(params, name: str) -> list[str]:
    values: list[str] = []
    for raw in params.getlist(name):
        values.extend(value.strip() for value in raw.split(",") if value.strip())
    return values


def _int_param(params, name: str, *, default: int | None, minimum: int = 1) -> int | None:
    value = params.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ValidationError({name: f"Not a whole number: {value!r}."}) from None
    if number < minimum:
        raise ValidationError({name: f"Must be at least {minimum}."})
    return number


class SearchViewSet(viewsets.ViewSet):
    """Full-text search over everything public: announcements and pages, blog posts,
    questions and answers, draft acts and their paragraphs, comments and agency
    responses, petitions and their responses, discussions, conferences, polls and
    agencies."""

    @extend_schema(parameters=PARAMETERS, responses=RESPONSE)
    def list(self, request: Request) -> Response:
        params = request.query_params
        kinds = _list_param(params, "kind")
        known = set(registry.labels())
        unknown = [kind for kind in kinds if kind not in known]
        if unknown:
            raise ValidationError({"kind": f"Unknown kind: {', '.join(unknown)}."})
        status = _list_param(params, "status")
        agency = _int_param(params, "agency", default=None)
        date_from, date_to = date_param(params, "from"), date_param(params, "to")
        if date_from and date_to and date_from > date_to:
            raise ValidationError({"to": "The end date is before the start date."})
        page = _int_param(params, "page", default=1)
        page_size = min(
            _int_param(params, "page_size", default=DEFAULT_PAGE_SIZE) or DEFAULT_PAGE_SIZE,
            MAX_PER_PAGE,
        )
        results = search(
            q=params.get("q", ""),
            kinds=kinds or None,
            agency=agency,
            status=status or None,
            date_from=date_from,
            date_to=date_to,
            language=get_language(),
            page=page,
            per_page=page_size,
        )
        rows, facets = display.rows_and_facets(results, kinds=kinds, agency=agency, status=status)
        url = reverse("search-list", request=request)

        def page_link(number: int) -> str:
            query = params.copy()
            query["page"] = str(number)
            return f"{url}?{query.urlencode()}"

        return Response(
            {
                "query": results.query,
                "count": results.total,
                "count_exact": results.total_exact,
                "facet_counts_exact": results.facets_exact,
                "page": results.page,
                "num_pages": results.num_pages,
                "next": page_link(results.page + 1) if results.has_next else None,
                "previous": page_link(results.page - 1) if results.has_previous else None,
                "suggestion": results.suggestion,
                "backend": results.backend,
                "degraded": results.degraded,
                "facets": {
                    name: [
                        {
                            "value": value.value,
                            "label": value.label,
                            "count": value.count if results.facets_exact else None,
                        }
                        for value in values
                    ]
                    for name, values in facets.items()
                },
                "results": [_result(row, request) for row in rows],
            }
        )


def _result(row: display.Row, request: Request) -> dict:
    hit = row.hit
    return {
        "kind": hit.kind,
        "kind_label": row.kind_label,
        "id": hit.object_pk,
        "language": hit.language,
        "title": hit.title,
        "title_html": str(hit.title_html),
        "snippet_html": str(hit.snippet),
        "url": request.build_absolute_uri(row.url) if row.url else "",
        "date": hit.date.isoformat() if hit.date else None,
        "agency": (
            {"id": row.agency.pk, "slug": row.agency.slug, "name": row.agency.name}
            if row.agency
            else None
        ),
        "status": hit.status,
        "status_label": row.status_label,
        "context": hit.extra.get("context") or None,
        "score": hit.score,
    }


def register(router: DefaultRouter) -> None:
    """Register this app's viewsets on the /api/v1/ router."""
    router.register("search", SearchViewSet, basename="search")
