"""Scorecards against hand-computed expectations on a fixed ledger, with frozen time.

The ledger (2026, Astana time; "day n" = the n-th working day after Wednesday 1 April:
2 Apr = 1, 3 = 2, 6 = 3, 7 = 4, 8 = 5, 9 = 6, 13 = 8, 22 = 15, 23 = 16, 27 = 18, 28 = 19;
a question opened on 1 April is due on 22 April, 15 working days). `NOW` is Monday 4 May.

Ministry of Justice (A), April cohort:
  questions opened 1 April, answered (working days to answer, rating):
    day 1 S, day 2 S, day 3 S, day 4 S, day 5 S, day 6 S,
    day 8 B (extended to 15 May first), day 15 B (on the due day, 18:00),
    day 16 B (waited 3-8 April = 3 working days, due moved to 27 April; answered on
      28 April, day 19, late: 19 - 3 = 16), day 18 N (acknowledged on day 1; late)
    -> 10 answered, 8 on time; S = satisfied, B = brush-off, N = not satisfied
  a question acknowledged on day 2, never answered: overdue now
  a question waiting on the citizen since 20 April: open, never overdue
  a question opened 29 April, and one at 23:30 on 30 April: open, not overdue
  a question withdrawn on 2 April
  petitions opened 1 April: one answered on day 5, one open (due in June)
  questions X and Y, opened 1 April and redirected: X A->B, B->A, A->B; Y A->B
A outside April: a question opened 16 March (answered the next day), question Z opened
  30 March and redirected A->C on 1 April; a question opened at 00:30 on 1 May.
Ministry of Education (B) now holds X and Y (both overdue). Akimat (C) only received Z.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests.factories import AgencyFactory
from tracking.models import Obligation, ObligationRedirect
from tracking.scorecards import (
    Period,
    PeriodError,
    agency_scorecard,
    comparison,
    percentile,
    trend,
    wilson,
)
from tracking.services import (
    obligation_acknowledge,
    obligation_extend,
    obligation_fulfil,
    obligation_open,
    obligation_rate,
    obligation_redirect,
    obligation_resume,
    obligation_wait,
    obligation_withdraw,
)

from .conftest import PETITION, QUESTION, at

D = datetime.date
NOW = at(2026, 5, 4, 12)
APRIL = Period.month(2026, 4)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


def act(moment, service, **kwargs):
    with time_machine.travel(moment, tick=False):
        return service(**kwargs)


# --- Periods ----------------------------------------------------------------------------


def test_period_forms_and_labels():
    may = Period.parse("2026-05")
    assert (may.start, may.end, may.granularity, may.key) == (
        D(2026, 5, 1),
        D(2026, 5, 31),
        "month",
        "2026-05",
    )
    assert may.label == "May 2026"
    q1 = Period.parse("2024-Q1")
    assert (q1.start, q1.end, q1.key, q1.label) == (
        D(2024, 1, 1),
        D(2024, 3, 31),
        "2024-Q1",
        "Q1 2024",
    )
    year = Period.parse("2026")
    assert (year.start, year.end, year.key, year.label) == (
        D(2026, 1, 1),
        D(2026, 12, 31),
        "2026",
        "2026",
    )
    custom = Period.parse("2026-01-15..2026-03-31")
    assert (custom.granularity, custom.key) == ("custom", "2026-01-15..2026-03-31")
    assert custom.label == "15 Jan 2026 – 31 Mar 2026"
    assert Period.parse("", today=D(2026, 5, 4)) == Period.quarter(2026, 2)
    with translation.override("ru"):
        assert "2026" in may.label and "Май" in may.label


@pytest.mark.parametrize(
    "value",
    [
        "2026-13",
        "2026-00",
        "2026-Q5",
        "1999",
        "2101-01",
        "2026-02-30..2026-03-01",
        "2026-03-31..2026-03-01",  # end before start
        "2020-01-01..2025-01-01",  # over 5 years
        "last month",
        "2026-5",
    ],
)
def test_bad_periods_are_refused_with_a_message(value):
    with pytest.raises(PeriodError) as error:
        Period.parse(value)
    assert str(error.value)


def test_the_longest_custom_period_is_five_years():
    assert Period.parse("2020-01-01..2024-12-31").end == D(2024, 12, 31)


def test_previous_and_split():
    assert Period.month(2026, 1).previous() == Period.month(2025, 12)
    assert Period.quarter(2026, 1).previous() == Period.quarter(2025, 4)
    assert Period.year(2026).previous() == Period.year(2025)
    custom = Period.parse("2026-03-10..2026-03-19")
    assert custom.previous() == Period.parse("2026-02-28..2026-03-09")  # 10 days before
    assert [part.key for part in Period.quarter(2026, 2).split("month")] == [
        "2026-04",
        "2026-05",
        "2026-06",
    ]
    assert [part.key for part in Period.parse("2026-01-15..2026-04-10").split("month")] == [
        "2026-01-15..2026-01-31",
        "2026-02",
        "2026-03",
        "2026-04-01..2026-04-10",
    ]
    assert [part.key for part in Period.year(2026).split("quarter")] == [
        "2026-Q1",
        "2026-Q2",
        "2026-Q3",
        "2026-Q4",
    ]
    with pytest.raises(PeriodError):
        Period.year(2026).split("week")


# --- Wilson and percentiles ---------------------------------------------------------------


def test_wilson_interval_by_hand():
    # 8/10, z = 1.96: centre = (0.8 + 1.96²/20) / (1 + 1.96²/10) = 0.99208 / 1.38416
    # = 0.71674; half = 1.96 * sqrt(0.8*0.2/10 + 1.96²/400) / 1.38416 = 0.22658
    # -> 0.4902 .. 0.9433.
    rate = wilson(8, 10)
    assert (rate.value, rate.too_few) == (0.8, False)
    assert rate.low == pytest.approx(0.4902, abs=1e-4)
    assert rate.high == pytest.approx(0.9433, abs=1e-4)
    # 0/10: centre = half = 0.19208 / 1.38416 = 0.13877 -> 0 .. 0.2775.
    rate = wilson(0, 10)
    assert rate.low == 0 and rate.high == pytest.approx(0.2775, abs=1e-4)
    # 10/10 mirrors it: 0.7225 .. 1.
    rate = wilson(10, 10)
    assert rate.low == pytest.approx(0.7225, abs=1e-4) and rate.high == pytest.approx(1.0)


def test_too_few_to_judge_below_the_minimum_sample(settings):
    assert wilson(9, 9) == wilson(9, 9, min_sample=10)
    rate = wilson(9, 9)
    assert rate.too_few and (rate.value, rate.low, rate.high) == (None, None, None)
    assert (rate.numerator, rate.denominator) == (9, 9)
    assert wilson(0, 0).too_few
    assert wilson(0, 0, min_sample=0).too_few  # nothing to divide by
    settings.TRACKING_MIN_SAMPLE = 5
    assert not wilson(4, 5).too_few
    assert wilson(4, 4).too_few


def test_percentile_is_percentile_cont():
    assert percentile({1: 1, 2: 1, 3: 1, 4: 1}, 0.5) == 2.5
    # 1..10: h = 9 * 0.9 = 8.1 -> x[8] + 0.1 * (x[9] - x[8]) = 9 + 0.1 = 9.1
    assert percentile(dict.fromkeys(range(1, 11), 1), 0.9) == pytest.approx(9.1)
    assert percentile({5: 3}, 0.9) == 5
    assert percentile({0: 1, 10: 1}, 0.9) == pytest.approx(9.0)
    assert percentile({7: 1}, 0.5) == 7
    assert percentile({}, 0.5) is None
    # Repeated values: 1, 1, 1, 2, 10 -> median x[2] = 1; p90 h = 3.6 -> 2 + 0.6 * 8 = 6.8
    assert percentile({1: 3, 2: 1, 10: 1}, 0.5) == 1
    assert percentile({1: 3, 2: 1, 10: 1}, 0.9) == pytest.approx(6.8)


# --- The fixed ledger ---------------------------------------------------------------------


@pytest.fixture
def agencies(agency_with_staff, other_agency):
    akimat = AgencyFactory(slug="akimat", name_en="Akimat of Almaty")
    return agency_with_staff.agency, other_agency, akimat


@pytest.fixture
def ledger(agencies, subject):
    a, b, c = agencies

    def opened(agency=a, when=at(2026, 4, 1), kind=QUESTION):
        return act(when, obligation_open, subject=subject, agency=agency, kind=kind)

    answers = {  # working days to answer: (answered at, verdict)
        1: (at(2026, 4, 2), "satisfied"),
        2: (at(2026, 4, 3), "satisfied"),
        3: (at(2026, 4, 6), "satisfied"),
        4: (at(2026, 4, 7), "satisfied"),
        5: (at(2026, 4, 8), "satisfied"),
        6: (at(2026, 4, 9), "satisfied"),
        8: (at(2026, 4, 13), "brush_off"),
        15: (at(2026, 4, 22, 18), "brush_off"),
        16: (at(2026, 4, 28), "brush_off"),
        18: (at(2026, 4, 27), "not_satisfied"),
    }
    rows = {}
    for days, (answered_at, verdict) in answers.items():
        row = rows[days] = opened()
        if days == 8:
            act(
                at(2026, 4, 2),
                obligation_extend,
                obligation=row,
                new_due_date=D(2026, 5, 15),
                reason="Archive search",
                actor=None,
            )
        if days == 16:
            act(at(2026, 4, 3), obligation_wait, obligation=row, actor=None, reason="A copy")
            act(at(2026, 4, 8), obligation_resume, obligation=row, actor=None)
        if days == 18:
            act(at(2026, 4, 2), obligation_acknowledge, obligation=row, actor=None)
        act(answered_at, obligation_fulfil, obligation=row, actor=None)
        obligation_rate(obligation=row, verdict=verdict, at=NOW)

    rows["acknowledged"] = opened()
    act(at(2026, 4, 3), obligation_acknowledge, obligation=rows["acknowledged"], actor=None)
    rows["waiting"] = opened()
    act(at(2026, 4, 20), obligation_wait, obligation=rows["waiting"], actor=None, reason="ID")
    rows["late_april"] = opened(when=at(2026, 4, 29))
    rows["last_minute"] = opened(when=at(2026, 4, 30, 23, 30))
    rows["withdrawn"] = opened()
    act(at(2026, 4, 2), obligation_withdraw, obligation=rows["withdrawn"], actor=None, reason="-")
    rows["petition_answered"] = opened(kind=PETITION)
    act(at(2026, 4, 8), obligation_fulfil, obligation=rows["petition_answered"], actor=None)
    rows["petition_open"] = opened(kind=PETITION)

    def redirect(row, when, to):
        act(when, obligation_redirect, obligation=row, to_agency=to, reason="Not ours", actor=None)

    rows["X"] = opened()
    redirect(rows["X"], at(2026, 4, 2), b)
    redirect(rows["X"], at(2026, 4, 3), a)
    redirect(rows["X"], at(2026, 4, 6), b)
    rows["Y"] = opened()
    redirect(rows["Y"], at(2026, 4, 2), b)

    rows["march"] = opened(when=at(2026, 3, 16))
    act(at(2026, 3, 17), obligation_fulfil, obligation=rows["march"], actor=None)
    rows["Z"] = opened(when=at(2026, 3, 30))
    redirect(rows["Z"], at(2026, 4, 1, 11), c)
    rows["may"] = opened(when=at(2026, 5, 1, 0, 30))
    return rows


def test_the_ledger_is_as_described(ledger):
    """The data set itself, so that the expectations below rest on it."""
    days = {
        key: Obligation.objects.values_list("response_days", "answer_days").get(pk=row.pk)
        for key, row in ledger.items()
        if isinstance(key, int)
    }
    assert {key: value[1] for key, value in days.items()} == {key: key for key in days}
    assert days[18] == (1, 18)  # the acknowledgement is the first response, not the answer
    assert Obligation.objects.get(pk=ledger[16].pk).waited_days == 3
    statuses = {
        key: Obligation.objects.get(pk=row.pk).status(NOW)
        for key, row in ledger.items()
        if not isinstance(key, int)
    }
    assert statuses["acknowledged"] == "overdue"
    assert statuses["waiting"] == "waiting"
    assert statuses["X"] == statuses["Y"] == "overdue"


def test_agency_scorecard_by_hand(ledger, agencies):
    a = agencies[0]
    total, per_kind = agency_scorecard(a.pk, APRIL, now=NOW)
    assert [card.kind for card in per_kind] == [PETITION, QUESTION]  # registered order
    question = per_kind[1]
    assert (question.agency_id, question.period) == (a.pk, APRIL)
    assert (
        question.received,
        question.answered,
        question.answered_on_time,
        question.answered_late,
        question.open,
        question.overdue_now,
        question.withdrawn,
        question.waiting_now,
        question.extensions,
    ) == (15, 10, 8, 2, 3, 1, 1, 1, 1)
    # 8/10 on time: 0.4902 .. 0.9433 (test_wilson_interval_by_hand).
    assert question.on_time.value == 0.8
    assert question.on_time.low == pytest.approx(0.4902, abs=1e-4)
    assert question.on_time.high == pytest.approx(0.9433, abs=1e-4)
    # Answer days 1 2 3 4 5 6 8 15 16 18: median (5 + 6) / 2 = 5.5; p90 h = 8.1 ->
    # 16 + 0.1 * (18 - 16) = 16.2. The waited answer counts 16, not 19.
    assert question.answer_median == 5.5
    assert question.answer_p90 == pytest.approx(16.2)
    # Response days 1 1 2 2 3 4 5 6 8 15 16 (the acknowledged ones: 1 and 2):
    # median x[5] = 4; p90 h = 9 -> x[9] = 15.
    assert question.response_median == 4
    assert question.response_p90 == 15
    assert question.responses == 11
    assert not question.days_too_few
    # Ratings: 6 satisfied, 3 brush-offs, 1 not satisfied, of 10.
    # 6/10: centre (0.6 + 0.19208) / 1.38416 = 0.57225, half 1.96 * sqrt(0.024 + 0.009604)
    # / 1.38416 = 0.25958 -> 0.3127 .. 0.8318. 3/10: 0.35551 -+ 0.24772 -> 0.1078 .. 0.6032.
    assert question.rated == 10
    assert (question.satisfied.numerator, question.satisfied.denominator) == (6, 10)
    assert question.satisfied.low == pytest.approx(0.3127, abs=1e-4)
    assert question.satisfied.high == pytest.approx(0.8318, abs=1e-4)
    assert question.brush_off.value == 0.3
    assert question.brush_off.low == pytest.approx(0.1078, abs=1e-4)
    assert question.brush_off.high == pytest.approx(0.6032, abs=1e-4)
    # Redirects in April: out X, Y (to B), Z (to C) once each; in X once (B->A).
    assert (question.redirects_out, question.redirects_in) == (3, 1)

    petition = per_kind[0]
    assert (petition.received, petition.answered, petition.open) == (2, 1, 1)
    assert petition.on_time.too_few and petition.on_time.value is None
    assert petition.days_too_few and petition.answer_median is None
    assert petition.response_p90 is None

    # Total: the petition adds an answer on day 5 (on time) and an open one.
    assert (total.agency_id, total.kind) == (a.pk, None)
    assert (total.received, total.answered, total.answered_on_time, total.answered_late) == (
        17,
        11,
        9,
        2,
    )
    assert (total.open, total.overdue_now, total.withdrawn, total.extensions) == (4, 1, 1, 1)
    assert (total.on_time.numerator, total.on_time.denominator) == (9, 11)
    # Answers 1 2 3 4 5 5 6 8 15 16 18: median x[5] = 5, p90 h = 9 -> x[9] = 16.
    assert (total.answer_median, total.answer_p90) == (5, 16)
    # Responses 1 1 2 2 3 4 5 5 6 8 15 16: median (4 + 5) / 2 = 4.5;
    # p90 h = 9.9 -> 8 + 0.9 * (15 - 8) = 14.3.
    assert total.response_median == 4.5
    assert total.response_p90 == pytest.approx(14.3)
    assert (total.rated, total.satisfied.numerator) == (10, 6)
    assert (total.redirects_out, total.redirects_in) == (3, 1)


def test_an_agency_without_obligations_has_an_empty_scorecard(agencies, ledger):
    lonely = AgencyFactory()
    total, per_kind = agency_scorecard(lonely.pk, APRIL, now=NOW)
    assert per_kind == []
    assert (total.received, total.redirects_in, total.answer_median) == (0, 0, None)
    assert total.on_time.too_few and total.days_too_few


def test_comparison_by_hand(ledger, agencies):
    a, b, c = agencies
    cards = comparison(APRIL, now=NOW)
    # Agencies by name: Akimat of Almaty, Ministry of Education, Ministry of Justice.
    assert [card.agency_id for card in cards] == [c.pk, b.pk, a.pk]
    akimat, education, justice = cards
    assert (akimat.received, akimat.redirects_in, akimat.redirects_out) == (0, 1, 0)
    # B holds X and Y now (both overdue); X came in twice and went out once:
    # in = X, Y once each; out = X once.
    assert (education.received, education.overdue_now) == (2, 2)
    assert (education.redirects_in, education.redirects_out) == (2, 1)
    assert (justice.received, justice.answered, justice.kind) == (17, 11, None)
    assert justice == agency_scorecard(a.pk, APRIL, now=NOW)[0]

    petitions = comparison(APRIL, kind=PETITION, now=NOW)
    assert [(card.agency_id, card.kind, card.received) for card in petitions] == [
        (a.pk, PETITION, 2)
    ]


def test_the_cohort_is_by_astana_opening_date(ledger, agencies):
    a = agencies[0]
    # 23:30 on 30 April is April; 00:30 on 1 May (19:30 UTC on 30 April) is May.
    may, _ = agency_scorecard(a.pk, Period.month(2026, 5), now=NOW)
    assert may.received == 1
    march, _ = agency_scorecard(a.pk, Period.month(2026, 3), now=NOW)
    # The 16 March question and Z (opened 30 March, now C's, so not A's).
    assert (march.received, march.answered, march.redirects_out) == (1, 1, 0)


def test_trend_by_hand(ledger, agencies):
    a = agencies[0]
    months = trend(a.pk, Period.quarter(2026, 2), "month", now=NOW)
    assert [card.period.key for card in months] == ["2026-04", "2026-05", "2026-06"]
    assert months[0] == agency_scorecard(a.pk, APRIL, now=NOW)[0]
    assert [card.received for card in months] == [17, 1, 0]
    assert [card.redirects_out for card in months] == [3, 0, 0]

    everyone = trend(None, Period.parse("2026-03-15..2026-04-30"), "month", now=NOW)
    assert [card.period.key for card in everyone] == ["2026-03-15..2026-03-31", "2026-04"]
    # March: the 16 March question and Z; April: A's 17 and B's 2.
    assert [card.received for card in everyone] == [2, 19]
    # April's redirects, summed over agencies: out A 3 + B 1, in A 1 + B 2 + C 1.
    assert (everyone[1].redirects_out, everyone[1].redirects_in) == (4, 4)

    questions = trend(a.pk, Period.quarter(2026, 2), "month", kind=QUESTION, now=NOW)
    assert questions[0] == agency_scorecard(a.pk, APRIL, now=NOW)[1][1]


# --- Query counts -----------------------------------------------------------------------------


def bulk_ledger(n: int, agencies, subject) -> None:
    """n obligations in April over two agencies and two kinds, half answered and rated,
    a redirect for every fifth."""
    a, b, c = agencies
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(subject)
    rows = []
    for i in range(n):
        opened = at(2026, 4, 1 + i % 20, 10)
        answered = opened + datetime.timedelta(days=i % 9) if i % 2 else None
        rows.append(
            Obligation(
                content_type=content_type,
                object_id=str(subject.pk),
                agency=(a, b)[i % 2 == 0 and i % 4 == 0],
                kind=(QUESTION, PETITION)[i % 3 == 0],
                opened_at=opened,
                clock_started_at=opened,
                due_at=opened + datetime.timedelta(days=21),
                original_due_at=opened + datetime.timedelta(days=21),
                answered_at=answered,
                first_response_at=answered,
                response_days=i % 7 if answered else None,
                answer_days=i % 7 if answered else None,
                rating="satisfied" if answered else "",
                rated_at=answered,
            )
        )
    created = Obligation.objects.bulk_create(rows)
    ObligationRedirect.objects.bulk_create(
        ObligationRedirect(
            obligation=row,
            from_agency=c,
            to_agency=row.agency,
            at=row.opened_at,
            reason="Not ours",
            previous_due_at=row.due_at,
            new_due_at=row.due_at,
        )
        for row in created[::5]
    )


@pytest.mark.parametrize("n", [5, 50])
def test_queries_do_not_grow_with_the_ledger(n, agencies, subject, request):
    bulk_ledger(n, agencies, subject)
    a = agencies[0]
    quarter = Period.quarter(2026, 2)
    calls = {
        "agency": lambda: agency_scorecard(a.pk, APRIL, now=NOW),
        "comparison": lambda: comparison(APRIL, now=NOW),
        "trend": lambda: trend(a.pk, quarter, "month", now=NOW),
        "trend_all": lambda: trend(None, Period.year(2026), "month", kind=QUESTION, now=NOW),
    }
    counts = {}
    for name, call in calls.items():
        with CaptureQueriesContext(connection) as queries:
            result = call()
        assert result
        counts[name] = len(queries)
    # Five aggregates (counts, two histograms, redirects out and in), plus the agencies'
    # names for the comparison: the same for 5 and 50 obligations.
    assert counts == {"agency": 5, "comparison": 6, "trend": 5, "trend_all": 5}
    received = sum(card.received for card in comparison(APRIL, now=NOW))
    assert received == n
