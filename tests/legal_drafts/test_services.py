"""The draft workflow with frozen time: window rules, votes, comment duties, dispositions,
extension, withdrawal and the report."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from accounts.models import AuditEvent
from dialogue.services import comment_post
from legal_drafts import selectors, services
from legal_drafts.models import DispositionValue, DraftType, DraftVote, Outcome
from tests.factories import UserFactory
from tracking import calendar

from .conftest import AFTER, BEFORE, CLOSES, DURING, OPENS, at, first_paragraph

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


def post(target, author=None, text="Please shorten the deadline to ten days.", **kwargs):
    return comment_post(target=target, author=author or UserFactory(), text=text, **kwargs)


def test_window_must_respect_the_types_minimum(agency_with_staff):
    standard = DraftType.objects.get(code="public-service-standard")
    with time_machine.travel(BEFORE, tick=False):
        with pytest.raises(ValidationError) as error:
            services.draft_create(
                actor=agency_with_staff.drafter,
                agency=agency_with_staff.agency,
                type=standard,
                title_kk="Стандарт",
                title_ru="Стандарт",
                opens_at=at(2026, 3, 18),
                closes_at=at(2026, 4, 3, 18),  # 9 working days: Nauryz is in between
            )
        assert "2026-04-06" in str(error.value.message_dict["closes_at"])
        with pytest.raises(ValidationError, match="close after it opens"):
            services.draft_create(
                actor=agency_with_staff.drafter,
                agency=agency_with_staff.agency,
                type=standard,
                title_kk="Стандарт",
                title_ru="Стандарт",
                opens_at=at(2026, 3, 18),
                closes_at=at(2026, 3, 17),
            )
        draft = services.draft_create(
            actor=agency_with_staff.drafter,
            agency=agency_with_staff.agency,
            type=standard,
            title_kk="Стандарт",
            title_ru="Стандарт",
            opens_at=at(2026, 3, 18),
            closes_at=at(2026, 4, 6, 18),
            responsible_officials=[agency_with_staff.drafter],
        )
    assert list(draft.responsible_officials.all()) == [agency_with_staff.drafter]
    assert AuditEvent.objects.filter(action="legal_draft_created").count() == 1


def test_only_drafting_officials_and_editors_create(agency_with_staff):
    with time_machine.travel(BEFORE, tick=False), pytest.raises(PermissionDenied):
        services.draft_create(
            actor=agency_with_staff.responder,
            agency=agency_with_staff.agency,
            type=DraftType.objects.get(code="order"),
            title_kk="x",
            title_ru="x",
            opens_at=OPENS,
            closes_at=CLOSES,
        )


def test_window_is_fixed_once_the_text_is_published(draft, agency_with_staff):
    with time_machine.travel(BEFORE, tick=False), pytest.raises(ValidationError, match="extend"):
        services.draft_update(
            draft=draft, actor=agency_with_staff.drafter, closes_at=at(2026, 3, 25)
        )
    with time_machine.travel(BEFORE, tick=False):
        services.draft_update(draft=draft, actor=agency_with_staff.drafter, summary_ru="Кратко.")
    draft.refresh_from_db()
    assert draft.summary_ru == "Кратко."


def test_votes_only_while_open_one_each_changeable(draft):
    citizen = UserFactory()
    with time_machine.travel(BEFORE, tick=False), pytest.raises(PermissionDenied):
        services.vote_cast(draft=draft, user=citizen, value="for")
    with time_machine.travel(DURING, tick=False):
        services.vote_cast(draft=draft, user=citizen, value="for")
        services.vote_cast(draft=draft, user=citizen, value="against")
        with pytest.raises(PermissionDenied):
            services.vote_cast(draft=draft, user=UserFactory(verified_email=False), value="for")
    assert list(DraftVote.objects.values_list("value", flat=True)) == ["against"]
    with time_machine.travel(AFTER, tick=False), pytest.raises(PermissionDenied):
        services.vote_cast(draft=draft, user=citizen, value="for")
    assert selectors.vote_counts(draft) == {"for": 0, "against": 1}


def test_comments_only_in_the_window_and_on_the_current_version(draft):
    paragraph = first_paragraph(draft)
    with time_machine.travel(BEFORE, tick=False), pytest.raises(PermissionDenied):
        post(paragraph)
    with time_machine.travel(AFTER, tick=False), pytest.raises(PermissionDenied):
        post(draft)
    with time_machine.travel(DURING, tick=False):
        assert post(paragraph).pk
        assert post(draft).pk


def test_a_top_level_comment_is_owed_an_answer_after_the_close(draft):
    with time_machine.travel(DURING, tick=False):
        comment = post(first_paragraph(draft))
        reply = post(first_paragraph(draft), parent=comment, text="Agreed.")
    obligation = services.comment_obligation(comment)
    assert obligation.agency == draft.agency
    assert obligation.opened_at == DURING
    assert obligation.clock_started_at == CLOSES
    # 10 working days after Friday 20 March 2026 (Nauryz: 21-25 March).
    assert calendar.local_date(obligation.due_at) == D(2026, 4, 8)
    assert services.comment_obligation(reply) is None


def test_disposition_fulfils_the_duty_and_is_given_once(draft, agency_with_staff):
    with time_machine.travel(DURING, tick=False):
        comment = post(first_paragraph(draft))
    with time_machine.travel(AFTER, tick=False):
        with pytest.raises(ValidationError):
            services.disposition_give(
                comment=comment, actor=agency_with_staff.drafter, value="accepted", reason=" "
            )
        disposition = services.disposition_give(
            comment=comment,
            actor=agency_with_staff.drafter,
            value=DispositionValue.ACCEPTED,
            reason="The deadline is shortened in version 2.",
        )
        with pytest.raises(PermissionDenied, match="already"):
            services.disposition_give(
                comment=comment, actor=agency_with_staff.head, value="noted", reason="Again."
            )
    obligation = services.comment_obligation(comment)
    assert obligation.answered_at == AFTER
    assert obligation.outcome == "accepted"
    assert disposition.draft == draft


def test_extension_restarts_the_duties_from_the_new_close(draft, agency_with_staff):
    with time_machine.travel(DURING, tick=False):
        comment = post(draft)
        with pytest.raises(ValidationError):
            services.draft_extend(
                draft=draft,
                actor=agency_with_staff.drafter,
                new_closes_at=at(2026, 3, 27, 18),
                reason="",
            )
        services.draft_extend(
            draft=draft,
            actor=agency_with_staff.drafter,
            new_closes_at=at(2026, 3, 27, 18),
            reason="Requested by the business chamber.",
        )
        with pytest.raises(PermissionDenied):  # once
            services.draft_extend(
                draft=draft,
                actor=agency_with_staff.drafter,
                new_closes_at=at(2026, 3, 30, 18),
                reason="Again.",
            )
    obligation = services.comment_obligation(comment)
    assert obligation.clock_started_at == at(2026, 3, 27, 18)
    assert calendar.local_date(obligation.due_at) == D(2026, 4, 10)
    assert obligation.original_due_at == obligation.due_at  # nothing was late
    assert obligation.withdrawn_at is None
    assert [event.kind for event in obligation.events.order_by("pk")] == ["opened", "restarted"]
    assert "business chamber" in obligation.events.get(kind="restarted").data["reason"]
    draft.refresh_from_db()
    assert draft.report.obligation.clock_started_at == at(2026, 3, 27, 18)
    assert draft.report.obligation.withdrawn_at is None


def test_withdrawal_ends_every_duty(draft, agency_with_staff):
    with time_machine.travel(DURING, tick=False):
        comment = post(draft)
        services.draft_withdraw(
            draft=draft, actor=agency_with_staff.head, reason="The law it implements changed."
        )
    assert draft.outcome == Outcome.WITHDRAWN
    assert services.comment_obligation(comment).withdrawal_reason.startswith("The law")
    draft.refresh_from_db()
    assert draft.report.obligation.withdrawn_at == DURING


def test_outcome_after_the_window_adopted_needs_link_and_date(draft, agency_with_staff):
    with time_machine.travel(DURING, tick=False), pytest.raises(PermissionDenied):
        services.draft_record_outcome(
            draft=draft, actor=agency_with_staff.drafter, outcome=Outcome.SENT_BACK
        )
    with time_machine.travel(AFTER, tick=False):
        with pytest.raises(ValidationError):
            services.draft_record_outcome(
                draft=draft, actor=agency_with_staff.drafter, outcome=Outcome.ADOPTED
            )
        services.draft_record_outcome(
            draft=draft,
            actor=agency_with_staff.drafter,
            outcome=Outcome.ADOPTED,
            adopted_url="https://adilet.zan.kz/rus/docs/V2600000001",
            adopted_on=D(2026, 4, 15),
        )
    assert draft.status_at(AFTER) == "adopted"


def test_report_lists_every_top_level_comment_exactly_once(draft, agency_with_staff):
    """Comments on the draft and on paragraphs, a reply (not listed), a hidden and a
    withdrawn comment: the report waits for every visible comment's disposition, then
    lists each top-level comment once; the hidden and withdrawn ones end their duties."""
    from dialogue.services import comment_hide, comment_withdraw

    with time_machine.travel(DURING, tick=False):
        on_paragraph = post(first_paragraph(draft))
        on_draft = post(draft)
        post(draft, parent=on_draft, text="A reply is not a report row.")
        late = post(first_paragraph(draft), text="Also check article 2.")
        hidden = post(draft, text="An insult the moderators hide.")
        withdrawn_author = UserFactory()
        withdrawn = post(draft, author=withdrawn_author, text="I changed my mind.")
        comment_hide(comment=hidden, reason="abuse", actor=agency_with_staff.head)
        comment_withdraw(comment=withdrawn, author=withdrawn_author)
        services.vote_cast(draft=draft, user=UserFactory(), value="for")
    with time_machine.travel(DURING, tick=False), pytest.raises(PermissionDenied):
        services.report_publish(draft=draft, actor=agency_with_staff.drafter)
    with time_machine.travel(AFTER, tick=False):
        for comment in (on_paragraph, on_draft):
            services.disposition_give(
                comment=comment,
                actor=agency_with_staff.drafter,
                value=DispositionValue.NOT_ACCEPTED,
                reason="Contradicts article 76 of the APC.",
            )
        with pytest.raises(ValidationError, match="1 comment still has no disposition"):
            services.report_publish(draft=draft, actor=agency_with_staff.head)
        services.disposition_give(
            comment=late, actor=agency_with_staff.drafter, value="noted", reason="Checked."
        )
        with pytest.raises(PermissionDenied):
            services.report_publish(draft=draft, actor=agency_with_staff.responder)
        report = services.report_publish(draft=draft, actor=agency_with_staff.head)
        with pytest.raises(PermissionDenied):
            services.report_publish(draft=draft, actor=agency_with_staff.head)
    rows = selectors.report_rows(draft)
    assert sorted(row.comment_id for row in rows) == sorted(
        [on_paragraph.pk, on_draft.pk, late.pk, hidden.pk, withdrawn.pk]
    )
    by_id = {row.comment_id: row for row in rows}
    assert by_id[on_paragraph.pk].paragraph_anchor == "art-1-p-1"
    assert by_id[on_draft.pk].paragraph_anchor == ""
    assert (by_id[hidden.pk].state, by_id[hidden.pk].disposition) == ("hidden", "")
    assert by_id[withdrawn.pk].state == "withdrawn"
    for comment in (hidden, withdrawn):
        duty = services.comment_obligation(comment)
        assert duty.withdrawn_at == AFTER and duty.answered_at is None
    counts = selectors.report_counts(draft, rows)
    assert (counts.comments, counts.answered, counts.unanswered, counts.not_required) == (
        5,
        3,
        0,
        2,
    )
    assert counts.participants == 5
    assert (counts.votes_for, counts.votes_against) == (1, 0)
    assert report.obligation.answered_at == AFTER
    assert draft.status_at(AFTER) == "report_published"


def test_attachments_are_checked_by_content(draft, agency_with_staff):
    pdf = SimpleUploadedFile("opinion.pdf", b"%PDF-1.7\n...", content_type="application/pdf")
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00", content_type="application/pdf")
    with time_machine.travel(BEFORE, tick=False):
        with pytest.raises(ValidationError):
            services.attachment_add(
                draft=draft, actor=agency_with_staff.drafter, kind="business_chamber", files=[fake]
            )
        (attachment,) = services.attachment_add(
            draft=draft, actor=agency_with_staff.drafter, kind="business_chamber", files=[pdf]
        )
    assert (attachment.name, attachment.content_type) == ("opinion.pdf", "application/pdf")


def test_a_new_version_is_separate_and_old_comments_stay(draft, agency_with_staff):
    from legal_drafts.text_import import import_markdown

    from .conftest import TEXT_KK, TEXT_RU

    with time_machine.travel(DURING, tick=False):
        comment = post(first_paragraph(draft))
        old_paragraph = first_paragraph(draft)
        version = services.version_create(
            draft=draft,
            actor=agency_with_staff.drafter,
            text=import_markdown(
                kk=TEXT_KK.replace("он бес", "он"), ru=TEXT_RU.replace("пятнадцати", "десяти")
            ),
        )
        services.version_publish(version=version, actor=agency_with_staff.drafter)
        with pytest.raises(PermissionDenied):
            services.version_publish(version=version, actor=agency_with_staff.drafter)
        with pytest.raises(PermissionDenied):  # the old version no longer takes comments
            post(old_paragraph)
        assert post(first_paragraph(draft)).pk
    assert version.number == 2
    assert comment.target_pk == str(old_paragraph.pk)
