"""The drafting agency's workspace for draft acts.

- `workspace_home`: the agencies where the person is head or drafter (platform editors:
  every agency with drafts); `agency_drafts`: an agency's drafts in every state, with
  their comment counts, overdue duties and report, in a bounded number of queries;
- `draft_create` / `draft_edit`; `version_upload` (DOCX or Markdown, the import's
  problems listed, the version in preparation previewed) and `version_publish`;
  `attachment_add`; `draft_extend`, `draft_withdraw`, `draft_outcome`;
- `answer_queue` (top-level comments with their duty and an inline disposition form)
  and `disposition_give`; `report_publish`.

Every change goes through `services.py`, which checks the permission again and decides.
The views only turn its `PermissionDenied` into a 403 page that says why (keeping what was
typed when the person works on the agency's drafts) and its `ValidationError` into errors
on the form; nothing changes on GET.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import CharField, Count, Exists, OuterRef, Prefetch, Q
from django.db.models.functions import Cast
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.collation import localized_order
from accounts.models import Agency, Membership
from accounts.selectors import agency_roles
from ashyq.http import safe_next
from ashyq.i18n import active_language
from tracking import calendar
from tracking.models import Obligation

from . import selectors, services
from .diff import UNCHANGED, version_diff
from .forms import (
    AttachmentForm,
    DispositionForm,
    DocxUploadForm,
    DraftForm,
    ExtendForm,
    MarkdownUploadForm,
    OutcomeForm,
    PublishVersionForm,
    QueueFilterForm,
    ReportForm,
    WithdrawForm,
)
from .models import (
    Draft,
    DraftStatus,
    DraftVersion,
    Outcome,
    Paragraph,
    Section,
)
from .rules import keeps_drafts
from .text_import import (
    ImportFailed,
    import_docx,
    import_markdown,
)

DRAFTS_PER_PAGE = 25
QUEUE_PER_PAGE = 25
DOCX_MAX_BYTES = 20 * 1024 * 1024
DRAFTING_ROLES = frozenset({Membership.Role.HEAD, Membership.Role.DRAFTER})


# --- Who may see what ---------------------------------------------------------------------


def _keeps_drafts(user) -> bool:
    """Platform editors and superusers keep drafts for every agency."""
    return bool(user.is_authenticated and user.is_active and keeps_drafts.test(user))


def _works_for(user, agency: Agency) -> bool:
    """Head or drafter of the agency, or a platform editor: may open its workspace."""
    return user.has_perm("legal_drafts.create_draft", agency)


def has_drafts_workspace(user) -> bool:
    """Whether the header shows the "Drafts workspace" link: heads and drafters of an
    agency, platform editors and superusers. One memberships query and one groups query,
    both cached on the user for the request (and shared with the permission checks)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if any(roles & DRAFTING_ROLES for roles in agency_roles(user).values()):
        return True
    return _keeps_drafts(user)


def _forbidden(request: HttpRequest, message: str, *, back_url: str = "") -> HttpResponse:
    return render(
        request,
        "legal_drafts/workspace/forbidden.html",
        {"message": message, "back_url": back_url},
        status=403,
    )


def _not_staff(request: HttpRequest, agency: Agency) -> HttpResponse:
    return _forbidden(
        request,
        _(
            "Only the head and the drafters of %(agency)s, and platform editors, work on "
            "its draft acts."
        )
        % {"agency": agency.name},
        back_url=reverse("legal_drafts:index"),
    )


def _refusal(user, perm: str, draft: Draft) -> str:
    """Why `perm` is refused on the draft now, in words."""
    if draft.outcome == Outcome.WITHDRAWN:
        return _("This draft was withdrawn: nothing more can be done with it.")
    if perm in ("legal_drafts.give_disposition", "legal_drafts.publish_report"):
        if not (agency_roles(user).get(draft.agency_id, frozenset()) & DRAFTING_ROLES):
            return _(
                "Only the head and the drafters of the drafting agency answer comments and "
                "publish the report."
            )
        report = getattr(draft, "report", None)
        if report is not None and report.published_at is not None:
            return _("The report is published: the dispositions are final.")
        if perm == "legal_drafts.give_disposition":
            return _("Comments can be answered once the discussion has opened.")
        return _("The report can be published once the discussion has closed.")
    if draft.outcome:
        return _("This draft already has an outcome (%(outcome)s): it can no longer change.") % {
            "outcome": draft.get_outcome_display()
        }
    if perm == "legal_drafts.extend_draft":
        if draft.extended_closes_at is not None:
            return _("The discussion has already been extended once.")
        return _("The discussion has closed: it can no longer be extended.")
    if perm == "legal_drafts.record_outcome":
        return _("The outcome can be recorded once the discussion has closed.")
    return _("You cannot do this with this draft.")


def _draft_or_404(pk: int) -> Draft:
    return get_object_or_404(
        Draft.objects.select_related("agency", "type", "report", "report__obligation"), pk=pk
    )


def _gate(request: HttpRequest, draft: Draft, perm: str | None) -> HttpResponse | None:
    """None when the person may use the page; otherwise the 403 page saying why."""
    if not _works_for(request.user, draft.agency):
        return _not_staff(request, draft.agency)
    if perm and not request.user.has_perm(perm, draft):
        return _forbidden(
            request,
            _refusal(request.user, perm, draft),
            back_url=reverse("legal_drafts:workspace_agency", kwargs={"agency": draft.agency.slug}),
        )
    return None


def _add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's `ValidationError({field: ...})` next to the field when the form has it,
    above the form otherwise."""
    if hasattr(error, "error_dict"):
        for name, field_errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, field_errors)
    else:
        form.add_error(None, error)


def _local_date(moment) -> str:
    day = calendar.local_date(moment) if isinstance(moment, datetime.datetime) else moment
    return date_format(day, "DATE_FORMAT")


def _has_published_version():
    return Exists(DraftVersion.objects.filter(draft=OuterRef("pk"), published_at__isnull=False))


# --- Home and the agency's drafts -------------------------------------------------------


@dataclass(frozen=True)
class AgencyCard:
    agency: Agency
    roles: list[str]
    drafts: int
    open: int
    awaiting_report: int


@login_required
@require_safe
def workspace_home(request: HttpRequest) -> HttpResponse:
    """The agencies whose drafts the person keeps. Three queries whatever their number."""
    user = request.user
    roles = agency_roles(user) if user.is_active else {}
    drafting = {pk for pk, held in roles.items() if held & DRAFTING_ROLES}
    editor = _keeps_drafts(user)
    if not drafting and not editor:
        return _forbidden(
            request,
            _(
                "The drafts workspace is for the heads and drafters of government agencies "
                "and for platform editors. If you draft acts, ask the head of your agency to "
                "give you the drafter role."
            ),
            back_url=reverse("legal_drafts:index"),
        )
    now = timezone.now()
    agencies = Agency.objects.all()
    if editor:
        agencies = agencies.filter(
            Q(pk__in=drafting) | Exists(Draft.objects.filter(agency=OuterRef("pk")))
        )
    else:
        agencies = agencies.filter(pk__in=drafting)
    lang = active_language()
    live = ~Q(legal_drafts__outcome__in=[Outcome.ADOPTED, Outcome.WITHDRAWN])
    still_open = Q(legal_drafts__extended_closes_at__gt=now) | Q(
        legal_drafts__extended_closes_at__isnull=True, legal_drafts__closes_at__gt=now
    )
    agencies = agencies.annotate(
        draft_count=Count("legal_drafts", distinct=True),
        open_count=Count(
            "legal_drafts",
            filter=live & Q(legal_drafts__opens_at__lte=now) & still_open,
            distinct=True,
        ),
        awaiting_count=Count(
            "legal_drafts",
            filter=live & ~still_open & Q(legal_drafts__report__published_at__isnull=True),
            distinct=True,
        ),
    ).order_by(localized_order(f"name_{lang}", lang), "pk")
    cards = [
        AgencyCard(
            agency=agency,
            roles=[
                str(label)
                for value, label in Membership.Role.choices
                if value in roles.get(agency.pk, frozenset())
            ],
            drafts=agency.draft_count,
            open=agency.open_count,
            awaiting_report=agency.awaiting_count,
        )
        for agency in agencies
    ]
    return render(
        request,
        "legal_drafts/workspace/home.html",
        {"cards": cards, "is_editor": editor},
    )


@dataclass
class DraftRow:
    draft: Draft
    published: bool
    status: str
    status_label: str
    comments: int = 0
    answered: int = 0
    unanswered: int = 0
    overdue: int = 0
    report_text: str = ""
    report_overdue: bool = False
    actions: list[tuple[str, str]] = field(default_factory=list)


def comment_counts(drafts: list[Draft], now: datetime.datetime) -> dict[int, dict[str, int]]:
    """{draft id: {comments, answered, unanswered, overdue}} for the top-level comments on
    the drafts and their paragraphs: two queries whatever the number of comments (the
    comments grouped per target; the paragraphs of these drafts)."""
    from dialogue.models import Comment, CommentState

    if not drafts:
        return {}
    draft_ids = [draft.pk for draft in drafts]
    draft_type = ContentType.objects.get_for_model(Draft)
    paragraph_type = ContentType.objects.get_for_model(Paragraph)
    comment_type = ContentType.objects.get_for_model(Comment)
    paragraphs = Paragraph.objects.filter(version__draft_id__in=draft_ids)
    overdue = Exists(
        Obligation.objects.filter(
            kind=services.COMMENT_KIND,
            content_type=comment_type,
            object_id=Cast(OuterRef("pk"), CharField()),
            answered_at__isnull=True,
            withdrawn_at__isnull=True,
            due_at__lt=now,
        )
    )
    grouped = (
        Comment.objects.filter(reply_to__isnull=True)
        .filter(
            Q(target_type=draft_type, target_pk__in=[str(pk) for pk in draft_ids])
            | Q(
                target_type=paragraph_type,
                target_pk__in=paragraphs.annotate(key=Cast("pk", CharField())).values("key"),
            )
        )
        .values("target_type_id", "target_pk")
        .annotate(
            total=Count("pk"),
            answered=Count("legal_draft_disposition"),
            unanswered=Count(
                "pk",
                filter=Q(state=CommentState.VISIBLE, legal_draft_disposition__isnull=True),
            ),
            overdue=Count("pk", filter=Q(overdue)),
        )
        .order_by()
    )
    grouped = list(grouped)
    paragraph_draft: dict[str, int] = {}
    if any(row["target_type_id"] == paragraph_type.pk for row in grouped):
        paragraph_draft = {
            str(pk): draft_id for pk, draft_id in paragraphs.values_list("pk", "version__draft_id")
        }
    counts: dict[int, dict[str, int]] = {
        pk: {"comments": 0, "answered": 0, "unanswered": 0, "overdue": 0} for pk in draft_ids
    }
    for row in grouped:
        if row["target_type_id"] == draft_type.pk:
            draft_id = int(row["target_pk"])
        else:
            draft_id = paragraph_draft.get(row["target_pk"])
        if draft_id not in counts:
            continue
        bucket = counts[draft_id]
        bucket["comments"] += row["total"]
        bucket["answered"] += row["answered"]
        bucket["unanswered"] += row["unanswered"]
        bucket["overdue"] += row["overdue"]
    return counts


def _report_state(draft: Draft, published: bool, now: datetime.datetime) -> tuple[str, bool]:
    report = getattr(draft, "report", None)
    if report is not None and report.published_at is not None:
        return _("Published on %(date)s") % {"date": _local_date(report.published_at)}, False
    if draft.outcome == Outcome.WITHDRAWN:
        return _("Not required: the draft was withdrawn"), False
    if not published:
        return _("Not yet due: the text is not published"), False
    obligation = report.obligation if report is not None and report.obligation_id else None
    if obligation is None:
        return _("Not yet published"), False
    if obligation.due_at < now:
        return _("Overdue since %(date)s") % {"date": _local_date(obligation.due_at)}, True
    return _("Due by %(date)s") % {"date": _local_date(obligation.due_at)}, False


def _draft_actions(user, draft: Draft, published: bool) -> list[tuple[str, str]]:
    """The workspace pages the person may use on the draft now (no queries: the roles and
    groups are cached on the user, the report comes with the draft)."""
    pk = draft.pk
    actions = []
    can_change = user.has_perm("legal_drafts.change_draft", draft)
    if can_change:
        actions += [
            (_("Edit the details"), reverse("legal_drafts:draft_edit", kwargs={"pk": pk})),
            (
                _("Upload a new version") if published else _("Upload the text"),
                reverse("legal_drafts:version_upload", kwargs={"pk": pk}),
            ),
            (_("Add documents"), reverse("legal_drafts:attachment_add", kwargs={"pk": pk})),
        ]
    if published and user.has_perm("legal_drafts.extend_draft", draft):
        actions.append(
            (_("Extend the discussion"), reverse("legal_drafts:draft_extend", kwargs={"pk": pk}))
        )
    if published:
        actions.append(
            (_("Answer comments"), reverse("legal_drafts:answer_queue", kwargs={"pk": pk}))
        )
    if user.has_perm("legal_drafts.publish_report", draft) and published:
        actions.append(
            (_("Publish the report"), reverse("legal_drafts:report_publish", kwargs={"pk": pk}))
        )
    if published and user.has_perm("legal_drafts.record_outcome", draft):
        actions.append(
            (_("Record the outcome"), reverse("legal_drafts:draft_outcome", kwargs={"pk": pk}))
        )
    if user.has_perm("legal_drafts.withdraw_draft", draft):
        actions.append(
            (_("Withdraw the draft"), reverse("legal_drafts:draft_withdraw", kwargs={"pk": pk}))
        )
    return actions


@login_required
@require_safe
def agency_drafts(request: HttpRequest, agency: str) -> HttpResponse:
    """Every draft of the agency, unpublished ones too, newest first, with its counts.
    A bounded number of queries whatever the number of drafts or comments."""
    agency = get_object_or_404(Agency, slug=agency)
    if not _works_for(request.user, agency):
        return _not_staff(request, agency)
    now = timezone.now()
    drafts = (
        Draft.objects.filter(agency=agency)
        .select_related("type", "report", "report__obligation")
        .annotate(has_published=_has_published_version())
        .order_by("-created_at", "-pk")
    )
    page = Paginator(drafts, DRAFTS_PER_PAGE).get_page(request.GET.get("page"))
    drafts = list(page.object_list)
    counts = comment_counts(drafts, now)
    rows = []
    for draft in drafts:
        published = bool(draft.has_published)
        status = draft.status_at(now)
        report_text, report_overdue = _report_state(draft, published, now)
        rows.append(
            DraftRow(
                draft=draft,
                published=published,
                status=status,
                status_label=(
                    str(DraftStatus(status).label)
                    if published or draft.outcome
                    else _("in preparation")
                ),
                report_text=report_text,
                report_overdue=report_overdue,
                actions=_draft_actions(request.user, draft, published),
                **counts.get(draft.pk, {}),
            )
        )
    return render(
        request,
        "legal_drafts/workspace/agency_drafts.html",
        {"agency": agency, "rows": rows, "page_obj": page},
    )


# --- Creating and editing a draft -------------------------------------------------------


def _draft_form_page(request, *, agency, form, draft=None, refused="", status=200):
    return render(
        request,
        "legal_drafts/workspace/draft_form.html",
        {"agency": agency, "draft": draft, "form": form, "refused": refused},
        status=403 if refused else status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def draft_create(request: HttpRequest, agency: str) -> HttpResponse:
    agency = get_object_or_404(Agency, slug=agency)
    if not _works_for(request.user, agency):
        return _not_staff(request, agency)
    if request.method != "POST":
        return _draft_form_page(request, agency=agency, form=DraftForm(agency=agency))
    form = DraftForm(request.POST, agency=agency)
    if form.is_valid():
        try:
            draft = services.draft_create(actor=request.user, agency=agency, **form.cleaned_data)
        except PermissionDenied as denied:
            return _draft_form_page(request, agency=agency, form=form, refused=str(denied))
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "The draft was created. Nothing is public yet: upload its text and "
                    "publish the first version."
                ),
            )
            return redirect("legal_drafts:version_upload", pk=draft.pk)
    return _draft_form_page(request, agency=agency, form=form)


def _draft_initial(draft: Draft) -> dict:
    return {
        "type": draft.type_id,
        "title_kk": draft.title_kk,
        "title_ru": draft.title_ru,
        "summary_kk": draft.summary_kk,
        "summary_ru": draft.summary_ru,
        "explanatory_note_kk": draft.explanatory_note_kk,
        "explanatory_note_ru": draft.explanatory_note_ru,
        "responsible_officials": list(draft.responsible_officials.values_list("pk", flat=True)),
        "opens_at": draft.opens_at,
        "closes_at": draft.closes_at,
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def draft_edit(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft_or_404(pk)
    refused = _gate(request, draft, "legal_drafts.change_draft")
    if refused:
        return refused
    locked = draft.versions.filter(published_at__isnull=False).exists()
    initial = _draft_initial(draft)
    if request.method != "POST":
        form = DraftForm(initial=initial, agency=draft.agency, window_locked=locked)
        return _draft_form_page(request, agency=draft.agency, form=form, draft=draft)
    form = DraftForm(request.POST, initial=initial, agency=draft.agency, window_locked=locked)
    if form.is_valid():
        try:
            services.draft_update(draft=draft, actor=request.user, **form.changes())
        except PermissionDenied as denied:
            return _draft_form_page(
                request, agency=draft.agency, form=form, draft=draft, refused=str(denied)
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The draft was saved."))
            return redirect("legal_drafts:workspace_agency", agency=draft.agency.slug)
    return _draft_form_page(request, agency=draft.agency, form=form, draft=draft)


# --- The text: upload, preview, publish --------------------------------------------------


def _problem_rows(failure: ImportFailed) -> list[dict[str, str]]:
    names = {"kk": _("Kazakh"), "ru": _("Russian"), "kk/ru": _("Kazakh and Russian")}
    return [
        {
            "language": names.get(problem.language, problem.language or _("Either text")),
            "location": problem.location,
            "message": problem.message,
        }
        for problem in failure.problems
    ]


def _preview(version: DraftVersion | None) -> dict:
    """The version in preparation, sections with their paragraphs (two queries), and its
    differences from the latest published version (three more)."""
    if version is None:
        return {"version": None}
    sections = list(
        Section.objects.filter(version=version)
        .order_by("order")
        .prefetch_related(Prefetch("paragraphs", queryset=Paragraph.objects.order_by("order")))
    )
    previous = (
        DraftVersion.objects.filter(
            draft_id=version.draft_id, number__lt=version.number, published_at__isnull=False
        )
        .order_by("-number")
        .first()
    )
    changes = None
    if previous is not None:
        changes = [item for item in version_diff(previous, version) if item.status != UNCHANGED]
    return {
        "version": version,
        "sections": sections,
        "previous": previous,
        "changes": changes,
        "paragraph_count": sum(len(section.paragraphs.all()) for section in sections),
    }


def _upload_page(
    request: HttpRequest,
    draft: Draft,
    *,
    docx_form=None,
    markdown_form=None,
    publish_form=None,
    problems=None,
    problems_source="",
    refused="",
) -> HttpResponse:
    version = draft.versions.filter(published_at__isnull=True).first()
    if publish_form is None and version is not None:
        publish_form = PublishVersionForm(
            initial={"note_kk": version.note_kk, "note_ru": version.note_ru}
        )
    context = {
        "draft": draft,
        "docx_form": docx_form or DocxUploadForm(),
        "markdown_form": markdown_form or MarkdownUploadForm(),
        "publish_form": publish_form,
        "problems": problems or [],
        "problems_source": problems_source,
        "refused": refused,
        "published_count": draft.versions.filter(published_at__isnull=False).count(),
        **_preview(version),
    }
    status = 403 if refused else (400 if problems else 200)
    return render(request, "legal_drafts/workspace/version_upload.html", context, status=status)


def _read_docx(form: DocxUploadForm, language: str) -> bytes | None:
    upload = form.cleaned_data[f"docx_{language}"]
    if upload.size > DOCX_MAX_BYTES:
        form.add_error(f"docx_{language}", _("This file is too large (at most 20 MB)."))
        return None
    return upload.read()


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def version_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload the text (two DOCX files, or Markdown pasted or as .md files); on success it
    becomes the version in preparation, previewed here with the button to publish it."""
    draft = _draft_or_404(pk)
    refused = _gate(request, draft, "legal_drafts.change_draft")
    if refused:
        return refused
    if request.method != "POST":
        return _upload_page(request, draft)
    source = request.POST.get("format")
    docx_form = markdown_form = None
    text = None
    try:
        if source == "docx":
            docx_form = DocxUploadForm(request.POST, request.FILES)
            if docx_form.is_valid():
                kk, ru = _read_docx(docx_form, "kk"), _read_docx(docx_form, "ru")
                if kk is not None and ru is not None:
                    text = import_docx(kk=kk, ru=ru)
            form = docx_form
        elif source == "markdown":
            markdown_form = MarkdownUploadForm(request.POST, request.FILES)
            form = markdown_form
            if markdown_form.is_valid():
                text_kk = markdown_form.cleaned_data["text_kk"]
                text_ru = markdown_form.cleaned_data["text_ru"]
                # What came from a file goes back into the boxes: nothing typed is lost.
                data = markdown_form.data.copy()
                data["markdown_kk"], data["markdown_ru"] = text_kk, text_ru
                markdown_form.data = data
                text = import_markdown(kk=text_kk, ru=text_ru)
        else:
            raise Http404
    except ImportFailed as failure:
        return _upload_page(
            request,
            draft,
            docx_form=docx_form,
            markdown_form=markdown_form,
            problems=_problem_rows(failure),
            problems_source=source,
        )
    if text is None:
        return _upload_page(request, draft, docx_form=docx_form, markdown_form=markdown_form)
    try:
        version = services.version_create(
            draft=draft,
            actor=request.user,
            text=text,
            note_kk=form.cleaned_data.get("note_kk", ""),
            note_ru=form.cleaned_data.get("note_ru", ""),
        )
    except PermissionDenied as denied:
        return _upload_page(
            request,
            draft,
            docx_form=docx_form,
            markdown_form=markdown_form,
            refused=str(denied),
        )
    messages.success(
        request,
        _("Version %(number)d was imported: %(count)d paragraphs. Check it below, then publish it.")
        % {"number": version.number, "count": text.paragraph_count},
    )
    return redirect(reverse("legal_drafts:version_upload", kwargs={"pk": draft.pk}) + "#preview")


@login_required
@require_POST
def version_publish(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft_or_404(pk)
    refused = _gate(request, draft, "legal_drafts.change_draft")
    if refused:
        return refused
    version = draft.versions.filter(published_at__isnull=True).first()
    if version is None:
        messages.error(request, _("There is no version in preparation to publish."))
        return redirect("legal_drafts:version_upload", pk=draft.pk)
    form = PublishVersionForm(request.POST)
    if not form.is_valid():
        return _upload_page(request, draft, publish_form=form)
    note_kk = form.cleaned_data["note_kk"].strip()
    note_ru = form.cleaned_data["note_ru"].strip()
    try:
        services.version_publish(
            version=version, actor=request.user, note_kk=note_kk, note_ru=note_ru
        )
    except PermissionDenied as denied:
        return _upload_page(request, draft, publish_form=form, refused=str(denied))
    except ValidationError as error:
        _add_service_errors(form, error)
        return _upload_page(request, draft, publish_form=form)
    messages.success(
        request,
        _("Version %(number)d is published and can no longer be changed.")
        % {"number": version.number},
    )
    return redirect("legal_drafts:workspace_agency", agency=draft.agency.slug)


# --- Simple actions: documents, extension, withdrawal, outcome ---------------------------


@dataclass(frozen=True)
class _Action:
    name: str
    perm: str
    form_class: type[forms.Form]
    title: Callable[[], str]
    intro: Callable[[Draft], str]
    submit: Callable[[], str]
    perform: Callable[[HttpRequest, Draft, dict], str]
    danger: bool = False
    multipart: bool = False
    stay: bool = False  # after success, back to the same page (to add more)


def _action_page(request, draft, action: _Action, form, *, refused="", extra=None):
    return render(
        request,
        "legal_drafts/workspace/action.html",
        {
            "draft": draft,
            "action": action,
            "form": form,
            "intro": action.intro(draft),
            "action_url": reverse(f"legal_drafts:{action.name}", kwargs={"pk": draft.pk}),
            "files_dropped": bool(request.FILES),
            "refused": refused,
            **(extra or {}),
        },
        status=403 if refused else 200,
    )


def _action_extra(draft: Draft, action: _Action) -> dict:
    if action.name == "attachment_add":
        return {"attachments": list(draft.attachments.order_by("kind", "pk"))}
    return {}


def _handle(request: HttpRequest, pk: int, action: _Action) -> HttpResponse:
    draft = _draft_or_404(pk)
    refused = _gate(request, draft, action.perm)
    if refused:
        if request.method == "POST" and _works_for(request.user, draft.agency):
            # The draft moved on while the official was typing: show what they typed.
            form = action.form_class(request.POST)
            form.is_valid()
            return _action_page(
                request, draft, action, form, refused=_refusal(request.user, action.perm, draft)
            )
        return refused
    extra = _action_extra(draft, action)
    if request.method != "POST":
        return _action_page(request, draft, action, action.form_class(), extra=extra)
    form = action.form_class(request.POST, request.FILES or None)
    if form.is_valid():
        try:
            success = action.perform(request, draft, form.cleaned_data)
        except PermissionDenied as denied:
            return _action_page(request, draft, action, form, refused=str(denied), extra=extra)
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, success)
            if action.stay:
                return redirect(f"legal_drafts:{action.name}", pk=pk)
            return redirect("legal_drafts:workspace_agency", agency=draft.agency.slug)
    return _action_page(request, draft, action, form, extra=extra)


def _attach(request, draft, data) -> str:
    created = services.attachment_add(
        draft=draft, actor=request.user, kind=data["kind"], files=data["attachments"]
    )
    return ngettext(
        "%(count)d document was added.", "%(count)d documents were added.", len(created)
    ) % {"count": len(created)}


def _extend(request, draft, data) -> str:
    services.draft_extend(
        draft=draft,
        actor=request.user,
        new_closes_at=data["new_closes_at"],
        reason=data["reason"],
    )
    return _("The discussion was extended until %(date)s.") % {
        "date": _local_date(data["new_closes_at"])
    }


def _withdraw(request, draft, data) -> str:
    services.draft_withdraw(draft=draft, actor=request.user, reason=data["reason"])
    return _("The draft was withdrawn.")


def _outcome(request, draft, data) -> str:
    services.draft_record_outcome(
        draft=draft,
        actor=request.user,
        outcome=data["outcome"],
        adopted_url=data.get("adopted_url") or "",
        adopted_on=data.get("adopted_on"),
    )
    return _("The outcome was recorded.")


def _extend_intro(draft: Draft) -> str:
    return _(
        "The discussion now closes on %(date)s. It can be extended once, before it closes; "
        "the reason is published and the agency's duties are counted from the new close."
    ) % {"date": date_format(timezone.localtime(draft.effective_closes_at), "DATETIME_FORMAT")}


ATTACH = _Action(
    name="attachment_add",
    perm="legal_drafts.change_draft",
    form_class=AttachmentForm,
    title=lambda: _("Add documents"),
    intro=lambda draft: _(
        "The explanatory note, the business chamber's opinion, the anti-corruption "
        "expertise or other documents, as PDF or DOCX. They are published with the draft."
    ),
    submit=lambda: _("Add the documents"),
    perform=_attach,
    multipart=True,
    stay=True,
)
EXTEND = _Action(
    name="draft_extend",
    perm="legal_drafts.extend_draft",
    form_class=ExtendForm,
    title=lambda: _("Extend the discussion"),
    intro=_extend_intro,
    submit=lambda: _("Extend the discussion"),
    perform=_extend,
)
WITHDRAW = _Action(
    name="draft_withdraw",
    perm="legal_drafts.withdraw_draft",
    form_class=WithdrawForm,
    title=lambda: _("Withdraw the draft"),
    intro=lambda draft: _(
        "A withdrawn draft stays readable with its comments, with the reason; every open "
        "duty of the agency on it ends. This cannot be undone."
    ),
    submit=lambda: _("Withdraw the draft"),
    perform=_withdraw,
    danger=True,
)
OUTCOME = _Action(
    name="draft_outcome",
    perm="legal_drafts.record_outcome",
    form_class=OutcomeForm,
    title=lambda: _("Record the outcome"),
    intro=lambda draft: _(
        "After the discussion: the act was adopted (give the link and the date) or sent "
        "back for revision. The discussion report is still owed."
    ),
    submit=lambda: _("Record the outcome"),
    perform=_outcome,
)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _handle(request, pk, ATTACH)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def draft_extend(request: HttpRequest, pk: int) -> HttpResponse:
    return _handle(request, pk, EXTEND)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def draft_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _handle(request, pk, WITHDRAW)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def draft_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    return _handle(request, pk, OUTCOME)


# --- Answering comments -----------------------------------------------------------------


@dataclass
class QueueRow:
    comment: object
    author: str
    paragraph: Paragraph | None
    excerpt: str
    due_at: datetime.datetime | None
    overdue: bool
    disposition: object | None
    form: DispositionForm | None


def _author(comment) -> str:
    if comment.organisation_id:
        return comment.organisation.name
    return comment.user.public_name if comment.user_id else ""


def _queue_anchors(draft: Draft) -> list[str]:
    seen: dict[str, None] = {}
    for anchor in (
        Paragraph.objects.filter(version__draft=draft)
        .order_by("version__number", "order")
        .values_list("anchor", flat=True)
    ):
        seen.setdefault(anchor, None)
    return list(seen)


@login_required
@require_safe
def answer_queue(request: HttpRequest, pk: int) -> HttpResponse:
    """The draft's top-level comments, oldest first, 25 a page, with the paragraph, the
    author's public name, the duty's due date and (for the drafting agency's head and
    drafters) a disposition form. A bounded number of queries whatever their number."""
    from dialogue.models import Comment, CommentState

    draft = _draft_or_404(pk)
    refused = _gate(request, draft, None)
    if refused:
        return refused
    now = timezone.now()
    anchors = _queue_anchors(draft)
    filters = QueueFilterForm(request.GET or None, anchors=anchors)
    status = filters.value("status") or QueueFilterForm.UNANSWERED
    anchor = filters.value("anchor")
    comments = services.top_level_comments(draft)
    tallies = comments.aggregate(
        all=Count("pk"),
        answered=Count("legal_draft_disposition"),
        unanswered=Count(
            "pk", filter=Q(state=CommentState.VISIBLE, legal_draft_disposition__isnull=True)
        ),
    )
    if status == QueueFilterForm.UNANSWERED:
        comments = comments.filter(state=CommentState.VISIBLE, legal_draft_disposition__isnull=True)
    elif status == QueueFilterForm.ANSWERED:
        comments = comments.filter(legal_draft_disposition__isnull=False)
    if anchor == QueueFilterForm.WHOLE_DRAFT:
        comments = comments.filter(target_type=ContentType.objects.get_for_model(Draft))
    elif anchor:
        comments = comments.filter(
            target_type=ContentType.objects.get_for_model(Paragraph),
            target_pk__in=Paragraph.objects.filter(version__draft=draft, anchor=anchor)
            .annotate(key=Cast("pk", CharField()))
            .values("key"),
        )
    comments = comments.select_related(
        "user", "organisation", "legal_draft_disposition__responder"
    ).order_by("posted_at", "pk")
    page = Paginator(comments, QUEUE_PER_PAGE).get_page(request.GET.get("page"))
    page_comments = list(page.object_list)

    paragraph_type = ContentType.objects.get_for_model(Paragraph)
    paragraph_ids = {
        int(comment.target_pk)
        for comment in page_comments
        if comment.target_type_id == paragraph_type.pk
    }
    paragraphs = (
        Paragraph.objects.select_related("version").in_bulk(paragraph_ids) if paragraph_ids else {}
    )
    duties: dict[str, Obligation] = {}
    if page_comments:
        for obligation in Obligation.objects.filter(
            kind=services.COMMENT_KIND,
            content_type=ContentType.objects.get_for_model(Comment),
            object_id__in=[str(comment.pk) for comment in page_comments],
        ).order_by("opened_at", "pk"):
            duties[obligation.object_id] = obligation  # the latest wins (an extension)
    may_answer = request.user.has_perm("legal_drafts.give_disposition", draft)
    rows = []
    for comment in page_comments:
        paragraph = (
            paragraphs.get(int(comment.target_pk))
            if comment.target_type_id == paragraph_type.pk
            else None
        )
        disposition = getattr(comment, "legal_draft_disposition", None)
        duty = duties.get(str(comment.pk))
        open_duty = duty is not None and duty.answered_at is None and duty.withdrawn_at is None
        answerable = may_answer and disposition is None and comment.state == CommentState.VISIBLE
        rows.append(
            QueueRow(
                comment=comment,
                author=_author(comment),
                paragraph=paragraph,
                excerpt=Truncator(paragraph.text).words(30) if paragraph else "",
                due_at=duty.due_at if duty is not None else None,
                overdue=open_duty and duty.due_at < now,
                disposition=disposition,
                form=DispositionForm(auto_id=f"disposition-{comment.pk}-%s")
                if answerable
                else None,
            )
        )
    querystring = urlencode({k: v for k, v in (("status", status), ("anchor", anchor)) if v})
    return render(
        request,
        "legal_drafts/workspace/answer_queue.html",
        {
            "draft": draft,
            "filters": filters,
            "status": status,
            "anchor": anchor,
            "tallies": tallies,
            "rows": rows,
            "page_obj": page,
            "querystring": querystring,
            "may_answer": may_answer,
            "next": request.get_full_path(),
        },
    )


def _disposition_page(request, comment, draft, form, *, refused=""):
    paragraph = None
    if comment.target_type_id == ContentType.objects.get_for_model(Paragraph).pk:
        paragraph = Paragraph.objects.select_related("version").filter(pk=comment.target_pk).first()
    back = reverse("legal_drafts:answer_queue", kwargs={"pk": draft.pk})
    return render(
        request,
        "legal_drafts/workspace/disposition.html",
        {
            "draft": draft,
            "comment": comment,
            "author": _author(comment),
            "paragraph": paragraph,
            "form": form,
            "next": safe_next(request, back),
            "refused": refused,
        },
        status=403 if refused else 200,
    )


@login_required
@require_POST
def disposition_give(request: HttpRequest, comment_pk: int) -> HttpResponse:
    from dialogue.models import Comment

    comment = get_object_or_404(
        Comment.objects.select_related("user", "organisation", "target_type"), pk=comment_pk
    )
    draft = services.draft_of_comment(comment)
    if draft is None:
        raise Http404
    draft = _draft_or_404(draft.pk)
    if not _works_for(request.user, draft.agency):
        return _not_staff(request, draft.agency)
    form = DispositionForm(request.POST, auto_id=f"disposition-{comment.pk}-%s")
    if form.is_valid():
        try:
            services.disposition_give(
                comment=comment,
                actor=request.user,
                value=form.cleaned_data["value"],
                reason=form.cleaned_data["reason"],
            )
        except PermissionDenied as denied:
            return _disposition_page(request, comment, draft, form, refused=str(denied))
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Your disposition on comment #%(number)d was published; its author is told.")
                % {"number": comment.pk},
            )
            return redirect(
                safe_next(request, reverse("legal_drafts:answer_queue", kwargs={"pk": draft.pk}))
            )
    return _disposition_page(request, comment, draft, form)


# --- The report -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_publish(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft_or_404(pk)
    perm = "legal_drafts.publish_report"
    refused = _gate(request, draft, perm)
    if refused:
        return refused
    form = ReportForm(request.POST if request.method == "POST" else None)
    unanswered_error = False
    if request.method == "POST" and form.is_valid():
        try:
            services.report_publish(
                draft=draft,
                actor=request.user,
                summary_kk=form.cleaned_data["summary_kk"],
                summary_ru=form.cleaned_data["summary_ru"],
            )
        except PermissionDenied as denied:
            return _forbidden(
                request,
                str(denied),
                back_url=reverse(
                    "legal_drafts:workspace_agency", kwargs={"agency": draft.agency.slug}
                ),
            )
        except ValidationError as error:
            unanswered_error = not hasattr(error, "error_dict") and any(
                item.code == "unanswered" for item in error.error_list
            )
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The discussion report is published."))
            return redirect("legal_drafts:report", pk=draft.pk)
    counts = selectors.report_counts(draft)
    return render(
        request,
        "legal_drafts/workspace/report_publish.html",
        {
            "draft": draft,
            "form": form,
            "counts": counts,
            "by_disposition": [
                (label, counts.by_disposition.get(value, 0))
                for value, label in _disposition_choices()
            ],
            "unanswered_error": unanswered_error,
            "queue_unanswered_url": reverse("legal_drafts:answer_queue", kwargs={"pk": draft.pk})
            + "?status=unanswered",
        },
    )


def _disposition_choices():
    from .models import DispositionValue

    return DispositionValue.choices
