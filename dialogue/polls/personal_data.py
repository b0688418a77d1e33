"""What this app holds about a person, for "My data": the polls they took part in and
their answers. Nothing is erased when the account goes: the answers are anonymous to the
agency already (a random respondent token), and keeping the submission keeps the counts
and the "one submission per person" rule true."""

from __future__ import annotations

from typing import Any

from accounts import personal_data


def export_submissions(user) -> list[dict[str, Any]]:
    from .models import PollAnswer, Submission

    submissions = list(
        Submission.objects.filter(user=user)
        .select_related("poll")
        .order_by("pk")
        .only("pk", "submitted_at", "poll__id", "poll__title")
    )
    answers: dict[int, list[dict[str, Any]]] = {}
    for row in (
        PollAnswer.objects.filter(submission__user=user)
        .order_by("submission_id", "question__position", "pk")
        .values("submission_id", "question__text", "option__text", "text")
    ):
        answers.setdefault(row["submission_id"], []).append(
            {"question": row["question__text"], "answer": row["option__text"] or row["text"]}
        )
    return [
        {
            "poll": submission.poll.pk,
            "title": submission.poll.title,
            "submitted_at": submission.submitted_at.isoformat(),
            "answers": answers.get(submission.pk, []),
        }
        for submission in submissions
    ]


def register() -> None:
    personal_data.register("poll_submissions", export=export_submissions)
