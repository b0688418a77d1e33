"""Open data: e-petitions.

`/api/v1/petitions/` lists what the public list shows (public, threshold reached, closed;
never drafts, petitions in moderation, link-only ones or hidden ones), with the list
page's filters. `/api/v1/petitions/{id}/` opens any petition the public may open (a
link-only petition too: it is reachable by its link; a rejection only when its reason is
public). No email, IP address or signer is returned: signatures are counts only.

Each request is a fixed number of queries whatever the number of signatures: counts come
from `Petition.signature_count` and `RegionCount`, never from counting signature rows.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from accounts.regions import Region
from ashyq.api import Pagination

from . import selectors
from .export import FilterError, public_petitions
from .models import Petition, PetitionResponse, ResponseAttachment
from .serializers import PetitionDetailSerializer, PetitionListSerializer

FILTERS = [
    OpenApiParameter(
        "state",
        str,
        enum=[str(value) for value in selectors.LIST_FILTERS],
        description="A listed state, or responded, or rejected (public reasons only). "
        "Default: every listed state (public, threshold reached, closed).",
    ),
    OpenApiParameter("addressee", str, description="The addressed agency's slug"),
    OpenApiParameter("region", str, enum=list(Region.values)),
    OpenApiParameter(
        "sort",
        str,
        enum=list(selectors.SORTS),
        description="Default most_signed; closing_soon lists only petitions still collecting.",
    ),
]


@extend_schema(parameters=FILTERS)
class PetitionViewSet(viewsets.ReadOnlyModelViewSet):
    """Petitions to government bodies, with their signature counts, state, dates and the
    addressee's response."""

    serializer_class = PetitionListSerializer
    pagination_class = Pagination
    queryset = Petition.objects.none()
    lookup_value_regex = r"\d+"

    def get_serializer_class(self):
        return PetitionDetailSerializer if self.action == "retrieve" else PetitionListSerializer

    def _now(self):
        if not hasattr(self, "_request_now"):
            self._request_now = timezone.now()
        return self._request_now

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": self._now()}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Petition.objects.none()
        try:
            return public_petitions(self.request.query_params, now=self._now())
        except FilterError as error:
            raise ValidationError({error.param: error.message}) from None

    @extend_schema(parameters=[])
    def retrieve(self, request, *args, **kwargs):
        """One petition the public may open: listed ones, link-only ones (reachable by
        their link), closed and withdrawn ones once published, and rejected ones whose
        reason is public. Its texts, files, signatures by region, the rejection's reason
        and the addressee's response."""
        petition = get_object_or_404(
            Petition.objects.filter(selectors.visible_to(AnonymousUser())).select_related(
                "author", "addressee", "rejection_reason"
            ),
            pk=kwargs["pk"],
        )
        response = PetitionResponse.objects.filter(petition=petition).first()
        context = {
            **self.get_serializer_context(),
            "attachments": list(petition.attachments.order_by("pk")),
            "region_counts": selectors.region_counts(petition),
            "response": response,
            "response_files": (
                list(ResponseAttachment.objects.filter(response=response).order_by("pk"))
                if response is not None
                else []
            ),
        }
        return Response(PetitionDetailSerializer(petition, context=context).data)


def register(router: DefaultRouter) -> None:
    """Register this app's viewsets on the /api/v1/ router."""
    router.register("petitions", PetitionViewSet, basename="petition")
