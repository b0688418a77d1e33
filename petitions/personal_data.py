"""What this app holds about a person, for "My data": the petitions they wrote and their
own signatures. Petitions are public contributions and stay under "deleted user";
signatures stay counted (the counts and the region chart must not change when an account
goes), but the network traces kept for anti-abuse (IP address, email domain) are erased."""

from __future__ import annotations

from typing import Any

from accounts import personal_data


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def export_petitions(user) -> list[dict[str, Any]]:
    from .models import Petition

    return [
        {
            "id": row["pk"],
            "title": row["title"],
            "addressee": row["addressee__slug"],
            "state": row["state"],
            "created_at": _iso(row["created_at"]),
            "submitted_at": _iso(row["submitted_at"]),
            "published_at": _iso(row["published_at"]),
        }
        for row in Petition.objects.filter(author=user)
        .order_by("pk")
        .values(
            "pk",
            "title",
            "addressee__slug",
            "state",
            "created_at",
            "submitted_at",
            "published_at",
        )
    ]


def export_signatures(user) -> list[dict[str, Any]]:
    from .models import Signature

    return [
        {
            "petition": row["petition_id"],
            "signed_at": _iso(row["created_at"]),
            "ip": row["ip"],
            "region": row["region"],
            "wants_updates": row["wants_updates"],
            "withdrawn_at": _iso(row["withdrawn_at"]),
            "invalidated_at": _iso(row["invalidated_at"]),
        }
        for row in Signature.objects.filter(user=user)
        .order_by("pk")
        .values(
            "petition_id",
            "created_at",
            "ip",
            "region",
            "wants_updates",
            "withdrawn_at",
            "invalidated_at",
        )
    ]


def erase_signature_traces(user) -> None:
    from .models import Signature

    Signature.objects.filter(user=user).update(ip=None, email_domain="", wants_updates=False)


def register() -> None:
    personal_data.register("petitions", export=export_petitions)
    personal_data.register(
        "petition_signatures", export=export_signatures, erase=erase_signature_traces
    )
