"""Fixtures of the conversation layer's tests."""

from __future__ import annotations

import pytest

from dialogue import services
from tests.factories import make_announcement, make_announcement_index, platform_moderator


@pytest.fixture
def news(db):
    return make_announcement_index()


@pytest.fixture
def announcement(news, agency_with_staff):
    """A live announcement addressed to the agency of `agency_with_staff`."""
    return make_announcement(
        news, title="Public hearing on the budget", agency=agency_with_staff.agency
    )


@pytest.fixture
def closed_announcement(news):
    return make_announcement(news, title="A draft announcement", live=False)


@pytest.fixture
def moderator(db):
    return platform_moderator(email="moderator@ashyq.kz", display_name="Moderator")


@pytest.fixture
def post(announcement):
    """`post(author, text, **kw)`: comment_post on the announcement."""

    def make(author, text="A comment", **kwargs):
        kwargs.setdefault("target", announcement)
        return services.comment_post(author=author, text=text, **kwargs)

    return make
