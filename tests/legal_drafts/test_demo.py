"""The demo drafts: every public status, a published report, idempotent."""

from __future__ import annotations

import io

import pytest

from accounts import demo as accounts_demo
from dialogue.models import Comment
from legal_drafts import demo, selectors
from legal_drafts.models import Disposition, Draft, DraftStatus, DraftVersion, DraftVote
from tracking.models import Obligation

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    out = io.StringIO()
    accounts_demo.seed(stdout=out)
    logins = demo.seed(stdout=out)
    return logins, out


def _by_key():
    return {
        spec.key: Draft.objects.get(agency__slug=spec.agency, title_ru=spec.title_ru)
        for spec in demo.DRAFTS
    }


def test_every_status_with_texts_comments_and_a_published_report(seeded):
    logins, out = seeded
    assert "6 new" in out.getvalue()
    assert {email.split("@")[0] for email, _role in logins} >= {"justice.drafter"}
    drafts = _by_key()
    for status in DraftStatus.values:
        assert drafts[status].status == status, status
        assert Draft.objects.with_status(status).filter(pk=drafts[status].pk).exists()
    assert {draft.type.code for draft in drafts.values()} >= {
        "law-concept",
        "order",
        "rules",
        "public-service-standard",
    }
    assert len({draft.agency_id for draft in drafts.values()}) == 3
    for draft in drafts.values():
        version = draft.current_version()
        assert version.paragraphs.count() >= 3
        assert all(p.text_kk and p.text_ru for p in version.paragraphs.all())

    published = drafts["report_published"]
    assert published.report.published_at and published.report.summary_kk
    assert published.versions.filter(published_at__isnull=False).count() == 2
    values = set(Disposition.objects.filter(draft=published).values_list("value", flat=True))
    assert values == {"accepted", "partially", "not_accepted", "noted"}
    assert (
        Disposition.objects.filter(draft=published, changed_paragraph__version__number=2).count()
        == 2
    )
    rows = selectors.report_rows(published)
    assert {row.state for row in rows} == {"visible", "hidden"}

    open_draft = drafts["open"]
    rows = selectors.report_rows(open_draft)
    assert any(row.paragraph_anchor == "" for row in rows)
    assert any(row.paragraph_anchor for row in rows)
    assert any(row.author.startswith("«Бақылау»") for row in rows)
    replies = Comment.objects.filter(reply_to__in=selectors.top_level_comments(open_draft))
    assert replies.count() == 2 and replies.filter(is_official=True).count() == 1
    assert DraftVote.objects.filter(draft=open_draft).count() == 4

    awaiting = drafts["awaiting_report"]
    counts = selectors.report_counts(awaiting)
    assert counts.answered == 2 and counts.unanswered == 2
    overdue = Obligation.objects.overdue().filter(
        kind="legal_draft_comment", agency=awaiting.agency
    )
    assert overdue.count() == 2

    adopted = drafts["adopted"]
    assert adopted.adopted_url.startswith("https://adilet.zan.kz/") and adopted.adopted_on
    assert drafts["withdrawn"].withdrawal_reason


def test_seeding_twice_changes_nothing(seeded):
    counts = (
        Draft.objects.count(),
        DraftVersion.objects.count(),
        Comment.objects.count(),
        Disposition.objects.count(),
        DraftVote.objects.count(),
    )
    out = io.StringIO()
    demo.seed(stdout=out)
    assert "0 new, 6 already there" in out.getvalue()
    assert counts == (
        Draft.objects.count(),
        DraftVersion.objects.count(),
        Comment.objects.count(),
        Disposition.objects.count(),
        DraftVote.objects.count(),
    )
