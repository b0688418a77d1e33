"""Search in the database index (`search.Entry`): PostgreSQL full-text search, SQLite
FTS5, or a LIKE scan where neither is available. Always there: it is the backend when
Elasticsearch is not configured and the fallback when it is down.

Two queries whatever the size of the index. SQLite (and the LIKE scan): one aggregate
(total and facets) and one page of rows, sharing one CTE that matches, scores and
collapses the languages of an object (`group_key`) into its best document, preferring the
asked-for language. PostgreSQL (`_postgres_search`, built for a large index: see
benchmarks/search_latency.py and docs/performance.md): one query gives the total, the
facets and the page's ids, reading each match once and its tsvector only to score; a
second reads the page's rows.

Scoring: title weighs three times the body (PostgreSQL: weights A and B), and a document
containing the query's words as a phrase scores double. On PostgreSQL, a query with more
than `RANK_CANDIDATES` results ranks the newest of them, the rest following newest first.

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
        if connection.vendor == "postgresql":
            return _postgres_search(query)
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
    """How this database matches (PostgreSQL has its own path, `_postgres_search`): FTS5
    on SQLite, a LIKE scan where it is not available."""
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


def _facet_where(query: Query, alias: str = "b.") -> tuple[str, list]:
    filters, params = ["1=1"], []
    if query.kinds:
        filters.append(f"{alias}kind IN ({', '.join(['%s'] * len(query.kinds))})")
        params.extend(query.kinds)
    if query.agency is not None:
        filters.append(f"{alias}agency_id = %s")
        params.append(query.agency)
    if query.status:
        filters.append(f"{alias}status IN ({', '.join(['%s'] * len(query.status))})")
        params.extend(query.status)
    return " AND ".join(filters), params


# --- PostgreSQL ----------------------------------------------------------------------------

# A query matching more results than this ranks the newest this many (by date, as
# "newest first" orders them); the others follow them, newest first. `ts_rank` must read
# each document's tsvector (TOASTed: a fetch and a decompression per row), which is what
# made a common word cost seconds on a large index; dates and facets are read for every
# match, so the total and the facets stay exact.
RANK_CANDIDATES = 1000


def _postgres_search(query: Query) -> dict[str, Any]:
    """One query for the total, the facets and the page's ids (with scores); a second for
    those rows. The matches are read once, without their tsvectors (the GIN index alone
    decides what matches); scores are computed for at most `RANK_CANDIDATES` results,
    and for the documents of a result that only a score can choose between."""
    if query.is_browse:
        sql, params = _pg_browse(query)
    else:
        sql, params = _pg_text(query)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        facet_rows = [
            (kind, agency, status, n) for kind, agency, status, n, pk, _ in rows if pk is None
        ]
        # Page rows carry their position where facet rows carry a count.
        page = [
            (pk, score)
            for *_, _position, pk, score in sorted(
                (row for row in rows if row[4] is not None), key=lambda row: row[3]
            )
        ]
        total, facets = disjunctive_facets(facet_rows, query)
        hits: list[SearchHit] = []
        if page:
            cursor.execute(
                f"SELECT {_COLUMNS} FROM search_entry e WHERE e.id = ANY(%s)",  # noqa: S608
                [[pk for pk, _ in page]],
            )
            by_id = {row[0]: row for row in cursor.fetchall()}
            hits = [_hit((*by_id[pk], score), query.terms) for pk, score in page if pk in by_id]
    return {"hits": hits, "total": total, "facets": facets}


def _pg_tsqueries(query: Query) -> tuple[str, list]:
    """`q AS (SELECT match, phrase)`: the language configurations stem Russian and
    English; the folded text in `simple` matches every language by prefix (Kazakh,
    accents, Latin spellings). A CTE, so the planner sees a parameter rather than the
    query's words: its estimate for prefixes of common words is several times too high
    and makes it read (and de-TOAST) every row instead of asking the GIN index."""
    words = " ".join(term.word for term in query.terms)
    websearch = " or ".join(term.word for term in query.terms) if query.any_word else words
    joiner = " | " if query.any_word else " & "
    folded = joiner.join(_pg_lexeme(term) for term in query.terms)
    phrase = " <-> ".join(_pg_lexeme(term) for term in query.terms)
    sql = (
        "q AS MATERIALIZED (SELECT "
        "(websearch_to_tsquery('russian', %s) || websearch_to_tsquery('english', %s) "
        "|| to_tsquery('simple', %s)) AS match, "
        "(phraseto_tsquery('russian', %s) || phraseto_tsquery('english', %s) "
        "|| to_tsquery('simple', %s)) AS phrase)"
    )
    return sql, [websearch, websearch, folded, words, words, phrase]


# Title weighs three times the body (weights A and B); the phrase doubles the score.
def _pg_score(entry_id: str) -> str:
    return (
        "(SELECT ts_rank(s.vector, q.match) * (CASE WHEN s.vector @@ q.phrase THEN 2.0 "  # noqa: S608
        f"ELSE 1.0 END) FROM search_entry s, q WHERE s.id = {entry_id})"
    )


def _pg_dates(query: Query) -> tuple[str, list]:
    filters, params = _plain_filters(query)
    return "".join(f" AND {condition}" for condition in filters), params


def _pg_text(query: Query) -> tuple[str, list]:
    q_sql, q_params = _pg_tsqueries(query)
    dates, date_params = _pg_dates(query)
    where, facet_params = _facet_where(query, alias="")
    language = query.language or ""
    # The best document of a result: in the preferred language, else the best scored;
    # the score is computed only for results where it decides (several documents of
    # the result match and none, or several, are in the preferred language).
    ctes = (
        f"WITH {q_sql}, "  # noqa: S608
        "m AS MATERIALIZED (SELECT e.id, e.group_key, e.kind, e.agency_id, e.status, e.date, "
        "e.language = %s AS preferred FROM search_entry e "
        f"WHERE e.vector @@ (SELECT match FROM q){dates}), "
        "tied AS (SELECT group_key FROM m GROUP BY group_key "
        "HAVING COUNT(*) FILTER (WHERE preferred) > 1 "
        "OR (COUNT(*) > 1 AND NOT bool_or(preferred))), "
        "best AS MATERIALIZED (SELECT DISTINCT ON (m.group_key) m.id, m.kind, m.agency_id, "
        "m.status, m.date FROM m ORDER BY m.group_key, m.preferred DESC, "
        f"(CASE WHEN m.group_key IN (SELECT group_key FROM tied) THEN {_pg_score('m.id')} "
        "END) DESC NULLS LAST, m.id), "
        f"filtered AS (SELECT id, date FROM best WHERE {where}), "
        # The results to rank: all of them, or the newest RANK_CANDIDATES.
        "candidates AS MATERIALIZED (SELECT id, date FROM filtered "
        "ORDER BY date DESC NULLS LAST, id DESC LIMIT %s), "
        f"ranked AS (SELECT c.id, c.date, {_pg_score('c.id')} AS score, 0 AS tier "
        "FROM candidates c)"
    )
    params = [*q_params, language, *date_params, *facet_params, RANK_CANDIDATES]
    page_source = "SELECT id, date, score, tier FROM ranked"
    if query.offset + query.per_page > RANK_CANDIDATES:
        # A page past the ranked results: the rest follows them, newest first.
        page_source += (
            " UNION ALL SELECT f.id, f.date, 0.0, 1 FROM filtered f "
            "WHERE f.id NOT IN (SELECT id FROM candidates)"
        )
    sql = (
        f"{ctes} SELECT kind, agency_id, status, COUNT(*), NULL::bigint, NULL::float8 "  # noqa: S608
        "FROM best GROUP BY kind, agency_id, status "
        "UNION ALL SELECT NULL, NULL, NULL, ROW_NUMBER() OVER (), id, score FROM (SELECT * FROM ("
        f"{page_source}) page ORDER BY tier, score DESC, date DESC NULLS LAST, id DESC "
        "LIMIT %s OFFSET %s) p"
    )
    return sql, [*params, query.per_page, query.offset]


def _pg_browse(query: Query) -> tuple[str, list]:
    """No words: every result under the filters, newest first. The best document of a
    result is found without sorting: the entries come in `group_key` order from the
    `search_entry_browse` index (migration 0003), which holds every column used here."""
    dates, date_params = _pg_dates(query)
    where, facet_params = _facet_where(query, alias="")
    sql = (
        "WITH best AS MATERIALIZED (SELECT id, kind, agency_id, status, date FROM ("  # noqa: S608
        "SELECT e.id, e.kind, e.agency_id, e.status, e.date, COALESCE("
        "MIN(e.id) FILTER (WHERE e.language = %s) OVER w, MIN(e.id) OVER w) AS best_id "
        f"FROM search_entry e WHERE 1=1{dates} WINDOW w AS (PARTITION BY e.group_key)) x "
        "WHERE id = best_id) "
        "SELECT kind, agency_id, status, COUNT(*), NULL::bigint, NULL::float8 "
        "FROM best GROUP BY kind, agency_id, status "
        "UNION ALL SELECT NULL, NULL, NULL, ROW_NUMBER() OVER (), id, 0.0 FROM (SELECT id "
        f"FROM best WHERE {where} ORDER BY date DESC NULLS LAST, id DESC LIMIT %s OFFSET %s) p"
    )
    return sql, [query.language or "", *date_params, *facet_params, query.per_page, query.offset]


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
