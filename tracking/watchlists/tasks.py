"""Overdue alerts, for deployments that schedule tasks rather than cron."""

from __future__ import annotations

from django_tasks import task


@task()
def send_overdue_alerts() -> int:
    """Announce what became overdue since the last run (`overdue_alerts_send`). Returns
    how many alerts were written."""
    from .services import overdue_alerts_send

    return overdue_alerts_send().notifications
