"""Bulk downloads of the ledger and the scorecards: one row builder for the API, the CSV
and the JSON Lines, and the streams.

Each download is a generator that a `StreamingHttpResponse` consumes: obligations are read
with `QuerySet.iterator(chunk_size=CHUNK_SIZE)` (the subjects and redirects prefetched per
chunk), so memory holds one chunk however many rows there are (Decidim ran out of memory
building its exports whole). Working days are counted with one `DayCounter` per download:
a running count over the dates seen, so a row costs two dictionary look-ups, not a walk
over its days.

The fields are declared once (`OBLIGATION_FIELDS`, `SCORECARD_FIELDS`, with their type and
meaning): the CSV header, the JSON Lines keys and the data page (`/open-data/`) all come
from these lists, so the documentation cannot fall behind the files.

No personal data: who acknowledged, extended, redirected or rated is not published, nor the
free texts a citizen may have written into (outcome details, withdrawal reasons).
"""

from __future__ import annotations

import csv
import datetime
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import calendar, kinds
from .models import Obligation, ObligationRedirect

CHUNK_SIZE = 500
BOM = "\ufeff"


@dataclass(frozen=True)
class Field:
    """A column of a download: its name, its type (`TYPES`) and what it means."""

    name: str
    type: str
    meaning: Promise | str


TYPES: dict[str, Promise] = {
    "integer": _("a whole number"),
    "number": _("a decimal number (a dot before the decimals)"),
    "string": _("text"),
    "boolean": _("true or false (in CSV: yes or no)"),
    "datetime": _("a moment, ISO 8601 with the offset from UTC, Astana time"),
    "date": _("a date, YYYY-MM-DD"),
    "url": _("a web address"),
    "list": _("a list of objects (in CSV: joined into one text)"),
}

OBLIGATION_FIELDS: list[Field] = [
    Field("id", "integer", _("The obligation's number in the ledger; stable.")),
    Field("kind", "string", _("What is owed, as a key (see the kinds below).")),
    Field("kind_label", "string", _("What is owed, in words, in the language of the request.")),
    Field("agency", "string", _("The agency that holds the obligation now (its short name).")),
    Field("subject_title", "string", _("The title of what is to be answered.")),
    Field("subject_url", "url", _("The page of what is to be answered.")),
    Field("opened_at", "datetime", _("When the duty arose: the obligation was received.")),
    Field(
        "clock_started_at",
        "datetime",
        _("When the current agency's period began: the opening, or the last redirect."),
    ),
    Field(
        "due_at",
        "datetime",
        _(
            "The current due moment (the end of the due day): after an extension, a redirect "
            "or time spent waiting on the citizen, the new one."
        ),
    ),
    Field("original_due_at", "datetime", _("The due moment first computed at the opening.")),
    Field("extended", "boolean", _("Whether the agency extended the period (at most once).")),
    Field("extended_due_at", "datetime", _("The due moment the extension set; empty if none.")),
    Field("extended_at", "datetime", _("When the agency extended the period; empty if never.")),
    Field("extension_reason", "string", _("The agency's stated reason for the extension.")),
    Field(
        "redirects",
        "list",
        _(
            "Each time the obligation was passed to another agency: when, from and to which "
            "agency, the reason, the previous and the new due moment. In CSV: "
            '"when from -> to", separated by " ; ".'
        ),
    ),
    Field(
        "first_response_at",
        "datetime",
        _("The first response (an acknowledgement or the answer itself); empty if none."),
    ),
    Field("answered_at", "datetime", _("The final answer; empty while unanswered.")),
    Field("withdrawn_at", "datetime", _("When the duty ended without an answer; empty if not.")),
    Field(
        "waiting_since",
        "datetime",
        _("Since when the agency waits on the citizen (the clock is stopped); empty if not."),
    ),
    Field("status", "string", _("The status at the time of the download (see below).")),
    Field(
        "days_to_answer",
        "integer",
        _("Working days from the opening day to the answer day; empty while unanswered."),
    ),
    Field(
        "response_days",
        "integer",
        _(
            "Working days to the first response, without the days spent waiting on the "
            "citizen; empty until the first response."
        ),
    ),
    Field(
        "answer_days",
        "integer",
        _(
            "Working days to the final answer, without the days spent waiting on the "
            "citizen; empty while unanswered."
        ),
    ),
    Field(
        "waited_days", "integer", _("Working days the clock stood while waiting on the citizen.")
    ),
    Field("outcome", "string", _("The outcome the module recorded with the answer, as a key.")),
    Field(
        "rating",
        "string",
        _(
            "The citizen's rating of the answer: satisfied, not_satisfied or brush_off; "
            "empty if none."
        ),
    ),
    Field("rated_at", "datetime", _("When the citizen rated the answer; empty if not rated.")),
]
OBLIGATION_COLUMNS = [field.name for field in OBLIGATION_FIELDS]

RATE_NAMES = ("on_time", "satisfied", "brush_off")
RATE_MEANINGS: dict[str, Promise] = {
    "on_time": _("answered on time, of the answered"),
    "satisfied": _("rated satisfied, of the rated answers"),
    "brush_off": _("rated a formal brush-off, of the rated answers"),
}


def _rate_fields(name: str) -> list[Field]:
    share = RATE_MEANINGS[name]
    return [
        Field(f"{name}_numerator", "integer", _("Share %(share)s: the count.") % {"share": share}),
        Field(
            f"{name}_denominator",
            "integer",
            _("Share %(share)s: the count it is a share of.") % {"share": share},
        ),
        Field(
            f"{name}_value",
            "number",
            _("Share %(share)s, from 0 to 1; empty when too few to judge.") % {"share": share},
        ),
        Field(
            f"{name}_low",
            "number",
            # xgettext:no-python-format
            _("The lower end of its 95% confidence interval (Wilson); empty when too few."),
        ),
        Field(
            f"{name}_high",
            "number",
            # xgettext:no-python-format
            _("The upper end of its 95% confidence interval (Wilson); empty when too few."),
        ),
        Field(
            f"{name}_too_few",
            "boolean",
            _("True when the count it is a share of is below the minimum sample."),
        ),
    ]


SCORECARD_FIELDS_HEAD: list[Field] = [
    Field("period", "string", _("The period: 2026-05 (a month), 2026-Q2, 2026, or a range.")),
    Field("period_start", "date", _("The first day of the period (Astana date).")),
    Field("period_end", "date", _("The last day of the period, included.")),
    Field("agency", "string", _("The agency (its short name).")),
    Field("agency_name_kk", "string", _("The agency's name in Kazakh.")),
    Field("agency_name_ru", "string", _("The agency's name in Russian.")),
    Field("agency_name_en", "string", _("The agency's name in English (may be empty).")),
    Field("kind", "string", _("The kind of obligation; empty on the row of all kinds together.")),
    Field("kind_label", "string", _("The kind in words, in the language of the request.")),
    Field("received", "integer", _("Obligations opened in the period (the cohort).")),
    Field("answered", "integer", _("Of them, answered (finally) by now.")),
    Field("answered_on_time", "integer", _("Answered by their due moment.")),
    Field("answered_late", "integer", _("Answered after their due moment.")),
    Field(
        "open", "integer", _("Still open now and not overdue (waiting on the citizen included).")
    ),
    Field("overdue_now", "integer", _("Still open now and past their due moment.")),
    Field("withdrawn", "integer", _("Ended without an answer (withdrawn or rejected).")),
]
SCORECARD_FIELDS_TAIL: list[Field] = [
    Field(
        "response_median",
        "number",
        _("Median working days to the first response (waiting excluded); empty when too few."),
    ),
    Field("response_p90", "number", _("90th percentile of the same; empty when too few.")),
    Field(
        "answer_median",
        "number",
        _("Median working days to the final answer (waiting excluded); empty when too few."),
    ),
    Field("answer_p90", "number", _("90th percentile of the same; empty when too few.")),
    Field("days_too_few", "boolean", _("True when the days above are withheld: too few answers.")),
    Field("rated", "integer", _("Final answers the citizen rated.")),
    Field("redirects_in", "integer", _("Obligations passed to this agency in the period.")),
    Field("redirects_out", "integer", _("Obligations this agency passed on in the period.")),
    Field("extensions", "integer", _("Obligations of the cohort whose period was extended.")),
]


def scorecard_fields() -> list[Field]:
    """The scorecard columns in order (built on call: the rate meanings are formatted)."""
    rates = [field for name in RATE_NAMES for field in _rate_fields(name)]
    return SCORECARD_FIELDS_HEAD + rates + SCORECARD_FIELDS_TAIL


SCORECARD_COLUMNS = (
    [field.name for field in SCORECARD_FIELDS_HEAD]
    + [
        f"{name}_{part}"
        for name in RATE_NAMES
        for part in ("numerator", "denominator", "value", "low", "high", "too_few")
    ]
    + [field.name for field in SCORECARD_FIELDS_TAIL]
)


# --- obligations ----------------------------------------------------------------------------


def obligation_queryset(queryset: QuerySet[Obligation] | None = None) -> QuerySet[Obligation]:
    """What a row needs, joined or prefetched: the agency, the subject (one query per
    subject type), the redirects with their agencies (one query)."""
    queryset = Obligation.objects.all() if queryset is None else queryset
    return queryset.select_related("agency", "content_type").prefetch_related(
        "subject",
        Prefetch(
            "redirects",
            queryset=ObligationRedirect.objects.select_related("from_agency", "to_agency"),
        ),
    )


class DayCounter:
    """Working days between two dates through a running count over the dates seen so far:
    the same numbers as `WorkingCalendar.working_days_between`, at two look-ups a row
    (a download of years of obligations walks each day once, not once per row)."""

    def __init__(self, cal: calendar.WorkingCalendar | None = None) -> None:
        self.cal = cal or calendar.WorkingCalendar()
        self._first: datetime.date | None = None
        self._running: list[int] = []  # working days in [first, first + i]

    def between(self, a: datetime.date, b: datetime.date) -> int:
        if b < a:
            return -self.between(b, a)
        if self._first is None or a < self._first or b > self._last():
            self._rebuild(a, b)
        return self._running[(b - self._first).days] - self._running[(a - self._first).days]

    def _last(self) -> datetime.date:
        return self._first + datetime.timedelta(days=len(self._running) - 1)

    def _rebuild(self, first: datetime.date, last: datetime.date) -> None:
        """Cover [first, last] and what was covered before, growing by at least a year on
        each side that grows: a download rebuilds a handful of times, not once a row."""
        if self._first is not None:
            if first < self._first:
                first = min(first, self._first - datetime.timedelta(days=366))
            else:
                first = self._first
            if last > self._last():
                last = max(last, self._last() + datetime.timedelta(days=366))
            else:
                last = self._last()
        running, count, day = [], 0, first
        while day <= last:
            count += self.cal.is_working_day(day)
            running.append(count)
            day += datetime.timedelta(days=1)
        self._first, self._running = first, running


def _moment(value: datetime.datetime | None) -> str | None:
    """As the API writes it (DRF's ISO 8601): local time with its offset, Z for UTC."""
    if value is None:
        return None
    text = timezone.localtime(value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


@dataclass
class RowContext:
    """What every row of one response shares: the moment, the day counter, the site."""

    now: datetime.datetime
    days: DayCounter
    absolute: Callable[[str], str]
    # The kinds' labels in the language of the request, read once: a streamed body is
    # produced after the view returns, when the request's language may no longer be active.
    labels: dict[str, str]

    @classmethod
    def for_request(cls, request=None, now: datetime.datetime | None = None) -> RowContext:
        base = request.build_absolute_uri("/")[:-1] if request is not None else ""

        def absolute(url: str) -> str:
            return base + url if (url and url.startswith("/")) else url

        return cls(
            now=now or timezone.now(),
            days=DayCounter(),
            absolute=absolute,
            labels={kind.key: str(kind.label) for kind in kinds.all_kinds()},
        )


def obligation_record(obligation: Obligation, context: RowContext) -> dict[str, Any]:
    """One obligation as the API, the JSON Lines and (flattened) the CSV publish it."""
    answered_at = obligation.answered_at
    days_to_answer = (
        context.days.between(
            calendar.local_date(obligation.opened_at), calendar.local_date(answered_at)
        )
        if answered_at
        else None
    )
    return {
        "id": obligation.pk,
        "kind": obligation.kind,
        "kind_label": context.labels.get(obligation.kind, obligation.kind),
        "agency": obligation.agency.slug,
        "subject_title": kinds.title_of(obligation.kind, obligation.subject),
        "subject_url": context.absolute(kinds.url_of(obligation.kind, obligation.subject)),
        "opened_at": _moment(obligation.opened_at),
        "clock_started_at": _moment(obligation.clock_started_at),
        "due_at": _moment(obligation.due_at),
        "original_due_at": _moment(obligation.original_due_at),
        "extended": obligation.extended_due_at is not None,
        "extended_due_at": _moment(obligation.extended_due_at),
        "extended_at": _moment(obligation.extended_at),
        "extension_reason": obligation.extension_reason,
        "redirects": [
            {
                "from_agency": redirect.from_agency.slug,
                "to_agency": redirect.to_agency.slug,
                "at": _moment(redirect.at),
                "reason": redirect.reason,
                "previous_due_at": _moment(redirect.previous_due_at),
                "new_due_at": _moment(redirect.new_due_at),
            }
            for redirect in obligation.redirects.all()
        ],
        "first_response_at": _moment(obligation.first_response_at),
        "answered_at": _moment(answered_at),
        "withdrawn_at": _moment(obligation.withdrawn_at),
        "waiting_since": _moment(obligation.waiting_since),
        "status": obligation.status(context.now),
        "days_to_answer": days_to_answer,
        "response_days": obligation.response_days,
        "answer_days": obligation.answer_days,
        "waited_days": obligation.waited_days,
        "outcome": obligation.outcome,
        "rating": obligation.rating,
        "rated_at": _moment(obligation.rated_at),
    }


def obligation_records(
    queryset: QuerySet[Obligation], context: RowContext
) -> Iterator[dict[str, Any]]:
    """The rows of `queryset` (already `obligation_queryset`), a chunk in memory at a time."""
    for obligation in queryset.iterator(chunk_size=CHUNK_SIZE):
        yield obligation_record(obligation, context)


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return value


class _Echo:
    """A file-like object whose `write` returns the line: csv.writer then yields lines."""

    def write(self, value: str) -> str:
        return value


def csv_lines(columns: list[str], records: Iterable[dict[str, Any]]) -> Iterator[str]:
    """A header (after a byte order mark: spreadsheets then read UTF-8) and one line a row."""
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow(columns)
    for record in records:
        yield writer.writerow([_csv_cell(record[column]) for column in columns])


def obligation_csv_lines(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    def flat(records):
        for record in records:
            record["redirects"] = " ; ".join(
                f"{r['at']} {r['from_agency']} -> {r['to_agency']}" for r in record["redirects"]
            )
            yield record

    return csv_lines(OBLIGATION_COLUMNS, flat(records))


def jsonl_lines(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    """JSON Lines: one JSON object a line, UTF-8, no byte order mark."""
    for record in records:
        yield json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


# --- scorecards -----------------------------------------------------------------------------


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def scorecard_record(card, agency, period) -> dict[str, Any]:
    """One scorecard (`tracking.scorecards.Scorecard`) as a flat row."""
    row: dict[str, Any] = {
        "period": period.key,
        "period_start": period.start.isoformat(),
        "period_end": period.end.isoformat(),
        "agency": agency.slug,
        "agency_name_kk": agency.name_kk,
        "agency_name_ru": agency.name_ru,
        "agency_name_en": agency.name_en,
        "kind": card.kind or "",
        "kind_label": kinds.label_of(card.kind) if card.kind else str(_("All kinds")),
        "received": card.received,
        "answered": card.answered,
        "answered_on_time": card.answered_on_time,
        "answered_late": card.answered_late,
        "open": card.open,
        "overdue_now": card.overdue_now,
        "withdrawn": card.withdrawn,
    }
    for name in RATE_NAMES:
        rate = getattr(card, name)
        row |= {
            f"{name}_numerator": rate.numerator,
            f"{name}_denominator": rate.denominator,
            f"{name}_value": _round(rate.value),
            f"{name}_low": _round(rate.low),
            f"{name}_high": _round(rate.high),
            f"{name}_too_few": rate.too_few,
        }
    row |= {
        "response_median": card.response_median,
        "response_p90": card.response_p90,
        "answer_median": card.answer_median,
        "answer_p90": card.answer_p90,
        "days_too_few": card.days_too_few,
        "rated": card.rated,
        "redirects_in": card.redirects_in,
        "redirects_out": card.redirects_out,
        "extensions": card.extensions,
    }
    return row


def scorecard_records(period, *, kind: str | None = None, now=None) -> list[dict[str, Any]]:
    """One row per agency × kind: with `kind`, that kind's rows; without, each agency's
    row of all kinds together, then one per kind it had. Agencies in name order. A list,
    built before the response starts (a few thousand rows at most, and the labels are
    then in the request's language).

    Costs `scorecards.comparison`'s queries once per kind (and once for all kinds), plus
    one for the agencies: bounded by the number of registered kinds, not of obligations."""
    from accounts.models import Agency

    from . import scorecards

    now = now or timezone.now()
    keys: list[str | None] = [kind] if kind else [None] + [k.key for k in kinds.all_kinds()]
    by_kind = {key: scorecards.comparison(period, kind=key, now=now) for key in keys}
    agency_ids = {card.agency_id for cards in by_kind.values() for card in cards}
    agencies = Agency.objects.in_bulk(agency_ids)
    rows: dict[int, list] = {}
    for key in keys:
        for card in by_kind[key]:
            rows.setdefault(card.agency_id, []).append(card)
    # Keep comparison()'s agency order: the first list's order, then any agency seen only
    # in a later kind's list.
    order = dict.fromkeys(card.agency_id for key in keys for card in by_kind[key])
    return [
        scorecard_record(card, agencies[agency_id], period)
        for agency_id in order
        for card in rows[agency_id]
    ]
