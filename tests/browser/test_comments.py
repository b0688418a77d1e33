"""Comments in a real browser: a verified user comments on an announcement, another replies,
votes and reports it; with JavaScript the replies load in place; axe-core finds nothing
serious on the announcement page with its comments.

The live server speaks plain WSGI (no websockets), so "1 new comment — show" is covered by
tests/dialogue/test_live.py (a channels test); here the banner is driven by dispatching the
same `ashyq:live` event live.js would dispatch.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANNOUNCEMENT = "/en/announcements/new-drafts/"
BLOCKING = {"serious", "critical"}


def fresh(page):
    """The page as stored (the fixture's instance predates its publication)."""
    return type(page).objects.get(pk=page.pk)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_comment_reply_vote_and_report(new_context, announcement, make_user, password, javascript):
    from dialogue.models import Comment
    from moderation.models import Flag

    make_user(email="aigerim@example.kz", display_name="Aigerim")
    make_user(email="bolat@example.kz", display_name="Bolat")

    first = new_context(java_script_enabled=javascript).new_page()
    sign_in(first, "aigerim@example.kz", password)
    first.goto(ANNOUNCEMENT)
    comments = first.locator("#comments")
    expect(comments.get_by_role("heading", level=2)).to_have_text("0 comments")
    # An empty comment is refused next to the field; nothing is posted.
    comments.get_by_role("button", name="Publish comment").click()
    expect(first.locator(".errorlist")).to_contain_text("Write something before posting.")
    first.get_by_label("Your comment").fill("The hearing should be *in the evening*.")
    first.get_by_role("button", name="Publish comment").click()
    expect(first).to_have_url(re.compile(r"/en/announcements/new-drafts/#c\d+$"))
    expect(comments.locator(".comment em")).to_have_text("in the evening")
    expect(comments.get_by_role("heading", level=2)).to_have_text("1 comment")
    comment = Comment.objects.get()

    second = new_context(java_script_enabled=javascript).new_page()
    sign_in(second, "bolat@example.kz", password)
    second.goto(ANNOUNCEMENT)
    item = second.locator(f"#c{comment.pk}")
    item.get_by_role("button", name="Support").click()
    expect(second.locator(f"#c{comment.pk} .comment-score").first).to_have_text("Score: 1")
    expect(
        second.locator(f"#c{comment.pk}").get_by_role("button", name="Support")
    ).to_have_attribute("aria-pressed", "true")

    # The reply form opens in place with JavaScript, on a page of its own without.
    second.locator(f"#c{comment.pk}").get_by_role("link", name="Reply").click()
    where = second.locator(f"#c{comment.pk} .comment-inline-form" if javascript else "main")
    if not javascript:
        expect(second).to_have_url(re.compile(rf"/en/comments/{comment.pk}/reply/$"))
    where.get_by_label("Your comment").fill("Agreed, after work hours.")
    where.get_by_role("button", name="Publish reply").click()
    reply = Comment.objects.get(reply_to=comment)
    expect(second).to_have_url(re.compile(rf"#c{reply.pk}$"))

    # The reply is loaded on demand: in place with JavaScript, on a thread page without.
    show = second.locator(f"#c{comment.pk}").get_by_role("link", name="Show 1 reply")
    show.click()
    expect(second.locator(f"#c{reply.pk}")).to_contain_text("Agreed, after work hours.")
    if javascript:
        expect(second).to_have_url(re.compile(r"/en/announcements/new-drafts/"))
        expect(show).to_have_attribute("aria-expanded", "true")
    else:
        expect(second).to_have_url(re.compile(rf"/en/comments/{comment.pk}/replies/$"))

    second.goto(ANNOUNCEMENT)
    report = second.locator(f"#c{comment.pk} details.moderation-flag")
    report.locator("summary").click()
    report.get_by_label("Spam or advertising").check()
    report.get_by_role("button", name="Send the report").click()
    expect(second.locator("main")).to_be_visible()
    assert Flag.objects.count() == 1


def test_live_banner_shows_new_comments(new_context, announcement, make_user, password):
    from accounts.models import User
    from dialogue import services
    from dialogue.selectors import target_live_group

    page = new_context().new_page()
    page.goto(ANNOUNCEMENT)
    target = fresh(announcement["item_en"])
    author = make_user(email="dana@example.kz", display_name="Dana")
    comment = services.comment_post(
        target=target, author=User.objects.get(pk=author.pk), text="Fresh news"
    )
    group = target_live_group(target)
    page.evaluate(
        """([group, id]) => document.dispatchEvent(new CustomEvent("ashyq:live", {detail: {
            type: "event", group: group, event: "comment_posted", payload: {id: id, parent: null}
        }}))""",
        [group, comment.pk],
    )
    banner = page.get_by_role("button", name="1 new comment — show")
    expect(banner).to_be_visible()
    banner.click()
    expect(page.locator(f"#c{comment.pk}")).to_contain_text("Fresh news")
    expect(page.locator(f"#c{comment.pk}")).to_be_focused()


def test_no_serious_axe_violations_on_comments(
    new_context, announcement, make_user, password, axe, save_screenshot
):
    from accounts.models import User
    from dialogue import services

    target = fresh(announcement["item_en"])
    aigerim = make_user(email="aigerim@example.kz", display_name="Aigerim")
    bolat = make_user(email="bolat@example.kz", display_name="Bolat")
    first = services.comment_post(target=target, author=aigerim, text="A *first* comment.")
    services.comment_post(
        target=target,
        author=User.objects.get(pk=bolat.pk),
        text="> quoted\n\nA reply",
        parent=first,
    )
    services.comment_post(target=target, author=User.objects.get(pk=bolat.pk), text="Another")

    page = new_context().new_page()
    for signed_in in (False, True):
        if signed_in:
            sign_in(page, "bolat@example.kz", password)
        page.goto(ANNOUNCEMENT)
        page.locator(f"#c{first.pk}").get_by_role("link", name="Show 1 reply").click()
        expect(page.locator(".comment-replies .comment")).to_have_count(1)
        blocking = [v for v in axe(page) if v["impact"] in BLOCKING]
        assert not blocking, blocking
    save_screenshot(page, "comments-en")
