"""Every change to a poll, its questions and its submissions. Keyword-only, atomic,
audited (`accounts.services.audit_record`); notifications go out after commit.

Who may act is checked here with the predicates of `rules.py` (`PermissionDenied` with a
message fit to show); input a person can fix raises `ValidationError({field: ...})`.

- A draft changes freely. Publishing fixes the questions, the audience, the region and the
  results rule: people answer what was published. After publication only the description
  and the closing time (while the poll has not closed) may change.
- Taking part (`poll_submit`) locks nothing: the unique constraint on (poll, user) decides
  between two submissions of the same person, and the counters move with `F()` in the
  same transaction, so concurrent voters never lose a count.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import Agency
from accounts.regions import Region
from accounts.services import audit_record
from ashyq.services import field_error, lock_row, required_text

from . import rules as poll_rules
from .models import (
    ANSWER_TEXT_MAX,
    CANCEL_REASON_MAX,
    CHOICE_KINDS,
    DESCRIPTION_MAX,
    OPTION_MAX,
    OPTIONS_MAX,
    OPTIONS_MIN,
    POLL_LANGUAGES,
    QUESTION_MAX,
    QUESTIONS_MAX,
    TITLE_MAX,
    Audience,
    Phase,
    Poll,
    PollAnswer,
    PollOption,
    PollQuestion,
    PollState,
    QuestionKind,
    ResultsVisibility,
    Submission,
)

# Notification kind (registered in apps.py): followers of an agency hear of its new polls.
KIND_PUBLISHED = "poll_published"

POLL_FIELDS = (
    "title",
    "description",
    "language",
    "opens_at",
    "closes_at",
    "audience",
    "region",
    "results_visibility",
)
# What may still change once the poll is published (and not closed).
PUBLISHED_FIELDS = frozenset({"description", "closes_at"})
QUESTION_FIELDS = frozenset({"kind", "text", "required", "max_choices", "options"})


class SubmissionRefused(PermissionDenied):
    """Taking part was refused for a reason the person should read (already taken part,
    closed, not in the audience, posting limits); `str(error)` is the message and `code`
    the reason's code (`rules.take_refusal`)."""

    def __init__(self, message, code: str = "") -> None:
        super().__init__(str(message))
        self.code = code


# --- checks ------------------------------------------------------------------------------


def _require_manager(actor, poll: Poll) -> None:
    if not poll_rules.can(actor, "polls.manage_poll", poll):
        raise PermissionDenied(
            _("Only the head and the responders of the poll's agency can change it.")
        )


def _optional_text(field: str, value: str, limit: int) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise field_error(
            field, _("At most %(limit)d characters, please.") % {"limit": limit}, "too_long"
        )
    return value


def _aware(field: str, value) -> datetime.datetime:
    if not isinstance(value, datetime.datetime):
        raise field_error(field, _("Give a date and a time."), "required")
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _clean_poll(values: dict[str, Any]) -> dict[str, Any]:
    """Every poll field checked; the errors of all fields together."""
    errors: dict[str, list[ValidationError]] = {}
    cleaned: dict[str, Any] = {}

    def check(field: str, fn) -> None:
        try:
            cleaned[field] = fn()
        except ValidationError as error:
            for name, field_errors in error.error_dict.items():
                errors.setdefault(name, []).extend(field_errors)

    check(
        "title",
        lambda: required_text(
            "title", values.get("title", ""), limit=TITLE_MAX, message=_("Give the poll a title.")
        ),
    )
    check(
        "description",
        lambda: _optional_text("description", values.get("description", ""), DESCRIPTION_MAX),
    )
    check("language", lambda: _choice("language", values.get("language"), POLL_LANGUAGES))
    check("opens_at", lambda: _aware("opens_at", values.get("opens_at")))
    check("closes_at", lambda: _aware("closes_at", values.get("closes_at")))
    check("audience", lambda: _choice("audience", values.get("audience"), Audience.choices))
    check("region", lambda: _region(values.get("region", "")))
    check(
        "results_visibility",
        lambda: _choice(
            "results_visibility", values.get("results_visibility"), ResultsVisibility.choices
        ),
    )
    opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
    if opens and closes and closes <= opens:
        errors.setdefault("closes_at", []).append(
            ValidationError(_("The poll must close after it opens."), code="order")
        )
    if errors:
        raise ValidationError(errors)
    return cleaned


def _choice(field: str, value, choices) -> str:
    allowed = {str(key) for key, _label in choices}
    if value not in allowed:
        raise field_error(field, _("Choose one of the options."), "invalid")
    return value


def _region(value: str) -> str:
    value = value or ""
    if value and value not in Region.values:
        raise field_error("region", _("Choose a region from the list."), "invalid")
    return value


# --- the poll ----------------------------------------------------------------------------


@transaction.atomic
def poll_create(
    *,
    agency: Agency,
    actor,
    title: str,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    description: str = "",
    language: str = "kk",
    audience: str = Audience.VERIFIED,
    region: str = "",
    results_visibility: str = ResultsVisibility.AFTER_VOTING,
) -> Poll:
    """A draft poll of `agency`, seen only by those who manage it until published."""
    if not poll_rules.can(actor, "polls.manage_agency_polls", agency):
        raise PermissionDenied(_("Only the head and the responders of an agency run its polls."))
    if not agency.is_active:
        raise field_error("agency", _("This agency is no longer active."), "inactive")
    values = _clean_poll(
        {
            "title": title,
            "description": description,
            "language": language,
            "opens_at": opens_at,
            "closes_at": closes_at,
            "audience": audience,
            "region": region,
            "results_visibility": results_visibility,
        }
    )
    poll = Poll.objects.create(agency=agency, created_by=actor, created_at=timezone.now(), **values)
    audit_record(actor=actor, action="poll_created", target=poll, agency=agency.slug)
    return poll


@transaction.atomic
def poll_update(*, poll: Poll, actor, **changes) -> Poll:
    """Change a draft's settings; once published, only the description and the closing
    time, while the poll has not closed (a poll can be extended or shortened, never
    moved to close in the past)."""
    lock_row(poll)
    _require_manager(actor, poll)
    unknown = set(changes) - set(POLL_FIELDS)
    if unknown:
        raise TypeError(f"poll_update() cannot change {sorted(unknown)}")
    now = timezone.now()
    if poll.state == PollState.CANCELLED:
        raise PermissionDenied(_("A cancelled poll cannot be changed."))
    changed = {field for field, value in changes.items() if _differs(getattr(poll, field), value)}
    if poll.state == PollState.PUBLISHED:
        if poll.phase(now) == Phase.CLOSED:
            raise PermissionDenied(_("A closed poll cannot be changed."))
        fixed = changed - PUBLISHED_FIELDS
        if fixed:
            raise ValidationError(
                {
                    field: ValidationError(
                        _("This cannot change once the poll is published."), code="published"
                    )
                    for field in sorted(fixed)
                }
            )
    values = _clean_poll({**{field: getattr(poll, field) for field in POLL_FIELDS}, **changes})
    if poll.state == PollState.PUBLISHED and "closes_at" in changed and values["closes_at"] <= now:
        raise field_error(
            "closes_at", _("A published poll must close in the future."), "in_the_past"
        )
    before = {field: _audit_value(getattr(poll, field)) for field in sorted(changed)}
    for field, value in values.items():
        setattr(poll, field, value)
    poll.save(update_fields=[*POLL_FIELDS, "updated_at"])
    audit_record(
        actor=actor,
        action="poll_updated",
        target=poll,
        fields=sorted(changed),
        before=before,
    )
    return poll


def _differs(current, new) -> bool:
    if isinstance(current, datetime.datetime) and isinstance(new, datetime.datetime):
        if timezone.is_naive(new):
            new = timezone.make_aware(new)
        return current != new
    return current != new


def _audit_value(value):
    return value.isoformat() if isinstance(value, datetime.datetime) else value


@transaction.atomic
def poll_publish(*, poll: Poll, actor) -> Poll:
    """Make the draft public: it opens at `opens_at` (at once if that has passed) and
    its questions are fixed from now on. The agency's followers hear of it (digest)."""
    lock_row(poll)
    _require_manager(actor, poll)
    if poll.state != PollState.DRAFT:
        raise PermissionDenied(_("Only a draft can be published."))
    now = timezone.now()
    if poll.closes_at <= now:
        raise field_error(
            "closes_at",
            _("The poll's closing time has passed: set a later one before publishing."),
            "in_the_past",
        )
    questions = list(poll.questions.prefetch_related("options"))
    if not questions:
        raise field_error(
            "questions", _("Add at least one question before publishing."), "no_questions"
        )
    for question in questions:
        if question.kind in CHOICE_KINDS and len(question.options.all()) < OPTIONS_MIN:
            raise field_error(
                "questions",
                _("Each choice question needs at least two options."),
                "too_few_options",
            )
    poll.state = PollState.PUBLISHED
    poll.published_at = now
    poll.published_by = actor
    poll.save(update_fields=["state", "published_at", "published_by", "updated_at"])
    audit_record(actor=actor, action="poll_published", target=poll)
    _notify_followers_on_commit(poll, actor)
    return poll


def _notify_followers_on_commit(poll: Poll, actor) -> None:
    from notifications.services import notify_followers

    agency = poll.agency

    def send() -> None:
        notify_followers(
            target=agency,
            kind=KIND_PUBLISHED,
            actor=actor,
            title=poll.title,
            url=poll.get_absolute_url(),
            body=gettext_lazy("%(agency)s runs a new poll.") % {"agency": agency.name},
            data={"poll": poll.pk},
        )

    transaction.on_commit(send)


@transaction.atomic
def poll_cancel(*, poll: Poll, actor, reason: str) -> Poll:
    """Cancel a draft, or a published poll before it closes; the reason is kept and shown.
    Submissions already made stay (nothing anyone gave is deleted); the results of a
    cancelled poll are its agency's only. A closed poll's results stand: it cannot be
    cancelled."""
    lock_row(poll)
    _require_manager(actor, poll)
    now = timezone.now()
    if poll.state == PollState.CANCELLED:
        raise PermissionDenied(_("This poll is already cancelled."))
    if poll.phase(now) == Phase.CLOSED:
        raise PermissionDenied(_("A closed poll cannot be cancelled: its results stand."))
    reason = required_text(
        "reason", reason, limit=CANCEL_REASON_MAX, message=_("Say why the poll is cancelled.")
    )
    poll.state = PollState.CANCELLED
    poll.cancelled_at = now
    poll.cancelled_by = actor
    poll.cancel_reason = reason
    poll.save(
        update_fields=["state", "cancelled_at", "cancelled_by", "cancel_reason", "updated_at"]
    )
    audit_record(actor=actor, action="poll_cancelled", target=poll, reason=reason)
    return poll


# --- questions ---------------------------------------------------------------------------


def _require_editable(actor, poll: Poll) -> None:
    _require_manager(actor, poll)
    if not poll.is_editable or poll.submission_count:
        raise PermissionDenied(_("Questions can change only before the poll is published."))


def _clean_question(
    *, kind: str, text: str, required: bool, max_choices: int | None, options: Sequence[str]
) -> dict[str, Any]:
    errors: dict[str, list[ValidationError]] = {}

    def add(field: str, message, code: str) -> None:
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    if kind not in QuestionKind.values:
        add("kind", _("Choose one of the options."), "invalid")
    text = (text or "").strip()
    if not text:
        add("text", _("Write the question."), "empty")
    elif len(text) > QUESTION_MAX:
        add("text", _("At most %(limit)d characters, please.") % {"limit": QUESTION_MAX}, "long")
    cleaned_options = [option.strip() for option in options if option and option.strip()]
    if kind in CHOICE_KINDS:
        if len(cleaned_options) < OPTIONS_MIN:
            add("options", _("Give at least two options, one per line."), "too_few")
        elif len(cleaned_options) > OPTIONS_MAX:
            add(
                "options",
                _("At most %(limit)d options, please.") % {"limit": OPTIONS_MAX},
                "too_many",
            )
        if any(len(option) > OPTION_MAX for option in cleaned_options):
            add(
                "options",
                _("Each option: at most %(limit)d characters, please.") % {"limit": OPTION_MAX},
                "long",
            )
        if len({option.casefold() for option in cleaned_options}) != len(cleaned_options):
            add("options", _("Each option must be different."), "duplicate")
    elif kind == QuestionKind.TEXT and cleaned_options:
        add("options", _("A free-text question has no options: leave this empty."), "options")
    if max_choices is not None:
        if kind != QuestionKind.MULTIPLE:
            max_choices = None  # meaningless for the other kinds: dropped, not an error
        elif max_choices < 1:
            add("max_choices", _("At least 1."), "min")
        elif kind in CHOICE_KINDS and max_choices > max(len(cleaned_options), 1):
            add("max_choices", _("At most the number of options."), "max")
    if errors:
        raise ValidationError(errors)
    return {
        "kind": kind,
        "text": text,
        "required": bool(required),
        "max_choices": max_choices,
        "options": cleaned_options if kind in CHOICE_KINDS else [],
    }


def _write_options(question: PollQuestion, options: list[str]) -> None:
    PollOption.objects.bulk_create(
        [
            PollOption(question=question, position=index, text=text)
            for index, text in enumerate(options, start=1)
        ]
    )


@transaction.atomic
def question_add(
    *,
    poll: Poll,
    actor,
    kind: str,
    text: str,
    required: bool = True,
    max_choices: int | None = None,
    options: Sequence[str] = (),
) -> PollQuestion:
    """A question at the end of the draft; choice questions with 2 to 20 options."""
    lock_row(poll)
    _require_editable(actor, poll)
    if poll.questions.count() >= QUESTIONS_MAX:
        raise field_error(
            "text",
            _("A poll has at most %(limit)d questions.") % {"limit": QUESTIONS_MAX},
            "too_many",
        )
    values = _clean_question(
        kind=kind, text=text, required=required, max_choices=max_choices, options=options
    )
    options_list = values.pop("options")
    last = poll.questions.aggregate(last=Max("position"))["last"] or 0
    question = PollQuestion.objects.create(poll=poll, position=last + 1, **values)
    _write_options(question, options_list)
    audit_record(actor=actor, action="poll_question_added", target=poll, question=question.pk)
    return question


@transaction.atomic
def question_update(*, question: PollQuestion, actor, **changes) -> PollQuestion:
    """Change a draft's question; `options` (a list of texts) replaces its options."""
    poll = lock_row(question.poll)
    _require_editable(actor, poll)
    unknown = set(changes) - QUESTION_FIELDS
    if unknown:
        raise TypeError(f"question_update() cannot change {sorted(unknown)}")
    current_options = [option.text for option in question.options.order_by("position")]
    values = _clean_question(
        kind=changes.get("kind", question.kind),
        text=changes.get("text", question.text),
        required=changes.get("required", question.required),
        max_choices=changes.get("max_choices", question.max_choices),
        options=changes.get("options", current_options),
    )
    options_list = values.pop("options")
    for field, value in values.items():
        setattr(question, field, value)
    question.save(update_fields=list(values))
    if options_list != current_options:
        # A draft's options were never answered (`_require_editable`): replaced outright.
        question.options.all().delete()
        _write_options(question, options_list)
    audit_record(
        actor=actor,
        action="poll_question_updated",
        target=poll,
        question=question.pk,
        fields=sorted(changes),
    )
    return question


@transaction.atomic
def question_remove(*, question: PollQuestion, actor) -> None:
    """Take a question out of a draft (the others keep their order)."""
    poll = lock_row(question.poll)
    _require_editable(actor, poll)
    pk, text = question.pk, question.text
    question.options.all().delete()
    question.delete()
    audit_record(actor=actor, action="poll_question_removed", target=poll, question=pk, text=text)


@transaction.atomic
def question_move(*, question: PollQuestion, actor, up: bool) -> PollQuestion:
    """Swap a draft's question with its neighbour above (`up`) or below."""
    poll = lock_row(question.poll)
    _require_editable(actor, poll)
    siblings = poll.questions.order_by("position", "pk")
    neighbour = (
        siblings.filter(position__lt=question.position).order_by("-position").first()
        if up
        else siblings.filter(position__gt=question.position).first()
    )
    if neighbour is None:
        return question
    mine, theirs = question.position, neighbour.position
    # Through a free position: (poll, position) is unique.
    free = (poll.questions.aggregate(last=Max("position"))["last"] or 0) + 1
    PollQuestion.objects.filter(pk=question.pk).update(position=free)
    PollQuestion.objects.filter(pk=neighbour.pk).update(position=mine)
    PollQuestion.objects.filter(pk=question.pk).update(position=theirs)
    question.position = theirs
    audit_record(actor=actor, action="poll_question_moved", target=poll, question=question.pk)
    return question


# --- taking part -------------------------------------------------------------------------


def answer_field(question: PollQuestion) -> str:
    """The name of a question's field in forms and in `ValidationError`s."""
    return f"q{question.pk}"


def _as_ids(value) -> list[int]:
    if value is None or value == "":
        return []
    values = value if isinstance(value, list | tuple | set | frozenset) else [value]
    ids = []
    for item in values:
        if item in (None, ""):
            continue
        try:
            ids.append(int(item))
        except (TypeError, ValueError):
            ids.append(-1)  # not an option of anything: refused below
    return ids


def clean_answers(
    questions: Iterable[PollQuestion], answers: Mapping[Any, Any]
) -> list[tuple[PollQuestion, list[PollOption], str]]:
    """(question, options chosen, text) for each answered question, in order. `answers`
    maps a question (its pk, or `answer_field(question)`) to an option pk (single), a list
    of option pks (multiple) or a string (text). Every question's error is collected:
    `ValidationError({answer_field(q): ...})`. Needs `options` prefetched."""
    errors: dict[str, ValidationError] = {}
    cleaned: list[tuple[PollQuestion, list[PollOption], str]] = []
    for question in questions:
        field = answer_field(question)
        raw = answers.get(question.pk, answers.get(field))
        if question.kind == QuestionKind.TEXT:
            text = raw.strip() if isinstance(raw, str) else ""
            if not text:
                if question.required:
                    errors[field] = ValidationError(_("Answer this question."), code="required")
                continue
            if len(text) > ANSWER_TEXT_MAX:
                errors[field] = ValidationError(
                    _("At most %(limit)d characters, please.") % {"limit": ANSWER_TEXT_MAX},
                    code="too_long",
                )
                continue
            cleaned.append((question, [], text))
            continue
        ids = _as_ids(raw)
        if not ids:
            if question.required:
                message = (
                    _("Choose an answer.")
                    if question.kind == QuestionKind.SINGLE
                    else _("Choose at least one answer.")
                )
                errors[field] = ValidationError(message, code="required")
            continue
        by_id = {option.pk: option for option in question.options.all()}
        if len(set(ids)) != len(ids) or any(pk not in by_id for pk in ids):
            errors[field] = ValidationError(
                _("Choose among this question's answers."), code="invalid"
            )
            continue
        if question.kind == QuestionKind.SINGLE and len(ids) > 1:
            errors[field] = ValidationError(_("Choose only one answer."), code="too_many")
            continue
        if question.max_choices and len(ids) > question.max_choices:
            errors[field] = ValidationError(
                ngettext(
                    "Choose at most %(count)d answer.",
                    "Choose at most %(count)d answers.",
                    question.max_choices,
                )
                % {"count": question.max_choices},
                code="too_many",
            )
            continue
        cleaned.append((question, [by_id[pk] for pk in ids], ""))
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def poll_submit(
    *, poll: Poll, user, answers: Mapping[Any, Any], ip: str | None = None
) -> Submission:
    """`user` takes part in `poll`, once. Refusals a person should read raise
    `SubmissionRefused` (already taken part, not open, not in the audience, posting
    limits); answers to fix raise `ValidationError({answer_field(question): ...})`.

    Nothing is locked: the Submission is inserted in a savepoint and the unique
    constraint on (poll, user) refuses a second one, however the two raced; then the
    answers, and the counters with `F()` (the poll's, each answered question's, each
    chosen option's) in the same transaction. Free text goes through the posting checks
    (blocked accounts, rate limits) scoped to this poll."""
    from moderation.services import PostingRefused, check_posting_allowed

    now = timezone.now()
    refusal = poll_rules.take_refusal(user, poll, now)
    if refusal is not None:
        code, message = refusal
        raise SubmissionRefused(message, code)
    questions = list(poll.questions.order_by("position", "pk").prefetch_related("options"))
    cleaned = clean_answers(questions, answers)
    texts = [text for _question, _options, text in cleaned if text]
    if texts:
        try:
            check_posting_allowed(user=user, ip=ip, text="\n".join(texts), scope=f"poll.{poll.pk}")
        except PostingRefused as refused:
            raise SubmissionRefused(refused.message, "posting") from None
    try:
        with transaction.atomic():
            submission = Submission.objects.create(poll=poll, user=user, submitted_at=now)
    except IntegrityError:
        poll_rules.remember_submitted(user, [poll.pk], {poll.pk})
        raise SubmissionRefused(
            _("You have already taken part in this poll."), "submitted"
        ) from None
    rows: list[PollAnswer] = []
    option_ids: list[int] = []
    for question, options, text in cleaned:
        if options:
            rows.extend(
                PollAnswer(submission=submission, question=question, option=option)
                for option in options
            )
            option_ids.extend(option.pk for option in options)
        else:
            rows.append(PollAnswer(submission=submission, question=question, text=text))
    PollAnswer.objects.bulk_create(rows)
    if option_ids:
        PollOption.objects.filter(pk__in=option_ids).update(vote_count=F("vote_count") + 1)
    answered = [question.pk for question, _options, _text in cleaned]
    if answered:
        PollQuestion.objects.filter(pk__in=answered).update(answer_count=F("answer_count") + 1)
    Poll.objects.filter(pk=poll.pk).update(submission_count=F("submission_count") + 1)
    poll_rules.remember_submitted(user, [poll.pk], {poll.pk})
    # Who took part is audited; what they answered is not (it is anonymous to the agency).
    audit_record(actor=user, action="poll_submitted", target=poll)
    return submission
