"""The `/ws/` endpoint end to end: origin check, session auth, subscriptions, and pushes that
arrive only after the transaction commits.

Tests are synchronous and run their async body through `async_to_sync`. Database work from
the async side (the session lookup) runs in other threads, so these tests use a transactional
database, which works on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.routing import ProtocolTypeRouter
from channels.security.websocket import OriginValidator
from channels.testing import WebsocketCommunicator
from django.db import transaction
from django.test import Client

from ashyq.consumers import MAX_SUBSCRIPTIONS
from ashyq.live import live_notify_user, live_push
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

GOOD_ORIGIN = [(b"origin", b"http://testserver")]
TIMEOUT = 3


class Rollback(Exception):
    pass


def run(scenario):
    async_to_sync(scenario)()


def communicator(app, headers=GOOD_ORIGIN) -> WebsocketCommunicator:
    return WebsocketCommunicator(app, "/ws/", headers=list(headers))


async def open_connection(app, headers=GOOD_ORIGIN) -> WebsocketCommunicator:
    ws = communicator(app, headers)
    connected, _ = await ws.connect(timeout=TIMEOUT)
    assert connected
    return ws


@sync_to_async
def push_committed(group: str, event: str, payload: dict | None = None) -> None:
    with transaction.atomic():
        live_push(group=group, event=event, payload=payload)


@sync_to_async
def push_rolled_back(group: str, event: str) -> None:
    try:
        with transaction.atomic():
            live_push(group=group, event=event)
            raise Rollback
    except Rollback:
        pass


def test_the_project_router_checks_origins_on_websockets():
    from ashyq.asgi import application

    assert isinstance(application, ProtocolTypeRouter)
    assert isinstance(application.application_mapping["websocket"], OriginValidator)


def test_anonymous_connection_is_accepted_and_greeted(ws_application):
    async def scenario():
        ws = await open_connection(ws_application)
        assert await ws.receive_json_from(timeout=TIMEOUT) == {
            "type": "hello",
            "authenticated": False,
        }
        await ws.disconnect()

    run(scenario)


@pytest.mark.parametrize(
    "origin", [b"http://evil.example", b"https://testserver.evil.example", b"null"]
)
def test_a_foreign_origin_is_rejected(ws_application, origin):
    async def scenario():
        ws = communicator(ws_application, [(b"origin", origin)])
        connected, _code = await ws.connect(timeout=TIMEOUT)
        assert not connected

    run(scenario)


def test_a_missing_origin_is_rejected(ws_application):
    async def scenario():
        ws = communicator(ws_application, [])
        connected, _code = await ws.connect(timeout=TIMEOUT)
        assert not connected

    run(scenario)


def test_subscriptions_accept_object_groups_and_refuse_the_rest(ws_application):
    async def scenario():
        ws = await open_connection(ws_application)
        await ws.receive_json_from(timeout=TIMEOUT)  # hello

        await ws.send_json_to(
            {
                "subscribe": [
                    "announcement.3",
                    "agency.ministry-of-justice",
                    "user.5",
                    "garbage with spaces",
                    "Announcement.3",
                    "announcement.",
                    "x" * 120,
                    42,
                ]
            }
        )
        reply = await ws.receive_json_from(timeout=TIMEOUT)

        assert reply["type"] == "subscribed"
        assert reply["groups"] == ["announcement.3", "agency.ministry-of-justice"]
        assert reply["refused"] == [
            "user.5",
            "garbage with spaces",
            "Announcement.3",
            "announcement.",
            "x" * 120,
            "42",
        ]
        await ws.disconnect()

    run(scenario)


def test_a_single_group_may_be_given_as_a_string(ws_application):
    async def scenario():
        ws = await open_connection(ws_application)
        await ws.receive_json_from(timeout=TIMEOUT)
        await ws.send_json_to({"subscribe": "announcement.9"})
        assert (await ws.receive_json_from(timeout=TIMEOUT))["groups"] == ["announcement.9"]
        await ws.disconnect()

    run(scenario)


def test_a_non_object_message_gets_an_error_and_the_connection_stays(ws_application):
    async def scenario():
        ws = await open_connection(ws_application)
        await ws.receive_json_from(timeout=TIMEOUT)
        await ws.send_json_to(["announcement.1"])
        assert await ws.receive_json_from(timeout=TIMEOUT) == {
            "type": "error",
            "error": "expected an object",
        }
        await ws.send_json_to({"subscribe": ["announcement.1"]})
        assert (await ws.receive_json_from(timeout=TIMEOUT))["groups"] == ["announcement.1"]
        await ws.disconnect()

    run(scenario)


def test_subscriptions_are_capped(ws_application):
    async def scenario():
        ws = await open_connection(ws_application)
        await ws.receive_json_from(timeout=TIMEOUT)
        wanted = [f"announcement.{n}" for n in range(MAX_SUBSCRIPTIONS + 5)]

        await ws.send_json_to({"subscribe": wanted})
        reply = await ws.receive_json_from(timeout=TIMEOUT)

        assert reply["groups"] == wanted[:MAX_SUBSCRIPTIONS]
        assert reply["refused"] == wanted[MAX_SUBSCRIPTIONS:]
        # Still capped on a second request.
        await ws.send_json_to({"subscribe": ["announcement.999"]})
        assert (await ws.receive_json_from(timeout=TIMEOUT))["refused"] == ["announcement.999"]
        await ws.disconnect()

    run(scenario)


def test_a_committed_push_reaches_subscribers_only(ws_application):
    async def scenario():
        listener = await open_connection(ws_application)
        bystander = await open_connection(ws_application)
        for ws, group in ((listener, "announcement.3"), (bystander, "announcement.4")):
            await ws.receive_json_from(timeout=TIMEOUT)
            await ws.send_json_to({"subscribe": [group]})
            await ws.receive_json_from(timeout=TIMEOUT)

        await push_committed("announcement.3", "changed", {"id": 3})

        assert await listener.receive_json_from(timeout=TIMEOUT) == {
            "type": "event",
            "group": "announcement.3",
            "event": "changed",
            "payload": {"id": 3},
        }
        assert await bystander.receive_nothing(timeout=0.3)
        await listener.disconnect()
        await bystander.disconnect()

    run(scenario)


def test_a_rolled_back_push_never_arrives(ws_application):
    async def scenario():
        ws = await open_connection(ws_application)
        await ws.receive_json_from(timeout=TIMEOUT)
        await ws.send_json_to({"subscribe": ["announcement.3"]})
        await ws.receive_json_from(timeout=TIMEOUT)

        await push_rolled_back("announcement.3", "ghost")
        assert await ws.receive_nothing(timeout=0.3)
        # The layer works: the next committed push is the first thing to arrive.
        await push_committed("announcement.3", "real")

        assert (await ws.receive_json_from(timeout=TIMEOUT))["event"] == "real"
        await ws.disconnect()

    run(scenario)


def test_after_disconnect_pushes_go_nowhere_and_do_not_fail(ws_application):
    async def scenario():
        ws = await open_connection(ws_application)
        await ws.receive_json_from(timeout=TIMEOUT)
        await ws.send_json_to({"subscribe": ["announcement.3"]})
        await ws.receive_json_from(timeout=TIMEOUT)
        await ws.disconnect()

        await push_committed("announcement.3", "changed")

    run(scenario)


def session_cookie_for(user) -> list[tuple[bytes, bytes]]:
    client = Client()
    client.force_login(user)
    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()
    return [*GOOD_ORIGIN, (b"cookie", cookie)]


def test_a_signed_in_user_receives_their_own_notifications_only(ws_application):
    alice = UserFactory(email="alice@example.kz")
    bob = UserFactory(email="bob@example.kz")
    alice_headers = session_cookie_for(alice)

    async def scenario():
        ws = await open_connection(ws_application, alice_headers)
        assert await ws.receive_json_from(timeout=TIMEOUT) == {
            "type": "hello",
            "authenticated": True,
        }

        await sync_to_async(_notify)(bob.pk, "for-bob")
        await sync_to_async(_notify)(alice.pk, "answer-published")

        message = await ws.receive_json_from(timeout=TIMEOUT)
        assert message == {
            "type": "event",
            "group": f"user.{alice.pk}",
            "event": "answer-published",
            "payload": {"question": 7},
        }
        assert await ws.receive_nothing(timeout=0.2)
        await ws.disconnect()

    run(scenario)


def _notify(user_id: int, event: str) -> None:
    with transaction.atomic():
        live_notify_user(user_id=user_id, event=event, payload={"question": 7})


def test_a_signed_in_user_cannot_subscribe_to_another_users_group(ws_application):
    alice = UserFactory()
    headers = session_cookie_for(alice)

    async def scenario():
        ws = await open_connection(ws_application, headers)
        await ws.receive_json_from(timeout=TIMEOUT)
        await ws.send_json_to({"subscribe": [f"user.{alice.pk + 1}", f"user.{alice.pk}"]})
        reply = await ws.receive_json_from(timeout=TIMEOUT)
        assert reply["groups"] == []
        await ws.disconnect()

    run(scenario)


def test_a_stale_session_cookie_is_anonymous(ws_application):
    headers = [*GOOD_ORIGIN, (b"cookie", b"sessionid=not-a-real-session")]

    async def scenario():
        ws = await open_connection(ws_application, headers)
        assert (await ws.receive_json_from(timeout=TIMEOUT))["authenticated"] is False
        await ws.disconnect()

    run(scenario)


def test_text_that_is_not_json_gets_an_error_and_the_connection_stays(ws_application):
    async def scenario():
        ws = await open_connection(ws_application)
        await ws.receive_json_from(timeout=TIMEOUT)
        await ws.send_to(text_data="{not json")
        assert (await ws.receive_json_from(timeout=TIMEOUT))["type"] == "error"
        await ws.send_json_to({"subscribe": ["announcement.1"]})
        assert (await ws.receive_json_from(timeout=TIMEOUT))["groups"] == ["announcement.1"]
        await ws.disconnect()

    run(scenario)


def test_a_signed_in_users_own_group_does_not_use_up_a_subscription(ws_application):
    headers = session_cookie_for(UserFactory())

    async def scenario():
        ws = await open_connection(ws_application, headers)
        assert (await ws.receive_json_from(timeout=TIMEOUT))["authenticated"] is True
        wanted = [f"announcement.{n}" for n in range(MAX_SUBSCRIPTIONS)]
        await ws.send_json_to({"subscribe": wanted})
        reply = await ws.receive_json_from(timeout=TIMEOUT)
        assert reply["groups"] == wanted
        assert reply["refused"] == []
        await ws.disconnect()

    run(scenario)
