"""The agency's workspace for blog questions: the views AND their forms, kept together
because no other screen uses these forms.

- `workspace_home`: the agencies where the person is staff, with what waits for them;
- `work_queue`: what the agency owes, the earliest due first, live (`work_queue.js`
  reloads the rows when a service pushes `blog_queue_changed`);
- `moderation_queue`: submitted questions for the agency's moderators to publish or reject;
- the actions `question_publish`, `question_reject`, `question_answer`, `question_extend`,
  `question_redirect` (POST only): each asks the service, which checks the permission
  again and decides; a refusal the official can fix comes back on a form page that keeps
  everything typed, never as an error page;
- `staff_context`: the forms the question page shows to whoever may use them.

Agency staff may see who asked (the queues show the asker's name, and whether it is hidden
from the public); nothing here sends the asker anywhere else: the live push carries only
the question's id.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

import rules
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST, require_safe

from accounts.collation import localized_order
from accounts.models import Agency, Membership
from accounts.selectors import agency_roles
from ashyq.http import safe_next
from ashyq.i18n import active_language
from ashyq.uploads import MultipleFileField
from tracking import calendar
from tracking.models import ObligationRedirect
from tracking.services import ObligationError, extension_cap_date, redirect_window_end

from . import selectors, services
from .models import (
    Attachment,
    BlogPage,
    Question,
    QuestionCategory,
    QuestionState,
    RejectionReason,
)

QUEUE_PER_PAGE = 50
MODERATION_PER_PAGE = 20
MODERATOR_ROLES = frozenset({Membership.Role.HEAD, Membership.Role.MODERATOR})


# --- Who may see what ------------------------------------------------------------------------


def _is_platform_moderator(user) -> bool:
    """Platform moderators and superusers see every agency's workspace."""
    return user.has_perm("accounts.moderate_platform")


def _may_view_queue(user, agency: Agency) -> bool:
    return user.has_perm("accounts.view_agency_workspace", agency) or _is_platform_moderator(user)


def _may_moderate_for(user, agency: Agency) -> bool:
    return user.has_perm("accounts.moderate_for_agency", agency) or _is_platform_moderator(user)


# The blogs permissions that defer to tracking's (the obligation is the object there).
_TRACKING_PERMS = {
    "blogs.extend_question": "tracking.extend_obligation",
    "blogs.redirect_question": "tracking.redirect_obligation",
}


def _may(user, perm: str, question: Question) -> bool:
    """`user.has_perm(perm, question)`, except for superusers: Django grants an active
    superuser every permission whatever the question's state (an answered question would
    offer "extend"), so for them the rules alone decide, which name superusers where they
    apply (moderation) and not where an agency role is needed (answer, extend, redirect)."""
    if not user.is_superuser:
        return user.has_perm(perm, question)
    if not rules.has_perm(perm, user, question):
        return False
    tracking_perm = _TRACKING_PERMS.get(perm)
    return tracking_perm is None or rules.has_perm(tracking_perm, user, question.obligation)


def has_workspace(user) -> bool:
    """Whether the person has a workspace at all: staff of an agency, or a platform moderator."""
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(agency_roles(user)) or _is_platform_moderator(user)


def workspace_nav(request: HttpRequest) -> dict:
    """Context processor for the "Work queue" link in the user menu. Lazy, so it costs
    only when the menu is drawn for a signed-in person: the memberships query, and for
    non-members the groups query (both cached on the user for the request and shared with
    the permission checks)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"blogs_workspace_link": False}
    return {"blogs_workspace_link": SimpleLazyObject(lambda: has_workspace(user))}


def _forbidden(request: HttpRequest, message: str, *, back_url: str = "") -> HttpResponse:
    """403 with a sentence saying why, and a way back: staff land here when a question
    moved on (already moderated, redirected) while their page was open."""
    return render(
        request,
        "blogs/workspace/forbidden.html",
        {"message": message, "back_url": back_url},
        status=403,
    )


# --- Dates -------------------------------------------------------------------------------------


def _local_date_text(moment: datetime.datetime | datetime.date) -> str:
    day = calendar.local_date(moment) if isinstance(moment, datetime.datetime) else moment
    return date_format(day, "DATE_FORMAT")


def due_text(
    due_at: datetime.datetime,
    now: datetime.datetime,
    working: calendar.WorkingCalendar,
) -> str:
    """ "N working days left" or "Overdue by N working days" (tracking's calendar)."""
    today, due = calendar.local_date(now), calendar.local_date(due_at)
    if due_at < now:
        late = working.working_days_between(due, today)
        if late <= 0:  # e.g. due on Friday, and it is Saturday
            return _("Overdue since %(date)s") % {"date": date_format(due, "DATE_FORMAT")}
        return ngettext(
            "Overdue by %(count)d working day", "Overdue by %(count)d working days", late
        ) % {"count": late}
    if due == today:
        return _("Due today")
    left = max(working.working_days_between(today, due), 0)
    return ngettext("%(count)d working day left", "%(count)d working days left", left) % {
        "count": left
    }


# --- Forms -------------------------------------------------------------------------------------


class _ActionForm(forms.Form):
    """Forms of the workspace: no colon after labels; ids prefixed per form and question
    (`auto_id`), since one page shows several of them."""

    def __init__(self, *args, question: Question | None = None, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.question = question


class PublishForm(_ActionForm):
    """Nothing to fill in: publishing is the decision itself."""


class RejectForm(_ActionForm):
    reason = forms.ChoiceField(
        label=gettext_lazy("Reason for rejection"),
        choices=[("", gettext_lazy("Choose a reason")), *RejectionReason.choices],
        help_text=gettext_lazy("The asker is told the reason; the list is published."),
    )
    duplicate_of = forms.IntegerField(
        label=gettext_lazy("Duplicate of question number"),
        required=False,
        min_value=1,
        help_text=gettext_lazy(
            "Only for the reason “duplicate”: the number of the published question it repeats."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("reason") == RejectionReason.DUPLICATE
            and not cleaned.get("duplicate_of")
            and "duplicate_of" not in self.errors
        ):
            self.add_error(
                "duplicate_of", _("Give the number of the published question this one repeats.")
            )
        return cleaned


class AnswerForm(_ActionForm):
    text = forms.CharField(
        label=gettext_lazy("Answer"),
        max_length=services.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("Published on the question page with your name and position."),
    )
    is_final = forms.BooleanField(
        label=gettext_lazy("Final answer: closes the question"),
        required=False,
        help_text=gettext_lazy(
            "Leave unticked for an interim answer: it says what is being done and keeps "
            "the question open. Only the final answer can be rated by the asker."
        ),
    )
    attachments = MultipleFileField(label=gettext_lazy("Attach files (optional)"))


class ExtendForm(_ActionForm):
    new_due_date = forms.DateField(
        label=gettext_lazy("New due date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason for the extension (public)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Shown on the question page and sent to the asker."),
    )

    def __init__(self, *args, question: Question, **kwargs) -> None:
        super().__init__(*args, question=question, **kwargs)
        obligation = question.obligation if question.obligation_id else None
        if obligation is None:  # shown only to keep what was typed (see `_refuse`)
            return
        field = self.fields["new_due_date"]
        current = calendar.local_date(obligation.due_at)
        cap = extension_cap_date(obligation)
        field.widget.attrs["min"] = (current + datetime.timedelta(days=1)).isoformat()
        if cap is not None:
            field.widget.attrs["max"] = cap.isoformat()
            field.help_text = _(
                "Now due on %(due)s. The deadline can be extended once, to %(cap)s at the latest."
            ) % {"due": date_format(current, "DATE_FORMAT"), "cap": date_format(cap, "DATE_FORMAT")}
        else:
            field.help_text = _("Now due on %(due)s.") % {
                "due": date_format(current, "DATE_FORMAT")
            }


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, agency: Agency) -> str:
        return agency.name


class RedirectForm(_ActionForm):
    to_agency = AgencyChoiceField(
        label=gettext_lazy("Send to the agency"),
        queryset=Agency.objects.none(),
        empty_label=gettext_lazy("Choose an agency"),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason for the redirect"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("The asker is told, with this reason."),
    )

    def __init__(self, *args, question: Question, **kwargs) -> None:
        super().__init__(*args, question=question, **kwargs)
        lang = active_language()
        field = self.fields["to_agency"]
        field.queryset = (
            Agency.objects.filter(is_active=True)
            .exclude(pk=question.agency_id)
            .order_by(localized_order(f"name_{lang}", lang), "pk")
        )
        obligation = question.obligation if question.obligation_id else None
        window_end = redirect_window_end(obligation) if obligation is not None else None
        if window_end is not None:
            field.help_text = _(
                "Only when the question is outside your agency's remit. It must be "
                "redirected by %(date)s; the new agency then has the full period to answer."
            ) % {"date": _local_date_text(window_end)}


class QueueFilterForm(forms.Form):
    blog = forms.TypedChoiceField(
        label=gettext_lazy("Blog"), coerce=int, required=False, empty_value=None
    )
    category = forms.ChoiceField(
        label=gettext_lazy("Category"),
        required=False,
        choices=[("", gettext_lazy("All categories")), *QuestionCategory.choices],
    )
    overdue = forms.BooleanField(label=gettext_lazy("Only overdue questions"), required=False)

    def __init__(self, *args, blogs: Iterable[tuple[int, str]] = (), **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("auto_id", "filter-%s")
        super().__init__(*args, **kwargs)
        self.fields["blog"].choices = [("", _("All blogs")), *blogs]

    def value(self, name: str):
        """The cleaned value, or the empty one when what was given is not valid."""
        return self.cleaned_data.get(name) if self.is_bound else None


# --- Reading helpers ---------------------------------------------------------------------------


def _blog_links(request: HttpRequest, blogs: Iterable[BlogPage]) -> dict[int, tuple[str, str]]:
    """{blog id: (title, url)} in the visitor's language, one query for all: questions
    point at a blog's canonical page, which is in the language it was created in."""
    blogs = {blog.pk: blog for blog in blogs}
    if not blogs:
        return {}
    localized = {
        page.translation_key: page
        for page in BlogPage.objects.live().filter(
            translation_key__in={blog.translation_key for blog in blogs.values()},
            locale__language_code=active_language(),
        )
    }
    links = {}
    for pk, blog in blogs.items():
        page = localized.get(blog.translation_key, blog)
        links[pk] = (page.title, page.get_url(request) or "")
    return links


@dataclass(frozen=True)
class QueueRow:
    question: Question
    blog_title: str
    blog_url: str
    due_date: datetime.date
    due_text: str


@dataclass(frozen=True)
class AgencySummary:
    agency: Agency
    roles: list[str]
    awaiting_moderation: int
    awaiting_answer: int
    overdue: int
    due_soon: int
    may_moderate: bool


# --- Pages -------------------------------------------------------------------------------------


@login_required
@require_safe
def workspace_home(request: HttpRequest) -> HttpResponse:
    """The agencies where the person works, each with what waits: moderation, answers,
    overdue, due soon. Three queries whatever the number of agencies."""
    user = request.user
    roles = agency_roles(user) if user.is_active else {}
    platform = _is_platform_moderator(user)
    if not roles and not platform:
        return _forbidden(
            request,
            _(
                "The workspace is for the staff of government agencies. Your account is not "
                "a member of any agency; if it should be, ask the head of your agency."
            ),
        )
    lang = active_language()
    agencies = Agency.objects.all()
    if platform:
        agencies = agencies.filter(
            Q(pk__in=roles.keys())
            | Exists(BlogPage.objects.filter(agency=OuterRef("pk")))
            | Exists(Question.objects.filter(agency=OuterRef("pk")))
        )
    else:
        agencies = agencies.filter(pk__in=roles.keys())
    agencies = list(agencies.order_by(localized_order(f"name_{lang}", lang), "pk"))

    now = timezone.now()
    soon = calendar.end_of_day(
        calendar.add_working_days(calendar.local_date(now), selectors.DUE_SOON_WORKING_DAYS)
    )
    waiting = Q(
        state=QuestionState.PUBLISHED,
        obligation__answered_at__isnull=True,
        obligation__withdrawn_at__isnull=True,
    )
    counts = {
        row["agency_id"]: row
        for row in Question.objects.filter(agency__in=[agency.pk for agency in agencies])
        .values("agency_id")
        .annotate(
            awaiting_moderation=Count("pk", filter=Q(state=QuestionState.SUBMITTED)),
            awaiting_answer=Count("pk", filter=waiting),
            overdue=Count("pk", filter=waiting & Q(obligation__due_at__lt=now)),
            due_soon=Count(
                "pk",
                filter=waiting & Q(obligation__due_at__gte=now, obligation__due_at__lte=soon),
            ),
        )
        .order_by()
    }
    summaries = []
    for agency in agencies:
        row = counts.get(agency.pk, {})
        agency_roles_here = roles.get(agency.pk, frozenset())
        summaries.append(
            AgencySummary(
                agency=agency,
                roles=[
                    str(label)
                    for value, label in Membership.Role.choices
                    if value in agency_roles_here
                ],
                awaiting_moderation=row.get("awaiting_moderation", 0),
                awaiting_answer=row.get("awaiting_answer", 0),
                overdue=row.get("overdue", 0),
                due_soon=row.get("due_soon", 0),
                may_moderate=platform or bool(agency_roles_here & MODERATOR_ROLES),
            )
        )
    return render(
        request,
        "blogs/workspace/home.html",
        {"summaries": summaries, "is_platform_moderator": platform},
    )


def _agency_or_403(request: HttpRequest, slug: str, *, moderation: bool):
    agency = get_object_or_404(Agency, slug=slug)
    if moderation:
        if not _may_moderate_for(request.user, agency):
            return agency, _forbidden(
                request,
                _(
                    "Only the head and the moderators of %(agency)s, and platform moderators, "
                    "moderate its questions."
                )
                % {"agency": agency.name},
                back_url=reverse("blogs:workspace"),
            )
    elif not _may_view_queue(request.user, agency):
        return agency, _forbidden(
            request,
            _("Only the staff of %(agency)s and platform moderators see its work queue.")
            % {"agency": agency.name},
            back_url=reverse("blogs:workspace"),
        )
    return agency, None


@login_required
@require_safe
def work_queue(request: HttpRequest, agency: str) -> HttpResponse:
    """What the agency owes, the earliest due first. `?fragment=rows` answers only the rows
    (with the count and the pages), which `work_queue.js` swaps in when the queue changes."""
    agency, refused = _agency_or_403(request, agency, moderation=False)
    if refused:
        return refused
    now = timezone.now()
    awaiting = Question.objects.awaiting_answer().filter(agency=agency)
    blogs = list(BlogPage.objects.filter(pk__in=awaiting.values("blog")).order_by("pk"))
    blog_links = _blog_links(request, blogs)
    filters = QueueFilterForm(
        request.GET or None,
        blogs=sorted(
            ((pk, title) for pk, (title, _url) in blog_links.items()), key=lambda row: row[1]
        ),
    )
    filters.is_valid()
    questions = selectors.work_queue(agency=agency, now=now).annotate(
        redirected_in=Exists(
            ObligationRedirect.objects.filter(obligation=OuterRef("obligation"), to_agency=agency)
        )
    )
    if filters.value("blog"):
        questions = questions.filter(blog_id=filters.value("blog"))
    if filters.value("category"):
        questions = questions.filter(category=filters.value("category"))
    if filters.value("overdue"):
        questions = questions.filter(obligation__due_at__lt=now)
    page = Paginator(questions, QUEUE_PER_PAGE).get_page(request.GET.get("page"))
    working = calendar.WorkingCalendar()
    rows = []
    for question in page.object_list:
        title, url = blog_links.get(question.blog_id) or (question.blog.title, "")
        rows.append(
            QueueRow(
                question=question,
                blog_title=title,
                blog_url=url,
                due_date=calendar.local_date(question.obligation.due_at),
                due_text=due_text(question.obligation.due_at, now, working),
            )
        )
    querystring = urlencode(
        {
            key: value
            for key, value in (
                ("blog", filters.value("blog") or ""),
                ("category", filters.value("category") or ""),
                ("overdue", "1" if filters.value("overdue") else ""),
            )
            if value
        }
    )
    context = {
        "agency": agency,
        "page_obj": page,
        "rows": rows,
        "filters": filters,
        "querystring": querystring,
        "live_group": services.work_queue_group(agency.pk),
        "live_groups": [services.work_queue_group(agency.pk)],
        "may_moderate": _may_moderate_for(request.user, agency),
    }
    if request.GET.get("fragment") == "rows":
        response = render(request, "blogs/workspace/work_queue_rows.html", context)
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "blogs/workspace/work_queue.html", context)


@login_required
@require_safe
def moderation_queue(request: HttpRequest, agency: str) -> HttpResponse:
    """Submitted questions, oldest first, each in full (moderators must read it), with
    the asker's name (staff may know who asked), the files, and the two decisions."""
    agency, refused = _agency_or_403(request, agency, moderation=True)
    if refused:
        return refused
    questions = selectors.moderation_queue(agency=agency).prefetch_related(
        Prefetch(
            "attachments",
            queryset=Attachment.objects.filter(answer__isnull=True).order_by("pk"),
            to_attr="question_files",
        )
    )
    page = Paginator(questions, MODERATION_PER_PAGE).get_page(request.GET.get("page"))
    questions = list(page.object_list)
    blog_links = _blog_links(
        request, {question.blog_id: question.blog for question in questions}.values()
    )
    rows = [
        {
            "question": question,
            "blog_title": (blog_links.get(question.blog_id) or (question.blog.title, ""))[0],
            "reject_form": RejectForm(auto_id=f"reject-{question.pk}-%s", question=question),
        }
        for question in questions
    ]
    return render(
        request,
        "blogs/workspace/moderation_queue.html",
        {
            "agency": agency,
            "page_obj": page,
            "rows": rows,
            "next": request.get_full_path(),
        },
    )


# --- Actions -----------------------------------------------------------------------------------


def _question_or_404(pk: int) -> Question:
    return get_object_or_404(
        Question.objects.select_related("blog", "agency", "asker", "obligation"), pk=pk
    )


def _add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's `ValidationError({field: ...})` next to the field when the form has it,
    above the form otherwise."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error)


@dataclass(frozen=True)
class _Action:
    name: str
    perm: str
    form_class: type[_ActionForm]
    title: Callable[[], str]
    submit: Callable[[], str]
    refused: Callable[[Question], str]
    perform: Callable[[HttpRequest, Question, dict], str]
    # Where tracking's refusals (ObligationError) belong: a field, or above the form.
    obligation_error_field: str | None = None
    multipart: bool = False
    fallback: Callable[[Question], str] | None = None


def _render_action(
    request: HttpRequest, question: Question, action: _Action, form, *, refused: str = ""
) -> HttpResponse:
    back = question.get_absolute_url()
    return render(
        request,
        "blogs/workspace/question_action.html",
        {
            "question": question,
            "form": form,
            "action": action,
            "action_url": reverse(f"blogs:question_{action.name}", kwargs={"pk": question.pk}),
            "next": safe_next(request, back),
            "files_dropped": bool(request.FILES),
            "refused": refused,
        },
        status=403 if refused else 200,
    )


def _refuse(request: HttpRequest, question: Question, action: _Action, message: str, form):
    """403. The question moved on while the official was typing (a colleague answered it,
    the deadline passed, it was redirected): what they typed is shown back, to copy, to
    agency staff who may still see the question (after a redirect it is public but no
    longer theirs); anyone else gets the bare refusal."""
    typed = any(
        (request.POST.get(name) or "").strip()
        for name in form.fields
        if not isinstance(form.fields[name], forms.BooleanField)
    )
    user = request.user
    if typed and has_workspace(user) and user.has_perm("blogs.view_question", question):
        return _render_action(request, question, action, form, refused=message)
    return _forbidden(request, message, back_url=question.get_absolute_url())


def _handle(request: HttpRequest, pk: int, action: _Action) -> HttpResponse:
    question = _question_or_404(pk)
    form = action.form_class(
        request.POST, request.FILES or None, question=question, auto_id=f"{action.name}-%s"
    )
    if not _may(request.user, action.perm, question):
        return _refuse(request, question, action, action.refused(question), form)
    # Before acting: a redirect changes the question's agency.
    fallback = action.fallback(question) if action.fallback else question.get_absolute_url()
    if form.is_valid():
        try:
            success = action.perform(request, question, form.cleaned_data)
        except PermissionDenied as denied:
            return _refuse(request, question, action, str(denied) or action.refused(question), form)
        except ValidationError as error:
            _add_service_errors(form, error)
        except ObligationError as error:
            form.add_error(action.obligation_error_field, str(error))
        else:
            messages.success(request, success)
            return redirect(safe_next(request, fallback))
    return _render_action(request, question, action, form)


def _refused_moderation(question: Question) -> str:
    if question.state != QuestionState.SUBMITTED:
        return _("This question has already been moderated.")
    return _("You cannot moderate this question: it is for the moderators of %(agency)s.") % {
        "agency": question.agency.name
    }


def _refused_answer(question: Question) -> str:
    if not question.is_published or question.is_answered:
        return _("This question is not awaiting an answer.")
    return _("You cannot answer this question: it is for the responders of %(agency)s.") % {
        "agency": question.agency.name
    }


def _refused_extend(question: Question) -> str:
    return _(
        "This deadline cannot be extended: only the agency's responders may, once, before "
        "the question is overdue."
    )


def _refused_redirect(question: Question) -> str:
    return _(
        "This question cannot be redirected: only the agency's responders may, within the "
        "redirect period and before any extension."
    )


def _publish(request: HttpRequest, question: Question, data: dict) -> str:
    services.question_publish(question=question, actor=request.user)
    return _("The question was published. The agency must answer it by %(date)s.") % {
        "date": _local_date_text(question.obligation.due_at)
    }


def _reject(request: HttpRequest, question: Question, data: dict) -> str:
    original = None
    if data["reason"] == RejectionReason.DUPLICATE:
        original = Question.objects.filter(pk=data["duplicate_of"]).first()
        if original is None:
            raise ValidationError(
                {
                    "duplicate_of": _("There is no question number %(number)s.")
                    % {"number": data["duplicate_of"]}
                }
            )
    services.question_reject(
        question=question, actor=request.user, reason=data["reason"], duplicate_of=original
    )
    return _("The question was rejected. The asker is told the reason.")


def _answer(request: HttpRequest, question: Question, data: dict) -> str:
    services.question_answer(
        question=question,
        responder=request.user,
        text=data["text"],
        is_final=data["is_final"],
        attachments=data["attachments"],
    )
    if data["is_final"]:
        return _("Your final answer was published. The question is answered.")
    return _("Your interim answer was published. The question stays open.")


def _extend(request: HttpRequest, question: Question, data: dict) -> str:
    services.question_extend(
        question=question,
        actor=request.user,
        new_due_date=data["new_due_date"],
        reason=data["reason"],
    )
    return _("The deadline was extended to %(date)s. The asker is told.") % {
        "date": date_format(data["new_due_date"], "DATE_FORMAT")
    }


def _redirect(request: HttpRequest, question: Question, data: dict) -> str:
    services.question_redirect(
        question=question, actor=request.user, to_agency=data["to_agency"], reason=data["reason"]
    )
    return _("The question was sent on to %(agency)s, which must now answer it.") % {
        "agency": data["to_agency"].name
    }


PUBLISH = _Action(
    name="publish",
    perm="blogs.moderate_question",
    form_class=PublishForm,
    title=lambda: _("Publish the question"),
    submit=lambda: _("Publish"),
    refused=_refused_moderation,
    perform=_publish,
)
REJECT = _Action(
    name="reject",
    perm="blogs.moderate_question",
    form_class=RejectForm,
    title=lambda: _("Reject the question"),
    submit=lambda: _("Reject"),
    refused=_refused_moderation,
    perform=_reject,
)
ANSWER = _Action(
    name="answer",
    perm="blogs.answer_question",
    form_class=AnswerForm,
    title=lambda: _("Answer the question"),
    submit=lambda: _("Publish the answer"),
    refused=_refused_answer,
    perform=_answer,
    multipart=True,
)
EXTEND = _Action(
    name="extend",
    perm="blogs.extend_question",
    form_class=ExtendForm,
    title=lambda: _("Extend the deadline"),
    submit=lambda: _("Extend the deadline"),
    refused=_refused_extend,
    perform=_extend,
    obligation_error_field="new_due_date",
)
REDIRECT = _Action(
    name="redirect",
    perm="blogs.redirect_question",
    form_class=RedirectForm,
    title=lambda: _("Redirect the question to another agency"),
    submit=lambda: _("Redirect the question"),
    refused=_refused_redirect,
    perform=_redirect,
    # The redirecting agency may no longer see the question (a hidden one, say): back to
    # its work queue rather than to the question.
    fallback=lambda question: reverse("blogs:work_queue", kwargs={"agency": question.agency.slug}),
)


@login_required
@require_POST
def question_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _handle(request, pk, PUBLISH)


@login_required
@require_POST
def question_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _handle(request, pk, REJECT)


@login_required
@require_POST
def question_answer(request: HttpRequest, pk: int) -> HttpResponse:
    return _handle(request, pk, ANSWER)


@login_required
@require_POST
def question_extend(request: HttpRequest, pk: int) -> HttpResponse:
    return _handle(request, pk, EXTEND)


@login_required
@require_POST
def question_redirect(request: HttpRequest, pk: int) -> HttpResponse:
    return _handle(request, pk, REDIRECT)


# --- On the question page ----------------------------------------------------------------------


def staff_context(request: HttpRequest, question: Question) -> dict:
    """What the question page shows the agency's staff: the forms they may use on it, each
    posting to the actions above and coming back to the page. `{}` for everyone else.

    Costs the permission checks: one membership query and one group query, both cached on
    the user for the request, plus the agencies of the redirect form when it is shown.
    The question should come with its `agency` and `obligation` (select_related)."""
    user = request.user
    if not user.is_authenticated or not user.is_active:
        return {}
    obligation = question.obligation if question.obligation_id else None
    if obligation is not None and obligation.agency_id == question.agency_id:
        # The same row; saves tracking's permission checks a query for the agency.
        obligation.agency = question.agency
    may_moderate = _may(user, "blogs.moderate_question", question)
    may_answer = _may(user, "blogs.answer_question", question)
    may_extend = obligation is not None and _may(user, "blogs.extend_question", question)
    may_redirect = obligation is not None and _may(user, "blogs.redirect_question", question)
    if not (may_moderate or may_answer or may_extend or may_redirect):
        return {}
    return {
        "staff_actions": True,
        "staff_next": question.get_absolute_url(),
        "staff_may_moderate": may_moderate,
        "staff_reject_form": RejectForm(auto_id="reject-%s", question=question)
        if may_moderate
        else None,
        "staff_answer_form": AnswerForm(auto_id="answer-%s", question=question)
        if may_answer
        else None,
        "staff_extend_form": ExtendForm(auto_id="extend-%s", question=question)
        if may_extend
        else None,
        "staff_redirect_form": RedirectForm(auto_id="redirect-%s", question=question)
        if may_redirect
        else None,
    }
