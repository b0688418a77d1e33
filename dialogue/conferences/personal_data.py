"""What this app holds about a person, for "My data": the questions they sent to internet
conferences (public contributions: they stay under "deleted user" when the account goes)
and the questions they voted for (never shown publicly: only counted). Nothing here is a
network trace, so there is nothing to erase."""

from __future__ import annotations

from typing import Any

from accounts import personal_data


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def export_questions(user) -> list[dict[str, Any]]:
    from .models import ConferenceQuestion

    return [
        {
            "id": row["pk"],
            "conference": row["conference_id"],
            "conference_topic": row["conference__topic"],
            "text": row["text"],
            "state": row["state"],
            "submitted_at": _iso(row["submitted_at"]),
            "published_at": _iso(row["published_at"]),
            "rejection_reason": row["rejection_reason"],
            "answered_at": _iso(row["answered_at"]),
            "answer": row["answer_text"],
        }
        for row in ConferenceQuestion.objects.filter(author=user)
        .order_by("pk")
        .values(
            "pk",
            "conference_id",
            "conference__topic",
            "text",
            "state",
            "submitted_at",
            "published_at",
            "rejection_reason",
            "answered_at",
            "answer_text",
        )
    ]


def export_votes(user) -> list[dict[str, Any]]:
    from .models import QuestionVote

    return [
        {"question": row["question_id"], "voted_at": _iso(row["created_at"])}
        for row in QuestionVote.objects.filter(user=user)
        .order_by("pk")
        .values("question_id", "created_at")
    ]


def register() -> None:
    personal_data.register("conference_questions", export=export_questions)
    personal_data.register("conference_votes", export=export_votes)
