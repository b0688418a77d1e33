"""Moderation of real comments (dialogue.Comment registers itself with the registry)."""

from __future__ import annotations

import pytest

from dialogue import services as dialogue_services
from dialogue.models import Comment
from moderation import registry, services
from moderation.models import FlagReason, HideReason, ModeratedItem
from tests.factories import (
    UserFactory,
    make_announcement,
    make_announcement_index,
    platform_moderator,
)

QUEUE = "/en/moderation/"


@pytest.fixture
def announcement(agency_with_staff):
    news = make_announcement_index()
    return make_announcement(news, title="Road repairs", agency=agency_with_staff.agency)


@pytest.fixture
def moderator(db):
    return platform_moderator(display_name="Moderator Mira")


def comment(announcement, author=None, text="A comment"):
    return dialogue_services.comment_post(
        target=announcement, author=author or UserFactory(), text=text
    )


def test_comments_are_registered():
    entry = registry.get(Comment)
    assert entry.content_of_user is not None and entry.agency_of is not None


def test_flagged_comment_is_addressed_to_the_announcements_agency(announcement, agency_with_staff):
    c = comment(announcement, text="Call me on +7 701 000 00 00")
    flag = services.flag_create(target=c, reporter=UserFactory(), reason=FlagReason.PERSONAL_DATA)
    assert flag.item.agency == agency_with_staff.agency
    assert flag.item.author == c.user


def test_hide_from_the_queue_shows_the_placeholder_and_keeps_the_text(
    client, announcement, moderator
):
    c = comment(announcement, text="Call me on +7 701 000 00 00")
    services.flag_create(target=c, reporter=UserFactory(), reason=FlagReason.PERSONAL_DATA)
    item = ModeratedItem.objects.get(object_id=str(c.pk))
    client.force_login(moderator)
    assert "Call me on +7 701 000 00 00" in client.get(QUEUE).content.decode()
    client.post(
        QUEUE,
        {"items": [item.pk], "action": "hide", "reason": HideReason.PERSONAL_DATA, "note": "phone"},
    )
    c.refresh_from_db()
    assert c.is_hidden and c.hidden_reason == HideReason.PERSONAL_DATA
    assert c.hidden_note == "phone"
    assert "+7 701 000 00 00" in c.comment  # nothing deleted

    client.logout()
    html = client.get(announcement.url).content.decode()
    assert f'id="c{c.pk}"' in html
    assert "+7 701 000 00 00" not in html
    assert '<p class="moderation-hidden">' in html


def test_agency_moderator_can_hide_comments_on_their_agencys_announcement(
    announcement, agency_with_staff
):
    c = comment(announcement)
    services.moderation_hide(
        targets=[c], reason=HideReason.ABUSE, actor=agency_with_staff.moderator
    )
    c.refresh_from_db()
    assert c.is_hidden


def test_block_hides_comments_and_unblock_restores_only_those(announcement, moderator):
    author = UserFactory()
    visible = [comment(announcement, author, text=f"Comment {n}") for n in range(3)]
    abusive = comment(announcement, author, text="Abusive")
    services.moderation_hide(targets=[abusive], reason=HideReason.ABUSE, actor=moderator)
    services.user_block(user=author, reason="Spam", actor=moderator)
    states = dict(Comment.objects.filter(user=author).values_list("pk", "hidden_reason"))
    assert states == {
        **{c.pk: HideReason.AUTHOR_BLOCKED for c in visible},
        abusive.pk: HideReason.ABUSE,
    }
    services.user_unblock(user=author, actor=moderator)
    states = dict(Comment.objects.filter(user=author).values_list("pk", "hidden_reason"))
    assert states == {**{c.pk: "" for c in visible}, abusive.pk: HideReason.ABUSE}
    assert Comment.objects.filter(user=author).count() == 4


def test_blocked_author_cannot_comment(announcement, moderator):
    from django.core.exceptions import PermissionDenied, ValidationError

    author = UserFactory()
    services.user_block(user=author, reason="Spam", actor=moderator)
    with pytest.raises((PermissionDenied, ValidationError)):
        comment(announcement, author)


@pytest.mark.parametrize("count", [30, 120])
def test_queue_of_comments_query_count_does_not_grow(
    client, announcement, moderator, count, django_assert_max_num_queries
):
    authors = [UserFactory() for _ in range(5)]
    reporter = UserFactory()
    for n in range(count):
        c = comment(announcement, authors[n % 5], text=f"Flagged comment {n}")
        services.flag_create(target=c, reporter=reporter, reason=FlagReason.SPAM)
    client.force_login(moderator)
    client.get(QUEUE)
    # Measured: 20 for 30 and for 120 flagged comments (the site chrome included).
    with django_assert_max_num_queries(22):
        response = client.get(QUEUE)
    assert "Flagged comment" in response.content.decode()
