"""New comments are pushed to the target's live group after commit, and arrive at a
websocket subscribed to it."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.auth import AuthMiddlewareStack
from channels.layers import get_channel_layer
from channels.routing import URLRouter
from channels.security.websocket import AllowedHostsOriginValidator
from channels.testing import WebsocketCommunicator

from ashyq import live
from ashyq.routing import websocket_urlpatterns
from dialogue import commentable, services
from dialogue.selectors import target_live_group
from tests.factories import AgencyFactory, UserFactory


class RecordingLayer:
    def __init__(self) -> None:
        self.sent: list[tuple[str, dict]] = []

    async def group_send(self, group: str, message: dict) -> None:
        self.sent.append((group, message))


@pytest.mark.django_db
def test_post_pushes_after_commit_only(
    announcement, verified_user, monkeypatch, django_capture_on_commit_callbacks
):
    layer = RecordingLayer()
    monkeypatch.setattr(live, "get_channel_layer", lambda: layer)
    with django_capture_on_commit_callbacks(execute=True):
        comment = services.comment_post(target=announcement, author=verified_user, text="Live")
        assert layer.sent == []
    group = target_live_group(announcement)
    assert live.GROUP_RE.match(group)
    assert (group, "comment_posted", {"id": comment.pk, "parent": None}) in [
        (g, m["event"], m["payload"]) for g, m in layer.sent
    ]


@pytest.fixture
def commentable_agency():
    """Any model can be commentable; a transactional test cannot count on the page tree
    (an earlier flush removes it), so this one comments on an agency."""
    from accounts.models import Agency

    commentable.register(Agency, title_of=lambda agency: agency.name_en)
    yield AgencyFactory()
    commentable.unregister(Agency)


@pytest.mark.django_db(transaction=True)
def test_a_subscribed_browser_hears_of_the_new_comment(settings, commentable_agency):
    settings.ALLOWED_HOSTS = ["testserver"]
    announcement = commentable_agency
    author = UserFactory()
    group = target_live_group(announcement)
    app = AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns)))

    async def scenario():
        ws = WebsocketCommunicator(app, "/ws/", headers=[(b"origin", b"http://testserver")])
        connected, _ = await ws.connect(timeout=3)
        assert connected
        assert (await ws.receive_json_from(timeout=3))["type"] == "hello"
        await ws.send_json_to({"subscribe": [group]})
        assert (await ws.receive_json_from(timeout=3))["groups"] == [group]
        comment = await sync_to_async(services.comment_post)(
            target=announcement, author=author, text="Hello, live"
        )
        message = await ws.receive_json_from(timeout=3)
        assert message == {
            "type": "event",
            "group": group,
            "event": "comment_posted",
            "payload": {"id": comment.pk, "parent": None},
        }
        await ws.disconnect()

    try:
        async_to_sync(scenario)()
    finally:
        layer = get_channel_layer()
        if hasattr(layer, "flush"):
            async_to_sync(layer.flush)()
