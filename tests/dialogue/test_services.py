"""The comment services: posting, replying, editing within the window, withdrawing, votes,
hiding and restoring, text sanitising and limits, counters, notifications, audit."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models.signals import pre_save
from django.utils import timezone

from accounts.models import AuditEvent
from dialogue import services
from dialogue.models import Comment, CommentTarget, CommentVersion, CommentVote
from moderation.models import UserBlock
from notifications.models import Notification
from notifications.services import is_following
from tests.factories import OrganisationFactory, OrganisationMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def counters(target) -> CommentTarget:
    from dialogue.selectors import counters as read

    return read(target)


# --- posting ------------------------------------------------------------------------------


def test_post_stores_raw_text_renders_html_and_counts(post, announcement, verified_user):
    comment = post(verified_user, "I *agree* with the plan.")

    assert comment.comment == "I *agree* with the plan."
    assert comment.html == "<p>I <em>agree</em> with the plan.</p>"
    assert comment.is_visible and comment.level == 0 and comment.reply_to is None
    assert comment.thread_id == comment.pk == comment.parent_id
    assert comment.target_pk == str(announcement.pk)
    assert comment.content_object == announcement
    row = counters(announcement)
    assert (row.visible_count, row.total_count, row.top_level_count) == (1, 1, 1)
    assert row.last_posted_at == comment.posted_at
    assert AuditEvent.objects.filter(action="comment_posted", target_id=str(comment.pk)).exists()


def test_author_follows_the_target_and_followers_are_notified(post, announcement):
    follower, author = UserFactory(), UserFactory()
    post(follower, "First")
    post(author, "Second")

    assert is_following(user=author, target=announcement)
    assert Notification.objects.filter(recipient=follower, kind="comment_posted").count() == 1
    assert not Notification.objects.filter(recipient=author).exists()


def test_reply_is_threaded_counted_and_notifies_the_parent_author(post, announcement):
    asker, replier = UserFactory(), UserFactory()
    parent = post(asker, "Question?")
    reply = post(replier, "Answer.", parent=parent)
    deeper = post(asker, "Thanks.", parent=reply)

    assert (reply.level, reply.thread_id, reply.reply_to_id) == (1, parent.pk, parent.pk)
    assert (deeper.level, deeper.reply_to_id) == (2, reply.pk)
    parent.refresh_from_db()
    reply.refresh_from_db()
    assert (parent.reply_count, parent.reply_total) == (1, 1)
    assert (reply.reply_count, reply.reply_total) == (1, 1)
    row = counters(announcement)
    assert (row.visible_count, row.total_count, row.top_level_count) == (3, 3, 1)
    # Each hears once: the parent's author of the reply, other followers of a new comment.
    assert list(Notification.objects.filter(recipient=asker).values_list("kind", flat=True)) == [
        "comment_reply"
    ]
    assert list(Notification.objects.filter(recipient=replier).values_list("kind", flat=True)) == [
        "comment_reply"
    ]


def test_reply_beyond_the_max_level_is_refused(post, verified_user, settings):
    settings.COMMENTS_XTD_MAX_THREAD_LEVEL = 1
    parent = post(verified_user, "Level 0")
    reply = post(UserFactory(), "Level 1", parent=parent)
    with pytest.raises(PermissionDenied):
        post(UserFactory(), "Level 2", parent=reply)


def test_reply_must_be_on_the_same_target(post, news, verified_user):
    from tests.factories import make_announcement

    other = make_announcement(news, title="Other")
    parent = post(verified_user, "On the first")
    with pytest.raises(PermissionDenied):
        services.comment_post(target=other, author=UserFactory(), text="x", parent=parent)


@pytest.mark.parametrize(
    ("text", "code"), [("", "empty"), ("   \n\t ", "empty"), ("x" * 3001, "too_long")]
)
def test_empty_and_too_long_texts_are_refused_with_a_clear_error(post, verified_user, text, code):
    with pytest.raises(ValidationError) as error:
        post(verified_user, text)
    assert "text" in error.value.message_dict
    assert error.value.error_dict["text"][0].code == code
    assert not Comment.objects.exists()


def test_length_limit_counts_the_text_and_names_both_numbers(post, verified_user, settings):
    settings.COMMENT_MAX_LENGTH = 10
    post(verified_user, "x" * 10)
    with pytest.raises(ValidationError) as error:
        post(verified_user, "y" * 11)
    assert "11" in error.value.message_dict["text"][0]
    assert "10" in error.value.message_dict["text"][0]


def test_sanitising_strips_scripts_javascript_links_and_raw_html(post, verified_user):
    comment = post(
        verified_user,
        "<script>alert(1)</script>[click](javascript:alert(1)) <img src=x onerror=alert(1)> "
        '<a href="https://example.kz" onclick="x()">ok</a> [site](https://gov.kz)',
    )
    assert "<script" not in comment.html and "alert(1)" not in comment.html
    assert "javascript:" not in comment.html
    assert "<img" not in comment.html and "onerror" not in comment.html
    assert "onclick" not in comment.html
    assert '<a href="https://gov.kz" rel="nofollow ugc noopener">site</a>' in comment.html
    assert comment.comment.startswith("<script>")  # the raw text is kept as typed


def test_markdown_subset_lists_quotes_code_but_no_headings_or_images(post, verified_user):
    comment = post(
        verified_user, "# Title\n\n> quoted\n\n- one\n- two\n\n`code` ![i](https://x.kz/i.png)"
    )
    assert "<h1" not in comment.html and "<img" not in comment.html
    assert "<blockquote>" in comment.html and "<ul>" in comment.html
    assert "<code>code</code>" in comment.html


def test_unverified_and_blocked_users_and_closed_targets_are_refused(
    post, unverified_user, verified_user, moderator, closed_announcement
):
    with pytest.raises(PermissionDenied):
        post(unverified_user, "Hello")
    with pytest.raises(PermissionDenied):
        services.comment_post(target=closed_announcement, author=verified_user, text="Hello")
    UserBlock.objects.create(user=verified_user, actor=moderator, reason="spam")
    with pytest.raises(PermissionDenied):
        post(verified_user, "Hello")
    assert not Comment.objects.exists()


def test_rate_limit_becomes_a_text_error(
    post, verified_user, settings, django_capture_on_commit_callbacks
):
    settings.MODERATION_RATE_LIMITS = {"user_per_minute": 1}
    with django_capture_on_commit_callbacks(execute=True):
        post(verified_user, "First")
    with pytest.raises(ValidationError) as error:
        post(verified_user, "Second")
    assert "text" in error.value.message_dict


def test_official_comment_carries_the_agency(post, agency_with_staff, verified_user):
    comment = post(agency_with_staff.responder, "Our answer", as_official=True)
    assert comment.is_official and comment.agency == agency_with_staff.agency
    with pytest.raises(PermissionDenied):
        post(agency_with_staff.drafter, "Not a responder", as_official=True)
    with pytest.raises(PermissionDenied):
        post(verified_user, "Citizen", as_official=True)


def test_official_flag_requires_an_agency_in_the_database(post, verified_user):
    comment = post(verified_user, "x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.filter(pk=comment.pk).update(is_official=True)


def test_organisation_only_when_the_member_may_act_for_it(post, verified_user):
    unverified_org = OrganisationFactory()
    OrganisationMembershipFactory(user=verified_user, organisation=unverified_org)
    with pytest.raises(PermissionDenied):
        post(verified_user, "x", organisation=unverified_org)
    org = OrganisationFactory(verified=True)
    OrganisationMembershipFactory(user=verified_user, organisation=org)
    member = type(verified_user).objects.get(pk=verified_user.pk)  # memberships are cached
    assert post(member, "y", organisation=org).organisation == org


def test_library_pre_save_cascade_is_disconnected():
    from django_comments_xtd.models import publish_or_unpublish_on_pre_save

    sync_receivers, _async = pre_save._live_receivers(Comment)
    assert publish_or_unpublish_on_pre_save not in sync_receivers


# --- editing ------------------------------------------------------------------------------


def test_edit_within_window_keeps_every_version(post, verified_user):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        comment = post(verified_user, "First text")
    with time_machine.travel(start + datetime.timedelta(minutes=5), tick=False):
        services.comment_edit(comment=comment, author=verified_user, text="Second **text**")
    with time_machine.travel(start + datetime.timedelta(minutes=14), tick=False):
        comment = services.comment_edit(comment=comment, author=verified_user, text="Third")

    comment.refresh_from_db()
    assert comment.comment == "Third" and comment.html == "<p>Third</p>"
    assert comment.edited_at == start + datetime.timedelta(minutes=14)
    versions = list(CommentVersion.objects.filter(comment=comment).order_by("replaced_at"))
    assert [v.text for v in versions] == ["First text", "Second **text**"]
    assert versions[0].written_at == start
    assert versions[1].html == "<p>Second <strong>text</strong></p>"


def test_edit_after_the_window_or_by_someone_else_is_refused(post, verified_user, settings):
    settings.COMMENTS_EDIT_WINDOW_MINUTES = 15
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        comment = post(verified_user, "Text")
    with (
        time_machine.travel(start + datetime.timedelta(minutes=3), tick=False),
        pytest.raises(PermissionDenied),
    ):
        services.comment_edit(comment=comment, author=UserFactory(), text="Hijack")
    with (
        time_machine.travel(start + datetime.timedelta(minutes=16), tick=False),
        pytest.raises(PermissionDenied),
    ):
        services.comment_edit(comment=comment, author=verified_user, text="Late")
    comment.refresh_from_db()
    assert comment.comment == "Text" and not comment.versions.exists()


def test_edit_with_empty_text_keeps_the_old_one(post, verified_user):
    comment = post(verified_user, "Text")
    with pytest.raises(ValidationError):
        services.comment_edit(comment=comment, author=verified_user, text="  ")
    comment.refresh_from_db()
    assert comment.comment == "Text"


# --- withdrawing --------------------------------------------------------------------------


def test_withdraw_keeps_the_text_and_moves_the_visible_counters(post, announcement, verified_user):
    parent = post(UserFactory(), "Parent")
    reply = post(verified_user, "Reply", parent=parent)
    services.comment_withdraw(comment=reply, author=verified_user)

    reply.refresh_from_db()
    parent.refresh_from_db()
    assert reply.is_withdrawn and reply.withdrawn_at and reply.comment == "Reply"
    assert (parent.reply_count, parent.reply_total) == (0, 1)
    row = counters(announcement)
    assert (row.visible_count, row.total_count) == (1, 2)
    with pytest.raises(PermissionDenied):
        services.comment_withdraw(comment=reply, author=verified_user)
    with pytest.raises(PermissionDenied):
        services.comment_withdraw(comment=parent, author=verified_user)


# --- votes --------------------------------------------------------------------------------


def test_votes_change_and_withdraw_with_exact_counters(post, verified_user):
    comment = post(verified_user, "Vote on me")
    a, b = UserFactory(), UserFactory()

    def state():
        comment.refresh_from_db()
        return comment.upvotes, comment.downvotes, comment.score

    services.comment_vote(comment=comment, user=a, value=1)
    services.comment_vote(comment=comment, user=b, value=1)
    assert state() == (2, 0, 2)
    services.comment_vote(comment=comment, user=a, value=1)  # the same vote again: no change
    assert state() == (2, 0, 2)
    services.comment_vote(comment=comment, user=a, value=-1)
    assert state() == (1, 1, 0)
    services.comment_vote(comment=comment, user=b, value=0)
    assert state() == (0, 1, -1)
    services.comment_vote(comment=comment, user=a, value=0)
    assert state() == (0, 0, 0)
    assert not CommentVote.objects.exists()


def test_no_vote_on_own_comment_or_by_unverified(post, verified_user, unverified_user):
    comment = post(verified_user, "Mine")
    with pytest.raises(PermissionDenied):
        services.comment_vote(comment=comment, user=verified_user, value=1)
    with pytest.raises(PermissionDenied):
        services.comment_vote(comment=comment, user=unverified_user, value=1)
    with pytest.raises(ValueError):
        services.comment_vote(comment=comment, user=UserFactory(), value=2)
    comment.refresh_from_db()
    assert comment.score == 0


# --- hide and restore ---------------------------------------------------------------------


def test_hide_keeps_text_records_reason_and_restore_brings_it_back(
    post, announcement, verified_user, moderator
):
    comment = post(verified_user, "Rude words")
    services.comment_hide(comment=comment, reason="abuse", note="Insults", actor=moderator)

    comment.refresh_from_db()
    assert comment.is_hidden and comment.comment == "Rude words"
    assert (comment.hidden_reason, comment.hidden_note, comment.hidden_by) == (
        "abuse",
        "Insults",
        moderator,
    )
    assert counters(announcement).visible_count == 0

    services.comment_restore(comment=comment, actor=moderator)
    comment.refresh_from_db()
    assert comment.is_visible and comment.hidden_reason == "" and comment.comment == "Rude words"
    assert counters(announcement).visible_count == 1
    actions = list(
        AuditEvent.objects.filter(target_id=str(comment.pk))
        .order_by("at", "pk")
        .values_list("action", flat=True)
    )
    assert actions == ["comment_posted", "comment_hidden", "comment_restored"]
    restored = AuditEvent.objects.get(action="comment_restored")
    assert restored.data == {"reason": "abuse", "note": "Insults"}


def test_hide_needs_a_moderator_and_a_known_reason(
    post, verified_user, moderator, agency_with_staff
):
    comment = post(verified_user, "Text")
    with pytest.raises(PermissionDenied):
        services.comment_hide(comment=comment, reason="abuse", actor=UserFactory())
    with pytest.raises(ValueError):
        services.comment_hide(comment=comment, reason="because", actor=moderator)
    # The agency the announcement is addressed to moderates its comments.
    services.comment_hide(comment=comment, reason="spam", actor=agency_with_staff.moderator)
    comment.refresh_from_db()
    assert comment.is_hidden


def test_moderation_registry_adapters_hide_and_restore(post, verified_user, moderator):
    from moderation import registry

    comment = post(verified_user, "Text")
    entry = registry.get(comment)
    entry.hide(comment, reason="spam", actor=moderator)
    comment.refresh_from_db()
    assert entry.is_hidden(comment)
    entry.restore(comment, actor=moderator)
    comment.refresh_from_db()
    assert not entry.is_hidden(comment)
    assert list(entry.content_of_user(verified_user)) == [comment]
    assert entry.author_of(comment) == verified_user


def test_my_data_exports_comments_and_votes_and_erases_ip_addresses(post, verified_user):
    from accounts import personal_data

    comment = post(verified_user, "Mine", ip="10.1.2.3")
    services.comment_edit(comment=comment, author=verified_user, text="Mine, edited")
    other = post(UserFactory(), "Theirs")
    services.comment_vote(comment=other, user=verified_user, value=-1)

    data = personal_data.export_for(verified_user)
    assert data["comments"][0]["text"] == "Mine, edited"
    assert data["comments"][0]["earlier_versions"][0]["text"] == "Mine"
    assert data["comments"][0]["ip_address"] == "10.1.2.3"
    assert data["comment_votes"] == [
        {"comment": other.pk, "value": -1, "at": data["comment_votes"][0]["at"]}
    ]
    for section in personal_data.sections():
        if section.key == "comments":
            section.erase(verified_user)
    comment.refresh_from_db()
    assert comment.ip_address is None and comment.comment == "Mine, edited"
