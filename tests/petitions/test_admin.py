"""Petitions in the Wagtail admin: the "Petitions" menu group with the rejection reasons and
addressee rules (edited by platform editors, deleted by nobody) and a read-only list of
petitions that links to the workspace; citizens see none of it."""

from __future__ import annotations

import pytest
from wagtail.users.models import UserProfile

from cms.services import ensure_platform_groups
from petitions.models import AddresseeRule, Petition, RejectionReason, ThresholdMode
from tests.factories import AgencyFactory, UserFactory, platform_editor

from .conftest import make_petition

pytestmark = pytest.mark.django_db

PETITIONS = "/cms/petitions/petitions/"
REASONS = "/cms/petitions/rejection-reasons/"
RULES = "/cms/petitions/addressee-rules/"


def in_english(user):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


@pytest.fixture
def editor(db):
    ensure_platform_groups()  # gives the group admin access, as after migrate
    return in_english(platform_editor(display_name="Editor"))


def test_editor_sees_the_group_and_every_list(client, editor, author, addressee):
    petition = make_petition(author, addressee.agency, stage="submitted")
    client.force_login(editor)
    dashboard = client.get("/cms/").content.decode()
    for label in ("Petitions", "Rejection reasons", "Addressee rules"):
        assert label in dashboard
    listing = client.get(PETITIONS)
    assert listing.status_code == 200
    html = listing.content.decode()
    assert petition.title in html
    assert f"/petitions/{petition.pk}/moderate/" in html  # "Open in the workspace"
    reasons = client.get(REASONS).content.decode()
    assert "Personal data" in reasons
    assert client.get(RULES).status_code == 200


def test_editor_edits_a_reason_and_cannot_delete_it(client, editor):
    reason = RejectionReason.objects.get(code="advertising")
    client.force_login(editor)
    url = f"{REASONS}edit/{reason.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "code": "advertising",
            "label_kk": reason.label_kk,
            "label_ru": reason.label_ru,
            "label_en": "Advertising or promotion",
            "excluded_topic": "",
            "public": "on",
            "is_active": "",
            "order": reason.order,
        },
    )
    assert response.status_code == 302
    reason.refresh_from_db()
    assert reason.label_en == "Advertising or promotion"
    assert reason.is_active is False
    assert client.get(f"{REASONS}delete/{reason.pk}/").status_code in (302, 403, 404)
    assert client.post(f"{REASONS}delete/{reason.pk}/").status_code in (302, 403, 404)
    assert RejectionReason.objects.filter(pk=reason.pk).exists()


def test_editor_adds_a_population_share_rule(client, editor):
    akimat = AgencyFactory(slug="akimat-karaganda", local=True)
    client.force_login(editor)
    response = client.post(
        f"{RULES}new/",
        {
            "agency": akimat.pk,
            "threshold_mode": ThresholdMode.POPULATION_SHARE,
            "fixed_threshold": "",
            "population": 1_000_000,
            "share_percent": "0.5",
            "central": "",
        },
    )
    assert response.status_code == 302
    assert AddresseeRule.objects.get(agency=akimat).threshold() == 5000
    assert "5000" in client.get(RULES).content.decode()


def test_petitions_are_read_only_and_filtered(client, editor, author, addressee, moderator):
    draft = make_petition(author, addressee.agency, stage="submitted")
    published = make_petition(author, addressee.agency, stage="published", moderator=moderator)
    Petition.objects.filter(pk=published.pk).update(title="A published one")
    client.force_login(editor)
    submitted_only = client.get(PETITIONS, {"state": "submitted"}).content.decode()
    assert draft.title in submitted_only and "A published one" not in submitted_only
    other = AgencyFactory(slug="elsewhere")
    by_addressee = client.get(PETITIONS, {"addressee": other.pk}).content.decode()
    assert draft.title not in by_addressee
    assert client.get(f"{PETITIONS}inspect/{draft.pk}/").status_code == 200
    for url in (
        f"{PETITIONS}new/",
        f"{PETITIONS}edit/{draft.pk}/",
        f"{PETITIONS}delete/{draft.pk}/",
    ):
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    assert Petition.objects.filter(pk=draft.pk).exists()


def test_citizen_is_refused(client, author, addressee, verified_user):
    petition = make_petition(author, addressee.agency, stage="submitted")
    client.force_login(UserFactory())
    for url in (PETITIONS, REASONS, RULES, f"{PETITIONS}inspect/{petition.pk}/"):
        response = client.get(url)
        assert response.status_code == 302
        assert petition.title not in response.content.decode()
    reason = RejectionReason.objects.get(code="advertising")
    client.post(f"{REASONS}edit/{reason.pk}/", {"code": "hacked", "label_kk": "x", "label_ru": "x"})
    reason.refresh_from_db()
    assert reason.code == "advertising"
