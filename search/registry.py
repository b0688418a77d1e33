"""What is searchable. `search` never imports a feature app: each app says what of it is
searchable in its own `search_documents.py` (imported by `SearchConfig.ready()`):

    from search import registry
    from search.registry import SearchDoc

    registry.register(
        "blog_question",
        label=_("Questions and answers"),
        model=Question,
        queryset=lambda: Question.objects.visible(),    # what may be found, nothing else
        documents=question_documents,                   # obj -> iterable of SearchDoc
        watch={Answer: lambda answer: [answer.question_id]},
        select_related=("obligation",),
        prefetch_related=("answers",),
        statuses={"answered": _("answered"), ...},
    )

- `queryset()` is the visibility rule. Re-indexing an object reads it through
  `queryset()`; an object that is no longer there (hidden, unpublished, deleted) is
  removed from the index. That is how hiding reaches search.
- `documents(obj)` yields one `SearchDoc` per language the content exists in. Never put
  emails, or a name its owner asked to hide, into a document: whatever is in it can be
  found and is shown.
- `watch` maps other models to the objects of this kind they change: `{Model: fn}` where
  `fn(instance)` returns the pks to re-index (a QuerySet or a function returning pks is
  looked up only after the commit: prefer it when finding them costs a query), or
  `{Model: (fn, {"field", ...})}` to react only when a save touches one of those fields
  (`update_fields`). The kind's own model is
  always watched. `watch` may also be a function returning that mapping, called once
  every search_documents module has registered (the conversation layer watches whatever
  is commentable).

Saves and deletes of watched models schedule `search.tasks.reindex` after the
transaction commits, one task per kind per transaction (docs/search.md).
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models, transaction
from django.db.models.signals import post_delete, post_save

logger = logging.getLogger(__name__)

LANGUAGES = ("kk", "ru", "en")


@dataclass(frozen=True)
class SearchDoc:
    """One language of one searchable object.

    `kind` and `key` are filled in by the registry (`key` is "<app_label>.<model>:<pk>").
    `group`: documents sharing it are one result, shown in the preferred language (the
    Kazakh and Russian pages of one announcement); it defaults to `key`. `parent`: the key
    of what this belongs to (a comment's target). `refresh_at`: when a status derived
    from the clock changes (a draft's discussion closes), so `search_refresh` re-indexes
    it then. `extra`: small display data (not searched), e.g. the commented object's
    title or a public author name.
    """

    title: str
    body: str = ""
    language: str = "kk"
    url: str = ""
    date: datetime.date | None = None
    agency_id: int | None = None
    status: str = ""
    group: str = ""
    parent: str = ""
    refresh_at: datetime.datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    kind: str = ""
    key: str = ""
    object_pk: str = ""


Watcher = Callable[[Any], Iterable[Any]]
WatchSpec = Mapping[type[models.Model], Watcher | tuple[Watcher, Iterable[str]]]


@dataclass
class Kind:
    key: str
    label: Any
    model: type[models.Model]
    queryset: Callable[[], models.QuerySet]
    documents: Callable[[Any], Iterable[SearchDoc]]
    watch: WatchSpec | Callable[[], WatchSpec] = field(default_factory=dict)
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[Any, ...] = ()
    statuses: Mapping[str, Any] = field(default_factory=dict)

    @property
    def key_prefix(self) -> str:
        return self.model._meta.label_lower

    def bulk_queryset(self) -> models.QuerySet:
        qs = self.queryset()
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.prefetch_related:
            qs = qs.prefetch_related(*self.prefetch_related)
        return qs

    def docs_of(self, obj) -> list[SearchDoc]:
        """`documents(obj)` with kind, key and group filled in; at most one per language."""
        from dataclasses import replace

        from .text import clean

        key = f"{self.key_prefix}:{obj.pk}"
        docs: dict[str, SearchDoc] = {}
        for doc in self.documents(obj):
            if doc.language not in LANGUAGES:
                raise ValueError(f"{self.key}: unknown language {doc.language!r}")
            if doc.language in docs:
                raise ValueError(f"{self.key}: two documents in {doc.language!r} for {key}")
            docs[doc.language] = replace(
                doc,
                title=clean(doc.title),
                body=clean(doc.body),
                kind=self.key,
                key=key,
                object_pk=str(obj.pk),
                group=doc.group or key,
            )
        return list(docs.values())


_kinds: dict[str, Kind] = {}
# model -> [(kind key, watcher, fields or None)], built by `connect()`.
_watchers: dict[type[models.Model], list[tuple[str, Watcher, frozenset[str] | None]]] = defaultdict(
    list
)
_connected = False


def register(
    key: str,
    *,
    label: Any,
    model: type[models.Model],
    queryset: Callable[[], models.QuerySet],
    documents: Callable[[Any], Iterable[SearchDoc]],
    watch: WatchSpec | Callable[[], WatchSpec] | None = None,
    select_related: Iterable[str] = (),
    prefetch_related: Iterable[Any] = (),
    statuses: Mapping[str, Any] | None = None,
) -> Kind:
    """Make a kind of content searchable (see the module docstring). Registering a key
    again replaces it (tests do)."""
    kind = Kind(
        key=key,
        label=label,
        model=model,
        queryset=queryset,
        documents=documents,
        watch=watch or {},
        select_related=tuple(select_related),
        prefetch_related=tuple(prefetch_related),
        statuses=dict(statuses or {}),
    )
    _kinds[key] = kind
    if _connected:
        _connect_kind(kind)
    return kind


def unregister(key: str) -> None:
    _kinds.pop(key, None)
    for entries in _watchers.values():
        entries[:] = [entry for entry in entries if entry[0] != key]


def get(key: str) -> Kind:
    return _kinds[key]


def kinds() -> list[Kind]:
    return list(_kinds.values())


def labels() -> dict[str, Any]:
    """{kind: label}, for the kind facet."""
    return {key: kind.label for key, kind in _kinds.items()}


def status_labels() -> dict[str, Any]:
    """{status: label} over every kind (kinds that share a status value share its label)."""
    merged: dict[str, Any] = {}
    for kind in _kinds.values():
        for value, label in kind.statuses.items():
            merged.setdefault(value, label)
    return merged


# --- signals ---------------------------------------------------------------------------


def connect() -> None:
    """Connect the save/delete signals of every watched model. Called by
    `SearchConfig.ready()` after autodiscovery; kinds registered later connect at once."""
    global _connected
    _connected = True
    for kind in _kinds.values():
        _connect_kind(kind)


def _own_watchers(kind: Kind) -> dict[type[models.Model], Watcher]:
    """The kind's model, and its concrete parents (a Wagtail page may be saved as a plain
    `Page`): an instance re-indexes itself when it is of this kind."""
    model = kind.model

    def self_pk(instance) -> list:
        specific = getattr(instance, "specific_class", None)
        if specific is not None and not issubclass(specific, model):
            return []
        return [instance.pk]

    watched = {model: self_pk}
    for parent in model._meta.get_parent_list():
        watched[parent] = self_pk
    return watched


def _connect_kind(kind: Kind) -> None:
    spec = kind.watch() if callable(kind.watch) else kind.watch
    pairs: list[tuple[type[models.Model], Watcher, frozenset[str] | None]] = [
        (model, fn, None) for model, fn in _own_watchers(kind).items()
    ]
    for model, value in spec.items():
        if isinstance(value, tuple):
            fn, fields = value
            pairs.append((model, fn, frozenset(fields)))
        else:
            pairs.append((model, value, None))
    for model, fn, fields in pairs:
        _watchers[model] = [entry for entry in _watchers[model] if entry[:2] != (kind.key, fn)]
        _watchers[model].append((kind.key, fn, fields))
        uid = f"search.watch.{model._meta.label_lower}"
        post_save.connect(_on_save, sender=model, dispatch_uid=uid + ".save", weak=False)
        post_delete.connect(_on_delete, sender=model, dispatch_uid=uid + ".delete", weak=False)


def _on_save(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    if raw:  # loading fixtures
        return
    _collect(sender, instance, update_fields)


def _on_delete(sender, instance, **kwargs) -> None:
    _collect(sender, instance, None)


def _collect(sender, instance, update_fields) -> None:
    for kind_key, fn, fields in _watchers.get(sender, ()):
        if fields is not None and update_fields is not None and not fields & set(update_fields):
            continue
        try:
            found = fn(instance)
            if isinstance(found, models.QuerySet) or callable(found):
                # Looked up once the transaction commits: no query inside the writer's
                # transaction (nor at all when it rolls back).
                schedule_lazy(kind_key, found)
            else:
                schedule(kind_key, [pk for pk in found if pk is not None])
        except Exception:  # a search hook must never break a write
            logger.exception("search: watcher of %s for %s failed", kind_key, sender.__name__)


class _Batch:
    """What one transaction changed, sent as one task per kind once it commits."""

    def __init__(self) -> None:
        self.pks: dict[str, set[str]] = defaultdict(set)
        self.lazy: list[tuple[str, Any]] = []
        self.sent = False

    def __call__(self) -> None:
        from .tasks import enqueue_reindex

        self.sent = True
        pending, self.pks = self.pks, defaultdict(set)
        lazy, self.lazy = self.lazy, []
        for kind_key, found in lazy:
            pending[kind_key].update(_evaluate(kind_key, found))
        for kind_key, pks in pending.items():
            if pks:
                enqueue_reindex(kind_key, sorted(pks))


def _evaluate(kind_key: str, found) -> set[str]:
    try:
        values = found() if callable(found) else found
        return {str(pk) for pk in values if pk is not None}
    except Exception:
        logger.exception("search: looking up what %s must re-index failed", kind_key)
        return set()


def schedule(kind_key: str, pks: Iterable[Any]) -> None:
    """Re-index these objects of a kind after the current transaction commits (at once
    outside a transaction). Repeated calls in one transaction share one task per kind;
    a rolled-back transaction schedules nothing (its callback is dropped with it)."""
    pks = {str(pk) for pk in pks}
    if not pks:
        return
    if not connection.in_atomic_block:
        from .tasks import enqueue_reindex

        enqueue_reindex(kind_key, sorted(pks))
        return
    _current_batch().pks[kind_key].update(pks)


def schedule_lazy(kind_key: str, found) -> None:
    """`schedule` for pks still to be looked up (a QuerySet, or a function returning
    pks): evaluated after the commit, with the batch."""
    if not connection.in_atomic_block:
        schedule(kind_key, _evaluate(kind_key, found))
        return
    _current_batch().lazy.append((kind_key, found))


def _current_batch() -> _Batch:
    for _sids, func, _robust in connection.run_on_commit:
        if isinstance(func, _Batch) and not func.sent:
            return func
    batch = _Batch()
    transaction.on_commit(batch, robust=True)
    return batch
