"""Pushing "something changed" events to browsers over the channel layer.

Every module calls `live_push` (or `live_notify_user`) from its services. The event is sent
after the surrounding transaction commits, so no browser hears of a row that was rolled back;
and if no channel layer is reachable the site carries on and the push is skipped with a log
line: live updates are an enhancement, never a reason for a write to fail.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

# Group names are "<kind>.<id>", e.g. "announcement.12", "user.5". Channels allows
# ASCII letters, digits, hyphens, underscores and periods, under 100 characters.
GROUP_RE = re.compile(r"^[a-z][a-z0-9_]{0,40}\.[A-Za-z0-9_-]{1,50}$")
EVENT_TYPE = "live.event"


def object_group(kind: str, pk: Any) -> str:
    name = f"{kind}.{pk}"
    if not GROUP_RE.match(name):
        raise ValueError(f"Not a valid live group name: {name!r}")
    return name


def user_group(user_id: int) -> str:
    return object_group("user", user_id)


def live_push(*, group: str, event: str, payload: dict[str, Any] | None = None) -> None:
    """Send `event` to everyone listening on `group` once the current transaction commits."""
    if not GROUP_RE.match(group):
        raise ValueError(f"Not a valid live group name: {group!r}")
    message = {"type": EVENT_TYPE, "group": group, "event": event, "payload": payload or {}}
    transaction.on_commit(lambda: _send(group, message))


def live_notify_user(*, user_id: int, event: str, payload: dict[str, Any] | None = None) -> None:
    live_push(group=user_group(user_id), event=event, payload=payload)


def _send(group: str, message: dict[str, Any]) -> bool:
    try:
        layer = get_channel_layer()
        if layer is None:
            logger.info("No channel layer configured; live event %s skipped", message["event"])
            return False
        async_to_sync(layer.group_send)(group, message)
    except Exception as exc:  # the layer's transport errors vary (redis, network, timeouts)
        logger.warning(
            "Channel layer unreachable; live event %s to %s skipped: %s",
            message["event"],
            group,
            exc,
        )
        return False
    return True


# --- Presence: how many people are watching a group ------------------------------------------
#
# A module registers a group kind (`register_presence("conference")`); from then on every
# websocket subscribed to "conference.<pk>" counts as one viewer of that group, until it
# unsubscribes or disconnects. The count is shared by every daphne process through the
# Django cache (Redis when REDIS_URL is set):
#
# - each process counts its own subscribers exactly, in memory, and writes its number into
#   one *slot* of the group, `live:viewers:<group>:<i>` = [process id, count], with a TTL;
#   the total is the sum of the slots (one `get_many`). A process only ever writes its own
#   slot, so no write races another process's, and a join is no cache write at all;
# - the slot is written, and the total broadcast to the group as the event "viewers" with
#   payload {"count": n}, on the *trailing edge* of a throttle: the first change schedules
#   one task that sleeps LIVE_PRESENCE_INTERVAL seconds (2), then writes, reads the total
#   and sends; changes meanwhile ride along. So 1,000 people joining cost one cache write
#   and one message per group per process per interval, not a million messages;
# - a heartbeat refreshes the slots of groups with viewers every TTL/3 seconds. If a process
#   dies, its sockets are never "disconnected", but its slots expire after
#   LIVE_PRESENCE_TTL seconds (60): the count heals itself within a minute, and the next
#   broadcast in the group shows it. (A shared `incr`/`decr` counter would stay wrong for
#   as long as the group is busy, since every change refreshes its expiry.)
#
# Reads on a page (`viewer_count`) cost one cache `get_many`; a broken cache counts 0 and
# is logged: presence, like every live feature, is an enhancement.

PRESENCE_EVENT = "viewers"
PRESENCE_KIND_RE = re.compile(r"^[a-z][a-z0-9_]{0,40}$")
_presence_kinds: set[str] = set()


def register_presence(kind: str) -> None:
    """Count the subscribers of "<kind>.<id>" groups as viewers (see above)."""
    if not PRESENCE_KIND_RE.match(kind) or kind == "user":
        raise ValueError(f"Not a group kind that can count viewers: {kind!r}")
    _presence_kinds.add(kind)


def is_presence_group(group: str) -> bool:
    kind, dot, _rest = group.partition(".")
    return bool(dot) and kind in _presence_kinds and bool(GROUP_RE.match(group))


def _presence_setting(name: str, default: float) -> float:
    from django.conf import settings

    return float(getattr(settings, f"LIVE_PRESENCE_{name}", default))


def presence_interval() -> float:
    """Seconds between two "viewers" broadcasts of a group by one process."""
    return _presence_setting("INTERVAL", 2.0)


def presence_ttl() -> int:
    """Seconds after which a silent process's viewers stop counting."""
    return max(3, int(_presence_setting("TTL", 60)))


def presence_slots() -> int:
    """How many processes may count viewers of one group (daphne processes sharing a cache)."""
    return max(1, int(_presence_setting("SLOTS", 32)))


def _slot_key(group: str, index: int) -> str:
    return f"live:viewers:{group}:{index}"


def _slot_keys(group: str) -> list[str]:
    return [_slot_key(group, index) for index in range(presence_slots())]


def _sum_slots(values: dict[str, Any]) -> int:
    total = 0
    for value in values.values():
        try:
            total += max(0, int(value[1]))
        except (TypeError, ValueError, IndexError, KeyError):
            continue
    return total


def viewer_count(group: str) -> int:
    """How many are watching `group` now, across processes (for the page's first render)."""
    from django.core.cache import cache

    if not is_presence_group(group):
        return 0
    try:
        return _sum_slots(cache.get_many(_slot_keys(group)))
    except Exception as exc:  # the cache's transport errors vary, as the layer's do
        logger.warning("Cache unreachable; viewers of %s not counted: %s", group, exc)
        return 0


def _cache_call(name: str, *args: Any, **kwargs: Any):
    """A sync cache method run off the event loop (one hop; `get_many` stays one MGET)."""
    from asgiref.sync import sync_to_async
    from django.core.cache import cache

    return sync_to_async(getattr(cache, name), thread_sensitive=False)(*args, **kwargs)


class Presence:
    """This process's viewers per group, its cache slots, and the throttled broadcasts.
    One instance per process (`presence`); the consumer calls `join` and `leave`."""

    def __init__(self) -> None:
        import os
        import socket
        import uuid

        self.process_id = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.local: dict[str, int] = {}
        self.slot_of: dict[str, int] = {}
        self._pending: dict[str, Any] = {}  # group -> asyncio.Task of the next broadcast
        self._locks: dict[str, tuple[Any, Any]] = {}  # group -> (event loop, asyncio.Lock)
        self._heartbeat: Any = None

    def reset(self) -> None:
        """Forget everything (tests; a new event loop)."""
        self.local.clear()
        self.slot_of.clear()
        self._pending.clear()
        self._locks.clear()
        self._heartbeat = None

    async def join(self, group: str, layer: Any) -> None:
        self.local[group] = self.local.get(group, 0) + 1
        self._schedule(group, layer)

    async def leave(self, group: str, layer: Any) -> None:
        self.local[group] = max(0, self.local.get(group, 0) - 1)
        self._schedule(group, layer)

    def _schedule(self, group: str, layer: Any) -> None:
        import asyncio

        loop = asyncio.get_running_loop()
        task = self._pending.get(group)
        if task is not None and not task.done() and task.get_loop() is loop:
            return  # a broadcast is already on its way: it will carry this change
        self._pending[group] = loop.create_task(self._broadcast_later(group, layer))
        heartbeat = self._heartbeat
        if heartbeat is None or heartbeat.done() or heartbeat.get_loop() is not loop:
            self._heartbeat = loop.create_task(self._keep_alive())

    async def _broadcast_later(self, group: str, layer: Any) -> None:
        import asyncio

        await asyncio.sleep(presence_interval())
        # From here on, a change schedules the next broadcast; this one reads the total
        # after writing this process's slot, so the last broadcast of a burst is right.
        if self._pending.get(group) is asyncio.current_task():
            del self._pending[group]
        try:
            await self._publish(group)
            count = _sum_slots(await _cache_call("get_many", _slot_keys(group)))
            await layer.group_send(
                group,
                {
                    "type": EVENT_TYPE,
                    "group": group,
                    "event": PRESENCE_EVENT,
                    "payload": {"count": count},
                },
            )
        except Exception as exc:  # cache or layer unreachable: the next change retries
            logger.warning("Viewers of %s not broadcast: %s", group, exc)

    def _lock(self, group: str):
        """One slot write of a group at a time in this process (the broadcast and the
        heartbeat may meet), so a process never takes two slots or writes a stale count."""
        import asyncio

        loop = asyncio.get_running_loop()
        entry = self._locks.get(group)
        if entry is None or entry[0] is not loop:
            entry = (loop, asyncio.Lock())
            self._locks[group] = entry
        return entry[1]

    async def _publish(self, group: str) -> None:
        """Write this process's count into its slot, or give the slot up at zero."""
        async with self._lock(group):
            count = self.local.get(group, 0)
            if count > 0:
                await self._write_slot(group, count)
                return
            self.local.pop(group, None)
            index = self.slot_of.pop(group, None)
            if index is not None:
                key = _slot_key(group, index)
                current = await _cache_call("get", key)
                if current is not None and current[0] == self.process_id:
                    await _cache_call("delete", key)

    async def _write_slot(self, group: str, count: int) -> None:
        value = [self.process_id, count]
        ttl = presence_ttl()
        index = self.slot_of.get(group)
        if index is not None:
            key = _slot_key(group, index)
            current = await _cache_call("get", key)
            if current is None or current[0] == self.process_id:
                await _cache_call("set", key, value, ttl)
                return
            # The slot expired (this process was silent past the TTL) and another process
            # took it: take a free one.
        keys = _slot_keys(group)
        taken = await _cache_call("get_many", keys)
        for index, key in enumerate(keys):
            if key not in taken and await _cache_call("add", key, value, ttl):
                self.slot_of[group] = index
                return
        self.slot_of.pop(group, None)
        logger.warning(
            "Every presence slot of %s is taken: this process's viewers not counted", group
        )

    async def _keep_alive(self) -> None:
        """Refresh the slots of groups with viewers before they expire; stop when none."""
        import asyncio

        while True:
            await asyncio.sleep(max(1.0, presence_ttl() / 3))
            watched = [group for group, count in self.local.items() if count > 0]
            if not watched and not self._pending:
                return
            for group in watched:
                try:
                    await self._publish(group)
                except Exception as exc:
                    logger.warning("Viewers of %s not refreshed: %s", group, exc)


presence = Presence()
