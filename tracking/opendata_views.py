"""The data page (`/<lang>/open-data/`): what can be downloaded, what every field means, the
statuses, the deadline rules and the calendar behind them, and the licence.

The field tables come from `tracking/exports.py`, the lists the downloads are written
from, and the rules from the kinds' registrations: the page cannot describe a column the
files do not have, or miss one they do.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import calendar, deadlines, exports, kinds, scorecards
from .models import CalendarDay, Obligation

STATUS_MEANINGS = {
    Obligation.Status.OPEN: _("Not answered yet, and the due moment has not passed."),
    Obligation.Status.WAITING: _(
        "Not answered yet; the agency waits on the citizen (for a document, say) and the "
        "clock stands until the citizen replies."
    ),
    Obligation.Status.OVERDUE: _("Not answered, the clock running, and the due moment passed."),
    Obligation.Status.ANSWERED_ON_TIME: _("The final answer came by the due moment."),
    Obligation.Status.ANSWERED_LATE: _("The final answer came after the due moment."),
    Obligation.Status.WITHDRAWN: _(
        "Ended without an answer: the question was withdrawn or rejected, for example."
    ),
}

LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


def open_data(request: HttpRequest) -> HttpResponse:
    today = calendar.local_date()
    period = scorecards.Period.parse("")

    def api(name: str, fmt: str | None = None, **query) -> str:
        url = reverse(name, kwargs={"format": fmt} if fmt else None)
        if query:
            url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
        return url

    exceptions = CalendarDay.objects.filter(
        date__gte=datetime.date(today.year, 1, 1), date__lte=datetime.date(today.year + 1, 12, 31)
    ).order_by("date")
    context = {
        "obligation_fields": exports.OBLIGATION_FIELDS,
        "scorecard_fields": exports.scorecard_fields(),
        "types": exports.TYPES,
        "statuses": [
            (status.value, status.label, STATUS_MEANINGS[status]) for status in Obligation.Status
        ],
        "ratings": Obligation.Rating.choices,
        "kinds": kinds.all_kinds(),
        "rules": deadlines.calculator_rules(),
        "calendar_exceptions": exceptions,
        "period": period,
        "downloads": {
            "obligations_csv": api("obligation-export", "csv"),
            "obligations_jsonl": api("obligation-export", "jsonl"),
            "scorecards_csv": api("scorecard-export", "csv", period=period.key),
            "scorecards_jsonl": api("scorecard-export", "jsonl", period=period.key),
            "obligations_api": api("obligation-list"),
            "scorecards_api": api("scorecard-list"),
            "schema": reverse("schema"),
            "docs": reverse("api_docs"),
        },
        "feed": reverse("tracking:overdue_feed"),
        "agency_feed_pattern": reverse("tracking:agency_overdue_feed", args=["slug"]).replace(
            "/slug/", "/{slug}/"
        ),
        "licence_url": LICENCE_URL,
        "min_sample": settings.TRACKING_MIN_SAMPLE,
        "site_url": request.build_absolute_uri("/"),
    }
    return render(request, "tracking/data.html", context)
