"""Open data shapes of polls (`api.py`).

No person appears here: no user, no submission, no free-text answer; only counts. The
phase is computed at the request's time. `results` is present only when the requesting
user may see them (`polls.view_results`: after closing for everyone; while open, for
those who took part when the agency chose "after voting"); otherwise null, with
`results_visible: false`. Component names start with "Poll"; enums stay inline (other
modules have their own "state" and "kind").
"""

from __future__ import annotations

import datetime

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.regions import Region

from .models import (
    POLL_LANGUAGES,
    Audience,
    Phase,
    Poll,
    PollState,
    QuestionKind,
    ResultsVisibility,
)
from .rules import can
from .selectors import percent


def _enum(values) -> dict:
    """An enum kept inline (drf-spectacular does not extract one wrapped in `allOf`)."""
    return {"allOf": [{"type": "string", "enum": [str(value) for value in values]}]}


class PollAgencySerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class PollOptionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    text = serializers.CharField()


class PollQuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    kind = serializers.CharField(help_text="single, multiple or text.")
    text = serializers.CharField()
    required = serializers.BooleanField()
    max_choices = serializers.IntegerField(allow_null=True)
    options = PollOptionSerializer(many=True)


class PollOptionResultSerializer(serializers.Serializer):
    option = serializers.IntegerField(help_text="The option's id.")
    count = serializers.IntegerField()
    percent = serializers.FloatField(help_text="Of the people who answered the question.")


class PollQuestionResultSerializer(serializers.Serializer):
    question = serializers.IntegerField(help_text="The question's id.")
    answer_count = serializers.IntegerField(help_text="People who answered the question.")
    options = PollOptionResultSerializer(
        many=True, help_text="Empty for a free-text question (its texts are not published)."
    )


class PollSerializer(serializers.ModelSerializer):
    """A published (or cancelled) poll with its questions and, when visible, its results."""

    agency = serializers.SerializerMethodField()
    language = serializers.SerializerMethodField()
    state = serializers.SerializerMethodField()
    phase = serializers.SerializerMethodField()
    audience = serializers.SerializerMethodField()
    region = serializers.SerializerMethodField()
    results_visibility = serializers.SerializerMethodField()
    cancel_reason = serializers.SerializerMethodField()
    questions = serializers.SerializerMethodField()
    results_visible = serializers.SerializerMethodField()
    results = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Poll
        fields = [
            "id",
            "title",
            "description",
            "language",
            "agency",
            "state",
            "phase",
            "opens_at",
            "closes_at",
            "published_at",
            "cancelled_at",
            "cancel_reason",
            "audience",
            "region",
            "results_visibility",
            "submission_count",
            "questions",
            "results_visible",
            "results",
            "url",
        ]

    def _now(self) -> datetime.datetime | None:
        return self.context.get("now")

    @extend_schema_field(PollAgencySerializer)
    def get_agency(self, poll: Poll) -> dict:
        return {"slug": poll.agency.slug, "name": poll.agency.name}

    @extend_schema_field(_enum(code for code, _label in POLL_LANGUAGES))
    def get_language(self, poll: Poll) -> str:
        return poll.language

    @extend_schema_field(_enum([PollState.PUBLISHED, PollState.CANCELLED]))
    def get_state(self, poll: Poll) -> str:
        return poll.state

    @extend_schema_field(_enum([Phase.UPCOMING, Phase.OPEN, Phase.CLOSED, Phase.CANCELLED]))
    def get_phase(self, poll: Poll) -> str:
        return poll.phase(self._now())

    @extend_schema_field(_enum(Audience.values))
    def get_audience(self, poll: Poll) -> str:
        return poll.audience

    @extend_schema_field(_enum(["", *Region.values]))
    def get_region(self, poll: Poll) -> str:
        """Empty: everyone; otherwise only the people of this region take part."""
        return poll.region

    @extend_schema_field(_enum(ResultsVisibility.values))
    def get_results_visibility(self, poll: Poll) -> str:
        return poll.results_visibility

    @extend_schema_field({"type": "string", "nullable": True})
    def get_cancel_reason(self, poll: Poll) -> str | None:
        return poll.cancel_reason if poll.state == PollState.CANCELLED else None

    @extend_schema_field(PollQuestionSerializer(many=True))
    def get_questions(self, poll: Poll) -> list[dict]:
        return [
            {
                "id": question.pk,
                "position": number,
                "kind": question.kind,
                "text": question.text,
                "required": question.required,
                "max_choices": question.max_choices,
                "options": [
                    {"id": option.pk, "position": option.position, "text": option.text}
                    for option in question.options.all()
                ],
            }
            for number, question in enumerate(poll.questions.all(), start=1)
        ]

    def get_results_visible(self, poll: Poll) -> bool:
        return self._visible(poll)

    def _visible(self, poll: Poll) -> bool:
        request = self.context.get("request")
        return request is not None and can(request.user, "polls.view_results", poll)

    @extend_schema_field(PollQuestionResultSerializer(many=True, allow_null=True))
    def get_results(self, poll: Poll) -> list[dict] | None:
        """Null unless the requesting user may see the results."""
        if not self._visible(poll):
            return None
        return [
            {
                "question": question.pk,
                "answer_count": question.answer_count,
                "options": [
                    {
                        "option": option.pk,
                        "count": option.vote_count,
                        "percent": percent(option.vote_count, question.answer_count),
                    }
                    for option in question.options.all()
                ]
                if question.kind != QuestionKind.TEXT
                else [],
            }
            for question in poll.questions.all()
        ]

    def get_url(self, poll: Poll) -> str:
        request = self.context.get("request")
        url = poll.get_absolute_url()
        return request.build_absolute_uri(url) if request else url
