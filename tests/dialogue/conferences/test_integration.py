"""What the app plugs into: the Open Dialogue hub and the home page sections, the
moderation registry (flag and hide through the moderation app), "My data", the Wagtail
admin's read-only list."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import RequestFactory

from accounts import personal_data
from cms import home
from dialogue import hub
from dialogue.conferences import selectors, services
from moderation import services as moderation_services
from tests.factories import UserFactory

from .conftest import DURING, STARTS
from .test_views import html

pytestmark = pytest.mark.django_db


def test_the_hub_section_shows_live_and_upcoming_in_two_queries(
    client, conference, staff, official, django_assert_max_num_queries
):
    services.conference_schedule(
        agency=staff.agency,
        official=official,
        topic="The next one",
        starts_at=STARTS + datetime.timedelta(days=1),
        ends_at=STARTS + datetime.timedelta(days=1, hours=1),
        actor=staff.head,
    )
    with time_machine.travel(DURING, tick=False):
        with django_assert_max_num_queries(3):
            section = selectors.hub_section(limit=5)
        assert [c.topic for c in section["live"]] == ["Free legal aid"]
        assert [c.topic for c in section["upcoming"]] == ["The next one"]
        page = html(client.get("/en/dialogue/"))
    assert 'id="conferences-hub-heading"' in page
    assert "Free legal aid" in page and "The next one" in page
    assert "/en/dialogue/conferences/" in page


def test_the_sections_are_registered():
    request = RequestFactory().get("/")
    request.user = UserFactory()
    keys = {section["key"] for section in hub.sections_for(request)}
    assert "conferences" in keys
    keys = {section["key"] for section in home.sections_for(request)}
    assert "conferences" in keys


def test_the_home_section_prefers_what_is_live(conference):
    request = RequestFactory().get("/")
    assert selectors.home_section(request)["upcoming"] == [conference]
    with time_machine.travel(DURING, tick=False):
        section = selectors.home_section(request)
    assert section["live"] == [conference]
    assert section["upcoming"] == []


def test_a_flagged_question_is_hidden_through_the_moderation_app(published, citizen, moderator):
    question = published()
    moderation_services.flag_create(target=question, reporter=citizen, reason="abuse")
    moderation_services.moderation_hide(targets=[question], reason="abuse", actor=moderator)
    question.refresh_from_db()
    assert question.hidden_at is not None
    moderation_services.moderation_restore(targets=[question], actor=moderator)
    question.refresh_from_db()
    assert question.hidden_at is None


def test_my_data_has_the_questions_and_votes(published, citizen):
    mine = published(citizen, "My question")
    services.question_vote(question=published(), user=citizen)
    data = personal_data.export_for(citizen)
    assert [row["text"] for row in data["conference_questions"]] == ["My question"]
    assert data["conference_questions"][0]["id"] == mine.pk
    assert len(data["conference_votes"]) == 1


def test_the_admin_lists_conferences_read_only(client, conference):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get("/cms/conferences/")
    assert response.status_code == 200
    assert "Free legal aid" in html(response)
    assert client.get(f"/cms/conferences/inspect/{conference.pk}/").status_code == 200
    assert client.get("/cms/conferences/new/").status_code == 404


def test_the_header_link_is_for_agency_staff_and_moderators(staff, citizen, moderator):
    from django.contrib.auth.models import AnonymousUser

    from dialogue.conferences.context_processors import workspace_nav

    def link(user) -> bool:
        request = RequestFactory().get("/")
        request.user = user
        return bool(workspace_nav(request)["conferences_workspace_link"])

    assert link(staff.drafter) and link(staff.head) and link(moderator)
    assert not link(citizen)
    assert not link(AnonymousUser())
