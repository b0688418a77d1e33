"""What a person watches is theirs: exported in "My data", erased with the account."""

from __future__ import annotations

from typing import Any

from accounts import personal_data


def export_watches(user) -> list[dict[str, Any]]:
    from .models import Watch

    return [
        {
            "name": watch.name,
            "agency": watch.agency.slug if watch.agency_id else None,
            "kind": watch.kind,
            "events": watch.events,
            "created_at": watch.created_at.isoformat(),
        }
        for watch in Watch.objects.filter(user=user).select_related("agency").order_by("pk")
    ]


def erase_watches(user) -> None:
    from .models import Watch

    Watch.objects.filter(user=user).delete()


def register() -> None:
    personal_data.register("watches", export=export_watches, erase=erase_watches)
