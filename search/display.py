"""What the search page and the API show of `SearchResults`: labels for kinds, statuses
and agencies (one query for every agency on the page), and addresses in the reader's
language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve, translate_url
from django.utils.translation import get_language, override

from accounts.models import Agency

from . import registry
from .results import SearchHit, SearchResults


@dataclass(frozen=True)
class Row:
    """A hit and what it needs to be shown."""

    hit: SearchHit
    url: str
    kind_label: str
    status_label: str
    agency: Agency | None


@dataclass(frozen=True)
class FacetValue:
    value: Any
    label: str
    count: int
    selected: bool


def rows_and_facets(
    results: SearchResults, *, kinds=(), agency: int | None = None, status=()
) -> tuple[list[Row], dict[str, list[FacetValue]]]:
    """The hits as `Row`s and the facets as labelled, ordered `FacetValue`s. A selected
    value stays listed even when nothing matches it any more, and every kind is listed
    when the counts are not exact (`SearchResults.facets_exact`)."""
    kind_labels = registry.labels()
    status_labels = registry.status_labels()
    agency_ids = {hit.agency_id for hit in results.hits if hit.agency_id}
    agency_ids |= {value for value in results.facets.get("agency", {}) if value}
    if agency:
        agency_ids.add(agency)
    agencies = Agency.objects.in_bulk(agency_ids) if agency_ids else {}
    language = get_language()
    rows = [
        Row(
            hit=hit,
            url=localised_url(hit.url, language),
            kind_label=str(kind_labels.get(hit.kind, hit.kind)),
            status_label=str(status_labels.get(hit.status, "")) if hit.status else "",
            agency=agencies.get(hit.agency_id) if hit.agency_id else None,
        )
        for hit in results.hits
    ]

    def facet(name: str, selected: set, label) -> list[FacetValue]:
        counts = dict(results.facets.get(name, {}))
        for value in selected:
            counts.setdefault(value, 0)
        if name == "kind" and not results.facets_exact:
            # The counts are of the newest results only: every kind stays on offer.
            for value in kind_labels:
                counts.setdefault(value, 0)
        return [
            FacetValue(value=value, label=label(value), count=count, selected=value in selected)
            for value, count in counts.items()
            if label(value)
        ]

    facets = {
        "kind": facet("kind", set(kinds or ()), lambda key: str(kind_labels.get(key, ""))),
        "agency": facet(
            "agency",
            {agency} if agency else set(),
            lambda pk: agencies[pk].name if pk in agencies else "",
        ),
        "status": facet(
            "status", set(status or ()), lambda value: str(status_labels.get(value, ""))
        ),
    }
    return rows, facets


def localised_url(url: str, language: str | None) -> str:
    """The address in `language` when it is one of the portal's own views (a thread, a
    question); a CMS page keeps the address of the language it was written in. Stored
    addresses carry the language they were reversed in (`/kk/...`)."""
    parts = url.split("/", 2) if url.startswith("/") else []
    written_in = parts[1] if len(parts) > 2 else ""
    if not language or written_in == language or written_in not in registry.LANGUAGES:
        return url
    with override(written_in):
        try:
            match = resolve(urlsplit(url).path)
        except Resolver404:
            return url
        if match.url_name == "wagtail_serve":
            return url
        return translate_url(url, language)
