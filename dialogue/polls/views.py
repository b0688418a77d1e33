"""Public screens of polls: the list (open / upcoming / closed, by agency), a poll (its
form, or "you have taken part" with the results, or why the person cannot take part),
and the results page. The agency's side is in `workspace.py`, the CSV files in
`export.py`.

A poll the person may not see is a 404 (`polls.view_poll`: drafts are their agency's).
Results are shown only when `polls.view_results` allows, as tables with bars drawn in
HTML and CSS: every number is written, nothing needs JavaScript or colour to be read.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from . import selectors, services
from .forms import PollFilterForm, TakePollForm
from .models import Phase, Poll
from .rules import can, has_submitted, take_refusal

POLLS_PER_PAGE = 20


def client_ip(request: HttpRequest) -> str | None:
    """The address the posting limits count (the proxy sets REMOTE_ADDR)."""
    return request.META.get("REMOTE_ADDR") or None


def add_service_errors(form, error: ValidationError) -> None:
    """A service's ValidationError onto the form: next to its field when the form has it."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, field_errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, field_errors)


def get_poll(request: HttpRequest, pk: int) -> Poll:
    """The poll if `request.user` may see it, else 404."""
    poll = get_object_or_404(Poll.objects.select_related("agency"), pk=pk)
    if not can(request.user, "polls.view_poll", poll):
        raise Http404
    return poll


# --- The list ----------------------------------------------------------------------------


@require_GET
def poll_index(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    phase = request.GET.get("phase") or Phase.OPEN
    if phase not in selectors.LIST_PHASES:
        phase = Phase.OPEN
    form = PollFilterForm(request.GET or None, agencies=selectors.agencies_with_polls())
    agency = form.cleaned_data.get("agency") if form.is_valid() else None
    polls = selectors.public_list(phase=phase, agency=agency, now=now)
    page_obj = Paginator(polls, POLLS_PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page_obj.object_list)
    selectors.prime_submitted(request.user, rows)
    counts = selectors.phase_counts(agency=agency, now=now)
    agency_query = f"&agency={agency.slug}" if agency else ""
    tabs = [
        {
            "phase": value,
            "label": label,
            "count": counts[value],
            "url": f"?phase={value}{agency_query}",
            "current": value == phase,
        }
        for value, label in (
            (Phase.OPEN, _("Open now")),
            (Phase.UPCOMING, _("Upcoming polls")),
            (Phase.CLOSED, _("Closed polls")),
        )
    ]
    for poll in rows:
        poll.shown_phase = poll.phase(now)
        poll.shown_phase_label = poll.phase_label(now)
        poll.taken = has_submitted(request.user, poll)
    return render(
        request,
        "polls/poll_index.html",
        {
            "form": form,
            "phase": phase,
            "tabs": tabs,
            "page_obj": page_obj,
            "polls": rows,
            "querystring": f"phase={phase}{agency_query}",
            "is_manager": bool(selectors.managed_agency_ids(request.user)),
        },
    )


# --- A poll ------------------------------------------------------------------------------


def _poll_context(request: HttpRequest, poll: Poll, now) -> dict:
    user = request.user
    phase = poll.phase(now)
    questions = selectors.questions_of(poll)
    results_visible = can(user, "polls.view_results", poll)
    return {
        "poll": poll,
        "phase": phase,
        "phase_label": poll.phase_label(now),
        "Phase": Phase,
        "questions": questions,
        "taken": has_submitted(user, poll),
        "refusal": take_refusal(user, poll, now),
        "results_visible": results_visible,
        "results": selectors.results_of(poll, questions) if results_visible else [],
        "can_manage": can(user, "polls.manage_poll", poll),
    }


@require_http_methods(["GET", "HEAD", "POST"])
def poll_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The poll, and its form while the person may take part; POST takes part. Errors
    come back on the questions, with every answer kept."""
    poll = get_poll(request, pk)
    now = timezone.now()
    context = _poll_context(request, poll, now)
    form = None
    if context["refusal"] is None:
        form = TakePollForm(
            request.POST if request.method == "POST" else None, questions=context["questions"]
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.poll_submit(
                    poll=poll, user=request.user, answers=form.answers(), ip=client_ip(request)
                )
            except services.SubmissionRefused as refused:
                messages.error(request, str(refused))
                return HttpResponseRedirect(reverse("polls:detail", args=[poll.pk]))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Thank you for taking part."))
                return HttpResponseRedirect(reverse("polls:detail", args=[poll.pk]) + "#results")
    elif request.method == "POST":
        back = reverse("polls:detail", args=[poll.pk])
        if context["refusal"][0] == "anonymous":
            return redirect_to_login(back)
        messages.error(request, context["refusal"][1])
        return HttpResponseRedirect(back)
    context["form"] = form
    context["fields"] = list(form) if form is not None else []
    return render(request, "polls/poll_detail.html", context)


@require_GET
def poll_results(request: HttpRequest, pk: int) -> HttpResponse:
    """The results alone (to link to, print or read), when the person may see them;
    otherwise a page saying when they will be shown."""
    poll = get_poll(request, pk)
    now = timezone.now()
    visible = can(request.user, "polls.view_results", poll)
    return render(
        request,
        "polls/poll_results.html",
        {
            "poll": poll,
            "phase": poll.phase(now),
            "phase_label": poll.phase_label(now),
            "Phase": Phase,
            "results_visible": visible,
            "results": selectors.results_of(poll) if visible else [],
            "taken": has_submitted(request.user, poll),
            "can_manage": can(request.user, "polls.manage_poll", poll),
        },
        status=200 if visible else 403,
    )
