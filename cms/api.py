"""Open data: announcements, in the language asked for."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets

from ashyq.i18n import LANGUAGE_CODES

from .models import AnnouncementPage


class AnnouncementSerializer(serializers.ModelSerializer):
    language = serializers.CharField(source="locale.language_code")
    agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    url = serializers.SerializerMethodField()
    published_at = serializers.DateTimeField(source="first_published_at")
    translation_key = serializers.UUIDField()

    class Meta:
        model = AnnouncementPage
        fields = [
            "id",
            "title",
            "summary",
            "date",
            "language",
            "agency",
            "published_at",
            "url",
            "translation_key",
        ]

    def get_url(self, page: AnnouncementPage) -> str:
        return page.get_full_url(request=self.context.get("request")) or ""


class AnnouncementDetailSerializer(AnnouncementSerializer):
    body = serializers.SerializerMethodField()

    class Meta(AnnouncementSerializer.Meta):
        fields = [*AnnouncementSerializer.Meta.fields, "body"]

    def get_body(self, page: AnnouncementPage) -> str:
        return str(page.body.render_as_block())


@extend_schema(
    parameters=[
        OpenApiParameter("language", enum=list(LANGUAGE_CODES), description="Only this language"),
        OpenApiParameter("agency", description="Agency slug"),
    ]
)
class AnnouncementViewSet(viewsets.ReadOnlyModelViewSet):
    """Announcements published by the platform's editors, newest first."""

    # Tells the schema generator the model (get_queryset needs a request it does not have).
    queryset = AnnouncementPage.objects.none()

    def get_serializer_class(self):
        return AnnouncementDetailSerializer if self.action == "retrieve" else AnnouncementSerializer

    def get_queryset(self):
        qs = (
            AnnouncementPage.objects.live()
            .public()
            .select_related("locale", "agency")
            .order_by("-date", "-pk")
        )
        language = self.request.query_params.get("language", "")
        if language in LANGUAGE_CODES:
            qs = qs.filter(locale__language_code=language)
        agency = self.request.query_params.get("agency", "")
        if agency:
            qs = qs.filter(agency__slug=agency)
        return qs
