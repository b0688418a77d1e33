"""What this app holds about a person, for "My data": what they follow, what they were
told, and how they want to be told. All of it is personal and goes with the account."""

from __future__ import annotations

from typing import Any

from accounts import personal_data


def export_follows(user) -> list[dict[str, Any]]:
    from .models import Follow

    return [
        {
            "type": f"{row['content_type__app_label']}.{row['content_type__model']}",
            "id": row["object_id"],
            "followed_at": row["created_at"].isoformat(),
        }
        for row in Follow.objects.filter(user=user)
        .order_by("pk")
        .values("content_type__app_label", "content_type__model", "object_id", "created_at")
    ]


def export_notifications(user) -> dict[str, Any]:
    from .models import Notification, Preference, RecipientSettings

    language = (
        RecipientSettings.objects.filter(user=user).values_list("language", flat=True).first()
    )
    return {
        "language": language,
        "preferences": dict(
            Preference.objects.filter(user=user).order_by("kind").values_list("kind", "channel")
        ),
        "received": [
            {
                "kind": n.kind,
                "title": n.title,
                "body": n.body,
                "url": n.url,
                "created_at": n.created_at.isoformat(),
                "read_at": n.read_at.isoformat() if n.read_at else None,
                "emailed_at": n.emailed_at.isoformat() if n.emailed_at else None,
                "digest_sent_at": n.digest_sent_at.isoformat() if n.digest_sent_at else None,
            }
            for n in Notification.objects.filter(recipient=user).order_by("pk").iterator()
        ],
    }


def erase_follows(user) -> None:
    from .models import Follow

    Follow.objects.filter(user=user).delete()


def erase_notifications(user) -> None:
    from .models import Notification, Preference, RecipientSettings

    Notification.objects.filter(recipient=user).delete()
    Preference.objects.filter(user=user).delete()
    RecipientSettings.objects.filter(user=user).delete()


def register_sections() -> None:
    personal_data.register("follows", export=export_follows, erase=erase_follows)
    personal_data.register("notifications", export=export_notifications, erase=erase_notifications)
