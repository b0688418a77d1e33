"""Agency scorecards: who answers, how fast, how well (docs/tracking.md, "Scorecards").

INTERFACE CONTRACT (fixed; the implementation fills the bodies). Pages, the API, the
exports and the benchmark use only what is declared here.

Cohort rule: a scorecard of a period counts the obligations *opened* (received) in it,
Astana dates, inclusive. Everything about them (answered, on time, open, overdue now,
days, ratings) is their state *now* (`now`, default `timezone.now()`). An obligation
belongs to the agency that holds it now (`Obligation.agency`); redirects are counted
separately: `redirects_out` for the agencies that passed obligations on, `redirects_in`
for those that received them, each obligation at most once per agency and direction,
for redirects made in the period.

Days are working days (the platform calendar) with the time spent waiting on the
citizen excluded (`Obligation.response_days`, `Obligation.answer_days`, stored when the
response or the answer is recorded). An acknowledgement is a first response, never an
answer.

Percentiles are exact, with the semantics of SQL's `percentile_cont` (linear
interpolation between the closest ranks): of n sorted values x[0..n-1], the p-th
percentile is x[f] + (h - f) * (x[f+1] - x[f]) with h = (n - 1) * p and f = floor(h). The
database returns a histogram (how many obligations took 0, 1, 2 ... days); the
percentile is read from the cumulative counts, so the work is bounded by the number of
distinct day counts, not of obligations.

Queries, whatever the number of obligations: one conditional-count aggregate grouped by
agency and kind (and sub-period, for trends), one histogram each for response and answer
days, one count of redirects out and one of redirects in; the comparison reads the agencies'
names once more. All on indexed `opened_at` (and `ObligationRedirect.at`) ranges.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime
import math
import re
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from . import calendar, kinds
from .models import Obligation, ObligationRedirect

GRANULARITIES = ("month", "quarter", "year")
MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_YEARS = 5

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")


def _add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day number `months` later (or earlier); the last day of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, pycalendar.monthrange(year, month)[1]))


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(
            _("Choose a period between %(first)s and %(last)s.")
            % {"first": MIN_YEAR, "last": MAX_YEAR}
        )


@dataclass(frozen=True)
class Period:
    """A range of Astana dates, both ends inclusive."""

    start: datetime.date
    end: datetime.date
    # "month", "quarter", "year" or "custom"
    granularity: str
    # The canonical query value: "2026-05", "2026-Q2", "2026", "2026-01-15..2026-03-31".
    key: str

    @classmethod
    def parse(cls, value: str, *, today: datetime.date | None = None) -> Period:
        """From a query value (the forms of `key`; empty: the current quarter).
        Raises `PeriodError` (a translated message fit to show) on anything else,
        an end before the start, dates outside 2000-2100, or a range over 5 years."""
        value = (value or "").strip()
        if not value:
            today = today or calendar.local_date()
            return cls.quarter(today.year, (today.month - 1) // 3 + 1)
        if match := _MONTH.match(value):
            month = int(match[2])
            if not 1 <= month <= 12:
                raise PeriodError(_("Not a month: %(value)s.") % {"value": value})
            return cls.month(int(match[1]), month)
        if match := _QUARTER.match(value):
            return cls.quarter(int(match[1]), int(match[2]))
        if match := _YEAR.match(value):
            return cls.year(int(match[1]))
        if match := _RANGE.match(value):
            try:
                start = datetime.date.fromisoformat(match[1])
                end = datetime.date.fromisoformat(match[2])
            except ValueError:
                raise PeriodError(_("Not a date: %(value)s.") % {"value": value}) from None
            return cls.custom(start, end)
        raise PeriodError(
            _(
                "Not a period: %(value)s. Use a month (2026-05), a quarter (2026-Q2), "
                "a year (2026) or a range (2026-01-15..2026-03-31)."
            )
            % {"value": value[:40]}
        )

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        _check_year(year)
        if not 1 <= month <= 12:
            raise PeriodError(_("Not a month: %(value)s.") % {"value": month})
        start = datetime.date(year, month, 1)
        return cls(
            start, _add_months(start, 1) - datetime.timedelta(days=1), "month", f"{start:%Y-%m}"
        )

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        _check_year(year)
        if not 1 <= quarter <= 4:
            raise PeriodError(_("Not a quarter: %(value)s.") % {"value": quarter})
        start = datetime.date(year, 3 * quarter - 2, 1)
        end = _add_months(start, 3) - datetime.timedelta(days=1)
        return cls(start, end, "quarter", f"{year}-Q{quarter}")

    @classmethod
    def year(cls, year: int) -> Period:
        _check_year(year)
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31), "year", str(year))

    @classmethod
    def custom(cls, start: datetime.date, end: datetime.date) -> Period:
        _check_year(start.year)
        _check_year(end.year)
        if end < start:
            raise PeriodError(_("The end of the period is before its start."))
        if end >= _add_months(start, 12 * MAX_YEARS):
            raise PeriodError(
                _("A period can cover at most %(years)s years.") % {"years": MAX_YEARS}
            )
        return cls(start, end, "custom", f"{start.isoformat()}..{end.isoformat()}")

    @property
    def label(self) -> str:
        """Human label in the active language ("May 2026", "Q2 2026", "2026",
        "15 Jan 2026 – 31 Mar 2026")."""
        if self.granularity == "month":
            return formats.date_format(self.start, "YEAR_MONTH_FORMAT")
        if self.granularity == "quarter":
            return _("Q%(quarter)s %(year)s") % {
                "quarter": (self.start.month - 1) // 3 + 1,
                "year": self.start.year,
            }
        if self.granularity == "year":
            return str(self.start.year)
        return "{} – {}".format(
            formats.date_format(self.start, "j M Y"), formats.date_format(self.end, "j M Y")
        )

    def previous(self) -> Period:
        """The period of the same granularity (and length, for custom) just before."""
        if self.granularity == "month":
            start = _add_months(self.start, -1)
            return Period.month(start.year, start.month)
        if self.granularity == "quarter":
            start = _add_months(self.start, -3)
            return Period.quarter(start.year, (start.month - 1) // 3 + 1)
        if self.granularity == "year":
            return Period.year(self.start.year - 1)
        end = self.start - datetime.timedelta(days=1)
        return Period.custom(end - (self.end - self.start), end)

    def split(self, granularity: str) -> list[Period]:
        """The months / quarters / years overlapping this period, in order (each cut to
        this period's ends), for trends. A unit cut short becomes a custom period (its
        key and label say which days it covers)."""
        if granularity not in GRANULARITIES:
            raise PeriodError(_("Not a granularity: %(value)s.") % {"value": granularity})
        unit = {
            "month": lambda day: Period.month(day.year, day.month),
            "quarter": lambda day: Period.quarter(day.year, (day.month - 1) // 3 + 1),
            "year": lambda day: Period.year(day.year),
        }[granularity]
        parts, day = [], self.start
        while day <= self.end:
            whole = unit(day)
            if whole.start < self.start or whole.end > self.end:
                parts.append(Period.custom(max(whole.start, self.start), min(whole.end, self.end)))
            else:
                parts.append(whole)
            day = whole.end + datetime.timedelta(days=1)
        return parts

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """[first instant, first instant after) in Astana time: the cohort's filter."""
        return _start_of(self.start), _start_of(self.end + datetime.timedelta(days=1))


class PeriodError(ValueError):
    pass


def _start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=calendar.tz())


@dataclass(frozen=True)
class Rate:
    """A share with its 95% Wilson score interval. `too_few` when `denominator` is below
    the minimum sample (`settings.TRACKING_MIN_SAMPLE`, default 10): then `value`, `low`
    and `high` are None and pages say "too few to judge"."""

    numerator: int
    denominator: int
    value: float | None
    low: float | None
    high: float | None
    too_few: bool


@dataclass(frozen=True)
class Scorecard:
    """One agency (or all agencies: `agency_id` None), one kind (or all: `kind` None),
    one period."""

    agency_id: int | None
    kind: str | None
    period: Period
    received: int
    answered: int
    answered_on_time: int
    answered_late: int
    open: int  # still open now, not overdue (waiting on the citizen included)
    overdue_now: int
    withdrawn: int
    on_time: Rate  # answered_on_time / answered
    response_median: float | None  # working days to the first response
    response_p90: float | None
    answer_median: float | None  # working days to the final answer
    answer_p90: float | None
    rated: int  # final answers the citizen rated
    satisfied: Rate  # rated satisfied / rated
    brush_off: Rate  # rated a brush-off / rated
    redirects_in: int
    redirects_out: int
    extensions: int
    # Percentiles below the minimum sample are None and flagged here.
    days_too_few: bool = field(default=False)
    # How many obligations the percentiles were computed from (responded; answered).
    responses: int = field(default=0)
    waiting_now: int = field(default=0)  # of `open`: waiting on the citizen now


def minimum_sample() -> int:
    """`settings.TRACKING_MIN_SAMPLE`: below it, rates and percentiles are "too few"."""
    return getattr(settings, "TRACKING_MIN_SAMPLE", 10)


def wilson(successes: int, n: int, *, z: float = 1.96, min_sample: int | None = None) -> Rate:
    """`successes` of `n` with the Wilson score interval (z = 1.96: 95%), or "too few"
    below the minimum sample (and always for n = 0)."""
    if successes < 0 or n < 0 or successes > n:
        raise ValueError(f"Not a share: {successes}/{n}")
    minimum = minimum_sample() if min_sample is None else min_sample
    if n == 0 or n < minimum:
        return Rate(successes, n, None, None, None, True)
    p = successes / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    return Rate(successes, n, p, max(0.0, centre - half), min(1.0, centre + half), False)


def percentile(histogram: dict[int, int], p: float) -> float | None:
    """The p-th percentile (0 <= p <= 1) of the values counted in `histogram`
    ({value: how many}), as SQL's `percentile_cont`. None when it is empty."""
    n = sum(histogram.values())
    if n == 0:
        return None
    h = (n - 1) * p
    low_rank = math.floor(h)
    fraction = h - low_rank
    high_rank = min(low_rank + 1, n - 1) if fraction else low_rank

    def value_at(rank: int) -> int:
        """The value of 0-based `rank` in sorted order, from the cumulative counts."""
        seen = 0
        for value in sorted(histogram):
            seen += histogram[value]
            if seen > rank:
                return value
        raise AssertionError("rank beyond the histogram")

    low = value_at(low_rank)
    return float(low + fraction * (value_at(high_rank) - low))


# --- Aggregation ----------------------------------------------------------------------

_COUNTS = (
    "received",
    "answered",
    "answered_on_time",
    "answered_late",
    "open",
    "overdue_now",
    "waiting_now",
    "withdrawn",
    "rated",
    "satisfied",
    "brush_off",
    "extensions",
)


@dataclass
class _Tally:
    counts: Counter = field(default_factory=Counter)
    response_days: Counter = field(default_factory=Counter)
    answer_days: Counter = field(default_factory=Counter)
    redirects_in: int = 0
    redirects_out: int = 0

    def add(self, other: _Tally) -> None:
        self.counts.update(other.counts)
        self.response_days.update(other.response_days)
        self.answer_days.update(other.answer_days)
        self.redirects_in += other.redirects_in
        self.redirects_out += other.redirects_out


def _count_expressions(now: datetime.datetime) -> dict:
    open_ = Q(answered_at__isnull=True, withdrawn_at__isnull=True)
    answered = Q(answered_at__isnull=False)
    rated = answered & ~Q(rating="")
    return {
        "received": Count("pk"),
        "answered": Count("pk", filter=answered),
        "answered_on_time": Count("pk", filter=answered & Q(answered_at__lte=F("due_at"))),
        "answered_late": Count("pk", filter=answered & Q(answered_at__gt=F("due_at"))),
        "open": Count("pk", filter=open_ & (Q(waiting_since__isnull=False) | Q(due_at__gte=now))),
        "overdue_now": Count("pk", filter=open_ & Q(waiting_since__isnull=True, due_at__lt=now)),
        "waiting_now": Count("pk", filter=open_ & Q(waiting_since__isnull=False)),
        "withdrawn": Count("pk", filter=Q(withdrawn_at__isnull=False)),
        "rated": Count("pk", filter=rated),
        "satisfied": Count("pk", filter=rated & Q(rating=Obligation.Rating.SATISFIED)),
        "brush_off": Count("pk", filter=rated & Q(rating=Obligation.Rating.BRUSH_OFF)),
        "extensions": Count("pk", filter=Q(extended_due_at__isnull=False)),
    }


def _bucket(field_name: str, parts: list[Period]):
    """The index of the sub-period a datetime column falls in, computed by the database
    (rows are already filtered to the whole period, so `< next start` is enough)."""
    return Case(
        *[
            When(**{f"{field_name}__lt": part.bounds()[1]}, then=Value(index))
            for index, part in enumerate(parts[:-1])
        ],
        default=Value(len(parts) - 1),
        output_field=IntegerField(),
    )


def _tallies(
    parts: list[Period],
    *,
    agency_id: int | None = None,
    kind: str | None = None,
    now: datetime.datetime,
) -> dict[tuple[int, int, str], _Tally]:
    """{(sub-period index, agency id, kind): tally} for the obligations opened in the
    sub-periods (consecutive, in order) and the redirects made in them: five queries."""
    begin, finish = parts[0].bounds()[0], parts[-1].bounds()[1]
    tallies: dict[tuple[int, int, str], _Tally] = {}

    def tally(key) -> _Tally:
        if key not in tallies:
            tallies[key] = _Tally()
        return tallies[key]

    cohort = Obligation.objects.filter(opened_at__gte=begin, opened_at__lt=finish)
    if agency_id is not None:
        cohort = cohort.filter(agency_id=agency_id)
    if kind is not None:
        cohort = cohort.filter(kind=kind)
    group = ["agency_id", "kind"]
    if len(parts) > 1:
        cohort = cohort.annotate(bucket=_bucket("opened_at", parts))
        group = ["bucket", *group]

    def key_of(row: dict) -> tuple[int, int, str]:
        return (row.get("bucket", 0), row["agency_id"], row["kind"])

    for row in cohort.order_by().values(*group).annotate(**_count_expressions(now)):
        tally(key_of(row)).counts.update({name: row[name] for name in _COUNTS})
    for column in ("response_days", "answer_days"):
        rows = (
            cohort.filter(**{f"{column}__isnull": False})
            .order_by()
            .values(*group, column)
            .annotate(n=Count("pk"))
        )
        for row in rows:
            getattr(tally(key_of(row)), column)[row[column]] += row["n"]

    redirects = ObligationRedirect.objects.filter(at__gte=begin, at__lt=finish)
    if kind is not None:
        redirects = redirects.filter(obligation__kind=kind)
    if len(parts) > 1:
        redirects = redirects.annotate(bucket=_bucket("at", parts))
    for direction, column in (
        ("redirects_out", "from_agency_id"),
        ("redirects_in", "to_agency_id"),
    ):
        rows = redirects if agency_id is None else redirects.filter(**{column: agency_id})
        values = [column, "obligation__kind", *(["bucket"] if len(parts) > 1 else [])]
        rows = rows.order_by().values(*values).annotate(n=Count("obligation_id", distinct=True))
        for row in rows:
            key = (row.get("bucket", 0), row[column], row["obligation__kind"])
            setattr(tally(key), direction, getattr(tally(key), direction) + row["n"])
    return tallies


def _scorecard(
    tally: _Tally, *, agency_id: int | None, kind: str | None, period: Period
) -> Scorecard:
    counts, minimum = tally.counts, minimum_sample()
    responses = sum(tally.response_days.values())
    answers = sum(tally.answer_days.values())

    def days(histogram: Counter, sample: int, p: float) -> float | None:
        return percentile(histogram, p) if sample >= minimum and sample else None

    return Scorecard(
        agency_id=agency_id,
        kind=kind,
        period=period,
        received=counts["received"],
        answered=counts["answered"],
        answered_on_time=counts["answered_on_time"],
        answered_late=counts["answered_late"],
        open=counts["open"],
        overdue_now=counts["overdue_now"],
        withdrawn=counts["withdrawn"],
        on_time=wilson(counts["answered_on_time"], counts["answered"], min_sample=minimum),
        response_median=days(tally.response_days, responses, 0.5),
        response_p90=days(tally.response_days, responses, 0.9),
        answer_median=days(tally.answer_days, answers, 0.5),
        answer_p90=days(tally.answer_days, answers, 0.9),
        rated=counts["rated"],
        satisfied=wilson(counts["satisfied"], counts["rated"], min_sample=minimum),
        brush_off=wilson(counts["brush_off"], counts["rated"], min_sample=minimum),
        redirects_in=tally.redirects_in,
        redirects_out=tally.redirects_out,
        extensions=counts["extensions"],
        days_too_few=responses < minimum or answers < minimum,
        responses=responses,
        waiting_now=counts["waiting_now"],
    )


def _kind_order(keys) -> list[str]:
    registered = [kind.key for kind in kinds.all_kinds()]
    position = {key: index for index, key in enumerate(registered)}
    return sorted(keys, key=lambda key: (position.get(key, len(registered)), key))


def agency_scorecard(
    agency_id: int, period: Period, *, now: datetime.datetime | None = None
) -> tuple[Scorecard, list[Scorecard]]:
    """The agency's total and one scorecard per kind it had obligations of (registered
    kinds' order). Bounded queries whatever the number of obligations."""
    tallies = _tallies([period], agency_id=agency_id, now=now or timezone.now())
    total, by_kind = _Tally(), {}
    for (_bucket_index, tally_agency, kind), tally in tallies.items():
        if tally_agency != agency_id:
            continue
        total.add(tally)
        by_kind.setdefault(kind, _Tally()).add(tally)
    return (
        _scorecard(total, agency_id=agency_id, kind=None, period=period),
        [
            _scorecard(by_kind[kind], agency_id=agency_id, kind=kind, period=period)
            for kind in _kind_order(by_kind)
        ],
    )


def comparison(
    period: Period, *, kind: str | None = None, now: datetime.datetime | None = None
) -> list[Scorecard]:
    """One scorecard per agency with obligations (or redirects) in the period, all kinds
    or one, in agency order (name); the caller sorts. Bounded queries."""
    from accounts.models import Agency

    tallies = _tallies([period], kind=kind, now=now or timezone.now())
    by_agency: dict[int, _Tally] = {}
    for (_bucket_index, agency_id, _kind), tally in tallies.items():
        by_agency.setdefault(agency_id, _Tally()).add(tally)
    agencies = Agency.objects.filter(pk__in=by_agency).only("pk", "name_kk", "name_ru", "name_en")
    ordered = sorted(agencies, key=lambda agency: (str(agency.name).casefold(), agency.pk))
    return [
        _scorecard(by_agency[agency.pk], agency_id=agency.pk, kind=kind, period=period)
        for agency in ordered
    ]


def trend(
    agency_id: int | None,
    period: Period,
    granularity: str,
    *,
    kind: str | None = None,
    now: datetime.datetime | None = None,
) -> list[Scorecard]:
    """`period.split(granularity)`, one scorecard each, oldest first. Bounded queries
    (not one per sub-period)."""
    parts = period.split(granularity)
    tallies = _tallies(parts, agency_id=agency_id, kind=kind, now=now or timezone.now())
    merged = [_Tally() for _part in parts]
    for (index, tally_agency, _kind), tally in tallies.items():
        if agency_id is None or tally_agency == agency_id:
            merged[index].add(tally)
    return [
        _scorecard(merged[index], agency_id=agency_id, kind=kind, period=part)
        for index, part in enumerate(parts)
    ]
