"""Run daily (cron or a scheduler): store what the petitions' clocks decided. Pages do not
wait for it (`Petition.effective_state`), but lists, the API and counts by state do."""

from django.core.management.base import BaseCommand

from petitions.services import close_expired


class Command(BaseCommand):
    help = "Close petitions whose support period or collection has ended (idempotent)."

    def handle(self, *args, **options) -> None:
        counts = close_expired()
        for state, count in counts.items():
            self.stdout.write(f"{state}: {count}")
