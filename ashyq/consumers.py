"""The one websocket endpoint, `/ws/`.

A signed-in user is joined to their own group (notifications). Any visitor may subscribe to
object groups ("something new here") by sending `{"subscribe": ["announcement.3", ...]}`:
those events say only that something public changed, so they need no permission beyond
being allowed to read the page. Origins are checked by `AllowedHostsOriginValidator`.

`{"unsubscribe": [...]}` leaves object groups. Subscribers of a group whose kind counts
viewers (`ashyq.live.register_presence`, e.g. "conference.12") are counted as watching it
until they leave or disconnect; the count reaches the group as the event "viewers"
(`ashyq.live.Presence`).
"""

from __future__ import annotations

from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from ashyq.live import GROUP_RE, is_presence_group, presence, user_group

MAX_SUBSCRIPTIONS = 20


class LiveConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        self.groups_joined: set[str] = set()
        user = self.scope.get("user")
        await self.accept()
        if user is not None and user.is_authenticated:
            await self._join(user_group(user.pk))
        await self.send_json(
            {"type": "hello", "authenticated": bool(user and user.is_authenticated)}
        )

    async def disconnect(self, code: int) -> None:
        for group in list(getattr(self, "groups_joined", ())):
            await self._leave(group)

    @classmethod
    async def decode_json(cls, text_data: str) -> Any:
        try:
            return await super().decode_json(text_data)
        except ValueError:
            return None  # answered as "expected an object" below, the socket stays open

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if not isinstance(content, dict):
            await self.send_json({"type": "error", "error": "expected an object"})
            return
        if "unsubscribe" in content:
            await self._unsubscribe(content.get("unsubscribe") or [])
            if "subscribe" not in content:
                return
        wanted = content.get("subscribe") or []
        if isinstance(wanted, str):
            wanted = [wanted]
        accepted, refused = [], []
        for group in wanted:
            if (
                isinstance(group, str)
                and GROUP_RE.match(group)
                and not group.startswith("user.")
                and len(self.object_groups()) < MAX_SUBSCRIPTIONS
            ):
                await self._join(group)
                accepted.append(group)
            else:
                refused.append(group if isinstance(group, str) else repr(group))
        await self.send_json({"type": "subscribed", "groups": accepted, "refused": refused})

    async def live_event(self, message: dict[str, Any]) -> None:
        await self.send_json(
            {
                "type": "event",
                "group": message["group"],
                "event": message["event"],
                "payload": message.get("payload", {}),
            }
        )

    def object_groups(self) -> set[str]:
        """Subscriptions the visitor asked for; their own notification group is not one."""
        return {group for group in self.groups_joined if not group.startswith("user.")}

    async def _unsubscribe(self, groups: Any) -> None:
        if isinstance(groups, str):
            groups = [groups]
        left = []
        for group in groups if isinstance(groups, list) else []:
            if isinstance(group, str) and group in self.object_groups():
                await self._leave(group)
                left.append(group)
        await self.send_json({"type": "unsubscribed", "groups": left})

    async def _join(self, group: str) -> None:
        await self.channel_layer.group_add(group, self.channel_name)
        if group in self.groups_joined:
            return
        self.groups_joined.add(group)
        if is_presence_group(group):
            await presence.join(group, self.channel_layer)

    async def _leave(self, group: str) -> None:
        await self.channel_layer.group_discard(group, self.channel_name)
        self.groups_joined.discard(group)
        if is_presence_group(group):
            await presence.leave(group, self.channel_layer)
