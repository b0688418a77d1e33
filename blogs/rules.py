"""Who may do what with blog questions, as `rules` predicates. The object is the blog
(`BlogPage`) for "ask", the question for everything else. The services check these
themselves; tested as role x state matrices in tests/blogs/test_rules.py."""

from __future__ import annotations

import rules

from accounts.rules import (
    can_participate,
    is_active_account,
    is_agency_member,
    is_agency_moderator,
    is_agency_responder,
    is_platform_moderator,
)

from .models import QuestionState, Rating


@rules.predicate
def is_not_blocked(user) -> bool:
    from moderation.services import is_blocked

    return user.is_authenticated and not is_blocked(user)


@rules.predicate
def blog_accepts_questions(user, blog) -> bool:
    return blog is not None and blog.live and blog.accepts_questions


@rules.predicate
def is_question_asker(user, question) -> bool:
    return question is not None and user.is_authenticated and question.asker_id == user.pk


@rules.predicate
def is_question_agency_moderator(user, question) -> bool:
    """Head or moderator of the agency that currently holds the question."""
    return question is not None and is_agency_moderator(user, question.agency)


@rules.predicate
def is_question_responder(user, question) -> bool:
    """Head or responder of the agency that currently holds the question."""
    return question is not None and is_agency_responder(user, question.agency)


@rules.predicate
def is_question_agency_member(user, question) -> bool:
    return question is not None and is_agency_member(user, question.agency)


@rules.predicate
def is_submitted(user, question) -> bool:
    return question is not None and question.state == QuestionState.SUBMITTED


@rules.predicate
def is_published(user, question) -> bool:
    return question is not None and question.state == QuestionState.PUBLISHED


@rules.predicate
def is_not_hidden(user, question) -> bool:
    return question is not None and question.hidden_at is None


@rules.predicate
def is_awaiting_answer(user, question) -> bool:
    """Published with its obligation still open (no final answer, not withdrawn)."""
    obligation = question.obligation if question is not None and question.obligation_id else None
    return (
        obligation is not None
        and obligation.answered_at is None
        and obligation.withdrawn_at is None
    )


@rules.predicate
def has_final_answer(user, question) -> bool:
    """The obligation is fulfilled only by a final answer (services.question_answer)."""
    return bool(question is not None and question.obligation_id and question.obligation.answered_at)


@rules.predicate
def is_not_rated(user, question) -> bool:
    try:
        question.rating  # noqa: B018 - the reverse one-to-one caches the row or its absence
    except Rating.DoesNotExist:
        return True
    return False


@rules.predicate
def may_extend_obligation(user, question) -> bool:
    return bool(question.obligation_id) and user.has_perm(
        "tracking.extend_obligation", question.obligation
    )


@rules.predicate
def may_redirect_obligation(user, question) -> bool:
    return bool(question.obligation_id) and user.has_perm(
        "tracking.redirect_obligation", question.obligation
    )


is_staff_of_question = is_question_agency_member | is_platform_moderator | rules.is_superuser
can_moderate = is_active_account & (
    is_question_agency_moderator | is_platform_moderator | rules.is_superuser
)

rules.add_perm("blogs.ask_question", can_participate & is_not_blocked & blog_accepts_questions)
rules.add_perm(
    "blogs.view_question",
    (is_published & is_not_hidden)
    | (is_active_account & (is_question_asker | is_staff_of_question)),
)
rules.add_perm("blogs.moderate_question", can_moderate & is_submitted)
rules.add_perm("blogs.hide_question", can_moderate & is_published)
rules.add_perm(
    "blogs.answer_question",
    is_active_account & is_question_responder & is_published & is_awaiting_answer,
)
rules.add_perm("blogs.extend_question", is_active_account & is_published & may_extend_obligation)
rules.add_perm(
    "blogs.redirect_question", is_active_account & is_published & may_redirect_obligation
)
rules.add_perm(
    "blogs.rate_question",
    is_active_account & is_question_asker & is_published & has_final_answer & is_not_rated,
)
rules.add_perm(
    "blogs.support_question",
    can_participate & is_not_blocked & is_published & is_not_hidden & ~is_question_asker,
)
