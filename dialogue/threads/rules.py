"""Who may do what with discussion threads, as `rules` predicates: role x state x
ownership. The object is the thread (an agency for `view_agency_queue`, none for
`start_thread`). The services check these themselves; tests/dialogue/threads/test_rules.py
checks them as a matrix.

- Starting a thread and supporting one take part in public life: an active account with
  a confirmed email address, not blocked (`accounts.rules.can_participate`).
- The author does not support their own thread: the support level counts other people
  (as the conversation layer's votes do).
- The author may withdraw the thread (the text stays, the page says so) unless the
  agency owes its official reply: once enough people asked for the reply, the thread is
  theirs too.
- Only platform moderators (and superusers) hide a thread. The addressee's own
  moderators do not: hiding ends the agency's duty to reply, and an agency must not be
  able to end its own duty.
- Everyone may open a thread; a hidden one shows the moderation placeholder instead of
  its text to all but its author and platform moderators (`see_hidden_thread`).
"""

from __future__ import annotations

import rules

from accounts.rules import (
    can_participate,
    is_active_account,
    is_agency_responder,
    is_platform_moderator,
)


@rules.predicate
def is_not_blocked(user) -> bool:
    from moderation.services import is_blocked

    return user.is_authenticated and not is_blocked(user)


@rules.predicate
def is_author(user, thread) -> bool:
    return thread is not None and user.is_authenticated and thread.author_id == user.pk


@rules.predicate
def is_open(user, thread) -> bool:
    """Taking replies and support: neither hidden nor withdrawn."""
    return thread is not None and thread.is_open


@rules.predicate
def is_withdrawn(user, thread) -> bool:
    return thread is not None and thread.is_withdrawn


@rules.predicate
def awaits_reply(user, thread) -> bool:
    return thread is not None and thread.awaits_reply


@rules.predicate
def is_queue_responder(user, agency) -> bool:
    return agency is not None and is_agency_responder(user, agency)


is_moderator = is_active_account & (rules.is_superuser | is_platform_moderator)
may_take_part = can_participate & is_not_blocked

rules.add_perm("threads.start_thread", may_take_part)
rules.add_perm("threads.support_thread", may_take_part & is_open & ~is_author)
rules.add_perm("threads.unsupport_thread", is_active_account & is_open)
rules.add_perm(
    "threads.withdraw_thread", is_active_account & is_author & ~is_withdrawn & ~awaits_reply
)
rules.add_perm("threads.hide_thread", is_moderator)
rules.add_perm("threads.see_hidden_thread", (is_active_account & is_author) | is_moderator)
rules.add_perm("threads.view_agency_queue", is_active_account & is_queue_responder)
