"""What of the discussion threads is searchable: listed threads (neither hidden by a
moderator nor withdrawn by their author), with the state of the agency's reply as the
status. Their replies are found through the conversation layer's kinds (comments, and
the agency's official replies). Never indexed: the author (name, account)."""

from __future__ import annotations

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from search import registry
from search.registry import SearchDoc
from search.text import guess_language

from .models import Thread

STATUSES = {
    "open": _("open for discussion"),
    "due": _("awaiting the official reply"),
    "overdue": _("official reply overdue"),
    "answered": _("officially answered"),
}


def thread_documents(thread: Thread):
    now = timezone.now()
    language = guess_language(f"{thread.title} {thread.text}")
    with translation.override(language):
        url = thread.get_absolute_url()
    status = thread.reply_status(now) or "open"
    yield SearchDoc(
        title=thread.title,
        body=thread.text,
        language=language,
        url=url,
        date=timezone.localdate(thread.created_at),
        agency_id=thread.addressee_id,
        status=status,
        # A reply still due turns overdue at the end of its due day.
        refresh_at=thread.obligation.due_at if status == "due" else None,
        extra={
            "supporters": thread.support_count,
            "replies": thread.reply_count,
            "category": thread.category,
        },
    )


registry.register(
    "thread",
    label=_("Discussions"),
    model=Thread,
    queryset=lambda: Thread.objects.listed(),
    documents=thread_documents,
    select_related=("obligation",),
    statuses=STATUSES,
)
