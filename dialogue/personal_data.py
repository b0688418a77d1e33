"""What this app holds about a person, for "My data". Comments are public contributions:
they stay under "deleted user" when the account goes; the IP addresses they were posted
from do not."""

from __future__ import annotations

from typing import Any

from accounts import personal_data


def export_comments(user) -> list[dict[str, Any]]:
    from .models import Comment, CommentVersion

    comments = list(
        Comment.objects.filter(user=user).select_related("target_type").order_by("posted_at", "pk")
    )
    versions: dict[int, list[dict[str, Any]]] = {}
    for version in CommentVersion.objects.filter(comment__in=comments).order_by("replaced_at"):
        versions.setdefault(version.comment_id, []).append(
            {"text": version.text, "written_at": version.written_at.isoformat()}
        )
    return [
        {
            "id": c.pk,
            "on": f"{c.target_type.app_label}.{c.target_type.model}",
            "on_id": c.target_pk,
            "reply_to": c.reply_to_id,
            "text": c.comment,
            "state": c.state,
            "posted_at": c.posted_at.isoformat(),
            "edited_at": c.edited_at.isoformat() if c.edited_at else None,
            "ip_address": c.ip_address,
            "earlier_versions": versions.get(c.pk, []),
        }
        for c in comments
    ]


def export_votes(user) -> list[dict[str, Any]]:
    from .models import CommentVote

    return [
        {"comment": row["comment_id"], "value": row["value"], "at": row["voted_at"].isoformat()}
        for row in CommentVote.objects.filter(user=user)
        .order_by("pk")
        .values("comment_id", "value", "voted_at")
    ]


def erase_ip_addresses(user) -> None:
    from .models import Comment

    Comment.objects.filter(user=user).update(ip_address=None)


def register() -> None:
    personal_data.register("comments", export=export_comments, erase=erase_ip_addresses)
    personal_data.register("comment_votes", export=export_votes)
