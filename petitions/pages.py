"""Reads behind the public and author screens of petitions (`views.py`): who may sign and
why not, the share links, the author's next step, the rows of the lists. Each function is
a fixed number of queries whatever the number of petitions or signatures (counts come
from the denormalised `Petition.signature_count` and `RegionCount`)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from accounts import selectors as account_selectors

from .models import Petition, PetitionState, ResponseState, setting

PETITIONS_PER_PAGE = 20
LATEST_SIGNERS = 10


def support_minimum() -> int:
    return int(setting("SUPPORT_MINIMUM", 50))


# --- Signing ----------------------------------------------------------------------------------


def sign_refusal(user, petition: Petition, now: datetime.datetime | None = None):
    """Why `user` may not sign `petition` now (a code and a sentence), or None when they
    may. The codes: closed, hidden, anonymous, inactive, unverified, identity, blocked."""
    if user.has_perm("petitions.sign_petition", petition):
        return None
    if petition.hidden_at is not None:
        return "hidden", _("This petition is hidden by a moderator and takes no signatures.")
    if not petition.is_collecting(now):
        return "closed", _("This petition is not taking signatures.")
    if not user.is_authenticated:
        return "anonymous", _("Sign in to sign this petition.")
    if not user.is_active or getattr(user, "is_deleted", False):
        return "inactive", _("Your account cannot sign petitions.")
    if not account_selectors.has_verified_email(user):
        return "unverified", _("Confirm your email address to sign petitions.")
    if setting("REQUIRE_IDENTITY", False) and not user.is_identity_verified:
        return "identity", _(
            "Only people who confirmed their identity with the national ID can sign petitions."
        )
    return "blocked", _("Your account is blocked from taking part.")


def create_refusal(user):
    """Why `user` may not start a petition (a code and a sentence), or None."""
    if user.has_perm("petitions.create_petition"):
        return None
    if not user.is_active or getattr(user, "is_deleted", False):
        return "inactive", _("Your account cannot start petitions.")
    if not account_selectors.has_verified_email(user):
        return "unverified", _("Confirm your email address to start a petition.")
    return "blocked", _("Your account is blocked from taking part.")


# --- Sharing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShareLink:
    name: str
    url: str


def share_links(url: str, title: str) -> list[ShareLink]:
    """Plain links to share a petition: no third-party script is loaded."""
    text = f"{title} — {url}"
    return [
        ShareLink(
            pgettext("share link", "Email"),
            "mailto:?" + urlencode({"subject": title, "body": text}, quote_via=quote),
        ),
        ShareLink(
            "Telegram",
            "https://t.me/share/url?" + urlencode({"url": url, "text": title}, quote_via=quote),
        ),
        ShareLink("WhatsApp", "https://wa.me/?" + urlencode({"text": text}, quote_via=quote)),
        ShareLink(
            "Facebook",
            "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}, quote_via=quote),
        ),
        ShareLink(
            "X",
            "https://twitter.com/intent/tweet?"
            + urlencode({"url": url, "text": title}, quote_via=quote),
        ),
    ]


# --- Rows -------------------------------------------------------------------------------------


def state_of(petition: Petition, now: datetime.datetime) -> tuple[str, str]:
    """The effective state (clocks applied) and its words."""
    state = petition.effective_state(now)
    return state, str(PetitionState(state).label)


def list_rows(petitions, now: datetime.datetime | None = None) -> list[Petition]:
    """A page of petitions with what a row shows set on each (no query per row)."""
    now = now or timezone.now()
    rows = list(petitions)
    for petition in rows:
        petition.shown_state, petition.shown_state_label = state_of(petition, now)
        petition.collecting = petition.is_collecting(now)
        petition.responded = petition.response_state == ResponseState.RESPONDED
    return rows


@dataclass(frozen=True)
class NextStep:
    text: str
    due: datetime.datetime | None = None


def next_step(petition: Petition, now: datetime.datetime) -> NextStep | None:
    """What happens next to the author's petition, in a sentence (and a date when one
    applies). Needs `moderation_obligation` and `response_obligation` selected."""
    state = petition.effective_state(now)
    if petition.hidden_at is not None:
        return NextStep(_("A moderator hid this petition; it takes no signatures while hidden."))
    if state == PetitionState.DRAFT:
        return NextStep(_("Finish the text, then send it to moderation."))
    if state in (PetitionState.SUBMITTED, PetitionState.IN_MODERATION):
        obligation = petition.moderation_obligation
        return NextStep(
            _("Moderators decide whether to publish it by"),
            obligation.due_at if obligation is not None else None,
        )
    if state == PetitionState.PUBLISHED:
        count = support_minimum()
        return NextStep(
            ngettext(
                "Share its link: it needs %(count)d supporter to become public by",
                "Share its link: it needs %(count)d supporters to become public by",
                count,
            )
            % {"count": count},
            petition.support_deadline,
        )
    if state == PetitionState.PUBLIC:
        return NextStep(_("Collecting signatures until"), petition.collection_closes_at)
    if petition.response_state == ResponseState.AWAITING:
        obligation = petition.response_obligation
        return NextStep(
            _("The addressee must publish its response by"),
            obligation.due_at if obligation is not None else None,
        )
    if petition.response_state == ResponseState.RESPONDED:
        return NextStep(_("The addressee has published its response."))
    return None


@dataclass(frozen=True)
class ShownSigner:
    """What the public sees of a signer: the first name and surname initial, and when.
    The signer's region is counted (the region table), never shown beside the name."""

    name: str
    signed_at: datetime.datetime


def shown_signers(page) -> list[ShownSigner]:
    """A `selectors.SignerPage`'s rows as the public sees them (no query)."""
    return [ShownSigner(row.name, row.signed_at) for row in page.rows]
