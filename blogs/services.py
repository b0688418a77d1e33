"""Every change to a blog question. Keyword-only, atomic, audited; notifications go out
after commit.

Who may act is checked here with the predicates of `rules.py` (`PermissionDenied`); input
a person can fix (an empty title, a missing reason) raises `ValidationError({field: ...})`
so forms show it next to the field; a refused deadline change comes from `tracking` as
`ObligationError` (a translated message fit to show).

The agency's duty to answer lives in `tracking`: publishing opens it (15 working days),
an interim answer acknowledges it, the final answer fulfils it; extension and redirect
are tracking's rules, and on a redirect the question follows the obligation's agency.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Agency, Membership
from accounts.services import audit_record
from ashyq.live import live_push
from ashyq.services import field_error, lock_row, require, required_text
from ashyq.uploads import FileKind, checked_attachments, clean_name
from tracking import services as tracking

from .models import (
    QUESTION_TITLE_MAX,
    Answer,
    Attachment,
    BlogPage,
    Question,
    QuestionCategory,
    QuestionState,
    Rating,
    RatingVerdict,
    RejectionReason,
    Support,
)

OBLIGATION_KIND = "blog_question"
KIND_PUBLISHED = "blog_question_published"
KIND_REJECTED = "blog_question_rejected"
KIND_INTERIM = "blog_question_interim_answer"
TEXT_MAX = 5000

# `gettext_lazy(...) % params` would translate at once, in the actor's language; this
# defers it, so each recipient reads the notification in their own language.
_lazy_percent = lazy(lambda message, params: str(message) % params, str)


def _attach(
    files: list[tuple[UploadedFile, FileKind]], *, question: Question, answer: Answer | None = None
) -> None:
    for upload, kind in files:
        Attachment.objects.create(
            question=question,
            answer=answer,
            file=upload,
            name=clean_name(upload.name, kind),
            size=upload.size,
            content_type=kind.content_type,
        )


def work_queue_group(agency_id: int) -> str:
    """The live group of an agency's work queue (`selectors.work_queue`)."""
    return f"blog_queue.{agency_id}"


def _push_queue(agency_id: int, question: Question) -> None:
    """Tell open work-queue pages that a row came, changed or went (after commit). The
    payload is only the question's id: the page reloads what its viewer may see."""
    live_push(
        group=work_queue_group(agency_id),
        event="blog_queue_changed",
        payload={"question": question.pk},
    )


def _notify_asker(question: Question, *, kind: str, body) -> None:
    def send() -> None:
        from notifications.services import notify

        notify(
            recipients=[question.asker_id],
            kind=kind,
            target=question,
            title=question.title,
            url=question.get_absolute_url(),
            body=body,
            data={"question": question.pk},
        )

    transaction.on_commit(send)


@transaction.atomic
def question_submit(
    *,
    blog: BlogPage,
    asker,
    title: str,
    text: str,
    category: str = QuestionCategory.OTHER,
    name_hidden: bool = False,
    attachments: Sequence[UploadedFile] = (),
    ip: str | None = None,
) -> Question:
    """A citizen asks the blog's owner. The question waits for the agency's moderators.
    It belongs to the blog, whichever language's page it was asked on (`canonical`)."""
    from moderation.services import PostingRefused, check_posting_allowed
    from notifications.services import follow

    require(asker, "blogs.ask_question", blog, _("You cannot ask a question in this blog."))
    title = required_text(
        "title", title, limit=QUESTION_TITLE_MAX, message=_("Give the question a title.")
    )
    text = required_text("text", text, limit=TEXT_MAX, message=_("Write your question."))
    if category not in QuestionCategory.values:
        raise field_error("category", _("Choose a category from the list."), "invalid")
    files = checked_attachments(attachments)
    try:
        check_posting_allowed(user=asker, ip=ip, text=f"{title}\n{text}", scope="blog_question")
    except PostingRefused as refused:
        raise field_error("text", str(refused), "refused") from refused
    blog = blog.canonical
    question = Question.objects.create(
        blog=blog,
        agency_id=blog.agency_id,
        asker=asker,
        title=title,
        text=text,
        category=category,
        name_hidden=bool(name_hidden),
        submitted_at=timezone.now(),
    )
    _attach(files, question=question)
    audit_record(actor=asker, action="blog_question_submitted", target=question, blog=blog.pk)
    follow(user=asker, target=question)
    return question


@transaction.atomic
def question_publish(*, question: Question, actor) -> Question:
    """A moderator of the agency accepts the question: it becomes public and the agency
    now owes an answer (15 working days)."""
    lock_row(question)
    require(actor, "blogs.moderate_question", question, _("You cannot moderate this question."))
    now = timezone.now()
    question.obligation = tracking.obligation_open(
        subject=question, agency=question.agency, kind=OBLIGATION_KIND, actor=actor, opened_at=now
    )
    question.state = QuestionState.PUBLISHED
    question.published_at = now
    question.moderated_by = actor
    question.save(update_fields=["state", "published_at", "moderated_by", "obligation"])
    audit_record(actor=actor, action="blog_question_published", target=question)
    _push_queue(question.agency_id, question)
    _notify_asker(
        question,
        kind=KIND_PUBLISHED,
        body=gettext_lazy("Your question was published. The agency must answer it."),
    )
    return question


@transaction.atomic
def question_reject(
    *, question: Question, actor, reason: str, duplicate_of: Question | None = None
) -> Question:
    """A moderator refuses the question with a reason from the published list (for a
    duplicate, naming the earlier published question)."""
    lock_row(question)
    require(actor, "blogs.moderate_question", question, _("You cannot moderate this question."))
    if reason not in RejectionReason.values:
        raise field_error("reason", _("Choose a reason from the list."), "invalid")
    if reason == RejectionReason.DUPLICATE:
        if (
            duplicate_of is None
            or duplicate_of.pk == question.pk
            or duplicate_of.state != QuestionState.PUBLISHED
        ):
            raise field_error(
                "duplicate_of", _("Name the published question this one repeats."), "invalid"
            )
    else:
        duplicate_of = None
    question.state = QuestionState.REJECTED
    question.rejected_at = timezone.now()
    question.rejection_reason = reason
    question.duplicate_of = duplicate_of
    question.moderated_by = actor
    question.save(
        update_fields=["state", "rejected_at", "rejection_reason", "duplicate_of", "moderated_by"]
    )
    audit_record(
        actor=actor,
        action="blog_question_rejected",
        target=question,
        reason=reason,
        duplicate_of=duplicate_of.pk if duplicate_of else None,
    )
    if duplicate_of is not None:
        body = _lazy_percent(
            gettext_lazy("Your question was not published: it repeats question #%(number)s."),
            {"number": duplicate_of.pk},
        )
    else:
        body = _lazy_percent(
            gettext_lazy("Your question was not published. Reason: %(reason)s"),
            {"reason": RejectionReason(reason).label},
        )
    _notify_asker(question, kind=KIND_REJECTED, body=body)
    return question


def _position_snapshot(user, agency: Agency) -> dict[str, str]:
    membership = (
        Membership.objects.filter(
            user=user,
            agency=agency,
            role__in=[Membership.Role.HEAD, Membership.Role.RESPONDER],
        )
        .order_by("role")  # "head" before "responder"
        .first()
    )
    if membership is None:
        return {"position_kk": "", "position_ru": "", "position_en": ""}
    return {
        "position_kk": membership.position_kk,
        "position_ru": membership.position_ru,
        "position_en": membership.position_en,
    }


@transaction.atomic
def question_answer(
    *,
    question: Question,
    responder,
    text: str,
    is_final: bool,
    attachments: Sequence[UploadedFile] = (),
) -> Answer:
    """A responder of the agency answers. An interim answer acknowledges the obligation
    (once); the final answer fulfils it and can then be rated by the asker."""
    from notifications.services import notify_followers

    lock_row(question)
    require(responder, "blogs.answer_question", question, _("You cannot answer this question."))
    text = required_text("text", text, limit=TEXT_MAX, message=_("Write the answer."))
    files = checked_attachments(attachments)
    obligation = question.obligation
    now = timezone.now()
    answer = Answer.objects.create(
        question=question,
        agency_id=question.agency_id,
        responder=responder,
        responder_name=responder.get_full_name() or responder.public_name,
        text=text,
        is_final=bool(is_final),
        created_at=now,
        **_position_snapshot(responder, question.agency),
    )
    _attach(files, question=question, answer=answer)
    if is_final:
        # tracking tells the followers (the asker and supporters) after commit.
        tracking.obligation_fulfil(obligation=obligation, actor=responder, answered_at=now)
    else:
        if obligation.first_response_at is None:
            tracking.obligation_acknowledge(obligation=obligation, actor=responder)

        def send() -> None:
            notify_followers(
                target=question,
                kind=KIND_INTERIM,
                actor=responder,
                title=question.title,
                url=question.get_absolute_url(),
                body=gettext_lazy("The agency gave an interim answer."),
                data={"question": question.pk, "answer": answer.pk},
            )

        transaction.on_commit(send)
    audit_record(
        actor=responder,
        action="blog_question_answered",
        target=question,
        answer=answer.pk,
        final=answer.is_final,
    )
    _push_queue(question.agency_id, question)
    return answer


@transaction.atomic
def question_extend(
    *, question: Question, actor, new_due_date: datetime.date, reason: str
) -> Question:
    """Extend the answer's deadline once, with a public reason (tracking's rules: at most
    two months from publication; the asker is told)."""
    require(actor, "blogs.extend_question", question, _("You cannot extend this deadline."))
    tracking.obligation_extend(
        obligation=question.obligation, new_due_date=new_due_date, reason=reason, actor=actor
    )
    audit_record(
        actor=actor,
        action="blog_question_extended",
        target=question,
        due_date=new_due_date.isoformat(),
    )
    _push_queue(question.agency_id, question)
    return question


@transaction.atomic
def question_redirect(*, question: Question, actor, to_agency: Agency, reason: str) -> Question:
    """Send the question to the competent agency within 3 working days of receiving it.
    The clock restarts there, and the question follows: the new agency answers it. The
    blog stays the one it was asked in; both agencies' records show the redirect."""
    lock_row(question)
    require(actor, "blogs.redirect_question", question, _("You cannot redirect this question."))
    from_agency_id = question.agency_id
    tracking.obligation_redirect(
        obligation=question.obligation, to_agency=to_agency, reason=reason, actor=actor
    )
    question.agency = to_agency
    question.save(update_fields=["agency"])
    audit_record(
        actor=actor,
        action="blog_question_redirected",
        target=question,
        from_agency=from_agency_id,
        to_agency=to_agency.pk,
    )
    _push_queue(from_agency_id, question)
    _push_queue(to_agency.pk, question)
    return question


@transaction.atomic
def question_rate(*, question: Question, asker, verdict: str, comment: str = "") -> Rating:
    """The asker's verdict on the final answer: once."""
    require(asker, "blogs.rate_question", question, _("You cannot rate this answer."))
    if verdict not in RatingVerdict.values:
        raise field_error("verdict", _("Choose one of the verdicts."), "invalid")
    rating = Rating.objects.create(
        question=question,
        asker=asker,
        verdict=verdict,
        comment=(comment or "").strip()[:TEXT_MAX],
        created_at=timezone.now(),
    )
    question.rating = rating
    if question.obligation_id:
        # The agency's scorecard counts the verdict (satisfied, a brush-off) on the answer.
        tracking.obligation_rate(
            obligation=question.obligation, verdict=verdict, at=rating.created_at, actor=asker
        )
    audit_record(actor=asker, action="blog_question_rated", target=question, verdict=verdict)
    return rating


@transaction.atomic
def question_support(*, question: Question, user) -> bool:
    """ "I want to know too". Idempotent: returns False when the person already supports
    it. Supporters follow the question (they are told of its answer)."""
    from notifications.services import follow

    require(user, "blogs.support_question", question, _("You cannot support this question."))
    _support, created = Support.objects.get_or_create(question=question, user=user)
    if created:
        Question.objects.filter(pk=question.pk).update(support_count=F("support_count") + 1)
        follow(user=user, target=question)
    return created


@transaction.atomic
def question_hide(*, question: Question, reason: str, actor, note: str = "") -> Question:
    """A moderator hides a published question (abuse, personal data). The text and the
    agency's obligation stay: the asker is still owed an answer."""
    from moderation.models import HideReason

    lock_row(question)
    require(actor, "blogs.hide_question", question, _("You cannot moderate this question."))
    if question.hidden_at is not None:
        return question
    if reason not in HideReason.values:
        raise field_error("reason", _("Choose a reason from the list."), "invalid")
    question.hidden_at = timezone.now()
    question.hidden_reason = reason
    question.hidden_note = note
    question.save(update_fields=["hidden_at", "hidden_reason", "hidden_note"])
    audit_record(actor=actor, action="blog_question_hidden", target=question, reason=reason)
    return question


@transaction.atomic
def question_restore(*, question: Question, actor) -> Question:
    lock_row(question)
    require(actor, "blogs.hide_question", question, _("You cannot moderate this question."))
    if question.hidden_at is None:
        return question
    previous = {"reason": question.hidden_reason, "note": question.hidden_note}
    question.hidden_at = None
    question.hidden_reason = ""
    question.hidden_note = ""
    question.save(update_fields=["hidden_at", "hidden_reason", "hidden_note"])
    audit_record(actor=actor, action="blog_question_restored", target=question, **previous)
    return question


@transaction.atomic
def question_create_published(
    *,
    blog: BlogPage,
    asker,
    title: str,
    text: str,
    submitted_at: datetime.datetime,
    actor,
    category: str = QuestionCategory.OTHER,
    notice=None,
) -> Question:
    """A question asked and moderated elsewhere on the platform (an internet conference
    ended without answering it) enters the blog already published: the agency owes an
    answer from now (15 working days), the asker follows it and is told (`notice`, a lazy
    text, or the usual "published" one). Only the blog agency's moderators or head, or a
    platform moderator, may bring it in; the caller keeps the link to where it came from
    (the reverse relation on the question)."""
    from django.core.exceptions import PermissionDenied

    from accounts.rules import is_active_account, is_agency_moderator, is_platform_moderator
    from notifications.services import follow

    blog = blog.canonical
    if not (
        is_active_account(actor)
        and (
            actor.is_superuser
            or is_agency_moderator(actor, blog.agency)
            or is_platform_moderator(actor)
        )
    ):
        raise PermissionDenied(_("You cannot moderate this question."))
    if not (blog.live and blog.accepts_questions):
        raise PermissionDenied(_("This blog does not accept new questions at the moment."))
    title = required_text(
        "title", title, limit=QUESTION_TITLE_MAX, message=_("Give the question a title.")
    )
    text = required_text("text", text, limit=TEXT_MAX, message=_("Write your question."))
    if category not in QuestionCategory.values:
        raise field_error("category", _("Choose a category from the list."), "invalid")
    now = timezone.now()
    question = Question.objects.create(
        blog=blog,
        agency_id=blog.agency_id,
        asker=asker,
        title=title,
        text=text,
        category=category,
        submitted_at=min(submitted_at, now),
        state=QuestionState.PUBLISHED,
        published_at=now,
        moderated_by=actor,
    )
    question.obligation = tracking.obligation_open(
        subject=question, agency=question.agency, kind=OBLIGATION_KIND, actor=actor, opened_at=now
    )
    question.save(update_fields=["obligation"])
    follow(user=asker, target=question)
    audit_record(actor=actor, action="blog_question_published", target=question, transferred=True)
    _push_queue(question.agency_id, question)
    _notify_asker(
        question,
        kind=KIND_PUBLISHED,
        body=notice or gettext_lazy("Your question was published. The agency must answer it."),
    )
    return question
