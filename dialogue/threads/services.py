"""Every change to a discussion thread. Keyword-only, atomic, audited
(`accounts.services.audit_record`); notifications and live pushes go out after commit.

Who may act is checked here with the predicates of `rules.py` (`PermissionDenied` with a
message fit to show); input a person can fix raises `ValidationError({field: ...})`.

The agency's duty to reply lives in `tracking` as a `threads.reply` obligation:

- it opens when a support makes `support_count` reach THREADS_SUPPORT_LEVEL on a thread
  that is addressed to an agency, open (neither hidden nor withdrawn), has no official
  reply yet and no running duty. The thread row is locked for every support, so the
  check and the opening are decided one support after another: concurrent supports open
  it exactly once;
- the first official comment of the addressee (`Comment.is_official`, posted by one of
  its heads or responders "on behalf of the agency") fulfils it, whatever view or API
  posted it: `on_comment_posted` runs inside the conversation layer's `comment_post`
  transaction. It is answered at the comment's `posted_at`, with the outcome
  `official_reply` and the comment's opening words as the outcome text;
- a moderator hiding the thread withdraws it (nothing is owed on hidden content, and the
  agency could not reply there); restoring the thread opens a fresh one if the support
  is still at the level;
- the agency may extend it once (to two months at most) or redirect it to the competent
  agency within 3 working days (`thread_extend`, `thread_redirect`): the thread then
  follows, addressed to the new agency, whose responders reply.

Lowering or raising the level later changes nothing for duties already opened; a thread
already over a lowered level opens its duty with its next support.
"""

from __future__ import annotations

import datetime

import rules
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext as _

from accounts.models import Agency, Membership
from accounts.regions import Region
from accounts.services import audit_record
from ashyq.live import live_push, object_group
from ashyq.services import field_error, lock_row, required_text
from dialogue.text import plain_excerpt, render
from tracking import services as tracking

from .models import TEXT_MAX, TITLE_MAX, Thread, ThreadCategory, ThreadSupport, support_level

OBLIGATION_KIND = "threads.reply"
OUTCOME_OFFICIAL_REPLY = "official_reply"
# Notification kinds (registered in apps.py).
KIND_REPLY_DUE = "thread_reply_due"  # followers: the thread reached the support level
KIND_REPLY_OWED = "thread_reply_owed"  # the addressee's heads and responders
# Live events.
EVENT_CHANGED = "thread_changed"  # the thread page: its reply status or visibility changed
EVENT_QUEUE = "threads_queue_changed"  # the agency page: a row came, changed or went


def thread_group(thread_id: int) -> str:
    return object_group("thread", thread_id)


def agency_queue_group(agency_id: int) -> str:
    return object_group("threads_agency", agency_id)


def require(user, perm: str, obj, message) -> None:
    """`PermissionDenied(message)` unless the rule `perm` allows it. The rules themselves,
    not `user.has_perm`: Django grants a superuser every permission, which would let one
    support a hidden thread or extend another agency's deadline; the rules name
    superusers where they apply (moderation)."""
    if not rules.has_perm(perm, user, obj):
        raise PermissionDenied(message)


def _told(message: str, **params):
    """`message` (marked with gettext_noop) translated and filled in when it is shown:
    notifications render title and body once per recipient language, so each person
    reads it, the agency's name and the date in their own language. Callable params are
    called then."""

    def text() -> str:
        values = {key: value() if callable(value) else value for key, value in params.items()}
        return gettext(message) % values

    return lazy(text, str)()


def _push(thread: Thread, *agency_ids: int | None) -> None:
    """Tell open pages after commit: the thread's own, and the agencies' reply queues."""
    live_push(group=thread_group(thread.pk), event=EVENT_CHANGED, payload={"thread": thread.pk})
    for agency_id in dict.fromkeys(agency_ids):
        if agency_id:
            live_push(
                group=agency_queue_group(agency_id),
                event=EVENT_QUEUE,
                payload={"thread": thread.pk},
            )


# --- starting and withdrawing ------------------------------------------------------------


def _check_category(category: str) -> str:
    if category not in ThreadCategory.values:
        raise field_error("category", _("Choose a category from the list."), "invalid")
    return category


def _check_region(region: str) -> str:
    region = region or ""
    if region and region not in Region.values:
        raise field_error("region", _("Choose a region from the list."), "invalid")
    return region


def _check_addressee(addressee: Agency | None) -> Agency | None:
    if addressee is not None and not addressee.is_active:
        raise field_error("addressee", _("Choose an agency from the list."), "invalid")
    return addressee


@transaction.atomic
def thread_start(
    *,
    author,
    title: str,
    text: str,
    category: str,
    region: str = "",
    addressee: Agency | None = None,
    ip: str | None = None,
) -> Thread:
    """A verified, unblocked citizen starts a thread. It is public at once (moderated
    after publication). The author follows it."""
    from moderation.services import PostingRefused, check_posting_allowed
    from notifications.services import follow

    require(author, "threads.start_thread", None, _("You cannot start a discussion."))
    title = required_text(
        "title", title, limit=TITLE_MAX, message=_("Give the discussion a title.")
    )
    text = required_text("text", text, limit=TEXT_MAX, message=_("Write what you want to discuss."))
    category = _check_category(category)
    region = _check_region(region)
    addressee = _check_addressee(addressee)
    try:
        check_posting_allowed(user=author, ip=ip, text=f"{title}\n{text}", scope="thread")
    except PostingRefused as refused:
        raise field_error("text", refused.message, "refused") from refused
    now = timezone.now()
    thread = Thread.objects.create(
        author=author,
        title=title,
        text=text,
        html=render(text),
        category=category,
        region=region,
        addressee=addressee,
        created_at=now,
        last_activity_at=now,
    )
    follow(user=author, target=thread)
    audit_record(
        actor=author,
        action="thread_started",
        target=thread,
        addressee=addressee.slug if addressee else None,
    )
    return thread


@transaction.atomic
def thread_withdraw(*, thread: Thread, actor) -> Thread:
    """The author withdraws the thread: its text stays (the page says it was withdrawn),
    replies and support stop. Refused while the agency owes its official reply."""
    lock_row(thread)
    require(
        actor,
        "threads.withdraw_thread",
        thread,
        _(
            "Only the author can withdraw a discussion, and not while an agency owes its "
            "official reply."
        ),
    )
    thread.withdrawn_at = timezone.now()
    thread.save(update_fields=["withdrawn_at"])
    audit_record(actor=actor, action="thread_withdrawn", target=thread)
    _push(thread)
    return thread


# --- support -------------------------------------------------------------------------------


@transaction.atomic
def thread_support(*, thread: Thread, user) -> bool:
    """Support the thread. Idempotent: False when the person already supports it. The
    supporter follows the thread (they hear of the agency's reply). The support that makes
    the count reach the level opens the addressee's duty to reply."""
    from notifications.services import follow

    lock_row(thread)
    require(user, "threads.support_thread", thread, _("You cannot support this discussion."))
    if ThreadSupport.objects.filter(thread=thread, user=user).exists():
        return False
    now = timezone.now()
    try:
        with transaction.atomic():
            ThreadSupport.objects.create(thread=thread, user=user, created_at=now)
    except IntegrityError:  # only if something bypassed the lock
        return False
    Thread.objects.filter(pk=thread.pk).update(support_count=F("support_count") + 1)
    thread.support_count += 1  # exact: the row is locked
    follow(user=user, target=thread)
    audit_record(actor=user, action="thread_supported", target=thread)
    _open_duty_if_due(thread, now)
    return True


@transaction.atomic
def thread_unsupport(*, thread: Thread, user) -> bool:
    """Take one's support back while the thread is open. False when there was none. A duty
    already opened stays: it arose when the level was reached."""
    lock_row(thread)
    require(user, "threads.unsupport_thread", thread, _("This discussion is closed."))
    deleted, _rows = ThreadSupport.objects.filter(thread=thread, user=user).delete()
    if not deleted:
        return False
    Thread.objects.filter(pk=thread.pk).update(support_count=F("support_count") - 1)
    thread.support_count -= 1
    audit_record(actor=user, action="thread_unsupported", target=thread)
    return True


def _owes_new_duty(thread: Thread) -> bool:
    """Addressed, open, unanswered, at the level, and no duty running (one that was
    withdrawn when the thread was hidden does not count). Call with the row locked."""
    if thread.addressee_id is None or not thread.is_open or thread.official_reply_id:
        return False
    if thread.support_count < support_level():
        return False
    obligation = thread.obligation if thread.obligation_id else None
    return obligation is None or obligation.withdrawn_at is not None


def _open_duty_if_due(thread: Thread, now: datetime.datetime) -> None:
    if not _owes_new_duty(thread):
        return
    thread.obligation = tracking.obligation_open(
        subject=thread, agency=thread.addressee, kind=OBLIGATION_KIND, actor=None, opened_at=now
    )
    thread.save(update_fields=["obligation"])
    audit_record(
        actor=None,
        action="thread_reply_due",
        target=thread,
        support=thread.support_count,
        obligation=thread.obligation_id,
    )
    _announce_duty(thread)
    _push(thread, thread.addressee_id)


def _announce_duty(thread: Thread) -> None:
    """After commit: the followers (the author, supporters, commenters) hear that the
    agency must now reply; the agency's heads and responders that it owes the reply."""
    from notifications.services import notify, notify_followers

    obligation = thread.obligation
    agency = thread.addressee
    data = {"thread": thread.pk, "obligation": obligation.pk}

    def send() -> None:
        due = timezone.localtime(obligation.due_at).date()
        notify_followers(
            target=thread,
            kind=KIND_REPLY_DUE,
            title=thread.title,
            url=thread.get_absolute_url(),
            body=_told(
                gettext_noop(
                    "The discussion has enough supporters: %(agency)s must reply officially "
                    "by %(date)s."
                ),
                agency=lambda: agency.name,
                date=lambda: date_format(due, "DATE_FORMAT"),
            ),
            data=data,
        )
        notify(
            recipients=list(
                Membership.objects.filter(
                    agency=agency, role__in=[Membership.Role.HEAD, Membership.Role.RESPONDER]
                ).values_list("user_id", flat=True)
            ),
            kind=KIND_REPLY_OWED,
            target=thread,
            title=thread.title,
            url=thread.get_absolute_url(),
            body=_told(
                gettext_noop(
                    "Citizens' support obliges your agency to reply officially by %(date)s: "
                    "answer on the discussion page on behalf of the agency."
                ),
                date=lambda: date_format(due, "DATE_FORMAT"),
            ),
            data=data,
        )

    transaction.on_commit(send)


# --- the official reply (the conversation layer's hook) -------------------------------------


def on_comment_posted(comment, thread: Thread) -> None:
    """`commentable.register(..., on_posted=)`: runs inside `comment_post`'s transaction
    for every comment and reply. Moves the activity counters; the addressee's first
    official comment becomes the official reply and fulfils an open duty."""
    posted_at = comment.posted_at
    Thread.objects.filter(pk=thread.pk).update(
        reply_count=F("reply_count") + 1,
        last_activity_at=Greatest(F("last_activity_at"), Value(posted_at)),
    )
    if not comment.is_official or comment.agency_id != thread.addressee_id:
        return
    lock_row(thread)
    if thread.official_reply_id is not None:  # the first official reply is the reply
        return
    thread.official_reply = comment
    thread.answered_at = posted_at
    thread.save(update_fields=["official_reply", "answered_at"])
    if thread.awaits_reply:
        # tracking tells the followers (the author, supporters) after commit.
        tracking.obligation_fulfil(
            obligation=thread.obligation,
            actor=comment.user,
            outcome=OUTCOME_OFFICIAL_REPLY,
            outcome_text=plain_excerpt(comment.comment, 500),
            answered_at=posted_at,
        )
    audit_record(
        actor=comment.user,
        action="thread_answered",
        target=thread,
        comment=comment.pk,
        obligation=thread.obligation_id,
    )
    _push(thread, thread.addressee_id)


# --- the agency: extend, redirect --------------------------------------------------------------


def _running_duty(thread: Thread):
    if not thread.awaits_reply:
        raise PermissionDenied(_("No official reply is owed on this discussion now."))
    return thread.obligation


@transaction.atomic
def thread_extend(*, thread: Thread, actor, new_due_date: datetime.date, reason: str) -> Thread:
    """A head or responder of the addressee moves the due date once, with a public reason,
    to at most two months after the duty arose (tracking's rules; followers are told).
    `tracking.ObligationError` carries a refusal of the dates."""
    lock_row(thread)
    obligation = _running_duty(thread)
    require(
        actor,
        "tracking.extend_obligation",
        obligation,
        _("Only the agency's head or responders can extend, once, before the due date."),
    )
    tracking.obligation_extend(
        obligation=obligation, new_due_date=new_due_date, reason=reason, actor=actor
    )
    audit_record(
        actor=actor,
        action="thread_reply_extended",
        target=thread,
        due_date=new_due_date.isoformat(),
    )
    _push(thread, thread.addressee_id)
    return thread


@transaction.atomic
def thread_redirect(*, thread: Thread, actor, to_agency: Agency, reason: str) -> Thread:
    """A head or responder sends the duty to the competent agency within 3 working days of
    receiving it. The thread follows: it is addressed to the new agency, whose responders
    reply, with a fresh period (tracking moves the clock; followers are told)."""
    lock_row(thread)
    obligation = _running_duty(thread)
    require(
        actor,
        "tracking.redirect_obligation",
        obligation,
        _("Only the agency's head or responders can redirect, within the redirect period."),
    )
    if to_agency is None or not to_agency.is_active:
        raise field_error("to_agency", _("Choose an agency from the list."), "invalid")
    from_agency_id = thread.addressee_id
    tracking.obligation_redirect(
        obligation=obligation, to_agency=to_agency, reason=reason, actor=actor
    )
    thread.addressee = to_agency
    thread.save(update_fields=["addressee"])
    audit_record(
        actor=actor,
        action="thread_reply_redirected",
        target=thread,
        from_agency=from_agency_id,
        to_agency=to_agency.pk,
    )
    _announce_redirect(thread)
    _push(thread, from_agency_id, to_agency.pk)
    return thread


def _announce_redirect(thread: Thread) -> None:
    """The new agency's heads and responders learn that they owe the reply now."""
    from notifications.services import notify

    obligation = thread.obligation
    agency_id = thread.addressee_id

    def send() -> None:
        notify(
            recipients=list(
                Membership.objects.filter(
                    agency_id=agency_id,
                    role__in=[Membership.Role.HEAD, Membership.Role.RESPONDER],
                ).values_list("user_id", flat=True)
            ),
            kind=KIND_REPLY_OWED,
            target=thread,
            title=thread.title,
            url=thread.get_absolute_url(),
            body=_told(
                gettext_noop(
                    "A discussion was sent on to your agency, which must reply officially by "
                    "%(date)s: answer on the discussion page on behalf of the agency."
                ),
                date=lambda: date_format(
                    timezone.localtime(obligation.due_at).date(), "DATE_FORMAT"
                ),
            ),
            data={"thread": thread.pk, "obligation": obligation.pk},
        )

    transaction.on_commit(send)


# --- moderation (moderation.registry's hide / restore) ----------------------------------------


@transaction.atomic
def thread_hide(*, thread: Thread, reason: str, actor, note: str = "") -> Thread:
    """A platform moderator hides the thread with a published reason: the text stays
    (the author and moderators still read it), pages show the reason, replies and support
    stop, and a running duty to reply is withdrawn."""
    from moderation.models import HideReason

    lock_row(thread)
    require(actor, "threads.hide_thread", thread, _("You cannot moderate this discussion."))
    if thread.hidden_at is not None:
        return thread
    if reason not in HideReason.values:
        raise field_error("reason", _("Choose a reason from the list."), "invalid")
    thread.hidden_at = timezone.now()
    thread.hidden_reason = reason
    thread.hidden_note = note or ""
    thread.save(update_fields=["hidden_at", "hidden_reason", "hidden_note"])
    if thread.awaits_reply:
        tracking.obligation_withdraw(
            obligation=thread.obligation,
            actor=actor,
            reason=_("The discussion was hidden by a moderator."),
        )
    audit_record(actor=actor, action="thread_hidden", target=thread, reason=reason)
    _push(thread, thread.addressee_id)
    return thread


@transaction.atomic
def thread_restore(*, thread: Thread, actor) -> Thread:
    """Show the thread again. If its support is still at the level (and no official reply
    came), the agency owes its reply again, counted from now."""
    lock_row(thread)
    require(actor, "threads.hide_thread", thread, _("You cannot moderate this discussion."))
    if thread.hidden_at is None:
        return thread
    previous = {"reason": thread.hidden_reason, "note": thread.hidden_note}
    thread.hidden_at = None
    thread.hidden_reason = ""
    thread.hidden_note = ""
    thread.save(update_fields=["hidden_at", "hidden_reason", "hidden_note"])
    audit_record(actor=actor, action="thread_restored", target=thread, **previous)
    _open_duty_if_due(thread, timezone.now())
    _push(thread, thread.addressee_id)
    return thread
