"""/api/v1/petitions/: what is listed and what only opens by id, the shapes of the list
and the detail (response, rejection, region counts, files), the filters, the effective
state at the request's time; no email, IP address or signer anywhere; bounded queries."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.regions import Region
from petitions import services
from petitions.models import Petition, PetitionState, ResponseDecision, ResponseState
from tests.factories import AgencyFactory

from .conftest import (
    AFTER_COLLECTION,
    DURING,
    PUBLISHED,
    THRESHOLD,
    at,
    committed,
    make_petition,
    make_signers,
    reason,
    sign_many,
)

pytestmark = pytest.mark.django_db

LIST = "/api/v1/petitions/"
SIGNER_IP = "198.51.100.77"


def detail(pk: int) -> str:
    return f"{LIST}{pk}/"


def make_public(petition: Petition, **fields) -> Petition:
    """Move a published petition to `public` (the services would need 50 signatures)."""
    fields.setdefault("state", PetitionState.PUBLIC)
    fields.setdefault("public_at", petition.published_at + datetime.timedelta(days=1))
    Petition.objects.filter(pk=petition.pk).update(**fields)
    return Petition.objects.get(pk=petition.pk)


def make_threshold_reached(petition: Petition, **fields) -> Petition:
    return make_public(
        petition,
        state=PetitionState.THRESHOLD_REACHED,
        threshold_reached_at=PUBLISHED + datetime.timedelta(days=3),
        response_state=ResponseState.AWAITING,
        signature_count=fields.pop("signature_count", THRESHOLD),
        **fields,
    )


@dataclass
class Zoo:
    draft: Petition
    submitted: Petition
    in_moderation: Petition
    link_only: Petition
    public: Petition
    threshold: Petition
    responded: Petition
    rejected_public: Petition
    rejected_hidden: Petition
    hidden: Petition
    withdrawn: Petition

    def listed(self) -> set[int]:
        return {self.public.pk, self.threshold.pk, self.responded.pk}


@pytest.fixture
def zoo(author, addressee, moderator) -> Zoo:
    """A petition in each state the API must tell apart."""
    agency = addressee.agency

    def published() -> Petition:
        return make_petition(author, agency, stage="published", moderator=moderator)

    link_only = published()
    # Real signatures on the link-only one: their email and IP must never show.
    sign_many(link_only, make_signers(2), ip=SIGNER_IP)
    sign_many(link_only, make_signers(1, region=""))
    public = published()
    sign_many(public, make_signers(3, region=Region.SHYMKENT))
    public = make_public(public)
    threshold = make_threshold_reached(published(), signature_count=THRESHOLD + 5)
    responded = make_threshold_reached(published(), signature_count=THRESHOLD + 20)
    with time_machine.travel(DURING + datetime.timedelta(hours=2), tick=False), committed():
        services.response_publish(
            petition=responded,
            actor=addressee.responder,
            text="The crossing will be built by September.",
            decision=ResponseDecision.PARTIALLY,
            hearing_date=datetime.date(2026, 4, 2),
            files=[SimpleUploadedFile("decision.pdf", b"%PDF-1.4 decision")],
        )
    rejected_public = make_petition(author, agency, stage="in_moderation", moderator=moderator)
    services.petition_reject(
        petition=rejected_public,
        actor=moderator,
        reason=reason("courts"),
        note="Court decisions are appealed in court.",
    )
    rejected_hidden = make_petition(author, agency, stage="in_moderation", moderator=moderator)
    services.petition_reject(
        petition=rejected_hidden,
        actor=moderator,
        reason=reason("personal-data"),
        note="Names a private person.",
    )
    hidden = make_public(published())
    services.petition_hide(petition=hidden, reason="abuse", actor=moderator, note="Insults.")
    withdrawn = published()
    services.petition_withdraw(petition=withdrawn, actor=author, reason="Solved.")
    return Zoo(
        draft=make_petition(author, agency),
        submitted=make_petition(author, agency, stage="submitted"),
        in_moderation=make_petition(author, agency, stage="in_moderation", moderator=moderator),
        link_only=Petition.objects.get(pk=link_only.pk),
        public=public,
        threshold=threshold,
        responded=Petition.objects.get(pk=responded.pk),
        rejected_public=rejected_public,
        rejected_hidden=rejected_hidden,
        hidden=hidden,
        withdrawn=withdrawn,
    )


def when(value: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(value)


def ids(client, **params) -> list[int]:
    response = client.get(LIST, params)
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def assert_no_personal_data(body: str) -> None:
    assert "@" not in body
    assert SIGNER_IP not in body and "10.0.0." not in body
    assert "Nurlanova" not in body  # the factories' surname: signers never appear


def test_list_shows_only_listed_petitions(client, zoo):
    response = client.get(LIST)
    body = response.json()
    assert body["count"] == 3
    assert {item["id"] for item in body["results"]} == zoo.listed()
    for other in (
        zoo.draft,
        zoo.submitted,
        zoo.in_moderation,
        zoo.link_only,
        zoo.rejected_public,
        zoo.rejected_hidden,
        zoo.hidden,
        zoo.withdrawn,
    ):
        assert other.pk not in {item["id"] for item in body["results"]}
    assert_no_personal_data(response.content.decode())


def test_list_item_shape(client, zoo):
    items = {item["id"]: item for item in client.get(LIST).json()["results"]}
    item = items[zoo.responded.pk]
    assert item["title"] == "Build a pedestrian crossing on Abai Avenue"
    assert item["request"] == "Install a signalled crossing near school No. 12."
    assert item["addressee"] == {"slug": "ministry-of-justice", "name": "Әділет министрлігі"}
    assert item["region"] == "astana" and item["region_label"]
    assert item["author"] == "Asel"  # the author's public name (display name)
    assert item["state"] == "threshold_reached" and item["state_label"]
    assert item["response_state"] == "responded"
    assert item["collecting"] is True
    assert (item["threshold"], item["signature_count"], item["progress"]) == (THRESHOLD, 80, 100)
    dates = item["dates"]
    assert when(dates["published_at"]) == PUBLISHED
    assert when(dates["closes_at"]) == zoo.responded.collection_closes_at
    assert zoo.responded.collection_closes_at.date() == datetime.date(2026, 9, 4)
    assert when(dates["threshold_reached_at"]) == at(2026, 3, 7)
    assert when(dates["responded_at"]) == at(2026, 3, 10, 12)
    assert dates["closed_at"] is None and dates["public_at"]
    assert item["url"] == f"http://testserver/kk/petitions/{zoo.responded.pk}/"
    assert "background" not in item and "response" not in item
    public = items[zoo.public.pk]
    assert (public["signature_count"], public["progress"]) == (3, 5)


def test_link_only_opens_by_id_with_counts_by_region(client, zoo):
    response = client.get(detail(zoo.link_only.pk))
    assert response.status_code == 200
    item = response.json()
    assert item["state"] == "published" and item["signature_count"] == 3
    assert item["background"] == "Children cross six lanes twice a day."
    assert item["region_counts"] == [
        {
            "region": "karaganda",
            "label": item["region_counts"][0]["label"],
            "count": 2,
            "percent": 66.7,
        },
        {"region": "", "label": item["region_counts"][1]["label"], "count": 1, "percent": 33.3},
    ]
    assert item["rejection"] is None and item["response"] is None
    assert item["hidden_reason"] is None and item["attachments"] == []
    assert_no_personal_data(response.content.decode())


def test_private_petitions_and_hidden_reasons_are_not_exposed(client, zoo):
    for petition in (zoo.draft, zoo.submitted, zoo.in_moderation, zoo.rejected_hidden):
        assert client.get(detail(petition.pk)).status_code == 404, petition.state
    assert client.get(f"{LIST}abc/").status_code == 404
    # Even their authors and moderators get nothing private from the open data API.
    client.force_login(zoo.draft.author)
    assert client.get(detail(zoo.draft.pk)).status_code == 404
    assert zoo.rejected_hidden.pk not in ids(client, state="rejected")


def test_public_rejection_shows_reason_and_note(client, zoo):
    item = client.get(detail(zoo.rejected_public.pk)).json()
    assert item["state"] == "rejected"
    rejection = item["rejection"]
    assert rejection["reason"] == "courts" and rejection["excluded_topic"] is True
    assert rejection["label"] and rejection["note"] == "Court decisions are appealed in court."
    assert item["dates"]["rejected_at"]
    assert ids(client, state="rejected") == [zoo.rejected_public.pk]


def test_response_in_detail(client, zoo):
    response = client.get(detail(zoo.responded.pk))
    answer = response.json()["response"]
    assert answer["text"] == "The crossing will be built by September."
    assert answer["decision"] == "partially" and answer["decision_label"]
    assert answer["hearing_date"] == "2026-04-02"
    assert when(answer["published_at"]) == at(2026, 3, 10, 12)
    (file,) = answer["files"]
    assert file["name"].endswith(".pdf") and file["content_type"] == "application/pdf"
    assert "url" in file
    assert_no_personal_data(response.content.decode())


def test_hidden_petition_keeps_its_row_without_texts(client, zoo):
    item = client.get(detail(zoo.hidden.pk)).json()
    assert item["title"] is None and item["request"] is None and item["background"] is None
    assert item["hidden_reason"] and item["attachments"] == []
    assert item["state"] == "public"


def test_withdrawn_after_publication_opens(client, zoo):
    item = client.get(detail(zoo.withdrawn.pk)).json()
    assert item["state"] == "withdrawn" and item["dates"]["withdrawn_at"]


def test_attachments_listed_with_download_address(client, author, addressee, moderator):
    petition = make_petition(author, addressee.agency)
    services.attachment_add(
        petition=petition, actor=author, files=[SimpleUploadedFile("plan.pdf", b"%PDF-1.4 x")]
    )
    with time_machine.travel(PUBLISHED, tick=False):
        services.petition_submit(petition=petition, actor=author)
        services.petition_publish(petition=petition, actor=moderator)
    (file,) = client.get(detail(petition.pk)).json()["attachments"]
    attachment = petition.attachments.get()
    assert file == {
        "name": attachment.name,
        "size": attachment.size,
        "content_type": "application/pdf",
        "url": f"http://testserver/kk/petitions/{petition.pk}/files/{attachment.pk}/",
    }


def test_filters(client, zoo, author, moderator):
    almaty = AgencyFactory(slug="akimat-almaty", local=True)
    other = make_petition(author, almaty, stage="published", moderator=moderator)
    other = make_public(other, region=Region.ALMATY_CITY, signature_count=500)

    assert ids(client, state="public") == [other.pk, zoo.public.pk]
    assert set(ids(client, state="threshold_reached")) == {zoo.threshold.pk, zoo.responded.pk}
    assert ids(client, state="responded") == [zoo.responded.pk]
    assert ids(client, addressee="akimat-almaty") == [other.pk]
    assert ids(client, region="almaty-city") == [other.pk]
    assert ids(client, region="karaganda") == []
    # most signed by default; newest by publication.
    assert ids(client) == [other.pk, zoo.responded.pk, zoo.threshold.pk, zoo.public.pk]
    assert ids(client, sort="newest")[0] == other.pk
    # Collecting only, soonest end first (the same day for all here: then by id).
    assert ids(client, sort="closing_soon") == [
        zoo.public.pk,
        zoo.threshold.pk,
        zoo.responded.pk,
        other.pk,
    ]
    for param, value in (
        ("state", "draft"),
        ("state", "published"),
        ("region", "atlantis"),
        ("sort", "random"),
        ("addressee", "no-such-body"),
    ):
        response = client.get(LIST, {param: value})
        assert response.status_code == 400, (param, value)
        assert param in response.json()


def test_effective_state_at_the_request_time(client, zoo):
    with time_machine.travel(AFTER_COLLECTION, tick=False):
        items = {item["id"]: item for item in client.get(LIST).json()["results"]}
        link_only = client.get(detail(zoo.link_only.pk)).json()
    # Public past the end: closed, dated by the clock before the daily command stores it.
    public = items[zoo.public.pk]
    assert public["state"] == "closed" and public["collecting"] is False
    assert public["dates"]["closed_at"] == public["dates"]["closes_at"]
    # Answered and past the end: closed; awaiting its answer: stays threshold reached.
    assert items[zoo.responded.pk]["state"] == "closed"
    assert items[zoo.threshold.pk]["state"] == "threshold_reached"
    # Link-only with too few supporters past the support deadline.
    assert link_only["state"] == "closed_unsupported"
    assert link_only["dates"]["closed_at"] == link_only["dates"]["support_deadline"]
    assert ids(client, state="closed") == []  # the stored state: the command has not run


def _bulk_public(author, agency, count: int) -> None:
    rows = []
    for index in range(count):
        rows.append(
            Petition(
                author=author,
                addressee=agency,
                title=f"Petition {index}",
                request="Do something useful.",
                region=Region.ASTANA,
                state=PetitionState.PUBLIC,
                published_at=PUBLISHED,
                public_at=PUBLISHED + datetime.timedelta(days=1),
                support_deadline=PUBLISHED + datetime.timedelta(days=14),
                collection_closes_at=PUBLISHED + datetime.timedelta(days=180),
                threshold=THRESHOLD,
                signature_count=index,
            )
        )
    Petition.objects.bulk_create(rows)


def _count(client, path: str, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, params or {})
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


def test_list_queries_do_not_grow(client, author, addressee, django_assert_max_num_queries):
    _bulk_public(author, addressee.agency, 3)
    small = _count(client, LIST)
    small_filtered = _count(client, LIST, {"addressee": "ministry-of-justice"})
    _bulk_public(author, addressee.agency, 45)
    assert _count(client, LIST) == small
    assert _count(client, LIST, {"addressee": "ministry-of-justice"}) == small_filtered
    # The page's COUNT and its rows; the filter adds the agency's lookup.
    with django_assert_max_num_queries(2):
        body = client.get(LIST).json()
    assert body["count"] == 48 and len(body["results"]) == 48
    with django_assert_max_num_queries(3):
        client.get(LIST, {"addressee": "ministry-of-justice", "sort": "closing_soon"})


@pytest.mark.parametrize("size", [2, 40])
def test_detail_queries_do_not_grow(
    client, published, addressee, size, django_assert_max_num_queries
):
    petition = sign_many(published, make_signers(size // 2))
    petition = sign_many(petition, make_signers(size - size // 2, region=Region.ABAI))
    petition = make_threshold_reached(petition, signature_count=petition.signature_count)
    with time_machine.travel(DURING + datetime.timedelta(hours=1), tick=False):
        services.response_publish(
            petition=petition,
            actor=addressee.responder,
            text="Answered.",
            decision=ResponseDecision.ACCEPTED,
            files=[SimpleUploadedFile("a.pdf", b"%PDF-1.4 a")] * 2,
        )
    # The petition, its files, the region counts, the response and its files.
    with django_assert_max_num_queries(5):
        response = client.get(detail(petition.pk))
    item = response.json()
    assert item["signature_count"] == size
    assert sum(row["count"] for row in item["region_counts"]) == size
    assert len(item["response"]["files"]) == 2
    assert_no_personal_data(json.dumps(item))
