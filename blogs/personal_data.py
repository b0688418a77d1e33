"""What this app holds about a person, for "My data": the questions they asked (in every
state, with the hidden-name choice), their ratings and the questions they support.
Questions and ratings are public contributions: when the account goes they stay, shown
under "deleted user" (`User.public_name`), so nothing is erased here."""

from __future__ import annotations

from typing import Any

from accounts import personal_data


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def export_questions(user) -> list[dict[str, Any]]:
    from django.db.models import Prefetch

    from .models import Attachment, Question

    return [
        {
            "id": question.pk,
            "blog": question.blog_id,
            "agency": question.agency.slug,
            "title": question.title,
            "text": question.text,
            "category": question.category,
            "name_hidden": question.name_hidden,
            "state": question.state,
            "submitted_at": _iso(question.submitted_at),
            "published_at": _iso(question.published_at),
            "rejection_reason": question.rejection_reason,
            # The files themselves are downloadable from the question page.
            "attachments": [
                {
                    "name": attachment.name,
                    "size": attachment.size,
                    "url": attachment.get_absolute_url(),
                }
                for attachment in question.own_attachments
            ],
        }
        for question in Question.objects.filter(asker=user)
        .select_related("agency")
        .prefetch_related(
            Prefetch(
                "attachments",
                queryset=Attachment.objects.filter(answer__isnull=True),
                to_attr="own_attachments",
            )
        )
        .order_by("submitted_at", "pk")
    ]


def export_ratings(user) -> list[dict[str, Any]]:
    from .models import Rating

    return [
        {
            "question": row["question_id"],
            "verdict": row["verdict"],
            "comment": row["comment"],
            "at": _iso(row["created_at"]),
        }
        for row in Rating.objects.filter(asker=user)
        .order_by("pk")
        .values("question_id", "verdict", "comment", "created_at")
    ]


def export_supports(user) -> list[dict[str, Any]]:
    from .models import Support

    return [
        {"question": row["question_id"], "at": _iso(row["created_at"])}
        for row in Support.objects.filter(user=user)
        .order_by("pk")
        .values("question_id", "created_at")
    ]


def register() -> None:
    personal_data.register("blog_questions", export=export_questions)
    personal_data.register("blog_ratings", export=export_ratings)
    personal_data.register("blog_supports", export=export_supports)
