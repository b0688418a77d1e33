"""What moderation holds about a person, for "My data": the reports they made and the
blocks placed on them. Reports stay after an account is deleted (they are part of the
moderation record), but the free-text notes the person wrote are erased."""

from __future__ import annotations

from typing import Any


def export(user) -> dict[str, Any]:
    from .models import Flag, UserBlock

    return {
        "reports": [
            {
                "content": f"{flag.item.content_type.app_label}.{flag.item.content_type.model}",
                "object_id": flag.item.object_id,
                "reason": flag.reason,
                "note": flag.note,
                "created_at": flag.created_at.isoformat(),
                "resolution": flag.resolution,
            }
            for flag in Flag.objects.filter(reporter=user)
            .select_related("item__content_type")
            .order_by("pk")
        ],
        "blocks": [
            {
                "reason": block.reason,
                "created_at": block.created_at.isoformat(),
                "lifted_at": block.lifted_at.isoformat() if block.lifted_at else None,
            }
            for block in UserBlock.objects.filter(user=user).order_by("pk")
        ],
    }


def erase(user) -> None:
    from .models import Flag

    Flag.objects.filter(reporter=user).exclude(note="").update(note="")


def register() -> None:
    from accounts import personal_data

    personal_data.register("moderation", export=export, erase=erase)
