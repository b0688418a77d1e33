"""Reads shared by the screens, the API and the hub. Each is a bounded number of queries
whatever the number of threads, supports or comments: counts are the denormalised
columns of `Thread`, the lists read one page of rows with their author, addressee and
obligation joined."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts import selectors as accounts_selectors
from accounts.models import Agency, Membership
from accounts.regions import Region

from .models import Thread, ThreadCategory, ThreadSupport

SORTS = ("newest", "active", "supported")
DEFAULT_SORT = "newest"
ORDERINGS = {
    "newest": ("-created_at", "-pk"),
    # Most replies first; among equals, the most recently active.
    "active": ("-reply_count", "-last_activity_at", "-pk"),
    "supported": ("-support_count", "-created_at", "-pk"),
}
RESPONDER_ROLES = frozenset({Membership.Role.HEAD, Membership.Role.RESPONDER})


def public_list(
    *,
    category: str = "",
    region: str = "",
    addressee: Agency | int | None = None,
    sort: str = DEFAULT_SORT,
) -> QuerySet[Thread]:
    """Listed threads (neither hidden nor withdrawn). `category` a ThreadCategory value,
    `region` a Region value, `addressee` an Agency (or its pk), `sort` one of SORTS.
    Unknown values raise ValueError (the API answers 400 naming the parameter)."""
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}")
    qs = Thread.objects.listed().select_related("author", "addressee", "obligation")
    if category:
        if category not in ThreadCategory.values:
            raise ValueError(f"unknown category {category!r}")
        qs = qs.filter(category=category)
    if region:
        if region not in Region.values:
            raise ValueError(f"unknown region {region!r}")
        qs = qs.filter(region=region)
    if addressee:
        qs = qs.filter(addressee=addressee)
    return qs.order_by(*ORDERINGS[sort])


def thread_detail(pk: int) -> Thread:
    """One thread with what its page shows in the same row (Thread.DoesNotExist if none)."""
    return Thread.objects.select_related("author", "addressee", "obligation__agency").get(pk=pk)


def supports(thread: Thread, user) -> bool:
    """Does `user` support `thread`? (False for visitors, without a query.)"""
    if not getattr(user, "is_authenticated", False):
        return False
    return ThreadSupport.objects.filter(thread=thread, user=user).exists()


def responder_agency_ids(user) -> list[int]:
    """The agencies whose official replies `user` may give (head or responder), from the
    memberships cached on the user for the request."""
    if not getattr(user, "is_authenticated", False):
        return []
    return sorted(
        agency_id
        for agency_id, roles in accounts_selectors.agency_roles(user).items()
        if roles & RESPONDER_ROLES
    )


def awaiting_reply_for(agency_ids) -> QuerySet[Thread]:
    """The agencies' reply queue: threads whose official reply is owed now, the earliest
    due first (overdue ones lead)."""
    return (
        Thread.objects.filter(addressee_id__in=list(agency_ids))
        .awaiting_reply()
        .select_related("author", "addressee", "obligation__agency")
        .order_by("obligation__due_at", "pk")
    )


def addressed_unanswered(agency_ids, *, limit: int = 20) -> list[Thread]:
    """Open threads addressed to the agencies with no official reply and no running duty
    yet (below the support level): most supported first, for an agency that answers
    before it must."""
    return list(
        Thread.objects.listed()
        .filter(addressee_id__in=list(agency_ids), official_reply__isnull=True)
        .exclude(
            obligation__isnull=False,
            obligation__answered_at__isnull=True,
            obligation__withdrawn_at__isnull=True,
        )
        .select_related("addressee")
        .order_by("-support_count", "-created_at", "-pk")[:limit]
    )


def hub_section(*, user=None, limit: int = 5) -> dict:
    """Open Dialogue's hub: the latest discussions (one query), the same for everyone
    (`user` is part of the hub's contract). The context of
    "threads/includes/hub_section.html"."""
    return {
        "threads": list(
            Thread.objects.listed()
            .select_related("addressee", "obligation")
            .order_by(*ORDERINGS["newest"])[:limit]
        )
    }
