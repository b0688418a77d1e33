"""The conference page scripts in a real Chromium (Playwright, pytest-django's live
server). The live server speaks WSGI only, so the websocket is a silent stand-in and
events are handed to the page the way `ashyq/static/js/live.js` hands them over: as the
cancelable `ashyq:live` DOM event with the message as its detail. (The two-browser test
over a real daphne is tests/browser's.) axe-core finds nothing serious or critical on the
live page and the studio.

Skipped without Chromium unless ASHYQ_REQUIRE_BROWSER=1 (tests/browser/conftest.py)."""

# ruff: noqa: F811  (tests/browser's fixtures, imported, are requested by name)

from __future__ import annotations

import datetime
import os
import time

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from dialogue.conferences import services
from tests.browser.conftest import (  # noqa: F401
    CHROMIUM_ARGS,
    axe,
    chromium_path,
    new_context,
    site_home,
)
from tests.browser.helpers import sign_in
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="module")
def browser(chromium_path):  # noqa: F811
    """Chromium for this module only (see tests/browser/conftest.py on why the sync
    Playwright must not outlive the tests that need it)."""
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(
        executable_path=str(chromium_path), args=CHROMIUM_ARGS, headless=True
    )
    yield chromium
    chromium.close()
    playwright.stop()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True)
def _before_the_conference():
    """Real time here (the browser's cookies expire by the real clock), overriding the
    package's frozen clock."""
    yield


@pytest.fixture
def live_conference(site_home, staff, official):
    """A conference that started ten minutes ago, by the real clock."""
    now = timezone.now()
    with time_machine.travel(now - datetime.timedelta(days=1), tick=False):
        conference = services.conference_schedule(
            agency=staff.agency,
            official=official,
            topic="Free legal aid",
            description="Who may get a free lawyer, and how.",
            starts_at=now - datetime.timedelta(minutes=10),
            ends_at=now + datetime.timedelta(hours=2),
            actor=staff.moderator,
        )
    return conference


def deliver(page, conference, event: str, payload: dict, *, group: str = "") -> bool:
    """Hand a live message to the page as live.js does; True when a page script took it."""
    message = {
        "type": "event",
        "group": group or f"conference.{conference.pk}",
        "event": event,
        "payload": payload,
    }
    return page.evaluate(
        """(message) => !document.dispatchEvent(
            new CustomEvent("ashyq:live", {detail: message, cancelable: true}))""",
        message,
    )


def test_an_answer_and_a_new_question_appear_in_place(
    new_context, live_conference, published, official, staff, axe
):
    waiting = published(
        UserFactory(display_name="Dana K."), "Where do I apply for a lawyer?", live_conference
    )
    other = published(text="Will the centres open on Saturdays?", target=live_conference)
    page = new_context(locale="en-GB").new_page()
    page.goto(f"/en/dialogue/conferences/{live_conference.pk}/")
    expect(page.locator("#cf-waiting-list > li")).to_have_count(2)
    assert page.locator("body").get_attribute("data-live-groups") == (
        f"conference.{live_conference.pk}"
    )
    assert [v for v in axe(page) if v["impact"] in BLOCKING] == []

    services.question_answer(
        question=waiting, actor=staff.responder, text="At a *public service centre*."
    )
    waiting.refresh_from_db()
    payload = {**services.answer_payload(waiting), "sent_at": time.time()}
    assert deliver(page, live_conference, "conference_answer", payload) is True

    answered = page.locator(f"#cf-answered-list > li#question-{waiting.pk}")
    expect(answered).to_be_visible()
    expect(answered.locator(".cf-question-text")).to_have_text("Where do I apply for a lawyer?")
    expect(answered.locator(".cf-answer-text em")).to_have_text("public service centre")
    expect(answered.locator(".cf-answerer")).to_have_text(
        "Aigerim Nurlanova on behalf of Marat Seitkali"
    )
    expect(page.locator(f"#cf-waiting-list > li#question-{waiting.pk}")).to_have_count(0)
    expect(page.locator("#cf-no-answers")).to_be_hidden()
    expect(page.locator("#cf-answered-count")).to_have_text("1")
    expect(page.locator("#cf-announcer")).to_have_text("New answer: Where do I apply for a lawyer?")
    expect(page.locator("#live-region")).to_be_hidden()  # no generic "reload" notice

    # The same event twice changes nothing.
    deliver(page, live_conference, "conference_answer", payload)
    expect(page.locator("#cf-answered-list > li")).to_have_count(1)

    # A question published meanwhile joins the waiting list.
    fresh = published(text="Can I get legal aid by video call?", target=live_conference)
    deliver(
        page,
        live_conference,
        "conference_question_published",
        {
            "conference_id": live_conference.pk,
            "question_id": fresh.pk,
            "question_text": fresh.text,
            "question_author": fresh.author.public_name,
            "vote_count": 0,
            "published_at": fresh.published_at.isoformat(),
            "sent_at": time.time(),
        },
    )
    expect(page.locator(f"#cf-waiting-list > li#question-{fresh.pk}")).to_contain_text("video call")

    # The number watching, and a question hidden by a moderator.
    assert deliver(page, live_conference, "viewers", {"count": 1000}) is True
    expect(page.locator("#cf-viewer-count")).to_have_text("1000")
    deliver(
        page,
        live_conference,
        "conference_question_hidden",
        {"conference_id": live_conference.pk, "question_id": other.pk, "reason": "abuse"},
    )
    expect(page.locator(f"#question-{other.pk}")).to_have_text("Hidden by a moderator.")

    # An event of another conference is left to the generic notice.
    assert (
        deliver(page, live_conference, "conference_answer", payload, group="conference.0") is False
    )


def test_the_studio_answers_in_place(new_context, live_conference, published, official, axe):
    first = published(text="First question", target=live_conference)
    second = published(text="Second question", target=live_conference)
    page = new_context(locale="en-GB").new_page()
    sign_in(page, official.email, PASSWORD)
    page.goto(f"/en/dialogue/conferences/{live_conference.pk}/studio/")
    assert [v for v in axe(page) if v["impact"] in BLOCKING] == []

    item = page.locator(f"#question-{first.pk}")
    item.get_by_role("button", name="Publish the answer").click()  # empty: an error
    expect(item.locator(".errorlist")).to_be_visible()
    expect(item.locator("textarea")).to_have_attribute("aria-invalid", "true")

    item.locator("textarea").fill("Yes, from next month.")
    item.get_by_role("button", name="Publish the answer").click()
    expect(page.locator(f"#question-{first.pk}")).to_have_count(0)
    expect(page.locator("#cf-studio-status")).to_have_text("The answer is published.")
    expect(page.locator(f"#answer-{second.pk}")).to_be_focused()
    first.refresh_from_db()
    assert first.answer_text == "Yes, from next month."
    assert first.answered_by == official
