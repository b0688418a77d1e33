"""Open data: the scorecard API, the streamed downloads (CSV, JSON Lines), the Atom feeds
of newly overdue obligations and the data page."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import translation

from tests.factories import AgencyFactory
from tracking import exports
from tracking.models import Obligation
from tracking.services import (
    obligation_fulfil,
    obligation_open,
    obligation_rate,
    obligation_wait,
)

from .conftest import PETITION, QUESTION, at

pytestmark = pytest.mark.django_db
NOW = at(2026, 4, 20, 12)
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def small_sample(settings):
    """Shares are shown from 2 cases, so a hand-sized ledger has values to check."""
    settings.TRACKING_MIN_SAMPLE = 2


@pytest.fixture
def ledger(subject, agency_with_staff, other_agency):
    """Opened on Wednesday 18 March 2026 (a question is due on Monday 13 April):
    justice: q1 answered 20 March (satisfied), q2 answered 1 April (a brush-off),
    q3 answered 15 April (late), q4 open (overdue since 13 April), q5 waiting on the
    citizen, p1 a petition (open); old: opened in January, overdue for months.
    education: e1 a question, overdue since 13 April."""
    justice = agency_with_staff.agency
    official = agency_with_staff.responder
    rows = {}
    with time_machine.travel(at(2026, 1, 5, 11), tick=False):
        rows["old"] = obligation_open(subject=subject, agency=justice, kind=QUESTION)
    with time_machine.travel(at(2026, 3, 18, 11), tick=False):
        for name in ("q1", "q2", "q3", "q4", "q5"):
            rows[name] = obligation_open(subject=subject, agency=justice, kind=QUESTION)
        rows["p1"] = obligation_open(subject=subject, agency=justice, kind=PETITION)
        rows["e1"] = obligation_open(subject=subject, agency=other_agency, kind=QUESTION)
    with time_machine.travel(at(2026, 3, 19, 11), tick=False):
        obligation_wait(obligation=rows["q5"], actor=official, reason="Need the address")
    with time_machine.travel(at(2026, 3, 20, 11), tick=False):
        obligation_fulfil(obligation=rows["q1"], actor=official, outcome="answered")
        obligation_rate(obligation=rows["q1"], verdict="satisfied")
    with time_machine.travel(at(2026, 4, 1, 11), tick=False):
        obligation_fulfil(obligation=rows["q2"], actor=official)
        obligation_rate(obligation=rows["q2"], verdict="brush_off")
    with time_machine.travel(at(2026, 4, 15, 11), tick=False):
        obligation_fulfil(obligation=rows["q3"], actor=official)
    return {name: Obligation.objects.get(pk=row.pk) for name, row in rows.items()}


def get(client, url, params=None, **extra):
    with time_machine.travel(NOW, tick=False):
        return client.get(url, params or {}, **extra)


def body(response) -> str:
    assert response.streaming is True
    return b"".join(response.streaming_content).decode("utf-8")


def csv_rows(response) -> list[dict]:
    text = body(response)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def jsonl_rows(response) -> list[dict]:
    text = body(response)
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


# --- scorecard API ----------------------------------------------------------------------------


def test_agency_scorecard_shape_and_values(client, ledger):
    response = get(client, "/api/v1/agencies/ministry-of-justice/scorecard/", {"period": "2026-03"})
    assert response.status_code == 200
    data = response.json()
    assert data["agency"]["slug"] == "ministry-of-justice"
    assert data["agency"]["name"]["en"] == "Ministry of Justice"
    assert data["period"]["key"] == "2026-03"
    assert (data["period"]["start"], data["period"]["end"]) == ("2026-03-01", "2026-03-31")
    assert data["period"]["granularity"] == "month"
    total = data["total"]
    assert total["kind"] is None
    # q1-q5 and p1 were received in March; "old" in January is another period.
    assert total["received"] == 6
    assert (total["answered"], total["answered_on_time"], total["answered_late"]) == (3, 2, 1)
    assert (total["open"], total["overdue_now"], total["withdrawn"]) == (2, 1, 0)
    on_time = total["on_time"]
    assert (on_time["numerator"], on_time["denominator"], on_time["too_few"]) == (2, 3, False)
    # Wilson score interval of 2/3 at 95%, by hand: centre 0.5731, half-width 0.3654.
    assert on_time["value"] == pytest.approx(2 / 3)
    assert on_time["low"] == pytest.approx(0.2077, abs=1e-4)
    assert on_time["high"] == pytest.approx(0.9385, abs=1e-4)
    assert total["rated"] == 2
    assert total["satisfied"]["numerator"] == 1 and total["satisfied"]["denominator"] == 2
    assert total["brush_off"]["numerator"] == 1
    # Working days to the answer: 2 (20 March), 7 (1 April: Nauryz skipped), 17.
    assert total["answer_median"] == 7
    assert {card["kind"] for card in data["kinds"]} == {QUESTION, PETITION}
    question = next(card for card in data["kinds"] if card["kind"] == QUESTION)
    assert question["received"] == 5
    assert question["kind_label"] == "Answer to a question"


def test_agency_scorecard_kind_filter_and_too_few(client, ledger):
    response = get(
        client,
        "/api/v1/agencies/ministry-of-justice/scorecard/",
        {"period": "2026-03", "kind": PETITION},
    )
    data = response.json()
    assert [card["kind"] for card in data["kinds"]] == [PETITION]
    petition = data["kinds"][0]
    assert petition["received"] == 1
    assert petition["on_time"] == {
        "numerator": 0,
        "denominator": 0,
        "value": None,
        "low": None,
        "high": None,
        "too_few": True,
    }
    assert data["total"]["received"] == 6


def test_unknown_agency_is_404(client, ledger):
    assert get(client, "/api/v1/agencies/no-such-agency/scorecard/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/agencies/ministry-of-justice/scorecard/",
        "/api/v1/scorecards/",
        "/api/v1/scorecards/export/",
        "/api/v1/scorecards/export.jsonl",
    ],
)
@pytest.mark.parametrize(
    "params",
    [
        {"period": "2026-13"},
        {"period": "last year"},
        {"period": "2026-04-01..2026-03-01"},
        {"kind": "no.such.kind"},
    ],
)
def test_bad_scorecard_parameters_are_a_clear_400(client, agency_with_staff, url, params):
    response = get(client, url, params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert set(response.json()) == set(params)


def test_comparison_of_all_agencies(client, ledger):
    response = get(client, "/api/v1/scorecards/", {"period": "2026-Q1"})
    assert response.status_code == 200
    data = response.json()
    assert data["period"]["key"] == "2026-Q1"
    assert data["kind"] is None
    by_slug = {row["agency"]["slug"]: row for row in data["results"]}
    assert set(by_slug) == {"ministry-of-justice", "ministry-of-education"}
    assert by_slug["ministry-of-justice"]["received"] == 7  # with "old", opened in January
    assert by_slug["ministry-of-education"]["overdue_now"] == 1
    kind_only = get(client, "/api/v1/scorecards/", {"period": "2026-Q1", "kind": PETITION}).json()
    assert [row["agency"]["slug"] for row in kind_only["results"]] == ["ministry-of-justice"]
    assert kind_only["results"][0]["kind"] == PETITION


@pytest.mark.parametrize("agencies", [2, 12])
def test_comparison_queries_do_not_grow(client, ledger, agencies, django_assert_max_num_queries):
    extra = [AgencyFactory() for _ in range(agencies)]
    with time_machine.travel(at(2026, 3, 18, 11), tick=False):
        for agency in extra:
            obligation_open(subject=ledger["q1"].subject, agency=agency, kind=QUESTION)
    with django_assert_max_num_queries(8):
        response = get(client, "/api/v1/scorecards/", {"period": "2026-Q1"})
    assert len(response.json()["results"]) == agencies + 2


def test_schema_documents_scorecards_and_downloads(client):
    schema = client.get("/api/schema/").json()
    paths = schema["paths"]
    assert "/api/v1/agencies/{slug}/scorecard/" in paths
    scorecard = paths["/api/v1/agencies/{slug}/scorecard/"]["get"]
    assert {"period", "kind", "slug"} <= {p["name"] for p in scorecard["parameters"]}
    for path in ("/api/v1/obligations/export/", "/api/v1/scorecards/export/"):
        content = paths[path]["get"]["responses"]["200"]["content"]
        assert {"text/csv", "application/jsonl"} <= set(content)
        assert "format" in {p["name"] for p in paths[path]["get"]["parameters"]}
    components = schema["components"]["schemas"]
    for name in ("AgencyScorecard", "Scorecard", "ScorecardRate", "ScorecardComparison"):
        assert name in components
    rate = components["ScorecardRate"]["properties"]
    assert set(rate) == {"numerator", "denominator", "value", "low", "high", "too_few"}
    obligation = components["Obligation"]["properties"]
    assert set(exports.OBLIGATION_COLUMNS) <= set(obligation)


# --- obligation downloads ---------------------------------------------------------------------


def test_jsonl_rows_are_the_api_rows(client, ledger):
    api = get(client, "/api/v1/obligations/", {"page_size": 200}).json()["results"]
    for url, params in [
        ("/api/v1/obligations/export.jsonl", {}),
        ("/api/v1/obligations/export/", {"format": "jsonl"}),
    ]:
        response = get(client, url, params)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/jsonl; charset=utf-8"
        assert 'filename="obligations.jsonl"' in response["Content-Disposition"]
        rows = jsonl_rows(response)
        assert rows == api
    by_id = {row["id"]: row for row in rows}
    assert len(by_id) == 8
    q1 = by_id[ledger["q1"].pk]
    assert (q1["rating"], q1["status"], q1["answer_days"], q1["outcome"]) == (
        "satisfied",
        "answered_on_time",
        2,
        "answered",
    )
    assert q1["rated_at"].startswith("2026-03-20T11:00:00")
    assert by_id[ledger["q5"].pk]["status"] == "waiting"
    assert by_id[ledger["q5"].pk]["waiting_since"].startswith("2026-03-19")
    assert by_id[ledger["q3"].pk]["days_to_answer"] == 17
    assert by_id[ledger["q4"].pk]["status"] == "overdue"


def test_csv_by_suffix_has_every_column(client, ledger):
    plain = csv_rows(get(client, "/api/v1/obligations/export/"))
    response = get(client, "/api/v1/obligations/export.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = csv_rows(response)
    assert rows == plain
    assert list(rows[0]) == exports.OBLIGATION_COLUMNS
    by_id = {int(row["id"]): row for row in rows}
    q2 = by_id[ledger["q2"].pk]
    assert (q2["rating"], q2["answer_days"], q2["extended"], q2["waited_days"]) == (
        "brush_off",
        "7",
        "no",
        "0",
    )
    assert by_id[ledger["q4"].pk]["answered_at"] == ""


def test_download_filters_and_errors(client, ledger):
    rows = jsonl_rows(get(client, "/api/v1/obligations/export.jsonl", {"status": "overdue"}))
    assert {row["id"] for row in rows} == {ledger[n].pk for n in ("old", "q4", "e1")}
    bad = get(client, "/api/v1/obligations/export.jsonl", {"opened_after": "yesterday"})
    assert bad.status_code == 400
    assert bad["Content-Type"].startswith("application/json")
    assert set(bad.json()) == {"opened_after"}
    assert get(client, "/api/v1/obligations/export.xml").status_code == 404
    # An Accept header naming neither format still gets the CSV.
    response = get(client, "/api/v1/obligations/export/", HTTP_ACCEPT="application/json")
    assert response["Content-Type"].startswith("text/csv")


def _queries_of_download(client, monkeypatch, count: int, subject, agency) -> tuple[int, int]:
    """(queries to the first row, queries in all) of the JSON Lines of `count` rows, read
    in chunks of 5."""
    monkeypatch.setattr(exports, "CHUNK_SIZE", 5)
    with time_machine.travel(at(2026, 3, 18, 11), tick=False):
        for _ in range(count):
            obligation_open(subject=subject, agency=agency, kind=QUESTION)
    with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/obligations/export.jsonl")
        lines = iter(response.streaming_content)
        next(lines)
        first = len(queries)
        rest = list(lines)
    assert len(rest) == count - 1
    return first, len(queries)


@pytest.mark.parametrize("count", [5, 50])
def test_downloads_read_a_chunk_at_a_time(client, monkeypatch, subject, agency_with_staff, count):
    """Memory stays flat by construction: the rows are read in chunks (each with its
    prefetch: the subjects, the redirects), and the first row goes out before the second
    chunk is read."""
    first, total = _queries_of_download(
        client, monkeypatch, count, subject, agency_with_staff.agency
    )
    per_chunk = 2  # subjects (one type here), redirects
    chunks = count // 5
    assert total - first == (chunks - 1) * per_chunk
    assert first <= 4  # the rows' query, one chunk's prefetches, the calendar


# --- scorecard downloads ----------------------------------------------------------------------


def test_scorecard_downloads(client, ledger):
    response = get(client, "/api/v1/scorecards/export.jsonl", {"period": "2026-Q1"})
    assert response.status_code == 200
    assert 'filename="scorecards-2026-Q1.jsonl"' in response["Content-Disposition"]
    rows = jsonl_rows(response)
    assert list(rows[0]) == exports.SCORECARD_COLUMNS
    keys = [(row["agency"], row["kind"]) for row in rows]
    assert sorted(keys) == [
        ("ministry-of-education", ""),
        ("ministry-of-education", QUESTION),
        ("ministry-of-justice", ""),
        ("ministry-of-justice", PETITION),
        ("ministry-of-justice", QUESTION),
    ]
    # Each agency's row of all kinds together comes first, then its kinds.
    assert [kind for agency, kind in keys if agency == "ministry-of-justice"][0] == ""
    justice = next(r for r in rows if r["agency"] == "ministry-of-justice" and r["kind"] == "")
    assert (justice["received"], justice["on_time_numerator"], justice["on_time_denominator"]) == (
        7,
        2,
        3,
    )
    assert justice["on_time_low"] == pytest.approx(0.2077, abs=1e-4)
    assert justice["agency_name_ru"] == "Министерство юстиции"
    assert (justice["period_start"], justice["period_end"]) == ("2026-01-01", "2026-03-31")
    csv_response = get(client, "/api/v1/scorecards/export.csv", {"period": "2026-Q1"})
    table = csv_rows(csv_response)
    assert len(table) == len(rows)
    assert list(table[0]) == exports.SCORECARD_COLUMNS
    justice_csv = next(r for r in table if r["agency"] == "ministry-of-justice" and not r["kind"])
    assert justice_csv["on_time_too_few"] == "no"
    assert justice_csv["received"] == "7"
    one_kind = jsonl_rows(
        get(client, "/api/v1/scorecards/export.jsonl", {"period": "2026-Q1", "kind": PETITION})
    )
    assert [(r["agency"], r["kind"]) for r in one_kind] == [("ministry-of-justice", PETITION)]


# --- feeds ------------------------------------------------------------------------------------


def _entries(response) -> list[ET.Element]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root.findall(f"{ATOM}entry")


def test_overdue_feed(client, ledger, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = get(client, "/en/obligations/overdue/feed/")
    entries = _entries(response)
    # Overdue since 13 April: q4 and e1; "old" became overdue in January (over 30 days
    # ago), q5 waits on the citizen, answered ones are not owed.
    ids = [entry.find(f"{ATOM}id").text for entry in entries]
    assert sorted(ids) == sorted(
        f"http://testserver/api/v1/obligations/{ledger[n].pk}/" for n in ("q4", "e1")
    )
    titles = {entry.find(f"{ATOM}title").text for entry in entries}
    assert titles == {
        "Ministry of Justice: Where is the new school?",
        "Ministry of Education: Where is the new school?",
    }
    first = entries[0]
    assert first.find(f"{ATOM}updated").text.startswith("2026-04-13T23:59:59")
    assert "not answered" in first.find(f"{ATOM}summary").text


def test_agency_overdue_feed(client, ledger):
    entries = _entries(get(client, "/en/agencies/ministry-of-education/overdue/feed/"))
    assert [e.find(f"{ATOM}id").text.rsplit("/", 2)[-2] for e in entries] == [str(ledger["e1"].pk)]
    assert get(client, "/en/agencies/nobody/overdue/feed/").status_code == 404


def test_feed_paths_do_not_clash():
    translation.activate("en")
    assert resolve("/en/agencies/ministry-of-justice/overdue/feed/").url_name == (
        "agency_overdue_feed"
    )
    assert resolve("/en/agencies/ministry-of-justice/").url_name == "agency_detail"
    assert resolve("/en/obligations/overdue/feed/").url_name == "overdue_feed"


# --- the data page ----------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_data_page_in_every_language(client, ledger, language):
    with CaptureQueriesContext(connection) as queries:
        response = get(client, f"/{language}/open-data/")
    # The page's own: one, the calendar's exceptions (the rest is the site's frame).
    own = [q["sql"] for q in queries.captured_queries if '"tracking_' in q["sql"]]
    assert len(own) == 1
    assert response.status_code == 200
    html = response.content.decode()
    assert f'lang="{language}"' in html
    for field in exports.OBLIGATION_FIELDS + exports.scorecard_fields():
        assert f"<code>{field.name}</code>" in html
    for status in Obligation.Status.values:
        assert f"<code>{status}</code>" in html
    assert 'href="https://creativecommons.org/licenses/by/4.0/" rel="license"' in html
    for url in (
        "/api/v1/obligations/export.csv",
        "/api/v1/obligations/export.jsonl",
        reverse("tracking:deadline_calculator"),
        reverse("tracking:overdue_feed"),
    ):
        assert f'href="{url}' in html
    assert "/api/v1/scorecards/export.csv?period=2026-Q2" in html
    assert f"<code>{QUESTION}</code>" in html


def test_data_page_in_english_documents_the_licence_and_rules(client, ledger):
    html = get(client, "/en/open-data/").content.decode()
    assert "Creative Commons Attribution 4.0 International licence (CC BY 4.0)" in html
    assert "Source: Ashyq open dialogue platform, http://testserver/, data under CC BY 4.0." in html
    assert "15 working days" in html  # the question's period
    assert "a central body&#x27;s response to a petition" in html
    assert "Waiting on the citizen" in html


def test_data_page_links_to_the_tracking_pages(client, ledger):
    html = get(client, "/en/open-data/").content.decode()
    main = html.split('<main id="main"', 1)[1]
    for url in ("/en/scorecards/", "/en/obligations/overdue/", "/en/obligations/"):
        assert f'<a href="{url}">' in main, url
