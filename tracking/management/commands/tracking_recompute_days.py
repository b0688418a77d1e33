"""Recompute the stored working days to first response and to answer (run after an editor
changes the working-day calendar). Idempotent; batched, so memory stays flat."""

from django.core.management.base import BaseCommand

from tracking.services import obligations_recompute_days


class Command(BaseCommand):
    help = "Recompute Obligation.response_days and answer_days with the current calendar."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, batch_size: int, **options) -> None:
        def progress(done: int, changed: int) -> None:
            if options["verbosity"] > 1:
                self.stdout.write(f"{done} rows read, {changed} changed")

        changed = obligations_recompute_days(batch_size=batch_size, progress=progress)
        self.stdout.write(self.style.SUCCESS(f"{changed} obligations updated."))
