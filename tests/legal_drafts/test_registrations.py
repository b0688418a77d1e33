"""What legal drafts plug into the rest of the platform: followers hear of new drafts,
extensions and reports; "My data" lists votes; the header links drafters to their
workspace; the menu's index page."""

from __future__ import annotations

import time_machine
from django.urls import reverse

from accounts import personal_data
from legal_drafts import services
from legal_drafts.models import DraftIndexPage
from notifications.models import Notification
from notifications.services import follow
from tests.factories import UserFactory, home_page, publish

from .conftest import DURING, at, make_draft


def kinds_of(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_followers_hear_of_the_new_draft_the_extension_and_the_report(
    agency_with_staff, django_capture_on_commit_callbacks
):
    ngo = UserFactory()
    follow(user=ngo, target=agency_with_staff.agency)
    with django_capture_on_commit_callbacks(execute=True):
        draft = make_draft(agency_with_staff)
    assert kinds_of(ngo) == [services.KIND_DRAFT_PUBLISHED]
    follow(user=ngo, target=draft)
    with time_machine.travel(DURING, tick=False), django_capture_on_commit_callbacks(execute=True):
        services.draft_extend(
            draft=draft,
            actor=agency_with_staff.drafter,
            new_closes_at=at(2026, 3, 27, 18),
            reason="Requested by the business chamber.",
        )
    after_the_new_close = at(2026, 3, 30)
    with (
        time_machine.travel(after_the_new_close, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.report_publish(draft=draft, actor=agency_with_staff.head)
    assert sorted(kinds_of(ngo)) == sorted(
        [
            services.KIND_DRAFT_PUBLISHED,
            services.KIND_DRAFT_EXTENDED,
            services.KIND_REPORT_PUBLISHED,
        ]
    )
    report_note = Notification.objects.get(recipient=ngo, kind=services.KIND_REPORT_PUBLISHED)
    assert report_note.url.endswith(reverse("legal_drafts:report", args=[draft.pk])[3:])


def test_my_data_lists_votes(draft):
    voter = UserFactory()
    with time_machine.travel(DURING, tick=False):
        services.vote_cast(draft=draft, user=voter, value="against")
    exported = personal_data.export_for(voter)["legal_draft_votes"]
    assert [(row["draft"], row["value"]) for row in exported] == [(draft.pk, "against")]


def test_the_header_links_drafters_to_their_workspace(client, agency_with_staff):
    url = "/en" + reverse("tracking:deadline_calculator")[3:]
    link = reverse("legal_drafts:workspace")[3:]
    for person, expected in (
        (agency_with_staff.drafter, True),
        (agency_with_staff.head, True),
        (agency_with_staff.responder, False),
        (UserFactory(), False),
    ):
        client.force_login(person)
        assert (link in client.get(url).content.decode()) is expected, person


def test_the_index_page_is_the_menus_entry_and_hands_over_to_the_list(client, db):
    """Under the slug "drafts" its address is the list's own; under another slug it
    redirects there."""
    for slug in ("drafts", "elsewhere"):
        DraftIndexPage.objects.all().delete()
        index = DraftIndexPage(title="Draft acts", slug=slug, intro="Put to discussion.")
        home_page("en").add_child(instance=index)
        index = publish(index)
        response = client.get(index.url)
        if slug == "drafts":
            assert index.url == "/en/drafts/"
            assert response.status_code == 200
            assert "Put to discussion." in response.content.decode()
        else:
            assert response.status_code == 302
            assert response["Location"] == "/en/drafts/"


def test_the_home_page_lists_drafts_closing_soon(client, agency_with_staff):
    make_draft(agency_with_staff, title_ru="Приказ о порядке приёма граждан")
    make_draft(
        agency_with_staff,
        title_ru="Проект, обсуждение которого ещё не началось",
        opens=at(2026, 3, 16, 9),
        closes=at(2026, 3, 30, 18),
    )
    with time_machine.travel(DURING, tick=False):
        html = client.get(home_page("ru").url).content.decode()
    assert "Приказ о порядке приёма граждан" in html
    assert "ещё не началось" not in html
