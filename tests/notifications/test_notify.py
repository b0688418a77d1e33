"""notify(): who is told, in which language, through which channel, at what cost."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from accounts.services import user_delete_account
from notifications import registry, services
from notifications.models import Notification
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


def _notify(recipients, kind="test.news", title="Agency answered", **extra):
    return services.notify(recipients=recipients, kind=kind, title=title, url="/kk/x/", **extra)


def test_each_recipient_gets_one_notification_except_the_actor():
    actor, alice, bob = UserFactory(), UserFactory(), UserFactory()

    count = _notify([actor, alice, bob, alice], actor=actor)

    assert count == 2
    assert sorted(Notification.objects.values_list("recipient", flat=True)) == sorted(
        [alice.pk, bob.pk]
    )
    notification = Notification.objects.get(recipient=alice)
    assert notification.actor == actor
    assert (notification.title, notification.url, notification.kind) == (
        "Agency answered",
        "/kk/x/",
        "test.news",
    )
    assert notification.read_at is None


def test_recipients_may_be_ids_or_a_queryset():
    from accounts.models import User

    alice, bob = UserFactory(), UserFactory()

    assert _notify([alice.pk]) == 1
    assert _notify(User.objects.filter(pk__in=[alice.pk, bob.pk])) == 2


def test_deleted_and_inactive_people_are_not_notified():
    alive, gone, inactive = UserFactory(), UserFactory(), UserFactory(is_active=False)
    user_delete_account(user=gone)

    assert _notify([alive, gone, inactive]) == 1


def test_unknown_kind_is_refused():
    with pytest.raises(LookupError):
        _notify([UserFactory()], kind="never.registered")
    assert not Notification.objects.exists()


def test_target_is_stored_generically():
    agency = AgencyFactory()
    alice = UserFactory()

    _notify([alice], target=agency, data={"answer": 3})

    notification = Notification.objects.get()
    assert notification.target == agency
    assert notification.data == {"answer": 3}


def test_notify_followers_tells_followers_and_extra_recipients_once():
    agency = AgencyFactory()
    follower, both, extra, stranger, actor = (UserFactory() for _ in range(5))
    for person in (follower, both, actor):
        services.follow(user=person, target=agency)

    count = services.notify_followers(
        target=agency,
        kind="test.news",
        actor=actor,
        title="New",
        url="/kk/",
        extra_recipients=[both, extra],
    )

    assert count == 3
    assert set(Notification.objects.values_list("recipient", flat=True)) == {
        follower.pk,
        both.pk,
        extra.pk,
    }
    assert stranger.pk not in set(Notification.objects.values_list("recipient", flat=True))


def test_lazy_titles_are_rendered_in_each_recipients_language():
    kazakh, russian, unknown = UserFactory(), UserFactory(), UserFactory()
    services.recipient_language_set(user=kazakh, language="kk")
    services.recipient_language_set(user=russian, language="ru")
    title = format_lazy("{}: {}", gettext_lazy("Notifications"), "42")

    with translation.override("en"):
        _notify([kazakh, russian, unknown], title=title)

    rows = dict(Notification.objects.values_list("recipient", "title"))
    languages = dict(Notification.objects.values_list("recipient", "language"))
    with translation.override("ru"):
        assert rows[russian.pk] == f"{translation.gettext('Notifications')}: 42"
    with translation.override("kk"):
        assert rows[kazakh.pk] == f"{translation.gettext('Notifications')}: 42"
    assert languages == {kazakh.pk: "kk", russian.pk: "ru", unknown.pk: "kk"}


@pytest.mark.parametrize("count", [20, 200])
def test_notifying_many_people_takes_a_bounded_number_of_queries(
    count, django_capture_on_commit_callbacks, recording_layer
):
    import math

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    agency = AgencyFactory()
    people = UserFactory.create_batch(count)
    for person in people:
        services.follow(user=person, target=agency)
    services.preference_set(user=people[0], kind="test.news", channel=registry.IMMEDIATE)
    fields = [f for f in Notification._meta.concrete_fields if not f.primary_key]
    batch = min(services.BATCH_SIZE, connection.ops.bulk_batch_size(fields, [None] * count))

    with (
        django_capture_on_commit_callbacks(execute=False),
        CaptureQueriesContext(connection) as queries,
    ):
        sent = services.notify_followers(target=agency, kind="test.news", title="News", url="/kk/")

    assert sent == count
    assert Notification.objects.count() == count
    statements = [q["sql"] for q in queries.captured_queries]
    inserts = [sql for sql in statements if sql.startswith("INSERT")]
    others = [sql for sql in statements if not sql.startswith("INSERT")]
    # Followers with their language and preferences: one SELECT (plus a savepoint and its
    # release); the rows go in bulk, one INSERT per batch the database allows.
    assert len(inserts) == math.ceil(count / batch)
    assert len(others) <= 3


# --- Channels: immediate, digest, off --------------------------------------------------------


def test_immediate_email_is_sent_after_commit_not_before(
    mailoutbox, django_capture_on_commit_callbacks
):
    alice = UserFactory(email="alice@example.kz")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        _notify([alice], kind="test.answer")
        assert mailoutbox == []

    assert callbacks  # the email task was queued on commit
    assert [message.to for message in mailoutbox] == [["alice@example.kz"]]
    assert Notification.objects.get().emailed_at is not None


def test_a_rolled_back_notification_sends_no_email(mailoutbox, django_capture_on_commit_callbacks):
    alice = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                _notify([alice], kind="test.answer")
                raise RuntimeError("the surrounding write failed")
        except RuntimeError:
            pass

    assert mailoutbox == []
    assert not Notification.objects.exists()


def test_the_email_task_does_not_send_twice(mailoutbox, django_capture_on_commit_callbacks):
    from notifications.tasks import send_notification_emails

    alice = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        _notify([alice], kind="test.answer")
    notification = Notification.objects.get()

    send_notification_emails.call(notification_ids=[notification.pk])

    assert len(mailoutbox) == 1


def test_digest_kind_sends_nothing_at_once(mailoutbox, django_capture_on_commit_callbacks):
    alice = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        _notify([alice], kind="test.news")

    assert mailoutbox == []
    assert Notification.objects.get().channel == registry.DIGEST


def test_off_means_in_app_only(mailoutbox, django_capture_on_commit_callbacks):
    alice, bob = UserFactory(), UserFactory()
    services.preference_set(user=alice, kind="test.answer", channel=registry.OFF)

    with django_capture_on_commit_callbacks(execute=True):
        _notify([alice], kind="test.answer")
        _notify([bob], kind="test.quiet")  # off by the kind's default

    assert mailoutbox == []
    assert Notification.objects.filter(channel=registry.OFF).count() == 2
    assert services.digest_send_due() == 0


def test_a_personal_choice_overrides_the_kinds_default(
    mailoutbox, django_capture_on_commit_callbacks
):
    alice = UserFactory()
    services.preference_set(user=alice, kind="test.news", channel=registry.IMMEDIATE)

    with django_capture_on_commit_callbacks(execute=True):
        _notify([alice], kind="test.news")

    assert len(mailoutbox) == 1


def test_all_email_off_wins_over_every_kind(mailoutbox, django_capture_on_commit_callbacks):
    alice = UserFactory()
    services.preference_set(user=alice, kind="test.answer", channel=registry.IMMEDIATE)
    services.preference_set(user=alice, kind=registry.ALL_KINDS, channel=registry.OFF)

    with django_capture_on_commit_callbacks(execute=True):
        _notify([alice], kind="test.answer")

    assert mailoutbox == []
    assert Notification.objects.get().channel == registry.OFF
    assert services.email_channel(user=alice, kind="test.answer") == registry.OFF


def test_unsubscribing_after_sending_stops_the_queued_email(mailoutbox):
    from notifications.tasks import send_notification_emails

    alice = UserFactory()
    _notify([alice], kind="test.answer")  # the on-commit task never ran
    services.unsubscribe(user_id=alice.pk, kind="test.answer")

    send_notification_emails.call(notification_ids=[Notification.objects.get().pk])

    assert mailoutbox == []


def test_register_kind_validates():
    with pytest.raises(ValueError):
        registry.register_kind("bad", label="Bad", default="weekly")
    with pytest.raises(ValueError):
        registry.register_kind(registry.ALL_KINDS, label="All")
    with pytest.raises(ValueError):
        services.preference_set(user=UserFactory(), kind="test.news", channel="hourly")


# --- Live ----------------------------------------------------------------------------------------


def test_each_recipient_group_hears_of_it_after_commit(
    recording_layer, django_capture_on_commit_callbacks
):
    alice, bob = UserFactory(), UserFactory()

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        _notify([alice, bob])
        assert recording_layer.sent == []

    groups = sorted(group for group, _message in recording_layer.sent)
    assert groups == sorted([f"user.{alice.pk}", f"user.{bob.pk}"])
    message = recording_layer.sent[0][1]
    assert message["event"] == "notification"
    assert message["payload"]["title"] == "Agency answered"


def test_the_in_memory_layer_delivers_to_the_users_socket_group(
    django_capture_on_commit_callbacks,
):
    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer

    alice = UserFactory()
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(f"user.{alice.pk}", channel)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            _notify([alice])
        message = async_to_sync(layer.receive)(channel)
    finally:
        async_to_sync(layer.group_discard)(f"user.{alice.pk}", channel)

    assert message["type"] == "live.event"
    assert message["event"] == "notification"
