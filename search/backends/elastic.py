"""Elasticsearch (or OpenSearch) behind the alias `ELASTICSEARCH_INDEX`, through the
`elasticsearch.dsl` module of the `elasticsearch` client.

Documents carry their text in per-language fields, each with its analyser:

- `*_kk`: Kazakh, no stemmer exists in stock Elasticsearch: lower case, the Kazakh
  letters mapped to their Russian neighbours (pattern_replace char filters, no ICU
  plugin needed), ASCII folding;
- `*_ru`: Russian stop words and stemmer (ё = е);
- `*_en`: English stop words and stemmer, ASCII folding;
- `*_folded`: the text folded in Python exactly as the database index folds it
  (`search.text.fold`), matched by prefix: Latin spellings of Kazakh, Kazakh endings;
- `suggest_text`: every title and body, plainly analysed, for "did you mean".

The alias always points at one concrete index `<alias>-<timestamp>`; `search_rebuild`
builds a new one and moves the alias atomically (`rebuild_index`).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q as DbQ
from django.utils import timezone
from django.utils.safestring import mark_safe
from elasticsearch import Elasticsearch, dsl, helpers

from ..models import Entry
from ..registry import SearchDoc
from ..results import Query, SearchHit
from ..text import MARK_CLOSE, MARK_OPEN, fold, highlight, marks_to_html

logger = logging.getLogger(__name__)

NAME = "elasticsearch"
DEFAULT_INDEX = "ashyq-search"
DOWN_CACHE_KEY = "search:elasticsearch:unavailable"
LANGUAGES = ("kk", "ru", "en")
SNIPPET_CHARS = 240
AGENCY_FACET_SIZE = 500

# --- analysis ----------------------------------------------------------------------------

_KAZAKH_CHAR_FILTERS = [
    dsl.char_filter(f"ashyq_kk_{latin}", "pattern_replace", pattern=pattern, replacement=russian)
    for latin, pattern, russian in (
        ("ae", "[әӘ]", "а"),
        ("gh", "[ғҒ]", "г"),
        ("q", "[қҚ]", "к"),
        ("ng", "[ңҢ]", "н"),
        ("oe", "[өӨ]", "о"),
        ("u", "[ұҰүҮ]", "у"),
        ("h", "[һҺ]", "х"),
        ("i", "[іІ]", "и"),
        ("yo", "[ёЁ]", "е"),
    )
]
_YO = dsl.char_filter("ashyq_yo", "pattern_replace", pattern="[ёЁ]", replacement="е")

KAZAKH = dsl.analyzer(
    "ashyq_kazakh",
    tokenizer="standard",
    char_filter=_KAZAKH_CHAR_FILTERS,
    filter=["lowercase", "asciifolding"],
)
RUSSIAN = dsl.analyzer(
    "ashyq_russian",
    tokenizer="standard",
    char_filter=[_YO],
    filter=[
        "lowercase",
        dsl.token_filter("ashyq_russian_stop", "stop", stopwords="_russian_"),
        dsl.token_filter("ashyq_russian_stemmer", "stemmer", language="russian"),
    ],
)
ENGLISH = dsl.analyzer(
    "ashyq_english",
    tokenizer="standard",
    filter=[
        "lowercase",
        "asciifolding",
        dsl.token_filter("ashyq_english_stop", "stop", stopwords="_english_"),
        dsl.token_filter("ashyq_english_stemmer", "stemmer", language="english"),
    ],
)
FOLDED = dsl.analyzer("ashyq_folded", tokenizer="standard", filter=["lowercase"])
PLAIN = dsl.analyzer("ashyq_plain", tokenizer="standard", char_filter=[_YO], filter=["lowercase"])
ANALYZERS = {"kk": KAZAKH, "ru": RUSSIAN, "en": ENGLISH}


class SearchDocument(dsl.Document):
    """One language of one searchable object (`search.registry.SearchDoc`)."""

    kind = dsl.Keyword()
    key = dsl.Keyword()
    object_pk = dsl.Keyword()
    language = dsl.Keyword()
    group_key = dsl.Keyword()
    parent = dsl.Keyword()
    title_kk = dsl.Text(analyzer=KAZAKH, copy_to="suggest_text")
    body_kk = dsl.Text(analyzer=KAZAKH, copy_to="suggest_text")
    title_ru = dsl.Text(analyzer=RUSSIAN, copy_to="suggest_text")
    body_ru = dsl.Text(analyzer=RUSSIAN, copy_to="suggest_text")
    title_en = dsl.Text(analyzer=ENGLISH, copy_to="suggest_text")
    body_en = dsl.Text(analyzer=ENGLISH, copy_to="suggest_text")
    title_folded = dsl.Text(analyzer=FOLDED)
    body_folded = dsl.Text(analyzer=FOLDED)
    suggest_text = dsl.Text(analyzer=PLAIN)
    agency = dsl.Integer()
    status = dsl.Keyword()
    date = dsl.Date()
    url = dsl.Keyword(index=False)
    extra = dsl.Object(enabled=False)

    class Index:
        settings = {"number_of_shards": 1, "number_of_replicas": 0}


HIGHLIGHT = {
    "pre_tags": [MARK_OPEN],
    "post_tags": [MARK_CLOSE],
    "fragment_size": SNIPPET_CHARS,
    "number_of_fragments": 1,
    "fields": {f"{part}_{lang}": {} for part in ("title", "body") for lang in LANGUAGES},
}
TEXT_FIELDS = [f"title_{lang}^3" for lang in LANGUAGES] + [f"body_{lang}" for lang in LANGUAGES]


def doc_id(kind: str, object_pk: str, language: str) -> str:
    return f"{kind}:{object_pk}:{language}"


def to_source(doc: SearchDoc) -> dict[str, Any]:
    from ..indexing import BODY_MAX_CHARS

    body = (doc.body or "")[:BODY_MAX_CHARS]
    return {
        "kind": doc.kind,
        "key": doc.key,
        "object_pk": doc.object_pk,
        "language": doc.language,
        "group_key": doc.group or doc.key,
        "parent": doc.parent,
        f"title_{doc.language}": doc.title or "",
        f"body_{doc.language}": body,
        "title_folded": fold(doc.title or ""),
        "body_folded": fold(body),
        "agency": doc.agency_id,
        "status": doc.status or "",
        "date": doc.date.isoformat() if doc.date else None,
        "url": doc.url or "",
        "extra": doc.extra or {},
    }


def entry_doc(entry: Entry) -> SearchDoc:
    """A database entry as the document it was written from (catch-up after a rebuild)."""
    return SearchDoc(
        title=entry.title,
        body=entry.body,
        language=entry.language,
        url=entry.url,
        date=entry.date,
        agency_id=entry.agency_id,
        status=entry.status,
        group=entry.group_key,
        parent=entry.parent,
        refresh_at=entry.refresh_at,
        extra=entry.extra,
        kind=entry.kind,
        key=entry.key,
        object_pk=entry.object_pk,
    )


# --- connection --------------------------------------------------------------------------


def is_configured() -> bool:
    return bool(getattr(settings, "ELASTICSEARCH_URL", ""))


def alias_name() -> str:
    return getattr(settings, "ELASTICSEARCH_INDEX", "") or DEFAULT_INDEX


def timeout() -> float:
    return float(getattr(settings, "ELASTICSEARCH_TIMEOUT", 2.0))


def client() -> Elasticsearch:
    """A client with a short timeout and no retries: a search waits at most
    `ELASTICSEARCH_TIMEOUT` seconds before the database answers instead.
    `ELASTICSEARCH_CLIENT_OPTIONS` adds keyword arguments (API key, CA certificates...)."""
    options = getattr(settings, "ELASTICSEARCH_CLIENT_OPTIONS", None) or {}
    return _client(settings.ELASTICSEARCH_URL, timeout(), tuple(sorted(options.items())))


@lru_cache(maxsize=4)
def _client(url: str, request_timeout: float, options: tuple) -> Elasticsearch:
    return Elasticsearch(
        url, request_timeout=request_timeout, max_retries=0, retry_on_timeout=False, **dict(options)
    )


def is_available() -> bool:
    """False for a while after a failure, so that pages do not each wait for the timeout
    of a cluster that is down (`ELASTICSEARCH_RETRY_SECONDS`, 30 by default)."""
    return is_configured() and not cache.get(DOWN_CACHE_KEY)


def mark_unavailable() -> None:
    cache.set(DOWN_CACHE_KEY, True, int(getattr(settings, "ELASTICSEARCH_RETRY_SECONDS", 30)))


def mark_available() -> None:
    cache.delete(DOWN_CACHE_KEY)


# --- writing -----------------------------------------------------------------------------


def _actions(docs: Iterable[SearchDoc], index: str) -> Iterable[dict[str, Any]]:
    for doc in docs:
        yield {
            "_op_type": "index",
            "_index": index,
            "_id": doc_id(doc.kind, doc.object_pk, doc.language),
            "_source": to_source(doc),
        }


def apply_changes(*, written: list[SearchDoc], removed: list[tuple[str, str, str]]) -> None:
    """Index `written` and delete `removed` (kind, pk, language) through the alias. The
    alias must exist (`require_alias`): a cluster never rebuilt gets no stray index."""
    alias = alias_name()
    actions = list(_actions(written, alias))
    actions += [
        {"_op_type": "delete", "_index": alias, "_id": doc_id(*triple)} for triple in removed
    ]
    _, errors = helpers.bulk(
        client(),
        actions,
        raise_on_error=False,
        raise_on_exception=True,
        require_alias=True,
        refresh=getattr(settings, "ELASTICSEARCH_REFRESH_ON_WRITE", False),
    )
    # A delete of a document the index never had is fine.
    errors = [error for error in errors if error.get("delete", {}).get("status") != 404]
    if errors:
        raise RuntimeError(f"{len(errors)} bulk errors, first: {errors[0]}")


def create_index(name: str) -> None:
    index = dsl.Index(name, using=client().options(request_timeout=60))
    index.settings(**SearchDocument.Index.settings)
    index.document(SearchDocument)
    index.create()


def bulk_into(name: str, docs: list[SearchDoc]) -> None:
    if not docs:
        return
    helpers.bulk(client().options(request_timeout=120), _actions(docs, name), refresh=False)


def new_index_name() -> str:
    return f"{alias_name()}-{timezone.now():%Y%m%d%H%M%S%f}"


def swap_alias(new_index: str) -> list[str]:
    """Point the alias at `new_index` in one atomic request, then delete the indices it
    pointed at before (and any leftover of an interrupted rebuild). Returns those."""
    es = client().options(request_timeout=60)
    alias = alias_name()
    es.indices.refresh(index=new_index)
    if es.indices.exists(index=alias) and not es.indices.exists_alias(name=alias):
        # A concrete index squats the alias's name (written before any rebuild).
        es.indices.delete(index=alias)
    old = [name for name in es.indices.get(index=f"{alias}-*") if name != new_index]
    actions: list[dict[str, Any]] = [{"add": {"index": new_index, "alias": alias}}]
    current = es.indices.get_alias(name=alias) if es.indices.exists_alias(name=alias) else {}
    actions = [{"remove": {"index": name, "alias": alias}} for name in current] + actions
    es.indices.update_aliases(actions=actions)
    for name in old:
        es.indices.delete(index=name)
    return old


def refresh() -> None:
    client().indices.refresh(index=alias_name())


# --- searching ---------------------------------------------------------------------------


class ElasticBackend:
    name = NAME

    def __init__(self, es: Elasticsearch | None = None) -> None:
        self.es = es or client()

    def search(self, query: Query) -> dict[str, Any]:
        if not query.is_browse and not query.terms:
            from ..results import disjunctive_facets

            return {"hits": [], "total": 0, "facets": disjunctive_facets([], query)[1]}
        s = self._search(query)
        response = s.execute()
        total = int(response.aggregations.total.groups.value)
        facets = self._facets(response)
        raw_hits = response.to_dict().get("hits", {}).get("hits", [])
        hits = [self._hit(_preferred(hit, query.language), query) for hit in raw_hits]
        hits, dropped = _only_indexed(hits)
        suggestion = None
        if not query.is_browse and total == 0:
            suggestion = self._suggest(query)
        return {
            "hits": hits,
            "total": max(0, total - dropped),
            "facets": facets,
            "suggestion": suggestion,
        }

    def _text_query(self, query: Query) -> dsl.Query:
        words = " ".join(term.word for term in query.terms)
        operator = "or" if query.any_word else "and"
        per_term = [
            dsl.Q(
                "bool",
                should=[
                    _folded_term("title_folded", term, boost=3.0),
                    _folded_term("body_folded", term, boost=1.0),
                ],
                minimum_should_match=1,
            )
            for term in query.terms
        ]
        folded = (
            dsl.Q("bool", should=per_term, minimum_should_match=1)
            if query.any_word
            else dsl.Q("bool", must=per_term)
        )
        analysed = dsl.Q(
            "multi_match", query=words, fields=TEXT_FIELDS, type="cross_fields", operator=operator
        )
        return dsl.Q("bool", should=[analysed, folded], minimum_should_match=1)

    def _facet_filters(self, query: Query, *, skip: str = "") -> list[dsl.Query]:
        filters = []
        if skip != "kind" and query.kinds:
            filters.append(dsl.Q("terms", kind=list(query.kinds)))
        if skip != "agency" and query.agency is not None:
            filters.append(dsl.Q("term", agency=query.agency))
        if skip != "status" and query.status:
            filters.append(dsl.Q("terms", status=list(query.status)))
        return filters

    def _search(self, query: Query) -> dsl.Search:
        s = dsl.Search(using=self.es, index=alias_name())
        filters = []
        if query.date_from or query.date_to:
            bounds = {}
            if query.date_from:
                bounds["gte"] = query.date_from.isoformat()
            if query.date_to:
                bounds["lte"] = query.date_to.isoformat()
            filters.append(dsl.Q("range", date=bounds))
        should = []
        if query.is_browse:
            main = dsl.Q("bool", must=[dsl.Q("match_all")], filter=filters)
            s = s.sort({"date": {"order": "desc", "missing": "_last"}}, {"key": "asc"})
        else:
            words = " ".join(term.word for term in query.terms)
            if len(query.terms) > 1:
                should.append(
                    dsl.Q("multi_match", query=words, fields=TEXT_FIELDS, type="phrase", boost=2.0)
                )
            main = dsl.Q("bool", must=[self._text_query(query)], should=should, filter=filters)
            s = s.sort("_score", {"date": {"order": "desc", "missing": "_last"}}, {"key": "asc"})
        s = s.query(main)
        facet_filters = self._facet_filters(query)
        if facet_filters:
            s = s.post_filter(dsl.Q("bool", filter=facet_filters))
        # One result per object: its languages come back as inner hits, the preferred
        # language is chosen among them (`_hit`).
        s = s.extra(
            collapse={
                "field": "group_key",
                "inner_hits": {"name": "languages", "size": 3, "highlight": HIGHLIGHT},
            },
            track_total_hits=True,
        )
        everything = dsl.Q("bool", filter=facet_filters) if facet_filters else dsl.Q("match_all")
        s.aggs.bucket("total", "filter", filter=everything).metric(
            "groups", "cardinality", field="group_key"
        )
        for name, field, size in (
            ("kind", "kind", 100),
            ("agency", "agency", AGENCY_FACET_SIZE),
            ("status", "status", 100),
        ):
            others = self._facet_filters(query, skip=name)
            scope = dsl.Q("bool", filter=others) if others else dsl.Q("match_all")
            s.aggs.bucket(f"facet_{name}", "filter", filter=scope).bucket(
                "values", "terms", field=field, size=size
            ).metric("groups", "cardinality", field="group_key")
        s = s.highlight_options(
            pre_tags=[MARK_OPEN],
            post_tags=[MARK_CLOSE],
            fragment_size=SNIPPET_CHARS,
            number_of_fragments=1,
        ).highlight(
            *[f"title_{lang}" for lang in LANGUAGES], *[f"body_{lang}" for lang in LANGUAGES]
        )
        return s[query.offset : query.offset + query.per_page]

    def _facets(self, response) -> dict[str, dict[Any, int]]:
        facets: dict[str, dict[Any, int]] = {}
        for name in ("kind", "agency", "status"):
            buckets = getattr(response.aggregations, f"facet_{name}").values.buckets
            values = {}
            for bucket in buckets:
                if bucket.key in (None, ""):
                    continue
                key = int(bucket.key) if name == "agency" else bucket.key
                values[key] = int(bucket.groups.value)
            facets[name] = dict(sorted(values.items(), key=lambda item: (-item[1], str(item[0]))))
        return facets

    def _hit(self, hit, query: Query) -> SearchHit:
        source = hit["_source"]
        language = source.get("language", "kk")
        title = source.get(f"title_{language}", "") or ""
        body = source.get(f"body_{language}", "") or ""
        extra = source.get("extra") or {}
        display = title or extra.get("context", "")
        marked = hit.get("highlight")
        terms = list(query.terms)
        title_html = _from_highlight(marked, f"title_{language}") if title else None
        snippet = _from_highlight(marked, f"body_{language}")
        date = source.get("date")
        return SearchHit(
            kind=source.get("kind", ""),
            key=source.get("key", ""),
            object_pk=source.get("object_pk", ""),
            language=language,
            title=display,
            title_html=mark_safe(title_html or highlight(display, terms)),  # noqa: S308
            snippet=mark_safe(snippet or highlight(body, terms, max_words=40)),  # noqa: S308
            url=source.get("url", ""),
            date=datetime.date.fromisoformat(date[:10]) if date else None,
            agency_id=source.get("agency"),
            status=source.get("status", ""),
            score=float(hit.get("_score") or 0.0),
            extra=extra,
        )

    def _suggest(self, query: Query) -> str | None:
        """Term suggestions from what is indexed: a word with a more frequent near
        spelling is replaced. Skipped quietly where the cluster has no suggesters."""
        words = [term.word for term in query.terms]
        try:
            response = self.es.search(
                index=alias_name(),
                size=0,
                suggest={
                    "did_you_mean": {
                        "text": " ".join(words),
                        "term": {"field": "suggest_text", "suggest_mode": "popular"},
                    }
                },
            )
        except Exception as exc:
            logger.info("search: no suggestion (%s)", exc)
            return None
        entries = response.get("suggest", {}).get("did_you_mean", [])
        replaced = []
        changed = False
        by_offset = {entry["offset"]: entry for entry in entries}
        text = " ".join(words)
        position = 0
        for word in words:
            offset = text.index(word, position)
            position = offset + len(word)
            options = by_offset.get(offset, {}).get("options", [])
            if options:
                replaced.append(options[0]["text"])
                changed = True
            else:
                replaced.append(word.lower())
        return " ".join(replaced) if changed else None


def _folded_term(field: str, term, *, boost: float) -> dsl.Query:
    if term.is_prefix:
        return dsl.Q("prefix", **{field: {"value": term.prefix, "boost": boost}})
    return dsl.Q("term", **{field: {"value": term.prefix, "boost": boost}})


def _preferred(hit: dict[str, Any], language: str | None) -> dict[str, Any]:
    """The document of a collapsed result in the preferred language when it matched in
    it, else the best-scoring one (raw hit dicts)."""
    inner = hit.get("inner_hits", {}).get("languages", {}).get("hits", {}).get("hits", [])
    best = hit
    if inner:
        best = inner[0]
        for candidate in inner:
            if language and candidate["_source"].get("language") == language:
                best = candidate
                break
    return best


def _from_highlight(marked, field: str) -> str | None:
    if not marked:
        return None
    fragments = marked.get(field)
    if not fragments:
        return None
    fragment = fragments[0]
    if MARK_OPEN not in fragment:
        return None
    return marks_to_html(fragment)


def _only_indexed(hits: list[SearchHit]) -> tuple[list[SearchHit], int]:
    """Drop hits the database index does not hold: whatever Elasticsearch missed (an
    update while it was down, a removal during a rebuild), hidden content never shows."""
    if not hits:
        return hits, 0
    condition = DbQ()
    for hit in hits:
        condition |= DbQ(kind=hit.kind, object_pk=hit.object_pk, language=hit.language)
    present = set(Entry.objects.filter(condition).values_list("kind", "object_pk", "language"))
    kept = [hit for hit in hits if (hit.kind, hit.object_pk, hit.language) in present]
    return kept, len(hits) - len(kept)


Progress = Callable[[str, int, int], None]
