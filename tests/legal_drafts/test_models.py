"""Status derivation, database invariants and the immutability of published versions."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import IntegrityError, transaction

from legal_drafts import services
from legal_drafts.models import (
    DiscussionReport,
    Draft,
    DraftStatus,
    DraftType,
    DraftVersion,
    DraftVote,
    Outcome,
    Paragraph,
    VersionPublishedError,
)
from tests.factories import UserFactory

from .conftest import AFTER, BEFORE, CLOSES, DURING, OPENS, at, make_draft

pytestmark = pytest.mark.django_db


def statuses(now) -> dict[int, str]:
    """The status of every draft by the queryset methods, which must agree with the
    property."""
    result = {}
    for status in DraftStatus.values:
        for pk in Draft.objects.with_status(status, now).values_list("pk", flat=True):
            assert pk not in result, f"draft {pk} in two statuses"
            result[pk] = status
    for draft in Draft.objects.select_related("report"):
        assert draft.status_at(now) == result[draft.pk]
    return result


def test_the_eight_types_are_seeded_with_their_minimums():
    types = {t.code: t for t in DraftType.objects.all()}
    assert len(types) == 8
    standard = types["public-service-standard"]
    assert (standard.min_discussion_days, standard.min_days_are_working) == (10, True)
    assert (types["law"].min_discussion_days, types["law"].min_days_are_working) == (10, False)
    # 10 working days from Wednesday 18 March 2026 step over Nauryz (21-25 March).
    assert standard.earliest_close(at(2026, 3, 18)) == datetime.date(2026, 4, 6)
    assert types["order"].earliest_close(at(2026, 3, 18)) == datetime.date(2026, 3, 28)


def test_status_follows_the_dates_and_records(agency_with_staff):
    draft = make_draft(agency_with_staff)
    assert statuses(BEFORE) == {draft.pk: DraftStatus.SCHEDULED}
    assert statuses(OPENS) == {draft.pk: DraftStatus.OPEN}
    assert statuses(CLOSES - datetime.timedelta(microseconds=1)) == {draft.pk: DraftStatus.OPEN}
    assert statuses(CLOSES) == {draft.pk: DraftStatus.AWAITING_REPORT}
    DiscussionReport.objects.filter(draft=draft).update(published_at=AFTER)
    assert statuses(AFTER) == {draft.pk: DraftStatus.REPORT_PUBLISHED}
    Draft.objects.filter(pk=draft.pk).update(
        outcome=Outcome.SENT_BACK, outcome_at=AFTER
    )  # sent back keeps the report's status
    assert statuses(AFTER) == {draft.pk: DraftStatus.REPORT_PUBLISHED}
    Draft.objects.filter(pk=draft.pk).update(
        outcome=Outcome.ADOPTED, adopted_url="https://adilet.zan.kz/x", adopted_on=AFTER.date()
    )
    assert statuses(AFTER) == {draft.pk: DraftStatus.ADOPTED}


def test_extension_moves_the_effective_close(agency_with_staff):
    draft = make_draft(agency_with_staff)
    with time_machine.travel(DURING, tick=False):
        services.draft_extend(
            draft=draft,
            actor=agency_with_staff.drafter,
            new_closes_at=at(2026, 3, 27, 18),
            reason="Many comments from business associations.",
        )
    assert statuses(AFTER) == {draft.pk: DraftStatus.OPEN}
    assert statuses(at(2026, 3, 27, 18)) == {draft.pk: DraftStatus.AWAITING_REPORT}


def test_withdrawn_wins_over_every_date(agency_with_staff):
    draft = make_draft(agency_with_staff)
    with time_machine.travel(DURING, tick=False):
        services.draft_withdraw(draft=draft, actor=agency_with_staff.head, reason="Superseded.")
    for moment in (BEFORE, DURING, AFTER):
        assert statuses(moment) == {draft.pk: DraftStatus.WITHDRAWN}


@pytest.mark.parametrize(
    ("changes", "constraint"),
    [
        ({"closes_at": OPENS}, "legal_drafts_closes_after_opens"),
        ({"outcome": Outcome.WITHDRAWN, "outcome_at": AFTER}, "legal_drafts_withdrawn_has_reason"),
        ({"outcome": Outcome.ADOPTED, "outcome_at": AFTER}, "adopted_has_link_and_date"),
        ({"outcome": Outcome.SENT_BACK}, "legal_drafts_outcome_has_date"),
        ({"extended_closes_at": AFTER}, "legal_drafts_extension_has_reason"),
        (
            {"extended_closes_at": OPENS, "extension_reason": "x"},
            "legal_drafts_extension_later",
        ),
    ],
)
def test_database_refuses_broken_drafts(agency_with_staff, changes, constraint):
    draft = make_draft(agency_with_staff, publish=False)
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        Draft.objects.filter(pk=draft.pk).update(**changes)


def test_database_allows_one_vote_per_person(draft):
    user = UserFactory()
    DraftVote.objects.create(draft=draft, user=user, value="for")
    with pytest.raises(IntegrityError), transaction.atomic():
        DraftVote.objects.create(draft=draft, user=user, value="against")
    with pytest.raises(IntegrityError), transaction.atomic():
        DraftVote.objects.create(draft=draft, user=UserFactory(), value="maybe")
    assert DraftVote.objects.count() == 1


def test_a_published_version_and_its_text_are_immutable(draft):
    version = draft.current_version()
    paragraph = version.paragraphs.first()
    paragraph.text_ru = "Changed."
    with pytest.raises(VersionPublishedError):
        paragraph.save()
    with pytest.raises(VersionPublishedError):
        Paragraph.objects.filter(pk=paragraph.pk).update(text_ru="Changed.")
    with pytest.raises(VersionPublishedError):
        Paragraph.objects.filter(version=version).delete()
    version.note_ru = "Changed."
    with pytest.raises(VersionPublishedError):
        version.save()
    with pytest.raises(VersionPublishedError):
        DraftVersion.objects.filter(pk=version.pk).update(published_at=None)
    with pytest.raises(VersionPublishedError):
        version.delete()
    assert Paragraph.objects.get(pk=paragraph.pk).text_ru.startswith("Настоящие")


def test_database_allows_one_version_in_preparation(draft):
    DraftVersion.objects.create(draft=draft, number=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        DraftVersion.objects.create(draft=draft, number=3)


def test_content_reads_russian_under_english_and_each_language_under_its_own(draft):
    """Draft texts exist in Kazakh and Russian only: English readers get the Russian."""
    from django.utils import translation

    for language, expected in (
        ("kk", draft.title_kk),
        ("ru", draft.title_ru),
        ("en", draft.title_ru),
    ):
        with translation.override(language):
            assert draft.title == expected, language
    draft.title_ru = ""
    with translation.override("en"):
        assert draft.title == draft.title_kk
