"""The search module's interface for pages, the API and the other apps.

    from search.services import search

    results = search(q="больница", kinds=["blog_question"], agency=12, page=2)
    results.hits[0].title_html, results.facets["kind"], results.degraded

Elasticsearch answers when `ELASTICSEARCH_URL` is set and the cluster responds within
`ELASTICSEARCH_TIMEOUT`; otherwise the database does, with `degraded=True` when
Elasticsearch was configured (the page says results may be less complete). Nothing a
backend does wrong reaches the caller as an error.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone

from . import indexing, registry, sqlite_fts
from .backends import database as database_backend
from .backends import elastic
from .backends.database import DatabaseBackend
from .models import Entry
from .results import Query, SearchHit, SearchResults
from .text import query_terms

logger = logging.getLogger(__name__)

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
MAX_QUERY_CHARS = 500
# Elasticsearch pages no further than its result window (10,000 by default).
MAX_RESULT_WINDOW = 10_000

__all__ = [
    "Query",
    "SearchHit",
    "SearchResults",
    "backend_name",
    "index_rebuild",
    "index_refresh",
    "search",
]


def backend_name() -> str:
    """The backend a search would try first."""
    return elastic.NAME if elastic.is_configured() else DatabaseBackend.name


def search(
    *,
    q: str = "",
    kinds: Iterable[str] | None = None,
    agency: int | None = None,
    status: Iterable[str] | str | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    language: str | None = None,
    page: int = 1,
    per_page: int = DEFAULT_PER_PAGE,
    any_word: bool = False,
    facets: bool = True,
) -> SearchResults:
    """Search everything registered, results of all kinds ranked together.

    `q`: the words (every word must match, as a prefix of a word after folding, unless
    `any_word`, which ranks documents matching any of them: for "similar questions").
    Empty `q` lists everything that passes the filters, newest first.
    `kinds`: registered kind keys (unknown ones are ignored); `agency`: an agency id;
    `status`: one or more status values; `date_from`/`date_to`: inclusive dates.
    `language`: the preferred language ("kk", "ru", "en"): an object indexed in several
    languages is one result, in this language when it matches in it. Not a filter.
    `page` is 1-based; `per_page` at most 100. `facets=False`: the caller shows no facets
    (suggestions), so the database backend need not count them; they may come back
    empty or partial.
    """
    query = _query(
        q=q,
        kinds=kinds,
        agency=agency,
        status=status,
        date_from=date_from,
        date_to=date_to,
        language=language,
        page=page,
        per_page=per_page,
        any_word=any_word,
        facets=facets,
    )
    degraded = False
    if elastic.is_configured():
        if elastic.is_available():
            try:
                return _results(query, elastic.ElasticBackend().search(query), elastic.NAME)
            except Exception as exc:
                elastic.mark_unavailable()
                logger.warning("search: Elasticsearch failed (%s); using the database", exc)
        degraded = True
    raw = DatabaseBackend().search(query)
    return _results(query, raw, DatabaseBackend.name, degraded=degraded)


def _query(
    *, q, kinds, agency, status, date_from, date_to, language, page, per_page, any_word, facets
):
    q = (q or "").strip()[:MAX_QUERY_CHARS]
    known = {kind.key for kind in registry.kinds()}
    kinds = tuple(sorted({kind for kind in (kinds or ()) if kind in known}))
    if isinstance(status, str):
        status = (status,) if status else ()
    status = tuple(sorted({value for value in (status or ()) if value}))
    per_page = max(1, min(int(per_page or DEFAULT_PER_PAGE), MAX_PER_PAGE))
    last_page = max(1, MAX_RESULT_WINDOW // per_page)
    page = max(1, min(int(page or 1), last_page))
    if language not in registry.LANGUAGES:
        language = None
    return Query(
        q=q,
        terms=tuple(query_terms(q)),
        kinds=kinds,
        agency=int(agency) if agency not in (None, "") else None,
        status=status,
        date_from=date_from,
        date_to=date_to,
        language=language,
        page=page,
        per_page=per_page,
        any_word=any_word,
        facets=facets,
    )


def _results(query: Query, raw: dict, backend: str, *, degraded: bool = False) -> SearchResults:
    return SearchResults(
        query=query.q,
        hits=raw["hits"],
        total=raw["total"],
        page=query.page,
        per_page=query.per_page,
        facets=raw["facets"],
        suggestion=raw.get("suggestion"),
        backend=backend,
        degraded=degraded,
        total_exact=raw.get("total_exact", True),
        facets_exact=raw.get("facets_exact", True),
    )


# --- maintaining the index ----------------------------------------------------------------

Progress = Callable[[str, int, int], None]


@dataclass
class RebuildReport:
    kinds: dict[str, int] = field(default_factory=dict)  # documents per kind
    removed: int = 0  # stale database entries deleted
    elastic_index: str = ""  # the new index the alias now points at ("" if none)
    deleted_indices: list[str] = field(default_factory=list)
    caught_up: int = 0  # documents changed during the rebuild, sent again after the swap


def index_rebuild(
    *,
    kinds: Iterable[str] | None = None,
    batch_size: int = 500,
    elastic_enabled: bool | None = None,
    progress: Progress | None = None,
) -> RebuildReport:
    """Re-index every registered kind (or only `kinds`) from the database. Idempotent.

    The database index is brought in line batch by batch (unchanged entries are left as
    they are) and stale entries are deleted. With Elasticsearch (configured, unless
    `elastic_enabled=False`), a full rebuild fills a new index `<alias>-<timestamp>`
    while searches keep using the old one, moves the alias to it in one atomic request,
    deletes the old indices, then re-sends what changed meanwhile. Rebuilding some kinds
    only writes them through the alias."""
    started = timezone.now()
    selected = [kind for kind in registry.kinds() if kinds is None or kind.key in set(kinds)]
    full = kinds is None
    use_elastic = elastic.is_configured() if elastic_enabled is None else elastic_enabled
    report = RebuildReport()
    if connection.vendor == "sqlite":
        # Heals the triggers a table rebuild may have dropped; refills the FTS table.
        sqlite_fts.install(connection, rebuild=True)
        database_backend.reset_caches()
    new_index = ""
    if use_elastic and full:
        new_index = elastic.new_index_name()
        elastic.create_index(new_index)
    for kind in selected:
        total = kind.queryset().count()
        done = written = 0
        if progress:
            progress(kind.key, 0, total)
        ordered = kind.bulk_queryset().order_by("pk")
        last_pk = None
        while True:
            batch = list(
                (ordered if last_pk is None else ordered.filter(pk__gt=last_pk))[:batch_size]
            )
            if not batch:
                break
            last_pk = batch[-1].pk
            docs = indexing.documents_for(kind, batch)
            result = indexing.write(kind.key, [str(obj.pk) for obj in batch], docs)
            if new_index:
                elastic.bulk_into(new_index, docs)
            elif use_elastic:
                elastic.apply_changes(written=docs, removed=result.removed)
            done += len(batch)
            written += len(docs)
            if progress:
                progress(kind.key, done, total)
        report.kinds[kind.key] = written
        report.removed += indexing.remove_stale(kind.key)
    if full:
        report.removed += indexing.remove_unregistered()
    if new_index:
        report.deleted_indices = elastic.swap_alias(new_index)
        report.elastic_index = new_index
        report.caught_up = _catch_up(since=started, batch_size=batch_size)
        elastic.mark_available()
    return report


def _catch_up(*, since: datetime.datetime, batch_size: int) -> int:
    """Send Elasticsearch the entries written since `since` (by the incremental updates
    that went to the old index during a rebuild)."""
    sent = 0
    last_pk = 0
    while True:
        entries = list(
            Entry.objects.filter(indexed_at__gte=since, pk__gt=last_pk).order_by("pk")[:batch_size]
        )
        if not entries:
            return sent
        elastic.apply_changes(written=[elastic.entry_doc(entry) for entry in entries], removed=[])
        sent += len(entries)
        last_pk = entries[-1].pk


def index_refresh(*, now: datetime.datetime | None = None) -> int:
    """Re-index the objects whose status changes with the clock and is now due
    (`SearchDoc.refresh_at`): run it every few minutes (`manage.py search_refresh`).
    Returns how many objects were re-indexed."""
    now = now or timezone.now()
    due: dict[str, set[str]] = {}
    for kind, object_pk in Entry.objects.filter(refresh_at__lte=now).values_list(
        "kind", "object_pk"
    ):
        due.setdefault(kind, set()).add(object_pk)
    known = {kind.key for kind in registry.kinds()}
    count = 0
    for kind, pks in due.items():
        if kind not in known:
            continue
        indexing.reindex_objects(kind, sorted(pks))
        count += len(pks)
    return count
