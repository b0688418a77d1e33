"""Who may act on an obligation, for the screens that offer it (the services check the
state; their callers check the person with these). Tested as role x state matrices in
tests/tracking/test_rules.py."""

from __future__ import annotations

import rules
from django.utils import timezone

from accounts.rules import (
    has_agency_role,
    is_active_account,
    is_platform_editor,
)

from . import kinds

_is_responder = has_agency_role("head", "responder")


@rules.predicate
def is_obligation_responder(user, obligation) -> bool:
    """Head or responder of the agency that currently holds the obligation."""
    return obligation is not None and _is_responder(user, obligation.agency)


@rules.predicate
def is_open(user, obligation) -> bool:
    return obligation is not None and not obligation.answered_at and not obligation.withdrawn_at


@rules.predicate
def is_unacknowledged(user, obligation) -> bool:
    return obligation is not None and obligation.first_response_at is None


@rules.predicate
def is_extendable(user, obligation) -> bool:
    if obligation is None or obligation.extended_due_at is not None:
        return False
    kind = kinds.get(obligation.kind)
    return bool(kind and kind.extension_cap) and obligation.due_at >= timezone.now()


@rules.predicate
def is_redirectable(user, obligation) -> bool:
    if obligation is None or obligation.extended_due_at is not None:
        return False
    kind = kinds.get(obligation.kind)
    if kind is None or kind.redirect_window is None:
        return False
    return timezone.now() <= kind.redirect_window.due_from(obligation.clock_started_at)


can_respond = is_active_account & is_obligation_responder & is_open

rules.add_perm("tracking.acknowledge_obligation", can_respond & is_unacknowledged)
rules.add_perm("tracking.extend_obligation", can_respond & is_extendable)
rules.add_perm("tracking.redirect_obligation", can_respond & is_redirectable)
rules.add_perm("tracking.fulfil_obligation", can_respond)
rules.add_perm(
    "tracking.edit_calendar", is_active_account & (is_platform_editor | rules.is_superuser)
)
