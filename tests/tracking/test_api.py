"""/api/v1/obligations/ and its streamed CSV: rows, filters, no personal data, bounded queries."""

from __future__ import annotations

import csv
import io

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType

from tests.factories import AgencyFactory, OrganisationFactory
from tracking import calendar
from tracking.deadlines import WorkingDays
from tracking.models import Obligation
from tracking.services import (
    obligation_extend,
    obligation_fulfil,
    obligation_open,
    obligation_redirect,
    obligation_withdraw,
)

from .conftest import PETITION, QUESTION, at

pytestmark = pytest.mark.django_db
URL = "/api/v1/obligations/"
CSV_URL = "/api/v1/obligations/export/"
NOW = at(2026, 4, 20, 12)


@pytest.fixture
def ledger(subject, agency_with_staff, other_agency):
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
            new_due_date=calendar.local_date(at(2026, 5, 15)),
            reason="Site visit needed",
            actor=official,
        )
        obligation_fulfil(obligation=rows["on_time"], actor=official)
    with time_machine.travel(at(2026, 4, 15, 11), tick=False):
        obligation_fulfil(obligation=rows["late"], actor=official)
    obligation_withdraw(obligation=rows["withdrawn"], actor=None, reason="Withdrawn")
    return rows


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def test_list_row(client, ledger):
    with time_machine.travel(NOW, tick=False):
        response = client.get(URL, {"page_size": 50})
    assert response.status_code == 200
    rows = {row["id"]: row for row in response.json()["results"]}
    assert len(rows) == 7
    late = rows[ledger["late"].pk]
    assert late["kind"] == QUESTION
    assert late["kind_label"] == "Answer to a question"
    assert late["agency"] == "ministry-of-justice"
    assert late["subject_title"] == "Where is the new school?"
    assert late["subject_url"].endswith(f"/organisations/{ledger['late'].subject.slug}/")
    assert late["status"] == "answered_late"
    assert late["days_to_answer"] == 17
    assert late["extended"] is False
    assert late["original_due_at"] == late["due_at"]
    extended = rows[ledger["extended"].pk]
    assert extended["extended"] is True
    assert extended["extension_reason"] == "Site visit needed"
    assert extended["status"] == "open"
    redirected = rows[ledger["redirected"].pk]
    assert redirected["agency"] == "ministry-of-education"
    assert redirected["redirects"][0]["from_agency"] == "ministry-of-justice"
    assert redirected["redirects"][0]["to_agency"] == "ministry-of-education"
    assert redirected["redirects"][0]["reason"] == "Remit"
    assert rows[ledger["on_time"].pk]["status"] == "answered_on_time"
    assert rows[ledger["on_time"].pk]["days_to_answer"] == 1
    assert rows[ledger["withdrawn"].pk]["status"] == "withdrawn"
    assert rows[ledger["overdue"].pk]["status"] == "overdue"
    assert redirected["status"] == "overdue"


def test_no_personal_data(client, ledger, agency_with_staff):
    body = client.get(URL).content.decode()
    for user in agency_with_staff.members().values():
        assert user.email not in body
        assert user.public_name not in body
    assert "actor" not in body and "extended_by" not in body


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        # The redirected one got a fresh period from 19 March: due 14 April, now overdue.
        ({"status": "overdue"}, {"overdue", "redirected"}),
        ({"status": "open"}, {"extended", "petition"}),
        ({"status": "answered_on_time"}, {"on_time"}),
        ({"status": "answered_late"}, {"late"}),
        ({"status": "withdrawn"}, {"withdrawn"}),
        ({"agency": "ministry-of-education"}, {"petition", "redirected"}),
        ({"kind": PETITION}, {"petition"}),
        ({"opened_after": "2026-04-01"}, {"petition"}),
        (
            {"opened_before": "2026-03-18"},
            {"overdue", "on_time", "late", "withdrawn", "redirected", "extended"},
        ),
        ({"opened_after": "2026-03-19", "opened_before": "2026-04-01"}, set()),
        ({"agency": "ministry-of-justice", "status": "overdue"}, {"overdue"}),
    ],
)
def test_filters(client, ledger, params, expected):
    with time_machine.travel(NOW, tick=False):
        response = client.get(URL, params)
        csv_response = client.get(CSV_URL, params)
    assert response.status_code == 200
    assert ids(response) == {ledger[name].pk for name in expected}
    csv_ids = {int(row["id"]) for row in _csv_rows(csv_response)}
    assert csv_ids == {ledger[name].pk for name in expected}


@pytest.mark.parametrize(
    "params", [{"status": "late"}, {"opened_after": "18.03.2026"}, {"opened_before": "x"}]
)
def test_bad_filters_are_a_clear_400(client, params):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)


def _csv_rows(response) -> list[dict]:
    assert response.streaming is True
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def test_csv_is_streamed_with_the_same_columns(client, ledger):
    with time_machine.travel(NOW, tick=False):
        response = client.get(CSV_URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = {int(row["id"]): row for row in _csv_rows(response)}
    assert len(rows) == 7
    redirected = rows[ledger["redirected"].pk]
    assert redirected["agency"] == "ministry-of-education"
    assert "ministry-of-justice -> ministry-of-education" in redirected["redirects"]
    assert rows[ledger["late"].pk]["status"] == "answered_late"
    assert rows[ledger["late"].pk]["days_to_answer"] == "17"
    assert rows[ledger["overdue"].pk]["days_to_answer"] == ""
    assert rows[ledger["extended"].pk]["extended"] == "yes"


def test_schema_documents_the_csv(client):
    schema = client.get("/api/schema/").json()
    assert "/api/v1/obligations/" in schema["paths"]
    export = schema["paths"]["/api/v1/obligations/export/"]["get"]
    assert "text/csv" in export["responses"]["200"]["content"]
    names = {p["name"] for p in export["parameters"]}
    assert {"agency", "kind", "status", "opened_after", "opened_before"} <= names


def _bulk(count: int) -> None:
    """`count` obligations over 5 agencies, 2 subject types, some answered, some redirected."""
    from accounts.models import Agency
    from tracking.models import ObligationRedirect

    agencies = [AgencyFactory() for _ in range(5)]
    organisations = [OrganisationFactory() for _ in range(3)]
    org_type = ContentType.objects.get_for_model(organisations[0])
    agency_type = ContentType.objects.get_for_model(Agency)
    opened = at(2026, 3, 2)
    due = WorkingDays(15).due_from(opened)
    rows = []
    for n in range(count):
        subject_type, subject = (
            (org_type, organisations[n % 3]) if n % 2 else (agency_type, agencies[n % 5])
        )
        rows.append(
            Obligation(
                content_type=subject_type,
                object_id=str(subject.pk),
                agency=agencies[n % 5],
                kind=QUESTION,
                opened_at=opened,
                clock_started_at=opened,
                due_at=due,
                original_due_at=due,
                answered_at=at(2026, 3, 10 + n % 15) if n % 3 == 0 else None,
            )
        )
    created = Obligation.objects.bulk_create(rows)
    ObligationRedirect.objects.bulk_create(
        ObligationRedirect(
            obligation=o,
            from_agency=agencies[0],
            to_agency=agencies[1],
            at=opened,
            reason="r",
            previous_due_at=due,
            new_due_at=due,
        )
        for o in created[::4]
    )


@pytest.fixture
def agency_titles():
    """Agencies as a second subject type, to show one query per subject type."""
    from tracking import kinds

    kind = kinds.get(QUESTION)
    kinds.register(
        QUESTION,
        label=kind.label,
        deadline=kind.deadline,
        title_of=lambda subject: getattr(subject, "name", ""),
        url_of=lambda subject: subject.get_absolute_url(),
        extension_cap=kind.extension_cap,
    )


@pytest.mark.parametrize("count", [50, 200])
def test_list_queries_do_not_grow(client, count, agency_titles, django_assert_max_num_queries):
    _bulk(count)
    # count, page (agency joined), 2 subject types, redirects; +1 for the calendar's
    # overrides when its cache is cold.
    with django_assert_max_num_queries(6):
        response = client.get(URL, {"page_size": 200})
    assert len(response.json()["results"]) == count


@pytest.mark.parametrize("count", [50, 200])
def test_csv_queries_do_not_grow(client, count, agency_titles, django_assert_max_num_queries):
    _bulk(count)
    # Per chunk of 500 rows: the rows, 2 subject types, redirects; +1 calendar when cold.
    with django_assert_max_num_queries(5):
        response = client.get(CSV_URL)
        rows = _csv_rows(response)
    assert len(rows) == count


def test_list_rows_carry_the_ledger_fields(client, ledger, agency_with_staff):
    """Every date and outcome: the clock, the wait on the citizen, the stored days, the
    rating (`tracking/exports.py` builds the row for the list and the downloads)."""
    from tracking.services import obligation_rate, obligation_wait

    official = agency_with_staff.responder
    with time_machine.travel(at(2026, 4, 16, 11), tick=False):
        obligation_rate(obligation=ledger["late"], verdict="not_satisfied")
    with time_machine.travel(at(2026, 3, 19, 11), tick=False):
        obligation_wait(obligation=ledger["overdue"], actor=official, reason="Need the address")
    with time_machine.travel(NOW, tick=False):
        rows = {row["id"]: row for row in client.get(URL).json()["results"]}
        waiting = client.get(URL, {"status": "waiting"}).json()["results"]
    late = rows[ledger["late"].pk]
    assert (late["rating"], late["answer_days"], late["waited_days"]) == ("not_satisfied", 17, 0)
    assert late["rated_at"].startswith("2026-04-16T11:00:00")
    assert late["clock_started_at"] == late["opened_at"]
    assert rows[ledger["redirected"].pk]["clock_started_at"].startswith("2026-03-19T11:00:00")
    assert rows[ledger["withdrawn"].pk]["withdrawn_at"] is not None
    assert rows[ledger["extended"].pk]["extended_at"].startswith("2026-03-19T11:00:00")
    assert [row["id"] for row in waiting] == [ledger["overdue"].pk]
    assert rows[ledger["overdue"].pk]["status"] == "waiting"
    assert rows[ledger["overdue"].pk]["waiting_since"].startswith("2026-03-19T11:00:00")
