"""Watchlists in a real browser: an NGO user follows an agency from the watchlist page, a
question of that agency becomes overdue, and the alert arrives in the bell, on the
notifications page and under the watch; the watchlist page passes axe-core (en and kk).

Becoming overdue is a matter of dates: the question is opened with a publication date in
the past and the overdue scan runs in the test's process (the live server's process) with
`now` the morning after the due date, as the scheduled command would then.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.browser.test_browser_accessibility import BLOCKING, format_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KIND = "browser.question"


@pytest.fixture
def question_kind():
    from tracking import kinds
    from tracking.deadlines import CalendarMonths, WorkingDays

    kinds.register(
        KIND,
        label="Answer to a citizen's question",
        deadline=WorkingDays(15),
        title_of=lambda subject: subject.name,
        url_of=lambda subject: "/en/watchlist/",
        extension_cap=CalendarMonths(2),
    )
    yield KIND
    kinds.unregister(KIND)


def assert_axe_clean(page, axe, where: str) -> None:
    blocking = [v for v in axe(page) if v["impact"] in BLOCKING]
    assert not blocking, format_violations(where, blocking)


def test_follow_an_agency_and_hear_that_its_answer_is_overdue(
    page, axe, agencies, make_user, password, question_kind, save_screenshot
):
    import datetime
    from zoneinfo import ZoneInfo

    from accounts.models import Organisation
    from tracking.services import obligation_open
    from tracking.watchlists.models import Watch
    from tracking.watchlists.services import overdue_alerts_send

    almaty = ZoneInfo("Asia/Almaty")
    ministry = agencies["ministry"]
    observer = make_user(email="observer@ngo.kz", display_name="Civic Watch")
    sign_in(page, "observer@ngo.kz", password)

    page.goto("/en/watchlist/")
    expect(page.locator("main h1")).to_have_text("My watchlist")
    expect(page.locator("main")).to_contain_text("You watch nothing yet.")
    assert_axe_clean(page, axe, "/en/watchlist/ (empty)")

    page.get_by_label("Agency", exact=True).select_option(label="Ministry of Justice")
    for event in ("Answered", "Deadline extended", "Sent on to another agency", "Overdue"):
        expect(page.get_by_label(event, exact=True)).to_be_checked()
    page.get_by_label("Name (optional)").fill("Justice: late answers")
    page.get_by_role("button", name="Add to my watchlist").click()
    expect(page.locator(".messages")).to_contain_text("You now watch “Justice: late answers”")
    watch = page.locator("li.watch")
    expect(watch).to_have_count(1)
    expect(watch.get_by_role("heading", level=3)).to_have_text("Justice: late answers")
    expect(watch).to_contain_text("No alerts yet.")
    assert Watch.objects.get(user=observer).agency == ministry

    # A question published on Wednesday 18 March 2026 is due on Monday 13 April 2026. On the
    # morning of the 14th the scheduled scan finds it overdue.
    bell = page.locator("#notifications-count")
    expect(bell).to_have_text("0")
    subject = Organisation.objects.create(slug="new-school", name="Where is the new school?")
    published = datetime.datetime(2026, 3, 18, 11, tzinfo=almaty)
    obligation_open(subject=subject, agency=ministry, kind=question_kind, opened_at=published)
    run = overdue_alerts_send(now=datetime.datetime(2026, 4, 14, 9, tzinfo=almaty))
    assert (run.obligations, run.notifications) == (1, 1)

    page.reload()
    expect(bell).to_have_text("1")
    watch = page.locator("li.watch")
    expect(watch.locator(".watch-alert")).to_have_count(1)
    expect(watch.locator(".watch-alert")).to_contain_text("Where is the new school?")
    expect(watch.locator(".watch-alert")).to_contain_text(
        "Ministry of Justice was due to answer by April 13, 2026 and has not answered yet."
    )
    assert_axe_clean(page, axe, "/en/watchlist/ (with an alert)")
    save_screenshot(page, "watchlist-alert")

    page.locator("#notifications-link").click()
    expect(page.locator("main h1")).to_have_text("Notifications")
    item = page.locator("li.notification.is-unread")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Watchlist: an answer is overdue")
    expect(item).to_contain_text("Where is the new school?")

    # Running the scan again tells nobody twice.
    assert (
        overdue_alerts_send(now=datetime.datetime(2026, 4, 15, 9, tzinfo=almaty)).obligations == 0
    )

    page.goto("/en/watchlist/")
    page.get_by_role("button", name=re.compile("Stop watching")).click()
    expect(page.locator(".messages")).to_contain_text("You no longer watch")
    expect(page.locator("li.watch")).to_have_count(0)
    assert not Watch.objects.filter(user=observer).exists()


def test_watchlist_form_errors_and_kazakh_page_pass_axe(
    page, axe, agencies, make_user, password, question_kind
):
    make_user(email="reader@ngo.kz", display_name="Reader")
    sign_in(page, "reader@ngo.kz", password)

    page.goto("/en/watchlist/")
    page.get_by_role("button", name="Add to my watchlist").click()  # neither agency nor kind
    expect(page.locator("#watch-errors")).to_have_text(
        "Choose an agency, a kind of obligation, or both."
    )
    assert_axe_clean(page, axe, "/en/watchlist/ (errors)")

    assert page.goto("/kk/watchlist/").ok
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    assert_axe_clean(page, axe, "/kk/watchlist/")
