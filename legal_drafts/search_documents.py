"""What of Open Legal Acts is searchable: public draft acts (a version is published), the
paragraphs of their current version, and the drafting agency's dispositions on visible
comments. Drafts and paragraphs are indexed in Kazakh and Russian, the languages they are
written in; both languages of one draft (or paragraph) are one result.

A draft's status comes from the clock (scheduled → open → awaiting report): each
document says when it next changes (`refresh_at`), and `manage.py search_refresh`
re-indexes it then."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from dialogue.models import Comment
from search import registry
from search.registry import SearchDoc
from search.text import guess_language

from .models import (
    DiscussionReport,
    Disposition,
    DispositionValue,
    Draft,
    DraftStatus,
    DraftVersion,
    Paragraph,
)
from .selectors import paragraph_label

LANGUAGES = ("kk", "ru")


def public_drafts():
    return Draft.objects.filter(versions__published_at__isnull=False).distinct()


def _next_change(draft: Draft, now):
    if draft.outcome:
        return None
    if now < draft.opens_at:
        return draft.opens_at
    if now < draft.effective_closes_at:
        return draft.effective_closes_at
    return None


def draft_documents(draft: Draft):
    now = timezone.now()
    status = draft.status_at(now)
    for language in LANGUAGES:
        title = getattr(draft, f"title_{language}")
        if not title:
            continue
        with translation.override(language):
            url = draft.get_absolute_url()
        yield SearchDoc(
            title=title,
            body="\n\n".join(
                part
                for part in (
                    getattr(draft, f"summary_{language}"),
                    getattr(draft, f"explanatory_note_{language}"),
                )
                if part
            ),
            language=language,
            url=url,
            date=timezone.localdate(draft.opens_at),
            agency_id=draft.agency_id,
            status=status,
            refresh_at=_next_change(draft, now),
            extra={"type": draft.type.code},
        )


def current_paragraphs():
    """Paragraphs of the latest published version of each public draft."""
    latest = (
        DraftVersion.objects.filter(
            draft_id=OuterRef("version__draft_id"), published_at__isnull=False
        )
        .order_by("-number")
        .values("pk")[:1]
    )
    return Paragraph.objects.filter(
        version__published_at__isnull=False, version_id=Subquery(latest)
    )


def paragraph_documents(paragraph: Paragraph):
    version = paragraph.version
    draft = version.draft
    now = timezone.now()
    status = draft.status_at(now)
    section_number = paragraph.section.number if paragraph.section_id else ""
    for language in LANGUAGES:
        text = getattr(paragraph, f"text_{language}")
        if not text:
            continue
        heading = (
            getattr(paragraph.section, f"heading_{language}", "") if paragraph.section_id else ""
        )
        with translation.override(language):
            label = str(paragraph_label(section_number, paragraph.number, paragraph.anchor))
            url = paragraph.get_absolute_url()
        yield SearchDoc(
            title=" — ".join(part for part in (label, heading) if part),
            body=text,
            language=language,
            url=url,
            date=timezone.localdate(version.published_at),
            agency_id=draft.agency_id,
            status=status,
            parent=f"legal_drafts.draft:{draft.pk}",
            refresh_at=_next_change(draft, now),
            extra={"context": getattr(draft, f"title_{language}") or draft.title},
        )


def visible_dispositions():
    return Disposition.objects.filter(comment__state="visible", draft__in=public_drafts())


def disposition_documents(disposition: Disposition):
    draft = disposition.draft
    language = guess_language(disposition.reason)
    if language == "en":
        language = "ru"
    with translation.override(language):
        url = disposition.comment.get_absolute_url()
        label = str(DispositionValue(disposition.value).label)
    yield SearchDoc(
        title="",
        body=disposition.reason,
        language=language,
        url=url,
        date=timezone.localdate(disposition.created_at),
        agency_id=draft.agency_id,
        status=disposition.value,
        parent=f"legal_drafts.draft:{draft.pk}",
        extra={"context": getattr(draft, f"title_{language}") or draft.title, "disposition": label},
    )


def _paragraphs_of_draft(draft_id: int):
    return Paragraph.objects.filter(
        version__draft_id=draft_id, version__published_at__isnull=False
    ).values_list("pk", flat=True)


def _dispositions_of_comment(comment):
    return Disposition.objects.filter(comment_id=comment.pk).values_list("pk", flat=True)


STATUSES = {status.value: status.label for status in DraftStatus}

registry.register(
    "legal_draft",
    label=_("Draft acts"),
    model=Draft,
    queryset=public_drafts,
    documents=draft_documents,
    watch={
        DraftVersion: lambda version: [version.draft_id],
        DiscussionReport: lambda report: [report.draft_id],
    },
    select_related=("type", "report"),
    statuses=STATUSES,
)
registry.register(
    "legal_draft_paragraph",
    label=_("Provisions of draft acts"),
    model=Paragraph,
    queryset=current_paragraphs,
    documents=paragraph_documents,
    watch={
        # A new version replaces the old one's paragraphs; the draft's title, agency and
        # status are shown with each paragraph.
        DraftVersion: lambda version: _paragraphs_of_draft(version.draft_id),
        Draft: lambda draft: _paragraphs_of_draft(draft.pk),
        DiscussionReport: lambda report: _paragraphs_of_draft(report.draft_id),
    },
    select_related=("section", "version__draft__report"),
    statuses=STATUSES,
)
registry.register(
    "legal_draft_response",
    label=_("Responses to comments on draft acts"),
    model=Disposition,
    queryset=visible_dispositions,
    documents=disposition_documents,
    watch={Comment: (_dispositions_of_comment, {"state"})},
    select_related=("draft",),
    prefetch_related=("comment__content_object",),
    statuses={value.value: value.label for value in DispositionValue},
)
