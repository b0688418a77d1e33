"""Draft acts in the Wagtail admin: the "Legal drafts" menu group with the types of act
(editable by platform editors) and a read-only list of drafts that links to the
workspace; nobody can add, edit or delete a draft there."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import time_machine
from django.contrib.auth.models import Permission
from wagtail.users.models import UserProfile

from cms.services import ensure_platform_groups
from legal_drafts.models import Draft, DraftType
from tests.factories import AgencyFactory, MembershipFactory, UserFactory, platform_editor

from .conftest import DURING, make_draft

pytestmark = pytest.mark.django_db

DRAFTS = "/cms/legal-drafts/drafts/"
TYPES = "/cms/legal-drafts/types/"


def in_english(user):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


@pytest.fixture
def editor(db):
    ensure_platform_groups()  # gives the group admin access, as after migrate
    return in_english(platform_editor(display_name="Editor"))


def test_editor_sees_the_menu_group_and_both_lists(client, editor, draft):
    client.force_login(editor)
    dashboard = client.get("/cms/").content.decode()
    assert "Legal drafts" in dashboard
    assert "Draft acts" in dashboard
    assert "Types of act" in dashboard
    drafts = client.get(DRAFTS)
    assert drafts.status_code == 200
    html = drafts.content.decode()
    assert draft.title_ru in html
    assert f"/drafts/{draft.pk}/edit/" in html  # "Edit in workspace"
    types = client.get(TYPES)
    assert types.status_code == 200
    assert "order" in types.content.decode()


def test_editor_changes_a_types_minimum(client, editor):
    order = DraftType.objects.get(code="order")
    client.force_login(editor)
    url = f"{TYPES}edit/{order.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "code": "order",
            "name_kk": order.name_kk,
            "name_ru": order.name_ru,
            "name_en": order.name_en,
            "min_discussion_days": 15,
            "min_days_are_working": "",
            "order": order.order,
        },
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.min_discussion_days == 15
    assert client.get(f"{TYPES}delete/{order.pk}/").status_code in (403, 404, 302)
    assert DraftType.objects.filter(pk=order.pk).exists()


def test_drafts_are_read_only(client, editor, draft):
    client.force_login(editor)
    inspect = client.get(f"{DRAFTS}inspect/{draft.pk}/")
    assert inspect.status_code == 200
    assert "Edit in workspace" in inspect.content.decode()
    for url in (f"{DRAFTS}new/", f"{DRAFTS}edit/{draft.pk}/", f"{DRAFTS}delete/{draft.pk}/"):
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    assert Draft.objects.filter(pk=draft.pk).exists()


def test_status_and_agency_filters(client, editor, agency_with_staff):
    open_draft = make_draft(agency_with_staff, title_ru="Открытый проект")
    other = AgencyFactory(slug="akimat")
    head = UserFactory()
    MembershipFactory(agency=other, user=head, role="head")
    elsewhere = make_draft(SimpleNamespace(drafter=head, agency=other), title_ru="Проект акимата")
    client.force_login(editor)
    by_agency = client.get(DRAFTS, {"agency": other.pk}).content.decode()
    assert elsewhere.title_ru in by_agency and open_draft.title_ru not in by_agency
    with time_machine.travel(DURING, tick=False):
        scheduled = client.get(DRAFTS, {"status": "scheduled"}).content.decode()
        opened = client.get(DRAFTS, {"status": "open"}).content.decode()
    assert open_draft.title_ru in opened
    assert open_draft.title_ru not in scheduled


def test_citizen_is_refused(client, draft, verified_user):
    client.force_login(verified_user)
    for url in (DRAFTS, TYPES, f"{DRAFTS}inspect/{draft.pk}/"):
        response = client.get(url)
        assert response.status_code == 302
        assert draft.title_ru not in response.content.decode()


def test_drafter_with_admin_access_sees_only_their_agencys_drafts(client, agency_with_staff, draft):
    other = AgencyFactory(slug="akimat")
    head = UserFactory()
    MembershipFactory(agency=other, user=head, role="head")
    elsewhere = make_draft(SimpleNamespace(drafter=head, agency=other), title_ru="Проект акимата")
    drafter = in_english(agency_with_staff.drafter)
    drafter.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    client.force_login(drafter)
    html = client.get(DRAFTS).content.decode()
    assert draft.title_ru in html
    assert elsewhere.title_ru not in html
    assert client.get(f"{DRAFTS}inspect/{elsewhere.pk}/").status_code in (302, 403)
    assert client.get(TYPES).status_code == 302  # types are for editors
