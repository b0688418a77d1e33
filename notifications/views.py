from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from ashyq.http import safe_next

from . import followables, registry, services
from .models import Channel, Notification
from .tokens import read_token

PER_PAGE = 30


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


# --- The notifications page ----------------------------------------------------------------


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = Notification.objects.filter(recipient=request.user).only(
        "pk", "kind", "title", "body", "url", "created_at", "read_at", "recipient_id"
    )
    page = Paginator(notifications, PER_PAGE).get_page(request.GET.get("page"))
    labels = {kind.key: kind.label for kind in registry.kinds()}
    rows = [(n, labels.get(n.kind, "")) for n in page.object_list]
    return render(
        request,
        "notifications/notification_list.html",
        {"page_obj": page, "rows": rows},
    )


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    services.notification_mark_read(user=request.user, notification_id=pk)
    if _wants_json(request):
        return JsonResponse({"read": True, "unread": services.unread_count(request.user)})
    return redirect(safe_next(request, reverse("notifications:list")))


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(user=request.user)
    if _wants_json(request):
        return JsonResponse({"marked": count, "unread": 0})
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect(safe_next(request, reverse("notifications:list")))


# --- Following -------------------------------------------------------------------------------


def _follow_target(request: HttpRequest):
    target = followables.resolve(
        request.POST.get("target_type", ""), request.POST.get("target_id", ""), request.user
    )
    if target is None:
        raise Http404("Nothing to follow here")
    return target


def _target_url(target) -> str:
    for attribute in ("get_absolute_url", "get_url"):
        method = getattr(target, attribute, None)
        if callable(method):
            try:
                url = method()
            except TypeError:
                continue
            if url:
                return url
    return "/"


@login_required
@require_POST
def follow_view(request: HttpRequest) -> HttpResponse:
    target = _follow_target(request)
    services.follow(user=request.user, target=target)
    if _wants_json(request):
        return JsonResponse({"following": True})
    messages.success(
        request, _("You follow “%(name)s”. You will be notified of news.") % {"name": target}
    )
    return redirect(safe_next(request, _target_url(target)))


@login_required
@require_POST
def unfollow_view(request: HttpRequest) -> HttpResponse:
    target = _follow_target(request)
    services.unfollow(user=request.user, target=target)
    if _wants_json(request):
        return JsonResponse({"following": False})
    messages.success(request, _("You no longer follow “%(name)s”.") % {"name": target})
    return redirect(safe_next(request, _target_url(target)))


# --- Preferences --------------------------------------------------------------------------------


class PreferencesForm(forms.Form):
    no_email = forms.BooleanField(
        label=gettext_lazy("Send me no email at all"),
        required=False,
        help_text=gettext_lazy("Notifications still appear here on the site."),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of notifications and emails"),
        choices=settings.LANGUAGES,
    )

    def __init__(self, *args, current: dict[str, str], language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["no_email"].initial = current.get(registry.ALL_KINDS) == registry.OFF
        self.fields["language"].initial = language
        self.kind_fields = []
        for kind in registry.kinds():
            name = f"kind_{kind.key}"
            self.fields[name] = forms.ChoiceField(
                label=kind.label,
                choices=Channel.choices,
                widget=forms.RadioSelect,
                initial=current.get(kind.key, kind.default),
            )
            self.kind_fields.append((kind, name))

    def kind_bound_fields(self):
        return [self[name] for _kind, name in self.kind_fields]


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    current = services.preferences_of(request.user)
    form = PreferencesForm(
        request.POST or None, current=current, language=services.recipient_language(request.user)
    )
    if request.method == "POST" and form.is_valid():
        services.preferences_save(
            user=request.user,
            channels={kind.key: form.cleaned_data[name] for kind, name in form.kind_fields},
            no_email=form.cleaned_data["no_email"],
            language=form.cleaned_data["language"],
        )
        messages.success(request, _("Your notification settings have been saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


# --- Unsubscribing --------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET only asks; POST unsubscribes. Mail scanners open links, they do not press
    buttons, so a scanner never unsubscribes anyone."""
    wish = read_token(token)
    if wish is None:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    # A kind that no longer exists is treated as "everything" (see services.unsubscribe).
    label = registry.label_of(wish.kind) if registry.is_registered(wish.kind) else None
    if request.method == "POST":
        done = services.unsubscribe(user_id=wish.user_id, kind=wish.kind)
        if not done:
            return render(request, "notifications/unsubscribe_invalid.html", status=400)
        return render(request, "notifications/unsubscribe_done.html", {"label": label})
    return render(
        request, "notifications/unsubscribe_confirm.html", {"label": label, "token": token}
    )


@csrf_exempt
@require_POST
def unsubscribe_one_click(request: HttpRequest, token: str) -> HttpResponse:
    """RFC 8058 one-click: the mail client POSTs "List-Unsubscribe=One-Click" here. The
    signed token is the authentication, so there is no CSRF token to check."""
    wish = read_token(token)
    if wish is None or not services.unsubscribe(user_id=wish.user_id, kind=wish.kind):
        return HttpResponse(
            _("Invalid unsubscribe link."), status=400, content_type="text/plain; charset=utf-8"
        )
    return HttpResponse(_("Unsubscribed."), content_type="text/plain; charset=utf-8")
