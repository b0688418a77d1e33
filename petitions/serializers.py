"""Open data shapes of petitions (`api.py`).

No email, IP address or signer appears here: the author is shown by `User.public_name`,
signatures only as counts (`Petition.signature_count`, `RegionCount`). The state is the
effective one at the request's time (`Petition.effective_state`), so an expired petition
never shows as open. A hidden petition (moderation after publication) keeps its row with
the public reason; its title, texts and files are left out. Component names start with
"Petition" so they never collide with other modules' in the schema.
"""

from __future__ import annotations

import datetime

from django.urls import NoReverseMatch, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.regions import Region
from moderation.registry import hide_reason_label

from .models import (
    Petition,
    PetitionAttachment,
    PetitionState,
    ResponseAttachment,
    ResponseDecision,
    ResponseState,
)
from .selectors import RegionRow


def absolute(context: dict, url: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(url) if request else url


def _enum(values) -> dict:
    """An enum kept inline (wrapped in `allOf`, which drf-spectacular does not extract into
    a named component): "state" and "region" name other choice sets in other modules."""
    return {"allOf": [{"type": "string", "enum": list(values)}]}


NULLABLE_STRING = {"type": "string", "nullable": True}


def closed_at(petition: Petition, state: str) -> datetime.datetime | None:
    """When the petition closed: the stored date, or the clock that closed it when the
    daily `close_expired` has not stored it yet."""
    if petition.closed_at is not None:
        return petition.closed_at
    if state == PetitionState.CLOSED_UNSUPPORTED:
        return petition.support_deadline
    if state == PetitionState.CLOSED:
        return petition.collection_closes_at
    return None


class PetitionAddresseeSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class PetitionDatesSerializer(serializers.Serializer):
    published_at = serializers.DateTimeField(allow_null=True)
    support_deadline = serializers.DateTimeField(
        allow_null=True, help_text="Link-only petitions need their first supporters by then."
    )
    public_at = serializers.DateTimeField(allow_null=True)
    threshold_reached_at = serializers.DateTimeField(allow_null=True)
    closes_at = serializers.DateTimeField(allow_null=True, help_text="End of the collection.")
    closed_at = serializers.DateTimeField(allow_null=True)
    rejected_at = serializers.DateTimeField(allow_null=True)
    withdrawn_at = serializers.DateTimeField(allow_null=True)
    responded_at = serializers.DateTimeField(allow_null=True)


class PetitionListSerializer(serializers.ModelSerializer):
    """A petition of the public list, with its counts and dates."""

    title = serializers.SerializerMethodField()
    request = serializers.SerializerMethodField()
    addressee = serializers.SerializerMethodField()
    region = serializers.SerializerMethodField()
    region_label = serializers.SerializerMethodField()
    author = serializers.SerializerMethodField()
    state = serializers.SerializerMethodField()
    state_label = serializers.SerializerMethodField()
    response_state = serializers.SerializerMethodField()
    collecting = serializers.SerializerMethodField()
    progress = serializers.IntegerField(
        source="progress_percent", read_only=True, help_text="Per cent of the threshold, 0-100."
    )
    dates = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Petition
        fields = [
            "id",
            "title",
            "request",
            "addressee",
            "region",
            "region_label",
            "author",
            "state",
            "state_label",
            "response_state",
            "collecting",
            "threshold",
            "signature_count",
            "progress",
            "dates",
            "url",
        ]

    def _now(self) -> datetime.datetime | None:
        return self.context.get("now")

    def _state(self, petition: Petition) -> str:
        return petition.effective_state(self._now())

    @extend_schema_field(NULLABLE_STRING)
    def get_title(self, petition: Petition) -> str | None:
        return None if petition.hidden_at else petition.title

    @extend_schema_field(NULLABLE_STRING)
    def get_request(self, petition: Petition) -> str | None:
        return None if petition.hidden_at else petition.request

    @extend_schema_field(PetitionAddresseeSerializer)
    def get_addressee(self, petition: Petition) -> dict:
        return {"slug": petition.addressee.slug, "name": petition.addressee.name}

    @extend_schema_field(_enum(["", *Region.values]))
    def get_region(self, petition: Petition) -> str:
        return petition.region

    def get_region_label(self, petition: Petition) -> str:
        return str(petition.get_region_display()) if petition.region else ""

    def get_author(self, petition: Petition) -> str:
        """The author's public name (never their account or email)."""
        return petition.author.public_name

    @extend_schema_field(_enum(PetitionState.values))
    def get_state(self, petition: Petition) -> str:
        """The state at the request's time, the clocks applied."""
        return str(self._state(petition))

    def get_state_label(self, petition: Petition) -> str:
        return str(PetitionState(self._state(petition)).label)

    @extend_schema_field(_enum(ResponseState.values))
    def get_response_state(self, petition: Petition) -> str:
        return petition.response_state

    def get_collecting(self, petition: Petition) -> bool:
        """Taking signatures now."""
        return petition.is_collecting(self._now())

    @extend_schema_field(PetitionDatesSerializer)
    def get_dates(self, petition: Petition) -> dict:
        return {
            "published_at": petition.published_at,
            "support_deadline": petition.support_deadline,
            "public_at": petition.public_at,
            "threshold_reached_at": petition.threshold_reached_at,
            "closes_at": petition.collection_closes_at,
            "closed_at": closed_at(petition, self._state(petition)),
            "rejected_at": petition.rejected_at,
            "withdrawn_at": petition.withdrawn_at,
            "responded_at": petition.responded_at,
        }

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, petition: Petition) -> str:
        return absolute(self.context, petition.get_absolute_url())


class PetitionFileSerializer(serializers.Serializer):
    name = serializers.CharField()
    size = serializers.IntegerField()
    content_type = serializers.CharField()
    url = serializers.URLField(allow_null=True)


class PetitionRegionCountSerializer(serializers.Serializer):
    region = serializers.CharField(help_text='A region code; "" when the signers gave none.')
    label = serializers.CharField()
    count = serializers.IntegerField()
    percent = serializers.FloatField()


class PetitionRejectionSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="The reason's code.")
    label = serializers.CharField()
    excluded_topic = serializers.BooleanField(
        help_text="A topic on which the law does not allow petitions."
    )
    note = serializers.CharField(help_text="The moderator's note.")


class PetitionResponseSerializer(serializers.Serializer):
    """Documents the shape only (`PetitionDetailSerializer.get_response` builds it)."""

    text = serializers.CharField()
    decision = serializers.SerializerMethodField()
    decision_label = serializers.CharField()
    hearing_date = serializers.DateField(allow_null=True)
    published_at = serializers.DateTimeField()
    files = PetitionFileSerializer(many=True)

    @extend_schema_field(_enum(ResponseDecision.values))
    def get_decision(self, response) -> str:
        return response["decision"]


def _file(context: dict, attachment, url: str | None) -> dict:
    return {
        "name": attachment.name,
        "size": attachment.size,
        "content_type": attachment.content_type,
        "url": absolute(context, url) if url else None,
    }


def _petition_file_url(attachment: PetitionAttachment) -> str:
    return reverse("petitions:attachment", args=[attachment.petition_id, attachment.pk])


def _response_file_url(petition: Petition, attachment: ResponseAttachment) -> str | None:
    """The response file's download address, once the screens have one (None before)."""
    try:
        return reverse("petitions:response_attachment", args=[petition.pk, attachment.pk])
    except NoReverseMatch:
        return None


class PetitionDetailSerializer(PetitionListSerializer):
    """One petition: the list's fields, its background and files, the signatures by region,
    the rejection when its reason is public, and the addressee's response."""

    background = serializers.SerializerMethodField()
    hidden_reason = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()
    region_counts = serializers.SerializerMethodField()
    rejection = serializers.SerializerMethodField()
    response = serializers.SerializerMethodField()

    class Meta(PetitionListSerializer.Meta):
        fields = [
            *PetitionListSerializer.Meta.fields,
            "background",
            "hidden_reason",
            "attachments",
            "region_counts",
            "rejection",
            "response",
        ]

    @extend_schema_field(NULLABLE_STRING)
    def get_background(self, petition: Petition) -> str | None:
        return None if petition.hidden_at else petition.background

    @extend_schema_field(NULLABLE_STRING)
    def get_hidden_reason(self, petition: Petition) -> str | None:
        """Why a moderator hid the petition (its texts and files are then left out)."""
        return hide_reason_label(petition.hidden_reason) if petition.hidden_at else None

    @extend_schema_field(PetitionFileSerializer(many=True))
    def get_attachments(self, petition: Petition) -> list[dict]:
        if petition.hidden_at:
            return []
        return [
            _file(self.context, attachment, _petition_file_url(attachment))
            for attachment in self.context.get("attachments", [])
        ]

    @extend_schema_field(PetitionRegionCountSerializer(many=True))
    def get_region_counts(self, petition: Petition) -> list[dict]:
        """Counted signatures per signer region, largest first, "not given" last."""
        rows: list[RegionRow] = self.context.get("region_counts", [])
        return [
            {"region": row.region, "label": row.label, "count": row.count, "percent": row.percent}
            for row in rows
        ]

    @extend_schema_field(PetitionRejectionSerializer(allow_null=True))
    def get_rejection(self, petition: Petition) -> dict | None:
        """Only when rejected for a public reason (others are never published)."""
        if petition.state != PetitionState.REJECTED or not petition.rejection_is_public:
            return None
        reason = petition.rejection_reason
        return {
            "reason": reason.code,
            "label": reason.label,
            "excluded_topic": reason.excluded_topic,
            "note": petition.rejection_note,
        }

    @extend_schema_field(PetitionResponseSerializer(allow_null=True))
    def get_response(self, petition: Petition) -> dict | None:
        response = self.context.get("response")
        if response is None:
            return None
        return {
            "text": response.text,
            "decision": response.decision,
            "decision_label": str(response.get_decision_display()),
            "hearing_date": response.hearing_date,
            "published_at": response.published_at,
            "files": [
                _file(self.context, attachment, _response_file_url(petition, attachment))
                for attachment in self.context.get("response_files", [])
            ],
        }
