"""Reads shared by the pages, the workspace and the API. Each costs a fixed number of
queries whatever the number of questions or votes: counts come from the denormalised
counters, lists are one query each (with their authors joined), and the questions of one
conference get that conference attached without another query (`attach`)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import Membership

from .models import Conference, ConferenceQuestion, QuestionState, QuestionVote

SORTS = ("votes", "newest")
UPCOMING_LIMIT = 20
LIVE_LIMIT = 20


def conferences() -> QuerySet[Conference]:
    return Conference.objects.select_related("agency")


def index_lists(*, now: datetime.datetime) -> dict[str, object]:
    """The list page: live now (soonest ending first), upcoming (soonest first), and the
    archive (ended or cancelled, newest first) as a queryset to paginate."""
    return {
        "live": list(conferences().live(now).order_by("ends_at", "pk")[:LIVE_LIMIT]),
        "upcoming": list(conferences().upcoming(now).order_by("starts_at", "pk")[:UPCOMING_LIMIT]),
        "archive": conferences()
        .filter(Q(state="cancelled") | Q(ends_at__lte=now))
        .order_by("-starts_at", "-pk"),
    }


def attach(questions: Iterable[ConferenceQuestion], conference: Conference) -> list:
    """The questions as a list, each knowing its conference without a query."""
    rows = list(questions)
    for question in rows:
        question.conference = conference
    return rows


def _questions(conference: Conference) -> QuerySet[ConferenceQuestion]:
    return ConferenceQuestion.objects.filter(conference=conference).select_related(
        "author", "blog_question"
    )


def waiting_questions(conference: Conference, *, sort: str = "votes") -> QuerySet:
    """Published questions without an answer (hidden ones too: they show a placeholder),
    most voted or newest first."""
    order = ("-published_at", "-pk") if sort == "newest" else ("-vote_count", "published_at", "pk")
    return (
        _questions(conference)
        .filter(state=QuestionState.PUBLISHED, answered_at__isnull=True)
        .order_by(*order)
    )


def answered_questions(conference: Conference, *, newest_first: bool = False) -> QuerySet:
    """Answered questions in the order they were answered (the transcript), or the latest
    answer first (the live page)."""
    order = ("-answered_at", "-pk") if newest_first else ("answered_at", "pk")
    return (
        _questions(conference)
        .filter(state=QuestionState.PUBLISHED, answered_at__isnull=False)
        .select_related("answered_by")
        .order_by(*order)
    )


def studio_questions(conference: Conference) -> QuerySet:
    """What the official may answer: published, visible, unanswered; most voted first."""
    return (
        _questions(conference)
        .filter(state=QuestionState.PUBLISHED, answered_at__isnull=True, hidden_at__isnull=True)
        .order_by("-vote_count", "published_at", "pk")
    )


def moderation_queue(conference: Conference) -> QuerySet:
    """Questions awaiting moderation, oldest first."""
    return (
        ConferenceQuestion.objects.filter(conference=conference, state=QuestionState.SUBMITTED)
        .select_related("author")
        .order_by("submitted_at", "pk")
    )


def own_questions(conference: Conference, user) -> list[ConferenceQuestion]:
    """The signed-in person's questions to this conference, in every state (one query)."""
    if not user.is_authenticated:
        return []
    return attach(
        ConferenceQuestion.objects.filter(conference=conference, author=user).order_by(
            "-submitted_at", "-pk"
        ),
        conference,
    )


def voted_ids(user, question_ids: Iterable[int]) -> set[int]:
    """Which of these questions `user` has voted for (one query; none when anonymous)."""
    ids = list(question_ids)
    if not user.is_authenticated or not ids:
        return set()
    return set(
        QuestionVote.objects.filter(user=user, question_id__in=ids).values_list(
            "question_id", flat=True
        )
    )


def blog_for(conference: Conference):
    """The official blog unanswered questions go to: the official's own blog for this
    agency, else the agency's first blog; `None` when the agency has no published blog.
    (Whether it takes questions now is for the caller to say.)"""
    from blogs.models import BlogPage

    blogs = BlogPage.objects.live().filter(agency_id=conference.agency_id)
    blog = blogs.filter(owner_user_id=conference.official_id).order_by("pk").first()
    if blog is None:
        blog = blogs.order_by("pk").first()
    return blog.canonical if blog is not None else None


def managed_agency_ids(user) -> set[int]:
    """Agencies whose conferences `user` schedules (head or moderator)."""
    from accounts.selectors import agency_roles

    if not user.is_authenticated:
        return set()
    wanted = {Membership.Role.HEAD, Membership.Role.MODERATOR}
    return {agency_id for agency_id, roles in agency_roles(user).items() if roles & wanted}


def workspace_conferences(user, *, now: datetime.datetime) -> QuerySet[Conference]:
    """The conferences of the workspace: of every agency where `user` holds a role, and
    those they host; platform moderators and superusers also see every conference with
    questions awaiting moderation. Not archived long ago: the last 90 days and the future."""
    from accounts.rules import is_platform_moderator
    from accounts.selectors import agency_roles

    if not user.is_authenticated:
        return Conference.objects.none()
    condition = Q(agency_id__in=list(agency_roles(user))) | Q(official=user)
    if user.is_superuser or is_platform_moderator(user):
        condition |= Q(pending_count__gt=0, state="scheduled")
    return (
        conferences()
        .filter(condition, ends_at__gte=now - datetime.timedelta(days=90))
        .order_by("-starts_at", "-pk")
    )


def hub_section(*, user=None, limit: int = 5) -> dict:
    """Open Dialogue's hub: what is live now and what comes next (two queries)."""
    now = timezone.now()
    return {
        "live": list(conferences().live(now).order_by("ends_at", "pk")[:limit]),
        "upcoming": list(conferences().upcoming(now).order_by("starts_at", "pk")[:limit]),
        "now": now,
    }


def home_section(request) -> dict:
    """The home page's "Internet conferences": live now, else the next three (one or two
    queries)."""
    now = timezone.now()
    live = list(conferences().live(now).order_by("ends_at", "pk")[:3])
    upcoming = [] if live else list(conferences().upcoming(now).order_by("starts_at", "pk")[:3])
    return {"live": live, "upcoming": upcoming, "now": now}
