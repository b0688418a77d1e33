"""The GET forms of the tracking pages: a period picker, the comparison's sort, and the
obligation filters (the same semantics as `/api/v1/obligations/`, so the CSV link of a
filtered list gives the same rows)."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django import forms
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency

from . import calendar, kinds
from .forms import EARLIEST, LATEST
from .models import Obligation
from .scorecards import Period, PeriodError

DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]
BAD_DATE = _("Enter a real date, for example 2026-03-18 or 18.03.2026.")


class DateInput(forms.DateInput):
    input_type = "date"


def _date_field(label) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=DateInput(format="%Y-%m-%d"),
        input_formats=DATE_FORMATS,
        error_messages={"invalid": BAD_DATE},
    )


def _in_range(value: datetime.date | None) -> datetime.date | None:
    if value is not None and not EARLIEST <= value <= LATEST:
        raise forms.ValidationError(
            _("Choose a date between %(first)s and %(last)s."),
            params={"first": EARLIEST.isoformat(), "last": LATEST.isoformat()},
        )
    return value


def kind_choices(empty_label) -> list[tuple[str, str]]:
    return [("", empty_label), *((kind.key, str(kind.label)) for kind in kinds.all_kinds())]


def agency_choices(empty_label) -> list[tuple[str, str]]:
    """Every agency (abolished ones too: their obligations stay), by name in the active
    language; one query."""
    agencies = Agency.objects.only("slug", "name_kk", "name_ru", "name_en")
    named = sorted(((str(a.name), a.slug) for a in agencies), key=lambda p: p[0].casefold())
    return [("", empty_label), *((slug, name) for name, slug in named)]


class _Form(forms.Form):
    """Labels without a colour suffix; ids prefixed so two forms never share one."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("auto_id", "f-%s")
        super().__init__(*args, **kwargs)


# --- The period picker ------------------------------------------------------------------


class PeriodForm(_Form):
    """`?period=<key>&kind=<key>`, or the picker's fields (`unit`, `year`, `month`,
    `quarter`, `start`, `end`), which the view turns into the canonical `period` key and
    redirects to, so what is bookmarked is short and the same for everyone. Always bound:
    no period means the current quarter."""

    UNITS = [
        ("month", _("Month")),
        ("quarter", _("Quarter")),
        ("year", _("Year")),
        ("custom", _("Custom range")),
    ]

    period = forms.CharField(label=_("Period"), required=False, max_length=40)
    unit = forms.ChoiceField(
        label=_("Period"),
        choices=UNITS,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose a month, a quarter, a year or a range.")},
    )
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=EARLIEST.year,
        max_value=LATEST.year,
        error_messages={
            "invalid": _("Enter a year, for example 2026."),
            "min_value": _("Enter a year between 2000 and 2100."),
            "max_value": _("Enter a year between 2000 and 2100."),
        },
    )
    month = forms.TypedChoiceField(
        label=_("Month"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[(number, name) for number, name in MONTHS.items()],
        error_messages={"invalid_choice": _("Choose a month.")},
    )
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[(n, f"Q{n}") for n in range(1, 5)],
        error_messages={"invalid_choice": _("Choose a quarter.")},
    )
    start = _date_field(_("First day"))
    end = _date_field(_("Last day"))
    kind = forms.ChoiceField(
        label=_("Kind of obligation"),
        required=False,
        error_messages={"invalid_choice": _("Choose a kind from the list.")},
    )

    def __init__(self, data, *, today: datetime.date | None = None, **kwargs) -> None:
        super().__init__(data, **kwargs)
        self.today = today or calendar.local_date()
        self.fields["kind"].choices = kind_choices(_("All kinds"))
        self.resolved: Period | None = None

    @property
    def from_picker(self) -> bool:
        return bool(self.data.get("unit"))

    def clean_start(self):
        return _in_range(self.cleaned_data.get("start"))

    def clean_end(self):
        return _in_range(self.cleaned_data.get("end"))

    def clean(self):
        data = super().clean()
        unit = data.get("unit")
        if self.from_picker:
            if unit:
                self.resolved = self._from_picker(unit, data)
        else:
            try:
                self.resolved = Period.parse(data.get("period") or "", today=self.today)
            except PeriodError as error:
                self.add_error("period", str(error))
        return data

    def _from_picker(self, unit: str, data: dict) -> Period | None:
        year = data.get("year")
        if unit in ("month", "quarter", "year") and year is None:
            if "year" not in self.errors:
                self.add_error("year", _("Enter the year."))
            return None
        if unit == "month":
            if data.get("month") is None:
                if "month" not in self.errors:
                    self.add_error("month", _("Choose a month."))
                return None
            key, field = f"{year:04d}-{data['month']:02d}", "month"
        elif unit == "quarter":
            if data.get("quarter") is None:
                if "quarter" not in self.errors:
                    self.add_error("quarter", _("Choose a quarter."))
                return None
            key, field = f"{year:04d}-Q{data['quarter']}", "quarter"
        elif unit == "year":
            key, field = f"{year:04d}", "year"
        else:
            start, end = data.get("start"), data.get("end")
            for name, value, message in (
                ("start", start, _("Enter the first day.")),
                ("end", end, _("Enter the last day.")),
            ):
                if value is None and name not in self.errors:
                    self.add_error(name, message)
            if start is None or end is None:
                return None
            if end < start:
                self.add_error("end", _("The last day cannot be before the first."))
                return None
            key, field = f"{start.isoformat()}..{end.isoformat()}", "end"
        try:
            return Period.parse(key, today=self.today)
        except PeriodError as error:
            self.add_error(field, str(error))
            return None

    def picker(self) -> dict:
        """The values the picker shows: what was typed when it has errors, else those
        of the resolved period (or of the current quarter)."""
        if self.from_picker:
            return {
                name: self.data.get(name, "")
                for name in ("unit", "year", "month", "quarter", "start", "end")
            }
        period = self.resolved or Period.parse("", today=self.today)
        return {
            "unit": period.granularity,
            "year": str(period.start.year),
            "month": str(period.start.month),
            "quarter": str((period.start.month - 1) // 3 + 1),
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        }

    def query(self, **extra) -> dict:
        """The canonical query: `period`, and `kind` when chosen, plus `extra`."""
        query = {"period": self.resolved.key if self.resolved else ""}
        if self.is_valid() and self.cleaned_data.get("kind"):
            query["kind"] = self.cleaned_data["kind"]
        query.update({k: v for k, v in extra.items() if v})
        return query


# --- The comparison ---------------------------------------------------------------------

SORTS = [
    "name",
    "received",
    "answered",
    "on_time",
    "overdue_now",
    "open",
    "answer_median",
    "satisfied",
    "brush_off",
]


class ComparisonForm(PeriodForm):
    """The period picker, plus `sort` (a column) and `dir` (`asc`, `desc`)."""

    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[(key, key) for key in SORTS],
        error_messages={"invalid_choice": _("Sort by one of the table's columns.")},
    )
    dir = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[("asc", _("Ascending")), ("desc", _("Descending"))],
        error_messages={"invalid_choice": _("Choose ascending or descending order.")},
    )

    def sorting(self) -> tuple[str, str]:
        if not self.is_valid():
            return "name", "asc"
        return self.cleaned_data["sort"] or "name", self.cleaned_data["dir"] or "asc"


# --- Obligation lists -------------------------------------------------------------------


class ObligationFilterForm(_Form):
    """`agency`, `kind`, `status`, `opened_after`, `opened_before`: the API's filters
    (`tracking/api.py`), with the page's messages."""

    agency = forms.ChoiceField(
        label=_("Agency"),
        required=False,
        error_messages={"invalid_choice": _("Choose an agency from the list.")},
    )
    kind = forms.ChoiceField(
        label=_("Kind of obligation"),
        required=False,
        error_messages={"invalid_choice": _("Choose a kind from the list.")},
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        error_messages={"invalid_choice": _("Choose a status from the list.")},
    )
    opened_after = _date_field(_("Opened on or after"))
    opened_before = _date_field(_("Opened on or before"))

    FIELDS = ("agency", "kind", "status", "opened_after", "opened_before")

    def __init__(self, data, **kwargs) -> None:
        super().__init__(data, **kwargs)
        self.fields["agency"].choices = agency_choices(_("All agencies"))
        self.fields["kind"].choices = kind_choices(_("All kinds"))
        self.fields["status"].choices = [("", _("Any status")), *Obligation.Status.choices]

    def clean_opened_after(self):
        return _in_range(self.cleaned_data.get("opened_after"))

    def clean_opened_before(self):
        return _in_range(self.cleaned_data.get("opened_before"))

    def clean(self):
        data = super().clean()
        after, before = data.get("opened_after"), data.get("opened_before")
        if after and before and before < after:
            self.add_error("opened_before", _("The last day cannot be before the first."))
        return data

    def filter(self, queryset, *, now: datetime.datetime):
        """The rows `/api/v1/obligations/?<the same query>` lists (call when valid)."""
        data = self.cleaned_data
        return queryset.filtered(
            agency=data.get("agency") or "",
            kind=data.get("kind") or "",
            status=data.get("status") or "",
            opened_after=data.get("opened_after"),
            opened_before=data.get("opened_before"),
            now=now,
        )

    def querystring(self, *names: str) -> str:
        """The valid filters (all, or `names`) as a query string, for links."""
        if not self.is_valid():
            return ""
        names = names or self.FIELDS
        return urlencode({n: self.data.get(n) for n in names if self.data.get(n)})


class OverdueForm(ObligationFilterForm):
    """`agency`, `kind` and `days`: what became overdue in the last `days` days."""

    DEFAULT_DAYS = 30
    FIELDS = ("agency", "kind", "days")

    days = forms.IntegerField(
        label=_("In the last … days"),
        required=False,
        min_value=1,
        max_value=366,
        error_messages={
            "invalid": _("Enter a whole number of days between 1 and 366."),
            "min_value": _("Enter a whole number of days between 1 and 366."),
            "max_value": _("Enter a whole number of days between 1 and 366."),
        },
    )

    def __init__(self, data, **kwargs) -> None:
        super().__init__(data, **kwargs)
        for name in ("status", "opened_after", "opened_before"):
            del self.fields[name]

    def clean(self):
        return forms.Form.clean(self)

    def days_value(self) -> int:
        if self.is_valid() and self.cleaned_data.get("days"):
            return self.cleaned_data["days"]
        return self.DEFAULT_DAYS
