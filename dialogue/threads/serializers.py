"""Open data shapes of discussion threads (`api.py`).

No email or IP address appears: the author is `User.public_name`, supporters are a count.
A hidden or withdrawn thread keeps its row (with the moderator's public reason, or the
withdrawal date); its title and text are left out, as on its page. The agency's duty to
reply is given with its dates and a status computed at the request's time; the official
reply with its date and address. Component names start with "Thread" so they never
collide with other modules' in the schema.
"""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.regions import Region
from moderation.registry import hide_reason_label

from .models import Thread, ThreadCategory

STATES = ("open", "withdrawn", "hidden")
REPLY_STATUSES = ("", "due", "overdue", "answered")
NULLABLE_STRING = {"type": "string", "nullable": True}


def _enum(values) -> dict:
    """An enum kept inline (wrapped in `allOf`, which drf-spectacular does not extract into
    a named component): "category", "region" and "state" name other choice sets in other
    modules."""
    return {"allOf": [{"type": "string", "enum": list(values)}]}


def absolute(context: dict, url: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(url) if request else url


def state_of(thread: Thread) -> str:
    if thread.hidden_at is not None:
        return "hidden"
    if thread.withdrawn_at is not None:
        return "withdrawn"
    return "open"


class ThreadAgencySerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class ThreadObligationSerializer(serializers.Serializer):
    """The agency's duty to reply (the same row as /api/v1/obligations/{id}/)."""

    id = serializers.IntegerField()
    agency = serializers.CharField(help_text="The slug of the agency that holds it now.")
    opened_at = serializers.DateTimeField(help_text="When the support reached the level.")
    due_at = serializers.DateTimeField()
    original_due_at = serializers.DateTimeField()
    extended = serializers.BooleanField()
    answered_at = serializers.DateTimeField(allow_null=True)
    withdrawn_at = serializers.DateTimeField(
        allow_null=True, help_text="Withdrawn when a moderator hid the thread."
    )


class ThreadOfficialReplySerializer(serializers.Serializer):
    comment = serializers.IntegerField(help_text="The comment's id in /api/v1/comments/.")
    agency = serializers.CharField(allow_null=True)
    posted_at = serializers.DateTimeField()
    url = serializers.URLField()


class ThreadListSerializer(serializers.ModelSerializer):
    """A thread of the public list, with its counts and the state of the agency's reply."""

    title = serializers.SerializerMethodField()
    category = serializers.SerializerMethodField()
    category_label = serializers.SerializerMethodField()
    region = serializers.SerializerMethodField()
    region_label = serializers.SerializerMethodField()
    addressee = serializers.SerializerMethodField()
    author = serializers.SerializerMethodField()
    state = serializers.SerializerMethodField()
    reply_status = serializers.SerializerMethodField()
    obligation = serializers.SerializerMethodField()
    official_reply = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Thread
        fields = [
            "id",
            "title",
            "category",
            "category_label",
            "region",
            "region_label",
            "addressee",
            "author",
            "state",
            "created_at",
            "last_activity_at",
            "support_count",
            "reply_count",
            "reply_status",
            "obligation",
            "official_reply",
            "url",
        ]

    @extend_schema_field(NULLABLE_STRING)
    def get_title(self, thread: Thread) -> str | None:
        return thread.title if thread.is_open else None

    @extend_schema_field(_enum(ThreadCategory.values))
    def get_category(self, thread: Thread) -> str:
        return thread.category

    def get_category_label(self, thread: Thread) -> str:
        return str(thread.get_category_display())

    @extend_schema_field(_enum(["", *Region.values]))
    def get_region(self, thread: Thread) -> str:
        """A region code; "" for the whole country."""
        return thread.region

    def get_region_label(self, thread: Thread) -> str:
        return str(thread.get_region_display()) if thread.region else ""

    @extend_schema_field(ThreadAgencySerializer(allow_null=True))
    def get_addressee(self, thread: Thread) -> dict | None:
        agency = thread.addressee
        return {"slug": agency.slug, "name": agency.name} if agency is not None else None

    def get_author(self, thread: Thread) -> str:
        """The author's public name (never their account or email)."""
        return thread.author.public_name

    @extend_schema_field(_enum(STATES))
    def get_state(self, thread: Thread) -> str:
        return state_of(thread)

    @extend_schema_field(_enum(REPLY_STATUSES))
    def get_reply_status(self, thread: Thread) -> str:
        """answered (an official reply), due or overdue (the agency owes it), "" otherwise;
        computed at the request's time."""
        return thread.reply_status(self.context.get("now"))

    @extend_schema_field(ThreadObligationSerializer(allow_null=True))
    def get_obligation(self, thread: Thread) -> dict | None:
        obligation = thread.obligation if thread.obligation_id else None
        if obligation is None:
            return None
        return {
            "id": obligation.pk,
            "agency": thread.addressee.slug if thread.addressee else "",
            "opened_at": obligation.opened_at,
            "due_at": obligation.due_at,
            "original_due_at": obligation.original_due_at,
            "extended": obligation.extended_due_at is not None,
            "answered_at": obligation.answered_at,
            "withdrawn_at": obligation.withdrawn_at,
        }

    @extend_schema_field(ThreadOfficialReplySerializer(allow_null=True))
    def get_official_reply(self, thread: Thread) -> dict | None:
        if not thread.official_reply_id:
            return None
        return {
            "comment": thread.official_reply_id,
            "agency": thread.addressee.slug if thread.addressee else None,
            "posted_at": thread.answered_at,
            "url": absolute(
                self.context, reverse("dialogue:replies", args=[thread.official_reply_id])
            ),
        }

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, thread: Thread) -> str:
        return absolute(self.context, thread.get_absolute_url())


class ThreadDetailSerializer(ThreadListSerializer):
    """One thread: the list's fields, its text (raw and rendered), and why it is not shown
    when hidden or withdrawn."""

    text = serializers.SerializerMethodField()
    html = serializers.SerializerMethodField()
    hidden_reason = serializers.SerializerMethodField()
    withdrawn_at = serializers.DateTimeField(read_only=True)
    comments = serializers.SerializerMethodField()

    class Meta(ThreadListSerializer.Meta):
        fields = [
            *ThreadListSerializer.Meta.fields,
            "text",
            "html",
            "hidden_reason",
            "withdrawn_at",
            "comments",
        ]

    @extend_schema_field(NULLABLE_STRING)
    def get_text(self, thread: Thread) -> str | None:
        return thread.text if thread.is_open else None

    @extend_schema_field(NULLABLE_STRING)
    def get_html(self, thread: Thread) -> str | None:
        """The text rendered and sanitised as on the page (a Markdown subset)."""
        return thread.html if thread.is_open else None

    @extend_schema_field(NULLABLE_STRING)
    def get_hidden_reason(self, thread: Thread) -> str | None:
        """Why a moderator hid the thread (its title and text are then left out)."""
        return hide_reason_label(thread.hidden_reason) if thread.hidden_at else None

    @extend_schema_field(OpenApiTypes.URI)
    def get_comments(self, thread: Thread) -> str:
        """The replies, from the conversation layer's API."""
        url = f"{reverse('comment-list')}?target_type=threads.thread&target_id={thread.pk}"
        return absolute(self.context, url)
