"""Moderation in a real browser: a reader reports a comment, a moderator hides it from the
queue with a reason (JavaScript off: the queue is plain forms), the public sees the
placeholder; the queue and the log pass axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.browser.test_browser_accessibility import BLOCKING, format_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECRET = "My phone is +7 701 555 44 33"


def assert_axe_clean(page, axe, where: str) -> None:
    blocking = [v for v in axe(page) if v["impact"] in BLOCKING]
    assert not blocking, format_violations(where, blocking)


def test_report_then_hide_from_the_queue_shows_the_placeholder(
    new_context, axe, announcement, make_user, password, save_screenshot
):
    from cms.models import AnnouncementPage
    from dialogue.services import comment_post
    from tests.factories import add_to_group

    item = AnnouncementPage.objects.get(pk=announcement["item_en"].pk)  # the published state
    path = item.url
    author = make_user(email="author@example.kz", display_name="Author Aidos")
    make_user(email="reader@example.kz", display_name="Reader Roza")
    moderator = make_user(email="moderator@example.kz", display_name="Moderator Mira")
    add_to_group(moderator, "Platform moderators")
    comment = comment_post(target=item, author=author, text=SECRET)

    # A reader reports the comment (the form sits in a <details>: no script needed).
    reader = new_context(locale="en-US", java_script_enabled=False).new_page()
    sign_in(reader, "reader@example.kz", password)
    reader.goto(path)
    entry = reader.locator(f"#c{comment.pk}")
    expect(entry).to_contain_text(SECRET)
    entry.locator("details.moderation-flag summary").click()
    entry.get_by_label("Personal data").check()
    entry.get_by_label("Details for the moderators (optional)").fill("A phone number")
    entry.get_by_role("button", name="Send the report").click()
    expect(reader.locator(".messages")).to_contain_text("A moderator will look at")

    # axe-core needs script: check the queue in a second, script-enabled session.
    audit = new_context(locale="en-US").new_page()
    sign_in(audit, "moderator@example.kz", password)
    audit.goto("/en/moderation/")
    expect(audit.locator("table.moderation-table")).to_contain_text(SECRET)
    assert_axe_clean(audit, axe, "/en/moderation/")
    save_screenshot(audit, "moderation-queue-en")

    # The moderator works the queue without JavaScript.
    desk = new_context(locale="en-US", java_script_enabled=False).new_page()
    sign_in(desk, "moderator@example.kz", password)
    desk.goto("/en/moderation/")
    row = desk.locator("table.moderation-table tbody tr", has_text=SECRET)
    expect(row).to_contain_text("Personal data: 1")
    expect(row).to_contain_text("A phone number")
    row.get_by_role("checkbox").check()
    desk.get_by_label("Hide with the reason below").check()
    desk.get_by_label("Reason for hiding (shown to the public)").select_option("personal_data")
    desk.get_by_label("Note for the log (not public)").fill("Phone number in the text")
    desk.get_by_role("button", name="Apply to the selected items").click()
    expect(desk.locator(".messages")).to_contain_text("1 item hidden.")
    expect(desk.locator("table.moderation-table")).to_have_count(0)  # nothing left flagged

    audit.goto("/en/moderation/log/")
    expect(audit.locator("table.moderation-table")).to_contain_text("Phone number in the text")
    assert_axe_clean(audit, axe, "/en/moderation/log/")

    # The public sees the placeholder with the published reason, not the text.
    visitor = new_context(locale="en-US").new_page()
    visitor.goto(path)
    entry = visitor.locator(f"#c{comment.pk}")
    expect(entry).to_contain_text("Hidden by a moderator: personal data")
    expect(entry).not_to_contain_text(SECRET)
    comment.refresh_from_db()
    assert SECRET in comment.comment  # kept, not deleted


def test_queue_in_kazakh_passes_axe(new_context, axe, site_home, make_user, password):
    from tests.factories import add_to_group

    moderator = make_user(email="moderator@example.kz", display_name="Модератор")
    add_to_group(moderator, "Platform moderators")
    page = new_context().new_page()
    sign_in(page, "moderator@example.kz", password)
    for path in ("/kk/moderation/", "/kk/moderation/log/", f"/kk/moderation/users/{moderator.pk}/"):
        response = page.goto(path)
        assert response.ok, path
        assert_axe_clean(page, axe, path)
