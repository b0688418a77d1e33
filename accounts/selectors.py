"""Reads shared by views, predicates and the API."""

from __future__ import annotations

from collections import defaultdict

from allauth.account.models import EmailAddress
from django.db.models import Prefetch, Q, QuerySet

from ashyq.i18n import active_language

from .collation import localized_order
from .models import Agency, Membership, Organisation, OrganisationMembership, User


def has_verified_email(user: User) -> bool:
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_ashyq_verified_email", None)
    if cached is None:
        cached = EmailAddress.objects.filter(user=user, verified=True, primary=True).exists()
        user._ashyq_verified_email = cached
    return cached


def agency_roles(user: User) -> dict[int, frozenset[str]]:
    """{agency id: roles} for `user`, cached on the user object for the request."""
    cached = getattr(user, "_ashyq_agency_roles", None)
    if cached is None:
        roles: dict[int, set[str]] = defaultdict(set)
        for agency_id, role in Membership.objects.filter(user=user).values_list(
            "agency_id", "role"
        ):
            roles[agency_id].add(role)
        cached = {agency_id: frozenset(r) for agency_id, r in roles.items()}
        user._ashyq_agency_roles = cached
    return cached


def organisation_ids(user: User, *, admin_only: bool = False) -> frozenset[int]:
    attr = "_ashyq_org_admin_ids" if admin_only else "_ashyq_org_ids"
    cached = getattr(user, attr, None)
    if cached is None:
        qs = OrganisationMembership.objects.filter(user=user)
        if admin_only:
            qs = qs.filter(is_admin=True)
        cached = frozenset(qs.values_list("organisation_id", flat=True))
        setattr(user, attr, cached)
    return cached


def head_memberships() -> Prefetch:
    """Prefetch each agency's head (as `agency.heads`, a list of at most one membership)."""
    return Prefetch(
        "memberships",
        queryset=Membership.objects.filter(role=Membership.Role.HEAD).select_related("user"),
        to_attr="heads",
    )


def agency_list(
    *, kind: str = "", region: str = "", query: str = "", lang: str | None = None
) -> QuerySet[Agency]:
    """Active agencies for the public directory, sorted by name in the active language."""
    lang = lang or active_language()
    qs = Agency.objects.filter(is_active=True).select_related("parent")
    if kind:
        qs = qs.filter(kind=kind)
    if region:
        qs = qs.filter(region=region)
    if query:
        qs = qs.filter(
            Q(name_kk__icontains=query) | Q(name_ru__icontains=query) | Q(name_en__icontains=query)
        )
    return qs.prefetch_related(head_memberships()).order_by(
        localized_order(f"name_{lang}", lang), "pk"
    )


def agency_detail(*, slug: str) -> Agency:
    return (
        Agency.objects.select_related("parent")
        .prefetch_related(
            head_memberships(),
            Prefetch(
                "children",
                queryset=Agency.objects.filter(is_active=True).order_by("name_ru"),
            ),
        )
        .get(slug=slug)
    )


def agency_head(agency: Agency) -> Membership | None:
    heads = getattr(agency, "heads", None)
    if heads is None:
        heads = list(
            agency.memberships.filter(role=Membership.Role.HEAD).select_related("user")[:1]
        )
    return heads[0] if heads else None


def organisation_detail(*, slug: str) -> Organisation:
    return Organisation.objects.get(slug=slug)
