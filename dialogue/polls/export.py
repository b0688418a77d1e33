"""The poll's CSV files, streamed (UTF-8 with a byte order mark, so spreadsheets read
Kazakh and Russian; header in the active language):

- `results.csv`: the aggregated results, one row per option (and one per free-text
  question, with its count only), for whoever may see the results;
- `responses.csv`: the anonymised responses, one row per submission, for the agency
  only. A row carries the submission's random `respondent` token and its date (the day,
  not the time), never the person: no user id, name, email, region or IP. Rows are in the
  order of the random tokens, so their order says nothing about who came when.

Cells that a spreadsheet would run as a formula (starting with =, +, -, @, tab or
carriage return) are prefixed with an apostrophe: the free texts are citizens' and the
file is opened by officials.

Memory holds one chunk whatever the number of submissions: the rows are read with
`iterator()`, the answers prefetched chunk by chunk.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.contrib.auth.views import redirect_to_login
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .models import Poll, PollAnswer, QuestionKind, Submission
from .rules import can
from .selectors import percent, questions_of
from .views import get_poll

BOM = "\ufeff"
CHUNK = 500
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    """A file-like object whose write returns the line csv.writer gives it."""

    def write(self, value: str) -> str:
        return value


def _stream(lines: Iterator[list[object]], filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def encoded() -> Iterator[bytes]:
        first = True
        for row in lines:
            line = writer.writerow([safe_cell(cell) for cell in row])
            if first:
                line, first = BOM + line, False
            yield line.encode("utf-8")

    response = StreamingHttpResponse(encoded(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _forbidden(message: str) -> HttpResponse:
    return HttpResponse(message, status=403, content_type="text/plain; charset=utf-8")


def kind_label(kind: str) -> str:
    return str(QuestionKind(kind).label)


def results_rows(poll: Poll) -> Iterator[list[object]]:
    yield [
        _("Poll"),
        _("Question number"),
        _("Question"),
        _("Kind of question"),
        _("People who answered the question"),
        _("Answer"),
        _("Count"),
        _("Share of those who answered (%)"),
    ]
    for number, question in enumerate(questions_of(poll), start=1):
        common = [poll.pk, number, question.text, kind_label(question.kind)]
        if question.kind == QuestionKind.TEXT:
            yield [
                *common,
                question.answer_count,
                _("(free-text answers)"),
                question.answer_count,
                "",
            ]
            continue
        for option in question.options.all():
            yield [
                *common,
                question.answer_count,
                option.text,
                option.vote_count,
                f"{percent(option.vote_count, question.answer_count):.1f}",
            ]


def responses_rows(poll: Poll) -> Iterator[list[object]]:
    questions = questions_of(poll)
    yield [
        _("Respondent"),
        _("Date"),
        *(f"{number}. {question.text}" for number, question in enumerate(questions, 1)),
    ]
    submissions = (
        Submission.objects.filter(poll=poll)
        .only("pk", "respondent", "submitted_at")
        .order_by("respondent")
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=PollAnswer.objects.only(
                    "pk", "submission_id", "question_id", "option_id", "text"
                ).order_by("pk"),
            )
        )
    )
    option_texts = {
        option.pk: option.text for question in questions for option in question.options.all()
    }
    for submission in submissions.iterator(chunk_size=CHUNK):
        by_question: dict[int, list[str]] = {}
        for answer in submission.answers.all():
            value = option_texts.get(answer.option_id, "") if answer.option_id else answer.text
            by_question.setdefault(answer.question_id, []).append(value)
        yield [
            submission.respondent,
            timezone.localtime(submission.submitted_at).date().isoformat(),
            *("; ".join(by_question.get(question.pk, [])) for question in questions),
        ]


@require_GET
def results_csv(request: HttpRequest, pk: int) -> HttpResponse:
    poll = get_poll(request, pk)
    if not can(request.user, "polls.view_results", poll):
        return _forbidden(_("The results of this poll are not shown yet."))
    return _stream(results_rows(poll), f"poll-{poll.pk}-results.csv")


@require_GET
def responses_csv(request: HttpRequest, pk: int) -> HttpResponse:
    poll = get_poll(request, pk)
    if not can(request.user, "polls.manage_poll", poll):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return _forbidden(_("Only the poll's agency can download the responses."))
    return _stream(responses_rows(poll), f"poll-{poll.pk}-responses.csv")
