"""Open data: internet conferences.

`/api/v1/conferences/` lists every conference (upcoming, live, archived, cancelled), the
newest first, with `phase` and `agency` (slug) filters; `/api/v1/conferences/{id}/` adds
the transcript: the answered questions in the order they were answered, then the
published questions left unanswered, with vote counts, answers, who answered (and whether
on the official's behalf) and the blog question an unanswered one became. Questions
awaiting moderation or rejected are never shown; no email is returned.

A list page is two queries (count, rows with the agency joined) and a conference one
more (its published questions with their authors and blog questions joined), whatever
the number of questions or votes.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from ashyq.api import Pagination

from . import selectors
from .models import Conference, ConferenceQuestion, Phase, QuestionState
from .serializers import ConferenceDetailSerializer, ConferenceListSerializer

FILTERS = [
    OpenApiParameter(
        "phase",
        str,
        enum=list(Phase.values),
        description="upcoming (questions open), live, archived (a transcript) or cancelled. "
        "Default: all.",
    ),
    OpenApiParameter("agency", str, description="The agency's slug"),
]


class ConferenceViewSet(viewsets.ReadOnlyModelViewSet):
    """Internet conferences of officials, with their phase, dates and counts; one
    conference with its transcript."""

    serializer_class = ConferenceListSerializer
    pagination_class = Pagination
    queryset = Conference.objects.none()
    lookup_value_regex = r"\d+"

    def get_serializer_class(self):
        if self.action == "retrieve":
            return ConferenceDetailSerializer
        return ConferenceListSerializer

    def _now(self):
        if not hasattr(self, "_request_now"):
            self._request_now = timezone.now()
        return self._request_now

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": self._now()}

    @extend_schema(parameters=FILTERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Conference.objects.none()
        queryset = selectors.conferences().order_by("-starts_at", "-pk")
        params = self.request.query_params
        phase = params.get("phase", "").strip()
        if phase:
            if phase not in Phase.values:
                raise ValidationError(
                    {"phase": f"Not a phase: {phase!r}. Use one of {', '.join(Phase.values)}."}
                )
            queryset = queryset.in_phase(phase, self._now())
        agency = params.get("agency", "").strip()
        if agency:
            queryset = queryset.filter(agency__slug=agency)
        return queryset

    def retrieve(self, request, *args, **kwargs):
        conference = get_object_or_404(selectors.conferences(), pk=kwargs["pk"])
        published = list(
            ConferenceQuestion.objects.filter(
                conference=conference, state=QuestionState.PUBLISHED
            ).select_related("author", "blog_question")
        )
        answered = sorted(
            (q for q in published if q.answered_at is not None),
            key=lambda q: (q.answered_at, q.pk),
        )
        unanswered = sorted(
            (q for q in published if q.answered_at is None),
            key=lambda q: (-q.vote_count, q.published_at, q.pk),
        )
        questions = answered + unanswered
        questions = selectors.attach(questions, conference)
        context = {**self.get_serializer_context(), "questions": questions}
        return Response(ConferenceDetailSerializer(conference, context=context).data)


def register(router: DefaultRouter) -> None:
    """Register this app's viewsets on the /api/v1/ router."""
    router.register("conferences", ConferenceViewSet, basename="conference")
