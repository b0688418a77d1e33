"""Public screens of internet conferences: the list (live now, upcoming, archive) and a
conference's page, which changes with its phase:

- upcoming: the description, the form to ask, the published questions (most voted or
  newest first) with vote buttons;
- live: the answers (the latest first) and the questions still waiting, the number of
  people watching; answers and newly published questions arrive over the websocket
  (`conferences/live.js`), and a reload shows the same;
- archived: the transcript, answers in the order given, then the questions left
  unanswered, each saying so (and linking to its blog question when it became one);
- cancelled: the reason.

Everything works without JavaScript: asking and voting are POST forms that come back to
the page; errors re-render it with what was typed. Staff screens are in `workspace.py`.
"""

from __future__ import annotations

import rules
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.selectors import has_verified_email
from ashyq.http import safe_next
from ashyq.live import viewer_count

from . import selectors, services
from .forms import QuestionForm
from .models import Conference, ConferenceQuestion, Phase

CONFERENCES_PER_PAGE = 20
QUESTIONS_PER_PAGE = 50


def client_ip(request: HttpRequest) -> str | None:
    """The address the posting rate limits count (the proxy sets REMOTE_ADDR)."""
    return request.META.get("REMOTE_ADDR") or None


def add_errors(form, error: ValidationError) -> None:
    """A service's ValidationError onto the form: next to its field when the form has it."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def get_conference(pk: int) -> Conference:
    return get_object_or_404(selectors.conferences().select_related("official"), pk=pk)


def get_question(conference: Conference, question_pk: int) -> ConferenceQuestion:
    question = get_object_or_404(
        ConferenceQuestion.objects.select_related("author"), pk=question_pk, conference=conference
    )
    question.conference = conference
    return question


def refused(request: HttpRequest, message, conference: Conference | None = None) -> HttpResponse:
    return render(
        request,
        "conferences/refused.html",
        {"message": message, "conference": conference},
        status=403,
    )


# --- The list ---------------------------------------------------------------------------------


@require_GET
def conference_index(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    lists = selectors.index_lists(now=now)
    archive = Paginator(lists["archive"], CONFERENCES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "conferences/conference_index.html",
        {
            "live": lists["live"],
            "upcoming": lists["upcoming"],
            "archive": archive,
            "now": now,
            "may_manage": request.user.is_authenticated
            and bool(selectors.managed_agency_ids(request.user)),
        },
    )


# --- A conference -----------------------------------------------------------------------------


def ask_refusal(user, conference: Conference, now) -> tuple[str, str] | None:
    """Why this person cannot ask now (a code for the template and the words), or None."""
    if not conference.takes_questions(now):
        return "closed", _("Questions to this conference are closed.")
    if not user.is_authenticated:
        return "anonymous", _("Sign in to ask a question.")
    if not has_verified_email(user):
        return "unverified", _("Confirm your email address to ask a question.")
    if not rules.has_perm("conferences.ask_question", user, conference):
        return "forbidden", _("You cannot ask a question at this conference.")
    return None


def live_labels() -> dict[str, str]:
    """The words `live.js` puts on the page, translated here (placeholders as in gettext)."""
    return {
        "on_behalf": _("%(answerer)s on behalf of %(official)s"),
        "announce_answer": _("New answer: %(question)s"),
        "announce_question": _("New question: %(question)s"),
        "hidden": _("Hidden by a moderator."),
    }


def detail_context(
    request: HttpRequest, conference: Conference, *, form: QuestionForm | None = None
) -> dict:
    user = request.user
    now = timezone.now()
    phase = conference.phase(now)
    sort = request.GET.get("sort")
    sort = sort if sort in selectors.SORTS else "votes"
    refusal = ask_refusal(user, conference, now)
    may_vote = refusal is None  # asking and voting need the same: open, verified, unblocked
    answered: list[ConferenceQuestion] = []
    if phase in (Phase.LIVE, Phase.ARCHIVED):
        answered = selectors.attach(
            selectors.answered_questions(conference, newest_first=phase == Phase.LIVE),
            conference,
        )
    waiting_page = Paginator(
        selectors.waiting_questions(conference, sort=sort if phase == Phase.UPCOMING else "votes"),
        QUESTIONS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    waiting = selectors.attach(waiting_page.object_list, conference)
    voted = selectors.voted_ids(user, [q.pk for q in waiting]) if may_vote else set()
    for question in waiting:
        question.voted = question.pk in voted
        question.may_vote = (
            may_vote and question.hidden_at is None and question.author_id != user.pk
        )
    group = conference.live_group
    may = {
        perm: rules.has_perm(f"conferences.{perm}", user, conference)
        for perm in (
            "moderate_questions",
            "use_studio",
            "change_conference",
            "cancel_conference",
            "convert_questions",
        )
    }
    return {
        "conference": conference,
        "phase": phase,
        "Phase": Phase,
        "phase_label": Phase(phase).label,
        "now": now,
        "sort": sort,
        "form": form or QuestionForm(),
        "refusal": refusal,
        "answered": answered,
        "waiting": waiting,
        "waiting_page": waiting_page,
        "own_questions": selectors.own_questions(conference, user),
        "may": may,
        "viewers": viewer_count(group) if phase == Phase.LIVE else None,
        "live_groups": [group] if phase in (Phase.UPCOMING, Phase.LIVE) else [],
        "live_labels": live_labels(),
        "time_zone": settings.TIME_ZONE,
    }


@require_GET
def conference_detail(request: HttpRequest, pk: int) -> HttpResponse:
    conference = get_conference(pk)
    return render(
        request, "conferences/conference_detail.html", detail_context(request, conference)
    )


@require_POST
def question_ask(request: HttpRequest, pk: int) -> HttpResponse:
    conference = get_conference(pk)
    if not request.user.is_authenticated:
        return redirect_to_login(conference.get_absolute_url() + "#ask")
    form = QuestionForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            question = services.question_submit(
                conference=conference,
                author=request.user,
                text=form.cleaned_data["text"],
                ip=client_ip(request),
            )
        except ValidationError as error:
            add_errors(form, error)
        except PermissionDenied as denied:
            form.add_error(None, str(denied))
            status = 403
        else:
            messages.success(
                request,
                _("Thank you. Your question was sent; moderators will publish it soon."),
            )
            return HttpResponseRedirect(
                f"{conference.get_absolute_url()}#own-question-{question.pk}"
            )
    return render(
        request,
        "conferences/conference_detail.html",
        detail_context(request, conference, form=form),
        status=status,
    )


@require_POST
def question_vote(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    """Vote (or take the vote back, `action=unvote`) and come back to the question."""
    conference = get_conference(pk)
    if not request.user.is_authenticated:
        return redirect_to_login(conference.get_absolute_url())
    question = get_question(conference, question_pk)
    back = safe_next(request, conference.get_absolute_url())
    if "#" not in back:
        back = f"{back}#question-{question.pk}"
    try:
        if request.POST.get("action") == "unvote":
            services.question_unvote(question=question, user=request.user)
        else:
            services.question_vote(question=question, user=request.user)
    except PermissionDenied as denied:
        messages.error(request, str(denied))
    return HttpResponseRedirect(back)
