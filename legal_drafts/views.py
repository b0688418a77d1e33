"""Public screens of draft acts: the list of current drafts and the archive, a draft with
its tabs (text, explanatory note, opinions, expertise, versions), a paragraph with its own
thread, the changes between versions, the vote, the Atom feed and the calendar of closing
dates. The reads live in `pages.py`; every change goes through `services.py`.

A draft without a published version does not exist for the public (404); the drafting
agency's officials (`legal_drafts.change_draft`) see it as a preview. Everything works
without JavaScript; `drafts.js` only loads a paragraph's thread in place.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import pages, selectors, services
from .diff import ADDED, CHANGED, REMOVED, version_diff
from .ical import calendar_response
from .models import (
    AttachmentKind,
    Draft,
    DraftAttachment,
    DraftIndexPage,
    DraftStatus,
    DraftVersion,
    DraftVote,
    Outcome,
    Paragraph,
    VoteValue,
)

# --- Lists ------------------------------------------------------------------------------------


def _draft_list(
    request: HttpRequest, *, base, statuses, template: str, index_page=None
) -> HttpResponse:
    base = base.select_related("type", "agency", "report")
    form = pages.DraftFilterForm(request.GET or None, base=base, statuses=statuses)
    drafts = selectors.with_public_counts(form.apply(base)).order_by("-opens_at", "-pk")
    page_obj = Paginator(drafts, pages.DRAFTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        template,
        {
            "form": form,
            "page_obj": page_obj,
            "drafts": pages.list_rows(page_obj.object_list),
            "querystring": form.querystring(),
            "index_page": index_page,
        },
    )


@require_GET
def draft_index(request: HttpRequest) -> HttpResponse:
    """Drafts scheduled, open for discussion or awaiting their report, under the title and
    introduction of the menu's "Draft acts" page when editors made one."""
    return _draft_list(
        request,
        base=pages.current_drafts(),
        statuses=pages.CURRENT_STATUSES,
        template="legal_drafts/draft_index.html",
        index_page=DraftIndexPage.for_request(request),
    )


@require_GET
def draft_archive(request: HttpRequest) -> HttpResponse:
    """Drafts whose report is published, adopted or withdrawn."""
    return _draft_list(
        request,
        base=pages.archived_drafts(),
        statuses=pages.ARCHIVE_STATUSES,
        template="legal_drafts/draft_archive.html",
    )


@require_GET
def draft_feed(request: HttpRequest) -> HttpResponse:
    from .feeds import DraftFeed

    return DraftFeed()(request)


@require_GET
def draft_calendar(request: HttpRequest) -> HttpResponse:
    """The closing dates of scheduled and open drafts (iCalendar)."""
    drafts = (
        pages.public_drafts()
        .exclude(outcome__in=[Outcome.ADOPTED, Outcome.WITHDRAWN])
        .with_effective_close()
        .filter(effective_closes_at__gt=timezone.now())
        .select_related("agency", "type")
        .order_by("effective_closes_at", "pk")
    )
    return calendar_response(request, list(drafts))


# --- A draft ----------------------------------------------------------------------------------


def _get_draft(request: HttpRequest, pk: int) -> tuple[Draft, bool]:
    """The draft and whether it is a preview (no published version, seen by its officials).
    404 for a draft the person may not see."""
    draft = get_object_or_404(Draft.objects.select_related("type", "agency", "report"), pk=pk)
    if draft.is_public():
        return draft, False
    if pages.can_preview(request.user, draft):
        return draft, True
    raise Http404


def _draft_context(draft: Draft, preview: bool, tab: str) -> dict:
    lang = pages.content_language()
    draft.shown_title = draft.title
    return {
        "draft": draft,
        "preview": preview,
        "tab": tab,
        "window": pages.window_of(draft),
        "title": draft.shown_title,
        "summary": draft.summary,
        "text_language": lang,
        "language_note": lang != pages.active_language(),
        "Outcome": Outcome,
        "DraftStatus": DraftStatus,
    }


def _current_or_preview_version(draft: Draft, preview: bool) -> DraftVersion | None:
    if preview:
        return draft.versions.order_by("-number").first()
    return draft.current_version()


@require_GET
def draft_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The Text tab: the current version, a comment count by each paragraph, the vote and
    the comments on the draft as a whole."""
    draft, preview = _get_draft(request, pk)
    context = _draft_context(draft, preview, "text")
    version = _current_or_preview_version(draft, preview)
    counts = pages.paragraph_counts(version) if version and not preview else {}
    context.update(
        {
            "version": version,
            "sections": pages.version_text(version, counts=counts) if version else [],
            "show_counts": not preview,
            "comment_open": not preview and draft.is_open(),
        }
    )
    if not preview:
        context.update(_vote_context(request, draft))
        context["live_groups"] = [_live_group(draft)]
    return render(request, "legal_drafts/draft_detail.html", context)


def _live_group(target) -> str:
    from dialogue.selectors import target_live_group

    return target_live_group(target)


def _vote_context(request: HttpRequest, draft: Draft) -> dict:
    user = request.user
    mine = None
    if user.is_authenticated:
        mine = DraftVote.objects.filter(draft=draft, user=user).values_list("value", flat=True)
        mine = mine.first()
    refusal = pages.vote_refusal(user, draft)
    return {
        "votes": pages.vote_counts(draft),
        "my_vote": mine,
        "my_vote_label": VoteValue(mine).label if mine else "",
        "vote_refusal": refusal,
        "VoteValue": VoteValue,
    }


def _attachments_tab(request, pk: int, *, tab: str, kinds: list[str], template: str):
    draft, preview = _get_draft(request, pk)
    context = _draft_context(draft, preview, tab)
    attachments = list(draft.attachments.filter(kind__in=kinds).order_by("kind", "pk"))
    context["attachments"] = [a for a in attachments if a.kind == kinds[0]]
    context["other_attachments"] = [a for a in attachments if a.kind != kinds[0]]
    if tab == "note":
        context["note"] = draft.explanatory_note
    return render(request, template, context)


@require_GET
def draft_note(request: HttpRequest, pk: int) -> HttpResponse:
    return _attachments_tab(
        request,
        pk,
        tab="note",
        kinds=[AttachmentKind.EXPLANATORY_NOTE, AttachmentKind.OTHER],
        template="legal_drafts/draft_note.html",
    )


@require_GET
def draft_opinions(request: HttpRequest, pk: int) -> HttpResponse:
    return _attachments_tab(
        request,
        pk,
        tab="opinions",
        kinds=[AttachmentKind.BUSINESS_CHAMBER],
        template="legal_drafts/draft_documents.html",
    )


@require_GET
def draft_expertise(request: HttpRequest, pk: int) -> HttpResponse:
    return _attachments_tab(
        request,
        pk,
        tab="expertise",
        kinds=[AttachmentKind.ANTI_CORRUPTION],
        template="legal_drafts/draft_documents.html",
    )


# --- Versions ---------------------------------------------------------------------------------


def _get_version(request, pk: int, number: int) -> tuple[Draft, bool, DraftVersion]:
    draft, preview = _get_draft(request, pk)
    version = pages.visible_versions(draft, preview=preview).filter(number=number).first()
    if version is None:
        raise Http404
    return draft, preview, version


@require_GET
def version_list(request: HttpRequest, pk: int) -> HttpResponse:
    draft, preview = _get_draft(request, pk)
    context = _draft_context(draft, preview, "versions")
    versions = list(pages.visible_versions(draft, preview=preview).order_by("-number"))
    for version in versions:
        version.shown_note = version.note
    published = [version for version in versions if version.published_at]
    context.update(
        {
            "versions": versions,
            "current_number": published[0].number if published else None,
            "first_number": versions[-1].number if versions else None,
        }
    )
    return render(request, "legal_drafts/version_list.html", context)


@require_GET
def version_text(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """One version's full text, read-only, with links to each paragraph's page."""
    draft, preview, version = _get_version(request, pk, number)
    context = _draft_context(draft, preview, "versions")
    current = draft.current_version()
    counts = pages.paragraph_counts(version) if version.published_at else {}
    context.update(
        {
            "version": version,
            "version_note": version.note,
            "sections": pages.version_text(version, counts=counts),
            "current": current,
            "has_previous": version.number > 1,
            "show_counts": bool(version.published_at),
            "comment_open": current is not None and current.pk == version.pk and draft.is_open(),
        }
    )
    return render(request, "legal_drafts/version_text.html", context)


@require_GET
def version_changes(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """What changed from the previous version to version `number`, word by word, with the
    accepted comments that led to each change."""
    draft, preview, version = _get_version(request, pk, number)
    previous = (
        pages.visible_versions(draft, preview=preview)
        .filter(number__lt=version.number)
        .order_by("-number")
        .first()
    )
    if previous is None:
        raise Http404
    lang = pages.content_language()
    entries = [entry for entry in version_diff(previous, version) if entry.status != "unchanged"]
    paragraph_type_id = None
    comment_links: dict[int, str] = {}
    old_ids = {int(d.comment.target_pk) for entry in entries for d in entry.dispositions}
    if old_ids:
        from django.contrib.contenttypes.models import ContentType

        paragraph_type_id = ContentType.objects.get_for_model(Paragraph).pk
        anchors = {
            p.pk: p for p in Paragraph.objects.filter(pk__in=old_ids).select_related("version")
        }
        for entry in entries:
            for disposition in entry.dispositions:
                comment = disposition.comment
                target = anchors.get(int(comment.target_pk))
                if comment.target_type_id == paragraph_type_id and target is not None:
                    url = reverse(
                        "legal_drafts:paragraph",
                        kwargs={
                            "pk": draft.pk,
                            "number": target.version.number,
                            "anchor": target.anchor,
                        },
                    )
                else:
                    url = reverse("legal_drafts:detail", kwargs={"pk": draft.pk})
                comment_links[comment.pk] = f"{url}#c{comment.pk}"
    rows = []
    for entry in entries:
        pieces = entry.pieces_kk if lang == "kk" else entry.pieces_ru
        if entry.status == ADDED:
            text = entry.new.text
        elif entry.status == REMOVED:
            text = entry.old.text
        else:
            text = ""
        rows.append(
            {
                "entry": entry,
                "number": (entry.new or entry.old).number,
                "pieces": pieces,
                "text": text,
                "dispositions": [
                    {
                        "disposition": d,
                        "url": comment_links.get(d.comment_id, ""),
                        "excerpt": d.comment.comment[:200],
                    }
                    for d in entry.dispositions
                ],
            }
        )
    context = _draft_context(draft, preview, "versions")
    context.update(
        {
            "version": version,
            "previous": previous,
            "rows": rows,
            "ADDED": ADDED,
            "REMOVED": REMOVED,
            "CHANGED": CHANGED,
        }
    )
    return render(request, "legal_drafts/version_changes.html", context)


@require_GET
def paragraph_detail(request: HttpRequest, pk: int, number: int, anchor: str) -> HttpResponse:
    """One paragraph alone with its own thread (never the other paragraphs' comments).
    `?fragment=1` returns only the paragraph's comments, for drafts.js."""
    draft, preview, version = _get_version(request, pk, number)
    paragraph = get_object_or_404(
        Paragraph.objects.select_related("section"), version=version, anchor=anchor
    )
    paragraph.version = version  # the commentable's is_open reads version.draft
    version.draft = draft
    lang = pages.content_language()
    other = pages.other_language(lang)
    current = draft.current_version() if version.published_at else None
    context = _draft_context(draft, preview, "text")
    context.update(
        {
            "version": version,
            "paragraph": paragraph,
            "paragraph_text": paragraph.text,
            "other_text": getattr(paragraph, f"text_{other}", ""),
            "text_language": lang,
            "other_language": other,
            "section_heading": (paragraph.section.heading if paragraph.section else ""),
            "current": current,
            "is_current": current is not None and current.pk == version.pk,
            "draft_text_url": (
                reverse("legal_drafts:detail", kwargs={"pk": draft.pk})
                if current is not None and current.pk == version.pk
                else reverse(
                    "legal_drafts:version", kwargs={"pk": draft.pk, "number": version.number}
                )
            ),
        }
    )
    if not preview:
        context["live_groups"] = [_live_group(paragraph)]
    if request.GET.get("fragment") == "1" and not preview:
        return render(request, "legal_drafts/includes/paragraph_thread.html", context)
    return render(request, "legal_drafts/paragraph_detail.html", context)


# --- Actions and files ------------------------------------------------------------------------


@require_POST
def draft_vote(request: HttpRequest, pk: int) -> HttpResponse:
    """For or against; a second vote replaces the first while the discussion is open."""
    draft, preview = _get_draft(request, pk)
    back = reverse("legal_drafts:detail", kwargs={"pk": draft.pk})
    if preview:
        raise Http404
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    try:
        vote = services.vote_cast(
            draft=draft, user=request.user, value=request.POST.get("value", "")
        )
    except PermissionDenied:
        refusal = pages.vote_refusal(request.user, draft)
        message = refusal[1] if refusal else _("You cannot vote on this draft.")
        context = _draft_context(draft, preview, "text")
        context["message"] = message
        return render(request, "legal_drafts/refused.html", context, status=403)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return HttpResponseRedirect(f"{back}#vote")
    if vote.value == VoteValue.FOR:
        messages.success(request, _("Your vote for the draft is recorded."))
    else:
        messages.success(request, _("Your vote against the draft is recorded."))
    return HttpResponseRedirect(f"{back}#vote")


@require_GET
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """A document of the draft: to anyone once the draft is published, to its officials
    before that; 404 otherwise (a file's existence is not given away). Always downloaded."""
    attachment = (
        DraftAttachment.objects.select_related("draft", "draft__agency")
        .filter(pk=attachment_pk, draft_id=pk)
        .first()
    )
    if attachment is None:
        raise Http404
    draft = attachment.draft
    if not draft.is_public() and not pages.can_preview(request.user, draft):
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError) as missing:
        raise Http404 from missing
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private"
    return response
