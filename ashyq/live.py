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
