"""The watchlist page (`/<lang>/watchlist/`) and its two POST actions. Plain forms: all of
it works without JavaScript."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ashyq.http import safe_next

from . import services
from .forms import WatchForm

RECENT_ALERTS = 50


def _page(request: HttpRequest, form: WatchForm, *, status: int = 200) -> HttpResponse:
    watches = list(services.watches_of(request.user))
    alerts = services.recent_alerts(request.user, limit=RECENT_ALERTS)
    by_watch = services.alerts_by_watch(watches, alerts)
    return render(
        request,
        "watchlists/watchlist.html",
        {
            "form": form,
            "rows": [(watch, by_watch[watch.pk]) for watch in watches],
            "has_kinds": bool(form.kind_choices()),
        },
        status=status,
    )


@login_required
@require_GET
def watchlist(request: HttpRequest) -> HttpResponse:
    return _page(request, WatchForm())


@login_required
@require_POST
def watch_add_view(request: HttpRequest) -> HttpResponse:
    """From the page's form, or from a "Watch this agency" button elsewhere (which sends
    `next`: the person goes back there, with a message either way)."""
    form = WatchForm(request.POST)
    back = request.POST.get("next")
    if form.is_valid():
        try:
            watch = services.watch_add(
                user=request.user,
                agency=form.cleaned_data["agency"],
                kind=form.cleaned_data["kind"],
                events=form.cleaned_data["events"],
                name=form.cleaned_data["name"],
            )
        except services.WatchError as error:
            form.add_error(error.field, str(error))
        else:
            messages.success(
                request,
                _("You now watch “%(name)s”. Alerts appear in your notifications.")
                % {"name": watch.label},
            )
            return redirect(safe_next(request, reverse("tracking:watchlist")))
    if back:
        for error in form.non_field_errors() or [e for es in form.errors.values() for e in es]:
            messages.error(request, error)
        return redirect(safe_next(request, reverse("tracking:watchlist")))
    return _page(request, form, status=400)


@login_required
@require_POST
def watch_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    watch = services.watches_of(request.user).filter(pk=pk).first()
    if watch is None:
        raise Http404("No such watch")
    label = watch.label
    services.watch_remove(user=request.user, watch_id=watch.pk)
    messages.success(request, _("You no longer watch “%(name)s”.") % {"name": label})
    return redirect(safe_next(request, reverse("tracking:watchlist")))
