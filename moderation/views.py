"""The moderation pages: the queue with bulk actions, reporting content, a person's page
(block, lift the block) and the audit log. Plain forms: everything works without JavaScript."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from ashyq.http import safe_next

from . import registry, selectors, services
from .forms import BlockForm, BulkActionForm, FlagForm, LogFilterForm, UnblockForm
from .models import ModeratedItem
from .services import ModerationRefused

ITEMS_PER_PAGE = 30
LOG_PER_PAGE = 50


def _require(request: HttpRequest, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


# --- the queue ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def queue(request: HttpRequest) -> HttpResponse:
    _require(request, "moderation.view_queue")
    state = request.GET.get("state", selectors.STATE_FLAGGED)
    if state not in selectors.STATES:
        state = selectors.STATE_FLAGGED
    model_key = request.GET.get("type", "")
    if model_key and not registry.is_registered(model_key):
        model_key = ""
    agency_id = _int_or_none(request.GET.get("agency"))
    items = selectors.queue_items(
        user=request.user, state=state, model_key=model_key, agency_id=agency_id
    )
    page = Paginator(items, ITEMS_PER_PAGE).get_page(request.GET.get("page"))
    rows = selectors.queue_rows(page.object_list)
    filters = {"state": state, "type": model_key, "agency": agency_id or ""}
    querystring = urlencode({key: value for key, value in filters.items() if value})

    form = BulkActionForm(item_ids=[row.item.pk for row in rows])
    if request.method == "POST":
        response = _apply_bulk_action(request, querystring)
        if isinstance(response, HttpResponse):
            return response
        form = response

    agencies = list(selectors.queue_agencies(request.user))
    return render(
        request,
        "moderation/queue.html",
        {
            "page_obj": page,
            "rows": rows,
            "form": form,
            "state": state,
            "states": [
                (selectors.STATE_FLAGGED, _("Flagged")),
                (selectors.STATE_HIDDEN, _("Hidden")),
                (selectors.STATE_ALL, _("All recent")),
            ],
            "types": [(entry.key, entry.label) for entry in registry.entries()],
            "selected_type": model_key,
            "agencies": agencies,
            "selected_agency": agency_id,
            "querystring": querystring,
            "can_block": request.user.has_perm("moderation.block_user"),
        },
    )


def _apply_bulk_action(request: HttpRequest, querystring: str) -> HttpResponse | BulkActionForm:
    """Apply the chosen action to the selected items; a redirect on success, the bound form
    (with its errors, the selection kept) otherwise."""
    posted_ids = [_int_or_none(value) for value in request.POST.getlist("items")]
    candidates = ModeratedItem.objects.select_related("content_type", "agency").filter(
        pk__in=[pk for pk in posted_ids if pk is not None]
    )
    allowed = [
        item for item in candidates if request.user.has_perm("moderation.moderate_item", item)
    ]
    form = BulkActionForm(request.POST, item_ids=[item.pk for item in allowed])
    if not form.is_valid():
        messages.error(request, _("Nothing was changed: please correct the errors below."))
        return form
    chosen = [item for item in allowed if item.pk in set(form.cleaned_data["items"])]
    targets = services.targets_of(chosen)
    objects = [targets[item.pk] for item in chosen if item.pk in targets]
    action, note = form.cleaned_data["action"], form.cleaned_data["note"]
    try:
        if action == BulkActionForm.HIDE:
            done = services.moderation_hide(
                targets=objects, reason=form.cleaned_data["reason"], note=note, actor=request.user
            )
            text = ngettext("%(count)d item hidden.", "%(count)d items hidden.", len(done))
        elif action == BulkActionForm.RESTORE:
            done = services.moderation_restore(targets=objects, actor=request.user, note=note)
            text = ngettext("%(count)d item restored.", "%(count)d items restored.", len(done))
        else:
            done = services.flags_dismiss(targets=objects, actor=request.user, note=note)
            text = ngettext(
                "Flags dismissed on %(count)d item.",
                "Flags dismissed on %(count)d items.",
                len(done),
            )
    except ModerationRefused as refused:
        messages.error(request, refused.message)
        return form
    messages.success(request, text % {"count": len(done)})
    if len(done) < len(objects):
        messages.info(request, _("Items that were already in that state were left as they were."))
    url = request.path + (f"?{querystring}" if querystring else "")
    return redirect(url)


@login_required
def open_item(request: HttpRequest, pk: int) -> HttpResponse:
    """Go to the item in its context. A redirect, so the queue never asks each target for its
    URL (which can cost queries per item, e.g. a comment's page)."""
    item = get_object_or_404(ModeratedItem.objects.select_related("content_type", "agency"), pk=pk)
    _require(request, "moderation.moderate_item", item)
    target = services.targets_of([item]).get(item.pk)
    if target is None:
        raise Http404
    return redirect(registry.get(target).url_of(target))


# --- reporting ---------------------------------------------------------------------------------


def _target_or_404(model_key: str, object_id: str):
    try:
        entry = registry.get(model_key)
        pk = entry.model._meta.pk.to_python(object_id)
        return entry, entry.objects().get(pk=pk)
    except (registry.NotModeratable, ObjectDoesNotExist, ValidationError, ValueError):
        raise Http404 from None


@login_required
@require_http_methods(["GET", "POST"])
def flag(request: HttpRequest, model: str, object_id: str) -> HttpResponse:
    entry, target = _target_or_404(model, object_id)
    back = safe_next(request, entry.url_of(target))
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.flag_create(
                target=target,
                reporter=request.user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except ModerationRefused as refused:
            messages.error(request, refused.message)
            return redirect(back)
        messages.success(request, _("Thank you. A moderator will look at what you reported."))
        return redirect(back)
    return render(
        request,
        "moderation/flag_page.html",
        {
            "form": form,
            "target": target,
            "entry": entry,
            "excerpt": entry.excerpt_of(target),
            "next": back,
        },
    )


# --- people ------------------------------------------------------------------------------------


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(get_user_model(), pk=pk)
    _require(request, "moderation.block_user", person)
    active_block = person.moderation_blocks.filter(lifted_at__isnull=True).first()
    return render(
        request,
        "moderation/user_detail.html",
        {
            "person": person,
            "active_block": active_block,
            "block_form": BlockForm(),
            "unblock_form": UnblockForm(),
            **selectors.user_moderation(user=person),
        },
    )


@login_required
@require_POST
def user_block(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(get_user_model(), pk=pk)
    _require(request, "moderation.block_user", person)
    form = BlockForm(request.POST)
    if form.is_valid():
        try:
            block = services.user_block(
                user=person, reason=form.cleaned_data["reason"], actor=request.user
            )
        except ModerationRefused as refused:
            messages.error(request, refused.message)
        else:
            count = block.hidden_items.count()
            messages.success(
                request,
                ngettext(
                    "%(name)s is blocked; %(count)d item hidden.",
                    "%(name)s is blocked; %(count)d items hidden.",
                    count,
                )
                % {"name": person.public_name, "count": count},
            )
            return redirect("moderation:user", pk=person.pk)
    else:
        messages.error(request, _("Give a reason for the block."))
    return redirect("moderation:user", pk=person.pk)


@login_required
@require_POST
def user_unblock(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(get_user_model(), pk=pk)
    _require(request, "moderation.block_user", person)
    form = UnblockForm(request.POST)
    form.is_valid()
    try:
        services.user_unblock(
            user=person, actor=request.user, note=form.cleaned_data.get("note", "")
        )
    except ModerationRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            _("The block on %(name)s is lifted; what it hid is shown again.")
            % {"name": person.public_name},
        )
    return redirect("moderation:user", pk=person.pk)


# --- the log -----------------------------------------------------------------------------------


@login_required
def log(request: HttpRequest) -> HttpResponse:
    _require(request, "moderation.view_log")
    actors = list(selectors.log_actors(user=request.user))
    form = LogFilterForm(request.GET or None, actors=actors)
    actor_id, action = None, ""
    if form.is_bound and form.is_valid():
        actor_id, action = form.cleaned_data["actor"], form.cleaned_data["action"]
    actions = selectors.action_log(user=request.user, actor_id=actor_id, action=action)
    page = Paginator(actions, LOG_PER_PAGE).get_page(request.GET.get("page"))
    querystring = urlencode(
        {key: value for key, value in {"actor": actor_id or "", "action": action}.items() if value}
    )
    return render(
        request,
        "moderation/log.html",
        {"page_obj": page, "form": form, "querystring": querystring},
    )
