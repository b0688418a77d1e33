"""Open data: the agency directory. No email address or other personal data leaves here."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, viewsets

from ashyq.i18n import translations

from . import selectors
from .models import Agency
from .regions import Region


class TranslatedTextField(serializers.Field):
    """{"kk": ..., "ru": ..., "en": ...} from parallel `<base>_<lang>` columns."""

    def __init__(self, base: str, **kwargs) -> None:
        kwargs.setdefault("source", "*")
        kwargs.setdefault("read_only", True)
        self.base = base
        super().__init__(**kwargs)

    def to_representation(self, instance) -> dict[str, str]:
        return translations(instance, self.base)


extend_schema_field(
    {"type": "object", "properties": {lang: {"type": "string"} for lang in ("kk", "ru", "en")}}
)(TranslatedTextField)


class AgencyHeadSerializer(serializers.Serializer):
    name = serializers.CharField(source="user.public_name")
    position = TranslatedTextField("position")


class AgencySerializer(serializers.ModelSerializer):
    name = TranslatedTextField("name")
    description = TranslatedTextField("description")
    address = TranslatedTextField("address")
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    head = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Agency
        fields = [
            "slug",
            "name",
            "kind",
            "parent",
            "region",
            "description",
            "address",
            "phone",
            "website",
            "head",
            "url",
        ]

    @extend_schema_field(AgencyHeadSerializer(allow_null=True))
    def get_head(self, agency: Agency):
        head = selectors.agency_head(agency)
        return AgencyHeadSerializer(head).data if head else None

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, agency: Agency) -> str:
        request = self.context.get("request")
        url = agency.get_absolute_url()
        return request.build_absolute_uri(url) if request else url


@extend_schema(
    parameters=[
        OpenApiParameter("kind", enum=Agency.Kind.values, description="central or local"),
        OpenApiParameter("region", enum=Region.values),
        OpenApiParameter("lang", enum=["kk", "ru", "en"], description="Sort by name in"),
    ]
)
class AgencyViewSet(viewsets.ReadOnlyModelViewSet):
    """Government bodies: ministries, committees, akimats and maslikhats."""

    # Tells the schema generator the model (get_queryset needs a request it does not have).
    queryset = Agency.objects.none()
    serializer_class = AgencySerializer
    lookup_field = "slug"

    def get_queryset(self):
        params = self.request.query_params
        kind = params.get("kind", "")
        region = params.get("region", "")
        lang = params.get("lang", "")
        return selectors.agency_list(
            kind=kind if kind in Agency.Kind.values else "",
            region=region if region in Region.values else "",
            lang=lang if lang in ("kk", "ru", "en") else None,
        )
