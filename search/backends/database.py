"""Search in the database index (`search.Entry`): PostgreSQL full-text search, SQLite
FTS5, or a LIKE scan where neither is available. Always there: it is the backend when
Elasticsearch is not configured and the fallback when it is down.

SQLite (and the LIKE scan): two queries whatever the size of the index, one aggregate
(total and facets) and one page of rows, sharing one CTE that matches, scores and
collapses the languages of an object (`group_key`) into its best document, preferring the
asked-for language. PostgreSQL (`_postgres_search`, built for a large index: see
benchmarks/search_latency.py and docs/performance.md): at most `COUNT_LIMIT` matches are
read, newest first; past that the total is a lower bound and the facets are inexact.
Two or three queries.

Scoring: title weighs three times the body (PostgreSQL: weights A and B), and a document
containing the query's words as a phrase scores double.

The SQL is assembled from constant fragments chosen by vendor; every value (the words,
the filters) is a query parameter: hence the `noqa: S608` on the assembling lines.
"""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from django.db import connection
from django.utils import timezone
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

# A search reads at most this many matching entries, newest first (`_pg_bands`), and
# ranks them. Up to this many, the total and the facets are exact; beyond it the total is
# a lower bound ("more than 1,000") and the facets are counts of the newest entries read
# (`total_exact`, `facets_exact`). Reading every match of a common word (tens of
# thousands of rows of a few kilobytes) is what made it cost a few hundred milliseconds
# on a large index: docs/performance.md, "Search".
COUNT_LIMIT = 1000

# The newest entries are found by date bands (days back from today): each band asks the
# GIN index and the date index together (a BitmapAnd), and the next band is read only
# when the ones before it gave fewer than COUNT_LIMIT matches.
BANDS_DAYS = (90, 365, 3 * 365)


def _postgres_search(query: Query) -> dict[str, Any]:
    """Over the newest `COUNT_LIMIT` matches (`_pg_matches`): one query gives the facets,
    the total and the page's ids with their scores; a last one reads the page's rows.

    With a facet filter, the matches under every filter are read first (the page and
    the total); then, only if they were all read, the matches under the date filters
    alone, for the facets (each counts under the *other* facets' filters). When the
    filtered ones were too many, so are the others: the facets are then those of the
    filtered matches read, marked inexact, and the second query is not run."""
    filtered = bool(query.kinds or query.agency is not None or query.status)
    with connection.cursor() as cursor:
        sql, params = _pg_sample_query(query, facet_filtered=filtered)
        cursor.execute(sql, params)
        read, facet_rows, page = _pg_rows(cursor.fetchall())
        total_exact = facets_exact = read <= COUNT_LIMIT
        total, facets = disjunctive_facets(facet_rows, query)
        if filtered and total_exact and query.facets:
            sql, params = _pg_sample_query(query, facet_filtered=False, with_page=False)
            cursor.execute(sql, params)
            read, facet_rows, _ = _pg_rows(cursor.fetchall())
            facets_exact = read <= COUNT_LIMIT
            facets = disjunctive_facets(facet_rows, query)[1]
        hits: list[SearchHit] = []
        if page:
            cursor.execute(
                f"SELECT {_COLUMNS} FROM search_entry e WHERE e.id = ANY(%s)",  # noqa: S608
                [[pk for pk, _ in page]],
            )
            by_id = {row[0]: row for row in cursor.fetchall()}
            hits = [_hit((*by_id[pk], score), query.terms) for pk, score in page if pk in by_id]
    return {
        "hits": hits,
        "total": total,
        "facets": facets,
        "total_exact": total_exact,
        "facets_exact": facets_exact,
    }


def _pg_rows(rows: list[tuple]) -> tuple[int, list[tuple], list[tuple[int, float]]]:
    """(entries read, facet rows, the page's (id, score) in order) from the rows of
    `_pg_sample_query`: facet rows carry a count, page rows a position and an id, and
    one row (kind "#") the number of entries read."""
    read, facet_rows, page = 0, [], []
    for kind, agency, status, number, pk, score in rows:
        if kind == "#":
            read = number
        elif pk is None:
            facet_rows.append((kind, agency, status, number))
        else:
            page.append((number, pk, score))
    return read, facet_rows, [(pk, score) for _, pk, score in sorted(page)]


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


def _pg_filters(query: Query, *, facet_filtered: bool) -> tuple[str, list]:
    """ " AND ..." of the date filters, and of the facet filters when asked."""
    filters, params = _plain_filters(query)
    sql = "".join(f" AND {condition}" for condition in filters)
    if facet_filtered:
        where, facet_params = _facet_where(query, alias="e.")
        sql += f" AND {where}"
        params = [*params, *facet_params]
    return sql, params


def facet_lexeme(name: str, value: Any) -> str:
    """The lexeme that `search.indexing` adds to an entry's tsvector for each of its facet
    values (`search_facet_lexemes`), so the GIN index answers a facet filter together
    with the words: a filtered search reads only the entries it keeps. Query words
    cannot produce it (`_` is a separator for the text search parser)."""
    return f"__{name}_{'' if value is None else value}"


def _pg_facet_tsquery(query: Query) -> str:
    """The facet filters as a tsquery (`'__kind_comment' | '__kind_thread') & ...`), or
    "" without any."""
    groups = []
    for name, values in (
        ("kind", query.kinds),
        ("agency", () if query.agency is None else (query.agency,)),
        ("status", query.status),
    ):
        if values:
            quoted = [
                "'" + facet_lexeme(name, value).replace("\\", "\\\\").replace("'", "''") + "'"
                for value in values
            ]
            groups.append("(" + " | ".join(quoted) + ")")
    return " & ".join(groups)


_SAMPLE_COLUMNS = (
    "e.id, e.group_key, e.kind, e.agency_id, e.status, e.date, e.language = %s AS preferred"
)


def _pg_matches(query: Query, *, facet_filtered: bool) -> tuple[str, list]:
    """The matching entries, at most COUNT_LIMIT + 1 of them (one more tells that there
    were more), newest first: browsing reads them from the `search_entry_newest` index in
    order. Words: when there are at most COUNT_LIMIT matches, one read of the GIN index
    gives them all; only when there are more are they read again by date band, newest
    band first, each band asking the GIN and the date index together and the next band
    read only while fewer than COUNT_LIMIT + 1 have been found."""
    filters, filter_params = _pg_filters(query, facet_filtered=facet_filtered)
    language = query.language or ""
    if query.is_browse:
        sql = (
            f"SELECT {_SAMPLE_COLUMNS} FROM search_entry e WHERE 1=1{filters} "  # noqa: S608
            "ORDER BY e.date DESC NULLS LAST, e.id DESC LIMIT %s"
        )
        return f"m AS MATERIALIZED ({sql})", [language, *filter_params, COUNT_LIMIT + 1]
    match = "(SELECT match FROM q)"
    facet_tsquery = _pg_facet_tsquery(query) if facet_filtered else ""
    match_params: list = []
    if facet_tsquery:
        match = "((SELECT match FROM q) && %s::tsquery)"
        match_params = [facet_tsquery]
    today = timezone.localdate()
    edges = [today - datetime.timedelta(days=days) for days in BANDS_DAYS]
    bands = [("e.date >= %s", [edges[0]])]
    bands += [
        ("e.date >= %s AND e.date < %s", [older, newer])
        for newer, older in itertools.pairwise(edges)
    ]
    bands.append(("(e.date < %s OR e.date IS NULL)", [edges[-1]]))
    parts, band_params = [], []
    for condition, params in bands:
        parts.append(
            f"(SELECT {_SAMPLE_COLUMNS} FROM search_entry e "  # noqa: S608
            f"WHERE e.vector @@ {match} AND {condition}{filters})"
        )
        band_params += [language, *match_params, *params, *filter_params]
    sql = (
        f"everything AS MATERIALIZED (SELECT {_SAMPLE_COLUMNS} FROM search_entry e "  # noqa: S608
        f"WHERE e.vector @@ {match}{filters} LIMIT %s), "
        "m AS MATERIALIZED (SELECT * FROM everything "
        "WHERE (SELECT COUNT(*) FROM everything) <= %s "
        "UNION ALL (SELECT * FROM (" + " UNION ALL ".join(parts) + ") bands "
        "WHERE (SELECT COUNT(*) FROM everything) > %s LIMIT %s))"
    )
    params = [
        language,
        *match_params,
        *filter_params,
        COUNT_LIMIT + 1,
        COUNT_LIMIT,
        *band_params,
        COUNT_LIMIT,
        COUNT_LIMIT + 1,
    ]
    return sql, params


def _pg_sample_query(
    query: Query, *, facet_filtered: bool, with_page: bool = True
) -> tuple[str, list]:
    """Facet rows (kind, agency, status, count) of the entries read, collapsed to one per
    result; page rows (position, id, score) of the results under every filter, ranked;
    and the number of entries read (kind "#").

    The best document of a result: in the preferred language, else the best scored (the
    score is computed only where it decides: several documents of the result were read
    and none, or several, are in the preferred language)."""
    matches, match_params = _pg_matches(query, facet_filtered=facet_filtered)
    where, facet_params = _facet_where(query, alias="")
    if query.is_browse:
        q_sql, q_params, tie_score, score = "", [], "NULL::float8", "0.0"
    else:
        tsqueries, q_params = _pg_tsqueries(query)
        q_sql, tie_score, score = f"{tsqueries}, ", _pg_score("m.id"), _pg_score("b.id")
    sql = (
        f"WITH {q_sql}{matches}, "  # noqa: S608
        "tied AS (SELECT group_key FROM m GROUP BY group_key "
        "HAVING COUNT(*) FILTER (WHERE preferred) > 1 "
        "OR (COUNT(*) > 1 AND NOT bool_or(preferred))), "
        "best AS MATERIALIZED (SELECT DISTINCT ON (m.group_key) m.id, m.kind, m.agency_id, "
        "m.status, m.date FROM m ORDER BY m.group_key, m.preferred DESC, "
        f"(CASE WHEN m.group_key IN (SELECT group_key FROM tied) THEN {tie_score} "
        "END) DESC NULLS LAST, m.id) "
        "SELECT kind, agency_id, status, COUNT(*), NULL::bigint, NULL::float8 "
        "FROM best GROUP BY kind, agency_id, status "
        "UNION ALL SELECT '#', NULL, NULL, COUNT(*), NULL, NULL FROM m"
    )
    params = [*q_params, *match_params]
    if with_page:
        sql += (
            " UNION ALL SELECT NULL, NULL, NULL, ROW_NUMBER() OVER (), id, score FROM ("  # noqa: S608
            f"SELECT b.id, {score} AS score, b.date FROM best b WHERE {where} "
            "ORDER BY 2 DESC, b.date DESC NULLS LAST, b.id DESC LIMIT %s OFFSET %s) p"
        )
        params += [*facet_params, query.per_page, query.offset]
    return sql, params


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
