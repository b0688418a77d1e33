"""Open data shapes of draft acts (`api.py`). Authors appear by their public name or their
organisation's name, never by account or email."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import Draft, DraftStatus, DraftVersion, Paragraph, Section
from .selectors import ReportCounts


def absolute(context: dict, url: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(url) if request else url


class DraftTypeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class DraftAgencySerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class DraftListSerializer(serializers.ModelSerializer):
    type = DraftTypeSerializer(read_only=True)
    agency = DraftAgencySerializer(read_only=True)
    status = serializers.SerializerMethodField()
    effective_closes_at = serializers.DateTimeField(read_only=True)
    votes = serializers.SerializerMethodField()
    comment_count = serializers.IntegerField(read_only=True)
    url = serializers.SerializerMethodField()
    report_url = serializers.SerializerMethodField()

    class Meta:
        model = Draft
        fields = [
            "id",
            "type",
            "title_kk",
            "title_ru",
            "summary_kk",
            "summary_ru",
            "agency",
            "status",
            "opens_at",
            "closes_at",
            "effective_closes_at",
            "extension_reason",
            "outcome",
            "outcome_at",
            "adopted_url",
            "adopted_on",
            "withdrawal_reason",
            "votes",
            "comment_count",
            "url",
            "report_url",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=DraftStatus.choices))
    def get_status(self, draft: Draft) -> str:
        return draft.status_at(self.context.get("now"))

    @extend_schema_field(
        {
            "type": "object",
            "properties": {"for": {"type": "integer"}, "against": {"type": "integer"}},
        }
    )
    def get_votes(self, draft: Draft) -> dict[str, int]:
        return {"for": draft.votes_for, "against": draft.votes_against}

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, draft: Draft) -> str:
        return absolute(self.context, reverse("legal_drafts:detail", args=[draft.pk]))

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_report_url(self, draft: Draft) -> str | None:
        """The published report's page; null until the agency publishes it."""
        if draft.report.published_at is None:
            return None
        return absolute(self.context, reverse("legal_drafts:report", args=[draft.pk]))


class VersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = DraftVersion
        fields = ["number", "published_at", "note_kk", "note_ru"]


class ParagraphSerializer(serializers.ModelSerializer):
    comment_count = serializers.SerializerMethodField()

    class Meta:
        model = Paragraph
        fields = ["anchor", "number", "text_kk", "text_ru", "comment_count"]

    def get_comment_count(self, paragraph: Paragraph) -> int:
        return self.context.get("paragraph_counts", {}).get(paragraph.pk, 0)


class SectionSerializer(serializers.ModelSerializer):
    paragraphs = serializers.SerializerMethodField()

    class Meta:
        model = Section
        fields = ["anchor", "number", "heading_kk", "heading_ru", "paragraphs"]

    @extend_schema_field(ParagraphSerializer(many=True))
    def get_paragraphs(self, section: Section) -> list[dict]:
        return ParagraphSerializer(section.paragraph_list, many=True, context=self.context).data


class DraftDetailSerializer(DraftListSerializer):
    versions = serializers.SerializerMethodField()
    version = serializers.SerializerMethodField()

    class Meta(DraftListSerializer.Meta):
        fields = [
            *DraftListSerializer.Meta.fields,
            "explanatory_note_kk",
            "explanatory_note_ru",
            "versions",
            "version",
        ]

    @extend_schema_field(VersionSerializer(many=True))
    def get_versions(self, draft: Draft) -> list[dict]:
        return VersionSerializer(self.context["versions"], many=True).data

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "number": {"type": "integer"},
                "published_at": {"type": "string", "format": "date-time"},
                "sections": {"type": "array", "items": {"type": "object"}},
            },
        }
    )
    def get_version(self, draft: Draft) -> dict:
        """The chosen version's text (the current one unless `?version=N`)."""
        version = self.context["version"]
        return {
            "number": version.number,
            "published_at": version.published_at,
            "sections": SectionSerializer(
                self.context["sections"], many=True, context=self.context
            ).data,
        }


class DispositionOutSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    reason = serializers.CharField()
    responded_at = serializers.DateTimeField()


class DraftCommentSerializer(serializers.Serializer):
    """A top-level comment: its place, author's public name, state and the agency's
    disposition. A hidden or withdrawn comment keeps its row without its text."""

    id = serializers.IntegerField(source="pk")
    paragraph = serializers.SerializerMethodField()
    version = serializers.SerializerMethodField()
    author = serializers.SerializerMethodField()
    organisation = serializers.SerializerMethodField()
    state = serializers.CharField()
    text = serializers.SerializerMethodField()
    posted_at = serializers.DateTimeField()
    disposition = serializers.SerializerMethodField()

    def _paragraph(self, comment):
        if comment.target_type_id != self.context["paragraph_type_id"]:
            return None
        return self.context["paragraphs"].get(comment.target_pk)

    @extend_schema_field({"type": "string", "nullable": True})
    def get_paragraph(self, comment) -> str | None:
        paragraph = self._paragraph(comment)
        return paragraph.anchor if paragraph else None

    @extend_schema_field({"type": "integer", "nullable": True})
    def get_version(self, comment) -> int | None:
        paragraph = self._paragraph(comment)
        return paragraph.version_number if paragraph else None

    def get_author(self, comment) -> str:
        if comment.organisation_id:
            return comment.organisation.name
        return comment.user.public_name if comment.user_id else ""

    @extend_schema_field({"type": "string", "nullable": True})
    def get_organisation(self, comment) -> str | None:
        return comment.organisation.slug if comment.organisation_id else None

    @extend_schema_field({"type": "string", "nullable": True})
    def get_text(self, comment) -> str | None:
        return comment.comment if comment.state == "visible" else None

    @extend_schema_field(DispositionOutSerializer(allow_null=True))
    def get_disposition(self, comment) -> dict | None:
        try:
            disposition = comment.legal_draft_disposition
        except comment.__class__.legal_draft_disposition.RelatedObjectDoesNotExist:
            return None
        return {
            "value": disposition.value,
            "label": str(disposition.get_value_display()),
            "reason": disposition.reason,
            "responded_at": disposition.created_at,
        }


class ReportSerializer(serializers.Serializer):
    """The published discussion report: counts, summary and who published it."""

    draft = serializers.IntegerField()
    published_at = serializers.DateTimeField()
    published_by = serializers.CharField()
    agency = DraftAgencySerializer()
    summary_kk = serializers.CharField()
    summary_ru = serializers.CharField()
    comments = serializers.IntegerField()
    participants = serializers.IntegerField()
    answered = serializers.IntegerField()
    unanswered = serializers.IntegerField(help_text="Visible comments still without a disposition.")
    not_required = serializers.IntegerField(
        help_text="Hidden or withdrawn comments left without a disposition (none is owed)."
    )
    by_disposition = serializers.DictField(child=serializers.IntegerField())
    votes = serializers.DictField(child=serializers.IntegerField())
    url = serializers.URLField()
    csv_url = serializers.URLField()
    pdf_url = serializers.URLField()

    @staticmethod
    def data_of(draft: Draft, counts: ReportCounts, context: dict) -> dict:
        report = draft.report
        return {
            "draft": draft.pk,
            "published_at": report.published_at,
            "published_by": report.published_by.public_name if report.published_by else "",
            "agency": {"slug": draft.agency.slug, "name": draft.agency.name},
            "summary_kk": report.summary_kk,
            "summary_ru": report.summary_ru,
            "comments": counts.comments,
            "participants": counts.participants,
            "answered": counts.answered,
            "unanswered": counts.unanswered,
            "not_required": counts.not_required,
            "by_disposition": {value: count for value, _label, count in counts.disposition_items()},
            "votes": {"for": counts.votes_for, "against": counts.votes_against},
            "url": absolute(context, reverse("legal_drafts:report", args=[draft.pk])),
            "csv_url": absolute(context, reverse("legal_drafts:report_csv", args=[draft.pk])),
            "pdf_url": absolute(context, reverse("legal_drafts:report_pdf", args=[draft.pk])),
        }
