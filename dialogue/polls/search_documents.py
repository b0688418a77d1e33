"""What of the polls is searchable: published polls, and cancelled ones that had been
published (their page stays, with the reason), as one document in the poll's language:
its title, description, questions and options. The phase comes from the clock (upcoming
→ open → closed): each document says when it next changes (`refresh_at`), and
`manage.py search_refresh` re-indexes it then.

Never indexed: drafts (nor cancelled drafts), and anything people answered: free-text
answers are not published at all, and who took part is nobody's business."""

from __future__ import annotations

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from search import registry
from search.registry import SearchDoc

from .models import Phase, Poll, PollOption, PollQuestion


def _next_change(poll: Poll, now):
    phase = poll.phase(now)
    if phase == Phase.UPCOMING:
        return poll.opens_at
    if phase == Phase.OPEN:
        return poll.closes_at
    return None


def _questions_text(poll: Poll) -> str:
    """Each question with its options, in the poll's order (prefetched: no query)."""
    parts = []
    for question in sorted(poll.questions.all(), key=lambda q: (q.position, q.pk)):
        options = sorted(question.options.all(), key=lambda o: (o.position, o.pk))
        parts.append("\n".join([question.text, *(option.text for option in options)]))
    return "\n\n".join(parts)


def poll_documents(poll: Poll):
    now = timezone.now()
    language = poll.language if poll.language in registry.LANGUAGES else "kk"
    with translation.override(language):
        url = poll.get_absolute_url()
    phase = poll.phase(now)
    yield SearchDoc(
        title=poll.title,
        body="\n\n".join(
            part
            for part in (
                poll.description,
                _questions_text(poll),
                poll.cancel_reason if phase == Phase.CANCELLED else "",
            )
            if part
        ),
        language=language,
        url=url,
        date=timezone.localdate(poll.opens_at),
        agency_id=poll.agency_id,
        status=str(phase),
        refresh_at=_next_change(poll, now),
        extra={"closes_at": poll.closes_at.isoformat()},
    )


def _poll_of_option(option: PollOption):
    return PollQuestion.objects.filter(pk=option.question_id).values_list("poll_id", flat=True)


registry.register(
    "poll",
    label=_("Polls"),
    model=Poll,
    queryset=lambda: Poll.objects.public(),
    documents=poll_documents,
    watch={
        PollQuestion: lambda question: [question.poll_id],
        PollOption: _poll_of_option,
    },
    prefetch_related=("questions__options",),
    statuses={
        Phase.UPCOMING.value: _("upcoming"),
        Phase.OPEN.value: _("open for answers"),
        Phase.CLOSED.value: _("closed"),
        Phase.CANCELLED.value: _("cancelled"),
    },
)
