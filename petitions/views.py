"""Public and author screens of e-petitions: the list, a petition with its signatures by
region, signing and withdrawing a signature, the signers' list, and the author's side
(start, edit, submit, withdraw, "my petitions"). The reads live in `pages.py` and
`selectors.py`; every change goes through `services.py`.

Pages show the state with the clocks applied (`Petition.effective_state(now)`), never the
stored one alone. A petition the person may not see is a 404 (`petitions.view_petition`).
A signer appears only as first name and surname initial (`selectors.signer_name`).
Everything works without JavaScript; `petitions.js` only adds a "Copy link" button, and
`similar.js` suggests similar petitions as the title of a new one is typed (the form's
"Check for similar petitions" button does the same without it).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
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
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from search.services import search
from search.text import query_terms

from . import pages, selectors, services
from .forms import PetitionFilterForm, PetitionForm, SimilarPetitionsForm, WithdrawForm
from .models import (
    TITLE_MAX,
    Petition,
    PetitionAttachment,
    PetitionResponse,
    PetitionState,
    RejectionReason,
    ResponseAttachment,
    ResponseState,
)

PETITION_KIND = "petition"  # the search kind (search_documents.py)
SIMILAR_LIMIT = 5


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


def _get_petition(request: HttpRequest, pk: int) -> Petition:
    """The petition if `request.user` may see it, else 404 (its existence is not given
    away)."""
    petition = get_object_or_404(
        Petition.objects.select_related("addressee", "author", "rejection_reason"), pk=pk
    )
    if not request.user.has_perm("petitions.view_petition", petition):
        raise Http404
    return petition


def _refused(request, petition: Petition | None, message: str, code: str = "") -> HttpResponse:
    return render(
        request,
        "petitions/refused.html",
        {"petition": petition, "message": message, "code": code},
        status=403,
    )


def _detail_url(petition: Petition, anchor: str = "") -> str:
    url = reverse("petitions:detail", args=[petition.pk])
    return f"{url}#{anchor}" if anchor else url


# --- The list -------------------------------------------------------------------------------


@require_GET
def petition_index(request: HttpRequest) -> HttpResponse:
    """Public petitions (public, threshold reached, closed; responded and rejected by the
    filter), 20 a page, most signed first unless sorted otherwise."""
    now = timezone.now()
    form = PetitionFilterForm(request.GET or None)
    petitions = selectors.public_list(**form.values(), now=now)
    page_obj = Paginator(petitions, pages.PETITIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "petitions/petition_index.html",
        {
            "form": form,
            "page_obj": page_obj,
            "petitions": pages.list_rows(page_obj.object_list, now),
            "querystring": form.querystring(),
        },
    )


# --- A petition -----------------------------------------------------------------------------


@require_GET
def petition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    petition = _get_petition(request, pk)
    user = request.user
    now = timezone.now()
    state, state_label = pages.state_of(petition, now)
    is_author = user.is_authenticated and petition.author_id == user.pk
    hidden = petition.hidden_at is not None
    published = petition.published_at is not None
    response = None
    response_files: list = []
    if petition.response_state == ResponseState.RESPONDED:
        response = PetitionResponse.objects.filter(petition=petition).first()
        if response is not None:
            response_files = list(response.attachments.order_by("pk"))
    signature = selectors.signature_of(petition, user) if published else None
    collecting = petition.is_collecting(now)
    absolute_url = request.build_absolute_uri(petition.get_absolute_url())
    signers = selectors.signers_page(petition, per_page=pages.LATEST_SIGNERS) if published else None
    context = {
        "petition": petition,
        "state": state,
        "state_label": state_label,
        "PetitionState": PetitionState,
        "ResponseState": ResponseState,
        "is_author": is_author,
        "hidden": hidden,
        "show_text": not hidden or is_author,
        "published": published,
        "collecting": collecting,
        "files": list(petition.attachments.order_by("pk")) if not hidden or is_author else [],
        "response": response,
        "response_files": response_files,
        "signature": signature,
        "refusal": None if signature else pages.sign_refusal(user, petition, now),
        "support_minimum": pages.support_minimum(),
        "link_only": state == PetitionState.PUBLISHED,
        "regions": selectors.region_counts(petition) if published else [],
        "signers": signers,
        "latest_signers": pages.shown_signers(signers) if signers else [],
        "absolute_url": absolute_url,
        "share_links": pages.share_links(absolute_url, petition.title) if published else [],
        "can_edit": is_author and user.has_perm("petitions.change_petition", petition),
        "can_submit": is_author and petition.state == PetitionState.DRAFT,
        "can_withdraw": is_author and user.has_perm("petitions.withdraw_petition", petition),
        "show_rejection": petition.state == PetitionState.REJECTED
        and (petition.rejection_is_public or is_author),
    }
    return render(request, "petitions/petition_detail.html", context)


@require_GET
def signature_list(request: HttpRequest, pk: int) -> HttpResponse:
    """Every counted signer, newest first, 50 a page, as first name and surname initial."""
    petition = _get_petition(request, pk)
    if petition.published_at is None:
        raise Http404
    try:
        number = max(1, int(request.GET.get("page", 1)))
    except (TypeError, ValueError):
        number = 1
    signers = selectors.signers_page(petition, page=number)
    if number > 1 and not signers.rows:
        raise Http404
    return render(
        request,
        "petitions/signature_list.html",
        {
            "petition": petition,
            "signers": signers,
            "rows": pages.shown_signers(signers),
            "start": (number - 1) * selectors.SIGNERS_PAGE_SIZE + 1,
            "hidden": petition.hidden_at is not None,
        },
    )


def _download(request: HttpRequest, pk: int, attachment) -> HttpResponse:
    """A file of the petition or of its response: to those who may see the petition, and
    of a hidden one only to its author and moderators; 404 otherwise (a file's existence
    is not given away). Always downloaded."""
    if attachment is None:
        raise Http404
    petition = _get_petition(request, pk)
    if petition.hidden_at is not None and not (
        petition.author_id == request.user.pk
        or request.user.has_perm("petitions.view_abuse_report")
    ):
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError) as missing:
        raise Http404 from missing
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private"
    return response


@require_GET
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    attachment = PetitionAttachment.objects.filter(pk=attachment_pk, petition_id=pk).first()
    return _download(request, pk, attachment)


@require_GET
def response_attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    attachment = ResponseAttachment.objects.filter(
        pk=attachment_pk, response__petition_id=pk
    ).first()
    return _download(request, pk, attachment)


# --- Signing --------------------------------------------------------------------------------


@require_POST
def petition_sign(request: HttpRequest, pk: int) -> HttpResponse:
    petition = _get_petition(request, pk)
    back = _detail_url(petition, "sign")
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    try:
        services.signature_add(
            petition=petition,
            user=request.user,
            ip=client_ip(request),
            wants_updates=request.POST.get("wants_updates") in ("1", "on", "true"),
        )
    except services.SignatureRefused as refused:
        messages.error(request, str(refused))
    except PermissionDenied as denied:
        refusal = pages.sign_refusal(request.user, petition)
        messages.error(request, refusal[1] if refusal else str(denied))
    else:
        messages.success(request, _("Thank you: your signature is counted."))
    return HttpResponseRedirect(back)


@require_POST
def petition_unsign(request: HttpRequest, pk: int) -> HttpResponse:
    petition = _get_petition(request, pk)
    back = _detail_url(petition, "sign")
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    try:
        services.signature_withdraw(petition=petition, user=request.user)
    except PermissionDenied as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Your signature is withdrawn. You can sign again."))
    return HttpResponseRedirect(back)


# --- The author's side ----------------------------------------------------------------------


def _form_page(request, form, *, petition=None, status=200, files_dropped=False, **context):
    return render(
        request,
        "petitions/petition_form.html",
        {"form": form, "petition": petition, "files_dropped": files_dropped, **context},
        status=status,
    )


def find_similar(*, title: str, limit: int = SIMILAR_LIMIT) -> list[Petition]:
    """Listed petitions that look like the one being started, best first, each with what
    a row shows (`pages.list_rows`). Found by the platform search (any title word, folded
    and stemmed), then read back in one query, so that a petition hidden since it was
    indexed is never suggested. Three queries (the search's two, then the petitions)."""
    if not query_terms(title):
        return []  # without words the search would list everything, newest first
    results = search(
        q=title,
        kinds=[PETITION_KIND],
        language=(translation.get_language() or "").split("-")[0] or None,
        any_word=True,
        facets=False,
        per_page=limit,
    )
    pks = [int(hit.object_pk) for hit in results.hits if hit.object_pk.isdigit()]
    if not pks:
        return []
    found = Petition.objects.listed().in_bulk(pks)
    return pages.list_rows([found[pk] for pk in pks if pk in found])


def _check_similar(request: HttpRequest, form: PetitionForm) -> HttpResponse:
    """The no-JavaScript step of the start form's "Check for similar petitions": the form
    comes back as typed (files must be chosen again) with the listed petitions that look
    like it. Only the title is checked: the other fields may still be empty now."""
    form.is_valid()
    for name in [name for name in form.errors if name != "title"]:
        del form.errors[name]
    title = (form.cleaned_data.get("title") or form.data.get("title", "")).strip()
    similar = find_similar(title=title[:TITLE_MAX]) if title else []
    return _form_page(
        request,
        form,
        status=400 if form.errors else 200,
        files_dropped=bool(request.FILES),
        checked=True,
        similar=similar,
        untitled=not title,
    )


@require_http_methods(["GET", "POST"])
def petition_create(request: HttpRequest) -> HttpResponse:
    """The start form. "Save the draft" creates it; "Check for similar petitions" shows
    listed petitions like it first (nothing typed is lost), as petitions/similar.js does
    while the title is typed."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    refusal = pages.create_refusal(request.user)
    if refusal is not None:
        return _refused(request, None, refusal[1], refusal[0])
    if request.method != "POST":
        return _form_page(request, PetitionForm())
    form = PetitionForm(request.POST, request.FILES)
    if "check" in request.POST:
        return _check_similar(request, form)
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                petition = services.petition_create(
                    author=request.user,
                    addressee=data["addressee"],
                    title=data["title"],
                    request=data["request"],
                    background=data["background"],
                    region=data["region"],
                )
                if data["attachments"]:
                    services.attachment_add(
                        petition=petition, actor=request.user, files=data["attachments"]
                    )
        except ValidationError as error:
            _add_errors(form, error)
        except PermissionDenied as denied:
            return _refused(request, None, str(denied))
        else:
            messages.success(
                request,
                _(
                    "Your draft is saved. Only you can see it until you send it to "
                    "moderation and it is published."
                ),
            )
            return HttpResponseRedirect(_detail_url(petition))
    return _form_page(request, form, status=400, files_dropped=bool(request.FILES))


@require_GET
def similar_petitions(request: HttpRequest) -> JsonResponse:
    """Listed petitions like the one being started, for similar.js: title, address, state
    and signatures. Never who started or signed them."""
    form = SimilarPetitionsForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    results = []
    for petition in find_similar(title=form.cleaned_data["title"]):
        count = petition.signature_count
        results.append(
            {
                "title": petition.title,
                "url": petition.get_absolute_url(),
                "state": petition.shown_state,
                "state_label": petition.shown_state_label,
                "signatures": count,
                "signatures_label": ngettext(
                    "%(counter)s signature", "%(counter)s signatures", count
                )
                % {"counter": number_format(count)},
            }
        )
    return JsonResponse({"results": results})


@require_http_methods(["GET", "POST"])
def petition_edit(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    petition = _get_petition(request, pk)
    if not request.user.has_perm("petitions.change_petition", petition):
        return _refused(
            request, petition, _("Only the author can change a petition, while it is a draft.")
        )
    if request.method != "POST":
        initial = {
            "addressee": petition.addressee_id,
            "title": petition.title,
            "request": petition.request,
            "background": petition.background,
            "region": petition.region,
        }
        return _form_page(
            request, PetitionForm(initial=initial, petition=petition), petition=petition
        )
    form = PetitionForm(request.POST, request.FILES, petition=petition)
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                services.petition_update(
                    petition=petition,
                    actor=request.user,
                    addressee=data["addressee"],
                    title=data["title"],
                    request=data["request"],
                    background=data["background"],
                    region=data["region"],
                )
                for attachment in data.get("remove_attachments") or []:
                    services.attachment_remove(attachment=attachment, actor=request.user)
                if data["attachments"]:
                    services.attachment_add(
                        petition=petition, actor=request.user, files=data["attachments"]
                    )
        except ValidationError as error:
            _add_errors(form, error)
        except PermissionDenied as denied:
            return _refused(request, petition, str(denied))
        else:
            messages.success(request, _("Your draft is saved."))
            return HttpResponseRedirect(_detail_url(petition))
    return _form_page(
        request, form, petition=petition, status=400, files_dropped=bool(request.FILES)
    )


@require_http_methods(["GET", "POST"])
def petition_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what moderation checks and how long it takes; POST: send the draft."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    petition = _get_petition(request, pk)
    if petition.author_id != request.user.pk or petition.state != PetitionState.DRAFT:
        return _refused(request, petition, _("Only the author can send a draft to moderation."))
    if request.method == "POST":
        try:
            services.petition_submit(petition=petition, actor=request.user)
        except PermissionDenied as denied:
            return _refused(request, petition, str(denied))
        messages.success(
            request,
            _(
                "Your petition is sent to moderation. You will be told of the decision; it "
                "takes up to 20 working days."
            ),
        )
        return HttpResponseRedirect(_detail_url(petition))
    refusal = pages.create_refusal(request.user)
    return render(
        request,
        "petitions/petition_submit.html",
        {
            "petition": petition,
            "refusal": refusal,
            "excluded_topics": list(
                RejectionReason.objects.filter(excluded_topic=True, is_active=True).order_by(
                    "order", "code"
                )
            ),
            "support_minimum": pages.support_minimum(),
        },
    )


@require_http_methods(["GET", "POST"])
def petition_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the confirmation (with an optional reason); POST: withdraw."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    petition = _get_petition(request, pk)
    if not request.user.has_perm("petitions.withdraw_petition", petition):
        return _refused(
            request,
            petition,
            _("Only the author can withdraw a petition, until it reaches its threshold."),
        )
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.petition_withdraw(
                petition=petition, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        except PermissionDenied as denied:
            return _refused(request, petition, str(denied))
        else:
            messages.success(request, _("Your petition is withdrawn."))
            return HttpResponseRedirect(_detail_url(petition))
    return render(
        request,
        "petitions/petition_withdraw.html",
        {"petition": petition, "form": form},
        status=400 if form.errors else 200,
    )


@require_GET
def my_petitions(request: HttpRequest) -> HttpResponse:
    """The author's petitions, newest first, each with its state, count and next step."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    now = timezone.now()
    petitions = selectors.authored_by(request.user).select_related(
        "moderation_obligation", "response_obligation"
    )
    page_obj = Paginator(petitions, pages.PETITIONS_PER_PAGE).get_page(request.GET.get("page"))
    rows = pages.list_rows(page_obj.object_list, now)
    for petition in rows:
        petition.next_step = pages.next_step(petition, now)
        petition.is_draft = petition.state == PetitionState.DRAFT
        petition.withdrawable = request.user.has_perm("petitions.withdraw_petition", petition)
    return render(
        request,
        "petitions/my_petitions.html",
        {
            "page_obj": page_obj,
            "petitions": rows,
            "can_create": pages.create_refusal(request.user) is None,
        },
    )
