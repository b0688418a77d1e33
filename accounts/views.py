from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import personal_data, selectors, services
from .forms import DeleteAccountForm, ProfileForm
from .models import Agency, Organisation
from .regions import Region

AGENCIES_PER_PAGE = 30


def agency_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    region = request.GET.get("region", "")
    query = request.GET.get("q", "").strip()[:100]
    if kind not in Agency.Kind.values:
        kind = ""
    if region not in Region.values:
        region = ""
    agencies = selectors.agency_list(kind=kind, region=region, query=query)
    page = Paginator(agencies, AGENCIES_PER_PAGE).get_page(request.GET.get("page"))
    rows = [(agency, selectors.agency_head(agency)) for agency in page.object_list]
    return render(
        request,
        "accounts/agency_list.html",
        {
            "page_obj": page,
            "rows": rows,
            "kinds": Agency.Kind.choices,
            "regions": Region.choices,
            "selected_kind": kind,
            "selected_region": region,
            "query": query,
            "querystring": _querystring_without_page(request),
        },
    )


def agency_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        agency = selectors.agency_detail(slug=slug)
    except Agency.DoesNotExist as exc:
        raise Http404 from exc
    return render(
        request,
        "accounts/agency_detail.html",
        {"agency": agency, "head": selectors.agency_head(agency), "live_group": None},
    )


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        organisation = selectors.organisation_detail(slug=slug)
    except Organisation.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "accounts/organisation_detail.html", {"organisation": organisation})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_update_profile(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your profile has been saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/my_data.html", {"sections": personal_data.sections()})


@login_required
def my_data_download(request: HttpRequest) -> HttpResponse:
    data = {
        "exported_at": timezone.now(),
        "user_id": request.user.pk,
        **personal_data.export_for(request.user),
    }
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"ashyq-my-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_delete_account(user=request.user)
        logout(request)
        messages.success(
            request,
            _("Your account has been deleted. What you wrote in public stays as “deleted user”."),
        )
        return redirect("/")
    return render(request, "accounts/delete_account.html", {"form": form})


def _querystring_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
