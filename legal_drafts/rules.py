"""Who may do what with draft acts, as `rules` predicates: role x phase x ownership.

The object is the agency for `create_draft` and the draft for everything else. Drafting
officials are the agency's head and drafters (`accounts.rules.is_agency_drafter`);
platform editors may also keep drafts (they publish on behalf of agencies), but only the
drafting agency answers comments and publishes the report. The services check these
themselves; tests/legal_drafts/test_rules.py checks them as matrices.
"""

from __future__ import annotations

import rules

from accounts.rules import (
    can_participate,
    is_active_account,
    is_agency_drafter,
    is_platform_editor,
)

from .models import Outcome


@rules.predicate
def is_not_blocked(user) -> bool:
    from moderation.services import is_blocked

    return user.is_authenticated and not is_blocked(user)


@rules.predicate
def is_drafter_of_draft(user, draft) -> bool:
    return draft is not None and is_agency_drafter(user, draft.agency)


@rules.predicate
def has_no_outcome(user, draft) -> bool:
    return draft is not None and draft.outcome == Outcome.NONE


@rules.predicate
def is_not_withdrawn(user, draft) -> bool:
    return draft is not None and draft.outcome != Outcome.WITHDRAWN


@rules.predicate
def is_discussion_open(user, draft) -> bool:
    return draft is not None and draft.is_open()


@rules.predicate
def is_discussion_closed(user, draft) -> bool:
    return draft is not None and draft.is_closed()


@rules.predicate
def is_not_extended(user, draft) -> bool:
    return draft is not None and draft.extended_closes_at is None


@rules.predicate
def has_opened(user, draft) -> bool:
    from django.utils import timezone

    return draft is not None and draft.opens_at <= timezone.now()


@rules.predicate
def report_not_published(user, draft) -> bool:
    report = getattr(draft, "report", None) if draft is not None else None
    return report is None or report.published_at is None


keeps_drafts = rules.is_superuser | is_platform_editor  # superusers ask no query

rules.add_perm("legal_drafts.create_draft", is_active_account & (is_agency_drafter | keeps_drafts))
rules.add_perm(
    "legal_drafts.change_draft",
    is_active_account & (is_drafter_of_draft | keeps_drafts) & has_no_outcome,
)
rules.add_perm(
    "legal_drafts.extend_draft",
    is_active_account
    & (is_drafter_of_draft | keeps_drafts)
    & has_no_outcome
    & ~is_discussion_closed
    & is_not_extended,
)
rules.add_perm(
    "legal_drafts.withdraw_draft",
    is_active_account & (is_drafter_of_draft | keeps_drafts) & has_no_outcome,
)
rules.add_perm(
    "legal_drafts.record_outcome",
    is_active_account
    & (is_drafter_of_draft | keeps_drafts)
    & has_no_outcome
    & is_discussion_closed,
)
rules.add_perm("legal_drafts.vote", can_participate & is_not_blocked & is_discussion_open)
rules.add_perm(
    "legal_drafts.give_disposition",
    is_active_account & is_drafter_of_draft & is_not_withdrawn & has_opened & report_not_published,
)
rules.add_perm(
    "legal_drafts.publish_report",
    is_active_account
    & is_drafter_of_draft
    & is_not_withdrawn
    & is_discussion_closed
    & report_not_published,
)
