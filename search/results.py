"""What a search returns, whichever backend answered."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from typing import Any

from django.utils.safestring import SafeString

from .text import Term

FACETS = ("kind", "agency", "status")


@dataclass(frozen=True)
class Query:
    """A search request, validated (`services.search` builds it)."""

    q: str
    terms: tuple[Term, ...]
    kinds: tuple[str, ...] = ()
    agency: int | None = None
    status: tuple[str, ...] = ()
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    language: str | None = None
    page: int = 1
    per_page: int = 20
    any_word: bool = False
    facets: bool = True  # False: no facets wanted (they may be left uncounted)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def is_browse(self) -> bool:
        """No words: everything that passes the filters, newest first."""
        return not self.q.strip()


@dataclass(frozen=True)
class SearchHit:
    kind: str
    key: str  # "<app_label>.<model>:<pk>", the same in every language
    object_pk: str
    language: str
    title: str  # plain text
    title_html: SafeString  # HTML-safe, query words in <mark>
    snippet: SafeString  # HTML-safe excerpt of the text, query words in <mark>
    url: str
    date: datetime.date | None
    agency_id: int | None
    status: str
    score: float
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SearchResults:
    query: str
    hits: list[SearchHit]
    total: int  # results (one per object, whatever its languages) under every filter
    page: int
    per_page: int
    # {"kind": {kind: n}, "agency": {agency id: n}, "status": {status: n}}. Each facet
    # counts under the query and every *other* filter, so a chosen kind still shows what
    # the other kinds would give.
    facets: dict[str, dict[Any, int]]
    suggestion: str | None  # "did you mean", when the backend offers one
    backend: str  # "database" or "elasticsearch"
    degraded: bool = False  # Elasticsearch is configured but did not answer
    # False when the backend stopped counting (PostgreSQL past `COUNT_LIMIT` matches):
    # `total` is then a lower bound ("more than ..."), and the facets count only the
    # newest matches it read.
    total_exact: bool = True
    facets_exact: bool = True

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page)) if self.per_page else 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def disjunctive_facets(
    rows: list[tuple[str, int | None, str, int]], query: Query
) -> tuple[int, dict[str, dict[Any, int]]]:
    """Total and facets from (kind, agency, status, count) rows of the matches under the
    non-facet filters: each facet applies the other two facets' filters."""

    def keep(kind, agency, status, *, skip: str) -> bool:
        if skip != "kind" and query.kinds and kind not in query.kinds:
            return False
        if skip != "agency" and query.agency is not None and agency != query.agency:
            return False
        return not (skip != "status" and query.status and status not in query.status)

    facets: dict[str, dict[Any, int]] = {name: {} for name in FACETS}
    total = 0
    for kind, agency, status, count in rows:
        if keep(kind, agency, status, skip=""):
            total += count
        for name, value in (("kind", kind), ("agency", agency), ("status", status)):
            if value in (None, "") or not keep(kind, agency, status, skip=name):
                continue
            facets[name][value] = facets[name].get(value, 0) + count
    return total, {
        name: dict(sorted(values.items(), key=lambda item: (-item[1], str(item[0]))))
        for name, values in facets.items()
    }
