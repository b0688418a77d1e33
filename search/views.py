"""The search page: `/<lang>/search/`."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from . import display
from .forms import SearchForm
from .services import search

PER_PAGE = 20


def _page_number(value) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    """One search box over everything public, with kind, agency, status and date
    filters. Without words it lists everything the filters allow, newest first."""
    form = SearchForm(request.GET or None)
    arguments = form.arguments()
    results = None
    rows: list = []
    facets: dict = {}
    if form.is_bound:
        results = search(
            **arguments,
            language=get_language(),
            page=_page_number(request.GET.get("page")),
            per_page=PER_PAGE,
        )
        rows, facets = display.rows_and_facets(
            results,
            kinds=arguments["kinds"],
            agency=arguments["agency"],
            status=arguments["status"],
        )
    return render(
        request,
        "search/search.html",
        {
            "form": form,
            "q": arguments["q"],
            "results": results,
            "rows": rows,
            "facets": facets,
            "querystring": form.querystring() if form.is_bound else "",
            "suggestion_querystring": (
                form.querystring(q=results.suggestion) if results and results.suggestion else ""
            ),
            "has_filters": any(
                arguments[name] for name in ("kinds", "agency", "status", "date_from", "date_to")
            ),
            "clear_querystring": form.querystring(
                kind=None, agency=None, status=None, **{"from": None, "to": None}
            )
            if form.is_bound
            else "",
            "first": (results.page - 1) * results.per_page + 1 if results else 0,
            "last": min(results.page * results.per_page, results.total) if results else 0,
        },
    )
