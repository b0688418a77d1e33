"""Reads shared by the screens and the API. Each is a bounded number of queries whatever
the number of signatures: counts come from the denormalised `Petition.signature_count`
and `RegionCount`, the abuse report is one aggregate query per dimension, and the signer
list reads one page of rows (never a COUNT over the signatures)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.regions import Region

from .models import (
    LISTED_STATES,
    PRIVATE_STATES,
    Petition,
    PetitionState,
    RegionCount,
    ResponseState,
    Signature,
)

TRENDING_LIMIT = 20
SIGNERS_PAGE_SIZE = 50

SORTS = ("most_signed", "closing_soon", "newest")
# The public list's state filter: the listed states, plus "responded" (a response state)
# and "rejected" (rejected for a public reason).
LIST_FILTERS = (*LISTED_STATES, ResponseState.RESPONDED, PetitionState.REJECTED)


def public_list(
    *,
    state: str = "",
    addressee=None,
    region: str = "",
    sort: str = "most_signed",
    now: datetime.datetime | None = None,
) -> QuerySet[Petition]:
    """The public list. `state` is one of LIST_FILTERS (empty: every listed state);
    `addressee` an Agency (or its pk); `region` a Region value; `sort` one of SORTS
    ("closing_soon" shows only petitions still collecting, soonest first). Unknown values
    raise ValueError (the API answers 400 naming the parameter)."""
    now = now or timezone.now()
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}")
    qs = Petition.objects.filter(hidden_at__isnull=True).select_related(
        "addressee", "rejection_reason"
    )
    if not state:
        qs = qs.filter(state__in=LISTED_STATES)
    elif state == ResponseState.RESPONDED:
        qs = qs.filter(response_state=ResponseState.RESPONDED)
    elif state == PetitionState.REJECTED:
        qs = qs.filter(state=PetitionState.REJECTED, rejection_reason__public=True)
    elif state in LISTED_STATES:
        qs = qs.filter(state=state)
    else:
        raise ValueError(f"unknown state {state!r}")
    if addressee:
        qs = qs.filter(addressee=addressee)
    if region:
        if region not in Region.values:
            raise ValueError(f"unknown region {region!r}")
        qs = qs.filter(region=region)
    if sort == "most_signed":
        return qs.order_by("-signature_count", "-published_at", "-pk")
    if sort == "closing_soon":
        return qs.filter(pk__in=Petition.objects.collecting(now).values("pk")).order_by(
            "collection_closes_at", "pk"
        )
    return qs.order_by("-published_at", "-pk")


def moderation_queue() -> QuerySet[Petition]:
    """Petitions awaiting moderation, oldest first, with their duty (for the due date)."""
    return (
        Petition.objects.filter(state__in=[PetitionState.SUBMITTED, PetitionState.IN_MODERATION])
        .select_related("author", "addressee", "moderated_by", "moderation_obligation")
        .order_by("submitted_at", "pk")
    )


def authored_by(user) -> QuerySet[Petition]:
    """The author's dashboard: every petition they wrote, newest first."""
    return (
        Petition.objects.filter(author=user)
        .select_related("addressee", "rejection_reason", "response")
        .order_by("-created_at", "-pk")
    )


def awaiting_response_for(agency) -> QuerySet[Petition]:
    """The addressee's workspace: petitions over their threshold, due first."""
    return (
        Petition.objects.filter(addressee=agency, response_state=ResponseState.AWAITING)
        .select_related("response_obligation")
        .order_by("response_obligation__due_at", "pk")
    )


@dataclass(frozen=True)
class RegionRow:
    region: str  # "" when the signers did not give one
    label: str
    count: int
    percent: float  # of the petition's count, for the chart's bar width


def region_counts(petition: Petition) -> list[RegionRow]:
    """Counts by region from `RegionCount` (one query), largest first; regions without
    signatures are left out, "not given" comes last."""
    labels = dict(Region.choices)
    total = petition.signature_count or 0
    rows = [
        RegionRow(
            region=region,
            label=str(labels.get(region, "")) if region else _("Region not given"),
            count=count,
            percent=round(count * 100 / total, 1) if total else 0.0,
        )
        for region, count in RegionCount.objects.filter(petition=petition, count__gt=0)
        .order_by("-count", "region")
        .values_list("region", "count")
    ]
    return sorted(rows, key=lambda row: row.region == "")


def signer_name(first_name: str, last_name: str, deleted: bool) -> str:
    """What the public sees of a signer: first name and surname initial, never more."""
    if deleted:
        return _("deleted user")
    first_name = (first_name or "").strip()
    if not first_name:
        return _("A supporter")
    initial = (last_name or "").strip()[:1]
    return f"{first_name} {initial}." if initial else first_name


@dataclass(frozen=True)
class SignerRow:
    """A signer as the public sees them: first name and surname initial, and when."""

    name: str
    signed_at: datetime.datetime


@dataclass(frozen=True)
class SignerPage:
    rows: list[SignerRow]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def signers_page(
    petition: Petition, *, page: int = 1, per_page: int = SIGNERS_PAGE_SIZE
) -> SignerPage:
    """One page of counted signers, newest first, as public names (one query: per_page + 1
    rows tell whether there is a next page; the total is `petition.signature_count`)."""
    page = max(1, int(page))
    start = (page - 1) * per_page
    rows = list(
        Signature.objects.filter(petition=petition)
        .counted()
        .order_by("-created_at", "-pk")
        .values_list("user__first_name", "user__last_name", "user__deleted_at", "created_at")[
            start : start + per_page + 1
        ]
    )
    return SignerPage(
        rows=[
            SignerRow(name=signer_name(first, last, deleted is not None), signed_at=at)
            for first, last, deleted, at in rows[:per_page]
        ],
        number=page,
        has_next=len(rows) > per_page,
    )


def signature_of(petition: Petition, user) -> Signature | None:
    """The person's active signature (to show "you signed" or "withdraw"), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Signature.objects.filter(petition=petition, user=user, withdrawn_at__isnull=True).first()


@dataclass(frozen=True)
class TrendingRow:
    value: str  # the IP address or email domain
    count: int  # signatures in the window (counted ones)
    petitions: int  # distinct petitions they went to


def _trending(field: str, *, hours: int, petition, now, limit) -> list[TrendingRow]:
    now = now or timezone.now()
    qs = Signature.objects.counted().filter(created_at__gte=now - datetime.timedelta(hours=hours))
    if petition is not None:
        qs = qs.filter(petition=petition)
    # An IP field stores "" as NULL: compare with "" only for the domain.
    qs = qs.exclude(**{f"{field}__isnull": True})
    if field == "email_domain":
        qs = qs.exclude(email_domain="")
    return [
        TrendingRow(value=str(row[field]), count=row["n"], petitions=row["p"])
        for row in qs.order_by()
        .values(field)
        .annotate(n=Count("pk"), p=Count("petition", distinct=True))
        .order_by("-n", field)[:limit]
    ]


def trending_ips(
    *, hours: int = 1, petition: Petition | None = None, now=None, limit: int = TRENDING_LIMIT
) -> list[TrendingRow]:
    """For moderators: the IP addresses with most signatures in the last `hours` (across
    all petitions, or one). One aggregate query."""
    return _trending("ip", hours=hours, petition=petition, now=now, limit=limit)


def trending_domains(
    *, hours: int = 1, petition: Petition | None = None, now=None, limit: int = TRENDING_LIMIT
) -> list[TrendingRow]:
    """For moderators: the email domains with most signatures in the last `hours`."""
    return _trending("email_domain", hours=hours, petition=petition, now=now, limit=limit)


def visible_to(user) -> Q:
    """A filter of the petitions `user` may open (the rule `petitions.view_petition` as a
    query, for lists that mix states: search, the API detail lookup)."""
    public = ~Q(state__in=[*PRIVATE_STATES, PetitionState.REJECTED, PetitionState.WITHDRAWN])
    public |= Q(state=PetitionState.REJECTED, rejection_reason__public=True)
    public |= Q(state=PetitionState.WITHDRAWN, published_at__isnull=False)
    if not getattr(user, "is_authenticated", False):
        return public
    if user.has_perm("petitions.view_abuse_report"):  # moderators see everything
        return Q()
    return public | Q(author=user)


def home_section(request) -> dict:
    """The home page's "Most signed petitions": three still collecting (one query)."""
    return {
        "petitions": list(
            public_list(sort="closing_soon")
            .order_by("-signature_count", "pk")
            .select_related("addressee")[:3]
        )
    }
