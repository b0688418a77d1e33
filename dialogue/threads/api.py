"""Open data: discussion threads.

`/api/v1/threads/` lists what the public list shows (neither hidden nor withdrawn) with
its filters and sorts: `category`, `region`, `agency` (the addressee's slug), `sort`
(newest, active, supported). `/api/v1/threads/{id}/` opens any thread; a hidden or
withdrawn one without its title and text. No email or IP address is returned.

Each request is a fixed number of queries whatever the number of threads, supports and
comments: the page's rows with their author, addressee and obligation in one query, the
count, and one for an `agency` filter's slug.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from accounts.models import Agency
from accounts.regions import Region
from ashyq.api import Pagination

from . import selectors
from .models import Thread, ThreadCategory
from .serializers import ThreadDetailSerializer, ThreadListSerializer

FILTERS = [
    OpenApiParameter("category", str, enum=list(ThreadCategory.values)),
    OpenApiParameter("region", str, enum=list(Region.values)),
    OpenApiParameter("agency", str, description="The addressed agency's slug"),
    OpenApiParameter(
        "sort",
        str,
        enum=list(selectors.SORTS),
        description="newest (default); active: most replies, then the latest activity; "
        "supported: most supporters.",
    ),
]


def _param(params, name: str) -> str:
    return (params.get(name) or "").strip()


@extend_schema(parameters=FILTERS)
class ThreadViewSet(viewsets.ReadOnlyModelViewSet):
    """Citizens' discussion threads, with their support and reply counts, and the state
    of the official reply an agency owes once enough people support a thread addressed
    to it."""

    serializer_class = ThreadListSerializer
    pagination_class = Pagination
    queryset = Thread.objects.none()
    lookup_value_regex = r"\d+"

    def get_serializer_class(self):
        return ThreadDetailSerializer if self.action == "retrieve" else ThreadListSerializer

    def get_serializer_context(self):
        if not hasattr(self, "_request_now"):
            self._request_now = timezone.now()
        return {**super().get_serializer_context(), "now": self._request_now}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Thread.objects.none()
        params = self.request.query_params
        category = _param(params, "category")
        if category and category not in ThreadCategory.values:
            raise ValidationError({"category": f"One of {', '.join(ThreadCategory.values)}."})
        region = _param(params, "region")
        if region and region not in Region.values:
            raise ValidationError({"region": f"One of {', '.join(Region.values)}."})
        sort = _param(params, "sort") or selectors.DEFAULT_SORT
        if sort not in selectors.SORTS:
            raise ValidationError({"sort": f"One of {', '.join(selectors.SORTS)}."})
        addressee = None
        if slug := _param(params, "agency"):
            addressee = Agency.objects.filter(slug=slug).values_list("pk", flat=True).first()
            if addressee is None:
                raise ValidationError({"agency": f"Unknown agency {slug!r}."})
        return selectors.public_list(
            category=category, region=region, addressee=addressee, sort=sort
        )

    @extend_schema(parameters=[])
    def retrieve(self, request, *args, **kwargs):
        """One thread, listed or not: its text, or why it is not shown (hidden by a
        moderator, withdrawn by its author), and a link to its replies."""
        thread = get_object_or_404(
            Thread.objects.select_related("author", "addressee", "obligation"), pk=kwargs["pk"]
        )
        return Response(ThreadDetailSerializer(thread, context=self.get_serializer_context()).data)


def register(router: DefaultRouter) -> None:
    """Register this app's viewsets on the /api/v1/ router."""
    router.register("threads", ThreadViewSet, basename="thread")
