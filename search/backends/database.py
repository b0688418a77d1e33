"""Search in the database index (`search.Entry`): PostgreSQL full-text search, SQLite
FTS5, or a LIKE scan where neither is available. Always there: it is the backend when
Elasticsearch is not configured and the fallback when it is down.

Two queries whatever the size of the index: one aggregate (total and facets) and one page
of rows. Both share one CTE that matches, scores and collapses the languages of an object
(`group_key`) into its best document, preferring the asked-for language.

Scoring: title weighs three times the body (PostgreSQL: weights A and B), and a document
containing the query's words as a phrase scores double.

The SQL is assembled from constant fragments chosen by vendor; every value (the words,
the filters) is a query parameter: hence the `noqa: S608` on the assembling lines.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.utils.safestring import mark_safe

from .. import sqlite_fts
from ..models import Entry
from ..results import Query, SearchHit, disjunctive_facets
from ..text import Term, highlight

NAME = "database"
SNIPPET_WORDS = 40
_COLUMNS = (
    "e.id, e.kind, e.key, e.object_pk, e.language, e.title, e.body, e.url, e.date, "
    "e.agency_id, e.status, e.extra"
)


class DatabaseBackend:
    name = NAME

    def search(self, query: Query) -> dict[str, Any]:
        if not query.is_browse and not query.terms:
            return {"hits": [], "total": 0, "facets": disjunctive_facets([], query)[1]}
        cte, params = self._matches(query)
        with connection.cursor() as cursor:
            cursor.execute(
                f"{cte} SELECT kind, agency_id, status, COUNT(*) FROM best "  # noqa: S608
                "GROUP BY kind, agency_id, status",
                params,
            )
            rows = [(kind, agency, status, count) for kind, agency, status, count in cursor]
            total, facets = disjunctive_facets(rows, query)
            hits: list[SearchHit] = []
            if total and query.offset < total:
                where, facet_params = _facet_where(query)
                order = (
                    "b.date DESC, b.id DESC"
                    if query.is_browse
                    else "b.score DESC, b.date DESC, b.id DESC"
                )
                cursor.execute(
                    f"{cte} SELECT {_COLUMNS}, b.score FROM best b "  # noqa: S608
                    f"JOIN search_entry e ON e.id = b.id WHERE {where} "
                    f"ORDER BY {order} LIMIT %s OFFSET %s",
                    [*params, *facet_params, query.per_page, query.offset],
                )
                hits = [_hit(row, query.terms) for row in cursor.fetchall()]
        return {"hits": hits, "total": total, "facets": facets}

    # --- SQL --------------------------------------------------------------------------

    def _matches(self, query: Query) -> tuple[str, list]:
        """`WITH m AS (...), best AS (...)`: the matching entries under the non-facet
        filters, scored, one per group."""
        filters, params = _plain_filters(query)
        if query.is_browse:
            source, score, score_params = "search_entry e", "0.0", []
        else:
            source, score, score_params, condition, condition_params = matcher()(query)
            filters.insert(0, condition)
            params = [*condition_params, *params]
        where = " AND ".join(filters) or "1=1"
        cte = (
            "WITH m AS ("  # noqa: S608
            f"SELECT e.id, e.group_key, e.kind, e.agency_id, e.status, e.date, e.language, "
            f"{score} AS score FROM {source} WHERE {where}"
            "), best AS ("
            "SELECT id, kind, agency_id, status, date, score FROM ("
            "SELECT m.*, ROW_NUMBER() OVER (PARTITION BY m.group_key ORDER BY "
            "CASE WHEN m.language = %s THEN 0 ELSE 1 END, m.score DESC, m.id) AS rn FROM m"
            ") ranked WHERE rn = 1)"
        )
        return cte, [*score_params, *params, query.language or ""]


def matcher():
    """How this database matches: full-text search on PostgreSQL, FTS5 on SQLite, a LIKE
    scan where neither is available."""
    if connection.vendor == "postgresql":
        return _postgres_match
    if connection.vendor == "sqlite" and _fts_available():
        return _sqlite_match
    return _like_match


def _plain_filters(query: Query) -> tuple[list[str], list]:
    filters, params = [], []
    if query.date_from:
        filters.append("e.date >= %s")
        params.append(query.date_from)
    if query.date_to:
        filters.append("e.date <= %s")
        params.append(query.date_to)
    return filters, params


def _facet_where(query: Query) -> tuple[str, list]:
    filters, params = ["1=1"], []
    if query.kinds:
        filters.append(f"b.kind IN ({', '.join(['%s'] * len(query.kinds))})")
        params.extend(query.kinds)
    if query.agency is not None:
        filters.append("b.agency_id = %s")
        params.append(query.agency)
    if query.status:
        filters.append(f"b.status IN ({', '.join(['%s'] * len(query.status))})")
        params.extend(query.status)
    return " AND ".join(filters), params


def _postgres_match(query: Query) -> tuple[str, str, list, str, list]:
    """The language configurations stem Russian and English; the folded text in `simple`
    matches every language by prefix (Kazakh, accents, Latin spellings)."""
    words = " ".join(term.word for term in query.terms)
    websearch = " or ".join(term.word for term in query.terms) if query.any_word else words
    joiner = " | " if query.any_word else " & "
    folded = joiner.join(_pg_lexeme(term) for term in query.terms)
    phrase = " <-> ".join(_pg_lexeme(term) for term in query.terms)
    match = (
        "(websearch_to_tsquery('russian', %s) || websearch_to_tsquery('english', %s) "
        "|| to_tsquery('simple', %s))"
    )
    phrase_match = (
        "(phraseto_tsquery('russian', %s) || phraseto_tsquery('english', %s) "
        "|| to_tsquery('simple', %s))"
    )
    score = (
        f"ts_rank(e.vector, {match}) * (CASE WHEN e.vector @@ {phrase_match} THEN 2.0 ELSE 1.0 END)"
    )
    return (
        "search_entry e",
        score,
        [websearch, websearch, folded, words, words, phrase],
        f"e.vector @@ {match}",
        [websearch, websearch, folded],
    )


def _pg_lexeme(term: Term) -> str:
    return f"{term.prefix}:*" if term.is_prefix else term.prefix


def _fts_query(terms: tuple[Term, ...], *, any_word: bool, phrase: bool = False) -> str:
    parts = [f'"{term.prefix}"' + ("*" if term.is_prefix else "") for term in terms]
    if phrase:
        return " + ".join(parts)
    return (" OR " if any_word else " ").join(parts)


def _sqlite_match(query: Query) -> tuple[str, str, list, str, list]:
    match = _fts_query(query.terms, any_word=query.any_word)
    source = f"{sqlite_fts.TABLE} JOIN search_entry e ON e.id = {sqlite_fts.TABLE}.rowid"
    score = f"-bm25({sqlite_fts.TABLE}, 3.0, 1.0)"
    params: list = []
    if len(query.terms) > 1:
        score += (
            f" * (CASE WHEN e.id IN (SELECT rowid FROM {sqlite_fts.TABLE} "  # noqa: S608
            f"WHERE {sqlite_fts.TABLE} MATCH %s) THEN 2.0 ELSE 1.0 END)"
        )
        params.append(_fts_query(query.terms, any_word=False, phrase=True))
    return source, score, params, f"{sqlite_fts.TABLE} MATCH %s", [match]


def _like_match(query: Query) -> tuple[str, str, list, str, list]:
    """No full-text index: a word-start LIKE per term (the folded text is lower case and
    space-separated). Slow on a big index; good enough for a small embedded one."""
    conditions, score_parts, score_params, params = [], [], [], []
    for term in query.terms:
        start = term.prefix + ("%" if term.is_prefix else "")
        patterns = (
            [start, f"% {start}"]
            if term.is_prefix
            else [start, f"% {start}", f"{start} %", f"% {start} %"]
        )
        title = " OR ".join(["e.folded_title LIKE %s"] * len(patterns))
        body = " OR ".join(["e.folded_body LIKE %s"] * len(patterns))
        conditions.append(f"(({title}) OR ({body}))")
        params.extend([*patterns, *patterns])
        score_parts.append(
            f"(CASE WHEN {title} THEN 3.0 ELSE 0.0 END) + (CASE WHEN {body} THEN 1.0 ELSE 0.0 END)"
        )
        score_params.extend([*patterns, *patterns])
    joiner = " OR " if query.any_word else " AND "
    condition = "(" + joiner.join(conditions) + ")"
    return "search_entry e", " + ".join(score_parts), score_params, condition, params


_fts_cache: dict[str, bool] = {}


def _fts_available() -> bool:
    name = str(connection.settings_dict.get("NAME"))
    if name not in _fts_cache:
        _fts_cache[name] = sqlite_fts.is_installed(connection)
    return _fts_cache[name]


def reset_caches() -> None:
    _fts_cache.clear()


def _hit(row, terms: tuple[Term, ...]) -> SearchHit:
    (entry_id, kind, key, object_pk, language, title, body, url, date, agency_id, status, extra,
     score) = row  # fmt: skip
    if isinstance(extra, str):  # SQLite returns JSON as text
        import json

        extra = json.loads(extra or "{}")
    if date is not None and not hasattr(date, "year"):
        import datetime

        date = datetime.date.fromisoformat(str(date))
    display = title or (extra or {}).get("context", "")
    return SearchHit(
        kind=kind,
        key=key,
        object_pk=object_pk,
        language=language,
        title=display,
        title_html=mark_safe(highlight(display, list(terms))),  # noqa: S308  (escaped)
        snippet=mark_safe(highlight(body, list(terms), max_words=SNIPPET_WORDS)),  # noqa: S308
        url=url,
        date=date,
        agency_id=agency_id,
        status=status,
        score=float(score or 0.0),
        extra=extra or {},
    )


__all__ = ["DatabaseBackend", "Entry"]
