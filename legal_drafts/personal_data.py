"""What this app holds about a person, for "My data": their votes on draft acts. Votes are
not public one by one (only the counts are), and they stay counted when the account goes,
under "deleted user", so nothing is erased here. Comments are the conversation layer's."""

from __future__ import annotations

from typing import Any

from accounts import personal_data


def export_votes(user) -> list[dict[str, Any]]:
    from .models import DraftVote

    return [
        {
            "draft": row["draft_id"],
            "value": row["value"],
            "at": row["created_at"].isoformat(),
            "changed_at": row["updated_at"].isoformat(),
        }
        for row in DraftVote.objects.filter(user=user)
        .order_by("pk")
        .values("draft_id", "value", "created_at", "updated_at")
    ]


def register() -> None:
    personal_data.register("legal_draft_votes", export=export_votes)
