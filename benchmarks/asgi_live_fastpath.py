"""An experiment for `benchmarks/conference_live.py --application
benchmarks.asgi_live_fastpath:application`: `ashyq.asgi`'s websocket stack with a
`LiveConsumer` that hands `live.event` messages straight to their handler.

channels' `AsyncConsumer.dispatch` first awaits `aclose_old_connections()` for every
message: a `sync_to_async` hop into the one thread that runs thread-sensitive sync code,
so one answer to N subscribers of a process queues N hops through that thread. A live
event touches no database, so the hop buys nothing there. This module measures what
skipping it would give; the change itself belongs in `ashyq/consumers.py`.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ashyq.settings.production")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.urls import path  # noqa: E402

from ashyq.consumers import LiveConsumer  # noqa: E402


class FastLiveConsumer(LiveConsumer):
    async def dispatch(self, message):
        if message.get("type") == "live.event":
            await self.live_event(message)
            return
        await super().dispatch(message)


application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter([path("ws/", FastLiveConsumer.as_asgi())]))
        ),
    }
)
