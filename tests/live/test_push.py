"""`live_push` on its own: after commit only, and never a reason for a write to fail."""

from __future__ import annotations

import logging

import pytest
from django.db import transaction

from ashyq import live

pytestmark = pytest.mark.django_db


class RecordingLayer:
    def __init__(self) -> None:
        self.sent: list[tuple[str, dict]] = []

    async def group_send(self, group: str, message: dict) -> None:
        self.sent.append((group, message))


class UnreachableLayer:
    async def group_send(self, group: str, message: dict) -> None:
        raise ConnectionError("Error 111 connecting to redis:6379. Connection refused.")


@pytest.fixture
def recording_layer(monkeypatch):
    layer = RecordingLayer()
    monkeypatch.setattr(live, "get_channel_layer", lambda: layer)
    return layer


def test_push_is_sent_on_commit_not_before(recording_layer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        live.live_push(group="announcement.3", event="changed", payload={"id": 3})
        assert recording_layer.sent == []

    assert len(callbacks) == 1
    assert recording_layer.sent == [
        (
            "announcement.3",
            {
                "type": "live.event",
                "group": "announcement.3",
                "event": "changed",
                "payload": {"id": 3},
            },
        )
    ]


def test_push_in_a_rolled_back_savepoint_is_dropped(
    recording_layer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                live.live_push(group="announcement.3", event="ghost")
                raise RuntimeError
        except RuntimeError:
            pass
        live.live_push(group="announcement.3", event="real")

    assert len(callbacks) == 1
    assert [message["event"] for _group, message in recording_layer.sent] == ["real"]


def test_notify_user_targets_the_users_group(recording_layer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        live.live_notify_user(user_id=5, event="answered")

    assert recording_layer.sent[0][0] == "user.5"
    assert recording_layer.sent[0][1]["payload"] == {}


def test_unreachable_layer_skips_the_push_with_a_warning(
    monkeypatch, caplog, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(live, "get_channel_layer", lambda: UnreachableLayer())

    with (
        caplog.at_level(logging.WARNING, logger="ashyq.live"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        live.live_push(group="announcement.3", event="changed")  # must not raise

    [record] = [r for r in caplog.records if r.name == "ashyq.live"]
    assert record.levelno == logging.WARNING
    assert "changed" in record.getMessage()
    assert "announcement.3" in record.getMessage()
    assert "Connection refused" in record.getMessage()


def test_a_layer_that_cannot_even_be_built_is_skipped_too(
    monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def broken():
        raise ConnectionError("no route to host")

    monkeypatch.setattr(live, "get_channel_layer", broken)

    with django_capture_on_commit_callbacks(execute=True):
        live.live_push(group="announcement.3", event="changed")

    assert any(r.levelno == logging.WARNING and r.name == "ashyq.live" for r in caplog.records)


def test_no_layer_configured_is_skipped_quietly(
    monkeypatch, caplog, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(live, "get_channel_layer", lambda: None)

    with (
        caplog.at_level(logging.INFO, logger="ashyq.live"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        live.live_push(group="announcement.3", event="changed")

    assert [r.levelno for r in caplog.records if r.name == "ashyq.live"] == [logging.INFO]


def test_the_write_around_a_failed_push_still_commits(
    monkeypatch, django_capture_on_commit_callbacks
):
    from tests.factories import AgencyFactory

    monkeypatch.setattr(live, "get_channel_layer", lambda: UnreachableLayer())

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        agency = AgencyFactory(slug="kept")
        live.live_push(group=f"agency.{agency.slug}", event="created")

    from accounts.models import Agency

    assert Agency.objects.filter(slug="kept").exists()


@pytest.mark.parametrize(
    "group", ["user", "User.5", "announcement", "announcement.3 ", "a.b/c", "", "9lives.1"]
)
def test_invalid_group_names_are_refused_at_once(group):
    with pytest.raises(ValueError):
        live.live_push(group=group, event="changed")


def test_object_group_builds_valid_names():
    assert live.object_group("announcement", 3) == "announcement.3"
    assert live.user_group(12) == "user.12"
    with pytest.raises(ValueError):
        live.object_group("Bad Kind", 1)
