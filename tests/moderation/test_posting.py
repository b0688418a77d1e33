"""check_posting_allowed / is_blocked: the contract other apps call before saving a post."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import override_settings
from django.utils import translation

from moderation.models import UserBlock
from moderation.services import PostingRefused, check_posting_allowed, is_blocked
from tests.factories import MembershipFactory, UserFactory, platform_moderator


@pytest.fixture(autouse=True)
def _english():
    """The refusals are asserted in English."""
    with translation.override("en"):
        yield


START = datetime.datetime(2026, 3, 2, 10, 0, 5, tzinfo=datetime.UTC)


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    """Check, then 'save' (run the on-commit callbacks, as a committed post would)."""

    def post(user, text="", *, ip="10.0.0.1", scope="comment"):
        with django_capture_on_commit_callbacks(execute=True):
            check_posting_allowed(user=user, ip=ip, text=text or f"text {post.n}", scope=scope)
        post.n += 1

    post.n = 0
    return post


def test_anonymous_and_unblocked_users_are_not_blocked(db):
    from django.contrib.auth.models import AnonymousUser

    assert is_blocked(AnonymousUser()) is False
    assert is_blocked(UserFactory()) is False


def test_blocked_user_is_refused_and_a_lifted_block_allows_again(db, post):
    user, moderator = UserFactory(), platform_moderator()
    block = UserBlock.objects.create(user=user, reason="spam", actor=moderator)
    assert is_blocked(user)
    with pytest.raises(PostingRefused, match="blocked"):
        post(user)
    block.lifted_at = START
    block.lifted_by = moderator
    block.save()
    assert not is_blocked(user)
    post(user)


@time_machine.travel(START, tick=False)
def test_per_user_rate_per_minute(db, post):
    user = UserFactory()
    for _ in range(5):
        post(user)
    with pytest.raises(PostingRefused, match="too fast"):
        post(user)
    # Another person is not affected.
    post(UserFactory(), ip="10.0.0.2")
    with time_machine.travel(START + datetime.timedelta(seconds=61), tick=False):
        post(user)


@override_settings(MODERATION_RATE_LIMITS={"user_per_minute": 100, "user_per_day": 7})
def test_per_user_rate_per_day(db, post):
    user = UserFactory()
    with time_machine.travel(START, tick=False) as traveller:
        for minute in range(7):
            traveller.move_to(START + datetime.timedelta(minutes=minute))
            post(user)
        traveller.move_to(START + datetime.timedelta(hours=5))
        with pytest.raises(PostingRefused, match="7 posts a day"):
            post(user)
        traveller.move_to(START + datetime.timedelta(days=1))
        post(user)


@override_settings(MODERATION_RATE_LIMITS={"ip_per_minute": 3})
@time_machine.travel(START, tick=False)
def test_per_ip_rate_across_users(db, post):
    for _ in range(3):
        post(UserFactory(), ip="192.0.2.7")
    with pytest.raises(PostingRefused, match="network"):
        post(UserFactory(), ip="192.0.2.7")
    post(UserFactory(), ip="192.0.2.8")
    post(UserFactory(), ip=None)  # unknown address: only the per-user limits apply


@time_machine.travel(START, tick=False)
def test_a_check_whose_post_is_not_saved_is_not_counted(db):
    """The caller's transaction rolled back (the post failed): neither the rate nor the
    duplicate check may hold it against the person's retry."""
    user = UserFactory()
    for _ in range(10):
        check_posting_allowed(user=user, ip="10.0.0.1", text="same", scope="comment")


def test_duplicate_text_in_the_same_scope_within_24_hours(db, post):
    user = UserFactory()
    with time_machine.travel(START, tick=False) as traveller:
        post(user, "Please repair the road on Abai street")
        traveller.move_to(START + datetime.timedelta(hours=2))
        with pytest.raises(PostingRefused, match="already posted this text"):
            post(user, "  please REPAIR the road\non   Abai street ")
        post(user, "Please repair the road on Abai street", scope="question")
        post(UserFactory(), "Please repair the road on Abai street")
        post(user, "Please repair the road on Abai street, and the lights")
        traveller.move_to(START + datetime.timedelta(hours=24, seconds=1))
        post(user, "Please repair the road on Abai street")


@time_machine.travel(START, tick=False)
def test_officials_and_moderators_are_not_throttled_but_blocks_apply(db, post):
    official = MembershipFactory().user
    moderator = platform_moderator()
    for _ in range(8):
        post(official, "Your comment is noted.")
        post(moderator, "Thank you.")
    UserBlock.objects.create(user=official, reason="x", actor=moderator)
    with pytest.raises(PostingRefused):
        post(official)
