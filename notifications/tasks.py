"""Email leaves the request in background tasks (the immediate backend runs them in-line
when no worker is configured)."""

from __future__ import annotations

from django_tasks import task


@task()
def send_notification_emails(*, notification_ids: list[int]) -> int:
    """One email per notification chosen for immediate delivery; already-emailed ones are
    skipped, so a retried task does not send twice."""
    from .emails import send_immediate

    return send_immediate(notification_ids=notification_ids)


@task()
def send_due_digests() -> int:
    """The daily digest, for deployments that schedule tasks rather than cron."""
    from .services import digest_send_due

    return digest_send_due()
