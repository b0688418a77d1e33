"""Screens of discussion threads: the public list, a thread with its support button and
the state of the agency's reply (replies are the conversation layer's include), starting
and withdrawing a thread, and the agencies' side: the reply queue of the threads their
heads and responders must answer, and the deadline page (extend, redirect).

Every change goes through `services.py`; every read of more than one row through
`selectors.py`. Everything works without JavaScript (support is a POST form); the pages
name their live groups so live.js can say "reload to see it" when the reply status
changes or a comment arrives.
"""

from __future__ import annotations

import datetime

import rules
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Agency
from accounts.rules import can_participate
from dialogue.selectors import target_live_group
from tracking import calendar
from tracking.models import ObligationRedirect
from tracking.services import ObligationError

from . import selectors, services
from .forms import ExtendForm, RedirectForm, ThreadFilterForm, ThreadForm
from .models import Thread, support_level
from .rules import is_not_blocked

THREADS_PER_PAGE = 20
QUEUE_PER_PAGE = 50


def allowed(user, perm: str, obj=None) -> bool:
    """The rule itself (as the services check it), not `user.has_perm`, which grants a
    superuser everything."""
    return rules.has_perm(perm, user, obj)


def client_ip(request: HttpRequest) -> str | None:
    """The address the posting limits count (the proxy sets REMOTE_ADDR, see deployment)."""
    return request.META.get("REMOTE_ADDR") or None


def _add_errors(form, error: ValidationError) -> None:
    """A service's ValidationError onto the form: next to its field when the form has it."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _refused(request: HttpRequest, message: str, *, thread: Thread | None = None, code: str = ""):
    return render(
        request,
        "threads/refused.html",
        {"message": message, "thread": thread, "code": code},
        status=403,
    )


def _detail_url(thread: Thread, anchor: str = "") -> str:
    url = reverse("threads:detail", args=[thread.pk])
    return f"{url}#{anchor}" if anchor else url


def due_text(due_at: datetime.datetime, now: datetime.datetime) -> str:
    """ "N working days left", "Due today" or "Overdue by N working days", in words (the
    state is never shown by colour alone)."""
    today, due = calendar.local_date(now), calendar.local_date(due_at)
    if due_at < now:
        late = calendar.working_days_between(due, today)
        if late <= 0:  # due on Friday, and it is Saturday
            return _("Overdue since %(date)s") % {"date": date_format(due, "DATE_FORMAT")}
        return ngettext(
            "Overdue by %(count)d working day", "Overdue by %(count)d working days", late
        ) % {"count": late}
    if due == today:
        return _("Due today")
    left = max(calendar.working_days_between(today, due), 0)
    return ngettext("%(count)d working day left", "%(count)d working days left", left) % {
        "count": left
    }


# --- The list -------------------------------------------------------------------------------


@require_GET
def thread_index(request: HttpRequest) -> HttpResponse:
    """Listed threads, 20 a page, newest first unless sorted otherwise."""
    form = ThreadFilterForm(request.GET or None)
    threads = selectors.public_list(**form.values())
    page_obj = Paginator(threads, THREADS_PER_PAGE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = list(page_obj.object_list)
    for thread in rows:
        thread.status = thread.reply_status(now)
    return render(
        request,
        "threads/thread_index.html",
        {
            "form": form,
            "page_obj": page_obj,
            "threads": rows,
            "querystring": form.querystring(),
            "support_level": support_level(),
        },
    )


# --- A thread -------------------------------------------------------------------------------


def _get_thread(pk: int) -> Thread:
    try:
        return selectors.thread_detail(pk)
    except Thread.DoesNotExist:
        raise Http404 from None


def _support_refusal(user, thread: Thread) -> tuple[str, str] | None:
    """Why `user` sees no support button, as (code, message); None when they may."""
    if not user.is_authenticated:
        return "anonymous", _("Sign in to support this discussion.")
    if not thread.is_open:
        return "closed", _("This discussion no longer takes support.")
    if thread.author_id == user.pk:
        return "author", _("You started this discussion: support counts other people.")
    if not can_participate(user):
        return "unverified", _("Confirm your email address to support discussions.")
    if not is_not_blocked(user):
        return "blocked", _("Your account is blocked from taking part.")
    return None


@require_GET
def thread_detail(request: HttpRequest, pk: int) -> HttpResponse:
    thread = _get_thread(pk)
    user = request.user
    now = timezone.now()
    is_author = user.is_authenticated and thread.author_id == user.pk
    show_text = thread.is_open or allowed(user, "threads.see_hidden_thread", thread)
    obligation = thread.obligation if thread.obligation_id else None
    official_reply = None
    if thread.official_reply_id:
        from dialogue.models import Comment

        official_reply = (
            Comment.objects.select_related("agency").filter(pk=thread.official_reply_id).first()
        )
    redirects = []
    if obligation is not None and obligation.withdrawn_at is None:
        redirects = list(
            ObligationRedirect.objects.filter(obligation=obligation)
            .select_related("from_agency", "to_agency")
            .order_by("at", "pk")
        )
    status = thread.reply_status(now)
    supported = selectors.supports(thread, user) if thread.is_open else False
    level = support_level()
    responds = bool(
        thread.addressee_id
        and user.is_authenticated
        and thread.addressee_id in selectors.responder_agency_ids(user)
    )
    context = {
        "thread": thread,
        "is_author": is_author,
        "show_text": show_text,
        # The replies and the reply's state: public unless a moderator hid the thread.
        "show_discussion": thread.hidden_at is None or show_text,
        "obligation": obligation,
        "status": status,
        "due_text": due_text(obligation.due_at, now) if status in ("due", "overdue") else "",
        "answered_on_time": bool(
            obligation is not None
            and obligation.answered_at
            and obligation.answered_at <= obligation.due_at
        ),
        "official_reply": official_reply,
        "redirects": redirects,
        "supported": supported,
        "support_refusal": None if supported else _support_refusal(user, thread),
        "support_level": level,
        # Below the level, addressed, no reply yet: what more support would bring.
        "shows_progress": bool(
            thread.addressee_id
            and thread.is_open
            and status == ""
            and obligation is None
            and thread.support_count < level
        ),
        "can_withdraw": is_author and allowed(user, "threads.withdraw_thread", thread),
        "responds": responds,
        "can_manage_deadline": responds
        and status in ("due", "overdue")
        and (
            allowed(user, "tracking.extend_obligation", obligation)
            or allowed(user, "tracking.redirect_obligation", obligation)
        ),
        "live_groups": [services.thread_group(thread.pk), target_live_group(thread)],
    }
    return render(request, "threads/thread_detail.html", context)


@require_POST
def thread_support(request: HttpRequest, pk: int) -> HttpResponse:
    thread = _get_thread(pk)
    back = _detail_url(thread, "support")
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    try:
        created = services.thread_support(thread=thread, user=request.user)
    except PermissionDenied:
        refusal = _support_refusal(request.user, thread)
        messages.error(request, refusal[1] if refusal else _("You cannot support this discussion."))
    else:
        if created:
            messages.success(request, _("Thank you: your support is counted."))
        else:
            messages.info(request, _("You already support this discussion."))
    return HttpResponseRedirect(back)


@require_POST
def thread_unsupport(request: HttpRequest, pk: int) -> HttpResponse:
    thread = _get_thread(pk)
    back = _detail_url(thread, "support")
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    try:
        removed = services.thread_unsupport(thread=thread, user=request.user)
    except PermissionDenied as denied:
        messages.error(request, str(denied))
    else:
        if removed:
            messages.success(request, _("Your support is withdrawn."))
        else:
            messages.info(request, _("You did not support this discussion."))
    return HttpResponseRedirect(back)


# --- Starting and withdrawing ----------------------------------------------------------------


def _start_refusal(user) -> tuple[str, str] | None:
    if not can_participate(user):
        return "unverified", _("Confirm your email address to start a discussion.")
    if not is_not_blocked(user):
        return "blocked", _("Your account is blocked from posting.")
    return None


@require_http_methods(["GET", "POST"])
def thread_create(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    refusal = _start_refusal(request.user)
    if refusal is not None:
        return _refused(request, refusal[1], code=refusal[0])
    if request.method != "POST":
        initial = {}
        agency_slug = request.GET.get("agency", "")
        if agency_slug:  # "Start a discussion addressed to us" from an agency's page
            agency = Agency.objects.filter(slug=agency_slug, is_active=True).first()
            if agency is not None:
                initial["addressee"] = agency.pk
        return render(request, "threads/thread_form.html", {"form": ThreadForm(initial=initial)})
    form = ThreadForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            thread = services.thread_start(
                author=request.user,
                title=data["title"],
                text=data["text"],
                category=data["category"],
                region=data["region"] or "",
                addressee=data["addressee"],
                ip=client_ip(request),
            )
        except ValidationError as error:
            _add_errors(form, error)
        except PermissionDenied as denied:
            return _refused(request, str(denied))
        else:
            messages.success(request, _("Your discussion is published."))
            return HttpResponseRedirect(_detail_url(thread))
    return render(request, "threads/thread_form.html", {"form": form}, status=400)


@require_http_methods(["GET", "POST"])
def thread_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the confirmation; POST: withdraw."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    thread = _get_thread(pk)
    if not allowed(request.user, "threads.withdraw_thread", thread):
        return _refused(
            request,
            _(
                "Only the author can withdraw a discussion, and not while an agency owes "
                "its official reply."
            ),
            thread=thread,
        )
    if request.method == "POST":
        try:
            services.thread_withdraw(thread=thread, actor=request.user)
        except PermissionDenied as denied:
            return _refused(request, str(denied), thread=thread)
        messages.success(request, _("Your discussion is withdrawn."))
        return HttpResponseRedirect(_detail_url(thread))
    return render(request, "threads/thread_withdraw.html", {"thread": thread})


# --- The agencies' side ------------------------------------------------------------------------


@require_GET
def agency_queue(request: HttpRequest) -> HttpResponse:
    """Threads addressed to the viewer's agencies (head or responder) that await the
    official reply, the earliest due first; `?agency=<slug>` narrows to one. Below them,
    addressed threads not yet at the support level."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    agency_ids = selectors.responder_agency_ids(request.user)
    if not agency_ids:
        return _refused(
            request,
            _(
                "This page is for the heads and responders of agencies that discussions "
                "are addressed to."
            ),
        )
    agencies = list(Agency.objects.filter(pk__in=agency_ids).order_by("pk"))
    chosen = None
    slug = request.GET.get("agency", "")
    if slug:
        chosen = next((agency for agency in agencies if agency.slug == slug), None)
        if chosen is None:
            raise Http404
    ids = [chosen.pk] if chosen else agency_ids
    now = timezone.now()
    page_obj = Paginator(selectors.awaiting_reply_for(ids), QUEUE_PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = list(page_obj.object_list)
    user = request.user
    for thread in rows:
        thread.overdue = thread.obligation.due_at < now
        thread.due_text = due_text(thread.obligation.due_at, now)
        thread.can_change_deadline = allowed(
            user, "tracking.extend_obligation", thread.obligation
        ) or allowed(user, "tracking.redirect_obligation", thread.obligation)
    return render(
        request,
        "threads/agency_queue.html",
        {
            "agencies": agencies,
            "chosen": chosen,
            "page_obj": page_obj,
            "threads": rows,
            "unanswered": selectors.addressed_unanswered(ids),
            "support_level": support_level(),
            "live_groups": [services.agency_queue_group(agency_id) for agency_id in ids][:20],
        },
    )


@require_http_methods(["GET", "POST"])
def thread_deadline(request: HttpRequest, pk: int) -> HttpResponse:
    """The addressee's heads and responders: extend the due date once, or redirect the
    duty to the competent agency (POST `action=extend|redirect`)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    thread = _get_thread(pk)
    obligation = thread.obligation if thread.awaits_reply else None
    user = request.user
    may_extend = obligation is not None and allowed(user, "tracking.extend_obligation", obligation)
    may_redirect = obligation is not None and allowed(
        user, "tracking.redirect_obligation", obligation
    )
    if not (may_extend or may_redirect):
        return _refused(
            request,
            _(
                "Only the agency's head or responders can change this deadline: extend it "
                "once before it passes, or redirect it within 3 working days."
            ),
            thread=thread,
        )
    action = request.POST.get("action") if request.method == "POST" else ""
    extend_form = ExtendForm(request.POST if action == "extend" else None, thread=thread)
    redirect_form = RedirectForm(request.POST if action == "redirect" else None, thread=thread)
    status = 200
    if action == "extend" and may_extend and extend_form.is_valid():
        data = extend_form.cleaned_data
        try:
            services.thread_extend(
                thread=thread,
                actor=user,
                new_due_date=data["new_due_date"],
                reason=data["reason"],
            )
        except ObligationError as error:
            extend_form.add_error("new_due_date", str(error))
        except PermissionDenied as denied:
            return _refused(request, str(denied), thread=thread)
        else:
            messages.success(
                request,
                _("The deadline was extended to %(date)s. The followers are told.")
                % {"date": date_format(data["new_due_date"], "DATE_FORMAT")},
            )
            return HttpResponseRedirect(_detail_url(thread, "reply-status"))
    elif action == "redirect" and may_redirect and redirect_form.is_valid():
        data = redirect_form.cleaned_data
        try:
            services.thread_redirect(
                thread=thread, actor=user, to_agency=data["to_agency"], reason=data["reason"]
            )
        except ObligationError as error:
            redirect_form.add_error("reason", str(error))
        except ValidationError as error:
            _add_errors(redirect_form, error)
        except PermissionDenied as denied:
            return _refused(request, str(denied), thread=thread)
        else:
            messages.success(
                request,
                _("The discussion was sent on to %(agency)s.") % {"agency": data["to_agency"].name},
            )
            return HttpResponseRedirect(reverse("threads:agency"))
    if action:
        status = 400
    return render(
        request,
        "threads/thread_deadline.html",
        {
            "thread": thread,
            "obligation": obligation,
            "due_text": due_text(obligation.due_at, timezone.now()),
            "extend_form": extend_form if may_extend else None,
            "redirect_form": redirect_form if may_redirect else None,
        },
        status=status,
    )
