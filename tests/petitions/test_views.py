"""The public and author screens of petitions (`petitions/views.py`): who sees which page
in which state, the author's create → edit → submit → withdraw flow, signing and
withdrawing a signature, the refusals, what the public learns of a signer (first name and
surname initial, never an email or an IP), the region table without JavaScript, bounded
queries at two sizes, and the three languages.

The conftest's clock stands on Tuesday March 10, 2026; `published` was published on
4 March (support deadline 19 March, collection end 4 September), threshold 60, minimum 50.
"""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts.regions import Region
from petitions import services
from petitions.models import (
    Petition,
    PetitionAttachment,
    PetitionState,
    RegionCount,
    ResponseDecision,
    ResponseState,
    Signature,
)
from tests.factories import AgencyFactory, UserFactory

from .conftest import (
    AFTER_COLLECTION,
    AFTER_SUPPORT,
    DURING,
    PUBLISHED,
    THRESHOLD,
    committed,
    make_petition,
    make_signers,
    reason,
    sign_many,
)

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def url(name: str, *args, lang: str = "en", query: str = "") -> str:
    with translation.override(lang):
        address = reverse(f"petitions:{name}", args=args)
    return f"{address}?{query}" if query else address


def html(response) -> str:
    return response.content.decode()


def make_listed(author, agency, *, title="A listed petition", state=PetitionState.PUBLIC, **extra):
    """A petition already public (or another listed state), written straight to the table:
    list tests need many of them and the services' path is tested elsewhere."""
    fields = {
        "author": author,
        "addressee": agency,
        "title": title,
        "request": "Do something useful.",
        "state": state,
        "created_at": PUBLISHED,
        "submitted_at": PUBLISHED,
        "published_at": PUBLISHED,
        "support_deadline": PUBLISHED + datetime.timedelta(days=15),
        "public_at": PUBLISHED + datetime.timedelta(days=1),
        "collection_closes_at": PUBLISHED + datetime.timedelta(days=184),
        "threshold": THRESHOLD,
        "signature_count": 0,
    }
    if state in (PetitionState.THRESHOLD_REACHED,) or extra.get("response_state"):
        fields["threshold_reached_at"] = PUBLISHED + datetime.timedelta(days=3)
    fields.update(extra)
    return Petition.objects.create(**fields)


def add_signatures(petition: Petition, n: int, *, region=Region.KARAGANDA) -> None:
    """n more counted signatures by n new people, bulk-created, the counters set to match
    (as the services keep them)."""
    users = UserFactory.create_batch(n, first_name="Dana", last_name="Serikova", region=region)
    Signature.objects.bulk_create(
        [
            Signature(
                petition=petition,
                user=user,
                created_at=DURING - datetime.timedelta(minutes=index),
                ip=f"10.9.{index // 250}.{index % 250}",
                email_domain="example.kz",
                region=region,
            )
            for index, user in enumerate(users)
        ]
    )
    Petition.objects.filter(pk=petition.pk).update(signature_count=F("signature_count") + n)
    row, _created = RegionCount.objects.get_or_create(petition=petition, region=region)
    RegionCount.objects.filter(pk=row.pk).update(count=F("count") + n)


def queries(client, address: str) -> int:
    """The queries of one GET, after a first one warmed the frame's caches (site, menu)."""
    client.get(address)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200, address
    return len(captured.captured_queries)


@pytest.fixture
def draft(author, addressee):
    return make_petition(author, addressee.agency, stage="draft")


@pytest.fixture
def stranger(db):
    return UserFactory(email="stranger@example.kz", display_name="Stranger")


# --- Visibility -------------------------------------------------------------------------------


@pytest.mark.parametrize("stage", ["draft", "submitted", "in_moderation"])
def test_private_states_are_the_author_and_moderators_only(
    client, author, addressee, moderator, stranger, stage
):
    petition = make_petition(author, addressee.agency, stage=stage, moderator=moderator)
    address = url("detail", petition.pk)
    assert client.get(address).status_code == 404
    client.force_login(stranger)
    assert client.get(address).status_code == 404
    assert client.get(url("signatures", petition.pk)).status_code == 404
    client.force_login(author)
    response = client.get(address)
    assert response.status_code == 200
    assert petition.title in html(response)
    client.force_login(moderator)
    assert client.get(address).status_code == 200


def test_published_link_only_opens_for_anyone_but_is_not_listed(client, published):
    response = client.get(url("detail", published.pk))
    assert response.status_code == 200
    page = html(response)
    assert "gathering first supporters" in page
    assert "0 of 50 supporters needed by March 19, 2026 to become public" in page
    assert published.title not in html(client.get(url("index")))


def test_rejected_with_a_public_reason_shows_it(client, author, addressee, moderator):
    petition = make_petition(author, addressee.agency, stage="in_moderation", moderator=moderator)
    services.petition_reject(
        petition=petition, actor=moderator, reason=reason("duplicate"), note="See petition 7."
    )
    response = client.get(url("detail", petition.pk))
    assert response.status_code == 200
    page = html(response)
    assert "Not published by moderation." in page
    assert str(reason("duplicate").label) in page
    assert "See petition 7." in page
    assert 'id="sign"' not in page  # never published: no signatures section


def test_rejected_for_personal_data_stays_private(client, author, addressee, moderator, stranger):
    petition = make_petition(author, addressee.agency, stage="in_moderation", moderator=moderator)
    services.petition_reject(petition=petition, actor=moderator, reason=reason("personal-data"))
    assert client.get(url("detail", petition.pk)).status_code == 404
    client.force_login(stranger)
    assert client.get(url("detail", petition.pk)).status_code == 404
    client.force_login(author)
    response = client.get(url("detail", petition.pk))
    assert response.status_code == 200
    assert str(reason("personal-data").label) in html(response)


def test_withdrawn_after_publication_stays_public_withdrawn_draft_does_not(
    client, author, addressee, published
):
    services.petition_withdraw(petition=published, actor=author)
    response = client.get(url("detail", published.pk))
    assert response.status_code == 200
    assert "withdrawn" in html(response)
    assert "Sign this petition" not in html(response)
    other = make_petition(author, addressee.agency, stage="draft")
    services.petition_withdraw(petition=other, actor=author)
    assert client.get(url("detail", other.pk)).status_code == 404


def test_expired_support_period_shows_the_effective_state(client, verified_user, published):
    with time_machine.travel(AFTER_SUPPORT, tick=False):
        client.force_login(verified_user)
        page = html(client.get(url("detail", published.pk)))
    assert Petition.objects.get(pk=published.pk).state == PetitionState.PUBLISHED  # not stored
    assert "closed: not enough supporters" in page
    assert "This petition is not taking signatures." in page
    assert "Sign this petition" not in page


def test_hidden_petition_shows_the_placeholder_not_its_text(
    client, author, published, moderator, stranger
):
    services.petition_hide(petition=published, reason="spam", actor=moderator)
    client.force_login(stranger)
    page = html(client.get(url("detail", published.pk)))
    assert "Hidden by a moderator" in page
    assert published.request not in page
    assert published.title not in page
    assert "Sign this petition" not in page
    client.force_login(author)
    assert published.request in html(client.get(url("detail", published.pk)))


# --- The list ---------------------------------------------------------------------------------


def test_index_lists_listed_states_with_progress_and_closing_date(
    client, author, addressee, published, draft
):
    agency = addressee.agency
    public = make_listed(author, agency, title="Public one", signature_count=12)
    reached = make_listed(
        author,
        agency,
        title="Reached one",
        state=PetitionState.THRESHOLD_REACHED,
        response_state=ResponseState.AWAITING,
        signature_count=70,
    )
    closed = make_listed(author, agency, title="Closed one", state=PetitionState.CLOSED)
    response = client.get(url("index"))
    assert response.status_code == 200
    page = html(response)
    for petition in (public, reached, closed):
        assert petition.title in page
    assert published.title not in page and draft.title not in page
    assert "open for signatures" in page and "threshold reached" in page
    assert "12 signatures of 60 needed" in page
    assert re.search(r'<progress max="60" value="12" aria-labelledby="progress-\d+"', page)
    assert "Collection closes" in page and "Sept. 4, 2026" in page
    assert reverse("petitions:create") in page and reverse("petitions:export") in page
    # Most signed first.
    assert page.index("Reached one") < page.index("Public one") < page.index("Closed one")


def test_index_filters_and_sorts(client, author, addressee):
    agency = addressee.agency
    other = AgencyFactory(slug="akimat-karaganda", kind="local", region=Region.KARAGANDA)
    make_listed(author, agency, title="Crossing in Astana", region=Region.ASTANA)
    make_listed(author, other, title="Park in Karaganda", region=Region.KARAGANDA)
    make_listed(
        author,
        agency,
        title="Answered one",
        state=PetitionState.CLOSED,
        response_state=ResponseState.RESPONDED,
        responded_at=DURING,
    )
    page = html(client.get(url("index", query=f"addressee={other.slug}")))
    assert "Park in Karaganda" in page and "Crossing in Astana" not in page
    page = html(client.get(url("index", query="region=astana")))
    assert "Crossing in Astana" in page and "Park in Karaganda" not in page
    page = html(client.get(url("index", query="state=responded")))
    assert "Answered one" in page and "Park in Karaganda" not in page
    page = html(client.get(url("index", query="sort=closing_soon")))
    assert "Park in Karaganda" in page and "Answered one" not in page  # closed: not collecting
    response = client.get(url("index", query="state=nonsense"))
    assert response.status_code == 200
    assert "This filter cannot be used" in html(response)
    assert "Park in Karaganda" in html(response)


def test_index_paginates_by_twenty(client, author, addressee):
    for index in range(21):
        make_listed(author, addressee.agency, title=f"Petition number {index:02d}")
    first = html(client.get(url("index")))
    assert "21 petitions" in first and "Page 1 of 2" in first
    assert first.count('<li>\n        <h2><a href="/en/petitions/') == 20
    second = html(client.get(url("index", query="page=2")))
    assert second.count('<li>\n        <h2><a href="/en/petitions/') == 1


def test_index_queries_do_not_grow_with_the_list(client, author, addressee):
    for index in range(3):
        make_listed(author, addressee.agency, title=f"Small {index}")
    small = queries(client, url("index"))
    for index in range(27):
        make_listed(author, addressee.agency, title=f"Large {index}")
    large = queries(client, url("index"))
    assert large == small
    assert small <= 14  # the page: count, rows, addressees; the rest is the site's frame


# --- A petition: signatures ---------------------------------------------------------------------


def test_sign_withdraw_and_sign_again(client, verified_user, published):
    client.force_login(verified_user)
    page = html(client.get(url("detail", published.pk)))
    assert "Sign this petition" in page and 'name="wants_updates"' in page
    response = client.post(url("sign", published.pk), {"wants_updates": "1"}, follow=True)
    assert response.redirect_chain[-1][0].endswith(url("detail", published.pk) + "#sign")
    page = html(response)
    assert "Thank you: your signature is counted." in page
    assert "You signed on March 10, 2026." in page
    assert "Withdraw my signature" in page
    signature = Signature.objects.get(petition=published, user=verified_user)
    assert signature.wants_updates is True
    assert signature.ip == "127.0.0.1"
    assert Petition.objects.get(pk=published.pk).signature_count == 1

    page = html(client.post(url("unsign", published.pk), follow=True))
    assert "Your signature is withdrawn." in page
    assert "Sign this petition" in page
    assert Petition.objects.get(pk=published.pk).signature_count == 0

    client.post(url("sign", published.pk))
    assert Petition.objects.get(pk=published.pk).signature_count == 1
    assert Signature.objects.filter(petition=published, user=verified_user).count() == 2


def test_signing_twice_is_refused_with_its_message(client, verified_user, published):
    client.force_login(verified_user)
    client.post(url("sign", published.pk))
    # A second form sent from another tab.
    page = html(client.post(url("sign", published.pk), follow=True))
    assert "You have already signed this petition." in page
    assert Petition.objects.get(pk=published.pk).signature_count == 1


def test_sign_and_unsign_refuse_get(client, verified_user, published):
    client.force_login(verified_user)
    assert client.get(url("sign", published.pk)).status_code == 405
    assert client.get(url("unsign", published.pk)).status_code == 405
    assert not Signature.objects.exists()


def test_anonymous_is_asked_to_sign_in(client, published):
    page = html(client.get(url("detail", published.pk)))
    assert "Sign in to sign this petition." in page
    assert "Sign this petition</button>" not in page
    response = client.post(url("sign", published.pk))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Signature.objects.exists()


def test_unverified_email_is_refused_and_told_why(client, unverified_user, published):
    client.force_login(unverified_user)
    page = html(client.get(url("detail", published.pk)))
    assert "Confirm your email address to sign petitions." in page
    assert "Sign this petition</button>" not in page
    page = html(client.post(url("sign", published.pk), follow=True))
    assert "Confirm your email address to sign petitions." in page
    assert not Signature.objects.exists()


def test_identity_required_is_explained(client, settings, verified_user, published):
    settings.PETITIONS_REQUIRE_IDENTITY = True
    client.force_login(verified_user)
    message = "Only people who confirmed their identity with the national ID can sign"
    assert message in html(client.get(url("detail", published.pk)))
    assert message in html(client.post(url("sign", published.pk), follow=True))
    assert not Signature.objects.exists()


def test_closed_collection_refuses_signing_and_withdrawing(client, verified_user, published):
    client.force_login(verified_user)
    client.post(url("sign", published.pk))
    Petition.objects.filter(pk=published.pk).update(state=PetitionState.PUBLIC)
    with time_machine.travel(AFTER_COLLECTION, tick=False):
        client.force_login(verified_user)  # the session of March has expired
        page = html(client.get(url("detail", published.pk)))
        assert "You signed on March 10, 2026." in page
        assert "Withdraw my signature" not in page
        assert ">closed<" in page
        page = html(client.post(url("unsign", published.pk), follow=True))
        assert "The collection is over" in page
    assert Petition.objects.get(pk=published.pk).signature_count == 1


def test_reaching_the_minimum_and_the_threshold_through_the_views(
    client, settings, author, addressee, moderator
):
    settings.PETITIONS_SUPPORT_MINIMUM = 1
    rule = addressee.agency.petition_rule
    rule.fixed_threshold = 2
    rule.save()
    petition = make_petition(author, addressee.agency, stage="published", moderator=moderator)
    first, second = UserFactory.create_batch(2)
    client.force_login(first)
    with committed():
        client.post(url("sign", petition.pk))
    assert Petition.objects.get(pk=petition.pk).state == PetitionState.PUBLIC
    client.force_login(second)
    with committed():
        client.post(url("sign", petition.pk))
    petition.refresh_from_db()
    assert petition.state == PetitionState.THRESHOLD_REACHED
    page = html(client.get(url("detail", petition.pk)))
    assert "threshold reached" in page and "awaiting response" in page
    assert "2 signatures of 2 needed" in page


def test_the_response_is_shown_with_its_files(client, author, addressee, moderator):
    petition = make_listed(
        author,
        addressee.agency,
        state=PetitionState.THRESHOLD_REACHED,
        response_state=ResponseState.AWAITING,
        signature_count=THRESHOLD,
    )
    services.response_publish(
        petition=petition,
        actor=addressee.head,
        text="We will build the crossing by June.",
        decision=ResponseDecision.ACCEPTED,
        hearing_date=datetime.date(2026, 4, 20),
        files=[SimpleUploadedFile("answer.pdf", PDF, content_type="application/pdf")],
    )
    page = html(client.get(url("detail", petition.pk)))
    assert "The addressee&#x27;s response" in page or "The addressee's response" in page
    assert "We will build the crossing by June." in page
    assert "Accepted" in page and "April 20, 2026" in page
    match = re.search(r'href="(/en/petitions/\d+/response-files/\d+/)"', page)
    assert match
    download = client.get(match.group(1))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "answer.pdf" in download["Content-Disposition"]


# --- Privacy and the region table -------------------------------------------------------------


def test_signers_appear_only_as_first_name_and_initial(client, published):
    signers = make_signers(3, first_name="Yerlan", last_name="Bekmukhambetov")
    signers[0].email = "yerlan.private@mail.kz"
    signers[0].save()
    sign_many(published, signers, ip="203.0.113.77")
    for address in (url("detail", published.pk), url("signatures", published.pk)):
        page = html(client.get(address))
        assert "Yerlan B." in page
        assert "Bekmukhambetov" not in page
        assert "@" not in page.split("<main", 1)[1].split("</main>", 1)[0]
        assert "mail.kz" not in page and "example.kz" not in page
        assert "203.0.113.77" not in page


def test_region_table_is_plain_html(client, published):
    sign_many(published, make_signers(3, region=Region.KARAGANDA))
    sign_many(published, make_signers(1, region=Region.ASTANA))
    page = html(client.get(url("detail", published.pk)))
    table = page.split('<table class="pt-region-table">', 1)[1].split("</table>", 1)[0]
    assert '<th scope="col">Region</th>' in table
    assert re.search(
        r'<th scope="row">Karaganda Region</th><td class="pt-num">3</td>.*75.0%', table
    )
    assert '<th scope="row">Astana</th><td class="pt-num">1</td>' in table
    assert table.index("Karaganda Region") < table.index("Astana")


def test_signature_list_paginates_fifty(client, published):
    add_signatures(published, 51)
    first = html(client.get(url("signatures", published.pk)))
    assert first.count("Dana S.") == 50
    assert "Next page" in first and "Previous page" not in first
    second = html(client.get(url("signatures", published.pk, query="page=2")))
    assert second.count("Dana S.") == 1 and 'start="51"' in second
    assert client.get(url("signatures", published.pk, query="page=9")).status_code == 404


def test_detail_queries_do_not_grow_with_signatures(client, verified_user, published):
    add_signatures(published, 10)
    client.force_login(verified_user)
    small = queries(client, url("detail", published.pk))
    anonymous_small = queries(client.__class__(), url("detail", published.pk))
    add_signatures(published, 1990)
    large = queries(client, url("detail", published.pk))
    anonymous_large = queries(client.__class__(), url("detail", published.pk))
    assert large == small and anonymous_large == anonymous_small
    assert small <= 26 and anonymous_small <= 16, (small, anonymous_small)
    page = html(client.get(url("detail", published.pk)))
    assert "2000 signatures of 60 needed" in page


# --- The author's side --------------------------------------------------------------------------


def test_create_edit_submit_through_the_views(client, author, addressee):
    client.force_login(author)
    form = html(client.get(url("create")))
    assert 'name="addressee"' in form and "Ministry of Justice" in form
    assert "platform-operator" not in form
    # A mistake: the request is missing. Everything typed comes back.
    response = client.post(
        url("create"),
        {
            "addressee": addressee.agency.pk,
            "title": "Light the underpass on Kenesary Street",
            "request": "",
            "background": "It is dark at night.",
            "region": Region.ASTANA,
        },
    )
    assert response.status_code == 400
    page = html(response)
    assert "Light the underpass on Kenesary Street" in page and "It is dark at night." in page
    assert 'aria-invalid="true"' in page and 'id="petition-request_error"' in page
    assert not Petition.objects.exists()

    response = client.post(
        url("create"),
        {
            "addressee": addressee.agency.pk,
            "title": "Light the underpass on Kenesary Street",
            "request": "Install lamps in the underpass.",
            "background": "It is dark at night.",
            "region": Region.ASTANA,
            "attachments": [SimpleUploadedFile("photo.pdf", PDF)],
        },
    )
    petition = Petition.objects.get()
    assert response.status_code == 302 and response["Location"] == url("detail", petition.pk)
    assert petition.state == PetitionState.DRAFT and petition.author == author
    assert petition.attachments.count() == 1

    edit = html(client.get(url("edit", petition.pk)))
    assert "Install lamps in the underpass." in edit and "photo.pdf" in edit
    attachment = petition.attachments.get()
    response = client.post(
        url("edit", petition.pk),
        {
            "addressee": addressee.agency.pk,
            "title": "Light the underpass on Kenesary Street",
            "request": "Install bright lamps in the underpass.",
            "background": "",
            "region": "",
            "remove_attachments": [attachment.pk],
        },
    )
    assert response.status_code == 302
    petition.refresh_from_db()
    assert petition.request == "Install bright lamps in the underpass."
    assert petition.region == "" and not petition.attachments.exists()

    confirm = html(client.get(url("submit", petition.pk)))
    assert "20 working days" in confirm
    assert "Topics the law does not allow petitions on" in confirm
    assert "<li>" in confirm.split("pt-topics", 1)[1]
    petition.refresh_from_db()
    assert petition.state == PetitionState.DRAFT  # GET changes nothing
    response = client.post(url("submit", petition.pk))
    assert response.status_code == 302
    petition.refresh_from_db()
    assert petition.state == PetitionState.SUBMITTED
    # No longer a draft: neither editable nor submittable.
    assert client.get(url("edit", petition.pk)).status_code == 403
    assert client.post(url("submit", petition.pk)).status_code == 403


def test_bad_file_is_an_error_on_the_field(client, author, addressee):
    client.force_login(author)
    response = client.post(
        url("create"),
        {
            "addressee": addressee.agency.pk,
            "title": "A title",
            "request": "A request.",
            "attachments": [SimpleUploadedFile("virus.pdf", b"MZ\x90\x00not a pdf")],
        },
    )
    assert response.status_code == 400
    page = html(response)
    assert "is not a PDF, DOCX, JPEG or PNG file" in page
    assert "choose them again" in page
    assert 'value="A title"' in page
    assert not Petition.objects.exists()


def test_create_needs_a_verified_account(client, unverified_user):
    response = client.get(url("create"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(unverified_user)
    response = client.get(url("create"))
    assert response.status_code == 403
    assert "Confirm your email address to start a petition." in html(response)


def test_others_cannot_edit_submit_or_withdraw(client, draft, stranger):
    client.force_login(stranger)
    for name in ("edit", "submit", "withdraw"):
        assert client.get(url(name, draft.pk)).status_code == 404
        assert client.post(url(name, draft.pk)).status_code == 404
    assert Petition.objects.get(pk=draft.pk).state == PetitionState.DRAFT


def test_withdraw_with_confirmation(client, author, published):
    client.force_login(author)
    page = html(client.get(url("withdraw", published.pk)))
    assert "This cannot be undone." in page
    assert Petition.objects.get(pk=published.pk).state == PetitionState.PUBLISHED
    response = client.post(url("withdraw", published.pk), {"reason": "Solved already."})
    assert response.status_code == 302
    assert Petition.objects.get(pk=published.pk).state == PetitionState.WITHDRAWN
    assert client.get(url("withdraw", published.pk)).status_code == 403


def test_my_petitions_shows_state_count_and_next_step(client, author, addressee, published):
    make_petition(author, addressee.agency, stage="submitted")
    draft = make_petition(author, addressee.agency, stage="draft")
    Petition.objects.filter(pk=draft.pk).update(title="My unfinished draft")
    draft.refresh_from_db()
    assert client.get(url("mine")).status_code == 302
    client.force_login(author)
    page = html(client.get(url("mine")))
    assert page.count(draft.title) == 2  # the link and the actions' label
    assert "Moderators decide whether to publish it by" in page and "April 3, 2026" in page
    assert "it needs 50 supporters to become public by" in page and "March 19, 2026" in page
    assert "Finish the text, then send it to moderation." in page
    assert url("edit", draft.pk) in page and url("submit", draft.pk) in page
    assert url("withdraw", published.pk) in page
    assert "0 signatures of 60 needed" in page


def test_my_petitions_queries_do_not_grow(client, author, addressee):
    client.force_login(author)
    make_petition(author, addressee.agency, stage="submitted")
    small = queries(client, url("mine"))
    for _index in range(8):
        make_petition(author, addressee.agency, stage="submitted")
    assert queries(client, url("mine")) == small


# --- Files --------------------------------------------------------------------------------------


def test_attachments_follow_the_petition_s_visibility(client, author, draft, stranger):
    services.attachment_add(
        petition=draft, actor=author, files=[SimpleUploadedFile("plan.pdf", PDF)]
    )
    attachment = PetitionAttachment.objects.get()
    address = url("attachment", draft.pk, attachment.pk)
    assert client.get(address).status_code == 404
    client.force_login(stranger)
    assert client.get(address).status_code == 404
    client.force_login(author)
    response = client.get(address)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    # The same id under another petition, or as a response file, is not found.
    assert client.get(url("attachment", draft.pk + 1, attachment.pk)).status_code == 404
    assert client.get(url("response_attachment", draft.pk, attachment.pk)).status_code == 404


# --- Languages ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "agency", "region"),
    [
        ("kk", "Әділет министрлігі", "Қарағанды облысы"),
        ("ru", "Министерство юстиции", "Карагандинская область"),
        ("en", "Ministry of Justice", "Karaganda Region"),
    ],
)
def test_pages_render_in_each_language(client, author, published, lang, agency, region):
    sign_many(published, make_signers(1, region=Region.KARAGANDA))
    make_listed(author, published.addressee, title="Listed in every language")
    client.force_login(author)
    for address in (
        url("index", lang=lang),
        url("detail", published.pk, lang=lang),
        url("signatures", published.pk, lang=lang),
        url("create", lang=lang),
        url("mine", lang=lang),
    ):
        response = client.get(address)
        assert response.status_code == 200, address
        page = html(response)
        assert f'<html lang="{lang}">' in page
    assert agency in html(client.get(url("detail", published.pk, lang=lang)))
    assert region in html(client.get(url("detail", published.pk, lang=lang)))
    assert agency in html(client.get(url("create", lang=lang)))
