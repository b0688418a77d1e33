"""Kazakhstan's working-day calendar.

A day is a working day unless it is a Saturday or Sunday, a public holiday or an observed
(transferred) day off — both from the `holidays` package — or an extra day off declared by
the government. The government also moves working days every year: a Saturday (or
Sunday) can become a working day. Those decisions are kept as `CalendarDay` rows that
editors maintain in the admin, and they win over everything else. Weekend working days
that the package already knows (`weekend_workdays`) count as working days too.

Counting follows the Administrative Procedural Code's convention: a period of N working
days starts on the day after the event, and ends at the end of the N-th working day.

Dates here are plain `date`s in Kazakhstan's time (TIME_ZONE, Asia/Almaty).
`end_of_day()` and `local_date()` convert to and from the aware datetimes stored on
obligations: a due date is due until 23:59:59.999999 local time that day.

Cost: the `CalendarDay` overrides of one year are read with one query and kept in the
cache (invalidated when a row is saved or deleted). A `WorkingCalendar` instance also
keeps what it has read, so a long computation reads the cache once per year.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from ashyq.i18n import active_language

COUNTRY = "KZ"
CACHE_KEY = "tracking:calendar-overrides:v2:{year}"
CACHE_SECONDS = 24 * 3600
SATURDAY, SUNDAY = 5, 6

# The package's Kazakh and English names are used as they are; for other interface
# languages (Russian) its English names are translated through our own catalogue.
PACKAGE_LANGUAGES = {"kk": "kk", "en": "en_US"}
HOLIDAY_NAMES = {
    "New Year's Day": pgettext_lazy("holiday", "New Year's Day"),
    "Orthodox Christmas": pgettext_lazy("holiday", "Orthodox Christmas"),
    "International Women's Day": pgettext_lazy("holiday", "International Women's Day"),
    "Nowruz Holiday": pgettext_lazy("holiday", "Nauryz"),
    "Kazakhstan's People Solidarity Holiday": pgettext_lazy(
        "holiday", "Kazakhstan People's Unity Day"
    ),
    "Defender of the Fatherland Day": pgettext_lazy("holiday", "Defender of the Fatherland Day"),
    "Victory Day": pgettext_lazy("holiday", "Victory Day"),
    "Eid al-Adha": pgettext_lazy("holiday", "Kurban Ait"),
    "Capital Day": pgettext_lazy("holiday", "Capital Day"),
    "Constitution Day": pgettext_lazy("holiday", "Constitution Day"),
    "Republic Day": pgettext_lazy("holiday", "Republic Day"),
    "Independence Day": pgettext_lazy("holiday", "Independence Day"),
    "Day off": pgettext_lazy("holiday", "Day off"),
}


def tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local_date(moment: datetime.datetime | None = None) -> datetime.date:
    """The calendar date in Kazakhstan of an aware datetime (now by default)."""
    return timezone.localtime(moment or timezone.now(), tz()).date()


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The last instant of `day` in Kazakhstan: what "due on `day`" means."""
    return datetime.datetime.combine(day, datetime.time.max, tzinfo=tz())


@functools.lru_cache(maxsize=64)
def _package_holidays(year: int, language: str) -> holidays.HolidayBase:
    return holidays.country_holidays(COUNTRY, years=year, language=language)


def public_holidays(year: int) -> dict[datetime.date, str]:
    """The package's public holidays and observed days off of `year`, with English names."""
    return dict(_package_holidays(year, "en_US"))


def holiday_name(day: datetime.date, lang: str | None = None) -> str:
    """The name of the public holiday on `day` in `lang` (the active language by default)."""
    lang = lang or active_language()
    if lang in PACKAGE_LANGUAGES:
        return _package_holidays(day.year, PACKAGE_LANGUAGES[lang]).get(day, "")
    return _translate_english_name(_package_holidays(day.year, "en_US").get(day, ""))


def _translate_english_name(name: str) -> str:
    """ "Nowruz Holiday (observed)" -> "Наурыз (перенесённый выходной)" via our catalogue."""
    if not name:
        return ""
    base, _sep, suffix = name.partition(" (")
    translated = str(HOLIDAY_NAMES.get(base, base))
    suffix = suffix.rstrip(")")
    if suffix == "observed":
        return _("%(holiday)s (day off moved)") % {"holiday": translated}
    if suffix == "estimated":
        return _("%(holiday)s (expected date)") % {"holiday": translated}
    if base == "Day off":
        return translated
    return f"{translated} ({suffix})" if suffix else translated


def _load_overrides(year: int) -> dict[datetime.date, str]:
    """{date: kind} of the CalendarDay rows of `year`: one query, then the cache."""
    key = CACHE_KEY.format(year=year)
    cached = cache.get(key)
    if cached is not None:
        return cached
    from .models import CalendarDay

    overrides = dict(CalendarDay.objects.filter(date__year=year).values_list("date", "kind"))
    cache.set(key, overrides, CACHE_SECONDS)
    return overrides


def invalidate(year: int) -> None:
    cache.delete(CACHE_KEY.format(year=year))


@dataclass(frozen=True)
class SkippedDay:
    """A day a period did not count, and why (for the deadline calculator)."""

    date: datetime.date
    reason: str  # "weekend" | "holiday" | "extra_day_off"
    name: str

    @property
    def reason_label(self) -> str:
        return {
            "weekend": _("Weekend"),
            "holiday": _("Public holiday"),
            "extra_day_off": _("Extra day off"),
        }[self.reason]


class WorkingCalendar:
    """The calendar, reading each year's overrides at most once per instance."""

    def __init__(self) -> None:
        self._overrides: dict[int, dict[datetime.date, str]] = {}

    def override(self, day: datetime.date) -> str | None:
        if day.year not in self._overrides:
            self._overrides[day.year] = _load_overrides(day.year)
        return self._overrides[day.year].get(day)

    def is_working_day(self, day: datetime.date) -> bool:
        from .models import CalendarDay

        kind = self.override(day)
        if kind == CalendarDay.Kind.DAY_OFF:
            return False
        if kind == CalendarDay.Kind.WORKING_DAY:
            return True
        package = _package_holidays(day.year, "en_US")
        if day in package:
            return False
        if day.weekday() in (SATURDAY, SUNDAY):
            return day in package.weekend_workdays
        return True

    def add_working_days(self, start: datetime.date, n: int) -> datetime.date:
        """The n-th working day after `start` (`start` itself is not counted).

        With n == 0, `start` itself if it is a working day, else the next working day.
        """
        if n < 0:
            raise ValueError("n must not be negative")
        if n == 0:
            day = start
            while not self.is_working_day(day):
                day += datetime.timedelta(days=1)
            return day
        day, counted = start, 0
        while counted < n:
            day += datetime.timedelta(days=1)
            counted += self.is_working_day(day)
        return day

    def working_days_between(self, a: datetime.date, b: datetime.date) -> int:
        """Working days in (a, b]: after `a`, up to and including `b`. Negative if b < a.

        So `working_days_between(d, add_working_days(d, n)) == n`.
        """
        if b < a:
            return -self.working_days_between(b, a)
        count = 0
        day = a + datetime.timedelta(days=1)
        while day <= b:
            count += self.is_working_day(day)
            day += datetime.timedelta(days=1)
        return count

    def working_days_between_many(
        self, pairs: Iterable[tuple[datetime.date, datetime.date]]
    ) -> list[int]:
        """`working_days_between` for many pairs at once (statistics over thousands of
        answers): one walk over the dates they span, then a subtraction per pair."""
        pairs = list(pairs)
        if not pairs:
            return []
        first = min(min(pair) for pair in pairs)
        last = max(max(pair) for pair in pairs)
        running: dict[datetime.date, int] = {}
        count = 0
        day = first
        while day <= last:
            count += self.is_working_day(day)
            running[day] = count  # working days in [first, day]
            day += datetime.timedelta(days=1)
        return [running[b] - running[a] for a, b in pairs]

    def skipped_days(self, a: datetime.date, b: datetime.date) -> list[SkippedDay]:
        """The days in (a, b] that were not counted, each with its reason."""
        found = []
        day = a + datetime.timedelta(days=1)
        extra_names = self._extra_day_off_names(a, b)
        while day <= b:
            if not self.is_working_day(day):
                if day in extra_names:
                    found.append(SkippedDay(day, "extra_day_off", extra_names[day]))
                else:
                    name = holiday_name(day)
                    found.append(SkippedDay(day, "holiday" if name else "weekend", name))
            day += datetime.timedelta(days=1)
        return found

    def _extra_day_off_names(self, a: datetime.date, b: datetime.date) -> dict[datetime.date, str]:
        from .models import CalendarDay

        years = range(a.year, b.year + 1)
        if not any(
            kind == CalendarDay.Kind.DAY_OFF
            for year in years
            for kind in (self._overrides.get(year) or _load_overrides(year)).values()
        ):
            return {}
        rows = CalendarDay.objects.filter(date__gt=a, date__lte=b, kind=CalendarDay.Kind.DAY_OFF)
        return {row.date: row.reason for row in rows}


def is_working_day(day: datetime.date) -> bool:
    return WorkingCalendar().is_working_day(day)


def add_working_days(start: datetime.date, n: int) -> datetime.date:
    return WorkingCalendar().add_working_days(start, n)


def working_days_between(a: datetime.date, b: datetime.date) -> int:
    return WorkingCalendar().working_days_between(a, b)


def skipped_days(a: datetime.date, b: datetime.date) -> list[SkippedDay]:
    return WorkingCalendar().skipped_days(a, b)
