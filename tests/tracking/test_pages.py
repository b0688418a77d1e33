"""The public tracking pages: an agency's scorecard, the comparison, recently overdue and
the obligations list. GET pages, no JavaScript needed, 400 with the message next to the
field on bad input, and a number of queries that does not grow with the data."""

from __future__ import annotations

import datetime
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests.factories import AgencyFactory, OrganisationFactory
from tracking import charts
from tracking.models import Obligation
from tracking.page_views import axis_label, trend_plan
from tracking.scorecards import Period
from tracking.services import (
    obligation_extend,
    obligation_fulfil,
    obligation_open,
    obligation_redirect,
    obligation_withdraw,
)

from .conftest import PETITION, QUESTION, at

pytestmark = pytest.mark.django_db
NOW = at(2026, 4, 20, 12)
SCORECARD = "/{lang}/agencies/ministry-of-justice/scorecard/"
COMPARISON = "/{lang}/scorecards/"
OVERDUE = "/{lang}/obligations/overdue/"
LIST = "/{lang}/obligations/"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def ledger(subject, agency_with_staff, other_agency):
    """The ledger of tests/tracking/test_api.py: six questions to the Ministry of Justice
    on 18 March 2026 (one redirected to Education), a petition to Education on 2 April."""
    agency = agency_with_staff.agency
    official = agency_with_staff.responder
    with time_machine.travel(at(2026, 3, 18, 11), tick=False):
        rows = {
            name: obligation_open(subject=subject, agency=agency, kind=QUESTION)
            for name in ("overdue", "on_time", "late", "withdrawn", "redirected", "extended")
        }
    with time_machine.travel(at(2026, 4, 2, 11), tick=False):
        rows["petition"] = obligation_open(subject=subject, agency=other_agency, kind=PETITION)
    with time_machine.travel(at(2026, 3, 19, 11), tick=False):
        obligation_redirect(
            obligation=rows["redirected"], to_agency=other_agency, reason="Remit", actor=official
        )
        obligation_extend(
            obligation=rows["extended"],
            new_due_date=datetime.date(2026, 5, 15),
            reason="Site visit needed",
            actor=official,
        )
        obligation_fulfil(obligation=rows["on_time"], actor=official)
    with time_machine.travel(at(2026, 4, 15, 11), tick=False):
        obligation_fulfil(obligation=rows["late"], actor=official)
    with time_machine.travel(at(2026, 3, 20, 11), tick=False):
        obligation_withdraw(obligation=rows["withdrawn"], actor=None, reason="Withdrawn")
    return rows


def _open_many(
    count: int, *, agency, day: int = 2, answered: int = 0, late: int = 0
) -> list[Obligation]:
    """`count` questions opened on `day` March 2026 (due in April or late March): the
    first `answered` answered on time the next day, the `late` after them answered on
    20 April, after their due date; the rest still open."""
    subject = OrganisationFactory()
    with time_machine.travel(at(2026, 3, day, 11), tick=False):
        rows = [
            obligation_open(subject=subject, agency=agency, kind=QUESTION) for _ in range(count)
        ]
    with time_machine.travel(at(2026, 3, day + 1, 11), tick=False):
        for obligation in rows[:answered]:
            obligation_fulfil(obligation=obligation, actor=None)
    with time_machine.travel(at(2026, 4, 20, 9), tick=False):
        for obligation in rows[answered : answered + late]:
            obligation_fulfil(obligation=obligation, actor=None)
    return rows


def _page_queries(client, url: str, params: dict) -> int:
    """The queries of a page beyond those every page makes (the site, its menu and
    footer): the deadline calculator's count is the base."""
    return _count_queries(client, url, params) - _count_queries(client, "/en/deadlines/", {})


def _count_queries(client, url: str, params: dict) -> int:
    client.get(url, params)  # warm the calendar's cache, as in production
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


def _errors(html: str, field: str) -> str:
    match = re.search(rf'<ul class="errorlist" id="f-{field}_error">(.*?)</ul>', html, re.S)
    assert match, f"no error list for {field}"
    return match.group(1)


# --- An agency's scorecard --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "heading"),
    [("kk", None), ("ru", None), ("en", "Scorecard: Ministry of Justice")],
)
def test_scorecard_in_each_language(client, ledger, lang, heading):
    response = client.get(SCORECARD.format(lang=lang), {"period": "2026-Q1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert {"kk": "Әділет министрлігі", "ru": "Министерство юстиции"}.get(lang, "") in html
    if heading:
        assert f"<h1>{heading}</h1>" in html
    card = response.context["card"]
    # The redirected question belongs to Education now; the five others are still here.
    assert (card.received, card.answered, card.answered_on_time) == (5, 2, 1)
    assert (card.overdue_now, card.open, card.withdrawn, card.extensions) == (1, 1, 1, 1)
    assert card.redirects_out == 1 and card.redirects_in == 0


def test_scorecard_shows_charts_and_tables_without_javascript(client, ledger):
    html = client.get(SCORECARD.format(lang="en"), {"period": "2026-Q1"}).content.decode()
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]
    svgs = re.findall(r"<svg [^>]*class=\"chart\"[^>]*>", html)
    assert len(svgs) == 3
    for svg in svgs:
        assert 'role="img"' in svg
        chart_id = re.search(r'id="([^"]+)"', svg).group(1)
        assert f'aria-labelledby="{chart_id}-title {chart_id}-desc"' in svg
        assert f'<title id="{chart_id}-title">' in html and f'<desc id="{chart_id}-desc">' in html
    # Not colour alone: patterns and a legend naming each series.
    assert "url(#trend-volume-hatch)" in html and "url(#trend-volume-dots)" in html
    assert ">Received</text>" in html and ">Overdue now</text>" in html
    # A table with a caption beside each chart, one row per month of the quarter.
    for caption in (
        "Received, answered and overdue, by period",
        "Share answered on time, by period",
        "Working days to the final answer, by period",
    ):
        assert f"<caption>{caption}</caption>" in html
    assert len(re.findall(r"<caption>", html)) == 4  # with the per-kind table
    assert [
        row.period.start.month
        for row in client.get(SCORECARD.format(lang="en"), {"period": "2026-Q1"}).context["trend"]
    ] == [1, 2, 3]


def test_scorecard_headline_says_too_few_to_judge(client, ledger):
    html = client.get(SCORECARD.format(lang="en"), {"period": "2026-Q1"}).content.decode()
    headline = html.split('id="headline"', 1)[1].split("</dl>", 1)[0]
    assert "Answered on time" in headline
    assert "too few to judge" in headline and "n = 2" in headline
    assert "Answer to a question" in html  # the per-kind table names the kind


def test_scorecard_rate_with_its_interval(client, agency_with_staff):
    _open_many(12, agency=agency_with_staff.agency, answered=12)
    response = client.get(SCORECARD.format(lang="en"), {"period": "2026-03"})
    rate = response.context["card"].on_time
    assert (rate.numerator, rate.denominator, rate.too_few) == (12, 12, False)
    assert rate.value == 1.0 and 0.7 < rate.low < 0.8 and rate.high == pytest.approx(1.0)
    headline = response.content.decode().split('id="headline"', 1)[1].split("</dl>", 1)[0]
    low = round(rate.low * 100)
    assert "<strong>100%</strong>" in headline
    assert f"95% interval {low}–100%; 12 of 12" in headline


def test_scorecard_of_one_kind(client, ledger):
    params = {"period": "2026-Q1", "kind": QUESTION}
    assert client.get(SCORECARD.format(lang="en"), params).context["card"].received == 5
    params["kind"] = PETITION
    response = client.get(SCORECARD.format(lang="en"), params)
    assert response.status_code == 200
    assert response.context["card"].received == 0
    assert "Response to a petition" in response.content.decode()


@pytest.mark.parametrize(
    ("period", "granularity", "first", "count"),
    [
        ("2026", "month", datetime.date(2026, 1, 1), 12),
        ("2026-Q2", "month", datetime.date(2026, 4, 1), 3),
        # A month: the twelve months up to it.
        ("2026-03", "month", datetime.date(2025, 4, 1), 12),
        ("2026-01-15..2026-03-31", "month", datetime.date(2026, 1, 15), 3),
        ("2024-01-01..2026-06-30", "quarter", datetime.date(2024, 1, 1), 10),
    ],
)
def test_trend_granularity(client, ledger, period, granularity, first, count):
    response = client.get(SCORECARD.format(lang="en"), {"period": period})
    assert response.status_code == 200
    assert response.context["granularity"] == granularity
    trend = response.context["trend"]
    assert len(trend) == count and trend[0].period.start == first
    html = response.content.decode()
    body = html.split('id="trend-volume"', 1)[1].split("</table>", 1)[0]
    assert body.count('<th scope="row">') == count


def test_trend_plan_and_axis_labels():
    span, granularity = trend_plan(Period.parse("2026-01"))
    assert (span.start, span.end, granularity) == (
        datetime.date(2025, 2, 1),
        datetime.date(2026, 1, 31),
        "month",
    )
    with translation.override("en"):
        assert axis_label(Period.parse("2026-05"), "month") == ("May", "2026")
        assert axis_label(Period.parse("2026-Q2"), "quarter") == ("Q2", "2026")


def test_picker_redirects_to_the_canonical_period(client, ledger):
    url = SCORECARD.format(lang="en")
    cases = [
        ({"unit": "month", "year": "2026", "month": "3", "quarter": "1"}, "2026-03"),
        ({"unit": "quarter", "year": "2026", "month": "1", "quarter": "2"}, "2026-Q2"),
        ({"unit": "year", "year": "2025"}, "2025"),
        (
            {"unit": "custom", "year": "2026", "start": "15.01.2026", "end": "2026-03-31"},
            "2026-01-15..2026-03-31",
        ),
    ]
    for params, key in cases:
        response = client.get(url, {**params, "kind": QUESTION})
        assert response.status_code == 302, params
        location = urlsplit(response["Location"])
        assert location.path == url
        assert parse_qs(location.query) == {"period": [key], "kind": [QUESTION]}


def test_picker_shows_the_period_shown(client, ledger):
    html = client.get(SCORECARD.format(lang="en"), {"period": "2026-Q1"}).content.decode()
    assert re.search(r'<input type="radio" name="unit" value="quarter"[^>]* checked>', html)
    assert 'name="year" id="f-year" value="2026"' in html
    assert re.search(r'<option value="1" selected>Q1</option>', html)
    assert 'value="2026-01-01"' in html and 'value="2026-03-31"' in html


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"period": "2026-13"}, "period", None),
        ({"period": "last week"}, "period", None),
        ({"unit": "month", "year": "1999", "month": "3"}, "year", "between 2000 and 2100"),
        ({"unit": "month", "year": "2026"}, "month", "Choose a month."),
        ({"unit": "quarter", "year": "", "quarter": "2"}, "year", "Enter the year."),
        ({"unit": "quarter", "year": "2026", "quarter": "7"}, "quarter", "Choose a quarter."),
        ({"unit": "custom", "start": "2026-02-30", "end": "2026-03-01"}, "start", "real date"),
        (
            {"unit": "custom", "start": "2026-03-10", "end": "2026-03-01"},
            "end",
            "The last day cannot be before the first.",
        ),
        ({"unit": "custom", "start": "2020-01-01", "end": "2026-03-01"}, "end", None),
        ({"unit": "custom", "end": "2026-03-01"}, "start", "Enter the first day."),
        ({"unit": "decade", "year": "2026"}, "unit", "Choose a month, a quarter"),
        ({"period": "2026-Q1", "kind": "nope"}, "kind", "Choose a kind from the list."),
    ],
)
def test_scorecard_bad_input_is_a_400_next_to_the_field(client, ledger, params, field, message):
    response = client.get(SCORECARD.format(lang="en"), params)
    assert response.status_code == 400
    html = response.content.decode()
    errors = _errors(html, field)
    if message:
        assert message in errors
    else:
        assert errors.strip()  # the period's own message, whatever its wording
    assert (
        'aria-invalid="true"' in html
        or 'aria-describedby="f-period_error"' in html
        or ('aria-describedby="f-unit_error"' in html)
    )
    assert 'id="headline"' not in html and "<svg" not in html.split("<main", 1)[1]


def test_unknown_agency_is_404(client):
    assert client.get("/en/agencies/nobody/scorecard/").status_code == 404


def test_default_period_is_the_current_quarter(client, ledger):
    response = client.get(SCORECARD.format(lang="en"))
    assert response.status_code == 200
    assert response.context["period"].key == "2026-Q2"


def test_scorecard_queries_do_not_grow(client, agency_with_staff):
    agency = agency_with_staff.agency
    url, params = SCORECARD.format(lang="en"), {"period": "2026"}
    _open_many(5, agency=agency, answered=2)
    few = _page_queries(client, url, params)
    _open_many(45, agency=agency, day=9, answered=30)
    many = _page_queries(client, url, params)
    assert few == many
    # The agency, then the scorecard's and the trend's aggregates (5 each: counts,
    # response days, answer days, redirects out, redirects in), whatever the rows.
    assert many <= 11


# --- The comparison ---------------------------------------------------------------------------


def _names(response) -> list[str]:
    return [row["agency"].slug for row in response.context["rows"]]


@pytest.fixture
def three_agencies(db):
    """Kokshe: 12 answered on time of 12, none overdue; Balkhash: 3 answered (too few to
    judge), 4 overdue; Aral: 9 answered on time and 2 late of 12, one overdue."""
    aral = AgencyFactory(slug="aral", name_en="Aral Agency", name_ru="Арал", name_kk="Арал")
    balkhash = AgencyFactory(
        slug="balkhash", name_en="Balkhash Agency", name_ru="Балхаш", name_kk="Балқаш"
    )
    kokshe = AgencyFactory(slug="kokshe", name_en="Kokshe Agency", name_ru="Кокше", name_kk="Көкше")
    _open_many(12, agency=kokshe, answered=12)
    _open_many(7, agency=balkhash, answered=3)
    _open_many(12, agency=aral, answered=9, late=2)
    return aral, balkhash, kokshe


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_comparison_is_alphabetical_by_default(client, three_agencies, lang):
    response = client.get(COMPARISON.format(lang=lang), {"period": "2026-Q1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert _names(response) == ["aral", "balkhash", "kokshe"]
    # Only the name column says it is sorted; no ranking by a figure.
    assert html.count("aria-sort=") == 1
    assert re.search(r'<th scope="col" aria-sort="ascending"><a [^>]*data-sort="name"', html)


def test_comparison_sorted_by_a_column(client, three_agencies):
    url = COMPARISON.format(lang="en")
    response = client.get(url, {"period": "2026-Q1", "sort": "overdue_now", "dir": "desc"})
    assert _names(response) == ["balkhash", "aral", "kokshe"]
    html = response.content.decode()
    assert re.search(r'aria-sort="descending"><a [^>]*data-sort="overdue_now"', html)
    assert "Sorted by the chosen column" in html
    # The header link of the sorted column turns the order round, keeping the period.
    link = re.search(r'href="([^"]+)" data-sort="overdue_now"', html).group(1)
    assert parse_qs(urlsplit(link.replace("&amp;", "&")).query) == {
        "period": ["2026-Q1"],
        "sort": ["overdue_now"],
        "dir": ["asc"],
    }
    ascending = client.get(url, {"period": "2026-Q1", "sort": "overdue_now", "dir": "asc"})
    assert _names(ascending) == ["kokshe", "aral", "balkhash"]


@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_too_few_to_judge_sorts_last(client, three_agencies, direction):
    response = client.get(
        COMPARISON.format(lang="en"), {"period": "2026-Q1", "sort": "on_time", "dir": direction}
    )
    # Balkhash has 3 answers: too few to judge its on-time share, last either way.
    expected = ["kokshe", "aral"] if direction == "desc" else ["aral", "kokshe"]
    on_time = {row["agency"].slug: row["card"].on_time for row in response.context["rows"]}
    assert on_time["balkhash"].too_few
    assert _names(response) == [*expected, "balkhash"]
    html = response.content.decode()
    balkhash_row = html.split("Balkhash Agency", 1)[1].split("</tr>", 1)[0]
    assert "too few to judge" in balkhash_row


def test_comparison_rows_link_to_the_scorecard_of_the_same_period(client, three_agencies):
    html = client.get(
        COMPARISON.format(lang="en"), {"period": "2026-Q1", "kind": QUESTION}
    ).content.decode()
    assert f'href="/en/agencies/aral/scorecard/?period=2026-Q1&amp;kind={QUESTION}"' in html


def test_comparison_picker_keeps_the_sort(client, three_agencies):
    url = COMPARISON.format(lang="en")
    html = client.get(url, {"period": "2026-Q1", "sort": "received", "dir": "desc"}).content
    assert b'<input type="hidden" name="sort" value="received">' in html
    response = client.get(url, {"unit": "year", "year": "2026", "sort": "received", "dir": "desc"})
    assert response.status_code == 302
    assert parse_qs(urlsplit(response["Location"]).query) == {
        "period": ["2026"],
        "sort": ["received"],
        "dir": ["desc"],
    }


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"sort": "worst"}, "Sort by one of the table&#x27;s columns."),
        ({"sort": "received", "dir": "up"}, "Choose ascending or descending order."),
        ({"period": "2026-Q9"}, None),
    ],
)
def test_comparison_bad_input_is_a_400(client, three_agencies, params, message):
    response = client.get(COMPARISON.format(lang="en"), params)
    assert response.status_code == 400
    html = response.content.decode()
    if message:
        assert message in html.split('id="sort-errors"', 1)[1]
    else:
        assert _errors(html, "period").strip()
    assert 'id="comparison"' not in html


def test_comparison_queries_do_not_grow(client):
    agencies = [AgencyFactory() for _ in range(3)]
    url, params = COMPARISON.format(lang="en"), {"period": "2026-Q1", "sort": "on_time"}
    for agency in agencies:
        _open_many(2, agency=agency, answered=1)
    few = _page_queries(client, url, params)
    for agency in agencies:
        _open_many(15, agency=agency, day=10, answered=12)
    many = _page_queries(client, url, params)
    assert few == many
    # The comparison's own aggregates (5, and its agency order), and the agencies' names.
    assert many <= 7


# --- Recently overdue -------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_overdue_newest_first_with_working_days(client, ledger, lang):
    response = client.get(OVERDUE.format(lang=lang))
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in response.content.decode()
    rows = response.context["rows"]
    # The redirected question was due 14 April, the other 13 April: 4 and 5 working days.
    assert [row["obligation"].pk for row in rows] == [
        ledger["redirected"].pk,
        ledger["overdue"].pk,
    ]
    assert [row["days_overdue"] for row in rows] == [4, 5]
    assert response.context["days"] == 30


def test_overdue_row_names_subject_agency_kind_and_due_date(client, ledger):
    html = client.get(OVERDUE.format(lang="en")).content.decode()
    table = html.split('id="obligations"', 1)[1].split("</table>", 1)[0]
    slug = ledger["overdue"].subject.slug
    assert f'<a href="/organisations/{slug}/">Where is the new school?</a>' in table
    assert "Ministry of Education" in table and "Ministry of Justice" in table
    assert "Answer to a question" in table
    assert '<time datetime="2026-04-13">' in table and '<time datetime="2026-04-14">' in table
    assert '<th scope="col">Working days overdue</th>' in table


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"days": "6"}, ["redirected"]),  # since 14 April, 12:00
        ({"days": "3"}, []),
        ({"agency": "ministry-of-justice"}, ["overdue"]),
        ({"kind": PETITION}, []),
    ],
)
def test_overdue_filters(client, ledger, params, expected):
    response = client.get(OVERDUE.format(lang="en"), params)
    assert response.status_code == 200
    assert [row["obligation"].pk for row in response.context["rows"]] == [
        ledger[name].pk for name in expected
    ]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"days": "0"}, "days", "Enter a whole number of days between 1 and 366."),
        ({"days": "many"}, "days", "Enter a whole number of days between 1 and 366."),
        ({"agency": "nobody"}, "agency", "Choose an agency from the list."),
        ({"kind": "nope"}, "kind", "Choose a kind from the list."),
    ],
)
def test_overdue_bad_input_is_a_400(client, ledger, params, field, message):
    response = client.get(OVERDUE.format(lang="en"), params)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in _errors(html, field)
    assert f'aria-describedby="f-{field}_error"' in html and 'aria-invalid="true"' in html
    assert 'id="obligations"' not in html


def test_overdue_is_paginated_and_queries_do_not_grow(client, agency_with_staff):
    agency = agency_with_staff.agency
    url = OVERDUE.format(lang="en")
    _open_many(5, agency=agency, day=16)  # due 9 April: overdue 11 days ago
    few = _page_queries(client, url, {})
    _open_many(50, agency=agency, day=17)
    many = _page_queries(client, url, {})
    # Agencies for the filter, count, rows with agencies, subjects, redirects.
    assert few == many and many <= 5
    first = client.get(url)
    assert len(first.context["rows"]) == 50
    assert 'href="?page=2"' in first.content.decode()
    second = client.get(url, {"page": "2", "days": "30"})
    assert len(second.context["rows"]) == 5


# --- The obligations list ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"status": "overdue"},
        {"status": "open"},
        {"status": "answered_late"},
        {"status": "withdrawn"},
        {"agency": "ministry-of-education"},
        {"kind": PETITION},
        {"opened_after": "2026-04-01"},
        {"opened_before": "2026-03-18", "status": "answered_on_time"},
    ],
)
def test_list_filters_as_the_api_does(client, ledger, params):
    response = client.get(LIST.format(lang="en"), params)
    assert response.status_code == 200
    page_ids = [row["obligation"].pk for row in response.context["rows"]]
    api = client.get("/api/v1/obligations/", params).json()["results"]
    assert page_ids == [row["id"] for row in api]
    assert page_ids  # every case above matches something


def test_list_links_to_the_csv_with_the_same_filters(client, ledger):
    params = {"agency": "ministry-of-justice", "status": "overdue", "opened_after": "2026-03-01"}
    html = client.get(LIST.format(lang="en"), params).content.decode()
    href = re.search(r'<a href="([^"]+)" id="csv-link"', html).group(1).replace("&amp;", "&")
    assert href.startswith("/api/v1/obligations/export/?")
    assert parse_qs(urlsplit(href).query) == {key: [value] for key, value in params.items()}
    csv_rows = client.get(href).getvalue().decode("utf-8-sig").splitlines()
    assert len(csv_rows) == 2  # the header and the one overdue question still here
    assert html.count("<tbody>") == 1 and "Overdue" in html


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_list_in_each_language(client, ledger, lang):
    response = client.get(LIST.format(lang=lang))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert len(response.context["rows"]) == 7
    assert 'id="csv-link"' in html


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"status": "late"}, "status", "Choose a status from the list."),
        ({"opened_after": "2026-02-30"}, "opened_after", "Enter a real date"),
        ({"opened_after": "1999-12-31"}, "opened_after", "Choose a date between"),
        (
            {"opened_after": "2026-04-01", "opened_before": "2026-03-01"},
            "opened_before",
            "The last day cannot be before the first.",
        ),
        ({"agency": "nobody"}, "agency", "Choose an agency from the list."),
    ],
)
def test_list_bad_input_is_a_400(client, ledger, params, field, message):
    response = client.get(LIST.format(lang="en"), params)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in _errors(html, field)
    assert 'id="csv-link"' not in html


def test_list_queries_do_not_grow(client, agency_with_staff):
    agency = agency_with_staff.agency
    url = LIST.format(lang="en")
    _open_many(5, agency=agency, answered=2)
    few = _page_queries(client, url, {})
    _open_many(45, agency=agency, day=10, answered=20)
    many = _page_queries(client, url, {})
    # Agencies for the filter, count, rows with agencies, subjects, redirects.
    assert few == many and many <= 5
    assert len(client.get(url).context["rows"]) == 50


def test_footer_links_to_the_scorecards(client):
    html = client.get("/en/obligations/").content.decode()
    footer = html.split('<footer class="site-footer">', 1)[1]
    assert 'href="/en/scorecards/"' in footer


# --- The charts -------------------------------------------------------------------------------


def test_bar_chart_escapes_and_marks_missing_values():
    with translation.override("en"):
        svg = _bar_chart()
    assert svg.startswith("<svg ") and 'role="img"' in svg
    assert '<title id="c-title">Days &lt;to&gt; answer</title>' in svg
    assert '<desc id="c-desc">Median &amp; p90</desc>' in svg
    assert "&lt;b&gt;p90&lt;/b&gt;" in svg and "<b>" not in svg
    assert svg.count("<rect x=") - 2 == 3  # 2 legend swatches, 3 bars: one value missing
    assert ">–</text>" in svg
    assert 'fill="url(#c-hatch)"' in svg
    assert ">12.5</text>" in svg and ">June</tspan>" in svg


def _bar_chart():
    return charts.bar_chart(
        chart_id="c",
        title="Days <to> answer",
        desc="Median & p90",
        categories=[("May", "2026"), "June 2026"],
        series=[charts.Series("Median", [3, None]), charts.Series("<b>p90</b>", [12.5, 4])],
    )


def test_interval_chart_draws_whiskers_and_too_few():
    svg = charts.interval_chart(
        chart_id="r",
        title="On time",
        desc="Share on time",
        categories=["Jan 2026", "Feb 2026"],
        points=[charts.Interval(0.5, 0.3, 0.7), charts.Interval(None, None, None)],
        label="On time",
        interval_label="95% interval",
        missing="too few",
    )
    assert ">50%</text>" in svg and ">too few</text>" in svg
    # The whisker runs from 70% to 30% of the 150-pixel plot under a 44-pixel top.
    assert 'y1="89.0" y2="149.0"' in svg


def test_numbers_in_charts_follow_the_language():
    with translation.override("ru"):
        svg = charts.bar_chart(
            chart_id="c",
            title="t",
            desc="d",
            categories=["a"],
            series=[charts.Series("s", [2.5])],
        )
    assert ">2,5</text>" in svg


@pytest.mark.parametrize(("top", "ticks"), [(1, "01234"), (13, "05101520"), (0, "01234")])
def test_count_axis_falls_on_whole_numbers(top, ticks):
    with translation.override("en"):
        svg = charts.bar_chart(
            chart_id="c", title="t", desc="d", categories=["a"], series=[charts.Series("s", [top])]
        )
    labels = re.findall(r'text-anchor="end" fill="#4a5560">([^<]+)</text>', svg)
    assert "".join(labels) == ticks


# --- Links between the pages (issue 8 wiring) -------------------------------------------------

AGENCY_FEED = "/en/agencies/ministry-of-justice/overdue/feed/"
ATOM_LINK = '<link rel="alternate" type="application/atom+xml"'


def _head(html: str) -> str:
    return html.split("</head>", 1)[0]


def _main(html: str) -> str:
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def test_scorecard_offers_the_agency_feed_and_the_open_data_page(client, ledger):
    html = client.get(SCORECARD.format(lang="en")).content.decode()
    head = _head(html)
    assert ATOM_LINK in head
    assert f'href="{AGENCY_FEED}"' in head
    main = _main(html)
    assert f'href="{AGENCY_FEED}"' in main
    assert "Feed of this agency's newly overdue obligations (Atom)" in main
    assert 'href="/en/open-data/"' in main
    assert client.get(AGENCY_FEED).status_code == 200


def test_scorecard_follow_button_for_anonymous_and_signed_in(client, ledger, verified_user):
    url = SCORECARD.format(lang="en")
    main = _main(client.get(url).content.decode())
    assert "Sign in to follow this agency" in main
    assert 'action="/en/watchlist/add/"' not in main

    client.force_login(verified_user)
    main = _main(client.get(url).content.decode())
    assert 'action="/en/watchlist/add/"' in main
    assert "Follow this agency" in main
    assert "Sign in to follow this agency" not in main


def test_overdue_offers_the_feed_and_the_open_data_page(client, ledger):
    html = client.get(OVERDUE.format(lang="en")).content.decode()
    head = _head(html)
    assert ATOM_LINK in head
    assert 'href="/en/obligations/overdue/feed/"' in head
    main = _main(html)
    assert 'href="/en/obligations/overdue/feed/"' in main
    assert 'href="/en/open-data/"' in main


def test_agency_page_links_to_its_scorecard(client, ledger):
    main = _main(client.get("/en/agencies/ministry-of-justice/").content.decode())
    assert 'href="/en/agencies/ministry-of-justice/scorecard/">Scorecard</a>' in main


def test_user_menu_links_to_the_watchlist_when_signed_in(client, verified_user):
    def menu(html: str) -> str:
        return html.split('<nav class="user-menu"', 1)[1].split("</nav>", 1)[0]

    assert 'href="/en/watchlist/"' not in menu(client.get("/en/obligations/").content.decode())
    client.force_login(verified_user)
    assert '<a href="/en/watchlist/">My watchlist</a>' in menu(
        client.get("/en/obligations/").content.decode()
    )
    assert '<a href="/en/watchlist/" aria-current="page">My watchlist</a>' in menu(
        client.get("/en/watchlist/").content.decode()
    )
