"""Every change to a petition and its signatures. Keyword-only, atomic, audited
(`accounts.services.audit_record`); notifications go out after commit.

Who may act is checked here with the predicates of `rules.py` (`PermissionDenied` with a
message fit to show); input a person can fix raises `ValidationError({field: ...})`.

Duties live in `tracking`:

- submitting opens `petition_moderation` for the platform operator (the agency with slug
  PETITIONS_OPERATOR_AGENCY), due in 20 working days; publishing or rejecting fulfils it,
  the author's withdrawal withdraws it;
- reaching the threshold opens `petition_response` (central addressee, 40 working days)
  or `petition_response_local` (local addressee, 20 working days): tracking computes a
  due date from the kind, so the two periods are two kinds; `RESPONSE_KINDS` has both.
  Publishing the response fulfils it.

Signatures: the petition row is locked (`select_for_update`) for every signature,
withdrawal and invalidation, so the checks (one active signature, the collection is open)
and the counters (`signature_count`, `RegionCount`, updated with `F()`) are decided one
after another per petition; the partial unique index is the last word on duplicates.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Sequence

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Agency
from accounts.services import audit_record
from ashyq.services import field_error, lock_row, require, required_text
from ashyq.uploads import checked_attachments, clean_name
from tracking import services as tracking
from tracking.calendar import end_of_day, local_date
from tracking.deadlines import CalendarMonths, WorkingDays

from .models import (
    BACKGROUND_MAX,
    NOTE_MAX,
    REQUEST_MAX,
    RESPONSE_MAX,
    TITLE_MAX,
    Invalidation,
    InvalidationKind,
    Petition,
    PetitionAttachment,
    PetitionResponse,
    PetitionState,
    RegionCount,
    RejectionReason,
    ResponseAttachment,
    ResponseDecision,
    ResponseState,
    Signature,
    is_central,
    setting,
    threshold_for,
)

# Obligation kinds (registered in apps.py).
MODERATION_KIND = "petition_moderation"
RESPONSE_KIND = "petition_response"  # central addressee: 40 working days
RESPONSE_LOCAL_KIND = "petition_response_local"  # local addressee: 20 working days
RESPONSE_KINDS = (RESPONSE_KIND, RESPONSE_LOCAL_KIND)
# Notification kinds (registered in apps.py).
KIND_PUBLISHED = "petition_published"  # the author (and followers): moderation approved it
KIND_REJECTED = "petition_rejected"  # the author: with the reason
KIND_THRESHOLD = "petition_threshold_reached"  # followers: the addressee now owes an answer
KIND_RESPONDED = "petition_responded"  # followers and signers who opted in

DEFAULT_SIGNATURE_RATE = {"ip_per_hour": 30, "user_per_hour": 20}


class SignatureRefused(PermissionDenied):
    """A signature was refused for a reason the person can understand (rate limit, already
    signed, closed); `str(error)` is the translated message."""


def operator_agency() -> Agency:
    """The platform operator as an agency: moderation of petitions is its obligation in
    the ledger (20 working days), so its record is counted like any body's. Made on first
    use (slug PETITIONS_OPERATOR_AGENCY), so a site without petitions has no such row;
    editors may rename it."""
    agency, _created = Agency.objects.get_or_create(
        slug=setting("OPERATOR_AGENCY", "platform-operator"),
        defaults={
            "name_kk": "Платформа операторы",
            "name_ru": "Оператор платформы",
            "name_en": "Platform operator",
            "kind": Agency.Kind.CENTRAL,
        },
    )
    return agency


def support_minimum() -> int:
    return int(setting("SUPPORT_MINIMUM", 50))


def _notify_on_commit(*, petition: Petition, kind: str, actor, body, extra=()) -> None:
    """Tell the petition's followers (the author follows it from creation) and `extra`
    people after commit."""
    from notifications.services import notify_followers

    extra_ids = [getattr(person, "pk", person) for person in extra]

    def send() -> None:
        notify_followers(
            target=petition,
            kind=kind,
            actor=actor,
            title=petition.title,
            url=petition.get_absolute_url(),
            body=body,
            data={"petition": petition.pk},
            extra_recipients=extra_ids,
        )

    transaction.on_commit(send)


def _clean_texts(*, title: str, request: str, background: str) -> dict[str, str]:
    return {
        "title": required_text(
            "title", title, limit=TITLE_MAX, message=_("Give the petition a title.")
        ),
        "request": required_text(
            "request",
            request,
            limit=REQUEST_MAX,
            message=_("Say what the petition asks the addressee to do."),
        ),
        "background": _optional_text("background", background, BACKGROUND_MAX),
    }


def _optional_text(field: str, value: str, limit: int) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise field_error(
            field, _("At most %(limit)d characters, please.") % {"limit": limit}, "too_long"
        )
    return value


def _check_addressee(addressee: Agency | None) -> Agency:
    if addressee is None or not addressee.is_active:
        raise field_error(
            "addressee", _("Choose the body the petition is addressed to."), "invalid"
        )
    if addressee.slug == setting("OPERATOR_AGENCY", "platform-operator"):
        raise field_error(
            "addressee", _("Petitions are addressed to government bodies."), "operator"
        )
    return addressee


def _is_open(obligation) -> bool:
    return (
        obligation is not None
        and obligation.answered_at is None
        and obligation.withdrawn_at is None
    )


def _set_state(petition: Petition, state: str, at_field: str | None, now, *extra: str) -> None:
    petition.state = state
    fields = ["state", "updated_at", *extra]
    if at_field:
        setattr(petition, at_field, now)
        fields.append(at_field)
    petition.save(update_fields=fields)


# --- drafting ------------------------------------------------------------------------------


@transaction.atomic
def petition_create(
    *,
    author,
    addressee: Agency,
    title: str,
    request: str,
    background: str = "",
    region: str = "",
) -> Petition:
    """A verified, unblocked user starts a draft. Nothing is public until moderation
    publishes it. The author follows the petition (its notifications reach them)."""
    from notifications.services import follow

    require(author, "petitions.create_petition", None, _("You cannot start a petition."))
    texts = _clean_texts(title=title, request=request, background=background)
    addressee = _check_addressee(addressee)
    region = _check_region(region)
    petition = Petition.objects.create(author=author, addressee=addressee, region=region, **texts)
    follow(user=author, target=petition)
    audit_record(actor=author, action="petition_created", target=petition)
    return petition


def _check_region(region: str) -> str:
    from accounts.regions import Region

    region = region or ""
    if region and region not in Region.values:
        raise field_error("region", _("Choose a region from the list."), "invalid")
    return region


@transaction.atomic
def petition_update(*, petition: Petition, actor, **changes) -> Petition:
    """Change the title, request, background, addressee or region, only while a draft."""
    lock_row(petition)
    require(actor, "petitions.change_petition", petition, _("You cannot change this petition."))
    allowed = {"title", "request", "background", "addressee", "region"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"petition_update() cannot change {sorted(unknown)}")
    texts = _clean_texts(
        title=changes.get("title", petition.title),
        request=changes.get("request", petition.request),
        background=changes.get("background", petition.background),
    )
    for field, value in texts.items():
        setattr(petition, field, value)
    if "addressee" in changes:
        petition.addressee = _check_addressee(changes["addressee"])
    if "region" in changes:
        petition.region = _check_region(changes["region"])
    petition.save(
        update_fields=["title", "request", "background", "addressee", "region", "updated_at"]
    )
    audit_record(actor=actor, action="petition_updated", target=petition, fields=sorted(changes))
    return petition


@transaction.atomic
def attachment_add(
    *, petition: Petition, actor, files: Sequence[UploadedFile]
) -> list[PetitionAttachment]:
    """The author attaches documents to the draft (checked by content, private storage)."""
    lock_row(petition)
    require(actor, "petitions.change_petition", petition, _("You cannot change this petition."))
    checked = checked_attachments(files, already=petition.attachments.count())
    created = [
        PetitionAttachment.objects.create(
            petition=petition,
            file=upload,
            name=clean_name(upload.name, kind),
            size=upload.size,
            content_type=kind.content_type,
            uploaded_by=actor,
        )
        for upload, kind in checked
    ]
    audit_record(
        actor=actor, action="petition_attachment_added", target=petition, count=len(created)
    )
    return created


@transaction.atomic
def attachment_remove(*, attachment: PetitionAttachment, actor) -> None:
    petition = lock_row(attachment.petition)
    require(actor, "petitions.change_petition", petition, _("You cannot change this petition."))
    name = attachment.name
    attachment.file.delete(save=False)
    attachment.delete()
    audit_record(actor=actor, action="petition_attachment_removed", target=petition, name=name)


@transaction.atomic
def petition_submit(*, petition: Petition, actor) -> Petition:
    """The author sends the draft to moderation: the platform operator owes a decision
    within 20 working days (`petition_moderation`)."""
    lock_row(petition)
    require(
        actor,
        "petitions.submit_petition",
        petition,
        _("Only the author, with a confirmed email address, can submit this draft."),
    )
    now = timezone.now()
    petition.moderation_obligation = tracking.obligation_open(
        subject=petition, agency=operator_agency(), kind=MODERATION_KIND, actor=actor, opened_at=now
    )
    _set_state(petition, PetitionState.SUBMITTED, "submitted_at", now, "moderation_obligation")
    audit_record(actor=actor, action="petition_submitted", target=petition)
    return petition


@transaction.atomic
def petition_withdraw(*, petition: Petition, actor, reason: str = "") -> Petition:
    """The author withdraws the petition before it reaches its threshold. Signatures stay
    (not counted any more as a live collection; the count is kept as it was); an open
    moderation duty is withdrawn."""
    lock_row(petition)
    require(actor, "petitions.withdraw_petition", petition, _("You cannot withdraw this petition."))
    reason = _optional_text("reason", reason, NOTE_MAX)
    obligation = petition.moderation_obligation
    if (
        obligation is not None
        and obligation.answered_at is None
        and obligation.withdrawn_at is None
    ):
        tracking.obligation_withdraw(
            obligation=obligation,
            actor=actor,
            reason=reason or _("The author withdrew the petition."),
        )
    _set_state(petition, PetitionState.WITHDRAWN, "withdrawn_at", timezone.now())
    audit_record(actor=actor, action="petition_withdrawn", target=petition, reason=reason)
    return petition


# --- moderation ----------------------------------------------------------------------------


def _require_moderator(actor, petition: Petition) -> None:
    require(
        actor,
        "petitions.moderate_petition",
        petition,
        _("Only platform moderators can moderate petitions awaiting moderation."),
    )


@transaction.atomic
def moderation_start(*, petition: Petition, actor) -> Petition:
    """A moderator takes the petition (others see who has it)."""
    lock_row(petition)
    _require_moderator(actor, petition)
    if petition.state == PetitionState.IN_MODERATION:
        raise PermissionDenied(_("Another moderator is already reviewing this petition."))
    obligation = petition.moderation_obligation
    if obligation is not None and obligation.first_response_at is None:
        tracking.obligation_acknowledge(obligation=obligation, actor=actor)
    petition.moderated_by = actor
    _set_state(
        petition,
        PetitionState.IN_MODERATION,
        "moderation_started_at",
        timezone.now(),
        "moderated_by",
    )
    audit_record(actor=actor, action="petition_moderation_started", target=petition)
    return petition


def _fulfil_moderation(petition: Petition, actor, outcome: str, text: str = "") -> None:
    obligation = petition.moderation_obligation
    if (
        obligation is not None
        and obligation.answered_at is None
        and obligation.withdrawn_at is None
    ):
        tracking.obligation_fulfil(
            obligation=obligation, actor=actor, outcome=outcome, outcome_text=text
        )


@transaction.atomic
def petition_publish(*, petition: Petition, actor) -> Petition:
    """A moderator approves the petition: reachable by its link, it needs
    PETITIONS_SUPPORT_MINIMUM supporters within 10 working days to become public. The
    threshold is fixed now (a later rule change does not move it); the collection ends
    PETITIONS_COLLECTION_MONTHS months later, at the end of that day (Astana time)."""
    lock_row(petition)
    _require_moderator(actor, petition)
    now = timezone.now()
    petition.threshold = threshold_for(petition.addressee)
    petition.support_deadline = WorkingDays(10).due_from(now)
    months = int(setting("COLLECTION_MONTHS", 6))
    petition.collection_closes_at = end_of_day(CalendarMonths(months).due_date(local_date(now)))
    petition.moderated_by = actor
    fields = ["threshold", "support_deadline", "collection_closes_at", "moderated_by"]
    if petition.moderation_started_at is None:
        petition.moderation_started_at = now
        fields.append("moderation_started_at")
    _fulfil_moderation(petition, actor, "published")
    _set_state(petition, PetitionState.PUBLISHED, "published_at", now, *fields)
    _notify_on_commit(
        petition=petition,
        kind=KIND_PUBLISHED,
        actor=actor,
        body=gettext_lazy(
            "Your petition was approved. Share its link: it needs %(count)d supporters "
            "within 10 working days to become public."
        )
        % {"count": support_minimum()},
    )
    audit_record(
        actor=actor, action="petition_published", target=petition, threshold=petition.threshold
    )
    return petition


@transaction.atomic
def petition_reject(
    *, petition: Petition, actor, reason: RejectionReason, note: str = ""
) -> Petition:
    """A moderator refuses the petition with a reason from the list (and a note). The
    reason is published with the petition unless it is not public (then the petition
    stays visible only to its author and moderators)."""
    lock_row(petition)
    _require_moderator(actor, petition)
    if reason is None or not reason.is_active:
        raise field_error("reason", _("Choose a reason from the list."), "invalid")
    note = _optional_text("note", note, NOTE_MAX)
    petition.rejection_reason = reason
    petition.rejection_note = note
    petition.moderated_by = actor
    fields = ["rejection_reason", "rejection_note", "moderated_by"]
    if petition.moderation_started_at is None:
        petition.moderation_started_at = timezone.now()
        fields.append("moderation_started_at")
    _fulfil_moderation(petition, actor, "rejected", reason.code)
    _set_state(petition, PetitionState.REJECTED, "rejected_at", timezone.now(), *fields)
    _notify_on_commit(
        petition=petition,
        kind=KIND_REJECTED,
        actor=actor,
        body=gettext_lazy("Your petition was not published. Reason: %(reason)s")
        % {"reason": reason.label},
    )
    audit_record(
        actor=actor,
        action="petition_rejected",
        target=petition,
        reason=reason.code,
        public=reason.public,
    )
    return petition


@transaction.atomic
def petition_hide(*, petition: Petition, reason: str, actor, note: str = "") -> Petition:
    """A moderator hides a published petition (`moderation.registry`'s `hide`): the text
    stays, pages show the reason instead; signing stops while hidden."""
    from moderation.models import HideReason

    lock_row(petition)
    require(actor, "petitions.hide_petition", petition, _("You cannot moderate this petition."))
    if petition.hidden_at is not None:
        return petition
    if reason not in HideReason.values:
        raise field_error("reason", _("Choose a reason from the list."), "invalid")
    petition.hidden_at = timezone.now()
    petition.hidden_reason = reason
    petition.hidden_note = note
    petition.save(update_fields=["hidden_at", "hidden_reason", "hidden_note", "updated_at"])
    audit_record(actor=actor, action="petition_hidden", target=petition, reason=reason)
    return petition


@transaction.atomic
def petition_restore(*, petition: Petition, actor) -> Petition:
    lock_row(petition)
    require(actor, "petitions.hide_petition", petition, _("You cannot moderate this petition."))
    if petition.hidden_at is None:
        return petition
    previous = {"reason": petition.hidden_reason, "note": petition.hidden_note}
    petition.hidden_at = None
    petition.hidden_reason = ""
    petition.hidden_note = ""
    petition.save(update_fields=["hidden_at", "hidden_reason", "hidden_note", "updated_at"])
    audit_record(actor=actor, action="petition_restored", target=petition, **previous)
    return petition


# --- signatures ----------------------------------------------------------------------------


def signature_rate() -> dict[str, int]:
    return {**DEFAULT_SIGNATURE_RATE, **setting("SIGNATURE_RATE", {})}


def _rate_windows(user, ip: str | None) -> list[tuple[str, int, str]]:
    """(cache key, limit, which) of the hourly windows this signature counts in."""
    limits = signature_rate()
    bucket = int(time.time() // 3600)
    windows = [(f"petitions:rate:user:{user.pk}:{bucket}", limits["user_per_hour"], "user")]
    if ip:
        windows.append((f"petitions:rate:ip:{ip}:{bucket}", limits["ip_per_hour"], "ip"))
    return windows


def _check_rate(user, ip: str | None) -> list[tuple[str, int, str]]:
    windows = _rate_windows(user, ip)
    counts = cache.get_many([key for key, _limit, _which in windows])
    for key, limit, which in windows:
        if counts.get(key, 0) >= limit:
            if which == "ip":
                raise SignatureRefused(
                    _("Too many signatures are coming from your network. Please try again later.")
                )
            raise SignatureRefused(
                _("You have signed many petitions in the last hour. Please try again later.")
            )
    return windows


def _count_in_windows(windows: list[tuple[str, int, str]]) -> None:
    for key, _limit, _which in windows:
        cache.add(key, 0, timeout=3600)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=3600)


def _bump_region(petition: Petition, region: str, delta: int) -> None:
    """Called with the petition row locked, so creating the row cannot race."""
    updated = RegionCount.objects.filter(petition=petition, region=region).update(
        count=F("count") + delta
    )
    if not updated:
        RegionCount.objects.create(petition=petition, region=region, count=max(delta, 0))


def _email_domain(user) -> str:
    email = (user.email or "").strip().lower()
    return email.rsplit("@", 1)[-1] if "@" in email else ""


@transaction.atomic
def signature_add(
    *, petition: Petition, user, ip: str | None = None, wants_updates: bool = False
) -> Signature:
    """Sign. Refused (`SignatureRefused`, a PermissionDenied) when the person may not sign
    (rules: verified email, not blocked, identity when PETITIONS_REQUIRE_IDENTITY, the
    collection open), is over a rate limit, or has an active signature already. The
    author may sign their own petition like anyone else.

    Counts and transitions: published -> public when the count reaches
    PETITIONS_SUPPORT_MINIMUM before the support deadline; public -> threshold_reached when
    it reaches the petition's threshold (opens the addressee's response duty)."""
    windows = _check_rate(user, ip)
    lock_row(petition)
    require(user, "petitions.sign_petition", petition, _("This petition is not taking signatures."))
    if Signature.objects.filter(petition=petition, user=user, withdrawn_at__isnull=True).exists():
        raise SignatureRefused(_("You have already signed this petition."))
    now = timezone.now()
    try:
        with transaction.atomic():
            signature = Signature.objects.create(
                petition=petition,
                user=user,
                created_at=now,
                ip=ip or None,
                email_domain=_email_domain(user),
                region=user.region or "",
                wants_updates=bool(wants_updates),
            )
    except IntegrityError:  # only if something bypassed the lock
        raise SignatureRefused(_("You have already signed this petition.")) from None
    Petition.objects.filter(pk=petition.pk).update(signature_count=F("signature_count") + 1)
    petition.signature_count += 1  # exact: the row is locked
    _bump_region(petition, signature.region, 1)
    _advance(petition, now)
    transaction.on_commit(lambda: _count_in_windows(windows))
    audit_record(actor=user, action="petition_signed", target=petition)
    return signature


def _advance(petition: Petition, now: datetime.datetime) -> None:
    """The count-driven transitions, after a signature (the row is locked)."""
    if (
        petition.state == PetitionState.PUBLISHED
        and petition.signature_count >= support_minimum()
        and now <= petition.support_deadline
    ):
        _set_state(petition, PetitionState.PUBLIC, "public_at", now)
        audit_record(actor=None, action="petition_public", target=petition)
    if petition.state == PetitionState.PUBLIC and petition.signature_count >= petition.threshold:
        kind = RESPONSE_KIND if is_central(petition.addressee) else RESPONSE_LOCAL_KIND
        petition.response_obligation = tracking.obligation_open(
            subject=petition, agency=petition.addressee, kind=kind, actor=None, opened_at=now
        )
        petition.response_state = ResponseState.AWAITING
        _set_state(
            petition,
            PetitionState.THRESHOLD_REACHED,
            "threshold_reached_at",
            now,
            "response_obligation",
            "response_state",
        )
        _notify_on_commit(
            petition=petition,
            kind=KIND_THRESHOLD,
            actor=None,
            body=gettext_lazy(
                "The petition reached %(count)d signatures: the addressee now owes a response."
            )
            % {"count": petition.threshold},
        )
        audit_record(
            actor=None,
            action="petition_threshold_reached",
            target=petition,
            count=petition.signature_count,
        )


@transaction.atomic
def signature_withdraw(*, petition: Petition, user) -> Signature:
    """The signer takes their signature back while the collection is open. The petition's
    state does not go back (a public petition stays public below the minimum)."""
    lock_row(petition)
    signature = Signature.objects.filter(
        petition=petition, user=user, withdrawn_at__isnull=True
    ).first()
    if signature is None:
        raise SignatureRefused(_("You have not signed this petition."))
    if not petition.is_collecting():
        raise SignatureRefused(_("The collection is over: signatures can no longer change."))
    signature.withdrawn_at = timezone.now()
    signature.save(update_fields=["withdrawn_at"])
    if signature.invalidated_at is None:  # an invalidated one was already taken off
        Petition.objects.filter(pk=petition.pk).update(signature_count=F("signature_count") - 1)
        petition.signature_count -= 1
        _bump_region(petition, signature.region, -1)
    audit_record(actor=user, action="petition_signature_withdrawn", target=petition)
    return signature


def recount(petition: Petition) -> int:
    """Recompute `signature_count` and `RegionCount` from the signatures (call with the
    petition locked). A moderator's action may afford it; a signature may not."""
    counted = Signature.objects.filter(petition=petition).counted()
    by_region = dict(
        counted.order_by().values_list("region").annotate(n=Count("pk")).values_list("region", "n")
    )
    total = sum(by_region.values())
    Petition.objects.filter(pk=petition.pk).update(signature_count=total)
    petition.signature_count = total
    existing = {row.region: row for row in RegionCount.objects.filter(petition=petition)}
    for region, row in existing.items():
        if row.count != by_region.get(region, 0):
            row.count = by_region.get(region, 0)
            row.save(update_fields=["count"])
    RegionCount.objects.bulk_create(
        [
            RegionCount(petition=petition, region=region, count=n)
            for region, n in by_region.items()
            if region not in existing
        ]
    )
    return total


@transaction.atomic
def signatures_invalidate(
    *,
    petition: Petition,
    actor,
    reason: str,
    ip: str = "",
    email_domain: str = "",
    since: datetime.datetime | None = None,
    until: datetime.datetime | None = None,
) -> Invalidation:
    """A moderator invalidates a petition's active signatures in bulk: by IP address, by
    email domain, or by a time range [since, until) (which may also narrow an IP or domain
    invalidation). One UPDATE marks them (kept, with the batch, the moderator and the
    reason); the counters are then recomputed. The petition's state does not go back."""
    lock_row(petition)
    require(
        actor,
        "petitions.invalidate_signatures",
        petition,
        _("Only platform moderators can invalidate signatures."),
    )
    reason = required_text(
        "reason", reason, limit=NOTE_MAX, message=_("Give the reason for the invalidation.")
    )
    ip = (ip or "").strip()
    email_domain = (email_domain or "").strip().lower().lstrip("@")
    if ip and email_domain:
        raise field_error("email_domain", _("Invalidate by IP or by domain, not both."), "both")
    if (since is None) != (until is None) and not (ip or email_domain):
        raise field_error("until", _("Give both ends of the time range."), "range")
    if since is not None and until is not None and until <= since:
        raise field_error("until", _("The range must end after it starts."), "order")
    if ip:
        from django.core.validators import validate_ipv46_address

        try:
            validate_ipv46_address(ip)
        except ValidationError:
            raise field_error("ip", _("Enter a valid IP address."), "invalid") from None
        kind, value, match = InvalidationKind.IP, ip, Q(ip=ip)
    elif email_domain:
        kind, value, match = InvalidationKind.DOMAIN, email_domain, Q(email_domain=email_domain)
    elif since is not None:
        kind, value, match = InvalidationKind.TIME_RANGE, "", Q()
    else:
        raise field_error(
            "ip", _("Give an IP address, an email domain or a time range."), "required"
        )
    if since is not None:
        match &= Q(created_at__gte=since)
    if until is not None:
        match &= Q(created_at__lt=until)
    now = timezone.now()
    batch = Invalidation.objects.create(
        petition=petition,
        kind=kind,
        value=value,
        from_at=since,
        to_at=until,
        reason=reason,
        actor=actor,
        created_at=now,
    )
    batch.count = (
        Signature.objects.filter(petition=petition)
        .counted()
        .filter(match)
        .update(
            invalidated_at=now,
            invalidated_by=actor,
            invalidation_reason=reason,
            invalidation_batch=batch,
        )
    )
    batch.save(update_fields=["count"])
    recount(petition)
    audit_record(
        actor=actor,
        action="petition_signatures_invalidated",
        target=petition,
        kind=kind,
        value=value,
        count=batch.count,
    )
    return batch


# --- response ------------------------------------------------------------------------------


@transaction.atomic
def response_publish(
    *,
    petition: Petition,
    actor,
    text: str,
    decision: str,
    hearing_date: datetime.date | None = None,
    files: Sequence[UploadedFile] = (),
) -> PetitionResponse:
    """The addressee's head or a responder publishes the answer: it fulfils the response
    duty, sets `response_state` to responded, and tells the followers and every signer who
    opted in (`wants_updates`, counted signatures only)."""
    lock_row(petition)
    require(
        actor,
        "petitions.respond_petition",
        petition,
        _("Only the addressee's head or responders can answer this petition, once it is due."),
    )
    text = required_text("text", text, limit=RESPONSE_MAX, message=_("Write the response."))
    if decision not in ResponseDecision.values:
        raise field_error("decision", _("Choose a decision from the list."), "invalid")
    checked = checked_attachments(files)
    now = timezone.now()
    response = PetitionResponse.objects.create(
        petition=petition,
        text=text,
        decision=decision,
        hearing_date=hearing_date,
        responder=actor,
        published_at=now,
    )
    for upload, kind in checked:
        ResponseAttachment.objects.create(
            response=response,
            file=upload,
            name=clean_name(upload.name, kind),
            size=upload.size,
            content_type=kind.content_type,
        )
    obligation = petition.response_obligation
    if (
        obligation is not None
        and obligation.answered_at is None
        and obligation.withdrawn_at is None
    ):
        tracking.obligation_fulfil(
            obligation=obligation, actor=actor, outcome=decision, outcome_text=text[:500]
        )
    petition.response_state = ResponseState.RESPONDED
    petition.responded_at = now
    petition.save(update_fields=["response_state", "responded_at", "updated_at"])
    _notify_signers_on_commit(petition, actor)
    audit_record(actor=actor, action="petition_responded", target=petition, decision=decision)
    return response


def _notify_signers_on_commit(petition: Petition, actor) -> None:
    """One notification each to the followers and the signers who opted in (a person who
    is both gets one): the recipients are one queryset, read by `notify` in one query."""
    from notifications.models import Follow
    from notifications.services import notify, target_key

    def send() -> None:
        content_type, object_id = target_key(petition)
        opted_in = Signature.objects.counted().filter(
            petition=petition, user=OuterRef("pk"), wants_updates=True
        )
        following = Follow.objects.filter(
            user=OuterRef("pk"), content_type=content_type, object_id=object_id
        )
        notify(
            recipients=get_user_model().objects.filter(Exists(opted_in) | Exists(following)),
            kind=KIND_RESPONDED,
            target=petition,
            actor=actor,
            title=petition.title,
            url=petition.get_absolute_url(),
            body=gettext_lazy("The addressee has published its response to the petition."),
            data={"petition": petition.pk},
        )

    transaction.on_commit(send)


# --- clocks --------------------------------------------------------------------------------


def close_expired(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Store what the clocks decided (`Petition.effective_state`): a published petition
    past its support deadline closes as unsupported, a published or public one past the
    collection's end closes, a threshold-reached one closes at the end only once
    answered (it stays open for its response). Idempotent; run daily
    (`manage.py close_expired_petitions`). Each petition is its own transaction."""
    now = now or timezone.now()
    done = {PetitionState.CLOSED_UNSUPPORTED: 0, PetitionState.CLOSED: 0}
    for pk in Petition.objects.expired(now).order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            petition = Petition.objects.select_for_update().filter(pk=pk).first()
            if petition is None:
                continue
            state = petition.effective_state(now)
            if state == petition.state or state not in done:
                continue
            _set_state(petition, state, "closed_at", now)
            audit_record(actor=None, action=f"petition_{state}", target=petition)
            done[state] += 1
    return {str(key): value for key, value in done.items()}
