"""The websocket stack as ashyq/asgi.py builds it, with a strict ALLOWED_HOSTS so that origin
checking is real (the test settings allow every host)."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from channels.auth import AuthMiddlewareStack
from channels.layers import get_channel_layer
from channels.routing import URLRouter
from channels.security.websocket import AllowedHostsOriginValidator

from ashyq.routing import websocket_urlpatterns


@pytest.fixture
def ws_application(settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    return AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns)))


@pytest.fixture(autouse=True)
def _empty_channel_layer():
    """Groups joined by one test must not receive another test's messages."""
    yield
    layer = get_channel_layer()
    if layer is not None and hasattr(layer, "flush"):
        async_to_sync(layer.flush)()
