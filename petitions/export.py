"""The public list as CSV (`petitions:export`): the same filters as the list page and the
API list (`state`, `addressee` by slug, `region`, `sort`), one row per petition.

UTF-8 with a byte order mark (spreadsheets then read Kazakh and Russian right), header in
the active language. The rows are streamed: the petitions are read with `iterator()` in
chunks, so memory holds one chunk whatever the list's length, and nothing reads the
signatures (counts are `Petition.signature_count`).
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.models import Agency
from accounts.regions import Region

from . import selectors
from .models import Petition, PetitionState, ResponseState

BOM = "\ufeff"
CHUNK = 500


@dataclass(frozen=True)
class FilterError(Exception):
    """A list parameter with a value the list does not know (the API answers 400)."""

    param: str
    message: str


def public_petitions(params, *, now: datetime.datetime | None = None) -> QuerySet[Petition]:
    """`selectors.public_list` with the query parameters of the list page, the API and the
    CSV: `state` (one of `selectors.LIST_FILTERS`), `addressee` (an agency's slug),
    `region` (a region code) and `sort` (`selectors.SORTS`, default most signed). The
    author and addressee are joined. Raises `FilterError` for an unknown value."""
    state = (params.get("state") or "").strip()
    if state and state not in selectors.LIST_FILTERS:
        raise FilterError("state", f"One of {', '.join(selectors.LIST_FILTERS)}.")
    region = (params.get("region") or "").strip()
    if region and region not in Region.values:
        raise FilterError("region", f"One of {', '.join(Region.values)}.")
    sort = (params.get("sort") or "").strip() or "most_signed"
    if sort not in selectors.SORTS:
        raise FilterError("sort", f"One of {', '.join(selectors.SORTS)}.")
    addressee = None
    if slug := (params.get("addressee") or "").strip():
        addressee = Agency.objects.filter(slug=slug).values_list("pk", flat=True).first()
        if addressee is None:
            raise FilterError("addressee", f"Unknown addressee {slug!r}.")
    petitions = selectors.public_list(
        state=state, addressee=addressee, region=region, sort=sort, now=now
    )
    return petitions.select_related("author")


def csv_header() -> list[str]:
    return [
        _("Petition"),
        _("Title"),
        _("Addressee"),
        _("Region"),
        _("State"),
        _("Response"),
        _("Signatures"),
        _("Signatures needed"),
        _("Published on"),
        _("Collection ends on"),
        _("Responded on"),
        _("Link"),
    ]


def _date(value: datetime.datetime | None) -> str:
    return timezone.localtime(value).date().isoformat() if value else ""


def csv_row(petition: Petition, *, now: datetime.datetime, base_url: str) -> list[str]:
    state = petition.effective_state(now)
    return [
        str(petition.pk),
        petition.title,
        petition.addressee.name,
        str(petition.get_region_display()) if petition.region else "",
        str(PetitionState(state).label),
        str(ResponseState(petition.response_state).label),
        str(petition.signature_count),
        str(petition.threshold or ""),
        _date(petition.published_at),
        _date(petition.collection_closes_at),
        _date(petition.responded_at),
        base_url + petition.get_absolute_url(),
    ]


class _Echo:
    """A file-like object whose write returns the line csv.writer gives it."""

    def write(self, value: str) -> str:
        return value


def csv_lines(petitions: QuerySet[Petition], *, now: datetime.datetime, base_url: str):
    """BOM and the translated header, then a line per petition, read in chunks."""
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow(csv_header())
    for petition in petitions.iterator(chunk_size=CHUNK):
        yield writer.writerow(csv_row(petition, now=now, base_url=base_url))


def _encoded(lines: Iterator[str]) -> Iterator[bytes]:
    for line in lines:
        yield line.encode("utf-8")


@require_GET
def petition_export(request: HttpRequest) -> HttpResponse:
    """The public list as CSV, filtered and sorted as the list page's query string says
    (`page` is ignored: the file has every matching petition)."""
    now = timezone.now()
    try:
        petitions = public_petitions(request.GET, now=now)
    except FilterError as error:
        return HttpResponseBadRequest(
            f"{error.param}: {error.message}", content_type="text/plain; charset=utf-8"
        )
    base_url = request.build_absolute_uri("/").rstrip("/")
    response = StreamingHttpResponse(
        _encoded(csv_lines(petitions, now=now, base_url=base_url)),
        content_type="text/csv; charset=utf-8",
    )
    stamp = timezone.localtime(now).date().isoformat()
    response["Content-Disposition"] = f'attachment; filename="petitions-{stamp}.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
