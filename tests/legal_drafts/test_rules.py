"""Permissions as role x state matrices."""

from __future__ import annotations

import pytest
import time_machine

from dialogue.services import comment_post, comment_withdraw
from legal_drafts import services
from legal_drafts.models import Draft, DraftStatus
from tests.factories import AgencyFactory, MembershipFactory, UserFactory, platform_editor

from .conftest import AFTER, BEFORE, DURING, make_draft

pytestmark = pytest.mark.django_db

ROLES = ["head", "drafter", "responder", "moderator", "other_drafter", "editor", "citizen"]
STATES = [
    DraftStatus.SCHEDULED,
    DraftStatus.OPEN,
    DraftStatus.AWAITING_REPORT,
    DraftStatus.REPORT_PUBLISHED,
    DraftStatus.WITHDRAWN,
]
MOMENTS = {
    DraftStatus.SCHEDULED: BEFORE,
    DraftStatus.OPEN: DURING,
    DraftStatus.AWAITING_REPORT: AFTER,
    DraftStatus.REPORT_PUBLISHED: AFTER,
    DraftStatus.WITHDRAWN: AFTER,
}


@pytest.fixture
def people(agency_with_staff):
    other = MembershipFactory(agency=AgencyFactory(), role="drafter").user
    return {
        "head": agency_with_staff.head,
        "drafter": agency_with_staff.drafter,
        "responder": agency_with_staff.responder,
        "moderator": agency_with_staff.moderator,
        "other_drafter": other,
        "editor": platform_editor(),
        "citizen": UserFactory(),
    }


def draft_in(state, staff) -> Draft:
    draft = make_draft(staff)
    if state == DraftStatus.REPORT_PUBLISHED:
        with time_machine.travel(AFTER, tick=False):
            services.report_publish(draft=draft, actor=staff.head)
    if state == DraftStatus.WITHDRAWN:
        with time_machine.travel(DURING, tick=False):
            services.draft_withdraw(draft=draft, actor=staff.head, reason="Superseded.")
    draft = Draft.objects.select_related("report").get(pk=draft.pk)
    assert draft.status_at(MOMENTS[state]) == state
    return draft


DRAFTING = {"head", "drafter"}
ANSWER_STATES = {DraftStatus.OPEN, DraftStatus.AWAITING_REPORT}
EXPECTED = {
    # permission: (who, in which states)
    "legal_drafts.give_disposition": (DRAFTING, ANSWER_STATES),
    "legal_drafts.publish_report": (DRAFTING, {DraftStatus.AWAITING_REPORT}),
    "legal_drafts.change_draft": (
        DRAFTING | {"editor"},
        {s for s in STATES if s != DraftStatus.WITHDRAWN},
    ),
    "legal_drafts.extend_draft": (
        DRAFTING | {"editor"},
        {DraftStatus.SCHEDULED, DraftStatus.OPEN},
    ),
    "legal_drafts.vote": (
        {"head", "drafter", "responder", "moderator", "other_drafter", "editor", "citizen"},
        {DraftStatus.OPEN},
    ),
}


@pytest.mark.parametrize("state", STATES)
def test_permission_matrix(state, people, agency_with_staff):
    draft = draft_in(state, agency_with_staff)
    with time_machine.travel(MOMENTS[state], tick=False):
        for perm, (who, states) in EXPECTED.items():
            for role in ROLES:
                expected = role in who and state in states
                assert people[role].has_perm(perm, draft) is expected, (perm, role, state)


def test_disposition_matrix_through_the_service(people, agency_with_staff):
    """The service refuses exactly what the matrix refuses (role x state), for one comment
    each."""
    for state in (DraftStatus.AWAITING_REPORT, DraftStatus.REPORT_PUBLISHED):
        draft = make_draft(agency_with_staff, title_ru=f"Проект {state}")
        with time_machine.travel(DURING, tick=False):
            comments = {
                role: comment_post(target=draft, author=UserFactory(), text=f"Comment for {role}")
                for role in ROLES
            }
        if state == DraftStatus.REPORT_PUBLISHED:
            # The report needs every visible comment answered: the authors withdraw
            # theirs, which then need no disposition, and the report freezes the rest.
            with time_machine.travel(AFTER, tick=False):
                for comment in comments.values():
                    comment_withdraw(comment=comment, author=comment.user)
                services.report_publish(draft=draft, actor=agency_with_staff.head)
        with time_machine.travel(AFTER, tick=False):
            for role in ROLES:
                allowed = role in DRAFTING and state == DraftStatus.AWAITING_REPORT
                try:
                    services.disposition_give(
                        comment=comments[role], actor=people[role], value="noted", reason="Noted."
                    )
                    given = True
                except PermissionError:  # pragma: no cover - not the exception we raise
                    raise
                except Exception as error:  # PermissionDenied
                    assert type(error).__name__ == "PermissionDenied", error
                    given = False
                assert given is allowed, (role, state)
