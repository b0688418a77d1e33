"""Notifications in a real browser: follow an agency, hear of its news through the bell
(on reload and live), read them, and the pages pass axe-core."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.browser.test_browser_accessibility import BLOCKING, format_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def news_kind():
    from notifications import registry

    registry.register_kind("browser.news", label="Agency news", default=registry.DIGEST)
    yield "browser.news"
    registry.unregister_kind("browser.news")


def assert_axe_clean(page, axe, where: str) -> None:
    violations = axe(page)
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, format_violations(where, blocking)


def test_follow_an_agency_and_read_its_news(page, axe, agencies, make_user, password, news_kind):
    from notifications import services

    ministry = agencies["ministry"]
    user = make_user(email="observer@example.kz", display_name="Observer")
    sockets = []
    page.route_web_socket(re.compile(r"/ws/"), lambda ws: sockets.append(ws))
    sign_in(page, "observer@example.kz", password)

    page.goto("/en/agencies/ministry-of-justice/")
    bell = page.locator("#notifications-count")
    expect(bell).to_have_text("0")
    page.get_by_role("button", name="Follow", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("You follow")
    expect(page.locator(".follow-button")).to_contain_text("Following")
    assert services.is_following(user=user, target=ministry)

    services.notify_followers(
        target=ministry, kind=news_kind, title="The ministry answered 12 questions", url="/en/"
    )
    page.reload()
    expect(bell).to_have_text("1")

    # Live: a notification event on the person's socket rings the bell without a reload;
    # other personal events do not.
    page.wait_for_function("() => window.ashyqLive !== undefined")
    assert sockets, "the page opened its live socket"
    sockets[-1].send(
        json.dumps({"type": "event", "group": f"user.{user.pk}", "event": "other", "payload": {}})
    )
    sockets[-1].send(
        json.dumps(
            {"type": "event", "group": f"user.{user.pk}", "event": "notification", "payload": {}}
        )
    )
    expect(bell).to_have_text("2")

    page.locator("#notifications-link").click()
    expect(page.locator("main h1")).to_have_text("Notifications")
    item = page.locator("li.notification.is-unread")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("The ministry answered 12 questions")
    assert_axe_clean(page, axe, "/en/notifications/")

    item.get_by_role("button", name=re.compile("Mark as read")).click()
    expect(page.locator("li.notification.is-unread")).to_have_count(0)
    expect(bell).to_have_text("0")

    page.get_by_role("link", name="Notification settings").click()
    expect(page.locator("main h1")).to_have_text("Notification settings")
    assert_axe_clean(page, axe, "/en/notifications/settings/")
    page.locator("fieldset", has_text="Agency news").get_by_label("Email at once").check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator(".messages")).to_contain_text("saved")
    assert services.email_channel(user=user, kind=news_kind) == "immediate"


def test_notifications_pages_pass_axe_in_kazakh(page, axe, make_user, password, news_kind):
    from notifications import services

    user = make_user(email="reader@example.kz", display_name="Reader")
    services.notify(recipients=[user], kind=news_kind, title="Жаңа жауап", url="/kk/")
    sign_in(page, "reader@example.kz", password)

    for path in ("/kk/notifications/", "/kk/notifications/settings/"):
        assert page.goto(path).ok
        expect(page.locator("html")).to_have_attribute("lang", "kk")
        assert_axe_clean(page, axe, path)


def test_unsubscribe_confirmation_page_passes_axe(page, axe, make_user):
    from notifications.tokens import make_token

    user = make_user(email="mailer@example.kz")
    token = make_token(user_id=user.pk, kind="*")

    assert page.goto(f"/en/notifications/unsubscribe/{token}/").ok
    assert_axe_clean(page, axe, "unsubscribe confirmation")
    page.get_by_role("button", name="Yes, unsubscribe").click()
    expect(page.locator("main h1")).to_have_text("Unsubscribed")
