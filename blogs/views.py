"""Public screens of the blogs.

The blog pages are Wagtail pages: their sub-pages (the blog list, the blog, its questions,
the ask form) are served by the functions in the first half of this module, called from
the routes in `routes.py`. A question has its own address (`blogs/urls.py`) so that
notifications, the obligations ledger and the moderation queue can link to it.

Everything works without JavaScript: each action is a form that posts and redirects back.
The asker is shown only as `question.public_author`, wherever the page is.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST
from wagtail.images import get_image_model

from accounts import selectors as account_selectors
from accounts.models import Agency
from moderation.services import PostingRefused, is_blocked
from tracking import calendar
from tracking.models import Obligation, ObligationRedirect

from . import selectors, services, workspace
from .forms import (
    SEARCH_TITLE_MAX,
    BlogFilterForm,
    QuestionFilterForm,
    QuestionForm,
    RatingForm,
    SimilarQuestionsForm,
)
from .models import (
    Answer,
    Attachment,
    BlogPage,
    BlogPostPage,
    Question,
    Rating,
    Support,
)

QUESTIONS_PER_PAGE = 20
LATEST_POSTS = 10
LATEST_QUESTIONS = 10
# The rendition the blog list prefetches; its template asks for the same filter.
INDEX_PHOTO = "fill-160x160"


def client_ip(request: HttpRequest) -> str | None:
    """The address the rate limits count (the proxy sets REMOTE_ADDR, see deployment)."""
    return request.META.get("REMOTE_ADDR") or None


def _add_errors(form, error: ValidationError) -> None:
    """A service's ValidationError onto the form: next to its field when the form has it."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _official_name(user) -> str:
    return user.get_full_name() or user.public_name


# --- Who may ask ------------------------------------------------------------------------


def ask_refusal(user, blog: BlogPage) -> tuple[str, str] | None:
    """Why `user` may not ask in `blog` (a code and a sentence to show), or None when they
    may. The permission itself is `blogs.ask_question`; this only explains a refusal."""
    if user.has_perm("blogs.ask_question", blog):
        return None
    if not (blog.live and blog.accepts_questions):
        return "closed", _("This blog does not accept new questions at the moment.")
    if not user.is_authenticated:
        return "anonymous", _("Sign in to ask a question.")
    if not user.is_active or user.is_deleted:
        return "inactive", _("Your account cannot ask questions.")
    if not account_selectors.has_verified_email(user):
        return "unverified", _("Confirm your email address to ask a question.")
    if is_blocked(user):
        return "blocked", _("Your account is blocked from posting.")
    return "forbidden", _("You cannot ask a question in this blog.")


# --- Rows shown in lists ------------------------------------------------------------------


def public_questions(blog: BlogPage) -> QuerySet[Question]:
    """A blog's visible questions, newest first, with what a row shows: one query for a
    page of rows (the asker only for `public_author`; the number of answers annotated)."""
    return (
        Question.objects.visible()
        .filter(blog=blog)
        .select_related("obligation", "asker")
        .annotate(answer_count=Count("answers"))
        .order_by("-published_at", "-pk")
    )


def _filter_questions(questions: QuerySet[Question], cleaned: dict, now) -> QuerySet[Question]:
    status = cleaned.get("status")
    if status == QuestionFilterForm.ANSWERED:
        questions = questions.filter(obligation__in=Obligation.objects.answered())
    elif status == QuestionFilterForm.AWAITING:
        questions = questions.filter(obligation__in=Obligation.objects.open())
    elif status == QuestionFilterForm.OVERDUE:
        questions = questions.filter(obligation__in=Obligation.objects.overdue(now))
    if cleaned.get("category"):
        questions = questions.filter(category=cleaned["category"])
    return questions


def _querystring(form) -> str:
    """The valid filters, for the pagination links."""
    if not form.is_bound or not form.is_valid():
        return ""
    return urlencode({key: value for key, value in form.cleaned_data.items() if value})


def _percent(share: float | None) -> int | None:
    return None if share is None else round(share * 100)


def _median_days(median: float | None) -> tuple[str | None, int]:
    """The median shown ("7" or "7.5", localised) and the number choosing its plural form.
    A median of two values can end in .5; a fraction takes the form of "2" (in Russian
    the genitive singular, "2,5 рабочего дня"; in English "days")."""
    if median is None:
        return None, 0
    if float(median).is_integer():
        return number_format(int(median)), int(median)
    return number_format(median, decimal_pos=1), 2


# --- Wagtail routes (routes.py) --------------------------------------------------------------


def blog_index(page, request: HttpRequest) -> HttpResponse:
    """The live blogs under the index, in the page's language, with their photo and
    counts: a fixed number of queries whatever the number of blogs."""
    form = BlogFilterForm(request.GET or None)
    blogs = (
        BlogPage.objects.live()
        .public()
        .child_of(page)
        .select_related("agency", "owner_user")
        .prefetch_related(
            Prefetch("photo", queryset=get_image_model().objects.prefetch_renditions(INDEX_PHOTO))
        )
    )
    if form.is_bound and form.is_valid():
        if form.cleaned_data["kind"]:
            blogs = blogs.filter(agency__kind=form.cleaned_data["kind"])
        if form.cleaned_data["region"]:
            blogs = blogs.filter(
                agency__kind=Agency.Kind.LOCAL, agency__region=form.cleaned_data["region"]
            )
    blogs = list(blogs)
    # Questions belong to the blog's original page; its translations share the key.
    counts = {
        row["blog__translation_key"]: row
        for row in Question.objects.published()
        .filter(blog__translation_key__in={blog.translation_key for blog in blogs})
        .values("blog__translation_key")
        .annotate(
            received=Count("pk"),
            answered=Count("pk", filter=Q(obligation__answered_at__isnull=False)),
        )
        .order_by()
    }
    rows = [
        {
            "blog": blog,
            "official": _official_name(blog.owner_user),
            "received": counts.get(blog.translation_key, {}).get("received", 0),
            "answered": counts.get(blog.translation_key, {}).get("answered", 0),
        }
        for blog in blogs
    ]
    return page.render(
        request,
        context_overrides={"form": form, "rows": rows},
    )


def blog_home(page: BlogPage, request: HttpRequest) -> HttpResponse:
    """The blog: the official, the statistics, the latest posts and questions."""
    canonical = page.canonical
    now = timezone.now()
    stats = selectors.blog_statistics(blog=canonical, now=now)
    posts = (
        BlogPostPage.objects.live().public().child_of(page).order_by("-date", "-pk")[:LATEST_POSTS]
    )
    median_days, median_days_plural = _median_days(stats.median_days_to_answer)
    return page.render(
        request,
        context_overrides={
            "official": _official_name(page.owner_user),
            "stats": stats,
            "median_days": median_days,
            "median_days_plural": median_days_plural,
            "satisfied_percent": _percent(stats.satisfied_share),
            "brush_off_percent": _percent(stats.brush_off_share),
            "posts": list(posts),
            "questions": list(public_questions(canonical)[:LATEST_QUESTIONS]),
            "refusal": ask_refusal(request.user, page),
            "now": now,
        },
    )


def blog_questions(page: BlogPage, request: HttpRequest) -> HttpResponse:
    """All visible questions of the blog, filtered and paginated. A filter the form
    refuses is shown as its error, and the list stays unfiltered."""
    now = timezone.now()
    form = QuestionFilterForm(request.GET or None)
    questions = public_questions(page.canonical)
    if form.is_bound and form.is_valid():
        questions = _filter_questions(questions, form.cleaned_data, now)
    page_obj = Paginator(questions, QUESTIONS_PER_PAGE).get_page(request.GET.get("page"))
    return page.render(
        request,
        template="blogs/blog_questions.html",
        context_overrides={
            "form": form,
            "page_obj": page_obj,
            "questions": list(page_obj.object_list),
            "querystring": _querystring(form),
            "now": now,
            "can_ask": ask_refusal(request.user, page) is None,
        },
    )


def _ask_page(page, request, *, status: int = 200, **context) -> HttpResponse:
    context.setdefault("moderation_days", selectors.moderation_working_days())
    response = page.render(request, template="blogs/question_ask.html", context_overrides=context)
    response.status_code = status
    return response


def question_ask(page: BlogPage, request: HttpRequest) -> HttpResponse:
    """The ask form, in two steps without JavaScript: "Check for similar questions" shows
    answered questions that look like it; "Send my question" submits it for moderation."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    refusal = ask_refusal(request.user, page)
    if refusal is not None:
        return _ask_page(page, request, status=403, refusal=refusal[1], refusal_code=refusal[0])
    if request.method != "POST":
        return _ask_page(page, request, form=QuestionForm())
    form = QuestionForm(request.POST, request.FILES)
    valid = form.is_valid()
    if "send" in request.POST:
        if not valid:
            return _ask_page(page, request, status=400, form=form)
        try:
            question = services.question_submit(
                blog=page,
                asker=request.user,
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
                category=form.cleaned_data["category"],
                name_hidden=form.cleaned_data["name_hidden"],
                attachments=form.cleaned_data["attachments"],
                ip=client_ip(request),
            )
        except ValidationError as error:
            _add_errors(form, error)
        except PostingRefused as refused:
            form.add_error(None, str(refused.message))
        except PermissionDenied as denied:
            return _ask_page(page, request, status=403, refusal=str(denied), refusal_code="")
        else:
            days = selectors.moderation_working_days()
            messages.success(
                request,
                ngettext(
                    "Your question was sent; moderators review it within %(days)d working day.",
                    "Your question was sent; moderators review it within %(days)d working days.",
                    days,
                )
                % {"days": days},
            )
            return HttpResponseRedirect(question.get_absolute_url())
        return _ask_page(page, request, status=400, form=form)
    # "Check for similar questions" (or a form the browser sent without a button).
    similar = selectors.similar_answered_questions(
        title=request.POST.get("title", "")[:SEARCH_TITLE_MAX], blog=page.canonical
    )
    return _ask_page(
        page,
        request,
        status=200 if valid else 400,
        form=form,
        checked=True,
        similar=similar,
        files_dropped=bool(request.FILES),
    )


def blog_feed(page: BlogPage, request: HttpRequest) -> HttpResponse:
    from .feeds import BlogFeed

    return BlogFeed()(request, blog=page)


# --- The question page ----------------------------------------------------------------------


def question_detail(request, pk: int):
    """One question with its answers, files, the obligation's dates and the asker's
    rating. The asker is shown only as `public_author`; unpublished or hidden questions are
    seen by the asker, the agency's staff and moderators only (404 for anyone else)."""
    question = get_object_or_404(
        Question.objects.select_related(
            "blog", "agency", "asker", "obligation", "obligation__agency", "rating"
        ).prefetch_related(
            Prefetch("answers", queryset=Answer.objects.order_by("created_at", "pk")),
            Prefetch("attachments", queryset=Attachment.objects.order_by("pk")),
        ),
        pk=pk,
    )
    user = request.user
    if not user.has_perm("blogs.view_question", question):
        raise Http404
    try:
        rating = question.rating
    except Rating.DoesNotExist:
        rating = None
    files_by_answer: dict[int | None, list[Attachment]] = {}
    for attachment in question.attachments.all():
        files_by_answer.setdefault(attachment.answer_id, []).append(attachment)
    answers = list(question.answers.all())
    for answer in answers:
        answer.files = files_by_answer.get(answer.pk, [])
    obligation = question.obligation
    now = timezone.now()
    can_support = user.has_perm("blogs.support_question", question)
    context = {
        "question": question,
        "blog": question.blog.localized,
        "answers": answers,
        "files": files_by_answer.get(None, []),
        "rating": rating,
        "obligation": obligation,
        "obligation_status": obligation.status(now) if obligation else None,
        "redirects": (
            list(
                ObligationRedirect.objects.filter(obligation=obligation).select_related(
                    "from_agency", "to_agency"
                )
            )
            if obligation
            else []
        ),
        "duplicate_url": (
            reverse("blogs:question_detail", kwargs={"pk": question.duplicate_of_id})
            if question.duplicate_of_id
            else ""
        ),
        "is_asker": user.is_authenticated and question.asker_id == user.pk,
        "can_support": can_support,
        "supported": can_support and Support.objects.filter(question=question, user=user).exists(),
        "can_rate": user.has_perm("blogs.rate_question", question),
        "rating_form": RatingForm(),
        "now": now,
        "staff_actions": None,
    }
    context.update(workspace.staff_context(request, question))
    return render(request, "blogs/question_detail.html", context)


def _question_for_action(request, pk: int) -> Question:
    """The question a support or rating form posts to: 404 for what the person cannot see."""
    question = get_object_or_404(
        Question.objects.select_related("obligation", "agency", "rating"), pk=pk
    )
    if not request.user.has_perm("blogs.view_question", question):
        raise Http404
    return question


def _refused(request, question: Question, message: str) -> HttpResponse:
    return render(
        request,
        "blogs/includes/refused_page.html",
        {"question": question, "message": message},
        status=403,
    )


@require_POST
def question_support(request: HttpRequest, pk: int) -> HttpResponse:
    """ "I want to know too". Idempotent: a second click says so."""
    question = _question_for_action(request, pk)
    back = question.get_absolute_url()
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    try:
        created = services.question_support(question=question, user=request.user)
    except PermissionDenied as denied:
        return _refused(request, question, str(denied))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return HttpResponseRedirect(back)
    if created:
        messages.success(request, _("Thank you. You will be told when the agency answers."))
    else:
        messages.info(request, _("You already support this question."))
    return HttpResponseRedirect(f"{back}#support")


@require_POST
def question_rate(request: HttpRequest, pk: int) -> HttpResponse:
    """The asker's verdict on the final answer, once."""
    question = _question_for_action(request, pk)
    back = f"{question.get_absolute_url()}#rating"
    if not request.user.is_authenticated:
        return redirect_to_login(question.get_absolute_url())
    form = RatingForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return HttpResponseRedirect(back)
    try:
        services.question_rate(
            question=question,
            asker=request.user,
            verdict=form.cleaned_data["verdict"],
            comment=form.cleaned_data["comment"],
        )
    except PermissionDenied as denied:
        return _refused(request, question, str(denied))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return HttpResponseRedirect(back)
    messages.success(request, _("Thank you for rating the answer."))
    return HttpResponseRedirect(back)


@require_GET
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """A question's or an answer's file, to whoever may see the question (404 otherwise,
    so a file's existence is not given away). Always downloaded, never shown inline."""
    attachment = (
        Attachment.objects.select_related("question", "question__agency")
        .filter(pk=attachment_pk, question_id=pk)
        .first()
    )
    if attachment is None or not request.user.has_perm("blogs.view_question", attachment.question):
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError) as missing:
        raise Http404 from missing
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private"
    return response


@require_GET
def similar_questions(request: HttpRequest) -> JsonResponse:
    """Answered questions like the one being typed, found by the platform search, for
    ask.js: title, address and the date of the answer. Never who asked."""
    form = SimilarQuestionsForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    blog = None
    if form.cleaned_data["blog"]:
        blog = BlogPage.objects.live().public().filter(pk=form.cleaned_data["blog"]).first()
        if blog is None:
            return JsonResponse({"errors": {"blog": [{"message": _("No such blog.")}]}}, status=404)
        blog = blog.canonical
    found = selectors.similar_answered_questions(title=form.cleaned_data["title"], blog=blog)
    results = []
    for question in found:
        answered_at = question.obligation.answered_at  # read with the questions
        answered_on = calendar.local_date(answered_at).isoformat() if answered_at else None
        url = question.get_absolute_url()
        results.append({"title": question.title, "url": url, "answered_on": answered_on})
    return JsonResponse({"results": results})
