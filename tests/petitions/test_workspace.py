"""The petitions workspace over HTTP: who may open each page (role matrix), the moderation
flow through the views (take, publish, reject with a reason that is not published, hide
and restore, refusals that keep what was typed), the abuse report, the bulk invalidation
(preview, then confirm; rows kept and marked, counters right), the addressee's response,
the header links, and bounded queries at two sizes."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from petitions import services
from petitions.context_processors import workspace_nav
from petitions.models import (
    AddresseeRule,
    Invalidation,
    Petition,
    PetitionResponse,
    PetitionState,
    RegionCount,
    ResponseState,
    Signature,
)
from tests.factories import (
    AgencyFactory,
    MembershipFactory,
    UserFactory,
    platform_editor,
    platform_moderator,
)

from .conftest import DURING, at, committed, make_petition, make_signers, reason, sign_many

pytestmark = pytest.mark.django_db


def en(name: str, **kwargs) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs or None)


def as_(client, person):
    if person is not None:
        client.force_login(person)
    return client


@pytest.fixture
def people(addressee, moderator):
    other = AgencyFactory(slug="akimat-astana", name_en="Akimat of Astana")
    other_head = UserFactory(display_name="Akimat Head")
    MembershipFactory(agency=other, user=other_head, role="head")
    return {
        "anonymous": None,
        "citizen": UserFactory(display_name="Citizen"),
        "moderator": moderator,
        "editor": platform_editor(display_name="Editor"),
        "head": addressee.head,
        "responder": addressee.responder,
        "drafter": addressee.drafter,
        "other_head": other_head,
    }


@pytest.fixture
def quick(settings, addressee):
    """One signature takes a petition to its threshold (published -> public -> reached)."""
    settings.PETITIONS_SUPPORT_MINIMUM = 1
    rule = AddresseeRule.objects.get(agency=addressee.agency)
    rule.fixed_threshold = 1
    rule.save()
    addressee.agency.petition_rule = rule  # the cached one asked for 60
    return addressee


@pytest.fixture
def awaiting(quick, author, moderator) -> Petition:
    petition = make_petition(author, quick.agency, stage="published", moderator=moderator)
    signer = UserFactory(display_name="Signer")
    sign_many(petition, [signer], wants_updates=True)
    petition.refresh_from_db()
    assert petition.response_state == ResponseState.AWAITING
    return petition


@pytest.fixture
def submitted(author, addressee) -> Petition:
    return make_petition(author, addressee.agency, stage="submitted")


# --- Role matrix ------------------------------------------------------------------------------

MODERATORS_ONLY = ("moderator",)
EVERYONE_ELSE = ("citizen", "editor", "head", "responder", "drafter", "other_head")


@pytest.mark.parametrize("role", [*MODERATORS_ONLY, *EVERYONE_ELSE, "anonymous"])
def test_moderation_pages_role_matrix(client, people, submitted, published, role):
    urls = [
        en("petitions:moderation"),
        en("petitions:trends"),
        en("petitions:moderate", pk=submitted.pk),
        en("petitions:invalidate", pk=published.pk),
    ]
    client = as_(client, people[role])
    for url in urls:
        response = client.get(url)
        if role == "anonymous":
            assert response.status_code == 302
            assert "login" in response["Location"]
        elif role in MODERATORS_ONLY:
            assert response.status_code == 200, url
        else:
            assert response.status_code == 403, url
            assert "You cannot do this" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("head", 200),
        ("responder", 200),
        ("other_head", 200),
        ("drafter", 403),
        ("moderator", 403),
        ("editor", 403),
        ("citizen", 403),
        ("anonymous", 302),
    ],
)
def test_response_queue_role_matrix(client, people, awaiting, role, status):
    response = as_(client, people[role]).get(en("petitions:responses"))
    assert response.status_code == status
    if status == 200:
        listed = awaiting.title in response.content.decode()
        assert listed is (role in ("head", "responder"))  # not another agency's


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("head", 200),
        ("responder", 200),
        ("other_head", 403),
        ("drafter", 403),
        ("moderator", 403),
        ("editor", 403),
        ("citizen", 403),
        ("anonymous", 302),
    ],
)
def test_respond_role_matrix(client, people, awaiting, role, status):
    response = as_(client, people[role]).get(en("petitions:respond", pk=awaiting.pk))
    assert response.status_code == status


def test_superuser_is_offered_only_what_the_state_allows(client, published):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    html = client.get(en("petitions:moderate", pk=published.pk)).content.decode()
    assert 'value="publish"' not in html and 'value="reject"' not in html
    assert 'value="hide"' in html
    response = client.post(en("petitions:moderate", pk=published.pk), {"action": "publish"})
    assert response.status_code == 403
    assert "already been moderated" in response.content.decode()


# --- Moderation flow ---------------------------------------------------------------------------


def test_moderation_flow_take_then_publish(client, moderator, author, addressee):
    submitted = make_petition(author, addressee.agency, stage="draft")
    services.attachment_add(
        petition=submitted, actor=author, files=[SimpleUploadedFile("plan.pdf", b"%PDF-1.4 p")]
    )
    with time_machine.travel(at(2026, 3, 2), tick=False):
        services.petition_submit(petition=submitted, actor=author)
    make_petition(author, addressee.agency, stage="draft")  # the author's other petition
    client.force_login(moderator)
    queue = client.get(en("petitions:moderation")).content.decode()
    assert submitted.title in queue
    assert "April 3, 2026" in queue  # 20 working days after 2 March
    assert "Nobody yet" in queue
    page = client.get(en("petitions:moderate", pk=submitted.pk)).content.decode()
    assert "plan.pdf" in page
    assert "The author has 1 other petition" in page
    assert submitted.request in page
    assert "Excluded topics (law On Public Control)" in page
    assert "Other reasons" in page
    assert "Personal data (not published)" in page

    response = client.post(en("petitions:moderate", pk=submitted.pk), {"action": "take"})
    assert response.status_code == 302
    petition = Petition.objects.get(pk=submitted.pk)
    assert petition.state == PetitionState.IN_MODERATION
    assert petition.moderated_by == moderator
    assert "You" in client.get(en("petitions:moderation")).content.decode()

    with committed():
        response = client.post(en("petitions:moderate", pk=submitted.pk), {"action": "publish"})
    assert response.status_code == 302
    assert response["Location"] == en("petitions:moderation")
    petition.refresh_from_db()
    assert petition.state == PetitionState.PUBLISHED
    assert petition.moderation_obligation.answered_at is not None
    followed = client.get(response["Location"]).content.decode()
    assert "The petition was published" in followed
    assert "Nothing is waiting for moderation." in followed
    assert petition.title in followed  # now among the recently published


def test_queue_says_when_moderation_is_overdue_or_due_soon(client, moderator, submitted):
    with time_machine.travel(at(2026, 4, 1), tick=False):  # due Friday 3 April
        client.force_login(moderator)
        soon = client.get(en("petitions:moderation")).content.decode()
    assert "Due soon" in soon and "2 working days left" in soon
    with time_machine.travel(at(2026, 4, 7), tick=False):
        late = client.get(en("petitions:moderation")).content.decode()
    assert "Overdue by 2 working days" in late


def test_taking_a_petition_another_moderator_has_is_refused(client, author, addressee):
    first = platform_moderator(display_name="First Moderator")
    petition = make_petition(author, addressee.agency, stage="in_moderation", moderator=first)
    second = platform_moderator()
    client.force_login(second)
    page = client.get(en("petitions:moderate", pk=petition.pk)).content.decode()
    assert "is reviewing this petition" in page
    response = client.post(en("petitions:moderate", pk=petition.pk), {"action": "take"})
    assert response.status_code == 403
    assert "Another moderator is already reviewing" in response.content.decode()


def test_reject_with_a_reason_that_is_not_published(client, moderator, submitted):
    client.force_login(moderator)
    hidden = reason("personal-data")
    with committed():
        response = client.post(
            en("petitions:moderate", pk=submitted.pk),
            {"action": "reject", "reason": hidden.pk, "note": "Names a private person."},
        )
    assert response.status_code == 302
    petition = Petition.objects.get(pk=submitted.pk)
    assert petition.state == PetitionState.REJECTED
    assert petition.rejection_reason == hidden
    assert petition.rejection_note == "Names a private person."
    assert not petition.rejection_is_public
    followed = client.get(response["Location"]).content.decode()
    assert "a reason that is not published" in followed


def test_reject_needs_a_reason_and_keeps_the_note(client, moderator, submitted):
    client.force_login(moderator)
    response = client.post(
        en("petitions:moderate", pk=submitted.pk),
        {"action": "reject", "reason": "", "note": "My careful explanation"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="reject-reason_error"' in html
    assert "My careful explanation" in html
    assert Petition.objects.get(pk=submitted.pk).state == PetitionState.SUBMITTED


def test_rejecting_a_published_petition_is_refused_keeping_the_note(client, moderator, published):
    client.force_login(moderator)
    response = client.post(
        en("petitions:moderate", pk=published.pk),
        {"action": "reject", "reason": reason("duplicate").pk, "note": "Typed at length"},
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "already been moderated" in html
    assert "Typed at length" in html
    assert Petition.objects.get(pk=published.pk).state == PetitionState.PUBLISHED


def test_hide_and_restore(client, moderator, published):
    client.force_login(moderator)
    url = en("petitions:moderate", pk=published.pk)
    response = client.post(url, {"action": "hide", "reason": "spam", "note": "Bot text"})
    assert response.status_code == 302
    petition = Petition.objects.get(pk=published.pk)
    assert petition.hidden_at is not None and petition.hidden_reason == "spam"
    page = client.get(url).content.decode()
    assert "Hidden because: spam or advertising." in page
    assert client.post(url, {"action": "restore"}).status_code == 302
    assert Petition.objects.get(pk=published.pk).hidden_at is None


def test_get_changes_nothing_and_unknown_action_is_refused(client, moderator, submitted):
    client.force_login(moderator)
    client.get(en("petitions:moderate", pk=submitted.pk) + "?action=take")
    assert Petition.objects.get(pk=submitted.pk).state == PetitionState.SUBMITTED
    response = client.post(en("petitions:moderate", pk=submitted.pk), {"action": "delete"})
    assert response.status_code == 400


# --- Abuse report ------------------------------------------------------------------------------


def test_trends_list_ips_and_domains_with_prefilled_links(client, moderator, published):
    signers = make_signers(3) + [UserFactory(email="x@spam.example")]
    sign_many(published, signers, ip="203.0.113.9")
    client.force_login(moderator)
    with time_machine.travel(DURING + datetime.timedelta(minutes=30), tick=False):
        html = client.get(en("petitions:trends"), {"hours": 1}).content.decode()
        one = client.get(
            en("petitions:trends"), {"hours": 24, "petition": published.pk}
        ).content.decode()
    invalidate = en("petitions:invalidate", pk=published.pk)
    assert "203.0.113.9" in html
    assert f"{invalidate}?ip=203.0.113.9" in html
    assert f"{invalidate}?domain=spam.example" in html
    assert "personal data" in html.lower() and "moderators only" in html
    assert f"{invalidate}?ip=203.0.113.9" in one
    with time_machine.travel(DURING + datetime.timedelta(hours=3), tick=False):
        later = client.get(en("petitions:trends"), {"hours": 1}).content.decode()
    assert "203.0.113.9" not in later


# --- Invalidation ------------------------------------------------------------------------------


def test_invalidation_preview_then_confirm(client, moderator, published):
    bots = make_signers(3)
    people_ = make_signers(2)
    sign_many(published, bots, ip="198.51.100.7")
    sign_many(published, people_)
    client.force_login(moderator)
    url = en("petitions:invalidate", pk=published.pk)

    form = client.get(url, {"ip": "198.51.100.7"}).content.decode()
    assert 'value="198.51.100.7"' in form

    rule = {"kind": "ip", "ip": "198.51.100.7", "reason": "One address, one minute."}
    preview = client.post(url, rule)
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "This rule covers 3 valid signatures" in html
    assert 'name="confirm" value="1"' in html
    assert not Invalidation.objects.exists()
    assert Signature.objects.filter(invalidated_at__isnull=False).count() == 0

    response = client.post(url, {**rule, "confirm": "1"})
    assert response.status_code == 302
    assert Signature.objects.filter(petition=published).count() == 5  # rows kept
    marked = Signature.objects.filter(petition=published, invalidated_at__isnull=False)
    assert marked.count() == 3
    batch = Invalidation.objects.get()
    assert batch.count == 3
    assert set(marked.values_list("invalidation_batch", flat=True)) == {batch.pk}
    assert set(marked.values_list("invalidated_by", flat=True)) == {moderator.pk}
    published.refresh_from_db()
    assert published.signature_count == 2
    assert sum(RegionCount.objects.filter(petition=published).values_list("count", flat=True)) == 2
    page = client.get(response["Location"]).content.decode()
    assert "3 signatures were invalidated. The petition now counts 2 signatures." in page
    assert "One address, one minute." in page
    assert "3 signatures invalidated in all." in page


def test_invalidation_by_time_range_in_astana_time(client, moderator, published):
    early = make_signers(2)
    late = make_signers(1)
    sign_many(published, early, when=at(2026, 3, 10, 9, 0))
    sign_many(published, late, when=at(2026, 3, 10, 11, 0))
    client.force_login(moderator)
    url = en("petitions:invalidate", pk=published.pk)
    rule = {
        "kind": "time_range",
        "since": "2026-03-10T08:30",
        "until": "2026-03-10T09:30",
        "reason": "A burst at nine.",
    }
    preview = client.post(url, rule).content.decode()
    assert "covers 2 valid signatures" in preview
    assert 'type="hidden" name="since" value="2026-03-10T08:30"' in preview  # what confirms
    client.post(url, {**rule, "confirm": "1"})
    published.refresh_from_db()
    assert published.signature_count == 1
    batch = Invalidation.objects.get()
    assert batch.from_at == at(2026, 3, 10, 8, 30)


def test_invalidation_needs_a_reason_and_a_value(client, moderator, published):
    client.force_login(moderator)
    url = en("petitions:invalidate", pk=published.pk)
    html = client.post(url, {"kind": "ip", "ip": "", "reason": ""}).content.decode()
    assert 'id="invalidate-reason_error"' in html
    assert 'id="invalidate-ip_error"' in html
    html = client.post(
        url, {"kind": "time_range", "since": "2026-03-10T10:00", "reason": "x"}
    ).content.decode()
    assert 'id="invalidate-until_error"' in html
    assert not Invalidation.objects.exists()


def test_invalidation_refused_on_an_unpublished_petition(client, moderator, submitted):
    client.force_login(moderator)
    response = client.get(en("petitions:invalidate", pk=submitted.pk))
    assert response.status_code == 403
    assert "never published" in response.content.decode()


# --- Response ----------------------------------------------------------------------------------


def test_respond_flow(client, addressee, awaiting):
    client.force_login(addressee.responder)
    queue = client.get(en("petitions:responses")).content.decode()
    assert awaiting.title in queue
    assert "May 13, 2026" in queue  # 40 working days after 10 March (central body)
    url = en("petitions:respond", pk=awaiting.pk)
    page = client.get(url).content.decode()
    assert "the 1 signer who asked for it" in page
    with committed():
        response = client.post(
            url,
            {
                "text": "We will build the crossing this summer.",
                "decision": "accepted",
                "hearing_date": "2026-04-20",
                "attachments": [SimpleUploadedFile("decision.pdf", b"%PDF-1.4 decision")],
            },
        )
    assert response.status_code == 302
    answer = PetitionResponse.objects.get(petition=awaiting)
    assert answer.decision == "accepted"
    assert answer.hearing_date == datetime.date(2026, 4, 20)
    assert answer.attachments.count() == 1
    awaiting.refresh_from_db()
    assert awaiting.response_state == ResponseState.RESPONDED
    followed = client.get(response["Location"]).content.decode()
    assert "It is being sent to the 1 signer who asked for it" in followed
    assert "No petition is awaiting your agency" in followed

    again = client.post(url, {"text": "A second answer I typed.", "decision": "accepted"})
    assert again.status_code == 403
    assert "A second answer I typed." in again.content.decode()


def test_respond_errors_stay_on_the_fields(client, addressee, awaiting):
    client.force_login(addressee.head)
    html = client.post(
        en("petitions:respond", pk=awaiting.pk), {"text": "  ", "decision": ""}
    ).content.decode()
    assert 'id="respond-text_error"' in html
    assert 'id="respond-decision_error"' in html
    assert not PetitionResponse.objects.exists()


# --- Header links ------------------------------------------------------------------------------


def test_header_links(people):
    request = RequestFactory().get("/")
    for role, moderation, responses in [
        ("moderator", True, False),
        ("head", False, True),
        ("responder", False, True),
        ("drafter", False, False),
        ("citizen", False, False),
    ]:
        request.user = people[role]
        context = workspace_nav(request)
        assert bool(context["petitions_moderation_link"]) is moderation, role
        assert bool(context["petitions_responses_link"]) is responses, role


def test_header_links_cost_nothing_unless_drawn(people, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = people["citizen"]
    with django_assert_num_queries(0):
        workspace_nav(request)


# --- Bounded queries ---------------------------------------------------------------------------

# The page chrome (session, user, groups, site, menus, footer, unread count...) costs about
# twenty queries; each page adds a few of its own. What matters is that nothing grows with
# the data: each test measures the page at two sizes and asks for the same count.
CHROME = 22


def _count(client, url, **params) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def _bounded(client, url, grow, django_assert_max_num_queries, own: int, **params):
    _count(client, url, **params)  # warms the caches (site, settings, calendar)
    small, _html = _count(client, url, **params)
    grow()
    with django_assert_max_num_queries(CHROME + own):
        large, html = _count(client, url, **params)
    assert large == small
    return html


def test_moderation_queue_queries_are_bounded(
    client, moderator, author, addressee, django_assert_max_num_queries
):
    def grow(n=1):
        for _ in range(n):
            make_petition(author, addressee.agency, stage="submitted")
            make_petition(author, addressee.agency, stage="published", moderator=moderator)

    grow(2)
    client.force_login(moderator)
    html = _bounded(
        client, en("petitions:moderation"), lambda: grow(6), django_assert_max_num_queries, 5
    )
    assert "8 petitions await moderation" in html
    assert html.count(">Invalidate signatures<") == 8  # the recently published


def test_moderate_page_queries_are_bounded(
    client, moderator, author, addressee, django_assert_max_num_queries
):
    petition = make_petition(author, addressee.agency, stage="submitted")
    services.attachment_add(
        petition=make_petition(author, addressee.agency, stage="draft"),
        actor=author,
        files=[SimpleUploadedFile("a.pdf", b"%PDF-1.4 a")],
    )

    def grow():
        for _ in range(6):
            make_petition(author, addressee.agency, stage="draft")

    client.force_login(moderator)
    html = _bounded(
        client, en("petitions:moderate", pk=petition.pk), grow, django_assert_max_num_queries, 6
    )
    assert "The author has 7 other petitions" in html


def test_trends_and_invalidate_queries_are_bounded(
    client, moderator, published, django_assert_max_num_queries
):
    def grow(n):
        sign_many(published, make_signers(n))
        for index in range(n // 3):
            services.signatures_invalidate(
                petition=published, actor=moderator, reason="test", ip=f"10.0.0.{index}"
            )

    grow(3)
    client.force_login(moderator)
    _bounded(
        client,
        en("petitions:trends"),
        lambda: sign_many(published, make_signers(9), ip="192.0.2.1"),
        django_assert_max_num_queries,
        4,
        hours=24,
    )
    html = _bounded(
        client,
        en("petitions:invalidate", pk=published.pk),
        lambda: grow(9),
        django_assert_max_num_queries,
        3,
    )
    assert html.count("<td>test</td>") == 4


def test_response_queue_queries_are_bounded(
    client, quick, author, moderator, django_assert_max_num_queries
):
    def grow(n):
        for _ in range(n):
            petition = make_petition(author, quick.agency, stage="published", moderator=moderator)
            sign_many(petition, make_signers(1))

    grow(2)
    client.force_login(quick.responder)
    html = _bounded(
        client, en("petitions:responses"), lambda: grow(4), django_assert_max_num_queries, 4
    )
    assert "6 petitions await a response" in html
