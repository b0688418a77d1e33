"""Reads shared by the screens, the CSV exports and the API. Each is a bounded number of
queries whatever the number of submissions: results come from the denormalised counters
(`Poll.submission_count`, `PollQuestion.answer_count`, `PollOption.vote_count`), never
from counting answer rows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.collation import localized_order
from accounts.models import Agency, Membership
from accounts.selectors import agency_roles
from ashyq.i18n import active_language

from . import rules as poll_rules
from .models import Phase, Poll, PollOption, PollQuestion, PollState, QuestionKind, Submission

LIST_PHASES = (Phase.OPEN, Phase.UPCOMING, Phase.CLOSED)
MANAGING_ROLES = frozenset({Membership.Role.HEAD, Membership.Role.RESPONDER})


def public_list(
    *, phase: str = Phase.OPEN, agency=None, now: datetime.datetime | None = None
) -> QuerySet[Poll]:
    """The public list of one phase: open (closing soonest first), upcoming (opening
    soonest first) or closed (latest first; cancelled polls that had been published are
    listed here too, with their state). `agency` an Agency or its pk. ValueError for an
    unknown phase."""
    now = now or timezone.now()
    qs = Poll.objects.select_related("agency")
    if phase == Phase.OPEN:
        qs = qs.open(now).order_by("closes_at", "pk")
    elif phase == Phase.UPCOMING:
        qs = qs.upcoming(now).order_by("opens_at", "pk")
    elif phase == Phase.CLOSED:
        qs = qs.filter(
            Q(state=PollState.PUBLISHED, closes_at__lte=now)
            | Q(state=PollState.CANCELLED, published_at__isnull=False)
        ).order_by("-closes_at", "-pk")
    else:
        raise ValueError(f"unknown phase {phase!r}")
    if agency:
        qs = qs.filter(agency=agency)
    return qs


def phase_counts(*, agency=None, now: datetime.datetime | None = None) -> dict[str, int]:
    """How many polls each tab lists, in one query."""
    now = now or timezone.now()
    qs = Poll.objects.public()
    if agency:
        qs = qs.filter(agency=agency)
    published = Q(state=PollState.PUBLISHED)
    counts = qs.aggregate(
        open=Count("pk", filter=published & Q(opens_at__lte=now, closes_at__gt=now)),
        upcoming=Count("pk", filter=published & Q(opens_at__gt=now)),
        closed=Count(
            "pk",
            filter=(published & Q(closes_at__lte=now)) | Q(state=PollState.CANCELLED),
        ),
    )
    return {key: value or 0 for key, value in counts.items()}


def agencies_with_polls() -> QuerySet[Agency]:
    """The agencies the list can be filtered by: those with a public poll, by name in the
    active language."""
    lang = active_language()
    return Agency.objects.filter(pk__in=Poll.objects.public().values("agency_id")).order_by(
        localized_order(f"name_{lang}", lang), "pk"
    )


def prime_submitted(user, polls) -> None:
    """Whether `user` took part in each of `polls`, in one query, cached for the rules."""
    polls = list(polls)
    if not user.is_authenticated or not polls:
        return
    ids = [poll.pk for poll in polls]
    submitted = set(
        Submission.objects.filter(user=user, poll_id__in=ids).values_list("poll_id", flat=True)
    )
    poll_rules.remember_submitted(user, ids, submitted)


def questions_of(poll: Poll) -> list[PollQuestion]:
    """The questions in order with their options (two queries)."""
    return list(
        poll.questions.order_by("position", "pk").prefetch_related(
            Prefetch("options", queryset=PollOption.objects.order_by("position", "pk"))
        )
    )


@dataclass(frozen=True)
class OptionResult:
    option_id: int
    text: str
    count: int
    percent: float  # of the people who answered the question, one decimal


@dataclass(frozen=True)
class QuestionResult:
    question_id: int
    position: int
    kind: str
    text: str
    required: bool
    answer_count: int  # people who answered this question
    options: list[OptionResult] = field(default_factory=list)

    @property
    def is_multiple(self) -> bool:
        return self.kind == QuestionKind.MULTIPLE

    @property
    def is_text(self) -> bool:
        return self.kind == QuestionKind.TEXT


def percent(count: int, total: int) -> float:
    return round(count * 100 / total, 1) if total else 0.0


def results_of(poll: Poll, questions: list[PollQuestion] | None = None) -> list[QuestionResult]:
    """Each question's counts from the counters. Percentages are of the people who
    answered that question, so a multiple choice's may add up to more than 100. Free-text
    questions give only their count: the texts are the agency's, in the anonymised
    export."""
    questions = questions_of(poll) if questions is None else questions
    return [
        QuestionResult(
            question_id=question.pk,
            position=number,
            kind=question.kind,
            text=question.text,
            required=question.required,
            answer_count=question.answer_count,
            options=[
                OptionResult(
                    option_id=option.pk,
                    text=option.text,
                    count=option.vote_count,
                    percent=percent(option.vote_count, question.answer_count),
                )
                for option in question.options.all()
            ],
        )
        for number, question in enumerate(questions, start=1)
    ]


def managed_agency_ids(user) -> set[int]:
    """The agencies whose polls `user` runs (head or responder; memberships cached)."""
    if not (user and user.is_authenticated and user.is_active) or user.is_deleted:
        return set()
    return {pk for pk, roles in agency_roles(user).items() if roles & MANAGING_ROLES}


def managed_polls(user) -> QuerySet[Poll]:
    """Every poll of the agencies `user` runs polls for, newest first."""
    return (
        Poll.objects.filter(agency_id__in=managed_agency_ids(user))
        .select_related("agency")
        .order_by("-created_at", "-pk")
    )


def hub_section(*, user=None, limit: int = 5) -> dict:
    """Open Dialogue's hub: the open polls closing soonest, and how many are upcoming
    (two queries)."""
    now = timezone.now()
    polls = list(public_list(phase=Phase.OPEN, now=now)[:limit])
    return {
        "polls": polls,
        "now": now,
        "upcoming_count": Poll.objects.upcoming(now).count(),
    }
