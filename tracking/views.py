from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import calendar
from .forms import DeadlineCalculatorForm


def deadline_calculator(request: HttpRequest) -> HttpResponse:
    """A GET form, so a result can be bookmarked and shared, and works without JavaScript."""
    form = DeadlineCalculatorForm(request.GET or None)
    result = None
    if form.is_valid():
        start = form.cleaned_data["start"]
        rule = form.rules[form.cleaned_data["rule"]]
        cal = calendar.WorkingCalendar()
        due = rule.due_date(start, cal)
        result = {
            "start": start,
            "rule": rule,
            "due": due,
            "calendar_days": (due - start).days,
            "working_days": cal.working_days_between(start, due),
            "skipped": cal.skipped_days(start, due),
        }
    return render(
        request,
        "tracking/deadline_calculator.html",
        {"form": form, "result": result},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )
