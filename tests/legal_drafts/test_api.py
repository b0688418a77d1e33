"""/api/v1/drafts/: list filters and shapes, the detail with its text, comments with
dispositions, the report and its CSV; no email anywhere; bounded queries."""

from __future__ import annotations

import csv
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from legal_drafts import services
from legal_drafts.models import DraftType
from legal_drafts.text_import import import_markdown
from tests.factories import AgencyFactory, MembershipFactory, UserFactory

from .conftest import DURING, TEXT_KK, TEXT_RU, at, first_paragraph, make_draft
from .test_report import PUBLISHED, discussed

pytestmark = pytest.mark.django_db

LIST = "/api/v1/drafts/"


def other_agency_draft(**fields):
    agency = AgencyFactory(slug="akimat-almaty", name_en="Akimat of Almaty")
    drafter = UserFactory()
    MembershipFactory(agency=agency, user=drafter, role="drafter")

    class Staff:
        pass

    staff = Staff()
    staff.agency, staff.drafter = agency, drafter
    return make_draft(staff, **fields)


def test_list_shows_published_drafts_with_their_fields(client, agency_with_staff):
    draft, posted = discussed(agency_with_staff)
    unpublished = make_draft(agency_with_staff, publish=False)
    with time_machine.travel(PUBLISHED, tick=False):
        body = client.get(LIST).json()
    assert body["count"] == 1
    (item,) = body["results"]
    assert item["id"] == draft.pk != unpublished.pk
    assert item["type"] == {"code": "order", "name": item["type"]["name"]}
    assert item["agency"]["slug"] == "ministry-of-justice"
    assert item["status"] == "report_published"
    assert item["votes"] == {"for": 1, "against": 1}
    # Visible comments and replies: 3 + the reply + the organisation's (hidden not counted).
    assert item["comment_count"] == 5
    assert item["url"] == f"http://testserver/kk/drafts/{draft.pk}/"
    assert item["report_url"] == f"http://testserver/kk/drafts/{draft.pk}/report/"
    assert item["title_kk"] and item["title_ru"] and item["effective_closes_at"]
    for key in ("outcome", "adopted_url", "adopted_on", "withdrawal_reason", "extension_reason"):
        assert key in item


def test_list_filters(client, agency_with_staff):
    order = make_draft(agency_with_staff)
    rules = make_draft(
        agency_with_staff,
        type=DraftType.objects.get(code="rules"),
        opens=at(2027, 3, 1),
        closes=at(2027, 3, 20),
    )
    almaty = other_agency_draft()
    with time_machine.travel(DURING, tick=False):

        def ids(**params):
            response = client.get(LIST, params)
            assert response.status_code == 200, response.content
            return {item["id"] for item in response.json()["results"]}

        assert ids() == {order.pk, rules.pk, almaty.pk}
        assert ids(type="rules") == {rules.pk}
        assert ids(agency="akimat-almaty") == {almaty.pk}
        assert ids(status="scheduled") == {rules.pk}
        assert ids(status="open") == {order.pk, almaty.pk}
        assert ids(year="2027") == {rules.pk}
        assert ids(year="2026", agency="ministry-of-justice") == {order.pk}
        for bad in ({"status": "nope"}, {"year": "20x6"}, {"type": "nope"}):
            assert client.get(LIST, bad).status_code == 400


def test_detail_has_versions_and_the_current_text_with_counts(client, agency_with_staff):
    draft = make_draft(agency_with_staff)
    with time_machine.travel(DURING, tick=False):
        from dialogue.services import comment_post

        comment_post(target=first_paragraph(draft), author=UserFactory(), text="On point 1.")
        version = services.version_create(
            draft=draft,
            actor=agency_with_staff.drafter,
            text=import_markdown(
                kk=TEXT_KK.replace("он бес", "он"), ru=TEXT_RU.replace("пятнадцати", "десяти")
            ),
            note_ru="Срок сокращён.",
        )
        services.version_publish(version=version, actor=agency_with_staff.drafter)
        body = client.get(f"{LIST}{draft.pk}/").json()
        old = client.get(f"{LIST}{draft.pk}/", {"version": 1}).json()
        assert client.get(f"{LIST}{draft.pk}/", {"version": 9}).status_code == 404
    assert [v["number"] for v in body["versions"]] == [1, 2]
    assert body["versions"][1]["note_ru"] == "Срок сокращён."
    assert body["version"]["number"] == 2
    sections = body["version"]["sections"]
    assert [s["anchor"] for s in sections] == ["art-1", "art-2"]
    point = sections[0]["paragraphs"][1]
    assert point["anchor"] == "art-1-p-2" and point["number"] == "2"
    assert "десяти" in point["text_ru"] and point["text_kk"]
    assert sections[0]["paragraphs"][0]["comment_count"] == 0  # the comment is on version 1
    assert old["version"]["number"] == 1
    assert old["version"]["sections"][0]["paragraphs"][0]["comment_count"] == 1
    assert "пятнадцати" in old["version"]["sections"][0]["paragraphs"][1]["text_ru"]


def test_unpublished_draft_is_not_in_the_api(client, agency_with_staff):
    draft = make_draft(agency_with_staff, publish=False)
    for path in ("", "comments/", "report/", "report/csv/"):
        assert client.get(f"{LIST}{draft.pk}/{path}").status_code == 404


def test_comments_with_dispositions_and_hidden_text(client, agency_with_staff):
    draft, posted = discussed(agency_with_staff, publish=False)
    body = client.get(f"{LIST}{draft.pk}/comments/").json()
    assert body["count"] == len(posted)
    results = {item["id"]: item for item in body["results"]}
    assert set(results) == {comment.pk for comment in posted}
    first = results[posted[0].pk]
    assert (first["paragraph"], first["version"]) == ("art-1-p-1", 1)
    assert first["text"].startswith("Comment number 0.")
    assert first["disposition"]["value"] == "accepted"
    assert first["disposition"]["reason"].startswith("Reason 0:")
    assert first["disposition"]["responded_at"]
    on_draft = results[posted[1].pk]
    assert (on_draft["paragraph"], on_draft["version"]) == (None, None)
    organisation = results[posted[-2].pk]
    assert organisation["author"].startswith("Civic Watch") and organisation["organisation"]
    hidden = results[posted[-1].pk]
    assert hidden["state"] == "hidden" and hidden["text"] is None
    assert hidden["disposition"] is None


def test_report_404_until_published_then_counts_and_csv(client, agency_with_staff):
    draft, posted = discussed(agency_with_staff, publish=False)
    assert client.get(f"{LIST}{draft.pk}/report/").status_code == 404
    assert client.get(f"{LIST}{draft.pk}/report/csv/").status_code == 404
    with time_machine.travel(PUBLISHED, tick=False):
        services.report_publish(
            draft=draft,
            actor=agency_with_staff.drafter,
            summary_ru="Итог.",
            summary_kk="Қорытынды.",
        )
    body = client.get(f"{LIST}{draft.pk}/report/").json()
    assert body["comments"] == len(posted)
    assert body["comments"] == body["answered"] + body["unanswered"] + body["not_required"]
    assert (body["unanswered"], body["not_required"]) == (0, 1)  # the hidden one
    assert body["by_disposition"] == {"accepted": 1, "partially": 1, "not_accepted": 1, "noted": 1}
    assert body["votes"] == {"for": 1, "against": 1}
    assert (body["summary_kk"], body["summary_ru"]) == ("Қорытынды.", "Итог.")
    assert body["published_by"] == agency_with_staff.drafter.public_name
    assert body["published_at"] and body["csv_url"].endswith("/report.csv")
    response = client.get(f"{LIST}{draft.pk}/report/csv/")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))[1:]
    assert sorted(int(row[0]) for row in rows) == sorted(c.pk for c in posted)


def test_no_email_in_any_response(client, agency_with_staff):
    draft, posted = discussed(agency_with_staff)
    emails = [comment.user.email for comment in posted] + [
        agency_with_staff.head.email,
        agency_with_staff.drafter.email,
    ]
    for path in ("", f"{draft.pk}/", f"{draft.pk}/comments/", f"{draft.pk}/report/"):
        content = client.get(f"{LIST}{path}").content.decode()
        assert not [email for email in emails if email in content], path
        assert "@" not in content, path


def _count(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, response.content
    return len(queries)


def test_queries_do_not_grow(client, agency_with_staff, django_assert_max_num_queries):
    small, _ = discussed(agency_with_staff, comments=1)
    paths = ["", "{pk}/", "{pk}/comments/", "{pk}/report/"]
    before = {path: _count(client, LIST + path.format(pk=small.pk)) for path in paths}
    big, _ = discussed(agency_with_staff, comments=20)
    other_agency_draft()
    make_draft(agency_with_staff)
    after = {path: _count(client, LIST + path.format(pk=big.pk)) for path in paths}
    assert before == after
    with django_assert_max_num_queries(8):
        client.get(f"{LIST}{big.pk}/comments/")
    with django_assert_max_num_queries(6):
        client.get(LIST)


def test_openapi_schema_documents_the_drafts(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    for path in ("/api/v1/drafts/", "/api/v1/drafts/{id}/comments/", "/api/v1/drafts/{id}/report/"):
        assert path.encode() in response.content
