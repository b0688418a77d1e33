"""Flags, hide/restore/dismiss in bulk, blocking: the audit trail and that nothing is deleted."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from accounts.models import Organisation
from moderation import services
from moderation.models import (
    Flag,
    FlagReason,
    HideReason,
    ModeratedItem,
    ModerationAction,
    UserBlock,
)
from moderation.services import ModerationRefused
from tests.factories import AgencyFactory, MembershipFactory, UserFactory, platform_moderator


@pytest.fixture(autouse=True)
def _english():
    """The refusals are asserted in English."""
    with translation.override("en"):
        yield


@pytest.fixture
def moderator(db):
    return platform_moderator()


# --- flags -----------------------------------------------------------------------------------


def test_flag_create_records_item_with_author_and_agency(content):
    agency = AgencyFactory()
    author = UserFactory()
    obj = content.make(author=author, agency=agency)
    reporter = UserFactory()
    flag = services.flag_create(
        target=obj, reporter=reporter, reason=FlagReason.ABUSE, note=" rude "
    )
    assert flag.note == "rude"
    assert flag.resolved_at is None
    item = flag.item
    assert (item.object_id, item.author, item.agency) == (str(obj.pk), author, agency)
    assert not item.is_hidden


def test_a_person_cannot_flag_the_same_thing_twice_while_open(content, moderator):
    obj = content.make()
    reporter = UserFactory()
    services.flag_create(target=obj, reporter=reporter, reason=FlagReason.SPAM)
    with pytest.raises(ModerationRefused, match="already reported"):
        services.flag_create(target=obj, reporter=reporter, reason=FlagReason.ABUSE)
    services.flags_dismiss(targets=[obj], actor=moderator)
    # After a moderator dismissed it, new evidence may be reported again.
    services.flag_create(target=obj, reporter=reporter, reason=FlagReason.ABUSE)
    assert Flag.objects.filter(reporter=reporter).count() == 2


def test_flagging_ones_own_content_is_refused(content):
    author = UserFactory()
    obj = content.make(author=author)
    with pytest.raises(ModerationRefused, match="yourself"):
        services.flag_create(target=obj, reporter=author, reason=FlagReason.SPAM)
    assert not Flag.objects.exists()


def test_flagging_needs_a_verified_email_and_a_known_reason(content):
    obj = content.make()
    with pytest.raises(ModerationRefused, match="confirmed email"):
        services.flag_create(
            target=obj, reporter=UserFactory(verified_email=False), reason=FlagReason.SPAM
        )
    with pytest.raises(ModerationRefused, match="reason"):
        services.flag_create(target=obj, reporter=UserFactory(), reason="because")
    assert not Flag.objects.exists()


def test_flagging_hidden_content_is_refused(content, moderator):
    obj = content.make()
    services.moderation_hide(targets=[obj], reason=HideReason.SPAM, actor=moderator)
    with pytest.raises(ModerationRefused, match="already been hidden"):
        services.flag_create(target=obj, reporter=UserFactory(), reason=FlagReason.SPAM)


def test_unregistered_models_cannot_be_flagged(db):
    from moderation.registry import NotModeratable

    with pytest.raises(NotModeratable):
        services.flag_create(target=UserFactory(), reporter=UserFactory(), reason=FlagReason.SPAM)


# --- hide / restore / dismiss ------------------------------------------------------------------


def test_bulk_hide_calls_the_owning_app_logs_each_and_resolves_flags(content, moderator):
    objs = [content.make(text=f"Comment {n}") for n in range(3)]
    for obj in objs[:2]:
        services.flag_create(target=obj, reporter=UserFactory(), reason=FlagReason.ABUSE)
    hidden = services.moderation_hide(
        targets=objs, reason=HideReason.PERSONAL_DATA, note="phone number", actor=moderator
    )
    assert hidden == objs
    assert content.hidden == {obj.pk: HideReason.PERSONAL_DATA for obj in objs}
    actions = ModerationAction.objects.filter(action=ModerationAction.Action.HIDE)
    assert actions.count() == 3
    assert {(a.actor, a.reason, a.note) for a in actions} == {
        (moderator, HideReason.PERSONAL_DATA, "phone number")
    }
    assert not Flag.objects.filter(resolved_at__isnull=True).exists()
    assert set(Flag.objects.values_list("resolution", "resolved_by")) == {
        (Flag.Resolution.ACTIONED, moderator.pk)
    }
    item = ModeratedItem.objects.get(object_id=str(objs[0].pk))
    assert item.hidden_reason == HideReason.PERSONAL_DATA and item.hidden_at
    # Nothing deleted: the text is still there.
    assert list(Organisation.objects.order_by("pk").values_list("name", flat=True)) == [
        "Comment 0",
        "Comment 1",
        "Comment 2",
    ]


def test_hiding_something_already_hidden_logs_nothing(content, moderator):
    obj = content.make()
    services.moderation_hide(targets=[obj], reason=HideReason.SPAM, actor=moderator)
    assert services.moderation_hide(targets=[obj], reason=HideReason.ABUSE, actor=moderator) == []
    assert ModerationAction.objects.count() == 1
    assert content.hidden[obj.pk] == HideReason.SPAM


def test_hide_needs_a_published_reason(content, moderator):
    obj = content.make()
    for reason in ("", "because", HideReason.AUTHOR_BLOCKED):
        with pytest.raises(ModerationRefused):
            services.moderation_hide(targets=[obj], reason=reason, actor=moderator)
    assert not content.hidden and not ModerationAction.objects.exists()


def test_restore_shows_again_and_is_logged(content, moderator):
    objs = [content.make() for _ in range(2)]
    services.moderation_hide(targets=objs, reason=HideReason.SPAM, actor=moderator)
    restored = services.moderation_restore(targets=objs, actor=moderator, note="appeal upheld")
    assert restored == objs
    assert content.hidden == {}
    restores = ModerationAction.objects.filter(action=ModerationAction.Action.RESTORE)
    assert [a.note for a in restores] == ["appeal upheld", "appeal upheld"]
    assert not ModeratedItem.objects.hidden().exists()
    assert services.moderation_restore(targets=objs, actor=moderator) == []


def test_dismiss_flags_keeps_content_visible_and_logs_the_count(content, moderator):
    obj, clean = content.make(), content.make()
    for _ in range(3):
        services.flag_create(target=obj, reporter=UserFactory(), reason=FlagReason.OFF_TOPIC)
    touched = services.flags_dismiss(targets=[obj, clean], actor=moderator, note="fine")
    assert touched == [obj]
    action = ModerationAction.objects.get()
    assert (action.action, action.data, action.note) == (
        ModerationAction.Action.DISMISS_FLAGS,
        {"flags": 3},
        "fine",
    )
    assert set(Flag.objects.values_list("resolution", flat=True)) == {"dismissed"}
    assert content.hidden == {}


def test_agency_moderator_acts_only_on_their_agencys_items(content):
    agency, other = AgencyFactory(), AgencyFactory()
    agency_moderator = MembershipFactory(agency=agency, role="moderator").user
    mine, theirs = content.make(agency=agency), content.make(agency=other)
    services.moderation_hide(targets=[mine], reason=HideReason.SPAM, actor=agency_moderator)
    with pytest.raises(PermissionDenied):
        services.moderation_hide(targets=[theirs], reason=HideReason.SPAM, actor=agency_moderator)
    assert list(content.hidden) == [mine.pk]


def test_citizen_cannot_hide(content):
    obj = content.make()
    with pytest.raises(PermissionDenied):
        services.moderation_hide(targets=[obj], reason=HideReason.SPAM, actor=UserFactory())
    assert not content.hidden


# --- audit log -------------------------------------------------------------------------------


def test_the_audit_log_refuses_updates_and_deletes(content, moderator):
    obj = content.make()
    services.moderation_hide(targets=[obj], reason=HideReason.SPAM, actor=moderator)
    action = ModerationAction.objects.get()
    action.note = "rewritten"
    with pytest.raises(PermissionDenied):
        action.save()
    with pytest.raises(PermissionDenied):
        action.delete()
    with pytest.raises(PermissionDenied):
        ModerationAction.objects.all().delete()
    with pytest.raises(PermissionDenied):
        ModerationAction.objects.update(note="rewritten")
    assert ModerationAction.objects.get().note == ""


# --- blocking --------------------------------------------------------------------------------


def test_block_hides_everything_visible_and_unblock_restores_exactly_that(content, moderator):
    author = UserFactory()
    visible = [content.make(author=author, text=f"post {n}") for n in range(3)]
    hidden_before = content.make(author=author, text="abusive")
    someone_else = content.make()
    services.moderation_hide(targets=[hidden_before], reason=HideReason.ABUSE, actor=moderator)
    services.flag_create(target=visible[0], reporter=UserFactory(), reason=FlagReason.SPAM)

    block = services.user_block(user=author, reason="Spam campaign", actor=moderator)

    assert services.is_blocked(author)
    assert content.hidden == {
        **{obj.pk: HideReason.AUTHOR_BLOCKED for obj in visible},
        hidden_before.pk: HideReason.ABUSE,
    }
    assert someone_else.pk not in content.hidden
    assert block.hidden_items.count() == 3
    assert not Flag.objects.filter(resolved_at__isnull=True).exists()
    block_action = ModerationAction.objects.get(action=ModerationAction.Action.BLOCK_USER)
    assert (block_action.user, block_action.data["hidden"]) == (author, 3)

    # A moderator restores one post during the block: lifting the block must not touch it
    # again, nor the post hidden for abuse before the block.
    services.moderation_restore(targets=[visible[2]], actor=moderator)
    services.user_unblock(user=author, actor=moderator, note="appeal")

    assert not services.is_blocked(author)
    assert content.hidden == {hidden_before.pk: HideReason.ABUSE}
    unblock_restores = ModerationAction.objects.filter(
        action=ModerationAction.Action.RESTORE, data__block=block.pk
    )
    assert unblock_restores.count() == 3  # two by the unblock, one by hand while blocked
    assert ModerationAction.objects.filter(
        action=ModerationAction.Action.UNBLOCK_USER
    ).get().data == {
        "block": block.pk,
        "restored": 2,
    }
    assert Organisation.objects.filter(name__startswith="post").count() == 3


def test_only_platform_moderators_block(content, agency_with_staff):
    author = UserFactory()
    for actor in (agency_with_staff.moderator, agency_with_staff.head, UserFactory()):
        with pytest.raises(PermissionDenied):
            services.user_block(user=author, reason="x", actor=actor)
    assert not UserBlock.objects.exists()


def test_block_refusals(content, moderator):
    author = UserFactory()
    with pytest.raises(ModerationRefused, match="reason"):
        services.user_block(user=author, reason="  ", actor=moderator)
    with pytest.raises(ModerationRefused, match="yourself"):
        services.user_block(user=moderator, reason="x", actor=moderator)
    with pytest.raises(ModerationRefused, match="not blocked"):
        services.user_unblock(user=author, actor=moderator)
    services.user_block(user=author, reason="x", actor=moderator)
    with pytest.raises(ModerationRefused, match="already blocked"):
        services.user_block(user=author, reason="again", actor=moderator)


def test_a_second_active_block_is_refused_by_the_database(db, moderator):
    from django.db import IntegrityError, transaction

    user = UserFactory()
    UserBlock.objects.create(user=user, reason="a", actor=moderator)
    with pytest.raises(IntegrityError), transaction.atomic():
        UserBlock.objects.create(user=user, reason="b", actor=moderator)


def test_a_second_open_flag_is_refused_by_the_database(content):
    from django.db import IntegrityError, transaction

    obj = content.make()
    reporter = UserFactory()
    flag = services.flag_create(target=obj, reporter=reporter, reason=FlagReason.SPAM)
    with pytest.raises(IntegrityError), transaction.atomic():
        Flag.objects.create(item=flag.item, reporter=reporter, reason=FlagReason.ABUSE)


# --- personal data -----------------------------------------------------------------------------


def test_my_data_lists_reports_and_blocks_and_erase_keeps_reports_without_notes(content, moderator):
    from accounts import personal_data

    person = UserFactory()
    obj = content.make()
    services.flag_create(target=obj, reporter=person, reason=FlagReason.SPAM, note="my words")
    services.user_block(user=person, reason="Spam", actor=moderator)
    data = personal_data.export_for(person)["moderation"]
    assert [(r["reason"], r["note"]) for r in data["reports"]] == [("spam", "my words")]
    assert [b["reason"] for b in data["blocks"]] == ["Spam"]
    section = next(s for s in personal_data.sections() if s.key == "moderation")
    section.erase(person)
    assert list(Flag.objects.filter(reporter=person).values_list("reason", "note")) == [
        ("spam", "")
    ]
