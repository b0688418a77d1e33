"""Comment pages. Everything works without JavaScript: each action is a POST form that
redirects back to the comment on its page; errors re-render a page with the person's text.
With JavaScript, comments.js asks for the same URLs with `?fragment=1` and swaps in the
returned HTML."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import commentable, selectors, services
from . import hub as hub_sections
from .forms import CommentForm, VoteForm
from .models import Comment


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _target(content_type_id: int, object_pk: str):
    try:
        content_type = ContentType.objects.get_for_id(content_type_id)
    except ContentType.DoesNotExist as exc:
        raise Http404 from exc
    entry = commentable.for_content_type(content_type)
    if entry is None:
        raise Http404
    try:
        return entry.queryset().get(pk=object_pk)
    except (entry.model.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def _comment(comment_id: int) -> tuple[Comment, object]:
    comment = get_object_or_404(
        Comment.objects.select_related("user", "agency", "organisation").order_by(),
        pk=comment_id,
    )
    entry = commentable.for_content_type(comment.target_type)
    if entry is None:
        raise Http404
    target = entry.queryset().filter(pk=comment.target_pk).first()
    if target is None:
        raise Http404
    comment._state.fields_cache["content_object"] = target
    return comment, target


def _is_fragment(request: HttpRequest) -> bool:
    return request.GET.get("fragment") == "1" or request.POST.get("fragment") == "1"


def _back_to(comment: Comment) -> HttpResponseRedirect:
    return HttpResponseRedirect(comment.get_absolute_url())


def _live_context(target) -> dict:
    return {"live_groups": [selectors.target_live_group(target)]}


def _form_page(request, *, target, form, title, action, parent=None, comment=None, status=200):
    return render(
        request,
        "dialogue/comment_form_page.html",
        {
            "target": target,
            "target_title": commentable.title_of(target),
            "target_url": commentable.url_of(target),
            "form": form,
            "title": title,
            "action": action,
            "parent": parent,
            "comment": comment,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def comment_create(request: HttpRequest, content_type_id: int, object_pk: str) -> HttpResponse:
    target = _target(content_type_id, object_pk)
    viewer = selectors.Viewer.for_target(request.user, target)
    form = CommentForm(request.POST or None, allow_official=viewer.official, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            comment = services.comment_post(
                target=target,
                author=request.user,
                text=form.cleaned_data["text"],
                as_official=form.cleaned_data.get("as_official", False),
                organisation=form.cleaned_data.get("organisation"),
                ip=client_ip(request),
            )
        except ValidationError as error:
            _add(form, error)
        except PermissionDenied as denied:
            form.add_error(None, str(denied) or _("You cannot comment here."))
            return _form_page(
                request,
                target=target,
                form=form,
                title=_("Write a comment"),
                action=request.path,
                status=403,
            )
        else:
            messages.success(request, _("Your comment is published."))
            return _back_to(comment)
    status = 400 if request.method == "POST" else 200
    return _form_page(
        request,
        target=target,
        form=form,
        title=_("Write a comment"),
        action=request.path,
        status=status,
    )


def _submit(form, action):
    """Run a service for a valid form: (its result, 200), or (None, 400 or 403) with the
    refusal shown on the form, which keeps what the person typed."""
    try:
        return action(), 200
    except ValidationError as error:
        _add(form, error)
        return None, 400
    except PermissionDenied as denied:
        form.add_error(None, str(denied))
        return None, 403


def _add(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
@require_http_methods(["GET", "POST"])
def comment_reply(request: HttpRequest, comment_id: int) -> HttpResponse:
    parent, target = _comment(comment_id)
    form = CommentForm(request.POST or None, prefix_id=f"reply-{parent.pk}", user=request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        reply, status = _submit(
            form,
            lambda: services.comment_post(
                target=target,
                author=request.user,
                text=form.cleaned_data["text"],
                parent=parent,
                organisation=form.cleaned_data.get("organisation"),
                ip=client_ip(request),
            ),
        )
        if reply is not None:
            messages.success(request, _("Your reply is published."))
            return _back_to(reply)
    return _form_page(
        request,
        target=target,
        form=form,
        title=_("Reply to a comment"),
        action=request.path,
        parent=parent,
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def comment_edit(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment, target = _comment(comment_id)
    if not request.user.has_perm("dialogue.edit_comment", comment):
        raise PermissionDenied(_("This comment can no longer be edited."))
    form = CommentForm(
        request.POST or None, initial={"text": comment.comment}, prefix_id=f"edit-{comment.pk}"
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        edited, status = _submit(
            form,
            lambda: services.comment_edit(
                comment=comment, author=request.user, text=form.cleaned_data["text"]
            ),
        )
        if edited is not None:
            messages.success(request, _("Your comment is updated."))
            return _back_to(comment)
    return _form_page(
        request,
        target=target,
        form=form,
        title=_("Edit your comment"),
        action=request.path,
        comment=comment,
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def comment_withdraw(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment, target = _comment(comment_id)
    if not request.user.has_perm("dialogue.withdraw_comment", comment):
        raise PermissionDenied(_("You cannot withdraw this comment."))
    if request.method == "POST":
        services.comment_withdraw(comment=comment, author=request.user)
        messages.success(request, _("Your comment is withdrawn. Its place in the thread stays."))
        return _back_to(comment)
    return render(
        request,
        "dialogue/comment_withdraw.html",
        {"comment": comment, "target_url": commentable.url_of(target)},
    )


@login_required
@require_POST
def comment_vote(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment, _target_obj = _comment(comment_id)
    form = VoteForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("A vote is up, down or withdrawn."), status=400)
    services.comment_vote(comment=comment, user=request.user, value=form.cleaned_data["value"])
    if _is_fragment(request):
        comment.refresh_from_db(fields=["upvotes", "downvotes", "score"])
        return HttpResponse(str(comment.score))
    return _back_to(comment)


@require_GET
def comment_replies(request: HttpRequest, comment_id: int) -> HttpResponse:
    """A comment's replies: a fragment for comments.js, or a page with the thread."""
    parent, target = _comment(comment_id)
    viewer = selectors.Viewer.for_target(request.user, target)
    page = selectors.replies_page(parent=parent, viewer=viewer, page=request.GET.get("page"))
    if not _is_fragment(request):
        viewer.load_votes([parent])
    context = {
        "target": target,
        "parent_row": viewer.row(parent),
        "parent_rows": [viewer.row(parent)],
        "page": page,
        "viewer": viewer,
        "target_title": commentable.title_of(target),
        "target_url": commentable.url_of(target),
        **_live_context(target),
    }
    if _is_fragment(request):
        return render(request, "dialogue/includes/replies.html", context)
    return render(request, "dialogue/thread_page.html", context)


@require_GET
def comment_history(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment, target = _comment(comment_id)
    viewer = selectors.Viewer.for_target(request.user, target)
    if not viewer.sees_text(comment):
        raise Http404
    return render(
        request,
        "dialogue/comment_history.html",
        {
            "comment": comment,
            "versions": comment.versions.order_by("-replaced_at", "-pk"),
            "target_title": commentable.title_of(target),
            "target_url": commentable.url_of(target),
        },
    )


@require_GET
def comments_new(request: HttpRequest, content_type_id: int, object_pk: str) -> HttpResponse:
    """The comments named in ?ids=1,2 as HTML, for "2 new comments — show"."""
    target = _target(content_type_id, object_pk)
    ids = []
    for raw in request.GET.get("ids", "").split(","):
        if raw.strip().isdigit():
            ids.append(int(raw))
    viewer = selectors.Viewer.for_target(request.user, target)
    rows = selectors.comments_by_ids(target=target, ids=ids, viewer=viewer)
    return render(
        request,
        "dialogue/includes/comment_list.html",
        {"rows": rows, "viewer": viewer, "target": target},
    )


@require_GET
def comments_page(request: HttpRequest, content_type_id: int, object_pk: str) -> HttpResponse:
    """The target's comments on a page of their own (links from notifications and the API)."""
    target = _target(content_type_id, object_pk)
    return render(
        request,
        "dialogue/comments_page.html",
        {
            "target": target,
            "target_title": commentable.title_of(target),
            "target_url": commentable.url_of(target),
            **_live_context(target),
        },
    )


@require_GET
def hub(request: HttpRequest) -> HttpResponse:
    """Open Dialogue's front page: a section of each part (threads, conferences, polls)."""
    return render(request, "dialogue/hub.html", {"sections": hub_sections.sections_for(request)})
