"""Open data: polls.

`/api/v1/polls/` lists the published polls (and the cancelled ones that had been
published, with their reason), newest opening first, filtered by `phase` (open,
upcoming, closed) and `agency` (slug); `/api/v1/polls/{id}/` is one of them. Each comes
with its questions and options, and its results when the requesting user may see them
(`results: null` otherwise). No person, submission or free-text answer is ever returned.

A fixed number of queries per request whatever the number of polls and submissions:
the page of polls with their agency, their questions, their options, and (signed in)
which of them the person took part in; results come from the counters.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.routers import DefaultRouter

from accounts.models import Agency
from ashyq.api import Pagination

from . import selectors
from .models import Poll, PollOption, PollQuestion
from .serializers import PollSerializer

FILTERS = [
    OpenApiParameter(
        "phase",
        str,
        enum=[str(phase) for phase in selectors.LIST_PHASES],
        description="open, upcoming or closed (cancelled polls are listed with the closed). "
        "Default: all.",
    ),
    OpenApiParameter("agency", str, description="The agency's slug."),
]


class PollViewSet(viewsets.ReadOnlyModelViewSet):
    """Polls run by agencies: questions, options, dates, audience, and the results when
    they are visible to the requesting user."""

    serializer_class = PollSerializer
    pagination_class = Pagination
    queryset = Poll.objects.none()
    lookup_value_regex = r"\d+"

    def _now(self):
        if not hasattr(self, "_request_now"):
            self._request_now = timezone.now()
        return self._request_now

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": self._now()}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Poll.objects.none()
        now = self._now()
        qs = Poll.objects.public()
        if self.action == "list":
            params = self.request.query_params
            phase = (params.get("phase") or "").strip()
            if phase:
                if phase not in selectors.LIST_PHASES:
                    raise ValidationError({"phase": f"One of {', '.join(selectors.LIST_PHASES)}."})
                qs = selectors.public_list(phase=phase, now=now)
            if slug := (params.get("agency") or "").strip():
                agency = Agency.objects.filter(slug=slug).values_list("pk", flat=True).first()
                if agency is None:
                    raise ValidationError({"agency": f"Unknown agency {slug!r}."})
                qs = qs.filter(agency_id=agency)
            if not phase:
                qs = qs.order_by("-opens_at", "-pk")
        return qs.select_related("agency").prefetch_related(
            Prefetch(
                "questions",
                queryset=PollQuestion.objects.order_by("position", "pk").prefetch_related(
                    Prefetch("options", queryset=PollOption.objects.order_by("position", "pk"))
                ),
            )
        )

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            selectors.prime_submitted(self.request.user, page)
        return page

    def get_object(self):
        poll = super().get_object()
        selectors.prime_submitted(self.request.user, [poll])
        return poll

    @extend_schema(parameters=FILTERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


def register(router: DefaultRouter) -> None:
    """Register this app's viewsets on the /api/v1/ router."""
    router.register("polls", PollViewSet, basename="poll")
