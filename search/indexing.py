"""Writing the index: the one path every update takes (signals → task → here, the
rebuild command, the refresh command).

An object is re-read through its kind's `queryset()`: what is no longer there (hidden,
unpublished, deleted) is removed. The database index is always written, so the fallback
is complete; Elasticsearch too when it is configured, and a failure there is logged, not
raised (the write that caused it has committed already; `search_rebuild` heals).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from . import registry
from .models import Entry
from .registry import SearchDoc
from .text import fold_words

logger = logging.getLogger(__name__)

BODY_MAX_CHARS = 100_000
# PostgreSQL text search configuration per language; Kazakh has none: its words are
# matched through the folded text (the `simple` configuration), as every language's are.
PG_CONFIGS = {"ru": "russian", "en": "english"}


@dataclass
class WriteResult:
    written: list[SearchDoc] = field(default_factory=list)
    removed: list[tuple[str, str, str]] = field(default_factory=list)  # kind, pk, language

    def extend(self, other: WriteResult) -> None:
        self.written.extend(other.written)
        self.removed.extend(other.removed)


def checksum(doc: SearchDoc) -> str:
    data = asdict(doc)
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def documents_for(kind: registry.Kind, objects: Iterable) -> list[SearchDoc]:
    docs: list[SearchDoc] = []
    for obj in objects:
        try:
            docs.extend(kind.docs_of(obj))
        except Exception:
            # One broken object must not stop the others (nor a rebuild): log it.
            logger.exception("search: documents of %s %s failed", kind.key, obj.pk)
    return docs


def reindex_objects(kind_key: str, pks: Sequence, *, elastic: bool = True) -> WriteResult:
    """Bring the index in line with these objects of a kind, as `queryset()` sees them."""
    kind = registry.get(kind_key)
    pks = [str(pk) for pk in pks]
    objects = list(kind.bulk_queryset().filter(pk__in=pks))
    result = write(kind_key, pks, documents_for(kind, objects))
    if elastic:
        sync_elastic(result)
    return result


def write(kind_key: str, object_pks: Sequence[str], docs: list[SearchDoc]) -> WriteResult:
    """Replace the database entries of these objects with `docs` (unchanged ones are left
    alone: their checksum matches). Returns what changed, for Elasticsearch."""
    now = timezone.now()
    wanted = {(doc.object_pk, doc.language): doc for doc in docs}
    sums = {pair: checksum(doc) for pair, doc in wanted.items()}
    result = WriteResult()
    with transaction.atomic():
        existing = {
            (pk, language): (entry_id, stored)
            for entry_id, pk, language, stored in Entry.objects.filter(
                kind=kind_key, object_pk__in=list(object_pks)
            ).values_list("pk", "object_pk", "language", "checksum")
        }
        stale = [
            entry_id
            for pair, (entry_id, stored) in existing.items()
            if pair not in wanted or sums[pair] != stored
        ]
        result.removed = [
            (kind_key, pk, lang) for (pk, lang) in existing if (pk, lang) not in wanted
        ]
        fresh = [
            doc
            for pair, doc in wanted.items()
            if pair not in existing or existing[pair][1] != sums[pair]
        ]
        if stale:
            Entry.objects.filter(pk__in=stale).delete()
        if fresh:
            created = Entry.objects.bulk_create(
                [_entry(doc, sums[(doc.object_pk, doc.language)], now) for doc in fresh]
            )
            _update_vectors(created)
        result.written = fresh
    return result


def _entry(doc: SearchDoc, digest: str, now) -> Entry:
    body = (doc.body or "")[:BODY_MAX_CHARS]
    return Entry(
        kind=doc.kind,
        object_pk=doc.object_pk,
        language=doc.language,
        key=doc.key,
        group_key=doc.group,
        parent=doc.parent,
        title=doc.title or "",
        body=body,
        folded_title=fold_words(doc.title),
        folded_body=fold_words(body),
        agency_id=doc.agency_id,
        status=doc.status or "",
        date=doc.date,
        url=doc.url or "",
        extra=doc.extra or {},
        checksum=digest,
        refresh_at=doc.refresh_at,
        indexed_at=now,
    )


# Keep in step with `search.backends.database.facet_lexeme`.
FACET_LEXEMES_SQL = (
    "array_to_tsvector(ARRAY['__kind_' || kind, '__agency_' || COALESCE(agency_id::text, ''), "
    "'__status_' || status])"
)


def _update_vectors(entries: list[Entry]) -> None:
    """PostgreSQL: compute the weighted tsvector of new rows, per language."""
    if connection.vendor != "postgresql" or not entries:
        return
    from django.contrib.postgres.search import SearchVector, SearchVectorField
    from django.db.models.expressions import CombinedExpression, RawSQL

    # The entry's facet values as lexemes (`search.backends.database.facet_lexeme`), so
    # the GIN index answers facet filters; migration 0005 added them to older rows.
    facet_lexemes = RawSQL(FACET_LEXEMES_SQL, [], output_field=SearchVectorField())  # noqa: S611

    ids_by_language: dict[str, list[int]] = defaultdict(list)
    for entry in entries:
        if entry.pk is None:  # backends without RETURNING on bulk insert (none we use)
            continue
        ids_by_language[entry.language].append(entry.pk)
    for language, ids in ids_by_language.items():
        vector = SearchVector("folded_title", config="simple", weight="A") + SearchVector(
            "folded_body", config="simple", weight="B"
        )
        config = PG_CONFIGS.get(language)
        if config:
            vector = (
                SearchVector("title", config=config, weight="A")
                + SearchVector("body", config=config, weight="B")
                + vector
            )
        Entry.objects.filter(pk__in=ids).update(
            vector=CombinedExpression(vector, "||", facet_lexemes, output_field=SearchVectorField())
        )


def sync_elastic(result: WriteResult) -> None:
    """Send a write's changes to Elasticsearch when configured; never raises."""
    from .backends import elastic

    if not elastic.is_configured() or not (result.written or result.removed):
        return
    try:
        elastic.apply_changes(written=result.written, removed=result.removed)
    except Exception as exc:  # the write has committed; search_rebuild heals the index
        elastic.mark_unavailable()
        logger.warning("search: Elasticsearch update failed (%s); run search_rebuild", exc)


def remove_stale(kind_key: str) -> int:
    """Delete database entries of a kind whose object is no longer in its queryset (the
    rebuild's last step). Returns how many rows went."""
    from django.db.models import CharField
    from django.db.models.functions import Cast

    kind = registry.get(kind_key)
    present = kind.queryset().annotate(search_pk=Cast("pk", CharField())).values("search_pk")
    deleted, _ = Entry.objects.filter(kind=kind_key).exclude(object_pk__in=present).delete()
    return deleted


def remove_unregistered() -> int:
    """Entries of kinds no longer registered (an app removed from INSTALLED_APPS)."""
    deleted, _ = Entry.objects.exclude(kind__in=[kind.key for kind in registry.kinds()]).delete()
    return deleted
