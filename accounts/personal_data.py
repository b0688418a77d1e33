"""Registry of what each module holds about a person, for "My data".

A module registers a section with an exporter (what the person wrote or gave us, as
JSON-ready data) and, if it keeps personal data that must go when the account is deleted,
an eraser. Public contributions are not erased: they stay under "deleted user".
`accounts` knows nothing about the modules; they register in their `AppConfig.ready`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Exporter = Callable[[Any], Any]
Eraser = Callable[[Any], None]


@dataclass(frozen=True)
class Section:
    key: str
    export: Exporter
    erase: Eraser | None = None


_sections: dict[str, Section] = {}


def register(key: str, *, export: Exporter, erase: Eraser | None = None) -> None:
    _sections[key] = Section(key=key, export=export, erase=erase)


def sections() -> list[Section]:
    return list(_sections.values())


def export_for(user: Any) -> dict[str, Any]:
    return {section.key: section.export(user) for section in sections()}


def _export_profile(user) -> dict[str, Any]:
    return {
        "email": user.email,
        "display_name": user.display_name,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "region": user.region,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
        "identity_verified_at": (
            user.identity_verified_at.isoformat() if user.identity_verified_at else None
        ),
    }


def _export_emails(user) -> list[dict[str, Any]]:
    from allauth.account.models import EmailAddress

    return list(
        EmailAddress.objects.filter(user=user).values("email", "verified", "primary").order_by("pk")
    )


def _export_logins(user) -> list[dict[str, Any]]:
    from allauth.socialaccount.models import SocialAccount

    return [
        {"provider": account.provider, "date_joined": account.date_joined.isoformat()}
        for account in SocialAccount.objects.filter(user=user).order_by("pk")
    ]


def _export_memberships(user) -> list[dict[str, Any]]:
    from .models import Membership

    return [
        {"agency": m.agency.slug, "role": m.role, "position": m.position}
        for m in Membership.objects.filter(user=user).select_related("agency").order_by("pk")
    ]


def _export_organisations(user) -> list[dict[str, Any]]:
    from .models import OrganisationMembership

    return [
        {"organisation": m.organisation.slug, "is_admin": m.is_admin}
        for m in OrganisationMembership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("pk")
    ]


def register_core() -> None:
    from .services import erase_core_personal_data

    register("profile", export=_export_profile)
    register("email_addresses", export=_export_emails, erase=erase_core_personal_data)
    register("external_logins", export=_export_logins)
    register("agency_roles", export=_export_memberships)
    register("organisations", export=_export_organisations)
