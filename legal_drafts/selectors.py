"""Reads shared by the screens, the API and the report. Each is a bounded number of
queries whatever the number of comments: counts are aggregates in the database, and the
report's rows come as a page (`report_rows_page`, the HTML table) or as a stream of
chunks (`iter_report_rows`, the CSV and the PDF), never as one list of 20,000 ids."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page, Paginator
from django.db.models import (
    CharField,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from dialogue.models import CommentState

from .models import Disposition, DispositionValue, Draft, DraftVote, Paragraph, VoteValue
from .services import top_level_comments

EXCERPT_CHARS = 280
REPORT_CHUNK_SIZE = 500
REPORT_PAGE_SIZE = 100


@dataclass(frozen=True)
class ReportRow:
    comment_id: int
    paragraph_anchor: str  # "" for a comment on the draft as a whole
    version_number: int | None
    author: str  # public name, or the organisation's name
    state: str  # the comment's state: visible, hidden, withdrawn
    disposition: str  # a DispositionValue, or "" when unanswered
    disposition_label: str
    reason: str
    text: str = ""  # the comment's full text; "" unless the comment is visible
    posted_at: datetime.datetime | None = None
    paragraph_label: str = ""  # "Article 5, paragraph 2"; "" for the whole draft
    state_label: str = ""
    responded_at: datetime.datetime | None = None

    @property
    def excerpt(self) -> str:
        return Truncator(self.text).chars(EXCERPT_CHARS)

    @property
    def is_visible(self) -> bool:
        return self.state == "visible"


@dataclass(frozen=True)
class ReportCounts:
    comments: int
    participants: int
    answered: int
    unanswered: int  # visible comments still owed a disposition
    not_required: int  # hidden or withdrawn, left without one (they need none)
    by_disposition: dict[str, int]
    votes_for: int
    votes_against: int

    def disposition_items(self) -> list[tuple[str, str, int]]:
        """(value, label, count) for every disposition value, zeros included, in order."""
        return [
            (value, label, self.by_disposition.get(value, 0))
            for value, label in DispositionValue.choices
        ]


def vote_counts(draft: Draft) -> dict[str, int]:
    counts = DraftVote.objects.filter(draft=draft).aggregate(
        for_=Count("pk", filter=Q(value=VoteValue.FOR)),
        against=Count("pk", filter=Q(value=VoteValue.AGAINST)),
    )
    return {VoteValue.FOR: counts["for_"], VoteValue.AGAINST: counts["against"]}


# --- paragraphs -------------------------------------------------------------------------


@dataclass(frozen=True)
class ParagraphInfo:
    anchor: str
    version_number: int
    label: str


def paragraph_label(section_number: str, paragraph_number: str, anchor: str) -> str:
    """How a person names a provision: "Article 5, paragraph 2"; the anchor otherwise."""
    if section_number and paragraph_number:
        return _("Article %(article)s, paragraph %(paragraph)s") % {
            "article": section_number,
            "paragraph": paragraph_number,
        }
    if section_number:
        return _("Article %(article)s") % {"article": section_number}
    return anchor


def paragraph_map(draft: Draft) -> dict[str, ParagraphInfo]:
    """Every paragraph of every version of the draft, by its pk as a string (comments
    keep their target's pk as text). One query; grows with the text, not the comments."""
    rows = Paragraph.objects.filter(version__draft=draft).values_list(
        "pk", "anchor", "number", "version__number", "section__number"
    )
    return {
        str(pk): ParagraphInfo(anchor, version, paragraph_label(section or "", number, anchor))
        for pk, anchor, number, version, section in rows
    }


# --- the report's rows ------------------------------------------------------------------


def _report_queryset(draft: Draft):
    """Top-level comments with what a row needs in one join: author, organisation and
    disposition (a reverse one-to-one, so `select_related` follows it)."""
    return (
        top_level_comments(draft)
        .select_related("user", "organisation", "legal_draft_disposition")
        .order_by("posted_at", "pk")
    )


def _disposition_label(comment, disposition) -> str:
    if disposition is not None:
        return str(disposition.get_value_display())
    if comment.state != CommentState.VISIBLE:
        return _("not required (hidden or withdrawn)")
    return ""


def _row(comment, paragraphs: dict[str, ParagraphInfo], paragraph_type_id: int) -> ReportRow:
    paragraph = (
        paragraphs.get(comment.target_pk) if comment.target_type_id == paragraph_type_id else None
    )
    try:
        disposition = comment.legal_draft_disposition
    except Disposition.DoesNotExist:
        disposition = None
    if comment.organisation_id:
        author = comment.organisation.name
    else:
        author = comment.user.public_name if comment.user_id else ""
    return ReportRow(
        comment_id=comment.pk,
        paragraph_anchor=paragraph.anchor if paragraph else "",
        version_number=paragraph.version_number if paragraph else None,
        author=author,
        state=comment.state,
        disposition=disposition.value if disposition else "",
        disposition_label=_disposition_label(comment, disposition),
        reason=disposition.reason if disposition else "",
        text=comment.comment if comment.state == "visible" else "",
        posted_at=comment.posted_at,
        paragraph_label=paragraph.label if paragraph else "",
        state_label=str(comment.get_state_display()),
        responded_at=disposition.created_at if disposition else None,
    )


def _rows(comments: Iterable, paragraphs: dict[str, ParagraphInfo]) -> list[ReportRow]:
    paragraph_type_id = ContentType.objects.get_for_model(Paragraph).pk
    return [_row(comment, paragraphs, paragraph_type_id) for comment in comments]


def iter_report_rows(draft: Draft, *, chunk_size: int = REPORT_CHUNK_SIZE) -> Iterator[ReportRow]:
    """Every top-level comment on the draft or its paragraphs, exactly once, oldest first,
    in chunks: memory holds one chunk, and each chunk is one query (keyset pagination on
    posted_at and pk, so a comment posted meanwhile neither repeats nor shifts a row).
    Two queries before the first chunk: the paragraphs and their ids."""
    paragraphs = paragraph_map(draft)
    base = _report_queryset(draft)
    last: tuple | None = None
    while True:
        chunk = base
        if last is not None:
            posted_at, pk = last
            chunk = chunk.filter(Q(posted_at__gt=posted_at) | Q(posted_at=posted_at, pk__gt=pk))
        comments = list(chunk[:chunk_size])
        if not comments:
            return
        yield from _rows(comments, paragraphs)
        if len(comments) < chunk_size:
            return
        last = (comments[-1].posted_at, comments[-1].pk)


def report_rows(draft: Draft) -> list[ReportRow]:
    """All the rows as a list (small drafts and tests; the screens page or stream)."""
    return list(iter_report_rows(draft))


def report_rows_page(draft: Draft, number, *, per_page: int = REPORT_PAGE_SIZE) -> Page:
    """One page of the report's table (`page.object_list` holds `ReportRow`s). A count and
    a slice, plus the paragraphs: four queries whatever the page."""
    paginator = Paginator(_report_queryset(draft), per_page)
    page = paginator.get_page(number)
    page.object_list = _rows(page.object_list, paragraph_map(draft))
    return page


def report_counts(draft: Draft, rows: list[ReportRow] | None = None) -> ReportCounts:
    """Comments, participants (distinct authors), answered and per disposition in one
    aggregate query, votes in another. `rows` is accepted for callers that already hold
    them, and ignored: the database counts."""
    aggregates = {
        f"d_{value}": Count("pk", filter=Q(legal_draft_disposition__value=value))
        for value in DispositionValue.values
    }
    unanswered = Q(legal_draft_disposition__isnull=True)
    totals = top_level_comments(draft).aggregate(
        comments=Count("pk"),
        participants=Count("user", distinct=True),
        answered=Count("legal_draft_disposition"),
        unanswered=Count("pk", filter=unanswered & Q(state=CommentState.VISIBLE)),
        not_required=Count("pk", filter=unanswered & ~Q(state=CommentState.VISIBLE)),
        **aggregates,
    )
    by_disposition = {
        value: totals[f"d_{value}"] for value in DispositionValue.values if totals[f"d_{value}"]
    }
    votes = vote_counts(draft)
    return ReportCounts(
        comments=totals["comments"],
        participants=totals["participants"],
        answered=totals["answered"],
        unanswered=totals["unanswered"],
        not_required=totals["not_required"],
        by_disposition=by_disposition,
        votes_for=votes[VoteValue.FOR],
        votes_against=votes[VoteValue.AGAINST],
    )


# --- lists of drafts (the API) -----------------------------------------------------------


def with_public_counts(drafts):
    """Annotate `votes_for`, `votes_against` and `comment_count` (visible comments and
    replies on the draft and on its paragraphs of every version, from dialogue's
    denormalised counters) as subqueries: one query for a whole page of drafts."""
    from dialogue.models import CommentTarget

    draft_type = ContentType.objects.get_for_model(Draft)
    paragraph_type = ContentType.objects.get_for_model(Paragraph)

    def votes(value: str):
        return Coalesce(
            Subquery(
                DraftVote.objects.filter(draft=OuterRef("pk"), value=value)
                .order_by()
                .values("draft")
                .annotate(n=Count("pk"))
                .values("n")[:1],
                output_field=IntegerField(),
            ),
            0,
        )

    on_draft = Subquery(
        CommentTarget.objects.filter(
            content_type=draft_type, object_pk=Cast(OuterRef("pk"), CharField())
        ).values("visible_count")[:1],
        output_field=IntegerField(),
    )
    paragraph_pks = (
        Paragraph.objects.filter(version__draft=OuterRef(OuterRef("pk")))
        .annotate(text_pk=Cast("pk", CharField()))
        .values("text_pk")
    )
    on_paragraphs = Subquery(
        CommentTarget.objects.filter(content_type=paragraph_type, object_pk__in=paragraph_pks)
        .order_by()
        .annotate(group=Value(1))
        .values("group")
        .annotate(total=Sum("visible_count"))
        .values("total")[:1],
        output_field=IntegerField(),
    )
    return drafts.annotate(
        votes_for=votes(VoteValue.FOR),
        votes_against=votes(VoteValue.AGAINST),
        comment_count=Coalesce(on_draft, 0) + Coalesce(on_paragraphs, 0),
    )


def paragraph_comment_counts(paragraphs: Iterable[int] | QuerySet) -> dict[int, int]:
    """Visible comments (and replies) per paragraph, from dialogue's counters: one query.
    `paragraphs` is a list of ids, or a queryset of paragraphs (used as a subquery)."""
    from dialogue.models import CommentTarget

    if isinstance(paragraphs, QuerySet):
        keys = paragraphs.annotate(key=Cast("pk", CharField())).values("key")
    else:
        keys = [str(pk) for pk in paragraphs]
    rows = CommentTarget.objects.filter(
        content_type=ContentType.objects.get_for_model(Paragraph), object_pk__in=keys
    ).values_list("object_pk", "visible_count")
    return {int(pk): count for pk, count in rows}
