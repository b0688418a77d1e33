"""What of the petitions is searchable: listed petitions (open for signatures, over the
threshold, closed) that no moderator hid, and the addressee's responses to them. A
petition still gathering its first supporters is reachable by its link only, and is not
found. Never indexed: the author, the signers (names, emails, regions)."""

from __future__ import annotations

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from search import registry
from search.registry import SearchDoc
from search.text import guess_language

from .models import (
    LISTED_STATES,
    Petition,
    PetitionResponse,
    PetitionState,
    ResponseDecision,
)


def _next_change(petition: Petition, now):
    """When the collection's end changes the state the public sees."""
    closes = petition.collection_closes_at
    if petition.state in (PetitionState.PUBLIC, PetitionState.THRESHOLD_REACHED) and closes:
        return closes if closes > now else None
    return None


def petition_documents(petition: Petition):
    now = timezone.now()
    language = guess_language(f"{petition.title} {petition.request}")
    with translation.override(language):
        url = petition.get_absolute_url()
    yield SearchDoc(
        title=petition.title,
        body="\n\n".join(part for part in (petition.request, petition.background) if part),
        language=language,
        url=url,
        date=timezone.localdate(petition.public_at or petition.published_at or petition.created_at),
        agency_id=petition.addressee_id,
        status=petition.effective_state(now),
        refresh_at=_next_change(petition, now),
        extra={"signatures": petition.signature_count},
    )


def response_documents(response: PetitionResponse):
    petition = response.petition
    language = guess_language(response.text)
    with translation.override(language):
        url = petition.get_absolute_url() + "#response"
    yield SearchDoc(
        title="",
        body=response.text,
        language=language,
        url=url,
        date=timezone.localdate(response.published_at),
        agency_id=petition.addressee_id,
        status=response.decision,
        parent=f"petitions.petition:{petition.pk}",
        extra={"context": petition.title},
    )


def _responses_of(petition: Petition):
    """Whether the petition is listed decides whether its response may be found."""
    return PetitionResponse.objects.filter(petition_id=petition.pk).values_list("pk", flat=True)


registry.register(
    "petition",
    label=_("Petitions"),
    model=Petition,
    queryset=lambda: Petition.objects.listed(),
    documents=petition_documents,
    statuses={state.value: state.label for state in PetitionState if state in LISTED_STATES},
)
registry.register(
    "petition_response",
    label=_("Responses to petitions"),
    model=PetitionResponse,
    queryset=lambda: PetitionResponse.objects.filter(petition__in=Petition.objects.listed()),
    documents=response_documents,
    watch={Petition: (_responses_of, {"state", "hidden_at", "title"})},
    select_related=("petition",),
    statuses={decision.value: decision.label for decision in ResponseDecision},
)
