"""The staff side of internet conferences:

- `manage`: the workspace list (`/<lang>/dialogue/conferences/manage/`): the conferences
  of the agencies where the person holds a role and those they host, with the actions
  each may take; platform moderators also see every conference awaiting moderation;
- `conference_create` / `conference_edit` / `conference_cancel`: the agency's head or
  moderator schedules, edits (during the live window only the topic, description and
  end), cancels before the start with a reason;
- `moderation`: the questions awaiting moderation, published or rejected (with a reason
  and a note) one by one or ticked in bulk;
- `studio`: the official's page during the live window: published unanswered questions,
  most voted first, each with an answer form (the official, or the head or a responder
  on their behalf); works without JavaScript, and `studio.js` answers in place;
- `convert`: after the conference, turn unanswered questions into questions in the
  official's blog (each once), or say why that is not possible.

Every change goes through `services.py`, which checks the permission again; its
`PermissionDenied` becomes a 403 page (or form error) saying why, keeping what was typed.
"""

from __future__ import annotations

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import Agency

from . import selectors, services
from .forms import AnswerForm, CancelForm, ConferenceForm, ConvertForm, ModerationForm
from .models import Phase
from .views import add_errors, get_conference, get_question, live_labels, refused

MODERATION_PER_PAGE = 50
STUDIO_LIMIT = 200


def _may(user, perm: str, obj) -> bool:
    return rules.has_perm(f"conferences.{perm}", user, obj)


# --- The workspace list -----------------------------------------------------------------------


@login_required
@require_safe
def manage(request: HttpRequest) -> HttpResponse:
    user = request.user
    now = timezone.now()
    agencies = list(
        Agency.objects.filter(pk__in=selectors.managed_agency_ids(user), is_active=True).order_by(
            "name_ru", "pk"
        )
    )
    if user.is_superuser:
        agencies = []  # superusers act through the agencies' own staff, or the admin
    rows = []
    for conference in selectors.workspace_conferences(user, now=now)[:100]:
        rows.append(
            {
                "conference": conference,
                "phase": conference.phase(now),
                "phase_label": conference.phase_label(now),
                "may": {
                    perm: _may(user, perm, conference)
                    for perm in (
                        "moderate_questions",
                        "use_studio",
                        "change_conference",
                        "cancel_conference",
                        "convert_questions",
                    )
                },
            }
        )
    return render(
        request,
        "conferences/manage.html",
        {"agencies": agencies, "rows": rows, "Phase": Phase},
    )


# --- Scheduling -------------------------------------------------------------------------------


def _conference_data(form: ConferenceForm) -> dict:
    return {name: form.cleaned_data[name] for name in form.fields if name in form.cleaned_data}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def conference_create(request: HttpRequest, agency_slug: str) -> HttpResponse:
    agency = get_object_or_404(Agency, slug=agency_slug, is_active=True)
    if not rules.has_perm("conferences.schedule_conference", request.user, agency):
        return refused(request, _("You cannot schedule conferences for this agency."))
    form = ConferenceForm(request.POST or None, agency=agency)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                conference = services.conference_schedule(
                    agency=agency, actor=request.user, **_conference_data(form)
                )
            except ValidationError as error:
                add_errors(form, error)
            except PermissionDenied as denied:
                form.add_error(None, str(denied))
                status = 403
            else:
                messages.success(request, _("The conference is scheduled."))
                return HttpResponseRedirect(conference.get_absolute_url())
    return render(
        request,
        "conferences/conference_form.html",
        {"form": form, "agency": agency, "conference": None},
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def conference_edit(request: HttpRequest, pk: int) -> HttpResponse:
    conference = get_conference(pk)
    if not _may(request.user, "change_conference", conference):
        return refused(request, _("You cannot change this conference."), conference)
    live = conference.phase() == Phase.LIVE
    initial = {
        "topic": conference.topic,
        "description": conference.description,
        "official": conference.official_id,
        "starts_at": timezone.localtime(conference.starts_at),
        "ends_at": timezone.localtime(conference.ends_at),
    }
    form = ConferenceForm(
        request.POST or None, agency=conference.agency, live=live, initial=initial
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.conference_update(
                    conference=conference, actor=request.user, **_conference_data(form)
                )
            except ValidationError as error:
                add_errors(form, error)
            except PermissionDenied as denied:
                form.add_error(None, str(denied))
                status = 403
            else:
                messages.success(request, _("The conference is updated."))
                return HttpResponseRedirect(conference.get_absolute_url())
    return render(
        request,
        "conferences/conference_form.html",
        {"form": form, "agency": conference.agency, "conference": conference, "live": live},
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def conference_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    conference = get_conference(pk)
    if not _may(request.user, "cancel_conference", conference):
        return refused(request, _("You cannot cancel this conference."), conference)
    form = CancelForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.conference_cancel(
                    conference=conference, actor=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                add_errors(form, error)
            except PermissionDenied as denied:
                form.add_error(None, str(denied))
                status = 403
            else:
                messages.success(request, _("The conference is cancelled."))
                return HttpResponseRedirect(conference.get_absolute_url())
    return render(
        request,
        "conferences/conference_cancel.html",
        {"form": form, "conference": conference},
        status=status,
    )


# --- Moderation -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def moderation(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish or reject questions. A row's own "Publish" button (`publish=<id>`) publishes
    it alone; otherwise the ticked questions get the chosen decision, in one transaction."""
    conference = get_conference(pk)
    user = request.user
    if not _may(user, "moderate_questions", conference):
        return refused(request, _("You cannot moderate this conference's questions."), conference)
    page = Paginator(selectors.moderation_queue(conference), MODERATION_PER_PAGE).get_page(
        request.GET.get("page")
    )
    questions = selectors.attach(page.object_list, conference)
    by_id = {question.pk: question for question in questions}
    data = request.POST.copy() if request.method == "POST" else None
    if data is not None and data.get("publish"):
        data.setlist("questions", [data["publish"]])
        data["action"] = "publish"
    form = ModerationForm(data, question_ids=list(by_id))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            chosen = [by_id[pk] for pk in form.cleaned_data["questions"]]
            try:
                with transaction.atomic():
                    for question in chosen:
                        if form.cleaned_data["action"] == "publish":
                            services.question_publish(question=question, actor=user)
                        else:
                            services.question_reject(
                                question=question,
                                actor=user,
                                reason=form.cleaned_data["reason"],
                                note=form.cleaned_data["note"],
                            )
            except ValidationError as error:
                add_errors(form, error)
            except PermissionDenied as denied:
                form.add_error(None, str(denied))
                status = 403
            else:
                count = len(chosen)
                if form.cleaned_data["action"] == "publish":
                    text = ngettext(
                        "%(count)d question published.", "%(count)d questions published.", count
                    )
                else:
                    text = ngettext(
                        "%(count)d question rejected.", "%(count)d questions rejected.", count
                    )
                messages.success(request, text % {"count": count})
                return HttpResponseRedirect(request.get_full_path())
    return render(
        request,
        "conferences/moderation.html",
        {
            "conference": conference,
            "questions": questions,
            "page_obj": page,
            "form": form,
            "phase": conference.phase(),
            "Phase": Phase,
        },
        status=status,
    )


# --- The studio -------------------------------------------------------------------------------


@login_required
@require_safe
def studio(request: HttpRequest, pk: int) -> HttpResponse:
    conference = get_conference(pk)
    user = request.user
    if not _may(user, "use_studio", conference):
        return refused(
            request, _("Only the official and the agency's responders use the studio."), conference
        )
    phase = conference.phase()
    questions = selectors.attach(selectors.studio_questions(conference)[:STUDIO_LIMIT], conference)
    answered = selectors.attach(
        selectors.answered_questions(conference, newest_first=True)[:20], conference
    )
    return render(
        request,
        "conferences/studio.html",
        {
            "conference": conference,
            "phase": phase,
            "Phase": Phase,
            "questions": questions,
            "answered": answered,
            "on_behalf": user.pk != conference.official_id,
            "live_groups": [conference.live_group] if phase in (Phase.UPCOMING, Phase.LIVE) else [],
            "live_labels": live_labels(),
            "answer_url_template": reverse("conferences:answer", args=[conference.pk, 0]),
        },
    )


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
@require_POST
def question_answer(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    """Answer one question. Without JavaScript: back to the studio (or the form again
    with the error and the text kept). With it (`Accept: application/json`): a JSON
    reply, and `studio.js` updates the page."""
    conference = get_conference(pk)
    question = get_question(conference, question_pk)
    form = AnswerForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.question_answer(
                question=question, actor=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            add_errors(form, error)
        except PermissionDenied as denied:
            form.add_error(None, str(denied))
            status = 403
        else:
            if _wants_json(request):
                return JsonResponse(
                    {
                        "ok": True,
                        "question_id": question.pk,
                        "message": _("The answer is published."),
                    }
                )
            messages.success(request, _("The answer is published."))
            return HttpResponseRedirect(reverse("conferences:studio", args=[conference.pk]))
    if _wants_json(request):
        return JsonResponse(
            {
                "ok": False,
                "errors": {
                    field or "__all__": [str(error) for error in errors]
                    for field, errors in form.errors.items()
                },
            },
            status=status,
        )
    return render(
        request,
        "conferences/answer_form.html",
        {"conference": conference, "question": question, "form": form},
        status=status,
    )


# --- After the conference ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def convert(request: HttpRequest, pk: int) -> HttpResponse:
    conference = get_conference(pk)
    user = request.user
    if not _may(user, "convert_questions", conference):
        return refused(
            request,
            _(
                "Unanswered questions can be sent to the blog after the conference, by "
                "the agency's head or moderators."
            ),
            conference,
        )
    unavailable = ""
    blog = None
    try:
        blog = services.conversion_blog(conference)
    except services.ConversionUnavailable as error:
        unavailable = str(error)
    questions = selectors.attach(
        selectors.waiting_questions(conference).filter(hidden_at__isnull=True), conference
    )
    convertible = [q for q in questions if q.blog_question_id is None]
    form = ConvertForm(request.POST or None, question_ids=[q.pk for q in convertible])
    status = 200
    if request.method == "POST":
        status = 400
        if unavailable:
            form.add_error(None, unavailable)
            status = 403
        elif form.is_valid():
            by_id = {q.pk: q for q in convertible}
            try:
                with transaction.atomic():
                    for question_pk in form.cleaned_data["questions"]:
                        services.question_convert_to_blog(question=by_id[question_pk], actor=user)
            except ValidationError as error:
                add_errors(form, error)
            except PermissionDenied as denied:
                form.add_error(None, str(denied))
                status = 403
            else:
                count = len(form.cleaned_data["questions"])
                messages.success(
                    request,
                    ngettext(
                        "%(count)d question was published in the blog.",
                        "%(count)d questions were published in the blog.",
                        count,
                    )
                    % {"count": count},
                )
                return HttpResponseRedirect(reverse("conferences:convert", args=[conference.pk]))
    return render(
        request,
        "conferences/convert.html",
        {
            "conference": conference,
            "questions": questions,
            "convertible": convertible,
            "form": form,
            "blog": blog,
            "unavailable": unavailable,
        },
        status=status,
    )
