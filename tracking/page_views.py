"""Public pages of civic tracking: an agency's scorecard, the comparison of agencies,
what became overdue recently, and the list of obligations.

All are GET pages that work without JavaScript and can be bookmarked; bad input answers
400 with the message next to the field. The numbers come from `tracking.scorecards`
(aggregates the database computes), so the scorecard and comparison pages cost the same
number of queries whatever the number of obligations.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.models import Agency

from . import calendar, charts, kinds, scorecards
from .models import Obligation, ObligationRedirect
from .page_forms import ComparisonForm, ObligationFilterForm, OverdueForm, PeriodForm
from .scorecards import Period, Rate, Scorecard

PER_PAGE = 50
# A month's trend shows the year up to it: one point would show no trend.
TRAILING_MONTHS = 12


# --- Shared -------------------------------------------------------------------------------


def _today(now: datetime.datetime) -> datetime.date:
    return calendar.local_date(now)


def _bad_or_redirect(request: HttpRequest, form: PeriodForm, template: str, context: dict):
    """The picker's answer before the page is computed: 400 with the errors, or a
    redirect from the picker's fields to the canonical `?period=` URL; None when the
    page can be shown."""
    if not form.is_valid():
        return render(request, template, {**context, "form": form}, status=400)
    if form.from_picker:
        extra = {}
        if isinstance(form, ComparisonForm):
            extra = {"sort": form.cleaned_data["sort"], "dir": form.cleaned_data["dir"]}
        return redirect(f"{request.path}?{urlencode(form.query(**extra))}")
    return None


def empty_scorecard(agency_id: int | None, kind: str | None, period: Period) -> Scorecard:
    """What an agency's scorecard says of a kind it had nothing of."""
    nothing = scorecards.wilson(0, 0)
    return Scorecard(
        agency_id=agency_id,
        kind=kind,
        period=period,
        received=0,
        answered=0,
        answered_on_time=0,
        answered_late=0,
        open=0,
        overdue_now=0,
        withdrawn=0,
        on_time=nothing,
        response_median=None,
        response_p90=None,
        answer_median=None,
        answer_p90=None,
        rated=0,
        satisfied=nothing,
        brush_off=nothing,
        redirects_in=0,
        redirects_out=0,
        extensions=0,
        days_too_few=True,
    )


def trend_plan(period: Period) -> tuple[Period, str]:
    """The span and step of the trend charts: months for a year or a quarter, the twelve
    months up to a month, and for a custom range months up to a year, quarters beyond."""
    if period.granularity == "month":
        year, month = period.start.year, period.start.month - (TRAILING_MONTHS - 1)
        while month < 1:
            year, month = year - 1, month + 12
        start = max(datetime.date(year, month, 1), datetime.date(2000, 1, 1))
        return Period.custom(start, period.end), "month"
    if period.granularity == "custom" and (period.end - period.start).days > 366:
        return period, "quarter"
    return period, "month"


def axis_label(period: Period, granularity: str) -> tuple[str, str]:
    """Two short lines under a chart's bar: ("May", "2026"), ("Q2", "2026")."""
    year = str(period.start.year)
    if granularity == "month":
        return date_format(period.start, "F"), year
    if granularity == "quarter":
        return _("Q%(number)d") % {"number": (period.start.month - 1) // 3 + 1}, year
    return year, ""


@dataclass(frozen=True)
class TrendRow:
    period: Period
    card: Scorecard


def _share(rate: Rate) -> charts.Interval:
    if rate.too_few:
        return charts.Interval(None, None, None)
    return charts.Interval(rate.value, rate.low, rate.high)


def trend_charts(rows: list[TrendRow], granularity: str, prefix: str) -> dict:
    """The three trend charts of a scorecard, each with the rows of its data table."""
    categories = [axis_label(row.period, granularity) for row in rows]
    too_few = _("too few")
    volume = charts.bar_chart(
        chart_id=f"{prefix}-volume",
        title=_("Received, answered and overdue"),
        desc=_(
            "Bars per period: obligations received (solid), answered (hatched) and "
            "overdue now (dotted). The table beside gives the same numbers."
        ),
        categories=categories,
        series=[
            charts.Series(_("Received"), [row.card.received for row in rows]),
            charts.Series(_("Answered"), [row.card.answered for row in rows]),
            charts.Series(_("Overdue now"), [row.card.overdue_now for row in rows]),
        ],
    )
    on_time = charts.interval_chart(
        chart_id=f"{prefix}-on-time",
        title=_("Answered on time"),
        desc=_(
            "Share of answers given on time per period, with its 95 per cent interval as "
            "a vertical line; periods with too few answers to judge are marked so. The "
            "table beside gives the same numbers."
        ),
        categories=categories,
        points=[_share(row.card.on_time) for row in rows],
        label=_("On time"),
        # xgettext:no-python-format
        interval_label=_("95% interval"),
        missing=too_few,
    )
    days = charts.bar_chart(
        chart_id=f"{prefix}-days",
        title=_("Working days to the final answer"),
        desc=_(
            "Bars per period: the median (solid) and the 90th percentile (hatched) of "
            "working days to the final answer; a dash where there are too few answers. "
            "The table beside gives the same numbers."
        ),
        categories=categories,
        series=[
            charts.Series(_("Median"), [row.card.answer_median for row in rows]),
            charts.Series(_("90th percentile"), [row.card.answer_p90 for row in rows]),
        ],
    )
    return {"volume": volume, "on_time": on_time, "days": days}


# --- An agency's scorecard ----------------------------------------------------------------


@require_GET
def agency_scorecard(request: HttpRequest, slug: str) -> HttpResponse:
    agency = get_object_or_404(Agency, slug=slug)
    now = timezone.now()
    form = PeriodForm(request.GET, today=_today(now))
    template = "tracking/agency_scorecard.html"
    context = {"agency": agency, "kinds": kinds.all_kinds()}
    if response := _bad_or_redirect(request, form, template, context):
        return response
    period, kind = form.resolved, form.cleaned_data["kind"] or None

    total, per_kind = scorecards.agency_scorecard(agency.pk, period, now=now)
    if kind:
        headline = next((c for c in per_kind if c.kind == kind), None)
        headline = headline or empty_scorecard(agency.pk, kind, period)
    else:
        headline = total
    span, granularity = trend_plan(period)
    cards = scorecards.trend(agency.pk, span, granularity, kind=kind, now=now)
    rows = [TrendRow(card.period, card) for card in cards]
    query = form.query()
    return render(
        request,
        template,
        {
            **context,
            "form": form,
            "picker": form.picker(),
            "period": period,
            "kind": kind,
            "kind_label": kinds.label_of(kind) if kind else "",
            "card": headline,
            "per_kind": [(kinds.label_of(c.kind), c) for c in per_kind],
            "trend": rows,
            "trend_span": span,
            "granularity": granularity,
            "charts": trend_charts(rows, granularity, "trend"),
            "previous_query": urlencode({**query, "period": period.previous().key}),
            "comparison_query": urlencode(query),
            "list_query": urlencode({"agency": agency.slug, **({"kind": kind} if kind else {})}),
            "min_sample": scorecards.minimum_sample(),
        },
    )


# --- The comparison -----------------------------------------------------------------------


def _sort_value(key: str, agency: Agency, card: Scorecard):
    if key == "name":
        return str(agency.name).casefold()
    if key in ("on_time", "satisfied", "brush_off"):
        rate: Rate = getattr(card, key)
        return None if rate.too_few else rate.value
    if key == "answer_median":
        return card.answer_median
    return getattr(card, key)


def sort_rows(rows: list[dict], key: str, direction: str) -> list[dict]:
    """By `key`, ties by name; what cannot be judged (too few, no answers) comes last
    whichever the direction."""
    by_name = sorted(rows, key=lambda row: str(row["agency"].name).casefold())
    if key == "name":
        return by_name[::-1] if direction == "desc" else by_name

    def value(row):
        return _sort_value(key, row["agency"], row["card"])

    known = [row for row in by_name if value(row) is not None]
    unknown = [row for row in by_name if value(row) is None]
    known.sort(key=value, reverse=direction == "desc")
    return known + unknown


def column_labels() -> list[tuple[str, str]]:
    return [
        ("name", _("Agency")),
        ("received", _("Received")),
        ("answered", _("Answered")),
        ("on_time", _("On time")),
        ("overdue_now", _("Overdue now")),
        ("open", _("Open")),
        ("answer_median", _("Median working days to answer")),
        ("satisfied", _("Satisfied")),
        ("brush_off", _("Rated a brush-off")),
    ]


@require_GET
def comparison(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    form = ComparisonForm(request.GET, today=_today(now))
    template = "tracking/scorecard_comparison.html"
    if response := _bad_or_redirect(request, form, template, {"columns": []}):
        return response
    period, kind = form.resolved, form.cleaned_data["kind"] or None
    sort, direction = form.sorting()

    cards = scorecards.comparison(period, kind=kind, now=now)
    agencies = Agency.objects.only("slug", "name_kk", "name_ru", "name_en").in_bulk(
        [card.agency_id for card in cards]
    )
    rows = [
        {"agency": agencies[card.agency_id], "card": card}
        for card in cards
        if card.agency_id in agencies
    ]
    rows = sort_rows(rows, sort, direction)
    base = form.query()
    columns = []
    for key, label in column_labels():
        current = key == sort
        if current:
            next_dir = "asc" if direction == "desc" else "desc"
        else:
            # Names read A to Z; a number's first click shows the largest first.
            next_dir = "asc" if key == "name" else "desc"
        columns.append(
            {
                "key": key,
                "label": label,
                "current": current,
                "aria_sort": ("ascending" if direction == "asc" else "descending")
                if current
                else "",
                "href": "?" + urlencode({**base, "sort": key, "dir": next_dir}),
            }
        )
    return render(
        request,
        template,
        {
            "form": form,
            "picker": form.picker(),
            "period": period,
            "kind": kind,
            "kind_label": kinds.label_of(kind) if kind else "",
            "rows": rows,
            "columns": columns,
            "sort": sort,
            "direction": direction,
            "sorted_by_metric": sort != "name",
            # The picker keeps a chosen order (not the default one, to keep URLs short).
            "keep": [("sort", sort), ("dir", direction)]
            if sort != "name" or direction != "asc"
            else [],
            "scorecard_query": urlencode(base),
            "min_sample": scorecards.minimum_sample(),
        },
    )


# --- Obligation lists ---------------------------------------------------------------------


def _listed(queryset):
    """Rows with what a list shows, in a bounded number of queries: the agency, one
    query per subject type, and the redirects with their agencies."""
    return queryset.select_related("agency", "content_type").prefetch_related(
        "subject",
        Prefetch(
            "redirects",
            queryset=ObligationRedirect.objects.select_related("from_agency", "to_agency"),
        ),
    )


def _describe(obligations, *, now: datetime.datetime) -> list[dict]:
    cal = calendar.WorkingCalendar()
    today = calendar.local_date(now)
    rows = []
    for obligation in obligations:
        status = obligation.status(now)
        due = calendar.local_date(obligation.due_at)
        rows.append(
            {
                "obligation": obligation,
                "title": kinds.title_of(obligation.kind, obligation.subject)
                or _("(subject no longer available)"),
                "url": kinds.url_of(obligation.kind, obligation.subject),
                "kind_label": kinds.label_of(obligation.kind),
                "status": status,
                "status_label": Obligation.Status(status).label,
                "due": due,
                "opened": calendar.local_date(obligation.opened_at),
                "days_overdue": cal.working_days_between(due, today)
                if status == Obligation.Status.OVERDUE
                else None,
            }
        )
    return rows


@require_GET
def overdue(request: HttpRequest) -> HttpResponse:
    """What became overdue in the last `days` days and is still unanswered, newest first."""
    now = timezone.now()
    form = OverdueForm(request.GET)
    template = "tracking/overdue.html"
    if not form.is_valid():
        return render(request, template, {"form": form, "rows": []}, status=400)
    days = form.days_value()
    queryset = form.filter(Obligation.objects.overdue(now), now=now).filter(
        due_at__gte=now - datetime.timedelta(days=days)
    )
    page_obj = Paginator(_listed(queryset).order_by("-due_at", "-pk"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        template,
        {
            "form": form,
            "days": days,
            "page_obj": page_obj,
            "rows": _describe(page_obj.object_list, now=now),
            "querystring": form.querystring(),
        },
    )


@require_GET
def obligation_list(request: HttpRequest) -> HttpResponse:
    """Every obligation, filtered as the API filters, newest first, with the CSV link."""
    now = timezone.now()
    form = ObligationFilterForm(request.GET)
    template = "tracking/obligation_list.html"
    if not form.is_valid():
        return render(request, template, {"form": form, "rows": []}, status=400)
    queryset = form.filter(Obligation.objects.all(), now=now).order_by("-opened_at", "-pk")
    page_obj = Paginator(_listed(queryset), PER_PAGE).get_page(request.GET.get("page"))
    querystring = form.querystring()
    export = reverse("obligation-export")
    return render(
        request,
        template,
        {
            "form": form,
            "page_obj": page_obj,
            "rows": _describe(page_obj.object_list, now=now),
            "querystring": querystring,
            "export_url": f"{export}?{querystring}" if querystring else export,
            "api_url": reverse("obligation-list") + (f"?{querystring}" if querystring else ""),
        },
    )
