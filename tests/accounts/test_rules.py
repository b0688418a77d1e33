"""Permissions as a role x object matrix. The table below is the documentation: one row per
kind of user, one column per permission (and the object it is checked against).

Objects: A = agency A (the user's agency for staff rows), V = a verified organisation,
U = an unverified organisation. Checks go through `user.has_perm`, as views and Wagtail do,
so Django's rule that an active superuser has every permission shows in the matrix too.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts import services
from accounts.models import Membership, User
from accounts.roles import PLATFORM_EDITORS, PLATFORM_MODERATORS
from tests.factories import (
    AgencyFactory,
    MembershipFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    UserFactory,
    add_to_group,
)

pytestmark = pytest.mark.django_db

# (column label, permission, object key)
COLUMNS = [
    ("participate", "accounts.participate", None),
    ("participate_id", "accounts.participate_as_identity_verified", None),
    ("workspace@A", "accounts.view_agency_workspace", "A"),
    ("answer@A", "accounts.answer_for_agency", "A"),
    ("draft@A", "accounts.draft_for_agency", "A"),
    ("moderate@A", "accounts.moderate_for_agency", "A"),
    ("members@A", "accounts.manage_agency_members", "A"),
    ("directory", "accounts.edit_agency_directory", None),
    ("mod_platform", "accounts.moderate_platform", None),
    ("verify_org", "accounts.verify_organisation", "V"),
    ("act_org@V", "accounts.act_for_organisation", "V"),
    ("act_org@U", "accounts.act_for_organisation", "U"),
    ("manage_org@V", "accounts.manage_organisation", "V"),
]

# Y = allowed, . = refused. Columns in the order of COLUMNS: participate, participate as
# identity-verified, agency workspace, answer, draft, moderate, manage members (all on agency A),
# edit directory, moderate platform, verify organisation, act for V, act for U, manage V.
# fmt: off
#                                   par  par  wsp  ans  drf  mod  mem  dir  mod  ver  act  act  mng
#                                        ID   @A   @A   @A   @A   @A        plt  org  @V   @U   @V
MATRIX = {
    "anonymous":                   ".    .    .    .    .    .    .    .    .    .    .    .    .",
    "unverified_email":            ".    .    .    .    .    .    .    .    .    .    .    .    .",
    "citizen":                     "Y    .    .    .    .    .    .    .    .    .    .    .    .",
    "identity_verified_citizen":   "Y    Y    .    .    .    .    .    .    .    .    .    .    .",
    "deleted_user":                ".    .    .    .    .    .    .    .    .    .    .    .    .",
    "head_of_A":                   "Y    .    Y    Y    Y    Y    Y    .    .    .    .    .    .",
    "responder_of_A":              "Y    .    Y    Y    .    .    .    .    .    .    .    .    .",
    "drafter_of_A":                "Y    .    Y    .    Y    .    .    .    .    .    .    .    .",
    "moderator_of_A":              "Y    .    Y    .    .    Y    .    .    .    .    .    .    .",
    "head_of_B":                   "Y    .    .    .    .    .    .    .    .    .    .    .    .",
    "platform_editor":             "Y    .    .    .    .    .    Y    Y    .    Y    .    .    .",
    "platform_moderator":          "Y    .    .    .    .    .    .    .    Y    Y    .    .    .",
    "superuser":                   "Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y",
    "member_of_verified_org":      "Y    .    .    .    .    .    .    .    .    .    Y    .    .",
    "member_of_unverified_org":    "Y    .    .    .    .    .    .    .    .    .    .    .    .",
    "admin_of_verified_org":       "Y    .    .    .    .    .    .    .    .    .    Y    .    Y",
    "unverified_email_head_of_A":  ".    .    Y    Y    Y    Y    Y    .    .    .    .    .    .",
}
# fmt: on


def expected_row(kind: str) -> dict[str, bool]:
    marks = MATRIX[kind].split()
    assert len(marks) == len(COLUMNS), f"row {kind!r} has {len(marks)} cells"
    return {label: mark == "Y" for (label, _perm, _obj), mark in zip(COLUMNS, marks, strict=True)}


def build_world() -> dict:
    agency_a = AgencyFactory(slug="agency-a")
    agency_b = AgencyFactory(slug="agency-b")
    verified_org = OrganisationFactory(slug="verified-org", verified=True)
    unverified_org = OrganisationFactory(slug="unverified-org")
    return {"A": agency_a, "B": agency_b, "V": verified_org, "U": unverified_org}


def make_user(kind: str, world: dict):
    """One user of `kind`, with the roles the row name says, freshly read from the database
    (so nothing is cached on the instance)."""
    a, v, u = world["A"], world["V"], world["U"]
    if kind == "anonymous":
        return AnonymousUser()
    if kind == "unverified_email":
        user = UserFactory(verified_email=False)
    elif kind == "citizen":
        user = UserFactory()
    elif kind == "identity_verified_citizen":
        user = UserFactory(identity_verified=True)
    elif kind == "deleted_user":
        # Had every kind of power before leaving: none of it survives deletion.
        user = UserFactory(identity_verified=True)
        MembershipFactory(user=user, agency=a, role=Membership.Role.RESPONDER)
        OrganisationMembershipFactory(user=user, organisation=v, is_admin=True)
        add_to_group(user, PLATFORM_EDITORS)
        add_to_group(user, PLATFORM_MODERATORS)
        services.user_delete_account(user=user)
    elif kind.endswith("_of_A") or kind == "head_of_B":
        role, _, agency_key = kind.removeprefix("unverified_email_").rpartition("_of_")
        user = UserFactory(verified_email=not kind.startswith("unverified_email_"))
        MembershipFactory(user=user, agency=world[agency_key], role=role)
    elif kind == "platform_editor":
        user = add_to_group(UserFactory(), PLATFORM_EDITORS)
    elif kind == "platform_moderator":
        user = add_to_group(UserFactory(), PLATFORM_MODERATORS)
    elif kind == "superuser":
        user = UserFactory(is_superuser=True, is_staff=True)
    elif kind == "member_of_verified_org":
        user = UserFactory()
        OrganisationMembershipFactory(user=user, organisation=v)
    elif kind == "member_of_unverified_org":
        user = UserFactory()
        OrganisationMembershipFactory(user=user, organisation=u)
    elif kind == "admin_of_verified_org":
        user = UserFactory()
        OrganisationMembershipFactory(user=user, organisation=v, is_admin=True)
        # Admin of an unverified one as well: managing it is allowed, acting for it is not.
        OrganisationMembershipFactory(user=user, organisation=u, is_admin=True)
    else:  # pragma: no cover - a typo in MATRIX
        raise AssertionError(f"unknown kind {kind!r}")
    return User.objects.get(pk=user.pk)


def actual_row(user, world: dict) -> dict[str, bool]:
    return {label: user.has_perm(perm, world[obj] if obj else None) for label, perm, obj in COLUMNS}


def test_matrix_covers_every_permission_defined_in_rules():
    import rules

    ours = {name for name in rules.permissions.permissions if name.startswith("accounts.")}
    assert ours == {perm for _label, perm, _obj in COLUMNS}


@pytest.mark.parametrize("kind", list(MATRIX))
def test_permission_matrix(kind):
    world = build_world()
    user = make_user(kind, world)

    assert actual_row(user, world) == expected_row(kind)


def test_staff_of_agency_a_have_no_say_in_agency_b():
    world = build_world()
    for role in Membership.Role.values:
        user = UserFactory()
        MembershipFactory(user=user, agency=world["A"], role=role)
        user = User.objects.get(pk=user.pk)
        for perm in (
            "accounts.view_agency_workspace",
            "accounts.answer_for_agency",
            "accounts.draft_for_agency",
            "accounts.moderate_for_agency",
            "accounts.manage_agency_members",
        ):
            assert not user.has_perm(perm, world["B"]), (role, perm)


def test_agency_permissions_without_an_object_are_refused():
    world = build_world()
    user = UserFactory()
    MembershipFactory(user=user, agency=world["A"], role=Membership.Role.HEAD)
    user = User.objects.get(pk=user.pk)

    assert not user.has_perm("accounts.answer_for_agency")
    assert not user.has_perm("accounts.act_for_organisation")


def test_deactivated_staff_lose_their_agency_powers():
    world = build_world()
    user = UserFactory()
    MembershipFactory(user=user, agency=world["A"], role=Membership.Role.HEAD)
    User.objects.filter(pk=user.pk).update(is_active=False)
    user = User.objects.get(pk=user.pk)

    assert not user.has_perm("accounts.answer_for_agency", world["A"])
    assert not user.has_perm("accounts.participate")


def test_checking_many_permissions_costs_a_bounded_number_of_queries(
    django_assert_max_num_queries,
):
    world = build_world()
    head = UserFactory()
    MembershipFactory(user=head, agency=world["A"], role=Membership.Role.HEAD)
    MembershipFactory(user=head, agency=world["B"], role=Membership.Role.RESPONDER)
    OrganisationMembershipFactory(user=head, organisation=world["V"], is_admin=True)
    add_to_group(head, PLATFORM_EDITORS)
    head = User.objects.get(pk=head.pk)

    # Once each: the verified email, the agency roles, organisation memberships (all, admin),
    # group names, and Django's own user and group permission caches.
    with django_assert_max_num_queries(7):
        first = actual_row(head, world)
    # Everything is cached on the user now: asking again, for any agency, is free.
    with django_assert_max_num_queries(0):
        for _ in range(3):
            assert actual_row(head, world) == first
            for agency in (world["A"], world["B"]):
                head.has_perm("accounts.answer_for_agency", agency)
