"""Background work of the search module: re-indexing what a committed write changed.

With the immediate backend (development, tests) the task runs in-line after the commit;
in production it runs in `manage.py db_worker`. Either way a failure is logged and never
reaches the write that scheduled it."""

from __future__ import annotations

import logging

from django_tasks import task

from . import indexing, registry

logger = logging.getLogger(__name__)

TASK_BATCH = 500


@task()
def reindex(*, kind: str, pks: list[str]) -> int:
    """Re-read these objects of `kind` through its queryset and update the index (both
    the database's and Elasticsearch's). Returns how many documents changed."""
    try:
        registry.get(kind)
    except KeyError:
        logger.warning("search: reindex of unknown kind %r skipped", kind)
        return 0
    changed = 0
    for start in range(0, len(pks), TASK_BATCH):
        result = indexing.reindex_objects(kind, pks[start : start + TASK_BATCH])
        changed += len(result.written) + len(result.removed)
    return changed


def enqueue_reindex(kind: str, pks: list[str]) -> None:
    """Queue `reindex`; a queue that refuses (its database is down) costs a warning, not
    the write: `search_rebuild` heals what was missed."""
    for start in range(0, len(pks), TASK_BATCH * 4):
        try:
            reindex.enqueue(kind=kind, pks=list(pks[start : start + TASK_BATCH * 4]))
        except Exception:
            logger.exception("search: could not enqueue re-indexing of %s %s", kind, pks[:5])
