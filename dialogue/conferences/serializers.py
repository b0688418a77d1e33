"""Open data shapes of internet conferences (`api.py`).

No email appears here: askers are shown by `User.public_name`, officials and answerers by
the name and position copied when they were scheduled or answered. The phase is the one
at the request's time. A question hidden by a moderator keeps its row and the public
reason, without its text, author or answer. Component names start with "Conference" so
they never collide with other modules' in the schema; enums stay inline for the same
reason.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ashyq.i18n import translations
from moderation.registry import hide_reason_label

from .models import Conference, ConferenceQuestion, ConferenceState, Phase


def _enum(values) -> dict:
    return {"allOf": [{"type": "string", "enum": list(values)}]}


def absolute(context: dict, url: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(url) if request else url


class ConferenceAgencySerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class ConferencePersonSerializer(serializers.Serializer):
    name = serializers.CharField()
    position = serializers.CharField(help_text="In the request's language, with fallbacks.")
    positions = serializers.DictField(
        child=serializers.CharField(allow_blank=True), help_text="kk, ru, en"
    )


class ConferenceListSerializer(serializers.ModelSerializer):
    """A conference with its phase, dates and counts."""

    agency = serializers.SerializerMethodField()
    official = serializers.SerializerMethodField()
    phase = serializers.SerializerMethodField()
    state = serializers.SerializerMethodField()
    cancellation_reason = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Conference
        fields = [
            "id",
            "topic",
            "description",
            "agency",
            "official",
            "starts_at",
            "ends_at",
            "phase",
            "state",
            "cancelled_at",
            "cancellation_reason",
            "question_count",
            "answered_count",
            "url",
        ]

    @extend_schema_field(ConferenceAgencySerializer)
    def get_agency(self, conference: Conference) -> dict:
        return {"slug": conference.agency.slug, "name": conference.agency.name}

    @extend_schema_field(ConferencePersonSerializer)
    def get_official(self, conference: Conference) -> dict:
        return {
            "name": conference.official_name,
            "position": conference.official_position,
            "positions": translations(conference, "official_position"),
        }

    @extend_schema_field(_enum(Phase.values))
    def get_phase(self, conference: Conference) -> str:
        return conference.phase(self.context.get("now"))

    @extend_schema_field(_enum(ConferenceState.values))
    def get_state(self, conference: Conference) -> str:
        return conference.state

    @extend_schema_field({"type": "string", "nullable": True})
    def get_cancellation_reason(self, conference: Conference) -> str | None:
        return conference.cancellation_reason or None

    def get_url(self, conference: Conference) -> str:
        return absolute(self.context, conference.get_absolute_url())


class ConferenceAnswerSerializer(serializers.Serializer):
    text = serializers.CharField(help_text="As written (a Markdown subset).")
    html = serializers.CharField(help_text="Rendered and sanitised.")
    answered_at = serializers.DateTimeField()
    answered_by = ConferencePersonSerializer()
    on_behalf = serializers.BooleanField(
        help_text="Given by the agency's head or a responder on the official's behalf."
    )


class ConferenceQuestionSerializer(serializers.ModelSerializer):
    """A published question of the transcript."""

    text = serializers.SerializerMethodField()
    author = serializers.SerializerMethodField()
    hidden = serializers.SerializerMethodField()
    hidden_reason = serializers.SerializerMethodField()
    answer = serializers.SerializerMethodField()
    blog_question_url = serializers.SerializerMethodField()

    class Meta:
        model = ConferenceQuestion
        fields = [
            "id",
            "text",
            "author",
            "vote_count",
            "published_at",
            "hidden",
            "hidden_reason",
            "answer",
            "blog_question_url",
        ]

    @extend_schema_field({"type": "string", "nullable": True})
    def get_text(self, question: ConferenceQuestion) -> str | None:
        return None if question.hidden_at else question.text

    @extend_schema_field({"type": "string", "nullable": True})
    def get_author(self, question: ConferenceQuestion) -> str | None:
        return None if question.hidden_at else question.author.public_name

    def get_hidden(self, question: ConferenceQuestion) -> bool:
        return question.hidden_at is not None

    @extend_schema_field({"type": "string", "nullable": True})
    def get_hidden_reason(self, question: ConferenceQuestion) -> str | None:
        return hide_reason_label(question.hidden_reason) if question.hidden_at else None

    @extend_schema_field(ConferenceAnswerSerializer(allow_null=True))
    def get_answer(self, question: ConferenceQuestion) -> dict | None:
        if question.answered_at is None or question.hidden_at is not None:
            return None
        conference = question.conference
        return {
            "text": question.answer_text,
            "html": question.answer_html,
            "answered_at": serializers.DateTimeField().to_representation(question.answered_at),
            "answered_by": {
                "name": question.answered_by_name,
                "position": question.answered_by_position,
                "positions": translations(question, "answered_by_position"),
            },
            "on_behalf": question.answered_by_id != conference.official_id,
        }

    @extend_schema_field({"type": "string", "nullable": True})
    def get_blog_question_url(self, question: ConferenceQuestion) -> str | None:
        if question.blog_question_id is None:
            return None
        url = question.blog_question.get_absolute_url()
        return absolute(self.context, url) if url else None


class ConferenceDetailSerializer(ConferenceListSerializer):
    """A conference with its transcript: answered questions in the order they were
    answered, then the published questions left unanswered, most voted first."""

    transcript = serializers.SerializerMethodField()

    class Meta(ConferenceListSerializer.Meta):
        fields = [*ConferenceListSerializer.Meta.fields, "transcript"]

    @extend_schema_field(ConferenceQuestionSerializer(many=True))
    def get_transcript(self, conference: Conference) -> list:
        return ConferenceQuestionSerializer(
            self.context.get("questions", []), many=True, context=self.context
        ).data
