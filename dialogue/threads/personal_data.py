"""What this app holds about a person, for "My data": the threads they started and the
threads they support. Threads are public contributions and stay under "deleted user"
when the account goes; supports stay counted (a thread's count and its agency's duty must
not change when an account is deleted) and hold nothing but the link and the date, so
there is nothing to erase."""

from __future__ import annotations

from typing import Any

from accounts import personal_data


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def export_threads(user) -> list[dict[str, Any]]:
    from .models import Thread

    return [
        {
            "id": row["pk"],
            "title": row["title"],
            "text": row["text"],
            "category": row["category"],
            "region": row["region"],
            "addressee": row["addressee__slug"],
            "created_at": _iso(row["created_at"]),
            "withdrawn_at": _iso(row["withdrawn_at"]),
            "hidden_at": _iso(row["hidden_at"]),
            "hidden_reason": row["hidden_reason"],
        }
        for row in Thread.objects.filter(author=user)
        .order_by("pk")
        .values(
            "pk",
            "title",
            "text",
            "category",
            "region",
            "addressee__slug",
            "created_at",
            "withdrawn_at",
            "hidden_at",
            "hidden_reason",
        )
    ]


def export_supports(user) -> list[dict[str, Any]]:
    from .models import ThreadSupport

    return [
        {"thread": row["thread_id"], "supported_at": _iso(row["created_at"])}
        for row in ThreadSupport.objects.filter(user=user)
        .order_by("pk")
        .values("thread_id", "created_at")
    ]


def register() -> None:
    personal_data.register("threads", export=export_threads)
    personal_data.register("thread_supports", export=export_supports)
