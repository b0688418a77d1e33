"""The registry of obligation kinds. `tracking` never imports a feature app: each module
that opens obligations registers its kinds in its AppConfig.ready():

    from tracking import kinds
    from tracking.deadlines import CalendarMonths, WorkingDays

    kinds.register(
        "blogs.question",
        label=_("Answer to a blog question"),
        deadline=WorkingDays(15),
        title_of=lambda question: question.title,
        url_of=lambda question: question.get_absolute_url(),
        extension_cap=CalendarMonths(2),
    )

`title_of` and `url_of` take the subject and must not query (the API lists many rows:
prefetch what they need through `select_related_of`, a list of relations of the subject
model, if any). `extension_cap=None` means the obligation cannot be extended;
`redirect_window=None` means it cannot be redirected. `recipients_of(subject)` may name
people to tell of an extension or redirect besides the subject's followers (the asker).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .deadlines import DeadlineRule, WorkingDays

THREE_WORKING_DAYS = WorkingDays(3)


@dataclass(frozen=True)
class ObligationKind:
    key: str
    label: Any
    deadline: DeadlineRule
    title_of: Callable[[Any], str]
    url_of: Callable[[Any], str]
    extension_cap: DeadlineRule | None = None
    redirect_window: DeadlineRule | None = THREE_WORKING_DAYS
    recipients_of: Callable[[Any], Iterable[Any]] | None = None
    # False when the module tells the followers itself (a draft's report announces itself).
    notifies: bool = True


_kinds: dict[str, ObligationKind] = {}


def register(
    key: str,
    *,
    label: Any,
    deadline: DeadlineRule,
    title_of: Callable[[Any], str],
    url_of: Callable[[Any], str],
    extension_cap: DeadlineRule | None = None,
    redirect_window: DeadlineRule | None = THREE_WORKING_DAYS,
    recipients_of: Callable[[Any], Iterable[Any]] | None = None,
    notifies: bool = True,
) -> ObligationKind:
    """Declare a kind. Registering the same key again replaces it (app reloads in tests)."""
    if not key or len(key) > 64:
        raise ValueError(f"Not a valid obligation kind: {key!r}")
    if not isinstance(deadline, DeadlineRule):
        raise TypeError("deadline must be a DeadlineRule, e.g. WorkingDays(15)")
    kind = ObligationKind(
        key=key,
        label=label,
        deadline=deadline,
        title_of=title_of,
        url_of=url_of,
        extension_cap=extension_cap,
        redirect_window=redirect_window,
        recipients_of=recipients_of,
        notifies=notifies,
    )
    _kinds[key] = kind
    return kind


def unregister(key: str) -> None:
    _kinds.pop(key, None)


def get(key: str) -> ObligationKind | None:
    return _kinds.get(key)


def all_kinds() -> list[ObligationKind]:
    return sorted(_kinds.values(), key=lambda kind: kind.key)


def label_of(key: str) -> str:
    kind = _kinds.get(key)
    return str(kind.label) if kind else key


def title_of(key: str, subject: Any) -> str:
    kind = _kinds.get(key)
    if kind is None or subject is None:
        return ""
    return str(kind.title_of(subject))


def url_of(key: str, subject: Any) -> str:
    kind = _kinds.get(key)
    if kind is None or subject is None:
        return ""
    return str(kind.url_of(subject))
