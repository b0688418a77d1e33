"""The working-day calendar against dates checked by hand on the 2025-2026 calendars."""

from __future__ import annotations

import datetime

import pytest
from django.utils.translation import override

from tracking import calendar
from tracking.calendar import WorkingCalendar
from tracking.deadlines import CalendarDays, CalendarMonths, WorkingDays
from tracking.models import CalendarDay

from .conftest import ALMATY, at

D = datetime.date
pytestmark = pytest.mark.django_db


def test_question_published_before_nauryz_is_due_on_13_april_2026():
    # Wed 18 March. Counted: Thu 19, Fri 20 (2); Sat 21 - Wed 25 are Nauryz and its moved
    # days off; Thu 26, Fri 27 (4); 30, 31 March, 1-3 April (9); 6-10 April (14);
    # Mon 13 April is the 15th working day.
    assert calendar.add_working_days(D(2026, 3, 18), 15) == D(2026, 4, 13)
    assert calendar.working_days_between(D(2026, 3, 18), D(2026, 4, 13)) == 15


def test_nauryz_days_are_not_working_days():
    for day in range(21, 26):
        assert not calendar.is_working_day(D(2026, 3, day)), day
    assert calendar.is_working_day(D(2026, 3, 20))
    assert calendar.is_working_day(D(2026, 3, 26))


def test_new_year_and_orthodox_christmas():
    # 1-2 January are holidays, 3-4 a weekend, 7 January Orthodox Christmas.
    assert calendar.add_working_days(D(2025, 12, 31), 1) == D(2026, 1, 5)
    assert calendar.add_working_days(D(2025, 12, 31), 5) == D(2026, 1, 12)
    assert calendar.working_days_between(D(2025, 12, 31), D(2026, 1, 12)) == 5


def test_weekend_working_day_known_to_the_package():
    # Sunday 5 January 2025 was a working day (its day off was moved to Friday 3 January).
    assert calendar.is_working_day(D(2025, 1, 5))
    assert not calendar.is_working_day(D(2025, 1, 3))
    assert not calendar.is_working_day(D(2025, 1, 4))


def test_transferred_working_saturday_shortens_the_period():
    CalendarDay.objects.create(
        date=D(2026, 3, 28),
        kind=CalendarDay.Kind.WORKING_DAY,
        reason_kk="Жұмыс күні",
        reason_ru="Рабочий день",
        reason_en="Working Saturday",
    )
    assert calendar.is_working_day(D(2026, 3, 28))
    assert calendar.add_working_days(D(2026, 3, 18), 15) == D(2026, 4, 10)


def test_extra_day_off_lengthens_the_period_and_is_listed_with_its_reason():
    CalendarDay.objects.create(
        date=D(2026, 4, 13),
        kind=CalendarDay.Kind.DAY_OFF,
        reason_kk="Қосымша демалыс",
        reason_ru="Дополнительный выходной",
        reason_en="Extra day off by government decree",
    )
    assert not calendar.is_working_day(D(2026, 4, 13))
    assert calendar.add_working_days(D(2026, 3, 18), 15) == D(2026, 4, 14)
    with override("en"):
        skipped = calendar.skipped_days(D(2026, 3, 18), D(2026, 4, 14))
    extra = [day for day in skipped if day.reason == "extra_day_off"]
    assert [(d.date, d.name) for d in extra] == [
        (D(2026, 4, 13), "Extra day off by government decree")
    ]


def test_an_override_beats_a_public_holiday():
    CalendarDay.objects.create(
        date=D(2026, 3, 25), kind=CalendarDay.Kind.WORKING_DAY, reason_kk="x", reason_ru="x"
    )
    assert calendar.is_working_day(D(2026, 3, 25))


def test_cache_is_invalidated_when_a_day_is_saved_changed_or_deleted():
    assert calendar.add_working_days(D(2026, 3, 18), 15) == D(2026, 4, 13)
    row = CalendarDay.objects.create(
        date=D(2026, 4, 8), kind=CalendarDay.Kind.DAY_OFF, reason_kk="x", reason_ru="x"
    )
    assert calendar.add_working_days(D(2026, 3, 18), 15) == D(2026, 4, 14)
    row.date = D(2027, 4, 8)  # moved to another year: both years are re-read
    row.save()
    assert calendar.add_working_days(D(2026, 3, 18), 15) == D(2026, 4, 13)
    assert not calendar.is_working_day(D(2027, 4, 8))
    row.delete()
    assert calendar.is_working_day(D(2027, 4, 8))


def test_fifteen_working_days_cost_one_query_then_none(django_assert_num_queries):
    with django_assert_num_queries(1):
        calendar.add_working_days(D(2026, 3, 18), 15)
    with django_assert_num_queries(0):
        calendar.add_working_days(D(2026, 3, 18), 15)
    with django_assert_num_queries(1):  # the next year is read once too
        calendar.add_working_days(D(2026, 12, 20), 15)


def test_working_days_between_edges():
    assert calendar.working_days_between(D(2026, 3, 18), D(2026, 3, 18)) == 0
    assert calendar.working_days_between(D(2026, 4, 13), D(2026, 3, 18)) == -15
    # A weekend alone holds no working day.
    assert calendar.working_days_between(D(2026, 4, 3), D(2026, 4, 5)) == 0
    with pytest.raises(ValueError):
        calendar.add_working_days(D(2026, 3, 18), -1)
    assert calendar.add_working_days(D(2026, 3, 21), 0) == D(2026, 3, 26)


def test_skipped_days_name_weekends_and_holidays():
    with override("en"):
        skipped = calendar.skipped_days(D(2026, 3, 18), D(2026, 4, 13))
    assert [(d.date, d.reason) for d in skipped] == [
        (D(2026, 3, 21), "holiday"),
        (D(2026, 3, 22), "holiday"),
        (D(2026, 3, 23), "holiday"),
        (D(2026, 3, 24), "holiday"),
        (D(2026, 3, 25), "holiday"),
        (D(2026, 3, 28), "weekend"),
        (D(2026, 3, 29), "weekend"),
        (D(2026, 4, 4), "weekend"),
        (D(2026, 4, 5), "weekend"),
        (D(2026, 4, 11), "weekend"),
        (D(2026, 4, 12), "weekend"),
    ]
    assert skipped[0].name == "Nowruz Holiday"
    assert skipped[3].name == "Nowruz Holiday (observed)"


def test_holiday_names_follow_the_interface_language():
    day = D(2026, 3, 21)
    assert calendar.holiday_name(day, "kk") == "Наурыз мейрамы"
    assert calendar.holiday_name(day, "en") == "Nowruz Holiday"
    with override("ru"):
        # Russian is not in the package: its English names go through our catalogue.
        from django.utils.translation import gettext, pgettext

        assert calendar.holiday_name(day) == pgettext("holiday", "Nauryz")
        assert calendar.holiday_name(D(2026, 3, 24)) == gettext("%(holiday)s (day off moved)") % {
            "holiday": pgettext("holiday", "Nauryz")
        }
    assert calendar.holiday_name(D(2026, 3, 26), "kk") == ""


def test_deadline_rules():
    assert WorkingDays(15).due_date(D(2026, 3, 18)) == D(2026, 4, 13)
    assert CalendarDays(10).due_date(D(2026, 3, 18)) == D(2026, 3, 28)
    assert CalendarMonths(2).due_date(D(2026, 3, 18)) == D(2026, 5, 18)
    assert CalendarMonths(1).due_date(D(2026, 1, 31)) == D(2026, 2, 28)
    assert CalendarMonths(2).due_date(D(2026, 11, 30)) == D(2027, 1, 30)


def test_due_from_is_the_end_of_the_due_day_in_astana_time():
    due = WorkingDays(15).due_from(at(2026, 3, 18, 23, 30))
    assert due == datetime.datetime(2026, 4, 13, 23, 59, 59, 999999, tzinfo=ALMATY)
    # 20:00 UTC on 18 March is already 19 March in Astana: the period starts a day later.
    utc_evening = datetime.datetime(2026, 3, 18, 20, 0, tzinfo=datetime.UTC)
    assert calendar.local_date(WorkingDays(15).due_from(utc_evening)) == D(2026, 4, 14)


def test_working_calendar_instance_reads_each_year_once(django_assert_num_queries):
    cal = WorkingCalendar()
    with django_assert_num_queries(2):
        cal.working_days_between(D(2025, 12, 1), D(2026, 2, 1))
        cal.working_days_between(D(2025, 12, 1), D(2026, 2, 1))


def test_bulk_delete_refreshes_the_cache():
    CalendarDay.objects.create(
        date=D(2026, 4, 8), kind=CalendarDay.Kind.DAY_OFF, reason_kk="x", reason_ru="x"
    )
    assert not calendar.is_working_day(D(2026, 4, 8))
    CalendarDay.objects.filter(date__year=2026).delete()
    assert calendar.is_working_day(D(2026, 4, 8))


def test_many_pairs_count_as_each_pair_alone():
    import datetime as dt

    from tracking.calendar import WorkingCalendar

    working = WorkingCalendar()
    start = dt.date(2026, 3, 1)  # across Nauryz and the weekends around it
    pairs = [
        (start + dt.timedelta(days=a), start + dt.timedelta(days=b))
        for a in range(0, 40, 3)
        for b in range(0, 40, 7)
    ]
    assert working.working_days_between_many(pairs) == [
        working.working_days_between(a, b) for a, b in pairs
    ]
    assert working.working_days_between_many([]) == []
