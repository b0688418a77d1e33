"""E-petitions in a real browser: a citizen starts a petition and sends it to moderation;
a moderator takes it from the queue and publishes it; the author and another citizen sign
it, which makes it public and then reach its (low) threshold; the ministry's head answers
from the response queue, and the response shows on the page. axe-core finds nothing
serious or critical on the list, a petition (anonymous and signed in, with the sign form)
and the create form in Kazakh, Russian and English."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOCKING = {"serious", "critical"}
TITLE = "Light the underpass on Kenesary Street"


@pytest.fixture
def petition_setup(site_home, agencies, make_user, settings):
    """The Ministry of Justice answers petitions from 2 signatures; 1 supporter makes a
    petition public. The platform operator, a moderator and the ministry's head exist."""
    from accounts.models import Agency, Membership
    from accounts.roles import PLATFORM_MODERATORS
    from petitions.models import AddresseeRule, RejectionReason
    from tests.factories import add_to_group

    settings.PETITIONS_SUPPORT_MINIMUM = 1
    # Migrations' rows do not survive the flush of an earlier transactional test.
    Agency.objects.get_or_create(
        slug="platform-operator",
        defaults={"name_kk": "Платформа", "name_ru": "Платформа", "kind": Agency.Kind.CENTRAL},
    )
    RejectionReason.objects.get_or_create(
        code="state-secrets",
        defaults={
            "label_kk": "Мемлекеттік құпиялар",
            "label_ru": "Государственные секреты",
            "label_en": "State secrets",
            "excluded_topic": True,
        },
    )
    ministry = agencies["ministry"]
    AddresseeRule.objects.create(agency=ministry, fixed_threshold=2, central=True)
    head = make_user(email="head@adilet.gov.kz", display_name="Head")
    Membership.objects.create(user=head, agency=ministry, role=Membership.Role.HEAD)
    moderator = add_to_group(
        make_user(email="moderator@ashyq.kz", display_name="Moderator"), PLATFORM_MODERATORS
    )
    author = make_user(
        email="author@example.kz",
        display_name="Aigerim",
        first_name="Aigerim",
        last_name="N",
        region="astana",
    )
    citizen = make_user(
        email="dana@example.kz",
        display_name="Dana",
        first_name="Dana",
        last_name="Serikova",
        region="karaganda",
    )
    return {
        "ministry": ministry,
        "head": head,
        "moderator": moderator,
        "author": author,
        "citizen": citizen,
    }


def _publish(petition, moderator):
    from petitions import services

    services.moderation_start(petition=petition, actor=moderator)
    services.petition_publish(petition=petition, actor=moderator)


def test_create_publish_sign_threshold_and_response(new_context, petition_setup, password):
    from petitions.models import Petition, PetitionState, ResponseState

    page = new_context().new_page()
    sign_in(page, "author@example.kz", password)
    page.goto("/en/petitions/")
    page.get_by_role("link", name="Start a petition").first.click()
    expect(page.locator("h1")).to_have_text("Start a petition")
    page.get_by_label("Addressed to").select_option(label="Ministry of Justice")
    page.locator("#petition-title").fill(TITLE)
    # A mistake first: nothing typed is lost.
    page.get_by_role("button", name="Save the draft").click()
    expect(page.locator("#petition-request_error")).to_be_visible()
    expect(page.locator("#petition-title")).to_have_value(TITLE)
    page.get_by_label("What the petition asks for").fill("Install lamps in the underpass.")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.locator(".messages")).to_contain_text("Your draft is saved.")

    page.get_by_role("link", name="Send to moderation").click()
    expect(page.locator("main")).to_contain_text("20 working days")
    expect(page.locator(".pt-topics")).to_contain_text("State secrets")
    page.get_by_role("button", name="Send to moderation").click()
    expect(page.locator(".messages")).to_contain_text("Your petition is sent to moderation.")
    petition = Petition.objects.get(title=TITLE)
    assert petition.state == PetitionState.SUBMITTED

    # The moderator takes it from the queue and publishes it.
    moderator = new_context().new_page()
    sign_in(moderator, "moderator@ashyq.kz", password)
    moderator.goto("/en/petitions/moderation/")
    moderator.get_by_role("link", name=TITLE).click()
    moderator.get_by_role("button", name="I am reviewing this petition").click()
    moderator.get_by_role("button", name="Publish the petition").click()
    petition.refresh_from_db()
    assert petition.state == PetitionState.PUBLISHED
    page.reload()
    expect(page.locator(".pt-status")).to_contain_text("gathering first supporters")
    expect(page.locator("#sign")).to_contain_text("0 of 1 supporters needed by")
    page.get_by_label("Email me when the addressee responds").check()
    page.get_by_role("button", name="Sign this petition").click()
    expect(page.locator(".messages")).to_contain_text("Thank you: your signature is counted.")
    expect(page.locator(".pt-status")).to_contain_text("open for signatures")
    expect(page.locator("#sign")).to_contain_text("You signed on")

    other = new_context().new_page()
    sign_in(other, "dana@example.kz", password)
    other.goto(f"/en/petitions/{petition.pk}/")
    other.get_by_role("button", name="Sign this petition").click()
    expect(other.locator(".pt-status")).to_contain_text("threshold reached")
    expect(other.locator(".pt-status")).to_contain_text("awaiting response")
    expect(other.locator("#sign")).to_contain_text("2 signatures of 2 needed")
    # The region table and the signers are plain HTML; a signer is a first name + initial.
    expect(other.locator(".pt-signer-list")).to_contain_text("Dana S.")
    expect(other.locator("main")).not_to_contain_text("Serikova")
    expect(other.locator(".pt-region-table")).to_contain_text("Astana")
    expect(other.locator(".pt-region-table")).to_contain_text("Karaganda Region")

    petition.refresh_from_db()
    assert petition.response_state == ResponseState.AWAITING
    # The ministry's head answers from the response queue.
    head = new_context().new_page()
    sign_in(head, "head@adilet.gov.kz", password)
    head.goto("/en/petitions/responses/")
    head.locator(f"a[href$='/petitions/{petition.pk}/respond/']").click()
    head.get_by_label("Response", exact=True).fill("The lamps will be installed by June.")
    head.get_by_label("Decision").select_option("accepted")
    head.get_by_role("button", name="Publish the response").click()
    petition.refresh_from_db()
    assert petition.response_state == ResponseState.RESPONDED
    other.reload()
    expect(other.locator("#response")).to_contain_text("The lamps will be installed by June.")
    expect(other.locator("#response")).to_contain_text("Accepted")


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_no_serious_axe_violations_on_petition_pages(
    new_context, petition_setup, password, axe, save_screenshot, lang
):
    from petitions import services

    petition = services.petition_create(
        author=petition_setup["author"],
        addressee=petition_setup["ministry"],
        title=TITLE,
        request="Install lamps in the underpass.",
        background="It is dark at night.",
        region="astana",
    )
    services.petition_submit(petition=petition, actor=petition_setup["author"])
    _publish(petition, petition_setup["moderator"])
    services.signature_add(petition=petition, user=petition_setup["author"])  # now public
    signed_in = new_context().new_page()
    sign_in(signed_in, "dana@example.kz", password)
    anonymous = new_context().new_page()
    failures = []
    for viewer, path in (
        (anonymous, f"/{lang}/petitions/"),
        (anonymous, f"/{lang}/petitions/{petition.pk}/"),
        (signed_in, f"/{lang}/petitions/{petition.pk}/"),
        (signed_in, f"/{lang}/petitions/new/"),
        (signed_in, f"/{lang}/petitions/{petition.pk}/signatures/"),
    ):
        response = viewer.goto(path)
        assert response.status == 200, path
        if viewer is signed_in and path.endswith(f"/{petition.pk}/"):
            expect(viewer.locator("form.pt-sign-form")).to_be_visible()
        for violation in axe(viewer):
            if violation["impact"] in BLOCKING:
                failures.append(f"{path}: {violation['id']} {violation['targets']}")
        save_screenshot(viewer, f"petitions-{lang}-{path.strip('/').replace('/', '-')}")
    assert not failures, "axe-core found serious or critical violations:\n" + "\n".join(failures)
