"""Every change to a draft act. Keyword-only, atomic, audited (`accounts.services.
audit_record`); notifications go out after commit.

Who may act is checked here with the predicates of `rules.py` (`PermissionDenied`); input
a person can fix raises `ValidationError({field: ...})`.

Duties live in `tracking`:

- each top-level comment on the draft or one of its paragraphs opens a
  `legal_draft_comment` obligation for the drafting agency, due
  `LEGAL_DRAFTS_RESPONSE_WORKING_DAYS` working days after the discussion *closes*
  (`obligation_open(clock_starts_at=close)`); a disposition fulfils it;
- publishing the first version (which fixes the window) opens the `legal_draft_report`
  obligation, due `LEGAL_DRAFTS_REPORT_WORKING_DAYS` working days after the close;
  publishing the report fulfils it.

An extension moves the close: every open duty's clock, which had not started yet, moves
to the new close (`tracking.services.obligation_restart`, recorded as an event with the
reason). Withdrawing the draft withdraws every open duty.

Comments are posted through the conversation layer (`dialogue.services.comment_post`);
`comment_posted` is its `on_posted` hook for drafts and paragraphs, so the duty opens in
the posting transaction whatever view or API posted it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import Agency, Membership
from accounts.services import audit_record
from ashyq.services import field_error, lock_row, require, required_text
from ashyq.uploads import checked_attachments, clean_name
from tracking import services as tracking
from tracking.models import Obligation

from .models import (
    TITLE_MAX,
    AttachmentKind,
    DiscussionReport,
    Disposition,
    DispositionValue,
    Draft,
    DraftAttachment,
    DraftType,
    DraftVersion,
    DraftVote,
    Outcome,
    Paragraph,
    Section,
    VoteValue,
)
from .text_import import ImportedText

COMMENT_KIND = "legal_draft_comment"
REPORT_KIND = "legal_draft_report"
# Notification kinds (registered in apps.py).
KIND_DRAFT_PUBLISHED = "legal_draft_published"  # to the drafting agency's followers
KIND_DRAFT_EXTENDED = "legal_draft_extended"  # to the draft's followers
KIND_REPORT_PUBLISHED = "legal_draft_report_published"  # to the draft's followers
REASON_MAX = 5000


def _notify_on_commit(*, target, kind: str, actor, draft: Draft, url: str, body) -> None:
    """Tell `target`'s followers once the change is committed."""
    from notifications.services import notify_followers

    def send() -> None:
        notify_followers(
            target=target,
            kind=kind,
            actor=actor,
            title=draft.title,
            url=url,
            body=body,
            data={"draft": draft.pk},
        )

    transaction.on_commit(send)


def _aware(field: str, value: datetime.datetime | None) -> datetime.datetime:
    if value is None:
        raise field_error(field, _("Give a date and time."), "required")
    if timezone.is_naive(value):
        raise field_error(field, _("Times must carry a time zone."), "naive")
    return value


def _check_window(draft_type: DraftType, opens_at, closes_at) -> None:
    from tracking.calendar import local_date

    opens_at = _aware("opens_at", opens_at)
    closes_at = _aware("closes_at", closes_at)
    if closes_at <= opens_at:
        raise field_error("closes_at", _("The discussion must close after it opens."), "order")
    earliest = draft_type.earliest_close(opens_at)
    if local_date(closes_at) < earliest:
        raise field_error(
            "closes_at",
            _(
                "%(type)s: the discussion must last at least %(rule)s, "
                "until %(date)s at the earliest."
            )
            % {
                "type": draft_type.name,
                "rule": draft_type.minimum_rule().label,
                "date": earliest.isoformat(),
            },
            "too_short",
        )


def _check_officials(agency: Agency, officials: Iterable) -> list:
    officials = list(officials)
    member_ids = set(
        Membership.objects.filter(agency=agency, user__in=officials).values_list(
            "user_id", flat=True
        )
    )
    if any(official.pk not in member_ids for official in officials):
        raise field_error(
            "responsible_officials",
            _("Responsible officials must work in the drafting agency."),
            "not_member",
        )
    return officials


# --- drafts ----------------------------------------------------------------------------

DRAFT_TEXT_FIELDS = ("summary_kk", "summary_ru", "explanatory_note_kk", "explanatory_note_ru")


@transaction.atomic
def draft_create(
    *,
    actor,
    agency: Agency,
    type: DraftType,  # noqa: A002 - the domain's word
    title_kk: str,
    title_ru: str,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    summary_kk: str = "",
    summary_ru: str = "",
    explanatory_note_kk: str = "",
    explanatory_note_ru: str = "",
    responsible_officials: Sequence = (),
) -> Draft:
    """A drafting official (or a platform editor) prepares a draft for discussion. Nothing
    is public until its first version is published (`version_publish`)."""
    require(actor, "legal_drafts.create_draft", agency, _("You cannot draft acts here."))
    title_kk = required_text(
        "title_kk", title_kk, limit=TITLE_MAX, message=_("Give the title in Kazakh.")
    )
    title_ru = required_text(
        "title_ru", title_ru, limit=TITLE_MAX, message=_("Give the title in Russian.")
    )
    _check_window(type, opens_at, closes_at)
    officials = _check_officials(agency, responsible_officials)
    draft = Draft.objects.create(
        type=type,
        agency=agency,
        title_kk=title_kk,
        title_ru=title_ru,
        opens_at=opens_at,
        closes_at=closes_at,
        summary_kk=(summary_kk or "").strip(),
        summary_ru=(summary_ru or "").strip(),
        explanatory_note_kk=(explanatory_note_kk or "").strip(),
        explanatory_note_ru=(explanatory_note_ru or "").strip(),
        created_by=actor,
    )
    draft.responsible_officials.set(officials)
    DiscussionReport.objects.create(draft=draft)
    audit_record(actor=actor, action="legal_draft_created", target=draft, agency=agency.slug)
    return draft


@transaction.atomic
def draft_update(*, draft: Draft, actor, **changes) -> Draft:
    """Change the title, summary, explanatory note, type, window or responsible officials.
    The window can change only until the first version is published (it is announced
    then); afterwards only `draft_extend` moves the close."""
    lock_row(draft)
    require(actor, "legal_drafts.change_draft", draft, _("You cannot change this draft."))
    allowed = {
        "title_kk",
        "title_ru",
        "type",
        "opens_at",
        "closes_at",
        "responsible_officials",
        *DRAFT_TEXT_FIELDS,
    }
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"draft_update() cannot change {sorted(unknown)}")
    window_fields = {"type", "opens_at", "closes_at"} & set(changes)
    if window_fields and draft.versions.filter(published_at__isnull=False).exists():
        raise field_error(
            sorted(window_fields)[0],
            _("The discussion window is published; extend it instead."),
            "published",
        )
    updated: list[str] = []
    for field in ("title_kk", "title_ru"):
        if field in changes:
            setattr(
                draft,
                field,
                required_text(field, changes[field], limit=TITLE_MAX, message=_("Give the title.")),
            )
            updated.append(field)
    for field in DRAFT_TEXT_FIELDS:
        if field in changes:
            setattr(draft, field, (changes[field] or "").strip())
            updated.append(field)
    if window_fields:
        new_type = changes.get("type", draft.type)
        opens_at = changes.get("opens_at", draft.opens_at)
        closes_at = changes.get("closes_at", draft.closes_at)
        _check_window(new_type, opens_at, closes_at)
        draft.type, draft.opens_at, draft.closes_at = new_type, opens_at, closes_at
        updated += ["type", "opens_at", "closes_at"]
    if "responsible_officials" in changes:
        draft.responsible_officials.set(
            _check_officials(draft.agency, changes["responsible_officials"])
        )
    if updated:
        draft.save(update_fields=[*updated, "updated_at"])
    audit_record(
        actor=actor,
        action="legal_draft_updated",
        target=draft,
        fields=sorted(set(updated) | ({"responsible_officials"} & set(changes))),
    )
    return draft


def _open_duties(draft: Draft) -> list[Obligation]:
    """The draft's open obligations: its report's and its comments'."""
    result = []
    report = DiscussionReport.objects.filter(draft=draft).select_related("obligation").first()
    obligation = report.obligation if report else None
    if obligation and obligation.answered_at is None and obligation.withdrawn_at is None:
        result.append(obligation)
    comment_ids = [str(pk) for pk in top_level_comments(draft).values_list("pk", flat=True)]
    result += list(
        Obligation.objects.filter(
            kind=COMMENT_KIND,
            content_type=_comment_content_type(),
            object_id__in=comment_ids,
            answered_at__isnull=True,
            withdrawn_at__isnull=True,
        )
    )
    return result


@transaction.atomic
def draft_extend(*, draft: Draft, actor, new_closes_at: datetime.datetime, reason: str) -> Draft:
    """Extend the discussion once, before it closes, with a published reason. The open
    duties are restarted from the new close (see the module's docstring)."""
    lock_row(draft)
    require(actor, "legal_drafts.extend_draft", draft, _("You cannot extend this discussion."))
    reason = required_text(
        "reason", reason, limit=REASON_MAX, message=_("Give the reason for the extension.")
    )
    new_closes_at = _aware("new_closes_at", new_closes_at)
    if new_closes_at <= draft.closes_at:
        raise field_error(
            "new_closes_at", _("The new close must be later than the current one."), "order"
        )
    draft.extended_closes_at = new_closes_at
    draft.extension_reason = reason
    draft.save(update_fields=["extended_closes_at", "extension_reason", "updated_at"])
    restart = _("The discussion was extended: %(reason)s") % {"reason": reason}
    for obligation in _open_duties(draft):
        tracking.obligation_restart(
            obligation=obligation, clock_starts_at=new_closes_at, actor=actor, reason=restart
        )
    _notify_on_commit(
        target=draft,
        kind=KIND_DRAFT_EXTENDED,
        actor=actor,
        draft=draft,
        url=draft.get_absolute_url(),
        body=gettext_lazy("The discussion was extended. Reason: %(reason)s") % {"reason": reason},
    )
    audit_record(
        actor=actor,
        action="legal_draft_extended",
        target=draft,
        closes_at=timezone.localtime(new_closes_at).isoformat(),
        reason=reason,
    )
    return draft


@transaction.atomic
def draft_withdraw(*, draft: Draft, actor, reason: str) -> Draft:
    """The agency withdraws the draft. Its text, comments and votes stay readable; every
    open duty ends with the same reason."""
    lock_row(draft)
    require(actor, "legal_drafts.withdraw_draft", draft, _("You cannot withdraw this draft."))
    reason = required_text(
        "reason", reason, limit=REASON_MAX, message=_("Give the reason for the withdrawal.")
    )
    for obligation in _open_duties(draft):
        tracking.obligation_withdraw(obligation=obligation, actor=actor, reason=reason)
    draft.outcome = Outcome.WITHDRAWN
    draft.outcome_at = timezone.now()
    draft.withdrawal_reason = reason
    draft.save(update_fields=["outcome", "outcome_at", "withdrawal_reason", "updated_at"])
    audit_record(actor=actor, action="legal_draft_withdrawn", target=draft, reason=reason)
    return draft


@transaction.atomic
def draft_record_outcome(
    *,
    draft: Draft,
    actor,
    outcome: str,
    adopted_url: str = "",
    adopted_on: datetime.date | None = None,
) -> Draft:
    """After the discussion: the act was adopted (link and date) or sent back. The report
    duty stays: an adopted act still owes its discussion report."""
    lock_row(draft)
    require(
        actor, "legal_drafts.record_outcome", draft, _("You cannot record this draft's outcome.")
    )
    if outcome not in (Outcome.ADOPTED, Outcome.SENT_BACK):
        raise field_error("outcome", _("Choose adopted or sent back."), "invalid")
    adopted_url = (adopted_url or "").strip()
    if outcome == Outcome.ADOPTED:
        if not adopted_url.startswith(("https://", "http://")):
            raise field_error("adopted_url", _("Give the link to the adopted act."), "required")
        if adopted_on is None:
            raise field_error("adopted_on", _("Give the date of adoption."), "required")
    else:
        adopted_url, adopted_on = "", None
    draft.outcome = outcome
    draft.outcome_at = timezone.now()
    draft.adopted_url = adopted_url
    draft.adopted_on = adopted_on
    draft.save(update_fields=["outcome", "outcome_at", "adopted_url", "adopted_on", "updated_at"])
    audit_record(actor=actor, action="legal_draft_outcome", target=draft, outcome=outcome)
    return draft


@transaction.atomic
def attachment_add(
    *, draft: Draft, actor, kind: str, files: Sequence[UploadedFile]
) -> list[DraftAttachment]:
    """Attach documents (PDF/DOCX, checked by content) of one kind."""
    require(actor, "legal_drafts.change_draft", draft, _("You cannot change this draft."))
    if kind not in AttachmentKind.values:
        raise field_error("kind", _("Choose a kind of document from the list."), "invalid")
    checked = checked_attachments(files)
    created = [
        DraftAttachment.objects.create(
            draft=draft,
            kind=kind,
            file=upload,
            name=clean_name(upload.name, file_kind),
            size=upload.size,
            content_type=file_kind.content_type,
            uploaded_by=actor,
        )
        for upload, file_kind in checked
    ]
    audit_record(
        actor=actor,
        action="legal_draft_attachment_added",
        target=draft,
        kind=kind,
        count=len(created),
    )
    return created


# --- versions --------------------------------------------------------------------------


@transaction.atomic
def version_create(
    *, draft: Draft, actor, text: ImportedText, note_kk: str = "", note_ru: str = ""
) -> DraftVersion:
    """Store an imported text as the draft's next version, unpublished. A version still in
    preparation is replaced (it was never public)."""
    lock_row(draft)
    require(actor, "legal_drafts.change_draft", draft, _("You cannot change this draft."))
    draft.versions.filter(published_at__isnull=True).delete()
    number = (draft.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    version = DraftVersion.objects.create(
        draft=draft, number=number, note_kk=note_kk.strip(), note_ru=note_ru.strip()
    )
    section_rows: list[Section] = []
    for order, imported in enumerate(text.sections, start=1):
        section_rows.append(
            Section(
                version=version,
                order=order,
                anchor=imported.anchor,
                number=imported.number,
                heading_kk=imported.heading_kk[:500],
                heading_ru=imported.heading_ru[:500],
            )
        )
    # bulk_create skips Model.save(): fine, the version is not published yet.
    sections = Section.objects.bulk_create(section_rows)
    paragraphs: list[Paragraph] = []
    order = 0
    for section, imported in zip(sections, text.sections, strict=True):
        for paragraph in imported.paragraphs:
            order += 1
            paragraphs.append(
                Paragraph(
                    version=version,
                    section=section,
                    order=order,
                    anchor=paragraph.anchor,
                    number=paragraph.number,
                    text_kk=paragraph.text_kk,
                    text_ru=paragraph.text_ru,
                )
            )
    Paragraph.objects.bulk_create(paragraphs)
    audit_record(
        actor=actor,
        action="legal_draft_version_created",
        target=draft,
        version=number,
        paragraphs=len(paragraphs),
    )
    return version


@transaction.atomic
def version_publish(
    *, version: DraftVersion, actor, note_kk: str | None = None, note_ru: str | None = None
) -> DraftVersion:
    """Publish a version: from now on it is immutable. The notes (what changed) may be set
    in the same step. The first publication announces the window and opens the report
    duty."""
    draft = lock_row(version.draft)
    require(actor, "legal_drafts.change_draft", draft, _("You cannot change this draft."))
    version = DraftVersion.objects.select_for_update().get(pk=version.pk)
    if version.published_at is not None:
        raise PermissionDenied(_("This version is already published."))
    if not version.paragraphs.exists():
        raise field_error("text", _("The version has no text."), "empty")
    first = not draft.versions.filter(published_at__isnull=False).exists()
    now = timezone.now()
    version.published_at = now
    fields = ["published_at"]
    for field, value in (("note_kk", note_kk), ("note_ru", note_ru)):
        if value is not None:
            setattr(version, field, value.strip())
            fields.append(field)
    version.save(update_fields=fields)
    if first:
        report = draft.report
        report.obligation = tracking.obligation_open(
            subject=draft,
            agency=draft.agency,
            kind=REPORT_KIND,
            actor=actor,
            opened_at=now,
            clock_starts_at=max(draft.effective_closes_at, now),
        )
        report.save(update_fields=["obligation"])
        # Those who follow the drafting agency hear of each new draft put to discussion.
        _notify_on_commit(
            target=draft.agency,
            kind=KIND_DRAFT_PUBLISHED,
            actor=actor,
            draft=draft,
            url=draft.get_absolute_url(),
            body=gettext_lazy("A new draft act is open for public discussion."),
        )
    else:
        _notify_on_commit(
            target=draft,
            kind=KIND_DRAFT_PUBLISHED,
            actor=actor,
            draft=draft,
            url=draft.get_absolute_url(),
            body=gettext_lazy("A new version of the text was published."),
        )
    audit_record(
        actor=actor, action="legal_draft_version_published", target=draft, version=version.number
    )
    return version


def paragraph_accepts_comments(paragraph: Paragraph) -> bool:
    """New comments go on the paragraphs of the current version of an open draft; older
    versions keep their comments, read-only."""
    version = paragraph.version
    draft = version.draft
    if version.published_at is None or not draft.is_open():
        return False
    current = draft.current_version()
    return current is not None and current.pk == version.pk


# --- comments, votes, dispositions ------------------------------------------------------


def _comment_content_type() -> ContentType:
    from dialogue.models import Comment

    return ContentType.objects.get_for_model(Comment)


def top_level_comments(draft: Draft):
    """Every top-level comment on the draft or any paragraph of any of its versions, in
    any state (hidden and withdrawn included: the report accounts for each)."""
    from django.db.models import Q

    from dialogue.models import Comment

    paragraph_ids = [
        str(pk)
        for pk in Paragraph.objects.filter(version__draft=draft).values_list("pk", flat=True)
    ]
    return Comment.objects.filter(reply_to__isnull=True).filter(
        Q(target_type=ContentType.objects.get_for_model(Draft), target_pk=str(draft.pk))
        | Q(target_type=ContentType.objects.get_for_model(Paragraph), target_pk__in=paragraph_ids)
    )


def draft_of_comment(comment) -> Draft | None:
    """The draft a comment belongs to (on the draft itself or on one of its paragraphs)."""
    model = comment.target_type.model_class()
    if model is Draft:
        return Draft.objects.filter(pk=comment.target_pk).first()
    if model is Paragraph:
        paragraph = (
            Paragraph.objects.select_related("version__draft").filter(pk=comment.target_pk).first()
        )
        return paragraph.version.draft if paragraph else None
    return None


def comment_posted(comment, target: Draft | Paragraph) -> None:
    """Registered as the commentables' `on_posted`: runs inside `dialogue.services.
    comment_post`'s transaction, whichever view or API posted the comment. A top-level
    comment opens the drafting agency's duty to answer it, counted from the close."""
    if comment.reply_to_id is not None:
        return
    draft = target if isinstance(target, Draft) else target.version.draft
    tracking.obligation_open(
        subject=comment,
        agency=draft.agency,
        kind=COMMENT_KIND,
        actor=comment.user,
        opened_at=comment.posted_at,
        clock_starts_at=max(draft.effective_closes_at, comment.posted_at),
    )


def comment_obligation(comment) -> Obligation | None:
    """The comment's current duty (the latest opened: an extension restarts it)."""
    return (
        Obligation.objects.filter(
            kind=COMMENT_KIND, content_type=_comment_content_type(), object_id=str(comment.pk)
        )
        .order_by("-opened_at", "-pk")
        .first()
    )


@transaction.atomic
def vote_cast(*, draft: Draft, user, value: str) -> DraftVote:
    """One vote per person, for or against, changeable while the discussion is open."""
    require(user, "legal_drafts.vote", draft, _("You cannot vote on this draft."))
    if value not in VoteValue.values:
        raise field_error("value", _("Vote for or against."), "invalid")
    vote = DraftVote.objects.select_for_update().filter(draft=draft, user=user).first()
    if vote is None:
        vote = DraftVote.objects.create(draft=draft, user=user, value=value)
    elif vote.value != value:
        vote.value = value
        vote.save(update_fields=["value", "updated_at"])
    audit_record(actor=user, action="legal_draft_vote", target=draft, value=value)
    return vote


@transaction.atomic
def disposition_give(
    *,
    comment,
    actor,
    value: str,
    reason: str,
    changed_paragraph: Paragraph | None = None,
) -> Disposition:
    """The drafting agency answers a top-level comment: accepted, partially accepted, not
    accepted or noted, with a reason. Fulfils the comment's duty, which tells its author
    and followers (tracking's `obligation_answered`)."""
    if comment.reply_to_id is not None:
        raise PermissionDenied(_("Only top-level comments get a disposition."))
    draft = draft_of_comment(comment)
    if draft is None:
        raise PermissionDenied(_("This comment is not on a draft act."))
    require(
        actor,
        "legal_drafts.give_disposition",
        draft,
        _("Only the drafting agency's drafters can answer comments on this draft."),
    )
    if value not in DispositionValue.values:
        raise field_error("value", _("Choose a disposition from the list."), "invalid")
    reason = required_text(
        "reason", reason, limit=REASON_MAX, message=_("Give the reason for the disposition.")
    )
    if changed_paragraph is not None and changed_paragraph.version.draft_id != draft.pk:
        raise field_error(
            "changed_paragraph", _("The paragraph must belong to this draft."), "invalid"
        )
    if Disposition.objects.filter(comment=comment).exists():
        raise PermissionDenied(_("This comment already has a disposition."))
    disposition = Disposition.objects.create(
        comment=comment,
        draft=draft,
        value=value,
        reason=reason,
        responder=actor,
        changed_paragraph=changed_paragraph,
    )
    obligation = comment_obligation(comment)
    if (
        obligation is not None
        and obligation.answered_at is None
        and obligation.withdrawn_at is None
    ):
        tracking.obligation_fulfil(
            obligation=obligation, actor=actor, outcome=value, outcome_text=reason
        )
    audit_record(
        actor=actor,
        action="legal_draft_disposition",
        target=draft,
        comment=comment.pk,
        value=value,
    )
    return disposition


@transaction.atomic
def report_publish(
    *, draft: Draft, actor, summary_kk: str = "", summary_ru: str = ""
) -> DiscussionReport:
    """Publish the discussion report after the window. Its table is every top-level
    comment exactly once (`selectors.report_rows`). The agency must answer **every**
    visible top-level comment first: publishing is refused while one lacks a disposition
    (the error counts them). A comment hidden by a moderator or withdrawn by its author
    needs none; its open duty is withdrawn here with that reason, and it still appears in
    the table with its state. Fulfils the report duty and freezes the dispositions."""
    lock_row(draft)
    report = DiscussionReport.objects.select_for_update().get(draft=draft)
    draft.report = report
    require(
        actor,
        "legal_drafts.publish_report",
        draft,
        _("Only the drafting agency's drafters can publish this report, after the discussion."),
    )
    from dialogue.models import CommentState

    comments = top_level_comments(draft)
    unanswered = comments.filter(
        state=CommentState.VISIBLE, legal_draft_disposition__isnull=True
    ).count()
    if unanswered:
        raise ValidationError(
            ngettext(
                "%(count)d comment still has no disposition: answer every comment before "
                "publishing the report.",
                "%(count)d comments still have no disposition: answer every comment before "
                "publishing the report.",
                unanswered,
            )
            % {"count": unanswered},
            code="unanswered",
        )
    silent = [
        str(pk)
        for pk in comments.exclude(state=CommentState.VISIBLE)
        .filter(legal_draft_disposition__isnull=True)
        .values_list("pk", flat=True)
    ]
    for obligation in Obligation.objects.filter(
        kind=COMMENT_KIND,
        content_type=_comment_content_type(),
        object_id__in=silent,
        answered_at__isnull=True,
        withdrawn_at__isnull=True,
    ):
        tracking.obligation_withdraw(
            obligation=obligation,
            actor=actor,
            reason=_("The comment was hidden or withdrawn before the report."),
        )
    now = timezone.now()
    report.published_at = now
    report.published_by = actor
    report.summary_kk = (summary_kk or "").strip()
    report.summary_ru = (summary_ru or "").strip()
    report.save(update_fields=["published_at", "published_by", "summary_kk", "summary_ru"])
    if report.obligation_id:
        obligation = report.obligation
        if obligation.answered_at is None and obligation.withdrawn_at is None:
            tracking.obligation_fulfil(obligation=obligation, actor=actor, outcome="published")
    _notify_on_commit(
        target=draft,
        kind=KIND_REPORT_PUBLISHED,
        actor=actor,
        draft=draft,
        url=reverse("legal_drafts:report", args=[draft.pk]),
        body=gettext_lazy("The drafting agency published the discussion report."),
    )
    audit_record(actor=actor, action="legal_draft_report_published", target=draft)
    return report
