"""Announce the obligations that became overdue since the last run to the people watching
them. Run it hourly or daily (cron, or the `tracking.watchlists.tasks.send_overdue_alerts`
task); running it again announces nothing twice."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from tracking.watchlists.services import overdue_alerts_send


class Command(BaseCommand):
    help = "Tell watchers about obligations that became overdue since the last run."

    def handle(self, *args, **options) -> None:
        verbosity = options["verbosity"]

        def progress(done: int) -> None:
            if verbosity >= 2:
                self.stdout.write(f"{done} obligation(s) processed")

        run = overdue_alerts_send(progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"{run.obligations} newly overdue obligation(s), {run.notifications} alert(s) sent."
            )
        )
