"""The daily digest: one email per person, grouped by kind, sent once, then not again."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from notifications import registry, services
from notifications.models import Notification, RecipientSettings
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MORNING = datetime.datetime(2026, 3, 18, 3, 0, tzinfo=datetime.UTC)  # 08:00 in Almaty


def _notify(recipients, title, kind="test.news"):
    return services.notify(recipients=recipients, kind=kind, title=title, url=f"/kk/{title}/")


def test_one_email_per_person_grouped_by_kind(mailoutbox):
    alice, bob = UserFactory(email="alice@example.kz"), UserFactory(email="bob@example.kz")
    for person in (alice, bob):  # the digest is written in each recipient's language
        RecipientSettings.objects.create(user=person, language="en")
    services.preference_set(user=alice, kind="test.answer", channel=registry.DIGEST)
    with time_machine.travel(MORNING - datetime.timedelta(hours=5), tick=False):
        _notify([alice, bob], "budget-hearing")
        _notify([alice], "new-draft")
        _notify([alice], "your-answer", kind="test.answer")

    with time_machine.travel(MORNING, tick=False):
        sent = services.digest_send_due()

    assert sent == 2
    by_recipient = {message.to[0]: message for message in mailoutbox}
    text = by_recipient["alice@example.kz"].body
    assert "3 new notifications" in text
    # Grouped: each kind's heading, then its items.
    answers, news = text.index("== Answers to you =="), text.index("== News of what you follow ==")
    assert answers < text.index("your-answer") < news
    assert news < text.index("budget-hearing") and news < text.index("new-draft")
    assert "http://127.0.0.1:8000/kk/new-draft/" in text
    assert "1 new notification " in by_recipient["bob@example.kz"].body
    assert Notification.objects.filter(digest_sent_at=MORNING).count() == 4


def test_a_second_run_sends_nothing(mailoutbox):
    alice = UserFactory()
    _notify([alice], "first")
    assert services.digest_send_due() == 1

    assert services.digest_send_due() == 0
    assert len(mailoutbox) == 1


def test_news_after_todays_digest_waits_for_tomorrows(mailoutbox):
    alice = UserFactory()
    with time_machine.travel(MORNING, tick=False):
        _notify([alice], "first")
        services.digest_send_due()
    with time_machine.travel(MORNING + datetime.timedelta(hours=2), tick=False):
        _notify([alice], "second")
        assert services.digest_send_due() == 0
    with time_machine.travel(MORNING + datetime.timedelta(days=1), tick=False):
        assert services.digest_send_due() == 1

    assert len(mailoutbox) == 2
    assert "second" in mailoutbox[1].body and "first" not in mailoutbox[1].body


def test_now_argument_leaves_later_notifications_for_later():
    alice = UserFactory()
    with time_machine.travel(MORNING + datetime.timedelta(hours=1), tick=False):
        _notify([alice], "later")

    assert services.digest_send_due(now=MORNING) == 0
    assert Notification.objects.get().digest_sent_at is None


def test_immediate_and_off_notifications_are_not_in_the_digest(mailoutbox):
    alice = UserFactory()
    _notify([alice], "at-once", kind="test.answer")
    _notify([alice], "quiet", kind="test.quiet")
    mailoutbox.clear()

    assert services.digest_send_due() == 0


def test_a_kind_switched_off_after_sending_is_left_out(mailoutbox):
    alice = UserFactory()
    _notify([alice], "wanted")
    _notify([alice], "unwanted", kind="test.answer")  # immediate: not in the digest anyway
    services.preference_set(user=alice, kind="test.news", channel=registry.OFF)

    assert services.digest_send_due() == 0
    assert mailoutbox == []


def test_digest_is_written_in_the_notifications_language(mailoutbox):
    from django.utils import translation

    alice = UserFactory()
    services.recipient_language_set(user=alice, language="ru")
    _notify([alice], "x")

    services.digest_send_due()

    with translation.override("ru"):
        expected = translation.gettext("Your daily digest")
    assert expected in mailoutbox[0].alternatives[0][0]
    assert "/ru/notifications/unsubscribe/" in mailoutbox[0].body


def test_digest_query_count_does_not_grow_with_notifications(
    django_assert_max_num_queries, mailoutbox
):
    people = UserFactory.create_batch(3)
    for index in range(30):
        _notify(people, f"item-{index}")

    # A SELECT of who is due, then per person: their items (one query), the marking
    # update, savepoints. Not per notification.
    with django_assert_max_num_queries(1 + 3 * 4):
        assert services.digest_send_due() == 3


def test_management_command_reports_progress_and_is_idempotent(mailoutbox):
    alice = UserFactory()
    _notify([alice], "x")
    out = io.StringIO()

    call_command("send_digests", stdout=out)
    call_command("send_digests", stdout=out)

    assert "1/1 recipients processed" in out.getvalue()
    assert "1 digest email(s) sent." in out.getvalue()
    assert "0 digest email(s) sent." in out.getvalue()
    assert len(mailoutbox) == 1


def test_the_task_sends_due_digests(mailoutbox):
    from notifications.tasks import send_due_digests

    _notify([UserFactory()], "x")

    send_due_digests.enqueue()

    assert len(mailoutbox) == 1


def test_a_failed_send_leaves_the_notifications_for_the_next_run(monkeypatch, mailoutbox):
    from django.core.mail import EmailMultiAlternatives

    alice = UserFactory()
    _notify([alice], "x")

    def broken(self, fail_silently=False):
        raise OSError("mail server down")

    monkeypatch.setattr(EmailMultiAlternatives, "send", broken)
    assert services.digest_send_due() == 0
    assert Notification.objects.get().digest_sent_at is None
    monkeypatch.undo()

    assert services.digest_send_due(now=timezone.now()) == 1
