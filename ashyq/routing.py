from django.urls import path

from ashyq.consumers import LiveConsumer

websocket_urlpatterns = [
    path("ws/", LiveConsumer.as_asgi()),
]
