"""Every change to an internet conference and its questions. Keyword-only, atomic,
audited (`accounts.services.audit_record`); notifications and live pushes go out after
commit.

Who may act is checked here with the predicates of `rules.py` through `rules.has_perm`
(`PermissionDenied` with a message fit to show), so the phase decides for superusers too;
input a person can fix raises `ValidationError({field: ...})`.

Live (docs/conferences.md, "Live contract"): answering pushes `conference_answer` to the
group `conference.<pk>` with everything a page needs to show the answer without another
request, stamped `sent_at` (epoch seconds) when it is handed to the channel layer;
publishing pushes `conference_question_published`, hiding `conference_question_hidden`,
editing or cancelling `conference_changed`.
"""

from __future__ import annotations

import datetime
import time
from typing import Any

import rules
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Agency, Membership
from accounts.services import audit_record
from ashyq.live import live_push
from ashyq.services import field_error, lock_row, required_text
from dialogue.text import render

from . import selectors
from .models import (
    ANSWER_MAX,
    DESCRIPTION_MAX,
    NOTE_MAX,
    QUESTION_MAX,
    TOPIC_MAX,
    Conference,
    ConferenceQuestion,
    ConferenceState,
    Phase,
    QuestionState,
    QuestionVote,
    RejectionReason,
    live_group,
)

# Notification kinds (registered in apps.py).
KIND_PUBLISHED = "conference_question_published"
KIND_REJECTED = "conference_question_rejected"
KIND_ANSWERED = "conference_question_answered"
KIND_CANCELLED = "conference_cancelled"
# Live events on the group `conference.<pk>`.
EVENT_ANSWER = "conference_answer"
EVENT_PUBLISHED = "conference_question_published"
EVENT_HIDDEN = "conference_question_hidden"
EVENT_CHANGED = "conference_changed"

MAX_DURATION = datetime.timedelta(hours=12)
BLOG_TITLE_MAX = 150
POSITION_ROLES = (
    Membership.Role.HEAD,
    Membership.Role.RESPONDER,
    Membership.Role.MODERATOR,
    Membership.Role.DRAFTER,
)

# `gettext_lazy(...) % params` would translate at once, in the actor's language; this
# defers it, so each recipient reads the notification in their own language.
_lazy_percent = lazy(lambda message, params: str(message) % params, str)


def _require(user, perm: str, obj, message) -> None:
    """`PermissionDenied(message)` unless the rules allow it (see rules.py on superusers)."""
    if not rules.has_perm(perm, user, obj):
        raise PermissionDenied(message)


def _optional_text(field: str, value: str, limit: int) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise field_error(
            field, _("At most %(limit)d characters, please.") % {"limit": limit}, "too_long"
        )
    return value


def _push_after_commit(conference_id: int, event: str, payload: dict[str, Any]) -> None:
    """`live_push` once the transaction commits, with `sent_at` taken then (the latency a
    viewer sees is measured from it, so it must not include the transaction)."""

    def send() -> None:
        live_push(
            group=live_group(conference_id),
            event=event,
            payload={**payload, "sent_at": time.time()},
        )

    transaction.on_commit(send)


def _notify_on_commit(*, recipients, kind: str, target, title: str, url: str, body) -> None:
    def send() -> None:
        from notifications.services import notify

        notify(recipients=recipients, kind=kind, target=target, title=title, url=url, body=body)

    transaction.on_commit(send)


# --- the official ---------------------------------------------------------------------------


def person_snapshot(user, agency: Agency) -> dict[str, str]:
    """The name and position a person signs with for `agency` (head first, then the other
    roles; the first membership with a position gives it), as today."""
    memberships = {
        membership.role: membership
        for membership in Membership.objects.filter(user=user, agency=agency)
    }
    chosen = next(
        (
            memberships[role]
            for role in POSITION_ROLES
            if role in memberships
            and (
                memberships[role].position_kk
                or memberships[role].position_ru
                or memberships[role].position_en
            )
        ),
        None,
    )
    return {
        "name": user.get_full_name() or user.public_name,
        "position_kk": chosen.position_kk if chosen else "",
        "position_ru": chosen.position_ru if chosen else "",
        "position_en": chosen.position_en if chosen else "",
    }


def _check_official(official, agency: Agency) -> dict[str, str]:
    if (
        official is None
        or not official.is_active
        or official.is_deleted
        or not Membership.objects.filter(user=official, agency=agency).exists()
    ):
        raise field_error(
            "official", _("Choose an official who is a member of the agency."), "invalid"
        )
    snapshot = person_snapshot(official, agency)
    return {
        "official_name": snapshot["name"],
        "official_position_kk": snapshot["position_kk"],
        "official_position_ru": snapshot["position_ru"],
        "official_position_en": snapshot["position_en"],
    }


def _check_times(
    starts_at: datetime.datetime | None,
    ends_at: datetime.datetime | None,
    *,
    now: datetime.datetime,
    starts_in_future: bool,
) -> None:
    if starts_at is None:
        raise field_error("starts_at", _("Give the start date and time."), "empty")
    if ends_at is None:
        raise field_error("ends_at", _("Give the end date and time."), "empty")
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValueError("Conference times must be aware datetimes.")
    if starts_in_future and starts_at <= now:
        raise field_error("starts_at", _("The conference must start in the future."), "past")
    if ends_at <= starts_at:
        raise field_error("ends_at", _("The conference must end after it starts."), "order")
    if ends_at - starts_at > MAX_DURATION:
        raise field_error("ends_at", _("A conference lasts at most 12 hours."), "too_long")


# --- conferences ----------------------------------------------------------------------------


@transaction.atomic
def conference_schedule(
    *,
    agency: Agency,
    official,
    topic: str,
    description: str = "",
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    actor,
) -> Conference:
    """The agency's head or moderator schedules a conference of one of its members.
    Questions are accepted from now until the conference ends."""
    _require(
        actor,
        "conferences.schedule_conference",
        agency,
        _("You cannot schedule conferences for this agency."),
    )
    topic = required_text("topic", topic, limit=TOPIC_MAX, message=_("Give the topic."))
    description = _optional_text("description", description, DESCRIPTION_MAX)
    snapshot = _check_official(official, agency)
    _check_times(starts_at, ends_at, now=timezone.now(), starts_in_future=True)
    conference = Conference.objects.create(
        agency=agency,
        official=official,
        topic=topic,
        description=description,
        starts_at=starts_at,
        ends_at=ends_at,
        created_by=actor,
        **snapshot,
    )
    audit_record(
        actor=actor,
        action="conference_scheduled",
        target=conference,
        agency=agency.pk,
        official=official.pk,
        starts_at=starts_at.isoformat(),
        ends_at=ends_at.isoformat(),
    )
    return conference


@transaction.atomic
def conference_update(*, conference: Conference, actor, **changes) -> Conference:
    """Change a conference before it starts (everything), or while it is live (the topic,
    the description and the end: to run longer, or to end it now). Viewers are told."""
    lock_row(conference)
    _require(
        actor, "conferences.change_conference", conference, _("You cannot change this conference.")
    )
    allowed = {"topic", "description", "official", "starts_at", "ends_at"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"conference_update() cannot change {sorted(unknown)}")
    now = timezone.now()
    live = conference.phase(now) == Phase.LIVE
    if live:
        for field in ("official", "starts_at"):
            if field in changes and changes[field] != getattr(conference, field):
                raise field_error(
                    field,
                    _("The conference has started: only its topic, description and end change."),
                    "started",
                )
    topic = required_text(
        "topic",
        changes.get("topic", conference.topic),
        limit=TOPIC_MAX,
        message=_("Give the topic."),
    )
    description = _optional_text(
        "description", changes.get("description", conference.description), DESCRIPTION_MAX
    )
    starts_at = changes.get("starts_at", conference.starts_at)
    ends_at = changes.get("ends_at", conference.ends_at)
    if live:
        _check_times(starts_at, ends_at, now=now, starts_in_future=False)
        if ends_at < now:
            raise field_error(
                "ends_at",
                _("The end cannot be in the past. To end it now, give the current time."),
                "past",
            )
    else:
        _check_times(
            starts_at,
            ends_at,
            now=now,
            starts_in_future=starts_at != conference.starts_at,
        )
    previous = {
        "topic": conference.topic,
        "official": conference.official_id,
        "starts_at": conference.starts_at.isoformat(),
        "ends_at": conference.ends_at.isoformat(),
    }
    fields = ["topic", "description", "starts_at", "ends_at", "updated_at"]
    official = changes.get("official", conference.official)
    if not live and official.pk != conference.official_id:
        snapshot = _check_official(official, conference.agency)
        conference.official = official
        for name, value in snapshot.items():
            setattr(conference, name, value)
        fields += ["official", *snapshot]
    conference.topic = topic
    conference.description = description
    conference.starts_at = starts_at
    conference.ends_at = ends_at
    conference.save(update_fields=fields)
    audit_record(
        actor=actor,
        action="conference_updated",
        target=conference,
        fields=sorted(changes),
        previous=previous,
    )
    _push_after_commit(
        conference.pk,
        EVENT_CHANGED,
        {
            "conference_id": conference.pk,
            "starts_at": starts_at.isoformat(),
            "ends_at": ends_at.isoformat(),
        },
    )
    return conference


@transaction.atomic
def conference_cancel(*, conference: Conference, actor, reason: str) -> Conference:
    """Cancel before it starts, with a public reason. The conference and its questions
    stay (as cancelled); everyone who asked is told."""
    lock_row(conference)
    _require(
        actor, "conferences.cancel_conference", conference, _("You cannot cancel this conference.")
    )
    reason = required_text(
        "reason", reason, limit=NOTE_MAX, message=_("Say why the conference is cancelled.")
    )
    conference.state = ConferenceState.CANCELLED
    conference.cancelled_at = timezone.now()
    conference.cancelled_by = actor
    conference.cancellation_reason = reason
    conference.save(
        update_fields=["state", "cancelled_at", "cancelled_by", "cancellation_reason", "updated_at"]
    )
    audit_record(actor=actor, action="conference_cancelled", target=conference, reason=reason)
    askers = list(
        ConferenceQuestion.objects.filter(conference=conference)
        .exclude(state=QuestionState.REJECTED)
        .values_list("author_id", flat=True)
        .distinct()
    )
    _notify_on_commit(
        recipients=askers,
        kind=KIND_CANCELLED,
        target=conference,
        title=conference.topic,
        url=conference.get_absolute_url(),
        body=_lazy_percent(
            gettext_lazy("The conference you sent a question to was cancelled. Reason: %(reason)s"),
            {"reason": reason},
        ),
    )
    _push_after_commit(
        conference.pk, EVENT_CHANGED, {"conference_id": conference.pk, "cancelled": True}
    )
    return conference


# --- questions ------------------------------------------------------------------------------


def _question_payload(question: ConferenceQuestion) -> dict[str, Any]:
    return {
        "conference_id": question.conference_id,
        "question_id": question.pk,
        "question_text": question.text,
        "question_author": question.author.public_name,
        "vote_count": question.vote_count,
    }


@transaction.atomic
def question_submit(
    *, conference: Conference, author, text: str, ip: str | None = None
) -> ConferenceQuestion:
    """A citizen sends a question while the conference takes them (upcoming or live). It
    waits for the moderators; the author is told when it is published or rejected."""
    from moderation.services import PostingRefused, check_posting_allowed

    _require(
        author,
        "conferences.ask_question",
        conference,
        _("Questions to this conference are closed.")
        if not conference.takes_questions()
        else _("You cannot ask a question at this conference."),
    )
    text = required_text("text", text, limit=QUESTION_MAX, message=_("Write your question."))
    try:
        check_posting_allowed(user=author, ip=ip, text=text, scope="conference_question")
    except PostingRefused as refused:
        raise field_error("text", str(refused), "refused") from refused
    question = ConferenceQuestion.objects.create(
        conference=conference, author=author, text=text, submitted_at=timezone.now()
    )
    Conference.objects.filter(pk=conference.pk).update(pending_count=F("pending_count") + 1)
    audit_record(actor=author, action="conference_question_submitted", target=question)
    return question


@transaction.atomic
def question_publish(*, question: ConferenceQuestion, actor) -> ConferenceQuestion:
    """A moderator publishes the question: it can be voted on and answered. Open pages
    show it at once (`conference_question_published`); the author is told."""
    lock_row(question)
    _require(
        actor, "conferences.moderate_question", question, _("You cannot moderate this question.")
    )
    question.state = QuestionState.PUBLISHED
    question.published_at = timezone.now()
    question.moderated_by = actor
    question.save(update_fields=["state", "published_at", "moderated_by"])
    Conference.objects.filter(pk=question.conference_id).update(
        pending_count=F("pending_count") - 1, question_count=F("question_count") + 1
    )
    audit_record(actor=actor, action="conference_question_published", target=question)
    conference = question.conference
    _notify_on_commit(
        recipients=[question.author_id],
        kind=KIND_PUBLISHED,
        target=conference,
        title=conference.topic,
        url=question.get_absolute_url(),
        body=gettext_lazy("Your question to the internet conference was published."),
    )
    _push_after_commit(
        question.conference_id,
        EVENT_PUBLISHED,
        {**_question_payload(question), "published_at": question.published_at.isoformat()},
    )
    return question


@transaction.atomic
def question_reject(
    *, question: ConferenceQuestion, actor, reason: str, note: str = ""
) -> ConferenceQuestion:
    """A moderator refuses the question with a reason from the published list (and a
    note); the author sees both."""
    lock_row(question)
    _require(
        actor, "conferences.moderate_question", question, _("You cannot moderate this question.")
    )
    if reason not in RejectionReason.values:
        raise field_error("reason", _("Choose a reason from the list."), "invalid")
    note = _optional_text("note", note, NOTE_MAX)
    question.state = QuestionState.REJECTED
    question.rejected_at = timezone.now()
    question.rejection_reason = reason
    question.rejection_note = note
    question.moderated_by = actor
    question.save(
        update_fields=["state", "rejected_at", "rejection_reason", "rejection_note", "moderated_by"]
    )
    Conference.objects.filter(pk=question.conference_id).update(
        pending_count=F("pending_count") - 1
    )
    audit_record(actor=actor, action="conference_question_rejected", target=question, reason=reason)
    conference = question.conference
    _notify_on_commit(
        recipients=[question.author_id],
        kind=KIND_REJECTED,
        target=conference,
        title=conference.topic,
        url=conference.get_absolute_url(),
        body=_lazy_percent(
            gettext_lazy(
                "Your question to the internet conference was not published. Reason: %(reason)s"
            ),
            {"reason": RejectionReason(reason).label},
        ),
    )
    return question


@transaction.atomic
def question_vote(*, question: ConferenceQuestion, user) -> bool:
    """Up-vote a published question (not one's own) while questions are open. Returns
    False when the person had already voted: one vote each, by the unique constraint."""
    _require(user, "conferences.vote_question", question, _("You cannot vote for this question."))
    try:
        with transaction.atomic():
            QuestionVote.objects.create(question=question, user=user)
    except IntegrityError:  # voted already (perhaps a moment ago, in another request)
        return False
    ConferenceQuestion.objects.filter(pk=question.pk).update(vote_count=F("vote_count") + 1)
    question.vote_count += 1
    return True


@transaction.atomic
def question_unvote(*, question: ConferenceQuestion, user) -> bool:
    """Take one's vote back while questions are open and it is unanswered."""
    if not (
        rules.has_perm("accounts.participate", user)
        and question.conference.takes_questions()
        and question.answered_at is None
    ):
        raise PermissionDenied(_("You cannot change your vote now."))
    deleted, _rows = QuestionVote.objects.filter(question=question, user=user).delete()
    if not deleted:
        return False
    ConferenceQuestion.objects.filter(pk=question.pk).update(vote_count=F("vote_count") - 1)
    question.vote_count -= 1
    return True


def answer_payload(question: ConferenceQuestion) -> dict[str, Any]:
    """The `conference_answer` event's payload (without `sent_at`): everything a page
    needs to show the answer. docs/conferences.md has the schema."""
    conference = question.conference
    return {
        **_question_payload(question),
        "answer_text": question.answer_text,
        "answer_html": question.answer_html,
        "answered_at": question.answered_at.isoformat(),
        "answerer_name": question.answered_by_name,
        "answerer_position": {
            "kk": question.answered_by_position_kk,
            "ru": question.answered_by_position_ru,
            "en": question.answered_by_position_en,
        },
        "on_behalf": question.answered_by_id != conference.official_id,
        "official_name": conference.official_name,
        "official_position": {
            "kk": conference.official_position_kk,
            "ru": conference.official_position_ru,
            "en": conference.official_position_en,
        },
        "answered_count": conference.answered_count,
    }


@transaction.atomic
def question_answer(*, question: ConferenceQuestion, actor, text: str) -> ConferenceQuestion:
    """The official answers during the live window, or the agency's head or a responder
    on their behalf (who actually answered is kept and shown). Every open page gets the
    answer over the websocket (`conference_answer`); the author and the voters are told."""
    lock_row(question)
    conference = lock_row(question.conference)
    _require(actor, "conferences.use_studio", conference, _("You cannot answer this question."))
    if conference.phase() != Phase.LIVE:
        raise PermissionDenied(_("Questions are answered only while the conference is live."))
    if question.answered_at is not None:
        raise PermissionDenied(_("This question has already been answered."))
    _require(actor, "conferences.answer_question", question, _("You cannot answer this question."))
    text = required_text("text", text, limit=ANSWER_MAX, message=_("Write the answer."))
    snapshot = person_snapshot(actor, conference.agency)
    question.answer_text = text
    question.answer_html = render(text)
    question.answered_at = timezone.now()
    question.answered_by = actor
    question.answered_by_name = snapshot["name"]
    question.answered_by_position_kk = snapshot["position_kk"]
    question.answered_by_position_ru = snapshot["position_ru"]
    question.answered_by_position_en = snapshot["position_en"]
    question.save(
        update_fields=[
            "answer_text",
            "answer_html",
            "answered_at",
            "answered_by",
            "answered_by_name",
            "answered_by_position_kk",
            "answered_by_position_ru",
            "answered_by_position_en",
        ]
    )
    if question.hidden_at is None:
        Conference.objects.filter(pk=conference.pk).update(answered_count=F("answered_count") + 1)
        conference.answered_count += 1
    audit_record(
        actor=actor,
        action="conference_question_answered",
        target=question,
        on_behalf_of=conference.official_id if actor.pk != conference.official_id else None,
    )
    voters = list(QuestionVote.objects.filter(question=question).values_list("user_id", flat=True))
    _notify_on_commit(
        recipients=[question.author_id, *voters],
        kind=KIND_ANSWERED,
        target=conference,
        title=conference.topic,
        url=question.get_absolute_url(),
        body=gettext_lazy(
            "A question you asked or voted for was answered at the internet conference."
        ),
    )
    _push_after_commit(conference.pk, EVENT_ANSWER, answer_payload(question))
    return question


@transaction.atomic
def question_hide(
    *, question: ConferenceQuestion, reason: str, actor, note: str = ""
) -> ConferenceQuestion:
    """A moderator hides a published question (abuse, personal data): the text and any
    answer stay, the public sees a placeholder with the reason. Open pages are told."""
    from moderation.models import HideReason

    lock_row(question)
    _require(actor, "conferences.hide_question", question, _("You cannot moderate this question."))
    if question.hidden_at is not None:
        return question
    if reason not in HideReason.values:
        raise field_error("reason", _("Choose a reason from the list."), "invalid")
    question.hidden_at = timezone.now()
    question.hidden_reason = reason
    question.hidden_note = (note or "").strip()
    question.save(update_fields=["hidden_at", "hidden_reason", "hidden_note"])
    Conference.objects.filter(pk=question.conference_id).update(
        question_count=F("question_count") - 1,
        answered_count=F("answered_count") - (1 if question.answered_at else 0),
    )
    audit_record(actor=actor, action="conference_question_hidden", target=question, reason=reason)
    _push_after_commit(
        question.conference_id,
        EVENT_HIDDEN,
        {"conference_id": question.conference_id, "question_id": question.pk, "reason": reason},
    )
    return question


@transaction.atomic
def question_restore(*, question: ConferenceQuestion, actor) -> ConferenceQuestion:
    lock_row(question)
    _require(actor, "conferences.hide_question", question, _("You cannot moderate this question."))
    if question.hidden_at is None:
        return question
    previous = {"reason": question.hidden_reason, "note": question.hidden_note}
    question.hidden_at = None
    question.hidden_reason = ""
    question.hidden_note = ""
    question.save(update_fields=["hidden_at", "hidden_reason", "hidden_note"])
    Conference.objects.filter(pk=question.conference_id).update(
        question_count=F("question_count") + 1,
        answered_count=F("answered_count") + (1 if question.answered_at else 0),
    )
    audit_record(actor=actor, action="conference_question_restored", target=question, **previous)
    return question


# --- after the conference -------------------------------------------------------------------


class ConversionUnavailable(PermissionDenied):
    """The agency has no published blog taking questions; `str(error)` says so."""


def conversion_blog(conference: Conference):
    """The blog unanswered questions of `conference` go to, or `ConversionUnavailable`
    with the reason."""
    blog = selectors.blog_for(conference)
    if blog is None:
        raise ConversionUnavailable(
            _(
                "The agency has no official blog, so unanswered questions cannot be sent "
                "there. Ask the platform's editors to open a blog for the official."
            )
        )
    if not blog.accepts_questions:
        raise ConversionUnavailable(
            _("The official's blog does not accept new questions at the moment.")
        )
    return blog


def blog_title(text: str) -> str:
    """A blog question's title from a conference question's text: its start, on one line."""
    return Truncator(" ".join(text.split())).chars(BLOG_TITLE_MAX)


@transaction.atomic
def question_convert_to_blog(*, question: ConferenceQuestion, actor):
    """After the conference, the agency's head or moderator turns a published question
    the official did not answer into a published question in the official's blog: the
    agency then owes an answer (the blog's 15 working days), the author is told and
    follows it. Each question converts once; both sides keep the link."""
    from blogs import services as blog_services

    lock_row(question)
    _require(
        actor,
        "conferences.convert_question",
        question,
        _("This question cannot be made a blog question."),
    )
    conference = question.conference
    blog = conversion_blog(conference)
    now = timezone.now()
    blog_question = blog_services.question_create_published(
        blog=blog,
        asker=question.author,
        title=blog_title(question.text),
        text=question.text,
        submitted_at=question.submitted_at,
        actor=actor,
        notice=_lazy_percent(
            gettext_lazy(
                "Your question to the internet conference “%(topic)s” was not answered "
                "there, so it was published in the official's blog. The agency must answer it."
            ),
            {"topic": conference.topic},
        ),
    )
    question.blog_question = blog_question
    question.converted_at = now
    question.converted_by = actor
    question.save(update_fields=["blog_question", "converted_at", "converted_by"])
    audit_record(
        actor=actor,
        action="conference_question_converted",
        target=question,
        blog_question=blog_question.pk,
    )
    return blog_question
