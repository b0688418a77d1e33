"""Who may do what with internet conferences, as `rules` predicates: role x phase x
ownership. Tested as matrices in tests/dialogue/conferences/test_rules.py.

The object is the agency for `schedule_conference`, the conference for the conference's
own permissions, and the question for a question's. The services and views ask
`rules.has_perm` (not `user.has_perm`): Django's auth backend grants an active superuser
every permission whatever the phase, while these predicates decide the phase for everyone
and say themselves where a superuser counts (as a platform moderator, never as the
official).

docs/conferences.md has the table of who may do what in which phase.
"""

from __future__ import annotations

import rules

from accounts.rules import (
    can_participate,
    is_active_account,
    is_agency_moderator,
    is_agency_responder,
    is_platform_moderator,
)

from .models import Phase, QuestionState


@rules.predicate
def is_not_blocked(user) -> bool:
    from moderation.services import is_blocked

    return user.is_authenticated and not is_blocked(user)


def _conference(obj):
    """The conference of a conference or of a question."""
    return getattr(obj, "conference", obj)


# --- roles -----------------------------------------------------------------------------------


@rules.predicate
def manages_agency(user, agency) -> bool:
    """Head or moderator of the agency given as the object."""
    return agency is not None and is_agency_moderator(user, agency)


@rules.predicate
def manages_conference(user, obj) -> bool:
    """Head or moderator of the conference's agency (schedules, edits, cancels, moderates,
    turns unanswered questions into blog questions)."""
    return obj is not None and is_agency_moderator(user, _conference(obj).agency)


@rules.predicate
def is_official(user, obj) -> bool:
    return obj is not None and user.is_authenticated and _conference(obj).official_id == user.pk


@rules.predicate
def answers_for_agency(user, obj) -> bool:
    """Head or responder of the conference's agency: may answer on the official's behalf."""
    return obj is not None and is_agency_responder(user, _conference(obj).agency)


@rules.predicate
def is_question_author(user, question) -> bool:
    return question is not None and user.is_authenticated and question.author_id == user.pk


# --- phases and states -----------------------------------------------------------------------


@rules.predicate
def is_upcoming(user, obj) -> bool:
    return obj is not None and _conference(obj).phase() == Phase.UPCOMING


@rules.predicate
def is_live(user, obj) -> bool:
    return obj is not None and _conference(obj).phase() == Phase.LIVE


@rules.predicate
def is_archived(user, obj) -> bool:
    return obj is not None and _conference(obj).phase() == Phase.ARCHIVED


@rules.predicate
def is_cancelled(user, obj) -> bool:
    return obj is not None and _conference(obj).phase() == Phase.CANCELLED


@rules.predicate
def takes_questions(user, obj) -> bool:
    return obj is not None and _conference(obj).takes_questions()


@rules.predicate
def is_submitted(user, question) -> bool:
    return question is not None and question.state == QuestionState.SUBMITTED


@rules.predicate
def is_published(user, question) -> bool:
    return question is not None and question.state == QuestionState.PUBLISHED


@rules.predicate
def is_visible(user, question) -> bool:
    return question is not None and question.hidden_at is None


@rules.predicate
def is_unanswered(user, question) -> bool:
    return question is not None and question.answered_at is None


@rules.predicate
def is_not_converted(user, question) -> bool:
    return question is not None and question.blog_question_id is None


# --- permissions -----------------------------------------------------------------------------

may_take_part = can_participate & is_not_blocked
is_conference_manager = is_active_account & (manages_conference | rules.is_superuser)
is_question_moderator = is_active_account & (
    manages_conference | is_platform_moderator | rules.is_superuser
)
is_answerer = is_active_account & (is_official | answers_for_agency)
is_open_question = is_published & is_visible & is_unanswered

rules.add_perm(
    "conferences.schedule_conference",
    is_active_account & (manages_agency | rules.is_superuser),
)
rules.add_perm("conferences.change_conference", is_conference_manager & (is_upcoming | is_live))
rules.add_perm("conferences.cancel_conference", is_conference_manager & is_upcoming)
rules.add_perm("conferences.moderate_questions", is_question_moderator & ~is_cancelled)
rules.add_perm(
    "conferences.moderate_question", is_question_moderator & ~is_cancelled & is_submitted
)
rules.add_perm("conferences.hide_question", is_question_moderator & is_published)
rules.add_perm("conferences.use_studio", is_answerer & ~is_cancelled)
rules.add_perm("conferences.answer_question", is_answerer & is_live & is_open_question)
rules.add_perm("conferences.ask_question", may_take_part & takes_questions)
rules.add_perm(
    "conferences.vote_question",
    may_take_part & takes_questions & is_open_question & ~is_question_author,
)
rules.add_perm("conferences.convert_questions", is_conference_manager & is_archived)
rules.add_perm(
    "conferences.convert_question",
    is_conference_manager & is_archived & is_open_question & is_not_converted,
)
rules.add_perm(
    "conferences.view_question",
    (is_published & is_visible)
    | (is_active_account & (is_question_author | is_question_moderator)),
)
