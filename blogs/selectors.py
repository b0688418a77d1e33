"""Reads used by more than one screen: the agency's work queue, a blog's statistics, the
moderation queue and the ask form's suggestions. Each costs a fixed number of queries
whatever the number of questions."""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass

from django.conf import settings
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, QuerySet
from django.utils import timezone, translation

from accounts.models import Agency
from search.services import search
from search.text import query_terms
from tracking import calendar
from tracking.models import Obligation

from .models import BlogPage, Question, RatingVerdict
from .search_documents import ANSWERED

DUE_SOON_WORKING_DAYS = 3
QUESTION_KIND = "blog_question"  # the search kind (search_documents.py)


def work_queue(*, agency: Agency, now: datetime.datetime | None = None) -> QuerySet[Question]:
    """Everything awaiting the agency's answer, the earliest due first, each row annotated
    `is_overdue` and `is_due_soon` (within three working days). One query to list."""
    now = now or timezone.now()
    soon = calendar.end_of_day(
        calendar.add_working_days(calendar.local_date(now), DUE_SOON_WORKING_DAYS)
    )
    return (
        Question.objects.awaiting_answer()
        .filter(agency=agency)
        .select_related("obligation", "blog", "asker")
        .annotate(
            is_overdue=ExpressionWrapper(
                Q(obligation__due_at__lt=now), output_field=BooleanField()
            ),
            is_due_soon=ExpressionWrapper(
                Q(obligation__due_at__gte=now, obligation__due_at__lte=soon),
                output_field=BooleanField(),
            ),
        )
        .order_by(F("obligation__due_at").asc(), "pk")
    )


@dataclass(frozen=True)
class BlogStatistics:
    received: int
    answered: int
    answered_on_time: int
    overdue: int
    median_days_to_answer: float | None
    ratings: int
    satisfied_share: float | None
    brush_off_share: float | None


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def blog_statistics(*, blog: BlogPage, now: datetime.datetime | None = None) -> BlogStatistics:
    """The counts a blog page shows. Received = published questions (hidden ones too: the
    agency still owes them an answer). Three queries, plus the calendar's when cold."""
    now = now or timezone.now()
    obligations = Obligation.objects.filter(
        pk__in=Question.objects.filter(blog=blog, obligation__isnull=False).values("obligation")
    )
    counts = obligations.aggregate(
        received=Count("pk"),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
        on_time=Count("pk", filter=Q(answered_at__isnull=False, answered_at__lte=F("due_at"))),
        overdue=Count(
            "pk",
            filter=Q(answered_at__isnull=True, withdrawn_at__isnull=True, due_at__lt=now),
        ),
    )
    working = calendar.WorkingCalendar()
    days = working.working_days_between_many(
        (calendar.local_date(opened), calendar.local_date(answered))
        for opened, answered in obligations.filter(answered_at__isnull=False).values_list(
            "opened_at", "answered_at"
        )
    )
    ratings = Question.objects.filter(blog=blog, rating__isnull=False).aggregate(
        total=Count("pk"),
        satisfied=Count("pk", filter=Q(rating__verdict=RatingVerdict.SATISFIED)),
        brush_off=Count("pk", filter=Q(rating__verdict=RatingVerdict.BRUSH_OFF)),
    )
    return BlogStatistics(
        received=counts["received"],
        answered=counts["answered"],
        answered_on_time=counts["on_time"],
        overdue=counts["overdue"],
        median_days_to_answer=statistics.median(days) if days else None,
        ratings=ratings["total"],
        satisfied_share=_share(ratings["satisfied"], ratings["total"]),
        brush_off_share=_share(ratings["brush_off"], ratings["total"]),
    )


def moderation_working_days() -> int:
    """How many working days an agency's moderators have to publish or reject a question."""
    return settings.BLOGS_MODERATION_WORKING_DAYS


def moderation_queue(*, agency: Agency, now: datetime.datetime | None = None) -> QuerySet[Question]:
    """Submitted questions waiting for the agency's moderators, oldest first, annotated
    `is_late` when the moderation period (`BLOGS_MODERATION_WORKING_DAYS`, 3 by default)
    has passed. Derived from the submission date, never stored."""
    now = now or timezone.now()
    today = calendar.local_date(now)
    working = calendar.WorkingCalendar()
    days = moderation_working_days()
    # The latest submission day whose period has already ended: due = that day + `days`
    # working days, and due < today. Due dates only grow with the day, so walk back.
    latest_late_day = today - datetime.timedelta(days=1)
    while working.add_working_days(latest_late_day, days) >= today:
        latest_late_day -= datetime.timedelta(days=1)
    return (
        Question.objects.filter(state=Question.State.SUBMITTED, agency=agency)
        .select_related("blog", "asker")
        .annotate(
            is_late=ExpressionWrapper(
                Q(submitted_at__lte=calendar.end_of_day(latest_late_day)),
                output_field=BooleanField(),
            )
        )
        .order_by("submitted_at", "pk")
    )


# With a blog, the search reads this many hits per suggestion shown: the blog's agency
# filters the search, and other blogs of the same agency share it.
SIMILAR_DEPTH_PER_BLOG = 4


def similar_answered_questions(
    *, title: str, blog: BlogPage | None = None, limit: int = 5
) -> list[Question]:
    """Answered public questions that look like the one being typed, best first: the ask
    form suggests them before sending. Found by the platform search (any title word,
    folded and stemmed, ranked by the search), then read back in one query: what was
    hidden or unpublished since it was indexed is never suggested, and `blog` (the
    canonical page) keeps its own questions only. Three queries (the search's two, then
    the questions with their obligations).

    The search is narrowed to the blog's agency, so a question of the blog sent on to
    another agency (`question_redirect`) is not suggested on it."""
    if not query_terms(title):
        return []
    results = search(
        q=title,
        kinds=[QUESTION_KIND],
        status=ANSWERED,
        agency=blog.agency_id if blog is not None else None,
        language=(translation.get_language() or "").split("-")[0] or None,
        any_word=True,
        facets=False,
        per_page=limit * SIMILAR_DEPTH_PER_BLOG if blog is not None else limit,
    )
    pks = [int(hit.object_pk) for hit in results.hits if hit.object_pk.isdigit()]
    if not pks:
        return []
    questions = (
        Question.objects.visible()
        .filter(obligation__answered_at__isnull=False)
        .select_related("obligation")
    )
    if blog is not None:
        questions = questions.filter(blog=blog)
    found = questions.in_bulk(pks)
    return [found[pk] for pk in pks if pk in found][:limit]
