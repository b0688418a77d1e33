"""Role x action matrix for moderation permissions."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from moderation.models import ModeratedItem
from tests.factories import (
    AgencyFactory,
    MembershipFactory,
    UserFactory,
    platform_editor,
    platform_moderator,
)

ACTIONS = ("view_queue", "moderate_item_a", "moderate_item_none", "block_user", "flag", "view_log")

# role: (view_queue, moderate item of agency A, moderate item without agency, block, flag, log)
MATRIX = {
    "anonymous": (False, False, False, False, False, False),
    "unverified": (False, False, False, False, False, False),
    "citizen": (False, False, False, False, True, False),
    "responder_a": (False, False, False, False, True, False),
    "drafter_a": (False, False, False, False, True, False),
    "moderator_a": (True, True, False, False, True, True),
    "head_a": (True, True, False, False, True, True),
    "moderator_b": (True, False, False, False, True, True),
    "platform_editor": (False, False, False, False, True, False),
    "platform_moderator": (True, True, True, True, True, True),
    "inactive_platform_moderator": (False, False, False, False, False, False),
    "superuser": (True, True, True, True, True, True),
}


def make_role(role: str, agency_a, agency_b):
    if role == "anonymous":
        return AnonymousUser()
    if role == "unverified":
        return UserFactory(verified_email=False)
    if role == "citizen":
        return UserFactory()
    if role.endswith("_a") or role.endswith("_b"):
        kind, letter = role.rsplit("_", 1)
        agency = agency_a if letter == "a" else agency_b
        return MembershipFactory(agency=agency, role=kind).user
    if role == "platform_editor":
        return platform_editor()
    if role == "platform_moderator":
        return platform_moderator()
    if role == "inactive_platform_moderator":
        return platform_moderator(is_active=False)
    if role == "superuser":
        return UserFactory(is_superuser=True, is_staff=True)
    raise AssertionError(role)


@pytest.mark.parametrize("role", MATRIX)
def test_moderation_permission_matrix(db, role):
    from django.contrib.contenttypes.models import ContentType

    agency_a, agency_b = AgencyFactory(), AgencyFactory()
    user = make_role(role, agency_a, agency_b)
    content_type = ContentType.objects.get_for_model(AgencyFactory._meta.model)
    item_a = ModeratedItem.objects.create(content_type=content_type, object_id="1", agency=agency_a)
    item_none = ModeratedItem.objects.create(content_type=content_type, object_id="2")
    got = (
        user.has_perm("moderation.view_queue"),
        user.has_perm("moderation.moderate_item", item_a),
        user.has_perm("moderation.moderate_item", item_none),
        user.has_perm("moderation.block_user", UserFactory()),
        user.has_perm("moderation.flag"),
        user.has_perm("moderation.view_log"),
    )
    assert dict(zip(ACTIONS, got, strict=True)) == dict(zip(ACTIONS, MATRIX[role], strict=True))
