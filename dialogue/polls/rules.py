"""Who may do what with polls, as `rules` predicates: role x phase x audience.

- `polls.manage_agency_polls` (object: an agency): its head and responders create polls.
- `polls.manage_poll` (object: a poll): the head and responders of the poll's agency edit,
  publish and cancel it and download its anonymised responses. Responders, because polls
  are part of the agency's dialogue with citizens, which is their work (they answer the
  blog's questions); drafters and moderators have other duties.
- `polls.view_poll`: everyone for a published poll (and a cancelled one that had been
  published, with its reason); drafts only for those who manage it.
- `polls.take_poll`: an active account with a confirmed email, not blocked, identity
  confirmed if the audience says so, of the poll's region when it is limited (the
  person's profile region decides), while the poll is open, not taken part yet.
- `polls.view_results`: those who manage the poll, always; everyone once it has closed;
  while open, with "after voting", those who took part. A cancelled poll's results are
  for its agency only.

Checks go through `can(user, perm, obj)`, i.e. the `rules` registry alone: Django's
ModelBackend would grant an active superuser every permission whatever the phase
(a superuser voting in a closed poll, or seeing sealed results), which is never meant
here. "Already taken part" is read once per person and poll and cached on the user object
(`selectors.prime_submitted` fills it for a whole list in one query).
"""

from __future__ import annotations

import rules

from accounts.rules import (
    can_participate,
    is_active_account,
    is_agency_responder,
    is_identity_verified,
)

from .models import Audience, Phase, PollState, ResultsVisibility

SUBMITTED_CACHE = "_polls_submitted"


def can(user, perm: str, obj=None) -> bool:
    """`perm` on `obj` by the predicates alone (see the module docstring)."""
    return rules.has_perm(perm, user, obj)


def has_submitted(user, poll) -> bool:
    """Whether `user` took part in `poll`, read once per request and cached on the user."""
    if poll is None or not user.is_authenticated:
        return False
    cache: dict[int, bool] = getattr(user, SUBMITTED_CACHE, None)
    if cache is None:
        cache = {}
        setattr(user, SUBMITTED_CACHE, cache)
    if poll.pk not in cache:
        from .models import Submission

        cache[poll.pk] = Submission.objects.filter(poll=poll, user=user).exists()
    return cache[poll.pk]


def remember_submitted(user, poll_ids, submitted_ids) -> None:
    """Fill the cache for `poll_ids` (the ones in `submitted_ids` taken part in)."""
    cache = getattr(user, SUBMITTED_CACHE, None)
    if cache is None:
        cache = {}
        setattr(user, SUBMITTED_CACHE, cache)
    for pk in poll_ids:
        cache[pk] = pk in submitted_ids


@rules.predicate
def is_not_blocked(user) -> bool:
    from moderation.services import is_blocked

    return user.is_authenticated and not is_blocked(user)


@rules.predicate
def manages_agency(user, agency) -> bool:
    return agency is not None and is_agency_responder(user, agency)


@rules.predicate
def manages_poll(user, poll) -> bool:
    return poll is not None and is_agency_responder(user, poll.agency)


@rules.predicate
def is_public(user, poll) -> bool:
    return poll is not None and (
        poll.state == PollState.PUBLISHED
        or (poll.state == PollState.CANCELLED and poll.published_at is not None)
    )


@rules.predicate
def is_open_now(user, poll) -> bool:
    return poll is not None and poll.phase() == Phase.OPEN


@rules.predicate
def is_closed_now(user, poll) -> bool:
    return poll is not None and poll.phase() == Phase.CLOSED


@rules.predicate
def in_audience(user, poll) -> bool:
    """Identity confirmed when the poll asks for it; of its region when it has one."""
    if poll is None or not user.is_authenticated:
        return False
    if poll.audience == Audience.IDENTITY_VERIFIED and not is_identity_verified(user):
        return False
    return not poll.region or user.region == poll.region


@rules.predicate
def took_part(user, poll) -> bool:
    return has_submitted(user, poll)


@rules.predicate
def results_after_voting(user, poll) -> bool:
    return poll is not None and poll.results_visibility == ResultsVisibility.AFTER_VOTING


is_manager = is_active_account & manages_poll

rules.add_perm("polls.manage_agency_polls", is_active_account & manages_agency)
rules.add_perm("polls.manage_poll", is_manager)
rules.add_perm("polls.view_poll", is_public | is_manager)
rules.add_perm(
    "polls.take_poll",
    can_participate & is_open_now & in_audience & is_not_blocked & ~took_part,
)
rules.add_perm(
    "polls.view_results",
    is_manager
    | is_closed_now
    | (is_open_now & results_after_voting & is_active_account & took_part),
)


def take_refusal(user, poll, now=None) -> tuple[str, str] | None:
    """Why `user` may not take part in `poll` now (a code and a sentence to show), or None
    when they may. Codes: draft, cancelled, upcoming, closed, submitted, anonymous,
    inactive, unverified, identity, no_region, region, blocked."""
    from django.utils.translation import gettext as _

    from accounts import selectors as account_selectors

    if can(user, "polls.take_poll", poll):
        return None
    phase = poll.phase(now)
    if phase == Phase.DRAFT:
        return "draft", _("This poll is not published yet.")
    if phase == Phase.CANCELLED:
        return "cancelled", _("This poll was cancelled.")
    if phase == Phase.UPCOMING:
        return "upcoming", _("This poll has not opened yet.")
    if phase == Phase.CLOSED:
        return "closed", _("This poll is closed.")
    if not user.is_authenticated:
        return "anonymous", _("Sign in to take part in this poll.")
    if has_submitted(user, poll):
        return "submitted", _("You have already taken part in this poll.")
    if not user.is_active or getattr(user, "is_deleted", False):
        return "inactive", _("Your account cannot take part in polls.")
    if not account_selectors.has_verified_email(user):
        return "unverified", _("Confirm your email address to take part in polls.")
    if poll.audience == Audience.IDENTITY_VERIFIED and not user.is_identity_verified:
        return "identity", _(
            "Only people who confirmed their identity with the national ID take part in this poll."
        )
    if poll.region and not user.region:
        return "no_region", _(
            "This poll is for the people of %(region)s. Give your region in your profile "
            "to take part."
        ) % {"region": poll.get_region_display()}
    if poll.region and user.region != poll.region:
        return "region", _("This poll is only for the people of %(region)s.") % {
            "region": poll.get_region_display()
        }
    return "blocked", _("Your account is blocked from taking part.")
