"""What of the internet conferences is searchable: every conference (none is private: a
cancelled one keeps its page, with the reason), and the questions the moderators
published and did not hide, with the official's answer. A conference's phase comes from
the clock (upcoming → live → archived): its documents say when it next changes
(`refresh_at`), and `manage.py search_refresh` re-indexes them then; so do the
questions, whose "awaiting an answer" ends with the conference (answers are given only
while it is live).

Never indexed: submitted or rejected questions, the askers' emails or accounts (their
public name, shown on the conference's page, is display data only), votes."""

from __future__ import annotations

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency, User
from search import registry
from search.registry import SearchDoc
from search.text import guess_language

from .models import Conference, ConferenceQuestion, Phase

ANSWERED = "answered"  # shared with the blogs' questions: one facet value
AWAITING = "awaiting_answer"
UNANSWERED = "unanswered"


def _next_change(conference: Conference, now):
    """When the clock moves the conference to its next phase (none once it ended)."""
    phase = conference.phase(now)
    if phase == Phase.UPCOMING:
        return conference.starts_at
    if phase == Phase.LIVE:
        return conference.ends_at
    return None


def conference_documents(conference: Conference):
    now = timezone.now()
    language = guess_language(f"{conference.topic} {conference.description}")
    with translation.override(language):
        url = conference.get_absolute_url()
        official = ", ".join(
            part for part in (conference.official_name, conference.official_position) if part
        )
        agency = conference.agency.name
    phase = conference.phase(now)
    yield SearchDoc(
        title=conference.topic,
        body="\n\n".join(
            part
            for part in (
                official,
                agency,
                conference.description,
                conference.cancellation_reason if phase == Phase.CANCELLED else "",
            )
            if part
        ),
        language=language,
        url=url,
        date=timezone.localdate(conference.starts_at),
        agency_id=conference.agency_id,
        status=str(phase),
        refresh_at=_next_change(conference, now),
        extra={"official": conference.official_name, "starts_at": conference.starts_at.isoformat()},
    )


def question_status(question: ConferenceQuestion, now) -> str:
    if question.answered_at is not None:
        return ANSWERED
    if question.conference.takes_questions(now):
        return AWAITING
    return UNANSWERED


def question_documents(question: ConferenceQuestion):
    now = timezone.now()
    conference = question.conference
    language = guess_language(question.text)
    with translation.override(language):
        url = question.get_absolute_url()
        author = question.author.public_name  # "Citizen #5", "deleted user": translated
    status = question_status(question, now)
    yield SearchDoc(
        title=question.text,
        body=question.answer_text,
        language=language,
        url=url,
        date=timezone.localdate(question.published_at),
        agency_id=conference.agency_id,
        status=status,
        parent=f"{Conference._meta.label_lower}:{conference.pk}",
        # Still unanswered when the conference ends: no answer can come after it.
        refresh_at=conference.ends_at if status == AWAITING else None,
        extra={"context": conference.topic, "author": author},
    )


def _conferences_of(agency: Agency):
    return Conference.objects.filter(agency_id=agency.pk).values_list("pk", flat=True)


def _questions_of(conference: Conference):
    """The questions carry the conference's topic and follow its end and cancellation."""
    return (
        ConferenceQuestion.objects.visible()
        .filter(conference_id=conference.pk)
        .values_list("pk", flat=True)
    )


def _public_questions_of(user: User):
    return (
        ConferenceQuestion.objects.visible().filter(author_id=user.pk).values_list("pk", flat=True)
    )


registry.register(
    "conference",
    label=_("Internet conferences"),
    model=Conference,
    queryset=lambda: Conference.objects.all(),
    documents=conference_documents,
    watch={Agency: (_conferences_of, {"name_kk", "name_ru", "name_en"})},
    select_related=("agency",),
    statuses={phase.value: phase.label for phase in Phase},
)
registry.register(
    "conference_question",
    label=_("Questions to internet conferences"),
    model=ConferenceQuestion,
    queryset=lambda: ConferenceQuestion.objects.visible(),
    documents=question_documents,
    watch={
        Conference: (_questions_of, {"topic", "starts_at", "ends_at", "state"}),
        # The public name shown with a question follows the asker's profile (and erasure).
        User: (_public_questions_of, {"display_name", "first_name", "last_name", "deleted_at"}),
    },
    select_related=("conference", "author"),
    statuses={
        ANSWERED: _("answered"),
        AWAITING: _("awaiting an answer"),
        UNANSWERED: _("not answered at the conference"),
    },
)
