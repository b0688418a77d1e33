"""Viewer counts ("N watching"): subscribers of a group whose kind is registered with
`register_presence` are counted until they unsubscribe or disconnect; the count is shared
through the cache (one slot per process) and broadcast to the group as the event
"viewers", throttled to one message per group per process per interval; a dead process's
slot expires, so the count heals itself."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.core.cache import cache

from ashyq import live
from ashyq.live import Presence, is_presence_group, register_presence, viewer_count

pytestmark = pytest.mark.django_db(transaction=True)

GOOD_ORIGIN = [(b"origin", b"http://testserver")]
TIMEOUT = 3
GROUP = "room.7"


@pytest.fixture(autouse=True)
def _room_counts_viewers(settings):
    settings.LIVE_PRESENCE_INTERVAL = 0.2
    register_presence("room")
    live.presence.reset()
    yield
    live._presence_kinds.discard("room")
    live.presence.reset()


def run(scenario):
    async_to_sync(scenario)()


async def join(app, group: str = GROUP) -> WebsocketCommunicator:
    ws = WebsocketCommunicator(app, "/ws/", headers=list(GOOD_ORIGIN))
    connected, _ = await ws.connect(timeout=TIMEOUT)
    assert connected
    assert (await ws.receive_json_from(timeout=TIMEOUT))["type"] == "hello"
    await ws.send_json_to({"subscribe": [group]})
    assert (await ws.receive_json_from(timeout=TIMEOUT))["groups"] == [group]
    return ws


async def viewers_until(ws, count: int, timeout: float = TIMEOUT) -> list[int]:
    """The counts received until one equals `count` (fails after `timeout`)."""
    seen = []
    while True:
        message = await ws.receive_json_from(timeout=timeout)
        assert message["type"] == "event"
        if message["event"] != "viewers":
            continue
        assert set(message["payload"]) == {"count"}
        seen.append(message["payload"]["count"])
        if seen[-1] == count:
            return seen


def test_a_kind_must_be_registered_to_count():
    assert is_presence_group("room.7")
    assert not is_presence_group("announcement.7")
    assert not is_presence_group("room.")
    with pytest.raises(ValueError):
        register_presence("user")
    with pytest.raises(ValueError):
        register_presence("Bad kind")


def test_subscribers_are_counted_and_leaving_uncounts_them(ws_application):
    async def scenario():
        first = await join(ws_application)
        assert await viewers_until(first, 1)
        second = await join(ws_application)
        await viewers_until(first, 2)
        await viewers_until(second, 2)

        await second.send_json_to({"unsubscribe": [GROUP]})
        assert await second.receive_json_from(timeout=TIMEOUT) == {
            "type": "unsubscribed",
            "groups": [GROUP],
        }
        await viewers_until(first, 1)
        assert await second.receive_nothing(timeout=0.4)  # it left the group

        third = await join(ws_application)
        await viewers_until(first, 2)
        await third.disconnect()
        await viewers_until(first, 1)
        await first.disconnect()
        await second.disconnect()

    run(scenario)
    assert viewer_count(GROUP) in (0, 1)  # the last broadcast may not have run


def test_a_burst_of_joins_is_one_broadcast_per_interval(ws_application):
    joining = 25

    async def scenario():
        watcher = await join(ws_application)
        await viewers_until(watcher, 1)
        others = [await join(ws_application) for _ in range(joining)]
        seen = await viewers_until(watcher, joining + 1)
        # 25 joins within an interval or two: a handful of messages, not one per join.
        assert len(seen) <= 3
        assert await watcher.receive_nothing(timeout=0.5)
        for ws in [watcher, *others]:
            await ws.disconnect()

    run(scenario)


def test_subscribing_twice_counts_once(ws_application):
    async def scenario():
        ws = await join(ws_application)
        await ws.send_json_to({"subscribe": [GROUP]})
        await ws.receive_json_from(timeout=TIMEOUT)  # subscribed again
        assert await viewers_until(ws, 1) == [1]
        assert await ws.receive_nothing(timeout=0.5)
        await ws.disconnect()

    run(scenario)


def test_groups_that_do_not_count_viewers_get_no_viewers_events(ws_application):
    async def scenario():
        ws = await join(ws_application, "announcement.3")
        assert await ws.receive_nothing(timeout=0.5)
        await ws.disconnect()

    run(scenario)


class RecordingLayer:
    def __init__(self) -> None:
        self.sent: list[tuple[str, dict]] = []

    async def group_send(self, group: str, message: dict) -> None:
        self.sent.append((group, message))


def test_processes_share_the_count_and_a_dead_ones_viewers_expire(settings):
    """Two processes (two `Presence`s) count into their own slots; the total is their
    sum. One dies without a word: once its slot's TTL passes, only the living one's
    viewers are counted (its heartbeat keeps its own slot)."""
    settings.LIVE_PRESENCE_INTERVAL = 0
    settings.LIVE_PRESENCE_TTL = 60
    # Expiry is simulated with time_machine, which the cache in this process obeys and a
    # Redis server does not: the slots' logic is tested on the in-process cache.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ttl"}
    }
    alive, dying = Presence(), Presence()
    layer = RecordingLayer()
    start = datetime.datetime(2026, 3, 12, 10, tzinfo=datetime.UTC)

    def joins(presence: Presence, count: int):
        async def scenario() -> None:
            for _ in range(count):
                await presence.join(GROUP, layer)
            await presence._broadcast_later(GROUP, layer)

        return scenario

    async def heartbeat() -> None:
        await alive._publish(GROUP)  # what `_keep_alive` does every TTL / 3

    with time_machine.travel(start, tick=False):
        run(joins(alive, 2))
        run(joins(dying, 3))
        assert viewer_count(GROUP) == 5
        assert layer.sent[-1] == (
            GROUP,
            {"type": "live.event", "group": GROUP, "event": "viewers", "payload": {"count": 5}},
        )

    with time_machine.travel(start + datetime.timedelta(seconds=30), tick=False):
        run(heartbeat)
    with time_machine.travel(start + datetime.timedelta(seconds=61), tick=False):
        assert viewer_count(GROUP) == 2


def test_leaving_to_zero_gives_the_slot_up(settings):
    settings.LIVE_PRESENCE_INTERVAL = 0
    presence = Presence()
    layer = RecordingLayer()

    async def scenario():
        await presence.join(GROUP, layer)
        await presence._broadcast_later(GROUP, layer)
        assert viewer_count(GROUP) == 1
        await presence.leave(GROUP, layer)
        await presence._broadcast_later(GROUP, layer)

    run(scenario)
    assert viewer_count(GROUP) == 0
    assert not any(cache.get(f"live:viewers:{GROUP}:{i}") for i in range(live.presence_slots()))
    assert layer.sent[-1][1]["payload"] == {"count": 0}


def test_a_broken_cache_counts_nobody(monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr(cache, "get_many", broken)
    assert viewer_count(GROUP) == 0
