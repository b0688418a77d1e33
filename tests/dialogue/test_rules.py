"""Comment permissions as role x state matrices. The listing's `Viewer` mirrors the rules
(it works out each comment's buttons without queries): every cell is checked on both."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from accounts.models import User
from dialogue import services
from dialogue.models import Comment, CommentState
from dialogue.selectors import Viewer
from moderation.models import UserBlock
from tests.factories import AgencyFactory, MembershipFactory, UserFactory, platform_moderator

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "unverified",
    "citizen",
    "blocked",
    "author",
    "responder",
    "other_responder",
    "agency_moderator",
    "platform_moderator",
]


@pytest.fixture
def people(agency_with_staff, unverified_user):
    other_agency = AgencyFactory()
    moderator = platform_moderator()
    blocked = UserFactory()
    UserBlock.objects.create(user=blocked, actor=moderator, reason="spam")
    return {
        "anonymous": AnonymousUser(),
        "unverified": unverified_user,
        "citizen": UserFactory(),
        "blocked": blocked,
        "author": UserFactory(),
        "responder": agency_with_staff.responder,
        "other_responder": MembershipFactory(agency=other_agency, role="responder").user,
        "agency_moderator": agency_with_staff.moderator,
        "platform_moderator": moderator,
    }


def fresh(user):
    """A new instance per check: predicates cache memberships on the user object."""
    if user.is_anonymous:
        return user
    return User.objects.get(pk=user.pk)


def comment_in_state(announcement, author, state: str) -> Comment:
    comment = services.comment_post(target=announcement, author=author, text=f"In state {state}")
    if state != "visible":
        Comment.objects.filter(pk=comment.pk).update(
            state=state, hidden_reason="spam" if state == CommentState.HIDDEN else ""
        )
        comment.refresh_from_db()
    return comment


POST_OPEN = {
    "anonymous": False,
    "unverified": False,
    "citizen": True,
    "blocked": False,
    "author": True,
    "responder": True,
    "other_responder": True,
    "agency_moderator": True,
    "platform_moderator": True,
}


@pytest.mark.parametrize("role", ROLES)
def test_post_and_post_official_on_an_open_target(role, people, announcement):
    user = people[role]
    assert fresh(user).has_perm("dialogue.post_comment", announcement) is POST_OPEN[role]
    assert Viewer.for_target(fresh(user), announcement).can_post is POST_OPEN[role]
    official = role == "responder"
    assert fresh(user).has_perm("dialogue.post_official_comment", announcement) is official
    assert Viewer.for_target(fresh(user), announcement).official is official


@pytest.mark.parametrize("role", ROLES)
def test_nobody_posts_on_a_closed_target(role, people, closed_announcement):
    assert not fresh(people[role]).has_perm("dialogue.post_comment", closed_announcement)
    assert not Viewer.for_target(fresh(people[role]), closed_announcement).can_post


# (role, state) -> (reply, edit, withdraw, vote, see hidden text, moderate); "see hidden
# text" is asked of hidden comments only (visible text is everyone's).
MATRIX = {
    "visible": {
        "anonymous": (False, False, False, False, False, False),
        "unverified": (False, False, False, False, False, False),
        "citizen": (True, False, False, True, False, False),
        "blocked": (False, False, False, False, False, False),
        "author": (True, True, True, False, False, False),
        "responder": (True, False, False, True, False, False),
        "other_responder": (True, False, False, True, False, False),
        "agency_moderator": (True, False, False, True, False, True),
        "platform_moderator": (True, False, False, True, False, True),
    },
    "hidden": {
        "anonymous": (False, False, False, False, False, False),
        "unverified": (False, False, False, False, False, False),
        "citizen": (False, False, False, False, False, False),
        "blocked": (False, False, False, False, False, False),
        "author": (False, False, True, False, False, False),
        "responder": (False, False, False, False, False, False),
        "other_responder": (False, False, False, False, False, False),
        "agency_moderator": (False, False, False, False, True, True),
        "platform_moderator": (False, False, False, False, True, True),
    },
    "withdrawn": {
        "anonymous": (False,) * 6,
        "unverified": (False,) * 6,
        "citizen": (False,) * 6,
        "blocked": (False,) * 6,
        "author": (False,) * 6,
        "responder": (False,) * 6,
        "other_responder": (False,) * 6,
        "agency_moderator": (False, False, False, False, False, True),
        "platform_moderator": (False, False, False, False, False, True),
    },
}
PERMS = ["reply", "edit", "withdraw", "vote", "see_hidden", "moderate"]


@pytest.mark.parametrize("state", list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_comment_actions_matrix(role, state, people, announcement):
    comment = comment_in_state(announcement, people["author"], state)
    user = people[role]
    expected = dict(zip(PERMS, MATRIX[state][role], strict=True))
    got = {
        "reply": fresh(user).has_perm("dialogue.reply_comment", comment),
        "edit": fresh(user).has_perm("dialogue.edit_comment", comment),
        "withdraw": fresh(user).has_perm("dialogue.withdraw_comment", comment),
        "vote": fresh(user).has_perm("dialogue.vote_comment", comment),
        "see_hidden": fresh(user).has_perm("dialogue.see_hidden_comment", comment)
        and comment.is_hidden,
        "moderate": fresh(user).has_perm("dialogue.moderate_comment", comment),
    }
    assert got == expected
    row = Viewer.for_target(fresh(user), announcement).row(comment)
    assert {
        "reply": row["can_reply"],
        "edit": row["can_edit"],
        "withdraw": row["can_withdraw"],
        "vote": row["can_vote"],
        "see_hidden": row["sees_text"] and comment.is_hidden,
    } == {key: expected[key] for key in ("reply", "edit", "withdraw", "vote", "see_hidden")}


def test_edit_window_boundary(announcement, people, settings):
    settings.COMMENTS_EDIT_WINDOW_MINUTES = 15
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        comment = comment_in_state(announcement, people["author"], "visible")
    author = people["author"]
    for minutes, allowed in ((0, True), (15, True), (16, False)):
        with time_machine.travel(start + datetime.timedelta(minutes=minutes), tick=False):
            assert fresh(author).has_perm("dialogue.edit_comment", comment) is allowed
            viewer = Viewer.for_target(fresh(author), announcement)
            assert viewer.row(comment)["can_edit"] is allowed


def test_reply_depth_limit(announcement, people, settings):
    settings.COMMENTS_XTD_MAX_THREAD_LEVEL = 2
    citizen = people["citizen"]
    top = comment_in_state(announcement, people["author"], "visible")
    reply = services.comment_post(target=announcement, author=citizen, text="1", parent=top)
    deep = services.comment_post(
        target=announcement, author=people["author"], text="2", parent=reply
    )
    assert fresh(citizen).has_perm("dialogue.reply_comment", reply)
    assert not fresh(citizen).has_perm("dialogue.reply_comment", deep)
    assert not Viewer.for_target(fresh(citizen), announcement).row(deep)["can_reply"]


def test_agency_moderator_of_another_agency_does_not_moderate(announcement, people):
    comment = comment_in_state(announcement, people["author"], "visible")
    outsider = MembershipFactory(agency=AgencyFactory(), role="moderator").user
    assert not fresh(outsider).has_perm("dialogue.moderate_comment", comment)
    assert not Viewer.for_target(fresh(outsider), announcement).moderator
