"""Deadline rules: how long an agency has, as small value objects.

`rule.due_date(start_date)` gives the due date; `rule.due_from(start)` the aware datetime
stored on an obligation: the end of that day in Kazakhstan (Asia/Almaty). A period starts
on the day after the event, whatever the hour of the event (APC's convention).
"""

from __future__ import annotations

import calendar as pycalendar
import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import calendar


class DeadlineRule:
    def due_date(
        self, start: datetime.date, cal: calendar.WorkingCalendar | None = None
    ) -> datetime.date:
        raise NotImplementedError

    def due_from(
        self, start: datetime.datetime, cal: calendar.WorkingCalendar | None = None
    ) -> datetime.datetime:
        return calendar.end_of_day(self.due_date(calendar.local_date(start), cal))

    @property
    def label(self) -> str:
        raise NotImplementedError

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class WorkingDays(DeadlineRule):
    days: int

    def due_date(self, start, cal=None):
        return (cal or calendar.WorkingCalendar()).add_working_days(start, self.days)

    @property
    def label(self) -> str:
        return ngettext("%(count)d working day", "%(count)d working days", self.days) % {
            "count": self.days
        }


@dataclass(frozen=True)
class CalendarDays(DeadlineRule):
    days: int

    def due_date(self, start, cal=None):
        return start + datetime.timedelta(days=self.days)

    @property
    def label(self) -> str:
        return ngettext("%(count)d calendar day", "%(count)d calendar days", self.days) % {
            "count": self.days
        }


@dataclass(frozen=True)
class CalendarMonths(DeadlineRule):
    """The same day number `months` later (the last day of a shorter month).

    2026-01-31 + 1 month is 2026-02-28. Weekends and holidays do not move it: this is
    used as a cap ("at most two months"), not as a period to count working days in.
    """

    months: int

    def due_date(self, start, cal=None):
        month_index = start.month - 1 + self.months
        year, month = start.year + month_index // 12, month_index % 12 + 1
        day = min(start.day, pycalendar.monthrange(year, month)[1])
        return datetime.date(year, month, day)

    @property
    def label(self) -> str:
        return ngettext("%(count)d month", "%(count)d months", self.months) % {"count": self.months}


def calculator_rules() -> list[tuple[str, DeadlineRule, str]]:
    """(key, rule, what it is for) offered by the public deadline calculator."""
    return [
        ("wd15", WorkingDays(15), _("a citizen's question or appeal (APC, art. 76)")),
        ("wd3", WorkingDays(3), _("redirecting an appeal, or telling of an extension")),
        ("wd10", WorkingDays(10), _("public discussion of a by-law on public services")),
        ("wd20", WorkingDays(20), _("moderating a petition, or a local body's response")),
        ("wd40", WorkingDays(40), _("a central body's response to a petition")),
        ("m2", CalendarMonths(2), _("the longest extension of an answer")),
    ]
