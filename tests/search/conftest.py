"""Fixtures of the search tests.

`backend` runs a test once per backend: the database (SQLite or PostgreSQL, whichever the
suite runs on) and Elasticsearch, played by a real server process: osmem-server, an
in-memory OpenSearch-compatible server shipped as a wheel (one process per session, a
copy-on-write clone per test). When osmem cannot start the Elasticsearch runs are skipped
with the reason, except on CI (`CI` set), where that is a failure.

The `elasticsearch` 9.x client asks for `compatible-with=9` media types, which OpenSearch
servers refuse. Only the tests configure the client around that, through the product's
`ELASTICSEARCH_CLIENT_OPTIONS` setting (a transport node that sends plain
`application/json`); the product code never does.
"""

from __future__ import annotations

import datetime
import os
import re
from contextlib import contextmanager

import pytest
from django.db import connection
from django.test import TestCase
from elastic_transport import Urllib3HttpNode

from search import indexing, registry
from search.backends import elastic
from search.registry import SearchDoc

_COMPAT = re.compile(r"application/vnd\.elasticsearch\+([\w-]+); ?compatible-with=\d+")


class PlainJsonNode(Urllib3HttpNode):
    """Sends `application/json` where the client asks for its compatibility media type."""

    def perform_request(self, method, target, body=None, headers=None, **kwargs):
        if headers:
            headers = headers.copy()
            for name in ("accept", "content-type"):
                value = headers.get(name)
                if value:
                    headers[name] = _COMPAT.sub(r"application/\1", value)
        return super().perform_request(method, target, body=body, headers=headers, **kwargs)


@pytest.fixture(scope="session")
def osmem_server():
    """Overrides the osmem plugin's fixture: no Japanese analysis (faster start), and a
    visible skip when the bundled binary cannot run here."""
    from osmem_server import OsmemServer

    try:
        server = OsmemServer.start(japanese=False)
    except Exception as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"osmem-server could not start, Elasticsearch tests skipped: {exc}")
    yield server
    server.close()


def configure_elastic(settings, url: str) -> None:
    settings.ELASTICSEARCH_URL = url
    settings.ELASTICSEARCH_INDEX = "test-search"
    settings.ELASTICSEARCH_CLIENT_OPTIONS = {"node_class": PlainJsonNode}
    settings.ELASTICSEARCH_REFRESH_ON_WRITE = True
    elastic._client.cache_clear()


@pytest.fixture
def elastic_cluster(settings, osmem_clone):
    """Elasticsearch configured against a fresh osmem clone, with an empty index behind
    the alias (as after `search_rebuild`)."""
    configure_elastic(settings, osmem_clone.url)
    name = elastic.new_index_name()
    elastic.create_index(name)
    elastic.swap_alias(name)
    yield osmem_clone
    elastic._client.cache_clear()


@pytest.fixture(params=["database", "elasticsearch"])
def backend(request, db, settings) -> str:
    if request.param == "elasticsearch":
        request.getfixturevalue("elastic_cluster")
    else:
        settings.ELASTICSEARCH_URL = ""
    return request.param


@contextmanager
def committed():
    """Run what the block schedules after commit (re-indexing): the test's transaction
    never commits. Search batches still pending from before the block (its changes join
    them, as they would join one transaction) are sent first."""
    for _sids, func, _robust in list(connection.run_on_commit):
        if isinstance(func, registry._Batch) and not func.sent:
            func()
    with TestCase.captureOnCommitCallbacks(execute=True) as callbacks:
        yield callbacks


# --- documents written straight into the index ---------------------------------------------

TEST_KINDS = {
    "t_news": ("News", {}),
    "t_question": ("Questions", {"answered": "answered", "awaiting": "awaiting"}),
    "t_draft": ("Drafts", {"open": "open", "closed": "closed"}),
}


@pytest.fixture
def doc_kinds(db):
    """Kinds for documents written straight into the index (their objects do not
    exist: these tests are about matching and ranking, not about what is indexed)."""
    from accounts.models import Agency

    for key, (label, statuses) in TEST_KINDS.items():
        registry.register(
            key,
            label=label,
            model=Agency,
            queryset=lambda: Agency.objects.none(),
            documents=lambda obj: [],
            statuses=statuses,
        )
    yield
    for key in TEST_KINDS:
        registry.unregister(key)


_counter = iter(range(1, 10**9))


def put(*docs: SearchDoc) -> list[SearchDoc]:
    """Index documents as a write would (database, and Elasticsearch when configured)."""
    filled = []
    for doc in docs:
        pk = doc.object_pk or str(next(_counter))
        kind = doc.kind or "t_news"
        filled.append(
            SearchDoc(
                **{
                    **doc.__dict__,
                    "kind": kind,
                    "object_pk": pk,
                    "key": doc.key or f"test.{kind}:{pk}",
                    "group": doc.group or doc.key or f"test.{kind}:{pk}",
                    "date": doc.date or datetime.date(2026, 1, 1),
                }
            )
        )
    by_object: dict[tuple[str, str], list[SearchDoc]] = {}
    for doc in filled:
        by_object.setdefault((doc.kind, doc.object_pk), []).append(doc)
    for (kind, pk), group in by_object.items():
        result = indexing.write(kind, [pk], group)
        if elastic.is_configured():
            elastic.apply_changes(written=result.written, removed=result.removed)
    return filled


FILLER = [
    ("ru", "Новости недели", "Погода в регионе была тёплой, открылись новые парки."),
    ("ru", "Расписание приёма граждан", "Приём ведётся по вторникам и четвергам с десяти часов."),
    ("kk", "Жаңалықтар", "Аптаның жаңалықтары: жаңа саябақтар мен кітапханалар ашылды."),
    ("en", "Weekly digest", "New parks and libraries opened across the region this week."),
    ("ru", "Отчёт о работе", "Подведены итоги работы за квартал, опубликованы показатели."),
    ("ru", "Конкурс проектов", "Объявлен конкурс молодёжных проектов в сфере культуры."),
]


@pytest.fixture
def filler(doc_kinds):
    """Unrelated documents, so that the words of a test are rare in the index (ranking
    by term rarity needs a corpus)."""
    return put(*(SearchDoc(title=title, body=body, language=lang) for lang, title, body in FILLER))
