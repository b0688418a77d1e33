"""The agency's side of polls, under `/<lang>/dialogue/polls/manage/`: the polls of the
agencies the person runs polls for (head or responder), a new poll, a poll's page (its
settings, its questions, the results, the CSV files), editing, questions (added, edited,
moved and removed while a draft), publishing and cancelling.

Every change goes through `services.py`, which checks the permission again: its
`PermissionDenied` becomes a 403 page saying why, its `ValidationError` errors on the
form's fields with everything typed kept. Nothing changes on GET.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Agency

from . import selectors, services
from .forms import CancelForm, PollForm, QuestionForm
from .models import Phase, Poll, PollQuestion, PollState
from .rules import can
from .views import add_service_errors

POLLS_PER_PAGE = 25


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(
        request,
        "polls/workspace/forbidden.html",
        {"message": message, "back_url": reverse("polls:index")},
        status=403,
    )


def _not_staff(request: HttpRequest) -> HttpResponse:
    return _forbidden(request, _("Only the heads and responders of agencies run polls."))


def _managed_poll(request: HttpRequest, pk: int) -> Poll:
    """The poll if the person manages it; 404 if they may not even see it; PermissionDenied
    (a 403 page) if they see it but do not manage it."""
    poll = get_object_or_404(Poll.objects.select_related("agency"), pk=pk)
    if not can(request.user, "polls.manage_poll", poll):
        if not can(request.user, "polls.view_poll", poll):
            raise Http404
        raise PermissionDenied(
            _("Only the head and the responders of the poll's agency can change it.")
        )
    return poll


def _manage_url(poll: Poll, anchor: str = "") -> str:
    url = reverse("polls:manage_poll", args=[poll.pk])
    return f"{url}#{anchor}" if anchor else url


def _guarded(view):
    """Login required; a `PermissionDenied` becomes the 403 page with its message."""

    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as denied:
            return _forbidden(request, str(denied) or _("You cannot do this."))

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


# --- The list and a new poll --------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
@_guarded
def manage_index(request: HttpRequest) -> HttpResponse:
    """Every poll of the person's agencies, newest first, with its phase and counts."""
    agency_ids = selectors.managed_agency_ids(request.user)
    if not agency_ids:
        return _not_staff(request)
    now = timezone.now()
    page_obj = Paginator(selectors.managed_polls(request.user), POLLS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    polls = list(page_obj.object_list)
    for poll in polls:
        poll.shown_phase = poll.phase(now)
        poll.shown_phase_label = poll.phase_label(now)
    return render(
        request,
        "polls/workspace/manage_index.html",
        {
            "page_obj": page_obj,
            "polls": polls,
            "agencies": Agency.objects.filter(pk__in=agency_ids).order_by("name_ru", "pk"),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@_guarded
def poll_create(request: HttpRequest) -> HttpResponse:
    agency_ids = selectors.managed_agency_ids(request.user)
    if not agency_ids:
        return _not_staff(request)
    agencies = Agency.objects.filter(pk__in=agency_ids, is_active=True).order_by("name_ru", "pk")
    if not agencies.exists():
        return _not_staff(request)
    form = PollForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        try:
            poll = services.poll_create(
                agency=form.cleaned_data["agency"], actor=request.user, **form.values()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The draft is saved. Now add its questions."))
            return redirect(_manage_url(poll, "questions"))
    return render(request, "polls/workspace/poll_form.html", {"form": form, "poll": None})


# --- One poll ---------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
@_guarded
def poll_manage(request: HttpRequest, pk: int) -> HttpResponse:
    poll = _managed_poll(request, pk)
    now = timezone.now()
    questions = selectors.questions_of(poll)
    phase = poll.phase(now)
    return render(
        request,
        "polls/workspace/poll_manage.html",
        {
            "poll": poll,
            "phase": phase,
            "phase_label": poll.phase_label(now),
            "Phase": Phase,
            "questions": questions,
            "results": selectors.results_of(poll, questions),
            "editable": poll.is_editable,
            "can_edit": poll.state == PollState.DRAFT
            or (poll.state == PollState.PUBLISHED and phase != Phase.CLOSED),
            "can_publish": poll.state == PollState.DRAFT,
            "can_cancel": poll.state != PollState.CANCELLED and phase != Phase.CLOSED,
        },
    )


def _editable_fields(poll: Poll) -> set[str] | None:
    return None if poll.state == PollState.DRAFT else set(services.PUBLISHED_FIELDS)


@require_http_methods(["GET", "HEAD", "POST"])
@_guarded
def poll_edit(request: HttpRequest, pk: int) -> HttpResponse:
    poll = _managed_poll(request, pk)
    if poll.state == PollState.CANCELLED or poll.is_closed():
        raise PermissionDenied(_("A closed or cancelled poll cannot be changed."))
    editable = _editable_fields(poll)
    initial = {field: getattr(poll, field) for field in services.POLL_FIELDS}
    for field in ("opens_at", "closes_at"):
        initial[field] = timezone.localtime(initial[field])
    form = PollForm(request.POST or None, initial=initial, editable=editable)
    if request.method == "POST" and form.is_valid():
        try:
            services.poll_update(poll=poll, actor=request.user, **form.values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The poll is saved."))
            return redirect(_manage_url(poll))
    return render(
        request,
        "polls/workspace/poll_form.html",
        {"form": form, "poll": poll, "published": poll.state == PollState.PUBLISHED},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@_guarded
def poll_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """A confirmation page (what publishing fixes), then the POST."""
    poll = _managed_poll(request, pk)
    if poll.state != PollState.DRAFT:
        raise PermissionDenied(_("Only a draft can be published."))
    errors: list[str] = []
    if request.method == "POST":
        try:
            services.poll_publish(poll=poll, actor=request.user)
        except ValidationError as error:
            errors = [str(message) for message in error.messages]
        else:
            messages.success(request, _("The poll is published."))
            return redirect(_manage_url(poll))
    return render(
        request,
        "polls/workspace/poll_publish.html",
        {
            "poll": poll,
            "questions": selectors.questions_of(poll),
            "errors": errors,
            "opens_now": poll.opens_at <= timezone.now(),
        },
        status=400 if errors else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@_guarded
def poll_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    poll = _managed_poll(request, pk)
    if poll.state == PollState.CANCELLED or poll.is_closed():
        raise PermissionDenied(_("A closed or cancelled poll cannot be cancelled."))
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.poll_cancel(poll=poll, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The poll is cancelled."))
            return redirect(_manage_url(poll))
    return render(request, "polls/workspace/poll_cancel.html", {"poll": poll, "form": form})


# --- Questions ----------------------------------------------------------------------------


def _draft_poll(request: HttpRequest, pk: int) -> Poll:
    poll = _managed_poll(request, pk)
    if not poll.is_editable:
        raise PermissionDenied(_("Questions can change only before the poll is published."))
    return poll


@require_http_methods(["GET", "HEAD", "POST"])
@_guarded
def question_create(request: HttpRequest, pk: int) -> HttpResponse:
    poll = _draft_poll(request, pk)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_add(poll=poll, actor=request.user, **form.values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The question is added."))
            return redirect(_manage_url(poll, "questions"))
    return render(
        request,
        "polls/workspace/question_form.html",
        {"poll": poll, "form": form, "question": None},
    )


def _question(poll: Poll, question_pk: int) -> PollQuestion:
    return get_object_or_404(
        PollQuestion.objects.prefetch_related("options"), pk=question_pk, poll=poll
    )


@require_http_methods(["GET", "HEAD", "POST"])
@_guarded
def question_edit(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    poll = _draft_poll(request, pk)
    question = _question(poll, question_pk)
    form = QuestionForm.for_question(question, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_update(question=question, actor=request.user, **form.values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The question is saved."))
            return redirect(_manage_url(poll, "questions"))
    return render(
        request,
        "polls/workspace/question_form.html",
        {"poll": poll, "form": form, "question": question},
    )


@require_POST
@_guarded
def question_remove(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    poll = _draft_poll(request, pk)
    services.question_remove(question=_question(poll, question_pk), actor=request.user)
    messages.success(request, _("The question is removed."))
    return redirect(_manage_url(poll, "questions"))


@require_POST
@_guarded
def question_move(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    poll = _draft_poll(request, pk)
    services.question_move(
        question=_question(poll, question_pk),
        actor=request.user,
        up=request.POST.get("direction") != "down",
    )
    return redirect(_manage_url(poll, f"question-{question_pk}"))
