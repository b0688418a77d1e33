"""Fixtures of the notifications tests: kinds registered for the test only, and a channel
layer that records what would be pushed to browsers."""

from __future__ import annotations

import pytest

from ashyq import live
from notifications import registry

KINDS = {
    "test.news": ("News of what you follow", registry.DIGEST),
    "test.answer": ("Answers to you", registry.IMMEDIATE),
    "test.quiet": ("Quiet things", registry.OFF),
}


@pytest.fixture(autouse=True)
def test_kinds():
    for key, (label, default) in KINDS.items():
        registry.register_kind(key, label=label, default=default)
    yield KINDS
    for key in KINDS:
        registry.unregister_kind(key)


class RecordingLayer:
    def __init__(self) -> None:
        self.sent: list[tuple[str, dict]] = []

    async def group_send(self, group: str, message: dict) -> None:
        self.sent.append((group, message))


@pytest.fixture
def recording_layer(monkeypatch):
    layer = RecordingLayer()
    monkeypatch.setattr(live, "get_channel_layer", lambda: layer)
    return layer
