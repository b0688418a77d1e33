"""Send the daily notification digests that are due. Run it once a day (cron, or the
`notifications.tasks.send_due_digests` task); running it again sends nothing new."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from notifications.services import digest_send_due


class Command(BaseCommand):
    help = "Send each person their daily digest of notifications, if one is due."

    def handle(self, *args, **options) -> None:
        verbosity = options["verbosity"]

        def progress(done: int, total: int) -> None:
            if verbosity >= 2 or done == total or done % 100 == 0:
                self.stdout.write(f"{done}/{total} recipients processed")

        sent = digest_send_due(progress=progress)
        self.stdout.write(self.style.SUCCESS(f"{sent} digest email(s) sent."))
