"""The signed-in person's own watches: /api/v1/watches/ (list, create, retrieve, delete).

Personal, not open data: every request sees only the caller's watches; anonymous callers
are refused. Alerts themselves are notifications (/api/v1/notifications/).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.routers import DefaultRouter

from accounts.models import Agency
from tracking import kinds

from . import services
from .models import EVENTS, Watch

EVENTS_SCHEMA = {"type": "array", "items": {"type": "string", "enum": list(EVENTS)}}


@extend_schema_field(EVENTS_SCHEMA, component_name="WatchlistEvents")
class EventsField(serializers.MultipleChoiceField):
    """A list of events (a JSON array, in the order of EVENTS), inline in the schema rather
    than a shared enum component whose name other modules might take."""

    def __init__(self, **kwargs) -> None:
        super().__init__(choices=list(EVENTS), **kwargs)

    def to_representation(self, value):
        return [event for event in EVENTS if event in value]


class WatchlistWatchSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Agency.objects.all(),
        required=False,
        allow_null=True,
        help_text="Agency slug; null for any agency.",
    )
    kind = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=64,
        help_text="Obligation kind, e.g. blog_question; empty for any kind.",
    )
    kind_label = serializers.SerializerMethodField()
    label = serializers.CharField(read_only=True)
    events = EventsField(required=False, help_text="What to be told of (default: all).")

    class Meta:
        model = Watch
        fields = ["id", "name", "label", "agency", "kind", "kind_label", "events", "created_at"]
        read_only_fields = ["id", "label", "kind_label", "created_at"]

    def get_kind_label(self, watch: Watch) -> str:
        return watch.kind_label

    def create(self, validated_data) -> Watch:
        try:
            return services.watch_add(
                user=self.context["request"].user,
                agency=validated_data.get("agency"),
                kind=validated_data.get("kind", ""),
                events=validated_data.get("events") or EVENTS,
                name=validated_data.get("name", ""),
            )
        except services.WatchError as error:
            raise ValidationError({error.field or "non_field_errors": [str(error)]}) from error

    def validate_kind(self, value: str) -> str:
        if value and kinds.get(value) is None:
            raise ValidationError(f"Unknown obligation kind {value!r}.")
        return value


@extend_schema(tags=["watches"])
class WatchViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Your own watches: what you are alerted about. Sign in first (session cookie)."""

    serializer_class = WatchlistWatchSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Watch.objects.none()
        return services.watches_of(self.request.user)

    def perform_destroy(self, instance: Watch) -> None:
        services.watch_remove(user=self.request.user, watch_id=instance.pk)


def register(router: DefaultRouter) -> None:
    """Register this app's viewsets on the /api/v1/ router."""
    router.register("watches", WatchViewSet, basename="watch")
