"""The petitions workspace: the platform's moderators and the addressed bodies.

- `moderation_queue`: petitions awaiting moderation, the earliest due first, with the
  duty's due date in words and who took each one; below, the recently published ones
  (to invalidate signatures, to hide);
- `petition_moderate`: one petition in full with its files and the decisions (take it,
  publish, reject with a reason, hide, restore), POSTed to the same address;
- `trends`: the IP addresses and email domains signing most in a window (personal data:
  moderators only), each linking to a prefilled invalidation;
- `signatures_invalidate`: a bulk invalidation, counted first (preview) and done only
  when the moderator confirms, with the petition's past batches;
- `response_queue` / `petition_respond`: what the addressee's head and responders owe,
  and the response form.

Every change goes through `services.py`, which checks the permission again and decides:
its `PermissionDenied` becomes a 403 page saying why (keeping what was typed), its
`ValidationError` errors on the form's fields. Nothing changes on GET.

Superusers: Django grants an active superuser every permission whatever the petition's
state, so for them `_may` asks the `rules` predicates alone (which count superusers as
moderators, never as an addressee's responders).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import rules
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from accounts.collation import localized_order
from accounts.models import Agency, Membership
from accounts.selectors import agency_roles
from ashyq.http import safe_next
from ashyq.i18n import active_language
from tracking import calendar

from . import selectors, services
from .models import (
    COLLECTING_STATES,
    Invalidation,
    InvalidationKind,
    Petition,
    PetitionState,
    Signature,
)
from .rules import is_moderator
from .workspace_forms import (
    HideForm,
    InvalidateForm,
    RejectForm,
    ResponseForm,
    TrendsForm,
)

QUEUE_PER_PAGE = 25
RECENT_LIMIT = 20
RESPONSES_PER_PAGE = 25
BREAKDOWN_ROWS = 200  # (value, petition) pairs read for the trends' per-petition lists
BREAKDOWN_PER_VALUE = 5
DUE_SOON_DAYS = 3  # working days
RESPONDING_ROLES = frozenset({Membership.Role.HEAD, Membership.Role.RESPONDER})


# --- Who may see what ------------------------------------------------------------------------


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_petition_moderator(user) -> bool:
    """Platform moderators and superusers (the superuser test first: no groups query)."""
    return _active(user) and bool(is_moderator.test(user))


def responding_agency_ids(user) -> set[int]:
    """The agencies where the person is head or responder (memberships cached per request)."""
    if not _active(user):
        return set()
    return {pk for pk, roles in agency_roles(user).items() if roles & RESPONDING_ROLES}


def _may(user, perm: str, petition: Petition) -> bool:
    if user.is_superuser:
        return _active(user) and rules.has_perm(perm, user, petition)
    return user.has_perm(perm, petition)


def _forbidden(request: HttpRequest, message: str, *, back_url: str = "") -> HttpResponse:
    return render(
        request,
        "petitions/workspace/forbidden.html",
        {"message": message, "back_url": back_url},
        status=403,
    )


def _not_moderator(request: HttpRequest) -> HttpResponse:
    return _forbidden(
        request,
        _("Only the platform's moderators moderate petitions and review signatures."),
        back_url=reverse("petitions:index"),
    )


def _add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's `ValidationError({field: ...})` next to the field when the form has it,
    above the form otherwise."""
    if hasattr(error, "error_dict"):
        for name, field_errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, field_errors)
    else:
        form.add_error(None, error)


# --- Dates -------------------------------------------------------------------------------------


def _date_text(moment: datetime.datetime) -> str:
    return date_format(calendar.local_date(moment), "DATE_FORMAT")


@dataclass(frozen=True)
class Due:
    """A duty's due date as the queues show it."""

    at: datetime.datetime
    date: datetime.date
    text: str  # "3 working days left", "Overdue by 2 working days"
    overdue: bool
    soon: bool


def due(due_at: datetime.datetime | None, now, working: calendar.WorkingCalendar) -> Due | None:
    if due_at is None:
        return None
    today, day = calendar.local_date(now), calendar.local_date(due_at)
    if due_at < now:
        late = working.working_days_between(day, today)
        if late <= 0:  # due on Friday, and it is Saturday
            text = _("Overdue since %(date)s") % {"date": date_format(day, "DATE_FORMAT")}
        else:
            text = ngettext(
                "Overdue by %(count)d working day", "Overdue by %(count)d working days", late
            ) % {"count": late}
        return Due(at=due_at, date=day, text=text, overdue=True, soon=False)
    left = max(working.working_days_between(today, day), 0)
    if day == today:
        text = _("Due today")
    else:
        text = ngettext("%(count)d working day left", "%(count)d working days left", left) % {
            "count": left
        }
    return Due(at=due_at, date=day, text=text, overdue=False, soon=left <= DUE_SOON_DAYS)


# --- Moderation --------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    petition: Petition
    due: Due | None


@login_required
@require_safe
def moderation_queue(request: HttpRequest) -> HttpResponse:
    """Three queries past the session: the count and the page of the queue (with the
    author, addressee, moderator and duty joined), and the recent publications."""
    if not is_petition_moderator(request.user):
        return _not_moderator(request)
    now = timezone.now()
    queue = selectors.moderation_queue().order_by(
        "moderation_obligation__due_at", "submitted_at", "pk"
    )
    page = Paginator(queue, QUEUE_PER_PAGE).get_page(request.GET.get("page"))
    working = calendar.WorkingCalendar()
    rows = [
        QueueRow(
            petition=petition,
            due=due(
                petition.moderation_obligation.due_at if petition.moderation_obligation else None,
                now,
                working,
            ),
        )
        for petition in page.object_list
    ]
    recent = list(
        Petition.objects.filter(state__in=COLLECTING_STATES, published_at__isnull=False)
        .select_related("addressee")
        .order_by("-published_at", "-pk")[:RECENT_LIMIT]
    )
    return render(
        request,
        "petitions/workspace/moderation_queue.html",
        {"page_obj": page, "rows": rows, "recent": recent, "now": now},
    )


def _refused_moderation(petition: Petition) -> str:
    if petition.state not in (PetitionState.SUBMITTED, PetitionState.IN_MODERATION):
        return _("This petition has already been moderated (%(state)s).") % {
            "state": petition.get_state_display()
        }
    return _("Only platform moderators can moderate petitions awaiting moderation.")


def _perform(request: HttpRequest, petition: Petition, action: str, form) -> tuple[str, str]:
    """Run the action's service; (message, where to go next)."""
    user = request.user
    here = reverse("petitions:moderate", kwargs={"pk": petition.pk})
    queue = reverse("petitions:moderation")
    if action in ("take", "publish", "reject") and not _may(
        user, "petitions.moderate_petition", petition
    ):
        raise PermissionDenied(_refused_moderation(petition))
    if action in ("hide", "restore") and not _may(user, "petitions.hide_petition", petition):
        raise PermissionDenied(_("You cannot moderate this petition."))
    if action == "take":
        services.moderation_start(petition=petition, actor=user)
        message = _("You are reviewing this petition now; other moderators see that you took it.")
        return message, here
    if action == "publish":
        services.petition_publish(petition=petition, actor=user)
        return (
            _(
                "The petition was published. It needs %(count)d supporters by %(date)s to "
                "become public."
            )
            % {"count": services.support_minimum(), "date": _date_text(petition.support_deadline)},
            queue,
        )
    if action == "reject":
        reason = form.cleaned_data["reason"]
        services.petition_reject(
            petition=petition, actor=user, reason=reason, note=form.cleaned_data["note"]
        )
        if reason.public:
            return (
                _(
                    "The petition was rejected. The author is told the reason, which is shown "
                    "with the petition."
                ),
                queue,
            )
        return (
            _(
                "The petition was rejected with a reason that is not published: only its "
                "author and the moderators can see it."
            ),
            queue,
        )
    if action == "hide":
        services.petition_hide(
            petition=petition,
            actor=user,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
        )
        return _("The petition was hidden. Its page shows the reason instead of its text."), here
    services.petition_restore(petition=petition, actor=user)
    return _("The petition was restored."), here


def _typed(form) -> list[tuple[str, str]]:
    """What the moderator typed in a refused form, as (label, text), to copy."""
    if form is None:
        return []
    typed = []
    for name, field in form.fields.items():
        value = (form.data.get(name) or "").strip()
        if not value:
            continue
        if isinstance(form, RejectForm) and name == "reason":
            reason = form.reasons.get(int(value)) if value.isdigit() else None
            value = reason.label if reason else value
        elif isinstance(field, forms.ChoiceField):
            value = str(dict(field.choices).get(value, value))
        typed.append((str(field.label), value))
    return typed


ACTIONS = {"take": None, "publish": None, "reject": RejectForm, "hide": HideForm, "restore": None}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def petition_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    """The petition in full for a moderator, and the decisions as POSTs with `action`."""
    user = request.user
    if not is_petition_moderator(user):
        return _not_moderator(request)
    petition = get_object_or_404(
        Petition.objects.select_related(
            "author", "addressee", "moderated_by", "moderation_obligation", "rejection_reason"
        ),
        pk=pk,
    )
    forms_: dict = {}
    refused = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            return HttpResponseBadRequest(_("Unknown action."))
        form_class = ACTIONS[action]
        form = form_class(request.POST, auto_id=f"{action}-%s") if form_class else None
        if form is not None:
            forms_[action] = form
        if form is None or form.is_valid():
            try:
                message, fallback = _perform(request, petition, action, form)
            except PermissionDenied as denied:
                refused = str(denied) or _refused_moderation(petition)
            except ValidationError as error:
                if form is None:
                    refused = " ".join(error.messages)
                else:
                    _add_service_errors(form, error)
            else:
                messages.success(request, message)
                return redirect(safe_next(request, fallback))
        if refused:
            petition.refresh_from_db()
        refused_form = forms_.get(action) if refused else None
        return _render_moderate(request, petition, forms_, refused=refused, typed=refused_form)
    return _render_moderate(request, petition, forms_, refused="")


def _render_moderate(
    request, petition: Petition, forms_: dict, *, refused: str, typed=None
) -> HttpResponse:
    from moderation.models import HideReason

    user = request.user
    others = Petition.objects.filter(author_id=petition.author_id).exclude(pk=petition.pk)
    author_counts = others.aggregate(
        total=Count("pk"),
        rejected=Count("pk", filter=Q(state=PetitionState.REJECTED)),
        published=Count("pk", filter=Q(published_at__isnull=False)),
    )
    now = timezone.now()
    may_moderate = _may(user, "petitions.moderate_petition", petition)
    may_hide = _may(user, "petitions.hide_petition", petition)
    visible = petition.published_at is not None or petition.state == PetitionState.REJECTED
    context = {
        "petition": petition,
        "state_label": petition.effective_state_label(now),
        "attachments": list(petition.attachments.all()),
        "author_counts": author_counts,
        "due": due(
            petition.moderation_obligation.due_at
            if petition.moderation_obligation and petition.moderation_obligation.answered_at is None
            else None,
            now,
            calendar.WorkingCalendar(),
        ),
        "may_take": may_moderate and petition.state == PetitionState.SUBMITTED,
        "may_decide": may_moderate,
        "may_hide": may_hide and visible and petition.hidden_at is None,
        "may_restore": may_hide and petition.hidden_at is not None,
        "may_invalidate": _may(user, "petitions.invalidate_signatures", petition),
        "taken_by_other": petition.state == PetitionState.IN_MODERATION
        and petition.moderated_by_id not in (None, user.pk),
        "reject_form": forms_.get("reject") or RejectForm(auto_id="reject-%s"),
        "hide_form": forms_.get("hide") or HideForm(auto_id="hide-%s"),
        "refused": refused,
        "typed": _typed(typed),
        "hidden_reason_label": dict(HideReason.choices).get(
            petition.hidden_reason, petition.hidden_reason
        ),
    }
    return render(
        request,
        "petitions/workspace/moderate.html",
        context,
        status=403 if refused else 200,
    )


# --- Abuse report ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PetitionCount:
    pk: int
    title: str
    count: int


@dataclass(frozen=True)
class TrendRow:
    value: str
    count: int
    petitions: int
    by_petition: list[PetitionCount]


def _by_petition(field: str, values: list[str], since: datetime.datetime) -> dict:
    """{value: its busiest petitions in the window}, one aggregate query for all values."""
    if not values:
        return {}
    pairs = (
        Signature.objects.counted()
        .filter(created_at__gte=since, **{f"{field}__in": values})
        .order_by()
        .values(field, "petition", "petition__title")
        .annotate(n=Count("pk"))
        .order_by("-n", "petition")[:BREAKDOWN_ROWS]
    )
    result: dict[str, list[PetitionCount]] = {}
    for pair in pairs:
        rows = result.setdefault(str(pair[field]), [])
        if len(rows) < BREAKDOWN_PER_VALUE:
            rows.append(PetitionCount(pair["petition"], pair["petition__title"], pair["n"]))
    return result


def _trend_rows(rows, field: str, since, petition: Petition | None) -> list[TrendRow]:
    breakdown = {} if petition else _by_petition(field, [row.value for row in rows], since)
    return [
        TrendRow(
            value=row.value,
            count=row.count,
            petitions=row.petitions,
            by_petition=(
                [PetitionCount(petition.pk, petition.title, row.count)]
                if petition
                else breakdown.get(row.value, [])
            ),
        )
        for row in rows
    ]


@login_required
@require_safe
def trends(request: HttpRequest) -> HttpResponse:
    """Two aggregate queries per dimension (the top values, then their petitions), or one
    when the report is for one petition."""
    if not request.user.has_perm("petitions.view_abuse_report"):
        return _not_moderator(request)
    form = TrendsForm(request.GET or None)
    hours = form.value("hours") or 1
    petition = None
    number = form.value("petition")
    if number:
        petition = Petition.objects.filter(pk=number, published_at__isnull=False).first()
        if petition is None:
            form.add_error("petition", _("There is no published petition with this number."))
    now = timezone.now()
    since = now - datetime.timedelta(hours=hours)
    ips = selectors.trending_ips(hours=hours, petition=petition, now=now)
    domains = selectors.trending_domains(hours=hours, petition=petition, now=now)
    return render(
        request,
        "petitions/workspace/trends.html",
        {
            "form": form,
            "hours": hours,
            "petition": petition,
            "since": since,
            "ip_rows": _trend_rows(ips, "ip", since, petition),
            "domain_rows": _trend_rows(domains, "email_domain", since, petition),
        },
    )


# --- Invalidation ------------------------------------------------------------------------------


def _initial_rule(request: HttpRequest) -> dict:
    """The rule prefilled from the abuse report's links (`?ip=` or `?domain=`)."""
    ip, domain = request.GET.get("ip", "").strip(), request.GET.get("domain", "").strip()
    if ip:
        return {"kind": InvalidationKind.IP, "ip": ip}
    if domain:
        return {"kind": InvalidationKind.DOMAIN, "email_domain": domain}
    return {}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def signatures_invalidate(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the form (prefilled from the abuse report) and the past batches. POST without
    `confirm`: the count of signatures the rule covers (one COUNT query) and a button to
    confirm. POST with `confirm`: the service marks them."""
    user = request.user
    if not is_petition_moderator(user):
        return _not_moderator(request)
    petition = get_object_or_404(Petition.objects.select_related("addressee"), pk=pk)
    back = reverse("petitions:moderate", kwargs={"pk": petition.pk})
    if not _may(user, "petitions.invalidate_signatures", petition):
        return _forbidden(
            request,
            _("This petition has no signatures to invalidate: it was never published."),
            back_url=back,
        )
    preview = None
    refused = ""
    if request.method == "POST":
        form = InvalidateForm(request.POST, auto_id="invalidate-%s")
        if form.is_valid():
            if form.cleaned_data["confirm"]:
                try:
                    batch = services.signatures_invalidate(
                        petition=petition, actor=user, **form.arguments()
                    )
                except PermissionDenied as denied:
                    refused = str(denied)
                except ValidationError as error:
                    _add_service_errors(form, error)
                else:
                    messages.success(
                        request,
                        ngettext(
                            "%(count)d signature was invalidated. The petition now counts "
                            "%(total)d signatures.",
                            "%(count)d signatures were invalidated. The petition now counts "
                            "%(total)d signatures.",
                            batch.count,
                        )
                        % {"count": batch.count, "total": petition.signature_count},
                    )
                    return redirect(reverse("petitions:invalidate", kwargs={"pk": petition.pk}))
            else:
                preview = (
                    Signature.objects.filter(petition=petition)
                    .counted()
                    .filter(form.match())
                    .count()
                )
    else:
        form = InvalidateForm(initial=_initial_rule(request), auto_id="invalidate-%s")
    batches = list(
        Invalidation.objects.filter(petition=petition)
        .select_related("actor")
        .order_by("-created_at", "-pk")
    )
    return render(
        request,
        "petitions/workspace/invalidate.html",
        {
            "petition": petition,
            "form": form,
            "preview": preview,
            "batches": batches,
            "invalidated_total": sum(batch.count for batch in batches),
            "refused": refused,
            "back_url": back,
        },
        status=403 if refused else 200,
    )


# --- Responses ---------------------------------------------------------------------------------


@login_required
@require_safe
def response_queue(request: HttpRequest) -> HttpResponse:
    """One agency at a time (`?agency=<slug>`, the first by name otherwise): the
    memberships (cached), the agencies, the count and the page."""
    agency_ids = responding_agency_ids(request.user)
    if not agency_ids:
        return _forbidden(
            request,
            _(
                "The response queue is for the heads and responders of the bodies petitions "
                "are addressed to. Your account has neither role; if it should, ask the head "
                "of your agency."
            ),
            back_url=reverse("petitions:index"),
        )
    lang = active_language()
    agencies = list(
        Agency.objects.filter(pk__in=agency_ids).order_by(
            localized_order(f"name_{lang}", lang), "pk"
        )
    )
    wanted = request.GET.get("agency", "")
    agency = next((a for a in agencies if a.slug == wanted), agencies[0])
    page = Paginator(
        selectors.awaiting_response_for(agency).select_related("addressee"), RESPONSES_PER_PAGE
    ).get_page(request.GET.get("page"))
    now = timezone.now()
    working = calendar.WorkingCalendar()
    rows = [
        QueueRow(
            petition=petition,
            due=due(
                petition.response_obligation.due_at if petition.response_obligation else None,
                now,
                working,
            ),
        )
        for petition in page.object_list
    ]
    return render(
        request,
        "petitions/workspace/response_queue.html",
        {"agency": agency, "agencies": agencies, "page_obj": page, "rows": rows},
    )


def _opted_in(petition: Petition) -> int:
    return Signature.objects.filter(petition=petition, wants_updates=True).counted().count()


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def petition_respond(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    petition = get_object_or_404(
        Petition.objects.select_related("addressee", "response_obligation", "author"), pk=pk
    )
    queue = reverse("petitions:responses")
    staff = petition.addressee_id in responding_agency_ids(user)
    form = (
        ResponseForm(request.POST, request.FILES, auto_id="respond-%s")
        if request.method == "POST"
        else ResponseForm(auto_id="respond-%s")
    )
    refused = ""
    if not _may(user, "petitions.respond_petition", petition):
        if not staff:
            return _forbidden(
                request,
                _("Only the head and responders of %(agency)s answer this petition.")
                % {"agency": petition.addressee.name},
                back_url=petition.get_absolute_url(),
            )
        refused = _(
            "This petition is not awaiting a response: it has been answered, or is not due."
        )
        if request.method != "POST":
            return _forbidden(request, refused, back_url=queue)
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.response_publish(
                petition=petition,
                actor=user,
                text=data["text"],
                decision=data["decision"],
                hearing_date=data["hearing_date"],
                files=data["attachments"],
            )
        except PermissionDenied as denied:
            refused = str(denied)
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            count = _opted_in(petition)
            messages.success(
                request,
                ngettext(
                    "The response was published. It is being sent to the %(count)d signer who "
                    "asked for it and to the petition's followers.",
                    "The response was published. It is being sent to the %(count)d signers "
                    "who asked for it and to the petition's followers.",
                    count,
                )
                % {"count": count},
            )
            return redirect(safe_next(request, queue))
    now = timezone.now()
    obligation = petition.response_obligation
    return render(
        request,
        "petitions/workspace/respond.html",
        {
            "petition": petition,
            "form": form,
            "opted_in": _opted_in(petition),
            "due": due(
                obligation.due_at if obligation and obligation.answered_at is None else None,
                now,
                calendar.WorkingCalendar(),
            ),
            "refused": refused,
            "files_dropped": bool(request.FILES),
            "queue_url": queue,
        },
        status=403 if refused else 200,
    )
